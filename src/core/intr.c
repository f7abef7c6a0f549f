/*
 * intr.c - signal flag and interruptible sleep (see intr.h).
 */
#include "idc/core/intr.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "idc/core/kernel.h"

static volatile sig_atomic_t intr_signal;

static void
intr_handler(int signo)
{
	intr_signal = signo;
}

void
intr_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = intr_handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking read or poll returns EINTR at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
intr_pending(void)
{
	return intr_signal;
}

void
intr_raise(int signo)
{
	intr_signal = signo;
}

long long
intr_now_ms(void)
{
	struct timespec ts;

	kernel_clock(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
intr_sleep_ms(long ms)
{
	struct timespec left;
	long step;

	while (ms > 0) {
		if (intr_signal)
			return -1;
		/* Short slices: a signal that lands between the check and
		 * nanosleep would otherwise cost the whole sleep. */
		step = ms > 100 ? 100 : ms;
		left.tv_sec = step / 1000;
		left.tv_nsec = (step % 1000) * 1000000L;
		while (nanosleep(&left, &left) == -1 && errno == EINTR)
			if (intr_signal)
				return -1;
		ms -= step;
	}
	return intr_signal ? -1 : 0;
}
