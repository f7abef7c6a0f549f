/*
 * csv.c - RFC 4180 CSV (see csv.h): a small state machine over the bytes,
 * one field at a time, into bounded buffers.
 */
#include "idc/core/csv.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
csv_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

struct csv_state {
	const char *name;
	struct csv_doc *doc;
	struct csv_record cur;
	struct idc_buf field;
	size_t line;
	size_t cap_records, cap_fields;
	int quoted; /* the record has a quoted field: "" is not empty */
};

static void
csv_record_free(struct csv_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->fields[i]);
	free(r->fields);
	memset(r, 0, sizeof *r);
}

void
csv_free(struct csv_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->n; i++)
		csv_record_free(&doc->records[i]);
	free(doc->records);
	free(doc);
}

static int
csv_end_field(struct csv_state *st, struct idc_err *err)
{
	if (st->cur.n == CSV_MAX_FIELDS)
		return idc_err_set(err, IDC_EUSAGE,
		    "'%s' line %zu: more than %d fields", st->name, st->line,
		    CSV_MAX_FIELDS);
	if (st->cur.n == st->cap_fields) {
		st->cap_fields = st->cap_fields ? st->cap_fields * 2 : 8;
		st->cur.fields = xreallocarray(
		    st->cur.fields, st->cap_fields, sizeof *st->cur.fields);
	}
	st->cur.fields[st->cur.n++] = idc_buf_detach(&st->field, NULL);
	return 0;
}

static int
csv_end_record(struct csv_state *st, struct idc_err *err)
{
	struct csv_doc *d = st->doc;

	if (csv_end_field(st, err) == -1)
		return -1;
	/* An empty line is one empty field: skip it. */
	if (st->cur.n == 1 && st->cur.fields[0][0] == '\0' && !st->quoted) {
		csv_record_free(&st->cur);
		st->cap_fields = 0;
		st->quoted = 0;
		return 0;
	}
	if (d->n == CSV_MAX_RECORDS)
		return idc_err_set(err, IDC_EUSAGE,
		    "'%s' has more than %d records", st->name, CSV_MAX_RECORDS);
	if (d->n == st->cap_records) {
		st->cap_records = st->cap_records ? st->cap_records * 2 : 16;
		d->records = xreallocarray(
		    d->records, st->cap_records, sizeof *d->records);
	}
	d->records[d->n++] = st->cur;
	memset(&st->cur, 0, sizeof st->cur);
	st->cap_fields = 0;
	st->quoted = 0;
	return 0;
}

static int
csv_add(struct csv_state *st, const char *p, size_t n, struct idc_err *err)
{
	if (idc_buf_add(&st->field, p, n) == -1)
		return idc_err_set(err, IDC_EUSAGE,
		    "'%s' line %zu: a field longer than %d bytes", st->name,
		    st->line, CSV_MAX_FIELD);
	return 0;
}

int
csv_parse(const char *data, size_t len, const char *name, struct csv_doc **out,
    struct idc_err *err)
{
	const unsigned char *s = (const unsigned char *)data;
	struct csv_state st;
	size_t i = 0, u, start_line;
	int quoted, r = -1;

	memset(&st, 0, sizeof st);
	st.name = name;
	st.doc = xcalloc(1, sizeof *st.doc);
	idc_buf_init(&st.field, CSV_MAX_FIELD);
	st.line = 1;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	st.cur.line = 1;
	while (i < len) {
		/* One field. */
		quoted = s[i] == '"';
		start_line = st.line;
		if (quoted) {
			st.quoted = 1;
			i++;
		}
		for (;;) {
			if (i == len) {
				if (quoted) {
					idc_err_set(err, IDC_EUSAGE,
					    "'%s' line %zu: a quoted field is "
					    "not closed",
					    name, start_line);
					goto out;
				}
				break;
			}
			if (s[i] == '\0') {
				idc_err_set(err, IDC_EUSAGE,
				    "'%s' line %zu: a NUL byte", name, st.line);
				goto out;
			}
			if (quoted && s[i] == '"') {
				if (i + 1 < len && s[i + 1] == '"') {
					if (csv_add(&st, "\"", 1, err) == -1)
						goto out;
					i += 2;
					continue;
				}
				i++;
				if (i < len && s[i] != ',' && s[i] != '\n' &&
				    !(s[i] == '\r' && i + 1 < len &&
					s[i + 1] == '\n')) {
					idc_err_set(err, IDC_EUSAGE,
					    "'%s' line %zu: text after a "
					    "closing quote",
					    name, st.line);
					goto out;
				}
				break;
			}
			if (!quoted &&
			    (s[i] == ',' || s[i] == '\n' ||
				(s[i] == '\r' && i + 1 < len &&
				    s[i + 1] == '\n')))
				break;
			if (!quoted && s[i] == '"') {
				idc_err_set(err, IDC_EUSAGE,
				    "'%s' line %zu: a quote inside an unquoted "
				    "field",
				    name, st.line);
				goto out;
			}
			if ((u = csv_utf8_len(s + i, len - i)) == 0) {
				idc_err_set(err, IDC_EUSAGE,
				    "'%s' line %zu: not UTF-8", name, st.line);
				goto out;
			}
			if (s[i] == '\n')
				st.line++;
			if (csv_add(&st, data + i, u, err) == -1)
				goto out;
			i += u;
		}
		/* What ends it. */
		if (i == len) {
			if (csv_end_record(&st, err) == -1)
				goto out;
			break;
		}
		if (s[i] == ',') {
			i++;
			if (csv_end_field(&st, err) == -1)
				goto out;
			/* A trailing comma: one more empty field. */
			if (i == len && csv_end_record(&st, err) == -1)
				goto out;
			continue;
		}
		i += s[i] == '\r' ? 2 : 1;
		if (csv_end_record(&st, err) == -1)
			goto out;
		st.line++;
		st.cur.line = st.line;
	}
	*out = st.doc;
	st.doc = NULL;
	r = 0;
out:
	csv_record_free(&st.cur);
	idc_buf_release(&st.field);
	csv_free(st.doc);
	return r;
}

int
csv_render_record(const struct csv_record *rec, struct idc_buf *out)
{
	const char *f;
	size_t i;

	for (i = 0; i < rec->n; i++) {
		f = rec->fields[i];
		if (i > 0 && idc_buf_addch(out, ',') == -1)
			return -1;
		/* Quoted too: "" alone (not an empty line) and a leading
		 * byte order mark (not skipped). */
		if (f[strcspn(f, ",\"\r\n")] == '\0' &&
		    !(rec->n == 1 && f[0] == '\0') &&
		    strncmp(f, "\xef\xbb\xbf", 3) != 0) {
			if (idc_buf_addstr(out, f) == -1)
				return -1;
			continue;
		}
		if (idc_buf_addch(out, '"') == -1)
			return -1;
		for (; *f != '\0'; f++)
			if ((*f == '"' && idc_buf_addch(out, '"') == -1) ||
			    idc_buf_addch(out, *f) == -1)
				return -1;
		if (idc_buf_addch(out, '"') == -1)
			return -1;
	}
	return idc_buf_addstr(out, "\r\n");
}
