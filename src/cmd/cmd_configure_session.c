/*
 * cmd_configure_session.c - `idc configure session`: create or update an
 * [sso-session] in the AWS config file.
 *
 * On a terminal it asks what `aws configure sso-session` asks, with the
 * current values as defaults; every answer can also be a flag, and a flag
 * skips its question.  With --non-interactive, or without a terminal, it
 * never asks: values come from the flags and the existing section.  The
 * questions are asked before the config lock is taken (a person may take
 * minutes); the edit itself re-reads the file under the lock, so changes
 * other writers made meanwhile survive.  It does not sign in: it prints
 * the `idc login` that does.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"
#include "idc/store/awsconfig.h"
#include "idc/store/paths.h"
#include "idc/store/validate.h"
#include "idc/ui/output.h"
#include "idc/ui/ui.h"

#define CFGSESS_DEFAULT_SCOPES "sso:account:access"

enum {
	OPT_URL = 256,
	OPT_REGION,
	OPT_SCOPES,
	OPT_NONINTERACTIVE,
};

struct cfgsess {
	const char *name;
	const char *start_url;
	const char *region;
	const char *scopes;
};

/* The edit, run under the lock on the file as it is then. */
static int
cfgsess_apply(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	const struct cfgsess *cs = ud;

	return awsconfig_put_session(
	    doc, cs->name, cs->start_url, cs->region, cs->scopes, err);
}

/*
 * A value that is neither given nor known and cannot be asked for: a usage
 * error with --non-interactive, else (no terminal) exit status 3 with the
 * command that does it without questions.
 */
static int
cfgsess_missing(const struct idc_ctx *ctx, int noninteractive,
    const struct cfgsess *cs, const char *flag, const char *what,
    struct idc_err *err)
{
	char *name = NULL, *fix;

	if (noninteractive)
		return cmd_usage_error(
		    ctx->cmd, err, "%s is needed: pass %s", what, flag);
	name = cs->name != NULL ? awsconfig_quote(cs->name) : NULL;
	fix = xasprintf("idc configure session --sso-session %s --start-url "
			"%s --sso-region %s --non-interactive",
	    name != NULL ? name : "NAME",
	    cs->start_url != NULL ? cs->start_url : "URL",
	    cs->region != NULL ? cs->region : "REGION");
	idc_err_set(err, IDC_EAUTH,
	    "cannot ask for the %s: stdin is not a terminal (or CI is set); "
	    "run '%s'",
	    what, fix);
	free(fix);
	free(name);
	return -1;
}

static int
cfgsess_print(
    const struct idc_ctx *ctx, const char *name, const char *path, int changed)
{
	char *quoted = awsconfig_quote(name), *next;
	struct outjson *o;

	next = xasprintf("idc login --sso-session %s", quoted);
	if (ctx->output == IDC_OUTPUT_JSON) {
		o = outjson_object();
		outjson_str(o, "ssoSession", name);
		outjson_str(o, "configFile", path);
		outjson_bool(o, "changed", changed);
		outjson_str(o, "next", next);
		outjson_print(o, stdout);
	} else {
		if (!ctx->quiet)
			fprintf(stderr,
			    "\nCompleted configuring SSO session: %s\n"
			    "Run the following to sign in and get an access "
			    "token for this session:\n\n",
			    name);
		printf("%s\n", next);
	}
	free(next);
	free(quoted);
	return 0;
}

static int
cmd_configure_session_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct cfgsess cs = { NULL, NULL, NULL, NULL };
	struct ini_doc *doc = NULL;
	struct awsconfig_values cur;
	const char *f_url = NULL, *f_region = NULL, *f_scopes = NULL;
	char *path = NULL, *a_name = NULL, *a_url = NULL, *a_region = NULL;
	char *a_scopes = NULL;
	int c, noninteractive = 0, ask, changed = 0, r = -1;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_URL:
			f_url = optarg;
			break;
		case OPT_REGION:
			f_region = optarg;
			break;
		case OPT_SCOPES:
			f_scopes = optarg;
			break;
		case OPT_NONINTERACTIVE:
			noninteractive = 1;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	/* Flags are checked before anything is read or asked. */
	if ((ctx->sso_session != NULL &&
		validate_name(ctx->sso_session, "sso-session name", err) ==
		    -1) ||
	    (f_url != NULL && validate_start_url(f_url, err) == -1) ||
	    (f_region != NULL &&
		validate_region(f_region, "SSO region", err) == -1) ||
	    (f_scopes != NULL && validate_scopes(f_scopes, err) == -1))
		return -1;
	ask = ctx->interactive && !noninteractive;

	if ((path = paths_aws_config(err)) == NULL ||
	    awsconfig_read(AWSCONFIG_CONFIG, path, &doc, err) == -1)
		goto out;

	cs.name = ctx->sso_session;
	if (cs.name == NULL) {
		if (!ask) {
			cfgsess_missing(ctx, noninteractive, &cs,
			    "--sso-session NAME", "sso-session name", err);
			goto out;
		}
		if (ui_prompt("SSO session name", NULL, UI_REQUIRED,
			validate_check_session_name, NULL, &a_name, err) == -1)
			goto out;
		cs.name = a_name;
	}
	awsconfig_values(doc, AWSCONFIG_SSO_SESSION, cs.name, &cur);

	if (f_url != NULL) {
		cs.start_url = f_url;
	} else if (ask) {
		if (ui_prompt("SSO start URL", cur.start_url,
			UI_REQUIRED | UI_SHOW_NONE, validate_check_start_url,
			NULL, &a_url, err) == -1)
			goto out;
		cs.start_url = a_url;
	} else {
		cs.start_url = cur.start_url;
	}
	if (f_region != NULL) {
		cs.region = f_region;
	} else if (ask) {
		if (ui_prompt("SSO region", cur.sso_region,
			UI_REQUIRED | UI_SHOW_NONE, validate_check_sso_region,
			NULL, &a_region, err) == -1)
			goto out;
		cs.region = a_region;
	} else {
		cs.region = cur.sso_region;
	}
	if (f_scopes != NULL) {
		cs.scopes = f_scopes;
	} else if (ask) {
		if (ui_prompt("SSO registration scopes",
			cur.scopes != NULL ? cur.scopes
					   : CFGSESS_DEFAULT_SCOPES,
			UI_REQUIRED, validate_check_scopes, NULL, &a_scopes,
			err) == -1)
			goto out;
		cs.scopes = a_scopes;
	} else {
		cs.scopes =
		    cur.scopes != NULL ? cur.scopes : CFGSESS_DEFAULT_SCOPES;
	}
	if (cs.start_url == NULL) {
		cfgsess_missing(ctx, noninteractive, &cs, "--start-url URL",
		    "start URL", err);
		goto out;
	}
	if (cs.region == NULL) {
		cfgsess_missing(ctx, noninteractive, &cs, "--sso-region REGION",
		    "SSO region", err);
		goto out;
	}

	if (awsconfig_edit(AWSCONFIG_CONFIG, path, cfgsess_apply, &cs, &changed,
		err) == -1) {
		/* A bad value kept from the file: say where it came from. */
		if (err != NULL && err->code == IDC_EUSAGE)
			idc_err_prefix(
			    err, "sso-session '%s' in '%s': ", cs.name, path);
		goto out;
	}
	r = cfgsess_print(ctx, cs.name, path, changed);
out:
	awsconfig_doc_free(doc);
	free(a_name);
	free(a_url);
	free(a_region);
	free(a_scopes);
	free(path);
	return r;
}

static const struct cmd_option cmd_configure_session_options[] = {
	{ "sso-session", CMD_GLOBAL, "NAME",
	    "the sso-session to create or update", NULL },
	{ "start-url", OPT_URL, "URL",
	    "the AWS access portal URL (https://...)", NULL },
	{ "sso-region", OPT_REGION, "REGION", "the IAM Identity Center region",
	    NULL },
	{ "scopes", OPT_SCOPES, "LIST",
	    "registration scopes, comma-separated (sso:account:access)", NULL },
	{ "non-interactive", OPT_NONINTERACTIVE, NULL,
	    "never ask: values from flags and the existing section", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_configure_session_entry = {
	"configure session",
	"",
	"create or update an sso-session only",
	"Writes [sso-session NAME] with sso_start_url, sso_region and "
	"sso_registration_scopes\n"
	"to the AWS config file (AWS_CONFIG_FILE, else ~/.aws/config), "
	"changing only those\n"
	"lines.  On a terminal it asks for what the flags do not give, "
	"showing current\n"
	"values as defaults.  Then run the 'idc login --sso-session NAME' it "
	"prints.",
	cmd_configure_session_options,
	CMD_MAY_PROMPT | CMD_LONG_DEADLINE,
	cmd_configure_session_exec,
};
