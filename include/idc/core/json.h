/*
 * json.h - typed access to cJSON documents.
 *
 * The getters describe what is wrong in err (IDC_ESERVER for a document
 * from the network, which is what they mostly read; callers reading files
 * re-code it) and never return a pointer into freed memory: strings are
 * copied out with xstrdup, so no cJSON pointer outlives the parse.
 */
#ifndef IDC_JSON_H
#define IDC_JSON_H

#include <stddef.h>

struct cJSON;
struct idc_buf;
struct idc_err;

/* Parse len bytes holding exactly one JSON value (white space around it
 * allowed, anything else not); NULL when they do not. */
struct cJSON *json_parse_strict(const char *text, size_t len);

/* Parse len bytes; NULL with err set (IDC_ESERVER) when not a JSON object.
 * what names the document in the message ("CreateToken response"). */
struct cJSON *json_parse_object(
    const char *text, size_t len, const char *what, struct idc_err *err);

/* A required string member, copied.  NULL with err set when missing, not a
 * string or empty. */
char *json_dup_str(const struct cJSON *obj, const char *key, const char *what,
    struct idc_err *err);

/* An optional string member, copied, or NULL when missing or not a string. */
char *json_dup_opt_str(const struct cJSON *obj, const char *key);

/* A required integer member (a JSON number with no fraction). */
int json_get_int(const struct cJSON *obj, const char *key, long long *out,
    const char *what, struct idc_err *err);

/* An optional integer member: def when missing. -1 when present but not an
 * integer. */
int json_get_opt_int(const struct cJSON *obj, const char *key, long long def,
    long long *out, const char *what, struct idc_err *err);

/*
 * Append str to b as a JSON string, written as Python's json.dumps writes
 * one (ensure_ascii): \" \\ \n \r \t \b \f, every other character
 * outside printable ASCII as \uXXXX (a surrogate pair above U+FFFF), a
 * malformed UTF-8 byte as U+FFFD.  Needs no cJSON: the cached path writes
 * its JSON with this, and so starts without loading the library.
 */
void json_put_string(struct idc_buf *b, const char *str);

/* Serialise without whitespace; the caller frees with free(). */
char *json_print(const struct cJSON *obj);

/*
 * Serialise as Python's json.dumps does by default (the AWS CLI's cache
 * files and cache-key documents): ", " and ": " separators, one line,
 * non-ASCII escaped as \uXXXX.  With sort_keys, members are sorted by
 * key as json.dumps(sort_keys=True) sorts them.  The caller frees.
 */
char *json_print_python(const struct cJSON *value, int sort_keys);

/*
 * Serialise as Python's json.dumps(indent=2) does, with a final newline:
 * the shape of `--output json` results and of credential_process output
 * (the AWS CLI's export-credentials).  The caller frees.
 */
char *json_print_indented(const struct cJSON *value);

/* Free a document, wiping the string values first (tokens, keys). */
void json_free_secret(struct cJSON *obj);

#endif
