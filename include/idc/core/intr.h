/*
 * intr.h - interruption (Ctrl-C, SIGTERM) and time for bounded waits.
 *
 * main.c installs intr_install(); a signal only sets a flag.  Every wait in
 * idc (lock polls, device-code polling, retry backoff) sleeps through
 * intr_sleep_ms so that it ends at once when the person presses Ctrl-C, and
 * the command then unwinds cleanly (nothing half-written) with IDC_EINTR.
 */
#ifndef IDC_INTR_H
#define IDC_INTR_H

/* Install SIGINT / SIGTERM / SIGHUP handlers that set the flag. */
void intr_install(void);

/* The signal that arrived, or 0. */
int intr_pending(void);

/* Set the flag as a signal would (for tests, and for callers that abort). */
void intr_raise(int signo);

/* Milliseconds on the monotonic clock. */
long long intr_now_ms(void);

/* Sleep ms milliseconds; returns -1 early when interrupted, else 0. */
int intr_sleep_ms(long ms);

#endif
