/*
 * oidc.c - SSO OIDC requests and answers, without I/O (see oidc.h).
 */
#include "idc/net/oidc.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/net/apierror.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/safetext.h"
#include "idc/core/url.h"
#include "idc/core/weburl.h"
#include "idc/core/xmalloc.h"

static void
oidc_post(struct api_request *req, const char *path, cJSON *body)
{
	memset(req, 0, sizeof *req);
	req->method = "POST";
	req->path = xstrdup(path);
	req->body = json_print(body);
	json_free_secret(body);
}

static void
oidc_add_strings(cJSON *obj, const char *key, const char *const *v)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, key);

	for (; *v != NULL; v++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(*v));
}

void
oidc_register_request(
    const struct oidc_register_params *p, struct api_request *req)
{
	static const char *const pkce_grants[] = { OIDC_GRANT_CODE,
		OIDC_GRANT_REFRESH, NULL };
	static const char *const default_scopes[] = { OIDC_DEFAULT_SCOPE,
		NULL };
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "clientName", p->client_name);
	cJSON_AddStringToObject(body, "clientType", "public");
	if (p->pkce) {
		const char *const redirect[] = { p->redirect_uri, NULL };

		oidc_add_strings(body, "grantTypes", pkce_grants);
		oidc_add_strings(body, "redirectUris", redirect);
		cJSON_AddStringToObject(body, "issuerUrl", p->issuer_url);
		oidc_add_strings(body, "scopes",
		    p->scopes != NULL ? p->scopes : default_scopes);
	} else if (p->scopes != NULL) {
		oidc_add_strings(body, "scopes", p->scopes);
	}
	oidc_post(req, "/client/register", body);
}

int
oidc_register_parse(const char *body, size_t len, struct oidc_registration *out,
    struct idc_err *err)
{
	static const char what[] = "RegisterClient answer";
	struct oidc_registration r = { NULL, NULL, 0 };
	long long expires = 0;
	cJSON *obj;
	int ret = -1;

	if ((obj = json_parse_object(body, len, what, err)) == NULL)
		return -1;
	if ((r.client_id = json_dup_str(obj, "clientId", what, err)) == NULL ||
	    (r.client_secret = json_dup_str(obj, "clientSecret", what, err)) ==
		NULL ||
	    json_get_int(obj, "clientSecretExpiresAt", &expires, what, err) ==
		-1)
		goto out;
	r.expires_at = (time_t)expires;
	log_secret(r.client_secret);
	*out = r;
	memset(&r, 0, sizeof r);
	ret = 0;
out:
	oidc_registration_release(&r);
	json_free_secret(obj);
	return ret;
}

void
oidc_registration_release(struct oidc_registration *r)
{
	if (r == NULL)
		return;
	free(r->client_id);
	secret_free(r->client_secret);
	memset(r, 0, sizeof *r);
}

void
oidc_device_request(const char *client_id, const char *client_secret,
    const char *start_url, struct api_request *req)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "clientId", client_id);
	cJSON_AddStringToObject(body, "clientSecret", client_secret);
	cJSON_AddStringToObject(body, "startUrl", start_url);
	oidc_post(req, "/device_authorization", body);
}

/* The page a person is sent to: https, or http to loopback (tests and
 * the like), never file:, javascript:, another host over http, or
 * anything a browser could take for an option (weburl.h). */
static int
oidc_check_page(
    const char *url, const char *key, const char *what, struct idc_err *err)
{
	if (weburl_ok(url, WEBURL_LOOPBACK_HTTP))
		return 0;
	return idc_err_set(err, IDC_ESERVER,
	    "%s: '%s' is not an https url ('%.100s')", what, key, url);
}

int
oidc_device_parse(const char *body, size_t len, struct oidc_device_auth *out,
    struct idc_err *err)
{
	static const char what[] = "StartDeviceAuthorization answer";
	struct oidc_device_auth d;
	long long expires_in = 0, interval = 0;
	cJSON *obj;
	int ret = -1;

	memset(&d, 0, sizeof d);
	if ((obj = json_parse_object(body, len, what, err)) == NULL)
		return -1;
	if ((d.device_code = json_dup_str(obj, "deviceCode", what, err)) ==
		NULL ||
	    (d.user_code = json_dup_str(obj, "userCode", what, err)) == NULL ||
	    (d.verification_uri =
		    json_dup_str(obj, "verificationUri", what, err)) == NULL ||
	    json_get_int(obj, "expiresIn", &expires_in, what, err) == -1 ||
	    json_get_opt_int(obj, "interval", 5, &interval, what, err) == -1)
		goto out;
	d.verification_uri_complete =
	    json_dup_opt_str(obj, "verificationUriComplete");
	if (!safetext_is_token(d.user_code, OIDC_USER_CODE_MAX)) {
		idc_err_set(err, IDC_ESERVER,
		    "%s: 'userCode' is not up to %d printable characters "
		    "('%.100s')",
		    what, OIDC_USER_CODE_MAX, d.user_code);
		goto out;
	}
	if (oidc_check_page(d.verification_uri, "verificationUri", what, err) ==
		-1 ||
	    (d.verification_uri_complete != NULL &&
		oidc_check_page(d.verification_uri_complete,
		    "verificationUriComplete", what, err) == -1))
		goto out;
	if (expires_in <= 0 || expires_in > 86400 || interval < 0 ||
	    interval > 600) {
		idc_err_set(err, IDC_ESERVER,
		    "%s has an expiresIn or interval out of range", what);
		goto out;
	}
	d.expires_in = (long)expires_in;
	d.interval = interval == 0 ? 5 : (long)interval;
	log_secret(d.device_code);
	*out = d;
	memset(&d, 0, sizeof d);
	ret = 0;
out:
	oidc_device_auth_release(&d);
	json_free_secret(obj);
	return ret;
}

void
oidc_device_auth_release(struct oidc_device_auth *d)
{
	if (d == NULL)
		return;
	secret_free(d->device_code);
	free(d->user_code);
	free(d->verification_uri);
	free(d->verification_uri_complete);
	memset(d, 0, sizeof *d);
}

static cJSON *
oidc_token_body(
    const char *grant, const char *client_id, const char *client_secret)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "grantType", grant);
	cJSON_AddStringToObject(body, "clientId", client_id);
	cJSON_AddStringToObject(body, "clientSecret", client_secret);
	return body;
}

void
oidc_token_device_request(const char *client_id, const char *client_secret,
    const char *device_code, struct api_request *req)
{
	cJSON *body =
	    oidc_token_body(OIDC_GRANT_DEVICE, client_id, client_secret);

	cJSON_AddStringToObject(body, "deviceCode", device_code);
	oidc_post(req, "/token", body);
}

void
oidc_token_refresh_request(const char *client_id, const char *client_secret,
    const char *refresh_token, struct api_request *req)
{
	cJSON *body =
	    oidc_token_body(OIDC_GRANT_REFRESH, client_id, client_secret);

	cJSON_AddStringToObject(body, "refreshToken", refresh_token);
	oidc_post(req, "/token", body);
}

void
oidc_token_code_request(const char *client_id, const char *client_secret,
    const char *code, const char *redirect_uri, const char *verifier,
    struct api_request *req)
{
	cJSON *body =
	    oidc_token_body(OIDC_GRANT_CODE, client_id, client_secret);

	cJSON_AddStringToObject(body, "redirectUri", redirect_uri);
	cJSON_AddStringToObject(body, "codeVerifier", verifier);
	cJSON_AddStringToObject(body, "code", code);
	oidc_post(req, "/token", body);
}

int
oidc_token_parse(
    const char *body, size_t len, struct oidc_token *out, struct idc_err *err)
{
	static const char what[] = "CreateToken answer";
	struct oidc_token t = { NULL, NULL, 0 };
	long long expires_in = 0;
	cJSON *obj;
	int ret = -1;

	if ((obj = json_parse_object(body, len, what, err)) == NULL)
		return -1;
	if ((t.access_token = json_dup_str(obj, "accessToken", what, err)) ==
		NULL ||
	    json_get_int(obj, "expiresIn", &expires_in, what, err) == -1)
		goto out;
	if (expires_in <= 0 || expires_in > 90LL * 86400) {
		idc_err_set(err, IDC_ESERVER, "%s has expiresIn %lld", what,
		    expires_in);
		goto out;
	}
	t.refresh_token = json_dup_opt_str(obj, "refreshToken");
	if (t.refresh_token != NULL && t.refresh_token[0] == '\0') {
		free(t.refresh_token);
		t.refresh_token = NULL;
	}
	t.expires_in = (long)expires_in;
	log_secret(t.access_token);
	log_secret(t.refresh_token);
	*out = t;
	memset(&t, 0, sizeof t);
	ret = 0;
out:
	oidc_token_release(&t);
	json_free_secret(obj);
	return ret;
}

void
oidc_token_release(struct oidc_token *t)
{
	if (t == NULL)
		return;
	secret_free(t->access_token);
	secret_free(t->refresh_token);
	memset(t, 0, sizeof t[0]);
}

char *
oidc_authorize_url(const char *oidc_base, const char *client_id,
    const char *redirect_uri, const char *state, const char *challenge,
    const char *const *scopes)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct idc_buf sc = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	const char *const *s;
	int bad = 0;

	if (scopes == NULL || scopes[0] == NULL)
		bad |= idc_buf_addstr(&sc, OIDC_DEFAULT_SCOPE);
	for (s = scopes; s != NULL && *s != NULL; s++)
		bad |= idc_buf_addf(&sc, "%s%s", s != scopes ? " " : "", *s);
	bad |= idc_buf_addf(&b, "%s/authorize", oidc_base);
	bad |= url_add_query(&b, "response_type", "code");
	bad |= url_add_query(&b, "client_id", client_id);
	bad |= url_add_query(&b, "redirect_uri", redirect_uri);
	bad |= url_add_query(&b, "state", state);
	bad |= url_add_query(&b, "code_challenge_method", "S256");
	bad |= url_add_query(&b, "scopes", idc_buf_cstr(&sc));
	bad |= url_add_query(&b, "code_challenge", challenge);
	idc_buf_release(&sc);
	if (bad) {
		idc_buf_release(&b);
		return NULL;
	}
	return idc_buf_detach(&b, NULL);
}
