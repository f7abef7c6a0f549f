/*
 * timefmt.h - the timestamps of the shared AWS cache files.
 *
 * Written as the AWS CLI writes them: "YYYY-MM-DDTHH:MM:SSZ" in UTC.  Read
 * as every writer in the wild wrote them: a "Z", a "+hh:mm" / "-hh:mm" /
 * "+hhmm" offset, fractional seconds (the JS SDK's ".000Z"), the old
 * "UTC" suffix of AWS CLI <= 2.1.13, or no zone at all (taken as UTC).
 */
#ifndef IDC_TIMEFMT_H
#define IDC_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* The wall clock in seconds since the epoch, by a system call
 * (kernel.h), as the deadline's clock is. */
time_t timefmt_now(void);

/* Parse s; 0 and *out set, or -1 when s is not such a timestamp. */
int timefmt_parse(const char *s, time_t *out);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void timefmt_utc(time_t t, char *buf, size_t size);

/* Format t as "YYYY-MM-DDTHH:MM:SS+00:00" (Python isoformat, used by the
 * AWS CLI's export-credentials). */
void timefmt_utc_offset(time_t t, char *buf, size_t size);

/* "in 7h 59m", "in 42s", "3m ago": a human duration from now to t. */
void timefmt_relative(time_t t, time_t now, char *buf, size_t size);

#endif
