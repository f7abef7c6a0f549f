/*
 * test_portal.c - access-portal requests as the AWS CLI sends them, pages
 * parsed with their next tokens, credentials with millisecond expiry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "idc/net/apierror.h"
#include "idc/core/err.h"
#include "idc/net/portal.h"

static void
test_requests(void **state)
{
	struct api_request req;

	(void)state;
	portal_accounts_request("tok", NULL, 0, &req);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/assignment/accounts");
	assert_string_equal(req.bearer, "tok");
	assert_null(req.body);
	api_request_release(&req);
	portal_accounts_request("tok", "PAGE2/+=", 50, &req);
	assert_string_equal(req.path,
	    "/assignment/accounts?next_token=PAGE2%2F%2B%3D&max_result=50");
	api_request_release(&req);
	portal_roles_request("tok", "222222222222", NULL, 0, &req);
	assert_string_equal(
	    req.path, "/assignment/roles?account_id=222222222222");
	api_request_release(&req);
	portal_credentials_request("tok", "111111111111", "Read Only&x", &req);
	assert_string_equal(req.path,
	    "/federation/credentials?role_name=Read%20Only%26x&account_id="
	    "111111111111");
	api_request_release(&req);
	portal_logout_request("tok", &req);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.path, "/logout");
	assert_null(req.body);
	api_request_release(&req);
}

static void
test_account_pages(void **state)
{
	const char *p1 = "{\"nextToken\":\"n2\",\"accountList\":["
			 "{\"accountId\":\"111111111111\",\"accountName\":"
			 "\"dev\",\"emailAddress\":\"dev@example.com\"},"
			 "{\"accountId\":\"222222222222\"}]}";
	const char *last = "{\"nextToken\":\"\",\"accountList\":[]}";
	const char *bad = "{\"accountList\":[{\"accountName\":\"x\"}]}";
	struct portal_account_page p;
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(portal_accounts_parse(p1, strlen(p1), &p, &err), 0);
	assert_int_equal(p.count, 2);
	assert_string_equal(p.accounts[0].account_name, "dev");
	assert_string_equal(p.accounts[0].email_address, "dev@example.com");
	assert_null(p.accounts[1].account_name);
	assert_string_equal(p.next_token, "n2");
	portal_account_page_release(&p);
	assert_int_equal(
	    portal_accounts_parse(last, strlen(last), &p, &err), 0);
	assert_int_equal(p.count, 0);
	assert_null(p.next_token);
	portal_account_page_release(&p);
	assert_int_equal(portal_accounts_parse("{}", 2, &p, &err), 0);
	assert_int_equal(p.count, 0);
	portal_account_page_release(&p);
	assert_int_equal(portal_accounts_parse(bad, strlen(bad), &p, &err), -1);
	assert_non_null(strstr(err.msg, "accountId"));
	assert_int_equal(
	    portal_accounts_parse("{\"accountList\":[1]}", 19, &p, &err), -1);
	assert_int_equal(
	    portal_accounts_parse("{\"accountList\":{}}", 18, &p, &err), -1);
}

static void
test_role_page(void **state)
{
	const char *r = "{\"roleList\":[{\"roleName\":\"ReadOnly\","
			"\"accountId\":\"111111111111\"},{\"roleName\":"
			"\"Admin\"}]}";
	struct portal_role_page p;
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(portal_roles_parse(r, strlen(r), &p, &err), 0);
	assert_int_equal(p.count, 2);
	assert_string_equal(p.roles[0].role_name, "ReadOnly");
	assert_null(p.roles[1].account_id);
	portal_role_page_release(&p);
}

static void
test_credentials(void **state)
{
	const char *ok = "{\"roleCredentials\":{\"accessKeyId\":\"ASIA1\","
			 "\"secretAccessKey\":\"sk\",\"sessionToken\":\"st\","
			 "\"expiration\":1764270802000}}";
	const char *bad = "{\"roleCredentials\":{\"accessKeyId\":\"ASIA1\"}}";
	struct portal_credentials c;
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(portal_credentials_parse(ok, strlen(ok), &c, &err), 0);
	assert_string_equal(c.access_key_id, "ASIA1");
	assert_string_equal(c.secret_access_key, "sk");
	assert_string_equal(c.session_token, "st");
	assert_true(c.expiration_ms == 1764270802000LL);
	portal_credentials_release(&c);
	assert_int_equal(
	    portal_credentials_parse(bad, strlen(bad), &c, &err), -1);
	assert_int_equal(portal_credentials_parse("{}", 2, &c, &err), -1);
	assert_non_null(strstr(err.msg, "roleCredentials"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_account_pages),
		cmocka_unit_test(test_role_page),
		cmocka_unit_test(test_credentials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
