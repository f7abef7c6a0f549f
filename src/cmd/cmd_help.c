/*
 * cmd_help.c - `idc help [COMMAND]`: the overview or one command's help, on
 * stdout.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "idc/core/err.h"

static int
cmd_help_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	const struct cmd_entry *cmd;
	const char *hint;
	int c, words = 0;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1)
		if (c == -2)
			return -1;
	if (optind >= argc) {
		cmd_print_overview(stdout);
		return 0;
	}
	cmd = cmd_find(argc - optind, argv + optind, &words);
	if (cmd == NULL) {
		hint = cmd_suggest(argv[optind]);
		if (hint != NULL)
			return idc_err_set(err, IDC_EUSAGE,
			    "no command '%s'; did you mean '%s'?", argv[optind],
			    hint);
		return idc_err_set(err, IDC_EUSAGE,
		    "no command '%s' (see 'idc help')", argv[optind]);
	}
	if (optind + words < argc)
		return cmd_usage_error(ctx->cmd, err,
		    "unexpected argument '%s'", argv[optind + words]);
	cmd_print_help(stdout, cmd);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	"help",
	"[COMMAND]",
	"show the commands, or one command's options",
	NULL,
	NULL,
	0,
	cmd_help_exec,
};
