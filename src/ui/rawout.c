/*
 * rawout.c - secrets to stdout without stdio's buffer (see rawout.h).
 */
#include "idc/ui/rawout.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "idc/core/err.h"

int
rawout_reader_gone(int saved_errno)
{
	/* A pipe or socket whose other end is closed polls as an error for
	 * the writer. */
	struct pollfd p = { STDOUT_FILENO, POLLOUT, 0 };

	if (saved_errno == EPIPE)
		return 1;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

int
rawout_flush_stdio(void)
{
#ifdef __GLIBC__
	/* glibc's FILE is public ABI: __fpending() is this difference. */
	if (stdout->_IO_write_ptr > stdout->_IO_write_base &&
	    fflush(stdout) != 0)
		return -1;
#else
	if (fflush(stdout) != 0)
		return -1;
#endif
	if (ferror_unlocked(stdout)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int
rawout_write(const char *data, size_t len, struct idc_err *err)
{
	size_t done = 0;
	ssize_t n;

	if (rawout_flush_stdio() == -1) {
		if (rawout_reader_gone(errno))
			return 0;
		return idc_err_errno(err, IDC_EIO, "cannot write the output");
	}
	while (done < len) {
		n = write(STDOUT_FILENO, data + done, len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && rawout_reader_gone(errno))
			return 0;
		return idc_err_errno(err, IDC_EIO, "cannot write the output");
	}
	return 0;
}
