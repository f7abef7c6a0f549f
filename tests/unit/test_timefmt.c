/*
 * test_timefmt.c - every timestamp form seen in the shared cache is read;
 * the AWS CLI's form is written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "idc/core/timefmt.h"

static void
test_forms_in_the_wild(void **state)
{
	static const char *const same[] = {
		"2026-11-28T02:10:51Z",
		"2026-11-28T02:10:51UTC",
		"2026-11-28T02:10:51.000Z",
		"2026-11-28T02:10:51.123456Z",
		"2026-11-28T02:10:51+00:00",
		"2026-11-27T18:10:51-08:00",
		"2026-11-28T03:10:51+0100",
		"2026-11-28T02:10:51",
		"2026-11-28 02:10:51Z",
	};
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		assert_int_equal(timefmt_parse(same[i], &t), 0);
		assert_int_equal(t, 1795831851);
	}
}

static void
test_garbage_is_refused(void **state)
{
	static const char *const bad[] = { "", "2026", "2026-11-28",
		"2026-13-28T02:10:51Z", "2026-11-28T25:10:51Z",
		"2026-11-28T02:10:51Zjunk", "2026-11-28T02:10:51+", "tomorrow",
		"2026-11-28T02:10:51.Z", "2026-11-28T02:10:51 PST" };
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(timefmt_parse(bad[i], &t), -1);
	assert_int_equal(timefmt_parse(NULL, &t), -1);
}

static void
test_writes(void **state)
{
	char buf[64];

	(void)state;
	timefmt_utc(1795831851, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T02:10:51Z");
	timefmt_utc_offset(1795831851, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T02:10:51+00:00");
	/* Cut as snprintf would cut, and never past the buffer. */
	memset(buf, 'x', sizeof buf);
	timefmt_utc(1795831851, buf, 5);
	assert_string_equal(buf, "2026");
	assert_int_equal(buf[5], 'x');
	timefmt_utc(1795831851, buf, 0);
	assert_int_equal(buf[0], '2');
	/* Years past 9999 keep every digit. */
	timefmt_utc(253402300800LL, buf, sizeof buf);
	assert_string_equal(buf, "10000-01-01T00:00:00Z");
	timefmt_relative(1000 + 8 * 3600 - 60, 1000, buf, sizeof buf);
	assert_string_equal(buf, "in 7h 59m");
	timefmt_relative(1000 - 42, 1000, buf, sizeof buf);
	assert_string_equal(buf, "42s ago");
}

/*
 * timefmt does its own calendar arithmetic (glibc's reads /etc/localtime):
 * it must agree with gmtime_r/strftime and timegm on every day from 1970
 * to 2400, leap days and century rules included, and refuse days that do
 * not exist.
 */
static void
test_calendar_matches_libc(void **state)
{
	char ours[40], libc[40];
	struct tm tm;
	time_t t, back;

	(void)state;
	for (t = -86400 * 3; t < 13569465600LL; t += 86400 * 7 + 3671) {
		gmtime_r(&t, &tm);
		strftime(libc, sizeof libc, "%Y-%m-%dT%H:%M:%SZ", &tm);
		timefmt_utc(t, ours, sizeof ours);
		assert_string_equal(ours, libc);
		if (t >= 0) {
			assert_int_equal(timefmt_parse(ours, &back), 0);
			assert_int_equal(back, t);
		}
	}
	assert_int_equal(timefmt_parse("2024-02-29T00:00:00Z", &back), 0);
	assert_int_equal(back, 1709164800);
	assert_int_equal(timefmt_parse("2000-02-29T12:00:00Z", &back), 0);
	assert_int_equal(timefmt_parse("2023-02-29T00:00:00Z", &back), -1);
	assert_int_equal(timefmt_parse("2100-02-29T00:00:00Z", &back), -1);
	assert_int_equal(timefmt_parse("2026-04-31T00:00:00Z", &back), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms_in_the_wild),
		cmocka_unit_test(test_garbage_is_refused),
		cmocka_unit_test(test_writes),
		cmocka_unit_test(test_calendar_matches_libc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
