/*
 * chaincache.c - the cache of chained role credentials under
 * $XDG_CACHE_HOME/idc/chained/ (see chaincache.h).
 */
#include "idc/store/chaincache.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/store/fsutil.h"
#include "idc/store/paths.h"

#define CHAINCACHE_DIR      "chained"
#define CHAINCACHE_MAX_FILE (64 * 1024)

char *
chaincache_path(const char *key, struct idc_err *err)
{
	return paths_idc_cache_keyed(CHAINCACHE_DIR, "", key, ".json", err);
}

char *
chaincache_lock_path(const char *key, struct idc_err *err)
{
	return paths_idc_cache_keyed("locks", "chain-", key, ".lock", err);
}

void
chaincache_entry_release(struct chaincache_entry *e)
{
	if (e == NULL)
		return;
	rolecreds_release(&e->rc);
	free(e->arn);
	e->arn = NULL;
}

/* The entry in text if it is complete and holds key's credentials. */
static int
chaincache_parse(
    const char *text, size_t len, const char *key, struct chaincache_entry *out)
{
	struct chaincache_entry e;
	const cJSON *exp, *k;
	cJSON *obj;
	int r = -1;

	memset(&e, 0, sizeof e);
	obj = json_parse_strict(text, len);
	if (!cJSON_IsObject(obj))
		goto out;
	e.rc.access_key_id = json_dup_opt_str(obj, "AccessKeyId");
	e.rc.secret_access_key = json_dup_opt_str(obj, "SecretAccessKey");
	e.rc.session_token = json_dup_opt_str(obj, "SessionToken");
	e.rc.account_id = json_dup_opt_str(obj, "AccountId");
	e.rc.role_name = json_dup_opt_str(obj, "RoleName");
	e.arn = json_dup_opt_str(obj, "Arn");
	exp = cJSON_GetObjectItemCaseSensitive(obj, "Expiration");
	k = cJSON_GetObjectItemCaseSensitive(obj, "Key");
	if (e.rc.access_key_id == NULL || e.rc.access_key_id[0] == '\0' ||
	    e.rc.secret_access_key == NULL ||
	    e.rc.secret_access_key[0] == '\0' || e.rc.session_token == NULL ||
	    e.rc.session_token[0] == '\0' || e.rc.account_id == NULL ||
	    e.rc.role_name == NULL || e.arn == NULL || !cJSON_IsString(exp) ||
	    timefmt_parse(exp->valuestring, &e.rc.expiration) == -1 ||
	    !cJSON_IsString(k) || strcmp(k->valuestring, key) != 0)
		goto out;
	*out = e;
	memset(&e, 0, sizeof e);
	r = 0;
out:
	chaincache_entry_release(&e);
	json_free_secret(obj);
	return r;
}

int
chaincache_load(const char *path, const char *key, struct chaincache_entry *out,
    int warn, struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(CHAINCACHE_MAX_FILE);
	int r = -1;

	if (fsutil_read_file_nofollow(path, CHAINCACHE_MAX_FILE, &b, err) ==
	    -1) {
		if (err != NULL && err->code != IDC_ENOTFOUND)
			idc_err_prefix(err,
			    "cannot use the cached chained credentials (remove "
			    "the file to fetch new ones): ");
		goto out;
	}
	if (chaincache_parse(idc_buf_cstr(&b), b.len, key, out) == -1) {
		if (warn)
			log_warn("the cached chained credentials in '%s' are "
				 "not usable; fetching new ones",
			    path);
		idc_err_set(err, IDC_ENOTFOUND, "'%s' is not usable", path);
		goto out;
	}
	log_secret(out->rc.secret_access_key);
	log_secret(out->rc.session_token);
	r = 0;
out:
	idc_buf_release_secret(&b);
	return r;
}

int
chaincache_save(const char *path, const char *key,
    const struct chaincache_entry *e, struct idc_err *err)
{
	cJSON *doc = cJSON_CreateObject();
	char when[32], *text;
	int r;

	timefmt_utc(e->rc.expiration, when, sizeof when);
	cJSON_AddStringToObject(doc, "AccessKeyId", e->rc.access_key_id);
	cJSON_AddStringToObject(
	    doc, "SecretAccessKey", e->rc.secret_access_key);
	cJSON_AddStringToObject(doc, "SessionToken", e->rc.session_token);
	cJSON_AddStringToObject(doc, "Expiration", when);
	cJSON_AddStringToObject(doc, "AccountId", e->rc.account_id);
	cJSON_AddStringToObject(doc, "RoleName", e->rc.role_name);
	cJSON_AddStringToObject(doc, "Arn", e->arn);
	cJSON_AddStringToObject(doc, "Key", key);
	text = json_print_python(doc, 0);
	json_free_secret(doc);
	r = fsutil_write_atomic(
	    path, text, strlen(text), 0600, FSUTIL_MKDIRS, err);
	secret_free(text);
	return r;
}

static int
chaincache_is_entry(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".json") == 0;
}

/* The key document a cache file names, or NULL when it is unreadable or
 * not an entry. */
static char *
chaincache_key_of(const char *path)
{
	struct idc_buf b = IDC_BUF_INIT(CHAINCACHE_MAX_FILE);
	struct idc_err skip = IDC_ERR_INIT;
	cJSON *obj = NULL;
	char *key = NULL;

	if (fsutil_read_file_nofollow(path, CHAINCACHE_MAX_FILE, &b, &skip) ==
	    0) {
		obj = json_parse_strict(idc_buf_cstr(&b), b.len);
		key = json_dup_opt_str(obj, "Key");
	}
	json_free_secret(obj);
	idc_buf_release_secret(&b);
	return key;
}

int
chaincache_remove_where(int (*drop)(const char *key, void *ud), void *ud,
    size_t *removed, struct idc_err *err)
{
	struct dirent **names = NULL;
	char *cache, *dir, *path, *key;
	size_t count = 0;
	int n, i, r = 0;

	if ((cache = paths_idc_cache_dir(err)) == NULL)
		return -1;
	dir = paths_join(cache, CHAINCACHE_DIR);
	free(cache);
	n = scandir(dir, &names, chaincache_is_entry, fsutil_dirent_cmp);
	if (n == -1 && errno != ENOENT && errno != ENOTDIR) {
		r = idc_err_errno(err, IDC_EIO, "cannot list '%s'", dir);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		path = paths_join(dir, names[i]->d_name);
		/* A file that names no key cannot be told apart: it goes. */
		key = r == 0 ? chaincache_key_of(path) : NULL;
		if (r == 0 && (key == NULL || drop(key, ud))) {
			if (fsutil_unlink(path, err) == -1)
				r = -1;
			else
				count++;
		}
		free(key);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	if (removed != NULL)
		*removed = count;
	return r;
}
