/*
 * test_url.c - the one percent-encoder and decoder (core/url.h): only
 * unreserved characters kept, UTF-8 byte by byte, queries after a
 * fragment, a full buffer left as it was, and query values decoded from a
 * browser's redirect, hostile ones included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/url.h"

static void
test_encode_keeps_unreserved_only(void **state)
{
	static const char *const vectors[][2] = {
		{ "", "" },
		{ "AZaz09-_.~", "AZaz09-_.~" },
		{ "a b", "a%20b" },
		{ "a/b?c=d&e#f", "a%2Fb%3Fc%3Dd%26e%23f" },
		{ "+%:@!*'()", "%2B%25%3A%40%21%2A%27%28%29" },
		{ "\xc3\xa9t\xc3\xa9", "%C3%A9t%C3%A9" },
		{ "\x01\x7f\xff", "%01%7F%FF" },
	};
	struct idc_buf b = IDC_BUF_INIT(1024);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		idc_buf_reset(&b);
		assert_int_equal(url_encode(&b, vectors[i][0]), 0);
		assert_string_equal(idc_buf_cstr(&b), vectors[i][1]);
	}
	idc_buf_release(&b);
}

static void
test_queries(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(1024);

	(void)state;
	assert_int_equal(idc_buf_addstr(&b, "https://h/p"), 0);
	assert_int_equal(url_add_query(&b, "a", "1 2"), 0);
	assert_int_equal(url_add_query(&b, "b", "x&y"), 0);
	assert_string_equal(idc_buf_cstr(&b), "https://h/p?a=1%202&b=x%26y");
	/* A fragment has a query of its own. */
	idc_buf_reset(&b);
	assert_int_equal(idc_buf_addstr(&b, "https://h/s?q=1/#/console"), 0);
	assert_int_equal(url_add_query(&b, "account_id", "1"), 0);
	assert_int_equal(url_add_query(&b, "role_name", "R"), 0);
	assert_string_equal(idc_buf_cstr(&b),
	    "https://h/s?q=1/#/console?account_id=1&role_name=R");
	idc_buf_release(&b);
}

static void
test_full_buffer_is_left_as_it_was(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(10);

	(void)state;
	assert_int_equal(idc_buf_addstr(&b, "/p"), 0);
	assert_int_equal(url_add_query(&b, "a", "b"), 0);
	/* "?a=b&c=" fits, the encoded value does not: nothing is kept. */
	assert_int_equal(url_add_query(&b, "c", "\xff\xff"), -1);
	assert_string_equal(idc_buf_cstr(&b), "/p?a=b");
	assert_int_equal(url_encode(&b, "\xff\xff"), -1);
	assert_string_equal(idc_buf_cstr(&b), "/p?a=b");
	idc_buf_release(&b);
}

static void
test_query_values(void **state)
{
	char *v;

	(void)state;
	v = url_query_value("code=a%2Bb+c&state=s", "code", 100);
	assert_string_equal(v, "a+b c");
	free(v);
	v = url_query_value("/oauth/callback?x=1", "x", 100);
	assert_null(v); /* the name must start the item */
	v = url_query_value("xcode=1&code=2 HTTP/1.1", "code", 100);
	assert_string_equal(v, "2");
	free(v);
	v = url_query_value("code=1#frag&state=2", "state", 100);
	assert_null(v);
	v = url_query_value("error=%ZZ%4", "error", 100);
	assert_string_equal(v, "%ZZ%4");
	free(v);
	v = url_query_value("code=%00x", "code", 100);
	assert_int_equal(v[0], '\0');
	free(v);
	/* Longer than max: none, not a cut one. */
	v = url_query_value("code=123456789", "code", 4);
	assert_null(v);
	v = url_query_value("", "code", 100);
	assert_null(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_keeps_unreserved_only),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_full_buffer_is_left_as_it_was),
		cmocka_unit_test(test_query_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
