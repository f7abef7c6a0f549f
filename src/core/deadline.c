/*
 * deadline.c - the command's overall time limit (see deadline.h).
 */
#include "idc/core/deadline.h"

#include <errno.h>
#include <stdlib.h>

#include "idc/core/intr.h"

static long long deadline_at;     /* monotonic ms; 0: none */
static long long deadline_total;  /* ms */
static long long deadline_paused; /* when the pause began; 0: running */

void
deadline_start(long long total_ms)
{
	deadline_paused = 0;
	deadline_total = total_ms > 0 ? total_ms : 0;
	deadline_at = total_ms > 0 ? intr_now_ms() + total_ms : 0;
}

long long
deadline_left_ms(void)
{
	long long now = deadline_paused != 0 ? deadline_paused : intr_now_ms();

	if (deadline_at == 0)
		return -1;
	return deadline_at > now ? deadline_at - now : 0;
}

int
deadline_passed(void)
{
	return deadline_left_ms() == 0;
}

long
deadline_total_s(void)
{
	return (long)((deadline_total + 999) / 1000);
}

long
deadline_clamp_ms(long ms)
{
	long long left = deadline_left_ms();

	if (left < 0)
		return ms > 0 ? ms : 0;
	if (left == 0)
		left = 1;
	if (ms > 0 && ms <= left)
		return ms;
	return (long)left;
}

void
deadline_pause(void)
{
	if (deadline_at != 0 && deadline_paused == 0)
		deadline_paused = intr_now_ms();
}

void
deadline_resume(void)
{
	if (deadline_paused == 0)
		return;
	deadline_at += intr_now_ms() - deadline_paused;
	deadline_paused = 0;
}

int
deadline_parse_s(const char *text, long *out)
{
	char *end;
	long n;

	if (text == NULL || text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	n = strtol(text, &end, 10);
	if (*end != '\0' || errno != 0 || n < 0 || n > DEADLINE_MAX_S)
		return -1;
	*out = n;
	return 0;
}
