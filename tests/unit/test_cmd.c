/*
 * test_cmd.c - command lookup (one- and two-word names), suggestions for
 * typos, and option errors that are one line with a hint.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <getopt.h>
#include <string.h>

#include "idc/cmd/cmd.h"
#include "idc/core/err.h"

/* A writable copy of a literal, as argv elements are. */
#define S(x) ((char[]){ x })

static void
test_find_one_and_two_words(void **state)
{
	char *a1[] = { S("login"), S("--no-browser"), NULL };
	char *a2[] = { S("configure"), S("session"), S("--start-url"), S("x"),
		NULL };
	char *a3[] = { S("configure"), S("--account-id"), S("1"), NULL };
	char *a4[] = { S("nope"), NULL };
	const struct cmd_entry *c;
	int words = 0;

	(void)state;
	c = cmd_find(2, a1, &words);
	assert_non_null(c);
	assert_string_equal(c->name, "login");
	assert_int_equal(words, 1);
	c = cmd_find(4, a2, &words);
	assert_string_equal(c->name, "configure session");
	assert_int_equal(words, 2);
	c = cmd_find(3, a3, &words);
	assert_string_equal(c->name, "configure");
	assert_int_equal(words, 1);
	assert_null(cmd_find(1, a4, &words));
}

static void
test_every_command_of_the_design_is_in_the_table(void **state)
{
	static const char *const names[] = { "configure", "configure session",
		"login", "logout", "status", "list-accounts", "list-roles",
		"populate", "credential-process", "export", "exec",
		"write-credentials", "console", "completion", "help",
		"version" };
	size_t i;
	int words;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char buf[64], *argv[3] = { buf, NULL, NULL };
		char *space;

		strcpy(buf, names[i]);
		if ((space = strchr(buf, ' ')) != NULL) {
			*space = '\0';
			argv[1] = space + 1;
		}
		assert_non_null(cmd_find(argv[1] ? 2 : 1, argv, &words));
	}
}

static void
test_suggest_close_names(void **state)
{
	(void)state;
	assert_string_equal(cmd_suggest("logni"), "login");
	assert_string_equal(cmd_suggest("stats"), "status");
	assert_string_equal(cmd_suggest("list-account"), "list-accounts");
	assert_null(cmd_suggest("frobnicate"));
}

static void
test_getopt_errors_are_usage_errors(void **state)
{
	static const struct option longopts[] = {
		{ "start-url", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	char *argv1[] = { S("login"), S("--bogus"), NULL };
	char *argv2[] = { S("login"), S("--start-url"), NULL };
	char *argv3[] = { S("login"), S("--start-url"), S("https://x"),
		S("extra"), NULL };
	struct idc_err err = IDC_ERR_INIT;
	const struct cmd_entry *login = &cmd_login_entry;

	(void)state;
	optind = 0;
	assert_int_equal(cmd_getopt(login, 2, argv1, "", longopts, &err), -2);
	assert_int_equal(err.code, IDC_EUSAGE);
	assert_string_equal(
	    err.msg, "unknown option '--bogus' (see 'idc login --help')");
	optind = 0;
	assert_int_equal(cmd_getopt(login, 2, argv2, "", longopts, &err), -2);
	assert_string_equal(err.msg,
	    "option '--start-url' needs a value (see 'idc login --help')");
	optind = 0;
	assert_int_equal(cmd_getopt(login, 4, argv3, "", longopts, &err), 'u');
	assert_string_equal(optarg, "https://x");
	assert_int_equal(cmd_getopt(login, 4, argv3, "", longopts, &err), -1);
	assert_int_equal(cmd_no_args(login, 4, argv3, &err), -1);
	assert_non_null(strstr(err.msg, "unexpected argument 'extra'"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_one_and_two_words),
		cmocka_unit_test(
		    test_every_command_of_the_design_is_in_the_table),
		cmocka_unit_test(test_suggest_close_names),
		cmocka_unit_test(test_getopt_errors_are_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
