/*
 * xmalloc.c - allocation that aborts on failure, and wiping of secrets.
 */
#include "idc/core/xmalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
xmalloc_fatal(void)
{
	static const char msg[] = "idc: out of memory\n";

	fwrite(msg, 1, sizeof msg - 1, stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size == 0 ? 1 : size);

	if (p == NULL)
		xmalloc_fatal();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	p = calloc(nmemb, size);
	if (p == NULL)
		xmalloc_fatal();
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size == 0 ? 1 : size);

	if (p == NULL)
		xmalloc_fatal();
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_fatal();
	return xrealloc(ptr, nmemb * size);
}

void *
xgrowarray(void *ptr, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap;

	if (need <= n)
		return ptr;
	if (n < 8)
		n = 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			xmalloc_fatal();
		n *= 2;
	}
	ptr = xreallocarray(ptr, n, size);
	*cap = n;
	return ptr;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_fatal();
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *
xstrconcat_list(const char *first, ...)
{
	va_list ap;
	const char *s;
	size_t n = 0, len;
	char *p, *out;

	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *)) {
		len = strlen(s);
		if (len > SIZE_MAX - 1 - n)
			xmalloc_fatal();
		n += len;
	}
	va_end(ap);
	out = p = xmalloc(n + 1);
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *)) {
		len = strlen(s);
		memcpy(p, s, len);
		p += len;
	}
	va_end(ap);
	*p = '\0';
	return out;
}

void
secret_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		explicit_bzero(p, len);
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	secret_wipe(s, strlen(s));
	free(s);
}
