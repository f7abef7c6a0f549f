/*
 * err.c - filling in struct idc_err and mapping its code to an exit status.
 *
 * A message may quote a server's words, and a server may echo a token:
 * every message is redacted (redact.h) when it is set, before it is cut
 * to fit, so that no part of a known secret survives in err->msg.  main.c
 * redacts once more when it prints (for secrets learnt later) and makes
 * the line safe for the terminal.
 */
#include "idc/core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/redact.h"
#include "idc/core/xmalloc.h"

void
idc_err_clear(struct idc_err *err)
{
	if (err == NULL)
		return;
	err->code = IDC_OK;
	err->sys_errno = 0;
	err->http_status = 0;
	err->msg[0] = '\0';
}

/* Format in full, redact, then cut to size into out. */
static void
err_vformat(char *out, size_t size, const char *fmt, va_list ap)
{
	char *full = NULL, *safe;

	if (vasprintf(&full, fmt, ap) < 0) {
		snprintf(out, size, "failed (no memory to describe it)");
		return;
	}
	safe = redact_text(full, strlen(full));
	snprintf(out, size, "%s", safe);
	secret_free(full);
	free(safe);
}

static void
err_vset(
    struct idc_err *err, enum idc_errcode code, const char *fmt, va_list ap)
{
	err->code = code;
	err->sys_errno = 0;
	err_vformat(err->msg, sizeof err->msg, fmt, ap);
}

int
idc_err_set(struct idc_err *err, enum idc_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	err_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
idc_err_errno(struct idc_err *err, enum idc_errcode code, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t len;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	err_vset(err, code, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(
	    err->msg + len, sizeof err->msg - len, ": %s", strerror(saved));
	err->sys_errno = saved;
	errno = saved;
	return -1;
}

void
idc_err_prefix(struct idc_err *err, const char *fmt, ...)
{
	char old[IDC_ERR_MSGMAX];
	va_list ap;
	size_t n;

	if (err == NULL)
		return;
	memcpy(old, err->msg, sizeof old);
	va_start(ap, fmt);
	err_vformat(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof err->msg - n, "%s", old);
}

static const struct {
	enum idc_errcode code;
	int status;
	const char *name;
} err_table[] = {
	{ IDC_OK, IDC_EXIT_OK, "ok" },
	{ IDC_EFAIL, IDC_EXIT_FAIL, "failure" },
	{ IDC_EUSAGE, IDC_EXIT_USAGE, "usage" },
	{ IDC_EAUTH, IDC_EXIT_AUTH, "sign-in needed" },
	{ IDC_ENET, IDC_EXIT_NET, "network" },
	{ IDC_ETLS, IDC_EXIT_NET, "tls" },
	{ IDC_ESERVER, IDC_EXIT_NET, "server" },
	{ IDC_ECONFIG, IDC_EXIT_CONFIG, "configuration" },
	{ IDC_EDENIED, IDC_EXIT_DENIED, "access denied" },
	{ IDC_EIO, IDC_EXIT_FAIL, "file system" },
	{ IDC_ETIMEOUT, IDC_EXIT_FAIL, "timeout" },
	{ IDC_EINTR, IDC_EXIT_INTERRUPTED, "interrupted" },
	{ IDC_ENOTFOUND, IDC_EXIT_FAIL, "not found" },
};

int
idc_err_exit_status(enum idc_errcode code)
{
	size_t i;

	for (i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
		if (err_table[i].code == code)
			return err_table[i].status;
	return IDC_EXIT_FAIL;
}

const char *
idc_err_codename(enum idc_errcode code)
{
	size_t i;

	for (i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
		if (err_table[i].code == code)
			return err_table[i].name;
	return "failure";
}
