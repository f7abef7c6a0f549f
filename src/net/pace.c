/*
 * pace.c - the adaptive concurrency and rate limit for throttled services
 * (see pace.h): additive increase, multiplicative decrease, on the cap of
 * requests in flight and, after the first 429, on starts per second.
 */
#include "idc/net/pace.h"

#include <math.h>
#include <string.h>

/* The second over which the service's pace is measured. */
#define PACE_WINDOW_MS 1000
/* A cut sets the rate to this share of what got through in the last
 * second; the first cut less, since that second had the service's burst. */
#define PACE_BETA       0.9
#define PACE_BETA_FIRST 0.8
/* Rate gained per second of successes (requests per second). */
#define PACE_INCREASE 0.25
/* While the rate is a guess (see PACE_MIN_MEASURED), each success adds
 * this: the rate doubles every second (ln 2). */
#define PACE_UNSURE_STEP 0.69
#define PACE_MIN_RATE    2.0
/* Fewer successes than this in the last second do not measure the
 * service; the rate then starts from PACE_PRIOR_RATE. */
#define PACE_MIN_MEASURED 8
#define PACE_PRIOR_RATE   10.0
/* One cut per burst of 429s: the answers to requests already sent when
 * the first 429 came back say nothing new. */
#define PACE_COOLDOWN_MS 1000
/* Bookings closer together than this belong to one turn. */
#define PACE_TURN_MS        2
#define PACE_DEFAULT_RTT_MS 100
/* Identity Center documents about 20 requests per second for a whole
 * organisation, with a burst first: until twice that many answers came
 * back unthrottled, the cap grows slowly, so that few requests are in
 * flight when the burst runs out. */
#define PACE_PROBE 40

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

unsigned
pace_recent(const struct pace *p, long long now_ms)
{
	unsigned i, n = 0, idx;

	for (i = 0; i < p->ok_count; i++) {
		idx = (p->ok_head + PACE_RING - 1 - i) % PACE_RING;
		if (now_ms - p->ok[idx] >= PACE_WINDOW_MS)
			break;
		n++;
	}
	return n;
}

static void
pace_success(struct pace *p, long long now_ms)
{
	p->successes++;
	p->ok[p->ok_head] = now_ms;
	p->ok_head = (p->ok_head + 1) % PACE_RING;
	if (p->ok_count < PACE_RING)
		p->ok_count++;
	if (p->rate > 0)
		p->rate +=
		    p->unsure ? PACE_UNSURE_STEP : PACE_INCREASE / p->rate;
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

static void
pace_throttled(struct pace *p, long long now_ms, long retry_after_ms)
{
	double measured, rate;

	p->throttled++;
	if (retry_after_ms >= 0 && now_ms + retry_after_ms > p->hold_ms)
		p->hold_ms = now_ms + retry_after_ms;
	if (p->cut_ms != 0 && now_ms - p->cut_ms < PACE_COOLDOWN_MS)
		return;
	p->cut_ms = now_ms;
	p->limit = p->limit / 2 > 0 ? p->limit / 2 : 1;
	p->ssthresh = p->limit;
	p->grow = 0;
	/* What got through in the last second is what the service allows
	 * when we press it; a little less leaves its bucket room to refill.
	 * Too few answers say nothing (429s before anything got through):
	 * then half the documented quota, growing fast until the next cut. */
	measured = (double)pace_recent(p, now_ms) * 1000.0 / PACE_WINDOW_MS;
	p->unsure = measured < PACE_MIN_MEASURED;
	if (p->unsure)
		rate = p->rate > 0 && p->rate * PACE_BETA < PACE_PRIOR_RATE
		    ? p->rate * PACE_BETA
		    : PACE_PRIOR_RATE;
	else if (p->rate > 0)
		rate = (p->rate < measured ? p->rate : measured) * PACE_BETA;
	else
		rate = measured * PACE_BETA_FIRST;
	p->rate = rate > PACE_MIN_RATE ? rate : PACE_MIN_RATE;
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
		pace_success(p, now_ms);
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
	cap = (int)ceil(p->rate * (double)rtt / 1000.0);
	if (cap < 1)
		cap = 1;
	return cap < p->limit ? cap : p->limit;
}

double
pace_rate(const struct pace *p)
{
	return p->rate;
}

long
pace_book(struct pace *p, long long now_ms)
{
	long long t;

	if (p->rate <= 0 && p->hold_ms <= now_ms)
		return 0;
	if (now_ms - p->turn_ms <= PACE_TURN_MS) {
		if (p->turn_books >= pace_limit(p))
			return 0;
	} else {
		p->turn_books = 0;
	}
	t = now_ms;
	if (p->rate > 0 && p->next_ms > t)
		t = p->next_ms;
	if (p->hold_ms > t)
		t = p->hold_ms;
	if (p->rate > 0)
		p->next_ms = t + (long long)(1000.0 / p->rate);
	p->turn_books++;
	p->turn_ms = t;
	return (long)(t - now_ms);
}
