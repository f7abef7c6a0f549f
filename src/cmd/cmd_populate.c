/*
 * cmd_populate.c - `idc populate`: a profile in ~/.aws/config for every
 * account and role of the sso-session, through the lossless editor, with
 * a backup, a summary, --dry-run (a unified diff, nothing written) and
 * --prune (this session's generated profiles no longer listed).
 */
#include "idc/core/safetext.h"
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/populate.h"
#include "idc/flow/portal_list.h"
#include "idc/flow/selection.h"
#include "idc/store/awsconfig.h"
#include "idc/ui/listprint.h"
#include "idc/ui/output.h"

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

static void
populate_json_names(
    struct outjson *o, const char *key, const struct populate_names *n)
{
	struct outjson *arr = outjson_add_array(o, key);
	size_t i;

	for (i = 0; i < n->n; i++)
		outjson_str(arr, NULL, n->v[i]);
}

static void
populate_print_json(const struct populate_result *res, const struct listing *l,
    const char *path, const char *backup, int dry_run,
    const struct idc_buf *diff)
{
	struct outjson *o = outjson_object(), *arr, *c;
	size_t i;

	outjson_str(o, "configFile", path);
	outjson_str(o, "backup", backup);
	outjson_bool(o, "dryRun", dry_run);
	populate_json_names(o, "added", &res->added);
	populate_json_names(o, "updated", &res->updated);
	populate_json_names(o, "removed", &res->removed);
	outjson_num(o, "unchanged", (double)res->unchanged);
	populate_json_names(o, "stale", &res->stale);
	arr = outjson_add_array(o, "renamed");
	for (i = 0; i < res->renamed_from.n; i++) {
		c = outjson_add_object(arr, NULL);
		outjson_str(c, "from", res->renamed_from.v[i]);
		outjson_str(c, "to", res->renamed_to.v[i]);
	}
	arr = outjson_add_array(o, "collisions");
	for (i = 0; i < res->ncollisions; i++) {
		const struct populate_collision *k = &res->collisions[i];

		c = outjson_add_object(arr, NULL);
		outjson_str(c, "wanted", k->wanted);
		outjson_str(c, "assigned", k->assigned);
		outjson_str(c, "accountId", k->account_id);
		outjson_str(c, "roleName", k->role_name);
		outjson_str(c, "reason", k->why);
	}
	arr = outjson_add_array(o, "failedAccounts");
	for (i = 0; i < l->count; i++)
		if (l->accounts[i].roles_state == LISTING_ROLES_FAILED)
			outjson_str(arr, NULL, l->accounts[i].account_id);
	if (dry_run)
		outjson_str(o, "diff", idc_buf_cstr(diff));
	outjson_print(o, stdout);
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
	for (i = 0; i < res->renamed_from.n; i++)
		log_note("populate: '%s' is renamed '%s' (the same account and "
			 "role)%s",
		    res->renamed_from.v[i], res->renamed_to.v[i],
		    res->stale.n > 0
			? "; the old name is kept: --prune removes it"
			: "");
	if (res->stale.n > 0)
		log_note("populate: %zu profile%s generated for '%s' earlier "
			 "%s no longer listed (first: '%s'); --prune removes "
			 "them",
		    res->stale.n, res->stale.n == 1 ? "" : "s", session,
		    res->stale.n == 1 ? "is" : "are", res->stale.v[0]);
}

/* The diff on a terminal or in a pipe: each line in its safe form (the
 * file's own text may hold control characters); JSON keeps it exact. */
static void
populate_print_diff(const struct idc_buf *diff)
{
	struct idc_buf line = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	const char *p = idc_buf_cstr(diff), *end = p + diff->len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		idc_buf_reset(&line);
		safetext_append(&line, p, (size_t)(nl - p));
		fputs(idc_buf_cstr(&line), stdout);
		fputc('\n', stdout);
		p = nl + 1;
	}
	idc_buf_release(&line);
}

static int
cmd_populate_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct populate_opts po;
	struct portal_list_opts lo;
	struct listprint_progress_view progress = { 0, 0 };
	struct populate_result res;
	struct listing l;
	struct populate_plan *plan = NULL;
	struct selection t;
	struct idc_buf diff = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	const char **sets = NULL;
	char *backup = NULL, *label = NULL;
	int c, dry_run = 0, r = -1;

	memset(&po, 0, sizeof po);
	memset(&lo, 0, sizeof lo);
	memset(&res, 0, sizeof res);
	memset(&l, 0, sizeof l);
	memset(&t, 0, sizeof t);
	sets = xcalloc((size_t)argc + 1, sizeof sets[0]);
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
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
	if (selection_resolve(ctx->profile, ctx->sso_session, 0, &t, err) == -1)
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
	if (isatty(STDERR_FILENO) && log_get_level() >= LOG_NORMAL) {
		lo.progress = listprint_progress;
		lo.progress_ud = &progress;
	}
	if (portal_list_fetch(&lo, &l, NULL, err) == -1 ||
	    populate_plan_build(&po, &l, &plan, err) == -1)
		goto out;

	if (populate_config(
		plan, t.config_path, dry_run, &res, &diff, &backup, err) == -1)
		goto out;
	if (ctx->output == IDC_OUTPUT_JSON) {
		populate_print_json(
		    &res, &l, t.config_path, backup, dry_run, &diff);
	} else if (dry_run) {
		populate_print_diff(&diff);
		if (!ctx->quiet)
			fprintf(stderr,
			    "Dry run: would add %zu, update %zu, remove %zu "
			    "and keep %zu profiles%s; nothing was written\n",
			    res.added.n, res.updated.n, res.removed.n,
			    res.unchanged,
			    res.renamed_from.n > 0 ? " (see the renames above)"
						   : "");
	} else {
		printf("added %zu, ", res.added.n);
		if (res.renamed_from.n > 0)
			printf("renamed %zu, ", res.renamed_from.n);
		printf("updated %zu, removed %zu, unchanged %zu profiles of "
		       "sso-session '%s' in '%s'",
		    res.updated.n, res.removed.n, res.unchanged, po.session,
		    t.config_path);
		if (backup != NULL)
			printf("; the previous file is '%s'", backup);
		printf("\n");
	}
	populate_notes(&res, po.session);
	if (listprint_failures(ctx->cmd->name, &l,
		"their profiles were left as they were", err) == -1)
		goto out;
	r = 0;
out:
	populate_result_release(&res);
	populate_plan_free(plan);
	listing_release(&l);
	idc_buf_release(&diff);
	selection_release(&t);
	free(backup);
	free(label);
	free(sets);
	return r;
}

static const struct cmd_option populate_options[] = {
	{ "template", OPT_TEMPLATE, "T",
	    "profile names ({account_name}.{role_name});\nfields {account_name} {account_id} {role_name}\n{account_email} {session} {region}; transforms\n{field|lower}, |upper, |kebab, |snake, |dash, |trim",
	    NULL },
	{ "prefix", OPT_PREFIX, "P", "text before every generated name", NULL },
	{ "region", OPT_REGION, "R", "region of every generated profile",
	    NULL },
	{ "output-format", OPT_OUTPUT_FORMAT, "F",
	    "output of every generated profile (json...)",
	    "json text table yaml yaml-stream" },
	{ "set", OPT_SET, "KEY=VALUE",
	    "one more key in every generated profile (repeatable)", NULL },
	{ "dry-run", OPT_DRY_RUN, NULL, "print the unified diff; write nothing",
	    NULL },
	{ "prune", OPT_PRUNE, NULL,
	    "remove profiles generated earlier for this session\nthat are no longer listed",
	    NULL },
	{ "refresh", OPT_REFRESH, NULL,
	    "ask the portal again (the listing is cached 10 min)", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_populate_entry = {
	"populate",
	"",
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
	CMD_LONG_DEADLINE,
	cmd_populate_exec,
};
