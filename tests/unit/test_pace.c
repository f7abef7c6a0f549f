/*
 * test_pace.c - the adaptive pace: slow growth through the probe, then
 * doubling; a 429 halves the cap and sets the rate from what got through;
 * one cut per burst; starts spaced by the rate; Retry-After holds them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "idc/net/pace.h"

static void
test_growth(void **state)
{
	struct pace p;
	long long t = 1000;
	int i;

	(void)state;
	pace_init(&p, 8, 64);
	assert_int_equal(pace_limit(&p), 8);
	assert_true(pace_rate(&p) == 0);
	/* During the probe: one more per round of successes. */
	for (i = 0; i < 8; i++)
		pace_attempt(&p, t, 200, -1);
	assert_int_equal(pace_limit(&p), 9);
	for (i = 0; i < 32; i++)
		pace_attempt(&p, t, 200, -1);
	assert_true(pace_limit(&p) >= 11 && pace_limit(&p) <= 13);
	/* Past it: one more per success, up to the maximum. */
	i = pace_limit(&p);
	pace_attempt(&p, t, 200, -1);
	pace_attempt(&p, t, 404, -1); /* an answer is a success too */
	assert_int_equal(pace_limit(&p), i + 2);
	for (i = 0; i < 200; i++)
		pace_attempt(&p, t, 200, -1);
	assert_int_equal(pace_limit(&p), 64);
	/* Failures without an answer say nothing about the pace. */
	pace_attempt(&p, t, 0, -1);
	pace_attempt(&p, t, 503, -1);
	assert_int_equal(pace_limit(&p), 64);
	assert_true(pace_rate(&p) == 0);
	assert_int_equal(pace_book(&p, t), 0);
}

static void
test_cut(void **state)
{
	struct pace p;
	long long t = 10000;
	int i;

	(void)state;
	pace_init(&p, 8, 64);
	/* 20 successes in the last second (the service's burst). */
	for (i = 0; i < 20; i++)
		pace_attempt(&p, t + i * 10, 200, -1);
	assert_int_equal(pace_recent(&p, t + 300), 20);
	assert_int_equal(pace_recent(&p, t + 1185), 1);
	pace_attempt(&p, t + 300, 429, -1);
	assert_int_equal(p.throttled, 1);
	/* The first cut: 0.8 of what got through in the last second. */
	assert_true(pace_rate(&p) > 15.9 && pace_rate(&p) < 16.1);
	assert_int_equal(p.limit, 5);
	/* The rest of the burst does not cut again. */
	pace_attempt(&p, t + 310, 429, -1);
	pace_attempt(&p, t + 320, 429, -1);
	assert_int_equal(p.throttled, 3);
	assert_true(pace_rate(&p) > 15.9 && pace_rate(&p) < 16.1);
	assert_int_equal(p.limit, 5);
	/* Successes creep the rate up, by 0.25 per second of them. */
	for (i = 0; i < 16; i++)
		pace_attempt(&p, t + 400 + i * 60, 200, -1);
	assert_true(pace_rate(&p) > 16.2 && pace_rate(&p) < 16.3);
	/* A later 429: 0.9 of the lower of the rate and what got through. */
	pace_attempt(&p, t + 1500, 429, -1);
	assert_true(pace_rate(&p) > 12.5 && pace_rate(&p) < 12.7);
	assert_int_equal(p.limit, 3);
}

static void
test_paced_starts(void **state)
{
	struct pace p;
	long long t = 50000;
	int i;

	(void)state;
	pace_init(&p, 8, 64);
	pace_sample_rtt(&p, 20);
	for (i = 0; i < 10; i++)
		pace_attempt(&p, t - 500 + i, 200, -1);
	pace_attempt(&p, t, 429, -1); /* rate 8 per second */
	assert_true(pace_rate(&p) > 7.9 && pace_rate(&p) < 8.1);
	/* Over a 20 ms answer time one in flight keeps up with 8/s. */
	assert_int_equal(pace_limit(&p), 1);
	/* Starts 125 ms apart. */
	assert_int_equal(pace_book(&p, t), 0);
	assert_int_equal(pace_book(&p, t + 20), 105);
	/* Another end in the same turn: nothing more can start. */
	assert_int_equal(pace_book(&p, t + 125), 0);
	assert_int_equal(pace_book(&p, t + 300), 0);
	assert_int_equal(pace_book(&p, t + 310), 115);
	/* A slow service needs more in flight for the same rate. */
	pace_sample_rtt(&p, 2000);
	pace_sample_rtt(&p, 2000);
	pace_sample_rtt(&p, 2000);
	pace_sample_rtt(&p, 2000);
	pace_sample_rtt(&p, 2000);
	pace_sample_rtt(&p, 2000);
	pace_sample_rtt(&p, 2000);
	pace_sample_rtt(&p, 2000);
	assert_true(pace_limit(&p) >= 2);
	assert_true(pace_limit(&p) <= p.limit);
}

static void
test_retry_after(void **state)
{
	struct pace p;
	long long t = 90000;
	double before;

	(void)state;
	pace_init(&p, 4, 8);
	pace_attempt(&p, t, 200, -1);
	pace_attempt(&p, t + 10, 429, 2000);
	/* Nothing starts before the server said to come back. */
	assert_int_equal(pace_book(&p, t + 10), 2000);
	assert_true(pace_book(&p, t + 3000) < 1000);
	/* 429s before anything got through measure nothing: half the
	 * documented quota, doubling every second. */
	pace_init(&p, 4, 8);
	pace_attempt(&p, t, 429, -1);
	assert_true(pace_rate(&p) > 9.9 && pace_rate(&p) < 10.1);
	assert_int_equal(pace_limit(&p), 1);
	for (int i = 0; i < 10; i++)
		pace_attempt(&p, t + 100 * i, 200, -1);
	assert_true(pace_rate(&p) > 16.8 && pace_rate(&p) < 17.0);
	/* A measured cut ends the guessing; the floor is 2 per second. */
	for (int i = 0; i < 10; i++)
		pace_attempt(&p, t + 1000 + 50 * i, 200, -1);
	before = pace_rate(&p);
	pace_attempt(&p, t + 1500, 429, -1);
	assert_int_equal(p.unsure, 0);
	assert_true(pace_rate(&p) < before);
	assert_true(pace_rate(&p) > 12.5 && pace_rate(&p) < 12.7);
	pace_attempt(&p, t + 10000, 429, -1);
	pace_attempt(&p, t + 20000, 429, -1);
	pace_attempt(&p, t + 30000, 429, -1);
	assert_true(pace_rate(&p) >= 2.0 && pace_rate(&p) < before);
	/* Odd arguments are clamped. */
	pace_init(&p, 0, 0);
	assert_int_equal(pace_limit(&p), 1);
	pace_init(&p, 100, 10);
	assert_int_equal(pace_limit(&p), 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_paced_starts),
		cmocka_unit_test(test_retry_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
