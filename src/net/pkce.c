/*
 * pkce.c - PKCE and UUIDs with OpenSSL's libcrypto (see pkce.h).
 *
 * libcrypto is loaded with dlopen() the first time it is needed, as http.c
 * loads libcurl: relocating OpenSSL 3 at start-up cost about 1 ms, half of
 * a cached `idc credential-process`, which needs no cryptography at all
 * (cache file names use sha1.c).  Only a sign-in pays for it.
 */
#include "idc/net/pkce.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/url.h"
#include "idc/core/xmalloc.h"

#define PKCE_SHA256_LEN 32

/* The libcrypto functions idc calls, resolved once. */
static struct {
	int (*rand_bytes)(unsigned char *, int);
	unsigned char *(*sha256)(
	    const unsigned char *, size_t, unsigned char *);
	int (*encode_block)(unsigned char *, const unsigned char *, int);
	const char *missing; /* the first symbol not found, or NULL */
	int loaded;
} pkce_lib;

static pthread_once_t pkce_once = PTHREAD_ONCE_INIT;

static void *
pkce_sym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	if (p == NULL && pkce_lib.missing == NULL)
		pkce_lib.missing = name;
	return p;
}

static void
pkce_load(void)
{
	void *h = dlopen(IDC_LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
		return;
	*(void **)&pkce_lib.rand_bytes = pkce_sym(h, "RAND_bytes");
	*(void **)&pkce_lib.sha256 = pkce_sym(h, "SHA256");
	*(void **)&pkce_lib.encode_block = pkce_sym(h, "EVP_EncodeBlock");
	pkce_lib.loaded = pkce_lib.missing == NULL;
}

static int
pkce_crypto(struct idc_err *err)
{
	pthread_once(&pkce_once, pkce_load);
	if (pkce_lib.loaded)
		return 0;
	if (pkce_lib.missing != NULL)
		return idc_err_set(err, IDC_EFAIL, "'%s' lacks %s",
		    IDC_LIBCRYPTO_SONAME, pkce_lib.missing);
	return idc_err_set(err, IDC_EFAIL,
	    "cannot load '%s' (OpenSSL): install libssl3",
	    IDC_LIBCRYPTO_SONAME);
}

static int
pkce_random(unsigned char *out, size_t n, struct idc_err *err)
{
	if (pkce_crypto(err) == -1)
		return -1;
	if (pkce_lib.rand_bytes(out, (int)n) != 1)
		return idc_err_set(
		    err, IDC_EFAIL, "the system gave no random bytes");
	return 0;
}

int
pkce_loaded(void)
{
	return pkce_lib.loaded;
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
		if (pkce_random(rnd, sizeof rnd, err) == -1) {
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
	unsigned char md[PKCE_SHA256_LEN];
	unsigned char b64[64];
	char *out;
	int n, i, j;

	if (pkce_crypto(err) == -1)
		return NULL;
	pkce_lib.sha256((const unsigned char *)verifier, strlen(verifier), md);
	n = pkce_lib.encode_block(b64, md, sizeof md);
	out = xmalloc((size_t)n + 1);
	for (i = 0, j = 0; i < n; i++) {
		if (b64[i] == '=')
			break;
		out[j++] = b64[i] == '+' ? '-'
		    : b64[i] == '/'      ? '_'
					 : (char)b64[i];
	}
	out[j] = '\0';
	return out;
}

char *
pkce_uuid4(struct idc_err *err)
{
	unsigned char b[16];

	if (pkce_random(b, sizeof b, err) == -1)
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
