/*
 * timefmt.c - reading and writing cache timestamps (see timefmt.h).
 */
#include "idc/core/timefmt.h"

#include <stdio.h>
#include <string.h>

#include "idc/core/ascii.h"
#include "idc/core/kernel.h"

/*
 * Calendar arithmetic in UTC by hand (the proleptic Gregorian days-from-
 * civil algorithm): glibc's timegm() and gmtime_r() call tzset() and so
 * read /etc/localtime, which a cached credential-process, whose every
 * time is UTC, should not pay for.
 */
static long long
timefmt_days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
timefmt_civil_from_days(long long z, long long *year, int *month, int *day)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

static int
timefmt_month_days(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Read exactly n digits at *p into *out. */
static int
timefmt_digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (!ascii_isdigit((unsigned char)**p))
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
		if (!ascii_isdigit((unsigned char)*p))
			return -1;
		while (ascii_isdigit((unsigned char)*p))
			p++;
	}
	if (timefmt_zone(p, &off) == -1)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > timefmt_month_days(tm.tm_year, tm.tm_mon) ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	t = (time_t)(timefmt_days_from_civil(
			 tm.tm_year, tm.tm_mon, tm.tm_mday) *
		86400LL +
	    tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec);
	*out = t - off;
	return 0;
}

time_t
timefmt_now(void)
{
	struct timespec ts;

	kernel_clock(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

static char *
timefmt_put2(char *p, long long v)
{
	*p++ = (char)('0' + v / 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * Format by hand rather than with strftime(), which calls tzset() and so
 * reads /etc/localtime at every cached credential-process for a UTC time,
 * and rather than with snprintf(), whose code a cached call would
 * otherwise page in for this one string.  Years outside 0..9999 are
 * printf's.
 */
static void
timefmt_fields(time_t t, const char *zone, char *buf, size_t size)
{
	long long days = (long long)t / 86400, secs = (long long)t % 86400;
	long long year;
	int month, day;
	char tmp[64], *p = tmp;
	size_t n, zn = strlen(zone);

	if (size == 0)
		return;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	timefmt_civil_from_days(days, &year, &month, &day);
	if (year < 0 || year > 9999 || zn > 16) {
		snprintf(buf, size, "%04lld-%02d-%02dT%02lld:%02lld:%02lld%s",
		    year, month, day, secs / 3600, secs / 60 % 60, secs % 60,
		    zone);
		return;
	}
	p = timefmt_put2(p, year / 100);
	p = timefmt_put2(p, year % 100);
	*p++ = '-';
	p = timefmt_put2(p, month);
	*p++ = '-';
	p = timefmt_put2(p, day);
	*p++ = 'T';
	p = timefmt_put2(p, secs / 3600);
	*p++ = ':';
	p = timefmt_put2(p, secs / 60 % 60);
	*p++ = ':';
	p = timefmt_put2(p, secs % 60);
	memcpy(p, zone, zn);
	p += zn;
	n = (size_t)(p - tmp) < size - 1 ? (size_t)(p - tmp) : size - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

void
timefmt_utc(time_t t, char *buf, size_t size)
{
	timefmt_fields(t, "Z", buf, size);
}

void
timefmt_utc_offset(time_t t, char *buf, size_t size)
{
	timefmt_fields(t, "+00:00", buf, size);
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
