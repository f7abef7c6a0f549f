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

/* What logout removed from the shared credentials file. */
static void
logout_print_static(int removed)
{
	if (removed > 0)
		printf("Removed %d section%s of static credentials that idc "
		       "write-credentials wrote\n",
		    removed, removed == 1 ? "" : "s");
}

static int
cmd_logout_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct selection t;
	int c, all = 0, count = 0, removed = 0, r = -1;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		if (c != OPT_ALL)
			return -1;
		all = 1;
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	/* As `aws sso logout`: every sign-in, unless a flag names one. */
	if (all || (ctx->profile == NULL && ctx->sso_session == NULL)) {
		if (logout_all(&count, &removed, err) == -1)
			return -1;
		if (count == 0)
			printf("Not signed in to anything\n");
		else
			printf("Signed out of %d sign-in%s\n", count,
			    count == 1 ? "" : "s");
		logout_print_static(removed);
		return 0;
	}
	if (selection_resolve(ctx->profile, ctx->sso_session, 0, &t, err) == -1)
		return -1;
	if (logout_one(&t.ref, t.config_path, &count, &removed, err) == -1)
		goto out;
	printf("%s '%s'\n", count ? "Signed out of" : "Not signed in to",
	    tokens_ref_name(&t.ref));
	logout_print_static(removed);
	r = 0;
out:
	selection_release(&t);
	return r;
}

static const struct cmd_option logout_options[] = {
	{ "profile", CMD_GLOBAL, "NAME", "only the sign-in of this profile",
	    NULL },
	{ "sso-session", CMD_GLOBAL, "NAME", "only this sso-session", NULL },
	{ "all", OPT_ALL, NULL,
	    "every sign-in (the default without --profile or\n--sso-session)",
	    NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_logout_entry = {
	"logout",
	"",
	"sign out and remove cached tokens and credentials",
	"Signs out of every sign-in in ~/.aws/sso/cache, as `aws sso logout` "
	"does, or\nonly of the one --profile or --sso-session names: calls the "
	"Logout API with\nthe token (errors are ignored, as the AWS CLI does), "
	"then removes the token,\nthe role credentials idc and the AWS CLI "
	"cached for it, and the static\ncredentials that idc write-credentials "
	"wrote from it (only those).  Client\nregistrations are kept.  After "
	"it, the AWS CLI is signed out too.",
	logout_options,
	0,
	cmd_logout_exec,
};
