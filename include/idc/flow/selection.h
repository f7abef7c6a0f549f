/*
 * selection.h - which profile or sso-session a command acts on: the
 * sso-session named by --sso-session, else the profile (--profile,
 * AWS_PROFILE, ...) resolved from the config file, turned into the sso_ref
 * that the token cache and the sign-in flows use, the role that the role
 * credentials flow fetches, and the exact `idc login ...` that signs it in.
 *
 * Errors: those of awsconfig_load_profile / awsconfig_load_session
 * (IDC_ECONFIG with the file and what is missing), IDC_ECONFIG when the
 * config file cannot be found.
 */
#ifndef IDC_SELECTION_H
#define IDC_SELECTION_H

#include "idc/core/creds.h"
#include "idc/core/ssoref.h"

struct awsconfig_sso;
struct idc_err;

struct selection {
	struct awsconfig_sso *sso; /* what the config says */
	struct sso_ref ref;        /* points into sso */
	char *login_hint;          /* "idc login --profile dev" */
	char *config_path;
	struct rolecreds_target role; /* the profile's role */
};

/*
 * Resolve the sso-session session (when not NULL and profile is NULL),
 * else the profile named by profile (NULL: AWS_PROFILE, ..., "default";
 * see awsconfig_profile_name) into *s.  flags are awsconfig_load_profile's
 * (AWSCONFIG_NEED_ROLE when the command needs an account and role).  The
 * profile's ca_bundle is exported as AWS_CA_BUNDLE unless that is set.
 * On failure *s is left empty (selection_release is still safe).
 */
int selection_resolve(const char *profile, const char *session, unsigned flags,
    struct selection *s, struct idc_err *err);

/* Free what s holds; it is left empty.  NULL is fine. */
void selection_release(struct selection *s);

#endif
