/*
 * awscreds.h - the AWS credentials that sign a request (SigV4) for a
 * profile, found as botocore's default chain finds them:
 *
 *   1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 *      AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN), unless --profile was
 *      given (botocore: an explicit profile negates the environment);
 *   2. role chaining: role_arn with source_profile or credential_source
 *      (the source resolved by this same chain, a cycle refused), then
 *      one AssumeRole hop, cached (flow/chain.h);
 *   3. an SSO profile (sso_session or sso_start_url): its role
 *      credentials from idc's cache, or GetRoleCredentials with the cached
 *      sign-in (rolecreds_get): never a second sign-in;
 *   4. static keys in the credentials file;
 *   5. credential_process, run without a shell (its words split as
 *      shlex.split does), its JSON read as botocore reads it;
 *   6. static keys in the config file.
 *
 * The profile keys are read by store/awsconfig.c; this flow only decides.
 * Secrets are registered with log_secret and wiped on release.
 *
 * Errors: IDC_ECONFIG (no credentials anywhere, half a key pair, a bad
 * credential_process, a chaining cycle), IDC_EAUTH (the SSO sign-in is
 * needed: the message ends with the login command; an MFA code cannot be
 * asked), and those of rolecreds_get and chain_assume_role.
 */
#ifndef IDC_AWSCREDS_H
#define IDC_AWSCREDS_H

#include <time.h>

struct awsconfig_creds;
struct idc_err;

enum awscreds_source {
	AWSCREDS_ENV = 0,
	AWSCREDS_ROLE,        /* an assumed role (chaining) */
	AWSCREDS_SSO,         /* IAM Identity Center role credentials */
	AWSCREDS_SHARED_FILE, /* static keys in ~/.aws/credentials */
	AWSCREDS_PROCESS,     /* credential_process */
	AWSCREDS_CONFIG_FILE, /* static keys in ~/.aws/config */
};

struct awscreds {
	char *access_key_id;
	char *secret_access_key; /* secret */
	char *session_token;     /* secret, or NULL */
	time_t expiration;       /* 0: does not expire */
	enum awscreds_source source;
	char *profile; /* the profile they were resolved for, or NULL (env) */
	char *region;  /* that profile's region setting, or NULL */
	char *account_id; /* AWSCREDS_ROLE: the assumed role's account */
	char *role_name;  /* AWSCREDS_ROLE: the assumed role's name */
};

/* How the chain is asked. */
struct awscreds_query {
	const char *profile_flag; /* --profile, or NULL */
	long min_ttl;             /* SSO and chained: reuse while more than
				     this many seconds remain; 0: default */
	/* Asks for an MFA code (mfa_serial); NULL when no one can be asked
	 * (chain.h). */
	int (*mfa_code)(void *ud, const char *profile, const char *serial,
	    char **code, struct idc_err *err);
	void *mfa_ud;
};

/* Resolve the credentials into *out (released with awscreds_release). */
int awscreds_resolve(
    const struct awscreds_query *q, struct awscreds *out, struct idc_err *err);

void awscreds_release(struct awscreds *c);

/* "environment", "assumed role", "iam identity center", ... */
const char *awscreds_source_name(enum awscreds_source s);

#endif
