/*
 * auth.h - signing in, and keeping a usable SSO token: the flows on top of
 * oidc.c (API), tokens.c (shared cache) and http.c.
 *
 * Single flight: signing in and refreshing take the sign-in's lock
 * (tokens_lock), then re-read the cache, so N processes that need the same
 * sign-in or refresh at once cause exactly one, and the others reuse it.
 *
 * Errors: IDC_EAUTH (sign-in needed; the message ends with the command that
 * fixes it), IDC_EDENIED (the person or the server refused), IDC_ENET /
 * IDC_ETLS / IDC_ESERVER, IDC_EINTR (Ctrl-C: nothing written),
 * IDC_ETIMEOUT (another process held the sign-in too long).
 */
#ifndef IDC_AUTH_H
#define IDC_AUTH_H

#include <time.h>

struct idc_err;
struct sso_ref;
struct sso_token;

/* Refresh windows, as botocore: refresh when fewer than ADVISORY seconds
 * remain if nobody else is refreshing; wait for it below MANDATORY. */
#define AUTH_REFRESH_ADVISORY  (15 * 60)
#define AUTH_REFRESH_MANDATORY (10 * 60)
/* A cached registration is renewed when it expires within this. */
#define AUTH_REGISTRATION_MARGIN (15 * 60)

/* Which sign-in flow. */
enum auth_flow {
	AUTH_FLOW_DEFAULT = 0, /* the session's idc_login_flow, else what
				  fits the place (desktop) */
	AUTH_FLOW_DEVICE,      /* device authorization (a code to approve) */
	AUTH_FLOW_PKCE,        /* authorization code with PKCE (browser here) */
};

/*
 * What a sign-in tells the person, through the command that renders it
 * (flows never draw on the terminal).  Any member may be NULL.
 */
struct auth_events {
	/* Show the way in: open url (device flow: and approve code; alt_url
	 * is the page to type the code into, or NULL).  paste: a redirect
	 * URL pasted on stdin is accepted too (PKCE). */
	void (*show)(void *ud, const char *name, const char *url,
	    const char *code, const char *alt_url, int paste);
	/* About once a second while waiting for the person. */
	void (*wait)(void *ud, long long left_s);
	/* The wait is over (approved, refused, interrupted or timed out). */
	void (*wait_done)(void *ud);
	/* A pasted line was not the redirect URL. */
	void (*bad_paste)(void *ud);
	void *ud;
};

struct auth_login_opts {
	enum auth_flow flow;     /* the flag (--pkce, --device-code) */
	const char *config_flow; /* the session's idc_login_flow, or NULL */
	const char *config_file; /* where it was read, for the message */
	int desktop;             /* a browser can be opened here: PKCE fits;
				    else the device code (SSH, a container,
				    no display) */
	const char *desktop_why; /* what decided it, for --debug */
	int paste;               /* PKCE: accept a pasted redirect URL */
	int callback_port;       /* PKCE: 0 for a random port */
	int force;               /* sign in even if the token is valid */
	long wait_limit_ms;      /* PKCE: how long to wait for the browser */
	const char *refuse; /* not NULL: a sign-in is not allowed here; fail
			       with IDC_EAUTH and this message if one is
			       needed (a valid token is still reused) */
	const struct auth_events *events; /* NULL: nothing is shown */
};

/* How auth_login got its token. */
#define AUTH_SIGNED_IN 0 /* a new sign-in */
#define AUTH_REUSED    1 /* the cached token (or another process's) */
#define AUTH_REFRESHED 2 /* the cached token, refreshed */

/*
 * The one sign-in entry point (login, configure, credential-process
 * --auto-login).  Sign in to ref, unless (without force) the cached token
 * is valid for more than AUTH_REFRESH_ADVISORY, or its refresh token gives
 * one that is: *reused then says so (AUTH_REUSED, AUTH_REFRESHED).  The
 * flow is opts->flow, else opts->config_flow ("pkce" or "device-code";
 * another value is IDC_ECONFIG), else PKCE at a desktop (opts->desktop)
 * and the device code elsewhere; --debug says which and why.  A new sign-in
 * (AUTH_SIGNED_IN) may be another person's, so the listings cached for
 * ref are dropped.  On success the token is in the shared cache and in
 * *out.  What the person must do is reported through opts->events.
 */
int auth_login(const struct sso_ref *ref, const struct auth_login_opts *opts,
    struct sso_token *out, int *reused, struct idc_err *err);

/*
 * A usable token for ref: from the cache, refreshed with the refresh token
 * inside the refresh windows.  A failed refresh keeps a token that is still
 * valid.  login_hint is the command that signs in ("idc login --profile
 * dev"), quoted in the IDC_EAUTH message.
 */
int auth_token(const struct sso_ref *ref, const char *login_hint,
    struct sso_token *out, struct idc_err *err);

#endif
