/*
 * clicache.h - the AWS CLI's own cache of role credentials,
 * ~/.aws/cli/cache/<sha1>.json (sso-protocol.md 4.3).
 *
 * idc never reads credentials from it; it only removes entries, so that
 * signing out with idc signs the AWS CLI out as `aws sso logout` does: the
 * AWS CLI would otherwise keep handing out role credentials it cached
 * before the sign-out.  Only files whose "ProviderType" is "sso" are ever
 * removed.  Errors: IDC_EIO (a file that exists cannot be removed),
 * IDC_ECONFIG (HOME cannot be found).
 */
#ifndef IDC_CLICACHE_H
#define IDC_CLICACHE_H

struct idc_err;

/* Remove the entry of one role of one sign-in: session is the sso-session
 * name, or NULL for a legacy profile, whose start_url then keys it. */
int clicache_remove_role(const char *session, const char *start_url,
    const char *account_id, const char *role_name, struct idc_err *err);

/* Remove every SSO entry (as `aws sso logout`).  *count (may be NULL)
 * tells how many went. */
int clicache_remove_all_sso(int *count, struct idc_err *err);

#endif
