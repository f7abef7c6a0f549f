/*
 * cmd_logout.c - `idc logout [--all]`: sign out of the profile's (or
 * --sso-session's) sign-in, or of every one (flow/logout.h).
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "idc/core/err.h"
#include "idc/flow/logout.h"
#include "idc/flow/selection.h"
#include "idc/store/tokens.h"

enum { OPT_ALL = 256 };

static int
cmd_logout_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct selection t;
	int c, all = 0, count = 0, r = -1;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		if (c != OPT_ALL)
			return -1;
		all = 1;
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (all) {
		if (logout_all(&count, err) == -1)
			return -1;
		printf("Signed out of %d sign-in%s\n", count,
		    count == 1 ? "" : "s");
		return 0;
	}
	if (selection_resolve(ctx->profile, ctx->sso_session, 0, &t, err) == -1)
		return -1;
	if (logout_one(&t.ref, t.config_path, &count, err) == -1)
		goto out;
	printf("%s '%s'\n", count ? "Signed out of" : "Not signed in to",
	    tokens_ref_name(&t.ref));
	r = 0;
out:
	selection_release(&t);
	return r;
}

static const struct cmd_option logout_options[] = {
	{ "all", OPT_ALL, NULL,
	    "every sign-in in the shared cache, not one profile's", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_logout_entry = {
	"logout",
	"",
	"sign out and remove cached tokens and credentials",
	"Calls the Logout API with the token (errors are ignored, as the AWS "
	"CLI does),\nthen removes the token from ~/.aws/sso/cache and the role "
	"credentials idc cached\nfor it.  Client registrations are kept.  After "
	"it, the AWS CLI is signed out too.",
	logout_options,
	0,
	cmd_logout_exec,
};
