/*
 * sts.c - STS operations over apicall.c (see sts.h).  The query
 * protocol's errors are XML, so this module classifies retries and reads
 * the final error itself; everything else is apicall's path.
 */
#include "idc/flow/sts.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/net/apicall.h"
#include "idc/net/endpoints.h"
#include "idc/net/http.h"
#include "idc/net/sigv4.h"

/* botocore's standard mode on the code an XML error answer carries. */
static enum http_retry
sts_classify(const struct http_response *resp)
{
	struct awsquery_error e;
	enum http_retry r;

	if (resp->status >= 200 && resp->status <= 299)
		return HTTP_RETRY_NO;
	awsquery_error_parse(resp->status, resp->body.data, resp->body.len, &e);
	r = apicall_classify_code(e.code, resp->status);
	if (r != HTTP_RETRY_NO)
		log_debug("sts: %s (HTTP %ld): trying again",
		    e.code != NULL ? e.code : "an error", resp->status);
	awsquery_error_release(&e);
	return r;
}

/* Send action with params; the 200 body into *body. */
static int
sts_call(const struct sigv4_creds *creds, const char *region,
    const char *action, const struct awsquery_param *params, size_t n,
    struct idc_buf *body, struct idc_err *err)
{
	struct api_sigv4 sig = { creds, NULL, "sts", 0 };
	struct api_request req;
	struct apicall prep;
	struct http_response resp;
	struct awsquery_error e;
	struct http_client *http = NULL;
	char *base = NULL;
	int r = -1;

	memset(&req, 0, sizeof req);
	memset(&prep, 0, sizeof prep);
	http_response_init(&resp);
	sig.region = region != NULL ? region : STS_DEFAULT_REGION;
	if ((base = endpoints_sts(sig.region, err)) == NULL)
		goto out;
	req.method = "POST";
	req.path = xstrdup("/");
	if ((req.body = awsquery_body(action, params, n)) == NULL) {
		idc_err_set(err, IDC_ECONFIG, "the request is too large");
		goto fail;
	}
	req.content_type = AWSQUERY_CONTENT_TYPE;
	req.sigv4 = &sig;
	if (apicall_prepare(&prep, base, action, &req, err) == -1)
		goto fail;
	prep.http.classify = sts_classify;
	if ((http = http_client_new(NULL, err)) == NULL)
		goto fail;
	log_debug("%s: POST %s (region %s)", action, prep.url, sig.region);
	if (http_perform(http, &prep.http, &resp, err) == -1)
		goto fail;
	log_debug("%s: HTTP %ld after %d attempt(s)", action, resp.status,
	    resp.attempts);
	if (resp.status == 200) {
		*body = resp.body;
		idc_buf_init(&resp.body, body->max);
		r = 0;
		goto out;
	}
	awsquery_error_parse(resp.status, resp.body.data, resp.body.len, &e);
	awsquery_error_to_err(&e, action, err);
	awsquery_error_release(&e);
	goto out;
fail:
	idc_err_prefix(err, "%s: ", action);
out:
	http_response_release(&resp);
	apicall_release(&prep);
	api_request_release(&req);
	http_client_free(http);
	free(base);
	return r;
}

int
sts_assume_role(const struct sigv4_creds *creds, const char *region,
    const struct awsquery_param *params, size_t n, struct awsquery_assumed *out,
    struct idc_err *err)
{
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	int r = -1;

	if (sts_call(creds, region, "AssumeRole", params, n, &body, err) == 0)
		r = awsquery_assume_role_parse(body.data, body.len, out, err);
	idc_buf_release_secret(&body);
	return r;
}

int
sts_caller_identity(const struct sigv4_creds *creds, const char *region,
    struct awsquery_identity *out, struct idc_err *err)
{
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	int r = -1;

	if (sts_call(creds, region, "GetCallerIdentity", NULL, 0, &body, err) ==
	    0)
		r = awsquery_caller_identity_parse(
		    body.data, body.len, out, err);
	idc_buf_release_secret(&body);
	return r;
}
