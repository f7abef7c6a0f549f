/*
 * test_http.c - http.c against an in-process HTTP/1.1 server on 127.0.0.1:
 * lazy loading of libcurl, response headers, retries and backoff, limits,
 * URL rules, error classes and messages, concurrency caps of
 * http_perform_many, streams that grow from their answers and wait for
 * a gate, and that --debug output hides secrets.
 *
 * The server is a thread per connection that answers from a script (or a
 * handler) and records every request with the number of requests it was
 * handling at that moment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/net/http.h"
#include "idc/core/intr.h"
#include "idc/core/log.h"
#include "idc/version.h"
#include "idc/core/xmalloc.h"

#define SRV_MAX_REQS  256
#define SRV_MAX_CONNS 256
#define SRV_BUF       65536

struct srv_resp {
	int status;
	const char *headers; /* extra header lines, each ending "\r\n" */
	const char *body;    /* NULL: empty */
	size_t body_len;     /* 0: strlen(body) */
	int delay_ms;        /* before answering */
	int close_delimited; /* no Content-Length: the body ends at close */
};

struct srv_req {
	char method[16];
	char target[512];
	char *head; /* request line and headers */
	char *body;
	size_t body_len;
	int in_flight; /* requests being handled on arrival, this one too */
};

struct srv;
typedef void srv_handler_fn(
    struct srv *s, const struct srv_req *req, size_t nth, struct srv_resp *out);

struct srv {
	int fd;
	int port;
	pthread_t thread;
	pthread_mutex_t lock;
	atomic_int stop;
	const struct srv_resp *script; /* answered in order, the last repeats */
	size_t nscript;
	srv_handler_fn *handler; /* or this */
	const char *raw;         /* or these bytes as they are, then close */
	size_t raw_len;
	void *hud;
	struct srv_req reqs[SRV_MAX_REQS];
	size_t nreqs;
	int in_flight;
	int max_in_flight;
	int conns;
	int max_conns;
	int total_conns;
	pthread_t threads[SRV_MAX_CONNS];
	size_t nthreads;
};

struct srv_conn {
	struct srv *s;
	int fd;
};

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Read more into buf; 0 at end of stream or when the server stops. */
static ssize_t
srv_read(struct srv *s, int fd, char *buf, size_t *have)
{
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n;

	while (!atomic_load(&s->stop)) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		n = recv(fd, buf + *have, SRV_BUF - *have, 0);
		if (n > 0)
			*have += (size_t)n;
		return n;
	}
	return 0;
}

static void
srv_send(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static size_t
srv_content_length(const char *head)
{
	const char *p = strcasestr(head, "\r\ncontent-length:");

	return p == NULL ? 0 : (size_t)strtoul(p + 17, NULL, 10);
}

/* Record a request; returns its number. */
static size_t
srv_record(struct srv *s, const char *buf, size_t head_len, size_t body_len)
{
	struct srv_req *r;
	size_t nth;

	pthread_mutex_lock(&s->lock);
	nth = s->nreqs;
	s->in_flight++;
	if (s->in_flight > s->max_in_flight)
		s->max_in_flight = s->in_flight;
	if (nth < SRV_MAX_REQS) {
		r = &s->reqs[nth];
		r->head = xstrndup(buf, head_len);
		r->body = xstrndup(buf + head_len, body_len);
		r->body_len = body_len;
		r->in_flight = s->in_flight;
		sscanf(r->head, "%15s %511s", r->method, r->target);
		s->nreqs++;
	}
	pthread_mutex_unlock(&s->lock);
	return nth;
}

static void
srv_choose(struct srv *s, size_t nth, struct srv_resp *out)
{
	struct srv_req copy;

	memset(out, 0, sizeof *out);
	if (s->handler != NULL) {
		pthread_mutex_lock(&s->lock);
		copy = s->reqs[nth < SRV_MAX_REQS ? nth : SRV_MAX_REQS - 1];
		pthread_mutex_unlock(&s->lock);
		s->handler(s, &copy, nth, out);
		return;
	}
	*out = s->script[nth < s->nscript ? nth : s->nscript - 1];
}

/* Answer in one write (two would meet Nagle and delayed ACKs); returns 0
 * when the connection must close. */
static int
srv_answer(struct srv *s, int fd, const struct srv_resp *r)
{
	const char *body = r->body != NULL ? r->body : "";
	size_t len = r->body_len > 0 ? r->body_len : strlen(body);
	struct idc_buf out = IDC_BUF_INIT(4 << 20);

	if (s->raw != NULL) {
		srv_send(fd, s->raw, s->raw_len);
		return 0;
	}
	idc_buf_putf(&out, "HTTP/1.1 %d Status\r\n%s", r->status,
	    r->headers != NULL ? r->headers : "");
	if (r->close_delimited)
		idc_buf_putstr(&out, "Connection: close\r\n\r\n");
	else
		idc_buf_putf(&out, "Content-Length: %zu\r\n\r\n", len);
	idc_buf_put(&out, body, len);
	srv_send(fd, out.data, out.len);
	idc_buf_release(&out);
	return !r->close_delimited;
}

static const char srv_not_tls[] =
    "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";

static void *
srv_conn_main(void *arg)
{
	struct srv_conn *c = arg;
	struct srv *s = c->s;
	char *buf = xmalloc(SRV_BUF + 1), *end;
	size_t have = 0, head_len, body_len, nth;
	struct srv_resp r;

	for (;;) {
		buf[have] = '\0';
		while ((end = memmem(buf, have, "\r\n\r\n", 4)) == NULL) {
			/* A TLS ClientHello: answer as a plain server would. */
			if (have > 0 && buf[0] == 0x16) {
				srv_send(
				    c->fd, srv_not_tls, strlen(srv_not_tls));
				goto out;
			}
			if (have == SRV_BUF ||
			    srv_read(s, c->fd, buf, &have) <= 0)
				goto out;
			buf[have] = '\0';
		}
		head_len = (size_t)(end + 4 - buf);
		body_len = srv_content_length(buf);
		while (have < head_len + body_len)
			if (have == SRV_BUF ||
			    srv_read(s, c->fd, buf, &have) <= 0)
				goto out;
		nth = srv_record(s, buf, head_len, body_len);
		srv_choose(s, nth, &r);
		if (r.delay_ms > 0)
			sleep_ms(r.delay_ms);
		/* Out of flight before the answer leaves: the client may
		 * send its next request the moment it has the answer. */
		pthread_mutex_lock(&s->lock);
		s->in_flight--;
		pthread_mutex_unlock(&s->lock);
		if (!srv_answer(s, c->fd, &r))
			goto out;
		have -= head_len + body_len;
		memmove(buf, buf + head_len + body_len, have);
	}
out:
	close(c->fd);
	pthread_mutex_lock(&s->lock);
	s->conns--;
	pthread_mutex_unlock(&s->lock);
	free(buf);
	free(c);
	return NULL;
}

static void *
srv_accept_main(void *arg)
{
	struct srv *s = arg;
	struct pollfd p = { s->fd, POLLIN, 0 };
	struct srv_conn *c;
	int fd;

	while (!atomic_load(&s->stop)) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		fd = accept(s->fd, NULL, NULL);
		if (fd == -1)
			continue;
		pthread_mutex_lock(&s->lock);
		if (s->nthreads == SRV_MAX_CONNS) {
			pthread_mutex_unlock(&s->lock);
			close(fd);
			continue;
		}
		s->conns++;
		s->total_conns++;
		if (s->conns > s->max_conns)
			s->max_conns = s->conns;
		c = xcalloc(1, sizeof *c);
		c->s = s;
		c->fd = fd;
		pthread_create(
		    &s->threads[s->nthreads++], NULL, srv_conn_main, c);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static struct srv *
srv_start(const struct srv_resp *script, size_t nscript,
    srv_handler_fn *handler, void *hud)
{
	struct srv *s = xcalloc(1, sizeof *s);
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int one = 1;

	pthread_mutex_init(&s->lock, NULL);
	s->script = script;
	s->nscript = nscript;
	s->handler = handler;
	s->hud = hud;
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->fd >= 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s->fd, 64), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
	pthread_create(&s->thread, NULL, srv_accept_main, s);
	return s;
}

static struct srv *
srv_script(const struct srv_resp *script, size_t n)
{
	return srv_start(script, n, NULL, NULL);
}

static void
srv_stop(struct srv *s)
{
	size_t i;

	atomic_store(&s->stop, 1);
	pthread_join(s->thread, NULL);
	for (i = 0; i < s->nthreads; i++)
		pthread_join(s->threads[i], NULL);
	close(s->fd);
	for (i = 0; i < s->nreqs; i++) {
		free(s->reqs[i].head);
		free(s->reqs[i].body);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static size_t
srv_nreqs(struct srv *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->nreqs;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static char *
srv_url(const struct srv *s, const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", s->port, path);
}

/* Options that keep the tests fast; IDC_TEST_TIMEOUT_SCALE stretches the
 * timeouts where everything is slower (valgrind: a TLS handshake takes
 * seconds). */
static struct http_client *
client_new(int max_in_flight)
{
	struct http_options o;
	struct idc_err err = IDC_ERR_INIT;
	struct http_client *c;
	const char *scale_env = getenv("IDC_TEST_TIMEOUT_SCALE");
	long scale = scale_env != NULL ? atol(scale_env) : 1;

	if (scale < 1)
		scale = 1;
	memset(&o, 0, sizeof o);
	o.connect_timeout_ms = 2000 * scale;
	o.total_timeout_ms = 5000 * scale;
	o.retry_base_ms = 10;
	o.retry_cap_ms = 50;
	o.max_in_flight = max_in_flight;
	c = http_client_new(&o, &err);
	assert_non_null(c);
	return c;
}

static int
do_get(struct http_client *c, const char *url, struct http_response *resp,
    struct idc_err *err)
{
	struct http_request req;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	return http_perform(c, &req, resp, err);
}

/*
 * GET "/" from a server playing script (n answers) with a fresh client and
 * check what the caller sees: the final status and body (want_body NULL:
 * not checked), how many attempts it took, and how many requests the
 * server received.  Returns the milliseconds the call took.
 */
static long long
expect_get(const struct srv_resp *script, size_t n, long want_status,
    const char *want_body, int want_attempts, size_t want_reqs)
{
	struct srv *s = srv_script(script, n);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url = srv_url(s, "/");
	long long t0, ms;

	http_response_init(&resp);
	t0 = intr_now_ms();
	assert_int_equal(do_get(c, url, &resp, &err), 0);
	ms = intr_now_ms() - t0;
	assert_int_equal(resp.status, want_status);
	assert_int_equal(resp.attempts, want_attempts);
	if (want_body != NULL)
		assert_string_equal(idc_buf_cstr(&resp.body), want_body);
	http_response_release(&resp);
	http_client_free(c);
	assert_int_equal(srv_nreqs(s), want_reqs);
	srv_stop(s);
	free(url);
	return ms;
}

/* A port that refuses connections. */
static int
closed_port(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* --- single requests --- */

static void
test_libcurl_loaded_by_first_client(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct http_client *c;

	(void)state;
	/* Nothing before the first client needs libcurl. */
	assert_int_equal(http_libcurl_loaded(), 0);
	c = http_client_new(NULL, &err);
	assert_non_null(c);
	assert_int_equal(http_libcurl_loaded(), 1);
	assert_int_equal(http_get_max_in_flight(c), 8);
	http_client_free(c);
	assert_int_equal(http_libcurl_loaded(), 1);
}

static void
test_status_body_and_headers(void **state)
{
	static const struct srv_resp script[] = {
		{ 400,
		    "x-amzn-ErrorType: AuthorizationPendingException:http://"
		    "internal.amazon.com/coral/com.amazonaws.sso.oidc/\r\n"
		    "x-amzn-RequestId: 7d1c-42\r\n"
		    "Content-Type: application/json\r\n",
		    "{\"error\":\"authorization_pending\"}", 0, 0, 0 },
		{ 400,
		    "X-Amzn-Errortype: aws.protocoltests#FooError:http://"
		    "internal.amazon.com/coral/com.amazon.coral.validate/\r\n",
		    NULL, 0, 0, 0 },
		{ 200, "x-amzn-ErrorType:   Plain  \r\n", "ok", 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 3);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url = srv_url(s, "/token");

	(void)state;
	http_response_init(&resp);
	assert_int_equal(do_get(c, url, &resp, &err), 0);
	assert_int_equal(resp.status, 400);
	assert_int_equal(resp.attempts, 1);
	assert_string_equal(
	    idc_buf_cstr(&resp.body), "{\"error\":\"authorization_pending\"}");
	assert_string_equal(resp.error_type, "AuthorizationPendingException");
	assert_string_equal(resp.request_id, "7d1c-42");
	assert_string_equal(resp.content_type, "application/json");
	assert_int_equal(resp.retry_after_ms, -1);
	http_response_release(&resp);
	assert_null(resp.error_type);
	assert_int_equal(resp.body.len, 0);

	assert_int_equal(do_get(c, url, &resp, &err), 0);
	assert_string_equal(resp.error_type, "FooError");
	assert_null(resp.request_id);
	assert_null(resp.content_type);
	assert_string_equal(idc_buf_cstr(&resp.body), "");
	http_response_release(&resp);

	assert_int_equal(do_get(c, url, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.error_type, "Plain");
	http_response_release(&resp);

	http_client_free(c);
	assert_int_equal(srv_nreqs(s), 3);
	assert_string_equal(s->reqs[0].method, "GET");
	assert_string_equal(s->reqs[0].target, "/token");
	srv_stop(s);
	free(url);
}

static void
test_post_body_and_headers_arrive_as_sent(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "{}", 0, 0, 0 },
	};
	static const char *headers[] = {
		"Content-Type: application/x-amz-json-1.1",
		"x-amz-sso_bearer_token: aoaAAAAAGbearer",
		NULL,
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct http_request req;
	struct idc_err err = IDC_ERR_INIT;
	char *url = srv_url(s, "/federation/credentials?role_name=Admin");
	char body[3000];

	(void)state;
	/* Long enough that libcurl would otherwise send Expect. */
	memset(body, 'b', sizeof body);
	memcpy(body, "{\"x\":\"", 6);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = sizeof body;
	http_response_init(&resp);
	assert_int_equal(http_perform(c, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	http_response_release(&resp);
	http_client_free(c);

	assert_int_equal(srv_nreqs(s), 1);
	assert_string_equal(s->reqs[0].method, "POST");
	assert_string_equal(
	    s->reqs[0].target, "/federation/credentials?role_name=Admin");
	assert_int_equal(s->reqs[0].body_len, sizeof body);
	assert_memory_equal(s->reqs[0].body, body, sizeof body);
	assert_non_null(strstr(s->reqs[0].head,
	    "\r\nContent-Type: application/x-amz-json-1.1\r\n"));
	assert_non_null(strstr(s->reqs[0].head,
	    "\r\nx-amz-sso_bearer_token: aoaAAAAAGbearer\r\n"));
	assert_non_null(
	    strstr(s->reqs[0].head, "\r\nUser-Agent: idc/" IDC_VERSION "\r\n"));
	assert_null(strcasestr(s->reqs[0].head, "\r\nExpect:"));
	srv_stop(s);
	free(url);
}

static void
test_connections_are_reused(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "ok", 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url = srv_url(s, "/");
	int i;

	(void)state;
	http_response_init(&resp);
	for (i = 0; i < 5; i++) {
		assert_int_equal(do_get(c, url, &resp, &err), 0);
		http_response_release(&resp);
	}
	http_client_free(c);
	assert_int_equal(srv_nreqs(s), 5);
	assert_int_equal(s->total_conns, 1);
	srv_stop(s);
	free(url);
}

static void
test_500_then_200_is_retried(void **state)
{
	static const struct srv_resp script[] = {
		{ 500, NULL, "oops", 0, 0, 0 },
		{ 200, NULL, "fine", 0, 0, 0 },
	};

	(void)state;
	expect_get(script, 2, 200, "fine", 2, 2);
}

static void
test_429_waits_for_retry_after(void **state)
{
	static const struct srv_resp script[] = {
		{ 429, "Retry-After: 1\r\n", "slow down", 0, 0, 0 },
		{ 200, NULL, "ok", 0, 0, 0 },
	};
	long long ms;

	(void)state;
	ms = expect_get(script, 2, 200, "ok", 2, 2);
	assert_true(ms >= 950);
	assert_true(ms < 3000);
}

static void
test_retry_after_forms(void **state)
{
	static const struct srv_resp script[] = {
		{ 429, "Retry-After: 7\r\n", NULL, 0, 0, 0 },
		{ 503, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n", NULL,
		    0, 0, 0 },
		{ 503, "Retry-After: soon\r\n", NULL, 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 3);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct http_request req;
	struct idc_err err = IDC_ERR_INIT;
	char *url = srv_url(s, "/");

	(void)state;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.no_retry = 1;
	http_response_init(&resp);
	assert_int_equal(http_perform(c, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 429);
	assert_int_equal(resp.retry_after_ms, 7000);
	http_response_release(&resp);
	/* A date in the past: come back now. */
	assert_int_equal(http_perform(c, &req, &resp, &err), 0);
	assert_int_equal(resp.retry_after_ms, 0);
	http_response_release(&resp);
	assert_int_equal(http_perform(c, &req, &resp, &err), 0);
	assert_int_equal(resp.retry_after_ms, -1);
	assert_int_equal(resp.attempts, 1);
	http_response_release(&resp);
	http_client_free(c);
	assert_int_equal(srv_nreqs(s), 3);
	srv_stop(s);
	free(url);
}

static void
test_400_is_not_retried(void **state)
{
	static const struct srv_resp script[] = {
		{ 400, NULL, "bad", 0, 0, 0 },
		{ 200, NULL, "ok", 0, 0, 0 },
	};

	(void)state;
	expect_get(script, 2, 400, "bad", 1, 1);
}

static void
test_503_forever_returns_last_status(void **state)
{
	static const struct srv_resp script[] = {
		{ 503, NULL, "busy", 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct http_request req;
	struct idc_err err = IDC_ERR_INIT;
	char *url = srv_url(s, "/");

	(void)state;
	http_response_init(&resp);
	assert_int_equal(do_get(c, url, &resp, &err), 0);
	assert_int_equal(resp.status, 503);
	assert_int_equal(resp.attempts, 3);
	assert_string_equal(idc_buf_cstr(&resp.body), "busy");
	http_response_release(&resp);
	assert_int_equal(srv_nreqs(s), 3);

	/* no_retry: one attempt. */
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.no_retry = 1;
	assert_int_equal(http_perform(c, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 503);
	assert_int_equal(resp.attempts, 1);
	http_response_release(&resp);
	assert_int_equal(srv_nreqs(s), 4);
	http_client_free(c);
	srv_stop(s);
	free(url);
}

struct tally {
	int attempts;
	int done;
	long statuses[64];
	int done_per[64];
	int attempts_per[64];
	long long done_ms[64];
	struct idc_err err[64];
	struct http_client *client;
	int lower_to;
};

static void
tally_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *err)
{
	struct tally *t = ud;

	assert_true(i < 64);
	assert_true((resp == NULL) != (err == NULL));
	t->done++;
	t->done_per[i]++;
	t->done_ms[i] = intr_now_ms();
	if (err != NULL) {
		t->err[i] = *err;
		t->statuses[i] = -1;
	} else {
		t->statuses[i] = resp->status;
		t->attempts_per[i] = resp->attempts;
	}
	if (t->lower_to > 0 && t->client != NULL) {
		http_set_max_in_flight(t->client, t->lower_to);
		t->lower_to = 0;
	}
}

static void
tally_attempt(void *ud, size_t i, long status, long retry_after_ms)
{
	struct tally *t = ud;

	(void)i;
	(void)status;
	(void)retry_after_ms;
	t->attempts++;
}

static void
test_connection_refused_is_a_network_error(void **state)
{
	static const char *headers[] = {
		"x-amz-sso_bearer_token: SECRETTOKEN",
		NULL,
	};
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct http_request req;
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	char *url = xasprintf(
	    "http://127.0.0.1:%d/x?account_id=SECRETQUERY", closed_port());

	(void)state;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.headers = headers;
	http_response_init(&resp);
	assert_int_equal(http_perform(c, &req, &resp, &err), -1);
	assert_int_equal(err.code, IDC_ENET);
	assert_non_null(strstr(err.msg, "'127.0.0.1'"));
	assert_null(strstr(err.msg, "SECRET"));
	assert_null(strchr(err.msg, '\n'));
	assert_int_equal(resp.status, 0);
	assert_null(resp.body.data);

	memset(&t, 0, sizeof t);
	assert_int_equal(
	    http_perform_many(c, &req, 1, tally_done, tally_attempt, &t, &err),
	    0);
	assert_int_equal(t.done, 1);
	assert_int_equal(t.attempts, 3);
	assert_int_equal(t.err[0].code, IDC_ENET);
	http_client_free(c);
	free(url);
}

static void
test_response_larger_than_max_fails(void **state)
{
	static char big[4096];
	static struct srv_resp script[] = {
		{ 200, NULL, big, 0, 0, 0 },
		{ 200, NULL, big, 0, 0, 1 },
	};
	struct srv *s;
	struct http_options o;
	struct http_client *c;
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	s = srv_script(script, 2);
	url = srv_url(s, "/");
	memset(&o, 0, sizeof o);
	o.max_response = 1024;
	o.retry_base_ms = 10;
	c = http_client_new(&o, &err);
	assert_non_null(c);
	http_response_init(&resp);
	/* Announced by Content-Length, then found while reading. */
	assert_int_equal(do_get(c, url, &resp, &err), -1);
	assert_int_equal(err.code, IDC_ESERVER);
	assert_non_null(strstr(err.msg,
	    "the answer from '127.0.0.1' is larger than the limit of 1024 "
	    "bytes"));
	idc_err_clear(&err);
	assert_int_equal(do_get(c, url, &resp, &err), -1);
	assert_int_equal(err.code, IDC_ESERVER);
	assert_non_null(strstr(err.msg,
	    "the answer from '127.0.0.1' is larger than the limit of 1024 "
	    "bytes"));
	assert_null(resp.body.data);
	http_client_free(c);
	/* Not retried. */
	assert_int_equal(srv_nreqs(s), 2);
	srv_stop(s);
	free(url);
}

/*
 * Servers that answer, but not with usable HTTP: each is exit status 4
 * (IDC_ESERVER) with a message that names the host and what was wrong,
 * never "out of memory" or a libcurl code, and none is retried.
 */
static void
test_broken_answers_are_server_errors(void **state)
{
	static struct {
		const char *name;
		const char *raw;
		const char *want;
	} cases[] = {
		{ "http/0.9", "hello world\n", "is not HTTP" },
		{ "garbage", "GARBAGE LINE\r\n\r\nbody", "is not HTTP" },
		{ "binary", "\x16\x03\x01\x00\x05hello", "is not HTTP" },
		{ "bad status", "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",
		    "is not HTTP" },
		{ "nul in a header",
		    "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n",
		    "not valid HTTP" },
		{ "huge header", NULL, "response headers over the limit" },
		{ "many headers", NULL, "response headers over the limit" },
	};
	static const struct srv_resp script[] = {
		{ 200, NULL, NULL, 0, 0, 0 },
	};
	struct idc_buf big = IDC_BUF_INIT(4 << 20);
	struct http_response resp;
	struct http_client *c;
	struct idc_err err;
	struct srv *s;
	char *url;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		idc_buf_reset(&big);
		if (strcmp(cases[i].name, "huge header") == 0) {
			/* One 1 MiB header line. */
			idc_buf_putstr(&big, "HTTP/1.1 200 OK\r\nX-Big: ");
			for (k = 0; k < (1u << 20); k++)
				idc_buf_putch(&big, 'a');
			idc_buf_putstr(&big, "\r\nContent-Length: 0\r\n\r\n");
		} else if (strcmp(cases[i].name, "many headers") == 0) {
			idc_buf_putstr(&big, "HTTP/1.1 200 OK\r\n");
			for (k = 0; k < 2000; k++)
				idc_buf_putf(&big, "X-H%zu: %0200d\r\n", k, 0);
			idc_buf_putstr(&big, "Content-Length: 0\r\n\r\n");
		} else {
			/* The NUL case: up to the end of the literal. */
			idc_buf_putstr(&big, cases[i].raw);
			if (strstr(cases[i].name, "nul") != NULL)
				idc_buf_put(&big,
				    "\0b\r\nContent-Length: 0\r\n\r\n", 25);
		}
		s = srv_script(script, 1);
		s->raw = big.data;
		s->raw_len = big.len;
		url = srv_url(s, "/");
		c = client_new(0);
		http_response_init(&resp);
		idc_err_clear(&err);
		assert_int_equal(do_get(c, url, &resp, &err), -1);
		if (err.code != IDC_ESERVER ||
		    strstr(err.msg, cases[i].want) == NULL ||
		    strstr(err.msg, "'127.0.0.1'") == NULL)
			fail_msg("%s: code %d, '%s'", cases[i].name, err.code,
			    err.msg);
		assert_null(strstr(err.msg, "memory"));
		assert_int_equal(srv_nreqs(s), 1);
		http_response_release(&resp);
		http_client_free(c);
		srv_stop(s);
		free(url);
	}
	idc_buf_release(&big);
}

/* No socket of idc's is inherited by a program it starts. */
static void
test_sockets_are_close_on_exec(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "ok", 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url = srv_url(s, "/"), path[64], link[256];
	int fd, flags, sockets = 0;
	ssize_t n;

	(void)state;
	http_response_init(&resp);
	assert_int_equal(do_get(c, url, &resp, &err), 0);
	/* The connection stays in the client's cache: look at it. */
	for (fd = 3; fd < 1024; fd++) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		n = readlink(path, link, sizeof link - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "socket:", 7) != 0 || fd == s->fd)
			continue;
		flags = fcntl(fd, F_GETFD);
		/* The test server's own accepted sockets are CLOEXEC-less
		 * by accept(); only count idc's: connected to s->port. */
		{
			struct sockaddr_in peer;
			socklen_t plen = sizeof peer;

			if (getpeername(fd, (struct sockaddr *)&peer, &plen) !=
				0 ||
			    peer.sin_family != AF_INET ||
			    ntohs(peer.sin_port) != s->port)
				continue;
		}
		sockets++;
		assert_true(flags & FD_CLOEXEC);
	}
	assert_true(sockets >= 1);
	http_response_release(&resp);
	http_client_free(c);
	srv_stop(s);
	free(url);
}

static void
test_urls_outside_the_rules_are_refused(void **state)
{
	static const char *const bad[] = {
		"http://example.com/token?secret=SECRETQUERY",
		"http://10.0.0.1/",
		"http://[::2]/",
		"http://127.0.0.1.example.com/",
		"ftp://127.0.0.1/",
		"file:///etc/passwd",
		"not a url",
		"//127.0.0.1/",
	};
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct http_request req;
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	size_t i;
	long long t0;

	(void)state;
	http_response_init(&resp);
	t0 = intr_now_ms();
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		idc_err_clear(&err);
		assert_int_equal(do_get(c, bad[i], &resp, &err), -1);
		assert_int_equal(err.code, IDC_EUSAGE);
		assert_null(strstr(err.msg, "SECRET"));
	}
	/* Refused before any connection: no attempt, no time spent. */
	memset(&t, 0, sizeof t);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = bad[0];
	assert_int_equal(
	    http_perform_many(c, &req, 1, tally_done, tally_attempt, &t, &err),
	    0);
	assert_int_equal(t.done, 1);
	assert_int_equal(t.attempts, 0);
	assert_int_equal(t.err[0].code, IDC_EUSAGE);
	assert_true(intr_now_ms() - t0 < 500);

	req.method = "PUT";
	req.url = "https://127.0.0.1/";
	idc_err_clear(&err);
	assert_int_equal(http_perform(c, &req, &resp, &err), -1);
	assert_int_equal(err.code, IDC_EUSAGE);
	http_client_free(c);
}

static void
test_loopback_names_are_allowed(void **state)
{
	static const struct srv_resp script[] = {
		{ 204, NULL, NULL, 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url = xasprintf("http://LocalHost:%d/", s->port);

	(void)state;
	http_response_init(&resp);
	/* localhost may resolve to ::1 first, where nobody listens: only
	 * the URL rule matters here, not the answer. */
	if (do_get(c, url, &resp, &err) == -1)
		assert_int_equal(err.code, IDC_ENET);
	else
		assert_int_equal(resp.status, 204);
	http_response_release(&resp);
	free(url);
	url = xasprintf("http://127.1.2.3:%d/", s->port);
	idc_err_clear(&err);
	/* 127/8 is loopback; nothing listens on 127.1.2.3 but the URL is
	 * allowed, so the failure is the network's. */
	if (do_get(c, url, &resp, &err) == -1)
		assert_int_equal(err.code, IDC_ENET);
	http_response_release(&resp);
	free(url);
	url = xasprintf("http://[::1]:%d/", s->port);
	idc_err_clear(&err);
	if (do_get(c, url, &resp, &err) == -1)
		assert_int_equal(err.code, IDC_ENET);
	http_response_release(&resp);
	http_client_free(c);
	srv_stop(s);
	free(url);
}

static void
test_redirect_is_not_followed(void **state)
{
	static const struct srv_resp script[] = {
		{ 302, "Location: /elsewhere\r\n", NULL, 0, 0, 0 },
		{ 200, NULL, "followed", 0, 0, 0 },
	};

	(void)state;
	expect_get(script, 2, 302, NULL, 1, 1);
}

static void
test_https_to_a_plain_server_is_a_tls_error(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "plain", 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url = xasprintf("https://127.0.0.1:%d/?q=SECRETQUERY", s->port);

	(void)state;
	http_response_init(&resp);
	assert_int_equal(do_get(c, url, &resp, &err), -1);
	assert_int_equal(err.code, IDC_ETLS);
	assert_non_null(strstr(err.msg, "AWS_CA_BUNDLE"));
	assert_non_null(strstr(err.msg, "'127.0.0.1'"));
	assert_null(strstr(err.msg, "SECRET"));
	http_client_free(c);
	srv_stop(s);
	free(url);
}

static void
test_unreadable_ca_bundle_is_named(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "plain", 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_options o;
	struct http_client *c;
	struct http_response resp;
	struct idc_err err = IDC_ERR_INIT;
	char *url = xasprintf("https://127.0.0.1:%d/", s->port);

	(void)state;
	memset(&o, 0, sizeof o);
	o.ca_bundle = "/nonexistent/idc-test-ca.pem";
	c = http_client_new(&o, &err);
	assert_non_null(c);
	http_response_init(&resp);
	assert_int_equal(do_get(c, url, &resp, &err), -1);
	assert_int_equal(err.code, IDC_ETLS);
	assert_non_null(strstr(err.msg, "'/nonexistent/idc-test-ca.pem'"));
	http_client_free(c);
	srv_stop(s);
	free(url);
}

/* --- many requests --- */

static char **
make_requests(struct srv *s, struct http_request *reqs, size_t n)
{
	char **urls = xcalloc(n, sizeof *urls);
	char path[32];
	size_t i;

	memset(reqs, 0, n * sizeof *reqs);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "/r/%zu", i);
		urls[i] = srv_url(s, path);
		reqs[i].method = "GET";
		reqs[i].url = urls[i];
	}
	return urls;
}

static void
free_urls(char **urls, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(urls[i]);
	free(urls);
}

static void
test_many_never_exceeds_the_cap(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "ok", 0, 15, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(4);
	struct http_request reqs[50];
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	char **urls = make_requests(s, reqs, 50);
	int seen[50] = { 0 };
	size_t i, k;

	(void)state;
	memset(&t, 0, sizeof t);
	assert_int_equal(
	    http_perform_many(c, reqs, 50, tally_done, tally_attempt, &t, &err),
	    0);
	assert_int_equal(t.done, 50);
	assert_int_equal(t.attempts, 50);
	for (i = 0; i < 50; i++) {
		assert_int_equal(t.done_per[i], 1);
		assert_int_equal(t.statuses[i], 200);
	}
	http_client_free(c);
	assert_int_equal(srv_nreqs(s), 50);
	assert_true(s->max_in_flight <= 4);
	assert_true(s->max_in_flight >= 2);
	assert_true(s->max_conns <= 4);
	for (i = 0; i < 50; i++) {
		assert_int_equal(sscanf(s->reqs[i].target, "/r/%zu", &k), 1);
		assert_true(k < 50);
		seen[k]++;
	}
	for (i = 0; i < 50; i++)
		assert_int_equal(seen[i], 1);
	srv_stop(s);
	free_urls(urls, 50);
}

static void
test_many_lower_cap_from_callback(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "ok", 0, 20, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(4);
	struct http_request reqs[16];
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	char **urls = make_requests(s, reqs, 16);
	size_t i;

	(void)state;
	memset(&t, 0, sizeof t);
	t.client = c;
	t.lower_to = 1;
	assert_int_equal(
	    http_perform_many(c, reqs, 16, tally_done, NULL, &t, &err), 0);
	assert_int_equal(t.done, 16);
	assert_int_equal(http_get_max_in_flight(c), 1);
	http_client_free(c);
	assert_int_equal(srv_nreqs(s), 16);
	assert_true(s->max_in_flight >= 2);
	/* The first four were started together; every later one ran alone
	 * (the cap fell to 1 when the first finished). */
	for (i = 4; i < 16; i++)
		assert_int_equal(s->reqs[i].in_flight, 1);
	srv_stop(s);
	free_urls(urls, 16);
}

/* Every third request fails with 500 the first time. */
static void
flaky_handler(
    struct srv *s, const struct srv_req *req, size_t nth, struct srv_resp *out)
{
	int *seen = s->hud;
	size_t k = 0;

	(void)nth;
	sscanf(req->target, "/r/%zu", &k);
	out->delay_ms = 5;
	pthread_mutex_lock(&s->lock);
	seen[k]++;
	out->status = (k % 3 == 0 && seen[k] == 1) ? 500 : 200;
	pthread_mutex_unlock(&s->lock);
}

static void
test_many_retries_each_request_on_its_own(void **state)
{
	int seen[30] = { 0 };
	struct srv *s = srv_start(NULL, 0, flaky_handler, seen);
	struct http_client *c = client_new(4);
	struct http_request reqs[30];
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	char **urls = make_requests(s, reqs, 30);
	size_t i;

	(void)state;
	memset(&t, 0, sizeof t);
	assert_int_equal(
	    http_perform_many(c, reqs, 30, tally_done, tally_attempt, &t, &err),
	    0);
	assert_int_equal(t.done, 30);
	assert_int_equal(t.attempts, 40);
	for (i = 0; i < 30; i++) {
		assert_int_equal(t.done_per[i], 1);
		assert_int_equal(t.statuses[i], 200);
		assert_int_equal(t.attempts_per[i], i % 3 == 0 ? 2 : 1);
	}
	http_client_free(c);
	assert_int_equal(srv_nreqs(s), 40);
	assert_true(s->max_in_flight <= 4);
	srv_stop(s);
	free_urls(urls, 30);
}

/* Request 0 is told to come back in a second; the others answer at once. */
static void
slow_first_handler(
    struct srv *s, const struct srv_req *req, size_t nth, struct srv_resp *out)
{
	(void)s;
	(void)nth;
	if (strcmp(req->target, "/r/0") == 0 && nth == 0) {
		out->status = 503;
		out->headers = "Retry-After: 1\r\n";
	} else {
		out->status = 200;
	}
}

static void
test_many_backoff_does_not_block_others(void **state)
{
	struct srv *s = srv_start(NULL, 0, slow_first_handler, NULL);
	struct http_client *c = client_new(1);
	struct http_request reqs[10];
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	char **urls = make_requests(s, reqs, 10);
	long long t0;
	size_t i;

	(void)state;
	memset(&t, 0, sizeof t);
	t0 = intr_now_ms();
	assert_int_equal(
	    http_perform_many(c, reqs, 10, tally_done, tally_attempt, &t, &err),
	    0);
	assert_int_equal(t.done, 10);
	assert_int_equal(t.statuses[0], 200);
	assert_int_equal(t.attempts_per[0], 2);
	assert_true(t.done_ms[0] - t0 >= 950);
	/* With a cap of 1, the others ran while request 0 waited. */
	for (i = 1; i < 10; i++) {
		assert_int_equal(t.statuses[i], 200);
		assert_true(t.done_ms[i] - t0 < 900);
	}
	http_client_free(c);
	srv_stop(s);
	free_urls(urls, 10);
}

/* --- streams --- */

#define STREAM_MAX 64

/* A stream that grows from its answers: request k, once answered, adds
 * requests 3k+1..3k+3 (up to want), as a page adds its items. */
struct tree {
	struct http_request reqs[STREAM_MAX];
	char *urls[STREAM_MAX];
	size_t queued, fed, want;
	int done, failed;
	size_t done_order[STREAM_MAX];
	long long start_ms[STREAM_MAX];
	size_t nstarts;
	long gap_ms; /* the gate's spacing; 0: no gate */
	long long next_ms;
	long attempt_ms[STREAM_MAX];
	int attempts;
	struct http_client *client;
	struct srv *s;
};

static void
tree_add(struct tree *t)
{
	char path[32];

	if (t->queued >= t->want)
		return;
	snprintf(path, sizeof path, "/r/%zu", t->queued);
	t->urls[t->queued] = srv_url(t->s, path);
	t->reqs[t->queued].method = "GET";
	t->reqs[t->queued].url = t->urls[t->queued];
	t->queued++;
}

static int
tree_feed(void *ud, size_t i, const struct http_request **req)
{
	struct tree *t = ud;

	if (t->fed >= t->queued)
		return 0;
	assert_int_equal(i, t->fed);
	*req = &t->reqs[t->fed++];
	return 1;
}

static void
tree_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *err)
{
	struct tree *t = ud;
	int k;

	assert_true(i < t->fed);
	if (err != NULL || resp->status != 200) {
		t->failed++;
		return;
	}
	t->done_order[t->done++] = i;
	for (k = 0; k < 3; k++)
		if (3 * i + 1 + (size_t)k < t->want)
			tree_add(t);
}

static long
tree_gate(void *ud, long long now_ms)
{
	struct tree *t = ud;

	if (now_ms < t->next_ms)
		return (long)(t->next_ms - now_ms);
	t->next_ms = now_ms + t->gap_ms;
	t->start_ms[t->nstarts++] = now_ms;
	return 0;
}

static void
tree_attempt(void *ud, size_t i, long status, long retry_after_ms)
{
	struct tree *t = ud;

	(void)status;
	(void)retry_after_ms;
	t->attempt_ms[i] = http_attempt_ms(t->client);
	t->attempts++;
}

static int
tree_run(struct tree *t, struct idc_err *err)
{
	struct http_stream st = { tree_feed, t->gap_ms > 0 ? tree_gate : NULL,
		tree_done, tree_attempt, t };

	return http_perform_stream(t->client, &st, err);
}

static void
tree_free(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->queued; i++)
		free(t->urls[i]);
}

static void
test_stream_grows_from_its_answers(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "ok", 0, 20, 0 },
	};
	struct tree t;
	struct idc_err err = IDC_ERR_INIT;
	size_t i;

	(void)state;
	memset(&t, 0, sizeof t);
	t.s = srv_script(script, 1);
	t.client = client_new(8);
	t.want = 40;
	tree_add(&t);
	assert_int_equal(tree_run(&t, &err), 0);
	/* Every request was made once, and the stream ended after all. */
	assert_int_equal(t.done, 40);
	assert_int_equal(t.failed, 0);
	assert_int_equal(t.fed, 40);
	assert_int_equal(srv_nreqs(t.s), 40);
	/* Children started while their siblings ran, under the cap. */
	assert_true(t.s->max_in_flight >= 3);
	assert_true(t.s->max_in_flight <= 8);
	assert_true(t.s->total_conns <= 8);
	/* Each attempt's time is known to the attempt callback. */
	for (i = 0; i < 40; i++)
		assert_true(t.attempt_ms[i] >= 19 && t.attempt_ms[i] < 2000);
	http_client_free(t.client);
	srv_stop(t.s);
	tree_free(&t);

	/* A stream with nothing to do ends at once. */
	memset(&t, 0, sizeof t);
	t.client = client_new(8);
	assert_int_equal(tree_run(&t, &err), 0);
	assert_int_equal(t.done + t.failed + t.attempts, 0);
	http_client_free(t.client);
}

static void
test_stream_gate_spaces_every_start(void **state)
{
	int seen[STREAM_MAX] = { 0 };
	struct srv *s = srv_start(NULL, 0, flaky_handler, seen);
	struct tree t;
	struct idc_err err = IDC_ERR_INIT;
	long long t0;
	size_t i;

	(void)state;
	memset(&t, 0, sizeof t);
	t.s = s;
	t.client = client_new(4);
	t.want = 12;
	t.gap_ms = 40;
	tree_add(&t);
	t0 = intr_now_ms();
	assert_int_equal(tree_run(&t, &err), 0);
	assert_int_equal(t.done, 12);
	/* Requests 0, 3, 6 and 9 failed once: their retries went through
	 * the gate too. */
	assert_int_equal(srv_nreqs(s), 16);
	assert_int_equal(t.nstarts, 16);
	for (i = 1; i < t.nstarts; i++)
		assert_true(t.start_ms[i] - t.start_ms[i - 1] >= 40);
	assert_true(intr_now_ms() - t0 >= 15 * 40);
	http_client_free(t.client);
	srv_stop(s);
	tree_free(&t);
}

static void
interrupt_on_attempt(void *ud, size_t i, long status, long retry_after_ms)
{
	(void)ud;
	(void)i;
	(void)status;
	(void)retry_after_ms;
	intr_raise(SIGINT);
}

static void
test_interrupt_ends_the_batch(void **state)
{
	static const struct srv_resp script[] = {
		{ 503, "Retry-After: 5\r\n", NULL, 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(1);
	struct http_request reqs[3];
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	char **urls = make_requests(s, reqs, 3);
	struct http_response resp;
	long long t0;

	(void)state;
	memset(&t, 0, sizeof t);
	t0 = intr_now_ms();
	assert_int_equal(http_perform_many(c, reqs, 3, tally_done,
			     interrupt_on_attempt, &t, &err),
	    -1);
	intr_raise(0);
	assert_int_equal(err.code, IDC_EINTR);
	assert_true(intr_now_ms() - t0 < 2000);
	/* Every request still gets its one done call. */
	assert_int_equal(t.done, 3);
	assert_int_equal(t.done_per[0], 1);
	assert_int_equal(t.done_per[1], 1);
	assert_int_equal(t.done_per[2], 1);
	assert_int_equal(t.err[2].code, IDC_EINTR);
	/* The client is still usable. */
	http_response_init(&resp);
	idc_err_clear(&err);
	reqs[0].no_retry = 1;
	assert_int_equal(http_perform(c, &reqs[0], &resp, &err), 0);
	assert_int_equal(resp.status, 503);
	http_response_release(&resp);
	http_client_free(c);
	srv_stop(s);
	free_urls(urls, 3);
}

static void
reenter_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *err)
{
	struct tally *t = ud;
	struct http_response inner;
	struct http_request req;
	struct idc_err ierr = IDC_ERR_INIT;

	(void)i;
	(void)resp;
	(void)err;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = "http://127.0.0.1:1/";
	http_response_init(&inner);
	assert_int_equal(http_perform(t->client, &req, &inner, &ierr), -1);
	assert_int_equal(ierr.code, IDC_EFAIL);
	t->done++;
}

static void
test_callbacks_cannot_reenter(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, NULL, "ok", 0, 0, 0 },
	};
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(2);
	struct http_request reqs[2];
	struct idc_err err = IDC_ERR_INIT;
	struct tally t;
	char **urls = make_requests(s, reqs, 2);

	(void)state;
	memset(&t, 0, sizeof t);
	t.client = c;
	assert_int_equal(
	    http_perform_many(c, reqs, 2, reenter_done, NULL, &t, &err), 0);
	assert_int_equal(t.done, 2);
	http_client_free(c);
	srv_stop(s);
	free_urls(urls, 2);
}

/* --- debug output --- */

static void
test_debug_log_hides_secrets(void **state)
{
	static const struct srv_resp script[] = {
		{ 200, "Content-Type: application/json\r\n",
		    "{\"accessToken\":\"RESPONSESECRET\",\"expiresIn\":28800}",
		    0, 0, 0 },
	};
	static const char *headers[] = {
		"x-amz-sso_bearer_token: HEADERSECRET",
		"Authorization: Bearer AUTHSECRET",
		"Content-Type: application/json",
		NULL,
	};
	static const char body[] = "{\"clientSecret\":\"BODYSECRET\"}";
	struct srv *s = srv_script(script, 1);
	struct http_client *c = client_new(0);
	struct http_response resp;
	struct http_request req;
	struct idc_err err = IDC_ERR_INIT;
	struct idc_buf out = IDC_BUF_INIT(1 << 20);
	char *url = srv_url(s, "/token");
	char chunk[4096];
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	(void)state;
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = strlen(body);
	http_response_init(&resp);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	log_set_level(LOG_DEBUG);
	assert_int_equal(http_perform(c, &req, &resp, &err), 0);
	log_set_level(LOG_NORMAL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	while ((n = fread(chunk, 1, sizeof chunk, tmp)) > 0)
		assert_int_equal(idc_buf_add(&out, chunk, n), 0);
	fclose(tmp);

	assert_non_null(strstr(idc_buf_cstr(&out), "POST"));
	assert_non_null(strstr(idc_buf_cstr(&out), "/token"));
	assert_non_null(strstr(idc_buf_cstr(&out), "x-amz-sso_bearer_token"));
	assert_non_null(strstr(idc_buf_cstr(&out), "200"));
	assert_null(strstr(idc_buf_cstr(&out), "SECRET"));
	assert_string_equal(idc_buf_cstr(&resp.body),
	    "{\"accessToken\":\"RESPONSESECRET\",\"expiresIn\":28800}");
	http_response_release(&resp);
	idc_buf_release(&out);
	http_client_free(c);
	srv_stop(s);
	free(url);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: nothing may have loaded libcurl yet. */
		cmocka_unit_test(test_libcurl_loaded_by_first_client),
		cmocka_unit_test(test_status_body_and_headers),
		cmocka_unit_test(test_post_body_and_headers_arrive_as_sent),
		cmocka_unit_test(test_connections_are_reused),
		cmocka_unit_test(test_500_then_200_is_retried),
		cmocka_unit_test(test_429_waits_for_retry_after),
		cmocka_unit_test(test_retry_after_forms),
		cmocka_unit_test(test_400_is_not_retried),
		cmocka_unit_test(test_503_forever_returns_last_status),
		cmocka_unit_test(test_connection_refused_is_a_network_error),
		cmocka_unit_test(test_response_larger_than_max_fails),
		cmocka_unit_test(test_broken_answers_are_server_errors),
		cmocka_unit_test(test_sockets_are_close_on_exec),
		cmocka_unit_test(test_urls_outside_the_rules_are_refused),
		cmocka_unit_test(test_loopback_names_are_allowed),
		cmocka_unit_test(test_redirect_is_not_followed),
		cmocka_unit_test(test_https_to_a_plain_server_is_a_tls_error),
		cmocka_unit_test(test_unreadable_ca_bundle_is_named),
		cmocka_unit_test(test_many_never_exceeds_the_cap),
		cmocka_unit_test(test_many_lower_cap_from_callback),
		cmocka_unit_test(test_many_retries_each_request_on_its_own),
		cmocka_unit_test(test_many_backoff_does_not_block_others),
		cmocka_unit_test(test_stream_grows_from_its_answers),
		cmocka_unit_test(test_stream_gate_spaces_every_start),
		cmocka_unit_test(test_interrupt_ends_the_batch),
		cmocka_unit_test(test_callbacks_cannot_reenter),
		cmocka_unit_test(test_debug_log_hides_secrets),
	};

	/* Proxies from the environment must not catch loopback requests
	 * (http.c disables them for loopback), nor a CA bundle. */
	unsetenv("AWS_CA_BUNDLE");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
