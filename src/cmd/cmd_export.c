/*
 * cmd_export.c - `idc export`: the role's credentials as shell lines
 * (eval "$(idc export --profile dev)") or JSON, in the shapes of the AWS
 * CLI's `configure export-credentials --format` (credfmt.h says how
 * values are quoted).  Served from idc's cache like credential-process.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "idc/store/awsconfig.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/flow/profcreds.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/selection.h"
#include "idc/ui/credfmt.h"
#include "idc/ui/rawout.h"

enum {
	OPT_FORMAT = 256,
	OPT_MIN_TTL,
};

static int
cmd_export_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct profcreds_options po;
	struct selection t;
	struct rolecreds rc;
	enum credfmt fmt;
	const char *min_ttl_flag = NULL, *format = NULL;
	long min_ttl;
	int c, r = -1;

	memset(&t, 0, sizeof t);
	memset(&rc, 0, sizeof rc);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			format = optarg;
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
	/* Shell lines by default; --output json alone asks for JSON. */
	if (format != NULL) {
		if (credfmt_parse(format, &fmt) == -1)
			return cmd_usage_error(ctx->cmd, err,
			    "format '%s' is not %s", format, credfmt_names());
	} else {
		fmt =
		    ctx->output == IDC_OUTPUT_JSON ? CREDFMT_JSON : CREDFMT_ENV;
	}
	if (selection_resolve(ctx->profile, ctx->sso_session,
		AWSCONFIG_NEED_ROLE | AWSCONFIG_ROLE_OK, &t, err) == -1)
		return -1;
	cmd_profcreds_options(ctx, min_ttl, &po);
	if (profcreds_get(&t, &po, &rc, err) == -1 ||
	    credfmt_write(&rc, fmt, &out, err) == -1)
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

static const struct cmd_option export_options[] = {
	{ "format", OPT_FORMAT, "FORMAT",
	    "env (default), env-no-export, fish, powershell, windows-cmd,\njson, or process (credential_process JSON)",
	    "env env-no-export fish powershell windows-cmd json process" },
	CMD_OPTION_MIN_TTL(OPT_MIN_TTL),
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_export_entry = {
	"export",
	"",
	"role credentials for a shell or a script",
	"Prints the profile's role credentials as AWS_ACCESS_KEY_ID, "
	"AWS_SECRET_ACCESS_KEY,\nAWS_SESSION_TOKEN and "
	"AWS_CREDENTIAL_EXPIRATION in the shape of the AWS CLI's\n'configure "
	"export-credentials', e.g. eval \"$(idc export --profile dev)\".  "
	"Real\ncredentials are printed as the AWS CLI prints them; a value "
	"with a character a\nshell would interpret is quoted for that shell. "
	" Cached like credential-process.",
	export_options,
	CMD_MAY_PROMPT,
	cmd_export_exec,
};
