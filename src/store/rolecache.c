/*
 * rolecache.c - the role-credential cache under $XDG_CACHE_HOME/idc/
 * rolecreds/ (see rolecache.h).
 *
 * The cached path of credential-process reads one of these files per
 * call, so reading is one small file, parsed, with no lock.
 */
#include "idc/store/rolecache.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/ssoref.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/store/fsutil.h"
#include "idc/store/paths.h"

#define ROLECACHE_DIR      "rolecreds"
#define ROLECACHE_MAX_FILE (64 * 1024)

char *
rolecache_key(const struct rolecreds_target *t)
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
rolecache_file(const struct rolecreds_target *t, const char *sub,
    const char *prefix, const char *suffix, struct idc_err *err)
{
	char *key = rolecache_key(t), *path;

	path = paths_idc_cache_keyed(sub, prefix, key, suffix, err);
	free(key);
	return path;
}

char *
rolecache_path(const struct rolecreds_target *t, struct idc_err *err)
{
	return rolecache_file(t, ROLECACHE_DIR, "", ".json", err);
}

char *
rolecache_lock_path(const struct rolecreds_target *t, struct idc_err *err)
{
	return rolecache_file(t, "locks", "role-", ".lock", err);
}

int
rolecache_parse(const char *text, size_t len, struct rolecreds *out)
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
rolecache_read(
    const char *path, struct rolecreds *out, int warn, struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(ROLECACHE_MAX_FILE);
	int r = -1;

	if (fsutil_read_file_nofollow(path, ROLECACHE_MAX_FILE, &b, err) ==
	    -1) {
		if (err != NULL && err->code != IDC_ENOTFOUND)
			idc_err_prefix(err,
			    "cannot use the cached role credentials (remove "
			    "the file to fetch new ones): ");
		goto out;
	}
	if (rolecache_parse(idc_buf_cstr(&b), b.len, out) == -1) {
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
rolecache_of(const struct rolecreds *rc, const struct sso_ref *ref)
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
rolecache_matches(const struct rolecreds *rc, const struct rolecreds_target *t)
{
	return strcmp(rc->account_id, t->account_id) == 0 &&
	    strcmp(rc->role_name, t->role_name) == 0 &&
	    rolecache_of(rc, t->ref);
}

int
rolecache_load_path(const struct rolecreds_target *t, const char *path,
    struct rolecreds *out, int warn, struct idc_err *err)
{
	struct rolecreds rc;

	if (rolecache_read(path, &rc, warn, err) == -1)
		return -1;
	if (!rolecache_matches(&rc, t)) {
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
rolecache_load(const struct rolecreds_target *t, struct rolecreds *out,
    struct idc_err *err)
{
	char *path;
	int r;

	if ((path = rolecache_path(t, err)) == NULL)
		return -1;
	r = rolecache_load_path(t, path, out, 0, err);
	free(path);
	return r;
}

int
rolecache_save_path(
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
rolecache_save(const struct rolecreds_target *t, const struct rolecreds *rc,
    struct idc_err *err)
{
	char *path;
	int r;

	if ((path = rolecache_path(t, err)) == NULL)
		return -1;
	r = rolecache_save_path(path, rc, err);
	free(path);
	return r;
}

static int
rolecache_is_entry(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".json") == 0;
}

static int
rolecache_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
rolecache_foreach(const struct sso_ref *ref,
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
	dir = paths_join(cache, ROLECACHE_DIR);
	free(cache);
	n = scandir(dir, &names, rolecache_is_entry, rolecache_name_cmp);
	if (n == -1 && errno != ENOENT && errno != ENOTDIR) {
		r = idc_err_errno(err, IDC_EIO, "cannot list '%s'", dir);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		path = paths_join(dir, names[i]->d_name);
		if (r == 0 && rolecache_read(path, &rc, 0, &skip) == 0) {
			if (rolecache_of(&rc, ref))
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

struct rolecache_removal {
	size_t removed;
};

static int
rolecache_remove_one(
    const char *path, const struct rolecreds *rc, void *ud, struct idc_err *err)
{
	struct rolecache_removal *rm = ud;

	(void)rc;
	if (fsutil_unlink(path, err) == -1)
		return -1;
	rm->removed++;
	return 0;
}

int
rolecache_remove_for(
    const struct sso_ref *ref, size_t *removed, struct idc_err *err)
{
	struct rolecache_removal rm = { 0 };
	int r;

	r = rolecache_foreach(ref, rolecache_remove_one, &rm, err);
	if (removed != NULL)
		*removed = rm.removed;
	return r;
}
