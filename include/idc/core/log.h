/*
 * log.h - diagnostics on stderr.
 *
 * Every message goes to stderr: warnings as "idc: warning: ...", debug
 * lines as "idc: debug: ...", notes (information, not trouble) as
 * "note: ..." so that they do not look like errors.  --quiet silences notes
 * and warnings, --debug shows debug lines.  Secrets never reach the log:
 * log_secret() registers a value (a token, a key), and every later line that
 * contains it shows "<redacted>" instead; log_redact_json_keys() lists JSON
 * keys whose values are always hidden in debug dumps of request and response
 * bodies.  The registry is process-global and lives until log_shutdown().
 *
 * Every line is also made safe for the terminal (safetext.h) after its
 * secrets are redacted: a message that quotes a server or a file can
 * neither steer the terminal nor forge a second "idc:" line.
 */
#ifndef IDC_LOG_H
#define IDC_LOG_H

#include <stddef.h>

enum log_level {
	LOG_QUIET = 0, /* errors only (main.c prints those) */
	LOG_NORMAL,    /* notes and warnings */
	LOG_DEBUG,     /* everything, with secrets redacted */
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Remember a secret so that no later log line shows it.  Values shorter than
 * 4 bytes are ignored (they would redact ordinary text). */
void log_secret(const char *value);

/* Forget all registered secrets, wiping their copies. */
void log_shutdown(void);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress of a wait a person may wonder about ("waiting 5 s before trying
 * 'host' again"): a note, shown only when stderr is a terminal (asked at
 * the first such note, so that a call that never waits never asks) and not
 * with --quiet. */
void log_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An error line, "idc: " + the message, shown whatever the level (main.c's
 * final line, the per-item failures of a partial result). */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copy text into a new string with every registered secret replaced by
 * "<redacted>", and every value of a JSON string member whose key is a
 * known secret key (accessToken, refreshToken, clientSecret, deviceCode,
 * code, codeVerifier, secretAccessKey, sessionToken, ...) replaced too.
 * The caller frees the result.
 */
char *log_redact(const char *text, size_t len);

#endif
