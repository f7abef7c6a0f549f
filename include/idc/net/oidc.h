/*
 * oidc.h - the IAM Identity Center OIDC API (service sso-oidc), sans I/O.
 *
 * Builders fill an api_request (apierror.h) with the exact path and JSON body the
 * AWS CLI sends (reference: sso-protocol.md 1.3); parsers turn a 200 body
 * into a struct.  Structs own their strings; release them with the matching
 * *_release, which wipes secrets.  Parsers return 0, or -1 with err set
 * (IDC_ESERVER: the answer lacks a member, has one of the wrong type or
 * shape, or is not JSON).  Every secret a parser returns is registered
 * with log_secret, so no message shows it.
 */
#ifndef IDC_OIDC_H
#define IDC_OIDC_H

#include <stddef.h>
#include <time.h>

struct api_request;
struct idc_err;

#define OIDC_GRANT_DEVICE  "urn:ietf:params:oauth:grant-type:device_code"
#define OIDC_GRANT_REFRESH "refresh_token"
#define OIDC_GRANT_CODE    "authorization_code"
#define OIDC_DEFAULT_SCOPE "sso:account:access"

/* What RegisterClient is asked for. */
struct oidc_register_params {
	const char *client_name;   /* "botocore-client-<session>" */
	const char *const *scopes; /* NULL-terminated, or NULL: none sent */
	int pkce;                  /* 1: authorization_code + refresh_token */
	const char *redirect_uri;  /* PKCE: "http://127.0.0.1/oauth/callback" */
	const char *issuer_url;    /* PKCE: the start URL */
};

struct oidc_registration {
	char *client_id;
	char *client_secret; /* secret */
	time_t expires_at;   /* clientSecretExpiresAt */
};

/* The longest user code taken from StartDeviceAuthorization. */
#define OIDC_USER_CODE_MAX 64

/* verificationUri and verificationUriComplete pass weburl_ok (https, or
 * http to loopback) and userCode is printable ASCII without white space,
 * or oidc_device_parse fails: what is shown or opened is always a web
 * page and a code. */
struct oidc_device_auth {
	char *device_code; /* secret */
	char *user_code;
	char *verification_uri;
	char *verification_uri_complete; /* may be NULL */
	long expires_in;                 /* seconds */
	long interval;                   /* seconds; 5 when absent */
};

struct oidc_token {
	char *access_token;  /* secret */
	char *refresh_token; /* secret, or NULL */
	long expires_in;     /* seconds */
};

void oidc_register_request(
    const struct oidc_register_params *p, struct api_request *req);
int oidc_register_parse(const char *body, size_t len,
    struct oidc_registration *out, struct idc_err *err);
void oidc_registration_release(struct oidc_registration *r);

void oidc_device_request(const char *client_id, const char *client_secret,
    const char *start_url, struct api_request *req);
int oidc_device_parse(const char *body, size_t len,
    struct oidc_device_auth *out, struct idc_err *err);
void oidc_device_auth_release(struct oidc_device_auth *d);

/* CreateToken with the device code, a refresh token, or a PKCE code. */
void oidc_token_device_request(const char *client_id, const char *client_secret,
    const char *device_code, struct api_request *req);
void oidc_token_refresh_request(const char *client_id,
    const char *client_secret, const char *refresh_token,
    struct api_request *req);
void oidc_token_code_request(const char *client_id, const char *client_secret,
    const char *code, const char *redirect_uri, const char *verifier,
    struct api_request *req);
int oidc_token_parse(
    const char *body, size_t len, struct oidc_token *out, struct idc_err *err);
void oidc_token_release(struct oidc_token *t);

/*
 * The /authorize URL of the PKCE flow, with the parameters in the AWS CLI's
 * order and encoding (sso-protocol.md 3.3).  scopes is NULL-terminated
 * (NULL: the default scope).  The caller frees the result; NULL when it
 * would be longer than IDC_BUF_MAX_SMALL.
 */
char *oidc_authorize_url(const char *oidc_base, const char *client_id,
    const char *redirect_uri, const char *state, const char *challenge,
    const char *const *scopes);

#endif
