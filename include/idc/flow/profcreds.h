/*
 * profcreds.h - the role credentials a command hands out for its profile
 * (credential-process, export, exec, write-credentials, console): an SSO
 * profile's from rolecreds.h (the fast cached path), a chained profile's
 * (role_arn, selection.h with AWSCONFIG_ROLE_OK) from the resolver
 * (awscreds.h), which assumes the role on top of its source.
 *
 * For a chained profile, account_id and role_name are the assumed role's
 * (from its ARN) and session_name and start_url are NULL.
 *
 * Errors: those of rolecreds_get and awscreds_resolve.
 */
#ifndef IDC_PROFCREDS_H
#define IDC_PROFCREDS_H

#include "idc/core/creds.h"
#include "idc/net/awsquery.h"

struct idc_err;
struct selection;

struct profcreds_options {
	long min_ttl;
	/* Asks for an MFA code (chain.h); NULL: no one to ask. */
	int (*mfa_code)(void *ud, const char *profile, const char *serial,
	    char **code, struct idc_err *err);
	void *mfa_ud;
};

/* 1 when the selected profile assumes a role (role_arn). */
int profcreds_chained(const struct selection *sel);

int profcreds_get(const struct selection *sel,
    const struct profcreds_options *o, struct rolecreds *out,
    struct idc_err *err);

/*
 * `idc whoami`: STS GetCallerIdentity signed with the credentials that
 * botocore's chain finds for profile_flag (awscreds.h: the environment
 * unless a profile is given, chained, SSO, static, credential_process), in
 * that profile's region, else AWS_REGION, AWS_DEFAULT_REGION, us-east-1.
 * o->min_ttl may be 0 (the default).
 */
int profcreds_identity(const char *profile_flag,
    const struct profcreds_options *o, struct awsquery_identity *out,
    struct idc_err *err);

#endif
