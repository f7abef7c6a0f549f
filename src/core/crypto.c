/*
 * crypto.c - SHA-256, HMAC, randomness and base64 from libcrypto, loaded
 * with dlopen() on first use (see crypto.h).
 *
 * Relocating OpenSSL 3 at start-up costs about 1 ms, half of a cached
 * `idc credential-process`, which needs no cryptography at all; only a
 * sign-in or a signed request pays for it.  The functions are resolved
 * once into a table whose members have the very types OpenSSL's headers
 * declare (__typeof__), so a prototype that changes breaks the build
 * rather than the stack.
 */
#include "idc/core/crypto.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

_Static_assert(CRYPTO_SHA256_LEN == SHA256_DIGEST_LENGTH,
    "CRYPTO_SHA256_LEN is SHA-256's length");
/* dlsym hands out object pointers; POSIX guarantees they fit functions. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
    "function pointers must be the size of void *");

static struct {
	__typeof__(RAND_bytes) *rand_bytes;
	__typeof__(SHA256) *sha256;
	__typeof__(HMAC) *hmac;
	__typeof__(EVP_sha256) *evp_sha256;
	__typeof__(EVP_EncodeBlock) *encode_block;
	const char *missing; /* the first symbol not found, or NULL */
	int opened;          /* dlopen worked */
	int loaded;          /* and every symbol was found */
} crypto_lib;

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void
crypto_sym(void *h, void *slot, const char *name)
{
	void *p = dlsym(h, name);

	if (p == NULL && crypto_lib.missing == NULL)
		crypto_lib.missing = name;
	memcpy(slot, &p, sizeof p);
}

static void
crypto_load_once(void)
{
	void *h = dlopen(IDC_LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
		return;
	crypto_lib.opened = 1;
	crypto_sym(h, &crypto_lib.rand_bytes, "RAND_bytes");
	crypto_sym(h, &crypto_lib.sha256, "SHA256");
	crypto_sym(h, &crypto_lib.hmac, "HMAC");
	crypto_sym(h, &crypto_lib.evp_sha256, "EVP_sha256");
	crypto_sym(h, &crypto_lib.encode_block, "EVP_EncodeBlock");
	crypto_lib.loaded = crypto_lib.missing == NULL;
}

int
crypto_load(struct idc_err *err)
{
	pthread_once(&crypto_once, crypto_load_once);
	if (crypto_lib.loaded)
		return 0;
	if (crypto_lib.opened)
		return idc_err_set(err, IDC_EFAIL, "'%s' lacks %s",
		    IDC_LIBCRYPTO_SONAME, crypto_lib.missing);
	return idc_err_set(err, IDC_EFAIL,
	    "cannot load '%s' (OpenSSL): install libssl3",
	    IDC_LIBCRYPTO_SONAME);
}

int
crypto_loaded(void)
{
	return crypto_lib.loaded;
}

int
crypto_sha256(const void *data, size_t len, unsigned char md[CRYPTO_SHA256_LEN],
    struct idc_err *err)
{
	if (crypto_load(err) == -1)
		return -1;
	crypto_lib.sha256(len > 0 ? data : (const void *)"", len, md);
	return 0;
}

int
crypto_hmac_sha256(const void *key, size_t key_len, const void *data,
    size_t len, unsigned char md[CRYPTO_SHA256_LEN], struct idc_err *err)
{
	unsigned char out[CRYPTO_SHA256_LEN];
	unsigned int n = 0;

	if (crypto_load(err) == -1)
		return -1;
	if (key_len > INT_MAX)
		return idc_err_set(err, IDC_EFAIL, "hmac key too long");
	if (crypto_lib.hmac(crypto_lib.evp_sha256(), key, (int)key_len,
		len > 0 ? data : (const void *)"", len, out, &n) == NULL ||
	    n != sizeof out)
		return idc_err_set(err, IDC_EFAIL, "hmac-sha256 failed");
	memcpy(md, out, sizeof out);
	secret_wipe(out, sizeof out);
	return 0;
}

int
crypto_random(void *out, size_t n, struct idc_err *err)
{
	if (crypto_load(err) == -1)
		return -1;
	if (n > INT_MAX || crypto_lib.rand_bytes(out, (int)n) != 1)
		return idc_err_set(
		    err, IDC_EFAIL, "the system gave no random bytes");
	return 0;
}

char *
crypto_base64(const void *data, size_t len, struct idc_err *err)
{
	unsigned char *out;

	if (crypto_load(err) == -1)
		return NULL;
	if (len > (size_t)INT_MAX / 4 * 3) {
		idc_err_set(err, IDC_EFAIL, "too much data for base64");
		return NULL;
	}
	out = xmalloc((len + 2) / 3 * 4 + 1);
	crypto_lib.encode_block(out, data, (int)len);
	return (char *)out;
}

void
crypto_hex(const unsigned char *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
}
