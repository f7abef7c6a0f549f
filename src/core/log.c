/*
 * log.c - stderr diagnostics with redaction of secrets (see log.h).
 */
#include "idc/core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/redact.h"
#include "idc/core/safetext.h"
#include "idc/core/xmalloc.h"

static enum log_level log_level = LOG_NORMAL;
static int log_progress_tty = -1;

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_secret(const char *value)
{
	redact_secret(value);
}

void
log_shutdown(void)
{
	redact_forget();
}

char *
log_redact(const char *text, size_t len)
{
	return redact_text(text, len);
}

static void
log_vprint(const char *prefix, const char *fmt, va_list ap)
{
	char *line = NULL, *redacted;
	struct idc_buf safe = IDC_BUF_INIT((size_t)-2);

	if (vasprintf(&line, fmt, ap) < 0)
		return;
	redacted = log_redact(line, strlen(line));
	safetext_append(&safe, redacted, strlen(redacted));
	fprintf(stderr, "%s%s\n", prefix, idc_buf_cstr(&safe));
	secret_free(line);
	free(redacted);
	idc_buf_release(&safe);
}

void
log_progress(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_NORMAL)
		return;
	if (log_progress_tty < 0)
		log_progress_tty = isatty(STDERR_FILENO);
	if (!log_progress_tty)
		return;
	va_start(ap, fmt);
	log_vprint("idc: ", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint("idc: ", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_DEBUG)
		return;
	va_start(ap, fmt);
	log_vprint("idc: debug: ", fmt, ap);
	va_end(ap);
}

void
log_note(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	/* Not "idc: ...", which is the shape of an error. */
	log_vprint("note: ", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	log_vprint("idc: warning: ", fmt, ap);
	va_end(ap);
}
