/*
 * apicall.c - one AWS operation over HTTP: the one API-call path (see
 * apicall.h).
 */
#include "idc/net/apicall.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/net/http.h"

int
apicall_prepare(struct apicall *c, const char *base_url, const char *operation,
    const struct api_request *req, struct idc_err *err)
{
	size_t nh = 0;

	memset(c, 0, sizeof *c);
	c->operation = operation;
	if (req->path == NULL)
		return idc_err_set(
		    err, IDC_EFAIL, "%s: the request is too large", operation);
	c->url = xasprintf("%s%s", base_url, req->path);
	if (req->body != NULL)
		c->headers[nh++] = "Content-Type: application/json";
	if (req->bearer != NULL) {
		log_secret(req->bearer);
		c->bearer =
		    xasprintf("x-amz-sso_bearer_token: %s", req->bearer);
		c->headers[nh++] = c->bearer;
	}
	c->headers[nh] = NULL;
	c->http.method = req->method;
	c->http.url = c->url;
	c->http.headers = c->headers;
	c->http.body = req->body;
	c->http.body_len = req->body != NULL ? strlen(req->body) : 0;
	return 0;
}

void
apicall_release(struct apicall *c)
{
	if (c == NULL)
		return;
	free(c->url);
	secret_free(c->bearer);
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
	api_error_to_err(apierr, c->operation, err);
	return -1;
}

int
apicall_send(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, struct idc_err *err)
{
	struct apicall c;
	struct http_response resp;
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
