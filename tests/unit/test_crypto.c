/*
 * test_crypto.c - the libcrypto wrappers against published vectors
 * (FIPS 180-2 SHA-256, RFC 4231 HMAC-SHA-256), hex, base64, randomness,
 * and that nothing loads libcrypto before it is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/crypto.h"
#include "idc/core/err.h"

static void
hex_of(const unsigned char *md, char *out)
{
	crypto_hex(md, CRYPTO_SHA256_LEN, out);
}

static void
test_not_loaded_at_start(void **state)
{
	(void)state;
	/* Runs first: nothing so far needed libcrypto. */
	assert_int_equal(crypto_loaded(), 0);
}

static void
test_sha256(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	unsigned char md[CRYPTO_SHA256_LEN];
	char hex[65];

	(void)state;
	assert_int_equal(crypto_sha256("abc", 3, md, &err), 0);
	hex_of(md, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(crypto_sha256(NULL, 0, md, &err), 0);
	hex_of(md, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(crypto_loaded(), 1);
}

static void
test_hmac_rfc4231(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	unsigned char key[131], md[CRYPTO_SHA256_LEN];
	char hex[65];
	const char *big =
	    "Test Using Larger Than Block-Size Key - Hash Key First";

	(void)state;
	/* Test case 2. */
	assert_int_equal(crypto_hmac_sha256("Jefe", 4,
			     "what do ya want for nothing?", 28, md, &err),
	    0);
	hex_of(md, hex);
	assert_string_equal(hex,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* Test case 6: a key longer than the block. */
	memset(key, 0xaa, sizeof key);
	assert_int_equal(
	    crypto_hmac_sha256(key, sizeof key, big, strlen(big), md, &err), 0);
	hex_of(md, hex);
	assert_string_equal(hex,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	/* The output may be the key (sigv4's chain does that). */
	memcpy(md, "Jefe", 4);
	assert_int_equal(crypto_hmac_sha256(md, 4,
			     "what do ya want for nothing?", 28, md, &err),
	    0);
	hex_of(md, hex);
	assert_string_equal(hex,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void
test_base64_and_random(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	unsigned char a[32], b[32];
	char *s;

	(void)state;
	s = crypto_base64("\xfb\xff", 2, &err);
	assert_string_equal(s, "+/8=");
	free(s);
	s = crypto_base64("", 0, &err);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(crypto_random(a, sizeof a, &err), 0);
	assert_int_equal(crypto_random(b, sizeof b, &err), 0);
	assert_memory_not_equal(a, b, sizeof a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_loaded_at_start),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_base64_and_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
