/*
 * listcache.c - the short-lived account and role listing cache under
 * $XDG_CACHE_HOME/idc/listings (see listcache.h).
 *
 * The file is JSON:
 *   {"version": 1, "session": "my-sso" | null, "startUrl": "...",
 *    "region": "us-east-1", "fetchedAt": 1700000000,
 *    "accounts": [{"accountId", "accountName"?, "emailAddress"?,
 *                  "roles"?: ["ReadOnly", ...]}, ...]}
 * "roles" is absent for an account whose roles are not known.
 */
#include "idc/store/listcache.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/core/json.h"
#include "idc/core/listing.h"
#include "idc/store/paths.h"
#include "idc/store/tokens.h"
#include "idc/core/xmalloc.h"

#define LISTCACHE_DIR     "listings"
#define LISTCACHE_VERSION 1
/* A listing of a very large organisation is still far below this. */
#define LISTCACHE_MAX (32u * 1024u * 1024u)

/* What names the sign-in: the file name hashes it, the file repeats it. */
static char *
listcache_key(const struct sso_ref *ref)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	if (ref->session_name != NULL)
		cJSON_AddStringToObject(o, "session", ref->session_name);
	else
		cJSON_AddNullToObject(o, "session");
	cJSON_AddStringToObject(o, "startUrl", ref->start_url);
	cJSON_AddStringToObject(
	    o, "region", ref->region != NULL ? ref->region : "");
	text = json_print(o);
	cJSON_Delete(o);
	return text;
}

char *
listcache_path(const struct sso_ref *ref, struct idc_err *err)
{
	char *key = listcache_key(ref), *path;

	path = paths_idc_cache_keyed(LISTCACHE_DIR, "", key, ".json", err);
	free(key);
	return path;
}

static int
listcache_same(const cJSON *v, const char *want)
{
	if (want == NULL)
		return v == NULL || cJSON_IsNull(v);
	return cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
}

/* The file's listing into out; -1 when it is not one idc wrote for ref. */
static int
listcache_parse(const struct sso_ref *ref, const char *text, size_t len,
    time_t now, long max_age, struct listing *out)
{
	const cJSON *accounts, *a, *roles, *r, *id, *name, *mail;
	struct listing_account *acct;
	cJSON *doc;
	long long version = 0, fetched = 0;
	int ok = -1;

	if ((doc = json_parse_strict(text, len)) == NULL ||
	    !cJSON_IsObject(doc))
		goto out;
	if (json_get_int(doc, "version", &version, "listing", NULL) == -1 ||
	    version != LISTCACHE_VERSION ||
	    json_get_int(doc, "fetchedAt", &fetched, "listing", NULL) == -1)
		goto out;
	if (!listcache_same(cJSON_GetObjectItemCaseSensitive(doc, "session"),
		ref->session_name) ||
	    !listcache_same(cJSON_GetObjectItemCaseSensitive(doc, "startUrl"),
		ref->start_url))
		goto out;
	/* A clock set back makes the file look new: not trusted either. */
	if (fetched > (long long)now || (long long)now - fetched >= max_age)
		goto out;
	accounts = cJSON_GetObjectItemCaseSensitive(doc, "accounts");
	if (!cJSON_IsArray(accounts))
		goto out;
	memset(out, 0, sizeof *out);
	cJSON_ArrayForEach(a, accounts) {
		id = cJSON_GetObjectItemCaseSensitive(a, "accountId");
		name = cJSON_GetObjectItemCaseSensitive(a, "accountName");
		mail = cJSON_GetObjectItemCaseSensitive(a, "emailAddress");
		if (!cJSON_IsString(id) || id->valuestring[0] == '\0')
			goto bad;
		acct = listing_add(out, id->valuestring,
		    cJSON_IsString(name) ? name->valuestring : NULL,
		    cJSON_IsString(mail) ? mail->valuestring : NULL);
		roles = cJSON_GetObjectItemCaseSensitive(a, "roles");
		if (roles == NULL)
			continue;
		if (!cJSON_IsArray(roles))
			goto bad;
		cJSON_ArrayForEach(r, roles) {
			if (!cJSON_IsString(r) || r->valuestring[0] == '\0')
				goto bad;
			listing_account_add_role(acct, r->valuestring);
		}
		acct->roles_state = LISTING_ROLES_OK;
	}
	out->fetched_at = (time_t)fetched;
	out->from_cache = 1;
	listing_sort(out);
	ok = 0;
	goto out;
bad:
	listing_release(out);
out:
	cJSON_Delete(doc);
	return ok;
}

int
listcache_load(const struct sso_ref *ref, time_t now, long max_age,
    struct listing *out, struct idc_err *err)
{
	struct idc_buf text = IDC_BUF_INIT(LISTCACHE_MAX);
	struct listing l;
	char *path;
	int r = -1;

	if ((path = listcache_path(ref, err)) == NULL)
		return -1;
	if (fsutil_read_file_nofollow(path, LISTCACHE_MAX, &text, err) == -1) {
		if (err != NULL && err->code != IDC_ENOTFOUND)
			err->code = IDC_ENOTFOUND;
		goto out;
	}
	if (listcache_parse(
		ref, idc_buf_cstr(&text), text.len, now, max_age, &l) == -1) {
		idc_err_set(
		    err, IDC_ENOTFOUND, "no fresh listing in '%s'", path);
		goto out;
	}
	*out = l;
	r = 0;
out:
	idc_buf_release(&text);
	free(path);
	return r;
}

int
listcache_save(
    const struct sso_ref *ref, const struct listing *l, struct idc_err *err)
{
	cJSON *doc = cJSON_CreateObject(), *arr, *o, *roles;
	const struct listing_account *a;
	char *path = NULL, *text = NULL;
	size_t i, j;
	int r = -1;

	cJSON_AddNumberToObject(doc, "version", LISTCACHE_VERSION);
	if (ref->session_name != NULL)
		cJSON_AddStringToObject(doc, "session", ref->session_name);
	else
		cJSON_AddNullToObject(doc, "session");
	cJSON_AddStringToObject(doc, "startUrl", ref->start_url);
	cJSON_AddStringToObject(
	    doc, "region", ref->region != NULL ? ref->region : "");
	cJSON_AddNumberToObject(doc, "fetchedAt", (double)l->fetched_at);
	arr = cJSON_AddArrayToObject(doc, "accounts");
	for (i = 0; i < l->count; i++) {
		a = &l->accounts[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "accountId", a->account_id);
		if (a->account_name != NULL)
			cJSON_AddStringToObject(
			    o, "accountName", a->account_name);
		if (a->email_address != NULL)
			cJSON_AddStringToObject(
			    o, "emailAddress", a->email_address);
		if (a->roles_state == LISTING_ROLES_OK) {
			roles = cJSON_AddArrayToObject(o, "roles");
			for (j = 0; j < a->nroles; j++)
				cJSON_AddItemToArray(
				    roles, cJSON_CreateString(a->roles[j]));
		}
		cJSON_AddItemToArray(arr, o);
	}
	text = json_print(doc);
	if ((path = listcache_path(ref, err)) == NULL)
		goto out;
	if (fsutil_write_atomic(path, text, strlen(text), 0600,
		FSUTIL_MKDIRS | FSUTIL_NO_SYNC, err) == -1)
		goto out;
	r = 0;
out:
	free(text);
	free(path);
	cJSON_Delete(doc);
	return r;
}

int
listcache_remove(const struct sso_ref *ref, struct idc_err *err)
{
	char *path;
	int r;

	if ((path = listcache_path(ref, err)) == NULL)
		return -1;
	r = fsutil_unlink(path, err);
	free(path);
	return r;
}

int
listcache_remove_all(struct idc_err *err)
{
	struct dirent *e;
	char *base, *dir, *path;
	DIR *d;
	int r = 0;

	if ((base = paths_idc_cache_dir(err)) == NULL)
		return -1;
	dir = paths_join(base, "listings");
	free(base);
	if ((d = opendir(dir)) != NULL) {
		while (r == 0 && (e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);

			if (e->d_name[0] == '.' || n < 6 ||
			    strcmp(e->d_name + n - 5, ".json") != 0)
				continue;
			path = paths_join(dir, e->d_name);
			r = fsutil_unlink(path, err);
			free(path);
		}
		closedir(d);
	}
	free(dir);
	return r;
}
