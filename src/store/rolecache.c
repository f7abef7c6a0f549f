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
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/ssoref.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/store/fsutil.h"
#include "idc/store/ini.h"
#include "idc/store/paths.h"

#define ROLECACHE_DIR      "rolecreds"
#define ROLECACHE_MAX_FILE (64 * 1024)
#define ROLECACHE_SUFFIX   ".ini"
#define ROLECACHE_SECTION  "rolecreds"

char *
rolecache_key(const struct rolecreds_target *t)
{
	return rolecreds_cache_key(t->account_id, t->role_name,
	    t->ref->session_name, t->ref->start_url);
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
	return rolecache_file(t, ROLECACHE_DIR, "", ROLECACHE_SUFFIX, err);
}

char *
rolecache_lock_path(const struct rolecreds_target *t, struct idc_err *err)
{
	return rolecache_file(t, "locks", "role-", ".lock", err);
}

/* The members of an entry, in the order they are written. */
static const struct {
	const char *key;
	size_t off; /* of the char * in struct rolecreds */
} rolecache_fields[] = {
	{ "aws_access_key_id", offsetof(struct rolecreds, access_key_id) },
	{ "aws_secret_access_key",
	    offsetof(struct rolecreds, secret_access_key) },
	{ "aws_session_token", offsetof(struct rolecreds, session_token) },
	{ "sso_account_id", offsetof(struct rolecreds, account_id) },
	{ "sso_role_name", offsetof(struct rolecreds, role_name) },
	{ "sso_session", offsetof(struct rolecreds, session_name) },
	{ "sso_start_url", offsetof(struct rolecreds, start_url) },
};
#define ROLECACHE_NFIELDS (sizeof rolecache_fields / sizeof rolecache_fields[0])

static char **
rolecache_field(struct rolecreds *rc, size_t i)
{
	return (char **)(void *)((char *)rc + rolecache_fields[i].off);
}

static const char *
rolecache_value(const struct rolecreds *rc, size_t i)
{
	return *(char *const *)(const void *)((const char *)rc +
	    rolecache_fields[i].off);
}

/* Take one "key = value" line of the entry's section: 0, or -1 when the
 * line makes the entry corrupt (a member twice, a bad expiry). */
static int
rolecache_take(struct rolecreds *rc, const struct ini_token *t, int *have_exp)
{
	size_t i;
	char **slot;

	if (t->namelen == strlen("expiration") &&
	    strncmp(t->name, "expiration", t->namelen) == 0) {
		char when[40];

		if (*have_exp || t->valuelen >= sizeof when)
			return -1;
		memcpy(when, t->value, t->valuelen);
		when[t->valuelen] = '\0';
		*have_exp = 1;
		return timefmt_parse(when, &rc->expiration);
	}
	for (i = 0; i < ROLECACHE_NFIELDS; i++) {
		if (strlen(rolecache_fields[i].key) != t->namelen ||
		    strncmp(rolecache_fields[i].key, t->name, t->namelen) != 0)
			continue;
		slot = rolecache_field(rc, i);
		if (*slot != NULL)
			return -1;
		*slot = xstrndup(t->value, t->valuelen);
		return 0;
	}
	return 0; /* a member of a later idc: ignored */
}

int
rolecache_parse(const char *text, size_t len, struct rolecreds *out)
{
	struct rolecreds rc;
	struct ini_scanner sc;
	struct ini_token t;
	int sections = 0, have_exp = 0, bad = 0;

	memset(&rc, 0, sizeof rc);
	ini_scan_init(&sc, text, len, INI_SCAN_NODUP);
	while (!bad && ini_scan_next(&sc, &t)) {
		switch (t.kind) {
		case INI_BLANK:
		case INI_COMMENT:
			break;
		case INI_SECTION:
			bad = sections++ > 0 ||
			    t.namelen != strlen(ROLECACHE_SECTION) ||
			    strncmp(t.name, ROLECACHE_SECTION, t.namelen) != 0;
			break;
		case INI_KEY:
			bad = sections == 0 ||
			    rolecache_take(&rc, &t, &have_exp) == -1;
			break;
		default: /* continuation lines, and what is not INI */
			bad = 1;
		}
	}
	/* What botocore would refuse (bytes that are not UTF-8, a NUL) makes
	 * the entry corrupt too. */
	if (!bad && ini_scan_problem(&sc, NULL) != NULL)
		bad = 1;
	ini_scan_release(&sc);
	if (bad || !have_exp || rc.access_key_id == NULL ||
	    rc.access_key_id[0] == '\0' || rc.secret_access_key == NULL ||
	    rc.secret_access_key[0] == '\0' || rc.session_token == NULL ||
	    rc.session_token[0] == '\0' || rc.account_id == NULL ||
	    rc.role_name == NULL || rc.start_url == NULL) {
		rolecreds_release(&rc);
		return -1;
	}
	*out = rc;
	return 0;
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
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	const char *value;
	char when[32];
	size_t i;
	int r = -1;

	timefmt_utc(rc->expiration, when, sizeof when);
	idc_buf_putstr(&b,
	    "# Role credentials cached by idc; it rewrites this file.\n"
	    "[" ROLECACHE_SECTION "]\n");
	for (i = 0; i < ROLECACHE_NFIELDS; i++) {
		if ((value = rolecache_value(rc, i)) == NULL)
			continue;
		if (!ini_valid_text(value)) {
			idc_err_set(err, IDC_EFAIL,
			    "cannot cache the credentials: the value of %s is "
			    "not one line of UTF-8 without control characters "
			    "or white space at an end",
			    rolecache_fields[i].key);
			goto out;
		}
		idc_buf_putf(&b, "%s = %s\n", rolecache_fields[i].key, value);
		if (i == 2)
			idc_buf_putf(&b, "expiration = %s\n", when);
	}
	/* MKDIRS makes the directories 0700; a symbolic link at path is
	 * refused (no FSUTIL_FOLLOW_LINK). */
	r = fsutil_write_atomic(
	    path, idc_buf_cstr(&b), b.len, 0600, FSUTIL_MKDIRS, err);
out:
	idc_buf_release_secret(&b);
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

	return e->d_name[0] != '.' && n > strlen(ROLECACHE_SUFFIX) &&
	    strcmp(e->d_name + n - strlen(ROLECACHE_SUFFIX),
		ROLECACHE_SUFFIX) == 0;
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
	n = scandir(dir, &names, rolecache_is_entry, fsutil_dirent_cmp);
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

static int
rolecache_is_legacy(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".json") == 0;
}

/* Remove the JSON entries of idc 0.1, which it no longer reads: they still
 * hold secrets, and a sign-out must not leave them behind. */
static int
rolecache_remove_legacy(struct rolecache_removal *rm, struct idc_err *err)
{
	struct dirent **names = NULL;
	char *cache, *dir, *path;
	int n, i, r = 0;

	if ((cache = paths_idc_cache_dir(err)) == NULL)
		return -1;
	dir = paths_join(cache, ROLECACHE_DIR);
	free(cache);
	n = scandir(dir, &names, rolecache_is_legacy, fsutil_dirent_cmp);
	for (i = 0; i < n; i++) {
		path = paths_join(dir, names[i]->d_name);
		if (r == 0 && fsutil_unlink(path, err) == -1)
			r = -1;
		else if (r == 0)
			rm->removed++;
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return r;
}

int
rolecache_remove_for(
    const struct sso_ref *ref, size_t *removed, struct idc_err *err)
{
	struct rolecache_removal rm = { 0 };
	int r;

	r = rolecache_foreach(ref, rolecache_remove_one, &rm, err);
	if (r == 0)
		r = rolecache_remove_legacy(&rm, err);
	if (removed != NULL)
		*removed = rm.removed;
	return r;
}
