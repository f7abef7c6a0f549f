/*
 * listing.c - the account and role listing model: building, sorting,
 * finding and labelling (see listing.h).
 */
#include "idc/core/listing.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idc/core/xmalloc.h"

struct listing_account *
listing_add(struct listing *l, const char *account_id, const char *account_name,
    const char *email_address)
{
	struct listing_account *a;

	l->accounts = xgrowarray(
	    l->accounts, &l->cap, l->count + 1, sizeof l->accounts[0]);
	a = &l->accounts[l->count++];
	memset(a, 0, sizeof *a);
	a->account_id = xstrdup(account_id);
	a->account_name = account_name != NULL ? xstrdup(account_name) : NULL;
	a->email_address =
	    email_address != NULL ? xstrdup(email_address) : NULL;
	return a;
}

void
listing_note_skipped(struct listing *l, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (n == 0)
		return;
	if (l->skipped == 0) {
		va_start(ap, fmt);
		vsnprintf(l->skipped_first, sizeof l->skipped_first, fmt, ap);
		va_end(ap);
	}
	l->skipped += n;
}

void
listing_account_add_role(struct listing_account *a, const char *role_name)
{
	a->roles = xgrowarray(
	    a->roles, &a->caproles, a->nroles + 1, sizeof a->roles[0]);
	a->roles[a->nroles++] = xstrdup(role_name);
}

void
listing_account_clear_roles(struct listing_account *a)
{
	size_t i;

	for (i = 0; i < a->nroles; i++)
		free(a->roles[i]);
	free(a->roles);
	a->roles = NULL;
	a->nroles = a->caproles = 0;
}

void
listing_account_copy_roles(
    struct listing_account *to, const struct listing_account *from)
{
	size_t i;

	listing_account_clear_roles(to);
	for (i = 0; i < from->nroles; i++)
		listing_account_add_role(to, from->roles[i]);
	to->roles_state = from->roles_state;
}

static void
listing_account_release(struct listing_account *a)
{
	free(a->account_id);
	free(a->account_name);
	free(a->email_address);
	listing_account_clear_roles(a);
}

void
listing_release(struct listing *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->count; i++)
		listing_account_release(&l->accounts[i]);
	free(l->accounts);
	memset(l, 0, sizeof *l);
}

/* The AWS CLI's sort key: the name, else the e-mail, else the id. */
static const char *
listing_sort_key(const struct listing_account *a)
{
	if (a->account_name != NULL && a->account_name[0] != '\0')
		return a->account_name;
	if (a->email_address != NULL && a->email_address[0] != '\0')
		return a->email_address;
	return a->account_id;
}

static int
listing_has_label(const struct listing_account *a)
{
	return (a->account_name != NULL && a->account_name[0] != '\0') ||
	    (a->email_address != NULL && a->email_address[0] != '\0');
}

static int
listing_account_cmp(const void *x, const void *y)
{
	const struct listing_account *a = x, *b = y;
	int c;

	/* Accounts with neither name nor e-mail go last, as in the CLI. */
	if (listing_has_label(a) != listing_has_label(b))
		return listing_has_label(a) ? -1 : 1;
	if ((c = strcasecmp(listing_sort_key(a), listing_sort_key(b))) != 0)
		return c;
	if ((c = strcmp(listing_sort_key(a), listing_sort_key(b))) != 0)
		return c;
	return strcmp(a->account_id, b->account_id);
}

static int
listing_role_cmp(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	int c = strcasecmp(a, b);

	return c != 0 ? c : strcmp(a, b);
}

void
listing_sort(struct listing *l)
{
	size_t i;

	if (l->count > 1)
		qsort(l->accounts, l->count, sizeof l->accounts[0],
		    listing_account_cmp);
	for (i = 0; i < l->count; i++)
		if (l->accounts[i].nroles > 1)
			qsort(l->accounts[i].roles, l->accounts[i].nroles,
			    sizeof l->accounts[i].roles[0], listing_role_cmp);
}

static int
listing_id_cmp(const void *x, const void *y)
{
	const struct listing_account *a = x, *b = y;

	return strcmp(a->account_id, b->account_id);
}

void
listing_dedupe(struct listing *l)
{
	size_t i, out = 0;

	if (l->count < 2)
		return;
	qsort(l->accounts, l->count, sizeof l->accounts[0], listing_id_cmp);
	for (i = 0; i < l->count; i++) {
		if (out > 0 &&
		    strcmp(l->accounts[out - 1].account_id,
			l->accounts[i].account_id) == 0) {
			listing_account_release(&l->accounts[i]);
			continue;
		}
		l->accounts[out++] = l->accounts[i];
	}
	l->count = out;
}

struct listing_account *
listing_find(const struct listing *l, const char *account_id)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->accounts[i].account_id, account_id) == 0)
			return &l->accounts[i];
	return NULL;
}

size_t
listing_failed(const struct listing *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->count; i++)
		if (l->accounts[i].roles_state == LISTING_ROLES_FAILED)
			n++;
	return n;
}

char *
listing_account_label(const struct listing_account *a)
{
	int name = a->account_name != NULL && a->account_name[0] != '\0';
	int mail = a->email_address != NULL && a->email_address[0] != '\0';

	if (name && mail)
		return xasprintf("%s, %s (%s)", a->account_name,
		    a->email_address, a->account_id);
	if (name)
		return xasprintf("%s (%s)", a->account_name, a->account_id);
	if (mail)
		return xasprintf("%s (%s)", a->email_address, a->account_id);
	return xstrdup(a->account_id);
}
