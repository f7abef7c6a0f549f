/*
 * url.h - the one percent-encoder and decoder: query values of the
 * portal's and OIDC's requests, the authorize and console URLs, and the
 * browser's redirect to the PKCE callback.
 *
 * Encoding keeps RFC 3986's unreserved characters (letters, digits and
 * "-_.~") and writes every other byte as %XX in upper-case hex, as the
 * AWS CLI's percent_encode does, so UTF-8 is encoded byte by byte.
 */
#ifndef IDC_URL_H
#define IDC_URL_H

#include <stddef.h>

struct idc_buf;

/* Append s percent-encoded to b.  -1 (b as it was) when b is full. */
int url_encode(struct idc_buf *b, const char *s)
    __attribute__((warn_unused_result));

/* Append "?name=value" (or "&name=value" when b already holds a query:
 * a '?', after the last '#' if there is one) with value encoded.  -1 when
 * b is full. */
int url_add_query(struct idc_buf *b, const char *name, const char *value)
    __attribute__((warn_unused_result));

/*
 * The decoded value of name in a query string ("a=1&b=2", which ends at
 * '#', white space or the end): %XX decoded, '+' as a space, at most max
 * bytes.  Allocated; NULL when the query has no such value or it is
 * longer than max.
 */
char *url_query_value(const char *query, const char *name, size_t max);

/* The value of hex digit c (either case), or -1. */
int url_hexval(int c);

#endif
