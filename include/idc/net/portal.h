/*
 * portal.h - the IAM Identity Center access-portal API (service sso), sans
 * I/O: ListAccounts, ListAccountRoles, GetRoleCredentials, Logout.
 *
 * Every request carries the access token in x-amz-sso_bearer_token (the
 * builder copies it into api_request.bearer).  Query values are
 * percent-encoded; the AWS CLI sends no max_result, and neither do we unless
 * asked.  Parsers return 0, or -1 with err set (IDC_ESERVER).  Structs own
 * their strings; release them with the matching *_release.
 *
 * The parsers hold the server to what the API promises, since what they
 * return ends up in profile names and values, cache keys and terminals:
 *   accountId     exactly 12 digits
 *   roleName      1 to 64 of A-Z a-z 0-9 + = , . @ _ - (IAM's role names)
 *   accountName   at most PORTAL_NAME_MAX bytes (any text: shown escaped)
 *   emailAddress  at most PORTAL_EMAIL_MAX bytes
 * A listing entry that breaks one of these (or is not an object) is left
 * out of the page and counted in its skipped member, with the reason for
 * the first one, so that the caller can report a partial result.  Role
 * credentials with a key or token that is not printable ASCII, or an
 * expiration that is not a time in epoch milliseconds, are refused whole.
 */
#ifndef IDC_PORTAL_H
#define IDC_PORTAL_H

#include <stddef.h>

struct api_request;
struct idc_err;

#define PORTAL_NAME_MAX  256
#define PORTAL_EMAIL_MAX 254

/* Entries a page left out for breaking the API's promises. */
struct portal_skipped {
	size_t count;
	char first[192]; /* why the first one was, quoting it raw */
};

struct portal_account {
	char *account_id;
	char *account_name;  /* may be NULL */
	char *email_address; /* may be NULL */
};

struct portal_account_page {
	struct portal_account *accounts;
	size_t count;
	char *next_token; /* NULL on the last page */
	struct portal_skipped skipped;
};

struct portal_role {
	char *role_name;
	char *account_id;
};

struct portal_role_page {
	struct portal_role *roles;
	size_t count;
	char *next_token;
	struct portal_skipped skipped;
};

struct portal_credentials {
	char *access_key_id;
	char *secret_access_key; /* secret */
	char *session_token;     /* secret */
	long long expiration_ms; /* epoch milliseconds */
};

/* max_results 0: not sent.  next_token NULL: the first page. */
void portal_accounts_request(const char *token, const char *next_token,
    int max_results, struct api_request *req);
int portal_accounts_parse(const char *body, size_t len,
    struct portal_account_page *out, struct idc_err *err);
void portal_account_page_release(struct portal_account_page *p);

void portal_roles_request(const char *token, const char *account_id,
    const char *next_token, int max_results, struct api_request *req);
int portal_roles_parse(const char *body, size_t len,
    struct portal_role_page *out, struct idc_err *err);
void portal_role_page_release(struct portal_role_page *p);

void portal_credentials_request(const char *token, const char *account_id,
    const char *role_name, struct api_request *req);
int portal_credentials_parse(const char *body, size_t len,
    struct portal_credentials *out, struct idc_err *err);
void portal_credentials_release(struct portal_credentials *c);

void portal_logout_request(const char *token, struct api_request *req);

/* The API's own rules, for callers that check ids from elsewhere too. */
int portal_account_id_ok(const char *s);
int portal_role_name_ok(const char *s);

#endif
