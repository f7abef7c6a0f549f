/*
 * cmd_pending.c - entries of the commands that are not built yet.
 *
 * Each is listed by `idc help` as "not built yet" and, when run, fails with
 * a clear error and exit status 1 instead of pretending.  When a command is
 * built, its entry moves to its own src/cmd/cmd_<name>.c.
 */
#include "idc/cmd.h"

#include "idc/err.h"

int
cmd_pending_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	(void)argc;
	(void)argv;
	return idc_err_set(
	    err, IDC_ENOTIMPL, "'idc %s' is not built yet", ctx->cmd->name);
}

#define PENDING(var, nm, use, sum, fl)                                         \
	const struct cmd_entry var = { nm, use, sum, NULL, NULL,               \
		CMD_PENDING | (fl), cmd_pending_exec }

PENDING(cmd_console_entry, "console", "[--destination URL] [--open]",
    "the access portal shortcut URL for a profile", CMD_NEEDS_CONFIG);
PENDING(cmd_completion_entry, "completion", "bash|zsh|fish",
    "shell completion script", 0);
