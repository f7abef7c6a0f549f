/*
 * sigv4.c - AWS Signature Version 4 (see sigv4.h).
 *
 * Four steps, as AWS documents them: the canonical request, the string to
 * sign (its hash under the credential scope), the signing key (an HMAC
 * chain from the secret through date, region and service), and the
 * signature (the HMAC of the string to sign under that key).  Everything
 * is built in bounded buffers; the secret key and the derived keys are
 * wiped before this returns.
 */
#include "idc/net/sigv4.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idc/core/buf.h"
#include "idc/core/crypto.h"
#include "idc/core/err.h"
#include "idc/core/url.h"
#include "idc/core/xmalloc.h"

/* Bounds on what a request may bring: the canonical request holds the
 * headers (a session token is ~1-2 KiB) but not the body. */
#define SIGV4_MAX_CANONICAL (1024u * 1024u)
#define SIGV4_MAX_HEADERS   64

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

static int
sigv4_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

static void
sigv4_encode_into(struct idc_buf *out, const char *s, size_t len, int slash)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	char pct[3];
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (sigv4_unreserved(c) || (slash && c == '/')) {
			idc_buf_putch(out, (char)c);
		} else {
			pct[0] = '%';
			pct[1] = hex[c >> 4];
			pct[2] = hex[c & 15];
			idc_buf_put(out, pct, 3);
		}
	}
}

char *
sigv4_uri_encode(const char *s, size_t len, int keep_slash)
{
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);

	sigv4_encode_into(&out, s, len, keep_slash);
	return idc_buf_detach(&out, NULL);
}

/* --- the canonical URI --- */

/*
 * Remove "." and ".." segments (RFC 3986 5.2.4) and empty segments (AWS
 * wants repeated slashes gone), keeping a leading and a trailing '/'.
 */
static char *
sigv4_normalize_path(const char *path)
{
	size_t len = strlen(path), n = 0, i = 0, start, seg;
	size_t *ends; /* where each kept segment ends in out */
	size_t nseg = 0;
	char *out;

	if (len == 0)
		return xstrdup("/");
	out = xmalloc(len + 2);
	ends = xcalloc(len + 1, sizeof *ends);
	if (path[0] == '/')
		out[n++] = '/';
	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		seg = i - start;
		if (seg == 0 || (seg == 1 && path[start] == '.'))
			continue;
		if (seg == 2 && path[start] == '.' && path[start + 1] == '.') {
			if (nseg > 0) {
				nseg--;
				n = nseg > 0 ? ends[nseg - 1]
					     : (path[0] == '/' ? 1 : 0);
			}
			continue;
		}
		if (nseg > 0)
			out[n++] = '/';
		memcpy(out + n, path + start, seg);
		n += seg;
		ends[nseg++] = n;
	}
	if (nseg > 0 && path[len - 1] == '/')
		out[n++] = '/';
	out[n] = '\0';
	free(ends);
	return out;
}

/* --- the canonical query --- */

struct sigv4_param {
	char *key; /* encoded */
	char *value;
};

/* Percent-decode s[0..len) and encode it the SigV4 way. */
static char *
sigv4_reencode(const char *s, size_t len)
{
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	char *raw = xmalloc(len + 1);
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = url_hexval(s[i + 1])) >= 0 &&
		    (lo = url_hexval(s[i + 2])) >= 0) {
			raw[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			raw[n++] = s[i];
		}
	}
	sigv4_encode_into(&out, raw, n, 0);
	free(raw);
	return idc_buf_detach(&out, NULL);
}

static int
sigv4_param_cmp(const void *a, const void *b)
{
	const struct sigv4_param *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : strcmp(x->value, y->value);
}

static void
sigv4_canonical_query(struct idc_buf *out, const char *query)
{
	struct sigv4_param *params = NULL;
	const char *p = query, *amp, *eq;
	size_t n = 0, cap = 0, i, len;

	while (p != NULL && *p != '\0') {
		amp = strchr(p, '&');
		len = amp != NULL ? (size_t)(amp - p) : strlen(p);
		if (len > 0) {
			if (n == cap) {
				cap = cap == 0 ? 8 : cap * 2;
				params =
				    xreallocarray(params, cap, sizeof *params);
			}
			eq = memchr(p, '=', len);
			if (eq == NULL) {
				params[n].key = sigv4_reencode(p, len);
				params[n].value = xstrdup("");
			} else {
				params[n].key =
				    sigv4_reencode(p, (size_t)(eq - p));
				params[n].value = sigv4_reencode(
				    eq + 1, len - (size_t)(eq - p) - 1);
			}
			n++;
		}
		p = amp != NULL ? amp + 1 : NULL;
	}
	if (n > 1)
		qsort(params, n, sizeof *params, sigv4_param_cmp);
	for (i = 0; i < n; i++) {
		idc_buf_putf(out, "%s%s=%s", i > 0 ? "&" : "", params[i].key,
		    params[i].value);
		free(params[i].key);
		free(params[i].value);
	}
	free(params);
}

/* --- canonical headers --- */

struct sigv4_hdr {
	char *name;  /* lower case */
	char *value; /* trimmed, runs of white space made one space */
	size_t order;
};

static int
sigv4_hdr_cmp(const void *a, const void *b)
{
	const struct sigv4_hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
sigv4_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static char *
sigv4_header_value(const char *v)
{
	size_t len = strlen(v), i, n = 0;
	char *out = xmalloc(len + 1);
	int gap = 0;

	for (i = 0; i < len; i++) {
		if (sigv4_space(v[i])) {
			gap = n > 0;
			continue;
		}
		if (gap)
			out[n++] = ' ';
		gap = 0;
		out[n++] = v[i];
	}
	out[n] = '\0';
	return out;
}

/* A header name is an RFC 9110 token. */
static int
sigv4_valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!(sigv4_unreserved((unsigned char)*s) ||
			strchr("!#$%&'*+^`|", *s) != NULL))
			return 0;
	return 1;
}

static int
sigv4_collect_headers(const struct sigv4_request *req,
    const struct sigv4_creds *creds, const char *amz_date, struct sigv4_hdr *h,
    size_t *nh, struct idc_err *err)
{
	size_t i, j, n = 0;
	int host = 0;

	if (req->nheaders > SIGV4_MAX_HEADERS)
		return idc_err_set(err, IDC_EUSAGE,
		    "request has more than %d headers", SIGV4_MAX_HEADERS);
	for (i = 0; i < req->nheaders; i++) {
		const char *name = req->headers[i].name;
		const char *value = req->headers[i].value;

		if (name == NULL || value == NULL || !sigv4_valid_name(name))
			return idc_err_set(err, IDC_EUSAGE,
			    "request header '%.40s' is not a valid name",
			    name != NULL ? name : "");
		if (strpbrk(value, "\r\n") != NULL)
			return idc_err_set(err, IDC_EUSAGE,
			    "request header '%.40s' has a line break", name);
		if (strcasecmp(name, "x-amz-date") == 0 ||
		    strcasecmp(name, "x-amz-security-token") == 0 ||
		    strcasecmp(name, "authorization") == 0)
			return idc_err_set(err, IDC_EUSAGE,
			    "request header '%.40s' is the signer's", name);
		if (strcasecmp(name, "host") == 0)
			host = 1;
		h[n].name = xstrdup(name);
		for (j = 0; h[n].name[j] != '\0'; j++)
			if (h[n].name[j] >= 'A' && h[n].name[j] <= 'Z')
				h[n].name[j] = (char)(h[n].name[j] + 32);
		h[n].value = sigv4_header_value(value);
		h[n].order = n;
		*nh = ++n;
	}
	if (!host)
		return idc_err_set(
		    err, IDC_EUSAGE, "request to sign has no host header");
	h[n].name = xstrdup("x-amz-date");
	h[n].value = xstrdup(amz_date);
	h[n].order = n;
	*nh = ++n;
	if (creds->session_token != NULL && creds->session_token[0] != '\0') {
		if (strpbrk(creds->session_token, "\r\n") != NULL)
			return idc_err_set(
			    err, IDC_EUSAGE, "session token has a line break");
		h[n].name = xstrdup("x-amz-security-token");
		h[n].value = xstrdup(creds->session_token);
		h[n].order = n;
		*nh = ++n;
	}
	qsort(h, n, sizeof *h, sigv4_hdr_cmp);
	return 0;
}

static void
sigv4_headers_free(struct sigv4_hdr *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].name);
		secret_free(h[i].value);
	}
}

/* "name:v1,v2\n" per distinct name into out, "a;b;c" into signed_h. */
static void
sigv4_canonical_headers(const struct sigv4_hdr *h, size_t n,
    struct idc_buf *out, struct idc_buf *signed_h)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0) {
			idc_buf_putch(out, ',');
			idc_buf_putstr(out, h[i].value);
			continue;
		}
		if (i > 0) {
			idc_buf_putch(out, '\n');
			idc_buf_putch(signed_h, ';');
		}
		idc_buf_putf(out, "%s:%s", h[i].name, h[i].value);
		idc_buf_putstr(signed_h, h[i].name);
	}
	idc_buf_putch(out, '\n');
}

/* --- inputs --- */

/* Region and service go into the scope: lower-case, digits, dashes. */
static int
sigv4_valid_scope_part(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			*s == '-'))
			return 0;
	return 1;
}

static int
sigv4_valid_key_id(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 128)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			(*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

static int
sigv4_check(const struct sigv4_request *req, const struct sigv4_creds *creds,
    struct idc_err *err)
{
	const char *m = req->method;

	if (m == NULL || *m == '\0' ||
	    strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(m))
		return idc_err_set(err, IDC_EUSAGE,
		    "cannot sign method '%.16s'", m != NULL ? m : "");
	if (!sigv4_valid_scope_part(req->region))
		return idc_err_set(err, IDC_EUSAGE,
		    "cannot sign for region '%.64s'",
		    req->region != NULL ? req->region : "");
	if (!sigv4_valid_scope_part(req->service))
		return idc_err_set(err, IDC_EUSAGE,
		    "cannot sign for service '%.64s'",
		    req->service != NULL ? req->service : "");
	if (!sigv4_valid_key_id(creds->access_key_id))
		return idc_err_set(
		    err, IDC_EUSAGE, "the access key id is not a valid key id");
	if (creds->secret_access_key == NULL ||
	    creds->secret_access_key[0] == '\0')
		return idc_err_set(
		    err, IDC_EUSAGE, "the secret access key is empty");
	return 0;
}

/* --- signing --- */

static int
sigv4_signing_key(const struct sigv4_creds *creds, const char *date,
    const char *region, const char *service,
    unsigned char key[CRYPTO_SHA256_LEN], struct idc_err *err)
{
	const char *steps[4];
	char *secret;
	size_t i;
	int r = -1;

	steps[0] = date;
	steps[1] = region;
	steps[2] = service;
	steps[3] = "aws4_request";
	secret = xasprintf("AWS4%s", creds->secret_access_key);
	if (crypto_hmac_sha256(secret, strlen(secret), steps[0],
		strlen(steps[0]), key, err) == -1)
		goto out;
	for (i = 1; i < 4; i++)
		if (crypto_hmac_sha256(key, CRYPTO_SHA256_LEN, steps[i],
			strlen(steps[i]), key, err) == -1)
			goto out;
	r = 0;
out:
	secret_free(secret);
	return r;
}

int
sigv4_sign(const struct sigv4_request *req, const struct sigv4_creds *creds,
    struct sigv4_signed *out, struct idc_err *err)
{
	/* Made of the caller's strings, already in memory; checked against
	 * SIGV4_MAX_CANONICAL once built. */
	struct idc_buf creq = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct idc_buf hdrs = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct idc_buf signed_h = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct idc_buf sts = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct sigv4_hdr h[SIGV4_MAX_HEADERS + 2];
	unsigned char md[CRYPTO_SHA256_LEN], key[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1], amz_date[17], date[9];
	char *path = NULL;
	struct tm tm;
	size_t nh = 0;
	int r = -1;

	memset(h, 0, sizeof h);
	if (sigv4_check(req, creds, err) == -1)
		return -1;
	if (gmtime_r(&req->when, &tm) == NULL ||
	    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm) != 16)
		return idc_err_set(err, IDC_EUSAGE, "cannot sign at that time");
	memcpy(date, amz_date, 8);
	date[8] = '\0';
	if (sigv4_collect_headers(req, creds, amz_date, h, &nh, err) == -1)
		goto out;

	/* 1. The canonical request. */
	path = sigv4_normalize_path(req->path != NULL ? req->path : "");
	idc_buf_putf(&creq, "%s\n", req->method);
	sigv4_encode_into(&creq, path, strlen(path), 1);
	idc_buf_putch(&creq, '\n');
	sigv4_canonical_query(&creq, req->query);
	idc_buf_putch(&creq, '\n');
	sigv4_canonical_headers(h, nh, &hdrs, &signed_h);
	if (crypto_sha256(req->body, req->body != NULL ? req->body_len : 0, md,
		err) == -1)
		goto out;
	crypto_hex(md, sizeof md, hex);
	idc_buf_putf(&creq, "%s\n%s\n%s", idc_buf_cstr(&hdrs),
	    idc_buf_cstr(&signed_h), hex);
	if (creq.len > SIGV4_MAX_CANONICAL) {
		idc_err_set(err, IDC_EUSAGE, "request too large to sign");
		goto out;
	}

	/* 2. The string to sign. */
	if (crypto_sha256(creq.data, creq.len, md, err) == -1)
		goto out;
	crypto_hex(md, sizeof md, hex);
	idc_buf_putf(&sts, SIGV4_ALGORITHM "\n%s\n%s/%s/%s/aws4_request\n%s",
	    amz_date, date, req->region, req->service, hex);

	/* 3. The signing key, 4. the signature. */
	if (sigv4_signing_key(
		creds, date, req->region, req->service, key, err) == -1 ||
	    crypto_hmac_sha256(key, sizeof key, sts.data, sts.len, md, err) ==
		-1)
		goto out;
	memset(out, 0, sizeof *out);
	crypto_hex(md, sizeof md, out->signature);
	memcpy(out->amz_date, amz_date, sizeof amz_date);
	out->authorization = xasprintf(SIGV4_ALGORITHM
	    " Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, "
	    "Signature=%s",
	    creds->access_key_id, date, req->region, req->service,
	    idc_buf_cstr(&signed_h), out->signature);
	out->canonical_request = idc_buf_detach(&creq, NULL);
	out->string_to_sign = idc_buf_detach(&sts, NULL);
	r = 0;
out:
	secret_wipe(key, sizeof key);
	sigv4_headers_free(h, nh);
	free(path);
	idc_buf_release_secret(&creq);
	idc_buf_release_secret(&hdrs);
	idc_buf_release(&signed_h);
	idc_buf_release(&sts);
	return r;
}

void
sigv4_signed_release(struct sigv4_signed *out)
{
	if (out == NULL)
		return;
	secret_free(out->canonical_request);
	free(out->string_to_sign);
	free(out->authorization);
	memset(out, 0, sizeof *out);
}
