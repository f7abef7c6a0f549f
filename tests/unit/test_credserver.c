/*
 * test_credserver.c - what the credential server makes of a request's
 * bytes: complete or not, too large, the request line (HTTP/1.x, GET or
 * HEAD, the path), the Authorization and Host values, keep-alive, a body,
 * and what is refused as malformed (bare LF, NUL, folding, duplicates).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "idc/flow/credserver.h"

static void
parse(const char *text, struct credserver_request *r)
{
	credserver_request_parse(text, strlen(text), r);
}

static void
test_good_requests(void **state)
{
	const char *text = "GET / HTTP/1.1\r\nHost: 127.0.0.1:4000\r\n"
			   "authorization:   tok en  \r\nAccept: */*\r\n\r\n"
			   "GET / HTTP/1.1\r\n";
	struct credserver_request r;

	(void)state;
	parse(text, &r);
	assert_true(r.complete);
	assert_int_equal(r.length, strstr(text, "\r\n\r\n") + 4 - text);
	assert_false(r.bad);
	assert_true(r.method_get);
	assert_false(r.head);
	assert_true(r.path_ok);
	assert_true(r.keep_alive);
	assert_false(r.has_body);
	assert_int_equal(r.auth_len, 6);
	assert_memory_equal(r.auth, "tok en", 6);
	assert_int_equal(r.host_len, 14);
	assert_memory_equal(r.host, "127.0.0.1:4000", 14);

	parse("HEAD /?x=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &r);
	assert_true(
	    r.complete && !r.bad && r.head && r.method_get && r.path_ok);
	assert_false(r.keep_alive); /* HTTP/1.0 */
	assert_null(r.auth);
	parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n"
	      "Content-Length: 0\r\n\r\n",
	    &r);
	assert_false(r.keep_alive);
	assert_false(r.has_body);
	parse("POST /creds HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
	    &r);
	assert_false(r.method_get);
	assert_false(r.path_ok);
	assert_true(r.has_body);
	parse("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
	    &r);
	assert_true(r.has_body);
}

static void
test_incomplete_and_too_large(void **state)
{
	char big[CREDSERVER_MAX_REQUEST + 10];
	struct credserver_request r;

	(void)state;
	parse("GET / HTTP/1.1\r\nHost: h\r\n", &r);
	assert_false(r.complete);
	assert_false(r.too_large);
	memset(big, 'a', sizeof big);
	credserver_request_parse(big, CREDSERVER_MAX_REQUEST - 1, &r);
	assert_false(r.complete || r.too_large);
	credserver_request_parse(big, CREDSERVER_MAX_REQUEST, &r);
	assert_false(r.complete);
	assert_true(r.too_large);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\nHost: h\r\n\r\n",
		"GET / HTTP/2.0\r\nHost: h\r\n\r\n",
		"GET /  HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET\r\nHost: h\r\n\r\n",
		" / HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
		"GET / HTTP/1.1\r\nno colon\r\n\r\n",
		"GET / HTTP/1.1\r\n: empty\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n", /* HTTP/1.1 without Host */
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nAuthorization: a\r\n"
		"Authorization: b\r\n\r\n",
		"\x16\x03\x01\x02\x01\r\n\r\n",
	};
	struct credserver_request r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		parse(bad[i], &r);
		if (!r.complete || !r.bad)
			fail_msg("not refused: %s", bad[i]);
	}
	/* A NUL inside the header section. */
	credserver_request_parse("GET / HTTP/1.1\r\nHost: h\0\r\n\r\n", 28, &r);
	assert_true(r.complete && r.bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_requests),
		cmocka_unit_test(test_incomplete_and_too_large),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
