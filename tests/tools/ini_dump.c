/*
 * ini_dump.c - idc-ini-dump, a test tool: what idc's config reader makes of
 * a file, as JSON, so that Python tests can hold it against botocore.
 *
 *   idc-ini-dump raw FILE...         sections as botocore's raw_config_parse
 *                                    returns them (nested values as
 *                                    objects, [DEFAULT] keys inherited), or
 *                                    {"error": ..., "line": N}
 *   idc-ini-dump profile FILE NAME [role]
 *                                    awsconfig_load_profile (with "role":
 *                                    AWSCONFIG_NEED_ROLE), or {"error": ...}
 *   idc-ini-dump session FILE NAME   awsconfig_load_session
 *   idc-ini-dump roundtrip FILE      exit 0 if parse + render gives the
 *                                    same bytes (lenient parse)
 *   idc-ini-dump bench FILE PROFILE N
 *                                    mean time of N profile loads and of N
 *                                    whole-document parse + render rounds
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idc/core/cjson.h"

#include "idc/store/awsconfig.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/store/ini.h"
#include "idc/core/json.h"
#include "idc/core/xmalloc.h"

static int
dump_read(const char *path, struct idc_buf *b)
{
	struct idc_err err = IDC_ERR_INIT;

	if (fsutil_read_file(path, IDC_BUF_MAX_FILE, b, &err) == -1) {
		fprintf(stderr, "idc-ini-dump: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static void
dump_print(cJSON *obj)
{
	char *s = json_print(obj);

	printf("%s\n", s);
	free(s);
	cJSON_Delete(obj);
}

/* Length of the str.splitlines() boundary at p, or 0. */
static size_t
dump_linebreak(const unsigned char *p, size_t n)
{
	if (*p == '\n' || *p == '\r' || *p == 0x0b || *p == 0x0c ||
	    (*p >= 0x1c && *p <= 0x1e))
		return (*p == '\r' && n > 1 && p[1] == '\n') ? 2 : 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0x85)
		return 2;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0xa8 || p[2] == 0xa9))
		return 3;
	return 0;
}

/* botocore's _parse_nested. */
static cJSON *
dump_nested(const char *v)
{
	cJSON *obj = cJSON_CreateObject();
	const unsigned char *u = (const unsigned char *)v;
	size_t n = strlen(v), i = 0, start = 0, k, lead, len;
	const char *piece, *eq;
	char *key, *val;

	for (;;) {
		k = i < n ? dump_linebreak(u + i, n - i) : 0;
		if (i < n && k == 0) {
			i++;
			continue;
		}
		piece = v + start;
		len = i - start;
		lead = ini_lstrip(piece, len);
		piece += lead;
		len = ini_rstrip(piece, len - lead);
		if (len > 0 && (eq = memchr(piece, '=', len)) != NULL) {
			size_t kl = (size_t)(eq - piece), vl;
			const char *vs = eq + 1;

			kl = ini_rstrip(piece, kl);
			key = xstrndup(piece + ini_lstrip(piece, kl),
			    kl - ini_lstrip(piece, kl));
			vl = (size_t)(piece + len - vs);
			lead = ini_lstrip(vs, vl);
			val = xstrndup(vs + lead, vl - lead);
			cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
			cJSON_AddStringToObject(obj, key, val);
			free(key);
			free(val);
		}
		if (i >= n)
			break;
		i += k;
		start = i;
	}
	return obj;
}

static void
dump_add_value(cJSON *sec, const char *key, const char *value)
{
	if (cJSON_GetObjectItemCaseSensitive(sec, key) != NULL)
		return;
	if (value[0] == '\n')
		cJSON_AddItemToObject(sec, key, dump_nested(value));
	else
		cJSON_AddStringToObject(sec, key, value);
}

static int
dump_raw(const char *path)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;
	struct ini_line *sec, *key, *d;
	cJSON *out, *s;
	size_t line = 0;
	const char *problem;

	if (dump_read(path, &b) == -1)
		return 2;
	out = cJSON_CreateObject();
	if (ini_parse(idc_buf_cstr(&b), b.len, path, INI_LENIENT, &doc, &err) ==
		-1 ||
	    (problem = ini_doc_problem(doc, &line)) != NULL) {
		cJSON_AddStringToObject(out, "error",
		    doc != NULL ? ini_doc_problem(doc, NULL) : err.msg);
		cJSON_AddNumberToObject(out, "line", (double)line);
		cJSON_AddBoolToObject(out, "bom", doc && ini_has_bom(doc));
		dump_print(out);
		ini_free(doc);
		idc_buf_release(&b);
		return 0;
	}
	s = cJSON_AddObjectToObject(out, "sections");
	for (sec = ini_section_next(doc, NULL); sec != NULL;
	     sec = ini_section_next(doc, sec)) {
		cJSON *o;

		if (strcmp(ini_section_name(sec), "DEFAULT") == 0)
			continue;
		o = cJSON_AddObjectToObject(s, ini_section_name(sec));
		for (key = ini_key_next(sec, NULL); key != NULL;
		     key = ini_key_next(sec, key))
			dump_add_value(
			    o, ini_key_name(key), ini_key_value(key));
		for (d = ini_section_next(doc, NULL); d != NULL;
		     d = ini_section_next(doc, d)) {
			if (strcmp(ini_section_name(d), "DEFAULT") != 0)
				continue;
			for (key = ini_key_next(d, NULL); key != NULL;
			     key = ini_key_next(d, key))
				dump_add_value(
				    o, ini_key_name(key), ini_key_value(key));
		}
	}
	cJSON_AddBoolToObject(out, "bom", ini_has_bom(doc));
	dump_print(out);
	ini_free(doc);
	idc_buf_release(&b);
	return 0;
}

static void
dump_str(cJSON *o, const char *k, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static int
dump_sso(const char *path, const char *name, int session, int role)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsconfig_sso *sso = NULL;
	cJSON *out = cJSON_CreateObject(), *list;
	size_t i;
	int r;

	r = session ? awsconfig_load_session(path, name, &sso, &err)
		    : awsconfig_load_profile(path, name,
			  role ? AWSCONFIG_NEED_ROLE : 0, &sso, &err);
	if (r == -1) {
		cJSON_AddStringToObject(out, "error", err.msg);
		cJSON_AddStringToObject(
		    out, "code", idc_err_codename(err.code));
		dump_print(out);
		return 0;
	}
	dump_str(out, "profile", sso->profile);
	dump_str(out, "sso_session", sso->session);
	dump_str(out, "sso_start_url", sso->start_url);
	dump_str(out, "sso_region", sso->sso_region);
	dump_str(out, "sso_registration_scopes", sso->scopes);
	list = cJSON_AddArrayToObject(out, "scope_list");
	for (i = 0; i < sso->nscopes; i++)
		cJSON_AddItemToArray(
		    list, cJSON_CreateString(sso->scope_list[i]));
	dump_str(out, "sso_account_id", sso->account_id);
	dump_str(out, "sso_role_name", sso->role_name);
	dump_str(out, "region", sso->region);
	dump_str(out, "output", sso->output);
	dump_print(out);
	awsconfig_sso_free(sso);
	return 0;
}

static int
dump_roundtrip(const char *path)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_buf o = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;
	int same;

	if (dump_read(path, &b) == -1)
		return 2;
	if (ini_parse(idc_buf_cstr(&b), b.len, path, INI_LENIENT, &doc, &err) ==
		-1 ||
	    ini_render(doc, &o, &err) == -1) {
		fprintf(stderr, "idc-ini-dump: %s\n", err.msg);
		return 2;
	}
	same = o.len == b.len && memcmp(o.data, b.data, b.len) == 0;
	ini_free(doc);
	idc_buf_release(&o);
	idc_buf_release(&b);
	return same ? 0 : 1;
}

static double
dump_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
dump_bench(const char *path, const char *profile, long n)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsconfig_sso *sso;
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_buf o = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct ini_doc *doc;
	double t0, t1, t2;
	long i;

	if (dump_read(path, &b) == -1)
		return 2;
	t0 = dump_now();
	for (i = 0; i < n; i++) {
		if (awsconfig_load_profile(
			path, profile, AWSCONFIG_NEED_ROLE, &sso, &err) == -1) {
			fprintf(stderr, "idc-ini-dump: %s\n", err.msg);
			return 2;
		}
		awsconfig_sso_free(sso);
	}
	t1 = dump_now();
	for (i = 0; i < n && getenv("IDC_BENCH_LOAD_ONLY") == NULL; i++) {
		if (ini_parse(idc_buf_cstr(&b), b.len, path, 0, &doc, &err) ==
			-1 ||
		    (idc_buf_reset(&o), ini_render(doc, &o, &err)) == -1) {
			fprintf(stderr, "idc-ini-dump: %s\n", err.msg);
			return 2;
		}
		ini_free(doc);
	}
	t2 = dump_now();
	printf("{\"bytes\": %zu, \"load_profile_us\": %.1f, "
	       "\"parse_render_us\": %.1f, \"runs\": %ld}\n",
	    b.len, (t1 - t0) / (double)n * 1e6, (t2 - t1) / (double)n * 1e6, n);
	idc_buf_release(&o);
	idc_buf_release(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "raw") == 0) {
		int i, r = 0;

		/* One JSON line per file: many files per run keeps the
		 * differential tests fast. */
		for (i = 2; i < argc && r == 0; i++)
			r = dump_raw(argv[i]);
		return r;
	}
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "profile") == 0)
		return dump_sso(argv[2], argv[3], 0,
		    argc == 5 && strcmp(argv[4], "role") == 0);
	if (argc == 4 && strcmp(argv[1], "session") == 0)
		return dump_sso(argv[2], argv[3], 1, 0);
	if (argc == 3 && strcmp(argv[1], "roundtrip") == 0)
		return dump_roundtrip(argv[2]);
	if (argc == 5 && strcmp(argv[1], "bench") == 0)
		return dump_bench(argv[2], argv[3], atol(argv[4]));
	fprintf(stderr,
	    "usage: idc-ini-dump raw|profile|session|roundtrip|"
	    "bench FILE [NAME [role|N]]\n");
	return 2;
}
