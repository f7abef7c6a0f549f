/*
 * test_paths.c - AWS and XDG file locations follow the environment as the
 * AWS CLI and the XDG base-directory specification say.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/store/paths.h"

static int
reset_env(void **state)
{
	(void)state;
	setenv("HOME", "/home/alice", 1);
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	return 0;
}

static void
expect(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_defaults_under_home(void **state)
{
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	expect(paths_aws_config(&err), "/home/alice/.aws/config");
	expect(paths_aws_credentials(&err), "/home/alice/.aws/credentials");
	expect(paths_sso_cache_dir(&err), "/home/alice/.aws/sso/cache");
	expect(paths_idc_cache_dir(&err), "/home/alice/.cache/idc");
	expect(paths_idc_config_dir(&err), "/home/alice/.config/idc");
}

static void
test_environment_moves_files(void **state)
{
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	setenv("AWS_CONFIG_FILE", "~/work/aws-config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds", 1);
	setenv("XDG_CACHE_HOME", "/var/cache/alice", 1);
	setenv("XDG_CONFIG_HOME", "/srv/conf/", 1);
	expect(paths_aws_config(&err), "/home/alice/work/aws-config");
	expect(paths_aws_credentials(&err), "/etc/creds");
	expect(paths_idc_cache_dir(&err), "/var/cache/alice/idc");
	expect(paths_idc_config_dir(&err), "/srv/conf/idc");
	/* The SSO cache stays under HOME whatever AWS_CONFIG_FILE says. */
	expect(paths_sso_cache_dir(&err), "/home/alice/.aws/sso/cache");
}

static void
test_join_normalises_slashes(void **state)
{
	(void)state;
	expect(paths_join("/a/", "/b"), "/a/b");
	expect(paths_join("/", "b"), "/b");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults_under_home, reset_env),
		cmocka_unit_test_setup(test_environment_moves_files, reset_env),
		cmocka_unit_test(test_join_normalises_slashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
