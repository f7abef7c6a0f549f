/*
 * sigv4.h - AWS Signature Version 4 (header signing), sans-I/O.
 *
 * Given a request (method, path, query, headers, body), the credentials,
 * the region, the service's signing name and the time, sigv4_sign builds
 * the canonical request, the string to sign, the signing key and the
 * signature, and the values of the headers to send: X-Amz-Date,
 * X-Amz-Security-Token (temporary credentials) and Authorization.  It reads
 * no clock and does no I/O; the hashing is crypto.h's.
 *
 * The rules are botocore's (SigV4Auth) and the published test suite's:
 * - the canonical URI is the path with dot segments and repeated slashes
 *   removed, then URI-encoded (every byte but A-Z a-z 0-9 - _ . ~ and '/'
 *   as %XX).  A path already percent-encoded on the wire is encoded once
 *   more, as for every service but S3;
 * - the query's parameters are decoded, re-encoded the same way, and
 *   sorted by key, then value;
 * - header names are lower-cased and sorted, values trimmed with inner
 *   runs of white space made one space, repeated headers joined by ',';
 *   every header given is signed, with x-amz-date and
 *   x-amz-security-token, which sigv4_sign adds itself;
 * - the payload hash is the hex SHA-256 of the body.
 *
 * Errors: IDC_EUSAGE for a request that cannot be signed (no Host header,
 * a line break in a header, a header the signer owns given by the caller,
 * a malformed region, service or key id); IDC_EFAIL when libcrypto cannot
 * be loaded.
 */
#ifndef IDC_SIGV4_H
#define IDC_SIGV4_H

#include <stddef.h>
#include <time.h>

struct idc_err;

struct sigv4_creds {
	const char *access_key_id;
	const char *secret_access_key; /* secret */
	const char *session_token;     /* secret; NULL for long-term keys */
};

struct sigv4_header {
	const char *name;
	const char *value;
};

struct sigv4_request {
	const char *method; /* "POST" */
	const char *path;   /* as sent: "/", "/a%20b"; NULL or "" is "/" */
	const char *query;  /* as sent, without '?'; NULL for none */
	const struct sigv4_header *headers; /* Host among them */
	size_t nheaders;
	const void *body; /* may be NULL when body_len is 0 */
	size_t body_len;
	const char *region;  /* "us-east-1" */
	const char *service; /* signing name: "sso", "identitystore", "sts" */
	time_t when;         /* the signing time (UTC seconds) */
};

struct sigv4_signed {
	char amz_date[17];  /* X-Amz-Date: "20150830T123600Z" */
	char signature[65]; /* lower-case hex */
	char *canonical_request;
	char *string_to_sign;
	char *authorization; /* the Authorization header's value */
};

/* Sign req with creds into *out (released with sigv4_signed_release). */
int sigv4_sign(const struct sigv4_request *req, const struct sigv4_creds *creds,
    struct sigv4_signed *out, struct idc_err *err);

/* Free what out holds; NULL and zeroed are fine. */
void sigv4_signed_release(struct sigv4_signed *out);

/*
 * The URI encoding of SigV4 (RFC 3986 unreserved kept, everything else
 * %XX in upper-case hex), also kept: '/' when keep_slash.  Allocated; the
 * caller frees it.  For form bodies (the query protocol) and query strings
 * that must sign as they are sent.
 */
char *sigv4_uri_encode(const char *s, size_t len, int keep_slash);

#endif
