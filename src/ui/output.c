/*
 * output.c - JSON results for --output json (see output.h), on cJSON and
 * json.c's Python-compatible printer.
 *
 * struct outjson is never defined: a pointer to one is a cJSON node in
 * disguise, so that commands can build results without including cJSON.
 */
#include "idc/ui/output.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/json.h"
#include "idc/core/timefmt.h"

static cJSON *
outjson_node(struct outjson *o)
{
	return (cJSON *)(void *)o;
}

static struct outjson *
outjson_of(cJSON *c)
{
	return (struct outjson *)(void *)c;
}

int
outjson_key_ok(const char *key)
{
	const char *p;

	if (key == NULL || *key < 'a' || *key > 'z')
		return 0;
	for (p = key; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

/* Add item to o under key (an array takes no key).  A key that is not
 * camelCase is a programming error: it aborts, so that a test of the
 * command finds it. */
static void
outjson_put(struct outjson *o, const char *key, cJSON *item)
{
	cJSON *parent = outjson_node(o);

	if (cJSON_IsArray(parent)) {
		cJSON_AddItemToArray(parent, item);
		return;
	}
	if (!outjson_key_ok(key))
		abort();
	cJSON_AddItemToObject(parent, key, item);
}

struct outjson *
outjson_object(void)
{
	return outjson_of(cJSON_CreateObject());
}

struct outjson *
outjson_array(void)
{
	return outjson_of(cJSON_CreateArray());
}

struct outjson *
outjson_add_object(struct outjson *parent, const char *key)
{
	cJSON *c = cJSON_CreateObject();

	outjson_put(parent, key, c);
	return outjson_of(c);
}

struct outjson *
outjson_add_array(struct outjson *parent, const char *key)
{
	cJSON *c = cJSON_CreateArray();

	outjson_put(parent, key, c);
	return outjson_of(c);
}

void
outjson_str(struct outjson *o, const char *key, const char *v)
{
	outjson_put(
	    o, key, v != NULL ? cJSON_CreateString(v) : cJSON_CreateNull());
}

void
outjson_api_str(struct outjson *o, const char *key, const char *v)
{
	cJSON *parent = outjson_node(o);
	char low[64];

	/* The API's PascalCase name: the camelCase rule with the first
	 * letter upper-case. */
	if (key == NULL || *key < 'A' || *key > 'Z' ||
	    strlen(key) >= sizeof low || !cJSON_IsObject(parent))
		abort();
	memcpy(low, key, strlen(key) + 1);
	low[0] = (char)(low[0] - 'A' + 'a');
	if (!outjson_key_ok(low))
		abort();
	cJSON_AddItemToObject(parent, key,
	    v != NULL ? cJSON_CreateString(v) : cJSON_CreateNull());
}

void
outjson_bool(struct outjson *o, const char *key, int v)
{
	outjson_put(o, key, cJSON_CreateBool(v));
}

void
outjson_num(struct outjson *o, const char *key, double v)
{
	outjson_put(o, key, cJSON_CreateNumber(v));
}

void
outjson_time(struct outjson *o, const char *key, time_t t)
{
	char buf[32];

	if (t == 0) {
		outjson_put(o, key, cJSON_CreateNull());
		return;
	}
	timefmt_utc(t, buf, sizeof buf);
	outjson_put(o, key, cJSON_CreateString(buf));
}

void
outjson_print(struct outjson *root, FILE *fp)
{
	char *text = json_print_indented(outjson_node(root));

	fputs(text, fp);
	free(text);
	cJSON_Delete(outjson_node(root));
}

void
outjson_free(struct outjson *root)
{
	cJSON_Delete(outjson_node(root));
}
