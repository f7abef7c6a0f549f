/*
 * console.c - the federated console sign-in URL (see console.h): a
 * getSigninToken request over http.c, then the login URL.
 */
#include "idc/flow/console.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/xmalloc.h"
#include "idc/net/apicall.h"
#include "idc/net/endpoints.h"
#include "idc/net/federation.h"
#include "idc/net/http.h"

int
console_federated_url(
    const struct console_request *req, char **url, struct idc_err *err)
{
	struct api_request areq;
	struct api_error apierr;
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct http_client *http = NULL;
	char *base = NULL, *dest = NULL, *token = NULL;
	int r = -1;

	memset(&areq, 0, sizeof areq);
	memset(&apierr, 0, sizeof apierr);
	if (req->session_token == NULL || req->session_token[0] == '\0') {
		return idc_err_set(err, IDC_ECONFIG,
		    "the console sign-in needs a role's temporary credentials, "
		    "and these are long-term keys: use a profile with a role");
	}
	if ((dest = federation_destination(
		 req->destination, req->region, err)) == NULL ||
	    (base = endpoints_signin(req->region, err)) == NULL ||
	    (http = http_client_new(NULL, err)) == NULL)
		goto out;
	areq.method = "GET";
	areq.path = federation_token_path(
	    req->access_key_id, req->secret_access_key, req->session_token);
	if (apicall_send(http, base, "getSigninToken", &areq, &body, &apierr,
		err) == -1) {
		if (apierr.status >= 400 && apierr.status < 500 &&
		    apierr.status != 429)
			idc_err_set(err, IDC_EDENIED,
			    "the sign-in endpoint refused the role's "
			    "credentials (HTTP %ld)",
			    apierr.status);
		goto out;
	}
	if (federation_token_parse(body.data, body.len, &token, err) == -1)
		goto out;
	if ((*url = federation_login_url(base, req->issuer, dest, token)) ==
	    NULL) {
		idc_err_set(
		    err, IDC_ESERVER, "the sign-in URL would be too long");
		goto out;
	}
	r = 0;
out:
	secret_free(token);
	idc_buf_release_secret(&body);
	api_error_release(&apierr);
	api_request_release(&areq);
	http_client_free(http);
	free(base);
	free(dest);
	return r;
}
