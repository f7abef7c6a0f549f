/*
 * awsjson.c - AWS JSON 1.1 requests and answers (see awsjson.h).
 */
#include "idc/net/awsjson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/xmalloc.h"
#include "idc/net/endpoints.h"

/* The names in the models' metadata (botocore: service-2.json). */
const struct awsjson_service awsjson_identitystore = {
	"identitystore",
	"AWSIdentityStore",
	"identitystore",
	endpoints_identitystore,
};

const struct awsjson_service awsjson_sso_admin = {
	"sso-admin",
	"SWBExternalService",
	"sso",
	endpoints_sso_admin,
};

void
awsjson_request_build(const struct awsjson_service *svc, const char *operation,
    const cJSON *body, struct awsjson_request *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->target, sizeof out->target, "%s.%s", svc->target_prefix,
	    operation);
	out->api.method = "POST";
	out->api.path = xstrdup("/");
	out->api.body = body != NULL ? json_print(body) : xstrdup("{}");
	out->api.content_type = AWSJSON_CONTENT_TYPE;
	out->api.target = out->target;
}

void
awsjson_request_release(struct awsjson_request *r)
{
	if (r == NULL)
		return;
	api_request_release(&r->api);
	memset(r, 0, sizeof *r);
}

cJSON *
awsjson_parse(
    const char *operation, const char *body, size_t len, struct idc_err *err)
{
	cJSON *obj = body != NULL ? json_parse_strict(body, len) : NULL;

	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		idc_err_set(err, IDC_ESERVER,
		    "%s: the service's answer is not a JSON object", operation);
		return NULL;
	}
	return obj;
}

int
awsjson_get_list(const cJSON *answer, const char *operation, const char *key,
    const cJSON **out, struct idc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(answer, key), *item;

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v))
		return idc_err_set(err, IDC_ESERVER,
		    "%s: '%s' in the service's answer is not a list", operation,
		    key);
	cJSON_ArrayForEach(item, v) {
		if (!cJSON_IsObject(item))
			return idc_err_set(err, IDC_ESERVER,
			    "%s: an item of '%s' in the service's answer is not "
			    "an object",
			    operation, key);
	}
	*out = v;
	return 0;
}

int
awsjson_get_str(const cJSON *obj, const char *operation, const char *key,
    int required, size_t max, char **out, struct idc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return idc_err_set(err, IDC_ESERVER,
			    "%s: the service's answer has no '%s'", operation,
			    key);
		return 0;
	}
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return idc_err_set(err, IDC_ESERVER,
		    "%s: '%s' in the service's answer is not a string",
		    operation, key);
	if (strlen(v->valuestring) > max)
		return idc_err_set(err, IDC_ESERVER,
		    "%s: '%s' in the service's answer is longer than %zu bytes",
		    operation, key, max);
	if (required && v->valuestring[0] == '\0')
		return idc_err_set(err, IDC_ESERVER,
		    "%s: '%s' in the service's answer is empty", operation,
		    key);
	*out = xstrdup(v->valuestring);
	return 0;
}

int
awsjson_next_token(const cJSON *answer, const char *operation, const char *prev,
    char **next, struct idc_err *err)
{
	char *tok = NULL;

	*next = NULL;
	if (awsjson_get_str(answer, operation, "NextToken", 0,
		AWSJSON_MAX_TOKEN, &tok, err) == -1)
		return -1;
	if (tok != NULL && tok[0] == '\0') {
		free(tok);
		return 0;
	}
	if (tok != NULL && prev != NULL && strcmp(tok, prev) == 0) {
		free(tok);
		return idc_err_set(err, IDC_ESERVER,
		    "%s: the service answered the same NextToken again",
		    operation);
	}
	*next = tok;
	return 0;
}
