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
#include "idc/flow/selection.h"

enum {
	OPT_DESTINATION = 256,
	OPT_OPEN,
};

/* Query values: RFC 3986 unreserved characters kept, the rest %XX. */
static void
console_add_param(
    struct idc_buf *b, int *nparams, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	idc_buf_addf(b, "%c%s=", (*nparams)++ == 0 ? '?' : '&', name);
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p) != NULL) {
			idc_buf_addch(b, (char)*p);
		} else {
			idc_buf_addch(b, '%');
			idc_buf_addch(b, hex[*p >> 4]);
			idc_buf_addch(b, hex[*p & 15]);
		}
	}
}

static int
cmd_console_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	static const struct option longopts[] = {
		{ "destination", required_argument, NULL, OPT_DESTINATION },
		{ "open", no_argument, NULL, OPT_OPEN },
		{ NULL, 0, NULL, 0 },
	};
	struct idc_buf url = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct selection t;
	const char *destination = NULL, *start;
	size_t n;
	int c, open = 0, nparams = 0, r = -1;

	memset(&t, 0, sizeof t);
	while (
	    (c = cmd_getopt(ctx->cmd, argc, argv, "", longopts, err)) != -1) {
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
	idc_buf_addf(&url, "%.*s/#/console", (int)n, start);
	console_add_param(&url, &nparams, "account_id", t.sso->account_id);
	console_add_param(&url, &nparams, "role_name", t.sso->role_name);
	if (destination != NULL)
		console_add_param(&url, &nparams, "destination", destination);
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

static const struct cmd_option_help console_options[] = {
	{ "--destination URL", "the console page to land on (https://...)" },
	{ "--open", "open the URL in the browser (BROWSER, xdg-open)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_console_entry = {
	"console",
	"[--destination URL] [--open]",
	"the access portal shortcut URL for a profile",
	"Prints the access portal's shortcut link that signs the person in to "
	"the AWS\nconsole as the profile's role in its account "
	"(start URL/#/console?account_id=\n...&role_name=...), landing on "
	"--destination if given.  The portal asks for a\nsign-in in the "
	"browser when it has none; no token is needed here.",
	console_options,
	CMD_NEEDS_CONFIG,
	cmd_console_exec,
};
