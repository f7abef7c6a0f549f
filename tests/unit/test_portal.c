/*
 * test_portal.c - access-portal requests as the AWS CLI sends them, pages
 * parsed with their next tokens, credentials with millisecond expiry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "idc/core/buf.h"
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
	/* Entries that break the API's promise are left out and counted. */
	assert_int_equal(portal_accounts_parse(bad, strlen(bad), &p, &err), 0);
	assert_int_equal(p.count, 0);
	assert_int_equal(p.skipped.count, 1);
	assert_string_equal(p.skipped.first, "account id '' is not 12 digits");
	portal_account_page_release(&p);
	assert_int_equal(
	    portal_accounts_parse("{\"accountList\":[1]}", 19, &p, &err), 0);
	assert_int_equal(p.skipped.count, 1);
	assert_string_equal(p.skipped.first, "an entry that is not an object");
	portal_account_page_release(&p);
	assert_int_equal(
	    portal_accounts_parse("{\"accountList\":{}}", 18, &p, &err), -1);
	assert_string_equal(
	    err.msg, "ListAccounts answer: 'accountList' is not a list");
}

/* Ids and names as a hostile server could send them: each bad entry is
 * skipped and counted, the good ones around it are kept. */
static void
test_hostile_entries_are_skipped(void **state)
{
	static const char *const bad_ids[] = {
		"1234567890123456789012345678901234567890",
		"../../tmp/x",
		"12345678901",
		"1234567890123",
		" 123456789012",
		"123456789012\\n",
		"12345678901a",
		"\\u0661\\u0662",
		"",
	};
	static const char *const bad_roles[] = {
		"Read\\nOnly",
		" ReadOnly",
		"Read Only",
		"Read\\u001b[2J",
		"Read\\u007fOnly",
		"a/b",
		"Rôle",
		"",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct portal_account_page ap;
	struct portal_role_page rp;
	struct idc_err err = IDC_ERR_INIT;
	size_t i;

	(void)state;
	idc_buf_putstr(
	    &b, "{\"accountList\":[{\"accountId\":\"111111111111\"}");
	for (i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++)
		idc_buf_putf(&b, ",{\"accountId\":\"%s\"}", bad_ids[i]);
	idc_buf_putstr(&b, ",{\"accountId\":123456789012}");
	idc_buf_putf(&b,
	    ",{\"accountId\":\"333333333333\",\"emailAddress\":"
	    "\"%0300d\"}",
	    0);
	idc_buf_putstr(&b,
	    ",{\"accountId\":\"222222222222\",\"accountName\":"
	    "\"ok \\u001b[31m\"}]}");
	assert_int_equal(portal_accounts_parse(b.data, b.len, &ap, &err), 0);
	assert_int_equal(ap.count, 2);
	assert_string_equal(ap.accounts[0].account_id, "111111111111");
	assert_string_equal(ap.accounts[1].account_id, "222222222222");
	/* A name is any text: kept exactly, escaped where it is shown. */
	assert_string_equal(ap.accounts[1].account_name, "ok \x1b[31m");
	assert_int_equal(
	    ap.skipped.count, sizeof bad_ids / sizeof bad_ids[0] + 2);
	assert_non_null(strstr(ap.skipped.first, "'1234567890123456789"));
	portal_account_page_release(&ap);

	idc_buf_reset(&b);
	idc_buf_putstr(&b, "{\"roleList\":[{\"roleName\":\"Admin+=,.@_-1\"}");
	for (i = 0; i < sizeof bad_roles / sizeof bad_roles[0]; i++)
		idc_buf_putf(&b, ",{\"roleName\":\"%s\"}", bad_roles[i]);
	idc_buf_putstr(&b, ",{\"roleName\":\"R\",\"accountId\":\"../x\"}");
	idc_buf_putstr(&b, ",{\"roleName\":7},{\"roleName\":\"Last\"}]}");
	assert_int_equal(portal_roles_parse(b.data, b.len, &rp, &err), 0);
	assert_int_equal(rp.count, 2);
	assert_string_equal(rp.roles[0].role_name, "Admin+=,.@_-1");
	assert_string_equal(rp.roles[1].role_name, "Last");
	assert_int_equal(
	    rp.skipped.count, sizeof bad_roles / sizeof bad_roles[0] + 2);
	assert_string_equal(rp.skipped.first,
	    "role name 'Read\nOnly' is not 1 to 64 letters, digits and "
	    "+=,.@_-");
	portal_role_page_release(&rp);
	idc_buf_release(&b);
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

/* Credentials that would break an environment variable, a shell line or
 * the credentials file, and expirations that are not epoch milliseconds,
 * are refused whole, and the message never quotes a secret. */
static void
test_hostile_credentials_are_refused(void **state)
{
	static const struct {
		const char *ak, *sk, *st;
		const char *exp;
	} cases[] = {
		{ "ASIA1", "s\\nk", "st", "1764270802000" },
		{ "ASIA1", "sk", "st\\r\\n[x]", "1764270802000" },
		{ "AS IA", "sk", "st", "1764270802000" },
		{ "ASIA1", "sk\\u001b]0;x\\u0007", "st", "1764270802000" },
		{ "ASIA1", "sk", "s\\u00e9t", "1764270802000" },
		{ "ASIA1", "sk", "st", "1764270802" },
		{ "ASIA1", "sk", "st", "-1" },
		{ "ASIA1", "sk", "st", "0" },
	};
	struct portal_credentials c;
	struct idc_err err;
	char body[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(body, sizeof body,
		    "{\"roleCredentials\":{\"accessKeyId\":\"%s\","
		    "\"secretAccessKey\":\"%s\",\"sessionToken\":\"%s\","
		    "\"expiration\":%s}}",
		    cases[i].ak, cases[i].sk, cases[i].st, cases[i].exp);
		idc_err_clear(&err);
		if (portal_credentials_parse(body, strlen(body), &c, &err) !=
		    -1)
			fail_msg("case %zu was taken", i);
		assert_int_equal(err.code, IDC_ESERVER);
		assert_null(strstr(err.msg, "sk"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_account_pages),
		cmocka_unit_test(test_role_page),
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_hostile_entries_are_skipped),
		cmocka_unit_test(test_hostile_credentials_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
