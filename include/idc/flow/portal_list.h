/*
 * portal_list.h - what the access portal shows the signed-in person: the
 * accounts (ListAccounts, every page) and the roles in each
 * (ListAccountRoles, every page), the listing cache (listcache.h) in front.
 *
 * Roles of many accounts are asked for concurrently through one
 * http_perform_many batch under an adaptive pace (pace.h): about 8 in
 * flight at first, more while the service keeps up, fewer and paced to its
 * rate once it answers 429.  A request that still fails after its retries
 * fails only its account: the listing keeps the others, and the account
 * carries the error (roles_state PORTAL_LIST_FAILED).  A 429 that outlasts
 * the HTTP retries is queued again (PORTAL_LIST_THROTTLE_ROUNDS times)
 * before it counts as a failure.
 *
 * Errors of portal_list_fetch: those of auth_token (IDC_EAUTH with the
 * login command), IDC_ENET / IDC_ETLS / IDC_ESERVER when ListAccounts
 * fails, IDC_EAUTH when the portal refuses the token (the message ends
 * with the login command), IDC_EINTR.  Per-account failures are not
 * errors of the call.
 */
#ifndef IDC_PORTAL_LIST_H
#define IDC_PORTAL_LIST_H

#include <stddef.h>
#include <time.h>

#include "idc/core/err.h"

struct sso_ref;

enum portal_list_roles {
	PORTAL_LIST_UNKNOWN = 0, /* roles not asked for */
	PORTAL_LIST_OK,          /* roles/nroles complete */
	PORTAL_LIST_FAILED,      /* asking failed: roles_err says why */
};

struct portal_list_account {
	char *account_id;
	char *account_name;  /* may be NULL */
	char *email_address; /* may be NULL */
	char **roles;        /* role names, sorted case-insensitively */
	size_t nroles;
	enum portal_list_roles roles_state;
	struct idc_err roles_err;
};

/* A listing owns everything it points to (portal_listing_release). */
struct portal_listing {
	struct portal_list_account *accounts; /* sorted (portal_listing_sort) */
	size_t count;
	time_t fetched_at; /* when ListAccounts answered */
	int from_cache;    /* the account list came from the cache */
};

/* What a fetch cost (for --debug and the benchmark). */
struct portal_list_stats {
	unsigned long requests;  /* HTTP attempts made */
	unsigned long throttled; /* of which answered 429 */
	unsigned long failed;    /* accounts whose roles failed */
	double final_rate; /* requests per second at the end, 0: unpaced */
	long long elapsed_ms;
};

#define PORTAL_LIST_ROLES    0x1 /* also the roles of every account */
#define PORTAL_LIST_REFRESH  0x2 /* ignore the cache (it is still written) */
#define PORTAL_LIST_PROGRESS 0x4 /* a progress line on stderr (a TTY) */
#define PORTAL_LIST_NO_CACHE 0x8 /* neither read nor write the cache */

/* Rounds a throttled request is queued again before its account fails. */
#define PORTAL_LIST_THROTTLE_ROUNDS 5

struct portal_list_opts {
	const struct sso_ref *ref;
	const char *login_hint; /* "idc login --profile dev" */
	unsigned flags;
	/* Not NULL: only this account, with its roles; ListAccounts is not
	 * called (the name and e-mail come from the cache when known). */
	const char *account_id;
};

/*
 * The listing of o->ref into *out (set only on success; the caller
 * releases it with portal_listing_release), sorted.  The token comes from
 * auth_token (refreshed if due); a fresh cached listing is used unless
 * PORTAL_LIST_REFRESH, and what was fetched is cached (a listing of one
 * account only updates a cache that has the account).  stats may be NULL.
 */
int portal_list_fetch(const struct portal_list_opts *o,
    struct portal_listing *out, struct portal_list_stats *stats,
    struct idc_err *err);

/* Sort accounts as a person expects (name, else e-mail, else id,
 * case-insensitively, then id) and each account's roles by name. */
void portal_listing_sort(struct portal_listing *l);

/* The account with id, or NULL. */
struct portal_list_account *portal_listing_find(
    const struct portal_listing *l, const char *account_id);

/* Accounts whose roles failed. */
size_t portal_listing_failed(const struct portal_listing *l);

/* Append an account (copies the strings); returns it. */
struct portal_list_account *portal_listing_add(struct portal_listing *l,
    const char *account_id, const char *account_name,
    const char *email_address);

/* Append a role name (copied) to an account. */
void portal_list_account_add_role(
    struct portal_list_account *a, const char *role_name);

/* Free what the listing holds; it is left empty.  NULL is fine. */
void portal_listing_release(struct portal_listing *l);

/* The label a person sees for an account, as the AWS CLI shows it:
 * "name, email (id)", degrading to "name (id)", "email (id)" or "id".
 * Allocated. */
char *portal_list_account_label(const struct portal_list_account *a);

#endif
