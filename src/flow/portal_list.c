/*
 * portal_list.c - the listing flow: every account the sign-in reaches and
 * every role in each, through the listing cache, ListAccounts page by page
 * and ListAccountRoles for many accounts at once (see portal_list.h).
 *
 * Everything runs as one http_perform_stream on one client (one pool of
 * connections): the first ListAccounts page, then, as each page arrives,
 * its next page (fed before anything else: pages are a chain) and the
 * roles of its accounts, so that roles are asked for while the accounts
 * are still being listed.  A roles page with a next token, and a request
 * still throttled after its HTTP retries, go back into the queue: no
 * round waits for its slowest request.  The pace (pace.h) sees every
 * attempt through http.c's attempt callback and answers the stream's gate
 * before every start: it sets the in-flight cap and, once the portal has
 * throttled, spaces the starts at the rate it measured, while the
 * transfers in flight go on.
 *
 * A listing always ends: a next token seen before in the same listing, more
 * pages than PLIST_MAX_PAGES_*, or PLIST_MAX_STALE pages in a row that
 * bring nothing new (empty, or entries already listed) end it as a server
 * error (for ListAccounts the command's, for an account's
 * roles that account's), and the command's deadline (deadline.h) ends the
 * whole listing with one line.
 */
#include "idc/flow/portal_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "idc/net/apicall.h"
#include "idc/net/apierror.h"
#include "idc/flow/auth.h"
#include "idc/net/endpoints.h"
#include "idc/core/deadline.h"
#include "idc/core/err.h"
#include "idc/net/http.h"
#include "idc/core/intr.h"
#include "idc/store/listcache.h"
#include "idc/core/log.h"
#include "idc/net/pace.h"
#include "idc/net/portal.h"
#include "idc/store/tokens.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"

/* Page size asked for (the API's maximum): fewer round trips in a row for
 * ListAccounts and fewer requests against the portal's rate. */
#define PLIST_PAGE            100
#define PLIST_START_IN_FLIGHT 8
#define PLIST_MAX_IN_FLIGHT   64
/* 5xx and transport failures: the first try and three retries. */
#define PLIST_MAX_ATTEMPTS 4

/* ---- the run -------------------------------------------------------- */

/* One request of the stream: a ListAccounts page or an account's roles
 * page.  Allocated on its own: its apicall must not move. */
struct plist_req {
	int accounts;     /* 1: ListAccounts */
	size_t acct;      /* ListAccountRoles: index into the listing */
	char *next_token; /* NULL: the first page */
	int rounds;       /* times it ended throttled */
	struct apicall call;
};

/* Page budgets: 500,000 accounts, 10,000 roles in one account at 100 a
 * page, far above what an organisation has; and pages that bring nothing
 * new but still promise more. */
#define PLIST_MAX_PAGES_ACCOUNTS 5000
#define PLIST_MAX_PAGES_ROLES    100
#define PLIST_MAX_STALE          10

/* The pages of one listing (accounts, or one account's roles) so far. */
struct plist_paging {
	char **seen; /* next tokens already followed */
	size_t nseen, capseen;
	unsigned pages, stale;
};

/* Account ids seen (12 digits, so a number), to tell new from repeated:
 * open addressing, id + 1 so that 0 marks a free slot. */
struct plist_ids {
	unsigned long long *v;
	size_t n, cap;
};

struct plist_run {
	const struct portal_list_opts *o;
	struct listing *l;
	struct http_client *http;
	struct pace pace;
	const char *base;
	const struct sso_token *tok; /* the token the requests carry */
	const char *token;
	/* Requests not fed yet: the next ListAccounts page first, then the
	 * roles queue (a ring); those fed, by their index in the stream. */
	struct plist_req *accounts_next;
	struct plist_req **queue;
	size_t qhead, qlen, qcap;
	struct plist_req **fed;
	size_t nfed, capfed;
	/* Each account listed once; the pages of the listing and of each
	 * account's roles (by account index), to see that they end. */
	struct plist_ids ids;
	struct plist_paging accounts_paging;
	struct plist_paging *paging;
	size_t npaging, cappaging;
	int listing_accounts; /* ListAccounts pages are still to come */
	/* Accounts to finish and finished, for the progress line. */
	size_t todo, finished;
	unsigned long answered;
	long long t0, roles_t0;
	unsigned long attempts; /* attempts made */
	struct idc_err fatal;
	int fatal_set;
	int rejected; /* the token was marked rejected */
};

/* 1 if id was not in the set (it is now), else 0. */
static int
plist_ids_add(struct plist_ids *s, const char *id)
{
	unsigned long long key = strtoull(id, NULL, 10) + 1, *old;
	size_t i, oldcap, h;

	if (2 * (s->n + 1) > s->cap) {
		old = s->v;
		oldcap = s->cap;
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xcalloc(s->cap, sizeof s->v[0]);
		s->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0) {
				for (h = (size_t)(old[i] *
					     0x9e3779b97f4a7c15ULL) &
					 (s->cap - 1);
				     s->v[h] != 0; h = (h + 1) & (s->cap - 1))
					;
				s->v[h] = old[i];
				s->n++;
			}
		free(old);
	}
	for (h = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (s->cap - 1);
	     s->v[h] != 0; h = (h + 1) & (s->cap - 1))
		if (s->v[h] == key)
			return 0;
	s->v[h] = key;
	s->n++;
	return 1;
}

static void
plist_paging_release(struct plist_paging *pg)
{
	size_t i;

	for (i = 0; i < pg->nseen; i++)
		free(pg->seen[i]);
	free(pg->seen);
	memset(pg, 0, sizeof *pg);
}

/*
 * One more page of a listing, with fresh entries not listed before and
 * next_token (NULL: the last page): -1 with err set (IDC_ESERVER) when the
 * listing would never end.  what names it ("ListAccounts").
 */
static int
plist_page_check(struct plist_paging *pg, const char *next_token, size_t fresh,
    unsigned max_pages, const char *what, struct idc_err *err)
{
	size_t i;

	pg->pages++;
	pg->stale = fresh == 0 ? pg->stale + 1 : 0;
	if (next_token == NULL)
		return 0;
	for (i = 0; i < pg->nseen; i++)
		if (strcmp(pg->seen[i], next_token) == 0)
			return idc_err_set(err, IDC_ESERVER,
			    "%s: page %u has the next token of page %zu again: "
			    "the listing would never end",
			    what, pg->pages, i + 1);
	if (pg->pages >= max_pages)
		return idc_err_set(err, IDC_ESERVER,
		    "%s: still more after %u pages: the listing would never "
		    "end",
		    what, pg->pages);
	if (pg->stale >= PLIST_MAX_STALE)
		return idc_err_set(err, IDC_ESERVER,
		    "%s: %u pages in a row with nothing new, each promising "
		    "more: the listing would never end",
		    what, pg->stale);
	pg->seen = xgrowarray(
	    pg->seen, &pg->capseen, pg->nseen + 1, sizeof pg->seen[0]);
	pg->seen[pg->nseen++] = xstrdup(next_token);
	return 0;
}

/* Tell the command how far the roles are (it draws the progress). */
static void
plist_progress(struct plist_run *run, int last)
{
	long long el = intr_now_ms() - run->roles_t0;
	double rate = 0, eta = -1;

	if (run->o->progress == NULL || run->todo == 0)
		return;
	if (el > 0)
		rate = (double)run->answered * 1000.0 / (double)el;
	/* While accounts still arrive, how many are to come is not known. */
	if (el >= 300 && run->finished > 0 && !run->listing_accounts)
		eta = (double)(run->todo - run->finished) * (double)el /
		    (double)run->finished / 1000.0;
	run->o->progress(
	    run->o->progress_ud, run->finished, run->todo, rate, eta, last);
}

static struct plist_req *
plist_req_new(int accounts, size_t acct, char *next_token, int rounds)
{
	struct plist_req *q = xcalloc(1, sizeof *q);

	q->accounts = accounts;
	q->acct = acct;
	q->next_token = next_token;
	q->rounds = rounds;
	return q;
}

static void
plist_req_free(struct plist_req *q)
{
	if (q == NULL)
		return;
	free(q->next_token);
	apicall_release(&q->call);
	free(q);
}

/* Queue q (its call released: it is prepared again when fed). */
static void
plist_queue(struct plist_run *run, struct plist_req *q)
{
	struct plist_req **v;
	size_t i;

	apicall_release(&q->call);
	memset(&q->call, 0, sizeof q->call);
	if (q->accounts) {
		run->accounts_next = q;
		return;
	}
	if (run->qlen == run->qcap) {
		v = xcalloc(run->qcap ? run->qcap * 2 : 64, sizeof *v);
		for (i = 0; i < run->qlen; i++)
			v[i] = run->queue[(run->qhead + i) % run->qcap];
		free(run->queue);
		run->queue = v;
		run->qcap = run->qcap ? run->qcap * 2 : 64;
		run->qhead = 0;
	}
	run->queue[(run->qhead + run->qlen++) % run->qcap] = q;
}

/* The roles of account acct are to be asked for. */
static void
plist_queue_roles(struct plist_run *run, size_t acct)
{
	struct listing_account *a = &run->l->accounts[acct];

	listing_account_clear_roles(a);
	a->roles_state = LISTING_ROLES_UNKNOWN;
	run->paging = xgrowarray(
	    run->paging, &run->cappaging, acct + 1, sizeof run->paging[0]);
	while (run->npaging <= acct)
		memset(&run->paging[run->npaging++], 0, sizeof run->paging[0]);
	if (run->todo++ == 0)
		run->roles_t0 = intr_now_ms();
	plist_queue(run, plist_req_new(0, acct, NULL, 0));
}

static void
plist_set_fatal(struct plist_run *run, const struct idc_err *e)
{
	if (run->fatal_set)
		return;
	run->fatal = *e;
	run->fatal_set = 1;
}

static void
plist_fail(
    struct plist_run *run, struct listing_account *a, const struct idc_err *why)
{
	listing_account_clear_roles(a);
	a->roles_state = LISTING_ROLES_FAILED;
	a->roles_err = *why;
	run->finished++;
	log_debug("account '%s': %s", a->account_id, why->msg);
}

/* The stream's next request: the next ListAccounts page first (it brings
 * more work), then the queue; none once the listing has failed. */
static int
plist_feed(void *ud, size_t i, const struct http_request **out)
{
	struct plist_run *run = ud;
	struct api_request req = { 0 };
	struct idc_err e = IDC_ERR_INIT;
	struct plist_req *q;
	int rc;

	while (!run->fatal_set) {
		if (run->accounts_next != NULL) {
			q = run->accounts_next;
			run->accounts_next = NULL;
			portal_accounts_request(
			    run->token, q->next_token, PLIST_PAGE, &req);
		} else if (run->qlen > 0) {
			q = run->queue[run->qhead];
			run->qhead = (run->qhead + 1) % run->qcap;
			run->qlen--;
			portal_roles_request(run->token,
			    run->l->accounts[q->acct].account_id, q->next_token,
			    PLIST_PAGE, &req);
		} else {
			return 0;
		}
		rc = apicall_prepare(&q->call, run->base,
		    q->accounts ? "ListAccounts" : "ListAccountRoles", &req,
		    &e);
		api_request_release(&req);
		if (rc == -1) {
			if (q->accounts)
				plist_set_fatal(run, &e);
			else
				plist_fail(run, &run->l->accounts[q->acct], &e);
			plist_req_free(q);
			continue;
		}
		run->fed = xgrowarray(
		    run->fed, &run->capfed, i + 1, sizeof run->fed[0]);
		while (run->nfed <= i)
			run->fed[run->nfed++] = NULL;
		run->fed[i] = q;
		log_debug("%s: GET %s", q->call.operation, q->call.url);
		*out = &q->call.http;
		return 1;
	}
	return 0;
}

/* Every start waits for the pace's slot (Retry-After, the rate). */
static long
plist_gate(void *ud, long long now_ms)
{
	struct plist_run *run = ud;

	return pace_gate(&run->pace, now_ms);
}

static void
plist_attempt(void *ud, size_t i, long status, long retry_after_ms)
{
	struct plist_run *run = ud;

	(void)i;
	run->attempts++;
	if (status > 0) {
		run->answered++;
		pace_sample_rtt(&run->pace, http_attempt_ms(run->http));
	}
	pace_attempt(&run->pace, intr_now_ms(), status, retry_after_ms);
	if (status == 429)
		log_debug("pace: throttled (%lu so far): %.1f req/s (measured "
			  "%.1f), %d in flight",
		    run->pace.throttled, pace_rate(&run->pace),
		    run->pace.measured, pace_gate_limit(&run->pace));
	http_set_max_in_flight(run->http, pace_gate_limit(&run->pace));
}

/* Judge an answer to c as apicall_answer does (body moved into *body on
 * 200).  A token the portal refuses is marked rejected, and the message
 * ends with the login command. */
static int
plist_answer(struct plist_run *run, const struct apicall *c,
    struct http_response *resp, struct idc_buf *body, struct idc_err *err)
{
	struct api_error e;
	struct idc_err ignore = IDC_ERR_INIT;
	char why[IDC_ERR_MSGMAX];

	if (apicall_answer(c, resp, body, &e, err) == 0)
		return 0;
	if (err != NULL && err->code == IDC_EAUTH) {
		/* Refused by the server (revoked): marked, so that `idc
		 * login` signs in again instead of reusing it. */
		if (!run->rejected &&
		    tokens_reject(run->o->ref, run->tok, &ignore) == -1)
			log_debug("%s", ignore.msg);
		run->rejected = 1;
		memcpy(why, err->msg, sizeof why);
		idc_err_set(err, IDC_EAUTH,
		    "the sign-in to '%s' has expired or is otherwise invalid "
		    "(%s); run '%s'",
		    tokens_ref_name(run->o->ref), why, run->o->login_hint);
		err->http_status = e.status;
	}
	api_error_release(&e);
	return -1;
}

/* A ListAccounts page: its accounts into the listing (each once), their
 * roles queued, the next page queued first; a failure is the listing's. */
static void
plist_accounts_done(struct plist_run *run, struct plist_req *q,
    struct http_response *resp, const struct idc_err *herr)
{
	struct portal_account_page page = { 0 };
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct idc_err e = IDC_ERR_INIT;
	size_t i, fresh = 0;

	if (herr != NULL) {
		e = *herr;
		idc_err_prefix(&e, "ListAccounts: ");
		goto fail;
	}
	if (resp->status == 429 && q->rounds < PORTAL_LIST_THROTTLE_ROUNDS) {
		q->rounds++;
		plist_queue(run, q);
		return;
	}
	if (plist_answer(run, &q->call, resp, &body, &e) == -1 ||
	    portal_accounts_parse(body.data, body.len, &page, &e) == -1)
		goto fail;
	for (i = 0; i < page.count; i++) {
		if (!plist_ids_add(&run->ids, page.accounts[i].account_id))
			continue;
		fresh++;
		listing_add(run->l, page.accounts[i].account_id,
		    page.accounts[i].account_name,
		    page.accounts[i].email_address);
		if (run->o->flags & PORTAL_LIST_ROLES)
			plist_queue_roles(run, run->l->count - 1);
	}
	listing_note_skipped(
	    run->l, page.skipped.count, "ListAccounts: %s", page.skipped.first);
	if (plist_page_check(&run->accounts_paging, page.next_token, fresh,
		PLIST_MAX_PAGES_ACCOUNTS, "ListAccounts", &e) == -1)
		goto fail;
	if (page.next_token != NULL) {
		plist_queue(run, plist_req_new(1, 0, page.next_token, 0));
		page.next_token = NULL;
	} else {
		run->listing_accounts = 0;
		log_debug("listing: %zu accounts (%u pages) in %lld ms",
		    run->l->count, run->accounts_paging.pages,
		    intr_now_ms() - run->t0);
	}
	goto out;
fail:
	plist_set_fatal(run, &e);
out:
	portal_account_page_release(&page);
	idc_buf_release_secret(&body);
	plist_req_free(q);
}

/* A ListAccountRoles page: its roles into the account, the next page
 * queued; a failure is the account's (the token's: the listing's). */
static void
plist_roles_done(struct plist_run *run, struct plist_req *q,
    struct http_response *resp, const struct idc_err *herr)
{
	struct listing_account *a = &run->l->accounts[q->acct];
	struct portal_role_page page = { 0 };
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct idc_err e = IDC_ERR_INIT;
	size_t k, j, fresh = 0;

	if (herr != NULL) {
		e = *herr;
		idc_err_prefix(&e, "ListAccountRoles: ");
		/* Out of time: the listing as a whole, in one line, not a
		 * line for every account still open. */
		if (deadline_passed())
			plist_set_fatal(run, &e);
		plist_fail(run, a, &e);
		goto out;
	}
	if (resp->status == 429 && q->rounds < PORTAL_LIST_THROTTLE_ROUNDS) {
		q->rounds++;
		plist_queue(run, q);
		q = NULL;
		goto out;
	}
	if (plist_answer(run, &q->call, resp, &body, &e) == -1) {
		if (e.code == IDC_EAUTH)
			plist_set_fatal(run, &e);
		plist_fail(run, a, &e);
		goto out;
	}
	if (portal_roles_parse(body.data, body.len, &page, &e) == -1) {
		plist_fail(run, a, &e);
		goto out;
	}
	for (k = 0; k < page.count; k++) {
		/* At most 10,000 roles (the page budget): a plain search. */
		for (j = 0; j < a->nroles &&
		     strcmp(a->roles[j], page.roles[k].role_name) != 0;
		     j++)
			;
		fresh += j == a->nroles;
		listing_account_add_role(a, page.roles[k].role_name);
	}
	listing_note_skipped(run->l, page.skipped.count, "account '%s': %s",
	    a->account_id, page.skipped.first);
	if (plist_page_check(&run->paging[q->acct], page.next_token, fresh,
		PLIST_MAX_PAGES_ROLES, "ListAccountRoles", &e) == -1) {
		plist_fail(run, a, &e);
		goto out;
	}
	if (page.next_token != NULL) {
		plist_queue(run, plist_req_new(0, q->acct, page.next_token, 0));
		page.next_token = NULL;
	} else {
		a->roles_state = LISTING_ROLES_OK;
		run->finished++;
	}
out:
	portal_role_page_release(&page);
	idc_buf_release_secret(&body);
	plist_req_free(q);
	plist_progress(run, 0);
}

static void
plist_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *herr)
{
	struct plist_run *run = ud;
	struct plist_req *q = run->fed[i];

	run->fed[i] = NULL;
	if (q->accounts)
		plist_accounts_done(run, q, resp, herr);
	else
		plist_roles_done(run, q, resp, herr);
}

/*
 * Run what is queued (the first ListAccounts page, or roles to ask for)
 * as one stream, under the pace, until nothing is left: pages bring their
 * accounts' roles and their next pages into the same stream.
 */
static int
plist_stream(struct plist_run *run, struct idc_err *err)
{
	struct http_stream s = { plist_feed, plist_gate, plist_done,
		plist_attempt, run };
	size_t i;
	int r = -1;

	run->fatal_set = 0;
	http_set_max_in_flight(run->http, pace_gate_limit(&run->pace));
	if (http_perform_stream(run->http, &s, err) == -1)
		goto out;
	if (run->fatal_set) {
		if (err != NULL)
			*err = run->fatal;
		goto out;
	}
	r = 0;
out:
	plist_progress(run, 1);
	for (i = 0; i < run->nfed; i++)
		plist_req_free(run->fed[i]);
	free(run->fed);
	run->fed = NULL;
	run->nfed = run->capfed = 0;
	for (i = 0; i < run->qlen; i++)
		plist_req_free(run->queue[(run->qhead + i) % run->qcap]);
	free(run->queue);
	run->queue = NULL;
	run->qhead = run->qlen = run->qcap = 0;
	plist_req_free(run->accounts_next);
	run->accounts_next = NULL;
	free(run->ids.v);
	memset(&run->ids, 0, sizeof run->ids);
	plist_paging_release(&run->accounts_paging);
	for (i = 0; i < run->npaging; i++)
		plist_paging_release(&run->paging[i]);
	free(run->paging);
	run->paging = NULL;
	run->npaging = run->cappaging = 0;
	return r;
}

/* ListAccounts, every page, into run->l; with PORTAL_LIST_ROLES the roles
 * of every account too, asked for as soon as its page arrives. */
static int
plist_accounts(struct plist_run *run, struct idc_err *err)
{
	run->listing_accounts = 1;
	plist_queue(run, plist_req_new(1, 0, NULL, 0));
	return plist_stream(run, err);
}

/* ListAccountRoles for every account of run->l whose roles are not
 * known. */
static int
plist_roles(struct plist_run *run, struct idc_err *err)
{
	size_t i;

	for (i = 0; i < run->l->count; i++)
		if (run->l->accounts[i].roles_state != LISTING_ROLES_OK)
			plist_queue_roles(run, i);
	return plist_stream(run, err);
}

/* ---- the flow ------------------------------------------------------- */

/* A listing of the one account of l with id (copied), or a bare one. */
static void
plist_single(const struct listing *l, const char *id, struct listing *out)
{
	const struct listing_account *a =
	    l != NULL ? listing_find(l, id) : NULL;
	struct listing_account *b;
	size_t i;

	memset(out, 0, sizeof *out);
	b = listing_add(out, id, a != NULL ? a->account_name : NULL,
	    a != NULL ? a->email_address : NULL);
	if (a == NULL || a->roles_state != LISTING_ROLES_OK)
		return;
	for (i = 0; i < a->nroles; i++)
		listing_account_add_role(b, a->roles[i]);
	b->roles_state = LISTING_ROLES_OK;
	out->fetched_at = l->fetched_at;
	out->from_cache = 1;
}

static int
plist_network(struct plist_run *run, struct sso_token *tok, char **base,
    struct idc_err *err)
{
	struct http_options ho;

	if (run->http != NULL)
		return 0;
	if ((*base = endpoints_portal(run->o->ref->region, err)) == NULL)
		return -1;
	memset(&ho, 0, sizeof ho);
	ho.max_attempts = PLIST_MAX_ATTEMPTS;
	ho.max_in_flight = PLIST_START_IN_FLIGHT;
	if ((run->http = http_client_new(&ho, err)) == NULL)
		return -1;
	log_secret(tok->access_token);
	run->base = *base;
	run->tok = tok;
	run->token = tok->access_token;
	return 0;
}

/*
 * One account's roles into *single: from the cache, else asked for; a
 * fresh cache that lists the account is brought up to date (*dirty), but
 * a lone account never makes a cache (its list would be incomplete).
 */
static int
plist_fetch_one(struct plist_run *run, struct sso_token *tok, char **base,
    struct listing *cached, int have_cache, struct listing *single, int *dirty,
    struct idc_err *err)
{
	struct listing_account *a;

	plist_single(have_cache ? cached : NULL, run->o->account_id, single);
	if (single->accounts[0].roles_state == LISTING_ROLES_OK)
		return 0;
	if (plist_network(run, tok, base, err) == -1)
		return -1;
	run->l = single;
	if (plist_roles(run, err) == -1)
		return -1;
	single->from_cache = 0;
	if (have_cache && single->accounts[0].roles_state == LISTING_ROLES_OK &&
	    single->skipped == 0 &&
	    (a = listing_find(cached, run->o->account_id)) != NULL) {
		listing_account_copy_roles(a, &single->accounts[0]);
		*dirty = 1;
	}
	return 0;
}

/* Every account (from the cache, else ListAccounts into *fresh) and,
 * with PORTAL_LIST_ROLES, the roles not known yet.  *l is the listing. */
static int
plist_fetch_all(struct plist_run *run, struct sso_token *tok, char **base,
    struct listing *cached, int have_cache, struct listing *fresh,
    struct listing **l, int *dirty, struct idc_err *err)
{
	size_t i, open = 0;

	if (!have_cache) {
		/* The accounts, and their roles as their pages arrive. */
		if (plist_network(run, tok, base, err) == -1)
			return -1;
		run->l = fresh;
		if (plist_accounts(run, err) == -1)
			return -1;
		fresh->fetched_at = timefmt_now();
		*l = fresh;
		*dirty = 1;
		return 0;
	}
	*l = cached;
	if (!(run->o->flags & PORTAL_LIST_ROLES))
		return 0;
	for (i = 0; i < (*l)->count; i++)
		if ((*l)->accounts[i].roles_state != LISTING_ROLES_OK)
			open++;
	if (open == 0)
		return 0;
	if (plist_network(run, tok, base, err) == -1)
		return -1;
	run->l = *l;
	if (plist_roles(run, err) == -1)
		return -1;
	*dirty = 1;
	return 0;
}

int
portal_list_fetch(const struct portal_list_opts *o, struct listing *out,
    struct portal_list_stats *stats, struct idc_err *err)
{
	struct listing cached, fresh, single;
	struct listing *l = NULL;
	struct idc_err ignore = IDC_ERR_INIT;
	struct plist_run run;
	struct sso_token tok;
	char *base = NULL;
	int have_cache = 0, dirty = 0, r = -1;

	memset(&cached, 0, sizeof cached);
	memset(&fresh, 0, sizeof fresh);
	memset(&single, 0, sizeof single);
	memset(&run, 0, sizeof run);
	memset(&tok, 0, sizeof tok);
	run.o = o;
	run.t0 = intr_now_ms();
	pace_init(&run.pace, PLIST_START_IN_FLIGHT, PLIST_MAX_IN_FLIGHT);

	/* A listing is only shown to someone signed in. */
	if (auth_token(o->ref, o->login_hint, &tok, err) == -1)
		goto out;
	if (!(o->flags & (PORTAL_LIST_REFRESH | PORTAL_LIST_NO_CACHE)) &&
	    listcache_load(
		o->ref, timefmt_now(), LISTCACHE_TTL, &cached, &ignore) == 0)
		have_cache = 1;
	if (o->account_id != NULL) {
		l = &single;
		if (plist_fetch_one(&run, &tok, &base, &cached, have_cache,
			&single, &dirty, err) == -1)
			goto out;
		if (dirty)
			l = &cached;
	} else if (plist_fetch_all(&run, &tok, &base, &cached, have_cache,
		       &fresh, &l, &dirty, err) == -1) {
		goto out;
	}
	/* A listing the server sent broken entries for is not kept: the
	 * next command asks again and reports them again. */
	if (dirty && !(o->flags & PORTAL_LIST_NO_CACHE) && l->skipped == 0 &&
	    listcache_save(o->ref, l, &ignore) == -1)
		log_debug("listing cache: %s", ignore.msg);
	if (o->account_id != NULL)
		l = &single;
	listing_sort(l);
	if (stats != NULL) {
		memset(stats, 0, sizeof *stats);
		stats->requests = run.attempts;
		stats->throttled = run.pace.throttled;
		stats->failed = listing_failed(l);
		stats->final_rate = pace_rate(&run.pace);
		stats->elapsed_ms = intr_now_ms() - run.t0;
	}
	if (run.http != NULL)
		log_debug("listing: %lu requests, %lu answered 429, %zu "
			  "accounts failed, %.1f req/s at the end, %lld ms",
		    run.attempts, run.pace.throttled, listing_failed(l),
		    pace_rate(&run.pace), intr_now_ms() - run.t0);
	*out = *l;
	memset(l, 0, sizeof *l);
	r = 0;
out:
	listing_release(&cached);
	listing_release(&fresh);
	listing_release(&single);
	http_client_free(run.http);
	free(base);
	sso_token_release(&tok);
	return r;
}
