/*
 * cmd_credential_process.c - `idc credential-process`: the role's
 * credentials as credential_process JSON, for
 *   credential_process = idc credential-process --profile P
 * in ~/.aws/config.  SDKs run this once per client, all day long, so the
 * usual answer comes from idc's cache without a request (rolecreds.h).
 * It never prompts: without a usable sign-in it fails with exit status 3
 * and the login command, unless --auto-login asks to sign in from a
 * terminal.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/flow/auth.h"
#include "idc/flow/profcreds.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/selection.h"
#include "idc/store/awsconfig.h"
#include "idc/store/tokens.h"
#include "idc/ui/credfmt.h"
#include "idc/ui/signin.h"
#include "idc/ui/rawout.h"

#define CREDPROC_WAIT_LIMIT_MS (10L * 60 * 1000)

enum {
	OPT_AUTO_LOGIN = 256,
	OPT_MIN_TTL,
};

/* --auto-login needs a person: a terminal on stdin (an SDK that runs
 * idc passes its own stdin on, and captures stderr) or stderr, not CI. */
static int
credproc_at_terminal(void)
{
	const char *ci = getenv("CI");

	if (ci != NULL && ci[0] != '\0' && strcmp(ci, "0") != 0 &&
	    strcmp(ci, "false") != 0)
		return 0;
	return isatty(STDIN_FILENO) || isatty(STDERR_FILENO);
}

/* Sign in from the terminal idc runs at, for --auto-login: the session's
 * flow, as `idc login` would, with the browser opened. */
static int
credproc_login(const struct selection *t, struct idc_err *err)
{
	struct auth_login_opts opts;
	struct auth_events ev;
	struct signin_view view;
	struct sso_token tok;
	int reused = 0, r;

	memset(&opts, 0, sizeof opts);
	memset(&tok, 0, sizeof tok);
	opts.config_flow = t->sso->login_flow;
	opts.config_file = t->config_path;
	opts.wait_limit_ms = CREDPROC_WAIT_LIMIT_MS;
	signin_view_init(&view, 0, 1, 0);
	cmd_signin_events(&view, &ev);
	cmd_signin_place(&opts);
	opts.events = &ev;
	r = auth_login(&t->ref, &opts, &tok, &reused, err);
	sso_token_release(&tok);
	return r;
}

static int
cmd_credential_process_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct profcreds_options po;
	struct selection t;
	struct rolecreds rc;
	const char *min_ttl_flag = NULL;
	long min_ttl;
	int c, auto_login = 0, r = -1;

	memset(&t, 0, sizeof t);
	memset(&rc, 0, sizeof rc);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_AUTO_LOGIN:
			auto_login = 1;
			break;
		case OPT_MIN_TTL:
			min_ttl_flag = optarg;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1 ||
	    rolecreds_min_ttl(min_ttl_flag, &min_ttl, err) == -1)
		return -1;
	/* The whole file is checked as for every other command (about
	 * 0.2 ms on a 7,000-line config): not every SDK that runs us
	 * refuses a broken one, and the answer must not depend on who
	 * asks. */
	if (selection_resolve(ctx->profile, ctx->sso_session,
		AWSCONFIG_NEED_ROLE | AWSCONFIG_ROLE_OK, &t, err) == -1)
		return -1;
	cmd_profcreds_options(ctx, min_ttl, &po);
	if (profcreds_get(&t, &po, &rc, err) == -1) {
		/* Only with a person at the terminal, and only on request. */
		if (err->code != IDC_EAUTH || !auto_login ||
		    profcreds_chained(&t) || !credproc_at_terminal())
			goto out;
		idc_err_clear(err);
		if (credproc_login(&t, err) == -1 ||
		    rolecreds_get(&t.role, min_ttl, &rc, NULL, err) == -1)
			goto out;
	}
	if (credfmt_write(&rc, CREDFMT_PROCESS, &out, err) == -1)
		goto out;
	/* Not through stdio, which would keep a copy of the secrets. */
	if (rawout_write(out.data, out.len, err) == -1)
		goto out;
	r = 0;
out:
	idc_buf_release_secret(&out);
	rolecreds_release(&rc);
	selection_release(&t);
	return r;
}

static const struct cmd_option credential_process_options[] = {
	{ "auto-login", OPT_AUTO_LOGIN, NULL,
	    "sign in first if needed (only at a terminal)", NULL },
	CMD_OPTION_MIN_TTL(OPT_MIN_TTL),
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_credential_process_entry = {
	"credential-process",
	"",
	"credential_process JSON for a profile",
	"Prints the profile's role credentials as the JSON that the AWS SDKs "
	"and the AWS CLI\nexpect from a credential_process command:\n\n"
	"    [profile dev-creds]\n"
	"    credential_process = idc credential-process --profile dev\n\n"
	"Credentials are cached under $XDG_CACHE_HOME/idc and reused while "
	"more than 15\nminutes remain (--min-ttl, IDC_MIN_TTL), so the usual "
	"call makes no request.\nNever prompts: without a usable sign-in it "
	"exits with status 3 and the idc login\ncommand, unless --auto-login "
	"and a terminal.",
	credential_process_options,
	0,
	cmd_credential_process_exec,
};
