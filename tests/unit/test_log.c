/*
 * test_log.c - secrets never reach the log: registered values and JSON
 * members with secret names are redacted; levels filter lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/core/log.h"

static void
test_registered_secret_is_redacted(void **state)
{
	const char *line =
	    "GET /federation/credentials with token aoaAAAtok3n!";
	char *out;

	(void)state;
	log_secret("aoaAAAtok3n");
	out = log_redact(line, strlen(line));
	assert_string_equal(
	    out, "GET /federation/credentials with token <redacted>!");
	free(out);
	log_shutdown();
	out = log_redact(line, strlen(line));
	assert_string_equal(out, line);
	free(out);
}

static void
test_short_values_are_not_registered(void **state)
{
	char *out;

	(void)state;
	log_secret("a");
	out = log_redact("a cat", 5);
	assert_string_equal(out, "a cat");
	free(out);
	log_shutdown();
}

static void
test_json_secret_members_are_redacted(void **state)
{
	const char *body =
	    "{\"accessToken\": \"aoa-secret\", \"expiresIn\": 3600, "
	    "\"refreshToken\":\"r\\\"ef\", \"tokenType\": \"Bearer\", "
	    "\"roleCredentials\": {\"accessKeyId\": \"ASIA1\", "
	    "\"secretAccessKey\": \"s3cr3t\", \"sessionToken\": \"st\"}}";
	char *out;

	(void)state;
	out = log_redact(body, strlen(body));
	assert_null(strstr(out, "aoa-secret"));
	assert_null(strstr(out, "ef\""));
	assert_null(strstr(out, "s3cr3t"));
	assert_null(strstr(out, "\"st\""));
	assert_non_null(strstr(out, "\"accessToken\": \"<redacted>\""));
	assert_non_null(strstr(out, "\"tokenType\": \"Bearer\""));
	assert_non_null(strstr(out, "\"accessKeyId\": \"ASIA1\""));
	assert_non_null(strstr(out, "\"expiresIn\": 3600"));
	free(out);
}

/* Run fn with stderr captured; return what it wrote. */
static char *
capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/idc-test-log-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char *text = calloc(1, 4096);
	FILE *fp;

	fflush(stderr);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fp = fopen(path, "r");
	if (fread(text, 1, 4095, fp) == 0)
		text[0] = '\0';
	fclose(fp);
	close(fd);
	unlink(path);
	return text;
}

static void
emit_all(void)
{
	log_secret("hunter2-refresh");
	log_debug("refresh with %s", "hunter2-refresh");
	log_note("signed in");
	log_warn("token expires soon");
}

static void
test_levels_and_prefixes(void **state)
{
	char *text;

	(void)state;
	log_set_level(LOG_DEBUG);
	text = capture_stderr(emit_all);
	assert_string_equal(text,
	    "idc: debug: refresh with <redacted>\n"
	    "note: signed in\n"
	    "idc: warning: token expires soon\n");
	free(text);
	log_set_level(LOG_NORMAL);
	text = capture_stderr(emit_all);
	assert_string_equal(
	    text, "note: signed in\nidc: warning: token expires soon\n");
	free(text);
	log_set_level(LOG_QUIET);
	text = capture_stderr(emit_all);
	assert_string_equal(text, "");
	free(text);
	log_shutdown();
}

static void
emit_hostile(void)
{
	log_secret("aoa-bearer-0123456789");
	log_error("login: server said 'bad\nidc: login: signed in\x1b[2J "
		  "\xe2\x80\xae' for aoa-bearer-0123456789");
	log_set_level(LOG_QUIET);
	log_error("still shown\tat --quiet");
	log_set_level(LOG_NORMAL);
}

/* An error line is one line, shows no secret and steers no terminal. */
static void
test_error_lines_are_redacted_and_safe(void **state)
{
	char *text;

	(void)state;
	text = capture_stderr(emit_hostile);
	assert_string_equal(text,
	    "idc: login: server said 'bad\\nidc: login: signed in\\x1b[2J "
	    "\\u202e' for <redacted>\n"
	    "idc: still shown\\tat --quiet\n");
	free(text);
	log_shutdown();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered_secret_is_redacted),
		cmocka_unit_test(test_short_values_are_not_registered),
		cmocka_unit_test(test_json_secret_members_are_redacted),
		cmocka_unit_test(test_levels_and_prefixes),
		cmocka_unit_test(test_error_lines_are_redacted_and_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
