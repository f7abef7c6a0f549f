/*
 * url.c - percent-encoding and decoding (see url.h).
 */
#include "idc/core/url.h"

#include <string.h>

#include "idc/core/buf.h"

static int
url_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

int
url_encode(struct idc_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	size_t before = b->len;
	char esc[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (url_unreserved(*p)) {
			if (idc_buf_addch(b, (char)*p) == -1)
				goto full;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		if (idc_buf_add(b, esc, 3) == -1)
			goto full;
	}
	return 0;
full:
	b->len = before;
	if (b->data != NULL)
		b->data[before] = '\0';
	return -1;
}

int
url_add_query(struct idc_buf *b, const char *name, const char *value)
{
	const char *url = idc_buf_cstr(b), *frag = strrchr(url, '#');
	size_t before = b->len;

	/* After a fragment ("#/console"), its own query counts. */
	if (idc_buf_addf(b, "%c%s=",
		strchr(frag != NULL ? frag : url, '?') != NULL ? '&' : '?',
		name) == -1)
		return -1;
	if (url_encode(b, value) == -1) {
		b->len = before;
		b->data[before] = '\0';
		return -1;
	}
	return 0;
}

int
url_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
url_query_value(const char *query, const char *name, size_t max)
{
	size_t n = strlen(name);
	const char *p = query, *end;
	struct idc_buf v = IDC_BUF_INIT(max);
	int hi, lo, bad = 0;

	while (p != NULL && *p != '\0') {
		end = p + strcspn(p, "& #\r\n\t");
		if ((size_t)(end - p) > n && strncmp(p, name, n) == 0 &&
		    p[n] == '=') {
			for (p += n + 1; p < end && !bad; p++) {
				if (*p == '%' && end - p >= 3 &&
				    (hi = url_hexval(p[1])) >= 0 &&
				    (lo = url_hexval(p[2])) >= 0) {
					bad = idc_buf_addch(
					    &v, (char)(hi * 16 + lo));
					p += 2;
				} else {
					bad = idc_buf_addch(
					    &v, *p == '+' ? ' ' : *p);
				}
			}
			if (bad) {
				idc_buf_release(&v);
				return NULL;
			}
			return idc_buf_detach(&v, NULL);
		}
		if (*end != '&')
			break;
		p = end + 1;
	}
	idc_buf_release(&v);
	return NULL;
}
