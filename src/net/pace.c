/*
 * pace.c - the adaptive concurrency and rate for throttled services (see
 * pace.h): the cap on requests in flight grows until the first 429; from
 * then on starts are paced at the rate the service's answers show it
 * allows, measured between the moments it had nothing left.
 */
#include "idc/net/pace.h"

#include <string.h>

/* The shortest time between two 429s that measures the rate. */
#define PACE_SPAN_MS 1000
/* 429s closer together than this mark one moment (an RTT's worth of
 * requests already sent when the service ran dry). */
#define PACE_MARK_GAP_MS 100
/* Paced at this share of the measured rate: a token bucket keeps what is
 * left unused, so the rest comes back as a burst at the next creep. */
#define PACE_HOLD 0.97
/* After a measurement each success adds this to the rate: 0.2% per
 * second whatever the rate, so that a rise of the service's rate is found,
 * and at most one 429 every half a minute or so when it holds. */
#define PACE_CREEP 0.002
/* Two measurements agree when the lower is at least this share of the
 * higher (a guess agrees when it is not far above the measurement); until
 * they do, the creep is 5% per second. */
#define PACE_AGREE      0.95
#define PACE_FAST_CREEP 0.05
/* One measurement lowers the rate to no less than this share of it. */
#define PACE_MAX_DROP 0.5
/* While the rate is a guess, each success adds this: the rate doubles
 * every second (ln 2) until the next 429 measures it. */
#define PACE_UNSURE_STEP 0.69
#define PACE_MIN_RATE    2.0
/* The guess: half of Identity Center's documented quota. */
#define PACE_PRIOR_RATE 10.0
/* Bookings closer together than this belong to one turn. */
#define PACE_TURN_MS        2
#define PACE_DEFAULT_RTT_MS 100
/* Identity Center documents about 20 requests per second for a whole
 * organisation, with a burst first: until twice that many answers came
 * back unthrottled, the cap grows slowly, so that few requests are in
 * flight when the burst runs out. */
#define PACE_PROBE 40

/* The least whole number of milliseconds not below x.  Times and counts
 * here are far inside a long long; written out so that idc does not link
 * libm, whose mapping every start of a cached command would pay for. */
static double
pace_ceil(double x)
{
	long long whole = (long long)x;

	return (double)whole < x ? (double)(whole + 1) : (double)whole;
}

void
pace_init(struct pace *p, int start_limit, int max_limit)
{
	memset(p, 0, sizeof *p);
	if (max_limit < 1)
		max_limit = 1;
	if (start_limit < 1)
		start_limit = 1;
	if (start_limit > max_limit)
		start_limit = max_limit;
	p->limit = start_limit;
	p->limit_max = max_limit;
	p->ssthresh = max_limit;
	p->rtt_ms = -1;
}

void
pace_sample_rtt(struct pace *p, long rtt_ms)
{
	if (rtt_ms < 0)
		return;
	if (p->rtt_ms < 0)
		p->rtt_ms = rtt_ms;
	else
		p->rtt_ms = (p->rtt_ms * 7 + rtt_ms) / 8;
}

static void
pace_success(struct pace *p)
{
	p->successes++;
	if (p->rate > 0)
		p->rate += p->unsure ? PACE_UNSURE_STEP
		    : p->fast        ? PACE_FAST_CREEP
				     : PACE_CREEP;
	if (p->limit >= p->limit_max)
		return;
	/* Past the probe, and until throttled, the cap doubles per round;
	 * before it, and after a cut, it grows by one per round. */
	if (p->limit < p->ssthresh && p->successes > PACE_PROBE) {
		p->limit++;
		return;
	}
	if (++p->grow >= p->limit) {
		p->grow = 0;
		p->limit++;
	}
}

static const struct pace_mark *
pace_mark_at(const struct pace *p, unsigned back)
{
	return &p->marks[(p->mark_head + PACE_MARKS - 1 - back) % PACE_MARKS];
}

/* The newest mark at least PACE_SPAN_MS before now_ms, or NULL. */
static const struct pace_mark *
pace_mark_before(const struct pace *p, long long now_ms)
{
	const struct pace_mark *m;
	unsigned i;

	for (i = 0; i < p->mark_count; i++) {
		m = pace_mark_at(p, i);
		if (now_ms - m->t_ms >= PACE_SPAN_MS)
			return m;
	}
	return NULL;
}

/* The ms held by Retry-After up to now_ms (not the part still ahead). */
static long long
pace_held(const struct pace *p, long long now_ms)
{
	return p->held_ms - (p->hold_ms > now_ms ? p->hold_ms - now_ms : 0);
}

static void
pace_mark(struct pace *p, long long now_ms)
{
	struct pace_mark *m = &p->marks[p->mark_head];

	m->t_ms = now_ms;
	m->successes = p->successes;
	m->held_ms = pace_held(p, now_ms);
	p->mark_head = (p->mark_head + 1) % PACE_MARKS;
	if (p->mark_count < PACE_MARKS)
		p->mark_count++;
}

static void
pace_throttled(struct pace *p, long long now_ms, long retry_after_ms)
{
	const struct pace_mark *m;
	long long start, span;
	double measured, rate;

	p->throttled++;
	if (retry_after_ms >= 0 && now_ms + retry_after_ms > p->hold_ms) {
		start = p->hold_ms > now_ms ? p->hold_ms : now_ms;
		p->held_ms += now_ms + retry_after_ms - start;
		p->hold_ms = now_ms + retry_after_ms;
	}
	/* A 429 at the moment already marked says nothing new. */
	if (p->mark_count > 0 &&
	    now_ms - pace_mark_at(p, 0)->t_ms < PACE_MARK_GAP_MS)
		return;
	m = pace_mark_before(p, now_ms);
	span = m != NULL
	    ? now_ms - m->t_ms - (pace_held(p, now_ms) - m->held_ms)
	    : 0;
	if (m != NULL && span > 0) {
		/* Nothing left at m, nothing left now: what got through in
		 * between is what the service allowed over that time. */
		measured = (double)(p->successes - m->successes) * 1000.0 /
		    (double)span;
		rate = measured * PACE_HOLD;
		if (!p->unsure && rate < p->rate * PACE_MAX_DROP)
			rate = p->rate * PACE_MAX_DROP;
		/* Far from the guess it was made at, or from the last one:
		 * the service may have run full in between (a small bucket
		 * keeps little of what the pace left unused) or changed its
		 * rate.  The creep is faster until two agree. */
		if (p->unsure)
			p->fast = measured < p->rate * PACE_AGREE;
		else
			p->fast = measured < p->measured * PACE_AGREE ||
			    measured * PACE_AGREE > p->measured;
		p->measured = measured;
		p->rate = rate > PACE_MIN_RATE ? rate : PACE_MIN_RATE;
		p->unsure = 0;
	} else if (p->rate <= 0) {
		/* The first 429 only marks the moment: start from a guess
		 * and grow fast, the next 429 measures. */
		p->rate = PACE_PRIOR_RATE;
		p->unsure = 1;
		p->limit = p->limit / 2 > 0 ? p->limit / 2 : 1;
		p->ssthresh = p->limit;
		p->grow = 0;
	} else if (p->unsure) {
		/* Dry again before a measurement: the guess is too high. */
		p->rate =
		    p->rate / 2 > PACE_MIN_RATE ? p->rate / 2 : PACE_MIN_RATE;
	}
	pace_mark(p, now_ms);
}

void
pace_attempt(struct pace *p, long long now_ms, long status, long retry_after_ms)
{
	if (status <= 0 || status >= 500)
		return;
	p->answered++;
	if (status == 429)
		pace_throttled(p, now_ms, retry_after_ms);
	else
		pace_success(p);
}

int
pace_limit(const struct pace *p)
{
	long rtt;
	int cap;

	if (p->rate <= 0)
		return p->limit;
	/* Paced: enough in flight to keep the rate over the answer time, and
	 * no more, so that a retry or a new batch cannot start a burst. */
	rtt = p->rtt_ms >= 0 ? p->rtt_ms : PACE_DEFAULT_RTT_MS;
	cap = (int)pace_ceil(p->rate * (double)rtt / 1000.0);
	if (cap < 1)
		cap = 1;
	return cap < p->limit ? cap : p->limit;
}

int
pace_gate_limit(const struct pace *p)
{
	int cap = pace_limit(p);

	if (p->rate > 0 && cap < p->limit_max)
		cap++;
	return cap;
}

double
pace_rate(const struct pace *p)
{
	return p->rate;
}

/* The earliest start from now_ms on: the rate's slot, Retry-After. */
static double
pace_slot(const struct pace *p, long long now_ms)
{
	double t = (double)now_ms;

	if (p->rate > 0 && p->next_ms > t)
		t = p->next_ms;
	if ((double)p->hold_ms > t)
		t = (double)p->hold_ms;
	return t;
}

long
pace_gate(struct pace *p, long long now_ms)
{
	double t, interval;

	if (p->rate <= 0 && p->hold_ms <= now_ms)
		return 0;
	t = pace_slot(p, now_ms);
	if (t > (double)now_ms)
		return (long)pace_ceil(t - (double)now_ms);
	if (p->rate > 0) {
		/* A start a little late keeps the schedule; after a pause
		 * the schedule starts again from now, without a burst. */
		interval = 1000.0 / p->rate;
		if ((double)now_ms - p->next_ms > interval / 2)
			p->next_ms = (double)now_ms;
		p->next_ms += interval;
	}
	return 0;
}

long
pace_book(struct pace *p, long long now_ms)
{
	double t;

	if (p->rate <= 0 && p->hold_ms <= now_ms)
		return 0;
	if (now_ms - p->turn_ms <= PACE_TURN_MS) {
		if (p->turn_books >= pace_limit(p))
			return 0;
	} else {
		p->turn_books = 0;
	}
	t = pace_ceil(pace_slot(p, now_ms));
	if (p->rate > 0)
		p->next_ms = t + 1000.0 / p->rate;
	p->turn_books++;
	p->turn_ms = (long long)t;
	return (long)(t - (double)now_ms);
}
