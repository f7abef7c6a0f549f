/*
 * selection.c - from the global options and the config file to one
 * sign-in and role (see selection.h).
 */
#include "idc/flow/selection.h"

#include <stdlib.h>
#include <string.h>

#include "idc/store/awsconfig.h"
#include "idc/core/err.h"
#include "idc/store/paths.h"
#include "idc/core/xmalloc.h"

int
selection_resolve(const char *profile_flag, const char *session, unsigned flags,
    struct selection *s, struct idc_err *err)
{
	const char *profile;
	char *quoted;
	int implicit = 0, r;

	memset(s, 0, sizeof *s);
	if ((s->config_path = paths_aws_config(err)) == NULL)
		return -1;
	if (session != NULL && profile_flag == NULL) {
		r = awsconfig_load_session(
		    s->config_path, session, &s->sso, err);
		quoted = awsconfig_quote(session);
		s->login_hint = xstrconcat("idc login --sso-session ", quoted);
		free(quoted);
	} else {
		profile = awsconfig_profile_name(profile_flag, &implicit);
		r = awsconfig_load_profile(s->config_path, profile,
		    flags | (implicit ? AWSCONFIG_IMPLICIT : 0), &s->sso, err);
		quoted = awsconfig_quote(profile);
		s->login_hint = implicit
		    ? xstrdup("idc login")
		    : xstrconcat("idc login --profile ", quoted);
		free(quoted);
	}
	if (r == -1) {
		selection_release(s);
		return -1;
	}
	/* As botocore: AWS_CA_BUNDLE first, else the profile's ca_bundle.
	 * http.c reads the variable, and a command run by `idc exec` gets
	 * it too, since the child no longer sees the profile. */
	/* The loaders set s->sso whenever they return 0. */
	/* NOLINTBEGIN(clang-analyzer-core.NullDereference) */
	if (s->sso->ca_bundle != NULL && s->sso->ca_bundle[0] != '\0' &&
	    (getenv("AWS_CA_BUNDLE") == NULL ||
		getenv("AWS_CA_BUNDLE")[0] == '\0'))
		setenv("AWS_CA_BUNDLE", s->sso->ca_bundle, 1);
	/* NOLINTEND(clang-analyzer-core.NullDereference) */
	s->ref.session_name = s->sso->session;
	s->ref.start_url = s->sso->start_url;
	s->ref.region = s->sso->sso_region;
	s->role.ref = &s->ref;
	s->role.account_id = s->sso->account_id;
	s->role.role_name = s->sso->role_name;
	s->role.login_hint = s->login_hint;
	s->ref.scopes = s->sso->scopes != NULL
	    ? (const char *const *)s->sso->scope_list
	    : NULL;
	return 0;
}

void
selection_release(struct selection *s)
{
	if (s == NULL)
		return;
	awsconfig_sso_free(s->sso);
	free(s->login_hint);
	free(s->config_path);
	memset(s, 0, sizeof *s);
}
