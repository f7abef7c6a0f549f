/*
 * listcache.h - the account and role listing of a sign-in, cached under
 * $XDG_CACHE_HOME/idc/listings/ for a short time, so that repeated
 * list-accounts / list-roles / populate runs and the configure wizard
 * answer at once.
 *
 * One file per sign-in: listings/<sha1 of {session, start URL, region}>.json
 * (directory 0700, file 0600, written atomically).  It holds the accounts
 * and, for each account whose roles were listed, its role names: an
 * account without roles (never asked, or failed) is asked again by the
 * next fetch while the file is fresh, so a partial listing is completed
 * instead of redone.  Only idc reads it; it holds no secret.
 *
 * Errors: IDC_ENOTFOUND (missing, stale, unreadable or for another
 * sign-in: the caller fetches), IDC_EIO, IDC_ECONFIG (no cache directory).
 */
#ifndef IDC_LISTCACHE_H
#define IDC_LISTCACHE_H

#include <time.h>

struct idc_err;
struct listing;
struct sso_ref;

/* How long a listing is used without asking again, in seconds. */
#define LISTCACHE_TTL 600

/* The cache file of ref.  Allocated. */
char *listcache_path(const struct sso_ref *ref, struct idc_err *err);

/*
 * The cached listing of ref if it was fetched less than max_age seconds
 * before now: 0 with *out filled (from_cache set; the caller releases
 * it), else -1 (IDC_ENOTFOUND when there is none worth using).
 */
int listcache_load(const struct sso_ref *ref, time_t now, long max_age,
    struct listing *out, struct idc_err *err);

/* Write l as the listing of ref (replacing any). */
int listcache_save(
    const struct sso_ref *ref, const struct listing *l, struct idc_err *err);

/* Remove the listing of ref; a missing one is fine. */
int listcache_remove(const struct sso_ref *ref, struct idc_err *err);

/* Remove every cached listing (logout --all). */
int listcache_remove_all(struct idc_err *err);

#endif
