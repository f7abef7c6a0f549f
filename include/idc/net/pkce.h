/*
 * pkce.h - randomness and hashing for sign-in (OpenSSL, loaded on first
 * use): PKCE verifier and S256 challenge (RFC 7636) and the OAuth state.
 * Results are allocated; the caller frees them (the verifier with
 * secret_free).  Returns NULL with err set (IDC_EFAIL) when libcrypto
 * cannot be loaded or the system has no randomness to give.  Cache file
 * names use sha1.h, which needs no library.
 */
#ifndef IDC_PKCE_H
#define IDC_PKCE_H

#include <stddef.h>

struct idc_err;

/* 64 random characters from [A-Za-z0-9-._~], as the AWS CLI makes them. */
char *pkce_verifier(struct idc_err *err);

/* base64url(SHA-256(verifier)) without padding: 43 characters. */
char *pkce_challenge(const char *verifier, struct idc_err *err);

/* A random UUID (version 4), for the OAuth state. */
char *pkce_uuid4(struct idc_err *err);

/* 1 if libcrypto has been loaded into this process (for tests). */
int pkce_loaded(void);

#endif
