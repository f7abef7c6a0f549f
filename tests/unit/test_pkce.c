/*
 * test_pkce.c - PKCE against RFC 7636 appendix B, verifier alphabet and
 * length, UUID shape, and the SHA-1 names of the AWS CLI's cache files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/net/pkce.h"
#include "idc/core/xmalloc.h"

static void
test_rfc7636_appendix_b(void **state)
{
	char *c =
	    pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", NULL);

	(void)state;
	assert_string_equal(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	free(c);
}

static void
test_verifier_is_64_unreserved_and_random(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	char *a = pkce_verifier(&err), *b = pkce_verifier(&err), *c;

	(void)state;
	assert_non_null(a);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a,
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
			     "qrstuvwxyz0123456789-._~"),
	    64);
	assert_string_not_equal(a, b);
	c = pkce_challenge(a, &err);
	assert_int_equal(strlen(c), 43);
	assert_null(strpbrk(c, "+/="));
	free(c);
	secret_free(a);
	secret_free(b);
}

static void
test_uuid4_shape(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	char *u = pkce_uuid4(&err);

	(void)state;
	assert_int_equal(strlen(u), 36);
	assert_int_equal(u[8], '-');
	assert_int_equal(u[14], '4');
	assert_non_null(strchr("89ab", u[19]));
	free(u);
}

static void
test_libcrypto_is_loaded_only_when_needed(void **state)
{
	(void)state;
	/* Runs first: nothing above needed OpenSSL yet. */
	assert_int_equal(pkce_loaded(), 0);
}

/* The browser's redirect: only a GET of the callback path with a state
 * is an answer; values are decoded; a paste needs only the query. */
static void
test_callback_parse(void **state)
{
	static const struct {
		const char *text;
		int pasted, want;
		const char *code, *st, *error;
	} cases[] = {
		{ "GET /oauth/callback?code=c%2B1&state=s-1 HTTP/1.1\r\nHost: x\r\n",
		    0, 1, "c+1", "s-1", NULL },
		{ "GET /oauth/callback?error=access_denied&state=s HTTP/1.1\r\n",
		    0, 1, NULL, "s", "access_denied" },
		{ "GET /oauth/callback?error=%1B%5B2J%0Aidc&state=s HTTP/1.1\r\n",
		    0, 1, NULL, "s", "\x1b[2J\nidc" },
		{ "GET /favicon.ico HTTP/1.1\r\n", 0, 0, NULL, NULL, NULL },
		{ "GET /oauth/callback?code=c HTTP/1.1\r\n", 0, 0, NULL, NULL,
		    NULL },
		{ "GET /oauth/callback?state=s HTTP/1.1\r\n", 0, 0, NULL, NULL,
		    NULL },
		{ "POST /oauth/callback?code=c&state=s HTTP/1.1\r\n", 0, 0,
		    NULL, NULL, NULL },
		{ "GET /other?code=c&state=s HTTP/1.1\r\n", 0, 0, NULL, NULL,
		    NULL },
		{ "GET /oauth/callbackX?code=c&state=s HTTP/1.1\r\n", 0, 0,
		    NULL, NULL, NULL },
		{ "", 0, 0, NULL, NULL, NULL },
		{ "http://127.0.0.1:9/oauth/callback?code=c&state=s\n", 1, 1,
		    "c", "s", NULL },
		{ "no query here\n", 1, 0, NULL, NULL, NULL },
	};
	struct pkce_callback cb;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = pkce_callback_parse(
		    cases[i].text, strlen(cases[i].text), cases[i].pasted, &cb);
		if (r != cases[i].want)
			fail_msg("case %zu: %d", i, r);
		if (r == 0) {
			assert_null(cb.code);
			assert_null(cb.state);
			continue;
		}
		assert_string_equal(cb.state, cases[i].st);
		if (cases[i].code != NULL)
			assert_string_equal(cb.code, cases[i].code);
		if (cases[i].error != NULL)
			assert_string_equal(cb.error, cases[i].error);
		pkce_callback_release(&cb);
	}
}

/* A request line over the limit, and a NUL inside one, are no answer. */
static void
test_callback_parse_limits(void **state)
{
	struct pkce_callback cb;
	char *big = xmalloc(PKCE_CALLBACK_MAX + 64);
	static const char nul[] =
	    "GET /oauth/callback?code=c\0&state=s HTTP/1.1";

	(void)state;
	memset(big, 'a', PKCE_CALLBACK_MAX + 63);
	memcpy(big, "GET /oauth/callback?code=c&state=s&x=", 37);
	big[PKCE_CALLBACK_MAX + 63] = '\0';
	assert_int_equal(pkce_callback_parse(big, strlen(big), 0, &cb), 0);
	assert_int_equal(pkce_callback_parse(nul, sizeof nul - 1, 0, &cb), 0);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libcrypto_is_loaded_only_when_needed),
		cmocka_unit_test(test_rfc7636_appendix_b),
		cmocka_unit_test(test_verifier_is_64_unreserved_and_random),
		cmocka_unit_test(test_uuid4_shape),
		cmocka_unit_test(test_callback_parse),
		cmocka_unit_test(test_callback_parse_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
