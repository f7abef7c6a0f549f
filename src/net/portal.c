/*
 * portal.c - access-portal requests and answers, without I/O (portal.h).
 */
#include "idc/net/portal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/net/apierror.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/safetext.h"
#include "idc/core/url.h"
#include "idc/core/xmalloc.h"

/* The GET request of path; bad: the path did not fit, and the request
 * has none (apicall_send refuses it). */
static void
portal_get(
    struct api_request *req, const char *token, struct idc_buf *path, int bad)
{
	memset(req, 0, sizeof *req);
	req->method = "GET";
	if (bad)
		idc_buf_release(path);
	else
		req->path = idc_buf_detach(path, NULL);
	req->bearer = xstrdup(token);
}

static int
portal_paging(struct idc_buf *path, const char *next_token, int max_results)
{
	char num[16];
	int bad = 0;

	if (next_token != NULL)
		bad |= url_add_query(path, "next_token", next_token);
	if (max_results > 0) {
		snprintf(num, sizeof num, "%d", max_results);
		bad |= url_add_query(path, "max_result", num);
	}
	return bad;
}

void
portal_accounts_request(const char *token, const char *next_token,
    int max_results, struct api_request *req)
{
	struct idc_buf path = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	int bad = 0;

	bad |= idc_buf_addstr(&path, "/assignment/accounts");
	bad |= portal_paging(&path, next_token, max_results);
	portal_get(req, token, &path, bad);
}

void
portal_roles_request(const char *token, const char *account_id,
    const char *next_token, int max_results, struct api_request *req)
{
	struct idc_buf path = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	int bad = 0;

	bad |= idc_buf_addstr(&path, "/assignment/roles");
	bad |= url_add_query(&path, "account_id", account_id);
	bad |= portal_paging(&path, next_token, max_results);
	portal_get(req, token, &path, bad);
}

void
portal_credentials_request(const char *token, const char *account_id,
    const char *role_name, struct api_request *req)
{
	struct idc_buf path = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	int bad = 0;

	bad |= idc_buf_addstr(&path, "/federation/credentials");
	bad |= url_add_query(&path, "role_name", role_name);
	bad |= url_add_query(&path, "account_id", account_id);
	portal_get(req, token, &path, bad);
}

void
portal_logout_request(const char *token, struct api_request *req)
{
	memset(req, 0, sizeof *req);
	req->method = "POST";
	req->path = xstrdup("/logout");
	req->bearer = xstrdup(token);
}

/* The list member of a page: *arr is NULL when it is missing (an empty
 * page); a member that is not an array is an error. */
static int
portal_list(const cJSON *obj, const char *key, const cJSON **arr,
    const char *what, struct idc_err *err)
{
	*arr = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (*arr != NULL && !cJSON_IsArray(*arr))
		return idc_err_set(
		    err, IDC_ESERVER, "%s: '%s' is not a list", what, key);
	return 0;
}

int
portal_account_id_ok(const char *s)
{
	size_t n;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		;
	return n == 12 && s[n] == '\0';
}

int
portal_role_name_ok(const char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'A' && s[n] <= 'Z') ||
			(s[n] >= 'a' && s[n] <= 'z') ||
			(s[n] >= '0' && s[n] <= '9') ||
			strchr("+=,.@_-", s[n]) != NULL))
			return 0;
	return n >= 1 && n <= 64;
}

/* Leave an entry out, remembering why the first one was. */
static void portal_skip(struct portal_skipped *sk, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
portal_skip(struct portal_skipped *sk, const char *fmt, ...)
{
	va_list ap;

	if (sk->count++ > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sk->first, sizeof sk->first, fmt, ap);
	va_end(ap);
}

/* A string member that is missing, or a string of at most max bytes:
 * 0 with *out set (NULL when missing or not a string), -1 when too long. */
static int
portal_opt_str(const cJSON *item, const char *key, size_t max, char **out)
{
	*out = json_dup_opt_str(item, key);
	if (*out != NULL && strlen(*out) > max) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* One accountList entry into a (which is zeroed); 0, or -1 (skipped). */
static int
portal_account_entry(
    const cJSON *item, struct portal_account *a, struct portal_skipped *sk)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "accountId");

	if (!cJSON_IsObject(item)) {
		portal_skip(sk, "an entry that is not an object");
		return -1;
	}
	if (!cJSON_IsString(id) || !portal_account_id_ok(id->valuestring)) {
		portal_skip(sk, "account id '%.80s' is not 12 digits",
		    cJSON_IsString(id) ? id->valuestring : "");
		return -1;
	}
	if (portal_opt_str(
		item, "accountName", PORTAL_NAME_MAX, &a->account_name) == -1 ||
	    portal_opt_str(item, "emailAddress", PORTAL_EMAIL_MAX,
		&a->email_address) == -1) {
		portal_skip(sk,
		    "account '%s' has a name or e-mail address "
		    "over %d bytes",
		    id->valuestring, PORTAL_NAME_MAX);
		free(a->account_name);
		a->account_name = NULL;
		return -1;
	}
	a->account_id = xstrdup(id->valuestring);
	return 0;
}

/* One roleList entry into r (which is zeroed); 0, or -1 (skipped). */
static int
portal_role_entry(
    const cJSON *item, struct portal_role *r, struct portal_skipped *sk)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "roleName");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "accountId");

	if (!cJSON_IsObject(item)) {
		portal_skip(sk, "an entry that is not an object");
		return -1;
	}
	if (!cJSON_IsString(name) || !portal_role_name_ok(name->valuestring)) {
		portal_skip(sk,
		    "role name '%.80s' is not 1 to 64 letters, digits and "
		    "+=,.@_-",
		    cJSON_IsString(name) ? name->valuestring : "");
		return -1;
	}
	if (id != NULL &&
	    (!cJSON_IsString(id) || !portal_account_id_ok(id->valuestring))) {
		portal_skip(sk,
		    "role '%s' has an account id '%.80s' that is "
		    "not 12 digits",
		    name->valuestring,
		    cJSON_IsString(id) ? id->valuestring : "");
		return -1;
	}
	r->role_name = xstrdup(name->valuestring);
	r->account_id = id != NULL ? xstrdup(id->valuestring) : NULL;
	return 0;
}

static char *
portal_next_token(const cJSON *obj)
{
	char *t = json_dup_opt_str(obj, "nextToken");

	if (t != NULL && t[0] == '\0') {
		free(t);
		t = NULL;
	}
	return t;
}

int
portal_accounts_parse(const char *body, size_t len,
    struct portal_account_page *out, struct idc_err *err)
{
	static const char what[] = "ListAccounts answer";
	struct portal_account_page p = { 0 };
	const cJSON *arr, *item;
	cJSON *obj;
	int ret = -1;

	if ((obj = json_parse_object(body, len, what, err)) == NULL)
		return -1;
	if (portal_list(obj, "accountList", &arr, what, err) == -1)
		goto out;
	if (arr != NULL)
		p.accounts = xcalloc(
		    (size_t)cJSON_GetArraySize(arr) + 1, sizeof p.accounts[0]);
	cJSON_ArrayForEach(item, arr) {
		if (portal_account_entry(
			item, &p.accounts[p.count], &p.skipped) == 0)
			p.count++;
	}
	p.next_token = portal_next_token(obj);
	*out = p;
	memset(&p, 0, sizeof p);
	ret = 0;
out:
	portal_account_page_release(&p);
	cJSON_Delete(obj);
	return ret;
}

void
portal_account_page_release(struct portal_account_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; p->accounts != NULL && i <= p->count; i++) {
		free(p->accounts[i].account_id);
		free(p->accounts[i].account_name);
		free(p->accounts[i].email_address);
	}
	free(p->accounts);
	free(p->next_token);
	memset(p, 0, sizeof *p);
}

int
portal_roles_parse(const char *body, size_t len, struct portal_role_page *out,
    struct idc_err *err)
{
	static const char what[] = "ListAccountRoles answer";
	struct portal_role_page p = { 0 };
	const cJSON *arr, *item;
	cJSON *obj;
	int ret = -1;

	if ((obj = json_parse_object(body, len, what, err)) == NULL)
		return -1;
	if (portal_list(obj, "roleList", &arr, what, err) == -1)
		goto out;
	if (arr != NULL)
		p.roles = xcalloc(
		    (size_t)cJSON_GetArraySize(arr) + 1, sizeof p.roles[0]);
	cJSON_ArrayForEach(item, arr) {
		if (portal_role_entry(item, &p.roles[p.count], &p.skipped) == 0)
			p.count++;
	}
	p.next_token = portal_next_token(obj);
	*out = p;
	memset(&p, 0, sizeof p);
	ret = 0;
out:
	portal_role_page_release(&p);
	cJSON_Delete(obj);
	return ret;
}

void
portal_role_page_release(struct portal_role_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; p->roles != NULL && i <= p->count; i++) {
		free(p->roles[i].role_name);
		free(p->roles[i].account_id);
	}
	free(p->roles);
	free(p->next_token);
	memset(p, 0, sizeof *p);
}

/* 1973-03-03 in epoch milliseconds: an expiration below it is in
 * seconds, negative or zero, never a real one. */
#define PORTAL_EXPIRATION_MIN_MS 100000000000LL

int
portal_credentials_parse(const char *body, size_t len,
    struct portal_credentials *out, struct idc_err *err)
{
	static const char what[] = "GetRoleCredentials answer";
	struct portal_credentials c;
	const cJSON *rc;
	cJSON *obj;
	int ret = -1;

	memset(&c, 0, sizeof c);
	if ((obj = json_parse_object(body, len, what, err)) == NULL)
		return -1;
	rc = cJSON_GetObjectItemCaseSensitive(obj, "roleCredentials");
	if (!cJSON_IsObject(rc)) {
		idc_err_set(
		    err, IDC_ESERVER, "%s has no 'roleCredentials'", what);
		goto out;
	}
	if ((c.access_key_id = json_dup_str(rc, "accessKeyId", what, err)) ==
		NULL ||
	    (c.secret_access_key =
		    json_dup_str(rc, "secretAccessKey", what, err)) == NULL ||
	    (c.session_token = json_dup_str(rc, "sessionToken", what, err)) ==
		NULL ||
	    json_get_int(rc, "expiration", &c.expiration_ms, what, err) == -1)
		goto out;
	if (!safetext_is_token(c.access_key_id, 128) ||
	    !safetext_is_token(c.secret_access_key, 1024) ||
	    !safetext_is_token(c.session_token, 16384)) {
		/* Never quoted: these are secrets. */
		idc_err_set(err, IDC_ESERVER,
		    "%s has an access key, secret key or session token that "
		    "is not printable text on one line",
		    what);
		goto out;
	}
	if (c.expiration_ms < PORTAL_EXPIRATION_MIN_MS) {
		idc_err_set(err, IDC_ESERVER,
		    "%s: 'expiration' %lld is not a time in epoch "
		    "milliseconds",
		    what, c.expiration_ms);
		goto out;
	}
	log_secret(c.secret_access_key);
	log_secret(c.session_token);
	*out = c;
	memset(&c, 0, sizeof c);
	ret = 0;
out:
	portal_credentials_release(&c);
	json_free_secret(obj);
	return ret;
}

void
portal_credentials_release(struct portal_credentials *c)
{
	if (c == NULL)
		return;
	free(c->access_key_id);
	secret_free(c->secret_access_key);
	secret_free(c->session_token);
	memset(c, 0, sizeof *c);
}
