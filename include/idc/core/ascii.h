/*
 * ascii.h - character classes and case folding for ASCII-only formats.
 *
 * Region names, RFC 3339 times and URL schemes are ASCII by definition,
 * so the locale's view of a byte must never matter to them.  libc's
 * <ctype.h> and strncasecmp() read locale tables, and each sits on pages
 * of libc that a cached credential-process would otherwise never touch:
 * every one costs a page fault and a symbol lookup at each call of the
 * hot path.  These are inline, own no memory and cannot fail.
 */
#ifndef IDC_ASCII_H
#define IDC_ASCII_H

#include <stddef.h>
#include <string.h>

static inline int
ascii_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
ascii_islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline int
ascii_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether s starts with lower, ignoring ASCII case (lower is lower-case). */
static inline int
ascii_prefix_icase(const char *s, const char *lower)
{
	for (; *lower != '\0'; s++, lower++)
		if (ascii_tolower((unsigned char)*s) != *lower)
			return 0;
	return 1;
}

/* Whether the n bytes at s are lower, ignoring ASCII case. */
static inline int
ascii_equal_icase(const char *s, size_t n, const char *lower)
{
	size_t i;

	if (strlen(lower) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (ascii_tolower((unsigned char)s[i]) != lower[i])
			return 0;
	return 1;
}

#endif
