/*
 * awsquery.h - the AWS query protocol as AWS STS speaks it, without I/O:
 * the form-encoded POST body of an action, and the XML answers of
 * AssumeRole, GetCallerIdentity and ErrorResponse (through xml.h).
 *
 * A request is `Action=A&Version=2011-06-15&Name=value...`, every name and
 * value percent-encoded with only RFC 3986's unreserved characters kept,
 * sent as application/x-www-form-urlencoded; charset=utf-8 and signed
 * with SigV4 by the caller.
 *
 * Every value read from an answer is checked at the parser: credentials
 * and identifiers hold printable ASCII only (access key ids letters and
 * digits), an account id is 12 digits, an ARN starts with "arn:", and an
 * expiry is an ISO 8601 time; anything else fails with IDC_ESERVER, as
 * does XML that is not the expected document (xml.h: no DTD, no entities,
 * bounded size and depth, an element that must appear once appearing
 * twice).  Secrets (the secret access key and session token) are
 * registered with log_secret by the parser and wiped when released.
 *
 * STS error codes and the exit statuses they map to (idc(1)):
 *   AccessDenied, and any other 403                       6 (IDC_EDENIED)
 *   ExpiredToken, InvalidClientTokenId, SignatureDoesNotMatch,
 *   UnrecognizedClient, IncompleteSignature, InvalidToken,
 *   and any other 401: the caller's credentials refused   3 (IDC_EAUTH)
 *   RegionDisabledException: STS is not enabled in the region for the
 *   account, which only the account's administrator or another region
 *   (region, AWS_ENDPOINT_URL_STS) fixes                  5 (IDC_ECONFIG)
 *   ValidationError, MalformedPolicyDocument, PackedPolicyTooLarge,
 *   InvalidParameterValue, InvalidAction: what the profile asks for
 *   (role_arn, duration_seconds, external_id, ...)        5 (IDC_ECONFIG)
 *   Throttling and its kin, InternalFailure, ServiceUnavailable, 5xx,
 *   anything else                                          4 (IDC_ESERVER)
 * Throttling comes back as HTTP 400 in this protocol: the caller retries it
 * by its code (flow/sts.c, with apicall's botocore rules), then reports it
 * with this mapping.
 */
#ifndef IDC_AWSQUERY_H
#define IDC_AWSQUERY_H

#include <stddef.h>
#include <time.h>

struct idc_err;

#define AWSQUERY_STS_VERSION  "2011-06-15"
#define AWSQUERY_CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

struct awsquery_param {
	const char *name;
	const char *value; /* NULL: the parameter is left out */
};

/*
 * name=value pairs joined by '&', percent-encoded (url.h), in the order
 * given; NULL when that would pass a megabyte.  Values may be secrets:
 * free the result with secret_free.
 */
char *awsquery_form(const struct awsquery_param *params, size_t n);

/* The body of action: Action, Version (AWSQUERY_STS_VERSION), then
 * params as awsquery_form (NULL as it).  Free with secret_free. */
char *awsquery_body(
    const char *action, const struct awsquery_param *params, size_t n);

/* An AssumeRole answer. */
struct awsquery_assumed {
	char *access_key_id;
	char *secret_access_key; /* secret */
	char *session_token;     /* secret */
	time_t expiration;
	char *arn;             /* AssumedRoleUser/Arn */
	char *assumed_role_id; /* AssumedRoleUser/AssumedRoleId */
	char *source_identity; /* or NULL */
};

int awsquery_assume_role_parse(const char *body, size_t len,
    struct awsquery_assumed *out, struct idc_err *err);
void awsquery_assumed_release(struct awsquery_assumed *a);

/* A GetCallerIdentity answer. */
struct awsquery_identity {
	char *account; /* 12 digits */
	char *arn;
	char *user_id;
};

int awsquery_caller_identity_parse(const char *body, size_t len,
    struct awsquery_identity *out, struct idc_err *err);
void awsquery_identity_release(struct awsquery_identity *id);

/* An error answer.  Fields are NULL when the body does not carry them. */
struct awsquery_error {
	long status;
	char *code;       /* "AccessDenied" */
	char *message;    /* made safe for a terminal, at most 200 bytes */
	char *request_id; /* RequestId */
};

/* Read an ErrorResponse (or, from a front that is not STS, anything).
 * Never fails: a body that is not an ErrorResponse leaves code NULL. */
void awsquery_error_parse(
    long status, const char *body, size_t len, struct awsquery_error *out);
void awsquery_error_release(struct awsquery_error *e);

/* Describe e in err for operation ("AssumeRole"), with the code of the
 * table above.  Returns -1. */
int awsquery_error_to_err(
    const struct awsquery_error *e, const char *operation, struct idc_err *err);

#endif
