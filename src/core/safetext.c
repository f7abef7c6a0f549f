/*
 * safetext.c - visible escapes for control characters, bidi controls and
 * invalid UTF-8 in untrusted text (see safetext.h).
 */
#include "idc/core/safetext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/xmalloc.h"

/* The longest escape, "\u202e" or "\x1b", with its NUL. */
#define SAFETEXT_ESC_MAX 8

static int
safetext_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Code points that reorder or break what a terminal shows. */
static int
safetext_bad_cp(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	    cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

/*
 * The length of the next unit (a byte or a UTF-8 sequence) at s, which has
 * left > 0 bytes; esc gets its escape, or "" when it passes as it is.
 */
static size_t
safetext_next(const unsigned char *s, size_t left, char esc[SAFETEXT_ESC_MAX])
{
	static const char named[] = "abtnvfr"; /* 0x07 .. 0x0d */
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	unsigned long cp;
	size_t n, i;

	esc[0] = '\0';
	if (c < 0x80) {
		if (c >= 0x07 && c <= 0x0d)
			snprintf(
			    esc, SAFETEXT_ESC_MAX, "\\%c", named[c - 0x07]);
		else if (c < 0x20 || c == 0x7f)
			snprintf(esc, SAFETEXT_ESC_MAX, "\\x%02x", c);
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		n = 0; /* a stray continuation, 0xc0, 0xc1, 0xf5 and up */
	}
	if (n == 0 || n > left || s[1] < lo || s[1] > hi) {
		snprintf(esc, SAFETEXT_ESC_MAX, "\\x%02x", c);
		return 1;
	}
	for (i = 1; i < n; i++) {
		if (!safetext_cont(s[i])) {
			snprintf(esc, SAFETEXT_ESC_MAX, "\\x%02x", c);
			return 1;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (safetext_bad_cp(cp))
		snprintf(esc, SAFETEXT_ESC_MAX, "\\u%04lx", cp);
	return n;
}

void
safetext_append(struct idc_buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[SAFETEXT_ESC_MAX];
	size_t i = 0, n;
	int r;

	while (i < len) {
		n = safetext_next(p + i, len - i, esc);
		r = esc[0] != '\0' ? idc_buf_addstr(b, esc)
				   : idc_buf_add(b, p + i, n);
		if (r == -1)
			return;
		i += n;
	}
}

char *
safetext_dup(const char *s)
{
	struct idc_buf b = IDC_BUF_INIT((size_t)-2);

	if (s == NULL)
		return NULL;
	safetext_append(&b, s, strlen(s));
	return idc_buf_detach(&b, NULL);
}

char *
safetext_copy(char *out, size_t size, const char *s)
{
	struct idc_buf b = IDC_BUF_INIT(size > 0 ? size - 1 : 0);

	if (size == 0)
		return out;
	safetext_append(&b, s, strlen(s));
	memcpy(out, idc_buf_cstr(&b), b.len + 1);
	idc_buf_release(&b);
	return out;
}

int
safetext_is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[SAFETEXT_ESC_MAX];
	size_t i = 0;

	while (i < len) {
		i += safetext_next(p + i, len - i, esc);
		if (esc[0] != '\0')
			return 0;
	}
	return 1;
}

int
safetext_is_token(const char *s, size_t max)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		if ((unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f)
			return 0;
	return n >= 1 && n <= max;
}

void
safetext_fputs(const char *s, FILE *fp)
{
	char *safe = safetext_dup(s);

	fputs(safe, fp);
	free(safe);
}
