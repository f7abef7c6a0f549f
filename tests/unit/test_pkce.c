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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libcrypto_is_loaded_only_when_needed),
		cmocka_unit_test(test_rfc7636_appendix_b),
		cmocka_unit_test(test_verifier_is_64_unreserved_and_random),
		cmocka_unit_test(test_uuid4_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
