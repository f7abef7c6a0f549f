/*
 * apierror.c - API requests and error answers shared by oidc.c and portal.c.
 */
#include "idc/net/apierror.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"

void
api_request_release(struct api_request *req)
{
	if (req == NULL)
		return;
	free(req->path);
	secret_free(req->body);
	secret_free(req->bearer);
	req->path = req->body = req->bearer = NULL;
}

/* botocore's rule: cut at the first ':', keep what follows the last '#'. */
static char *
api_error_type(const char *raw)
{
	const char *end, *hash, *start = raw;

	end = strchr(raw, ':');
	if (end == NULL)
		end = raw + strlen(raw);
	for (hash = raw; hash < end; hash++)
		if (*hash == '#')
			start = hash + 1;
	if (end == start)
		return NULL;
	return xstrndup(start, (size_t)(end - start));
}

void
api_error_parse(long status, const char *error_type_header, const char *body,
    size_t len, struct api_error *out)
{
	static const char *const type_keys[] = { "__type", "code", "Code" };
	cJSON *obj = NULL;
	char *raw;
	size_t i;

	memset(out, 0, sizeof *out);
	out->status = status;
	if (body != NULL && len > 0) {
		obj = json_parse_strict(body, len);
		if (!cJSON_IsObject(obj)) {
			cJSON_Delete(obj);
			obj = NULL;
		}
	}
	if (error_type_header != NULL && error_type_header[0] != '\0')
		out->type = api_error_type(error_type_header);
	for (i = 0; out->type == NULL && obj != NULL &&
	     i < sizeof type_keys / sizeof type_keys[0];
	     i++) {
		if ((raw = json_dup_opt_str(obj, type_keys[i])) != NULL) {
			out->type = api_error_type(raw);
			free(raw);
		}
	}
	if (obj != NULL) {
		out->error = json_dup_opt_str(obj, "error");
		out->description = json_dup_opt_str(obj, "error_description");
		if (out->description == NULL)
			out->description = json_dup_opt_str(obj, "message");
		if (out->description == NULL)
			out->description = json_dup_opt_str(obj, "Message");
	}
	cJSON_Delete(obj);
}

void
api_error_release(struct api_error *e)
{
	if (e == NULL)
		return;
	free(e->type);
	free(e->error);
	free(e->description);
	memset(e, 0, sizeof *e);
}

/* The OAuth error code each OIDC exception carries in its "error" member. */
static const struct {
	const char *type;
	const char *error;
} api_oauth_codes[] = {
	{ "AuthorizationPendingException", "authorization_pending" },
	{ "SlowDownException", "slow_down" },
	{ "ExpiredTokenException", "expired_token" },
	{ "AccessDeniedException", "access_denied" },
	{ "InvalidGrantException", "invalid_grant" },
	{ "InvalidClientException", "invalid_client" },
	{ "InvalidRequestException", "invalid_request" },
	{ "InvalidScopeException", "invalid_scope" },
	{ "UnauthorizedClientException", "unauthorized_client" },
	{ "UnsupportedGrantTypeException", "unsupported_grant_type" },
	{ "InternalServerException", "server_error" },
};

int
api_error_is(const struct api_error *e, const char *type)
{
	size_t i;

	if (e->type != NULL)
		return strcmp(e->type, type) == 0;
	if (e->error == NULL)
		return 0;
	for (i = 0; i < sizeof api_oauth_codes / sizeof api_oauth_codes[0]; i++)
		if (strcmp(api_oauth_codes[i].type, type) == 0)
			return strcmp(api_oauth_codes[i].error, e->error) == 0;
	return 0;
}

static enum idc_errcode
api_error_code(const struct api_error *e)
{
	static const struct {
		const char *type;
		enum idc_errcode code;
	} map[] = {
		{ "UnauthorizedException", IDC_EAUTH },
		{ "InvalidGrantException", IDC_EAUTH },
		{ "ExpiredTokenException", IDC_EAUTH },
		{ "InvalidClientException", IDC_EAUTH },
		{ "AccessDeniedException", IDC_EDENIED },
		{ "ForbiddenException", IDC_EDENIED },
		{ "UnauthorizedClientException", IDC_EDENIED },
		{ "ResourceNotFoundException", IDC_EDENIED },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (api_error_is(e, map[i].type))
			return map[i].code;
	if (e->status == 401)
		return IDC_EAUTH;
	if (e->status == 403)
		return IDC_EDENIED;
	return IDC_ESERVER;
}

int
api_error_to_err(
    const struct api_error *e, const char *operation, struct idc_err *err)
{
	const char *name = e->type != NULL ? e->type
	    : e->error != NULL             ? e->error
					   : "an unexpected answer";
	char *desc = NULL;
	int r;

	if (e->description != NULL && e->description[0] != '\0') {
		/* Redacted before it is cut short: a cut secret would no
		 * longer be recognised. */
		desc = log_redact(e->description, strlen(e->description));
		r = idc_err_set(err, api_error_code(e),
		    "%s failed: %s (HTTP %ld): '%.160s'", operation, name,
		    e->status, desc);
		free(desc);
	} else
		r = idc_err_set(err, api_error_code(e),
		    "%s failed: %s (HTTP %ld)", operation, name, e->status);
	if (err != NULL)
		err->http_status = e->status;
	return r;
}
