/*
 * apicall.c - one AWS operation over HTTP: the one API-call path (see apicall.h).
 */
#include "idc/net/apicall.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/net/http.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"

int
apicall_send(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, struct idc_err *err)
{
	time_t date;

	return apicall_send_dated(
	    http, base_url, operation, req, body, apierr, &date, err);
}

int
apicall_send_dated(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, time_t *date, struct idc_err *err)
{
	struct http_request hreq;
	struct http_response resp;
	const char *headers[4];
	char *url = NULL, *bearer = NULL;
	size_t nh = 0;
	int r = -1;

	memset(apierr, 0, sizeof *apierr);
	memset(&hreq, 0, sizeof hreq);
	http_response_init(&resp);
	url = xasprintf("%s%s", base_url, req->path);
	if (req->body != NULL)
		headers[nh++] = "Content-Type: application/json";
	if (req->bearer != NULL) {
		log_secret(req->bearer);
		bearer = xasprintf("x-amz-sso_bearer_token: %s", req->bearer);
		headers[nh++] = bearer;
	}
	headers[nh] = NULL;
	hreq.method = req->method;
	hreq.url = url;
	hreq.headers = headers;
	hreq.body = req->body;
	hreq.body_len = req->body != NULL ? strlen(req->body) : 0;
	log_debug("%s: %s %s", operation, req->method, url);
	if (http_perform(http, &hreq, &resp, err) == -1) {
		idc_err_prefix(err, "%s: ", operation);
		goto out;
	}
	log_debug("%s: HTTP %ld after %d attempt(s)", operation, resp.status,
	    resp.attempts);
	*date = resp.date;
	if (resp.status == 200) {
		*body = resp.body;
		idc_buf_init(&resp.body, body->max);
		r = 0;
		goto out;
	}
	api_error_parse(resp.status, resp.error_type, resp.body.data,
	    resp.body.len, apierr);
	api_error_to_err(apierr, operation, err);
out:
	http_response_release(&resp);
	secret_free(bearer);
	free(url);
	return r;
}
