/*
 * status.h - the sign-in status model: every sign-in known from the config
 * file ([sso-session] sections and legacy profiles) or found in the shared
 * token cache, with its token's state, refresh and registration expiry,
 * and the role credentials idc has cached for it.  `idc status` prints it;
 * nothing here prints, and no secret is copied into it.
 *
 * Errors: those of reading the config file (IDC_ECONFIG with the file and
 * line) and of listing the token cache (IDC_EIO).
 */
#ifndef IDC_STATUS_H
#define IDC_STATUS_H

#include <stddef.h>
#include <time.h>

struct idc_err;

enum status_state {
	STATUS_SIGNED_OUT = 0,      /* no token */
	STATUS_VALID,               /* a token that has not expired */
	STATUS_EXPIRED_REFRESHABLE, /* expired, with a refresh token */
	STATUS_EXPIRED,             /* expired, nothing to refresh with */
	STATUS_REJECTED,            /* the server refused the token */
};

struct status_role {
	char *account_id;
	char *role_name;
	time_t expiration;
};

struct status_entry {
	char *session;      /* NULL: legacy profile or unknown */
	char *start_url;    /* as configured, or as cached */
	char *region;       /* or NULL */
	const char *source; /* "config" or "cache" */
	char *path;         /* the token file */
	enum status_state state;
	int signed_in; /* a token file is there */
	time_t expires_at;
	int refreshable; /* a refresh token and a client registration */
	time_t registration_expires_at; /* 0: unknown */
	struct status_role *roles;      /* role credentials idc has cached */
	size_t nroles, caproles;
};

struct status_list {
	struct status_entry *v;
	size_t n, cap;
};

/* Gather the status as of now into *out (released with
 * status_list_release, also after a failure). */
int status_gather(time_t now, struct status_list *out, struct idc_err *err);

void status_list_release(struct status_list *l);

/* "valid", "expired", "expired-refreshable", "signed-out", "rejected". */
const char *status_state_name(enum status_state s);

#endif
