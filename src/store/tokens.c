/*
 * tokens.c - the AWS CLI's SSO token and registration cache (tokens.h).
 */
#include "idc/store/tokens.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/store/paths.h"
#include "idc/core/sha1.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"

#define TOKENS_MAX_FILE (1024 * 1024)

/* The members of a token file, in the order the AWS CLI writes them. */
static const char *const tokens_known_keys[] = { "startUrl", "region",
	"accessToken", "expiresAt", "clientId", "clientSecret",
	"registrationExpiresAt", "refreshToken" };

const char *
tokens_ref_name(const struct sso_ref *ref)
{
	return ref->session_name != NULL ? ref->session_name : ref->start_url;
}

static char *
tokens_cache_file(const char *hex, struct idc_err *err)
{
	char *dir, *name, *path;

	if ((dir = paths_sso_cache_dir(err)) == NULL)
		return NULL;
	name = xstrconcat(hex, ".json");
	path = paths_join(dir, name);
	free(name);
	free(dir);
	return path;
}

char *
tokens_token_path(const struct sso_ref *ref, struct idc_err *err)
{
	const char *key = tokens_ref_name(ref);
	char *hex = sha1_hex(key, strlen(key)), *path;

	path = tokens_cache_file(hex, err);
	free(hex);
	return path;
}

int
tokens_exist(const struct sso_ref *ref)
{
	char *path = tokens_token_path(ref, NULL);
	int r = path != NULL && access(path, F_OK) == 0;

	free(path);
	return r;
}

/* The AWS CLI's registration key document (2.7.32+), sorted as
 * json.dumps(sort_keys=True). */
static char *
tokens_registration_key(const struct sso_ref *ref)
{
	cJSON *doc = cJSON_CreateObject(), *scopes;
	const char *const *s;
	char *text;

	cJSON_AddStringToObject(doc, "region", ref->region);
	if (ref->scopes != NULL) {
		scopes = cJSON_AddArrayToObject(doc, "scopes");
		for (s = ref->scopes; *s != NULL; s++)
			cJSON_AddItemToArray(scopes, cJSON_CreateString(*s));
	} else {
		cJSON_AddNullToObject(doc, "scopes");
	}
	if (ref->session_name != NULL)
		cJSON_AddStringToObject(doc, "session_name", ref->session_name);
	else
		cJSON_AddNullToObject(doc, "session_name");
	cJSON_AddStringToObject(doc, "startUrl", ref->start_url);
	cJSON_AddStringToObject(doc, "tool", "botocore");
	text = json_print_python(doc, 1);
	cJSON_Delete(doc);
	return text;
}

char *
tokens_registration_path(const struct sso_ref *ref, struct idc_err *err)
{
	char *key = tokens_registration_key(ref), *hex, *path;

	hex = sha1_hex(key, strlen(key));
	path = tokens_cache_file(hex, err);
	free(key);
	free(hex);
	return path;
}

/* The text of a cache file as a JSON object; NULL (IDC_ENOTFOUND) when
 * it is not one.  name names it in the message. */
static cJSON *
tokens_json(const char *text, size_t len, const char *name, struct idc_err *err)
{
	cJSON *obj = json_parse_strict(text, len);

	if (cJSON_IsObject(obj))
		return obj;
	json_free_secret(obj);
	idc_err_set(err, IDC_ENOTFOUND, "'%s' is not a JSON object", name);
	return NULL;
}

/*
 * Read and parse a cache file.  Missing or corrupt: IDC_ENOTFOUND.  With
 * warn (the file of the sign-in being used, which idc writes again at the
 * next sign-in), a corrupt one is also a warning; other files in the
 * shared cache are none of idc's business.
 */
static cJSON *
tokens_read(const char *path, int warn, struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(TOKENS_MAX_FILE);
	cJSON *obj = NULL;

	if (fsutil_read_file_nofollow(path, TOKENS_MAX_FILE, &b, err) == -1)
		goto out;
	obj = tokens_json(idc_buf_cstr(&b), b.len, path, err);
	if (obj == NULL && warn)
		log_warn("'%s' is not valid JSON; it will be replaced at the "
			 "next sign-in",
		    path);
out:
	idc_buf_release_secret(&b);
	return obj;
}

static int
tokens_time_member(const cJSON *obj, const char *key, time_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(v))
		return -1;
	return timefmt_parse(v->valuestring, out);
}

/* The members no AWS tool defined here, kept to be written back. */
static char *
tokens_extra(const cJSON *obj)
{
	cJSON *extra = cJSON_CreateObject();
	const cJSON *c;
	size_t i;
	char *text = NULL;

	for (c = obj->child; c != NULL; c = c->next) {
		for (i = 0;
		     i < sizeof tokens_known_keys / sizeof tokens_known_keys[0];
		     i++)
			if (strcmp(c->string, tokens_known_keys[i]) == 0)
				break;
		if (i == sizeof tokens_known_keys / sizeof tokens_known_keys[0])
			cJSON_AddItemToObject(
			    extra, c->string, cJSON_Duplicate(c, 1));
	}
	if (extra->child != NULL)
		text = json_print(extra);
	json_free_secret(extra);
	return text;
}

/* A token from a parsed cache file (name for messages). */
static int
tokens_token_from(const cJSON *obj, const char *name, struct sso_token *out,
    struct idc_err *err)
{
	struct sso_token t;
	int r = -1;

	memset(&t, 0, sizeof t);
	t.access_token = json_dup_opt_str(obj, "accessToken");
	if (t.access_token == NULL || t.access_token[0] == '\0' ||
	    tokens_time_member(obj, "expiresAt", &t.expires_at) == -1) {
		idc_err_set(err, IDC_ENOTFOUND,
		    "the token in '%s' has no access token or expiry", name);
		goto out;
	}
	t.start_url = json_dup_opt_str(obj, "startUrl");
	t.region = json_dup_opt_str(obj, "region");
	t.refresh_token = json_dup_opt_str(obj, "refreshToken");
	t.client_id = json_dup_opt_str(obj, "clientId");
	t.client_secret = json_dup_opt_str(obj, "clientSecret");
	if (tokens_time_member(
		obj, "registrationExpiresAt", &t.registration_expires_at) == -1)
		t.registration_expires_at = 0;
	t.extra = tokens_extra(obj);
	/* Known from here on: redacted from every message (log.h). */
	log_secret(t.access_token);
	log_secret(t.refresh_token);
	log_secret(t.client_secret);
	*out = t;
	memset(&t, 0, sizeof t);
	r = 0;
out:
	sso_token_release(&t);
	return r;
}

int
tokens_parse_token(const char *text, size_t len, const char *name,
    struct sso_token *out, struct idc_err *err)
{
	cJSON *obj = tokens_json(text, len, name, err);
	int r;

	if (obj == NULL)
		return -1;
	r = tokens_token_from(obj, name, out, err);
	json_free_secret(obj);
	return r;
}

/* Load the token file at path (warn: see tokens_read). */
static int
tokens_load_path(
    const char *path, int warn, struct sso_token *out, struct idc_err *err)
{
	cJSON *obj = tokens_read(path, warn, err);
	int r;

	if (obj == NULL)
		return -1;
	r = tokens_token_from(obj, path, out, err);
	json_free_secret(obj);
	return r;
}

int
tokens_load(
    const struct sso_ref *ref, struct sso_token *out, struct idc_err *err)
{
	char *path;
	int r;

	if ((path = tokens_token_path(ref, err)) == NULL)
		return -1;
	r = tokens_load_path(path, 1, out, err);
	free(path);
	return r;
}

static int
tokens_is_json(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".json") == 0;
}

int
tokens_foreach(int (*fn)(const char *path, const struct sso_token *tok,
		   void *ud, struct idc_err *err),
    void *ud, struct idc_err *err)
{
	struct dirent **names = NULL;
	struct sso_token tok;
	struct idc_err skip = IDC_ERR_INIT;
	char *dir, *path;
	int n, i, r = 0;

	if ((dir = paths_sso_cache_dir(err)) == NULL)
		return -1;
	n = scandir(dir, &names, tokens_is_json, fsutil_dirent_cmp);
	for (i = 0; i < n; i++) {
		path = paths_join(dir, names[i]->d_name);
		/* Registrations and corrupt files are not tokens: skip. */
		if (r == 0 && tokens_load_path(path, 0, &tok, &skip) == 0) {
			r = fn(path, &tok, ud, err);
			sso_token_release(&tok);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return r;
}

int
tokens_remove_file(const char *path, struct idc_err *err)
{
	return fsutil_unlink(path, err);
}

static void
tokens_add_time(cJSON *obj, const char *key, time_t t)
{
	char buf[32];

	timefmt_utc(t, buf, sizeof buf);
	cJSON_AddStringToObject(obj, key, buf);
}

/* Write obj in the AWS CLI's layout: one line, no final newline. */
static int
tokens_write(const char *path, const cJSON *obj, struct idc_err *err)
{
	char *text = json_print_python(obj, 0);
	int r;

	r = fsutil_write_atomic(
	    path, text, strlen(text), 0600, FSUTIL_MKDIRS, err);
	secret_free(text);
	return r;
}

int
tokens_save(
    const struct sso_ref *ref, const struct sso_token *tok, struct idc_err *err)
{
	cJSON *obj = cJSON_CreateObject(), *extra = NULL, *c;
	char *path = NULL;
	int r = -1;

	cJSON_AddStringToObject(obj, "startUrl",
	    tok->start_url != NULL ? tok->start_url : ref->start_url);
	cJSON_AddStringToObject(
	    obj, "region", tok->region != NULL ? tok->region : ref->region);
	cJSON_AddStringToObject(obj, "accessToken", tok->access_token);
	tokens_add_time(obj, "expiresAt", tok->expires_at);
	if (tok->client_id != NULL && tok->client_secret != NULL) {
		cJSON_AddStringToObject(obj, "clientId", tok->client_id);
		cJSON_AddStringToObject(
		    obj, "clientSecret", tok->client_secret);
	}
	if (tok->registration_expires_at != 0)
		tokens_add_time(
		    obj, "registrationExpiresAt", tok->registration_expires_at);
	if (tok->refresh_token != NULL)
		cJSON_AddStringToObject(
		    obj, "refreshToken", tok->refresh_token);
	if (tok->extra != NULL && (extra = cJSON_Parse(tok->extra)) != NULL) {
		while ((c = extra->child) != NULL) {
			cJSON_DetachItemViaPointer(extra, c);
			if (cJSON_GetObjectItemCaseSensitive(obj, c->string) ==
			    NULL)
				cJSON_AddItemToObject(obj, c->string, c);
			else
				json_free_secret(c);
		}
	}
	if ((path = tokens_token_path(ref, err)) == NULL)
		goto out;
	if (tokens_write(path, obj, err) == -1)
		goto out;
	r = 0;
out:
	json_free_secret(extra);
	json_free_secret(obj);
	free(path);
	return r;
}

int
tokens_remove(const struct sso_ref *ref, struct idc_err *err)
{
	char *path = tokens_token_path(ref, err);
	int r;

	if (path == NULL)
		return -1;
	r = fsutil_unlink(path, err);
	free(path);
	return r;
}

void
sso_token_release(struct sso_token *tok)
{
	if (tok == NULL)
		return;
	free(tok->start_url);
	free(tok->region);
	secret_free(tok->access_token);
	secret_free(tok->refresh_token);
	free(tok->client_id);
	secret_free(tok->client_secret);
	secret_free(tok->extra);
	memset(tok, 0, sizeof *tok);
}

static int
tokens_has_grant(const cJSON *obj, const char *grant)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "grantTypes");
	const cJSON *g;

	cJSON_ArrayForEach(g, arr) {
		if (cJSON_IsString(g) && strcmp(g->valuestring, grant) == 0)
			return 1;
	}
	return 0;
}

/* A registration from a parsed cache file (name for messages). */
static int
tokens_registration_from(const cJSON *obj, const char *name,
    struct sso_registration *out, struct idc_err *err)
{
	struct sso_registration reg;
	int r = -1;

	memset(&reg, 0, sizeof reg);
	reg.client_id = json_dup_opt_str(obj, "clientId");
	reg.client_secret = json_dup_opt_str(obj, "clientSecret");
	if (reg.client_id == NULL || reg.client_secret == NULL ||
	    tokens_time_member(obj, "expiresAt", &reg.expires_at) == -1) {
		idc_err_set(err, IDC_ENOTFOUND,
		    "the registration in '%s' is incomplete", name);
		goto out;
	}
	reg.pkce = tokens_has_grant(obj, "authorization_code");
	log_secret(reg.client_secret);
	*out = reg;
	memset(&reg, 0, sizeof reg);
	r = 0;
out:
	sso_registration_release(&reg);
	return r;
}

int
tokens_parse_registration(const char *text, size_t len, const char *name,
    struct sso_registration *out, struct idc_err *err)
{
	cJSON *obj = tokens_json(text, len, name, err);
	int r;

	if (obj == NULL)
		return -1;
	r = tokens_registration_from(obj, name, out, err);
	json_free_secret(obj);
	return r;
}

int
tokens_load_registration(const struct sso_ref *ref,
    struct sso_registration *out, struct idc_err *err)
{
	char *path;
	cJSON *obj;
	int r = -1;

	if ((path = tokens_registration_path(ref, err)) == NULL)
		return -1;
	if ((obj = tokens_read(path, 1, err)) != NULL)
		r = tokens_registration_from(obj, path, out, err);
	json_free_secret(obj);
	free(path);
	return r;
}

int
tokens_save_registration(const struct sso_ref *ref,
    const struct sso_registration *reg, struct idc_err *err)
{
	static const char *const default_scopes[] = { "sso:account:access",
		NULL };
	const char *const *scopes = ref->scopes, *const * s;
	cJSON *obj = cJSON_CreateObject(), *arr;
	char *path = NULL;
	int r = -1;

	cJSON_AddStringToObject(obj, "clientId", reg->client_id);
	cJSON_AddStringToObject(obj, "clientSecret", reg->client_secret);
	tokens_add_time(obj, "expiresAt", reg->expires_at);
	/* As the AWS CLI: scopes when configured; the PKCE flow always
	 * records them, with the default when none are configured. */
	if (scopes == NULL && reg->pkce)
		scopes = default_scopes;
	if (scopes != NULL) {
		arr = cJSON_AddArrayToObject(obj, "scopes");
		for (s = scopes; *s != NULL; s++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(*s));
	}
	if (reg->pkce) {
		arr = cJSON_AddArrayToObject(obj, "grantTypes");
		cJSON_AddItemToArray(
		    arr, cJSON_CreateString("authorization_code"));
		cJSON_AddItemToArray(arr, cJSON_CreateString("refresh_token"));
	}
	if ((path = tokens_registration_path(ref, err)) == NULL)
		goto out;
	if (tokens_write(path, obj, err) == -1)
		goto out;
	r = 0;
out:
	json_free_secret(obj);
	free(path);
	return r;
}

void
sso_registration_release(struct sso_registration *reg)
{
	if (reg == NULL)
		return;
	free(reg->client_id);
	secret_free(reg->client_secret);
	memset(reg, 0, sizeof *reg);
}

int
tokens_lock(const struct sso_ref *ref, long timeout_ms,
    struct fsutil_lock *lock, struct idc_err *err)
{
	const char *key = tokens_ref_name(ref);
	char *dir, *hex, *name, *path, *what;
	int r;

	if ((dir = paths_idc_cache_dir(err)) == NULL)
		return -1;
	hex = sha1_hex(key, strlen(key));
	name = xasprintf("locks/sso-%s.lock", hex);
	path = paths_join(dir, name);
	what = xasprintf("another idc to finish signing in to '%s'", key);
	r = fsutil_lock_acquire(lock, path, timeout_ms, what, err);
	free(what);
	free(path);
	free(name);
	free(hex);
	free(dir);
	return r;
}

/* ---- tokens the server refused ---------------------------------------- */

/* $XDG_CACHE_HOME/idc/rejected/<the token file's name>: the sha1 of the
 * access token that was refused.  A hash, so that a token that replaces
 * it (a new sign-in, by idc or by the AWS CLI) is not taken for it. */
static char *
tokens_reject_path(const char *token_path, struct idc_err *err)
{
	const char *base = strrchr(token_path, '/');
	char *dir, *name, *path;

	if ((dir = paths_idc_cache_dir(err)) == NULL)
		return NULL;
	name = xasprintf("rejected/%s", base != NULL ? base + 1 : token_path);
	path = paths_join(dir, name);
	free(name);
	free(dir);
	return path;
}

int
tokens_reject(
    const struct sso_ref *ref, const struct sso_token *tok, struct idc_err *err)
{
	char *path = NULL, *mark = NULL, *hex = NULL;
	int r = -1;

	if (tok->access_token == NULL)
		return 0;
	if ((path = tokens_token_path(ref, err)) == NULL ||
	    (mark = tokens_reject_path(path, err)) == NULL)
		goto out;
	hex = sha1_hex(tok->access_token, strlen(tok->access_token));
	r = fsutil_write_atomic(
	    mark, hex, strlen(hex), 0600, FSUTIL_MKDIRS | FSUTIL_NO_SYNC, err);
	log_debug("the token of '%s' was refused: marked rejected",
	    tokens_ref_name(ref));
out:
	free(hex);
	free(mark);
	free(path);
	return r;
}

int
tokens_rejected_at(const char *token_path, const struct sso_token *tok)
{
	struct idc_buf b = IDC_BUF_INIT(128);
	struct idc_err ignore = IDC_ERR_INIT;
	char *mark, *hex;
	int r = 0;

	if (tok->access_token == NULL ||
	    (mark = tokens_reject_path(token_path, &ignore)) == NULL)
		return 0;
	if (fsutil_read_file_nofollow(mark, 128, &b, &ignore) == 0) {
		hex = sha1_hex(tok->access_token, strlen(tok->access_token));
		r = strcmp(idc_buf_cstr(&b), hex) == 0;
		free(hex);
	}
	idc_buf_release(&b);
	free(mark);
	return r;
}

int
tokens_rejected(const struct sso_ref *ref, const struct sso_token *tok)
{
	struct idc_err ignore = IDC_ERR_INIT;
	char *path = tokens_token_path(ref, &ignore);
	int r = path != NULL && tokens_rejected_at(path, tok);

	free(path);
	return r;
}
