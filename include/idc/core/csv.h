/*
 * csv.h - RFC 4180 CSV in UTF-8, sans-I/O: a whole text parsed into
 * records of fields, and records written back.
 *
 * Fields are separated by ',' and records by CRLF or LF; a field in double
 * quotes may hold commas, line breaks and "" (one quote).  A UTF-8 byte
 * order mark at the start is skipped; empty lines are skipped.  Each
 * record remembers the line it starts on (1-based), for messages.
 *
 * Refused, with IDC_EUSAGE and the line: a quote inside an unquoted field,
 * anything but ',' or a line break after a closing quote, an unclosed
 * quote, bytes that are not UTF-8, a NUL byte, and more than CSV_MAX_FIELDS
 * fields, CSV_MAX_FIELD bytes in a field or CSV_MAX_RECORDS records.
 */
#ifndef IDC_CSV_H
#define IDC_CSV_H

#include <stddef.h>

struct idc_buf;
struct idc_err;

#define CSV_MAX_FIELDS  64
#define CSV_MAX_FIELD   4096
#define CSV_MAX_RECORDS 100000

struct csv_record {
	char **fields; /* NUL-terminated UTF-8, no NUL inside */
	size_t n;
	size_t line; /* where the record starts */
};

struct csv_doc {
	struct csv_record *records;
	size_t n;
};

/* Parse len bytes of data (name is used in messages) into *out, which is
 * set only on success (csv_free). */
int csv_parse(const char *data, size_t len, const char *name,
    struct csv_doc **out, struct idc_err *err);
void csv_free(struct csv_doc *doc);

/* Append record as one CSV line (CRLF), quoting the fields that need it.
 * Fails only past out's maximum. */
int csv_render_record(const struct csv_record *rec, struct idc_buf *out);

#endif
