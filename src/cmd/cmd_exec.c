/*
 * cmd_exec.c - `idc exec --profile P -- CMD ARGS`: replace idc with CMD
 * (execvp, no shell) in an environment that carries the role's
 * credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 * AWS_CREDENTIAL_EXPIRATION, and AWS_REGION / AWS_DEFAULT_REGION when the
 * profile names a region.  AWS_PROFILE and AWS_DEFAULT_PROFILE are removed
 * so that CMD's SDK uses these credentials instead of resolving the
 * profile again.  CMD's exit status is idc's, since CMD replaces idc.
 *
 * Nesting: IDC_EXEC_PROFILE names the profile of the `idc exec` a process
 * runs under; an `idc exec` of another profile inside it is refused unless
 * --force, because the inner command would mix two roles' settings.
 */
#include "idc/cmd/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/store/awsconfig.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/flow/credserver.h"
#include "idc/flow/profcreds.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/selection.h"
#include "idc/store/tokens.h"
#include "idc/core/timefmt.h"

#define EXEC_NEST_VAR "IDC_EXEC_PROFILE"
/* The shell's statuses for a command that cannot run. */
#define EXEC_NOT_FOUND  127
#define EXEC_CANNOT_RUN 126

enum {
	OPT_FORCE = 256,
	OPT_SERVER,
	OPT_MIN_TTL,
};

struct exec_args {
	int force;
	int server;
	const char *min_ttl;
	char **cmd; /* NULL-terminated */
};

/*
 * Options, then "--", then the command.  The "--" is required: main.c
 * takes global options (--profile, --debug, ...) out of argv wherever
 * they stand before a "--", so without one they would be taken from the
 * command's own arguments.  Options end at the first argument
 * (CMD_OPTIONS_FIRST), so the command's own are never read as idc's.
 */
static int
exec_parse(const struct cmd_entry *cmd, int argc, char **argv,
    struct exec_args *a, struct idc_err *err)
{
	int c;

	memset(a, 0, sizeof *a);
	while ((c = cmd_getopt(cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_FORCE:
			a->force = 1;
			break;
		case OPT_SERVER:
			a->server = 1;
			break;
		case OPT_MIN_TTL:
			a->min_ttl = optarg;
			break;
		default:
			return -1;
		}
	}
	if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
		if (optind >= argc)
			return cmd_usage_error(
			    cmd, err, "no command after '--'");
		a->cmd = argv + optind;
		return 0;
	}
	if (optind < argc)
		return cmd_usage_error(cmd, err,
		    "put '--' before the command: idc exec --profile P -- %s "
		    "...",
		    argv[optind]);
	return cmd_usage_error(cmd, err, "no command given after '--'");
}

/* Set the environment CMD runs in. */
static int
exec_environment(const struct awsconfig_sso *sso, const struct rolecreds *rc,
    struct idc_err *err)
{
	/* What could point CMD's SDK at other credentials. */
	static const char *const drop[] = { "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN", NULL };
	const char *const *d;
	char when[32];

	for (d = drop; *d != NULL; d++)
		if (unsetenv(*d) == -1)
			return idc_err_errno(
			    err, IDC_EFAIL, "cannot unset %s", *d);
	timefmt_utc_offset(rc->expiration, when, sizeof when);
	if (setenv("AWS_ACCESS_KEY_ID", rc->access_key_id, 1) == -1 ||
	    setenv("AWS_SECRET_ACCESS_KEY", rc->secret_access_key, 1) == -1 ||
	    setenv("AWS_SESSION_TOKEN", rc->session_token, 1) == -1 ||
	    setenv("AWS_CREDENTIAL_EXPIRATION", when, 1) == -1 ||
	    setenv(EXEC_NEST_VAR, sso->profile, 1) == -1)
		return idc_err_errno(
		    err, IDC_EFAIL, "cannot set the environment");
	if (sso->region != NULL &&
	    (setenv("AWS_REGION", sso->region, 1) == -1 ||
		setenv("AWS_DEFAULT_REGION", sso->region, 1) == -1))
		return idc_err_errno(
		    err, IDC_EFAIL, "cannot set the environment");
	return 0;
}

/* The credential server's source: the profile's role credentials, SSO or
 * chained.  Only the first fetch, before CMD runs, may ask for an MFA
 * code: renewals run while CMD has the terminal. */
struct exec_source {
	const struct selection *sel;
	struct profcreds_options po;
};

static int
exec_fetch(void *ud, long min_ttl, struct rolecreds *out, struct idc_err *err)
{
	struct exec_source *es = ud;
	int r;

	es->po.min_ttl = min_ttl;
	r = profcreds_get(es->sel, &es->po, out, err);
	es->po.mfa_code = NULL;
	return r;
}

/* An SSO profile's sign-in ends with its token (idc logout, aws sso
 * logout); a chained one's shows in its renewals. */
static int
exec_alive(void *ud)
{
	const struct exec_source *es = ud;

	return profcreds_chained(es->sel) || tokens_exist(&es->sel->ref);
}

/* --server: CMD runs with a credential endpoint; its status is idc's. */
static int
exec_server(const struct idc_ctx *ctx, struct selection *t, long min_ttl,
    char **cmd, struct idc_err *err)
{
	struct exec_source es;
	struct credserver_source src = { exec_fetch, exec_alive, &es,
		t->login_hint };
	struct credserver_options opts = { &src, min_ttl, t->sso->region,
		t->sso->profile };
	int status;

	es.sel = t;
	cmd_profcreds_options(ctx, min_ttl, &es.po);
	if (credserver_run(&opts, cmd, &status, err) == -1)
		return -1;
	selection_release(t);
	fflush(NULL);
	log_shutdown();
	exit(status);
}

static int
cmd_exec_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct exec_args a;
	struct profcreds_options po;
	struct selection t;
	struct rolecreds rc;
	const char *outer;
	long min_ttl;
	int e, status, r = -1;

	memset(&t, 0, sizeof t);
	memset(&rc, 0, sizeof rc);
	if (exec_parse(ctx->cmd, argc, argv, &a, err) == -1 ||
	    rolecreds_min_ttl(a.min_ttl, &min_ttl, err) == -1)
		return -1;
	if (selection_resolve(ctx->profile, ctx->sso_session,
		AWSCONFIG_NEED_ROLE | AWSCONFIG_ROLE_OK, &t, err) == -1)
		return -1;
	if (t.sso->profile == NULL) {
		idc_err_set(err, IDC_EUSAGE,
		    "exec needs a profile with an account and a role "
		    "(--profile)");
		goto out;
	}
	outer = getenv(EXEC_NEST_VAR);
	if (outer != NULL && outer[0] != '\0' &&
	    strcmp(outer, t.sso->profile) != 0 && !a.force) {
		/* exec_parse sets a.cmd whenever it returns 0 (its
		 * errors come from cmd_usage_error, which returns -1). */
		/* NOLINTBEGIN(clang-analyzer-core.NullDereference) */
		idc_err_set(err, IDC_EUSAGE,
		    "already inside 'idc exec' of profile '%s'; leave it "
		    "first, or use --force to run '%s' with profile '%s' "
		    "anyway",
		    outer, a.cmd[0], t.sso->profile);
		/* NOLINTEND(clang-analyzer-core.NullDereference) */
		goto out;
	}
	if (a.server) {
		r = exec_server(ctx, &t, min_ttl, a.cmd, err);
		goto out;
	}
	cmd_profcreds_options(ctx, min_ttl, &po);
	if (profcreds_get(&t, &po, &rc, err) == -1 ||
	    exec_environment(t.sso, &rc, err) == -1)
		goto out;
	rolecreds_release(&rc);
	selection_release(&t);

	/* main.c ignores SIGPIPE; an ignored signal stays ignored across
	 * exec, and `idc exec -- yes | head` must end as it would alone. */
	signal(SIGPIPE, SIG_DFL);
	fflush(NULL);
	/* As above: a.cmd is set. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	execvp(a.cmd[0], a.cmd);
	e = errno;
	/* CMD did not start: report it as a shell would, with the shell's
	 * status (127 not found, 126 not runnable), which no idc_err code
	 * carries, so this is the one place a command exits itself. */
	status = e == ENOENT || e == ENOTDIR ? EXEC_NOT_FOUND : EXEC_CANNOT_RUN;
	fprintf(stderr, "idc: exec: %s '%s': %s\n",
	    status == EXEC_NOT_FOUND ? "cannot find" : "cannot run", a.cmd[0],
	    strerror(e));
	log_shutdown();
	exit(status);
out:
	rolecreds_release(&rc);
	selection_release(&t);
	return r;
}

static const struct cmd_option exec_options[] = {
	{ "server", OPT_SERVER, NULL,
	    "a credential endpoint instead of static keys", NULL },
	{ "force", OPT_FORCE, NULL,
	    "run inside another profile's 'idc exec' anyway", NULL },
	CMD_OPTION_MIN_TTL(OPT_MIN_TTL),
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_exec_entry = {
	"exec",
	"-- COMMAND [ARGS]",
	"run a command with the role's credentials",
	"Runs COMMAND (no shell) with the profile's role credentials in "
	"AWS_ACCESS_KEY_ID,\nAWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and "
	"AWS_CREDENTIAL_EXPIRATION, the\nprofile's region in AWS_REGION and "
	"AWS_DEFAULT_REGION, and AWS_PROFILE removed.\nThe exit status is "
	"COMMAND's (127 when it cannot be found).  '--' is required\nbefore "
	"COMMAND.  Inside an 'idc exec' of another profile (IDC_EXEC_PROFILE) "
	"it\nrefuses to run unless --force.\n\nWith --server, COMMAND gets no "
	"static keys but a credential endpoint on\n127.0.0.1 for its lifetime "
	"(AWS_CONTAINER_CREDENTIALS_FULL_URI and a random\n"
	"AWS_CONTAINER_AUTHORIZATION_TOKEN, which the SDKs and the AWS CLI "
	"read) that\nrenews the credentials before they expire.",
	exec_options,
	CMD_OPTIONS_FIRST | CMD_MAY_PROMPT,
	cmd_exec_exec,
};
