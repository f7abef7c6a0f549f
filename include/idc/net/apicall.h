/*
 * apicall.h - calling an AWS service operation: an api_request
 * (apierror.h) sent over http.c to a base URL (endpoints.h), with its
 * answer split into a 200 body or a classified error.
 *
 * The one place where the sans-I/O API layer meets the network, so flows
 * stay free of HTTP details.  A single call is apicall_send; a batch
 * (http_perform_many, the listing's concurrent requests, the admin import)
 * prepares each request with apicall_prepare and judges each answer with
 * apicall_answer, so both build requests and classify errors the same
 * way.  Requests are logged with --debug (secrets redacted by log.c).
 *
 * A request with sigv4 set is signed (sigv4.h) with a Host header taken
 * from the URL, its Content-Type and X-Amz-Target, once, when prepared;
 * its retries resend it as signed (valid for 15 minutes).
 *
 * Retries follow botocore's standard mode (apicall_classify): throttling
 * error codes (Throttling, ThrottlingException, TooManyRequestsException,
 * RequestLimitExceeded, SlowDown, ...) and transient ones (RequestTimeout,
 * RequestTimeoutException, PriorRequestNotComplete) are retried whatever
 * the HTTP status they come with, as are 500, 502, 503, 504 and 429;
 * jittered, at most the client's max_attempts (3) in all.
 */
#ifndef IDC_APICALL_H
#define IDC_APICALL_H

#include "idc/core/buf.h"
#include "idc/net/apierror.h"
#include "idc/net/http.h"

struct idc_err;

/* Content-Type, X-Amz-Target, bearer, Host, X-Amz-Date, token, auth. */
#define APICALL_MAX_HEADERS 8

/* One request ready for http.c: http points into the struct (its URL and
 * headers), so an apicall is not moved once prepared. */
struct apicall {
	struct http_request http;
	const char *operation;
	char *url;
	char *lines[APICALL_MAX_HEADERS]; /* owned header lines: secrets */
	const char *headers[APICALL_MAX_HEADERS + 1];
	size_t nheaders;
};

/*
 * Build the HTTP request of req (for operation, named in messages and
 * logs) to base_url into *c: headers, and the signature when req->sigv4
 * is set.  -1 with err set when req has no path (its builder ran out of
 * room: IDC_EFAIL), the base URL has no scheme://host or has user info
 * (IDC_EUSAGE), or signing fails (sigv4_sign's errors); *c is then empty.
 * Release with apicall_release either way.
 */
int apicall_prepare(struct apicall *c, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_err *err);

void apicall_release(struct apicall *c);

/*
 * Judge an answer to c: HTTP 200 gives 0 with the body moved into *body
 * (released by the caller with idc_buf_release_secret); another status
 * gives -1 with *apierr filled (the caller releases it) and err
 * described by api_error_to_err.
 */
int apicall_answer(const struct apicall *c, struct http_response *resp,
    struct idc_buf *body, struct api_error *apierr, struct idc_err *err);

/* botocore's standard retry mode for one answer (see above). */
enum http_retry apicall_classify(const struct http_response *resp);

/* The same on an error code (NULL: none) and status. */
enum http_retry apicall_classify_code(const char *type, long status);

/*
 * Send req to base_url.  As apicall_answer; on a transport failure: -1
 * with err set and apierr->status 0.
 */
int apicall_send(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, struct idc_err *err);

#endif
