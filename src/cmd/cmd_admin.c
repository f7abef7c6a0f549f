/*
 * cmd_admin.c - `idc admin ...`: administer IAM Identity Center (users,
 * groups, permission sets, assignments, onboarding) with the flows of
 * admin.h, printed in the --output format.
 *
 * One entry with its own second (and third) word: `admin users add`,
 * `admin assign`.  Every subcommand takes --region, --instance-arn and
 * --identity-store-id; the others take what the usage line says, and an
 * option that is not theirs is a usage error.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/csv.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/admin.h"
#include "idc/store/fsutil.h"
#include "idc/store/validate.h"
#include "idc/ui/output.h"
#include "idc/ui/table.h"
#include "idc/ui/ui.h"

/* Repeatable options keep at most this many values. */
#define ADMIN_MAX_REPEAT 64

enum {
	O_REGION = 256,
	O_INSTANCE,
	O_STORE,
	O_USER,
	O_EMAIL,
	O_GIVEN,
	O_FAMILY,
	O_DISPLAY,
	O_GROUP,
	O_YES,
	O_DRY_RUN,
	O_FILTER,
	O_NAME,
	O_DESCRIPTION,
	O_MANAGED,
	O_DURATION,
	O_ACCOUNT,
	O_PSET,
	O_PORTAL,
};

/* Option bits, by O_* - O_REGION. */
#define B(o)   (1u << ((o)-O_REGION))
#define COMMON (B(O_REGION) | B(O_INSTANCE) | B(O_STORE))

struct admin_args {
	struct admin_opts open;
	const char *user, *email, *given, *family, *display, *filter;
	const char *name, *description, *duration, *pset, *portal;
	const char *groups[ADMIN_MAX_REPEAT];
	size_t ngroups;
	const char *managed[ADMIN_MAX_REPEAT];
	size_t nmanaged;
	const char *accounts[ADMIN_MAX_REPEAT];
	size_t naccounts;
	int yes, dry_run;
	unsigned seen;
};

struct admin_sub;
typedef int admin_run_fn(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err);

struct admin_sub {
	const char *group; /* "users" */
	const char *verb;  /* "add", or NULL for one-word subcommands */
	unsigned allowed;  /* option bits beyond COMMON */
	unsigned required; /* option bits that must be given */
	int nargs;         /* positional arguments */
	admin_run_fn *run;
};

static const struct cmd_option admin_options[];

static const char *
admin_option_name(int o)
{
	size_t i;

	for (i = 0; admin_options[i].name != NULL; i++)
		if (admin_options[i].id == o)
			return admin_options[i].name;
	return "?";
}

static int
admin_push(const char **v, size_t *n, const char *value, int o,
    const struct cmd_entry *cmd, struct idc_err *err)
{
	if (*n == ADMIN_MAX_REPEAT)
		return cmd_usage_error(cmd, err, "more than %d --%s options",
		    ADMIN_MAX_REPEAT, admin_option_name(o));
	v[(*n)++] = value;
	return 0;
}

static int
admin_parse(struct idc_ctx *ctx, const struct admin_sub *sub, int argc,
    char **argv, struct admin_args *o, struct idc_err *err)
{
	unsigned allowed = COMMON | sub->allowed, missing;
	int c, i;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		if (c == -2)
			return -1;
		if (c < O_REGION || c > O_PORTAL || !(allowed & B(c)))
			return cmd_usage_error(ctx->cmd, err,
			    "'admin %s%s%s' takes no --%s", sub->group,
			    sub->verb != NULL ? " " : "",
			    sub->verb != NULL ? sub->verb : "",
			    admin_option_name(c));
		o->seen |= B(c);
		switch (c) {
		case O_REGION:
			o->open.region = optarg;
			break;
		case O_INSTANCE:
			o->open.instance_arn = optarg;
			break;
		case O_STORE:
			o->open.identity_store_id = optarg;
			break;
		case O_USER:
			o->user = optarg;
			break;
		case O_EMAIL:
			o->email = optarg;
			break;
		case O_GIVEN:
			o->given = optarg;
			break;
		case O_FAMILY:
			o->family = optarg;
			break;
		case O_DISPLAY:
			o->display = optarg;
			break;
		case O_GROUP:
			if (admin_push(o->groups, &o->ngroups, optarg, c,
				ctx->cmd, err) == -1)
				return -1;
			break;
		case O_YES:
			o->yes = 1;
			break;
		case O_DRY_RUN:
			o->dry_run = 1;
			break;
		case O_FILTER:
			o->filter = optarg;
			break;
		case O_NAME:
			o->name = optarg;
			break;
		case O_DESCRIPTION:
			o->description = optarg;
			break;
		case O_MANAGED:
			if (admin_push(o->managed, &o->nmanaged, optarg, c,
				ctx->cmd, err) == -1)
				return -1;
			break;
		case O_DURATION:
			o->duration = optarg;
			break;
		case O_ACCOUNT:
			if (admin_push(o->accounts, &o->naccounts, optarg, c,
				ctx->cmd, err) == -1)
				return -1;
			break;
		case O_PSET:
			o->pset = optarg;
			break;
		case O_PORTAL:
			o->portal = optarg;
			break;
		}
	}
	for (i = 0; (size_t)i < o->naccounts; i++)
		if (validate_account_id(o->accounts[i], err) == -1)
			return -1;
	missing = sub->required & ~o->seen;
	for (i = O_REGION; missing != 0 && i <= O_PORTAL; i++)
		if (missing & B(i))
			return cmd_usage_error(ctx->cmd, err,
			    "'admin %s%s%s' needs --%s", sub->group,
			    sub->verb != NULL ? " " : "",
			    sub->verb != NULL ? sub->verb : "",
			    admin_option_name(i));
	if (argc - optind != sub->nargs) {
		if (argc - optind > sub->nargs)
			return cmd_usage_error(ctx->cmd, err,
			    "unexpected argument '%s'",
			    argv[optind + sub->nargs]);
		return cmd_usage_error(ctx->cmd, err,
		    "'admin %s %s' needs a file", sub->group,
		    sub->verb != NULL ? sub->verb : "");
	}
	return 0;
}

/* Exactly one of --user-name and --group. */
static int
admin_one_principal(
    struct idc_ctx *ctx, const struct admin_args *o, struct idc_err *err)
{
	if ((o->user != NULL) == (o->ngroups > 0) || o->ngroups > 1)
		return cmd_usage_error(
		    ctx->cmd, err, "give one of --user-name and --group");
	return 0;
}

static int
admin_aligned(const struct idc_ctx *ctx)
{
	return ctx->output == IDC_OUTPUT_TABLE;
}

/* --- users --- */

static void
admin_user_json(struct outjson *j, const struct admin_user *u)
{
	outjson_str(j, "userName", u->user_name);
	outjson_str(j, "userId", u->id);
	outjson_str(j, "displayName", u->display_name);
	outjson_str(j, "givenName", u->given_name);
	outjson_str(j, "familyName", u->family_name);
	outjson_str(j, "email", u->email);
}

static int
admin_users_list_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	static const char *const hdr[] = { "USER NAME", "DISPLAY NAME", "EMAIL",
		"USER ID" };
	struct admin_users users;
	struct outjson *j;
	struct uitable *t;
	size_t i;

	(void)sub, (void)argc, (void)argv;
	if (admin_users_list(a, o->filter, &users, err) == -1)
		return -1;
	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_array();
		for (i = 0; i < users.n; i++)
			admin_user_json(
			    outjson_add_object(j, NULL), &users.v[i]);
		outjson_print(j, stdout);
	} else {
		t = uitable_new(4, hdr);
		for (i = 0; i < users.n; i++) {
			const char *row[] = { users.v[i].user_name,
				users.v[i].display_name, users.v[i].email,
				users.v[i].id };
			uitable_row(t, row);
		}
		uitable_print(t, admin_aligned(ctx), stdout);
	}
	admin_users_release(&users);
	return 0;
}

static int
admin_users_show_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	static const char *const hdr[] = { "FIELD", "VALUE" };
	struct admin_groups groups;
	struct admin_user u;
	struct idc_buf names = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct outjson *j, *g;
	struct uitable *t;
	size_t i;

	(void)sub, (void)argc, (void)argv;
	if (admin_user_show(a, o->user, &u, &groups, err) == -1)
		return -1;
	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_object();
		admin_user_json(j, &u);
		g = outjson_add_array(j, "groups");
		for (i = 0; i < groups.n; i++)
			outjson_str(g, NULL, groups.v[i].name);
		outjson_print(j, stdout);
	} else {
		for (i = 0; i < groups.n; i++) {
			if (i > 0)
				idc_buf_putstr(&names, ", ");
			idc_buf_putstr(&names,
			    groups.v[i].name != NULL ? groups.v[i].name : "-");
		}
		t = uitable_new(2, hdr);
#define ADMIN_KV(k, v)                                                         \
	do {                                                                   \
		const char *kv[] = { k, v };                                   \
		uitable_row(t, kv);                                            \
	} while (0)
		ADMIN_KV("user name", u.user_name);
		ADMIN_KV("display name", u.display_name);
		ADMIN_KV("given name", u.given_name);
		ADMIN_KV("family name", u.family_name);
		ADMIN_KV("email", u.email);
		ADMIN_KV("user id", u.id);
		ADMIN_KV("groups", idc_buf_cstr(&names));
#undef ADMIN_KV
		uitable_print(t, admin_aligned(ctx), stdout);
	}
	idc_buf_release(&names);
	admin_user_release(&u);
	admin_groups_release(&groups);
	return 0;
}

/* An id on stdout (text, table) or {key: id, ...} (json). */
static void
admin_print_created(const struct idc_ctx *ctx, const char *what,
    const char *name_key, const char *name, const char *id_key, const char *id)
{
	struct outjson *j;

	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_object();
		outjson_str(j, name_key, name);
		outjson_str(j, id_key, id);
		outjson_print(j, stdout);
	} else {
		printf("%s\n", id);
	}
	log_note("admin: created %s '%s'", what, name);
}

static int
admin_users_add_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	struct admin_new_user u = { o->user, o->email, o->given, o->family,
		o->display };
	char *id = NULL;
	size_t i;
	int r = -1;

	(void)sub, (void)argc, (void)argv;
	if (admin_user_add(a, &u, &id, err) == -1)
		return -1;
	for (i = 0; i < o->ngroups; i++)
		if (admin_group_member(a, o->groups[i], o->user, 1, err) ==
		    -1) {
			idc_err_prefix(
			    err, "user '%s' was created, but: ", o->user);
			goto out;
		}
	admin_print_created(ctx, "user", "userName", o->user, "userId", id);
	r = 0;
out:
	free(id);
	return r;
}

/* --yes, or a "yes" typed at the terminal. */
static int
admin_confirm(struct idc_ctx *ctx, const struct admin_args *o, const char *what,
    struct idc_err *err)
{
	char *answer = NULL, *label;
	int ok;

	if (o->yes)
		return 0;
	if (!ctx->interactive)
		return cmd_usage_error(ctx->cmd, err,
		    "deleting %s needs --yes when no one is at the terminal",
		    what);
	label = xasprintf("Delete %s? Type yes to confirm", what);
	if (ui_prompt(label, NULL, 0, NULL, NULL, &answer, err) == -1) {
		free(label);
		return -1;
	}
	free(label);
	ok = answer != NULL && strcmp(answer, "yes") == 0;
	free(answer);
	if (!ok)
		return idc_err_set(err, IDC_EFAIL, "%s was not deleted", what);
	return 0;
}

static int
admin_users_delete_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	char *what = xasprintf("user '%s'", o->user);
	int r = -1;

	(void)sub, (void)argc, (void)argv;
	if (admin_confirm(ctx, o, what, err) == -1 ||
	    admin_user_delete(a, o->user, err) == -1)
		goto out;
	log_note("admin: deleted %s", what);
	r = 0;
out:
	free(what);
	return r;
}

static const char *
admin_row_state_name(enum admin_row_state s)
{
	switch (s) {
	case ADMIN_ROW_CREATED:
		return "created";
	case ADMIN_ROW_EXISTS:
		return "exists";
	case ADMIN_ROW_PLANNED:
		return "would-create";
	case ADMIN_ROW_FAILED:
		return "failed";
	}
	return "?";
}

static int
admin_users_import_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	static const char *const hdr[] = { "LINE", "STATE", "USER NAME",
		"DETAIL" };
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct admin_import_result res;
	struct csv_doc *doc = NULL;
	const char *path = argv[argc - 1];
	struct outjson *j, *row;
	struct uitable *t;
	char line[32];
	size_t i;
	int r = -1, ok;

	(void)sub;
	memset(&res, 0, sizeof res);
	if (fsutil_read_file(path, IDC_BUF_MAX_FILE, &text, err) == -1 ||
	    csv_parse(text.data, text.len, path, &doc, err) == -1)
		goto out;
	ok = admin_import(a, doc, path, o->dry_run, &res, err);
	if (res.nrows == 0 && ok == -1)
		goto out;
	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_array();
		for (i = 0; i < res.nrows; i++) {
			row = outjson_add_object(j, NULL);
			outjson_num(row, "line", (double)res.rows[i].line);
			outjson_str(row, "state",
			    admin_row_state_name(res.rows[i].state));
			outjson_str(row, "userName", res.rows[i].user_name);
			outjson_str(row, "email", res.rows[i].email);
			outjson_str(row, "reason", res.rows[i].why);
		}
		outjson_print(j, stdout);
	} else {
		t = uitable_new(4, hdr);
		for (i = 0; i < res.nrows; i++) {
			const char *f[4];

			snprintf(line, sizeof line, "%zu", res.rows[i].line);
			f[0] = line;
			f[1] = admin_row_state_name(res.rows[i].state);
			f[2] = res.rows[i].user_name;
			f[3] = res.rows[i].why != NULL ? res.rows[i].why
						       : res.rows[i].email;
			uitable_row(t, f);
		}
		uitable_print(t, admin_aligned(ctx), stdout);
	}
	for (i = 0; i < res.nrows; i++)
		if (res.rows[i].state == ADMIN_ROW_FAILED)
			fprintf(stderr,
			    "idc: admin users import: '%s' line %zu: %s\n",
			    path, res.rows[i].line, res.rows[i].why);
	if (o->dry_run)
		log_note("admin: dry run: %zu would be created, %zu exist, "
			 "%zu cannot be (nothing was changed)",
		    res.planned, res.exists, res.failed);
	else
		log_note("admin: %zu created, %zu skipped (they exist), %zu "
			 "failed; %lu CreateUser/CreateGroupMembership calls "
			 "(%lu throttled) in %.1f s",
		    res.created, res.exists, res.failed, res.calls,
		    res.throttled, (double)res.elapsed_ms / 1000.0);
	r = ok;
out:
	admin_import_result_release(&res);
	csv_free(doc);
	idc_buf_release(&text);
	return r;
}

/* --- groups --- */

static int
admin_groups_list_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	static const char *const hdr[] = { "NAME", "DESCRIPTION", "GROUP ID" };
	struct admin_groups g;
	struct outjson *j, *x;
	struct uitable *t;
	size_t i;

	(void)sub, (void)o, (void)argc, (void)argv;
	if (admin_groups_list(a, &g, err) == -1)
		return -1;
	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_array();
		for (i = 0; i < g.n; i++) {
			x = outjson_add_object(j, NULL);
			outjson_str(x, "name", g.v[i].name);
			outjson_str(x, "description", g.v[i].description);
			outjson_str(x, "groupId", g.v[i].id);
		}
		outjson_print(j, stdout);
	} else {
		t = uitable_new(3, hdr);
		for (i = 0; i < g.n; i++) {
			const char *f[] = { g.v[i].name, g.v[i].description,
				g.v[i].id };
			uitable_row(t, f);
		}
		uitable_print(t, admin_aligned(ctx), stdout);
	}
	admin_groups_release(&g);
	return 0;
}

static int
admin_groups_add_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	char *id = NULL;

	(void)sub, (void)argc, (void)argv;
	if (admin_group_add(a, o->name, o->description, &id, err) == -1)
		return -1;
	admin_print_created(ctx, "group", "name", o->name, "groupId", id);
	free(id);
	return 0;
}

static int
admin_groups_delete_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	(void)ctx, (void)sub, (void)argc, (void)argv;
	if (admin_group_delete(a, o->name, err) == -1)
		return -1;
	log_note("admin: deleted group '%s'", o->name);
	return 0;
}

static int
admin_groups_member_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	int add = strcmp(sub->verb, "add-member") == 0;

	(void)ctx, (void)argc, (void)argv;
	if (o->ngroups != 1)
		return cmd_usage_error(ctx->cmd, err, "give one --group");
	if (admin_group_member(a, o->groups[0], o->user, add, err) == -1)
		return -1;
	log_note("admin: user '%s' %s group '%s'", o->user,
	    add ? "added to" : "removed from", o->groups[0]);
	return 0;
}

/* --- permission sets --- */

static int
admin_psets_list_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	static const char *const hdr[] = { "NAME", "SESSION", "DESCRIPTION",
		"ARN" };
	struct admin_psets p;
	struct outjson *j, *x;
	struct uitable *t;
	size_t i;

	(void)sub, (void)o, (void)argc, (void)argv;
	if (admin_psets_list(a, &p, err) == -1)
		return -1;
	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_array();
		for (i = 0; i < p.n; i++) {
			x = outjson_add_object(j, NULL);
			outjson_str(x, "name", p.v[i].name);
			outjson_str(
			    x, "sessionDuration", p.v[i].session_duration);
			outjson_str(x, "description", p.v[i].description);
			outjson_str(x, "permissionSetArn", p.v[i].arn);
		}
		outjson_print(j, stdout);
	} else {
		t = uitable_new(4, hdr);
		for (i = 0; i < p.n; i++) {
			const char *f[] = { p.v[i].name,
				p.v[i].session_duration, p.v[i].description,
				p.v[i].arn };
			uitable_row(t, f);
		}
		uitable_print(t, admin_aligned(ctx), stdout);
	}
	admin_psets_release(&p);
	return 0;
}

static int
admin_psets_create_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	struct admin_new_pset p = { o->name, o->description, o->duration,
		o->managed, o->nmanaged };
	char *arn = NULL;

	(void)sub, (void)argc, (void)argv;
	if (admin_pset_create(a, &p, &arn, err) == -1)
		return -1;
	admin_print_created(
	    ctx, "permission set", "name", o->name, "permissionSetArn", arn);
	free(arn);
	return 0;
}

/* --- assignments --- */

static void
admin_print_assign(
    const struct idc_ctx *ctx, const struct admin_assign_result *res, size_t n)
{
	static const char *const hdr[] = { "ACCOUNT ID", "STATUS", "REASON" };
	struct outjson *j, *x;
	struct uitable *t;
	size_t i;

	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_array();
		for (i = 0; i < n; i++) {
			x = outjson_add_object(j, NULL);
			outjson_str(x, "accountId", res[i].account_id);
			outjson_str(x, "status",
			    res[i].status != NULL ? res[i].status : "FAILED");
			outjson_str(x, "failureReason", res[i].failure);
		}
		outjson_print(j, stdout);
		return;
	}
	t = uitable_new(3, hdr);
	for (i = 0; i < n; i++) {
		const char *f[] = { res[i].account_id,
			res[i].status != NULL ? res[i].status : "FAILED",
			res[i].failure };
		uitable_row(t, f);
	}
	uitable_print(t, admin_aligned(ctx), stdout);
}

static int
admin_assign_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	struct admin_assign_result res[ADMIN_MAX_REPEAT];
	struct admin_assign_req req;
	size_t i;
	int r;

	(void)argc, (void)argv;
	if (admin_one_principal(ctx, o, err) == -1)
		return -1;
	memset(&req, 0, sizeof req);
	memset(res, 0, sizeof res);
	req.accounts = o->accounts;
	req.naccounts = o->naccounts;
	req.pset_name = o->pset;
	req.user_name = o->user;
	req.group = o->ngroups > 0 ? o->groups[0] : NULL;
	req.remove = strcmp(sub->group, "unassign") == 0;
	r = admin_assign(a, &req, res, err);
	/* Each account's outcome, once any was asked for. */
	for (i = 0; i < o->naccounts; i++)
		if (res[i].status != NULL || res[i].failure != NULL) {
			admin_print_assign(ctx, res, o->naccounts);
			break;
		}
	admin_assign_results_release(res, o->naccounts);
	return r;
}

static int
admin_assignments_list_run(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	static const char *const hdr[] = { "ACCOUNT ID", "PERMISSION SET",
		"TYPE", "PRINCIPAL", "PRINCIPAL ID" };
	struct admin_assignments l;
	struct outjson *j, *x;
	struct uitable *t;
	size_t i;

	(void)sub, (void)argc, (void)argv;
	if (o->user != NULL && o->ngroups > 0)
		return cmd_usage_error(
		    ctx->cmd, err, "give --user-name or --group, not both");
	if (o->naccounts > 1 || o->ngroups > 1)
		return cmd_usage_error(
		    ctx->cmd, err, "give at most one --account-id and --group");
	if (admin_assignments_list(a, o->naccounts ? o->accounts[0] : NULL,
		o->user, o->ngroups ? o->groups[0] : NULL, &l, err) == -1)
		return -1;
	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_array();
		for (i = 0; i < l.n; i++) {
			x = outjson_add_object(j, NULL);
			outjson_str(x, "accountId", l.v[i].account_id);
			outjson_str(x, "permissionSet", l.v[i].pset_name);
			outjson_str(x, "permissionSetArn", l.v[i].pset_arn);
			outjson_str(x, "principalType", l.v[i].principal_type);
			outjson_str(x, "principalName", l.v[i].principal_name);
			outjson_str(x, "principalId", l.v[i].principal_id);
		}
		outjson_print(j, stdout);
	} else {
		t = uitable_new(5, hdr);
		for (i = 0; i < l.n; i++) {
			const char *f[] = { l.v[i].account_id, l.v[i].pset_name,
				l.v[i].principal_type, l.v[i].principal_name,
				l.v[i].principal_id };
			uitable_row(t, f);
		}
		uitable_print(t, admin_aligned(ctx), stdout);
	}
	admin_assignments_release(&l);
	return 0;
}

/* --- onboarding --- */

#define ADMIN_NO_INVITE                                                        \
	"There is no public API that sends the invitation e-mail, so idc "     \
	"does not send one."

static void
admin_print_onboard(const struct idc_ctx *ctx, const struct admin_args *o,
    const struct admin_onboard_result *res)
{
	struct outjson *j, *g, *x;
	size_t i;

	if (ctx->output == IDC_OUTPUT_JSON) {
		j = outjson_object();
		outjson_str(j, "userName", o->user);
		outjson_str(j, "userId", res->user_id);
		outjson_bool(j, "created", res->created);
		g = outjson_add_array(j, "groupsAdded");
		for (i = 0; i < res->ngroups_added; i++)
			outjson_str(g, NULL, res->groups_added[i]);
		if (res->assignment.account_id != NULL) {
			x = outjson_add_object(j, "assignment");
			outjson_str(x, "accountId", res->assignment.account_id);
			outjson_str(x, "permissionSet", o->pset);
			outjson_str(x, "status", res->assignment.status);
		}
		outjson_str(j, "portalUrl", res->portal_url);
		outjson_bool(j, "invitationSent", 0);
		outjson_print(j, stdout);
		return;
	}
	printf("User '%s' (%s) %s.\n", o->user, o->email,
	    res->created ? "was created" : "already existed, with this e-mail");
	for (i = 0; i < res->ngroups_added; i++)
		printf("Added to group '%s'.\n", res->groups_added[i]);
	if (res->assignment.account_id != NULL)
		printf("Assigned permission set '%s' in account %s.\n", o->pset,
		    res->assignment.account_id);
	printf("\nWhat %s does next:\n"
	       "  1. Open the AWS access portal: %s\n"
	       "  2. At the first sign-in, set a password and register an MFA "
	       "device.\n"
	       "  3. Choose an account and role in the portal (or run 'idc "
	       "configure' with that URL).\n"
	       "\n" ADMIN_NO_INVITE "\n"
	       "The supported ways to reach them:\n"
	       "  - turn on \"Send email OTP for users created from API\" "
	       "(IAM Identity Center\n"
	       "    console, Settings > Authentication): they verify their "
	       "e-mail with a\n"
	       "    one-time password at the first sign-in; or\n"
	       "  - in the console, open the user and choose \"Send email "
	       "verification link\"\n"
	       "    or \"Reset password\" to e-mail them a link;\n"
	       "  - or send them the portal URL above yourself.\n",
	    o->user, res->portal_url);
}

static int
admin_onboard_run_cmd(struct idc_ctx *ctx, const struct admin_sub *sub,
    struct admin *a, struct admin_args *o, int argc, char **argv,
    struct idc_err *err)
{
	struct admin_onboard ob;
	struct admin_onboard_result res;
	int r;

	(void)sub, (void)argc, (void)argv;
	if ((o->naccounts > 0) != (o->pset != NULL) || o->naccounts > 1)
		return cmd_usage_error(ctx->cmd, err,
		    "give --account-id and --permission-set together (once)");
	memset(&ob, 0, sizeof ob);
	ob.user.user_name = o->user;
	ob.user.email = o->email;
	ob.user.given_name = o->given;
	ob.user.family_name = o->family;
	ob.user.display_name = o->display;
	ob.groups = o->groups;
	ob.ngroups = o->ngroups;
	ob.account_id = o->naccounts ? o->accounts[0] : NULL;
	ob.pset_name = o->pset;
	ob.portal_url = o->portal;
	r = admin_onboard_run(a, &ob, &res, err);
	if (r == 0)
		admin_print_onboard(ctx, o, &res);
	admin_onboard_result_release(&res);
	return r;
}

/* --- the table of subcommands --- */

#define NEW_USER (B(O_USER) | B(O_EMAIL) | B(O_GIVEN) | B(O_FAMILY))

static const struct admin_sub admin_subs[] = {
	{ "users", "list", B(O_FILTER), 0, 0, admin_users_list_run },
	{ "users", "show", B(O_USER), B(O_USER), 0, admin_users_show_run },
	{ "users", "add", NEW_USER | B(O_DISPLAY) | B(O_GROUP), NEW_USER, 0,
	    admin_users_add_run },
	{ "users", "delete", B(O_USER) | B(O_YES), B(O_USER), 0,
	    admin_users_delete_run },
	{ "users", "import", B(O_DRY_RUN), 0, 1, admin_users_import_run },
	{ "groups", "list", 0, 0, 0, admin_groups_list_run },
	{ "groups", "add", B(O_NAME) | B(O_DESCRIPTION), B(O_NAME), 0,
	    admin_groups_add_run },
	{ "groups", "delete", B(O_NAME), B(O_NAME), 0,
	    admin_groups_delete_run },
	{ "groups", "add-member", B(O_GROUP) | B(O_USER),
	    B(O_GROUP) | B(O_USER), 0, admin_groups_member_run },
	{ "groups", "remove-member", B(O_GROUP) | B(O_USER),
	    B(O_GROUP) | B(O_USER), 0, admin_groups_member_run },
	{ "permission-sets", "list", 0, 0, 0, admin_psets_list_run },
	{ "permission-sets", "create",
	    B(O_NAME) | B(O_MANAGED) | B(O_DURATION) | B(O_DESCRIPTION),
	    B(O_NAME), 0, admin_psets_create_run },
	{ "assign", NULL, B(O_ACCOUNT) | B(O_PSET) | B(O_USER) | B(O_GROUP),
	    B(O_ACCOUNT) | B(O_PSET), 0, admin_assign_run },
	{ "unassign", NULL, B(O_ACCOUNT) | B(O_PSET) | B(O_USER) | B(O_GROUP),
	    B(O_ACCOUNT) | B(O_PSET), 0, admin_assign_run },
	{ "assignments", "list", B(O_ACCOUNT) | B(O_USER) | B(O_GROUP), 0, 0,
	    admin_assignments_list_run },
	{ "onboard", NULL,
	    NEW_USER | B(O_DISPLAY) | B(O_GROUP) | B(O_ACCOUNT) | B(O_PSET) |
		B(O_PORTAL),
	    NEW_USER, 0, admin_onboard_run_cmd },
};

static const struct admin_sub *
admin_find(int argc, char **argv, int *words)
{
	size_t i;

	for (i = 0; i < sizeof admin_subs / sizeof admin_subs[0]; i++) {
		const struct admin_sub *s = &admin_subs[i];

		if (argc < 2 || strcmp(argv[1], s->group) != 0)
			continue;
		if (s->verb == NULL) {
			*words = 1;
			return s;
		}
		if (argc >= 3 && strcmp(argv[2], s->verb) == 0) {
			*words = 2;
			return s;
		}
	}
	return NULL;
}

static int
cmd_admin_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct admin_args o;
	const struct admin_sub *sub;
	struct admin *a = NULL;
	int words = 0, r = -1;

	memset(&o, 0, sizeof o);
	if ((sub = admin_find(argc, argv, &words)) == NULL) {
		if (argc < 2)
			return cmd_usage_error(ctx->cmd, err,
			    "what to administer: users, groups, "
			    "permission-sets, assign, unassign, assignments "
			    "or onboard");
		return cmd_usage_error(ctx->cmd, err,
		    "unknown subcommand '%s%s%s'", argv[1],
		    argc >= 3 && argv[2][0] != '-' ? " " : "",
		    argc >= 3 && argv[2][0] != '-' ? argv[2] : "");
	}
	/* getopt sees the subcommand's last word as argv[0]. */
	argc -= words;
	argv += words;
	if (admin_parse(ctx, sub, argc, argv, &o, err) == -1)
		return -1;
	o.open.profile = ctx->profile;
	if (admin_open(&o.open, &a, err) == -1)
		return -1;
	r = sub->run(ctx, sub, a, &o, argc, argv, err);
	admin_close(a);
	return r;
}

static const struct cmd_option admin_options[] = {
	{ "region", O_REGION, "REGION",
	    "IAM Identity Center's region\n(else AWS_REGION, the profile's)",
	    NULL },
	{ "instance-arn", O_INSTANCE, "ARN",
	    "the instance (else ListInstances finds it)", NULL },
	{ "identity-store-id", O_STORE, "ID", "the identity store (likewise)",
	    NULL },
	{ "user-name", O_USER, "U", "the user", NULL },
	{ "email", O_EMAIL, "E", "users add, onboard: the e-mail address",
	    NULL },
	{ "given-name", O_GIVEN, "G", "users add, onboard", NULL },
	{ "family-name", O_FAMILY, "F", "users add, onboard", NULL },
	{ "display-name", O_DISPLAY, "D", "users add, onboard (else 'G F')",
	    NULL },
	{ "group", O_GROUP, "G",
	    "a group (repeatable for users add and onboard)", NULL },
	{ "yes", O_YES, NULL, "users delete without asking", NULL },
	{ "dry-run", O_DRY_RUN, NULL,
	    "users import: show what would be created", NULL },
	{ "filter", O_FILTER, "TEXT",
	    "users list: names or e-mails containing TEXT", NULL },
	{ "name", O_NAME, "N", "groups add|delete, permission-sets create",
	    NULL },
	{ "description", O_DESCRIPTION, "D",
	    "groups add, permission-sets create", NULL },
	{ "managed-policy", O_MANAGED, "ARN",
	    "permission-sets create (repeatable)", NULL },
	{ "session-duration", O_DURATION, "PT8H", "permission-sets create",
	    NULL },
	{ "account-id", O_ACCOUNT, "A",
	    "an account (repeatable for assign, unassign)", NULL },
	{ "permission-set", O_PSET, "N", "assign, unassign, onboard", NULL },
	{ "portal-url", O_PORTAL, "URL",
	    "onboard (else https://<store id>.awsapps.com/start)", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_admin_entry = {
	"admin",
	"WHAT ...",
	"administer IAM Identity Center (users, groups, access)",
	"  admin users list [--filter TEXT]\n"
	"  admin users show --user-name U\n"
	"  admin users add --user-name U --email E --given-name G "
	"--family-name F\n"
	"                  [--display-name D] [--group G]...\n"
	"  admin users delete --user-name U [--yes]\n"
	"  admin users import FILE.csv [--dry-run]\n"
	"  admin groups list | add --name G [--description D] | delete "
	"--name G\n"
	"  admin groups add-member|remove-member --group G --user-name U\n"
	"  admin permission-sets list\n"
	"  admin permission-sets create --name N [--managed-policy ARN]...\n"
	"                  [--session-duration PT8H] [--description D]\n"
	"  admin assign|unassign --account-id A... --permission-set N\n"
	"                  (--user-name U | --group G)\n"
	"  admin assignments list [--account-id A] [--user-name U | --group "
	"G]\n"
	"  admin onboard --user-name U --email E --given-name G "
	"--family-name F\n"
	"                  [--group G]... [--account-id A --permission-set N]\n"
	"\n"
	"These need an administrator's permission set in the account that "
	"holds\nIAM Identity Center (identitystore:* and sso:* actions).  "
	"Credentials come\nfrom the profile as the AWS CLI resolves them "
	"(an SSO profile, static keys,\ncredential_process, "
	"AWS_ACCESS_KEY_ID...).  import reads RFC 4180 CSV with a\nheader "
	"row: user_name,email,given_name,family_name[,display_name,groups]\n"
	"(groups ';'-separated); users that exist are skipped, failed rows "
	"are\nreported by line (exit 4).  Assignments are polled until done, "
	"at most 15\nat a time.  There is no public API that sends the "
	"invitation e-mail, so idc\ndoes not send one.  Exit status 6 when "
	"access is denied.",
	admin_options,
	CMD_MAY_PROMPT | CMD_LONG_DEADLINE,
	cmd_admin_exec,
};
