/*
 * cmd.h - the command table and what every command receives.
 *
 * One file per command under src/cmd/, each defining one const struct
 * cmd_entry; cmd.c holds the table, the lookup and the shared option
 * parsing.  Commands are thin: parse their options, call one or two flows,
 * print.  They report failure through err and never exit() themselves;
 * main.c prints the error and maps it to the exit status.
 */
#ifndef IDC_CMD_H
#define IDC_CMD_H

#include <stdio.h>

#include "idc/ui/output.h"

struct idc_err;

/* What main.c learned from the global options and the environment. */
struct idc_ctx {
	const char *profile;     /* --profile, or NULL */
	const char *sso_session; /* --sso-session, or NULL */
	enum idc_output output;  /* --output */
	int output_set;          /* 1 if --output was given */
	int debug;               /* --debug */
	int quiet;               /* --quiet */
	int interactive; /* may prompt: stdin and stderr are TTYs, no CI,
			    and the command has CMD_MAY_PROMPT */
	const struct cmd_entry *cmd; /* the command being run */
};

/* The command may prompt or open a browser: main.c sets ctx->interactive
 * (a person at a terminal, no CI) for it; for other commands it is 0. */
#define CMD_MAY_PROMPT 0x1
/* Options end at the first argument (getopt's "+"): what follows is
 * another command's (exec). */
#define CMD_OPTIONS_FIRST 0x2
/* The command lists a whole organisation or signs in: its default
 * deadline is main.c's long one (idc(1) --timeout), not the quick one. */
#define CMD_LONG_DEADLINE 0x4

/*
 * One option of a command.  A command's table of them is the one source
 * of getopt's array (cmd_getopt), the Options of its help, its usage line
 * and the completion scripts.
 */
struct cmd_option {
	const char *name;    /* "sso-region", without the dashes */
	int id;              /* what cmd_getopt returns for it (>= 256) */
	const char *metavar; /* "REGION" when it takes a value, else NULL */
	const char *help;    /* for --help; a '\n' starts another line */
	const char *values;  /* the values it takes, space-separated, for
				completion; or NULL */
};

/* The id of a global option (--profile, --sso-session) listed in a
 * command's table for its help: main.c takes it out of argv first. */
#define CMD_GLOBAL 1

/* --min-ttl of the commands that hand out role credentials. */
#define CMD_OPTION_MIN_TTL(id)                                                 \
	{                                                                      \
		"min-ttl", (id), "SECONDS",                                    \
		    "reuse cached credentials with more left (900; "           \
		    "IDC_MIN_TTL)",                                            \
		    NULL                                                       \
	}

/* The most options a command may have. */
#define CMD_OPTIONS_MAX 24

struct cmd_entry {
	const char *name;        /* "login", "configure session" */
	const char *args;        /* after the options in the usage line:
				    "bash|zsh|fish", "[COMMAND]", or "" */
	const char *summary;     /* one line for `idc help` */
	const char *description; /* a paragraph for `idc help NAME`, or NULL */
	const struct cmd_option *options; /* ended by a NULL name, or NULL */
	unsigned
	    flags; /* CMD_MAY_PROMPT, CMD_OPTIONS_FIRST, CMD_LONG_DEADLINE */
	/* argv[0] is the command name; options are for cmd_getopt. */
	int (*exec)(
	    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err);
};

/* The table, in the order `idc help` lists it, NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

/*
 * Find the command named by argv (one word, or two for "configure session").
 * *words is set to how many argv elements the name used.  NULL if unknown.
 */
const struct cmd_entry *cmd_find(int argc, char **argv, int *words);

/* The closest command name to a mistyped one, or NULL (for the hint). */
const char *cmd_suggest(const char *name);

/* Print `idc help` (all commands) or one command's help to fp. */
void cmd_print_overview(FILE *fp);
void cmd_print_help(FILE *fp, const struct cmd_entry *cmd);

/* Set err to a usage error for cmd with a hint to its --help. Returns -1. */
int cmd_usage_error(const struct cmd_entry *cmd, struct idc_err *err,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Parse cmd's options (its table) with getopt_long, opterr off, and turn
 * an unknown option or a missing value into a one-line usage error.
 * Returns the option's id, -1 at the end, or -2 with err set.  --help is
 * handled by main.c before the command runs.
 */
int cmd_getopt(
    const struct cmd_entry *cmd, int argc, char **argv, struct idc_err *err);

/* Print cmd's usage line ("usage: idc NAME [--opt VALUE] ... ARGS",
 * wrapped at 80 columns) to fp. */
void cmd_print_usage(FILE *fp, const struct cmd_entry *cmd);

/* No positional arguments may remain after the options. */
int cmd_no_args(
    const struct cmd_entry *cmd, int argc, char **argv, struct idc_err *err);

/*
 * The callbacks through which a sign-in (auth_login) reports to the person,
 * rendered by ui/signin.h as v says.  Every command that may sign in uses
 * this, so a sign-in looks the same from each.
 */
struct auth_events;
struct signin_view;
void cmd_signin_events(struct signin_view *v, struct auth_events *ev);

/*
 * What the commands that hand out a profile's credentials pass to
 * profcreds_get (flow/profcreds.h): min_ttl, and an MFA prompt on the
 * terminal when ctx says a person is there.
 */
struct profcreds_options;
void cmd_profcreds_options(
    const struct idc_ctx *ctx, long min_ttl, struct profcreds_options *o);

/* Ask for the MFA code of serial on the terminal (chain.h's callback). */
int cmd_mfa_prompt(void *ud, const char *profile, const char *serial,
    char **code, struct idc_err *err);

/* Where the sign-in happens (ui/browser.h): a desktop, where PKCE fits,
 * or SSH, a container or no display, where the device code does. */
struct auth_login_opts;
void cmd_signin_place(struct auth_login_opts *opts);

/* The entries, one per file. */
extern const struct cmd_entry cmd_version_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_configure_entry;
extern const struct cmd_entry cmd_configure_session_entry;
extern const struct cmd_entry cmd_login_entry;
extern const struct cmd_entry cmd_logout_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_list_accounts_entry;
extern const struct cmd_entry cmd_list_roles_entry;
extern const struct cmd_entry cmd_populate_entry;
extern const struct cmd_entry cmd_credential_process_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_exec_entry;
extern const struct cmd_entry cmd_write_credentials_entry;
extern const struct cmd_entry cmd_console_entry;
extern const struct cmd_entry cmd_whoami_entry;
extern const struct cmd_entry cmd_completion_entry;
extern const struct cmd_entry cmd_admin_entry;
extern const struct cmd_entry cmd_doctor_entry;

#endif
