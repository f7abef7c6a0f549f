/*
 * timefmt.c - reading and writing cache timestamps (see timefmt.h).
 */
#include "idc/core/timefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Read exactly n digits at *p into *out. */
static int
timefmt_digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

static int
timefmt_expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* The zone suffix at p: seconds east of UTC in *off. */
static int
timefmt_zone(const char *p, long *off)
{
	int hh, mm = 0, sign;

	*off = 0;
	if (*p == '\0' || strcmp(p, "Z") == 0 || strcmp(p, "z") == 0 ||
	    strcmp(p, "UTC") == 0)
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (timefmt_digits(&p, 2, &hh) == -1)
		return -1;
	if (*p == ':')
		p++;
	if (*p != '\0' && timefmt_digits(&p, 2, &mm) == -1)
		return -1;
	if (*p != '\0' || hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600L + mm * 60L);
	return 0;
}

int
timefmt_parse(const char *s, time_t *out)
{
	struct tm tm;
	const char *p = s;
	long off;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || timefmt_digits(&p, 4, &tm.tm_year) == -1 ||
	    timefmt_expect(&p, '-') == -1 ||
	    timefmt_digits(&p, 2, &tm.tm_mon) == -1 ||
	    timefmt_expect(&p, '-') == -1 ||
	    timefmt_digits(&p, 2, &tm.tm_mday) == -1 ||
	    (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (timefmt_digits(&p, 2, &tm.tm_hour) == -1 ||
	    timefmt_expect(&p, ':') == -1 ||
	    timefmt_digits(&p, 2, &tm.tm_min) == -1 ||
	    timefmt_expect(&p, ':') == -1 ||
	    timefmt_digits(&p, 2, &tm.tm_sec) == -1)
		return -1;
	if (*p == '.' || *p == ',') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (timefmt_zone(p, &off) == -1)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = t - off;
	return 0;
}

void
timefmt_utc(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
timefmt_utc_offset(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

void
timefmt_relative(time_t t, time_t now, char *buf, size_t size)
{
	long long d = (long long)t - (long long)now;
	long long a = d < 0 ? -d : d;
	char span[32];

	if (a >= 86400)
		snprintf(span, sizeof span, "%lldd %lldh", a / 86400,
		    a % 86400 / 3600);
	else if (a >= 3600)
		snprintf(
		    span, sizeof span, "%lldh %lldm", a / 3600, a % 3600 / 60);
	else if (a >= 60)
		snprintf(span, sizeof span, "%lldm %llds", a / 60, a % 60);
	else
		snprintf(span, sizeof span, "%llds", a);
	if (d >= 0)
		snprintf(buf, size, "in %s", span);
	else
		snprintf(buf, size, "%s ago", span);
}
