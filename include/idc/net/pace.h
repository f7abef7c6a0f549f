/*
 * pace.h - how hard to press a throttled service: an adaptive cap on the
 * requests in flight and, once the service has answered 429, the rate of
 * starts per second it allows, learnt from its answers.
 *
 * IAM Identity Center throttles the access portal at about 20 requests per
 * second for a whole organisation (field-notes.md 2), with a token bucket
 * that first lets a burst through.  Until the first 429 the cap starts at
 * the caller's value (about 8) and creeps up on success (one more per round
 * of successes through the first answers, then doubling up to the
 * maximum).
 *
 * A 429 says the service had nothing left for us at that moment.  Between
 * two such moments a token bucket let through exactly what it earned in
 * between (unless it ran full meanwhile, which only makes the figure
 * lower), so the successes counted between two 429s at least a second
 * apart, over the time between them, are the rate it allows: the pace then
 * holds a little under that (PACE_HOLD) and creeps up very slowly
 * (0.2% per second), so that a bucket gives back as a burst what the pace
 * left unused and the next 429, rare, measures again.  One measurement
 * lowers the rate at most by half.  Before the first measurement (the
 * first 429 only marks the moment) the rate starts at half the documented
 * quota and doubles every second.  The rate never goes below 2 per second.
 * A Retry-After holds every start until it has passed; the time held does
 * not count in a measurement.
 *
 * Pure arithmetic on times (intr_now_ms() milliseconds) that the caller
 * passes in: no clock, no I/O, no allocation, so that the unit tests can
 * replay any sequence.  Nothing here fails.
 */
#ifndef IDC_PACE_H
#define IDC_PACE_H

/* Moments of 429 remembered for measuring (at most one per 100 ms). */
#define PACE_MARKS 16

/* A 429's moment: the service had nothing left. */
struct pace_mark {
	long long t_ms;
	unsigned long successes; /* counted up to then */
	long long held_ms;       /* ms held by Retry-After up to then */
};

struct pace {
	int limit;         /* in-flight cap before the rate's own cap */
	int limit_max;     /* never above this */
	int ssthresh;      /* below it the cap grows by one per success */
	int grow;          /* successes since the cap last grew */
	double rate;       /* starts per second; 0 while never throttled */
	int unsure;        /* the rate is a guess, not a measurement */
	int fast;          /* the last measurement may be low: creep faster */
	double measured;   /* the last measured rate, 0: none yet */
	long rtt_ms;       /* smoothed answer time, for the paced cap */
	long long hold_ms; /* no start before this (Retry-After) */
	long long held_ms; /* ms of Retry-After holds, also ahead */
	double next_ms;    /* the next start's slot when paced */
	long long turn_ms; /* end of the current turn of bookings */
	int turn_books;    /* starts booked in this turn */
	unsigned long throttled; /* attempts answered 429 */
	unsigned long answered;  /* attempts answered at all */
	unsigned long successes; /* attempts answered, not 429 */
	struct pace_mark marks[PACE_MARKS];
	unsigned mark_head, mark_count;
};

/* Start with start_limit in flight, never more than max_limit. */
void pace_init(struct pace *p, int start_limit, int max_limit);

/* One measured answer time (an attempt that was not retried). */
void pace_sample_rtt(struct pace *p, long rtt_ms);

/*
 * An attempt ended at now_ms with HTTP status (0: no answer) and the
 * answer's Retry-After in ms (-1: none).  429 measures or marks, other
 * answers below 500 count as successes; 5xx and transport failures
 * change nothing.
 */
void pace_attempt(
    struct pace *p, long long now_ms, long status, long retry_after_ms);

/*
 * For a caller that asks before every start (http_gate_fn): how many ms
 * the start it could make at now_ms must wait; 0 when it may start now,
 * and it is then counted as made.  Starts are spaced by the rate; a start
 * a little late keeps the schedule, so that the rate holds on average.
 */
long pace_gate(struct pace *p, long long now_ms);

/*
 * For a caller that waits after every attempt instead: book the start
 * that follows an attempt's end at now_ms, and say how many ms to wait
 * before it (0 while unpaced).  Ends that arrive together (within the
 * same turn of the caller's loop) book at most as many starts as the cap
 * allows, since no more can follow them.
 */
long pace_book(struct pace *p, long long now_ms);

/* The cap on requests in flight to use now (1 or more): while paced,
 * what the rate needs over one answer time. */
int pace_limit(const struct pace *p);

/* The cap for a caller spacing its starts with pace_gate: one more than
 * pace_limit while paced, so that a slow answer costs no slot. */
int pace_gate_limit(const struct pace *p);

/* The current rate in starts per second, 0 while unpaced. */
double pace_rate(const struct pace *p);

#endif
