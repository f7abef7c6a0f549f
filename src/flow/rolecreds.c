/*
 * rolecreds.c - role credentials: idc's cache of them under
 * $XDG_CACHE_HOME/idc/rolecreds/, the single-flight GetRoleCredentials
 * flow behind it, and the output shapes of credential-process and export
 * (see rolecreds.h).
 *
 * The cached path is what SDKs run thousands of times a day through
 * credential_process, so it does as little as it can: one small file read
 * and parsed, no lock, no token, no libcurl (http.c loads it only when a
 * client is created, which happens only on a fetch).
 */
#include "idc/flow/rolecreds.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "idc/net/apierror.h"
#include "idc/flow/auth.h"
#include "idc/core/buf.h"
#include "idc/net/endpoints.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/net/http.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/store/paths.h"
#include "idc/core/sha1.h"
#include "idc/net/portal.h"
#include "idc/net/apicall.h"
#include "idc/core/timefmt.h"
#include "idc/store/tokens.h"
#include "idc/core/xmalloc.h"

#define ROLECREDS_DIR      "rolecreds"
#define ROLECREDS_MAX_FILE (64 * 1024)
/* A fetch waits this long for another process's fetch: enough for its
 * token refresh and GetRoleCredentials with all their retries. */
#define ROLECREDS_LOCK_MS (120L * 1000)
/* Credentials another process cached while we waited are taken if they
 * last at least this long, even below min_ttl (a min_ttl longer than the
 * role's session must not turn N waiters into N fetches). */
#define ROLECREDS_FRESH_MIN 60

/* ---- cache files ------------------------------------------------------ */

int
rolecreds_min_ttl(const char *flag, long *out, struct idc_err *err)
{
	const char *v = flag, *what = "--min-ttl";
	char *end;
	long n;

	if (v == NULL) {
		v = getenv("IDC_MIN_TTL");
		what = "IDC_MIN_TTL";
		if (v == NULL || v[0] == '\0') {
			*out = ROLECREDS_MIN_TTL_DEFAULT;
			return 0;
		}
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || n < 0 ||
	    n > ROLECREDS_MIN_TTL_MAX)
		return idc_err_set(err, IDC_EUSAGE,
		    "%s '%s' is not a number of seconds from 0 to %d", what, v,
		    ROLECREDS_MIN_TTL_MAX);
	*out = n;
	return 0;
}

char *
rolecreds_key(const struct rolecreds_target *t)
{
	cJSON *doc = cJSON_CreateObject();
	char *text;

	/* The AWS CLI's role-credential cache key: compact, sorted. */
	cJSON_AddStringToObject(doc, "accountId", t->account_id);
	cJSON_AddStringToObject(doc, "roleName", t->role_name);
	if (t->ref->session_name != NULL)
		cJSON_AddStringToObject(
		    doc, "sessionName", t->ref->session_name);
	else
		cJSON_AddStringToObject(doc, "startUrl", t->ref->start_url);
	text = json_print(doc);
	cJSON_Delete(doc);
	return text;
}

/* <cache dir>/<sub>/<prefix><sha1 of the key><suffix>. */
static char *
rolecreds_file(const struct rolecreds_target *t, const char *sub,
    const char *prefix, const char *suffix, struct idc_err *err)
{
	char *dir, *key, *hex, *name, *path;

	if ((dir = paths_idc_cache_dir(err)) == NULL)
		return NULL;
	key = rolecreds_key(t);
	hex = sha1_hex(key, strlen(key));
	name = xasprintf("%s/%s%s%s", sub, prefix, hex, suffix);
	path = paths_join(dir, name);
	free(name);
	free(hex);
	free(key);
	free(dir);
	return path;
}

char *
rolecreds_path(const struct rolecreds_target *t, struct idc_err *err)
{
	return rolecreds_file(t, ROLECREDS_DIR, "", ".json", err);
}

void
rolecreds_release(struct rolecreds *rc)
{
	if (rc == NULL)
		return;
	free(rc->access_key_id);
	secret_free(rc->secret_access_key);
	secret_free(rc->session_token);
	free(rc->account_id);
	free(rc->role_name);
	free(rc->session_name);
	free(rc->start_url);
	memset(rc, 0, sizeof *rc);
}

/* Parse a cache file's text.  -1 when it is not a complete entry. */
static int
rolecreds_parse(const char *text, size_t len, struct rolecreds *out)
{
	struct rolecreds rc;
	const cJSON *exp;
	cJSON *obj;
	int r = -1;

	memset(&rc, 0, sizeof rc);
	obj = json_parse_strict(text, len);
	if (!cJSON_IsObject(obj))
		goto out;
	rc.access_key_id = json_dup_opt_str(obj, "AccessKeyId");
	rc.secret_access_key = json_dup_opt_str(obj, "SecretAccessKey");
	rc.session_token = json_dup_opt_str(obj, "SessionToken");
	rc.account_id = json_dup_opt_str(obj, "AccountId");
	rc.role_name = json_dup_opt_str(obj, "RoleName");
	rc.session_name = json_dup_opt_str(obj, "SessionName");
	rc.start_url = json_dup_opt_str(obj, "StartUrl");
	exp = cJSON_GetObjectItemCaseSensitive(obj, "Expiration");
	if (rc.access_key_id == NULL || rc.access_key_id[0] == '\0' ||
	    rc.secret_access_key == NULL || rc.secret_access_key[0] == '\0' ||
	    rc.session_token == NULL || rc.session_token[0] == '\0' ||
	    rc.account_id == NULL || rc.role_name == NULL ||
	    rc.start_url == NULL || !cJSON_IsString(exp) ||
	    timefmt_parse(exp->valuestring, &rc.expiration) == -1)
		goto out;
	*out = rc;
	memset(&rc, 0, sizeof rc);
	r = 0;
out:
	rolecreds_release(&rc);
	json_free_secret(obj);
	return r;
}

/* Read the cache file at path.  IDC_ENOTFOUND when missing or corrupt
 * (corrupt: with warn, a warning that the next fetch replaces it), IDC_EIO
 * when it cannot be read. */
static int
rolecreds_read(
    const char *path, struct rolecreds *out, int warn, struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(ROLECREDS_MAX_FILE);
	int r = -1;

	if (fsutil_read_file_nofollow(path, ROLECREDS_MAX_FILE, &b, err) ==
	    -1) {
		if (err != NULL && err->code != IDC_ENOTFOUND)
			idc_err_prefix(err,
			    "cannot use the cached role credentials (remove "
			    "the file to fetch new ones): ");
		goto out;
	}
	if (rolecreds_parse(idc_buf_cstr(&b), b.len, out) == -1) {
		if (warn)
			log_warn(
			    "the cached role credentials in '%s' are corrupt; "
			    "fetching new ones",
			    path);
		idc_err_set(err, IDC_ENOTFOUND, "'%s' is corrupt", path);
		goto out;
	}
	log_secret(out->secret_access_key);
	log_secret(out->session_token);
	r = 0;
out:
	idc_buf_release_secret(&b);
	return r;
}

/* Does rc belong to ref (NULL: to anyone)? */
static int
rolecreds_of(const struct rolecreds *rc, const struct sso_ref *ref)
{
	if (ref == NULL)
		return 1;
	if (ref->session_name != NULL)
		return rc->session_name != NULL &&
		    strcmp(rc->session_name, ref->session_name) == 0;
	return rc->session_name == NULL &&
	    strcmp(rc->start_url, ref->start_url) == 0;
}

/* Does rc hold the credentials of t (not a file copied or renamed)? */
static int
rolecreds_matches(const struct rolecreds *rc, const struct rolecreds_target *t)
{
	return strcmp(rc->account_id, t->account_id) == 0 &&
	    strcmp(rc->role_name, t->role_name) == 0 &&
	    rolecreds_of(rc, t->ref);
}

static int
rolecreds_load_path(const struct rolecreds_target *t, const char *path,
    struct rolecreds *out, int warn, struct idc_err *err)
{
	struct rolecreds rc;

	if (rolecreds_read(path, &rc, warn, err) == -1)
		return -1;
	if (!rolecreds_matches(&rc, t)) {
		rolecreds_release(&rc);
		if (warn)
			log_warn(
			    "'%s' holds credentials of another role; fetching new "
			    "ones",
			    path);
		return idc_err_set(err, IDC_ENOTFOUND,
		    "'%s' holds credentials of another role", path);
	}
	*out = rc;
	return 0;
}

int
rolecreds_load(const struct rolecreds_target *t, struct rolecreds *out,
    struct idc_err *err)
{
	char *path;
	int r;

	if ((path = rolecreds_path(t, err)) == NULL)
		return -1;
	r = rolecreds_load_path(t, path, out, 0, err);
	free(path);
	return r;
}

static int
rolecreds_save_path(
    const char *path, const struct rolecreds *rc, struct idc_err *err)
{
	cJSON *doc = cJSON_CreateObject();
	char when[32], *text;
	int r;

	timefmt_utc(rc->expiration, when, sizeof when);
	cJSON_AddStringToObject(doc, "AccessKeyId", rc->access_key_id);
	cJSON_AddStringToObject(doc, "SecretAccessKey", rc->secret_access_key);
	cJSON_AddStringToObject(doc, "SessionToken", rc->session_token);
	cJSON_AddStringToObject(doc, "Expiration", when);
	cJSON_AddStringToObject(doc, "AccountId", rc->account_id);
	cJSON_AddStringToObject(doc, "RoleName", rc->role_name);
	if (rc->session_name != NULL)
		cJSON_AddStringToObject(doc, "SessionName", rc->session_name);
	cJSON_AddStringToObject(doc, "StartUrl", rc->start_url);
	text = json_print_python(doc, 0);
	json_free_secret(doc);
	/* MKDIRS makes the directories 0700; a symbolic link at path is
	 * refused (no FSUTIL_FOLLOW_LINK). */
	r = fsutil_write_atomic(
	    path, text, strlen(text), 0600, FSUTIL_MKDIRS, err);
	secret_free(text);
	return r;
}

int
rolecreds_save(const struct rolecreds_target *t, const struct rolecreds *rc,
    struct idc_err *err)
{
	char *path;
	int r;

	if ((path = rolecreds_path(t, err)) == NULL)
		return -1;
	r = rolecreds_save_path(path, rc, err);
	free(path);
	return r;
}

/* ---- the flow ----------------------------------------------------------- */

/* Describe a failed GetRoleCredentials answer for a person. */
static void
rolecreds_api_error(const struct rolecreds_target *t,
    const struct api_error *apierr, struct idc_err *err)
{
	char why[IDC_ERR_MSGMAX];

	if (err == NULL)
		return;
	memcpy(why, err->msg, sizeof why);
	why[sizeof why - 1] = '\0';
	if (err->code == IDC_EAUTH)
		idc_err_set(err, IDC_EAUTH,
		    "the sign-in to '%s' has expired or is otherwise invalid "
		    "(%s); run '%s'",
		    tokens_ref_name(t->ref), why, t->login_hint);
	else if (api_error_is(apierr, "ResourceNotFoundException"))
		idc_err_set(err, IDC_EDENIED,
		    "role '%s' in account '%s' is not assigned to the "
		    "sign-in '%s' (%s)",
		    t->role_name, t->account_id, tokens_ref_name(t->ref), why);
	else if (err->code == IDC_EDENIED)
		idc_err_set(err, IDC_EDENIED,
		    "access to role '%s' in account '%s' was denied (%s)",
		    t->role_name, t->account_id, why);
	else
		idc_err_prefix(err, "role '%s' in account '%s': ", t->role_name,
		    t->account_id);
	err->http_status = apierr->status;
}

/* GetRoleCredentials with a usable token: new credentials in *out. */
static int
rolecreds_fetch(const struct rolecreds_target *t, struct rolecreds *out,
    struct idc_err *err)
{
	struct sso_token tok;
	struct api_request req = { NULL, NULL, NULL, NULL };
	struct api_error apierr;
	struct portal_credentials pc = { NULL, NULL, NULL, 0 };
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct http_client *http = NULL;
	char *base = NULL, when[32];
	int r = -1;

	memset(&tok, 0, sizeof tok);
	memset(&apierr, 0, sizeof apierr);
	if (auth_token(t->ref, t->login_hint, &tok, err) == -1)
		goto out;
	if ((base = endpoints_portal(t->ref->region, err)) == NULL)
		goto out;
	if ((http = http_client_new(NULL, err)) == NULL)
		goto out;
	portal_credentials_request(
	    tok.access_token, t->account_id, t->role_name, &req);
	if (apicall_send(http, base, "GetRoleCredentials", &req, &body, &apierr,
		err) == -1) {
		if (apierr.status != 0)
			rolecreds_api_error(t, &apierr, err);
		goto out;
	}
	if (portal_credentials_parse(body.data, body.len, &pc, err) == -1)
		goto out;
	if (pc.expiration_ms / 1000 <= (long long)time(NULL)) {
		timefmt_utc(
		    (time_t)(pc.expiration_ms / 1000), when, sizeof when);
		idc_err_set(err, IDC_ESERVER,
		    "GetRoleCredentials answered for role '%s' in account '%s' "
		    "with credentials that expired at %s; not using them",
		    t->role_name, t->account_id, when);
		goto out;
	}
	memset(out, 0, sizeof *out);
	out->access_key_id = pc.access_key_id;
	out->secret_access_key = pc.secret_access_key;
	out->session_token = pc.session_token;
	out->expiration = (time_t)(pc.expiration_ms / 1000);
	out->account_id = xstrdup(t->account_id);
	out->role_name = xstrdup(t->role_name);
	out->session_name =
	    t->ref->session_name != NULL ? xstrdup(t->ref->session_name) : NULL;
	out->start_url = xstrdup(t->ref->start_url);
	memset(&pc, 0, sizeof pc);
	log_debug("fetched credentials for role '%s' in account '%s'",
	    t->role_name, t->account_id);
	r = 0;
out:
	portal_credentials_release(&pc);
	idc_buf_release_secret(&body);
	api_error_release(&apierr);
	api_request_release(&req);
	http_client_free(http);
	free(base);
	sso_token_release(&tok);
	return r;
}

/*
 * The cached credentials of t if usable: 1 with *out set, 0 when there
 * are none or they run out too soon (*seen set to their expiry, or 0),
 * -1 on an error.  seen_before (not 0): the expiry seen before waiting
 * for the lock; other credentials are fresh from another process.
 */
static int
rolecreds_usable(const struct rolecreds_target *t, const char *path,
    long min_ttl, time_t seen_before, struct rolecreds *out, time_t *seen,
    struct idc_err *err)
{
	struct rolecreds rc;
	struct idc_err why = IDC_ERR_INIT;
	time_t now = time(NULL);
	long left;

	*seen = 0;
	/* Warn about a broken file once, before the lock, not again after. */
	if (rolecreds_load_path(t, path, &rc, seen_before == 0, &why) == -1) {
		if (why.code == IDC_ENOTFOUND)
			return 0;
		if (err != NULL)
			*err = why;
		return -1;
	}
	left = (long)(rc.expiration - now);
	if (left > min_ttl ||
	    (seen_before != 0 && rc.expiration != seen_before &&
		left > ROLECREDS_FRESH_MIN)) {
		*out = rc;
		return 1;
	}
	log_debug("cached credentials for role '%s' in account '%s' end in "
		  "%ld s: fetching new ones",
	    t->role_name, t->account_id, left);
	*seen = rc.expiration;
	rolecreds_release(&rc);
	return 0;
}

int
rolecreds_get(const struct rolecreds_target *t, long min_ttl,
    struct rolecreds *out, int *fetched, struct idc_err *err)
{
	struct fsutil_lock lock = FSUTIL_LOCK_INIT;
	struct rolecreds rc;
	struct idc_err why = IDC_ERR_INIT;
	char *path = NULL, *lockpath = NULL, *what = NULL;
	time_t seen = 0, seen2 = 0;
	int r = -1, u;

	memset(&rc, 0, sizeof rc);
	if (t->account_id == NULL || t->role_name == NULL)
		return idc_err_set(err, IDC_ECONFIG,
		    "no account and role to get credentials for: use a "
		    "profile with sso_account_id and sso_role_name "
		    "(--profile)");
	/* Signed out (by idc, or by `aws sso logout`, which removes the
	 * token): cached credentials of that sign-in are not handed out. */
	if (!tokens_exist(t->ref)) {
		idc_err_set(err, IDC_EAUTH, "not signed in to '%s'; run '%s'",
		    tokens_ref_name(t->ref), t->login_hint);
		goto out;
	}
	if ((path = rolecreds_path(t, err)) == NULL)
		goto out;
	if ((u = rolecreds_usable(t, path, min_ttl, 0, out, &seen, err)) != 0) {
		r = u == 1 ? 0 : -1;
		if (r == 0 && fetched != NULL)
			*fetched = 0;
		goto out;
	}

	/* Single flight: one fetch per role at a time; whoever waited
	 * looks again first. */
	if ((lockpath = rolecreds_file(t, "locks", "role-", ".lock", err)) ==
	    NULL)
		goto out;
	what = xasprintf("another idc fetching credentials for role '%s' in "
			 "account '%s'",
	    t->role_name, t->account_id);
	if (fsutil_lock_acquire(
		&lock, lockpath, ROLECREDS_LOCK_MS, what, err) == -1)
		goto out;
	u = rolecreds_usable(
	    t, path, min_ttl, seen != 0 ? seen : (time_t)-1, out, &seen2, err);
	if (u != 0) {
		r = u == 1 ? 0 : -1;
		if (r == 0 && fetched != NULL)
			*fetched = 0;
		goto out;
	}
	if (rolecreds_fetch(t, &rc, err) == -1)
		goto out;
	if ((long)(rc.expiration - time(NULL)) <= min_ttl)
		log_warn(
		    "credentials for role '%s' last less than the minimum "
		    "of %ld s left (--min-ttl, IDC_MIN_TTL): every call will "
		    "fetch new ones",
		    t->role_name, min_ttl);
	if (rolecreds_save_path(path, &rc, &why) == -1)
		log_warn("the credentials could not be cached: %s", why.msg);
	*out = rc;
	memset(&rc, 0, sizeof rc);
	if (fetched != NULL)
		*fetched = 1;
	r = 0;
out:
	fsutil_lock_release(&lock);
	rolecreds_release(&rc);
	free(what);
	free(lockpath);
	free(path);
	return r;
}

/* ---- listing and removal -------------------------------------------- */

static int
rolecreds_is_entry(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".json") == 0;
}

static int
rolecreds_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
rolecreds_foreach(const struct sso_ref *ref,
    int (*fn)(const char *path, const struct rolecreds *rc, void *ud,
	struct idc_err *err),
    void *ud, struct idc_err *err)
{
	struct dirent **names = NULL;
	struct rolecreds rc;
	struct idc_err skip = IDC_ERR_INIT;
	char *cache, *dir, *path;
	int n, i, r = 0;

	if ((cache = paths_idc_cache_dir(err)) == NULL)
		return -1;
	dir = paths_join(cache, ROLECREDS_DIR);
	free(cache);
	n = scandir(dir, &names, rolecreds_is_entry, rolecreds_name_cmp);
	if (n == -1 && errno != ENOENT && errno != ENOTDIR) {
		r = idc_err_errno(err, IDC_EIO, "cannot list '%s'", dir);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		path = paths_join(dir, names[i]->d_name);
		if (r == 0 && rolecreds_read(path, &rc, 0, &skip) == 0) {
			if (rolecreds_of(&rc, ref))
				r = fn(path, &rc, ud, err);
			rolecreds_release(&rc);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return r;
}

struct rolecreds_removal {
	size_t removed;
};

static int
rolecreds_remove_one(
    const char *path, const struct rolecreds *rc, void *ud, struct idc_err *err)
{
	struct rolecreds_removal *rm = ud;

	(void)rc;
	if (fsutil_unlink(path, err) == -1)
		return -1;
	rm->removed++;
	return 0;
}

int
rolecreds_remove_for(
    const struct sso_ref *ref, size_t *removed, struct idc_err *err)
{
	struct rolecreds_removal rm = { 0 };
	int r;

	r = rolecreds_foreach(ref, rolecreds_remove_one, &rm, err);
	if (removed != NULL)
		*removed = rm.removed;
	return r;
}

/* ---- output shapes ------------------------------------------------------ */

static const struct {
	const char *name;
	enum rolecreds_format fmt;
} rolecreds_formats[] = {
	{ "process", ROLECREDS_FMT_PROCESS },
	{ "env", ROLECREDS_FMT_ENV },
	{ "env-no-export", ROLECREDS_FMT_ENV_NO_EXPORT },
	{ "fish", ROLECREDS_FMT_FISH },
	{ "powershell", ROLECREDS_FMT_POWERSHELL },
	{ "windows-cmd", ROLECREDS_FMT_WINDOWS_CMD },
	{ "json", ROLECREDS_FMT_JSON },
};

int
rolecreds_format_parse(const char *name, enum rolecreds_format *out)
{
	size_t i;

	for (i = 0; i < sizeof rolecreds_formats / sizeof rolecreds_formats[0];
	     i++)
		if (strcmp(name, rolecreds_formats[i].name) == 0) {
			*out = rolecreds_formats[i].fmt;
			return 0;
		}
	return -1;
}

const char *
rolecreds_format_names(void)
{
	return "env, env-no-export, fish, powershell, windows-cmd, json or "
	       "process";
}

/* Characters of real credentials and timestamps: base64, the key id
 * alphabet, and what ISO times use.  Safe unquoted in every shell here
 * except '%' for cmd.exe. */
static int
rolecreds_plain(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || strchr("+/=-_.:,@%", *s)))
			return 0;
	return 1;
}

/* A POSIX shell word: as is when plain, else in single quotes.  Returns
 * -1 when b is full (as do the other *_value functions). */
static int
rolecreds_sh_value(struct idc_buf *b, const char *v)
{
	int bad = 0;

	if (rolecreds_plain(v))
		return idc_buf_addstr(b, v);
	bad |= idc_buf_addch(b, '\'');
	for (; *v != '\0'; v++)
		if (*v == '\'')
			bad |= idc_buf_addstr(b, "'\\''");
		else
			bad |= idc_buf_addch(b, *v);
	bad |= idc_buf_addch(b, '\'');
	return bad ? -1 : 0;
}

/* fish: always in double quotes (the AWS CLI's shape), with the three
 * characters that are special there escaped. */
static int
rolecreds_fish_value(struct idc_buf *b, const char *v)
{
	int bad = 0;

	bad |= idc_buf_addch(b, '"');
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"' || *v == '$')
			bad |= idc_buf_addch(b, '\\');
		bad |= idc_buf_addch(b, *v);
	}
	bad |= idc_buf_addch(b, '"');
	return bad ? -1 : 0;
}

/* Is p one of PowerShell's single-quote characters: ' or U+2018..U+201B
 * (E2 80 98..9B in UTF-8)?  Returns its length in bytes, or 0. */
static size_t
rolecreds_ps_quote_at(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (*u == '\'')
		return 1;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9b)
		return 3;
	return 0;
}

/* PowerShell: "..." when plain (the AWS CLI's shape), else '...' with
 * every single-quote character doubled (nothing else is special there). */
static int
rolecreds_ps_value(struct idc_buf *b, const char *v)
{
	size_t n;
	int bad = 0;

	if (rolecreds_plain(v))
		return idc_buf_addf(b, "\"%s\"", v);
	bad |= idc_buf_addch(b, '\'');
	while (*v != '\0') {
		if ((n = rolecreds_ps_quote_at(v)) > 0) {
			bad |= idc_buf_add(b, v, n);
			bad |= idc_buf_add(b, v, n);
			v += n;
		} else {
			bad |= idc_buf_addch(b, *v++);
		}
	}
	bad |= idc_buf_addch(b, '\'');
	return bad ? -1 : 0;
}

/* cmd.exe: carets before its operators; what cannot be escaped on both
 * the command line and in a batch file is refused. */
static int
rolecreds_cmd_value(
    struct idc_buf *b, const char *name, const char *v, struct idc_err *err)
{
	const char *p;
	int bad = 0;

	for (p = v; *p != '\0'; p++)
		if (*p == '%' || *p == '!' || *p == '"' ||
		    (unsigned char)*p < 0x20 || *p == 0x7f)
			return idc_err_set(err, IDC_EFAIL,
			    "the value of %s holds a character that cmd.exe "
			    "cannot take safely; use another --format",
			    name);
	for (; *v != '\0'; v++) {
		if (strchr("^&|<>()", *v) != NULL)
			bad |= idc_buf_addch(b, '^');
		bad |= idc_buf_addch(b, *v);
	}
	if (bad)
		return idc_err_set(
		    err, IDC_EFAIL, "the credentials are too long");
	return 0;
}

static int
rolecreds_json(const struct rolecreds *rc, enum rolecreds_format fmt,
    struct idc_buf *out, struct idc_err *err)
{
	cJSON *doc = cJSON_CreateObject();
	char when[32], *text;
	int r;

	if (fmt == ROLECREDS_FMT_PROCESS) {
		/* botocore's ProcessProvider requires the integer 1. */
		cJSON_AddNumberToObject(doc, "Version", 1);
		timefmt_utc_offset(rc->expiration, when, sizeof when);
	} else {
		timefmt_utc(rc->expiration, when, sizeof when);
	}
	cJSON_AddStringToObject(doc, "AccessKeyId", rc->access_key_id);
	cJSON_AddStringToObject(doc, "SecretAccessKey", rc->secret_access_key);
	cJSON_AddStringToObject(doc, "SessionToken", rc->session_token);
	cJSON_AddStringToObject(doc, "Expiration", when);
	if (fmt == ROLECREDS_FMT_JSON) {
		cJSON_AddStringToObject(doc, "AccountId", rc->account_id);
		cJSON_AddStringToObject(doc, "RoleName", rc->role_name);
	}
	text = json_print_indented(doc);
	json_free_secret(doc);
	r = idc_buf_add_err(out, text, strlen(text), err);
	secret_free(text);
	return r;
}

int
rolecreds_format(const struct rolecreds *rc, enum rolecreds_format fmt,
    struct idc_buf *out, struct idc_err *err)
{
	char when[32];
	const char *names[4] = { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION" };
	const char *values[4];
	size_t i;
	int bad = 0;

	if (fmt == ROLECREDS_FMT_PROCESS || fmt == ROLECREDS_FMT_JSON)
		return rolecreds_json(rc, fmt, out, err);
	timefmt_utc_offset(rc->expiration, when, sizeof when);
	values[0] = rc->access_key_id;
	values[1] = rc->secret_access_key;
	values[2] = rc->session_token;
	values[3] = when;
	for (i = 0; i < 4; i++) {
		switch (fmt) {
		case ROLECREDS_FMT_ENV:
		case ROLECREDS_FMT_ENV_NO_EXPORT:
			bad |= idc_buf_addf(out,
			    "%s%s=", fmt == ROLECREDS_FMT_ENV ? "export " : "",
			    names[i]);
			bad |= rolecreds_sh_value(out, values[i]);
			break;
		case ROLECREDS_FMT_FISH:
			bad |= idc_buf_addf(out, "set -gx %s ", names[i]);
			bad |= rolecreds_fish_value(out, values[i]);
			break;
		case ROLECREDS_FMT_POWERSHELL:
			bad |= idc_buf_addf(out, "$Env:%s=", names[i]);
			bad |= rolecreds_ps_value(out, values[i]);
			break;
		case ROLECREDS_FMT_WINDOWS_CMD:
			bad |= idc_buf_addf(out, "set %s=", names[i]);
			if (rolecreds_cmd_value(
				out, names[i], values[i], err) == -1)
				return -1;
			break;
		default:
			break;
		}
		bad |= idc_buf_addch(out, '\n');
	}
	if (bad)
		return idc_err_set(
		    err, IDC_EFAIL, "the credentials are too long");
	return 0;
}
