/*
 * adminapi.c - sessions and calls of the administration flows (see
 * adminapi.h and admin.h): credentials, region, endpoints and discovery;
 * one call; errors named after their object; pages; lookups by name.
 */
#include "idc/flow/adminapi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/region.h"
#include "idc/core/xmalloc.h"
#include "idc/net/apicall.h"
#include "idc/net/awsjson.h"
#include "idc/net/http.h"

/* --- the session --- */

static const char *
adminapi_getenv(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

int
adminapi_open(
    const struct admin_opts *o, struct admin **out, struct idc_err *err)
{
	struct awscreds_query q = { o->profile, 0, NULL, NULL };
	struct http_options ho;
	struct admin *a = xcalloc(1, sizeof *a);
	const char *region;

	if (awscreds_resolve(&q, &a->creds, err) == -1)
		goto fail;
	a->sv.access_key_id = a->creds.access_key_id;
	a->sv.secret_access_key = a->creds.secret_access_key;
	a->sv.session_token = a->creds.session_token;
	/* As the AWS CLI: --region, AWS_REGION, AWS_DEFAULT_REGION, then the
	 * profile's region. */
	region = o->region;
	if (region == NULL)
		region = adminapi_getenv("AWS_REGION");
	if (region == NULL)
		region = adminapi_getenv("AWS_DEFAULT_REGION");
	if (region == NULL)
		region = a->creds.region;
	if (region == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "no region: give --region, set AWS_REGION, or set region "
		    "in the profile (IAM Identity Center lives in one region)");
		goto fail;
	}
	/* It goes into every signature and, without an override, a host. */
	if (region_dns_suffix(region) == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "region '%.64s' is not an AWS region", region);
		goto fail;
	}
	a->region = xstrdup(region);
	if ((a->ids_url = awsjson_identitystore.endpoint(a->region, err)) ==
		NULL ||
	    (a->sso_url = awsjson_sso_admin.endpoint(a->region, err)) == NULL)
		goto fail;
	if (o->instance_arn != NULL)
		a->instance_arn = xstrdup(o->instance_arn);
	if (o->identity_store_id != NULL)
		a->store_id = xstrdup(o->identity_store_id);
	memset(&ho, 0, sizeof ho);
	if ((a->http = http_client_new(&ho, err)) == NULL)
		goto fail;
	*out = a;
	return 0;
fail:
	adminapi_close(a);
	return -1;
}

void
adminapi_close(struct admin *a)
{
	if (a == NULL)
		return;
	awscreds_release(&a->creds);
	free(a->region);
	free(a->ids_url);
	free(a->sso_url);
	http_client_free(a->http);
	free(a->instance_arn);
	free(a->store_id);
	free(a);
}

void
adminapi_sigv4(const struct admin *a, const struct awsjson_service *svc,
    struct api_sigv4 *out)
{
	memset(out, 0, sizeof *out);
	out->creds = &a->sv;
	out->region = a->region;
	out->service = svc->signing_name;
}

const char *
adminapi_url(const struct admin *a, const struct awsjson_service *svc)
{
	return svc == &awsjson_identitystore ? a->ids_url : a->sso_url;
}

/* --- errors --- */

int
adminapi_error(const char *op, const char *object, const struct api_error *e,
    struct idc_err *err)
{
	const char *type = e->type != NULL ? e->type : "";
	const char *what = object != NULL ? object : op;
	char msg[200] = "";

	if (e->description != NULL && e->description[0] != '\0')
		snprintf(msg, sizeof msg, ": '%.160s'", e->description);
	if (strcmp(type, "AccessDeniedException") == 0 || e->status == 403) {
		if (strcmp(type, "UnrecognizedClientException") == 0 ||
		    strcmp(type, "InvalidSignatureException") == 0 ||
		    strcmp(type, "ExpiredTokenException") == 0 ||
		    strcmp(type, "InvalidClientTokenId") == 0)
			idc_err_set(err, IDC_EAUTH,
			    "%s: the credentials were refused (%s)%s", op, type,
			    msg);
		else
			idc_err_set(err, IDC_EDENIED,
			    "access denied to %s (%s)%s; these commands need "
			    "an administrator's permission set",
			    what, op, msg);
	} else if (strcmp(type, "ResourceNotFoundException") == 0) {
		idc_err_set(err, IDC_ENOTFOUND, "%s not found%s", what, msg);
	} else if (strcmp(type, "ConflictException") == 0) {
		idc_err_set(err, IDC_EFAIL, "%s: conflict%s", what, msg);
	} else if (strcmp(type, "ValidationException") == 0) {
		idc_err_set(
		    err, IDC_EUSAGE, "the service refused %s%s", what, msg);
	} else if (strcmp(type, "ServiceQuotaExceededException") == 0) {
		idc_err_set(err, IDC_EFAIL, "%s: a service quota is reached%s",
		    what, msg);
	} else {
		api_error_to_err(e, op, err);
		if (object != NULL)
			idc_err_prefix(err, "%s: ", object);
	}
	if (err != NULL)
		err->http_status = e->status;
	return -1;
}

/* --- calls --- */

int
adminapi_call(struct admin *a, const struct awsjson_service *svc,
    const char *op, const cJSON *body, const char *object, cJSON **answer,
    struct idc_err *err)
{
	struct idc_buf resp = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct awsjson_request req;
	struct api_error apierr;
	struct api_sigv4 sv;
	int r = -1;

	memset(&apierr, 0, sizeof apierr);
	awsjson_request_build(svc, op, body, &req);
	adminapi_sigv4(a, svc, &sv);
	req.api.sigv4 = &sv;
	if (apicall_send(a->http, adminapi_url(a, svc), op, &req.api, &resp,
		&apierr, err) == -1) {
		if (apierr.status != 0)
			adminapi_error(op, object, &apierr, err);
		goto out;
	}
	if ((*answer = awsjson_parse(op, resp.data, resp.len, err)) == NULL)
		goto out;
	r = 0;
out:
	api_error_release(&apierr);
	awsjson_request_release(&req);
	idc_buf_release(&resp);
	return r;
}

int
adminapi_pages(struct admin *a, const struct awsjson_service *svc,
    const char *op, cJSON *body, const char *key,
    int (*fn)(const cJSON *item, void *ud, struct idc_err *err), void *ud,
    struct idc_err *err)
{
	return adminapi_pages_of(a, svc, op, body, key, 1, fn, ud, err);
}

int
adminapi_pages_of(struct admin *a, const struct awsjson_service *svc,
    const char *op, cJSON *body, const char *key, int objects,
    int (*fn)(const cJSON *item, void *ud, struct idc_err *err), void *ud,
    struct idc_err *err)
{
	const cJSON *list, *item;
	cJSON *answer = NULL;
	char *token = NULL, *next = NULL;
	int pages, r = -1;

	for (pages = 0;; pages++) {
		if (pages == AWSJSON_MAX_PAGES) {
			idc_err_set(err, IDC_ESERVER,
			    "%s: more than %d pages; the service does not stop "
			    "answering with a NextToken",
			    op, AWSJSON_MAX_PAGES);
			goto out;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(body, "NextToken");
		if (token != NULL)
			cJSON_AddStringToObject(body, "NextToken", token);
		if (adminapi_call(a, svc, op, body, NULL, &answer, err) == -1 ||
		    awsjson_next_token(answer, op, token, &next, err) == -1)
			goto out;
		if (objects) {
			if (awsjson_get_list(answer, op, key, &list, err) == -1)
				goto out;
		} else {
			list = cJSON_GetObjectItemCaseSensitive(answer, key);
			if (list != NULL && !cJSON_IsArray(list)) {
				idc_err_set(err, IDC_ESERVER,
				    "%s: '%s' in the service's answer is not a "
				    "list",
				    op, key);
				goto out;
			}
		}
		cJSON_ArrayForEach(item, list) {
			if (fn(item, ud, err) == -1)
				goto out;
		}
		cJSON_Delete(answer);
		answer = NULL;
		free(token);
		token = next;
		next = NULL;
		if (token == NULL)
			break;
	}
	r = 0;
out:
	cJSON_Delete(answer);
	free(token);
	free(next);
	return r;
}

int
adminapi_str(const cJSON *obj, const char *op, const char *key, int required,
    char **out, struct idc_err *err)
{
	char *p;

	if (awsjson_get_str(
		obj, op, key, required, ADMINAPI_MAX_STR, out, err) == -1)
		return -1;
	for (p = *out; p != NULL && *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return 0;
}

cJSON *
adminapi_user_body(const char *store, const char *user_name,
    const char *display_name, const char *given, const char *family,
    const char *email)
{
	cJSON *body = cJSON_CreateObject(), *name, *emails, *e;

	cJSON_AddStringToObject(body, "IdentityStoreId", store);
	cJSON_AddStringToObject(body, "UserName", user_name);
	cJSON_AddStringToObject(body, "DisplayName", display_name);
	name = cJSON_AddObjectToObject(body, "Name");
	cJSON_AddStringToObject(name, "GivenName", given);
	cJSON_AddStringToObject(name, "FamilyName", family);
	emails = cJSON_AddArrayToObject(body, "Emails");
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "Value", email);
	cJSON_AddStringToObject(e, "Type", "work");
	cJSON_AddBoolToObject(e, "Primary", 1);
	cJSON_AddItemToArray(emails, e);
	return body;
}

/* --- discovery and lookups --- */

int
adminapi_instance(struct admin *a, const char **instance_arn,
    const char **identity_store_id, struct idc_err *err)
{
	const cJSON *list, *first;
	cJSON *answer = NULL;
	char *arn = NULL, *store = NULL;
	int r = -1;

	if (a->instance_arn != NULL &&
	    (a->store_id != NULL || identity_store_id == NULL))
		goto done;
	if (a->store_id != NULL && instance_arn == NULL)
		goto done;
	if (adminapi_call(a, &awsjson_sso_admin, "ListInstances", NULL,
		"the IAM Identity Center instances", &answer, err) == -1 ||
	    awsjson_get_list(
		answer, "ListInstances", "Instances", &list, err) == -1)
		goto out;
	if (list == NULL || cJSON_GetArraySize(list) == 0) {
		idc_err_set(err, IDC_ECONFIG,
		    "no IAM Identity Center instance in region '%s' (give "
		    "--region, or --instance-arn and --identity-store-id)",
		    a->region);
		goto out;
	}
	if (cJSON_GetArraySize(list) > 1 && a->instance_arn == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "%d IAM Identity Center instances in region '%s': choose "
		    "one with --instance-arn",
		    cJSON_GetArraySize(list), a->region);
		goto out;
	}
	cJSON_ArrayForEach(first, list) {
		free(arn);
		free(store);
		arn = store = NULL;
		if (adminapi_str(first, "ListInstances", "InstanceArn", 1, &arn,
			err) == -1 ||
		    adminapi_str(first, "ListInstances", "IdentityStoreId", 1,
			&store, err) == -1)
			goto out;
		if (a->instance_arn == NULL ||
		    strcmp(a->instance_arn, arn) == 0)
			break;
	}
	if (first == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "instance '%s' is not in region '%s'", a->instance_arn,
		    a->region);
		goto out;
	}
	if (a->instance_arn == NULL) {
		a->instance_arn = arn;
		arn = NULL;
	}
	if (a->store_id == NULL) {
		a->store_id = store;
		store = NULL;
	}
	log_debug("admin: instance '%s', identity store '%s'", a->instance_arn,
	    a->store_id);
done:
	if (instance_arn != NULL)
		*instance_arn = a->instance_arn;
	if (identity_store_id != NULL)
		*identity_store_id = a->store_id;
	r = 0;
out:
	free(arn);
	free(store);
	cJSON_Delete(answer);
	return r;
}

/* GetUserId / GetGroupId on a unique attribute. */
static int
adminapi_id_of(struct admin *a, const char *op, const char *path,
    const char *value, const char *kind, char **id, struct idc_err *err)
{
	cJSON *body = NULL, *answer = NULL, *alt, *uniq;
	const char *store;
	char *object = xasprintf("%s '%s'", kind, value);
	int r = -1;

	if (adminapi_instance(a, NULL, &store, err) == -1)
		goto out;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "IdentityStoreId", store);
	alt = cJSON_AddObjectToObject(body, "AlternateIdentifier");
	uniq = cJSON_AddObjectToObject(alt, "UniqueAttribute");
	cJSON_AddStringToObject(uniq, "AttributePath", path);
	cJSON_AddStringToObject(uniq, "AttributeValue", value);
	if (adminapi_call(a, &awsjson_identitystore, op, body, object, &answer,
		err) == -1 ||
	    adminapi_str(answer, op,
		strcmp(kind, "user") == 0 ? "UserId" : "GroupId", 1, id,
		err) == -1)
		goto out;
	r = 0;
out:
	free(object);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

int
adminapi_user_id(
    struct admin *a, const char *user_name, char **id, struct idc_err *err)
{
	return adminapi_id_of(
	    a, "GetUserId", "userName", user_name, "user", id, err);
}

int
adminapi_group_id(
    struct admin *a, const char *group, char **id, struct idc_err *err)
{
	return adminapi_id_of(
	    a, "GetGroupId", "displayName", group, "group", id, err);
}
