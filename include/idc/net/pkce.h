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

/* The longest request head or pasted address taken, and value in it. */
#define PKCE_CALLBACK_MAX 8192

/* The browser's redirect to the callback: what the sign-in page said. */
struct pkce_callback {
	char *code;  /* secret, or NULL */
	char *state; /* or NULL */
	char *error; /* or NULL (server text: shown escaped) */
};

/*
 * Parse len bytes (no I/O; fuzzed): an HTTP request head as the browser
 * sends it ("GET /oauth/callback?code=..&state=.. HTTP/1.1\r\n..."), or,
 * with pasted set, an address the person pasted, which only needs a query
 * ("http://127.0.0.1:PORT/oauth/callback?code=..&state=..").  1 with *cb
 * filled (values %-decoded, each at most PKCE_CALLBACK_MAX bytes) when it
 * holds an answer, a state with a code or an error; 0 (*cb empty) for
 * anything else: another path (a favicon), another method, no state, a
 * line over the limit.  Whether the state is this sign-in's is the
 * caller's to check.  Release *cb with pkce_callback_release.
 */
int pkce_callback_parse(
    const char *text, size_t len, int pasted, struct pkce_callback *cb);
void pkce_callback_release(struct pkce_callback *cb);

#endif
