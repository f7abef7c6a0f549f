/*
 * chain.h - role chaining: one AssumeRole hop of a profile with role_arn,
 * signed with the credentials of its source (which awscreds.c resolves:
 * source_profile, SSO, static, chained, or credential_source =
 * Environment), cached and single-flight.
 *
 * The profile's keys, as the AWS CLI reads them: role_arn,
 * role_session_name (else "idc-<unix time>", as botocore's
 * "botocore-session-<time>"), external_id, duration_seconds (900 to 43200;
 * else STS's default of an hour), mfa_serial (a code is asked through
 * chain_options.mfa_code; without one the hop fails with IDC_EAUTH) and
 * source_identity.  STS is called in the profile's region, else
 * AWS_REGION, AWS_DEFAULT_REGION, else us-east-1, at the regional endpoint
 * (sts.h).
 *
 * Cache (store/chaincache.h): keyed on every input that changes the
 * result: the role ARN, the configured session name, external id,
 * duration, MFA serial and source identity, who signs (the source's kind
 * and profile, and the key id of long-term keys) and the STS endpoint.
 * Reuse follows the SSO role credentials' rules (rolecreds.h): while more
 * than min_ttl seconds remain; a fetch holds a lock per key and reads the
 * cache again once it has it (credentials another process fetched
 * meanwhile are taken if they last a minute), so N concurrent calls make
 * one AssumeRole per hop.
 *
 * Errors: IDC_ECONFIG (a bad role_arn or duration_seconds, what STS calls
 * a validation error, RegionDisabledException), IDC_EDENIED (AccessDenied),
 * IDC_EAUTH (the source's credentials refused or expired, an MFA code
 * needed but not possible), IDC_ENET / IDC_ETLS / IDC_ESERVER, IDC_EIO,
 * IDC_ETIMEOUT (another idc held the lock too long), IDC_EINTR.
 */
#ifndef IDC_CHAIN_H
#define IDC_CHAIN_H

#include "idc/core/creds.h"

struct awsconfig_creds;
struct idc_err;

/* Who signs the AssumeRole. */
struct chain_source {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token; /* NULL for long-term keys */
	const char *identity; /* for the cache key: kind, profile, and the key
				 id of long-term keys */
};

/* Ask for the MFA code of serial for profile: *code allocated on 0. */
typedef int chain_mfa_fn(void *ud, const char *profile, const char *serial,
    char **code, struct idc_err *err);

struct chain_options {
	long min_ttl;           /* reuse while more than this remains */
	chain_mfa_fn *mfa_code; /* NULL: no one to ask */
	void *mfa_ud;
};

/*
 * The credentials of profile c's role into *out (account_id and role_name
 * from the role's ARN), and the assumed role's ARN into *arn (allocated;
 * arn may be NULL).  *fetched (may be NULL) is 1 when AssumeRole was
 * called.
 */
int chain_assume_role(const struct awsconfig_creds *c,
    const struct chain_source *src, const struct chain_options *o,
    struct rolecreds *out, char **arn, int *fetched, struct idc_err *err);

#endif
