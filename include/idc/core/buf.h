/*
 * buf.h - a growable byte buffer with a mandatory maximum size.
 *
 * Network input and file text never grow memory without bound: every buffer
 * has a max, and an append that would pass it fails with -1 and leaves the
 * buffer as it was.  The contents are always NUL-terminated (data may be NULL
 * while nothing was added: use idc_buf_cstr).  Allocation failure aborts
 * (xmalloc).  The buffer owns data; release it with idc_buf_release, or with
 * idc_buf_release_secret when it held a secret.  Growing never leaves a
 * copy behind: the old block is wiped before it is freed.
 *
 * The appends are declared warn_unused_result: a caller says what a full
 * buffer means (usually: collect the results with |= and fail once).
 */
#ifndef IDC_BUF_H
#define IDC_BUF_H

#include <stddef.h>

struct idc_err;

struct idc_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* the most bytes len may reach */
};

#define IDC_BUF_INIT(maxlen)                                                   \
	{                                                                      \
		NULL, 0, 0, (maxlen)                                           \
	}

/* Common limits. */
#define IDC_BUF_MAX_SMALL    (64u * 1024u)         /* one line, a URL, a form */
#define IDC_BUF_MAX_RESPONSE (8u * 1024u * 1024u)  /* one HTTP response body */
#define IDC_BUF_MAX_FILE     (64u * 1024u * 1024u) /* one config file */
/* No maximum: for text made of what is already in memory (a document
 * printed), where an append can fail only as an allocation would. */
#define IDC_BUF_UNBOUNDED ((size_t)-2)

void idc_buf_init(struct idc_buf *b, size_t max);

/* Append n bytes.  -1 (buffer unchanged) when len would exceed max. */
int idc_buf_add(struct idc_buf *b, const void *data, size_t n)
    __attribute__((warn_unused_result));
int idc_buf_addstr(struct idc_buf *b, const char *s)
    __attribute__((warn_unused_result));
int idc_buf_addch(struct idc_buf *b, char c)
    __attribute__((warn_unused_result));
int idc_buf_addf(struct idc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), warn_unused_result));

/*
 * Appends to an IDC_BUF_UNBOUNDED buffer (text made of what is already in
 * memory), which cannot fail but where an allocation would: they abort
 * then, as xmalloc does.  On a bounded buffer they abort when it is full,
 * so use them there only where the contents are bounded by construction.
 */
void idc_buf_put(struct idc_buf *b, const void *data, size_t n);
void idc_buf_putstr(struct idc_buf *b, const char *s);
void idc_buf_putch(struct idc_buf *b, char c);
void idc_buf_putf(struct idc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* As idc_buf_add, describing the overflow in err (IDC_EFAIL). */
int idc_buf_add_err(struct idc_buf *b, const void *data, size_t n,
    struct idc_err *err) __attribute__((warn_unused_result));

/*
 * Room for n more bytes, to be filled in place (a read(2) straight into
 * the buffer): a pointer to the free space after the contents, or NULL
 * (buffer unchanged) when len + n would exceed max.  idc_buf_commit then
 * adds the k <= n bytes written there.
 */
char *idc_buf_reserve(struct idc_buf *b, size_t n)
    __attribute__((warn_unused_result));
void idc_buf_commit(struct idc_buf *b, size_t k);

/* The contents as a string: "" while empty, never NULL. */
const char *idc_buf_cstr(const struct idc_buf *b);

/* Hand the contents to the caller (who frees them); the buffer is emptied.
 * Never NULL: an empty buffer gives an allocated "".  *lenp may be NULL. */
char *idc_buf_detach(struct idc_buf *b, size_t *lenp);

/* Drop the contents, keeping the allocation and max. */
void idc_buf_reset(struct idc_buf *b);

/* Free the contents; the buffer is back to its INIT state (same max). */
void idc_buf_release(struct idc_buf *b);

/* As idc_buf_release, wiping the whole allocation first. */
void idc_buf_release_secret(struct idc_buf *b);

#endif
