/*
 * test_sigv4.c - SigV4 against AWS's published test suite
 * (tests/fixtures/sigv4: canonical request, string to sign and
 * Authorization of every case), and the signer's refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"
#include "idc/net/sigv4.h"
#include "testutil.h"

#define SUITE_KEY_ID "AKIDEXAMPLE"
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

/* One .req file, parsed: the signer's inputs. */
struct suite_req {
	char *text; /* the file, cut in place */
	char *method, *path, *query, *body;
	struct sigv4_header headers[32];
	size_t nheaders;
	char *date, *token;
};

static time_t
suite_time(const char *amz)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	assert_non_null(strptime(amz, "%Y%m%dT%H%M%SZ", &tm));
	return timegm(&tm);
}

/* "METHOD target HTTP/1.1\nName:value\n...\n\nbody" */
static void
suite_parse(char *text, struct suite_req *r)
{
	char *line, *next, *proto, *colon, *q;

	memset(r, 0, sizeof *r);
	r->text = text;
	next = strchr(text, '\n');
	if (next != NULL)
		*next++ = '\0';
	line = text;
	r->method = line;
	r->path = strchr(line, ' ');
	assert_non_null(r->path);
	*r->path++ = '\0';
	proto = strstr(r->path, " HTTP/");
	assert_non_null(proto);
	*proto = '\0';
	if ((q = strchr(r->path, '?')) != NULL) {
		*q = '\0';
		r->query = q + 1;
	}
	while (next != NULL) {
		line = next;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '\0') {
			r->body = next;
			break;
		}
		colon = strchr(line, ':');
		assert_non_null(colon);
		*colon = '\0';
		if (strcasecmp(line, "X-Amz-Date") == 0) {
			r->date = colon + 1;
		} else if (strcasecmp(line, "X-Amz-Security-Token") == 0) {
			r->token = colon + 1;
		} else {
			assert_true(r->nheaders < 32);
			r->headers[r->nheaders].name = line;
			r->headers[r->nheaders].value = colon + 1;
			r->nheaders++;
		}
	}
	assert_non_null(r->date);
}

static char *
suite_file(const char *dir, const char *name, const char *ext)
{
	char path[4096];
	char *text;

	snprintf(path, sizeof path, "%s/%s/%s.%s", dir, name, name, ext);
	text = testutil_slurp(path);
	if (text == NULL)
		fail_msg("cannot read %s", path);
	return text;
}

static void
suite_case(const char *dir, const char *name)
{
	struct idc_err err = IDC_ERR_INIT;
	struct sigv4_creds creds = { SUITE_KEY_ID, SUITE_SECRET, NULL };
	struct sigv4_request req;
	struct sigv4_signed out;
	struct suite_req r;
	char *creq = suite_file(dir, name, "creq");
	char *sts = suite_file(dir, name, "sts");
	char *authz = suite_file(dir, name, "authz");

	suite_parse(suite_file(dir, name, "req"), &r);
	memset(&req, 0, sizeof req);
	req.method = r.method;
	req.path = r.path;
	req.query = r.query;
	req.headers = r.headers;
	req.nheaders = r.nheaders;
	req.body = r.body;
	req.body_len = r.body != NULL ? strlen(r.body) : 0;
	req.region = "us-east-1";
	req.service = "service";
	req.when = suite_time(r.date);
	/* header-after adds the token once signed: it is not in the sum. */
	if (strcmp(name, "post-sts-header-after") != 0)
		creds.session_token = r.token;
	if (sigv4_sign(&req, &creds, &out, &err) == -1)
		fail_msg("%s: %s", name, err.msg);
	if (strcmp(out.canonical_request, creq) != 0)
		fail_msg("%s: canonical request\n%s\nwanted\n%s", name,
		    out.canonical_request, creq);
	if (strcmp(out.string_to_sign, sts) != 0)
		fail_msg("%s: string to sign\n%s\nwanted\n%s", name,
		    out.string_to_sign, sts);
	if (strcmp(out.authorization, authz) != 0)
		fail_msg("%s: authorization\n%s\nwanted\n%s", name,
		    out.authorization, authz);
	assert_string_equal(out.amz_date, r.date);
	sigv4_signed_release(&out);
	free(r.text);
	free(creq);
	free(sts);
	free(authz);
}

static void
test_aws_suite(void **state)
{
	DIR *d = opendir(IDC_SIGV4_FIXTURES);
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strchr(e->d_name, '.') != NULL)
			continue;
		suite_case(IDC_SIGV4_FIXTURES, e->d_name);
		n++;
	}
	closedir(d);
	/* Every case of the suite ran, not a silently empty directory. */
	assert_int_equal(n, 28);
}

static const struct sigv4_header json_headers[] = {
	{ "Host", "identitystore.us-east-1.amazonaws.com" },
	{ "Content-Type", "application/x-amz-json-1.1" },
	{ "X-Amz-Target", "AWSIdentityStore.ListUsers" },
};

static void
json_request(struct sigv4_request *req)
{
	memset(req, 0, sizeof *req);
	req->method = "POST";
	req->path = "/";
	req->headers = json_headers;
	req->nheaders = 3;
	req->body = "{}";
	req->body_len = 2;
	req->region = "us-east-1";
	req->service = "identitystore";
	req->when = 1440938160; /* 2015-08-30T12:36:00Z */
}

static void
test_session_token_is_signed(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct sigv4_creds creds = { "ASIAEXAMPLE", SUITE_SECRET, "tok/en+=" };
	struct sigv4_request req;
	struct sigv4_signed out;

	(void)state;
	json_request(&req);
	assert_int_equal(sigv4_sign(&req, &creds, &out, &err), 0);
	assert_non_null(strstr(out.canonical_request,
	    "content-type:application/x-amz-json-1.1\n"
	    "host:identitystore.us-east-1.amazonaws.com\n"
	    "x-amz-date:20150830T123600Z\n"
	    "x-amz-security-token:tok/en+=\n"
	    "x-amz-target:AWSIdentityStore.ListUsers\n\n"
	    "content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n"
	    "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
	assert_non_null(strstr(out.authorization,
	    "Credential=ASIAEXAMPLE/20150830/us-east-1/identitystore/"
	    "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
	    "x-amz-security-token;x-amz-target, Signature="));
	assert_int_equal(strlen(out.signature), 64);
	sigv4_signed_release(&out);
}

static void
test_paths_and_queries(void **state)
{
	static const struct {
		const char *path, *query, *want;
	} cases[] = {
		{ "", NULL, "POST\n/\n\n" },
		{ "//a//b/./c/../d/", NULL, "POST\n/a/b/d/\n\n" },
		{ "/a%20b", NULL, "POST\n/a%2520b\n\n" },
		{ "/", "b=2&a=1&a=0&c", "POST\n/\na=0&a=1&b=2&c=\n" },
		{ "/", "k=a%2Fb&sp=a+b&t=%7e",
		    "POST\n/\nk=a%2Fb&sp=a%2Bb&t=~\n" },
		{ "/", "&&x=1&", "POST\n/\nx=1\n" },
	};
	struct idc_err err = IDC_ERR_INIT;
	struct sigv4_creds creds = { SUITE_KEY_ID, SUITE_SECRET, NULL };
	struct sigv4_request req;
	struct sigv4_signed out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_request(&req);
		req.path = cases[i].path;
		req.query = cases[i].query;
		assert_int_equal(sigv4_sign(&req, &creds, &out, &err), 0);
		if (strncmp(out.canonical_request, cases[i].want,
			strlen(cases[i].want)) != 0)
			fail_msg("case %zu: %s", i, out.canonical_request);
		sigv4_signed_release(&out);
	}
}

static void
test_refusals(void **state)
{
	static const struct sigv4_header no_host[] = { { "A", "b" } };
	static const struct sigv4_header crlf[] = { { "Host", "h" },
		{ "X", "a\r\nEvil: 1" } };
	static const struct sigv4_header own[] = { { "Host", "h" },
		{ "x-amz-date", "20200101T000000Z" } };
	static const struct sigv4_header bad_name[] = { { "Host", "h" },
		{ "A B", "c" } };
	struct sigv4_creds creds = { SUITE_KEY_ID, SUITE_SECRET, NULL };
	struct sigv4_request req;
	struct sigv4_signed out;
	struct idc_err err;

	(void)state;
#define REFUSED(what)                                                          \
	do {                                                                   \
		idc_err_clear(&err);                                           \
		assert_int_equal(sigv4_sign(&req, &creds, &out, &err), -1);    \
		assert_int_equal(err.code, IDC_EUSAGE);                        \
		assert_non_null(strstr(err.msg, what));                        \
	} while (0)
	json_request(&req);
	req.headers = no_host;
	req.nheaders = 1;
	REFUSED("no host header");
	req.headers = crlf;
	req.nheaders = 2;
	REFUSED("line break");
	req.headers = own;
	REFUSED("signer's");
	req.headers = bad_name;
	REFUSED("not a valid name");
	json_request(&req);
	req.region = "us-east-1.evil.com/";
	REFUSED("region");
	json_request(&req);
	req.service = "";
	REFUSED("service");
	json_request(&req);
	creds.access_key_id = "AKID/2015";
	REFUSED("access key id");
	creds.access_key_id = SUITE_KEY_ID;
	creds.session_token = "a\nb";
	REFUSED("line break");
#undef REFUSED
}

static void
test_uri_encode(void **state)
{
	char *s;

	(void)state;
	s = sigv4_uri_encode("a b/c~%\xe1\x88\xb4", 10, 1);
	assert_string_equal(s, "a%20b/c~%25%E1%88%B4");
	free(s);
	s = sigv4_uri_encode("a/b", 3, 0);
	assert_string_equal(s, "a%2Fb");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aws_suite),
		cmocka_unit_test(test_session_token_is_signed),
		cmocka_unit_test(test_paths_and_queries),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_uri_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
