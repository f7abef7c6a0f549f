/*
 * test_apierror.c - error answers classified as botocore classifies them, and
 * mapped to idc's error codes (and so exit statuses).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "idc/core/log.h"
#include "idc/net/apierror.h"
#include "idc/core/err.h"

static void
parse(long status, const char *hdr, const char *body, struct api_error *e)
{
	api_error_parse(status, hdr, body, body ? strlen(body) : 0, e);
}

static void
test_header_type_is_cut_like_botocore(void **state)
{
	struct api_error e;

	(void)state;
	parse(400,
	    "AuthorizationPendingException:http://internal.amazon.com/coral/"
	    "com.amazonaws.sso.oidc/",
	    "{\"error\":\"authorization_pending\",\"error_description\":"
	    "\"Authorization is still pending\"}",
	    &e);
	assert_string_equal(e.type, "AuthorizationPendingException");
	assert_string_equal(e.error, "authorization_pending");
	assert_string_equal(e.description, "Authorization is still pending");
	assert_true(api_error_is(&e, "AuthorizationPendingException"));
	assert_false(api_error_is(&e, "SlowDownException"));
	api_error_release(&e);

	parse(400, "aws.protocoltests#SlowDownException:http://x", NULL, &e);
	assert_string_equal(e.type, "SlowDownException");
	api_error_release(&e);
}

static void
test_body_code_when_no_header_and_oauth_fallback(void **state)
{
	struct api_error e;

	(void)state;
	parse(401, NULL,
	    "{\"__type\":\"com.amazon#UnauthorizedException\",\"message\":"
	    "\"Session token not found or invalid\"}",
	    &e);
	assert_string_equal(e.type, "UnauthorizedException");
	assert_string_equal(
	    e.description, "Session token not found or invalid");
	api_error_release(&e);

	parse(400, NULL, "{\"error\":\"slow_down\"}", &e);
	assert_null(e.type);
	assert_true(api_error_is(&e, "SlowDownException"));
	api_error_release(&e);

	parse(502, NULL, "<html>bad gateway</html>", &e);
	assert_null(e.type);
	assert_null(e.description);
	assert_int_equal(e.status, 502);
	api_error_release(&e);
}

static void
test_error_codes_map_to_exit_statuses(void **state)
{
	static const struct {
		long status;
		const char *type;
		enum idc_errcode code;
	} cases[] = {
		{ 401, "UnauthorizedException", IDC_EAUTH },
		{ 400, "InvalidGrantException", IDC_EAUTH },
		{ 400, "ExpiredTokenException", IDC_EAUTH },
		{ 401, "InvalidClientException", IDC_EAUTH },
		{ 400, "AccessDeniedException", IDC_EDENIED },
		{ 403, "ForbiddenException", IDC_EDENIED },
		{ 429, "TooManyRequestsException", IDC_ESERVER },
		{ 500, "InternalServerException", IDC_ESERVER },
		{ 400, "InvalidRequestException", IDC_ESERVER },
		{ 401, NULL, IDC_EAUTH },
	};
	struct idc_err err = IDC_ERR_INIT;
	struct api_error e;
	char hdr[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].type != NULL)
			snprintf(hdr, sizeof hdr, "%s:http://x", cases[i].type);
		parse(cases[i].status, cases[i].type ? hdr : NULL,
		    "{\"message\":\"why\"}", &e);
		assert_int_equal(
		    api_error_to_err(&e, "GetRoleCredentials", &err), -1);
		assert_int_equal(err.code, cases[i].code);
		assert_int_equal(err.http_status, cases[i].status);
		assert_non_null(strstr(err.msg, "GetRoleCredentials failed"));
		assert_non_null(strstr(err.msg, "'why'"));
		api_error_release(&e);
	}
}

/* A description that echoes a long token after 100 bytes: cut at 160,
 * the token would be half shown and no longer recognised. */
static void
test_echoed_secret_is_redacted_before_the_cut(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct api_error e;
	char token[400], body[700];

	(void)state;
	memset(token, 'Q', sizeof token - 1);
	token[sizeof token - 1] = '\0';
	log_secret(token);
	snprintf(body, sizeof body,
	    "{\"message\":\"%0100d token %s is not valid\"}", 0, token);
	parse(401, "UnauthorizedException:http://x", body, &e);
	api_error_to_err(&e, "ListAccounts", &err);
	assert_null(strstr(err.msg, "QQQQ"));
	assert_non_null(strstr(err.msg, " token <redacted> is not"));
	api_error_release(&e);
	log_shutdown();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_type_is_cut_like_botocore),
		cmocka_unit_test(
		    test_body_code_when_no_header_and_oauth_fallback),
		cmocka_unit_test(test_error_codes_map_to_exit_statuses),
		cmocka_unit_test(test_echoed_secret_is_redacted_before_the_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
