/*
 * admin_import.c - `idc admin users import`: many users from a CSV file
 * (see admin.h).
 *
 * The rows are checked first (columns, required fields, a user name twice),
 * then held against the store: one ListUsers for the names that exist, one
 * GetGroupId per group named.  What is left is created in rounds: one
 * http_perform_many batch of CreateUser requests (signed just before, so a
 * signature is never old), then one of CreateGroupMembership.  The pace
 * (pace.h) sees every attempt through http.c's attempt callback, which a
 * throttling answer reaches as a 429: it sets the in-flight cap and, once
 * the service has throttled, holds the next start for its slot (sleeping
 * in the callback, as portal_list.c does).  A request still throttled after
 * its retries goes to the next round, so none is lost; a CreateUser that
 * meets a user of that name (made meanwhile) counts as existing, so none
 * is doubled.
 */
#include "idc/flow/admin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/csv.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/adminapi.h"
#include "idc/net/apicall.h"
#include "idc/net/awsjson.h"
#include "idc/net/http.h"
#include "idc/net/pace.h"

#define IMPORT_START_IN_FLIGHT 4
#define IMPORT_MAX_IN_FLIGHT   32
/* Requests per batch: each is signed when its batch starts. */
#define IMPORT_BATCH 64
/* Rounds for requests that stay throttled past their retries. */
#define IMPORT_ROUNDS 12

enum import_col {
	COL_USER_NAME = 0,
	COL_EMAIL,
	COL_GIVEN,
	COL_FAMILY,
	COL_DISPLAY,
	COL_GROUPS,
	COL_N,
};

static const char *const import_cols[COL_N] = { "user_name", "email",
	"given_name", "family_name", "display_name", "groups" };

void
admin_import_result_release(struct admin_import_result *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].user_name);
		free(r->rows[i].email);
		free(r->rows[i].display_name);
		for (j = 0; j < r->rows[i].ngroups; j++)
			free(r->rows[i].groups[j]);
		free(r->rows[i].groups);
		free(r->rows[i].why);
	}
	free(r->rows);
	memset(r, 0, sizeof *r);
}

static void import_fail(struct admin_row *row, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
import_fail(struct admin_row *row, const char *fmt, ...)
{
	char buf[IDC_ERR_MSGMAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(row->why);
	row->why = xstrdup(buf);
	row->state = ADMIN_ROW_FAILED;
}

/* The header: which field holds each column, -1 when absent. */
static int
import_header(const struct csv_record *h, const char *name, int col[COL_N],
    struct idc_err *err)
{
	size_t i;
	int c;

	for (c = 0; c < COL_N; c++)
		col[c] = -1;
	for (i = 0; i < h->n; i++) {
		for (c = 0; c < COL_N; c++)
			if (strcasecmp(h->fields[i], import_cols[c]) == 0)
				break;
		if (c == COL_N)
			return idc_err_set(err, IDC_EUSAGE,
			    "'%s' line %zu: unknown column '%.60s' (the "
			    "columns are user_name, email, given_name, "
			    "family_name, display_name, groups)",
			    name, h->line, h->fields[i]);
		if (col[c] != -1)
			return idc_err_set(err, IDC_EUSAGE,
			    "'%s' line %zu: column '%s' appears twice", name,
			    h->line, import_cols[c]);
		col[c] = (int)i;
	}
	for (c = 0; c <= COL_FAMILY; c++)
		if (col[c] == -1)
			return idc_err_set(err, IDC_EUSAGE,
			    "'%s' line %zu: the header has no '%s' column "
			    "(a header row with user_name, email, given_name, "
			    "family_name is needed)",
			    name, h->line, import_cols[c]);
	return 0;
}

/* ';'-separated group names, trimmed, empties dropped. */
static void
import_groups(struct admin_row *row, const char *v)
{
	const char *p = v, *e;
	size_t n;

	while (*p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		e = p + strcspn(p, ";");
		n = (size_t)(e - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0) {
			row->groups = xgrowarray(row->groups, &row->capgroups,
			    row->ngroups + 1, sizeof *row->groups);
			row->groups[row->ngroups++] = xstrndup(p, n);
		}
		p = e;
	}
}

static const char *
import_field(const struct csv_record *r, const int col[COL_N], int c)
{
	const char *v;

	if (col[c] < 0 || (size_t)col[c] >= r->n)
		return NULL;
	v = r->fields[col[c]];
	return v[0] != '\0' ? v : NULL;
}

/* One request of a round: row, and its group index for memberships. */
struct import_job {
	size_t row;
	size_t group;
	int rounds;
};

struct import_run {
	struct admin *a;
	struct admin_import_result *res;
	const struct csv_doc *doc;
	const int *col;
	char **gnames; /* the groups named, looked up once */
	char **gids;   /* their ids, NULL when not found */
	size_t ng, capg;
	char **user_ids; /* per row, once created */
	struct pace pace;
	struct import_job *jobs, *next;
	size_t njobs, nnext, capnext;
	size_t batch_left;
	struct apicall *calls; /* the batch's requests, as jobs */
	int memberships;       /* the round is CreateGroupMembership */
};

static void
import_queue(struct import_run *run, size_t row, size_t group, int rounds)
{
	run->next = xgrowarray(
	    run->next, &run->capnext, run->nnext + 1, sizeof *run->next);
	run->next[run->nnext].row = row;
	run->next[run->nnext].group = group;
	run->next[run->nnext].rounds = rounds;
	run->nnext++;
}

static void
import_attempt(void *ud, size_t i, long status, long retry_after_ms)
{
	struct import_run *run = ud;
	long long now = intr_now_ms();
	long delay;

	(void)i;
	run->res->calls++;
	if (status == 429)
		run->res->throttled++;
	pace_attempt(&run->pace, now, status, retry_after_ms);
	http_set_max_in_flight(run->a->http, pace_limit(&run->pace));
	if (run->batch_left <= 1)
		return;
	delay = pace_book(&run->pace, now);
	if (delay > 0)
		(void)intr_sleep_ms(delay);
}

static void
import_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *herr)
{
	struct import_run *run = ud;
	struct import_job *job = &run->jobs[i];
	struct admin_row *row = &run->res->rows[job->row];
	const char *op =
	    run->memberships ? "CreateGroupMembership" : "CreateUser";
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct idc_err e = IDC_ERR_INIT;
	struct api_error apierr;
	cJSON *answer = NULL;
	char *object;

	run->batch_left--;
	memset(&apierr, 0, sizeof apierr);
	object = run->memberships ? xasprintf("user '%s' in group '%s'",
					row->user_name, row->groups[job->group])
				  : xasprintf("user '%s'", row->user_name);
	if (herr != NULL) {
		import_fail(row, "%s: %s", op, herr->msg);
		goto out;
	}
	if (apicall_classify(resp) == HTTP_RETRY_THROTTLED &&
	    job->rounds < IMPORT_ROUNDS) {
		import_queue(run, job->row, job->group, job->rounds + 1);
		goto out;
	}
	if (apicall_answer(&run->calls[i], resp, &body, &apierr, &e) == -1) {
		adminapi_error(op, object, &apierr, &e);
		if (strcmp(apierr.type != NULL ? apierr.type : "",
			"ConflictException") == 0) {
			if (!run->memberships)
				row->state = ADMIN_ROW_EXISTS;
			goto out;
		}
		if (run->memberships)
			import_fail(row, "created, but %s", e.msg);
		else
			import_fail(row, "%s", e.msg);
		goto out;
	}
	if (run->memberships)
		goto out;
	if ((answer = awsjson_parse(op, body.data, body.len, &e)) == NULL ||
	    adminapi_str(
		answer, op, "UserId", 1, &run->user_ids[job->row], &e) == -1) {
		import_fail(row, "%s", e.msg);
		goto out;
	}
	row->state = ADMIN_ROW_CREATED;
out:
	cJSON_Delete(answer);
	api_error_release(&apierr);
	idc_buf_release(&body);
	free(object);
}

/* The id of a group looked up before (NULL when it was not found). */
static const char *
import_group_id(const struct import_run *run, const char *group)
{
	size_t i;

	for (i = 0; i < run->ng; i++)
		if (strcmp(run->gnames[i], group) == 0)
			return run->gids[i];
	return NULL;
}

/* Look group up once: 0 (found or not), -1 when the lookup failed. */
static int
import_group_lookup(
    struct import_run *run, const char *group, int *found, struct idc_err *err)
{
	struct idc_err e = IDC_ERR_INIT;
	size_t i;
	char *gid = NULL;

	for (i = 0; i < run->ng; i++)
		if (strcmp(run->gnames[i], group) == 0) {
			*found = run->gids[i] != NULL;
			return 0;
		}
	if (adminapi_group_id(run->a, group, &gid, &e) == -1 &&
	    e.code != IDC_ENOTFOUND) {
		*err = e;
		return -1;
	}
	run->gnames =
	    xgrowarray(run->gnames, &run->capg, run->ng + 1, sizeof(char *));
	run->gids = xreallocarray(run->gids, run->capg, sizeof(char *));
	run->gnames[run->ng] = xstrdup(group);
	run->gids[run->ng++] = gid;
	*found = gid != NULL;
	return 0;
}

/* The body of a job's request. */
static cJSON *
import_body(struct import_run *run, const struct import_job *job)
{
	const struct csv_record *r = &run->doc->records[job->row + 1];
	const struct admin_row *row = &run->res->rows[job->row];
	cJSON *body = cJSON_CreateObject(), *member;

	cJSON_AddStringToObject(body, "IdentityStoreId", run->a->store_id);
	if (run->memberships) {
		cJSON_AddStringToObject(body, "GroupId",
		    import_group_id(run, row->groups[job->group]));
		member = cJSON_AddObjectToObject(body, "MemberId");
		cJSON_AddStringToObject(
		    member, "UserId", run->user_ids[job->row]);
		return body;
	}
	cJSON_Delete(body);
	body = adminapi_user_body(run->a->store_id, row->user_name,
	    row->display_name, import_field(r, run->col, COL_GIVEN),
	    import_field(r, run->col, COL_FAMILY), row->email);
	return body;
}

static void
import_batch_free(struct apicall *prep, struct awsjson_request *areqs,
    struct http_request *reqs, size_t n)
{
	size_t i;

	for (i = 0; prep != NULL && i < n; i++) {
		apicall_release(&prep[i]);
		awsjson_request_release(&areqs[i]);
	}
	free(prep);
	free(areqs);
	free(reqs);
}

/* Run the queued jobs, in batches, round after round. */
static int
import_rounds(struct import_run *run, struct idc_err *err)
{
	const char *op =
	    run->memberships ? "CreateGroupMembership" : "CreateUser";
	struct apicall *prep = NULL;
	struct http_request *reqs = NULL;
	struct awsjson_request *areqs = NULL;
	struct api_sigv4 sv;
	size_t i, n = 0, start;
	int r = -1;

	adminapi_sigv4(run->a, &awsjson_identitystore, &sv);
	while (run->nnext > 0) {
		free(run->jobs);
		run->jobs = run->next;
		run->njobs = run->nnext;
		run->next = NULL;
		run->nnext = run->capnext = 0;
		for (start = 0; start < run->njobs; start += n) {
			n = run->njobs - start;
			if (n > IMPORT_BATCH)
				n = IMPORT_BATCH;
			prep = xcalloc(n, sizeof *prep);
			reqs = xcalloc(n, sizeof *reqs);
			areqs = xcalloc(n, sizeof *areqs);
			for (i = 0; i < n; i++) {
				cJSON *body =
				    import_body(run, &run->jobs[start + i]);

				awsjson_request_build(&awsjson_identitystore,
				    op, body, &areqs[i]);
				cJSON_Delete(body);
				areqs[i].api.sigv4 = &sv;
				if (apicall_prepare(&prep[i], run->a->ids_url,
					op, &areqs[i].api, err) == -1)
					goto out;
				reqs[i] = prep[i].http;
			}
			run->batch_left = n;
			/* The callbacks index jobs from the batch's start. */
			run->jobs += start;
			run->calls = prep;
			r = http_perform_many(run->a->http, reqs, n,
			    import_done, import_attempt, run, err);
			run->jobs -= start;
			run->calls = NULL;
			if (r == -1)
				goto out;
			r = -1;
			import_batch_free(prep, areqs, reqs, n);
			prep = NULL;
			reqs = NULL;
			areqs = NULL;
		}
	}
	r = 0;
out:
	import_batch_free(prep, areqs, reqs, n);
	return r;
}

/* The rows, checked against each other. */
static void
import_rows(const struct csv_doc *doc, const int col[COL_N],
    struct admin_import_result *res)
{
	const struct csv_record *h = &doc->records[0], *r;
	struct admin_row *row;
	const char *given, *family, *display;
	size_t i, j;
	int c;

	res->nrows = doc->n - 1;
	res->rows = xcalloc(res->nrows > 0 ? res->nrows : 1, sizeof *res->rows);
	for (i = 0; i < res->nrows; i++) {
		r = &doc->records[i + 1];
		row = &res->rows[i];
		row->line = r->line;
		row->state = ADMIN_ROW_PLANNED;
		if (import_field(r, col, COL_USER_NAME) != NULL)
			row->user_name =
			    xstrdup(import_field(r, col, COL_USER_NAME));
		if (import_field(r, col, COL_EMAIL) != NULL)
			row->email = xstrdup(import_field(r, col, COL_EMAIL));
		if (r->n != h->n) {
			import_fail(row, "it has %zu fields, the header %zu",
			    r->n, h->n);
			continue;
		}
		for (c = 0; c <= COL_FAMILY; c++)
			if (import_field(r, col, c) == NULL)
				break;
		if (c <= COL_FAMILY) {
			import_fail(row, "no %s", import_cols[c]);
			continue;
		}
		given = import_field(r, col, COL_GIVEN);
		family = import_field(r, col, COL_FAMILY);
		display = import_field(r, col, COL_DISPLAY);
		row->display_name = display != NULL
		    ? xstrdup(display)
		    : xasprintf("%s %s", given, family);
		if (import_field(r, col, COL_GROUPS) != NULL)
			import_groups(row, import_field(r, col, COL_GROUPS));
		for (j = 0; j < i; j++)
			if (res->rows[j].user_name != NULL &&
			    strcasecmp(
				res->rows[j].user_name, row->user_name) == 0) {
				import_fail(row,
				    "user '%s' is also on line %zu",
				    row->user_name, res->rows[j].line);
				break;
			}
	}
}

struct import_names {
	char **v;
	size_t n, cap;
};

static int
import_name_item(const cJSON *item, void *ud, struct idc_err *err)
{
	struct import_names *names = ud;
	char *name = NULL;

	if (adminapi_str(item, "ListUsers", "UserName", 1, &name, err) == -1)
		return -1;
	names->v =
	    xgrowarray(names->v, &names->cap, names->n + 1, sizeof *names->v);
	names->v[names->n++] = name;
	return 0;
}

static int
import_name_cmp(const void *x, const void *y)
{
	return strcasecmp(*(char *const *)x, *(char *const *)y);
}

int
admin_import(struct admin *a, const struct csv_doc *doc, const char *name,
    int dry_run, struct admin_import_result *res, struct idc_err *err)
{
	struct import_names names = { NULL, 0, 0 };
	struct import_run run;
	int col[COL_N], found;
	cJSON *body = NULL;
	char *key;
	long long t0;
	size_t i, j;
	int r = -1;

	memset(res, 0, sizeof *res);
	memset(&run, 0, sizeof run);
	if (doc->n == 0)
		return idc_err_set(err, IDC_EUSAGE,
		    "'%s' is empty: a header row is needed", name);
	if (import_header(&doc->records[0], name, col, err) == -1)
		return -1;
	import_rows(doc, col, res);
	if (admin_instance(a, NULL, NULL, err) == -1)
		goto out;

	/* Who exists already: one listing, matched ignoring case. */
	if (res->nrows > 0) {
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "IdentityStoreId", a->store_id);
		cJSON_AddNumberToObject(body, "MaxResults", 100);
		if (adminapi_pages(a, &awsjson_identitystore, "ListUsers", body,
			"Users", import_name_item, &names, err) == -1)
			goto out;
		if (names.n > 1)
			qsort(
			    names.v, names.n, sizeof *names.v, import_name_cmp);
	}
	for (i = 0; i < res->nrows; i++) {
		key = res->rows[i].user_name;
		/* names.v is NULL while the store has no user: bsearch must
		 * not be handed it, even with a count of 0. */
		if (res->rows[i].state == ADMIN_ROW_PLANNED && names.n > 0 &&
		    bsearch(&key, names.v, names.n, sizeof *names.v,
			import_name_cmp) != NULL)
			res->rows[i].state = ADMIN_ROW_EXISTS;
	}

	/* The groups named, each looked up once. */
	run.a = a;
	for (i = 0; i < res->nrows; i++) {
		struct admin_row *row = &res->rows[i];

		for (j = 0; row->state == ADMIN_ROW_PLANNED && j < row->ngroups;
		     j++) {
			if (import_group_lookup(
				&run, row->groups[j], &found, err) == -1)
				goto out;
			if (!found)
				import_fail(row, "group '%s' not found",
				    row->groups[j]);
		}
	}
	for (i = 0; i < res->nrows; i++)
		if (res->rows[i].state == ADMIN_ROW_PLANNED && !dry_run)
			import_queue(&run, i, 0, 0);
	if (dry_run)
		goto count;

	run.res = res;
	run.doc = doc;
	run.col = col;
	run.user_ids = xcalloc(res->nrows > 0 ? res->nrows : 1, sizeof(char *));
	pace_init(&run.pace, IMPORT_START_IN_FLIGHT, IMPORT_MAX_IN_FLIGHT);
	http_set_max_in_flight(a->http, pace_limit(&run.pace));
	t0 = intr_now_ms();
	if (import_rounds(&run, err) == -1)
		goto out;
	/* Then the memberships of the users just made. */
	run.memberships = 1;
	for (i = 0; i < res->nrows; i++)
		for (j = 0; res->rows[i].state == ADMIN_ROW_CREATED &&
		     j < res->rows[i].ngroups;
		     j++)
			import_queue(&run, i, j, 0);
	if (import_rounds(&run, err) == -1)
		goto out;
	/* Rows still planned stayed throttled through every round. */
	for (i = 0; i < res->nrows; i++)
		if (res->rows[i].state == ADMIN_ROW_PLANNED)
			import_fail(&res->rows[i],
			    "still throttled after %d rounds", IMPORT_ROUNDS);
	res->elapsed_ms = intr_now_ms() - t0;
	res->final_rate = pace_rate(&run.pace);
count:
	for (i = 0; i < res->nrows; i++)
		switch (res->rows[i].state) {
		case ADMIN_ROW_CREATED:
			res->created++;
			break;
		case ADMIN_ROW_EXISTS:
			res->exists++;
			break;
		case ADMIN_ROW_PLANNED:
			res->planned++;
			break;
		case ADMIN_ROW_FAILED:
			res->failed++;
			break;
		}
	if (res->failed > 0) {
		idc_err_set(err, IDC_ESERVER,
		    "%zu of %zu rows of '%s' failed (the others are done)",
		    res->failed, res->nrows, name);
		goto out;
	}
	r = 0;
out:
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	cJSON_Delete(body);
	for (i = 0; i < run.ng; i++) {
		free(run.gnames[i]);
		free(run.gids[i]);
	}
	free(run.gnames);
	free(run.gids);
	if (run.user_ids != NULL)
		for (i = 0; i < res->nrows; i++)
			free(run.user_ids[i]);
	free(run.user_ids);
	free(run.jobs);
	free(run.next);
	return r;
}
