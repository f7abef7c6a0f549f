/*
 * test_deadline.c - the command's overall deadline: what is left, clamping
 * of waits to it, pauses while a person acts, and parsing --timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "idc/core/deadline.h"
#include "idc/core/intr.h"

static void
test_no_deadline_clamps_nothing(void **state)
{
	(void)state;
	deadline_start(0);
	assert_int_equal(deadline_left_ms(), -1);
	assert_false(deadline_passed());
	assert_int_equal(deadline_clamp_ms(30000), 30000);
	assert_int_equal(deadline_clamp_ms(0), 0);
	assert_int_equal(deadline_total_s(), 0);
}

static void
test_waits_are_clamped_to_what_is_left(void **state)
{
	long long left;

	(void)state;
	deadline_start(2000);
	assert_int_equal(deadline_total_s(), 2);
	left = deadline_left_ms();
	assert_true(left > 1900 && left <= 2000);
	assert_int_equal(deadline_clamp_ms(500), 500);
	assert_true(deadline_clamp_ms(30000) <= 2000);
	assert_true(deadline_clamp_ms(30000) > 1900);
	/* "forever" becomes what is left */
	assert_true(deadline_clamp_ms(-1) > 1900);
	deadline_start(1);
	intr_sleep_ms(5);
	assert_true(deadline_passed());
	assert_int_equal(deadline_left_ms(), 0);
	/* Never 0, which libcurl reads as "no timeout". */
	assert_int_equal(deadline_clamp_ms(30000), 1);
	deadline_start(0);
}

static void
test_pause_stops_the_clock(void **state)
{
	long long before, after;

	(void)state;
	deadline_start(300);
	deadline_pause();
	before = deadline_left_ms();
	intr_sleep_ms(400);
	after = deadline_left_ms();
	assert_int_equal(before, after);
	assert_false(deadline_passed());
	deadline_resume();
	assert_true(deadline_left_ms() > 200);
	intr_sleep_ms(350);
	assert_true(deadline_passed());
	deadline_start(0);
}

static void
test_parse(void **state)
{
	long s = -1;

	(void)state;
	assert_int_equal(deadline_parse_s("0", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(deadline_parse_s("86400", &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(deadline_parse_s("86401", &s), -1);
	assert_int_equal(deadline_parse_s("-1", &s), -1);
	assert_int_equal(deadline_parse_s("1.5", &s), -1);
	assert_int_equal(deadline_parse_s("", &s), -1);
	assert_int_equal(deadline_parse_s(" 5", &s), -1);
	assert_int_equal(deadline_parse_s("99999999999999999999", &s), -1);
	assert_int_equal(deadline_parse_s(NULL, &s), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_deadline_clamps_nothing),
		cmocka_unit_test(test_waits_are_clamped_to_what_is_left),
		cmocka_unit_test(test_pause_stops_the_clock),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
