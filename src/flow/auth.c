/*
 * auth.c - sign-in flows (device code, authorization code with PKCE) and
 * token refresh, single-flight across processes (see auth.h).
 */
#include "idc/flow/auth.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "idc/net/apierror.h"
#include "idc/core/buf.h"
#include "idc/net/endpoints.h"
#include "idc/core/deadline.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/net/http.h"
#include "idc/core/intr.h"
#include "idc/core/log.h"
#include "idc/net/oidc.h"
#include "idc/store/listcache.h"
#include "idc/net/pkce.h"
#include "idc/net/apicall.h"
#include "idc/core/timefmt.h"
#include "idc/core/url.h"
#include "idc/store/tokens.h"
#include "idc/core/xmalloc.h"

/* Waiting for another process's sign-in: a device code lives 10 minutes,
 * the PKCE flow waits as long; allow for both and a little more. */
#define AUTH_LOGIN_LOCK_MS   (11L * 60 * 1000)
#define AUTH_REFRESH_LOCK_MS (60L * 1000)
#define AUTH_SLOW_DOWN_STEP  5

static const char *const auth_default_scopes[] = { OIDC_DEFAULT_SCOPE, NULL };

/* The scopes to register with: the configured ones, the default for an
 * sso-session, none for a legacy profile (as the AWS CLI). */
static const char *const *
auth_scopes(const struct sso_ref *ref)
{
	if (ref->scopes != NULL)
		return ref->scopes;
	return ref->session_name != NULL ? auth_default_scopes : NULL;
}

/* Everything one sign-in needs, released in one place. */
struct auth_run {
	const struct sso_ref *ref;
	const struct auth_login_opts *opts;
	struct http_client *http;
	char *oidc_base;
	struct sso_registration reg;
};

static void
auth_run_release(struct auth_run *run)
{
	http_client_free(run->http);
	free(run->oidc_base);
	sso_registration_release(&run->reg);
}

static int
auth_run_init(struct auth_run *run, const struct sso_ref *ref,
    const struct auth_login_opts *opts, struct idc_err *err)
{
	memset(run, 0, sizeof *run);
	run->ref = ref;
	run->opts = opts;
	if ((run->oidc_base = endpoints_oidc(ref->region, err)) == NULL)
		return -1;
	if ((run->http = http_client_new(NULL, err)) == NULL)
		return -1;
	return 0;
}

/* A registration that lasts, of the flow's kind: the cached one, else a new
 * one from RegisterClient, cached for the AWS CLI too. */
static int
auth_registration(
    struct auth_run *run, int pkce, int renew, struct idc_err *err)
{
	const struct sso_ref *ref = run->ref;
	struct oidc_register_params p;
	struct oidc_registration got = { NULL, NULL, 0 };
	struct api_request req = { 0 };
	struct api_error apierr;
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct idc_err ignore = IDC_ERR_INIT;
	char *name = NULL;
	time_t now = timefmt_now();
	int r = -1;

	sso_registration_release(&run->reg);
	if (!renew && tokens_load_registration(ref, &run->reg, &ignore) == 0) {
		if (run->reg.pkce == pkce &&
		    run->reg.expires_at - now > AUTH_REGISTRATION_MARGIN)
			return 0;
		sso_registration_release(&run->reg);
	}
	if (ref->session_name != NULL)
		name = xasprintf("botocore-client-%s", ref->session_name);
	else
		name = xasprintf("botocore-client-%lld", (long long)now);
	memset(&p, 0, sizeof p);
	p.client_name = name;
	p.scopes = auth_scopes(ref);
	p.pkce = pkce;
	p.redirect_uri = "http://127.0.0.1/oauth/callback";
	p.issuer_url = ref->start_url;
	oidc_register_request(&p, &req);
	if (apicall_send(run->http, run->oidc_base, "RegisterClient", &req,
		&body, &apierr, err) == -1) {
		api_error_release(&apierr);
		goto out;
	}
	if (oidc_register_parse(body.data, body.len, &got, err) == -1)
		goto out;
	run->reg.client_id = got.client_id;
	run->reg.client_secret = got.client_secret;
	run->reg.expires_at = got.expires_at;
	run->reg.pkce = pkce;
	memset(&got, 0, sizeof got);
	log_secret(run->reg.client_secret);
	if (tokens_save_registration(ref, &run->reg, err) == -1)
		goto out;
	r = 0;
out:
	oidc_registration_release(&got);
	api_request_release(&req);
	idc_buf_release_secret(&body);
	free(name);
	return r;
}

/* Fill *out from a CreateToken answer and the registration. */
static void
auth_token_from(
    struct auth_run *run, struct oidc_token *t, struct sso_token *out)
{
	memset(out, 0, sizeof *out);
	out->start_url = xstrdup(run->ref->start_url);
	out->region = xstrdup(run->ref->region);
	out->access_token = t->access_token;
	out->refresh_token = t->refresh_token;
	out->expires_at = timefmt_now() + t->expires_in;
	out->client_id = xstrdup(run->reg.client_id);
	out->client_secret = xstrdup(run->reg.client_secret);
	out->registration_expires_at = run->reg.expires_at;
	t->access_token = t->refresh_token = NULL;
	log_secret(out->access_token);
	log_secret(out->refresh_token);
}

/* One CreateToken call.  0: token in *out; 1: the answer was an OIDC error
 * (in *apierr, for the caller to judge); -1: a failure. */
static int
auth_create_token(struct auth_run *run, struct api_request *req,
    struct sso_token *out, struct api_error *apierr, struct idc_err *err)
{
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct oidc_token t = { NULL, NULL, 0 };
	int r = -1;

	if (apicall_send(run->http, run->oidc_base, "CreateToken", req, &body,
		apierr, err) == -1) {
		r = apierr->status != 0 ? 1 : -1;
		goto out;
	}
	if (oidc_token_parse(body.data, body.len, &t, err) == -1)
		goto out;
	auth_token_from(run, &t, out);
	r = 0;
out:
	oidc_token_release(&t);
	idc_buf_release_secret(&body);
	return r;
}

/* The events, each a no-op when the command did not ask for it. */
static void
auth_show(const struct auth_login_opts *opts, const char *name, const char *url,
    const char *code, const char *alt_url, int paste)
{
	const struct auth_events *ev = opts->events;

	if (ev != NULL && ev->show != NULL)
		ev->show(ev->ud, name, url, code, alt_url, paste);
}

static void
auth_countdown(const struct auth_login_opts *opts, long long deadline_ms)
{
	const struct auth_events *ev = opts->events;
	long long left = (deadline_ms - intr_now_ms()) / 1000;

	if (ev != NULL && ev->wait != NULL)
		ev->wait(ev->ud, left < 0 ? 0 : left);
}

static void
auth_countdown_clear(const struct auth_login_opts *opts)
{
	const struct auth_events *ev = opts->events;

	if (ev != NULL && ev->wait_done != NULL)
		ev->wait_done(ev->ud);
}

/* Sleep ms, ticking the countdown each second. */
static int
auth_wait(const struct auth_login_opts *opts, long ms, long long deadline_ms,
    struct idc_err *err)
{
	long step;

	while (ms > 0) {
		auth_countdown(opts, deadline_ms);
		step = ms > 1000 ? 1000 : ms;
		if (intr_sleep_ms(step) == -1) {
			auth_countdown_clear(opts);
			return idc_err_set(
			    err, IDC_EINTR, "interrupted: not signed in");
		}
		ms -= step;
	}
	return 0;
}

static int
auth_device(struct auth_run *run, struct sso_token *out, struct idc_err *err)
{
	const struct auth_login_opts *opts = run->opts;
	struct oidc_device_auth dev;
	struct api_request req = { 0 };
	struct api_error apierr;
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	long long deadline;
	long interval;
	int r = -1, polls = 0, rc = -1, renew;

	memset(&dev, 0, sizeof dev);
	memset(&apierr, 0, sizeof apierr);
	for (renew = 0; renew < 2; renew++) {
		if (auth_registration(run, 0, renew, err) == -1)
			return -1;
		oidc_device_request(run->reg.client_id, run->reg.client_secret,
		    run->ref->start_url, &req);
		rc = apicall_send(run->http, run->oidc_base,
		    "StartDeviceAuthorization", &req, &body, &apierr, err);
		api_request_release(&req);
		/* A cached registration the service no longer knows (revoked,
		 * or expired early): register again, once. */
		if (rc == -1 && renew == 0 &&
		    api_error_is(&apierr, "InvalidClientException")) {
			log_debug("the cached client registration was refused");
			api_error_release(&apierr);
			idc_err_clear(err);
			continue;
		}
		break;
	}
	if (rc == -1 || oidc_device_parse(body.data, body.len, &dev, err) == -1)
		goto out;
	log_secret(dev.device_code);
	deadline = intr_now_ms() + dev.expires_in * 1000LL;
	interval = dev.interval;
	oidc_token_device_request(
	    run->reg.client_id, run->reg.client_secret, dev.device_code, &req);
	for (;;) {
		api_error_release(&apierr);
		rc = auth_create_token(run, &req, out, &apierr, err);
		if (rc == 0)
			break;
		if (rc == -1)
			goto out;
		if (api_error_is(&apierr, "SlowDownException")) {
			interval += AUTH_SLOW_DOWN_STEP;
			log_debug("slow_down: polling every %ld s", interval);
		} else if (api_error_is(&apierr, "ExpiredTokenException")) {
			idc_err_set(err, IDC_EAUTH,
			    "the code %s expired before it was approved; run "
			    "the sign-in again",
			    dev.user_code);
			goto out;
		} else if (api_error_is(&apierr, "AccessDeniedException")) {
			idc_err_set(err, IDC_EDENIED,
			    "the sign-in with code %s was denied",
			    dev.user_code);
			goto out;
		} else if (!api_error_is(
			       &apierr, "AuthorizationPendingException")) {
			goto out;
		}
		/* Pending after the first, immediate try: show the way.
		 * From here the person's time is not the command's; the
		 * code's expiry is this wait's limit (deadline.h). */
		if (polls++ == 0) {
			deadline_pause();
			auth_show(opts, tokens_ref_name(run->ref),
			    dev.verification_uri_complete != NULL
				? dev.verification_uri_complete
				: dev.verification_uri,
			    dev.user_code,
			    dev.verification_uri_complete != NULL
				? dev.verification_uri
				: NULL,
			    0);
		}
		if (intr_now_ms() + interval * 1000LL > deadline + 1000) {
			auth_countdown_clear(opts);
			idc_err_set(err, IDC_EAUTH,
			    "the code %s expired before it was approved; run "
			    "the sign-in again",
			    dev.user_code);
			goto out;
		}
		if (auth_wait(opts, interval * 1000L, deadline, err) == -1)
			goto out;
	}
	auth_countdown_clear(opts);
	r = 0;
out:
	deadline_resume();
	if (r == -1)
		auth_countdown_clear(opts);
	api_error_release(&apierr);
	api_request_release(&req);
	oidc_device_auth_release(&dev);
	idc_buf_release_secret(&body);
	return r;
}

/* --- authorization code with PKCE -------------------------------------- */

static const char auth_page_ok[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>idc: signed "
    "in</title></head><body style=\"font-family:sans-serif;margin:4em\">"
    "<h1>Signed in</h1><p>idc has your sign-in. You can close this tab and "
    "go back to the terminal.</p></body></html>";
static const char auth_page_error[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>idc: sign-in "
    "failed</title></head><body style=\"font-family:sans-serif;margin:4em\">"
    "<h1>Sign-in failed</h1><p>The sign-in was not completed. See the "
    "terminal for what to do next.</p></body></html>";
static const char auth_page_other[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>idc: not "
    "this sign-in</title></head><body style=\"font-family:sans-serif;"
    "margin:4em\"><h1>Not this sign-in</h1><p>This answer belongs to "
    "another sign-in; idc is still waiting for its own.</p></body></html>";

/* Best effort: the browser's connection is non-blocking, the page small. */
static void
auth_respond(int fd, int status, const char *page)
{
	char head[256];
	int n;

	n = snprintf(head, sizeof head,
	    "HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n"
	    "Connection: close\r\n\r\n",
	    status,
	    status == 200       ? "OK"
		: status == 400 ? "Bad Request"
				: "Not Found",
	    strlen(page));
	if (write(fd, head, (size_t)n) == n)
		(void)!write(fd, page, strlen(page));
}

/* Browser connections served at once, and the time each may take to send
 * its request line: a client that drips bytes, or a dozen that connect and
 * say nothing, cannot keep the real redirect waiting. */
#define AUTH_CONNS   16
#define AUTH_CONN_MS 5000L

struct auth_conn {
	int fd; /* -1: a free slot */
	size_t len;
	long long started;
	char buf[PKCE_CALLBACK_MAX + 1];
};

static void
auth_conn_close(struct auth_conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->len = 0;
}

/* A new connection, in a free slot or the oldest one's. */
static void
auth_conn_accept(int lfd, struct auth_conn *conns)
{
	struct auth_conn *slot = NULL;
	size_t i;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd == -1)
		return;
	for (i = 0; i < AUTH_CONNS && slot == NULL; i++)
		if (conns[i].fd == -1)
			slot = &conns[i];
	if (slot == NULL) {
		slot = &conns[0];
		for (i = 1; i < AUTH_CONNS; i++)
			if (conns[i].started < slot->started)
				slot = &conns[i];
	}
	auth_conn_close(slot);
	slot->fd = fd;
	slot->started = intr_now_ms();
}

/*
 * Read what c has sent.  1 with *cb set when its request line is the
 * redirect of this sign-in (its state is state); 0 otherwise: more to
 * come, or answered and closed (another path, another sign-in's state).
 */
static int
auth_conn_read(struct auth_conn *c, const char *state, struct pkce_callback *cb)
{
	ssize_t n = read(c->fd, c->buf + c->len, PKCE_CALLBACK_MAX - c->len);

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			auth_conn_close(c);
		return 0;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (memchr(c->buf, '\n', c->len) == NULL && c->len < PKCE_CALLBACK_MAX)
		return 0;
	if (pkce_callback_parse(c->buf, c->len, 0, cb) == 0) {
		auth_respond(c->fd, 404, auth_page_error);
	} else if (strcmp(cb->state, state) != 0) {
		/* Not this sign-in's: a stray tab, a replay, a page that
		 * guessed the port.  The real redirect can still come. */
		log_debug("sign-in: a redirect with another state, ignored");
		pkce_callback_release(cb);
		auth_respond(c->fd, 400, auth_page_other);
	} else {
		auth_respond(c->fd, 200,
		    cb->error == NULL ? auth_page_ok : auth_page_error);
		auth_conn_close(c);
		return 1;
	}
	auth_conn_close(c);
	return 0;
}

static int
auth_listen(int port, int *portp, struct idc_err *err)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return idc_err_errno(err, IDC_EFAIL, "cannot open a socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(fd, 64) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen) == -1) {
		idc_err_errno(err, IDC_EFAIL,
		    "cannot listen for the browser on 127.0.0.1:%d "
		    "(use --callback-port with a free port, or --device-code)",
		    port);
		close(fd);
		return -1;
	}
	*portp = ntohs(sa.sin_port);
	return fd;
}

/* A pasted redirect: 1 with *cb set when it is this sign-in's. */
static int
auth_pasted(const char *line, const char *state, struct pkce_callback *cb)
{
	if (pkce_callback_parse(line, strlen(line), 1, cb) == 0)
		return 0;
	if (strcmp(cb->state, state) == 0)
		return 1;
	pkce_callback_release(cb);
	return 0;
}

/* Wait for this sign-in's redirect (its state is state) from the browser,
 * or pasted; other requests are answered and the wait goes on. */
static int
auth_wait_callback(struct auth_run *run, int lfd, const char *state,
    struct pkce_callback *cb, struct idc_err *err)
{
	const struct auth_login_opts *opts = run->opts;
	long long deadline = intr_now_ms() + opts->wait_limit_ms, now;
	struct auth_conn *conns = xcalloc(AUTH_CONNS, sizeof conns[0]);
	struct pollfd pfd[AUTH_CONNS + 2];
	char line[PKCE_CALLBACK_MAX];
	int n, paste = opts->paste, r = -1;
	size_t i, np;
	long wait;

	for (i = 0; i < AUTH_CONNS; i++)
		conns[i].fd = -1;
	for (;;) {
		now = intr_now_ms();
		if (now >= deadline) {
			idc_err_set(err, IDC_EAUTH,
			    "no answer from the browser within %ld minutes; "
			    "run the sign-in again (--device-code works "
			    "without a local browser)",
			    opts->wait_limit_ms / 60000);
			goto out;
		}
		if (intr_pending()) {
			idc_err_set(
			    err, IDC_EINTR, "interrupted: not signed in");
			goto out;
		}
		auth_countdown(opts, deadline);
		wait = deadline - now < 1000 ? (long)(deadline - now) : 1000;
		for (i = 0; i < AUTH_CONNS; i++) {
			if (conns[i].fd == -1)
				continue;
			if (now - conns[i].started >= AUTH_CONN_MS) {
				auth_conn_close(&conns[i]);
				continue;
			}
			if (conns[i].started + AUTH_CONN_MS - now < wait)
				wait = (long)(conns[i].started + AUTH_CONN_MS -
				    now);
		}
		np = 0;
		pfd[np].fd = lfd;
		pfd[np++].events = POLLIN;
		pfd[np].fd = paste ? STDIN_FILENO : -1;
		pfd[np++].events = POLLIN;
		for (i = 0; i < AUTH_CONNS; i++) {
			pfd[np].fd = conns[i].fd;
			pfd[np++].events = POLLIN;
		}
		n = poll(pfd, np, (int)wait);
		if (n < 0 && errno != EINTR) {
			idc_err_errno(err, IDC_EFAIL, "cannot wait");
			goto out;
		}
		if (n <= 0)
			continue;
		for (i = 0; i < AUTH_CONNS; i++)
			if (conns[i].fd != -1 &&
			    (pfd[i + 2].revents &
				(POLLIN | POLLHUP | POLLERR)) &&
			    auth_conn_read(&conns[i], state, cb) == 1) {
				r = 0;
				goto out;
			}
		if (pfd[0].revents & POLLIN)
			auth_conn_accept(lfd, conns);
		if (paste && (pfd[1].revents & (POLLIN | POLLHUP))) {
			if (fgets(line, sizeof line, stdin) == NULL) {
				paste = 0; /* stdin closed: the browser only */
				continue;
			}
			if (auth_pasted(line, state, cb) == 1) {
				r = 0;
				goto out;
			}
			if (opts->events != NULL &&
			    opts->events->bad_paste != NULL)
				opts->events->bad_paste(opts->events->ud);
		}
	}
out:
	for (i = 0; i < AUTH_CONNS; i++)
		auth_conn_close(&conns[i]);
	free(conns);
	return r;
}

static int
auth_pkce(struct auth_run *run, struct sso_token *out, struct idc_err *err)
{
	const struct auth_login_opts *opts = run->opts;
	struct pkce_callback cb = { NULL, NULL, NULL };
	struct api_request req = { 0 };
	struct api_error apierr;
	char *verifier = NULL, *challenge = NULL, *state = NULL;
	char *redirect = NULL, *url = NULL;
	int lfd, port = 0, r = -1, rc;

	memset(&apierr, 0, sizeof apierr);
	/* Listen before registering, as the AWS CLI: a busy port fails
	 * before anything is sent. */
	if ((lfd = auth_listen(opts->callback_port, &port, err)) == -1)
		return -1;
	if (auth_registration(run, 1, 0, err) == -1)
		goto out;
	if ((verifier = pkce_verifier(err)) == NULL ||
	    (state = pkce_uuid4(err)) == NULL ||
	    (challenge = pkce_challenge(verifier, err)) == NULL)
		goto out;
	log_secret(verifier);
	redirect = xasprintf("http://127.0.0.1:%d/oauth/callback", port);
	url = oidc_authorize_url(run->oidc_base, run->reg.client_id, redirect,
	    state, challenge, auth_scopes(run->ref));
	if (url == NULL) {
		idc_err_set(err, IDC_EFAIL, "the sign-in URL is too long");
		goto out;
	}
	auth_show(
	    opts, tokens_ref_name(run->ref), url, NULL, NULL, opts->paste);
	/* The person's time is not the command's (deadline.h). */
	deadline_pause();
	rc = auth_wait_callback(run, lfd, state, &cb, err);
	deadline_resume();
	if (rc == -1)
		goto out;
	auth_countdown_clear(opts);
	if (cb.error != NULL) {
		idc_err_set(err, IDC_EDENIED,
		    "the sign-in was not completed: the browser reported "
		    "'%.80s'",
		    cb.error);
		goto out;
	}
	log_secret(cb.code);
	oidc_token_code_request(run->reg.client_id, run->reg.client_secret,
	    cb.code, redirect, verifier, &req);
	rc = auth_create_token(run, &req, out, &apierr, err);
	if (rc != 0)
		goto out;
	r = 0;
out:
	auth_countdown_clear(opts);
	close(lfd);
	api_error_release(&apierr);
	api_request_release(&req);
	pkce_callback_release(&cb);
	secret_free(verifier);
	free(challenge);
	free(state);
	free(redirect);
	free(url);
	return r;
}

/* --- entry points -------------------------------------------------------- */

/* The cached token if it stays valid for more than margin seconds and the
 * server has not refused it. */
static int
auth_cached(const struct sso_ref *ref, long margin, struct sso_token *out)
{
	struct idc_err ignore = IDC_ERR_INIT;

	if (tokens_load(ref, out, &ignore) == -1)
		return 0;
	if (out->expires_at - timefmt_now() > margin &&
	    !tokens_rejected(ref, out)) {
		log_secret(out->access_token);
		log_secret(out->refresh_token);
		return 1;
	}
	sso_token_release(out);
	return 0;
}

/* The flow to use: the flag, else the session's idc_login_flow (so that a
 * session used over SSH can say device-code once for all), else what fits
 * the place: PKCE where a browser can be opened, the device code
 * elsewhere.  1 for PKCE, 0 for the device code, -1 for a bad value. */
static int
auth_pick_flow(const struct auth_login_opts *opts, struct idc_err *err)
{
	const char *v = opts->config_flow;
	int pkce;

	if (opts->flow != AUTH_FLOW_DEFAULT) {
		pkce = opts->flow == AUTH_FLOW_PKCE;
		log_debug("sign-in flow: %s (the flag)",
		    pkce ? "PKCE" : "device code");
		return pkce;
	}
	if (v == NULL) {
		log_debug("sign-in flow: %s (%s)",
		    opts->desktop ? "PKCE" : "device code",
		    opts->desktop_why != NULL ? opts->desktop_why
					      : "the default");
		return opts->desktop != 0;
	}
	if (strcmp(v, "device-code") == 0 || strcmp(v, "pkce") == 0) {
		pkce = v[0] == 'p';
		log_debug("sign-in flow: %s (idc_login_flow in '%s')",
		    pkce ? "PKCE" : "device code",
		    opts->config_file != NULL ? opts->config_file
					      : "the config");
		return pkce;
	}
	return idc_err_set(err, IDC_ECONFIG,
	    "idc_login_flow '%.80s' in '%s' is not pkce or device-code", v,
	    opts->config_file != NULL ? opts->config_file : "the config");
}

int
auth_login(const struct sso_ref *ref, const struct auth_login_opts *opts,
    struct sso_token *out, int *reused, struct idc_err *err)
{
	struct fsutil_lock lock = FSUTIL_LOCK_INIT;
	struct auth_run run;
	struct idc_err busy = IDC_ERR_INIT;
	int waited = 0, pkce, r = -1;

	*reused = 0;
	memset(&run, 0, sizeof run);
	if ((pkce = auth_pick_flow(opts, err)) == -1)
		return -1;
	if (!opts->force && auth_cached(ref, AUTH_REFRESH_ADVISORY, out)) {
		*reused = AUTH_REUSED;
		return 0;
	}
	/* A refresh token spares the person a new sign-in. */
	if (!opts->force && auth_token(ref, "idc login", out, &busy) == 0) {
		if (out->expires_at - timefmt_now() > AUTH_REFRESH_ADVISORY) {
			*reused = AUTH_REFRESHED;
			return 0;
		}
		sso_token_release(out);
	}
	idc_err_clear(&busy);
	if (tokens_lock(ref, 0, &lock, &busy) == -1) {
		if (busy.code != IDC_ETIMEOUT) {
			*err = busy;
			return -1;
		}
		waited = 1;
		if (tokens_lock(ref, AUTH_LOGIN_LOCK_MS, &lock, err) == -1)
			return -1;
	}
	/* Whoever held the lock may have just signed in: one sign-in (one
	 * browser tab) serves every process that wanted one. */
	if ((!opts->force || waited) &&
	    auth_cached(ref, AUTH_REFRESH_ADVISORY, out)) {
		*reused = AUTH_REUSED;
		r = 0;
		goto out;
	}
	if (opts->refuse != NULL) {
		idc_err_set(err, IDC_EAUTH, "%s", opts->refuse);
		goto out;
	}
	if (auth_run_init(&run, ref, opts, err) == -1)
		goto out;
	if ((pkce ? auth_pkce(&run, out, err) : auth_device(&run, out, err)) ==
	    -1)
		goto out;
	if (tokens_save(ref, out, err) == -1) {
		sso_token_release(out);
		goto out;
	}
	/* A new sign-in may be another person's: what the portal showed the
	 * last one is not theirs to see. */
	if (listcache_remove(ref, err) == -1) {
		sso_token_release(out);
		goto out;
	}
	r = 0;
out:
	auth_run_release(&run);
	fsutil_lock_release(&lock);
	return r;
}

/* Refresh tok (loaded, inside the window, or refused by the server:
 * rejected) under the lock.  0 with *out set to the token to use; -1 when
 * none is usable.  A refresh the server refuses marks tok rejected. */
static int
auth_refresh(const struct sso_ref *ref, struct sso_token *tok, int rejected,
    const char *login_hint, struct sso_token *out, struct idc_err *err)
{
	struct fsutil_lock lock = FSUTIL_LOCK_INIT;
	struct auth_login_opts opts;
	struct auth_run run;
	struct api_request req = { 0 };
	struct api_error apierr;
	struct idc_err why = IDC_ERR_INIT, ignore = IDC_ERR_INIT;
	time_t now = timefmt_now();
	long left = (long)(tok->expires_at - now);
	char until[32];
	int rc, r = -1;

	memset(&run, 0, sizeof run);
	memset(&apierr, 0, sizeof apierr);
	memset(&opts, 0, sizeof opts);
	/* Advisory window: do not queue behind another refresher. */
	if (tokens_lock(ref,
		left > AUTH_REFRESH_MANDATORY ? 0 : AUTH_REFRESH_LOCK_MS, &lock,
		&why) == -1)
		goto failed;
	if (auth_cached(ref, AUTH_REFRESH_ADVISORY, out)) {
		sso_token_release(tok);
		r = 0;
		goto out;
	}
	if (auth_run_init(&run, ref, &opts, &why) == -1)
		goto failed;
	run.reg.client_id = xstrdup(tok->client_id);
	run.reg.client_secret = xstrdup(tok->client_secret);
	run.reg.expires_at = tok->registration_expires_at;
	oidc_token_refresh_request(
	    tok->client_id, tok->client_secret, tok->refresh_token, &req);
	rc = auth_create_token(&run, &req, out, &apierr, &why);
	if (rc == 1 && why.code == IDC_EAUTH) {
		/* Refused (revoked, or the refresh token expired): the
		 * session is over, and `idc login` must not reuse it. */
		rejected = 1;
		if (tokens_reject(ref, tok, &ignore) == -1)
			log_debug("%s", ignore.msg);
	}
	if (rc != 0)
		goto failed;
	if (out->refresh_token == NULL && tok->refresh_token != NULL)
		out->refresh_token = xstrdup(tok->refresh_token);
	out->extra = tok->extra;
	tok->extra = NULL;
	if (tokens_save(ref, out, &why) == -1)
		log_warn(
		    "the refreshed token could not be cached: %s", why.msg);
	log_debug("refreshed the token of '%s'", tokens_ref_name(ref));
	sso_token_release(tok);
	r = 0;
	goto out;
failed:
	if (!rejected && tok->expires_at > timefmt_now()) {
		timefmt_utc(tok->expires_at, until, sizeof until);
		if (why.code != IDC_ETIMEOUT)
			log_warn("could not refresh the sign-in to '%s' (%s); "
				 "using the current token, valid until %s",
			    tokens_ref_name(ref), why.msg, until);
		*out = *tok;
		memset(tok, 0, sizeof *tok);
		r = 0;
		goto out;
	}
	idc_err_set(err,
	    why.code == IDC_ENET || why.code == IDC_ETLS ||
		    why.code == IDC_ESERVER || why.code == IDC_EINTR
		? why.code
		: IDC_EAUTH,
	    "the sign-in to '%s' %s and could not be refreshed (%s); "
	    "run '%s'",
	    tokens_ref_name(ref),
	    tok->expires_at > timefmt_now() ? "was refused" : "expired",
	    why.msg, login_hint);
	sso_token_release(tok);
out:
	api_error_release(&apierr);
	api_request_release(&req);
	auth_run_release(&run);
	fsutil_lock_release(&lock);
	return r;
}

int
auth_token(const struct sso_ref *ref, const char *login_hint,
    struct sso_token *out, struct idc_err *err)
{
	struct sso_token tok;
	struct idc_err why = IDC_ERR_INIT;
	time_t now = timefmt_now();
	char when[32];
	int rejected;

	memset(&tok, 0, sizeof tok);
	if (tokens_load(ref, &tok, &why) == -1) {
		if (why.code != IDC_ENOTFOUND) {
			*err = why;
			return -1;
		}
		return idc_err_set(err, IDC_EAUTH,
		    "not signed in to '%s'; run '%s'", tokens_ref_name(ref),
		    login_hint);
	}
	log_secret(tok.access_token);
	log_secret(tok.refresh_token);
	rejected = tokens_rejected(ref, &tok);
	if (!rejected && tok.expires_at - now > AUTH_REFRESH_ADVISORY) {
		*out = tok;
		return 0;
	}
	if (tok.refresh_token != NULL && tok.client_id != NULL &&
	    tok.client_secret != NULL &&
	    (tok.registration_expires_at == 0 ||
		tok.registration_expires_at > now))
		return auth_refresh(ref, &tok, rejected, login_hint, out, err);
	if (!rejected && tok.expires_at > now) {
		*out = tok;
		return 0;
	}
	timefmt_utc(tok.expires_at, when, sizeof when);
	sso_token_release(&tok);
	if (rejected)
		return idc_err_set(err, IDC_EAUTH,
		    "the sign-in to '%s' was refused by the server; run '%s'",
		    tokens_ref_name(ref), login_hint);
	return idc_err_set(err, IDC_EAUTH,
	    "the sign-in to '%s' expired at %s; run '%s'", tokens_ref_name(ref),
	    when, login_hint);
}
