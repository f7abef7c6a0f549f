/*
 * listprint.h - account and role listings on stdout in the three output
 * formats, and the per-account failures of a partial listing on stderr.
 * Used by list-accounts and list-roles.
 *
 * text:  one line per account or role, fields separated by a tab, no
 *        header, a missing field as "-":
 *          accounts: accountId, accountName, emailAddress
 *          roles:    accountId, roleName, accountName
 * table: the same columns aligned (UTF-8 counted in characters) under a
 *        header line.
 *        In text and table, every field is shown in its safe form
 *        (safetext.h: control characters, bidi controls and invalid UTF-8
 *        escaped as \t, \n, \x1b, \u202e...), so a line is always one
 *        record of three fields.
 * json:  an array of objects with the portal API's member names:
 *          accounts: {"accountId", "accountName", "emailAddress"} (a
 *          missing name or e-mail is left out, as the API does)
 *          roles:    {"roleName", "accountId"}
 *        as Python's json.dumps(indent=2) writes it, with the exact
 *        values (JSON-escaped).
 * Listings are printed in their order (listing_sort).  Accounts
 * whose roles are not known contribute no role lines.
 */
#ifndef IDC_LISTPRINT_H
#define IDC_LISTPRINT_H

#include <stdio.h>

#include "idc/ui/output.h"

struct idc_err;
struct listing;

void listprint_accounts(const struct listing *l, enum idc_output fmt, FILE *fp);

void listprint_roles(const struct listing *l, enum idc_output fmt, FILE *fp);

/*
 * One line on stderr per account whose roles failed,
 * "idc: <command>: account 'ID' (name): <why>", then: 0 when there was
 * none and no entry was left out (listing.h: skipped), else -1 with err
 * set to IDC_ESERVER ("the roles of N of M accounts could not be listed;
 * the others are shown", or "N entries from the portal left out: ...
 * (first: ...); the others are shown") - exit status 4, the documented
 * status of a partial listing.
 */
int listprint_failures(const char *command, const struct listing *l,
    const char *shown, struct idc_err *err);

/* The progress line of a listing of many accounts' roles on stderr
 * ("listing roles: 120/300 accounts, 85 req/s, ETA 2s"), redrawn at most
 * every 100 ms and cleared when done: the shape of
 * portal_list_opts.progress, with view a zeroed struct
 * listprint_progress_view. */
struct listprint_progress_view {
	long long drawn_ms;
	int drawn;
};

void listprint_progress(void *view, size_t finished, size_t todo, double rate,
    double eta_s, int done);

#endif
