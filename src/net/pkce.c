/*
 * pkce.c - PKCE and UUIDs (see pkce.h), on crypto.c: libcrypto is loaded
 * the first time a sign-in needs it, never at start-up.
 */
#include "idc/net/pkce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/crypto.h"
#include "idc/core/err.h"
#include "idc/core/url.h"
#include "idc/core/xmalloc.h"

int
pkce_loaded(void)
{
	return crypto_loaded();
}

char *
pkce_verifier(struct idc_err *err)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz"
				       "0123456789-._~";
	unsigned char rnd[64];
	char *v;
	size_t i, n = 0;

	v = xmalloc(65);
	while (n < 64) {
		if (crypto_random(rnd, sizeof rnd, err) == -1) {
			secret_free(v);
			return NULL;
		}
		/* 66 symbols: reject the top of the byte range for no bias. */
		for (i = 0; i < sizeof rnd && n < 64; i++)
			if (rnd[i] < 66 * 3)
				v[n++] = alphabet[rnd[i] % 66];
	}
	v[64] = '\0';
	secret_wipe(rnd, sizeof rnd);
	return v;
}

char *
pkce_challenge(const char *verifier, struct idc_err *err)
{
	unsigned char md[CRYPTO_SHA256_LEN];
	char *out;
	size_t i;

	if (crypto_sha256(verifier, strlen(verifier), md, err) == -1 ||
	    (out = crypto_base64(md, sizeof md, err)) == NULL)
		return NULL;
	/* base64url without padding. */
	out[strcspn(out, "=")] = '\0';
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	return out;
}

char *
pkce_uuid4(struct idc_err *err)
{
	unsigned char b[16];

	if (crypto_random(b, sizeof b, err) == -1)
		return NULL;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
}

void
pkce_callback_release(struct pkce_callback *cb)
{
	if (cb == NULL)
		return;
	secret_free(cb->code);
	free(cb->state);
	free(cb->error);
	memset(cb, 0, sizeof *cb);
}

int
pkce_callback_parse(
    const char *text, size_t len, int pasted, struct pkce_callback *cb)
{
	static const char get[] = "GET /oauth/callback?";
	char *line;
	const char *q;
	size_t n;

	memset(cb, 0, sizeof *cb);
	/* The first line only, as a string (a NUL in it ends it). */
	for (n = 0; n < len && text[n] != '\r' && text[n] != '\n'; n++)
		;
	if (n > PKCE_CALLBACK_MAX)
		return 0;
	line = xstrndup(text, n);
	if (pasted)
		q = strchr(line, '?');
	else
		q = strncmp(line, get, sizeof get - 1) == 0
		    ? line + sizeof get - 2
		    : NULL;
	if (q != NULL) {
		cb->code = url_query_value(q + 1, "code", PKCE_CALLBACK_MAX);
		cb->state = url_query_value(q + 1, "state", PKCE_CALLBACK_MAX);
		cb->error = url_query_value(q + 1, "error", PKCE_CALLBACK_MAX);
	}
	secret_free(line);
	if (cb->state != NULL && (cb->code != NULL || cb->error != NULL))
		return 1;
	pkce_callback_release(cb);
	return 0;
}
