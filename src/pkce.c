/*
 * pkce.c - PKCE, UUIDs and SHA-1 names with OpenSSL (see pkce.h).
 */
#include "idc/pkce.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "idc/err.h"
#include "idc/xmalloc.h"

static int
pkce_random(unsigned char *out, size_t n, struct idc_err *err)
{
	if (RAND_bytes(out, (int)n) != 1)
		return idc_err_set(
		    err, IDC_EFAIL, "the system gave no random bytes");
	return 0;
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
pkce_challenge(const char *verifier)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	unsigned char b64[64];
	char *out;
	int n, i, j;

	SHA256((const unsigned char *)verifier, strlen(verifier), md);
	n = EVP_EncodeBlock(b64, md, sizeof md);
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

char *
pkce_sha1_hex(const void *data, size_t len)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	char *out = xmalloc(2 * sizeof md + 1);
	size_t i;

	SHA1(data, len, md);
	for (i = 0; i < sizeof md; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return out;
}
