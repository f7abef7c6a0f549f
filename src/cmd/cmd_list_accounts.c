/*
 * cmd_list_accounts.c - `idc list-accounts`: the accounts the profile's
 * (or --sso-session's) sign-in reaches, from the listing cache or
 * ListAccounts, in the --output format.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "idc/core/err.h"
#include "idc/ui/listprint.h"
#include "idc/core/log.h"
#include "idc/flow/portal_list.h"
#include "idc/flow/selection.h"

enum {
	OPT_REFRESH = 256,
};

static int
cmd_list_accounts_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct portal_list_opts o;
	struct listing l;
	struct selection t;
	int c, r = -1;

	memset(&o, 0, sizeof o);
	memset(&l, 0, sizeof l);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_REFRESH:
			o.flags |= PORTAL_LIST_REFRESH;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (selection_resolve(ctx->profile, ctx->sso_session, 0, &t, err) == -1)
		return -1;
	o.ref = &t.ref;
	o.login_hint = t.login_hint;
	if (portal_list_fetch(&o, &l, NULL, err) == -1)
		goto out;
	listprint_accounts(&l, ctx->output, stdout);
	if (listprint_failures(
		ctx->cmd->name, &l, "the others are shown", err) == -1)
		goto out;
	r = 0;
out:
	listing_release(&l);
	selection_release(&t);
	return r;
}

static const struct cmd_option list_accounts_options[] = {
	{ "refresh", OPT_REFRESH, NULL,
	    "ask the portal again (the listing is cached 10 min)", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_list_accounts_entry = {
	"list-accounts",
	"",
	"accounts the signed-in user can reach",
	"Lists every account the sign-in of the profile (or --sso-session)\n"
	"reaches, sorted by name.  Text: one account per line, tab-separated:\n"
	"account id, name, e-mail (\"-\" when missing).  --output table aligns\n"
	"them under a header; --output json gives objects with accountId,\n"
	"accountName and emailAddress.  The listing is cached for 10 minutes\n"
	"under $XDG_CACHE_HOME/idc/listings; --refresh asks again.  Exit status\n"
	"3 when not signed in, 4 when the portal fails.",
	list_accounts_options,
	CMD_LONG_DEADLINE,
	cmd_list_accounts_exec,
};
