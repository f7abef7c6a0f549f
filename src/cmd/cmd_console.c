/*
 * cmd_console.c - `idc console`: the access portal's shortcut URL that
 * opens the AWS console for the profile's account and role (sso-protocol.md
 * 8.1), printed, and opened in the browser with --open.  It needs no token:
 * the portal signs the person in as usual.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/store/awsconfig.h"
#include "idc/ui/browser.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/url.h"
#include "idc/flow/selection.h"

enum {
	OPT_DESTINATION = 256,
	OPT_OPEN,
};

static int
cmd_console_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct idc_buf url = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct selection t;
	const char *destination = NULL, *start;
	size_t n;
	int c, open = 0, bad = 0, r = -1;

	memset(&t, 0, sizeof t);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_DESTINATION:
			destination = optarg;
			break;
		case OPT_OPEN:
			open = 1;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (destination != NULL && strncmp(destination, "https://", 8) != 0)
		return cmd_usage_error(ctx->cmd, err,
		    "--destination '%s' is not an https URL", destination);
	if (selection_resolve(ctx->profile, ctx->sso_session,
		AWSCONFIG_NEED_ROLE, &t, err) == -1)
		return -1;
	/* {start URL without a trailing '/'}/#/console?account_id=..&role_name=.. */
	start = t.sso->start_url;
	n = strlen(start);
	while (n > 0 && start[n - 1] == '/')
		n--;
	bad |= idc_buf_addf(&url, "%.*s/#/console", (int)n, start);
	bad |= url_add_query(&url, "account_id", t.sso->account_id);
	bad |= url_add_query(&url, "role_name", t.sso->role_name);
	if (destination != NULL)
		bad |= url_add_query(&url, "destination", destination);
	if (bad) {
		idc_err_set(
		    err, IDC_EUSAGE, "the console URL would be too long");
		goto out;
	}
	printf("%s\n", idc_buf_cstr(&url));
	if (open && browser_open(idc_buf_cstr(&url)) == -1) {
		idc_err_set(err, IDC_EFAIL,
		    "no browser could be started (set BROWSER); the URL is "
		    "printed above");
		goto out;
	}
	r = 0;
out:
	idc_buf_release(&url);
	selection_release(&t);
	return r;
}

static const struct cmd_option console_options[] = {
	{ "destination", OPT_DESTINATION, "URL",
	    "the console page to land on (https://...)", NULL },
	{ "open", OPT_OPEN, NULL,
	    "open the URL in the browser (BROWSER, xdg-open)", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_console_entry = {
	"console",
	"",
	"the access portal shortcut URL for a profile",
	"Prints the access portal's shortcut link that signs the person in to "
	"the AWS\nconsole as the profile's role in its account "
	"(start URL/#/console?account_id=\n...&role_name=...), landing on "
	"--destination if given.  The portal asks for a\nsign-in in the "
	"browser when it has none; no token is needed here.",
	console_options,
	0,
	cmd_console_exec,
};
