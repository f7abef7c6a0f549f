/*
 * test_weburl.c - the one rule for URLs that are shown or opened: https
 * (any case), http only to a loopback host when asked, no user info, no
 * option-like or control-carrying string; and the ASCII helpers it is
 * built on, which must ignore the locale and every byte above 0x7f.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "idc/core/ascii.h"
#include "idc/core/weburl.h"

static void
test_accepted(void **state)
{
	static const char *const ok[] = {
		"https://d-1234567890.awsapps.com/start",
		"HTTPS://D-1234567890.AWSAPPS.COM/start#/",
		"HtTpS://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
		"https://127.0.0.1:8443/x",
		"https://[::1]:443/",
		"https://example.com:65535",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(weburl_ok(ok[i], 0), 1);
		assert_int_equal(weburl_ok(ok[i], WEBURL_LOOPBACK_HTTP), 1);
	}
}

static void
test_loopback_http_only_when_asked(void **state)
{
	static const char *const loop[] = {
		"http://127.0.0.1:4711/oauth/callback",
		"HTTP://LocalHost:4711/",
		"http://localhost/",
		"http://[::1]:80/",
		"http://127.255.0.1/",
	};
	static const char *const never[] = {
		"http://example.com/",
		"http://localhost.example.com/",
		"http://localhostx/",
		"http://127.0.0.1.example.com/",
		"http://128.0.0.1/",
		"http://127.0.0.256/",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof loop / sizeof loop[0]; i++) {
		assert_int_equal(weburl_ok(loop[i], 0), 0);
		assert_int_equal(weburl_ok(loop[i], WEBURL_LOOPBACK_HTTP), 1);
	}
	for (i = 0; i < sizeof never / sizeof never[0]; i++)
		assert_int_equal(weburl_ok(never[i], WEBURL_LOOPBACK_HTTP), 0);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"-https://example.com/",
		"--new-window=https://example.com/",
		"javascript:alert(1)",
		"file:///etc/passwd",
		"ftp://example.com/",
		"https:/example.com/",
		"https://",
		"https://user@example.com/",
		"https://exa mple.com/",
		"https://example.com/\x1b]8;;x\x07",
		"https://example.com/\n",
		"https://example.com/\xc3\xa9",
		"https://-example.com/",
		"https://example-.com/",
		"https://example.com:0/",
		"https://example.com:65536/",
		"https://[]/",
		"https://[::1/",
	};
	char big[WEBURL_MAX + 16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(weburl_ok(bad[i], WEBURL_LOOPBACK_HTTP), 0);
	memcpy(big, "https://example.com/", 20);
	memset(big + 20, 'a', sizeof big - 21);
	big[sizeof big - 1] = '\0';
	assert_int_equal(weburl_ok(big, 0), 0);
	big[WEBURL_MAX] = '\0';
	assert_int_equal(weburl_ok(big, 0), 1);
}

static void
test_ascii_helpers(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		assert_int_equal(ascii_isdigit(c), c >= '0' && c <= '9');
		assert_int_equal(ascii_islower(c), c >= 'a' && c <= 'z');
		assert_int_equal(
		    ascii_tolower(c), c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	assert_int_equal(ascii_prefix_icase("HTTPS://x", "https://"), 1);
	assert_int_equal(ascii_prefix_icase("http", "https://"), 0);
	assert_int_equal(ascii_prefix_icase("\xc8TTPS://", "https://"), 0);
	assert_int_equal(ascii_equal_icase("LocalHost", 9, "localhost"), 1);
	assert_int_equal(ascii_equal_icase("localhos", 8, "localhost"), 0);
	assert_int_equal(ascii_equal_icase("localhostx", 10, "localhost"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_loopback_http_only_when_asked),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_ascii_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
