/*
 * cmd_version.c - `idc version` and `idc --version`.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "idc/ui/output.h"
#include "idc/version.h"

static int
cmd_version_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct outjson *o;
	int c;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1)
		if (c == -2)
			return -1;
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (ctx->output == IDC_OUTPUT_JSON) {
		o = outjson_object();
		outjson_str(o, "version", IDC_VERSION);
		outjson_print(o, stdout);
	} else {
		printf("idc %s\n", IDC_VERSION);
	}
	return 0;
}

const struct cmd_entry cmd_version_entry = {
	"version",
	"",
	"print the version",
	NULL,
	NULL,
	0,
	cmd_version_exec,
};
