/*
 * crypto.h - the cryptography idc needs, from OpenSSL's libcrypto loaded on
 * first use: SHA-256, HMAC-SHA-256, random bytes, base64 and hex.
 *
 * The only module that includes <openssl/...>.  libcrypto is dlopen()ed the
 * first time a function here that needs it is called, not at start-up: a
 * cached `idc credential-process` needs no cryptography (cache names use
 * sha1.h) and must not pay for relocating OpenSSL.  Thread-safe.
 *
 * Fallible functions return 0 (or a pointer) on success and -1 (NULL) with
 * err set (IDC_EFAIL) when libcrypto cannot be loaded, lacks a function, or
 * the system has no randomness to give.  Keys and digests are the caller's
 * buffers; wipe them with secret_wipe when they are secrets.
 */
#ifndef IDC_CRYPTO_H
#define IDC_CRYPTO_H

#include <stddef.h>

#define CRYPTO_SHA256_LEN 32

struct idc_err;

/* Load libcrypto now (0), or say why it cannot be (-1). */
int crypto_load(struct idc_err *err);

/* 1 if libcrypto has been loaded into this process (for tests). */
int crypto_loaded(void);

/* SHA-256 of len bytes at data into md. */
int crypto_sha256(const void *data, size_t len,
    unsigned char md[CRYPTO_SHA256_LEN], struct idc_err *err);

/* HMAC-SHA-256 of data under key into md (md may alias key). */
int crypto_hmac_sha256(const void *key, size_t key_len, const void *data,
    size_t len, unsigned char md[CRYPTO_SHA256_LEN], struct idc_err *err);

/* n bytes from the system's cryptographic random generator. */
int crypto_random(void *out, size_t n, struct idc_err *err);

/* Standard base64 (RFC 4648, padded) of len bytes, allocated; the caller
 * frees it. */
char *crypto_base64(const void *data, size_t len, struct idc_err *err);

/* Lower-case hex of len bytes into out, which holds 2 * len + 1 bytes.
 * Needs no library; never fails. */
void crypto_hex(const unsigned char *data, size_t len, char *out);

#endif
