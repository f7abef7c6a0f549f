/*
 * target.h - which sign-in a command is about: the sso-session named by
 * --sso-session, else the profile (--profile, AWS_PROFILE, ...) resolved
 * from the config file, turned into the sso_ref that tokens.c and auth.c
 * use, with the exact `idc login ...` that signs it in.
 *
 * Errors: those of awsconfig_load_profile / awsconfig_load_session
 * (IDC_ECONFIG with the file and what is missing).
 */
#ifndef IDC_TARGET_H
#define IDC_TARGET_H

#include "idc/flow/rolecreds.h"
#include "idc/store/tokens.h"

struct awsconfig_sso;
struct idc_ctx;
struct idc_err;

struct target {
	struct awsconfig_sso *sso; /* what the config says */
	struct sso_ref ref;        /* points into sso */
	char *login_hint;          /* "idc login --profile dev" */
	char *config_path;
	struct rolecreds_target role; /* the profile's role (rolecreds.h) */
};

/* flags: AWSCONFIG_NEED_ROLE when the command needs an account and role. */
int target_resolve(const struct idc_ctx *ctx, unsigned flags, struct target *t,
    struct idc_err *err);

/* The same for a profile named by the caller (implicit: the name was the
 * fallback "default"), as the credential resolver needs. */
int target_resolve_profile(const char *profile, int implicit, unsigned flags,
    struct target *t, struct idc_err *err);

void target_release(struct target *t);

#endif
