/*
 * ui.c - line prompts on the terminal (see ui.h).
 */
#include "idc/ui/ui.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/xmalloc.h"
#include "idc/core/safetext.h"

#define UI_LINE_MAX 4096
#define UI_TRIES    5
#define UI_POLL_MS  200

/*
 * Read one line from stdin into line (without the newline).  Returns 1 for
 * a line, 0 at end of input, -1 with err set.  A line longer than the
 * buffer is read to its end and cut.
 */
static int
ui_read_line(struct idc_buf *line, struct idc_err *err)
{
	struct pollfd pfd;
	ssize_t n;
	char c;
	int any = 0, r;

	idc_buf_reset(line);
	for (;;) {
		/* A Ctrl-C that lands between the prompt and read() would leave
		 * read() blocked with the interrupt pending: wait in short
		 * polls and look at the flag between them. */
		if (intr_pending())
			return idc_err_set(err, IDC_EINTR, "interrupted");
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		r = poll(&pfd, 1, UI_POLL_MS);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue;
		n = read(STDIN_FILENO, &c, 1);
		if (n == 0)
			return any ? 1 : 0;
		if (n < 0) {
			if (errno == EINTR && !intr_pending())
				continue;
			if (errno == EINTR)
				return idc_err_set(
				    err, IDC_EINTR, "interrupted");
			return idc_err_errno(
			    err, IDC_EIO, "cannot read the answer");
		}
		any = 1;
		if (c == '\n')
			return 1;
		/* Past the maximum, the rest of the line is cut. */
		if (line->len < line->max)
			idc_buf_putch(line, c);
	}
}

/* ui_read_line, with the terminal's echo off when secret (as getpass). */
static int
ui_read_secretly(struct idc_buf *line, int secret, struct idc_err *err)
{
	struct termios old, quiet;
	int off, got;

	off = secret && tcgetattr(STDIN_FILENO, &old) == 0;
	if (off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	got = ui_read_line(line, err);
	if (off) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return got;
}

static int
ui_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int
ui_prompt(const char *label, const char *current, unsigned flags,
    int (*check)(const char *answer, void *ud, struct idc_err *err), void *ud,
    char **answer, struct idc_err *err)
{
	struct idc_buf line = IDC_BUF_INIT(UI_LINE_MAX);
	struct idc_err e = IDC_ERR_INIT;
	const char *s;
	char *value = NULL;
	size_t n;
	int tries, r = -1, got;

	for (tries = 1;; tries++) {
		if (current != NULL)
			fprintf(stderr, "%s [%s]: ", label, current);
		else if (flags & UI_SHOW_NONE)
			fprintf(stderr, "%s [None]: ", label);
		else
			fprintf(stderr, "%s: ", label);
		fflush(stderr);
		got = ui_read_secretly(&line, flags & UI_NO_ECHO, err);
		if (got == -1)
			goto out;
		if (got == 0) {
			fputc('\n', stderr);
			idc_err_set(err, IDC_EINTR, "cancelled (end of input)");
			goto out;
		}
		s = idc_buf_cstr(&line);
		while (ui_space(*s))
			s++;
		n = strlen(s);
		while (n > 0 && ui_space(s[n - 1]))
			n--;
		free(value);
		value = n > 0         ? xstrndup(s, n)
		    : current != NULL ? xstrdup(current)
				      : NULL;
		idc_err_clear(&e);
		if (value == NULL && (flags & UI_REQUIRED))
			idc_err_set(&e, IDC_EUSAGE, "a value is required");
		else if (value == NULL || check == NULL ||
		    check(value, ud, &e) == 0)
			break;
		safetext_fputs(e.msg, stderr);
		fputc('\n', stderr);
		if (tries == UI_TRIES) {
			if (err != NULL)
				*err = e;
			goto out;
		}
	}
	*answer = value;
	value = NULL;
	r = 0;
out:
	free(value);
	idc_buf_release(&line);
	return r;
}
