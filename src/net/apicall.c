/*
 * apicall.c - one AWS operation over HTTP: the one API-call path (see
 * apicall.h).  Requests are prepared here (headers, SigV4) for http.c, whose
 * retries this module classifies as botocore's standard mode does.
 */
#include "idc/net/apicall.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/net/http.h"
#include "idc/net/sigv4.h"

/* botocore/retries/standard.py: _THROTTLED_ERROR_CODES and
 * _TRANSIENT_ERROR_CODES, which retry whatever the status. */
static const char *const apicall_throttled[] = {
	"Throttling",
	"ThrottlingException",
	"ThrottledException",
	"RequestThrottledException",
	"TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException",
	"RequestLimitExceeded",
	"BandwidthLimitExceeded",
	"LimitExceededException",
	"RequestThrottled",
	"SlowDown",
	"PriorRequestNotComplete",
	"EC2ThrottledException",
};
static const char *const apicall_transient[] = {
	"RequestTimeout",
	"RequestTimeoutException",
	"PriorRequestNotComplete",
};

static int
apicall_in(const char *type, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; type != NULL && i < n; i++)
		if (strcmp(type, list[i]) == 0)
			return 1;
	return 0;
}

enum http_retry
apicall_classify_code(const char *type, long status)
{
	if (status >= 200 && status <= 299)
		return HTTP_RETRY_NO;
	if (apicall_in(type, apicall_throttled,
		sizeof apicall_throttled / sizeof apicall_throttled[0]))
		return HTTP_RETRY_THROTTLED;
	if (apicall_in(type, apicall_transient,
		sizeof apicall_transient / sizeof apicall_transient[0]))
		return HTTP_RETRY_TRANSIENT;
	if (status == 429)
		return HTTP_RETRY_THROTTLED;
	if (status == 500 || status == 502 || status == 503 || status == 504)
		return HTTP_RETRY_TRANSIENT;
	return HTTP_RETRY_NO;
}

enum http_retry
apicall_classify(const struct http_response *resp)
{
	struct api_error e;
	enum http_retry r;

	if (resp->status >= 200 && resp->status <= 299)
		return HTTP_RETRY_NO;
	api_error_parse(resp->status, resp->error_type, resp->body.data,
	    resp->body.len, &e);
	r = apicall_classify_code(e.type, resp->status);
	api_error_release(&e);
	return r;
}

/* Split "scheme://authority/path" into the authority and the path. */
static int
apicall_split_url(
    const char *url, char **authority, const char **path, struct idc_err *err)
{
	const char *p = strstr(url, "://"), *end;

	if (p == NULL || p == url)
		return idc_err_set(err, IDC_EUSAGE,
		    "endpoint '%.200s' is not an absolute url", url);
	p += 3;
	end = p + strcspn(p, "/?#");
	if (end == p || memchr(p, '@', (size_t)(end - p)) != NULL)
		return idc_err_set(err, IDC_EUSAGE,
		    "endpoint '%.200s' has no host or has user info", url);
	*authority = xstrndup(p, (size_t)(end - p));
	*path = end;
	return 0;
}

static void
apicall_add(struct apicall *c, char *line)
{
	c->lines[c->nheaders] = line;
	c->headers[c->nheaders++] = line;
	c->headers[c->nheaders] = NULL;
}

static int
apicall_sign(const struct api_request *req, const char *authority,
    const char *path, struct apicall *out, struct idc_err *err)
{
	struct sigv4_header h[4];
	struct sigv4_request sr;
	struct sigv4_signed sig;
	const char *query;
	char *spath = NULL;
	size_t n = 0;

	memset(&sr, 0, sizeof sr);
	h[n].name = "Host";
	h[n++].value = authority;
	if (req->body != NULL) {
		h[n].name = "Content-Type";
		h[n++].value = req->content_type != NULL ? req->content_type
							 : "application/json";
	}
	if (req->target != NULL) {
		h[n].name = "X-Amz-Target";
		h[n++].value = req->target;
	}
	query = strchr(path, '?');
	spath = query != NULL ? xstrndup(path, (size_t)(query - path))
			      : xstrdup(path);
	sr.method = req->method;
	sr.path = spath;
	sr.query = query != NULL ? query + 1 : NULL;
	sr.headers = h;
	sr.nheaders = n;
	sr.body = req->body;
	sr.body_len = req->body != NULL ? strlen(req->body) : 0;
	sr.region = req->sigv4->region;
	sr.service = req->sigv4->service;
	sr.when = req->sigv4->when != 0 ? req->sigv4->when : timefmt_now();
	if (sigv4_sign(&sr, req->sigv4->creds, &sig, err) == -1) {
		free(spath);
		return -1;
	}
	free(spath);
	apicall_add(out, xasprintf("X-Amz-Date: %s", sig.amz_date));
	if (req->sigv4->creds->session_token != NULL &&
	    req->sigv4->creds->session_token[0] != '\0') {
		log_secret(req->sigv4->creds->session_token);
		apicall_add(out,
		    xasprintf("X-Amz-Security-Token: %s",
			req->sigv4->creds->session_token));
	}
	apicall_add(out, xasprintf("Authorization: %s", sig.authorization));
	sigv4_signed_release(&sig);
	return 0;
}

int
apicall_prepare(struct apicall *c, const char *base_url, const char *operation,
    const struct api_request *req, struct idc_err *err)
{
	const char *base_path = "";
	char *authority = NULL, *full_path = NULL;
	int r = -1;

	memset(c, 0, sizeof *c);
	c->operation = operation;
	if (req->path == NULL)
		return idc_err_set(
		    err, IDC_EFAIL, "%s: the request is too large", operation);
	c->url = xasprintf("%s%s", base_url, req->path);
	if (req->body != NULL)
		apicall_add(c,
		    xasprintf("Content-Type: %s",
			req->content_type != NULL ? req->content_type
						  : "application/json"));
	if (req->target != NULL)
		apicall_add(c, xasprintf("X-Amz-Target: %s", req->target));
	if (req->bearer != NULL) {
		log_secret(req->bearer);
		apicall_add(
		    c, xasprintf("x-amz-sso_bearer_token: %s", req->bearer));
	}
	if (req->sigv4 != NULL) {
		if (apicall_split_url(base_url, &authority, &base_path, err) ==
		    -1)
			goto out;
		/* Sign the Host that goes out: curl sends ours. */
		apicall_add(c, xasprintf("Host: %s", authority));
		full_path = xasprintf("%s%s", base_path, req->path);
		if (apicall_sign(req, authority, full_path, c, err) == -1)
			goto out;
	}
	c->http.method = req->method;
	c->http.url = c->url;
	c->http.headers = c->headers;
	c->http.body = req->body;
	c->http.body_len = req->body != NULL ? strlen(req->body) : 0;
	c->http.classify = apicall_classify;
	r = 0;
out:
	free(authority);
	free(full_path);
	if (r == -1) {
		idc_err_prefix(err, "%s: ", operation);
		apicall_release(c);
	}
	return r;
}

void
apicall_release(struct apicall *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nheaders; i++)
		secret_free(c->lines[i]);
	free(c->url);
	memset(c, 0, sizeof *c);
}

int
apicall_answer(const struct apicall *c, struct http_response *resp,
    struct idc_buf *body, struct api_error *apierr, struct idc_err *err)
{
	memset(apierr, 0, sizeof *apierr);
	log_debug("%s: HTTP %ld after %d attempt(s)", c->operation,
	    resp->status, resp->attempts);
	if (resp->status == 200) {
		*body = resp->body;
		idc_buf_init(&resp->body, body->max);
		return 0;
	}
	api_error_parse(resp->status, resp->error_type, resp->body.data,
	    resp->body.len, apierr);
	return api_error_to_err(apierr, c->operation, err);
}

int
apicall_send(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, struct idc_err *err)
{
	struct http_response resp;
	struct apicall c;
	int r = -1;

	memset(apierr, 0, sizeof *apierr);
	http_response_init(&resp);
	if (apicall_prepare(&c, base_url, operation, req, err) == -1)
		goto out;
	log_debug("%s: %s %s", operation, req->method, c.url);
	if (http_perform(http, &c.http, &resp, err) == -1) {
		idc_err_prefix(err, "%s: ", operation);
		goto out;
	}
	r = apicall_answer(&c, &resp, body, apierr, err);
out:
	http_response_release(&resp);
	apicall_release(&c);
	return r;
}
