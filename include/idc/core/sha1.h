/*
 * sha1.h - SHA-1 (FIPS 180-4) without a library, for the names of cache
 * files (the AWS CLI names its caches by the SHA-1 of a key).  Not for
 * anything that needs collision resistance.
 *
 * Why not OpenSSL's SHA1(): in OpenSSL 3 the first digest initialises the
 * library (reads openssl.cnf, fetches the default provider), which costs
 * about 1 ms, half the budget of `idc credential-process` answering from
 * cache.  This one costs nothing to start.  Never fails, never allocates
 * except sha1_hex's result.
 */
#ifndef IDC_SHA1_H
#define IDC_SHA1_H

#include <stddef.h>

#define SHA1_LEN 20

/* The digest of len bytes at data into md. */
void sha1_digest(const void *data, size_t len, unsigned char md[SHA1_LEN]);

/* Lower-case hex of the digest: 40 characters, allocated (the caller
 * frees). */
char *sha1_hex(const void *data, size_t len);

#endif
