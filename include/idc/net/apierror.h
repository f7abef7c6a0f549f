/*
 * apierror.h - what the sans-I/O API modules (oidc.c, portal.c) produce and
 * consume: a request to send and an error answer to classify.
 *
 * These modules never do I/O.  A flow turns an api_request into an HTTP
 * request against the service's base URL (endpoints.h), performs it
 * (http.h), and hands the status and body back to a *_parse function, or to
 * api_error_parse when the status is not 200.
 */
#ifndef IDC_APIERROR_H
#define IDC_APIERROR_H

#include <stddef.h>
#include <time.h>

struct idc_err;

struct sigv4_creds;

/* How apicall.c signs a request (SigV4); the pointers are the caller's. */
struct api_sigv4 {
	const struct sigv4_creds *creds;
	const char *region;  /* of the credential scope */
	const char *service; /* signing name: "sso", "identitystore", "sts" */
	time_t when;         /* signing time; 0: now */
};

struct api_request {
	const char *method; /* "GET" or "POST" (static) */
	char *path;         /* "/token", "/assignment/roles?account_id=1" */
	char *body;         /* JSON body or NULL; may hold secrets */
	char *bearer;       /* x-amz-sso_bearer_token value or NULL (secret) */
	const char *content_type; /* NULL: application/json (with a body) */
	const char *target;       /* X-Amz-Target (AWS JSON 1.1), or NULL */
	const struct api_sigv4 *sigv4; /* sign the request, or NULL */
};

/* Free (and wipe) what a request holds; NULL and zeroed are fine. */
void api_request_release(struct api_request *req);

/* An error answer, classified as botocore does. */
struct api_error {
	long status;
	char *type;        /* "AuthorizationPendingException", or NULL */
	char *error;       /* OIDC "error" member ("slow_down"), or NULL */
	char *description; /* "error_description" or "message", or NULL */
};

/*
 * Classify an error answer: the type comes from the x-amzn-ErrorType header
 * (cut at ':' and after the last '#'), else the body's "__type", "code" or
 * "Code".  Never fails: unknown answers leave type NULL.  Release with
 * api_error_release.
 */
void api_error_parse(long status, const char *error_type_header,
    const char *body, size_t len, struct api_error *out);
void api_error_release(struct api_error *e);

/* 1 if e is the modelled exception named type (e.g. "SlowDownException"),
 * also matching the OIDC error code when the type is missing. */
int api_error_is(const struct api_error *e, const char *type);

/*
 * Describe e in err for operation ("CreateToken"), choosing the code:
 * sign-in needed (Unauthorized, InvalidGrant, ExpiredToken, InvalidClient)
 * IDC_EAUTH; AccessDenied / Forbidden IDC_EDENIED; throttling and 5xx
 * IDC_ESERVER; anything else IDC_ESERVER.  The server's description is
 * quoted, cut to a sane length.  Returns -1.
 */
int api_error_to_err(
    const struct api_error *e, const char *operation, struct idc_err *err);

#endif
