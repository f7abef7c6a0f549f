/*
 * listing.h - the data model of what the access portal shows a signed-in
 * person: accounts, and the role names of each.
 *
 * A plain model with no I/O, shared by the listing flow that fills it
 * (flow/portal_list.h), the cache that stores it (store/listcache.h), the
 * printers that show it (ui/listprint.h) and populate.  A listing owns
 * everything it points to (listing_release).  Allocation failure aborts.
 */
#ifndef IDC_LISTING_H
#define IDC_LISTING_H

#include <stddef.h>
#include <time.h>

#include "idc/core/err.h"

enum listing_roles {
	LISTING_ROLES_UNKNOWN = 0, /* roles not asked for */
	LISTING_ROLES_OK,          /* roles/nroles complete */
	LISTING_ROLES_FAILED,      /* asking failed: roles_err says why */
};

struct listing_account {
	char *account_id;
	char *account_name;  /* may be NULL */
	char *email_address; /* may be NULL */
	char **roles;        /* role names, sorted case-insensitively */
	size_t nroles, caproles;
	enum listing_roles roles_state;
	struct idc_err roles_err;
};

struct listing {
	struct listing_account *accounts; /* sorted (listing_sort) */
	size_t count, cap;
	time_t fetched_at; /* when ListAccounts answered */
	int from_cache;    /* the account list came from the cache */
	/* Entries the portal sent that break the API's promises (an account
	 * id that is not 12 digits, a role name with a line break): left
	 * out, counted, the first one described.  A listing with any is a
	 * partial result (exit 4) and is not cached. */
	size_t skipped;
	char skipped_first[256];
};

/* Append an account (copies the strings); returns it.  The pointer is
 * valid until the next listing_add. */
struct listing_account *listing_add(struct listing *l, const char *account_id,
    const char *account_name, const char *email_address);

/* Append a role name (copied) to an account. */
void listing_account_add_role(struct listing_account *a, const char *role_name);

/* Drop an account's roles (roles_state is left as it is). */
void listing_account_clear_roles(struct listing_account *a);

/* Replace to's roles and roles_state with copies of from's. */
void listing_account_copy_roles(
    struct listing_account *to, const struct listing_account *from);

/* Sort accounts as a person expects (name, else e-mail, else id,
 * case-insensitively, then id) and each account's roles by name. */
void listing_sort(struct listing *l);

/* Keep one of the accounts listed more than once (pages that shifted
 * while they were read); the order is by account id afterwards. */
void listing_dedupe(struct listing *l);

/* The account with id, or NULL. */
struct listing_account *listing_find(
    const struct listing *l, const char *account_id);

/* Count n entries left out; the first note (printf-style) says why. */
void listing_note_skipped(struct listing *l, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* How many accounts' roles failed. */
size_t listing_failed(const struct listing *l);

/* The label a person sees for an account, as the AWS CLI shows it:
 * "name, email (id)", degrading to "name (id)", "email (id)" or "id".
 * Allocated. */
char *listing_account_label(const struct listing_account *a);

/* Free what the listing holds; it is left empty.  NULL is fine. */
void listing_release(struct listing *l);

#endif
