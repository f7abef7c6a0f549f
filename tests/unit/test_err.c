/*
 * test_err.c - error messages, context prefixes and the exit-status table
 * that idc(1) documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/log.h"

static void
test_set_returns_minus_one_and_formats(void **state)
{
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(
	    idc_err_set(&err, IDC_ECONFIG, "profile '%s' not found", "dev"),
	    -1);
	assert_int_equal(err.code, IDC_ECONFIG);
	assert_string_equal(err.msg, "profile 'dev' not found");
	assert_int_equal(idc_err_set(NULL, IDC_EFAIL, "ignored"), -1);
}

static void
test_errno_appends_strerror(void **state)
{
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	errno = ENOENT;
	idc_err_errno(&err, IDC_EIO, "cannot open '%s'", "/x");
	assert_string_equal(
	    err.msg, "cannot open '/x': No such file or directory");
	assert_int_equal(err.sys_errno, ENOENT);
	assert_int_equal(errno, ENOENT);
}

static void
test_prefix_adds_context_and_truncates_safely(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	char longname[2000];

	(void)state;
	idc_err_set(&err, IDC_ENET, "connection refused");
	idc_err_prefix(&err, "refreshing the token of '%s': ", "work");
	assert_string_equal(
	    err.msg, "refreshing the token of 'work': connection refused");
	assert_int_equal(err.code, IDC_ENET);

	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	idc_err_prefix(&err, "%s", longname);
	assert_true(strlen(err.msg) < IDC_ERR_MSGMAX);
	idc_err_clear(&err);
	assert_int_equal(err.code, IDC_OK);
	assert_string_equal(err.msg, "");
}

static void
test_exit_status_table_matches_the_manual(void **state)
{
	(void)state;
	assert_int_equal(idc_err_exit_status(IDC_OK), 0);
	assert_int_equal(idc_err_exit_status(IDC_EFAIL), 1);
	assert_int_equal(idc_err_exit_status(IDC_EIO), 1);
	assert_int_equal(idc_err_exit_status(IDC_EUSAGE), 2);
	assert_int_equal(idc_err_exit_status(IDC_EAUTH), 3);
	assert_int_equal(idc_err_exit_status(IDC_ENET), 4);
	assert_int_equal(idc_err_exit_status(IDC_ETLS), 4);
	assert_int_equal(idc_err_exit_status(IDC_ESERVER), 4);
	assert_int_equal(idc_err_exit_status(IDC_ECONFIG), 5);
	assert_int_equal(idc_err_exit_status(IDC_EDENIED), 6);
	assert_int_equal(idc_err_exit_status(IDC_EINTR), 130);
	assert_string_equal(idc_err_codename(IDC_ENET), "network");
}

/* A server that echoes a token: no part of it stays in the message, even
 * when the message is cut to fit or a prefix is added later. */
static void
test_known_secrets_never_enter_a_message(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	char secret[700];

	(void)state;
	memset(secret, 'T', sizeof secret - 1);
	memcpy(secret, "aoa", 3);
	secret[sizeof secret - 1] = '\0';
	log_secret(secret);
	idc_err_set(&err, IDC_ESERVER, "server said: %s (HTTP 400)", secret);
	assert_string_equal(err.msg, "server said: <redacted> (HTTP 400)");
	idc_err_set(&err, IDC_ESERVER, "%.200s", "short");
	idc_err_prefix(&err, "token %s: ", secret);
	assert_string_equal(err.msg, "token <redacted>: short");
	assert_null(strstr(err.msg, "TTTT"));
	log_shutdown();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_returns_minus_one_and_formats),
		cmocka_unit_test(test_errno_appends_strerror),
		cmocka_unit_test(test_prefix_adds_context_and_truncates_safely),
		cmocka_unit_test(test_known_secrets_never_enter_a_message),
		cmocka_unit_test(test_exit_status_table_matches_the_manual),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
