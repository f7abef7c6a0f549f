/*
 * test_awscreds.c - the credential chain for signing: the environment,
 * an explicit profile over it, static keys in either file and their order
 * around credential_process, half key pairs, credential_process output,
 * and role chaining's sources and cycles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "idc/core/err.h"
#include "idc/flow/awscreds.h"
#include "testutil.h"

static char dir[PATH_MAX];
static char config[PATH_MAX + 16], creds[PATH_MAX + 16];

static int
setup(void **state)
{
	(void)state;
	if (testutil_mkdtemp("idc-awscreds", dir, sizeof dir) == -1)
		return -1;
	snprintf(config, sizeof config, "%s/config", dir);
	snprintf(creds, sizeof creds, "%s/credentials", dir);
	setenv("AWS_CONFIG_FILE", config, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_SECURITY_TOKEN");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return testutil_rmtree(dir);
}

static int
resolve(const char *profile, struct awscreds *c, struct idc_err *err)
{
	struct awscreds_query q = { profile, 0, NULL, NULL };

	idc_err_clear(err);
	return awscreds_resolve(&q, c, err);
}

static void
test_environment_and_explicit_profile(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awscreds c;

	(void)state;
	testutil_put(creds,
	    "[default]\naws_access_key_id = AKIDFILE\n"
	    "aws_secret_access_key = filesecret\n"
	    "[other]\naws_access_key_id = AKIDOTHER\n"
	    "aws_secret_access_key = othersecret\n");
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDENV");
	assert_string_equal(c.session_token, "envtoken");
	assert_int_equal(c.source, AWSCREDS_ENV);
	awscreds_release(&c);
	/* AWS_PROFILE does not negate the environment; --profile does. */
	setenv("AWS_PROFILE", "other", 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDENV");
	awscreds_release(&c);
	assert_int_equal(resolve("other", &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDOTHER");
	assert_null(c.session_token);
	assert_int_equal(c.source, AWSCREDS_SHARED_FILE);
	awscreds_release(&c);
	unsetenv("AWS_SECRET_ACCESS_KEY");
	assert_int_equal(resolve(NULL, &c, &err), -1);
	assert_int_equal(err.code, IDC_ECONFIG);
	assert_non_null(strstr(err.msg, "AWS_SECRET_ACCESS_KEY"));
}

static void
test_file_order_and_process(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	char script[PATH_MAX + 32], text[8192];
	struct awscreds c;

	(void)state;
	snprintf(script, sizeof script, "%s/print creds", dir);
	testutil_put(script,
	    "#!/bin/sh\n[ \"$1\" = 'one arg' ] || exit 9\n"
	    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
	    "\"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", "
	    "\"Expiration\": \"2030-01-01T00:00:00Z\"}'\n");
	chmod(script, 0700);
	snprintf(text, sizeof text,
	    "[profile proc]\ncredential_process = \"%s\" 'one arg'\n"
	    "aws_access_key_id = AKIDCONFIG\naws_secret_access_key = x\n"
	    "region = eu-west-2\n"
	    "[profile cfg]\naws_access_key_id = AKIDCONFIG\n"
	    "aws_secret_access_key = cfgsecret\n"
	    "[profile half]\naws_access_key_id = AKIDHALF\n"
	    "[profile fails]\ncredential_process = sh -c 'exit 3'\n"
	    "[profile v2]\ncredential_process = echo "
	    "'{\"Version\":2,\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"b\"}'\n"
	    "[profile none]\nregion = us-east-1\n",
	    script);
	testutil_put(config, text);
	testutil_put(creds,
	    "[proc]\nregion = eu-west-3\n"
	    "[shared]\naws_access_key_id = AKIDSHARED\n"
	    "aws_secret_access_key = s\n");
	/* credential_process comes before the config file's keys. */
	assert_int_equal(resolve("proc", &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDPROC");
	assert_string_equal(c.session_token, "t");
	assert_int_equal(c.expiration, 1893456000);
	assert_int_equal(c.source, AWSCREDS_PROCESS);
	/* The credentials file's keys win the merge. */
	assert_string_equal(c.region, "eu-west-3");
	awscreds_release(&c);
	assert_int_equal(resolve("cfg", &c, &err), 0);
	assert_int_equal(c.source, AWSCREDS_CONFIG_FILE);
	awscreds_release(&c);
	assert_int_equal(resolve("shared", &c, &err), 0);
	assert_int_equal(c.source, AWSCREDS_SHARED_FILE);
	awscreds_release(&c);
	assert_int_equal(resolve("half", &c, &err), -1);
	assert_non_null(strstr(err.msg, "aws_secret_access_key"));
	assert_int_equal(resolve("fails", &c, &err), -1);
	assert_non_null(strstr(err.msg, "exited with status 3"));
	assert_int_equal(resolve("v2", &c, &err), -1);
	assert_non_null(strstr(err.msg, "Version 2"));
	assert_int_equal(resolve("none", &c, &err), -1);
	assert_non_null(strstr(err.msg, "has no credentials"));
	assert_int_equal(resolve("missing", &c, &err), -1);
	assert_non_null(strstr(err.msg, "not found"));
	assert_int_equal(err.code, IDC_ECONFIG);
}

static void
test_role_chaining_sources(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awscreds c;

	(void)state;
	testutil_put(config,
	    "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\n"
	    "source_profile = b\n"
	    "[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\n"
	    "source_profile = a\n"
	    "[profile c]\nrole_arn = arn:aws:iam::111111111111:role/C\n"
	    "source_profile = base\n"
	    "[profile base]\naws_access_key_id = AKIDBASE\n"
	    "aws_secret_access_key = s\n"
	    "[profile nosource]\nrole_arn = arn:aws:iam::1:role/X\n");
	assert_int_equal(resolve("a", &c, &err), -1);
	assert_int_equal(err.code, IDC_ECONFIG);
	assert_non_null(strstr(err.msg, "cycle"));
	/* A good source: the hop goes to STS (nothing listens here). */
	setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1", 1);
	assert_int_equal(resolve("c", &c, &err), -1);
	unsetenv("AWS_ENDPOINT_URL_STS");
	assert_int_equal(err.code, IDC_ENET);
	assert_non_null(strstr(err.msg, "profile 'c': AssumeRole: "));
	assert_int_equal(resolve("nosource", &c, &err), -1);
	assert_non_null(strstr(err.msg, "no source_profile"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_environment_and_explicit_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_order_and_process, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_role_chaining_sources, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
