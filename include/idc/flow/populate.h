/*
 * populate.h - a profile for every account and role of an sso-session:
 * names from a template, collisions resolved deterministically, a marker
 * on what idc generated so that --prune removes only its own stale
 * profiles, and the edit of the config file (or, for --dry-run, the diff
 * it would make).
 *
 * Generated profiles are native sso-session profiles:
 *   [profile NAME]
 *   sso_session = SESSION
 *   sso_account_id = 111111111111
 *   sso_role_name = ReadOnly
 *   region = REGION           (with --region)
 *   output = FORMAT           (with --output-format)
 *   KEY = VALUE               (each --set KEY=VALUE)
 *   idc_generated = SESSION   (the marker; botocore ignores unknown keys)
 *
 * Templates: text with {field} or {field|transform|...} placeholders.
 * Fields: account_name (the account id when the account has no name),
 * account_id, account_email (the account id when none), role_name,
 * session, region (--region, else the session's sso_region).
 * Transforms, applied left to right: lower, upper, kebab (lower-case,
 * every run of characters other than letters and digits becomes one '-'),
 * snake (the same with '_'), dash (every run of white space becomes one
 * '-'), trim (white space at both ends removed).  "{{" and "}}" are
 * literal braces.  A field's value is then made fit for a profile name:
 * every run of characters other than letters, digits, bytes of non-ASCII
 * UTF-8 and @%+=:,./_- becomes one '-', and '-' at its ends goes.  Literal
 * template text must consist of those characters.  The default template
 * is POPULATE_DEFAULT_TEMPLATE; --prefix text goes before every name.
 *
 * Collisions: when several account/role pairs give one name, each of them
 * gets "-<account id>" appended; pairs still sharing a name (two roles of
 * one account) get "-2", "-3"... in role-name order after the first.  A
 * name held by a profile that idc did not generate for this session (a
 * hand-written one, another session's) is never touched: the generated
 * profile is named NAME-<account id> instead, or skipped when that is
 * taken too.  Every collision is reported.
 *
 * Errors: IDC_EUSAGE for a bad template, --set or value (the message
 * names it); ini.c's errors from the edit.
 */
#ifndef IDC_POPULATE_H
#define IDC_POPULATE_H

#include <stddef.h>

struct idc_buf;
struct idc_err;
struct ini_doc;
struct listing;

#define POPULATE_DEFAULT_TEMPLATE "{account_name}.{role_name}"
/* The file as it was before populate changed it: the config path and
 * this. */
#define POPULATE_BACKUP_SUFFIX ".idc-backup"

struct populate_opts {
	const char *session;     /* the sso-session (required) */
	const char *sso_region;  /* the session's region, for {region} */
	const char *tmpl;        /* NULL: POPULATE_DEFAULT_TEMPLATE */
	const char *prefix;      /* NULL: none */
	const char *region;      /* region key, or NULL */
	const char *output;      /* output key, or NULL */
	const char *const *sets; /* "key=value" items */
	size_t nsets;
	int prune; /* remove this session's stale generated profiles */
};

/* One name that had to change, or a profile that could not be written. */
struct populate_collision {
	char *wanted;   /* the name from the template, "" when none */
	char *assigned; /* the name used, or NULL when skipped */
	char *account_id;
	char *role_name;
	/* What follows "the name is": "shared by several accounts and
	 * roles", "taken by a profile idc did not generate for this
	 * session"; with wanted "", a whole clause ("the template gives no
	 * valid profile name for it"). */
	const char *why;
};

struct populate_names {
	char **v;
	size_t n, cap;
};

struct populate_result {
	struct populate_names added, updated, removed;
	struct populate_names stale; /* kept: --prune not given */
	/* Profiles the template now names otherwise (the same account and
	 * role): renamed_from[i] became renamed_to[i].  With --prune the old
	 * one is gone and neither name is in added or removed; without, the
	 * new one is in added and the old one in stale. */
	struct populate_names renamed_from, renamed_to;
	size_t unchanged;
	struct populate_collision *collisions;
	size_t ncollisions, capcollisions;
};

struct populate_plan;

/* Check the options (template, --set items, region, output format)
 * without a listing.  IDC_EUSAGE naming the bad one. */
int populate_check(const struct populate_opts *o, struct idc_err *err);

/*
 * The profiles for every account of l whose roles are known, named and
 * with collisions between them resolved.  Accounts whose roles are not
 * known (failed) are remembered: their generated profiles are kept.
 * o must outlive the plan.  Free with populate_plan_free.
 */
int populate_plan_build(const struct populate_opts *o, const struct listing *l,
    struct populate_plan **out, struct idc_err *err);
void populate_plan_free(struct populate_plan *p);

/* Profiles in the plan. */
size_t populate_plan_count(const struct populate_plan *p);

/*
 * Apply the plan to doc (a parsed config file): add and update the
 * planned profiles, then remove (with prune) or report the stale ones.
 * *res is reset first; release it with populate_result_release.
 */
int populate_apply(const struct populate_plan *p, struct ini_doc *doc,
    struct populate_result *res, struct idc_err *err);
void populate_result_release(struct populate_result *res);

/*
 * Apply the plan to the config file at path.  With dry_run nothing is
 * written, and the unified diff from the file to what it would become is
 * appended to diff (labels: path, and "path (after idc populate)").
 * Without, the file is edited through awsconfig_edit (locked, lossless,
 * atomic, retried when another program wrote it meanwhile), and when it
 * changes, the file as it was is written next to it first: *backup is
 * then that path (allocated), else NULL.  *res as populate_apply's.
 */
int populate_config(const struct populate_plan *p, const char *path,
    int dry_run, struct populate_result *res, struct idc_buf *diff,
    char **backup, struct idc_err *err);

/*
 * The name that template t gives one account and role (before collision
 * handling): allocated into *out.  For tests and for the plan.
 */
int populate_name(const struct populate_opts *o, const char *account_id,
    const char *account_name, const char *account_email, const char *role_name,
    char **out, struct idc_err *err);

#endif
