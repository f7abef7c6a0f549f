/*
 * apicall.h - calling an AWS service operation: an api_request (apierror.h)
 * sent over http.c to a base URL (endpoints.h), with its answer split into
 * a 200 body or a classified error.
 *
 * The one place where the sans-I/O API layer meets the network, so flows
 * stay free of HTTP details.  Requests are logged with --debug (secrets
 * redacted by log.c).
 *
 * A request with sigv4 set is signed (sigv4.h) with a Host header taken
 * from the URL, its Content-Type and X-Amz-Target, once, before the first
 * attempt; its retries resend it as signed (valid for 15 minutes).
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

/* An api_request made into an http_request (owning what it points to). */
struct apicall_prepared {
	struct http_request http;
	char *url;
	char **headers; /* NULL-terminated; may hold secrets */
	size_t nheaders;
};

/*
 * Build the HTTP request for req against base_url (headers, signature).
 * IDC_EUSAGE for a base URL without scheme://host or with user info, and
 * the errors of sigv4_sign.  Release with apicall_prepared_release.
 */
int apicall_prepare(const char *base_url, const struct api_request *req,
    struct apicall_prepared *out, struct idc_err *err);
void apicall_prepared_release(struct apicall_prepared *p);

/*
 * The final answer to operation: on HTTP 200, 0 and the body moved into
 * *body (the caller releases it with idc_buf_release_secret); on another
 * status, -1 with *apierr filled (the caller releases it) and err
 * described by api_error_to_err.
 */
int apicall_answer(const char *operation, struct http_response *resp,
    struct idc_buf *body, struct api_error *apierr, struct idc_err *err);

/* botocore's standard retry mode for one answer (see above). */
enum http_retry apicall_classify(const struct http_response *resp);

/* The same on an error code (NULL: none) and status. */
enum http_retry apicall_classify_code(const char *type, long status);

/*
 * Send req to base_url: apicall_prepare, http_perform, apicall_answer.
 * On a transport failure: -1 with err set and apierr->status 0.
 */
int apicall_send(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, struct idc_err *err);

#endif
