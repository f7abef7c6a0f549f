/*
 * cmd_completion.c - `idc completion bash|zsh|fish`: a completion script
 * generated from the command table, so it never lags behind the commands.
 * Profile and sso-session names are completed from the config file by
 * asking `idc completion --list-profiles` / `--list-sessions` at the time of
 * completion.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/store/awsconfig.h"
#include "idc/core/err.h"
#include "idc/store/paths.h"

enum {
	OPT_LIST_PROFILES = 256,
	OPT_LIST_SESSIONS,
};

static const char completion_globals[] =
    "--profile --sso-session --output --timeout --no-color --debug --quiet "
    "--help "
    "--version";

/* The first word of every command name, each once, space-separated. */
static void
completion_words(FILE *fp)
{
	const struct cmd_entry *const *c;
	const char *prev = NULL;
	size_t n;

	for (c = cmd_table; *c != NULL; c++) {
		n = strcspn((*c)->name, " ");
		if (prev != NULL && strncmp(prev, (*c)->name, n) == 0 &&
		    (prev[n] == ' ' || prev[n] == '\0'))
			continue;
		fprintf(fp, "%s%.*s", c == cmd_table ? "" : " ", (int)n,
		    (*c)->name);
		prev = (*c)->name;
	}
}

/* Every "--option" of a command's table, space-separated. */
static void
completion_flags(FILE *fp, const struct cmd_entry *cmd)
{
	const struct cmd_option *o;

	/* The global ones are in every list already. */
	for (o = cmd->options; o != NULL && o->name != NULL; o++)
		if (o->id != CMD_GLOBAL)
			fprintf(fp, " --%s", o->name);
}

/* Is o the first option called o->name with values in the table (so that
 * each is completed once)? */
static int
completion_first_values(const struct cmd_option *want)
{
	const struct cmd_entry *const *c;
	const struct cmd_option *o;

	for (c = cmd_table; *c != NULL; c++)
		for (o = (*c)->options; o != NULL && o->name != NULL; o++)
			if (o->values != NULL &&
			    strcmp(o->name, want->name) == 0)
				return o == want;
	return 0;
}

/* bash: the values of every option that has them, after the option. */
static void
completion_bash_values(FILE *fp)
{
	const struct cmd_entry *const *c;
	const struct cmd_option *o;

	for (c = cmd_table; *c != NULL; c++)
		for (o = (*c)->options; o != NULL && o->name != NULL; o++)
			if (o->values != NULL && completion_first_values(o))
				fprintf(fp,
				    "\t--%s) COMPREPLY=($(compgen -W \"%s\" -- "
				    "\"$cur\")); return;;\n",
				    o->name, o->values);
}

static void
completion_bash(FILE *fp)
{
	const struct cmd_entry *const *c;

	/* Names are read one per line and each quoted for the shell (%q), so
	 * that a profile called "with space" stays one word; the word typed
	 * so far is compared without its quoting. */
	fputs(
	    "# bash completion for idc (idc completion bash)\n"
	    "_idc_names() {\n"
	    "\tlocal c=${cur//\\\\/} n\n"
	    "\tc=${c#[\\\"\\']}\n"
	    "\tCOMPREPLY=()\n"
	    "\twhile IFS= read -r n; do\n"
	    "\t\t[[ $n == \"$c\"* ]] && COMPREPLY+=(\"$(printf '%q' \"$n\")\")\n"
	    "\tdone < <(idc completion \"$1\" 2>/dev/null)\n"
	    "}\n"
	    "_idc() {\n"
	    "\tlocal cur prev cmd i\n"
	    "\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	    "\tprev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\tcase $prev in\n"
	    "\t--profile) _idc_names --list-profiles; return;;\n"
	    "\t--sso-session) _idc_names --list-sessions; return;;\n"
	    "\t--output) COMPREPLY=($(compgen -W \"text json table\" -- "
	    "\"$cur\")); return;;\n",
	    fp);
	completion_bash_values(fp);
	fputs("\tesac\n"
	      "\tcmd=\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; "
	      "break;; esac\n"
	      "\tdone\n"
	      "\tcase $cmd in\n",
	    fp);
	for (c = cmd_table; *c != NULL; c++) {
		if (strchr((*c)->name, ' ') != NULL)
			continue;
		fprintf(fp, "\t%s) COMPREPLY=($(compgen -W \"%s", (*c)->name,
		    completion_globals);
		completion_flags(fp, *c);
		if (strcmp((*c)->name, "configure") == 0)
			fputs(" session", fp);
		if (strcmp((*c)->name, "completion") == 0 ||
		    strcmp((*c)->name, "help") == 0)
			fputs(strcmp((*c)->name, "help") == 0
				? ""
				: " bash zsh fish",
			    fp);
		fputs("\" -- \"$cur\"));;\n", fp);
	}
	fputs("\t*) COMPREPLY=($(compgen -W \"", fp);
	completion_words(fp);
	fprintf(fp,
	    " %s\" -- \"$cur\"));;\n"
	    "\tesac\n"
	    "}\n"
	    "complete -F _idc idc\n",
	    completion_globals);
}

static void
completion_zsh(FILE *fp)
{
	/* zsh runs bash completions through bashcompinit. */
	fputs("#compdef idc\n"
	      "# zsh completion for idc (idc completion zsh)\n"
	      "autoload -U +X bashcompinit && bashcompinit\n",
	    fp);
	completion_bash(fp);
	/* Autoloaded from site-functions/_idc, this file is the body of
	 * _idc: the Tab that loaded it completes too. */
	fputs("if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then\n"
	      "\t_bash_complete -F _idc\n"
	      "fi\n",
	    fp);
}

/* s between single quotes for fish (which takes \\' and \\\\ inside). */
static void
completion_fish_quoted(FILE *fp, const char *s)
{
	fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('\'', fp);
}

static void
completion_fish(FILE *fp)
{
	const struct cmd_entry *const *c;
	const struct cmd_option *o;

	fputs("# fish completion for idc (idc completion fish)\n"
	      "complete -c idc -f\n"
	      "complete -c idc -l profile -x -a '(idc completion "
	      "--list-profiles 2>/dev/null)'\n"
	      "complete -c idc -l sso-session -x -a '(idc completion "
	      "--list-sessions 2>/dev/null)'\n"
	      "complete -c idc -l output -x -a 'text json table'\n"
	      "complete -c idc -l no-color\ncomplete -c idc -l debug\n"
	      "complete -c idc -l quiet\n",
	    fp);
	for (c = cmd_table; *c != NULL; c++) {
		if (strchr((*c)->name, ' ') != NULL)
			continue;
		fprintf(fp,
		    "complete -c idc -n '__fish_use_subcommand' -a %s -d ",
		    (*c)->name);
		completion_fish_quoted(fp, (*c)->summary);
		fputc('\n', fp);
		for (o = (*c)->options; o != NULL && o->name != NULL; o++) {
			fprintf(fp,
			    "complete -c idc -n '__fish_seen_subcommand_from "
			    "%s' -l %s",
			    (*c)->name, o->name);
			if (o->values != NULL)
				fprintf(fp, " -x -a '%s'", o->values);
			fputc('\n', fp);
		}
	}
}

/* Profile or sso-session names of the config file, one per line. */
static int
completion_list(enum awsconfig_kind want, struct idc_err *err)
{
	struct ini_doc *doc = NULL;
	char *path, **names;
	size_t i;

	if ((path = paths_aws_config(err)) == NULL)
		return -1;
	if (awsconfig_read(AWSCONFIG_CONFIG, path, &doc, err) == -1) {
		free(path);
		return -1;
	}
	names = awsconfig_names(doc, want, NULL);
	for (i = 0; names[i] != NULL; i++)
		printf("%s\n", names[i]);
	awsconfig_names_free(names);
	awsconfig_doc_free(doc);
	free(path);
	return 0;
}

static int
cmd_completion_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	static const struct {
		const char *shell;
		void (*print)(FILE *);
	} shells[] = {
		{ "bash", completion_bash },
		{ "zsh", completion_zsh },
		{ "fish", completion_fish },
	};
	size_t i;
	int c;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		if (c == OPT_LIST_PROFILES)
			return completion_list(AWSCONFIG_PROFILE, err);
		if (c == OPT_LIST_SESSIONS)
			return completion_list(AWSCONFIG_SSO_SESSION, err);
		return -1;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(
		    ctx->cmd, err, "name one shell: bash, zsh or fish");
	for (i = 0; i < sizeof shells / sizeof shells[0]; i++)
		if (strcmp(argv[optind], shells[i].shell) == 0) {
			shells[i].print(stdout);
			return 0;
		}
	return cmd_usage_error(ctx->cmd, err,
	    "no completion for shell '%s' (bash, zsh or fish)", argv[optind]);
}

static const struct cmd_option completion_options[] = {
	{ "list-profiles", OPT_LIST_PROFILES, NULL,
	    "print the profile names of the config file (for the scripts)",
	    NULL },
	{ "list-sessions", OPT_LIST_SESSIONS, NULL,
	    "print the sso-session names of the config file", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_completion_entry = {
	"completion",
	"bash|zsh|fish",
	"shell completion script",
	"Prints a completion script for the shell: commands, their options, "
	"and profile\nand sso-session names read from the config file when you "
	"press Tab.\n\n    bash: source <(idc completion bash)   (or save it "
	"in ~/.local/share/bash-completion/completions/idc)\n    zsh:  source "
	"<(idc completion zsh)\n    fish: idc completion fish > "
	"~/.config/fish/completions/idc.fish",
	completion_options,
	0,
	cmd_completion_exec,
};
