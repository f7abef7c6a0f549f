/*
 * doctor.h - `idc doctor`'s checks: the config file as botocore reads it,
 * each sign-in's token (present, expiry, refresh window, registration
 * expiry, and one cheap call that the server still accepts it), the modes
 * of secret files and their folders, the clock against a server's Date
 * header, that the endpoints answer, and that the cache folders are
 * writable.
 *
 * Nothing here prints: each result goes to a callback as it is known, with
 * what was found and, for a failure, the command or setting that fixes it.
 * No secret is ever put into a result.
 */
#ifndef IDC_DOCTOR_H
#define IDC_DOCTOR_H

#include <time.h>

struct idc_err;

enum doctor_status {
	DOCTOR_PASS = 0,
	DOCTOR_FAIL,
	DOCTOR_SKIP, /* could not be checked (said why); not a failure */
};

struct doctor_result {
	const char *check; /* "config", "profile", "token", "server",
				"files", "clock", "endpoint", "cache" */
	enum doctor_status status;
	const char *subject; /* a file, a sign-in, a URL; or NULL */
	const char *message; /* what was found, one line */
	const char *fix;     /* a failure: the command or setting that
				fixes it; else NULL */
};

struct doctor_opts {
	const char *profile; /* only this profile's sign-in (--profile) */
	const char *session; /* only this sso-session (--sso-session) */
	time_t now;
	long max_skew;   /* seconds the clock may be off; 0: 300 */
	long timeout_ms; /* per request; 0: 10 s */
};

typedef void doctor_report_fn(void *ud, const struct doctor_result *r);

/*
 * Run every check; report(ud, r) is called once per result, in order (r and
 * its strings live only during the call).  *failed is set to the number of
 * failures.  Returns 0 when the checks ran (whatever they found), -1 with
 * err set when they could not run at all (HOME cannot be found: IDC_ECONFIG;
 * a --profile or --sso-session that the config does not have: IDC_ECONFIG,
 * with a "did you mean").
 */
int doctor_run(const struct doctor_opts *opts, doctor_report_fn *report,
    void *ud, int *failed, struct idc_err *err);

#endif
