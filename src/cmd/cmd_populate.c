/*
 * cmd_populate.c - `idc populate`: a profile in ~/.aws/config for every
 * account and role of the sso-session, through the lossless editor, with
 * a backup, a summary, --dry-run (a unified diff, nothing written) and
 * --prune (this session's generated profiles no longer listed).
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "idc/store/awsconfig.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/store/ini.h"
#include "idc/core/json.h"
#include "idc/ui/listprint.h"
#include "idc/core/log.h"
#include "idc/flow/populate.h"
#include "idc/flow/portal_list.h"
#include "idc/flow/target.h"
#include "idc/core/xmalloc.h"

#define POPULATE_BACKUP_SUFFIX ".idc-backup"

enum {
	OPT_TEMPLATE = 256,
	OPT_PREFIX,
	OPT_REGION,
	OPT_OUTPUT_FORMAT,
	OPT_SET,
	OPT_DRY_RUN,
	OPT_PRUNE,
	OPT_REFRESH,
};

/* The edit run under the config lock (maybe more than once, when another
 * program wrote the file meanwhile). */
struct populate_edit {
	const struct populate_plan *plan;
	const char *backup;
	struct populate_result res;
	int backed_up;
};

static int
populate_edit_fn(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	struct populate_edit *pe = ud;
	struct idc_buf before = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	int r = -1;

	populate_result_release(&pe->res);
	pe->backed_up = 0;
	if (ini_render(doc, &before, err) == -1 ||
	    populate_apply(pe->plan, doc, &pe->res, err) == -1)
		goto out;
	/* The file as it was, next to it, before it changes. */
	if (ini_changed(doc) && before.len > 0) {
		if (fsutil_write_atomic(pe->backup, before.data, before.len,
			0600, 0, err) == -1) {
			idc_err_prefix(err, "backup: ");
			goto out;
		}
		pe->backed_up = 1;
	}
	r = 0;
out:
	idc_buf_release(&before);
	return r;
}

static cJSON *
populate_json_names(const struct populate_names *n)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n->n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(n->v[i]));
	return arr;
}

static void
populate_print_json(const struct populate_result *res,
    const struct portal_listing *l, const char *path, const char *backup,
    int dry_run, const struct idc_buf *diff)
{
	cJSON *o = cJSON_CreateObject(), *arr, *c;
	size_t i;
	char *text;

	cJSON_AddStringToObject(o, "configFile", path);
	if (backup != NULL)
		cJSON_AddStringToObject(o, "backup", backup);
	else
		cJSON_AddNullToObject(o, "backup");
	cJSON_AddBoolToObject(o, "dryRun", dry_run);
	cJSON_AddItemToObject(o, "added", populate_json_names(&res->added));
	cJSON_AddItemToObject(o, "updated", populate_json_names(&res->updated));
	cJSON_AddItemToObject(o, "removed", populate_json_names(&res->removed));
	cJSON_AddNumberToObject(o, "unchanged", (double)res->unchanged);
	cJSON_AddItemToObject(o, "stale", populate_json_names(&res->stale));
	arr = cJSON_AddArrayToObject(o, "collisions");
	for (i = 0; i < res->ncollisions; i++) {
		const struct populate_collision *k = &res->collisions[i];

		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "wanted", k->wanted);
		if (k->assigned != NULL)
			cJSON_AddStringToObject(c, "assigned", k->assigned);
		else
			cJSON_AddNullToObject(c, "assigned");
		cJSON_AddStringToObject(c, "accountId", k->account_id);
		cJSON_AddStringToObject(c, "roleName", k->role_name);
		cJSON_AddStringToObject(c, "reason", k->why);
		cJSON_AddItemToArray(arr, c);
	}
	arr = cJSON_AddArrayToObject(o, "failedAccounts");
	for (i = 0; i < l->count; i++)
		if (l->accounts[i].roles_state == PORTAL_LIST_FAILED)
			cJSON_AddItemToArray(
			    arr, cJSON_CreateString(l->accounts[i].account_id));
	if (dry_run)
		cJSON_AddStringToObject(o, "diff", idc_buf_cstr(diff));
	text = json_print_indented(o);
	fputs(text, stdout);
	free(text);
	cJSON_Delete(o);
}

/* Collisions and stale profiles: notes on stderr. */
static void
populate_notes(const struct populate_result *res, const char *session)
{
	const struct populate_collision *k;
	size_t i;

	for (i = 0; i < res->ncollisions; i++) {
		k = &res->collisions[i];
		if (k->assigned != NULL)
			log_note("populate: '%s' (role '%s' in account '%s') "
				 "is written as '%s': the name is %s",
			    k->wanted, k->role_name, k->account_id, k->assigned,
			    k->why);
		else if (k->wanted[0] == '\0')
			log_warn("populate: no profile for role '%s' in "
				 "account '%s': %s",
			    k->role_name, k->account_id, k->why);
		else
			log_warn("populate: no profile for role '%s' in "
				 "account '%s': the name '%s' is %s",
			    k->role_name, k->account_id, k->wanted, k->why);
	}
	if (res->stale.n > 0)
		log_note("populate: %zu profile%s generated for '%s' earlier "
			 "%s no longer listed (first: '%s'); --prune removes "
			 "them",
		    res->stale.n, res->stale.n == 1 ? "" : "s", session,
		    res->stale.n == 1 ? "is" : "are", res->stale.v[0]);
}

static int
cmd_populate_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	static const struct option longopts[] = {
		{ "template", required_argument, NULL, OPT_TEMPLATE },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "output-format", required_argument, NULL, OPT_OUTPUT_FORMAT },
		{ "set", required_argument, NULL, OPT_SET },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "prune", no_argument, NULL, OPT_PRUNE },
		{ "refresh", no_argument, NULL, OPT_REFRESH },
		{ NULL, 0, NULL, 0 },
	};
	struct populate_opts po;
	struct portal_list_opts lo;
	struct portal_listing l;
	struct populate_plan *plan = NULL;
	struct populate_edit pe;
	struct target t;
	struct ini_doc *doc = NULL;
	struct idc_buf before = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_buf after = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_buf diff = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	const char **sets = NULL;
	char *backup = NULL, *label = NULL;
	int c, dry_run = 0, changed = 0, r = -1;

	memset(&po, 0, sizeof po);
	memset(&lo, 0, sizeof lo);
	memset(&l, 0, sizeof l);
	memset(&pe, 0, sizeof pe);
	memset(&t, 0, sizeof t);
	sets = xcalloc((size_t)argc + 1, sizeof sets[0]);
	while (
	    (c = cmd_getopt(ctx->cmd, argc, argv, "", longopts, err)) != -1) {
		switch (c) {
		case OPT_TEMPLATE:
			po.tmpl = optarg;
			break;
		case OPT_PREFIX:
			po.prefix = optarg;
			break;
		case OPT_REGION:
			po.region = optarg;
			break;
		case OPT_OUTPUT_FORMAT:
			po.output = optarg;
			break;
		case OPT_SET:
			sets[po.nsets++] = optarg;
			break;
		case OPT_DRY_RUN:
			dry_run = 1;
			break;
		case OPT_PRUNE:
			po.prune = 1;
			break;
		case OPT_REFRESH:
			lo.flags |= PORTAL_LIST_REFRESH;
			break;
		default:
			goto out;
		}
	}
	po.sets = sets;
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		goto out;
	if (target_resolve(ctx, 0, &t, err) == -1)
		goto out;
	if (t.sso->session == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "populate writes profiles that use an sso-session, and "
		    "profile '%s' has none (a legacy profile); create one "
		    "with 'idc configure session' and use --sso-session",
		    t.sso->profile != NULL ? t.sso->profile : "?");
		goto out;
	}
	po.session = t.sso->session;
	po.sso_region = t.sso->sso_region;
	/* Bad flags fail before anything is fetched. */
	if (populate_check(&po, err) == -1) {
		if (err != NULL && err->code == IDC_EUSAGE) {
			label = xstrdup(err->msg);
			cmd_usage_error(ctx->cmd, err, "%s", label);
		}
		goto out;
	}

	lo.ref = &t.ref;
	lo.login_hint = t.login_hint;
	lo.flags |= PORTAL_LIST_ROLES;
	if (isatty(STDERR_FILENO) && log_get_level() >= LOG_NORMAL)
		lo.flags |= PORTAL_LIST_PROGRESS;
	if (portal_list_fetch(&lo, &l, NULL, err) == -1 ||
	    populate_plan_build(&po, &l, &plan, err) == -1)
		goto out;

	if (dry_run) {
		if (awsconfig_read(
			AWSCONFIG_CONFIG, t.config_path, &doc, err) == -1 ||
		    ini_render(doc, &before, err) == -1 ||
		    populate_apply(plan, doc, &pe.res, err) == -1 ||
		    ini_render(doc, &after, err) == -1)
			goto out;
		free(label);
		label = xasprintf("%s (after idc populate)", t.config_path);
		if (populate_diff(before.data != NULL ? before.data : "",
			before.len, after.data != NULL ? after.data : "",
			after.len, t.config_path, label, &diff, err) == -1)
			goto out;
		if (ctx->output == IDC_OUTPUT_JSON) {
			populate_print_json(
			    &pe.res, &l, t.config_path, NULL, 1, &diff);
		} else {
			fwrite(idc_buf_cstr(&diff), 1, diff.len, stdout);
			if (!ctx->quiet)
				fprintf(stderr,
				    "idc: populate: dry run: would add %zu, "
				    "update %zu, remove %zu and keep %zu "
				    "profiles; nothing was written\n",
				    pe.res.added.n, pe.res.updated.n,
				    pe.res.removed.n, pe.res.unchanged);
		}
	} else {
		backup =
		    xasprintf("%s%s", t.config_path, POPULATE_BACKUP_SUFFIX);
		pe.plan = plan;
		pe.backup = backup;
		if (awsconfig_edit(AWSCONFIG_CONFIG, t.config_path,
			populate_edit_fn, &pe, &changed, err) == -1)
			goto out;
		if (ctx->output == IDC_OUTPUT_JSON) {
			populate_print_json(&pe.res, &l, t.config_path,
			    changed && pe.backed_up ? backup : NULL, 0, NULL);
		} else {
			printf("added %zu, updated %zu, removed %zu, "
			       "unchanged %zu profiles of sso-session '%s' in "
			       "'%s'",
			    pe.res.added.n, pe.res.updated.n, pe.res.removed.n,
			    pe.res.unchanged, po.session, t.config_path);
			if (changed && pe.backed_up)
				printf("; the previous file is '%s'", backup);
			printf("\n");
		}
	}
	populate_notes(&pe.res, po.session);
	if (listprint_failures(ctx->cmd->name, &l,
		"their profiles were left as they were", err) == -1)
		goto out;
	r = 0;
out:
	populate_result_release(&pe.res);
	populate_plan_free(plan);
	portal_listing_release(&l);
	ini_free(doc);
	idc_buf_release(&before);
	idc_buf_release(&after);
	idc_buf_release(&diff);
	target_release(&t);
	free(backup);
	free(label);
	free(sets);
	return r;
}

static const struct cmd_option_help populate_options[] = {
	{ "--template T", "profile names ({account_name}.{role_name});" },
	{ "", "fields {account_name} {account_id} {role_name}" },
	{ "", "{account_email} {session} {region}; transforms" },
	{ "", "{field|lower}, |upper, |kebab, |snake, |dash, |trim" },
	{ "--prefix P", "text before every generated name" },
	{ "--region R", "region of every generated profile" },
	{ "--output-format F", "output of every generated profile (json...)" },
	{ "--set KEY=VALUE", "one more key in every generated profile" },
	{ "--dry-run", "print the unified diff; write nothing" },
	{ "--prune", "remove profiles generated earlier for this session" },
	{ "", "that are no longer listed" },
	{ "--refresh", "ask the portal again (the listing is cached 10 min)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_populate_entry = {
	"populate",
	"[--template T] [--prefix P] [--region R] [--output-format F] "
	"[--set KEY=VALUE]... [--dry-run] [--prune] [--refresh]",
	"a profile for every account and role",
	"Writes a profile to the AWS config file for every role of every "
	"account the\nsso-session (of --sso-session or of the profile) "
	"reaches: sso_session,\nsso_account_id, sso_role_name, the chosen "
	"region, output and --set keys, and\nthe marker 'idc_generated = "
	"SESSION'.  Only the lines that change change;\ncomments and "
	"hand-written profiles stay, and the previous file is kept as\n"
	"CONFIG.idc-backup.  A second run with nothing new writes nothing.  "
	"Field values\nare made fit for a profile name: runs of other "
	"characters become '-'.  When\nseveral accounts and roles give one "
	"name, each gets -ACCOUNTID appended (then\n-2, -3...); a name held "
	"by a profile idc did not generate for this session is\nnever "
	"touched: NAME-ACCOUNTID is used instead.  --prune removes only "
	"profiles\nmarked for this session whose account and role are no "
	"longer listed, and never\nthose of an account whose roles could not "
	"be listed.  Exit status 4 when the\nroles of some accounts could "
	"not be listed: the others' profiles are written.",
	populate_options,
	CMD_NEEDS_CONFIG | CMD_NEEDS_NET,
	cmd_populate_exec,
};
