/*
 * cmd_list_roles.c - `idc list-roles`: the roles of one account
 * (--account-id) or of every account the sign-in reaches, listed
 * concurrently; a partial listing is printed and reported (exit 4).
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
#include "idc/store/validate.h"

enum {
	OPT_ACCOUNT = 256,
	OPT_REFRESH,
};

static int
cmd_list_roles_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct portal_list_opts o;
	struct listprint_progress_view progress = { 0, 0 };
	struct listing l;
	struct selection t;
	int c, r = -1;

	memset(&o, 0, sizeof o);
	memset(&l, 0, sizeof l);
	o.flags = PORTAL_LIST_ROLES;
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_ACCOUNT:
			if (validate_account_id(optarg, err) == -1)
				return cmd_usage_error(
				    ctx->cmd, err, "%s", err->msg);
			o.account_id = optarg;
			break;
		case OPT_REFRESH:
			o.flags |= PORTAL_LIST_REFRESH;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (isatty(STDERR_FILENO) && log_get_level() >= LOG_NORMAL) {
		o.progress = listprint_progress;
		o.progress_ud = &progress;
	}
	if (selection_resolve(ctx->profile, ctx->sso_session, 0, &t, err) == -1)
		return -1;
	o.ref = &t.ref;
	o.login_hint = t.login_hint;
	if (portal_list_fetch(&o, &l, NULL, err) == -1)
		goto out;
	if (o.account_id != NULL && l.count == 1 &&
	    l.accounts[0].roles_state == LISTING_ROLES_FAILED) {
		/* One account asked for: its failure is the command's. */
		if (err != NULL)
			*err = l.accounts[0].roles_err;
		idc_err_prefix(err, "account '%s': ", o.account_id);
		goto out;
	}
	listprint_roles(&l, ctx->output, stdout);
	if (listprint_failures(ctx->cmd->name, &l,
		"the roles of the others are shown", err) == -1)
		goto out;
	r = 0;
out:
	listing_release(&l);
	selection_release(&t);
	return r;
}

static const struct cmd_option list_roles_options[] = {
	{ "account-id", OPT_ACCOUNT, "ID", "only this account's roles", NULL },
	{ "refresh", OPT_REFRESH, NULL,
	    "ask the portal again (the listing is cached 10 min)", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_list_roles_entry = {
	"list-roles",
	"",
	"roles of one account or of every account",
	"Lists the roles of --account-id, or of every account the sign-in\n"
	"reaches (asked for concurrently, paced to the portal's throttling),\n"
	"sorted by account name, then role name.  Text: one role per line,\n"
	"tab-separated: account id, role name, account name.  --output table\n"
	"aligns them under a header; --output json gives objects with roleName\n"
	"and accountId.  A progress line is shown on a terminal.  When the\n"
	"roles of some accounts cannot be listed, the others are printed, each\n"
	"failed account gets a line on stderr, and the exit status is 4 (a\n"
	"partial listing); 3 when not signed in.",
	list_roles_options,
	CMD_LONG_DEADLINE,
	cmd_list_roles_exec,
};
