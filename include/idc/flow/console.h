/*
 * console.h - `idc console --federated`: a console sign-in URL for a
 * role's own credentials, through the federation endpoint (federation.h).
 *
 * The credentials go to the partition's sign-in host (endpoints_signin;
 * AWS_ENDPOINT_URL_SIGNIN overrides it) in a getSigninToken request; the
 * token that comes back is made into the login URL, which signs anyone who
 * has it in for 15 minutes: it is registered with log_secret (never shown
 * in a log line, also with --debug) and returned for the caller to print on
 * stdout or open.
 *
 * Errors: IDC_ECONFIG (long-term keys, which the endpoint does not take;
 * a partition without a console), IDC_EUSAGE (a bad destination),
 * IDC_EDENIED (the endpoint refused the credentials), IDC_ENET /
 * IDC_ETLS / IDC_ESERVER.
 */
#ifndef IDC_CONSOLE_H
#define IDC_CONSOLE_H

struct idc_err;

struct console_request {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token; /* NULL: long-term keys (refused) */
	const char *region;        /* the profile's, or NULL (us-east-1) */
	const char *destination;   /* --destination, or NULL */
	const char *issuer;        /* where the console sends an expired session
			       (the access portal), or NULL */
};

/* The login URL into *url (free with secret_free). */
int console_federated_url(
    const struct console_request *req, char **url, struct idc_err *err);

#endif
