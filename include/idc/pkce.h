/*
 * pkce.h - randomness and hashing for sign-in (OpenSSL): PKCE verifier and
 * S256 challenge (RFC 7636), the OAuth state, and SHA-1 hex names of the
 * AWS CLI's cache files.  Results are allocated; the caller frees them
 * (the verifier with secret_free).  Returns NULL with err set (IDC_EFAIL)
 * only when the system has no randomness to give.
 */
#ifndef IDC_PKCE_H
#define IDC_PKCE_H

#include <stddef.h>

struct idc_err;

/* 64 random characters from [A-Za-z0-9-._~], as the AWS CLI makes them. */
char *pkce_verifier(struct idc_err *err);

/* base64url(SHA-256(verifier)) without padding: 43 characters. */
char *pkce_challenge(const char *verifier);

/* A random UUID (version 4), for the OAuth state. */
char *pkce_uuid4(struct idc_err *err);

/* Lower-case hex SHA-1 of len bytes: 40 characters. */
char *pkce_sha1_hex(const void *data, size_t len);

#endif
