/*
 * logout.h - signing out: the Logout API (errors ignored, as the AWS CLI
 * ignores them), then every trace of the sign-in removed: the token from
 * the shared cache, the role credentials and listings idc cached for it,
 * and the AWS CLI's cached role credentials of the profiles that use it
 * (or `aws` would stay signed in), and the static credentials that
 * `idc write-credentials` wrote from it into the shared credentials file
 * (only those).  Chained role credentials (role_arn profiles) whose source
 * is an IAM Identity Center role or another assumed role go too: the cache
 * key does not say which sign-in a chain starts from, so a sign-out takes
 * all of those (each is fetched again with one AssumeRole), and keeps the
 * chains from keys, the environment or a credential_process.  Client
 * registrations are kept.
 *
 * Errors: IDC_EIO when a file cannot be removed, IDC_ECONFIG when a cache
 * directory or the config file cannot be found or read.
 */
#ifndef IDC_LOGOUT_H
#define IDC_LOGOUT_H

struct idc_err;
struct sso_ref;

/*
 * Sign out of ref, whose profiles are in the config file at config_path.
 * *signed_in is set to 1 when a token was found (and the server told),
 * else 0.  A corrupt or incomplete token file is removed too.
 * *creds_removed counts the credentials-file sections removed.
 */
int logout_one(const struct sso_ref *ref, const char *config_path,
    int *signed_in, int *creds_removed, struct idc_err *err);

/* Sign out of every sign-in in the shared cache, and remove every role
 * credential and listing idc cached and every SSO entry of the AWS CLI's
 * cache.  *count is set to the number of tokens found. */
int logout_all(int *count, int *creds_removed, struct idc_err *err);

#endif
