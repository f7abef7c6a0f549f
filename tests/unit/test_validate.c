/*
 * test_validate.c - what people may type: start URLs, regions (nothing
 * that could move an endpoint to another host), account ids, names and
 * scope lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "idc/core/err.h"
#include "idc/store/validate.h"

static void
test_start_urls(void **state)
{
	static const char *const good[] = {
		"https://d-9067640000.awsapps.com/start",
		"https://d-9067640000.awsapps.com/start/",
		"https://my-company.awsapps.com/start#/",
		"https://start.us-gov-home.awsapps.com/directory/d-1234567890",
		"HTTPS://D-1.AWSAPPS.COM/start",
		"https://127.0.0.1:8443/start",
		"https://[::1]:8443/start",
		"https://localhost",
		"https://example.com?x=1",
	};
	static const char *const bad[] = {
		"",
		"http://d-9067640000.awsapps.com/start",
		"htp://x",
		"d-9067640000.awsapps.com/start",
		"https://",
		"https:///start",
		"https://user@evil.example/start",
		"https://a b.com/start",
		"https://example.com/start path",
		"https://example.com/\n[profile x]",
		"https://-bad.example.com",
		"https://bad-.example.com",
		"https://a..b.com",
		"https://example.com:0/",
		"https://example.com:65536/",
		"https://example.com:/",
		"https://example.com:80x/",
		"https://[]/",
		"https://[::1/",
		"https://ex\xc3\xa4mple.com/",
		"https://example.com/\x1b[31m",
	};
	struct idc_err err = IDC_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (validate_start_url(good[i], &err) != 0)
			fail_msg("refused '%s': %s", good[i], err.msg);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		idc_err_clear(&err);
		if (validate_start_url(bad[i], &err) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(err.code, IDC_EUSAGE);
		assert_non_null(strstr(err.msg, "https URL"));
		/* Control characters never reach the terminal. */
		assert_null(strchr(err.msg, '\n'));
		assert_null(strchr(err.msg, '\x1b'));
	}
}

static void
test_regions(void **state)
{
	static const char *const good[] = { "us-east-1", "eu-west-3",
		"ap-southeast-7", "il-central-1", "mx-central-1",
		"us-gov-west-1", "cn-northwest-1", "eusc-de-east-1",
		"us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1",
		"us-isof-south-1" };
	static const char *const bad[] = { "", "us-east", "useast1",
		"us-east-1.evil.com", "us-east-1/", "evil.com#", "us-east-1 ",
		"zz-east-1", "us--1", "us-east-x", "US-EAST-1", "us-east-1\n",
		"eusc-fr-east-1", "us-ea.st-1" };
	struct idc_err err = IDC_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (validate_region(good[i], "region", &err) != 0)
			fail_msg("refused '%s': %s", good[i], err.msg);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (validate_region(bad[i], "SSO region", &err) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_non_null(strstr(err.msg, "SSO region '"));
	}
}

static void
test_account_ids(void **state)
{
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(validate_account_id("123456789012", &err), 0);
	assert_int_equal(validate_account_id("000000000000", &err), 0);
	assert_int_equal(validate_account_id("12345678901", &err), -1);
	assert_int_equal(validate_account_id("1234567890123", &err), -1);
	assert_int_equal(validate_account_id("12345678901a", &err), -1);
	assert_int_equal(validate_account_id(" 123456789012", &err), -1);
	assert_int_equal(validate_account_id("", &err), -1);
	assert_non_null(strstr(err.msg, "12 digits"));
}

static void
test_names(void **state)
{
	static const char *const good[] = { "corp", "my session", "a'b",
		"caf\xc3\xa9", "x\"y", "[x", "Admin-111122223333", "a#b", "a;b",
		"a=b" };
	static const char *const bad[] = { "", " ", "\t", "\xc2\xa0", " lead",
		"trail ", "a]b", "two\nlines", "cr\r", "tab\tin", "bell\a",
		"\xff", "trail\xe3\x80\x80" };
	struct idc_err err = IDC_ERR_INIT;
	char big[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (validate_name(good[i], "profile name", &err) != 0)
			fail_msg("refused '%s': %s", good[i], err.msg);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (validate_name(bad[i], "sso-session name", &err) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(err.code, IDC_EUSAGE);
		assert_non_null(strstr(err.msg, "sso-session name"));
	}
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(validate_name(big, "name", &err), -1);
}

static void
test_scopes(void **state)
{
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(validate_scopes("sso:account:access", &err), 0);
	assert_int_equal(validate_scopes("sso:account:access, "
					 "codewhisperer:completions",
			     &err),
	    0);
	assert_int_equal(validate_scopes(" a ,, b ,", &err), 0);
	assert_int_equal(validate_scopes("a b", &err), -1);
	assert_non_null(strstr(err.msg, "separated by commas"));
	assert_int_equal(validate_scopes("a, b c", &err), -1);
	assert_int_equal(validate_scopes("", &err), -1);
	assert_int_equal(validate_scopes(" , ,", &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(validate_scopes("a\nb", &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_urls),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_account_ids),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_scopes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
