/*
 * http.c - HTTPS requests through libcurl, loaded at run time (see http.h).
 *
 * libcurl is not linked: the first http_client_new() dlopen()s it and
 * resolves every function this file calls into one table (curl_api), so a
 * command that answers from cache never loads it.  Nothing else in idc
 * includes <curl/curl.h>.
 *
 * Every request, also a single http_perform, runs as a job of a batch on
 * the client's multi handle.  A job is queued, running (its easy handle is
 * in the multi handle), waiting (for its retry time) or done.  The batch
 * loop starts queued and due jobs while fewer than max_in_flight run,
 * drives the transfers, collects finished attempts, decides on retries and
 * sleeps until the next socket event, retry time or interrupt check.
 * Connections stay in the multi handle's cache for the client's lifetime;
 * idle easy handles are kept for reuse.
 */
#include "idc/net/http.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* CURLOPT_PROTOCOLS is deprecated but is all that libcurl < 7.85 knows. */
#define CURL_DISABLE_DEPRECATION
#include <curl/curl.h>

#include "idc/core/buf.h"
#include "idc/core/deadline.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/log.h"
#include "idc/version.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"

#define HTTP_CONNECT_TIMEOUT_MS 10000L
#define HTTP_TOTAL_TIMEOUT_MS   30000L
#define HTTP_MAX_ATTEMPTS       3
#define HTTP_RETRY_BASE_MS      200L
#define HTTP_RETRY_CAP_MS       20000L
#define HTTP_MAX_IN_FLIGHT      8
#define HTTP_IN_FLIGHT_LIMIT    256
#define HTTP_RETRY_AFTER_MAX_MS 60000L
/* The first backoff ceiling after a throttling answer. */
#define HTTP_THROTTLE_BASE_MS 1000L
/* How long a wait may go without looking at the interrupt flag. */
#define HTTP_POLL_MS 100L
/* A wait at least this long is shown on a terminal (log_progress). */
#define HTTP_PROGRESS_MS 1000L
/* Idle easy handles kept for reuse. */
#define HTTP_IDLE_MAX 16
/* Longer response header values are not captured. */
#define HTTP_HEADER_VALUE_MAX 1024
/* All response header lines of one attempt together (an AWS answer has a
 * few hundred bytes): a server sending more is broken. */
#define HTTP_HEADERS_MAX (64 * 1024)
/* The oldest libcurl with everything used here (curl_multi_poll, CURLU). */
#define HTTP_CURL_MIN_VERSION           0x074400
#define HTTP_CURL_MIN_STRING            "7.68.0"
#define HTTP_CURL_PROTOCOLS_STR_VERSION 0x075500

/* The libcurl functions idc calls, resolved by http_load.  Each field
 * has the type of the function curl.h declares (so a prototype here can
 * never disagree with the library's): CURL_FN(easy_init) is a pointer to
 * curl_easy_init. */
/* A declarator, not an expression: parentheses would break it. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define CURL_FN(name) __typeof__(curl_##name) *name
struct curl_api {
	CURL_FN(global_init);
	CURL_FN(version_info);
	CURL_FN(easy_init);
	CURL_FN(easy_cleanup);
	CURL_FN(easy_reset);
	CURL_FN(easy_setopt);
	CURL_FN(easy_getinfo);
	CURL_FN(easy_strerror);
	CURL_FN(slist_append);
	CURL_FN(slist_free_all);
	CURL_FN(multi_init);
	CURL_FN(multi_cleanup);
	CURL_FN(multi_add_handle);
	CURL_FN(multi_remove_handle);
	CURL_FN(multi_perform);
	CURL_FN(multi_poll);
	CURL_FN(multi_info_read);
	CURL_FN(multi_strerror);
	CURL_FN(url);
	CURL_FN(url_cleanup);
	CURL_FN(url_set);
	CURL_FN(url_get);
	CURL_FN(free);
	CURL_FN(getdate);
};

#define CURL_SYM(field)                                                        \
	{                                                                      \
		"curl_" #field, offsetof(struct curl_api, field)               \
	}

static const struct {
	const char *name;
	size_t offset;
} curl_syms[] = {
	CURL_SYM(global_init),
	CURL_SYM(version_info),
	CURL_SYM(easy_init),
	CURL_SYM(easy_cleanup),
	CURL_SYM(easy_reset),
	CURL_SYM(easy_setopt),
	CURL_SYM(easy_getinfo),
	CURL_SYM(easy_strerror),
	CURL_SYM(slist_append),
	CURL_SYM(slist_free_all),
	CURL_SYM(multi_init),
	CURL_SYM(multi_cleanup),
	CURL_SYM(multi_add_handle),
	CURL_SYM(multi_remove_handle),
	CURL_SYM(multi_perform),
	CURL_SYM(multi_poll),
	CURL_SYM(multi_info_read),
	CURL_SYM(multi_strerror),
	CURL_SYM(url),
	CURL_SYM(url_cleanup),
	CURL_SYM(url_set),
	CURL_SYM(url_get),
	CURL_SYM(free),
	CURL_SYM(getdate),
};

/* dlsym hands out object pointers; POSIX guarantees they fit functions. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
    "function pointers must be the size of void *");

static pthread_mutex_t curl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct curl_api api;
static int curl_ready;
static unsigned int curl_version_num;

struct http_client {
	long connect_timeout_ms;
	long total_timeout_ms;
	size_t max_response;
	int max_attempts;
	long retry_base_ms;
	long retry_cap_ms;
	int max_in_flight;
	char *ca_bundle; /* NULL: the TLS library's default store */
	char *user_agent;
	CURLM *multi;
	CURL *idle[HTTP_IDLE_MAX];
	size_t nidle;
	int busy; /* a batch is running: callbacks must not start another */
	long attempt_ms; /* how long the attempt that ended last took */
};

enum http_job_state {
	JOB_QUEUED,
	JOB_RUNNING,
	JOB_WAITING,
	JOB_DONE,
};

struct http_job {
	const struct http_request *req;
	size_t index;
	enum http_job_state state;
	CURLU *url;   /* the parsed URL libcurl uses, as checked */
	char *host;   /* for messages: never the path or query */
	int loopback; /* the host is 127.0.0.0/8, ::1 or localhost */
	int plain;    /* http:// (loopback only) */
	struct curl_slist *headers;
	CURL *easy; /* while running */
	struct http_response resp;
	int attempts;
	long long started_ms;
	long long due_ms; /* while waiting */
	int too_large;
	size_t header_bytes; /* of this attempt */
	int headers_too_large;
	int deadline_cut; /* this attempt's timeout is the deadline's */
	char errbuf[CURL_ERROR_SIZE];
};

/*
 * The jobs of a batch are fed one at a time, when there is room: from the
 * caller's feed (http_perform_stream) or from a fixed list
 * (http_perform_many).  Each job is allocated on its own (libcurl holds
 * a pointer to it) and freed once done.
 */
struct http_batch {
	struct http_client *client;
	struct http_job **live; /* jobs fed, not freed yet */
	size_t nlive, caplive;
	size_t ndone;   /* of which done, to be freed */
	size_t fed;     /* jobs fed so far: the next one's index */
	size_t left;    /* jobs fed and not done yet */
	size_t waiting; /* jobs waiting for a retry */
	int running;
	struct http_job *ready;          /* fed, not started yet (the gate) */
	long long gate_ms;               /* the gate's next opening, 0: open */
	const struct http_request *reqs; /* the fixed list, without feed */
	size_t n;
	http_feed_fn *feed;
	http_gate_fn *gate;
	http_done_fn *done;
	http_attempt_fn *attempt;
	void *ud;
	int noted_slow;
};

/* Load libcurl and resolve curl_api; the caller holds curl_lock. */
static int
http_load_locked(struct idc_err *err)
{
	curl_version_info_data *vi;
	void *dl, *sym;
	size_t i;

	dl = dlopen(IDC_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL)
		return idc_err_set(
		    err, IDC_EFAIL, "cannot load libcurl: %s", dlerror());
	for (i = 0; i < sizeof curl_syms / sizeof curl_syms[0]; i++) {
		sym = dlsym(dl, curl_syms[i].name);
		if (sym == NULL) {
			idc_err_set(err, IDC_EFAIL,
			    "'%s' has no function '%s': libcurl %s or later is "
			    "needed",
			    IDC_LIBCURL_SONAME, curl_syms[i].name,
			    HTTP_CURL_MIN_STRING);
			goto fail;
		}
		memcpy((char *)&api + curl_syms[i].offset, &sym, sizeof sym);
	}
	vi = api.version_info(CURLVERSION_NOW);
	if (vi->version_num < HTTP_CURL_MIN_VERSION) {
		idc_err_set(err, IDC_EFAIL,
		    "libcurl %s is too old: " HTTP_CURL_MIN_STRING
		    " or later is needed",
		    vi->version);
		goto fail;
	}
	if ((vi->features & CURL_VERSION_SSL) == 0) {
		idc_err_set(err, IDC_EFAIL, "libcurl %s has no tls support",
		    vi->version);
		goto fail;
	}
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		idc_err_set(err, IDC_EFAIL, "cannot initialise libcurl");
		goto fail;
	}
	curl_version_num = vi->version_num;
	curl_ready = 1;
	log_debug("http: loaded libcurl %s", vi->version);
	return 0;
fail:
	memset(&api, 0, sizeof api);
	dlclose(dl);
	return -1;
}

static int
http_load(struct idc_err *err)
{
	int r = 0;

	pthread_mutex_lock(&curl_lock);
	if (!curl_ready)
		r = http_load_locked(err);
	pthread_mutex_unlock(&curl_lock);
	return r;
}

int
http_libcurl_loaded(void)
{
	int r;

	pthread_mutex_lock(&curl_lock);
	r = curl_ready;
	pthread_mutex_unlock(&curl_lock);
	return r;
}

/* --- responses --- */

void
http_response_init(struct http_response *resp)
{
	memset(resp, 0, sizeof *resp);
	idc_buf_init(&resp->body, IDC_BUF_MAX_RESPONSE);
	resp->retry_after_ms = -1;
}

/* Forget the headers captured so far (a new status line began). */
static void
http_response_clear_headers(struct http_response *resp)
{
	free(resp->error_type);
	free(resp->request_id);
	free(resp->content_type);
	resp->error_type = NULL;
	resp->request_id = NULL;
	resp->content_type = NULL;
	resp->retry_after_ms = -1;
	resp->date = 0;
}

void
http_response_release(struct http_response *resp)
{
	/* Token responses are secrets. */
	idc_buf_release_secret(&resp->body);
	http_response_clear_headers(resp);
	http_response_init(resp);
}

/* x-amzn-ErrorType "ns#Name:http://..." -> "Name", as botocore reads it. */
static char *
http_error_type(const char *v, size_t len)
{
	const char *hash;
	size_t n;

	n = 0;
	while (n < len && v[n] != ':')
		n++;
	hash = memrchr(v, '#', n);
	if (hash != NULL) {
		n -= (size_t)(hash + 1 - v);
		v = hash + 1;
	}
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n > 0 ? xstrndup(v, n) : NULL;
}

/* Retry-After: delay-seconds or an HTTP-date, in ms; -1 if unreadable. */
static long
http_retry_after_ms(const char *v, size_t len)
{
	char text[128];
	time_t when, now;
	long long secs;
	size_t i;

	if (len == 0 || len >= sizeof text)
		return -1;
	memcpy(text, v, len);
	text[len] = '\0';
	for (i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++)
		;
	if (i == len) {
		secs = len > 9 ? 999999999LL : strtoll(text, NULL, 10);
	} else {
		when = api.getdate(text, NULL);
		if (when == (time_t)-1)
			return -1;
		now = timefmt_now();
		secs = when > now ? (long long)(when - now) : 0;
	}
	/* Anything beyond the cap waits the cap anyway; keep it in a long. */
	if (secs > 86400)
		secs = 86400;
	return (long)(secs * 1000);
}

/* Date: an HTTP-date; 0 if unreadable. */
static time_t
http_date(const char *v, size_t len)
{
	char text[128];
	time_t when;

	if (len == 0 || len >= sizeof text)
		return 0;
	memcpy(text, v, len);
	text[len] = '\0';
	when = api.getdate(text, NULL);
	return when == (time_t)-1 ? 0 : when;
}

static void
http_set_string(char **slot, const char *v, size_t len)
{
	free(*slot);
	*slot = len > 0 ? xstrndup(v, len) : NULL;
}

/* One "Name: value\r\n" line of a response. */
static void
http_take_header(struct http_response *resp, const char *line, size_t len)
{
	const char *colon, *v;
	size_t nlen, vlen;

	colon = memchr(line, ':', len);
	if (colon == NULL)
		return;
	nlen = (size_t)(colon - line);
	v = colon + 1;
	vlen = len - nlen - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 &&
	    (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' ' ||
		v[vlen - 1] == '\t'))
		vlen--;
	if (vlen > HTTP_HEADER_VALUE_MAX)
		return;
#define HTTP_IS(name)                                                          \
	(nlen == sizeof(name) - 1 && strncasecmp(line, name, nlen) == 0)
	if (HTTP_IS("x-amzn-ErrorType")) {
		free(resp->error_type);
		resp->error_type = http_error_type(v, vlen);
	} else if (HTTP_IS("x-amzn-RequestId")) {
		http_set_string(&resp->request_id, v, vlen);
	} else if (HTTP_IS("Content-Type")) {
		http_set_string(&resp->content_type, v, vlen);
	} else if (HTTP_IS("Retry-After")) {
		resp->retry_after_ms = http_retry_after_ms(v, vlen);
	} else if (HTTP_IS("Date")) {
		resp->date = http_date(v, vlen);
	}
#undef HTTP_IS
}

static size_t
http_on_header(char *data, size_t size, size_t nitems, void *ud)
{
	struct http_job *job = ud;
	size_t len = size * nitems;

	job->header_bytes += len;
	if (job->header_bytes > HTTP_HEADERS_MAX) {
		job->headers_too_large = 1;
		return 0; /* aborts the transfer */
	}
	/* Each status line (100 Continue, a proxy's CONNECT answer, the
	 * final one) starts a new set of headers. */
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
		http_response_clear_headers(&job->resp);
	else
		http_take_header(&job->resp, data, len);
	return len;
}

static size_t
http_on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_job *job = ud;
	size_t len = size * nmemb;

	if (idc_buf_add(&job->resp.body, data, len) == -1) {
		job->too_large = 1;
		return 0; /* aborts the transfer */
	}
	return len;
}

/* --- URLs --- */

/* libcurl gives IPv6 hosts in brackets. */
static int
http_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char inner[INET6_ADDRSTRLEN];
	size_t len = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (len < 3 || host[0] != '[' || host[len - 1] != ']' ||
	    len - 2 >= sizeof inner)
		return 0;
	memcpy(inner, host + 1, len - 2);
	inner[len - 2] = '\0';
	return inet_pton(AF_INET6, inner, &a6) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&a6);
}

/* The length of url without its query and fragment, for messages. */
static int
http_url_shown_len(const char *url)
{
	size_t n = strcspn(url, "?#");

	return n > 200 ? 200 : (int)n;
}

/* Parse and vet a request's URL before anything connects. */
static int
http_job_parse_url(struct http_job *job, struct idc_err *err)
{
	const char *url = job->req->url;
	char *scheme = NULL, *host = NULL;
	int r = -1;

	if (url == NULL)
		return idc_err_set(err, IDC_EUSAGE, "request without a url");
	job->url = api.url();
	if (job->url == NULL)
		return idc_err_set(err, IDC_EFAIL, "out of memory in libcurl");
	if (api.url_set(job->url, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    api.url_get(job->url, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    api.url_get(job->url, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		idc_err_set(err, IDC_EUSAGE, "'%.*s' is not a valid url",
		    http_url_shown_len(url), url);
		goto out;
	}
	job->host = xstrdup(host);
	job->loopback = http_host_is_loopback(host);
	job->plain = strcmp(scheme, "http") == 0;
	if (strcmp(scheme, "https") != 0 && !(job->plain && job->loopback)) {
		idc_err_set(err, IDC_EUSAGE,
		    "'%.*s' is not an https url (plain http is only allowed to "
		    "a loopback address)",
		    http_url_shown_len(url), url);
		goto out;
	}
	r = 0;
out:
	api.free(scheme);
	api.free(host);
	return r;
}

/* --- requests --- */

static void
http_headers_free(struct curl_slist *list)
{
	struct curl_slist *s;

	/* Headers carry bearer tokens. */
	for (s = list; s != NULL; s = s->next)
		secret_wipe(s->data, strlen(s->data));
	api.slist_free_all(list);
}

static int
http_job_build_headers(struct http_job *job, struct idc_err *err)
{
	const char **h;
	struct curl_slist *list;
	int expect = 0;

	for (h = job->req->headers; h != NULL && *h != NULL; h++) {
		if (strpbrk(*h, "\r\n") != NULL)
			return idc_err_set(err, IDC_EUSAGE,
			    "request header with a line break");
		if (strncasecmp(*h, "Expect:", 7) == 0)
			expect = 1;
		list = api.slist_append(job->headers, *h);
		if (list == NULL)
			goto oom;
		job->headers = list;
	}
	/* No "Expect: 100-continue" round trip before larger bodies. */
	if (!expect) {
		list = api.slist_append(job->headers, "Expect:");
		if (list == NULL)
			goto oom;
		job->headers = list;
	}
	return 0;
oom:
	return idc_err_set(err, IDC_EFAIL, "out of memory in libcurl");
}

/* Everything about a job that does not change between attempts. */
static int
http_job_prepare(struct http_job *job, struct idc_err *err)
{
	const char *m = job->req->method;

	if (m == NULL || (strcmp(m, "GET") != 0 && strcmp(m, "POST") != 0))
		return idc_err_set(err, IDC_EUSAGE,
		    "unsupported http method '%s'", m == NULL ? "" : m);
	if (http_job_parse_url(job, err) == -1)
		return -1;
	return http_job_build_headers(job, err);
}

static void
http_job_release(struct http_job *job)
{
	if (job->url != NULL)
		api.url_cleanup(job->url);
	job->url = NULL;
	http_headers_free(job->headers);
	job->headers = NULL;
	free(job->host);
	job->host = NULL;
	http_response_release(&job->resp);
}

static CURL *
http_easy_get(struct http_client *c)
{
	if (c->nidle > 0)
		return c->idle[--c->nidle];
	return api.easy_init();
}

/* Keep an easy handle (out of the multi handle) for the next attempt. */
static void
http_easy_put(struct http_client *c, CURL *easy)
{
	if (c->nidle < HTTP_IDLE_MAX) {
		/* Drop the pointers into the finished job (error buffer,
		 * headers, URL); the connection cache lives in the multi
		 * handle and survives. */
		api.easy_reset(easy);
		c->idle[c->nidle++] = easy;
	} else {
		api.easy_cleanup(easy);
	}
}

/* Every socket libcurl opens is close-on-exec: a browser or a command
 * started later must not inherit a live connection to the server. */
static curl_socket_t
http_open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)ud;
	(void)purpose;
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* Set every option of one attempt; libcurl copies none of the pointers
 * but the strings, so job must outlive the transfer. */
static int
http_easy_configure(const struct http_client *c, struct http_job *job, CURL *e,
    struct idc_err *err)
{
	const struct http_request *req = job->req;
	const char *what;
	CURLcode rc;

#define HTTP_SET(opt, val)                                                     \
	do {                                                                   \
		if ((rc = api.easy_setopt(e, opt, val)) != CURLE_OK) {         \
			what = #opt;                                           \
			goto fail;                                             \
		}                                                              \
	} while (0)

	HTTP_SET(CURLOPT_CURLU, job->url);
	HTTP_SET(CURLOPT_PRIVATE, (void *)job);
	HTTP_SET(CURLOPT_ERRORBUFFER, job->errbuf);
	HTTP_SET(CURLOPT_NOSIGNAL, 1L);
	HTTP_SET(CURLOPT_OPENSOCKETFUNCTION, http_open_socket);
	HTTP_SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= HTTP_CURL_PROTOCOLS_STR_VERSION
	if (curl_version_num >= HTTP_CURL_PROTOCOLS_STR_VERSION)
		HTTP_SET(CURLOPT_PROTOCOLS_STR, job->plain ? "http" : "https");
	else
#endif
		HTTP_SET(CURLOPT_PROTOCOLS,
		    (long)(job->plain ? CURLPROTO_HTTP : CURLPROTO_HTTPS));
	HTTP_SET(CURLOPT_SSL_VERIFYPEER, 1L);
	HTTP_SET(CURLOPT_SSL_VERIFYHOST, 2L);
	HTTP_SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (c->ca_bundle != NULL) {
		HTTP_SET(CURLOPT_CAINFO, c->ca_bundle);
		/* The bundle replaces the system store.  Not every TLS
		 * backend has a CA directory: a failure here is harmless. */
		(void)api.easy_setopt(e, CURLOPT_CAPATH, (char *)NULL);
	}
	/* No attempt outlives the command's deadline (deadline.h). */
	job->deadline_cut =
	    deadline_clamp_ms(c->total_timeout_ms) < c->total_timeout_ms ||
	    deadline_clamp_ms(c->connect_timeout_ms) < c->connect_timeout_ms;
	HTTP_SET(CURLOPT_CONNECTTIMEOUT_MS,
	    deadline_clamp_ms(c->connect_timeout_ms));
	HTTP_SET(CURLOPT_TIMEOUT_MS, deadline_clamp_ms(c->total_timeout_ms));
	HTTP_SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_response);
	HTTP_SET(CURLOPT_USERAGENT, c->user_agent);
	/* Request headers (tokens) never go to a proxy's CONNECT. */
	HTTP_SET(CURLOPT_HEADEROPT, (long)CURLHEADER_SEPARATE);
	HTTP_SET(CURLOPT_HTTPHEADER, job->headers);
	HTTP_SET(CURLOPT_HEADERFUNCTION, http_on_header);
	HTTP_SET(CURLOPT_HEADERDATA, (void *)job);
	HTTP_SET(CURLOPT_WRITEFUNCTION, http_on_body);
	HTTP_SET(CURLOPT_WRITEDATA, (void *)job);
	/* Wait for a connection that may multiplex rather than open more. */
	HTTP_SET(CURLOPT_PIPEWAIT, 1L);
	/* A proxy cannot reach this machine's loopback. */
	if (job->loopback)
		HTTP_SET(CURLOPT_NOPROXY, "*");
	if (strcmp(req->method, "POST") == 0) {
		HTTP_SET(CURLOPT_POST, 1L);
		HTTP_SET(CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(req->body != NULL ? req->body_len : 0));
		/* Not copied: the body may be a secret the caller owns. */
		HTTP_SET(
		    CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
	} else {
		HTTP_SET(CURLOPT_HTTPGET, 1L);
	}
#undef HTTP_SET
	return 0;
fail:
	return idc_err_set(
	    err, IDC_EFAIL, "cannot set %s: %s", what, api.easy_strerror(rc));
}

static int
http_is_secret_header(const char *h)
{
	static const char *const names[] = {
		"authorization:",
		"proxy-authorization:",
		"x-amz-sso_bearer_token:",
		"x-amz-security-token:",
		"cookie:",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strncasecmp(h, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

static void
http_log_request(const struct http_job *job)
{
	const struct http_request *req = job->req;
	const char **h;
	char *body;

	if (log_get_level() < LOG_DEBUG)
		return;
	log_debug(
	    "http: %s %s (attempt %d)", req->method, req->url, job->attempts);
	if (job->attempts > 1)
		return; /* headers and body as shown for attempt 1 */
	for (h = req->headers; h != NULL && *h != NULL; h++) {
		if (http_is_secret_header(*h))
			log_debug("http: > %.*s: <redacted>",
			    (int)strcspn(*h, ":"), *h);
		else
			log_debug("http: > %s", *h);
	}
	if (req->body != NULL && req->body_len > 0) {
		body = log_redact(req->body, req->body_len);
		log_debug("http: > %s", body);
		secret_free(body);
	}
}

static void
http_log_response(const struct http_job *job, CURLcode rc)
{
	const struct http_response *resp = &job->resp;
	long long ms = intr_now_ms() - job->started_ms;
	char *body;

	if (log_get_level() < LOG_DEBUG)
		return;
	if (rc != CURLE_OK) {
		log_debug("http: '%s' attempt %d failed after %lld ms: %s",
		    job->host, job->attempts, ms, api.easy_strerror(rc));
		return;
	}
	log_debug("http: '%s' answered %ld in %lld ms (attempt %d)%s%s%s%s",
	    job->host, resp->status, ms, job->attempts,
	    resp->request_id != NULL ? ", request id " : "",
	    resp->request_id != NULL ? resp->request_id : "",
	    resp->error_type != NULL ? ", error type " : "",
	    resp->error_type != NULL ? resp->error_type : "");
	if (resp->body.len > 0) {
		body = log_redact(idc_buf_cstr(&resp->body), resp->body.len);
		log_debug("http: < %s", body);
		secret_free(body);
	}
}

/* --- failures and retries --- */

static enum idc_errcode
http_curl_class(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
	case CURLE_QUIC_CONNECT_ERROR:
#if LIBCURL_VERSION_NUM >= 0x074900
	case CURLE_PROXY:
#endif
		return IDC_ENET;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
#if LIBCURL_VERSION_NUM >= 0x074d00
	case CURLE_SSL_CLIENTCERT:
#endif
		return IDC_ETLS;
	default:
		return IDC_EFAIL;
	}
}

/* "Could not ..." -> "could not ...", but "OpenSSL" and "SSL" stay. */
static void
http_lower_first_word(char *s)
{
	size_t i;

	if (s[0] < 'A' || s[0] > 'Z')
		return;
	for (i = 1; s[i] != '\0' && s[i] != ' ' && s[i] != ':'; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return;
	s[0] = (char)(s[0] - 'A' + 'a');
}

/* libcurl's own words, made one lower-case line that shows no query. */
static void
http_detail(const struct http_job *job, CURLcode rc, char *out, size_t size)
{
	const char *src =
	    job->errbuf[0] != '\0' ? job->errbuf : api.easy_strerror(rc);
	const char *query = strchr(job->req->url, '?');
	size_t i;

	snprintf(out, size, "%s", src);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20)
			out[i] = ' ';
	while (i > 0 && out[i - 1] == ' ')
		out[--i] = '\0';
	http_lower_first_word(out);
	if (query != NULL && query[1] != '\0' && strstr(out, query + 1))
		snprintf(out, size, "%s", api.easy_strerror(rc));
}

/* The request went out: what failed then was reading the answer. */
static int
http_request_sent(CURL *easy)
{
	long sent = 0;

	return easy != NULL &&
	    api.easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &sent) == CURLE_OK &&
	    sent > 0;
}

/*
 * A server that answered, but not with a usable HTTP response: exit 4
 * with what was wrong, never libcurl's "out of memory" or "unsupported
 * protocol", which would blame this machine.  Returns 1 when rc was one.
 */
static int
http_answer_error(const struct http_client *c, const struct http_job *job,
    CURLcode rc, int sent, struct idc_err *err)
{
	if (job->too_large || rc == CURLE_FILESIZE_EXCEEDED)
		idc_err_set(err, IDC_ESERVER,
		    "the answer from '%s' is larger than the limit of %zu "
		    "bytes",
		    job->host, c->max_response);
	else if (job->headers_too_large || (sent && rc == CURLE_OUT_OF_MEMORY)
#if LIBCURL_VERSION_NUM >= 0x080600
	    || rc == CURLE_TOO_LARGE
#endif
	)
		idc_err_set(err, IDC_ESERVER,
		    "the answer from '%s' has response headers over the limit "
		    "of %d bytes",
		    job->host, HTTP_HEADERS_MAX);
	else if (sent && rc == CURLE_UNSUPPORTED_PROTOCOL)
		/* The URL was vetted before: libcurl says this when the
		 * answer has no HTTP status line (taken for HTTP/0.9). */
		idc_err_set(err, IDC_ESERVER,
		    "the answer from '%s' is not HTTP (no valid status line, or "
		    "an HTTP/0.9 answer)",
		    job->host);
	else if (rc == CURLE_WEIRD_SERVER_REPLY)
		idc_err_set(err, IDC_ESERVER,
		    "the answer from '%s' is not valid HTTP (a garbled status "
		    "or header line)",
		    job->host);
	else
		return 0;
	return 1;
}

static void
http_attempt_error(const struct http_client *c, const struct http_job *job,
    CURLcode rc, int sent, struct idc_err *err)
{
	char detail[CURL_ERROR_SIZE];

	if (http_answer_error(c, job, rc, sent, err))
		return;
	http_detail(job, rc, detail, sizeof detail);
	switch (http_curl_class(rc)) {
	case IDC_ENET:
		if (rc == CURLE_COULDNT_RESOLVE_HOST)
			idc_err_set(err, IDC_ENET, "cannot resolve host '%s'",
			    job->host);
		else if (rc == CURLE_OPERATION_TIMEDOUT && job->deadline_cut)
			idc_err_set(err, IDC_ENET,
			    "gave up waiting for '%s': the command's deadline "
			    "of %ld s passed (--timeout, IDC_TIMEOUT)",
			    job->host, deadline_total_s());
		else if (rc == CURLE_OPERATION_TIMEDOUT)
			idc_err_set(err, IDC_ENET,
			    "request to '%s' timed out: %s", job->host, detail);
		else
			idc_err_set(err, IDC_ENET, "cannot reach '%s': %s",
			    job->host, detail);
		break;
	case IDC_ETLS:
		if (rc == CURLE_SSL_CACERT_BADFILE && c->ca_bundle != NULL)
			idc_err_set(err, IDC_ETLS,
			    "cannot use the ca bundle '%s' (AWS_CA_BUNDLE) "
			    "for '%s': %s",
			    c->ca_bundle, job->host, detail);
		else if (rc == CURLE_PEER_FAILED_VERIFICATION)
			idc_err_set(err, IDC_ETLS,
			    "the tls certificate of '%s' could not be verified "
			    "(%s); if a proxy or private ca is in the way, set "
			    "AWS_CA_BUNDLE to a ca bundle that includes it",
			    job->host, detail);
		else
			idc_err_set(err, IDC_ETLS,
			    "tls handshake with '%s' failed (%s); if a proxy "
			    "or private ca is in the way, set AWS_CA_BUNDLE to "
			    "a ca bundle that includes it",
			    job->host, detail);
		break;
	default:
		idc_err_set(err, IDC_EFAIL, "request to '%s' failed: %s",
		    job->host, detail);
		break;
	}
}

/* HTTP_RETRY_NO, or how the attempt that just ended is to be retried. */
static enum http_retry
http_should_retry(const struct http_client *c, const struct http_job *job,
    const struct idc_err *aerr)
{
	long status = job->resp.status;

	if (job->req->no_retry || job->attempts >= c->max_attempts)
		return HTTP_RETRY_NO;
	if (aerr != NULL)
		return aerr->code == IDC_ENET ? HTTP_RETRY_TRANSIENT
					      : HTTP_RETRY_NO;
	if (job->req->classify != NULL)
		return job->req->classify(&job->resp);
	if (status == 429)
		return HTTP_RETRY_THROTTLED;
	return status >= 500 && status <= 599 ? HTTP_RETRY_TRANSIENT
					      : HTTP_RETRY_NO;
}

static uint64_t
http_random(void)
{
	uint64_t v;

	if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v)
		return v;
	/* No entropy yet (early boot): jitter only spreads load. */
	return (uint64_t)intr_now_ms() * 6364136223846793005ULL +
	    (uint64_t)getpid();
}

/* Full jitter: a random wait in [0, min(cap, base * 2^(attempts - 1))],
 * unless the server said when to come back. */
static long
http_retry_delay_ms(const struct http_client *c, const struct http_job *job,
    int answered, enum http_retry kind)
{
	long ceiling = c->retry_base_ms;
	int i;

	/* botocore: throttling backs off from 1 s, other errors from 50 ms. */
	if (kind == HTTP_RETRY_THROTTLED && ceiling < HTTP_THROTTLE_BASE_MS)
		ceiling = HTTP_THROTTLE_BASE_MS;

	if (answered && job->resp.retry_after_ms >= 0)
		return job->resp.retry_after_ms < HTTP_RETRY_AFTER_MAX_MS
		    ? job->resp.retry_after_ms
		    : HTTP_RETRY_AFTER_MAX_MS;
	for (i = 1; i < job->attempts && ceiling < c->retry_cap_ms; i++)
		ceiling *= 2;
	if (ceiling > c->retry_cap_ms)
		ceiling = c->retry_cap_ms;
	if (ceiling <= 0)
		return 0;
	return (long)(http_random() % ((uint64_t)ceiling + 1));
}

/* --- batches --- */

static void
http_job_done(
    struct http_batch *b, struct http_job *job, const struct idc_err *jerr)
{
	job->state = JOB_DONE;
	b->left--;
	b->ndone++;
	job->resp.attempts = job->attempts;
	if (jerr != NULL) {
		log_debug("http: %s", jerr->msg);
		b->done(b->ud, job->index, NULL, jerr);
	} else {
		b->done(b->ud, job->index, &job->resp, NULL);
	}
	http_job_release(job);
}

/* Start one attempt of job; a failure is the job's, not the batch's. */
static int
http_job_start(struct http_batch *b, struct http_job *job, struct idc_err *err)
{
	struct http_client *c = b->client;
	CURLMcode mc;
	CURL *easy;

	if (job->state == JOB_QUEUED && http_job_prepare(job, err) == -1)
		return -1;
	easy = http_easy_get(c);
	if (easy == NULL)
		return idc_err_set(err, IDC_EFAIL, "out of memory in libcurl");
	http_response_release(&job->resp);
	idc_buf_init(&job->resp.body, c->max_response);
	job->too_large = 0;
	job->header_bytes = 0;
	job->headers_too_large = 0;
	job->errbuf[0] = '\0';
	if (http_easy_configure(c, job, easy, err) == -1)
		goto fail;
	mc = api.multi_add_handle(c->multi, easy);
	if (mc != CURLM_OK) {
		idc_err_set(err, IDC_EFAIL, "cannot start a request: %s",
		    api.multi_strerror(mc));
		goto fail;
	}
	if (job->state == JOB_WAITING)
		b->waiting--;
	job->state = JOB_RUNNING;
	job->easy = easy;
	job->attempts++;
	job->started_ms = intr_now_ms();
	b->running++;
	http_log_request(job);
	return 0;
fail:
	http_easy_put(c, easy);
	return -1;
}

static void
http_job_try_start(struct http_batch *b, struct http_job *job)
{
	struct idc_err jerr = IDC_ERR_INIT;

	if (http_job_start(b, job, &jerr) == -1) {
		if (job->state == JOB_WAITING)
			b->waiting--;
		http_job_done(b, job, &jerr);
	}
}

static int
http_batch_has_room(const struct http_batch *b)
{
	return b->running < b->client->max_in_flight;
}

/* A waiting job whose retry is due at now, or NULL. */
static struct http_job *
http_batch_due(const struct http_batch *b, long long now)
{
	size_t i;

	for (i = 0; i < b->nlive && b->waiting > 0; i++)
		if (b->live[i]->state == JOB_WAITING &&
		    b->live[i]->due_ms <= now)
			return b->live[i];
	return NULL;
}

/* The next request from the feed (or the fixed list) as a new job in
 * b->ready; 0 when there is none for now. */
static int
http_batch_feed(struct http_batch *b)
{
	const struct http_request *req = NULL;
	struct http_job *job;

	if (b->feed != NULL) {
		if (b->feed(b->ud, b->fed, &req) != 1 || req == NULL)
			return 0;
	} else {
		if (b->fed >= b->n)
			return 0;
		req = &b->reqs[b->fed];
	}
	job = xcalloc(1, sizeof *job);
	job->req = req;
	job->index = b->fed++;
	job->state = JOB_QUEUED;
	http_response_init(&job->resp);
	b->live =
	    xgrowarray(b->live, &b->caplive, b->nlive + 1, sizeof *b->live);
	b->live[b->nlive++] = job;
	b->left++;
	b->ready = job;
	return 1;
}

/* Free the jobs that are done (their callbacks have run). */
static void
http_batch_sweep(struct http_batch *b)
{
	size_t i, out = 0;

	if (b->ndone == 0)
		return;
	for (i = 0; i < b->nlive; i++) {
		if (b->live[i]->state == JOB_DONE)
			free(b->live[i]);
		else
			b->live[out++] = b->live[i];
	}
	b->nlive = out;
	b->ndone = 0;
}

/*
 * Start due retries (they have waited already), then the request fed
 * last, then new ones from the feed, while the cap allows and the gate
 * opens; the cap is re-read each time, callbacks may change it.
 */
static void
http_batch_start(struct http_batch *b)
{
	struct http_job *job;
	long long now;
	long wait;

	b->gate_ms = 0;
	while (http_batch_has_room(b)) {
		now = intr_now_ms();
		job = http_batch_due(b, now);
		if (job == NULL && b->ready == NULL && !http_batch_feed(b))
			break;
		if (job == NULL)
			job = b->ready;
		if (b->gate != NULL && (wait = b->gate(b->ud, now)) > 0) {
			b->gate_ms = now + wait;
			break;
		}
		if (job == b->ready)
			b->ready = NULL;
		http_job_try_start(b, job);
	}
	http_batch_sweep(b);
}

/* One attempt of job ended: retry it later or finish it. */
static void
http_batch_finish_attempt(
    struct http_batch *b, struct http_job *job, CURLcode rc)
{
	struct http_client *c = b->client;
	struct idc_err aerr = IDC_ERR_INIT;
	int failed = rc != CURLE_OK || job->too_large || job->headers_too_large;
	enum http_retry kind;
	long status = 0, delay;
	long long left;
	int sent = http_request_sent(job->easy);

	api.multi_remove_handle(c->multi, job->easy);
	if (!failed)
		api.easy_getinfo(job->easy, CURLINFO_RESPONSE_CODE, &status);
	http_easy_put(c, job->easy);
	job->easy = NULL;
	b->running--;
	job->resp.status = status;
	http_log_response(job, rc);
	if (failed)
		http_attempt_error(c, job, rc, sent, &aerr);
	c->attempt_ms = intr_now_ms() - job->started_ms;
	/* A pace sees every throttling answer as the 429 it stands for. */
	if (b->attempt != NULL)
		b->attempt(b->ud, job->index,
		    !failed && job->req->classify != NULL &&
			    job->req->classify(&job->resp) ==
				HTTP_RETRY_THROTTLED
			? 429
			: status,
		    failed ? -1 : job->resp.retry_after_ms);
	kind = http_should_retry(c, job, failed ? &aerr : NULL);
	if (kind == HTTP_RETRY_NO) {
		http_job_done(b, job, failed ? &aerr : NULL);
		return;
	}
	delay = http_retry_delay_ms(c, job, !failed, kind);
	left = deadline_left_ms();
	if (left >= 0 && delay >= left) {
		/* No retry past the deadline: the last failure stands, or,
		 * for a server that asked to be left alone, what it asked. */
		if (!failed)
			idc_err_set(&aerr, IDC_ESERVER,
			    "gave up on '%s': it answered HTTP %ld and asked to "
			    "be tried again in %ld s, past the command's "
			    "deadline of %ld s (--timeout, IDC_TIMEOUT)",
			    job->host, status, (delay + 999) / 1000,
			    deadline_total_s());
		http_job_done(b, job, &aerr);
		return;
	}
	log_debug("http: retrying '%s' in %ld ms", job->host, delay);
	if (delay >= HTTP_PROGRESS_MS)
		log_progress("waiting %ld s before trying '%s' again (%s)",
		    (delay + 999) / 1000, job->host,
		    failed ? "it could not be reached"
			: kind == HTTP_RETRY_THROTTLED ? "throttled"
						       : "a server error");
	job->state = JOB_WAITING;
	job->due_ms = intr_now_ms() + delay;
	b->waiting++;
}

/* Collect the attempts that ended; how many. */
static size_t
http_batch_harvest(struct http_batch *b)
{
	CURLMsg *msg;
	char *priv;
	int queued;
	size_t n = 0;

	while ((msg = api.multi_info_read(b->client->multi, &queued)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		api.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		http_batch_finish_attempt(
		    b, (struct http_job *)(void *)priv, msg->data.result);
		n++;
	}
	http_batch_sweep(b);
	return n;
}

/*
 * How long to wait for the next event: the poll cap, and, when a start
 * would have room, the next retry and the gate's opening.
 */
static long
http_batch_wait_ms(const struct http_batch *b)
{
	long long now = intr_now_ms(), d;
	long wait = HTTP_POLL_MS;
	size_t i;

	if (!http_batch_has_room(b))
		return wait;
	if (b->gate_ms > 0) {
		d = b->gate_ms - now;
		return d < wait ? (d > 0 ? (long)d : 0) : wait;
	}
	for (i = 0; i < b->nlive && b->waiting > 0; i++) {
		if (b->live[i]->state != JOB_WAITING)
			continue;
		d = b->live[i]->due_ms - now;
		if (d < wait)
			wait = d > 0 ? (long)d : 0;
	}
	return wait;
}

/* The batch failed: every job not done yet ends with err. */
static void
http_batch_abort(struct http_batch *b, const struct idc_err *err)
{
	struct http_job *job;
	size_t i;

	for (i = 0; i < b->nlive; i++) {
		job = b->live[i];
		if (job->state == JOB_DONE)
			continue;
		if (job->state == JOB_RUNNING) {
			api.multi_remove_handle(b->client->multi, job->easy);
			http_easy_put(b->client, job->easy);
			job->easy = NULL;
			b->running--;
		}
		http_job_done(b, job, err);
	}
	b->ready = NULL;
	http_batch_sweep(b);
}

/* Say once per batch that an answer is slow to come (a terminal only). */
static void
http_batch_note_slow(struct http_batch *b)
{
	long long now = intr_now_ms();
	size_t i;

	if (b->noted_slow)
		return;
	for (i = 0; i < b->nlive; i++)
		if (b->live[i]->state == JOB_RUNNING &&
		    now - b->live[i]->started_ms >= HTTP_PROGRESS_MS) {
			b->noted_slow = 1;
			log_progress(
			    "waiting for '%s' to answer...", b->live[i]->host);
			return;
		}
}

/* One turn of the batch loop: start, drive, collect, wait.  Sets
 * *finished when nothing is left and the feed has nothing more. */
static int
http_batch_step(struct http_batch *b, int *finished, struct idc_err *err)
{
	CURLM *multi = b->client->multi;
	CURLMcode mc;
	long wait;
	int still;

	http_batch_start(b);
	if (b->left == 0) {
		*finished = 1;
		return 0;
	}
	if (b->running > 0) {
		mc = api.multi_perform(multi, &still);
		if (mc != CURLM_OK)
			goto fail;
		if (http_batch_harvest(b) > 0)
			return 0;
	}
	wait = http_batch_wait_ms(b);
	if (b->running > 0) {
		mc = api.multi_poll(multi, NULL, 0, (int)wait, NULL);
		if (mc != CURLM_OK)
			goto fail;
		http_batch_note_slow(b);
	} else if (b->waiting == 0 && b->ready == NULL) {
		return idc_err_set(err, IDC_EFAIL, "http: batch stalled");
	} else if (wait > 0 && intr_sleep_ms(wait) == -1) {
		return idc_err_set(err, IDC_EINTR, "interrupted");
	}
	return 0;
fail:
	return idc_err_set(
	    err, IDC_EFAIL, "libcurl failed: %s", api.multi_strerror(mc));
}

/* Run b to its end: 0, or -1 with err set (IDC_EINTR, libcurl) once done
 * has been called for every job fed and not finished. */
static int
http_batch_run(struct http_batch *b, struct idc_err *err)
{
	struct idc_err berr = IDC_ERR_INIT;
	struct http_client *client = b->client;
	int finished = 0, r = -1;

	if (client->busy)
		return idc_err_set(
		    err, IDC_EFAIL, "http client used from its own callback");
	if (b->done == NULL)
		return idc_err_set(
		    err, IDC_EFAIL, "an http batch needs a done callback");
	client->busy = 1;
	while (!finished) {
		if (intr_pending()) {
			idc_err_set(&berr, IDC_EINTR, "interrupted");
			goto out;
		}
		if (http_batch_step(b, &finished, &berr) == -1)
			goto out;
	}
	r = 0;
out:
	if (r == -1) {
		/* done always gets an error, even when err is NULL. */
		http_batch_abort(b, &berr);
		if (err != NULL)
			*err = berr;
	}
	client->busy = 0;
	free(b->live);
	return r;
}

int
http_perform_many(struct http_client *client, const struct http_request *reqs,
    size_t n, http_done_fn *done, http_attempt_fn *attempt, void *ud,
    struct idc_err *err)
{
	struct idc_err berr = IDC_ERR_INIT;
	struct http_batch b;
	size_t i;

	memset(&b, 0, sizeof b);
	b.client = client;
	b.reqs = reqs;
	b.n = n;
	b.done = done;
	b.attempt = attempt;
	b.ud = ud;
	if (http_batch_run(&b, &berr) == 0)
		return 0;
	/* The requests never started end with the batch's error too. */
	for (i = b.fed; done != NULL && !client->busy && i < n; i++)
		done(ud, i, NULL, &berr);
	if (err != NULL)
		*err = berr;
	return -1;
}

int
http_perform_stream(struct http_client *client, const struct http_stream *s,
    struct idc_err *err)
{
	struct http_batch b;

	if (s->feed == NULL)
		return idc_err_set(
		    err, IDC_EFAIL, "an http stream needs a feed callback");
	memset(&b, 0, sizeof b);
	b.client = client;
	b.feed = s->feed;
	b.gate = s->gate;
	b.done = s->done;
	b.attempt = s->attempt;
	b.ud = s->ud;
	return http_batch_run(&b, err);
}

long
http_attempt_ms(const struct http_client *client)
{
	return client->attempt_ms;
}

/* http_perform is a batch of one. */
struct http_one {
	struct http_response *resp;
	struct idc_err err;
	int failed;
};

static void
http_one_done(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *err)
{
	struct http_one *one = ud;

	(void)i;
	if (err != NULL) {
		one->failed = 1;
		one->err = *err;
		return;
	}
	http_response_release(one->resp);
	*one->resp = *resp;
	http_response_init(resp);
}

int
http_perform(struct http_client *client, const struct http_request *req,
    struct http_response *resp, struct idc_err *err)
{
	struct http_one one;

	memset(&one, 0, sizeof one);
	one.resp = resp;
	if (http_perform_many(client, req, 1, http_one_done, NULL, &one, err) ==
	    -1)
		return -1;
	if (one.failed) {
		if (err != NULL)
			*err = one.err;
		return -1;
	}
	return 0;
}

/* --- clients --- */

static int
http_clamp_in_flight(int n)
{
	if (n < 1)
		return 1;
	return n > HTTP_IN_FLIGHT_LIMIT ? HTTP_IN_FLIGHT_LIMIT : n;
}

static void
http_client_defaults(struct http_client *c, const struct http_options *o)
{
	const char *env;

	c->connect_timeout_ms = o->connect_timeout_ms > 0
	    ? o->connect_timeout_ms
	    : HTTP_CONNECT_TIMEOUT_MS;
	c->total_timeout_ms = o->total_timeout_ms > 0 ? o->total_timeout_ms
						      : HTTP_TOTAL_TIMEOUT_MS;
	c->max_response =
	    o->max_response > 0 ? o->max_response : IDC_BUF_MAX_RESPONSE;
	if (c->max_response > (size_t)INT64_MAX - 1)
		c->max_response = (size_t)INT64_MAX - 1;
	c->max_attempts =
	    o->max_attempts > 0 ? o->max_attempts : HTTP_MAX_ATTEMPTS;
	c->retry_base_ms =
	    o->retry_base_ms > 0 ? o->retry_base_ms : HTTP_RETRY_BASE_MS;
	c->retry_cap_ms =
	    o->retry_cap_ms > 0 ? o->retry_cap_ms : HTTP_RETRY_CAP_MS;
	c->max_in_flight = o->max_in_flight > 0
	    ? http_clamp_in_flight(o->max_in_flight)
	    : HTTP_MAX_IN_FLIGHT;
	env = getenv("AWS_CA_BUNDLE");
	if (o->ca_bundle != NULL && o->ca_bundle[0] != '\0')
		c->ca_bundle = xstrdup(o->ca_bundle);
	else if (env != NULL && env[0] != '\0')
		c->ca_bundle = xstrdup(env);
	c->user_agent = o->user_agent != NULL ? xstrdup(o->user_agent)
					      : xstrdup("idc/" IDC_VERSION);
}

struct http_client *
http_client_new(const struct http_options *opts, struct idc_err *err)
{
	static const struct http_options defaults;
	struct http_client *c;

	if (http_load(err) == -1)
		return NULL;
	c = xcalloc(1, sizeof *c);
	http_client_defaults(c, opts != NULL ? opts : &defaults);
	c->multi = api.multi_init();
	if (c->multi == NULL) {
		idc_err_set(err, IDC_EFAIL, "cannot create a libcurl handle");
		http_client_free(c);
		return NULL;
	}
	return c;
}

void
http_client_free(struct http_client *client)
{
	size_t i;

	if (client == NULL)
		return;
	for (i = 0; i < client->nidle; i++)
		api.easy_cleanup(client->idle[i]);
	if (client->multi != NULL)
		api.multi_cleanup(client->multi);
	free(client->ca_bundle);
	free(client->user_agent);
	free(client);
}

void
http_set_max_in_flight(struct http_client *client, int max_in_flight)
{
	client->max_in_flight = http_clamp_in_flight(max_in_flight);
}

int
http_get_max_in_flight(const struct http_client *client)
{
	return client->max_in_flight;
}
