/*
 * output.h - the shape of results on stdout: the --output formats, and the
 * one way commands print a JSON result.
 *
 * A command builds its result with these calls and prints it with
 * outjson_print: Python's json.dumps(indent=2) layout (the AWS CLI's),
 * camelCase member names, strings escaped so that no control byte
 * reaches the terminal.  The builder hides cJSON, so no command includes
 * it.  Allocation failure aborts; nothing here fails otherwise.
 */
#ifndef IDC_OUTPUT_H
#define IDC_OUTPUT_H

#include <stdio.h>
#include <time.h>

enum idc_output {
	IDC_OUTPUT_TEXT = 0,
	IDC_OUTPUT_JSON,
	IDC_OUTPUT_TABLE,
};

/* A JSON object or array being built.  Members added to an object take a
 * key (camelCase); items added to an array take key NULL. */
struct outjson;

struct outjson *outjson_object(void);
struct outjson *outjson_array(void);

/* A nested object or array, owned by parent; returned to fill in. */
struct outjson *outjson_add_object(struct outjson *parent, const char *key);
struct outjson *outjson_add_array(struct outjson *parent, const char *key);

/* A string member, or null when v is NULL. */
void outjson_str(struct outjson *o, const char *key, const char *v);
/* A string member named as an AWS API names it (PascalCase: "Account",
 * "UserId"), for results that repeat an API's answer (whoami); not in an
 * array. */
void outjson_api_str(struct outjson *o, const char *key, const char *v);
void outjson_bool(struct outjson *o, const char *key, int v);
void outjson_num(struct outjson *o, const char *key, double v);
/* A time as "2026-11-27T19:13:22Z", or null when t is 0. */
void outjson_time(struct outjson *o, const char *key, time_t t);

/* Print root (and a final newline) to fp, then free it. */
void outjson_print(struct outjson *root, FILE *fp);

/* Free root without printing it.  NULL is fine. */
void outjson_free(struct outjson *root);

/* Is key a camelCase member name (a lower-case letter, then letters and
 * digits)?  outjson refuses others (see output.c); for tests. */
int outjson_key_ok(const char *key);

#endif
