/*
 * admin.h - administering IAM Identity Center: users, groups and their
 * members in the identity store, permission sets and account assignments
 * in sso-admin, the onboarding of a new person, and the CSV import of many
 * (`idc admin ...`).
 *
 * A session (admin_open) holds the signing credentials (awscreds.h: the
 * profile as botocore resolves it), the region (--region, else
 * AWS_REGION, AWS_DEFAULT_REGION, else the profile's region), the two
 * endpoints (endpoints.h, with their AWS_ENDPOINT_URL_* overrides) and one
 * HTTP client.  The instance ARN and identity store id are given, or found
 * with sso-admin ListInstances the first time an operation needs them.
 * Every call is AWS JSON 1.1 (awsjson.h) through apicall.c, with botocore's
 * standard retries; listings are complete and bounded (AWSJSON_MAX_PAGES).
 *
 * Results are plain structs for the command to print; strings from the
 * service are checked (type, length) and have control bytes replaced by
 * '?'.  Nothing here draws on the terminal.
 *
 * Errors are one line naming the object ("user 'ana' already exists",
 * "group 'devs' not found", "permission set 'Admin' not found"):
 *   IDC_EDENIED   access denied (exit 6; the message says these commands
 *                 need an administrator's permission set)
 *   IDC_EAUTH     the credentials were refused or have expired
 *   IDC_ENOTFOUND a user, group or permission set that does not exist
 *   IDC_EFAIL     a conflict (it exists already), a failed assignment
 *   IDC_EUSAGE    the service refused a value (ValidationException)
 *   IDC_ECONFIG   no region, no credentials, no instance
 *   IDC_ESERVER   throttled past the retries, a malformed answer, 5xx
 *   IDC_ENET, IDC_ETLS, IDC_EINTR as http.h
 */
#ifndef IDC_ADMIN_H
#define IDC_ADMIN_H

#include <stddef.h>

#include "idc/flow/adminapi.h"

struct admin;
struct csv_doc;
struct idc_err;

/* struct admin_opts (adminapi.h): --profile, --region, --instance-arn,
 * --identity-store-id, each NULL when not given. */

int admin_open(
    const struct admin_opts *o, struct admin **out, struct idc_err *err);
void admin_close(struct admin *a);

/* The region, and (discovering them if needed) the instance and store. */
const char *admin_region(const struct admin *a);
int admin_instance(struct admin *a, const char **instance_arn,
    const char **identity_store_id, struct idc_err *err);

/* --- the objects --- */

struct admin_user {
	char *id;
	char *user_name;
	char *display_name;
	char *given_name;
	char *family_name;
	char *email; /* the primary one, else the first, or NULL */
};

struct admin_group {
	char *id;
	char *name; /* DisplayName */
	char *description;
};

struct admin_pset {
	char *arn;
	char *name;
	char *description;
	char *session_duration;
};

struct admin_assignment {
	char *account_id;
	char *pset_arn;
	char *pset_name;
	char *principal_type; /* USER or GROUP */
	char *principal_id;
	char *principal_name; /* user name or group name, or NULL */
};

/* Lists: v is an array of n. */
struct admin_users {
	struct admin_user *v;
	size_t n, cap;
};
struct admin_groups {
	struct admin_group *v;
	size_t n, cap;
};
struct admin_psets {
	struct admin_pset *v;
	size_t n, cap;
};
struct admin_assignments {
	struct admin_assignment *v;
	size_t n, cap;
};

void admin_users_release(struct admin_users *u);
void admin_groups_release(struct admin_groups *g);
void admin_psets_release(struct admin_psets *p);
void admin_assignments_release(struct admin_assignments *a);
void admin_user_release(struct admin_user *u);

/* --- users and groups (identitystore) --- */

/* Every user, sorted by user name; with filter, only those whose user
 * name, display name or e-mail contains it (ignoring case). */
int admin_users_list(struct admin *a, const char *filter,
    struct admin_users *out, struct idc_err *err);

/* One user by user name, with the groups they are a member of. */
int admin_user_show(struct admin *a, const char *user_name,
    struct admin_user *out, struct admin_groups *groups, struct idc_err *err);

struct admin_new_user {
	const char *user_name;
	const char *email;
	const char *given_name;
	const char *family_name;
	const char *display_name; /* NULL: "given family" */
};

/* CreateUser; *id (may be NULL) is the new user's id.  A user that
 * exists is IDC_EFAIL "user 'x' already exists". */
int admin_user_add(struct admin *a, const struct admin_new_user *u, char **id,
    struct idc_err *err);

int admin_user_delete(
    struct admin *a, const char *user_name, struct idc_err *err);

/* Every group, sorted by name. */
int admin_groups_list(
    struct admin *a, struct admin_groups *out, struct idc_err *err);

int admin_group_add(struct admin *a, const char *name, const char *description,
    char **id, struct idc_err *err);
int admin_group_delete(struct admin *a, const char *name, struct idc_err *err);

/* Add user_name to (add 1) or remove them from (add 0) group.  Adding a
 * member twice is IDC_EFAIL "... is already a member". */
int admin_group_member(struct admin *a, const char *group,
    const char *user_name, int add, struct idc_err *err);

/* --- permission sets and assignments (sso-admin) --- */

/* Every permission set, described, sorted by name. */
int admin_psets_list(
    struct admin *a, struct admin_psets *out, struct idc_err *err);

struct admin_new_pset {
	const char *name;
	const char *description;      /* or NULL */
	const char *session_duration; /* ISO 8601 ("PT8H"), or NULL */
	const char *const *managed;   /* managed policy ARNs to attach */
	size_t nmanaged;
};

int admin_pset_create(struct admin *a, const struct admin_new_pset *p,
    char **arn, struct idc_err *err);

/* At most this many assignment creations or deletions in flight: a
 * service limit that cannot be raised. */
#define ADMIN_ASSIGN_IN_FLIGHT 15

/* The outcome of one account's assignment. */
struct admin_assign_result {
	char *account_id;
	char *status;  /* SUCCEEDED, FAILED, or NULL when it could not start */
	char *failure; /* the service's FailureReason, or what went wrong */
};

struct admin_assign_req {
	const char *const *accounts; /* account ids */
	size_t naccounts;
	const char *pset_name;
	const char *user_name; /* one of user_name and group */
	const char *group;
	int remove; /* DeleteAccountAssignment instead of Create */
};

/*
 * Create (or delete) the assignment in every account, at most
 * ADMIN_ASSIGN_IN_FLIGHT at a time, polling each request's status until
 * SUCCEEDED or FAILED (for at most ADMIN_POLL_MAX_MS each).  results has
 * naccounts entries, filled in order (admin_assign_results_release).
 * Returns 0 when every one succeeded; -1 with err set otherwise (the
 * results still say which did), IDC_EFAIL when some failed.
 */
#define ADMIN_POLL_MAX_MS (5 * 60 * 1000)
int admin_assign(struct admin *a, const struct admin_assign_req *r,
    struct admin_assign_result *results, struct idc_err *err);
void admin_assign_results_release(struct admin_assign_result *r, size_t n);

/* Assignments of one account, one principal, or both; with neither, of
 * every user and group.  Names filled in, sorted by account, permission
 * set, principal. */
int admin_assignments_list(struct admin *a, const char *account_id,
    const char *user_name, const char *group, struct admin_assignments *out,
    struct idc_err *err);

/* --- onboarding --- */

struct admin_onboard {
	struct admin_new_user user;
	const char *const *groups;
	size_t ngroups;
	const char *account_id; /* with pset_name, or both NULL */
	const char *pset_name;
	const char *portal_url; /* NULL: from the identity store id */
};

struct admin_onboard_result {
	char *user_id;
	int created;         /* 0: the user existed (same e-mail) */
	char **groups_added; /* the groups they were added to now */
	size_t ngroups_added, capgroups_added;
	struct admin_assign_result assignment; /* account_id NULL: none */
	char *portal_url;
};

/*
 * Create the user, or find them when they exist with the same e-mail (a
 * user of that name with another e-mail is IDC_EFAIL), add them to the
 * groups (a membership they have already is fine), and make the
 * assignment.  The portal URL is https://<identity store id>.awsapps.com/
 * start unless given.
 */
int admin_onboard_run(struct admin *a, const struct admin_onboard *o,
    struct admin_onboard_result *res, struct idc_err *err);
void admin_onboard_result_release(struct admin_onboard_result *r);

/* --- import --- */

enum admin_row_state {
	ADMIN_ROW_CREATED = 0,
	ADMIN_ROW_EXISTS,  /* skipped: a user of that name exists */
	ADMIN_ROW_PLANNED, /* --dry-run: would be created */
	ADMIN_ROW_FAILED,
};

struct admin_row {
	size_t line;
	char *user_name;
	char *email;
	char *display_name;
	char **groups; /* the row's groups */
	size_t ngroups, capgroups;
	enum admin_row_state state;
	char *why; /* for FAILED */
};

struct admin_import_result {
	struct admin_row *rows;
	size_t nrows;
	size_t created, exists, planned, failed;
	unsigned long calls;     /* CreateUser attempts sent */
	unsigned long throttled; /* of them answered as throttled */
	long long elapsed_ms;    /* creating users and memberships */
	double final_rate;       /* the pace's starts per second at the end */
};

/*
 * Import doc: a header row with user_name, email, given_name, family_name
 * and optionally display_name and groups (';'-separated); the user names
 * are matched against the store ignoring case.  Users that exist are
 * skipped; the others are created concurrently under an adaptive pace
 * (pace.h) and added to their groups.  A row that fails leaves the others
 * done.  With dry_run nothing is changed.  Returns 0 when no row failed;
 * -1 with err set (IDC_ESERVER, exit 4, as a partial listing) when some
 * did, res saying which; -1 with err before any row ran for a header
 * that is wrong or a failure to list the users.
 */
int admin_import(struct admin *a, const struct csv_doc *doc, const char *name,
    int dry_run, struct admin_import_result *res, struct idc_err *err);
void admin_import_result_release(struct admin_import_result *r);

#endif
