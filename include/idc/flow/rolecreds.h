/*
 * rolecreds.h - usable role credentials for a profile: from idc's cache
 * (store/rolecache.h) while they last, else from GetRoleCredentials with a
 * token from the sign-in flow (flow/auth.h).
 *
 * Reuse: cached credentials are used while more than min_ttl seconds
 * remain (ROLECREDS_MIN_TTL_DEFAULT, 15 minutes, as the AWS CLI), else
 * fetched again.  The cached path reads the config and one small file:
 * it never reads the SSO token and never loads libcurl.
 *
 * Single flight: a fetch holds a lock per (sign-in, account, role)
 * ($XDG_CACHE_HOME/idc/locks/role-<sha1>.lock) and reads the cache again
 * once it has it, so N processes that find the cache empty or stale at
 * the same moment make exactly one GetRoleCredentials call; the others
 * wait and use its result.
 *
 * Secrets (the secret key and the session token) are registered with
 * log_secret and wiped when released.
 *
 * Errors: IDC_EAUTH (sign-in needed; the message ends with the login
 * command), IDC_EDENIED (no access to the role, or it does not exist),
 * IDC_ENET / IDC_ETLS / IDC_ESERVER (the portal), IDC_EIO (the cache
 * file or directory), IDC_ETIMEOUT (another idc held the lock too long),
 * IDC_EINTR, IDC_ECONFIG (no account or role, an invalid region).
 */
#ifndef IDC_ROLECREDS_H
#define IDC_ROLECREDS_H

#include <time.h>

#include "idc/core/creds.h"

struct idc_err;

/* Reuse cached credentials while more than this many seconds remain. */
#define ROLECREDS_MIN_TTL_DEFAULT (15 * 60)
/* The longest min_ttl accepted: the longest role session (12 hours). */
#define ROLECREDS_MIN_TTL_MAX (12 * 60 * 60)
/* A fetch waits this long for another process's fetch: enough for its
 * token refresh and GetRoleCredentials with all their retries. */
#define ROLECREDS_LOCK_MS (120L * 1000)

/*
 * The reuse rule (also chained credentials', chain.h): credentials that
 * end at expiration are handed out while more than min_ttl seconds
 * remain; after waiting for another process's fetch (seen_before: the
 * expiry seen before the wait, not 0), credentials it cached meanwhile
 * are taken if they last a minute, even below min_ttl.
 */
int rolecreds_reusable(time_t expiration, long min_ttl, time_t seen_before);

/*
 * The min_ttl to use: flag (--min-ttl SECONDS) if not NULL, else the
 * environment variable IDC_MIN_TTL if set and not empty, else
 * ROLECREDS_MIN_TTL_DEFAULT.  A value that is not a whole number of
 * seconds from 0 to ROLECREDS_MIN_TTL_MAX fails with IDC_EUSAGE.
 */
int rolecreds_min_ttl(const char *flag, long *out, struct idc_err *err);

/*
 * Usable credentials for t: the cached ones while more than min_ttl
 * seconds remain, else new ones from GetRoleCredentials (with a token from
 * auth_token, which refreshes it if needed), cached before they are
 * returned.  Fresh credentials are returned even if they last less than
 * min_ttl.  *fetched (may be NULL) is set to 1 when a request was made.
 * Nothing is written when the fetch fails.
 */
int rolecreds_get(const struct rolecreds_target *t, long min_ttl,
    struct rolecreds *out, int *fetched, struct idc_err *err);

#endif
