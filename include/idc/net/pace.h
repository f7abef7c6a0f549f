/*
 * pace.h - how hard to press a throttled service: an adaptive cap on the
 * requests in flight and, once the service has answered 429, on the
 * requests started per second.
 *
 * IAM Identity Center throttles the access portal at about 20 requests per
 * second for a whole organisation (field-notes.md 2), with a token bucket
 * that first lets a burst through.  The cap starts at the caller's value
 * (about 8) and creeps up on success (one more per round of successes,
 * doubling up to the first threshold); a 429 halves it and turns on the
 * rate: the successes of the last second, a little less, then creeping up
 * by a quarter request per second each second, and cut again at the next
 * 429 (at most once a second: one cut per burst).  When too little got
 * through to measure anything (429s from the start), the rate starts at
 * half the documented quota and doubles every second until the next
 * cut.  The rate never goes below 2 per second.  A Retry-After holds
 * every start until it has passed.
 *
 * Pure arithmetic on times (intr_now_ms() milliseconds) that the caller
 * passes in: no clock, no I/O, no allocation, so that the unit tests can
 * replay any sequence.  Nothing here fails.
 */
#ifndef IDC_PACE_H
#define IDC_PACE_H

/* Successes remembered to measure the rate of the last second. */
#define PACE_RING 256

struct pace {
	int limit;         /* in-flight cap before the rate's own cap */
	int limit_max;     /* never above this */
	int ssthresh;      /* below it the cap grows by one per success */
	int grow;          /* successes since the cap last grew */
	double rate;       /* starts per second; 0 while never throttled */
	int unsure;        /* the rate is a guess, not a measurement */
	long rtt_ms;       /* smoothed answer time, for the paced cap */
	long long cut_ms;  /* when the rate was last cut (0: never) */
	long long hold_ms; /* no start before this (Retry-After) */
	long long next_ms; /* the next start's slot when paced */
	long long turn_ms; /* end of the current turn of bookings */
	int turn_books;    /* starts booked in this turn */
	unsigned long throttled; /* attempts answered 429 */
	unsigned long answered;  /* attempts answered at all */
	unsigned long successes; /* attempts answered, not 429 */
	long long ok[PACE_RING]; /* times of recent successes */
	unsigned ok_head, ok_count;
};

/* Start with start_limit in flight, never more than max_limit. */
void pace_init(struct pace *p, int start_limit, int max_limit);

/* One measured answer time (an attempt that was not retried). */
void pace_sample_rtt(struct pace *p, long rtt_ms);

/*
 * An attempt ended at now_ms with HTTP status (0: no answer) and the
 * answer's Retry-After in ms (-1: none).  429 cuts, other answers below
 * 500 count as successes; 5xx and transport failures change nothing.
 */
void pace_attempt(
    struct pace *p, long long now_ms, long status, long retry_after_ms);

/*
 * Book the start that follows an attempt's end at now_ms: how many ms to
 * wait before it (0 while unpaced).  Ends that arrive together (within
 * the same turn of the caller's loop) book at most as many starts as the
 * cap allows, since no more can follow them.
 */
long pace_book(struct pace *p, long long now_ms);

/* The cap on requests in flight to use now (1 or more). */
int pace_limit(const struct pace *p);

/* The current rate in starts per second, 0 while unpaced. */
double pace_rate(const struct pace *p);

/* Successes counted in the second up to now_ms. */
unsigned pace_recent(const struct pace *p, long long now_ms);

#endif
