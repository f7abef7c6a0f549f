/*
 * weburl.c - the one check of URLs that are shown or opened (weburl.h).
 */
#include "idc/core/weburl.h"

#include <string.h>

#include "idc/core/ascii.h"

static int
weburl_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

int
weburl_hostname_ok(const char *h, unsigned long n)
{
	unsigned long i, label = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		if (h[i] == '.') {
			if (label == 0 || h[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!weburl_alnum(h[i]) && h[i] != '-')
			return 0;
		if (label == 0 && h[i] == '-')
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && h[n - 1] != '-';
}

/* 127.0.0.0/8 as four dotted numbers, localhost, or [::1]. */
static int
weburl_loopback(const char *h, size_t n)
{
	size_t i, dots = 0, digits = 0;
	int part = 0;

	if (ascii_equal_icase(h, n, "localhost") ||
	    (n == 5 && memcmp(h, "[::1]", 5) == 0))
		return 1;
	if (n < 4 || memcmp(h, "127.", 4) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (h[i] == '.') {
			if (digits == 0)
				return 0;
			dots++;
			digits = 0;
			part = 0;
			continue;
		}
		if (h[i] < '0' || h[i] > '9' || ++digits > 3)
			return 0;
		part = part * 10 + (h[i] - '0');
		if (part > 255)
			return 0;
	}
	return dots == 3 && digits > 0;
}

int
weburl_ok(const char *url, unsigned flags)
{
	const char *host, *end, *p;
	size_t n = strlen(url), i;
	long port;

	if (n > WEBURL_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 ||
		    (unsigned char)url[i] >= 0x7f)
			return 0;
	if (ascii_prefix_icase(url, "https://"))
		host = url + 8;
	else if ((flags & WEBURL_LOOPBACK_HTTP) &&
	    ascii_prefix_icase(url, "http://"))
		host = url + 7;
	else
		return 0;
	for (end = host;
	     *end != '\0' && *end != '/' && *end != '?' && *end != '#'; end++)
		;
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return 0;
	if (*host == '[') {
		p = memchr(host, ']', (size_t)(end - host));
		if (p == NULL || p == host + 1)
			return 0;
		for (i = 1; host + i < p; i++)
			if (strchr("0123456789abcdefABCDEF:.", host[i]) == NULL)
				return 0;
		p++;
	} else {
		p = memchr(host, ':', (size_t)(end - host));
		if (p == NULL)
			p = end;
		if (!weburl_hostname_ok(host, (unsigned long)(p - host)))
			return 0;
	}
	if (host == url + 7 && !weburl_loopback(host, (size_t)(p - host)))
		return 0;
	if (p < end) {
		if (*p != ':' || p + 1 == end || end - p > 6)
			return 0;
		for (port = 0, p++; p < end; p++) {
			if (*p < '0' || *p > '9')
				return 0;
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			return 0;
	}
	return 1;
}
