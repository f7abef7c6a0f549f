/*
 * credserver.c - the credential endpoint of `idc exec --server` (see
 * credserver.h): one single-threaded poll loop that serves the listener's
 * connections, watches the child, and collects renewals from a helper
 * process.
 *
 * Signals are blocked outside ppoll(), so a SIGCHLD or a SIGTERM is never
 * lost between a check and the wait.  The answer body is rendered when the
 * credentials change; a request costs a parse, a constant-time compare of
 * the token and one write.
 */
#include "idc/flow/credserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/deadline.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/rolecreds.h"

#define CS_TOKEN_BYTES 32
/* A renewal's answer: credentials as JSON. */
#define CS_RENEW_MAX (64 * 1024)
/* Retries of a failed renewal: 5 s doubling to a minute; after the
 * sign-in has ended, every 10 s (a new sign-in is noticed soon). */
#define CS_RETRY_MIN_MS        5000LL
#define CS_RETRY_MAX_MS        60000LL
#define CS_RETRY_SIGNED_OUT_MS 10000LL
/* The longest poll: deadlines and renewals are computed, this only
 * bounds a clock jump. */
#define CS_POLL_MAX_MS    60000LL
#define CS_ALIVE_EVERY_MS 1000LL
/* Renew at least this long before the expiry (if the life allows). */
#define CS_MIN_MARGIN 300L
/* How long a renewal helper gets after SIGTERM before SIGKILL. */
#define CS_STOP_GRACE_MS 2000LL

struct cs_conn {
	int fd;   /* -1: a free slot */
	char *in; /* CREDSERVER_MAX_REQUEST bytes; holds the token: wiped */
	size_t in_len;
	char *out; /* the answer being written, or NULL (wiped) */
	size_t out_len, out_off;
	int close_after;
	long long deadline_ms;
};

struct cs {
	const struct credserver_options *opts;
	int listen_fd;
	char token[CS_TOKEN_BYTES * 2 + 1];
	char url[64];
	char host[32]; /* "127.0.0.1:PORT" */
	struct rolecreds creds;
	int have_creds;
	char *body; /* the 200 body for creds (secret) */
	time_t renew_at;
	long margin;   /* renew_at is this long before the expiry */
	pid_t renewer; /* 0: none running */
	int renew_fd;
	struct idc_buf renew_buf;
	long long retry_ms; /* no renewal before this (monotonic) */
	int failures;
	int signed_out;
	char *problem; /* the 503 message */
	long long alive_ms;
	pid_t child;
	int child_done;
	int child_status;
	unsigned long refused;
	struct cs_conn conns[CREDSERVER_MAX_CONNS];
};

/* ---- signals ---------------------------------------------------------- */

static volatile sig_atomic_t cs_got_chld;
static volatile sig_atomic_t cs_forward; /* a signal to pass on, or 0 */

static void
cs_on_signal(int signo, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (signo == SIGCHLD) {
		cs_got_chld = 1;
		return;
	}
	/* From a terminal the whole process group has the signal: the child
	 * too.  Sent to idc alone (kill), it is passed on. */
	if ((signo == SIGINT || signo == SIGQUIT) && si != NULL &&
	    si->si_code != SI_USER && si->si_code != SI_QUEUE)
		return;
	cs_forward = signo;
}

static const int cs_signals[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define CS_NSIGNALS (sizeof cs_signals / sizeof cs_signals[0])

struct cs_sigstate {
	sigset_t old_mask;
	struct sigaction old[CS_NSIGNALS];
};

static void
cs_signals_take(struct cs_sigstate *ss)
{
	struct sigaction sa;
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < CS_NSIGNALS; i++)
		sigaddset(&block, cs_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &ss->old_mask);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = cs_on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CS_NSIGNALS; i++)
		sigaction(cs_signals[i], &sa, &ss->old[i]);
	cs_got_chld = 0;
	cs_forward = 0;
}

static void
cs_signals_restore(const struct cs_sigstate *ss)
{
	size_t i;

	for (i = 0; i < CS_NSIGNALS; i++)
		sigaction(cs_signals[i], &ss->old[i], NULL);
	sigprocmask(SIG_SETMASK, &ss->old_mask, NULL);
}

static void
cs_drop_creds(struct cs *s)
{
	rolecreds_release(&s->creds);
	secret_free(s->body);
	s->body = NULL;
	s->have_creds = 0;
}

static void
cs_set_problem(struct cs *s, const char *msg)
{
	free(s->problem);
	s->problem = xstrdup(msg);
}

/* ---- requests --------------------------------------------------------- */

/* Case-insensitive compare of a header name of len bytes with name. */
static int
cs_name_is(const char *p, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(p, name, len) == 0;
}

void
credserver_request_parse(
    const char *buf, size_t len, struct credserver_request *out)
{
	const char *end = NULL, *p, *eol, *sp1, *sp2, *colon, *v, *ve;
	size_t i, tlen;
	int http11, nauth = 0, nhost = 0;

	memset(out, 0, sizeof *out);
	for (i = 0; i + 3 < len; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
			end = buf + i + 2; /* after the last header's CRLF */
			break;
		}
	if (end == NULL) {
		out->too_large = len >= CREDSERVER_MAX_REQUEST;
		return;
	}
	out->complete = 1;
	out->length = (size_t)(end - buf) + 2;
	for (p = buf; p < end; p++)
		if (*p == '\0' || (*p == '\n' && (p == buf || p[-1] != '\r'))) {
			out->bad = 1;
			return;
		}
	/* The request line: METHOD SP TARGET SP HTTP/1.x */
	eol = memchr(buf, '\r', (size_t)(end - buf));
	sp1 = memchr(buf, ' ', (size_t)(eol - buf));
	sp2 =
	    sp1 != NULL ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
	if (sp1 == NULL || sp2 == NULL || sp1 == buf || sp2 == sp1 + 1 ||
	    eol - sp2 - 1 != 8 || memchr(sp2 + 1, ' ', 8) != NULL ||
	    (memcmp(sp2 + 1, "HTTP/1.1", 8) != 0 &&
		memcmp(sp2 + 1, "HTTP/1.0", 8) != 0)) {
		out->bad = 1;
		return;
	}
	http11 = sp2[8] == '1';
	out->keep_alive = http11;
	out->method_get = (sp1 - buf == 3 && memcmp(buf, "GET", 3) == 0) ||
	    (sp1 - buf == 4 && memcmp(buf, "HEAD", 4) == 0);
	out->head = sp1 - buf == 4 && memcmp(buf, "HEAD", 4) == 0;
	tlen = (size_t)(sp2 - sp1 - 1);
	v = memchr(sp1 + 1, '?', tlen);
	if (v != NULL)
		tlen = (size_t)(v - sp1 - 1);
	out->path_ok = tlen == 1 && sp1[1] == '/';
	/* Header fields. */
	for (p = eol + 2; p < end; p = eol + 2) {
		eol = memchr(p, '\r', (size_t)(end - p));
		if (*p == ' ' || *p == '\t' ||
		    (colon = memchr(p, ':', (size_t)(eol - p))) == NULL ||
		    colon == p) {
			out->bad = 1; /* folding, or no name */
			return;
		}
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		for (ve = eol; ve > v && (ve[-1] == ' ' || ve[-1] == '\t');
		     ve--)
			;
		tlen = (size_t)(colon - p);
		if (cs_name_is(p, tlen, "Authorization")) {
			out->auth = v;
			out->auth_len = (size_t)(ve - v);
			nauth++;
		} else if (cs_name_is(p, tlen, "Host")) {
			out->host = v;
			out->host_len = (size_t)(ve - v);
			nhost++;
		} else if (cs_name_is(p, tlen, "Content-Length")) {
			if (!(ve - v == 1 && *v == '0'))
				out->has_body = 1;
		} else if (cs_name_is(p, tlen, "Transfer-Encoding")) {
			out->has_body = 1;
		} else if (cs_name_is(p, tlen, "Connection")) {
			if ((size_t)(ve - v) == 5 &&
			    strncasecmp(v, "close", 5) == 0)
				out->keep_alive = 0;
		}
	}
	if (nauth > 1 || nhost > 1 || (http11 && nhost == 0))
		out->bad = 1;
}

/* ---- answers ---------------------------------------------------------- */

static const char *
cs_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 431:
		return "Request Header Fields Too Large";
	default:
		return "Service Unavailable";
	}
}

/* {"code": code, "message": message} */
static char *
cs_error_body(const char *code, const char *message)
{
	cJSON *doc = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(doc, "code", code);
	cJSON_AddStringToObject(doc, "message", message);
	text = json_print(doc);
	cJSON_Delete(doc);
	return text;
}

/* Queue the answer on c. */
static void
cs_answer(struct cs_conn *c, int status, const char *body, int head)
{
	size_t blen = strlen(body);

	c->out = xasprintf(
	    "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n"
	    "%s\r\n%s",
	    status, cs_reason(status), blen,
	    c->close_after ? "Connection: close\r\n" : "", head ? "" : body);
	c->out_len = strlen(c->out);
	c->out_off = 0;
}

/* Compare without an early exit: the time says nothing of the token. */
static int
cs_token_ok(const struct cs *s, const char *v, size_t len)
{
	volatile unsigned char diff = 0;
	size_t i;

	if (len != sizeof s->token - 1)
		return 0;
	for (i = 0; i < len; i++)
		diff |= (unsigned char)(v[i] ^ s->token[i]);
	return diff == 0;
}

static void
cs_refused(struct cs *s, int status)
{
	if (s->refused++ == 0)
		log_warn("exec: refused a credentials request %s (HTTP %d); "
			 "later refusals are not logged",
		    status == 401 ? "without the authorization token"
				  : "with a wrong authorization token",
		    status);
}

static void cs_check_alive(struct cs *s);

/* Answer the complete request req at the start of c->in. */
static void
cs_respond(
    struct cs *s, struct cs_conn *c, const struct credserver_request *req)
{
	char *err = NULL;
	int status;

	c->close_after = !req->keep_alive;
	if (req->bad || req->has_body ||
	    (req->host != NULL &&
		!(req->host_len == strlen(s->host) &&
		    memcmp(req->host, s->host, req->host_len) == 0))) {
		status = 400;
		c->close_after = 1;
	} else if (req->auth == NULL) {
		status = 401;
		cs_refused(s, status);
	} else if (!cs_token_ok(s, req->auth, req->auth_len)) {
		status = 403;
		cs_refused(s, status);
	} else if (!req->method_get) {
		status = 405;
	} else if (!req->path_ok) {
		status = 404;
	} else {
		cs_check_alive(s);
		if (s->have_creds && s->creds.expiration <= timefmt_now()) {
			cs_drop_creds(s);
			if (s->problem == NULL)
				cs_set_problem(s,
				    "the credentials have expired "
				    "and are being renewed");
		}
		status = s->have_creds ? 200 : 503;
	}
	if (status == 200) {
		cs_answer(c, 200, s->body, req->head);
		return;
	}
	err = cs_error_body(
	    status == 503 ? "CredentialsUnavailable" : cs_reason(status),
	    status == 503 && s->problem != NULL ? s->problem
						: cs_reason(status));
	cs_answer(c, status, err, req->head);
	free(err);
}

/* ---- credentials ---------------------------------------------------- */

/* Take rc (moved) as the credentials to hand out. */
static void
cs_set_creds(struct cs *s, struct rolecreds *rc)
{
	cJSON *doc = cJSON_CreateObject();
	char when[32];
	long life, margin;
	time_t now = timefmt_now();

	cs_drop_creds(s);
	s->creds = *rc;
	memset(rc, 0, sizeof *rc);
	timefmt_utc(s->creds.expiration, when, sizeof when);
	cJSON_AddStringToObject(doc, "AccessKeyId", s->creds.access_key_id);
	cJSON_AddStringToObject(
	    doc, "SecretAccessKey", s->creds.secret_access_key);
	cJSON_AddStringToObject(doc, "Token", s->creds.session_token);
	cJSON_AddStringToObject(doc, "Expiration", when);
	if (s->creds.account_id != NULL)
		cJSON_AddStringToObject(doc, "AccountId", s->creds.account_id);
	s->body = json_print(doc);
	json_free_secret(doc);
	s->have_creds = 1;
	/* Renew margin seconds before the end: min_ttl but at least a few
	 * minutes, or half the life of short credentials, so that the
	 * child never gets credentials about to end. */
	life = (long)(s->creds.expiration - now);
	margin =
	    s->opts->min_ttl > CS_MIN_MARGIN ? s->opts->min_ttl : CS_MIN_MARGIN;
	if (life / 2 < margin)
		margin = life / 2;
	s->margin = margin > 0 ? margin : 0;
	s->renew_at = s->creds.expiration - margin;
	s->failures = 0;
	s->retry_ms = 0;
	free(s->problem);
	s->problem = NULL;
	log_debug(
	    "exec: credentials until %s, renewed %ld s before", when, margin);
}

/* The renewal helper: fetch, write JSON to fd, end. */
static void
cs_renewer_main(struct cs *s, int fd, long min_ttl)
{
	struct idc_err err = IDC_ERR_INIT;
	struct rolecreds rc;
	cJSON *doc = cJSON_CreateObject();
	char *text;
	size_t off = 0, len;
	ssize_t n;

	memset(&rc, 0, sizeof rc);
	/* The command's deadline bounds one fetch, not the server's life:
	 * each renewal gets all of it again. */
	deadline_start((long long)deadline_total_s() * 1000);
	if (s->opts->source->fetch(s->opts->source->ud, min_ttl, &rc, &err) ==
	    0) {
		cJSON_AddStringToObject(doc, "AccessKeyId", rc.access_key_id);
		cJSON_AddStringToObject(
		    doc, "SecretAccessKey", rc.secret_access_key);
		cJSON_AddStringToObject(doc, "SessionToken", rc.session_token);
		cJSON_AddNumberToObject(
		    doc, "Expiration", (double)rc.expiration);
		if (rc.account_id != NULL)
			cJSON_AddStringToObject(
			    doc, "AccountId", rc.account_id);
	} else {
		cJSON_AddNumberToObject(doc, "Code", err.code);
		cJSON_AddStringToObject(doc, "Message", err.msg);
	}
	text = json_print(doc);
	json_free_secret(doc);
	rolecreds_release(&rc);
	len = strlen(text);
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	secret_free(text);
	close(fd);
	log_shutdown();
	_exit(0);
}

static void
cs_close_conn(struct cs_conn *c)
{
	if (c->fd == -1)
		return;
	close(c->fd);
	c->fd = -1;
	if (c->in != NULL)
		secret_wipe(c->in, CREDSERVER_MAX_REQUEST);
	free(c->in);
	c->in = NULL;
	c->in_len = 0;
	secret_free(c->out);
	c->out = NULL;
}

static int
cs_start_renewal(struct cs *s, const struct cs_sigstate *ss)
{
	int fds[2];
	size_t i;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == -1) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		close(s->listen_fd);
		for (i = 0; i < CREDSERVER_MAX_CONNS; i++)
			if (s->conns[i].fd != -1)
				close(s->conns[i].fd);
		cs_signals_restore(ss);
		/* Credentials that outlast the margin: the cached ones now
		 * due are not taken again. */
		cs_renewer_main(s, fds[1], s->margin);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	s->renewer = pid;
	s->renew_fd = fds[0];
	idc_buf_reset(&s->renew_buf);
	log_debug("exec: renewing the credentials (helper %ld)", (long)pid);
	return 0;
}

/* The renewal ended (its pipe closed): take its answer. */
static void
cs_renewal_done(struct cs *s)
{
	struct rolecreds rc;
	struct idc_err why = IDC_ERR_INIT;
	cJSON *doc;
	long long code = IDC_EFAIL, exp = 0;
	long long backoff;

	memset(&rc, 0, sizeof rc);
	close(s->renew_fd);
	s->renew_fd = -1;
	doc = json_parse_strict(idc_buf_cstr(&s->renew_buf), s->renew_buf.len);
	idc_buf_release_secret(&s->renew_buf);
	if (cJSON_IsObject(doc) &&
	    (rc.access_key_id = json_dup_opt_str(doc, "AccessKeyId")) != NULL &&
	    (rc.secret_access_key = json_dup_opt_str(doc, "SecretAccessKey")) !=
		NULL &&
	    (rc.session_token = json_dup_opt_str(doc, "SessionToken")) !=
		NULL &&
	    json_get_int(doc, "Expiration", &exp, "renewal", NULL) == 0) {
		rc.expiration = (time_t)exp;
		rc.account_id = json_dup_opt_str(doc, "AccountId");
		log_secret(rc.secret_access_key);
		log_secret(rc.session_token);
		if (s->signed_out)
			log_note("exec: signed in again: the command gets "
				 "credentials again");
		s->signed_out = 0;
		cs_set_creds(s, &rc);
		json_free_secret(doc);
		return;
	}
	rolecreds_release(&rc);
	if (cJSON_IsObject(doc)) {
		char *msg = json_dup_opt_str(doc, "Message");

		json_get_opt_int(
		    doc, "Code", IDC_EFAIL, &code, "renewal", NULL);
		idc_err_set(&why, (enum idc_errcode)code, "%s",
		    msg != NULL ? msg : "the renewal failed");
		free(msg);
	} else {
		idc_err_set(&why, IDC_EFAIL,
		    "the renewal helper ended without an answer");
	}
	json_free_secret(doc);
	if (why.code == IDC_EAUTH) {
		if (!s->signed_out)
			log_warn("exec: %s (the command keeps running and gets "
				 "credentials again after a sign-in)",
			    why.msg);
		s->signed_out = 1;
		cs_drop_creds(s);
		cs_set_problem(s, why.msg);
		s->retry_ms = intr_now_ms() + CS_RETRY_SIGNED_OUT_MS;
		return;
	}
	if (s->failures++ == 0)
		log_warn("exec: could not renew the credentials: %s (trying "
			 "again)",
		    why.msg);
	backoff = CS_RETRY_MIN_MS << (s->failures < 5 ? s->failures - 1 : 4);
	if (backoff > CS_RETRY_MAX_MS)
		backoff = CS_RETRY_MAX_MS;
	s->retry_ms = intr_now_ms() + backoff;
	cs_set_problem(s, why.msg);
	if (s->have_creds && s->creds.expiration <= timefmt_now())
		cs_drop_creds(s);
}

static void
cs_read_renewal(struct cs *s)
{
	char chunk[4096];
	ssize_t n;

	for (;;) {
		n = read(s->renew_fd, chunk, sizeof chunk);
		if (n > 0) {
			if (idc_buf_add(&s->renew_buf, chunk, (size_t)n) == -1)
				idc_buf_reset(&s->renew_buf);
			secret_wipe(chunk, sizeof chunk);
			continue;
		}
		if (n == 0) {
			cs_renewal_done(s);
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			cs_renewal_done(s);
		return;
	}
}

/* Has the sign-in ended (logout)?  At most once a second. */
static void
cs_check_alive(struct cs *s)
{
	const struct credserver_source *src = s->opts->source;
	long long now = intr_now_ms();
	char *msg;

	if (src->alive == NULL || now - s->alive_ms < CS_ALIVE_EVERY_MS)
		return;
	s->alive_ms = now;
	if (src->alive(src->ud) || s->signed_out)
		return;
	msg = xasprintf("the sign-in has ended; run '%s'", src->login_hint);
	log_warn("exec: %s (the command keeps running and gets credentials "
		 "again after a sign-in)",
	    msg);
	cs_set_problem(s, msg);
	free(msg);
	s->signed_out = 1;
	cs_drop_creds(s);
	s->retry_ms = now + CS_RETRY_SIGNED_OUT_MS;
}

/* ---- connections ------------------------------------------------------ */

static void
cs_accept(struct cs *s)
{
	size_t i;
	int fd;

	for (i = 0; i < CREDSERVER_MAX_CONNS; i++) {
		if (s->conns[i].fd != -1)
			continue;
		fd = accept4(
		    s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1)
			return;
		memset(&s->conns[i], 0, sizeof s->conns[i]);
		s->conns[i].fd = fd;
		s->conns[i].in = xmalloc(CREDSERVER_MAX_REQUEST);
		s->conns[i].deadline_ms =
		    intr_now_ms() + CREDSERVER_DEADLINE_MS;
	}
}

/* Write what is queued; 0 while the connection lives, -1 closed. */
static int
cs_flush(struct cs_conn *c)
{
	ssize_t n;

	while (c->out != NULL && c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		    MSG_NOSIGNAL);
		if (n > 0) {
			c->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		cs_close_conn(c);
		return -1;
	}
	if (c->out != NULL) {
		secret_free(c->out);
		c->out = NULL;
		if (c->close_after) {
			cs_close_conn(c);
			return -1;
		}
		c->deadline_ms = intr_now_ms() + CREDSERVER_DEADLINE_MS;
	}
	return 0;
}

/* Answer every complete request in c->in, one at a time. */
static void
cs_serve(struct cs *s, struct cs_conn *c)
{
	struct credserver_request req;

	while (c->fd != -1 && c->out == NULL && c->in_len > 0) {
		credserver_request_parse(c->in, c->in_len, &req);
		if (!req.complete) {
			if (!req.too_large)
				return;
			c->close_after = 1;
			cs_answer(c, 431, "{\"code\":\"RequestTooLarge\"}", 0);
			c->in_len = 0;
		} else {
			cs_respond(s, c, &req);
			memmove(
			    c->in, c->in + req.length, c->in_len - req.length);
			c->in_len -= req.length;
		}
		if (cs_flush(c) == -1)
			return;
	}
}

static void
cs_read_conn(struct cs *s, struct cs_conn *c)
{
	ssize_t n;

	while (c->in_len < CREDSERVER_MAX_REQUEST) {
		n = recv(c->fd, c->in + c->in_len,
		    CREDSERVER_MAX_REQUEST - c->in_len, 0);
		if (n > 0) {
			c->in_len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* The peer closed (or failed): answer nothing more. */
		cs_close_conn(c);
		return;
	}
	cs_serve(s, c);
}

/* ---- the child -------------------------------------------------------- */

static int
cs_child_env(const struct cs *s)
{
	static const char *const drop[] = { "AWS_ACCESS_KEY_ID",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", NULL };
	const char *const *d;

	for (d = drop; *d != NULL; d++)
		if (unsetenv(*d) == -1)
			return -1;
	if (setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", s->url, 1) == -1 ||
	    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", s->token, 1) == -1)
		return -1;
	if (s->opts->profile != NULL &&
	    setenv("IDC_EXEC_PROFILE", s->opts->profile, 1) == -1)
		return -1;
	if (s->opts->region != NULL &&
	    (setenv("AWS_REGION", s->opts->region, 1) == -1 ||
		setenv("AWS_DEFAULT_REGION", s->opts->region, 1) == -1))
		return -1;
	return 0;
}

/* Start argv; a failed exec is reported as a shell would. */
static int
cs_start_child(struct cs *s, char *const *argv, const struct cs_sigstate *ss,
    struct idc_err *err)
{
	int fds[2], e = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return idc_err_errno(err, IDC_EFAIL, "cannot create a pipe");
	fflush(NULL);
	pid = fork();
	if (pid == -1) {
		close(fds[0]);
		close(fds[1]);
		return idc_err_errno(
		    err, IDC_EFAIL, "cannot start '%s'", argv[0]);
	}
	if (pid == 0) {
		close(fds[0]);
		cs_signals_restore(ss);
		/* main.c ignores SIGPIPE, which would stay ignored. */
		signal(SIGPIPE, SIG_DFL);
		if (cs_child_env(s) == 0)
			execvp(argv[0], argv);
		e = errno;
		if (write(fds[1], &e, sizeof e) < 0)
			_exit(126);
		_exit(e == ENOENT || e == ENOTDIR ? 127 : 126);
	}
	close(fds[1]);
	s->child = pid;
	do
		n = read(fds[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	if (n == (ssize_t)sizeof e)
		fprintf(stderr, "idc: exec: %s '%s': %s\n",
		    e == ENOENT || e == ENOTDIR ? "cannot find" : "cannot run",
		    argv[0], strerror(e));
	return 0;
}

static void
cs_reap(struct cs *s)
{
	int st;
	pid_t pid;

	cs_got_chld = 0;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == s->child) {
			s->child_done = 1;
			s->child_status = WIFEXITED(st) ? WEXITSTATUS(st)
			    : WIFSIGNALED(st)           ? 128 + WTERMSIG(st)
							: 1;
		}
		if (pid == s->renewer)
			s->renewer = 0;
	}
}

/* ---- the loop ----------------------------------------------------------- */

static int
cs_listen(struct cs *s, struct idc_err *err)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	unsigned char raw[CS_TOKEN_BYTES];
	size_t i;

	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return idc_err_errno(err, IDC_EFAIL, "cannot get random bytes");
	for (i = 0; i < sizeof raw; i++)
		snprintf(s->token + 2 * i, 3, "%02x", raw[i]);
	secret_wipe(raw, sizeof raw);
	log_secret(s->token);
	s->listen_fd =
	    socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->listen_fd == -1)
		return idc_err_errno(err, IDC_EFAIL, "cannot create a socket");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if (bind(s->listen_fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(s->listen_fd, 128) == -1 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&sin, &slen) == -1)
		return idc_err_errno(
		    err, IDC_EFAIL, "cannot listen on 127.0.0.1");
	snprintf(s->host, sizeof s->host, "127.0.0.1:%u",
	    (unsigned)ntohs(sin.sin_port));
	snprintf(s->url, sizeof s->url, "http://%s/", s->host);
	log_debug("exec: credential endpoint at %s", s->url);
	return 0;
}

/* The poll timeout: the nearest deadline or renewal. */
static int
cs_timeout(const struct cs *s, long long now)
{
	long long t = CS_POLL_MAX_MS, due;
	size_t i;

	for (i = 0; i < CREDSERVER_MAX_CONNS; i++)
		if (s->conns[i].fd != -1 && s->conns[i].deadline_ms - now < t)
			t = s->conns[i].deadline_ms - now;
	if (s->renewer == 0 && s->renew_fd == -1) {
		due = s->have_creds
		    ? ((long long)s->renew_at - (long long)timefmt_now()) * 1000
		    : 0;
		if (s->retry_ms - now > due)
			due = s->retry_ms - now;
		if (due < t)
			t = due;
	}
	return t < 0 ? 0 : (int)t;
}

static void
cs_loop(struct cs *s, const struct cs_sigstate *ss)
{
	struct pollfd pfd[CREDSERVER_MAX_CONNS + 2];
	struct cs_conn *map[CREDSERVER_MAX_CONNS + 2];
	struct timespec ts;
	long long now;
	size_t i, n;
	int t;

	for (;;) {
		if (cs_got_chld)
			cs_reap(s);
		if (s->child_done)
			return;
		if (cs_forward != 0) {
			kill(s->child, cs_forward);
			cs_forward = 0;
		}
		now = intr_now_ms();
		if (s->renewer == 0 && s->renew_fd == -1 &&
		    now >= s->retry_ms &&
		    (!s->have_creds || timefmt_now() >= s->renew_at) &&
		    cs_start_renewal(s, ss) == -1)
			s->retry_ms = now + CS_RETRY_MIN_MS;
		n = 0;
		for (i = 0; i < CREDSERVER_MAX_CONNS; i++)
			if (s->conns[i].fd == -1)
				break;
		if (i < CREDSERVER_MAX_CONNS) {
			pfd[n].fd = s->listen_fd;
			pfd[n].events = POLLIN;
			map[n++] = NULL;
		}
		if (s->renew_fd != -1) {
			pfd[n].fd = s->renew_fd;
			pfd[n].events = POLLIN;
			map[n++] = NULL;
		}
		for (i = 0; i < CREDSERVER_MAX_CONNS; i++) {
			if (s->conns[i].fd == -1)
				continue;
			pfd[n].fd = s->conns[i].fd;
			pfd[n].events =
			    s->conns[i].out != NULL ? POLLOUT : POLLIN;
			map[n++] = &s->conns[i];
		}
		t = cs_timeout(s, now);
		ts.tv_sec = t / 1000;
		ts.tv_nsec = (long)(t % 1000) * 1000000L;
		if (ppoll(pfd, n, &ts, &ss->old_mask) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("exec: poll failed: %s", strerror(errno));
			intr_sleep_ms(100);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == s->listen_fd && map[i] == NULL)
				cs_accept(s);
			else if (pfd[i].fd == s->renew_fd && map[i] == NULL)
				cs_read_renewal(s);
			else if (map[i]->out != NULL) {
				if (cs_flush(map[i]) == 0)
					cs_serve(s, map[i]);
			} else
				cs_read_conn(s, map[i]);
		}
		now = intr_now_ms();
		for (i = 0; i < CREDSERVER_MAX_CONNS; i++)
			if (s->conns[i].fd != -1 &&
			    now >= s->conns[i].deadline_ms)
				cs_close_conn(&s->conns[i]);
	}
}

/* Stop a renewal in flight: SIGTERM, a grace period, SIGKILL. */
static void
cs_stop_renewer(struct cs *s)
{
	long long until;
	int st;

	if (s->renew_fd != -1) {
		close(s->renew_fd);
		s->renew_fd = -1;
	}
	if (s->renewer == 0)
		return;
	kill(s->renewer, SIGTERM);
	until = intr_now_ms() + CS_STOP_GRACE_MS;
	while (waitpid(s->renewer, &st, WNOHANG) == 0) {
		if (intr_now_ms() >= until) {
			kill(s->renewer, SIGKILL);
			waitpid(s->renewer, &st, 0);
			break;
		}
		usleep(10000);
	}
	s->renewer = 0;
}

int
credserver_run(const struct credserver_options *opts, char *const *argv,
    int *status, struct idc_err *err)
{
	struct cs *s = xcalloc(1, sizeof *s);
	struct cs_sigstate ss;
	struct rolecreds rc;
	size_t i;
	int r = -1, sigs = 0;

	memset(&rc, 0, sizeof rc);
	s->opts = opts;
	s->listen_fd = -1;
	s->renew_fd = -1;
	idc_buf_init(&s->renew_buf, CS_RENEW_MAX);
	for (i = 0; i < CREDSERVER_MAX_CONNS; i++)
		s->conns[i].fd = -1;
	if (opts->source->fetch(opts->source->ud, opts->min_ttl, &rc, err) ==
	    -1)
		goto out;
	cs_set_creds(s, &rc);
	s->alive_ms = intr_now_ms();
	if (cs_listen(s, err) == -1)
		goto out;
	cs_signals_take(&ss);
	sigs = 1;
	if (cs_start_child(s, argv, &ss, err) == -1)
		goto out;
	cs_loop(s, &ss);
	*status = s->child_status;
	if (s->refused > 1)
		log_debug("exec: %lu requests were refused", s->refused);
	r = 0;
out:
	if (s->listen_fd != -1)
		close(s->listen_fd);
	for (i = 0; i < CREDSERVER_MAX_CONNS; i++)
		cs_close_conn(&s->conns[i]);
	cs_stop_renewer(s);
	if (sigs)
		cs_signals_restore(&ss);
	cs_drop_creds(s);
	idc_buf_release_secret(&s->renew_buf);
	free(s->problem);
	secret_wipe(s->token, sizeof s->token);
	free(s);
	return r;
}
