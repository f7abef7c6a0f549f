/*
 * safetext.h - untrusted text made safe for a terminal and for
 * line-oriented output (one record a line, fields split by a tab).
 *
 * Every string that comes from a server, a cache file or a config file may
 * hold bytes that steer a terminal (ESC, CSI and OSC sequences, BEL), forge
 * a line or a column (CR, LF, TAB), reorder what is shown (the bidi
 * controls U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) or break
 * a UTF-8 decoder.  Before such a string reaches stderr, a text or table
 * listing, a diff or a prompt, it goes through this module, which escapes
 * those visibly, as ls -b and git do:
 *
 *   BEL BS TAB LF VT FF CR   \a \b \t \n \v \f \r
 *   other C0 bytes, DEL      \xNN (ESC is \x1b)
 *   C1 controls U+0080-9F    \uNNNN
 *   bidi controls, U+2028,
 *   U+2029                   \uNNNN
 *   invalid UTF-8 (a stray
 *   or missing continuation,
 *   overlong, surrogate,
 *   above U+10FFFF)          \xNN, one per byte
 *
 * Everything else, valid UTF-8 text and the backslash included, passes
 * unchanged: the aim is that nothing can act on the terminal or split a
 * line, not a reversible encoding (JSON output keeps exact values, escaped
 * by the JSON writer).  The result is plain ASCII wherever escapes were
 * made, so a table can count its width as for any text.
 *
 * Nothing here fails; allocation failure aborts (xmalloc).
 */
#ifndef IDC_SAFETEXT_H
#define IDC_SAFETEXT_H

#include <stddef.h>
#include <stdio.h>

struct idc_buf;

/* Append the safe form of len bytes at s to b.  The buffer's maximum
 * applies: what does not fit is cut at a whole escape. */
void safetext_append(struct idc_buf *b, const char *s, size_t len);

/* The safe form of s (NULL gives NULL), newly allocated; the caller frees. */
char *safetext_dup(const char *s);

/* The safe form of s in out (size bytes, NUL-terminated, cut at a whole
 * escape when it does not fit).  Returns out. */
char *safetext_copy(char *out, size_t size, const char *s);

/* 1 if s (len bytes) would come out of safetext_append unchanged. */
int safetext_is_clean(const char *s, size_t len);

/* 1 if s is 1 to max bytes of printable ASCII without white space: what
 * a key, a token or a code must be to stand in an environment variable, a
 * shell line, a header or a credentials file without breaking it. */
int safetext_is_token(const char *s, size_t max);

/* Write the safe form of s to fp. */
void safetext_fputs(const char *s, FILE *fp);

#endif
