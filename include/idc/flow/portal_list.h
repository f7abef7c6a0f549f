/*
 * portal_list.h - what the access portal shows the signed-in person: the
 * accounts (ListAccounts, every page) and the roles in each
 * (ListAccountRoles, every page), the listing cache (listcache.h) in front.
 *
 * Roles of many accounts are asked for concurrently, while ListAccounts
 * pages still arrive, through one http_perform_stream under an adaptive
 * pace (pace.h): about 8 in flight at first, more while the service keeps
 * up, paced at the rate it allows once it answers 429.  A request that still fails after its retries
 * fails only its account: the listing keeps the others, and the account
 * carries the error (roles_state LISTING_ROLES_FAILED).  A 429 that outlasts
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

#include "idc/core/listing.h"

struct sso_ref;

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
	/* Not NULL: told as each account's roles are done (finished of
	 * todo, answers per second so far, seconds left or -1 when not
	 * known yet), and once more with done set when the listing of roles
	 * ends; ud is progress_ud.  (listprint_progress draws it.) */
	void (*progress)(void *ud, size_t finished, size_t todo, double rate,
	    double eta_s, int done);
	void *progress_ud;
};

/*
 * The listing of o->ref into *out (set only on success; the caller
 * releases it with listing_release), sorted.  The token comes from
 * auth_token (refreshed if due); a fresh cached listing is used unless
 * PORTAL_LIST_REFRESH, and what was fetched is cached (a listing of one
 * account only updates a cache that has the account).  stats may be NULL.
 */
int portal_list_fetch(const struct portal_list_opts *o, struct listing *out,
    struct portal_list_stats *stats, struct idc_err *err);

#endif
