/*
 * http.h - HTTPS requests, the only module that talks to libcurl.
 *
 * libcurl is loaded with dlopen() the first time a client is created, not at
 * process start: commands that answer from cache (credential-process above
 * all) never pay for loading it and its ~30 shared libraries.
 *
 * TLS certificate and host verification are always on; AWS_CA_BUNDLE (or
 * http_options.ca_bundle) replaces the system CA store.  Plain http:// is
 * accepted only for loopback hosts (127.0.0.0/8, ::1, localhost).  Redirects
 * are never followed.  Response bodies are bounded.
 *
 * Retries: connect errors, timeouts, 5xx and 429 are retried with
 * exponential backoff and full jitter (base retry_base_ms, 1 s for
 * throttling; cap retry_cap_ms), honouring a Retry-After header; 4xx other
 * than 429 never, unless the request's classify says otherwise.
 * A request is tried at most max_attempts times in all.
 *
 * Errors (err->code): IDC_ENET (DNS, connect, timeout), IDC_ETLS
 * (certificate, handshake), IDC_ESERVER (an answer that is not usable
 * HTTP: over max_response, response headers over 64 KiB, no valid status
 * line or HTTP/0.9, a garbled header; not retried), IDC_EUSAGE (a URL that
 * is not https or loopback http), IDC_EFAIL (libcurl could not be loaded),
 * IDC_EINTR (interrupted).  An HTTP error status is NOT an error at this
 * layer: http_perform returns 0 and the caller reads resp->status.
 * Messages name the URL's host, never its query or a header value.
 *
 * Every socket is opened close-on-exec, so no program idc starts inherits
 * a connection.
 *
 * A client is not thread-safe: use one per thread.  Its callbacks must not
 * start requests on the same client (IDC_EFAIL).
 */
#ifndef IDC_HTTP_H
#define IDC_HTTP_H

#include <stddef.h>
#include <time.h>

#include "idc/core/buf.h"

struct idc_err;
struct http_client;

struct http_options {
	long connect_timeout_ms; /* 0: 10 s */
	long total_timeout_ms;   /* per attempt; 0: 30 s */
	size_t max_response;     /* 0: IDC_BUF_MAX_RESPONSE */
	int max_attempts;        /* 0: 3 (the AWS SDKs' standard mode) */
	long retry_base_ms;      /* 0: 200 ms */
	long retry_cap_ms;       /* 0: 20 s */
	int max_in_flight;       /* http_perform_many cap; 0: 8 */
	const char *ca_bundle;   /* NULL: AWS_CA_BUNDLE, else system store */
	const char *user_agent;  /* NULL: "idc/<version>" */
};

/* Whether and how an answered attempt is retried. */
enum http_retry {
	HTTP_RETRY_NO = 0,
	HTTP_RETRY_TRANSIENT, /* backoff from retry_base_ms */
	HTTP_RETRY_THROTTLED, /* backoff from 1 s at least (botocore) */
};
struct http_response;
typedef enum http_retry http_classify_fn(const struct http_response *resp);

struct http_request {
	const char *method; /* "GET" or "POST" (others: IDC_EUSAGE) */
	const char *url;    /* absolute https:// (or loopback http://) URL */
	const char *
	    *headers;     /* "Name: value" strings, NULL-terminated, or NULL */
	const char *body; /* request body or NULL */
	size_t body_len;
	int no_retry; /* 1: one attempt only (e.g. device-code polls) */
	/* Decides for an answered attempt instead of the rule above (429
	 * throttled, 5xx transient); NULL: the rule.  Transport failures
	 * are retried as always.  apicall.c passes botocore's standard
	 * mode. */
	http_classify_fn *classify;
};

struct http_response {
	long status;         /* HTTP status of the last attempt */
	struct idc_buf body; /* response body, NUL-terminated */
	char *error_type;    /* x-amzn-ErrorType up to the first ':' and
				after the last '#' (as botocore), or NULL */
	char *request_id;    /* x-amzn-RequestId, or NULL */
	char *content_type;  /* or NULL */
	long retry_after_ms; /* Retry-After of the last attempt, -1 if none */
	time_t date;         /* Date of the last attempt, 0 if none (for a
				clock check) */
	int attempts;        /* attempts made */
};

/* A zeroed response ready for http_perform. */
void http_response_init(struct http_response *resp);
/* Free what a response holds, wiping the body (it may hold tokens); the
 * response is left as http_response_init leaves it. */
void http_response_release(struct http_response *resp);

/*
 * Create a client (loads libcurl on first use).  opts may be NULL for the
 * defaults.  Returns NULL with err set (IDC_EFAIL) when libcurl cannot be
 * loaded.  Free with http_client_free (NULL is fine).
 */
struct http_client *http_client_new(
    const struct http_options *opts, struct idc_err *err);
void http_client_free(struct http_client *client);

/* Perform one request with retries.  resp must be initialised; it is
 * filled in on success (any HTTP status) and left empty on failure. */
int http_perform(struct http_client *client, const struct http_request *req,
    struct http_response *resp, struct idc_err *err);

/*
 * Run many requests concurrently through one curl multi handle, at most
 * max_in_flight at a time (a request waiting for its retry does not count).
 * Each request is retried on its own (its backoff does not block the
 * others).  For every request, exactly once, done(ud, i, resp, err) is
 * called with its final response (err NULL) or its failure (resp NULL).
 * resp belongs to the batch and is released when done returns: to keep
 * it, copy the struct and http_response_init(resp).  The callback may call
 * http_set_max_in_flight to adapt the pace; a lower cap only stops new
 * starts until fewer are in flight.  If attempt is not NULL it is called
 * after every attempt with the status (0 for a transport failure; 429 for
 * any answer the request's classify calls throttled, such as a 400
 * ThrottlingException) and the Retry-After in ms (-1 if none), so a caller
 * can react to throttling at once.
 * Returns 0 when every request was run (whatever its outcome), -1 with err
 * set when the batch itself failed (IDC_EINTR, libcurl); done has then
 * been called with that error for every request not finished before.
 */
typedef void http_done_fn(
    void *ud, size_t i, struct http_response *resp, const struct idc_err *err);
typedef void http_attempt_fn(
    void *ud, size_t i, long status, long retry_after_ms);
int http_perform_many(struct http_client *client,
    const struct http_request *reqs, size_t n, http_done_fn *done,
    http_attempt_fn *attempt, void *ud, struct idc_err *err);

/*
 * A stream: requests handed over one at a time, when there is room for
 * one more, so that answers can make more (the next page, a request per
 * item of a page) while the others run, on the same connections, with no
 * pause between rounds.  The callbacks, with ud:
 *
 * feed(ud, i, &req) gives the next request (index i: 0, 1, 2, ... in the
 * order fed) and returns 1, or returns 0 when it has none for now; it is
 * asked again after every attempt that ends.  *req, and all it points to,
 * must stay valid until done has been called for it.  The stream ends
 * when nothing is running or waiting for a retry and feed has nothing.
 *
 * gate(ud, now_ms), if not NULL, is asked before every start, a retry's
 * too: the ms to wait before it (0: start now, and the start counts as
 * made), so that a pace can space starts without blocking the transfers
 * in flight.  The stream waits for the gate while libcurl keeps driving.
 *
 * done and attempt are as for http_perform_many; a request that failed
 * to start ends at done.
 */
typedef int http_feed_fn(void *ud, size_t i, const struct http_request **req);
typedef long http_gate_fn(void *ud, long long now_ms);

struct http_stream {
	http_feed_fn *feed;       /* required */
	http_gate_fn *gate;       /* NULL: start whenever there is room */
	http_done_fn *done;       /* required */
	http_attempt_fn *attempt; /* NULL: none */
	void *ud;
};

/* Returns 0 once the stream has ended, -1 with err set when it failed as
 * http_perform_many's batch does; done has then been called with the
 * error for every request fed and not finished before. */
int http_perform_stream(struct http_client *client, const struct http_stream *s,
    struct idc_err *err);

/* In an attempt callback: how many ms the attempt that just ended took
 * (from its start, connecting included). */
long http_attempt_ms(const struct http_client *client);

/* Change the concurrency cap at run time, also from a callback (clamped
 * to 1..256, as is http_options.max_in_flight). */
void http_set_max_in_flight(struct http_client *client, int max_in_flight);
int http_get_max_in_flight(const struct http_client *client);

/* 1 if libcurl has been loaded into this process (for tests/benchmarks). */
int http_libcurl_loaded(void);

#endif
