/*
 * cmd_login.c - `idc login`: sign in to an sso-session or a profile's
 * start URL: PKCE at a desktop, the device code over SSH, in a container
 * or without a display, unless a flag or idc_login_flow says.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "idc/core/err.h"
#include "idc/flow/auth.h"
#include "idc/flow/selection.h"
#include "idc/store/awsconfig.h"
#include "idc/store/tokens.h"
#include "idc/ui/output.h"
#include "idc/ui/signin.h"

#define LOGIN_WAIT_LIMIT_MS (10L * 60 * 1000)

enum {
	OPT_DEVICE = 256,
	OPT_PKCE,
	OPT_NO_BROWSER,
	OPT_BROWSER,
	OPT_QR,
	OPT_NO_QR,
	OPT_PORT,
	OPT_FORCE,
};

static int
login_port(
    const struct cmd_entry *cmd, const char *s, int *port, struct idc_err *err)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 65535)
		return cmd_usage_error(
		    cmd, err, "--callback-port '%s' is not a port number", s);
	*port = (int)v;
	return 0;
}

/* "2026-11-27 20:44 CET": when a sign-in ends, in the person's zone. */
static void
login_when(time_t t, char *buf, size_t size)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M %Z", &tm);
}

static void
login_print(const struct idc_ctx *ctx, const struct sso_ref *ref,
    const struct sso_token *tok, int reused)
{
	struct outjson *o;
	char when[64];

	if (ctx->output == IDC_OUTPUT_JSON) {
		o = outjson_object();
		outjson_str(o, "session", ref->session_name);
		outjson_str(o, "startUrl", ref->start_url);
		outjson_time(o, "expiresAt", tok->expires_at);
		outjson_bool(o, "refreshToken", tok->refresh_token != NULL);
		outjson_str(o, "how",
		    reused == AUTH_REFRESHED ? "refreshed"
			: reused             ? "reused"
					     : "signed-in");
		outjson_print(o, stdout);
		return;
	}
	login_when(tok->expires_at, when, sizeof when);
	if (reused == AUTH_REFRESHED)
		printf("Refreshed the sign-in to '%s': valid until %s\n",
		    tokens_ref_name(ref), when);
	else if (reused)
		printf("Already signed in to '%s' until %s (--force signs in "
		       "again)\n",
		    tokens_ref_name(ref), when);
	else
		printf("Signed in to '%s' until %s%s\n", tokens_ref_name(ref),
		    when,
		    tok->refresh_token != NULL ? "; idc refreshes it as needed"
					       : "");
}

static int
cmd_login_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct auth_login_opts opts;
	struct auth_events ev;
	struct signin_view view;
	struct selection t;
	struct sso_token tok;
	int c, pkce = -1, browser = -1, qr = -1, reused = 0, r = -1;

	memset(&opts, 0, sizeof opts);
	memset(&tok, 0, sizeof tok);
	memset(&t, 0, sizeof t);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_DEVICE:
		case OPT_PKCE:
			if (pkce != -1 && pkce != (c == OPT_PKCE))
				return cmd_usage_error(ctx->cmd, err,
				    "--device-code and --pkce exclude each "
				    "other");
			pkce = c == OPT_PKCE;
			break;
		case OPT_NO_BROWSER:
		case OPT_BROWSER:
			browser = c == OPT_BROWSER;
			break;
		case OPT_QR:
		case OPT_NO_QR:
			qr = c == OPT_QR;
			break;
		case OPT_PORT:
			if (login_port(ctx->cmd, optarg, &opts.callback_port,
				err) == -1)
				return -1;
			break;
		case OPT_FORCE:
			opts.force = 1;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (opts.callback_port != 0 && pkce != 1)
		return cmd_usage_error(
		    ctx->cmd, err, "--callback-port goes with --pkce");
	/* Without a person at a terminal, only an explicit choice of how the
	 * URL reaches one may start a sign-in. */
	if (!ctx->interactive && browser == -1)
		opts.refuse = "no terminal to sign in from; run 'idc login "
			      "--no-browser' to print the sign-in URL and code "
			      "instead";
	if (selection_resolve(ctx->profile, ctx->sso_session, 0, &t, err) == -1)
		return -1;
	opts.flow = pkce == -1 ? AUTH_FLOW_DEFAULT
	    : pkce             ? AUTH_FLOW_PKCE
			       : AUTH_FLOW_DEVICE;
	opts.config_flow = t.sso->login_flow;
	opts.config_file = t.config_path;
	opts.paste = ctx->interactive;
	opts.wait_limit_ms = LOGIN_WAIT_LIMIT_MS;
	signin_view_init(&view, ctx->interactive, browser, qr);
	cmd_signin_events(&view, &ev);
	cmd_signin_place(&opts);
	opts.events = &ev;
	if (auth_login(&t.ref, &opts, &tok, &reused, err) == -1)
		goto out;
	login_print(ctx, &t.ref, &tok, reused);
	r = 0;
out:
	sso_token_release(&tok);
	selection_release(&t);
	return r;
}

static const struct cmd_option login_options[] = {
	{ "device-code", OPT_DEVICE, NULL,
	    "the device authorization flow (SSH, no display)", NULL },
	/* The AWS CLI's spelling. */
	{ "use-device-code", OPT_DEVICE, NULL,
	    "the same (the AWS CLI's spelling)", NULL },
	{ "pkce", OPT_PKCE, NULL,
	    "the authorization-code flow with PKCE (at a desktop)", NULL },
	{ "no-browser", OPT_NO_BROWSER, NULL,
	    "print the URL and code; do not open a browser", NULL },
	{ "browser", OPT_BROWSER, NULL,
	    "open a browser even without a terminal", NULL },
	{ "qr", OPT_QR, NULL,
	    "also draw the URL as a QR code (default over SSH)", NULL },
	{ "no-qr", OPT_NO_QR, NULL, "never draw a QR code", NULL },
	{ "callback-port", OPT_PORT, "N",
	    "PKCE: listen on 127.0.0.1:N (for ssh -L)", NULL },
	{ "force", OPT_FORCE, NULL,
	    "sign in again although the token is still valid", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_login_entry = {
	"login",
	"",
	"sign in to IAM Identity Center",
	"Signs in the profile's sso-session (or --sso-session NAME, or a legacy "
	"profile's\nstart URL) and caches the token where the AWS CLI and the "
	"SDKs find it.  A valid\ntoken is reused unless --force.  Concurrent "
	"sign-ins to the same session wait\nfor one another: one sign-in, one "
	"browser tab.  Without --device-code or --pkce,\nthe flow is the "
	"session's idc_login_flow (pkce or device-code), else what fits\nthe "
	"place: PKCE in a desktop session that is not SSH, the device code "
	"over SSH,\nin a container or without a display (--debug says which "
	"and why).",
	login_options,
	CMD_MAY_PROMPT | CMD_LONG_DEADLINE,
	cmd_login_exec,
};
