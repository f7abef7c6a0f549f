/*
 * rawout.h - bytes written straight to stdout with write(2), not stdio:
 * for output that holds secrets (credential_process JSON, export lines).
 *
 * stdio would copy the secret into its buffer, which nothing wipes, and
 * its first write asks fstat and the terminal driver about stdout; this
 * writes the caller's buffer as it is, after flushing what stdio holds so
 * that the order stays.  Partial writes and EINTR are retried.  A reader
 * that has gone (`idc export | head -1`: EPIPE, or a closed pipe or
 * socket) is no failure, as main.c treats it for stdio: the output it
 * wanted was written.
 *
 * Errors: IDC_EIO (a failed write, such as a full disk).
 */
#ifndef IDC_RAWOUT_H
#define IDC_RAWOUT_H

#include <stddef.h>

struct idc_err;

/* Write len bytes of data to stdout: 0, or -1 with err set. */
int rawout_write(const char *data, size_t len, struct idc_err *err);

/*
 * Flush what stdio holds for stdout: 0, or -1 (errno set) when that flush
 * or an earlier stdio write to stdout failed.  With glibc, a stdout that
 * holds nothing is not flushed at all: a cached credential-process, which
 * writes only with write(2), then never pages in fflush().
 */
int rawout_flush_stdio(void);

/* Whether stdout's reader has gone, after a write failed with
 * saved_errno. */
int rawout_reader_gone(int saved_errno);

#endif
