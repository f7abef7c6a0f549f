/*
 * rolecache.h - idc's cache of role credentials:
 * $XDG_CACHE_HOME/idc/rolecreds/<sha1>.ini, one file per (sign-in,
 * account, role).  The sha1 is taken of the AWS CLI's own cache-key
 * document (rolecreds_cache_key in creds.h), so one sign-in, account and
 * role always land in the same file.  A file is written in the shared
 * credentials file's own INI layout, so that the cached path reads it with
 * ini.h's scanner and never loads cJSON:
 *
 *   # Role credentials cached by idc; it rewrites this file.
 *   [rolecreds]
 *   aws_access_key_id = ASIA...
 *   aws_secret_access_key = ...
 *   aws_session_token = ...
 *   expiration = 2026-11-27T19:13:22Z
 *   sso_account_id = 111111111111
 *   sso_role_name = ReadOnly
 *   sso_session = my-sso
 *   sso_start_url = https://...
 *
 * ("sso_session" is absent for a legacy profile), mode 0600, written
 * atomically (temporary file, fsync, rename), never through a symbolic
 * link.  A file that is not such an entry (a second section, a member
 * twice, a continuation line, a bad expiry, a member missing), or that
 * names another account or role, is a miss and is replaced by the next
 * fetch; members it does not know are ignored.  A file that cannot be
 * read (permissions, a symbolic link, a directory) is an error, because
 * idc cannot tell what is wrong with it and will not silently bypass it.
 * A value that would not read back as written (a line break, a control
 * character, white space at an end) is refused when saving.  The
 * <sha1>.json entries of idc 0.1 are no longer read; rolecache_remove_for
 * removes them.
 *
 * Only this module reads or writes that directory.  Secrets read from it
 * are registered with log_secret.
 *
 * Errors: IDC_ENOTFOUND (no usable entry), IDC_EIO (the file or directory),
 * IDC_ECONFIG (the cache directory cannot be found), IDC_EFAIL (a value
 * that cannot be saved).
 */
#ifndef IDC_ROLECACHE_H
#define IDC_ROLECACHE_H

#include <stddef.h>

#include "idc/core/creds.h"

struct idc_err;
struct sso_ref;

/* The cache-key document of t (allocated): rolecreds_cache_key. */
char *rolecache_key(const struct rolecreds_target *t);

/* The cache file of t (allocated), or NULL with err set (IDC_ECONFIG when
 * the cache directory cannot be found). */
char *rolecache_path(const struct rolecreds_target *t, struct idc_err *err);

/* The lock file that serialises fetches of t's credentials
 * ($XDG_CACHE_HOME/idc/locks/role-<sha1>.lock).  Allocated. */
char *rolecache_lock_path(
    const struct rolecreds_target *t, struct idc_err *err);

/*
 * The cached credentials of t, whatever their expiry.  IDC_ENOTFOUND when
 * there are none (a corrupt file counts as none); IDC_EIO when the file
 * cannot be read.  *out is set only on success (rolecreds_release).
 */
/* Parse a cache file's text (no I/O; fuzzed): 0 with *out set, -1 when it
 * is not a complete entry.  The values are taken as they are: what was
 * fetched passed portal.h's rules, and every output quotes or refuses
 * what a hand-edited file could hold (credfmt.h, ini.h). */
int rolecache_parse(const char *text, size_t len, struct rolecreds *out);

int rolecache_load(const struct rolecreds_target *t, struct rolecreds *out,
    struct idc_err *err);

/* As rolecache_load from path (rolecache_path of t).  With warn, a corrupt
 * file or one of another role gets a warning that it will be replaced. */
int rolecache_load_path(const struct rolecreds_target *t, const char *path,
    struct rolecreds *out, int warn, struct idc_err *err);

/* Write rc as the cached credentials of t (creating the directories). */
int rolecache_save(const struct rolecreds_target *t, const struct rolecreds *rc,
    struct idc_err *err);

/* As rolecache_save to path. */
int rolecache_save_path(
    const char *path, const struct rolecreds *rc, struct idc_err *err);

/*
 * Call fn for every cached credential file that belongs to ref (its
 * session, or for a legacy ref its start URL with no session), or for
 * every one when ref is NULL, in file-name order, with its path and
 * contents.  Unreadable and corrupt files are skipped.  fn returns 0 to go
 * on, -1 to stop (its error passes through).  A missing directory is no
 * error.
 */
int rolecache_foreach(const struct sso_ref *ref,
    int (*fn)(const char *path, const struct rolecreds *rc, void *ud,
	struct idc_err *err),
    void *ud, struct idc_err *err);

/*
 * Remove every cached credential file of ref (as rolecache_foreach selects
 * them; NULL: all), and every idc 0.1 JSON entry.  *removed (may be NULL)
 * counts the files removed.
 */
int rolecache_remove_for(
    const struct sso_ref *ref, size_t *removed, struct idc_err *err);

#endif
