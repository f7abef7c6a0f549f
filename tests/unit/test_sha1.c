/*
 * test_sha1.c - SHA-1 without a library: the FIPS 180 examples, every
 * padding boundary checked against OpenSSL's SHA1(), and
 * the AWS CLI's cache file names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "idc/core/sha1.h"
#include "idc/core/xmalloc.h"

static void
expect_hex(const char *data, size_t len, const char *want)
{
	char *got = sha1_hex(data, len);

	assert_string_equal(got, want);
	free(got);
}

static void
test_fips_examples(void **state)
{
	char *million;

	(void)state;
	expect_hex("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	expect_hex("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	expect_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	expect_hex(
	    million, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(million);
}

static void
test_agrees_with_openssl_at_every_length(void **state)
{
	unsigned char data[300], md[SHA_DIGEST_LENGTH];
	char *a, b[2 * SHA_DIGEST_LENGTH + 1];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (i = 0; i <= sizeof data; i++) {
		a = sha1_hex(data, i);
		SHA1(data, i, md);
		for (j = 0; j < sizeof md; j++)
			snprintf(b + 2 * j, 3, "%02x", md[j]);
		assert_string_equal(a, b);
		free(a);
	}
}

static void
test_aws_cli_cache_names(void **state)
{
	static const char key[] = "{\"accountId\":\"111111111111\","
				  "\"roleName\":\"ReadOnly\","
				  "\"sessionName\":\"my-sso\"}";

	(void)state;
	/* sso-protocol.md 4.1 and 4.3, verified against the AWS CLI. */
	expect_hex("my-sso", 6, "0ad374308c5a4e22f723adf10145eafad7c4031c");
	expect_hex(
	    key, strlen(key), "7656329665c70f26bb8dc6f65f498aa9de8da4e0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_examples),
		cmocka_unit_test(test_agrees_with_openssl_at_every_length),
		cmocka_unit_test(test_aws_cli_cache_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
