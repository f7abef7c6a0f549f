/*
 * test_cmd.c - command lookup (one- and two-word names), suggestions for
 * typos, option errors that are one line with a hint, and the help and
 * usage lines made from a command's option table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
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
	char *a5[] = { S("configur"), S("session"), NULL };
	char *a6[] = { S("configure"), S("sessions"), NULL };
	char *a7[] = { S("configure session"), NULL };
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
	/* Two words match whole, never as prefixes or one joined word. */
	assert_null(cmd_find(2, a5, &words));
	c = cmd_find(2, a6, &words);
	assert_string_equal(c->name, "configure");
	assert_int_equal(words, 1);
	c = cmd_find(1, a7, &words);
	assert_string_equal(c->name, "configure session");
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

/* A command of the test's own, to hold the generated parts against. */
static int
demo_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	(void)err;
	return 0;
}

static const struct cmd_option demo_options[] = {
	{ "start-url", 300, "URL", "the start URL", NULL },
	{ "force", 301, NULL, "do it anyway\neven when told not to", NULL },
	{ "profile", CMD_GLOBAL, "NAME", "the profile (a global option)",
	    NULL },
	{ "format", 302, "F", "one of the formats", "a b c" },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct cmd_entry demo = { "demo", "[THING]", "a demo command",
	NULL, demo_options, 0, demo_exec };

static void
test_getopt_errors_are_usage_errors(void **state)
{
	char *argv1[] = { S("demo"), S("--bogus"), NULL };
	char *argv2[] = { S("demo"), S("--start-url"), NULL };
	char *argv3[] = { S("demo"), S("--start-url"), S("https://x"),
		S("extra"), S("--force"), NULL };
	char *argv4[] = { S("demo"), S("--force=1"), NULL };
	char *argv5[] = { S("demo"), S("--profile"), S("p"), NULL };
	char *argv6[] = { S("demo"), NULL };
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	/* Nothing to parse: the end, and no argument left over. */
	optind = 0;
	assert_int_equal(cmd_getopt(&demo, 1, argv6, &err), -1);
	assert_int_equal(optind, 1);
	assert_int_equal(cmd_no_args(&demo, 1, argv6, &err), 0);
	optind = 0;
	assert_int_equal(cmd_getopt(&demo, 2, argv1, &err), -2);
	assert_int_equal(err.code, IDC_EUSAGE);
	assert_string_equal(
	    err.msg, "unknown option '--bogus' (see 'idc demo --help')");
	optind = 0;
	assert_int_equal(cmd_getopt(&demo, 2, argv2, &err), -2);
	assert_string_equal(err.msg,
	    "option '--start-url' needs a value (see 'idc demo --help')");
	/* Options after an argument count too (getopt permutes). */
	optind = 0;
	assert_int_equal(cmd_getopt(&demo, 5, argv3, &err), 300);
	assert_string_equal(optarg, "https://x");
	assert_int_equal(cmd_getopt(&demo, 5, argv3, &err), 301);
	assert_int_equal(cmd_getopt(&demo, 5, argv3, &err), -1);
	assert_int_equal(cmd_no_args(&demo, 5, argv3, &err), -1);
	assert_non_null(strstr(err.msg, "unexpected argument 'extra'"));
	optind = 0;
	assert_int_equal(cmd_getopt(&demo, 2, argv4, &err), -2);
	assert_string_equal(err.msg,
	    "option '--force=1' takes no value (see 'idc demo --help')");
	/* A global option in the table is for help only. */
	optind = 0;
	assert_int_equal(cmd_getopt(&demo, 3, argv5, &err), -2);
	assert_string_equal(
	    err.msg, "unknown option '--profile' (see 'idc demo --help')");
}

static char *
printed(void (*print)(FILE *, const struct cmd_entry *),
    const struct cmd_entry *cmd)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	print(fp, cmd);
	fclose(fp);
	return text;
}

static void
test_help_and_usage_come_from_the_table(void **state)
{
	const struct cmd_entry *const *c;
	const char *line, *nl;
	char *text;

	(void)state;
	text = printed(cmd_print_help, &demo);
	assert_string_equal(text,
	    "usage: idc demo [--start-url URL] [--force] [--profile NAME] "
	    "[--format F]\n"
	    "                [THING]\n"
	    "\n"
	    "a demo command\n"
	    "\n"
	    "Options:\n"
	    "  --start-url URL            the start URL\n"
	    "  --force                    do it anyway\n"
	    "                             even when told not to\n"
	    "  --profile NAME             the profile (a global option)\n"
	    "  --format F                 one of the formats\n");
	free(text);
	/* Every real command's usage fits the terminal. */
	for (c = cmd_table; *c != NULL; c++) {
		text = printed(cmd_print_usage, *c);
		for (line = text; *line != '\0'; line = nl + 1) {
			nl = strchr(line, '\n');
			assert_non_null(nl);
			assert_true(nl - line <= 80);
		}
		free(text);
	}
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
		cmocka_unit_test(test_help_and_usage_come_from_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
