/*
 * sha1.c - SHA-1 for cache file names, with no library start-up cost
 * (see sha1.h).  Straight from FIPS 180-4 section 6.1: 512-bit blocks, an
 * 80-word schedule, big-endian words, the length in bits at the end.
 */
#include "idc/core/sha1.h"

#include <stdint.h>
#include <string.h>

#include "idc/core/xmalloc.h"

#define SHA1_ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static uint32_t
sha1_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = sha1_be32(p + 4 * i);
	for (i = 16; i < 80; i++)
		w[i] =
		    SHA1_ROTL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = SHA1_ROTL(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = SHA1_ROTL(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
sha1_digest(const void *data, size_t len, unsigned char md[SHA1_LEN])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
		0xc3d2e1f0 };
	const unsigned char *p = data;
	unsigned char tail[128];
	uint64_t bits = (uint64_t)len * 8;
	size_t n, i;

	for (; len >= 64; p += 64, len -= 64)
		sha1_block(h, p);
	/* The rest, 0x80, zeros, and the 64-bit length: one or two blocks. */
	memset(tail, 0, sizeof tail);
	if (len > 0)
		memcpy(tail, p, len);
	tail[len] = 0x80;
	n = len + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha1_block(h, tail);
	if (n == 128)
		sha1_block(h, tail + 64);
	for (i = 0; i < 5; i++) {
		md[4 * i] = (unsigned char)(h[i] >> 24);
		md[4 * i + 1] = (unsigned char)(h[i] >> 16);
		md[4 * i + 2] = (unsigned char)(h[i] >> 8);
		md[4 * i + 3] = (unsigned char)h[i];
	}
}

char *
sha1_hex(const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[SHA1_LEN];
	char *out = xmalloc(2 * SHA1_LEN + 1);
	size_t i;

	sha1_digest(data, len, md);
	for (i = 0; i < SHA1_LEN; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0xf];
	}
	out[2 * SHA1_LEN] = '\0';
	return out;
}
