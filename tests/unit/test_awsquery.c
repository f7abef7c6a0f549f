/*
 * test_awsquery.c - STS over the query protocol without I/O: form bodies
 * as botocore would send them, AssumeRole and GetCallerIdentity answers
 * (AWS's documented examples and moto's) read into checked values, error
 * answers mapped to exit statuses, and hostile XML refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"
#include "idc/net/awsquery.h"
#include "testutil.h"

static char *
fixture(const char *name)
{
	char path[1024];
	char *text;

	snprintf(path, sizeof path, "%s/%s", IDC_STS_FIXTURES, name);
	if ((text = testutil_slurp(path)) == NULL)
		fail_msg("cannot read '%s'", path);
	return text;
}

static void
test_form(void **state)
{
	const struct awsquery_param p[] = {
		{ "RoleArn", "arn:aws:iam::123456789012:role/a b" },
		{ "ExternalId", NULL },
		{ "RoleSessionName", "idc-x+y/z=~._-" },
		{ "Tags.member.1.Key", "\xc3\xa9&" },
	};
	char *body;

	(void)state;
	body = awsquery_body("AssumeRole", p, 4);
	assert_string_equal(body,
	    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
	    "123456789012%3Arole%2Fa%20b&RoleSessionName=idc-x%2By%2Fz%3D~._-"
	    "&Tags.member.1.Key=%C3%A9%26");
	secret_free(body);
	body = awsquery_body("GetCallerIdentity", NULL, 0);
	assert_string_equal(
	    body, "Action=GetCallerIdentity&Version=2011-06-15");
	secret_free(body);
	body = awsquery_form(p + 1, 1);
	assert_string_equal(body, "");
	secret_free(body);
}

static void
test_assume_role(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsquery_assumed a;
	char *text;

	(void)state;
	text = fixture("assume_role.xml");
	assert_int_equal(
	    awsquery_assume_role_parse(text, strlen(text), &a, &err), 0);
	assert_string_equal(a.access_key_id, "ASIAIOSFODNN7EXAMPLE");
	assert_string_equal(
	    a.secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
	assert_int_equal(strncmp(a.session_token, "AQoDYXdzEPT//", 13), 0);
	assert_int_equal(a.expiration, 1573306481);
	assert_string_equal(
	    a.arn, "arn:aws:sts::123456789012:assumed-role/demo/TestAR");
	assert_string_equal(a.assumed_role_id, "ARO123EXAMPLE123:TestAR");
	assert_string_equal(a.source_identity, "alice");
	awsquery_assumed_release(&a);
	free(text);

	text = fixture("assume_role_moto.xml");
	assert_int_equal(
	    awsquery_assume_role_parse(text, strlen(text), &a, &err), 0);
	assert_string_equal(a.access_key_id, "ASIARZPUZDIKFTLCIWV3");
	assert_int_equal(a.expiration, 1796177048);
	assert_null(a.source_identity);
	awsquery_assumed_release(&a);
	free(text);
}

/* Each document is refused with IDC_ESERVER and a message holding why. */
static void
assume_fails(const char *text, const char *why)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsquery_assumed a;

	memset(&a, 0x5a, sizeof a);
	assert_int_equal(
	    awsquery_assume_role_parse(text, strlen(text), &a, &err), -1);
	assert_int_equal(err.code, IDC_ESERVER);
	if (strstr(err.msg, why) == NULL)
		fail_msg("'%s' does not say '%s'", err.msg, why);
	/* Out-params are set only on success. */
	assert_ptr_equal(a.access_key_id, (void *)0x5a5a5a5a5a5a5a5aULL);
}

#define CRED(akid, sk, tok, exp)                                               \
	"<Credentials><AccessKeyId>" akid "</AccessKeyId><SecretAccessKey>" sk \
	"</SecretAccessKey><SessionToken>" tok                                 \
	"</SessionToken><Expiration>" exp "</Expiration></Credentials>"
#define USER                                                                   \
	"<AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn>"          \
	"<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>"
#define OK_CRED CRED("ASIA1", "sk", "tok", "2030-01-01T00:00:00Z")
#define WRAP(inner)                                                            \
	"<AssumeRoleResponse><AssumeRoleResult>" inner                         \
	"</AssumeRoleResult></AssumeRoleResponse>"

static void
test_assume_role_refused(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsquery_assumed a;
	char *text;

	(void)state;
	assert_int_equal(awsquery_assume_role_parse(WRAP(OK_CRED USER),
			     strlen(WRAP(OK_CRED USER)), &a, &err),
	    0);
	awsquery_assumed_release(&a);
	assume_fails(WRAP(USER), "no 'Credentials'");
	assume_fails(WRAP(OK_CRED OK_CRED USER), "more than one 'Credentials'");
	assume_fails(WRAP(OK_CRED), "no 'AssumedRoleUser'");
	assume_fails(
	    WRAP(CRED("ASIA1", "", "tok", "2030-01-01T00:00:00Z") USER),
	    "invalid 'SecretAccessKey'");
	assume_fails(
	    WRAP(CRED("ASIA1", "s k", "tok", "2030-01-01T00:00:00Z") USER),
	    "invalid 'SecretAccessKey'");
	assume_fails(
	    WRAP(CRED("ASIA1", "sk", "t\tok", "2030-01-01T00:00:00Z") USER),
	    "invalid 'SessionToken'");
	assume_fails(
	    WRAP(CRED("ASIA/1", "sk", "tok", "2030-01-01T00:00:00Z") USER),
	    "invalid access key id");
	assume_fails(WRAP(CRED("ASIA1", "sk", "tok", "tomorrow") USER),
	    "invalid 'Expiration'");
	assume_fails(
	    WRAP(CRED("ASIA1", "sk<b/>", "tok", "2030-01-01T00:00:00Z") USER),
	    "elements inside 'SecretAccessKey'");
	assume_fails("<AssumeRoleResponse>" OK_CRED USER
		     "</AssumeRoleResponse>",
	    "no 'AssumeRoleResult'");
	assume_fails(
	    "<GetCallerIdentityResponse/>", "not a AssumeRoleResponse");
	assume_fails(WRAP(OK_CRED USER
			 "<SourceIdentity>a</SourceIdentity><SourceIdentity>b"
			 "</SourceIdentity>"),
	    "2 'SourceIdentity' elements");
	text = fixture("hostile_wrong_nesting.xml");
	assume_fails(text, "mismatched tag");
	free(text);
	text = fixture("hostile_billion_laughs.xml");
	assume_fails(text, "document type declaration");
	free(text);
}

static void
test_caller_identity(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsquery_identity id;
	const char *bad =
	    "<GetCallerIdentityResponse><GetCallerIdentityResult>"
	    "<Arn>arn:aws:iam::1:user/x</Arn><UserId>U</UserId>"
	    "<Account>1234567890123</Account>"
	    "</GetCallerIdentityResult></GetCallerIdentityResponse>";
	char *text;

	(void)state;
	text = fixture("get_caller_identity.xml");
	assert_int_equal(
	    awsquery_caller_identity_parse(text, strlen(text), &id, &err), 0);
	assert_string_equal(id.account, "123456789012");
	assert_string_equal(id.arn,
	    "arn:aws:sts::123456789012:assumed-role/my-role-name/"
	    "my-role-session-name");
	assert_string_equal(
	    id.user_id, "ARO123EXAMPLE123:my-role-session-name");
	awsquery_identity_release(&id);
	free(text);
	assert_int_equal(
	    awsquery_caller_identity_parse(bad, strlen(bad), &id, &err), -1);
	assert_int_equal(err.code, IDC_ESERVER);
	text = fixture("hostile_external_entity.xml");
	assert_int_equal(
	    awsquery_caller_identity_parse(text, strlen(text), &id, &err), -1);
	assert_non_null(strstr(err.msg, "document type declaration"));
	assert_null(strstr(err.msg, "root:"));
	free(text);
}

/* The fixture's error, its code and the exit status it maps to. */
static void
error_maps(
    const char *file, long status, const char *code, enum idc_errcode want)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsquery_error e;
	char *text = fixture(file);

	awsquery_error_parse(status, text, strlen(text), &e);
	assert_int_equal(e.status, status);
	assert_string_equal(e.code, code);
	assert_non_null(e.message);
	assert_non_null(e.request_id);
	assert_int_equal(awsquery_error_to_err(&e, "AssumeRole", &err), -1);
	assert_int_equal(err.code, want);
	assert_int_equal(err.http_status, status);
	assert_non_null(strstr(err.msg, "AssumeRole failed: "));
	assert_non_null(strstr(err.msg, code));
	awsquery_error_release(&e);
	free(text);
}

static void
test_errors(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsquery_error e;
	const char *evil = "<ErrorResponse><Error><Code>Bad Code</Code>"
			   "<Message>line\nbreak&#9;[31m</Message></Error>"
			   "</ErrorResponse>";

	(void)state;
	error_maps("error_access_denied.xml", 403, "AccessDenied", IDC_EDENIED);
	error_maps("error_expired_token.xml", 400, "ExpiredToken", IDC_EAUTH);
	error_maps("error_region_disabled.xml", 403, "RegionDisabledException",
	    IDC_ECONFIG);
	error_maps("error_throttling.xml", 400, "Throttling", IDC_ESERVER);

	/* Not XML at all: the status decides. */
	awsquery_error_parse(403, "<html>Forbidden", 15, &e);
	assert_null(e.code);
	awsquery_error_to_err(&e, "GetCallerIdentity", &err);
	assert_int_equal(err.code, IDC_EDENIED);
	assert_string_equal(err.msg,
	    "GetCallerIdentity failed: an unexpected answer (HTTP 403)");
	awsquery_error_release(&e);
	awsquery_error_parse(500, "", 0, &e);
	awsquery_error_to_err(&e, "AssumeRole", &err);
	assert_int_equal(err.code, IDC_ESERVER);
	awsquery_error_release(&e);

	/* A code that is not a word is dropped; the message is made safe. */
	awsquery_error_parse(400, evil, strlen(evil), &e);
	assert_null(e.code);
	assert_string_equal(e.message, "line\\nbreak\\t[31m");
	awsquery_error_release(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_assume_role),
		cmocka_unit_test(test_assume_role_refused),
		cmocka_unit_test(test_caller_identity),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
