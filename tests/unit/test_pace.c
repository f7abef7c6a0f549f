/*
 * test_pace.c - the adaptive pace: slow growth through the probe, then
 * doubling; the first 429 marks the moment and starts from a guess that
 * doubles every second; the next 429 a second or more later measures the
 * rate the service allows, which the pace then holds a little under and
 * creeps up from; Retry-After holds every start and does not count as
 * time the service gave.  A token bucket driven by the pace, in simulated
 * time, is listed near its rate bound with few 429s.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "idc/net/pace.h"

/* n successes, gap_ms apart from t_ms on. */
static void
succeed(struct pace *p, long long t_ms, int n, long gap_ms)
{
	int i;

	for (i = 0; i < n; i++)
		pace_attempt(p, t_ms + gap_ms * i, 200, -1);
}

/* The service was measured at 20 a second, the pace holds 0.97 of it. */
static void
assert_held_at_20(const struct pace *p)
{
	assert_true(p->measured > 19.9 && p->measured < 20.1);
	assert_true(pace_rate(p) > 19.3 && pace_rate(p) < 19.5);
}

/* n successes 50 ms apart from t_ms on add `by` to the rate. */
static void
assert_creeps(struct pace *p, long long t_ms, int n, double by)
{
	double before = pace_rate(p);

	succeed(p, t_ms, n, 50);
	assert_true(pace_rate(p) > before + by - 0.01 &&
	    pace_rate(p) < before + by + 0.01);
}

/* A pace that measured 8 a second (16 in 2 s between two 429s), the
 * second 429 at t_ms, answers taking 20 ms. */
static void
paced_at_8(struct pace *p, long long t_ms)
{
	pace_init(p, 8, 64);
	pace_sample_rtt(p, 20);
	pace_attempt(p, t_ms - 2000, 429, -1);
	succeed(p, t_ms - 1990, 16, 100);
	pace_attempt(p, t_ms, 429, -1);
}

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
	assert_int_equal(pace_gate(&p, t), 0);
	assert_int_equal(pace_gate_limit(&p), 64);
}

static void
test_first_429_guesses(void **state)
{
	struct pace p;
	long long t = 10000;

	(void)state;
	pace_init(&p, 8, 64);
	/* The service's burst got through, then it ran dry. */
	succeed(&p, t, 20, 1);
	pace_attempt(&p, t + 30, 429, -1);
	assert_int_equal(p.throttled, 1);
	/* Nothing measured yet: half the documented quota, a guess. */
	assert_true(pace_rate(&p) > 9.9 && pace_rate(&p) < 10.1);
	assert_int_equal(p.unsure, 1);
	assert_true(p.measured == 0);
	assert_int_equal(p.limit, 5);
	/* The rest of the requests already sent change nothing. */
	pace_attempt(&p, t + 31, 429, -1);
	pace_attempt(&p, t + 35, 429, -1);
	assert_int_equal(p.throttled, 3);
	assert_true(pace_rate(&p) > 9.9 && pace_rate(&p) < 10.1);
	assert_int_equal(p.limit, 5);
	/* A guess grows fast: ten successes at 10/s, about 1.7 times. */
	succeed(&p, t + 100, 10, 100);
	assert_true(pace_rate(&p) > 16.8 && pace_rate(&p) < 17.0);
	/* 429s before anything got through: the same guess. */
	pace_init(&p, 4, 8);
	pace_attempt(&p, t, 429, -1);
	assert_true(pace_rate(&p) > 9.9 && pace_rate(&p) < 10.1);
	assert_int_equal(pace_limit(&p), 1);
}

static void
test_measured(void **state)
{
	struct pace p;
	long long t = 20000;

	(void)state;
	pace_init(&p, 8, 64);
	pace_sample_rtt(&p, 20);
	pace_attempt(&p, t, 429, -1);
	/* The service lets 20 a second through: 30 successes in 1.5 s,
	 * then it is dry again. */
	succeed(&p, t + 50, 30, 50);
	pace_attempt(&p, t + 1500, 429, -1);
	assert_int_equal(p.unsure, 0);
	/* Held a little under it. */
	assert_held_at_20(&p);
	/* 429s right after (sent before it) change nothing. */
	pace_attempt(&p, t + 1510, 429, -1);
	assert_held_at_20(&p);
	/* The guess was far above: until a second measurement agrees,
	 * the rate creeps up by 5% a second. */
	assert_int_equal(p.fast, 1);
	assert_creeps(&p, t + 1550, 22, 1.1);
	/* Measured from the last moment the service was dry. */
	pace_attempt(&p, t + 2600, 429, -1);
	assert_held_at_20(&p);
	assert_int_equal(p.fast, 0);
	/* Then 0.2% a second: 100 successes add 0.2. */
	assert_creeps(&p, t + 2650, 100, 0.2);
	pace_attempt(&p, t + 7610, 429, -1);
	assert_held_at_20(&p);
	assert_int_equal(p.fast, 0);
	/* The service now allows less: one measurement halves at most. */
	succeed(&p, t + 8000, 3, 300);
	pace_attempt(&p, t + 9610, 429, -1);
	assert_true(p.measured > 1.4 && p.measured < 1.6);
	assert_true(pace_rate(&p) > 9.6 && pace_rate(&p) < 9.8);
	assert_int_equal(p.fast, 1);
	pace_attempt(&p, t + 10700, 429, -1);
	assert_true(pace_rate(&p) > 4.8 && pace_rate(&p) < 4.9);
	/* ... and never below 2 a second. */
	pace_attempt(&p, t + 12000, 429, -1);
	pace_attempt(&p, t + 14000, 429, -1);
	assert_true(pace_rate(&p) >= 2.0 && pace_rate(&p) < 2.01);
	/* Over a 20 ms answer time one in flight keeps up with 2/s; the
	 * gate's cap has one more for a slow answer. */
	assert_int_equal(pace_limit(&p), 1);
	assert_int_equal(pace_gate_limit(&p), 2);
}

static void
test_gate(void **state)
{
	struct pace p;
	long long t = 50000;
	int i;

	(void)state;
	paced_at_8(&p, t);
	assert_true(p.measured > 7.9 && p.measured < 8.1);
	/* Paced at 8 * 0.97 a second: starts 128.9 ms apart. */
	assert_int_equal(pace_gate(&p, t), 0);
	assert_int_equal(pace_gate(&p, t), 129);
	assert_int_equal(pace_gate(&p, t + 100), 29);
	/* A start a little late keeps the schedule. */
	assert_int_equal(pace_gate(&p, t + 135), 0);
	assert_int_equal(pace_gate(&p, t + 135), 123);
	/* On average, the rate holds: 100 starts, each 3 ms late. */
	for (i = 0; i < 100; i++) {
		t += pace_gate(&p, t) + 3;
		assert_int_equal(pace_gate(&p, t), 0);
	}
	assert_true(t - 50000 < 101 * 1000 / 7.76 + 10);
	/* After a pause, no burst: the next start is an interval away. */
	t += 5000;
	assert_int_equal(pace_gate(&p, t), 0);
	assert_true(pace_gate(&p, t) >= 128);
	/* A slow service needs more in flight for the same rate. */
	for (i = 0; i < 8; i++)
		pace_sample_rtt(&p, 2000);
	assert_true(pace_limit(&p) >= 2);
	assert_true(pace_limit(&p) <= p.limit);
}

static void
test_book(void **state)
{
	struct pace p;
	long long t = 50000;

	(void)state;
	paced_at_8(&p, t);
	assert_int_equal(pace_limit(&p), 1);
	/* Starts 129 ms apart. */
	assert_int_equal(pace_book(&p, t), 0);
	assert_int_equal(pace_book(&p, t + 20), 109);
	/* Another end in the same turn: nothing more can start. */
	assert_int_equal(pace_book(&p, t + 129), 0);
	assert_int_equal(pace_book(&p, t + 300), 0);
	assert_int_equal(pace_book(&p, t + 310), 119);
}

static void
test_retry_after(void **state)
{
	struct pace p;
	long long t = 90000;

	(void)state;
	pace_init(&p, 4, 8);
	pace_attempt(&p, t, 200, -1);
	pace_attempt(&p, t + 10, 429, 2000);
	/* Nothing starts before the server said to come back. */
	assert_int_equal(pace_book(&p, t + 10), 2000);
	assert_true(pace_book(&p, t + 3000) < 1000);
	pace_init(&p, 4, 8);
	pace_attempt(&p, t, 200, -1);
	pace_attempt(&p, t + 10, 429, 2000);
	assert_int_equal(pace_gate(&p, t + 10), 2000);
	assert_int_equal(pace_gate(&p, t + 1500), 510);
	assert_int_equal(pace_gate(&p, t + 2010), 0);
	assert_int_equal(p.held_ms, 2000);
	/* A later one within the hold only extends it. */
	pace_attempt(&p, t + 1010, 429, 2000);
	assert_int_equal(p.held_ms, 3000);
	assert_int_equal(pace_gate(&p, t + 2010), 1000);
	/* The time held is not time the service gave: 20 through in the
	 * 1 s after the hold measure 20 a second, not 20 in 4 s. */
	succeed(&p, t + 3050, 20, 50);
	pace_attempt(&p, t + 4010, 429, -1);
	assert_true(p.measured > 19.9 && p.measured < 20.1);
	/* Odd arguments are clamped. */
	pace_init(&p, 0, 0);
	assert_int_equal(pace_limit(&p), 1);
	assert_int_equal(pace_gate_limit(&p), 1);
	pace_init(&p, 100, 10);
	assert_int_equal(pace_limit(&p), 10);
}

/* ---- a token bucket driven by the pace, in simulated time ------------ */

struct bucket_run {
	int n;        /* requests to get through */
	double rate;  /* the bucket's tokens per second */
	double burst; /* and its size, full at the start */
	long latency; /* ms before the server looks at the bucket */
	int ok, throttled;
	long long end_ms;
};

#define BUCKET_MAX_FLIGHT 64

/*
 * Requests start when the pace's gate and cap allow; the server takes a
 * token `latency` ms after the start and answers 1 ms later: 200, or 429
 * with the request queued again.  As a stream of http_perform_stream
 * under the listing would.
 */
static void
bucket_drive(struct bucket_run *b)
{
	long long due[BUCKET_MAX_FLIGHT], start[BUCKET_MAX_FLIGHT], t;
	long status[BUCKET_MAX_FLIGHT];
	double tokens = b->burst;
	struct pace p;
	int flight = 0, todo = b->n, i;

	pace_init(&p, 8, BUCKET_MAX_FLIGHT);
	for (t = 0; b->ok < b->n && t < 3600 * 1000; t++) {
		tokens += b->rate / 1000.0;
		if (tokens > b->burst)
			tokens = b->burst;
		for (i = 0; i < flight; i++) {
			if (status[i] == 0 && t == start[i] + b->latency) {
				status[i] = tokens >= 1 ? 200 : 429;
				if (tokens >= 1)
					tokens -= 1;
			}
			if (t < due[i])
				continue;
			pace_sample_rtt(&p, (long)(t - start[i]));
			pace_attempt(&p, t, status[i], -1);
			if (status[i] == 200)
				b->ok++;
			else
				b->throttled++, todo++;
			flight--;
			due[i] = due[flight];
			start[i] = start[flight];
			status[i] = status[flight];
			i--;
		}
		while (todo > 0 && flight < pace_gate_limit(&p) &&
		    flight < BUCKET_MAX_FLIGHT && pace_gate(&p, t) == 0) {
			start[flight] = t;
			due[flight] = t + b->latency + 1;
			status[flight] = 0;
			flight++;
			todo--;
		}
	}
	b->end_ms = t;
}

static void
bucket_check(int n, double rate, double burst, long latency, double slack)
{
	struct bucket_run b = { n, rate, burst, latency, 0, 0, 0 };
	double bound = ((double)n - burst) / rate * 1000.0;

	bucket_drive(&b);
	print_message("bucket %g/s burst %g, %ld ms: %d through in %lld ms "
		      "(bound %.0f, ratio %.3f), %d answered 429 (%.1f%%)\n",
	    rate, burst, latency, b.ok, b.end_ms, bound,
	    (double)b.end_ms / bound, b.throttled,
	    100.0 * b.throttled / (b.ok + b.throttled));
	assert_int_equal(b.ok, n);
	/* Near the time the bucket needs, fewer than 2% 429s. */
	assert_true((double)b.end_ms < bound * slack + 2.0 * (double)latency);
	assert_true(b.throttled * 50 < b.ok + b.throttled);
}

static void
test_token_bucket(void **state)
{
	(void)state;
	/* Identity Center's documented 20 a second, near and far. */
	bucket_check(3000, 20, 20, 20, 1.01);
	bucket_check(3000, 20, 20, 150, 1.01);
	/* A smaller share of the quota, a larger one. */
	bucket_check(1000, 7, 10, 60, 1.01);
	bucket_check(4000, 50, 50, 30, 1.01);
	/* A bucket that keeps almost nothing: what the pace leaves unused
	 * is lost, and its first measurement is low. */
	bucket_check(3000, 20, 1, 20, 1.1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_first_429_guesses),
		cmocka_unit_test(test_measured),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_book),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_token_bucket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
