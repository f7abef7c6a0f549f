/*
 * json.c - typed getters over cJSON (see json.h).
 */
#include "idc/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "idc/err.h"
#include "idc/xmalloc.h"

struct cJSON *
json_parse_object(
    const char *text, size_t len, const char *what, struct idc_err *err)
{
	cJSON *obj = cJSON_ParseWithLength(text, len);

	if (obj == NULL || !cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		idc_err_set(err, IDC_ESERVER, "%s is not a JSON object", what);
		return NULL;
	}
	return obj;
}

char *
json_dup_str(const struct cJSON *obj, const char *key, const char *what,
    struct idc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(v) || v->valuestring == NULL ||
	    v->valuestring[0] == '\0') {
		idc_err_set(err, IDC_ESERVER, "%s has no '%s'", what, key);
		return NULL;
	}
	return xstrdup(v->valuestring);
}

char *
json_dup_opt_str(const struct cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return NULL;
	return xstrdup(v->valuestring);
}

static int
json_integer(const cJSON *v, long long *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d > 9.0e15 || d < -9.0e15)
		return -1;
	*out = (long long)d;
	return 0;
}

int
json_get_int(const struct cJSON *obj, const char *key, long long *out,
    const char *what, struct idc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (v == NULL)
		return idc_err_set(
		    err, IDC_ESERVER, "%s has no '%s'", what, key);
	if (json_integer(v, out) == -1)
		return idc_err_set(err, IDC_ESERVER,
		    "%s has a '%s' that is not a whole number", what, key);
	return 0;
}

int
json_get_opt_int(const struct cJSON *obj, const char *key, long long def,
    long long *out, const char *what, struct idc_err *err)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key) == NULL) {
		*out = def;
		return 0;
	}
	return json_get_int(obj, key, out, what, err);
}

char *
json_print(const struct cJSON *obj)
{
	char *s = cJSON_PrintUnformatted(obj);

	if (s == NULL)
		abort(); /* only allocation can fail, and xmalloc aborts */
	return s;
}

static void
json_wipe(cJSON *item)
{
	cJSON *c;

	for (; item != NULL; item = item->next) {
		if (cJSON_IsString(item) && item->valuestring != NULL)
			secret_wipe(
			    item->valuestring, strlen(item->valuestring));
		c = item->child;
		if (c != NULL)
			json_wipe(c);
	}
}

void
json_free_secret(struct cJSON *obj)
{
	if (obj == NULL)
		return;
	json_wipe(obj);
	cJSON_Delete(obj);
}
