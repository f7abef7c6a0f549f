/*
 * listprint.c - listings as text, table or JSON, and the report of a
 * partial listing (see listprint.h).
 */
#include "idc/ui/listprint.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/listing.h"
#include "idc/core/log.h"
#include "idc/core/safetext.h"
#include "idc/core/xmalloc.h"

#define LISTPRINT_COLS 3

/* Characters of UTF-8 text (continuation bytes do not count). */
static size_t
listprint_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static const char *
listprint_or_dash(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

/* Rows of LISTPRINT_COLS fields, printed as text or as a table.  Each
 * field is the safe form of the server's text (safetext.h): a name with a
 * tab, a line break or a terminal escape can add neither a column nor a
 * line nor a colour. */
struct listprint_rows {
	char *(*v)[LISTPRINT_COLS];
	size_t n, cap;
};

static void
listprint_row(
    struct listprint_rows *rows, const char *a, const char *b, const char *c)
{
	rows->v =
	    xgrowarray(rows->v, &rows->cap, rows->n + 1, sizeof rows->v[0]);
	rows->v[rows->n][0] = safetext_dup(listprint_or_dash(a));
	rows->v[rows->n][1] = safetext_dup(listprint_or_dash(b));
	rows->v[rows->n][2] = safetext_dup(listprint_or_dash(c));
	rows->n++;
}

static void
listprint_rows_free(struct listprint_rows *rows)
{
	size_t i, j;

	for (i = 0; i < rows->n; i++)
		for (j = 0; j < LISTPRINT_COLS; j++)
			free(rows->v[i][j]);
	free(rows->v);
}

static void
listprint_cell(FILE *fp, const char *s, size_t width, int last)
{
	size_t w = listprint_width(s);

	fputs(s, fp);
	if (last)
		return;
	for (; w < width + 2; w++)
		fputc(' ', fp);
}

static void
listprint_rows_print(const struct listprint_rows *rows,
    const char *const header[LISTPRINT_COLS], int table, FILE *fp)
{
	size_t width[LISTPRINT_COLS], i, j, w;

	if (!table) {
		for (i = 0; i < rows->n; i++)
			fprintf(fp, "%s\t%s\t%s\n", rows->v[i][0],
			    rows->v[i][1], rows->v[i][2]);
		return;
	}
	for (j = 0; j < LISTPRINT_COLS; j++)
		width[j] = listprint_width(header[j]);
	for (i = 0; i < rows->n; i++)
		for (j = 0; j < LISTPRINT_COLS; j++)
			if ((w = listprint_width(rows->v[i][j])) > width[j])
				width[j] = w;
	for (j = 0; j < LISTPRINT_COLS; j++)
		listprint_cell(
		    fp, header[j], width[j], j + 1 == LISTPRINT_COLS);
	fputc('\n', fp);
	for (i = 0; i < rows->n; i++) {
		for (j = 0; j < LISTPRINT_COLS; j++)
			listprint_cell(fp, rows->v[i][j], width[j],
			    j + 1 == LISTPRINT_COLS);
		fputc('\n', fp);
	}
}

void
listprint_accounts(const struct listing *l, enum idc_output fmt, FILE *fp)
{
	static const char *const header[LISTPRINT_COLS] = { "ACCOUNT ID",
		"NAME", "EMAIL" };
	struct listprint_rows rows = { NULL, 0, 0 };
	const struct listing_account *a;
	struct outjson *arr, *o;
	size_t i;

	if (fmt == IDC_OUTPUT_JSON) {
		arr = outjson_array();
		for (i = 0; i < l->count; i++) {
			a = &l->accounts[i];
			o = outjson_add_object(arr, NULL);
			outjson_str(o, "accountId", a->account_id);
			if (a->account_name != NULL)
				outjson_str(o, "accountName", a->account_name);
			if (a->email_address != NULL)
				outjson_str(
				    o, "emailAddress", a->email_address);
		}
		outjson_print(arr, fp);
		return;
	}
	for (i = 0; i < l->count; i++) {
		a = &l->accounts[i];
		listprint_row(
		    &rows, a->account_id, a->account_name, a->email_address);
	}
	listprint_rows_print(&rows, header, fmt == IDC_OUTPUT_TABLE, fp);
	listprint_rows_free(&rows);
}

void
listprint_roles(const struct listing *l, enum idc_output fmt, FILE *fp)
{
	static const char *const header[LISTPRINT_COLS] = { "ACCOUNT ID",
		"ROLE", "ACCOUNT NAME" };
	struct listprint_rows rows = { NULL, 0, 0 };
	const struct listing_account *a;
	struct outjson *arr = NULL, *o;
	size_t i, j;

	if (fmt == IDC_OUTPUT_JSON)
		arr = outjson_array();
	for (i = 0; i < l->count; i++) {
		a = &l->accounts[i];
		if (a->roles_state != LISTING_ROLES_OK)
			continue;
		for (j = 0; j < a->nroles; j++) {
			if (arr == NULL) {
				listprint_row(&rows, a->account_id, a->roles[j],
				    a->account_name);
				continue;
			}
			o = outjson_add_object(arr, NULL);
			outjson_str(o, "roleName", a->roles[j]);
			outjson_str(o, "accountId", a->account_id);
		}
	}
	if (arr != NULL)
		outjson_print(arr, fp);
	else
		listprint_rows_print(
		    &rows, header, fmt == IDC_OUTPUT_TABLE, fp);
	listprint_rows_free(&rows);
}

int
listprint_failures(const char *command, const struct listing *l,
    const char *shown, struct idc_err *err)
{
	const struct listing_account *a;
	size_t i, failed = 0;
	char *label;

	for (i = 0; i < l->count; i++) {
		a = &l->accounts[i];
		if (a->roles_state != LISTING_ROLES_FAILED)
			continue;
		failed++;
		label = a->account_name != NULL && a->account_name[0] != '\0'
		    ? xasprintf(" (%s)", a->account_name)
		    : xstrdup("");
		log_error("%s: account '%s'%s: %s", command, a->account_id,
		    label, a->roles_err.msg);
		free(label);
	}
	if (failed > 0 && l->skipped > 0)
		log_error("%s: %zu entr%s from the portal left out: not what "
			  "the API promises (first: %s)",
		    command, l->skipped, l->skipped == 1 ? "y" : "ies",
		    l->skipped_first);
	if (failed > 0)
		return idc_err_set(err, IDC_ESERVER,
		    "the roles of %zu of %zu accounts could not be listed; %s",
		    failed, l->count, shown);
	if (l->skipped > 0)
		return idc_err_set(err, IDC_ESERVER,
		    "%zu entr%s from the portal left out: not what the API "
		    "promises (first: %s); %s",
		    l->skipped, l->skipped == 1 ? "y" : "ies", l->skipped_first,
		    shown);
	return 0;
}

#define LISTPRINT_PROGRESS_MS 100

void
listprint_progress(void *view, size_t finished, size_t todo, double rate,
    double eta_s, int done)
{
	struct listprint_progress_view *v = view;
	long long now = intr_now_ms();
	char line[160];

	if (done) {
		if (v->drawn)
			fputs("\r\033[K", stderr);
		v->drawn = 0;
		return;
	}
	if (v->drawn && now - v->drawn_ms < LISTPRINT_PROGRESS_MS)
		return;
	snprintf(line, sizeof line, "listing roles: %zu/%zu accounts", finished,
	    todo);
	if (eta_s >= 0)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    ", %.0f req/s, ETA %.0fs", rate, eta_s);
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	v->drawn = 1;
	v->drawn_ms = now;
}
