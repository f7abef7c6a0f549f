/*
 * test_awsjson.c - AWS JSON 1.1 requests and hostile answers, botocore's
 * standard retry classification, and a signed request as apicall.c
 * prepares it for http.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/err.h"
#include "idc/net/apicall.h"
#include "idc/net/awsjson.h"
#include "idc/net/sigv4.h"

static void
test_request_shape(void **state)
{
	struct awsjson_request r;
	cJSON *body = cJSON_CreateObject();

	(void)state;
	cJSON_AddStringToObject(body, "IdentityStoreId", "d-1234567890");
	awsjson_request_build(&awsjson_identitystore, "ListUsers", body, &r);
	assert_string_equal(r.api.method, "POST");
	assert_string_equal(r.api.path, "/");
	assert_string_equal(r.api.target, "AWSIdentityStore.ListUsers");
	assert_string_equal(r.api.content_type, "application/x-amz-json-1.1");
	assert_string_equal(
	    r.api.body, "{\"IdentityStoreId\":\"d-1234567890\"}");
	awsjson_request_release(&r);
	awsjson_request_build(&awsjson_sso_admin, "ListInstances", NULL, &r);
	assert_string_equal(r.api.target, "SWBExternalService.ListInstances");
	assert_string_equal(r.api.body, "{}");
	assert_string_equal(awsjson_sso_admin.signing_name, "sso");
	awsjson_request_release(&r);
	cJSON_Delete(body);
}

static void
test_hostile_answers(void **state)
{
	static const char *const bad[] = { "", "not json", "[1,2]", "\"s\"",
		"{\"a\":1} trailing", "null" };
	struct idc_err err = IDC_ERR_INIT;
	const cJSON *list;
	cJSON *a;
	const char *text;
	char *s, *next;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		idc_err_clear(&err);
		assert_null(
		    awsjson_parse("ListUsers", bad[i], strlen(bad[i]), &err));
		assert_int_equal(err.code, IDC_ESERVER);
		assert_non_null(strstr(err.msg, "ListUsers"));
	}
	text = "{\"Users\":{\"x\":1},\"Groups\":[1],\"Ok\":[{}],\"N\":5,"
	       "\"NextToken\":7,\"Long\":\"abcdef\"}";
	a = awsjson_parse("ListUsers", text, strlen(text), &err);
	assert_non_null(a);
	assert_int_equal(
	    awsjson_get_list(a, "ListUsers", "Users", &list, &err), -1);
	assert_non_null(strstr(err.msg, "'Users'"));
	assert_int_equal(
	    awsjson_get_list(a, "ListUsers", "Groups", &list, &err), -1);
	assert_int_equal(
	    awsjson_get_list(a, "ListUsers", "Ok", &list, &err), 0);
	assert_int_equal(cJSON_GetArraySize(list), 1);
	assert_int_equal(
	    awsjson_get_list(a, "ListUsers", "Absent", &list, &err), 0);
	assert_null(list);
	assert_int_equal(awsjson_get_str(a, "X", "N", 0, 10, &s, &err), -1);
	assert_int_equal(awsjson_get_str(a, "X", "Long", 0, 3, &s, &err), -1);
	assert_non_null(strstr(err.msg, "longer than 3"));
	assert_int_equal(awsjson_get_str(a, "X", "Absent", 1, 3, &s, &err), -1);
	assert_int_equal(awsjson_get_str(a, "X", "Absent", 0, 3, &s, &err), 0);
	assert_null(s);
	assert_int_equal(
	    awsjson_next_token(a, "ListUsers", NULL, &next, &err), -1);
	cJSON_Delete(a);

	a = awsjson_parse("L", "{\"NextToken\":\"t1\"}", 18, &err);
	assert_int_equal(awsjson_next_token(a, "L", NULL, &next, &err), 0);
	assert_string_equal(next, "t1");
	free(next);
	/* The same token again: a pagination that never ends. */
	assert_int_equal(awsjson_next_token(a, "L", "t1", &next, &err), -1);
	assert_non_null(strstr(err.msg, "same NextToken"));
	cJSON_Delete(a);
	a = awsjson_parse("L", "{\"NextToken\":\"\"}", 16, &err);
	assert_int_equal(awsjson_next_token(a, "L", "t1", &next, &err), 0);
	assert_null(next);
	cJSON_Delete(a);
}

static void
test_standard_retry_classification(void **state)
{
	(void)state;
	assert_int_equal(apicall_classify_code("ThrottlingException", 400),
	    HTTP_RETRY_THROTTLED);
	assert_int_equal(
	    apicall_classify_code("Throttling", 400), HTTP_RETRY_THROTTLED);
	assert_int_equal(apicall_classify_code("TooManyRequestsException", 429),
	    HTTP_RETRY_THROTTLED);
	assert_int_equal(apicall_classify_code("RequestLimitExceeded", 503),
	    HTTP_RETRY_THROTTLED);
	assert_int_equal(
	    apicall_classify_code("RequestTimeout", 400), HTTP_RETRY_TRANSIENT);
	assert_int_equal(apicall_classify_code("InternalServerException", 500),
	    HTTP_RETRY_TRANSIENT);
	assert_int_equal(
	    apicall_classify_code(NULL, 502), HTTP_RETRY_TRANSIENT);
	assert_int_equal(
	    apicall_classify_code(NULL, 504), HTTP_RETRY_TRANSIENT);
	assert_int_equal(apicall_classify_code(NULL, 501), HTTP_RETRY_NO);
	assert_int_equal(
	    apicall_classify_code("AccessDeniedException", 400), HTTP_RETRY_NO);
	assert_int_equal(
	    apicall_classify_code("ConflictException", 400), HTTP_RETRY_NO);
	assert_int_equal(
	    apicall_classify_code("ThrottlingException", 200), HTTP_RETRY_NO);
}

static void
test_classify_reads_the_body(void **state)
{
	struct http_response resp;

	(void)state;
	http_response_init(&resp);
	resp.status = 400;
	assert_int_equal(idc_buf_addstr(&resp.body,
			     "{\"__type\":\"com.amazon#ThrottlingException\","
			     "\"message\":\"x\"}"),
	    0);
	assert_int_equal(apicall_classify(&resp), HTTP_RETRY_THROTTLED);
	http_response_release(&resp);
	resp.status = 400;
	resp.error_type = strdup("ValidationException");
	assert_int_equal(apicall_classify(&resp), HTTP_RETRY_NO);
	http_response_release(&resp);
}

static int
has_header(const struct apicall *p, const char *prefix)
{
	size_t i;

	for (i = 0; i < p->nheaders; i++)
		if (strncmp(p->headers[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static void
test_prepare_signs(void **state)
{
	struct sigv4_creds creds = { "AKIDEXAMPLE", "secret", "tok" };
	struct api_sigv4 sv = { &creds, "eu-west-1", "sso", 1440938160 };
	struct idc_err err = IDC_ERR_INIT;
	struct apicall p;
	struct awsjson_request r;

	(void)state;
	awsjson_request_build(&awsjson_sso_admin, "ListInstances", NULL, &r);
	r.api.sigv4 = &sv;
	assert_int_equal(apicall_prepare(&p, "http://127.0.0.1:8080/base",
			     "ListInstances", &r.api, &err),
	    0);
	assert_string_equal(p.url, "http://127.0.0.1:8080/base/");
	assert_true(has_header(&p, "Host: 127.0.0.1:8080"));
	assert_true(has_header(&p, "Content-Type: application/x-amz-json-1.1"));
	assert_true(has_header(&p, "X-Amz-Target: SWBExternalService."));
	assert_true(has_header(&p, "X-Amz-Date: 20150830T123600Z"));
	assert_true(has_header(&p, "X-Amz-Security-Token: tok"));
	assert_true(has_header(&p,
	    "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
	    "eu-west-1/sso/aws4_request, SignedHeaders=content-type;host;"
	    "x-amz-date;x-amz-security-token;x-amz-target, Signature="));
	assert_ptr_equal(p.http.classify, apicall_classify);
	apicall_release(&p);
	assert_int_equal(apicall_prepare(&p, "https://u:p@host/",
			     "ListInstances", &r.api, &err),
	    -1);
	assert_int_equal(err.code, IDC_EUSAGE);
	awsjson_request_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_shape),
		cmocka_unit_test(test_hostile_answers),
		cmocka_unit_test(test_standard_retry_classification),
		cmocka_unit_test(test_classify_reads_the_body),
		cmocka_unit_test(test_prepare_signs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
