/*
 * awsjson.h - the AWS JSON 1.1 protocol, sans-I/O: requests for the
 * services that speak it (identitystore, sso-admin) and their answers.
 *
 * A request is `POST /` with `Content-Type: application/x-amz-json-1.1`,
 * `X-Amz-Target: <prefix>.<Operation>` and the input as a JSON object,
 * signed with the service's signing name (apicall.c sends it).  An error
 * answer carries its code in x-amzn-ErrorType or the body's "__type"
 * ("ns#Code" cut as botocore cuts it) and its text in "message" or
 * "Message" (apierror.h).
 *
 * Answers are untrusted: awsjson_parse wants a JSON object, and the
 * getters check every member's type, with IDC_ESERVER (exit 4) and a
 * message naming the operation and the member otherwise.  Pagination is
 * complete and bounded: awsjson_next_token refuses a token that is not a
 * string, is huge, or comes back unchanged, and callers stop after
 * AWSJSON_MAX_PAGES pages.
 */
#ifndef IDC_AWSJSON_H
#define IDC_AWSJSON_H

#include <stddef.h>

#include "idc/net/apierror.h"

struct cJSON;
struct idc_err;

#define AWSJSON_CONTENT_TYPE "application/x-amz-json-1.1"
/* More pages than this is a service that never stops answering. */
#define AWSJSON_MAX_PAGES 2000
/* A NextToken longer than this is not a token. */
#define AWSJSON_MAX_TOKEN 8192

struct awsjson_service {
	const char *name;          /* "identitystore", "sso-admin" */
	const char *target_prefix; /* "AWSIdentityStore" */
	const char *signing_name;  /* "identitystore", "sso" */
	/* The service's URL for a region (endpoints.h). */
	char *(*endpoint)(const char *region, struct idc_err *err);
};

extern const struct awsjson_service awsjson_identitystore;
extern const struct awsjson_service awsjson_sso_admin;

/* One request, ready for apicall_send (set api.sigv4 to sign it). */
struct awsjson_request {
	struct api_request api;
	char target[128];
};

/* Build operation of svc with input body (NULL: {}). */
void awsjson_request_build(const struct awsjson_service *svc,
    const char *operation, const struct cJSON *body,
    struct awsjson_request *out);
void awsjson_request_release(struct awsjson_request *r);

/* The answer of operation: a JSON object (the caller deletes it), or
 * NULL with err set (IDC_ESERVER). */
struct cJSON *awsjson_parse(
    const char *operation, const char *body, size_t len, struct idc_err *err);

/*
 * The member key of answer as an array (NULL when absent: an empty
 * list), or -1 with err set when present but not an array of objects.
 */
int awsjson_get_list(const struct cJSON *answer, const char *operation,
    const char *key, const struct cJSON **out, struct idc_err *err);

/*
 * A string member of obj, copied into *out, NULL when absent.  -1 with err
 * set when present but not a string, longer than max bytes, or (when
 * required) absent or empty.
 */
int awsjson_get_str(const struct cJSON *obj, const char *operation,
    const char *key, int required, size_t max, char **out, struct idc_err *err);

/*
 * The NextToken of answer into *next (allocated; NULL on the last page).
 * -1 with err set when it is not a string, is longer than
 * AWSJSON_MAX_TOKEN, or equals prev (the token of the page asked for).
 */
int awsjson_next_token(const struct cJSON *answer, const char *operation,
    const char *prev, char **next, struct idc_err *err);

#endif
