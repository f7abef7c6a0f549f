/*
 * buf.c - bounded growable buffer (see buf.h).
 */
#include "idc/core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

void
idc_buf_init(struct idc_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

/* Make room for need more bytes plus the NUL. */
static int
buf_grow(struct idc_buf *b, size_t need)
{
	size_t want, cap;
	char *p;

	if (need > b->max || b->len > b->max - need)
		return -1;
	if (b->len + need == (size_t)-1)
		return -1;
	want = b->len + need + 1;
	if (want <= b->cap)
		return 0;
	/* A first reservation is usually a file's known size: take just that.
	 * Growth after it doubles. */
	cap = b->cap == 0 ? want : b->cap;
	if (cap < 64)
		cap = 64;
	while (cap < want)
		cap = cap > ((size_t)-1) / 2 ? want : cap * 2;
	if (b->max < (size_t)-1 && cap > b->max + 1)
		cap = b->max + 1;
	/* Not realloc: the old block is wiped before it is freed, so that a
	 * buffer that holds a secret leaves no copy of it behind. */
	p = xmalloc(cap);
	if (b->data != NULL) {
		memcpy(p, b->data, b->len + 1);
		secret_wipe(b->data, b->cap);
		free(b->data);
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

char *
idc_buf_reserve(struct idc_buf *b, size_t n)
{
	if (buf_grow(b, n) == -1)
		return NULL;
	/* Still a string if nothing is committed (an empty file's read). */
	b->data[b->len] = '\0';
	return b->data + b->len;
}

void
idc_buf_commit(struct idc_buf *b, size_t k)
{
	if (k == 0)
		return;
	if (b->data == NULL || k > b->cap - b->len - 1)
		abort(); /* more than was reserved */
	b->len += k;
	b->data[b->len] = '\0';
}

int
idc_buf_add(struct idc_buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
idc_buf_add_err(
    struct idc_buf *b, const void *data, size_t n, struct idc_err *err)
{
	if (idc_buf_add(b, data, n) == -1)
		return idc_err_set(err, IDC_EFAIL,
		    "data larger than the limit of %zu bytes", b->max);
	return 0;
}

int
idc_buf_addstr(struct idc_buf *b, const char *s)
{
	return idc_buf_add(b, s, strlen(s));
}

int
idc_buf_addch(struct idc_buf *b, char c)
{
	return idc_buf_add(b, &c, 1);
}

int
idc_buf_addf(struct idc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *
idc_buf_cstr(const struct idc_buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
idc_buf_detach(struct idc_buf *b, size_t *lenp)
{
	char *p = b->data != NULL ? b->data : xstrdup("");

	if (lenp != NULL)
		*lenp = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void
idc_buf_reset(struct idc_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
idc_buf_release(struct idc_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
idc_buf_release_secret(struct idc_buf *b)
{
	if (b == NULL)
		return;
	secret_wipe(b->data, b->cap);
	idc_buf_release(b);
}

static void
buf_put_failed(int r)
{
	if (r == -1) {
		fputs("idc: out of memory\n", stderr);
		abort();
	}
}

void
idc_buf_put(struct idc_buf *b, const void *data, size_t n)
{
	buf_put_failed(idc_buf_add(b, data, n));
}

void
idc_buf_putstr(struct idc_buf *b, const char *s)
{
	buf_put_failed(idc_buf_add(b, s, strlen(s)));
}

void
idc_buf_putch(struct idc_buf *b, char c)
{
	buf_put_failed(idc_buf_add(b, &c, 1));
}

void
idc_buf_putf(struct idc_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		buf_put_failed(-1);
	buf_put_failed(idc_buf_add(b, text, (size_t)n));
	free(text);
}
