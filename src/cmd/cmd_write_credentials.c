/*
 * cmd_write_credentials.c - `idc write-credentials`: store the role's
 * credentials as a [NAME] section of the shared credentials file
 * (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials) for tools that read
 * only that file: aws_access_key_id, aws_secret_access_key,
 * aws_session_token, a comment and x_security_token_expires (the key
 * saml2aws writes) saying when they expire.  awsconfig_write_credentials
 * edits the file: locked, lossless (only those lines change), atomic,
 * mode 0600, never through a symbolic link.  The credentials are not
 * refreshed there: run it again when they expire.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/flow/profcreds.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/selection.h"
#include "idc/store/awsconfig.h"
#include "idc/store/paths.h"
#include "idc/core/timefmt.h"
#include "idc/store/validate.h"
#include "idc/ui/output.h"

enum {
	OPT_NAME = 256,
	OPT_MIN_TTL,
};

static int
cmd_write_credentials_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct profcreds_options po;
	struct selection t;
	struct rolecreds rc;
	struct outjson *o;
	const char *min_ttl_flag = NULL, *name = NULL;
	char *path = NULL, when[32];
	long min_ttl;
	int c, changed = 0, r = -1;

	memset(&t, 0, sizeof t);
	memset(&rc, 0, sizeof rc);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_NAME:
			name = optarg;
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
	if (name != NULL && validate_name(name, "section name", err) == -1)
		return -1;
	if (selection_resolve(ctx->profile, ctx->sso_session,
		AWSCONFIG_NEED_ROLE | AWSCONFIG_ROLE_OK, &t, err) == -1)
		return -1;
	if (name == NULL && (name = t.sso->profile) == NULL) {
		idc_err_set(err, IDC_EUSAGE,
		    "write-credentials needs a profile (--profile) or a "
		    "section name (--name)");
		goto out;
	}
	if ((path = paths_aws_credentials(err)) == NULL)
		goto out;
	cmd_profcreds_options(ctx, min_ttl, &po);
	if (profcreds_get(&t, &po, &rc, err) == -1)
		goto out;
	if (awsconfig_write_credentials(path, name,
		profcreds_chained(&t) ? NULL : &t.ref, &rc, &changed,
		err) == -1)
		goto out;
	if (ctx->output == IDC_OUTPUT_JSON) {
		o = outjson_object();
		outjson_str(o, "file", path);
		outjson_str(o, "section", name);
		outjson_str(o, "accountId", rc.account_id);
		outjson_str(o, "roleName", rc.role_name);
		outjson_time(o, "expiration", rc.expiration);
		outjson_bool(o, "changed", changed);
		outjson_print(o, stdout);
	} else {
		timefmt_utc(rc.expiration, when, sizeof when);
		printf("Wrote credentials for role '%s' in account '%s' to "
		       "[%s] in '%s'; they expire at %s\n",
		    rc.role_name, rc.account_id, name, path, when);
	}
	r = 0;
out:
	free(path);
	rolecreds_release(&rc);
	selection_release(&t);
	return r;
}

static const struct cmd_option write_credentials_options[] = {
	{ "name", OPT_NAME, "NAME",
	    "the section to write (default: the profile's name)", NULL },
	CMD_OPTION_MIN_TTL(OPT_MIN_TTL),
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_write_credentials_entry = {
	"write-credentials",
	"",
	"store the role's credentials in the shared credentials file",
	"Writes the profile's role credentials as aws_access_key_id, "
	"aws_secret_access_key\nand aws_session_token of the section [NAME] "
	"(default: the profile's name) in the\nshared credentials file "
	"(AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials),\nwith "
	"x_security_token_expires saying when they expire.  The rest of the file is kept as "
	"it is.\nThey are not refreshed: run it again when they expire.",
	write_credentials_options,
	CMD_MAY_PROMPT,
	cmd_write_credentials_exec,
};
