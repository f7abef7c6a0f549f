/*
 * main.c - global options, dispatch to a command, and the one place that
 * prints an error and turns it into an exit status (see idc(1) EXIT STATUS).
 *
 * Global options may stand before or after the command name, as the AWS
 * CLI's do, so they are taken out of argv wherever they are (up to a "--")
 * before the command parses its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/cmd/cmd.h"
#include "idc/core/deadline.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/log.h"
#include "idc/ui/rawout.h"
#include "idc/version.h"
#include "idc/core/xmalloc.h"

struct main_args {
	int help;
	int version;
	const char *output;
	const char *timeout;
};

/* The default deadline of a command (idc(1) --timeout): those that answer
 * from a cache or fetch one set of credentials give up well within the
 * 30 s an SDK or a script waits; those that list a whole organisation or
 * sign in get longer (the person's own approval time not counted). */
#define MAIN_DEADLINE_QUICK_S 20
#define MAIN_DEADLINE_LONG_S  300

static long
main_default_deadline(const struct cmd_entry *cmd)
{
	return (cmd->flags & CMD_LONG_DEADLINE) ? MAIN_DEADLINE_LONG_S
						: MAIN_DEADLINE_QUICK_S;
}

/* --timeout, else IDC_TIMEOUT, else the command's default. */
static int
main_deadline(
    const char *flag, const struct cmd_entry *cmd, struct idc_err *err)
{
	const char *env = getenv("IDC_TIMEOUT"), *text = flag,
		   *what = "--timeout";
	long s;

	if (text == NULL && env != NULL && env[0] != '\0') {
		text = env;
		what = "IDC_TIMEOUT";
	}
	if (text == NULL)
		s = main_default_deadline(cmd);
	else if (deadline_parse_s(text, &s) == -1)
		return idc_err_set(err, IDC_EUSAGE,
		    "%s '%s' is not a number of seconds from 0 (no limit) to "
		    "%d",
		    what, text, DEADLINE_MAX_S);
	deadline_start((long long)s * 1000);
	return 0;
}

/* If argv[*i] is --name or --name=value for a valued global option, take
 * the value and return 1; a missing value is a usage error (-1). */
static int
main_valued(int argc, char **argv, int *i, const char *name, const char **value,
    struct idc_err *err)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc || argv[*i + 1][0] == '\0')
		return idc_err_set(err, IDC_EUSAGE,
		    "option '%s' needs a value (see 'idc help')", name);
	*value = argv[++*i];
	return 1;
}

/* Take the global options out of argv; *argcp shrinks accordingly. */
static int
main_globals(struct idc_ctx *ctx, struct main_args *ma, int *argcp, char **argv,
    struct idc_err *err)
{
	int argc = *argcp, i, out = 0, r;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if ((r = main_valued(argc, argv, &i, "--profile", &ctx->profile,
			 err)) != 0 ||
		    (r = main_valued(argc, argv, &i, "--sso-session",
			 &ctx->sso_session, err)) != 0 ||
		    (r = main_valued(
			 argc, argv, &i, "--output", &ma->output, err)) != 0 ||
		    (r = main_valued(argc, argv, &i, "--timeout", &ma->timeout,
			 err)) != 0) {
			if (r == -1)
				return -1;
			continue;
		}
		/* Accepted as the AWS CLI's; idc writes no colour. */
		if (strcmp(a, "--no-color") == 0)
			continue;
		if (strcmp(a, "--debug") == 0)
			ctx->debug = 1;
		else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
			ctx->quiet = 1;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			ma->help = 1;
		else if (strcmp(a, "--version") == 0 && out == 0)
			ma->version = 1;
		else
			argv[out++] = argv[i];
	}
	*argcp = out;
	argv[out] = NULL;
	return 0;
}

static int
main_output(struct idc_ctx *ctx, const char *name, struct idc_err *err)
{
	static const struct {
		const char *name;
		enum idc_output output;
	} outputs[] = {
		{ "text", IDC_OUTPUT_TEXT },
		{ "json", IDC_OUTPUT_JSON },
		{ "table", IDC_OUTPUT_TABLE },
	};
	size_t i;

	if (name == NULL)
		return 0;
	for (i = 0; i < sizeof outputs / sizeof outputs[0]; i++)
		if (strcmp(name, outputs[i].name) == 0) {
			ctx->output = outputs[i].output;
			ctx->output_set = 1;
			return 0;
		}
	return idc_err_set(err, IDC_EUSAGE,
	    "output format '%s' is not text, json or table", name);
}

/* Prompts and browsers only with a person at a terminal, never in CI. */
static int
main_interactive(void)
{
	const char *ci = getenv("CI");

	if (ci != NULL && ci[0] != '\0' && strcmp(ci, "0") != 0 &&
	    strcmp(ci, "false") != 0)
		return 0;
	return isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
}

static const struct cmd_entry *
main_find(int argc, char **argv, int *words, struct idc_err *err)
{
	const struct cmd_entry *cmd;
	const char *hint;

	cmd = cmd_find(argc, argv, words);
	if (cmd != NULL)
		return cmd;
	if (argv[0][0] == '-')
		idc_err_set(err, IDC_EUSAGE,
		    "unknown option '%s' (see 'idc help')", argv[0]);
	else if ((hint = cmd_suggest(argv[0])) != NULL)
		idc_err_set(err, IDC_EUSAGE,
		    "unknown command '%s'; did you mean '%s'?", argv[0], hint);
	else
		idc_err_set(err, IDC_EUSAGE,
		    "unknown command '%s' (see 'idc help')", argv[0]);
	return NULL;
}

/*
 * Flush stdout and notice a failed write (a full disk).  A reader that
 * stopped reading is not a failure, as with git: the output it wanted was
 * written, so no error line and no error status.
 */
static int
main_flush(struct idc_err *err)
{
	if (rawout_flush_stdio() == 0)
		return 0;
	if (rawout_reader_gone(errno))
		return 0;
	return idc_err_errno(err, IDC_EIO, "cannot write the output");
}

static int
main_finish(const struct idc_ctx *ctx, int r, struct idc_err *err)
{
	int status;

	if (r == 0 && main_flush(err) == 0) {
		log_shutdown();
		return IDC_EXIT_OK;
	}
	if (intr_pending() && err->code != IDC_EUSAGE)
		err->code = IDC_EINTR;
	if (err->msg[0] == '\0')
		snprintf(err->msg, sizeof err->msg, "failed (%s)",
		    idc_err_codename(err->code));
	/* Redacted and made safe there: the message may quote a server. */
	if (ctx->cmd != NULL)
		log_error("%s: %s", ctx->cmd->name, err->msg);
	else
		log_error("%s", err->msg);
	status = idc_err_exit_status(err->code);
	log_shutdown();
	return status;
}

int
main(int argc, char **argv)
{
	struct idc_ctx ctx;
	struct main_args ma;
	struct idc_err err = IDC_ERR_INIT;
	const struct cmd_entry *cmd;
	int words = 0, r = -1;

	intr_install();
	memset(&ctx, 0, sizeof ctx);
	memset(&ma, 0, sizeof ma);

	argc--;
	argv++;
	if (main_globals(&ctx, &ma, &argc, argv, &err) == -1 ||
	    main_output(&ctx, ma.output, &err) == -1)
		return main_finish(&ctx, -1, &err);
	log_set_level(ctx.debug ? LOG_DEBUG
		: ctx.quiet     ? LOG_QUIET
				: LOG_NORMAL);
	if (ma.version && argc == 0) {
		printf("idc %s\n", IDC_VERSION);
		return main_finish(&ctx, 0, &err);
	}
	if (argc == 0) {
		if (ma.help) {
			cmd_print_overview(stdout);
			return main_finish(&ctx, 0, &err);
		}
		cmd_print_overview(stderr);
		idc_err_set(&err, IDC_EUSAGE, "no command given");
		return main_finish(&ctx, -1, &err);
	}
	if ((cmd = main_find(argc, argv, &words, &err)) == NULL)
		return main_finish(&ctx, -1, &err);
	ctx.cmd = cmd;
	/* Only a command that may ask anything looks for a person. */
	ctx.interactive = (cmd->flags & CMD_MAY_PROMPT) && main_interactive();
	if (ma.help) {
		cmd_print_help(stdout, cmd);
		return main_finish(&ctx, 0, &err);
	}
	if (main_deadline(ma.timeout, cmd, &err) == -1)
		return main_finish(&ctx, -1, &err);
	/* The command sees argv[0] = its (last) name word, options after. */
	optind = 0;
	r = cmd->exec(&ctx, argc - words + 1, argv + words - 1, &err);
	return main_finish(&ctx, r, &err);
}
