/*
 * redact.h - the secrets idc knows, and text with them taken out.
 *
 * A process-global registry: every token, key or secret idc reads or
 * receives is registered (the parsers and loaders do it), and every message
 * or log line is passed through redact_text before anyone sees it: err.c
 * when a message is set (before it is cut to fit), log.c when a line is
 * printed.  log.h's log_secret, log_redact and log_shutdown are the same
 * functions under the names the rest of idc uses.  Below buf.h and err.h
 * on purpose (it includes only xmalloc.h), so that both can use it.
 */
#ifndef IDC_REDACT_H
#define IDC_REDACT_H

#include <stddef.h>

/* Remember a secret (values under 4 bytes are ignored: they would redact
 * ordinary text); at most 64, the oldest forgotten first. */
void redact_secret(const char *value);

/* Forget every secret, wiping the copies. */
void redact_forget(void);

/* A copy of len bytes of text with each registered secret, and the string
 * value of every JSON member with a secret's name (accessToken,
 * refreshToken, clientSecret, ...), replaced by "<redacted>".  The caller
 * frees it. */
char *redact_text(const char *text, size_t len);

#endif
