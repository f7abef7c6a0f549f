/*
 * profcreds.c - a profile's role credentials, SSO or chained (see
 * profcreds.h).
 */
#include "idc/flow/profcreds.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/flow/awscreds.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/selection.h"
#include "idc/flow/sts.h"
#include "idc/net/sigv4.h"
#include "idc/store/awsconfig.h"

int
profcreds_chained(const struct selection *sel)
{
	return sel->sso != NULL && sel->sso->role_arn != NULL;
}

int
profcreds_get(const struct selection *sel, const struct profcreds_options *o,
    struct rolecreds *out, struct idc_err *err)
{
	struct awscreds_query q;
	struct awscreds c;

	if (!profcreds_chained(sel))
		return rolecreds_get(&sel->role, o->min_ttl, out, NULL, err);
	memset(&q, 0, sizeof q);
	q.profile_flag = sel->sso->profile;
	q.min_ttl = o->min_ttl;
	q.mfa_code = o->mfa_code;
	q.mfa_ud = o->mfa_ud;
	if (awscreds_resolve(&q, &c, err) == -1)
		return -1;
	memset(out, 0, sizeof *out);
	out->access_key_id = c.access_key_id;
	out->secret_access_key = c.secret_access_key;
	out->session_token = c.session_token;
	out->expiration = c.expiration;
	out->account_id = c.account_id;
	out->role_name = c.role_name;
	c.access_key_id = c.secret_access_key = c.session_token = NULL;
	c.account_id = c.role_name = NULL;
	awscreds_release(&c);
	return 0;
}

int
profcreds_identity(const char *profile_flag, const struct profcreds_options *o,
    struct awsquery_identity *out, struct idc_err *err)
{
	struct awscreds_query q;
	struct sigv4_creds sc;
	struct awscreds c;
	const char *region;
	int r;

	memset(&q, 0, sizeof q);
	q.profile_flag = profile_flag;
	q.min_ttl = o->min_ttl;
	q.mfa_code = o->mfa_code;
	q.mfa_ud = o->mfa_ud;
	if (awscreds_resolve(&q, &c, err) == -1)
		return -1;
	sc.access_key_id = c.access_key_id;
	sc.secret_access_key = c.secret_access_key;
	sc.session_token = c.session_token;
	region = c.region;
	if (region == NULL)
		region = getenv("AWS_REGION");
	if (region == NULL || region[0] == '\0')
		region = getenv("AWS_DEFAULT_REGION");
	if (region != NULL && region[0] == '\0')
		region = NULL;
	r = sts_caller_identity(&sc, region, out, err);
	awscreds_release(&c);
	return r;
}
