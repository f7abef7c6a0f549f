/*
 * creds.h - the role-credential data model: temporary AWS credentials of
 * one role, and which role of which sign-in they belong to.
 *
 * Plain data shared by the cache (store/rolecache.h), the flow that
 * fetches them (flow/rolecreds.h) and the output formats (ui/credfmt.h).
 * The secret members are wiped when released.
 */
#ifndef IDC_CREDS_H
#define IDC_CREDS_H

#include <time.h>

struct sso_ref;

struct rolecreds {
	char *access_key_id;
	char *secret_access_key; /* secret */
	char *session_token;     /* secret */
	time_t expiration;       /* epoch seconds */
	char *account_id;
	char *role_name;
	char *session_name; /* the sso-session, NULL for a legacy profile */
	char *start_url;
};

/* Which role of which sign-in. */
struct rolecreds_target {
	const struct sso_ref *ref;
	const char *account_id;
	const char *role_name;
	const char *login_hint; /* "idc login --profile dev", for messages */
};

/* Free rc's members, wiping the secrets; rc is left zeroed.  NULL is
 * fine. */
void rolecreds_release(struct rolecreds *rc);

/*
 * The AWS CLI's cache-key document for one role of one sign-in, whose
 * SHA-1 names its cache file and idc's (sso-protocol.md 4.3): botocore's
 * json.dumps(sort_keys=True, separators=(",", ":")) of {"accountId": A,
 * "roleName": R, "sessionName": N}, or "startUrl": U in place of
 * "sessionName" when session_name is NULL.  Allocated.
 */
char *rolecreds_cache_key(const char *account_id, const char *role_name,
    const char *session_name, const char *start_url);

#endif
