/*
 * cmd_console.c - `idc console`: the access portal's shortcut URL that
 * opens the AWS console for the profile's account and role (sso-protocol.md
 * 8.1), printed, and opened in the browser with --open.  It needs no token:
 * the portal signs the person in as usual.
 *
 * `idc console --federated` signs in to the console as the role's own
 * credentials instead (flow/console.h), also for chained roles; that URL
 * is a credential, so with --open it is opened and not printed.
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
#include "idc/core/xmalloc.h"
#include "idc/flow/awscreds.h"
#include "idc/flow/console.h"
#include "idc/flow/selection.h"

enum {
	OPT_DESTINATION = 256,
	OPT_OPEN,
	OPT_FEDERATED,
};

/* --federated: the federation endpoint's login URL for the profile's own
 * credentials (SSO or chained), printed, or only opened with --open. */
static int
console_federated(const struct idc_ctx *ctx, const char *destination, int open,
    struct idc_err *err)
{
	struct awscreds_query q = { ctx->profile, 0, NULL, NULL };
	struct console_request req;
	struct selection sso;
	struct awscreds c;
	char *url = NULL;
	int r = -1;

	memset(&sso, 0, sizeof sso);
	memset(&c, 0, sizeof c);
	if (ctx->interactive)
		q.mfa_code = cmd_mfa_prompt;
	if (awscreds_resolve(&q, &c, err) == -1)
		goto out;
	memset(&req, 0, sizeof req);
	req.access_key_id = c.access_key_id;
	req.secret_access_key = c.secret_access_key;
	req.session_token = c.session_token;
	req.region = c.region;
	req.destination = destination;
	/* An expired console session sends the person to the portal. */
	if (c.source == AWSCREDS_SSO &&
	    selection_resolve(ctx->profile, NULL, 0, &sso, NULL) == 0)
		req.issuer = sso.sso->start_url;
	if (console_federated_url(&req, &url, err) == -1)
		goto out;
	if (!open) {
		printf("%s\n", url);
	} else if (browser_open(url) == -1) {
		idc_err_set(err, IDC_EFAIL,
		    "no browser could be started (set BROWSER); run without "
		    "--open to print the URL");
		goto out;
	}
	r = 0;
out:
	secret_free(url);
	selection_release(&sso);
	awscreds_release(&c);
	return r;
}

static int
cmd_console_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct idc_buf url = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct selection t;
	const char *destination = NULL, *start;
	size_t n;
	int c, open = 0, federated = 0, bad = 0, r = -1;

	memset(&t, 0, sizeof t);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_DESTINATION:
			destination = optarg;
			break;
		case OPT_OPEN:
			open = 1;
			break;
		case OPT_FEDERATED:
			federated = 1;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (federated)
		return console_federated(ctx, destination, open, err);
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
	{ "federated", OPT_FEDERATED, NULL,
	    "sign in as the role's own credentials", NULL },
	{ "destination", OPT_DESTINATION, "URL",
	    "the console page to land on (https://...;\n"
	    "with --federated also s3, ec2, iam, lambda, ...)",
	    NULL },
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
	"browser when it has none; no token is needed here.\n\nWith --federated "
	"the role's own credentials (also a chained role's) go to the\n"
	"federation endpoint, and the URL it makes signs in to the console for "
	"15\nminutes: it is printed on stdout, or with --open only opened.  "
	"--destination\nthen also takes a service name (s3, ec2, iam, lambda, "
	"cloudwatch, ...); the\ndefault is the console home of the profile's "
	"region.",
	console_options,
	CMD_MAY_PROMPT,
	cmd_console_exec,
};
