/*
 * portal_list.c - the listing flow: every account the sign-in reaches and
 * every role in each, through the listing cache, ListAccounts page by page
 * and ListAccountRoles for many accounts at once (see portal_list.h).
 *
 * The roles are asked for in rounds: one http_perform_many batch with the
 * first (or next) page of every account still open; pages that have a
 * next token, and requests that were still throttled after their HTTP
 * retries, make the next round.  In a typical organisation (fewer than 100
 * roles per account) there is one round.  The pace (pace.h) sees every
 * attempt through http.c's attempt callback: it sets the in-flight cap
 * and, once the portal has throttled, holds the loop for the next start's
 * slot.  Holding is done by sleeping in the callback, which is the only
 * place http_perform_many lets a caller wait; it delays nothing but starts,
 * because the cap is kept at what the rate needs over one answer time.
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
#include "idc/core/xmalloc.h"

/* Page size asked for (the API's maximum): fewer round trips in a row for
 * ListAccounts and fewer requests against the portal's rate. */
#define PLIST_PAGE            100
#define PLIST_START_IN_FLIGHT 8
#define PLIST_MAX_IN_FLIGHT   64
/* 5xx and transport failures: the first try and three retries. */
#define PLIST_MAX_ATTEMPTS 4
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

/* ---- the run -------------------------------------------------------- */

/* One ListAccountRoles request of a round. */
struct plist_req {
	size_t acct;      /* index into the listing */
	int attempts;     /* attempts ended in this round */
	char *next_token; /* NULL: the first page */
	int rounds;       /* rounds that ended throttled */
	struct apicall call;
};

struct plist_run {
	const struct portal_list_opts *o;
	struct listing *l;
	struct http_client *http;
	struct pace pace;
	const char *base;
	const struct sso_token *tok; /* the token the requests carry */
	const char *token;
	/* The round being run and the next one. */
	struct plist_req *cur, *next;
	size_t ncur, nnext, capnext;
	/* Accounts to finish and finished, for the progress line. */
	size_t todo, finished;
	unsigned long answered;
	long long t0, roles_t0, round_t0;
	int first_cap;          /* requests started at once by a round */
	long long attempt_ms;   /* when the last attempt ended */
	size_t batch_left;      /* requests of the batch not done yet */
	unsigned long attempts; /* attempts made */
	struct idc_err fatal;
	int fatal_set;
	int rejected; /* the token was marked rejected */
	/* ListAccounts: the answer of the one request in flight. */
	struct http_response one;
	struct idc_err one_err;
	int one_failed;
	/* ListAccountRoles: the pages of each account (by index). */
	struct plist_paging *paging;
};

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
	if (el >= 300 && run->finished > 0)
		eta = (double)(run->todo - run->finished) * (double)el /
		    (double)run->finished / 1000.0;
	run->o->progress(
	    run->o->progress_ud, run->finished, run->todo, rate, eta, last);
}

static void
plist_attempt(void *ud, size_t i, long status, long retry_after_ms)
{
	struct plist_run *run = ud;
	long long now = intr_now_ms();
	long delay;

	run->attempt_ms = now;
	run->attempts++;
	/* The first answers of a round, to requests that started together
	 * before any pacing, tell how long the portal takes to answer. */
	if (run->cur != NULL && i < run->ncur && run->cur[i].attempts++ == 0 &&
	    i < (size_t)run->first_cap && pace_rate(&run->pace) <= 0)
		pace_sample_rtt(&run->pace, (long)(now - run->round_t0));
	if (status > 0)
		run->answered++;
	pace_attempt(&run->pace, now, status, retry_after_ms);
	if (status == 429)
		log_debug("pace: throttled (%lu so far): %.1f req/s, %d in "
			  "flight",
		    run->pace.throttled, pace_rate(&run->pace),
		    pace_limit(&run->pace));
	http_set_max_in_flight(run->http, pace_limit(&run->pace));
	/* Only this request is left: nothing else can start, and its retry
	 * waits on its own (honouring Retry-After). */
	if (run->batch_left <= 1)
		return;
	delay = pace_book(&run->pace, now);
	if (delay > 0) {
		log_debug("pace: %.1f req/s, %d in flight, next start in "
			  "%ld ms",
		    pace_rate(&run->pace), pace_limit(&run->pace), delay);
		/* Interrupted: the batch loop sees the flag and stops. */
		intr_sleep_ms(delay);
	}
}

/* Before a batch: its first start waits for its slot like any other. */
static int
plist_wait(struct plist_run *run, struct idc_err *err)
{
	long delay = pace_book(&run->pace, intr_now_ms());

	if (delay > 0 && intr_sleep_ms(delay) == -1)
		return idc_err_set(err, IDC_EINTR, "interrupted");
	return 0;
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

static void
plist_one_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *herr)
{
	struct plist_run *run = ud;

	(void)i;
	run->batch_left--;
	if (herr != NULL) {
		run->one_failed = 1;
		run->one_err = *herr;
		return;
	}
	run->one = *resp;
	http_response_init(resp);
}

/* ListAccounts, every page, into run->l. */
static int
plist_accounts(struct plist_run *run, struct idc_err *err)
{
	struct api_request req = { 0 };
	struct portal_account_page page = { 0 };
	struct plist_paging pg;
	struct plist_ids ids = { NULL, 0, 0 };
	struct apicall call;
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	char *token = NULL;
	long long started;
	int throttled = 0, r = -1;
	size_t i, fresh;

	memset(&call, 0, sizeof call);
	memset(&pg, 0, sizeof pg);
	for (;;) {
		portal_accounts_request(run->token, token, PLIST_PAGE, &req);
		if (apicall_prepare(
			&call, run->base, "ListAccounts", &req, err) == -1)
			goto out;
		http_response_init(&run->one);
		run->one_failed = 0;
		if (plist_wait(run, err) == -1)
			goto out;
		started = intr_now_ms();
		run->batch_left = 1;
		log_debug("ListAccounts: GET %s", call.url);
		if (http_perform_many(run->http, &call.http, 1, plist_one_done,
			plist_attempt, run, err) == -1)
			goto out;
		if (run->one_failed) {
			if (err != NULL)
				*err = run->one_err;
			idc_err_prefix(err, "ListAccounts: ");
			goto out;
		}
		if (run->one.attempts == 1)
			pace_sample_rtt(
			    &run->pace, (long)(run->attempt_ms - started));
		if (run->one.status == 429 &&
		    ++throttled <= PORTAL_LIST_THROTTLE_ROUNDS) {
			http_response_release(&run->one);
			api_request_release(&req);
			apicall_release(&call);
			continue;
		}
		if (plist_answer(run, &call, &run->one, &body, err) == -1 ||
		    portal_accounts_parse(body.data, body.len, &page, err) ==
			-1)
			goto out;
		for (i = 0, fresh = 0; i < page.count; i++) {
			listing_add(run->l, page.accounts[i].account_id,
			    page.accounts[i].account_name,
			    page.accounts[i].email_address);
			fresh += (size_t)plist_ids_add(
			    &ids, page.accounts[i].account_id);
		}
		listing_note_skipped(run->l, page.skipped.count,
		    "ListAccounts: %s", page.skipped.first);
		if (plist_page_check(&pg, page.next_token, fresh,
			PLIST_MAX_PAGES_ACCOUNTS, "ListAccounts", err) == -1)
			goto out;
		free(token);
		token = page.next_token;
		page.next_token = NULL;
		portal_account_page_release(&page);
		http_response_release(&run->one);
		idc_buf_release_secret(&body);
		api_request_release(&req);
		apicall_release(&call);
		throttled = 0;
		if (token == NULL)
			break;
	}
	listing_dedupe(run->l);
	r = 0;
out:
	plist_paging_release(&pg);
	free(ids.v);
	portal_account_page_release(&page);
	http_response_release(&run->one);
	idc_buf_release_secret(&body);
	api_request_release(&req);
	apicall_release(&call);
	free(token);
	return r;
}

static void
plist_queue(struct plist_run *run, size_t acct, char *next_token, int rounds)
{
	struct plist_req *q;

	run->next = xgrowarray(
	    run->next, &run->capnext, run->nnext + 1, sizeof run->next[0]);
	q = &run->next[run->nnext++];
	memset(q, 0, sizeof *q);
	q->acct = acct;
	q->next_token = next_token;
	q->rounds = rounds;
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

static void
plist_roles_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *herr)
{
	struct plist_run *run = ud;
	struct plist_req *q = &run->cur[i];
	struct listing_account *a = &run->l->accounts[q->acct];
	struct portal_role_page page = { 0 };
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct idc_err e = IDC_ERR_INIT;
	size_t k, j, fresh = 0;

	run->batch_left--;
	if (herr != NULL) {
		e = *herr;
		idc_err_prefix(&e, "ListAccountRoles: ");
		/* Out of time: the listing as a whole, in one line, not a
		 * line for every account still open. */
		if (deadline_passed() && !run->fatal_set) {
			run->fatal = e;
			run->fatal_set = 1;
		}
		plist_fail(run, a, &e);
		goto out;
	}
	if (resp->status == 429 && q->rounds < PORTAL_LIST_THROTTLE_ROUNDS) {
		plist_queue(run, q->acct, q->next_token, q->rounds + 1);
		q->next_token = NULL;
		goto out;
	}
	if (plist_answer(run, &q->call, resp, &body, &e) == -1) {
		if (e.code == IDC_EAUTH && !run->fatal_set) {
			run->fatal = e;
			run->fatal_set = 1;
		}
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
		plist_queue(run, q->acct, page.next_token, 0);
		page.next_token = NULL;
	} else {
		a->roles_state = LISTING_ROLES_OK;
		run->finished++;
	}
out:
	portal_role_page_release(&page);
	idc_buf_release_secret(&body);
	plist_progress(run, 0);
}

static void
plist_round_release(struct plist_req *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].next_token);
		apicall_release(&v[i].call);
	}
	free(v);
}

/* ListAccountRoles for every account of run->l whose roles are not known
 * (or only for the accounts already queued in run->next). */
static int
plist_roles(struct plist_run *run, struct idc_err *err)
{
	struct api_request req = { 0 };
	struct http_request *h = NULL;
	struct listing_account *a;
	size_t i;
	int rc, r = -1;

	run->paging = xcalloc(run->l->count + 1, sizeof run->paging[0]);
	for (i = 0; i < run->l->count; i++) {
		a = &run->l->accounts[i];
		if (a->roles_state == LISTING_ROLES_OK)
			continue;
		listing_account_clear_roles(a);
		a->roles_state = LISTING_ROLES_UNKNOWN;
		plist_queue(run, i, NULL, 0);
	}
	run->todo = run->nnext;
	run->finished = 0;
	run->answered = 0;
	run->roles_t0 = intr_now_ms();
	while (run->nnext > 0) {
		run->cur = run->next;
		run->ncur = run->nnext;
		run->next = NULL;
		run->nnext = run->capnext = 0;
		h = xcalloc(run->ncur, sizeof h[0]);
		for (i = 0; i < run->ncur; i++) {
			struct plist_req *q = &run->cur[i];

			portal_roles_request(run->token,
			    run->l->accounts[q->acct].account_id, q->next_token,
			    PLIST_PAGE, &req);
			rc = apicall_prepare(
			    &q->call, run->base, "ListAccountRoles", &req, err);
			api_request_release(&req);
			if (rc == -1)
				goto out;
			h[i] = q->call.http;
		}
		if (plist_wait(run, err) == -1)
			goto out;
		run->first_cap = pace_limit(&run->pace);
		run->round_t0 = intr_now_ms();
		run->batch_left = run->ncur;
		log_debug("ListAccountRoles: %zu requests, %d in flight",
		    run->ncur, run->first_cap);
		if (http_perform_many(run->http, h, run->ncur, plist_roles_done,
			plist_attempt, run, err) == -1)
			goto out;
		plist_round_release(run->cur, run->ncur);
		run->cur = NULL;
		run->ncur = 0;
		free(h);
		h = NULL;
		if (run->fatal_set) {
			if (err != NULL)
				*err = run->fatal;
			goto out;
		}
	}
	r = 0;
out:
	plist_progress(run, 1);
	for (i = 0; run->paging != NULL && i < run->l->count; i++)
		plist_paging_release(&run->paging[i]);
	free(run->paging);
	run->paging = NULL;
	free(h);
	plist_round_release(run->cur, run->ncur);
	run->cur = NULL;
	run->ncur = 0;
	plist_round_release(run->next, run->nnext);
	run->next = NULL;
	run->nnext = run->capnext = 0;
	return r;
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

	if (have_cache) {
		*l = cached;
	} else {
		if (plist_network(run, tok, base, err) == -1)
			return -1;
		run->l = fresh;
		if (plist_accounts(run, err) == -1)
			return -1;
		fresh->fetched_at = time(NULL);
		log_debug("listing: %zu accounts in %lld ms", fresh->count,
		    intr_now_ms() - run->t0);
		*l = fresh;
		*dirty = 1;
	}
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
	http_response_init(&run.one);

	/* A listing is only shown to someone signed in. */
	if (auth_token(o->ref, o->login_hint, &tok, err) == -1)
		goto out;
	if (!(o->flags & (PORTAL_LIST_REFRESH | PORTAL_LIST_NO_CACHE)) &&
	    listcache_load(
		o->ref, time(NULL), LISTCACHE_TTL, &cached, &ignore) == 0)
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
	http_response_release(&run.one);
	http_client_free(run.http);
	free(base);
	sso_token_release(&tok);
	return r;
}
