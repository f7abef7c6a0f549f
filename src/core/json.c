/*
 * json.c - typed getters over cJSON (see json.h).
 */
#include "idc/core/json.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

struct cJSON *
json_parse_strict(const char *text, size_t len)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, len, &end, 0);

	if (v == NULL)
		return NULL;
	/* Only white space may follow the value (a racing writer's leftover
	 * tail makes a file corrupt, not valid). */
	while (end < text + len &&
	    (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
		end++;
	if (end != text + len) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

struct cJSON *
json_parse_object(
    const char *text, size_t len, const char *what, struct idc_err *err)
{
	cJSON *obj = json_parse_strict(text, len);

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

	if (v == NULL)
		idc_err_set(err, IDC_ESERVER, "%s has no '%s'", what, key);
	else if (!cJSON_IsString(v) || v->valuestring == NULL)
		idc_err_set(
		    err, IDC_ESERVER, "%s: '%s' is not a string", what, key);
	else if (v->valuestring[0] == '\0')
		idc_err_set(err, IDC_ESERVER, "%s: '%s' is empty", what, key);
	else
		return xstrdup(v->valuestring);
	return NULL;
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
	/* In range first (NaN fails both), then whole: the cast is exact
	 * there.  No floor(): idc links no libm (see core/cjson.h). */
	if (!(d <= 9.0e15 && d >= -9.0e15) || (double)(long long)d != d)
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
		    "%s: '%s' is not a whole number", what, key);
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

/* Decode one UTF-8 sequence at *p; U+FFFD for a malformed one. */
static unsigned long
json_utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned long cp;
	int n, i;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 1;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 2;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 3;
		cp = s[0] & 0x07;
	} else {
		*p = s + 1;
		return 0xfffd;
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + i;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return cp > 0x10ffff ? 0xfffd : cp;
}

void
json_put_string(struct idc_buf *b, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	unsigned long cp;

	idc_buf_putch(b, '"');
	while (*p != '\0') {
		/* A run of printable ASCII needs no escape: one append (a
		 * session token is a thousand of them). */
		const unsigned char *run = p;

		while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			p++;
		if (p > run) {
			idc_buf_put(b, run, (size_t)(p - run));
			continue;
		}
		cp = json_utf8_next(&p);
		switch (cp) {
		case '"':
			idc_buf_putstr(b, "\\\"");
			break;
		case '\\':
			idc_buf_putstr(b, "\\\\");
			break;
		case '\n':
			idc_buf_putstr(b, "\\n");
			break;
		case '\r':
			idc_buf_putstr(b, "\\r");
			break;
		case '\t':
			idc_buf_putstr(b, "\\t");
			break;
		case '\b':
			idc_buf_putstr(b, "\\b");
			break;
		case '\f':
			idc_buf_putstr(b, "\\f");
			break;
		default:
			if (cp >= 0x20 && cp < 0x7f) {
				idc_buf_putch(b, (char)cp);
			} else if (cp > 0xffff) {
				cp -= 0x10000;
				idc_buf_putf(b, "\\u%04lx\\u%04lx",
				    0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
			} else {
				idc_buf_putf(b, "\\u%04lx", cp);
			}
		}
	}
	idc_buf_putch(b, '"');
}

static int
json_key_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a,
		    *y = *(const cJSON *const *)b;

	return strcmp(x->string, y->string);
}

struct json_py {
	int sort_keys;
	int indent; /* 0: one line */
};

static void json_py_value(
    struct idc_buf *b, const cJSON *v, const struct json_py *o, int depth);

/* Between members: ", " on one line, ",\n" and the indent otherwise. */
static void
json_py_break(struct idc_buf *b, const struct json_py *o, int depth, int first)
{
	if (o->indent == 0) {
		if (!first)
			idc_buf_putstr(b, ", ");
		return;
	}
	idc_buf_putstr(b, first ? "\n" : ",\n");
	idc_buf_putf(b, "%*s", o->indent * depth, "");
}

static void
json_py_object(
    struct idc_buf *b, const cJSON *obj, const struct json_py *o, int depth)
{
	const cJSON **items, *c;
	size_t n = 0, i;

	for (c = obj->child; c != NULL; c = c->next)
		n++;
	if (n == 0) {
		idc_buf_putstr(b, "{}");
		return;
	}
	items = xcalloc(n + 1, sizeof items[0]);
	for (c = obj->child, i = 0; c != NULL; c = c->next)
		items[i++] = c;
	if (o->sort_keys)
		qsort(items, n, sizeof items[0], json_key_cmp);
	idc_buf_putch(b, '{');
	for (i = 0; i < n; i++) {
		json_py_break(b, o, depth + 1, i == 0);
		json_put_string(b, items[i]->string);
		idc_buf_putstr(b, ": ");
		json_py_value(b, items[i], o, depth + 1);
	}
	if (o->indent > 0)
		json_py_break(b, o, depth, 1);
	idc_buf_putch(b, '}');
	free(items);
}

static void
json_py_value(
    struct idc_buf *b, const cJSON *v, const struct json_py *o, int depth)
{
	const cJSON *c;
	long long n;

	if (cJSON_IsNull(v)) {
		idc_buf_putstr(b, "null");
	} else if (cJSON_IsTrue(v)) {
		idc_buf_putstr(b, "true");
	} else if (cJSON_IsFalse(v)) {
		idc_buf_putstr(b, "false");
	} else if (cJSON_IsNumber(v)) {
		if (json_integer(v, &n) == 0)
			idc_buf_putf(b, "%lld", n);
		else
			idc_buf_putf(b, "%.17g", v->valuedouble);
	} else if (cJSON_IsString(v)) {
		json_put_string(b, v->valuestring);
	} else if (cJSON_IsArray(v) && v->child == NULL) {
		idc_buf_putstr(b, "[]");
	} else if (cJSON_IsArray(v)) {
		idc_buf_putch(b, '[');
		for (c = v->child; c != NULL; c = c->next) {
			json_py_break(b, o, depth + 1, c == v->child);
			json_py_value(b, c, o, depth + 1);
		}
		if (o->indent > 0)
			json_py_break(b, o, depth, 1);
		idc_buf_putch(b, ']');
	} else if (cJSON_IsObject(v)) {
		json_py_object(b, v, o, depth);
	} else {
		idc_buf_putstr(b, "null");
	}
}

char *
json_print_python(const struct cJSON *value, int sort_keys)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct json_py o = { sort_keys, 0 };

	json_py_value(&b, value, &o, 0);
	return idc_buf_detach(&b, NULL);
}

char *
json_print_indented(const struct cJSON *value)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct json_py o = { 0, 2 };

	json_py_value(&b, value, &o, 0);
	idc_buf_putch(&b, '\n');
	return idc_buf_detach(&b, NULL);
}
