/*
 * log.c - stderr diagnostics with redaction of secrets (see log.h).
 */
#include "idc/core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/xmalloc.h"

#define LOG_MAX_SECRETS 64
#define LOG_REDACTED    "<redacted>"

static enum log_level log_level = LOG_NORMAL;
static char *log_secrets[LOG_MAX_SECRETS];
static size_t log_nsecrets;

/* JSON members whose string values are secrets wherever they appear. */
static const char *const log_secret_keys[] = {
	"accessToken",
	"refreshToken",
	"clientSecret",
	"deviceCode",
	"code",
	"codeVerifier",
	"idToken",
	"secretAccessKey",
	"sessionToken",
	"SecretAccessKey",
	"SessionToken",
	"access_token",
	"refresh_token",
};

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
	size_t i;

	if (value == NULL || strlen(value) < 4)
		return;
	for (i = 0; i < log_nsecrets; i++)
		if (strcmp(log_secrets[i], value) == 0)
			return;
	if (log_nsecrets == LOG_MAX_SECRETS) {
		/* Oldest out: the newest secrets are the ones in flight. */
		secret_free(log_secrets[0]);
		memmove(log_secrets, log_secrets + 1,
		    (LOG_MAX_SECRETS - 1) * sizeof log_secrets[0]);
		log_nsecrets--;
	}
	log_secrets[log_nsecrets++] = xstrdup(value);
}

void
log_shutdown(void)
{
	size_t i;

	for (i = 0; i < log_nsecrets; i++)
		secret_free(log_secrets[i]);
	log_nsecrets = 0;
}

/* The length of a registered secret that starts at p, or 0. */
static size_t
log_secret_at(const char *p, size_t left)
{
	size_t i, n;

	for (i = 0; i < log_nsecrets; i++) {
		n = strlen(log_secrets[i]);
		if (n <= left && memcmp(p, log_secrets[i], n) == 0)
			return n;
	}
	return 0;
}

/* At p a quoted JSON key that is a secret key followed by : "? Returns the
 * offset of the value's opening quote, or 0. */
static size_t
log_secret_key_at(const char *p, size_t left)
{
	size_t i, n, j;

	if (left < 2 || p[0] != '"')
		return 0;
	for (i = 0; i < sizeof log_secret_keys / sizeof log_secret_keys[0];
	     i++) {
		n = strlen(log_secret_keys[i]);
		if (n + 2 > left || memcmp(p + 1, log_secret_keys[i], n) != 0 ||
		    p[n + 1] != '"')
			continue;
		j = n + 2;
		while (j < left && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j >= left || p[j] != ':')
			continue;
		j++;
		while (j < left && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j < left && p[j] == '"')
			return j;
	}
	return 0;
}

char *
log_redact(const char *text, size_t len)
{
	struct idc_buf out = IDC_BUF_INIT((size_t)-2);
	size_t i = 0, n, q;

	while (i < len) {
		if ((q = log_secret_key_at(text + i, len - i)) != 0) {
			idc_buf_add(&out, text + i, q + 1);
			i += q + 1;
			while (i < len && text[i] != '"') {
				if (text[i] == '\\' && i + 1 < len)
					i++;
				i++;
			}
			idc_buf_addstr(&out, LOG_REDACTED);
			continue;
		}
		if ((n = log_secret_at(text + i, len - i)) != 0) {
			idc_buf_addstr(&out, LOG_REDACTED);
			i += n;
			continue;
		}
		idc_buf_addch(&out, text[i]);
		i++;
	}
	return idc_buf_detach(&out, NULL);
}

static void
log_vprint(const char *prefix, const char *fmt, va_list ap)
{
	char *line, *safe;

	line = NULL;
	if (vasprintf(&line, fmt, ap) < 0)
		return;
	safe = log_redact(line, strlen(line));
	fprintf(stderr, "%s%s\n", prefix, safe);
	secret_free(line);
	free(safe);
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
