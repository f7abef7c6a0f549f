/*
 * err.c - filling in struct idc_err and mapping its code to an exit status.
 */
#include "idc/core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

static void
err_vset(
    struct idc_err *err, enum idc_errcode code, const char *fmt, va_list ap)
{
	err->code = code;
	err->sys_errno = 0;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
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
	int n;

	if (err == NULL)
		return;
	memcpy(old, err->msg, sizeof old);
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof err->msg)
		return;
	snprintf(err->msg + n, sizeof err->msg - (size_t)n, "%s", old);
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
