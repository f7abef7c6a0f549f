/*
 * test_federation.c - the federation endpoint without I/O: the
 * getSigninToken path and its Session JSON, the answer's token checked,
 * console destinations per partition, and the login URL, with what is a
 * credential registered for redaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/net/federation.h"

static void
test_token_path(void **state)
{
	char *path, *shown;

	(void)state;
	path = federation_token_path("ASIAX", "se/cr+et=", "to ken");
	assert_string_equal(path,
	    "/federation?Action=getSigninToken&SessionType=json&Session="
	    "%7B%22sessionId%22%3A%22ASIAX%22%2C%22sessionKey%22%3A%22se%2Fcr"
	    "%2Bet%3D%22%2C%22sessionToken%22%3A%22to%20ken%22%7D");
	/* The encoded Session is a secret now: no log line shows it. */
	shown = log_redact(path, strlen(path));
	assert_string_equal(shown,
	    "/federation?Action=getSigninToken&SessionType=json&Session="
	    "<redacted>");
	free(shown);
	secret_free(path);
}

static void
test_token_parse(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	const char *good = "{\"SigninToken\":\"abc-DEF_123\"}";
	char *tok = NULL, *shown;

	(void)state;
	assert_int_equal(
	    federation_token_parse(good, strlen(good), &tok, &err), 0);
	assert_string_equal(tok, "abc-DEF_123");
	shown = log_redact("t=abc-DEF_123", 13);
	assert_string_equal(shown, "t=<redacted>");
	free(shown);
	secret_free(tok);
	assert_int_equal(federation_token_parse("{}", 2, &tok, &err), -1);
	assert_int_equal(err.code, IDC_ESERVER);
	assert_int_equal(
	    federation_token_parse("{\"SigninToken\":\"a b\"}", 21, &tok, &err),
	    -1);
	assert_non_null(strstr(err.msg, "invalid 'SigninToken'"));
	assert_int_equal(federation_token_parse("<html>", 6, &tok, &err), -1);
}

static void
dest_is(const char *arg, const char *region, const char *want)
{
	struct idc_err err = IDC_ERR_INIT;
	char *d = federation_destination(arg, region, &err);

	if (d == NULL)
		fail_msg("%s", err.msg);
	assert_string_equal(d, want);
	free(d);
}

static void
test_destinations(void **state)
{
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	dest_is(NULL, "eu-west-1",
	    "https://console.aws.amazon.com/console/home?region=eu-west-1");
	dest_is(NULL, NULL,
	    "https://console.aws.amazon.com/console/home?region=us-east-1");
	dest_is("s3", "eu-west-1",
	    "https://console.aws.amazon.com/s3/home?region=eu-west-1");
	dest_is("ec2", "us-gov-west-1",
	    "https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1");
	dest_is(NULL, "cn-north-1",
	    "https://console.amazonaws.cn/console/home?region=cn-north-1");
	dest_is("https://eu-west-1.console.aws.amazon.com/ec2/home#Instances:",
	    "eu-west-1",
	    "https://eu-west-1.console.aws.amazon.com/ec2/home#Instances:");
	assert_null(federation_destination("S3", "eu-west-1", &err));
	assert_int_equal(err.code, IDC_EUSAGE);
	assert_null(federation_destination("javascript:x", NULL, &err));
	assert_null(federation_destination("https://a b", NULL, &err));
	assert_null(federation_destination("https:///x", NULL, &err));
	assert_null(federation_destination(NULL, "us-iso-east-1", &err));
	assert_int_equal(err.code, IDC_ECONFIG);
}

static void
test_login_url(void **state)
{
	char *url;

	(void)state;
	url = federation_login_url("https://signin.aws.amazon.com",
	    "https://d-1.awsapps.com/start",
	    "https://console.aws.amazon.com/s3/home?region=eu-west-1", "T0k");
	assert_string_equal(url,
	    "https://signin.aws.amazon.com/federation?Action=login&Issuer="
	    "https%3A%2F%2Fd-1.awsapps.com%2Fstart&Destination=https%3A%2F%2F"
	    "console.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1&"
	    "SigninToken=T0k");
	secret_free(url);
	url =
	    federation_login_url("http://127.0.0.1:9", NULL, "https://x", "T");
	assert_string_equal(url,
	    "http://127.0.0.1:9/federation?Action=login&Destination="
	    "https%3A%2F%2Fx&SigninToken=T");
	secret_free(url);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_path),
		cmocka_unit_test(test_token_parse),
		cmocka_unit_test(test_destinations),
		cmocka_unit_test(test_login_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
