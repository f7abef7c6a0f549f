/*
 * test_endpoints.c - endpoint URLs per partition (botocore's endpoint
 * tests), overrides from the environment, and regions that could change
 * the host refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/net/endpoints.h"
#include "idc/core/err.h"

static int
clean_env(void **state)
{
	(void)state;
	unsetenv("AWS_ENDPOINT_URL_SSO_OIDC");
	unsetenv("AWS_ENDPOINT_URL_SSO");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_IDENTITYSTORE");
	unsetenv("AWS_ENDPOINT_URL_SSO_ADMIN");
	unsetenv("AWS_ENDPOINT_URL_STS");
	return 0;
}

static void
expect_oidc(const char *region, const char *want)
{
	struct idc_err err = IDC_ERR_INIT;
	char *got = endpoints_oidc(region, &err);

	if (want == NULL) {
		assert_null(got);
		assert_int_equal(err.code, IDC_ECONFIG);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_partitions(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	char *p;

	(void)state;
	expect_oidc("us-east-1", "https://oidc.us-east-1.amazonaws.com");
	expect_oidc("eu-central-2", "https://oidc.eu-central-2.amazonaws.com");
	expect_oidc(
	    "us-gov-west-1", "https://oidc.us-gov-west-1.amazonaws.com");
	expect_oidc("cn-north-1", "https://oidc.cn-north-1.amazonaws.com.cn");
	expect_oidc(
	    "eusc-de-east-1", "https://oidc.eusc-de-east-1.amazonaws.eu");
	expect_oidc("us-iso-east-1", "https://oidc.us-iso-east-1.c2s.ic.gov");
	p = endpoints_portal("ap-southeast-7", &err);
	assert_string_equal(
	    p, "https://portal.sso.ap-southeast-7.amazonaws.com");
	free(p);
}

static void
test_hostile_or_malformed_regions_are_refused(void **state)
{
	(void)state;
	expect_oidc("", NULL);
	expect_oidc(NULL, NULL);
	expect_oidc("us-east-1.evil.com#", NULL);
	expect_oidc("us-east-1/x", NULL);
	expect_oidc("US-EAST-1", NULL);
	expect_oidc("us-east", NULL);
	expect_oidc("us-east-1 ", NULL);
	expect_oidc("xx-east-1", NULL);
	expect_oidc("us-east-1a", NULL);
}

static void
test_environment_overrides(void **state)
{
	(void)state;
	setenv("AWS_ENDPOINT_URL", "https://all.example:8443/", 1);
	expect_oidc("us-east-1", "https://all.example:8443");
	setenv("AWS_ENDPOINT_URL_SSO_OIDC", "https://127.0.0.1:4443", 1);
	expect_oidc("us-east-1", "https://127.0.0.1:4443");
	/* An override needs no region at all. */
	expect_oidc(NULL, "https://127.0.0.1:4443");
	struct idc_err err = IDC_ERR_INIT;
	char *p = endpoints_portal("us-east-1", &err);
	assert_string_equal(p, "https://all.example:8443");
	free(p);
	setenv("AWS_ENDPOINT_URL_SSO", "https://portal.local", 1);
	p = endpoints_portal("us-east-1", &err);
	assert_string_equal(p, "https://portal.local");
	free(p);
}

static void
expect(char *(*fn)(const char *, struct idc_err *), const char *region,
    const char *want)
{
	struct idc_err err = IDC_ERR_INIT;
	char *got = fn(region, &err);

	if (want == NULL) {
		assert_null(got);
		assert_int_equal(err.code, IDC_ECONFIG);
		/* Not the SSO region: the admin region. */
		assert_non_null(strstr(err.msg, "region"));
		assert_null(strstr(err.msg, "sso_region"));
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_admin_and_sts(void **state)
{
	(void)state;
	expect(endpoints_identitystore, "eu-west-1",
	    "https://identitystore.eu-west-1.amazonaws.com");
	expect(endpoints_sso_admin, "cn-northwest-1",
	    "https://sso.cn-northwest-1.amazonaws.com.cn");
	expect(endpoints_sts, "us-gov-east-1",
	    "https://sts.us-gov-east-1.amazonaws.com");
	expect(endpoints_sso_admin, "us-east-1.evil.com", NULL);
	expect(endpoints_identitystore, NULL, NULL);
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1/", 1);
	expect(endpoints_sts, NULL, "http://127.0.0.1:1");
	setenv("AWS_ENDPOINT_URL_IDENTITYSTORE", "http://127.0.0.1:2", 1);
	setenv("AWS_ENDPOINT_URL_SSO_ADMIN", "http://127.0.0.1:3", 1);
	setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4", 1);
	expect(endpoints_identitystore, "us-east-1", "http://127.0.0.1:2");
	expect(endpoints_sso_admin, "us-east-1", "http://127.0.0.1:3");
	expect(endpoints_sts, "us-east-1", "http://127.0.0.1:4");
	/* The SSO endpoints are not the admin ones. */
	expect(endpoints_oidc, "us-east-1", "http://127.0.0.1:1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_partitions, clean_env),
		cmocka_unit_test_setup(
		    test_hostile_or_malformed_regions_are_refused, clean_env),
		cmocka_unit_test_setup(test_environment_overrides, clean_env),
		cmocka_unit_test_setup(test_admin_and_sts, clean_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
