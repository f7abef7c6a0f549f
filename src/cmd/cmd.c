/*
 * cmd.c - the command table, lookup, help text and option parsing shared by
 * every command (see cmd.h).
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/suggest.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/auth.h"
#include "idc/flow/profcreds.h"
#include "idc/ui/browser.h"
#include "idc/ui/signin.h"
#include "idc/ui/ui.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_configure_entry,
	&cmd_configure_session_entry,
	&cmd_login_entry,
	&cmd_logout_entry,
	&cmd_status_entry,
	&cmd_list_accounts_entry,
	&cmd_list_roles_entry,
	&cmd_populate_entry,
	&cmd_credential_process_entry,
	&cmd_export_entry,
	&cmd_exec_entry,
	&cmd_write_credentials_entry,
	&cmd_console_entry,
	&cmd_whoami_entry,
	&cmd_admin_entry,
	&cmd_completion_entry,
	&cmd_doctor_entry,
	&cmd_help_entry,
	&cmd_version_entry,
	NULL,
};

/* Whether name is the two words a and b ("admin users"). */
static int
cmd_is_two_words(const char *name, const char *a, const char *b)
{
	size_t n = strlen(a);

	return strncmp(name, a, n) == 0 && name[n] == ' ' &&
	    strcmp(name + n + 1, b) == 0;
}

const struct cmd_entry *
cmd_find(int argc, char **argv, int *words)
{
	const struct cmd_entry *const *c;
	const struct cmd_entry *one = NULL;

	if (argc < 1)
		return NULL;
	if (argc >= 2) {
		for (c = cmd_table; *c != NULL; c++)
			if (cmd_is_two_words((*c)->name, argv[0], argv[1])) {
				*words = 2;
				return *c;
			}
	}
	for (c = cmd_table; *c != NULL; c++)
		if (strcmp((*c)->name, argv[0]) == 0)
			one = *c;
	if (one != NULL)
		*words = 1;
	return one;
}

const char *
cmd_suggest(const char *name)
{
	const struct cmd_entry *const *c;
	const char *best = NULL;
	size_t d, bestd = 3;

	for (c = cmd_table; *c != NULL; c++) {
		d = suggest_distance(name, (*c)->name);
		if (d < bestd ||
		    (strncmp(name, (*c)->name, strlen(name)) == 0 &&
			strlen(name) >= 3 && best == NULL)) {
			bestd = d < bestd ? d : bestd;
			best = (*c)->name;
		}
	}
	return best;
}

void
cmd_print_overview(FILE *fp)
{
	const struct cmd_entry *const *c;

	fputs("usage: idc [--profile NAME] [--sso-session NAME] "
	      "[--output text|json|table]\n"
	      "           [--timeout SECONDS] [--no-color] [--debug] [--quiet] "
	      "COMMAND [ARGS]\n"
	      "\n"
	      "Sign in to AWS IAM Identity Center and hand the role "
	      "credentials to everything else.\n"
	      "\n"
	      "Commands:\n",
	    fp);
	for (c = cmd_table; *c != NULL; c++)
		fprintf(fp, "  %-20s %s\n", (*c)->name, (*c)->summary);
	fputs("\nGlobal options (before or after the command):\n"
	      "  --profile NAME       the profile to use (else AWS_PROFILE, "
	      "default)\n"
	      "  --sso-session NAME   the sso-session to use\n"
	      "  --output FORMAT      text, json or table\n"
	      "  --timeout SECONDS    give up after this long (IDC_TIMEOUT; "
	      "0: never)\n"
	      "  --no-color           accepted; idc writes no colour\n"
	      "  --debug              show requests and decisions on stderr, "
	      "secrets redacted\n"
	      "  --quiet              only errors on stderr\n"
	      "  --version            print the version\n"
	      "\n"
	      "Run 'idc help COMMAND' or 'idc COMMAND --help' for a command's "
	      "options; man idc for the rest.\n",
	    fp);
}

#define CMD_USAGE_WIDTH 80

void
cmd_print_usage(FILE *fp, const struct cmd_entry *cmd)
{
	const struct cmd_option *o;
	char word[128];
	int col, indent, n;

	col = indent = fprintf(fp, "usage: idc %s", cmd->name);
	for (o = cmd->options; o != NULL && o->name != NULL; o++) {
		n = snprintf(word, sizeof word, "[--%s%s%s]", o->name,
		    o->metavar != NULL ? " " : "",
		    o->metavar != NULL ? o->metavar : "");
		if (col + 1 + n > CMD_USAGE_WIDTH) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		}
		col += fprintf(fp, " %s", word);
	}
	if (cmd->args[0] != '\0') {
		if (col + 1 + (int)strlen(cmd->args) > CMD_USAGE_WIDTH)
			fprintf(fp, "\n%*s", indent, "");
		fprintf(fp, " %s", cmd->args);
	}
	fputc('\n', fp);
}

void
cmd_print_help(FILE *fp, const struct cmd_entry *cmd)
{
	const struct cmd_option *o;
	const char *line, *nl;
	char flag[128];

	cmd_print_usage(fp, cmd);
	fprintf(fp, "\n%s\n", cmd->summary);
	if (cmd->description != NULL)
		fprintf(fp, "\n%s\n", cmd->description);
	if (cmd->options == NULL || cmd->options[0].name == NULL)
		return;
	fputs("\nOptions:\n", fp);
	for (o = cmd->options; o->name != NULL; o++) {
		snprintf(flag, sizeof flag, "--%s%s%s", o->name,
		    o->metavar != NULL ? " " : "",
		    o->metavar != NULL ? o->metavar : "");
		for (line = o->help; line != NULL; line = nl) {
			nl = strchr(line, '\n');
			fprintf(fp, "  %-26s %.*s\n",
			    line == o->help ? flag : "",
			    nl != NULL ? (int)(nl - line) : (int)strlen(line),
			    line);
			if (nl != NULL)
				nl++;
		}
	}
}

int
cmd_usage_error(
    const struct cmd_entry *cmd, struct idc_err *err, const char *fmt, ...)
{
	char what[IDC_ERR_MSGMAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return idc_err_set(
	    err, IDC_EUSAGE, "%s (see 'idc %s --help')", what, cmd->name);
}

/* The command's option or a global one closest to a mistyped option. */
static int
cmd_unknown_option(
    const struct cmd_entry *cmd, const char *arg, struct idc_err *err)
{
	static const char *const globals[] = { "--profile", "--sso-session",
		"--output", "--no-color", "--debug", "--quiet", "--help",
		"--version" };
	const char *names[CMD_OPTIONS_MAX + 10], *hint;
	char given[64], spelled[CMD_OPTIONS_MAX][40];
	const struct cmd_option *o;
	size_t n = 0, k = 0, i;

	snprintf(given, sizeof given, "%.*s", (int)strcspn(arg, "="), arg);
	for (i = 0; i < sizeof globals / sizeof globals[0]; i++)
		names[n++] = globals[i];
	for (o = cmd->options; o != NULL && o->name != NULL; o++) {
		if (o->id == CMD_GLOBAL || k == CMD_OPTIONS_MAX)
			continue;
		snprintf(spelled[k], sizeof spelled[k], "--%s", o->name);
		names[n++] = spelled[k++];
	}
	names[n] = NULL;
	if (strncmp(given, "--", 2) == 0 &&
	    (hint = suggest_closest(given, names)) != NULL)
		return cmd_usage_error(cmd, err,
		    "unknown option '%.60s'; did you mean '%s'?", arg, hint);
	return cmd_usage_error(cmd, err, "unknown option '%.60s'", arg);
}

int
cmd_getopt(
    const struct cmd_entry *cmd, int argc, char **argv, struct idc_err *err)
{
	struct option longopts[CMD_OPTIONS_MAX + 1];
	const struct cmd_option *o;
	size_t n = 0;
	int c;

	/* Nothing after the command's name (`credential-process` once main
	 * took --profile): getopt_long's answer, without paging in getopt and
	 * the getenv("POSIXLY_CORRECT") of its first call. */
	if (argc <= 1) {
		optind = 1;
		return -1;
	}
	memset(longopts, 0, sizeof longopts);
	for (o = cmd->options; o != NULL && o->name != NULL; o++) {
		if (o->id == CMD_GLOBAL)
			continue;
		/* A table longer than this is a programming error. */
		if (n == CMD_OPTIONS_MAX)
			abort();
		longopts[n].name = o->name;
		longopts[n].has_arg =
		    o->metavar != NULL ? required_argument : no_argument;
		longopts[n].val = o->id;
		n++;
	}
	/* A leading ':' makes getopt tell a missing value from an unknown
	 * option; no short options. */
	opterr = 0;
	c = getopt_long(argc, argv,
	    (cmd->flags & CMD_OPTIONS_FIRST) ? "+:" : ":", longopts, NULL);
	if (c == '?') {
		if (optopt >= 256) /* --flag=value for a flag */
			cmd_usage_error(cmd, err, "option '%s' takes no value",
			    argv[optind - 1]);
		else if (optopt != 0)
			cmd_usage_error(
			    cmd, err, "unknown option '-%c'", optopt);
		else
			cmd_unknown_option(cmd, argv[optind - 1], err);
		return -2;
	}
	if (c == ':') {
		cmd_usage_error(
		    cmd, err, "option '%s' needs a value", argv[optind - 1]);
		return -2;
	}
	return c;
}

int
cmd_no_args(
    const struct cmd_entry *cmd, int argc, char **argv, struct idc_err *err)
{
	if (optind < argc)
		return cmd_usage_error(
		    cmd, err, "unexpected argument '%s'", argv[optind]);
	return 0;
}

void
cmd_signin_place(struct auth_login_opts *opts)
{
	struct browser_facts f;

	browser_facts_here(&f);
	opts->desktop = browser_desktop(&f, &opts->desktop_why);
}

void
cmd_signin_events(struct signin_view *v, struct auth_events *ev)
{
	ev->show = signin_show;
	ev->wait = signin_wait;
	ev->wait_done = signin_wait_done;
	ev->bad_paste = signin_bad_paste;
	ev->ud = v;
}

/* An MFA code: six digits. */
static int
cmd_check_mfa(const char *v, void *ud, struct idc_err *err)
{
	size_t i;

	(void)ud;
	for (i = 0; v[i] >= '0' && v[i] <= '9'; i++)
		;
	if (i == 6 && v[i] == '\0')
		return 0;
	return idc_err_set(err, IDC_EUSAGE, "an MFA code is six digits");
}

int
cmd_mfa_prompt(void *ud, const char *profile, const char *serial, char **code,
    struct idc_err *err)
{
	char *label;
	int r;

	(void)ud;
	(void)profile;
	/* The AWS CLI's prompt. */
	label = xasprintf("Enter MFA code for %s", serial);
	r = ui_prompt(label, NULL, UI_REQUIRED | UI_NO_ECHO, cmd_check_mfa,
	    NULL, code, err);
	free(label);
	if (r == 0)
		log_secret(*code);
	return r;
}

void
cmd_profcreds_options(
    const struct idc_ctx *ctx, long min_ttl, struct profcreds_options *o)
{
	memset(o, 0, sizeof *o);
	o->min_ttl = min_ttl;
	o->mfa_code = ctx->interactive ? cmd_mfa_prompt : NULL;
}
