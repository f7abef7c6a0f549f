/*
 * cmd_whoami.c - `idc whoami`: who the profile's credentials are, as STS
 * GetCallerIdentity says: the account, the ARN and the user id.  The
 * credentials are found as botocore's chain finds them (flow/awscreds.h):
 * the environment unless --profile, a chained role, SSO role credentials,
 * static keys, credential_process.
 *
 * Text is one line, tab-separated, as `aws sts get-caller-identity
 * --output text` prints it; --output json has the API's names (Account,
 * Arn, UserId); --output table a labelled column.
 */
#include "idc/cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/flow/profcreds.h"
#include "idc/ui/output.h"

static int
cmd_whoami_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct profcreds_options po;
	struct awsquery_identity id;
	struct outjson *o;
	int r = -1;

	memset(&id, 0, sizeof id);
	if (cmd_getopt(ctx->cmd, argc, argv, err) != -1 ||
	    cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	cmd_profcreds_options(ctx, 0, &po);
	if (profcreds_identity(ctx->profile, &po, &id, err) == -1)
		goto out;
	switch (ctx->output) {
	case IDC_OUTPUT_JSON:
		o = outjson_object();
		outjson_api_str(o, "UserId", id.user_id);
		outjson_api_str(o, "Account", id.account);
		outjson_api_str(o, "Arn", id.arn);
		outjson_print(o, stdout);
		break;
	case IDC_OUTPUT_TABLE:
		printf("Account  %s\nArn      %s\nUserId   %s\n", id.account,
		    id.arn, id.user_id);
		break;
	default:
		printf("%s\t%s\t%s\n", id.account, id.arn, id.user_id);
		break;
	}
	r = 0;
out:
	awsquery_identity_release(&id);
	return r;
}

const struct cmd_entry cmd_whoami_entry = {
	"whoami",
	"",
	"the caller's account, ARN and user id (STS GetCallerIdentity)",
	"Asks STS who the profile's credentials are (GetCallerIdentity) and "
	"prints the\naccount, the ARN and the user id: tab-separated as text, "
	"as JSON with the\nAPI's names Account, Arn and UserId, or as a table.  "
	"The credentials are found\nas the AWS CLI finds them: the environment "
	"(unless --profile), a chained role,\nIAM Identity Center, static keys, "
	"credential_process.  Exit status 3 when a\nsign-in is needed, 6 when "
	"access is denied.",
	NULL,
	CMD_MAY_PROMPT,
	cmd_whoami_exec,
};
