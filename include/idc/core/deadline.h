/*
 * deadline.h - the one overall time limit of a command.
 *
 * Every command runs under a deadline (--timeout SECONDS, IDC_TIMEOUT, or
 * the command's default; see idc(1)).  Everything that waits on a machine
 * asks how long is left and waits no longer: an HTTP attempt (connect and
 * transfer), a retry's backoff or Retry-After, a lock.  Waiting for a
 * person (the device-code approval, the PKCE redirect) is not idc's time:
 * the flow pauses the deadline for it, and that wait keeps its own limit
 * (the code's expiry).  Process-global; all times are on the monotonic
 * clock (intr_now_ms).  Nothing here fails or allocates.
 */
#ifndef IDC_DEADLINE_H
#define IDC_DEADLINE_H

#define DEADLINE_MAX_S 86400

/* The deadline is total_ms from now; 0: none (forever). */
void deadline_start(long long total_ms);

/* Milliseconds left (0 once passed), or -1 when there is no deadline. */
long long deadline_left_ms(void);

/* 1 once the deadline has passed, else 0. */
int deadline_passed(void);

/* The total set by deadline_start, in whole seconds (0: none), for
 * messages ("the 20 s deadline"). */
long deadline_total_s(void);

/*
 * ms clamped to what is left: ms itself when there is no deadline or more
 * is left, else the time left, at least 1 (so that a timeout option is
 * never 0, which means "forever" to libcurl).  ms <= 0 means "forever":
 * the time left, or 0 when there is no deadline.
 */
long deadline_clamp_ms(long ms);

/* Stop the clock while a person is asked to act, and start it again
 * (the deadline moves by the time paused).  Pauses do not nest. */
void deadline_pause(void);
void deadline_resume(void);

/* Parse a number of seconds from --timeout or IDC_TIMEOUT: 0 to
 * DEADLINE_MAX_S, 0 meaning none.  0 with *out set, or -1. */
int deadline_parse_s(const char *text, long *out);

#endif
