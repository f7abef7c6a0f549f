/*
 * target.c - from global options and the config file to one sign-in
 * (see target.h).
 */
#include "idc/flow/target.h"

#include <stdlib.h>
#include <string.h>

#include "idc/store/awsconfig.h"
#include "idc/cmd/cmd.h"
#include "idc/core/err.h"
#include "idc/store/paths.h"
#include "idc/core/xmalloc.h"

static void target_fill(struct target *t);

int
target_resolve(const struct idc_ctx *ctx, unsigned flags, struct target *t,
    struct idc_err *err)
{
	const char *profile;
	char *quoted;
	int implicit = 0;

	if (ctx->sso_session == NULL || ctx->profile != NULL) {
		profile = awsconfig_profile_name(ctx->profile, &implicit);
		return target_resolve_profile(profile, implicit, flags, t, err);
	}
	memset(t, 0, sizeof *t);
	if ((t->config_path = paths_aws_config(err)) == NULL)
		return -1;
	quoted = awsconfig_quote(ctx->sso_session);
	t->login_hint = xasprintf("idc login --sso-session %s", quoted);
	free(quoted);
	if (awsconfig_load_session(
		t->config_path, ctx->sso_session, &t->sso, err) == -1) {
		target_release(t);
		return -1;
	}
	target_fill(t);
	return 0;
}

int
target_resolve_profile(const char *profile, int implicit, unsigned flags,
    struct target *t, struct idc_err *err)
{
	char *quoted;

	memset(t, 0, sizeof *t);
	if ((t->config_path = paths_aws_config(err)) == NULL)
		return -1;
	quoted = awsconfig_quote(profile);
	t->login_hint = implicit ? xstrdup("idc login")
				 : xasprintf("idc login --profile %s", quoted);
	free(quoted);
	if (awsconfig_load_profile(t->config_path, profile,
		flags | (implicit ? AWSCONFIG_IMPLICIT : 0), &t->sso,
		err) == -1) {
		target_release(t);
		return -1;
	}
	target_fill(t);
	return 0;
}

static void
target_fill(struct target *t)
{
	/* As botocore: AWS_CA_BUNDLE first, else the profile's ca_bundle.
	 * http.c reads the variable, and a command run by `idc exec` gets
	 * it too, since the child no longer sees the profile. */
	if (t->sso->ca_bundle != NULL && t->sso->ca_bundle[0] != '\0' &&
	    (getenv("AWS_CA_BUNDLE") == NULL ||
		getenv("AWS_CA_BUNDLE")[0] == '\0'))
		setenv("AWS_CA_BUNDLE", t->sso->ca_bundle, 1);
	t->ref.session_name = t->sso->session;
	t->ref.start_url = t->sso->start_url;
	t->ref.region = t->sso->sso_region;
	t->role.ref = &t->ref;
	t->role.account_id = t->sso->account_id;
	t->role.role_name = t->sso->role_name;
	t->role.login_hint = t->login_hint;
	t->ref.scopes = t->sso->scopes != NULL
	    ? (const char *const *)t->sso->scope_list
	    : NULL;
}

void
target_release(struct target *t)
{
	if (t == NULL)
		return;
	awsconfig_sso_free(t->sso);
	free(t->login_hint);
	free(t->config_path);
	memset(t, 0, sizeof *t);
}
