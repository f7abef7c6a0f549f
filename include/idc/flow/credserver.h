/*
 * credserver.h - `idc exec --server`: run a command with an ECS-style
 * credential endpoint on loopback instead of static keys, for processes
 * that outlive one set of role credentials.
 *
 * The listener is on 127.0.0.1, on a port the kernel picks, for the life
 * of the child only.  The child's environment gets
 *   AWS_CONTAINER_CREDENTIALS_FULL_URI  http://127.0.0.1:PORT/
 *   AWS_CONTAINER_AUTHORIZATION_TOKEN   64 hex digits (256 random bits)
 *   AWS_REGION, AWS_DEFAULT_REGION      the profile's region, if any
 * and loses AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 * AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_PROFILE,
 * AWS_DEFAULT_PROFILE, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, so that the SDKs' credential
 * chain reaches the endpoint.
 *
 * Answers, to GET / with the token as the Authorization header:
 *   200 {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"
 *       (2026-11-27T19:13:22Z), "AccountId"}, rendered once per set of
 *       credentials, so an answer is a parse, a compare and a write;
 *   401 without an Authorization header, 403 with a wrong one (the first
 *       refusal is logged on stderr, later ones only counted);
 *   503 {"code", "message"} when there are no credentials to hand out: the
 *       sign-in has ended (stderr then says once to run `idc login`, and
 *       the server keeps trying, so a new sign-in brings it back), or a
 *       renewal failed and the last credentials have expired;
 *   400, 404, 405, 431 for requests that are not this one.
 * A request has at most CREDSERVER_MAX_REQUEST bytes of header and no
 * body; each connection has a deadline (CREDSERVER_DEADLINE_MS for a
 * request to arrive and be answered, also between keep-alive requests);
 * up to CREDSERVER_MAX_CONNS connections are served at once.  A Host
 * header other than the listener's address is refused (DNS rebinding).
 *
 * Renewal: credentials are renewed `margin` seconds before they expire,
 * margin being min_ttl (at least 5 minutes) or half their lifetime if that
 * is shorter, by a short-
 * lived helper process (so the server never blocks on the network, and a
 * fetch's token refresh, locks and retries stay out of its way).  A failed
 * renewal is retried with backoff; each has the command's whole deadline
 * (--timeout) to itself; the old credentials are handed out
 * while they last.  source->alive, checked at most once a second while
 * requests come, notices a sign-out (`idc logout`, `aws sso logout`) at
 * once.
 *
 * Signals: SIGTERM and SIGHUP are passed on to the child; SIGINT and
 * SIGQUIT too when they were sent to idc alone (from a terminal the child
 * has them already).  When the child ends, the listener closes, a renewal
 * in flight is stopped, and *status is the child's exit status (128 + N
 * when it was killed by signal N, 127 when CMD cannot be found, 126 when it
 * cannot be run).
 */
#ifndef IDC_CREDSERVER_H
#define IDC_CREDSERVER_H

#include <stddef.h>

struct idc_err;
struct rolecreds;

#define CREDSERVER_MAX_REQUEST 8192
#define CREDSERVER_MAX_CONNS   64
#define CREDSERVER_DEADLINE_MS 5000L

/* Where the credentials come from. */
struct credserver_source {
	/* New or cached credentials with more than min_ttl seconds left
	 * where possible (rolecreds_get's contract).  Called in a helper
	 * process. */
	int (*fetch)(
	    void *ud, long min_ttl, struct rolecreds *out, struct idc_err *err);
	/* 0 once the sign-in behind the credentials has ended; NULL: never
	 * ends.  Must be cheap (a stat). */
	int (*alive)(void *ud);
	void *ud;
	const char *login_hint; /* "idc login --profile dev" */
};

struct credserver_options {
	const struct credserver_source *source;
	long min_ttl;        /* renew this long before expiry at most */
	const char *region;  /* for AWS_REGION / AWS_DEFAULT_REGION, or NULL */
	const char *profile; /* for IDC_EXEC_PROFILE */
};

/*
 * Fetch the first credentials (a failure here is returned before anything
 * runs), start the listener, run argv (execvp, no shell) and serve until
 * it exits.  *status is then its status (see above) and 0 is returned.
 * -1 with err set when the credentials, the listener or the fork fail.
 */
int credserver_run(const struct credserver_options *opts, char *const *argv,
    int *status, struct idc_err *err);

/* ---- for the unit tests ---------------------------------------------- */

struct credserver_request {
	int complete;     /* the header section has ended */
	size_t length;    /* bytes of the request, header section included */
	int bad;          /* 400: not an HTTP/1.x request we take */
	int too_large;    /* 431 */
	int method_get;   /* GET (or HEAD) */
	int head;         /* HEAD */
	int path_ok;      /* the path is "/" (a query is ignored) */
	int keep_alive;   /* HTTP/1.1 without Connection: close */
	int has_body;     /* Content-Length > 0 or Transfer-Encoding */
	const char *auth; /* the Authorization value, in the buffer, or NULL */
	size_t auth_len;
	const char *host; /* the Host value, in the buffer, or NULL */
	size_t host_len;
};

/* Read the request at the start of buf (len bytes, not NUL-terminated).
 * complete 0 means more bytes are needed (and fit: too_large is set once
 * CREDSERVER_MAX_REQUEST bytes hold no end of the header section). */
void credserver_request_parse(
    const char *buf, size_t len, struct credserver_request *out);

#endif
