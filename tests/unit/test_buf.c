/*
 * test_buf.c - the bounded buffer: growth, the maximum, detach and reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"

static void
test_empty_is_empty_string(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(16);

	(void)state;
	assert_string_equal(idc_buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	idc_buf_release(&b);
}

static void
test_add_and_format(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(1024);

	(void)state;
	assert_int_equal(idc_buf_addstr(&b, "abc"), 0);
	assert_int_equal(idc_buf_addch(&b, '-'), 0);
	assert_int_equal(idc_buf_addf(&b, "%d/%s", 42, "x"), 0);
	assert_string_equal(idc_buf_cstr(&b), "abc-42/x");
	assert_int_equal(b.len, 8);
	idc_buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 1024);
}

static void
test_max_is_exact_and_failure_leaves_buffer_unchanged(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(8);

	(void)state;
	assert_int_equal(idc_buf_addstr(&b, "12345678"), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(idc_buf_addch(&b, '9'), -1);
	assert_int_equal(idc_buf_addf(&b, "%s", "x"), -1);
	assert_string_equal(idc_buf_cstr(&b), "12345678");
	idc_buf_reset(&b);
	assert_int_equal(idc_buf_addstr(&b, "123456789"), -1);
	assert_int_equal(b.len, 0);
	assert_string_equal(idc_buf_cstr(&b), "");
	idc_buf_release(&b);
}

static void
test_huge_length_does_not_wrap(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(16);
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(idc_buf_addstr(&b, "ab"), 0);
	/* A length near SIZE_MAX must be refused, not overflow the check. */
	assert_int_equal(idc_buf_add(&b, "x", SIZE_MAX - 1), -1);
	assert_int_equal(idc_buf_add_err(&b, "x", SIZE_MAX, &err), -1);
	assert_int_equal(err.code, IDC_EFAIL);
	assert_non_null(strstr(err.msg, "16 bytes"));
	assert_string_equal(idc_buf_cstr(&b), "ab");
	idc_buf_release(&b);
}

static void
test_grows_across_many_appends(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(1u << 20);
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++)
		assert_int_equal(idc_buf_addch(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	assert_int_equal(strlen(idc_buf_cstr(&b)), 100000);
	assert_true(b.cap <= b.max + 1);
	idc_buf_release_secret(&b);
	assert_null(b.data);
}

static void
test_detach_hands_over_and_empties(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(64);
	size_t len = 0;
	char *s;

	(void)state;
	s = idc_buf_detach(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	idc_buf_putstr(&b, "token");
	s = idc_buf_detach(&b, &len);
	assert_string_equal(s, "token");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

/* A reservation nothing was committed to (a read of an empty file) leaves
 * an empty string, not uninitialised bytes (found by valgrind). */
static void
test_reserve_without_commit_is_still_a_string(void **state)
{
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	char *p, *s;
	size_t len = 1;

	(void)state;
	p = idc_buf_reserve(&b, 16384);
	assert_non_null(p);
	idc_buf_commit(&b, 0);
	assert_string_equal(idc_buf_cstr(&b), "");
	s = idc_buf_detach(&b, &len);
	assert_int_equal(len, 0);
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_empty_string),
		cmocka_unit_test(test_add_and_format),
		cmocka_unit_test(
		    test_max_is_exact_and_failure_leaves_buffer_unchanged),
		cmocka_unit_test(test_huge_length_does_not_wrap),
		cmocka_unit_test(test_grows_across_many_appends),
		cmocka_unit_test(test_detach_hands_over_and_empties),
		cmocka_unit_test(test_reserve_without_commit_is_still_a_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
