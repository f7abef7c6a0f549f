/*
 * portal.h - the IAM Identity Center access-portal API (service sso), sans
 * I/O: ListAccounts, ListAccountRoles, GetRoleCredentials, Logout.
 *
 * Every request carries the access token in x-amz-sso_bearer_token (the
 * builder copies it into api_request.bearer).  Query values are
 * percent-encoded; the AWS CLI sends no max_result, and neither do we unless
 * asked.  Parsers return 0, or -1 with err set (IDC_ESERVER).  Structs own
 * their strings; release them with the matching *_release.
 */
#ifndef IDC_PORTAL_H
#define IDC_PORTAL_H

#include <stddef.h>

struct api_request;
struct idc_err;

struct portal_account {
	char *account_id;
	char *account_name;  /* may be NULL */
	char *email_address; /* may be NULL */
};

struct portal_account_page {
	struct portal_account *accounts;
	size_t count;
	char *next_token; /* NULL on the last page */
};

struct portal_role {
	char *role_name;
	char *account_id;
};

struct portal_role_page {
	struct portal_role *roles;
	size_t count;
	char *next_token;
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

#endif
