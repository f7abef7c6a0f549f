/*
 * weburl.h - is a string a web address fit to show and to open?
 *
 * One rule for every URL that idc shows as "the page to open", hands to a
 * browser or takes as a start URL, whether a person typed it or a server
 * sent it: https:// (or, when asked, http:// to a loopback host, for the
 * PKCE listener and tests), then a host name (labels of letters, digits
 * and '-'), a dotted IPv4 address or a bracketed IPv6 address, an optional
 * port 1-65535, and an optional path, query or fragment of printable
 * ASCII.  No user info, no white space or control character, at most
 * 2048 bytes.  Such a URL starts with a letter, so it is never read as a
 * program's option, and it cannot carry a terminal escape.  Pure; never
 * allocates.
 */
#ifndef IDC_WEBURL_H
#define IDC_WEBURL_H

#define WEBURL_MAX 2048

/* Also accept http:// when the host is 127.0.0.0/8, [::1] or localhost. */
#define WEBURL_LOOPBACK_HTTP 0x1

/* 1 if url passes the rule above, else 0. */
int weburl_ok(const char *url, unsigned flags);

/* 1 if host (n bytes, no port) is a DNS name or dotted IPv4 address:
 * labels of letters, digits and '-', not starting or ending with '-'. */
int weburl_hostname_ok(const char *host, unsigned long n);

#endif
