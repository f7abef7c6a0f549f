/*
 * adminapi.h - the session and call machinery of the administration flows
 * (admin.c, admin_import.c): one signed AWS JSON 1.1 call with its errors
 * put in terms of the object it was about, complete bounded pagination,
 * checked strings, and the lookups by name every command needs.
 *
 * Only the admin flows include this (admin.h includes it for struct
 * admin_opts); commands use admin.h.
 */
#ifndef IDC_ADMINAPI_H
#define IDC_ADMINAPI_H

#include <stddef.h>

#include "idc/flow/awscreds.h"
#include "idc/net/apierror.h"
#include "idc/net/sigv4.h"

struct admin_psets;
struct awsjson_service;
struct cJSON;
struct http_client;
struct idc_err;

/* Longest string taken from an answer (names, ids, ARNs, descriptions). */
#define ADMINAPI_MAX_STR 2048

struct admin_opts {
	const char *profile;           /* --profile, or NULL */
	const char *region;            /* --region, or NULL */
	const char *instance_arn;      /* --instance-arn, or NULL: discover */
	const char *identity_store_id; /* --identity-store-id, or NULL */
};

struct admin {
	struct awscreds creds;
	struct sigv4_creds sv; /* points into creds */
	char *region;
	char *ids_url; /* identitystore */
	char *sso_url; /* sso-admin */
	struct http_client *http;
	char *instance_arn;
	char *store_id;
	struct admin_psets *psets; /* described, once listed (admin.c) */
};

/* The session of admin.h's admin_open, and its end (which leaves psets
 * to admin.c). */
int adminapi_open(
    const struct admin_opts *o, struct admin **out, struct idc_err *err);
void adminapi_close(struct admin *a);

/* The instance ARN and identity store id, found with ListInstances the
 * first time one that is not given is asked for (either may be NULL). */
int adminapi_instance(struct admin *a, const char **instance_arn,
    const char **identity_store_id, struct idc_err *err);

/* The signing of svc's requests in a's region, into *out. */
void adminapi_sigv4(const struct admin *a, const struct awsjson_service *svc,
    struct api_sigv4 *out);

/* The base URL of svc. */
const char *adminapi_url(
    const struct admin *a, const struct awsjson_service *svc);

/*
 * Call op of svc with body (NULL: {}); on success *answer is the parsed
 * JSON object (the caller deletes it).  object names what the call is
 * about in messages ("user 'ana'"; NULL: the operation alone).
 */
int adminapi_call(struct admin *a, const struct awsjson_service *svc,
    const char *op, const struct cJSON *body, const char *object,
    struct cJSON **answer, struct idc_err *err);

/*
 * Put an error answer to op in terms of object (see admin.h for the
 * codes).  Always returns -1.
 */
int adminapi_error(const char *op, const char *object,
    const struct api_error *e, struct idc_err *err);

/*
 * Every page of op: body (an object the caller owns) gets each NextToken;
 * fn is called for every item of the list member key.  At most
 * AWSJSON_MAX_PAGES pages; a token that repeats is an error.
 */
int adminapi_pages(struct admin *a, const struct awsjson_service *svc,
    const char *op, struct cJSON *body, const char *key,
    int (*fn)(const struct cJSON *item, void *ud, struct idc_err *err),
    void *ud, struct idc_err *err);

/* The same for a list of any items (strings: ListPermissionSets). */
int adminapi_pages_of(struct admin *a, const struct awsjson_service *svc,
    const char *op, struct cJSON *body, const char *key, int objects,
    int (*fn)(const struct cJSON *item, void *ud, struct idc_err *err),
    void *ud, struct idc_err *err);

/* CreateUser's input (its work e-mail the primary one); the caller
 * deletes it. */
struct cJSON *adminapi_user_body(const char *store, const char *user_name,
    const char *display_name, const char *given, const char *family,
    const char *email);

/* A string member of an answer, checked and made safe for a terminal
 * (control bytes as '?'): allocated, or NULL when absent and not
 * required; -1 from the int form on error. */
int adminapi_str(const struct cJSON *obj, const char *op, const char *key,
    int required, char **out, struct idc_err *err);

/* Ids by name (GetUserId on userName, GetGroupId on displayName);
 * IDC_ENOTFOUND "user 'x' not found". */
int adminapi_user_id(
    struct admin *a, const char *user_name, char **id, struct idc_err *err);
int adminapi_group_id(
    struct admin *a, const char *group, char **id, struct idc_err *err);

#endif
