/*
 * cmd_write_credentials.c - `idc write-credentials`: store the role's
 * credentials as a [NAME] section of the shared credentials file
 * (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials) for tools that read
 * only that file: aws_access_key_id, aws_secret_access_key,
 * aws_session_token, and x_security_token_expires saying when they expire
 * (the key saml2aws writes; ini.h has no way to add a comment line yet).
 * The edit goes through awsconfig_edit: locked, lossless (only those
 * lines change), atomic, mode 0600, never through a symbolic link.  The
 * credentials are not refreshed there: run it again when they expire.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "idc/store/awsconfig.h"
#include "idc/core/err.h"
#include "idc/store/ini.h"
#include "idc/core/json.h"
#include "idc/store/paths.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/target.h"
#include "idc/core/timefmt.h"
#include "idc/store/validate.h"

enum {
	OPT_NAME = 256,
	OPT_MIN_TTL,
};

struct wcred_edit {
	const char *name;
	const struct rolecreds *rc;
	char expires[32];
};

static int
wcred_apply(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	struct wcred_edit *e = ud;
	struct ini_line *sec;

	if ((sec = ini_section_get(doc, e->name)) == NULL &&
	    (sec = ini_section_add(doc, e->name, err)) == NULL)
		return -1;
	if (ini_set(doc, sec, "aws_access_key_id", e->rc->access_key_id, err) ==
		-1 ||
	    ini_set(doc, sec, "aws_secret_access_key", e->rc->secret_access_key,
		err) == -1 ||
	    ini_set(doc, sec, "aws_session_token", e->rc->session_token, err) ==
		-1)
		return -1;
	/* When they expire: a comment for people, and saml2aws's key for
	 * tools that know it (botocore ignores keys it does not know). */
	if (ini_comment_set(doc, sec, "# idc: these credentials expire at ",
		e->expires, err) == -1)
		return -1;
	return ini_set(doc, sec, "x_security_token_expires", e->expires, err);
}

static int
cmd_write_credentials_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "min-ttl", required_argument, NULL, OPT_MIN_TTL },
		{ NULL, 0, NULL, 0 },
	};
	struct target t;
	struct rolecreds rc;
	struct wcred_edit e;
	const char *min_ttl_flag = NULL, *name = NULL;
	char *path = NULL, *text;
	cJSON *doc;
	long min_ttl;
	int c, changed = 0, r = -1;

	memset(&t, 0, sizeof t);
	memset(&rc, 0, sizeof rc);
	while (
	    (c = cmd_getopt(ctx->cmd, argc, argv, "", longopts, err)) != -1) {
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
	if (target_resolve(ctx, AWSCONFIG_NEED_ROLE, &t, err) == -1)
		return -1;
	if (name == NULL && (name = t.sso->profile) == NULL) {
		idc_err_set(err, IDC_EUSAGE,
		    "write-credentials needs a profile (--profile) or a "
		    "section name (--name)");
		goto out;
	}
	if ((path = paths_aws_credentials(err)) == NULL)
		goto out;
	if (rolecreds_get(&t.role, min_ttl, &rc, NULL, err) == -1)
		goto out;
	e.name = name;
	e.rc = &rc;
	timefmt_utc(rc.expiration, e.expires, sizeof e.expires);
	if (awsconfig_edit(AWSCONFIG_CREDENTIALS, path, wcred_apply, &e,
		&changed, err) == -1)
		goto out;
	if (ctx->output == IDC_OUTPUT_JSON) {
		doc = cJSON_CreateObject();
		cJSON_AddStringToObject(doc, "file", path);
		cJSON_AddStringToObject(doc, "section", name);
		cJSON_AddStringToObject(doc, "accountId", rc.account_id);
		cJSON_AddStringToObject(doc, "roleName", rc.role_name);
		cJSON_AddStringToObject(doc, "expiration", e.expires);
		cJSON_AddBoolToObject(doc, "changed", changed);
		text = json_print_indented(doc);
		fputs(text, stdout);
		free(text);
		cJSON_Delete(doc);
	} else {
		printf("Wrote credentials for role '%s' in account '%s' to "
		       "[%s] in '%s'; they expire at %s\n",
		    rc.role_name, rc.account_id, name, path, e.expires);
	}
	r = 0;
out:
	free(path);
	rolecreds_release(&rc);
	target_release(&t);
	return r;
}

static const struct cmd_option_help write_credentials_options[] = {
	{ "--name NAME", "the section to write (default: the profile's name)" },
	{ "--min-ttl SECONDS",
	    "reuse cached credentials with more left (900; IDC_MIN_TTL)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_write_credentials_entry = {
	"write-credentials",
	"[--name NAME] [--min-ttl SECONDS]",
	"store the role's credentials in the shared credentials file",
	"Writes the profile's role credentials as aws_access_key_id, "
	"aws_secret_access_key\nand aws_session_token of the section [NAME] "
	"(default: the profile's name) in the\nshared credentials file "
	"(AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials),\nwith "
	"x_security_token_expires saying when they expire.  The rest of the file is kept as "
	"it is.\nThey are not refreshed: run it again when they expire.",
	write_credentials_options,
	CMD_NEEDS_CONFIG | CMD_NEEDS_NET,
	cmd_write_credentials_exec,
};
