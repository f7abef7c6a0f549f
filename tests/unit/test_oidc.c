/*
 * test_oidc.c - OIDC requests byte-for-byte as the AWS CLI sends them
 * (sso-protocol.md 1.3, 3.3), and answers parsed, including malformed and
 * hostile ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "idc/net/apierror.h"
#include "idc/core/err.h"
#include "idc/net/oidc.h"

static void
test_register_device_with_and_without_scopes(void **state)
{
	const char *const scopes[] = { "sso:account:access", NULL };
	struct oidc_register_params p = { "botocore-client-my-sso", scopes, 0,
		NULL, NULL };
	struct api_request req;

	(void)state;
	oidc_register_request(&p, &req);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.path, "/client/register");
	assert_string_equal(req.body,
	    "{\"clientName\":\"botocore-client-my-sso\",\"clientType\":"
	    "\"public\",\"scopes\":[\"sso:account:access\"]}");
	assert_null(req.bearer);
	api_request_release(&req);

	p.scopes = NULL;
	oidc_register_request(&p, &req);
	assert_string_equal(req.body,
	    "{\"clientName\":\"botocore-client-my-sso\",\"clientType\":"
	    "\"public\"}");
	api_request_release(&req);
}

static void
test_register_pkce(void **state)
{
	struct oidc_register_params p = { "botocore-client-my-sso", NULL, 1,
		"http://127.0.0.1/oauth/callback",
		"https://d-1.awsapps.com/start" };
	struct api_request req;

	(void)state;
	oidc_register_request(&p, &req);
	assert_string_equal(req.body,
	    "{\"clientName\":\"botocore-client-my-sso\",\"clientType\":"
	    "\"public\",\"grantTypes\":[\"authorization_code\","
	    "\"refresh_token\"],\"redirectUris\":[\"http://127.0.0.1/oauth/"
	    "callback\"],\"issuerUrl\":\"https://d-1.awsapps.com/start\","
	    "\"scopes\":[\"sso:account:access\"]}");
	api_request_release(&req);
}

static void
test_register_parse(void **state)
{
	const char *ok = "{\"clientId\":\"cid\",\"clientSecret\":\"sec\","
			 "\"clientIdIssuedAt\":1764265838,"
			 "\"clientSecretExpiresAt\":1772041838}";
	struct oidc_registration r;
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(oidc_register_parse(ok, strlen(ok), &r, &err), 0);
	assert_string_equal(r.client_id, "cid");
	assert_string_equal(r.client_secret, "sec");
	assert_int_equal(r.expires_at, 1772041838);
	oidc_registration_release(&r);
	assert_int_equal(
	    oidc_register_parse("{\"clientId\":\"x\"}", 16, &r, &err), -1);
	assert_int_equal(err.code, IDC_ESERVER);
	assert_non_null(strstr(err.msg, "clientSecret"));
}

static void
test_device_authorization(void **state)
{
	const char *ok = "{\"deviceCode\":\"dc\",\"expiresIn\":600,"
			 "\"interval\":1,\"userCode\":\"PCTQ-SGXX\","
			 "\"verificationUri\":\"https://device.sso.us-east-2."
			 "amazonaws.com/\",\"verificationUriComplete\":"
			 "\"https://device.sso.us-east-2.amazonaws.com/"
			 "?user_code=PCTQ-SGXX\"}";
	const char *no_interval = "{\"deviceCode\":\"dc\",\"expiresIn\":600,"
				  "\"userCode\":\"A\",\"verificationUri\":"
				  "\"https://x/\"}";
	struct oidc_device_auth d;
	struct api_request req;
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	oidc_device_request(
	    "cid", "sec", "https://d-1.awsapps.com/start", &req);
	assert_string_equal(req.path, "/device_authorization");
	assert_string_equal(req.body,
	    "{\"clientId\":\"cid\",\"clientSecret\":\"sec\",\"startUrl\":"
	    "\"https://d-1.awsapps.com/start\"}");
	api_request_release(&req);

	assert_int_equal(oidc_device_parse(ok, strlen(ok), &d, &err), 0);
	assert_string_equal(d.user_code, "PCTQ-SGXX");
	assert_int_equal(d.interval, 1);
	assert_int_equal(d.expires_in, 600);
	assert_non_null(strstr(d.verification_uri_complete, "user_code="));
	oidc_device_auth_release(&d);

	assert_int_equal(
	    oidc_device_parse(no_interval, strlen(no_interval), &d, &err), 0);
	assert_int_equal(d.interval, 5);
	assert_null(d.verification_uri_complete);
	oidc_device_auth_release(&d);
}

/* What the person is sent to, or shown, is a web page and a code, or the
 * answer is refused (exit 4) before anything is shown or opened. */
static void
test_device_answer_pages_and_codes_are_vetted(void **state)
{
	static const struct {
		const char *uri, *complete, *code;
		int ok;
	} cases[] = {
		{ "https://device.sso.eu-west-1.amazonaws.com/", NULL, "AB-CD",
		    1 },
		{ "http://127.0.0.1:8080/device", "http://localhost:1/d?c=1",
		    "X", 1 },
		{ "http://[::1]:9/device", NULL, "X", 1 },
		{ "http://evil.example/device", NULL, "X", 0 },
		{ "http://127.0.0.1.evil.example/", NULL, "X", 0 },
		{ "file:///etc/passwd", NULL, "X", 0 },
		{ "javascript:alert(1)", NULL, "X", 0 },
		{ "-new-window", NULL, "X", 0 },
		{ "--remote-debugging-port=9222", NULL, "X", 0 },
		{ " https://x/", NULL, "X", 0 },
		{ "https://x/\\u001b[2J", NULL, "X", 0 },
		{ "https://x/\\npage", NULL, "X", 0 },
		{ "https://user@x/", NULL, "X", 0 },
		{ "https:///nohost", NULL, "X", 0 },
		{ "https://x/", "http://evil.example/", "X", 0 },
		{ "https://x/", "-x", "X", 0 },
		{ "https://x/", NULL, "AB\\u001b]0;t\\u0007", 0 },
		{ "https://x/", NULL, "AB CD", 0 },
		{ "https://x/", NULL, "AB\\nidc: ok", 0 },
		{ "https://x/", NULL,
		    "0123456789012345678901234567890123456789012345678901234567"
		    "890123456789",
		    0 },
	};
	struct oidc_device_auth d;
	struct idc_err err;
	char body[1024];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].complete != NULL)
			snprintf(body, sizeof body,
			    "{\"deviceCode\":\"dc\",\"expiresIn\":600,"
			    "\"userCode\":\"%s\",\"verificationUri\":\"%s\","
			    "\"verificationUriComplete\":\"%s\"}",
			    cases[i].code, cases[i].uri, cases[i].complete);
		else
			snprintf(body, sizeof body,
			    "{\"deviceCode\":\"dc\",\"expiresIn\":600,"
			    "\"userCode\":\"%s\",\"verificationUri\":\"%s\"}",
			    cases[i].code, cases[i].uri);
		idc_err_clear(&err);
		r = oidc_device_parse(body, strlen(body), &d, &err);
		if (r != (cases[i].ok ? 0 : -1))
			fail_msg("case %zu (%s): %d, '%s'", i, cases[i].uri, r,
			    err.msg);
		if (r == 0)
			oidc_device_auth_release(&d);
		else
			assert_int_equal(err.code, IDC_ESERVER);
	}
}

static void
test_token_requests(void **state)
{
	struct api_request req;

	(void)state;
	oidc_token_device_request("cid", "sec", "dc", &req);
	assert_string_equal(req.body,
	    "{\"grantType\":\"urn:ietf:params:oauth:grant-type:device_code\","
	    "\"clientId\":\"cid\",\"clientSecret\":\"sec\",\"deviceCode\":"
	    "\"dc\"}");
	api_request_release(&req);
	oidc_token_refresh_request("cid", "sec", "rt", &req);
	assert_string_equal(req.body,
	    "{\"grantType\":\"refresh_token\",\"clientId\":\"cid\","
	    "\"clientSecret\":\"sec\",\"refreshToken\":\"rt\"}");
	api_request_release(&req);
	oidc_token_code_request("cid", "sec", "the-code",
	    "http://127.0.0.1:38089/oauth/callback", "verifier", &req);
	assert_string_equal(req.body,
	    "{\"grantType\":\"authorization_code\",\"clientId\":\"cid\","
	    "\"clientSecret\":\"sec\",\"redirectUri\":\"http://127.0.0.1:"
	    "38089/oauth/callback\",\"codeVerifier\":\"verifier\",\"code\":"
	    "\"the-code\"}");
	api_request_release(&req);
}

static void
test_token_parse_good_and_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"accessToken\":\"a\"}",
		"{\"accessToken\":\"\",\"expiresIn\":3600}",
		"{\"accessToken\":\"a\",\"expiresIn\":-5}",
		"{\"accessToken\":\"a\",\"expiresIn\":1.5}",
		"{\"accessToken\":7,\"expiresIn\":3600}",
		"{\"accessToken\":\"a\",\"expiresIn\":1e300}",
		"{\"accessToken\":\"a\",\"expiresIn\":\"3600\"}",
		"{\"accessToken\":\"a\",\"expiresIn\":3600",
	};
	const char *ok = "{\"accessToken\":\"aoa\",\"tokenType\":\"Bearer\","
			 "\"expiresIn\":28800,\"refreshToken\":\"aor\"}";
	struct oidc_token t;
	struct idc_err err = IDC_ERR_INIT;
	size_t i;

	(void)state;
	assert_int_equal(oidc_token_parse(ok, strlen(ok), &t, &err), 0);
	assert_string_equal(t.access_token, "aoa");
	assert_string_equal(t.refresh_token, "aor");
	assert_int_equal(t.expires_in, 28800);
	oidc_token_release(&t);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		idc_err_clear(&err);
		assert_int_equal(
		    oidc_token_parse(bad[i], strlen(bad[i]), &t, &err), -1);
		assert_int_equal(err.code, IDC_ESERVER);
		assert_non_null(strstr(err.msg, "CreateToken answer"));
	}
}

static void
test_authorize_url_matches_the_aws_cli(void **state)
{
	char *u;

	(void)state;
	u = oidc_authorize_url("http://127.0.0.1:18443", "CLIENTID123",
	    "http://127.0.0.1:38089/oauth/callback",
	    "1da6c848-6dd2-4966-9a9b-f8e6f04c8f6a",
	    "Qy2d4k8RiZ2RJTYwBgGJFNgBfMlQj6oFteWajyXVn0Y", NULL);
	assert_string_equal(u,
	    "http://127.0.0.1:18443/authorize?response_type=code&client_id="
	    "CLIENTID123&redirect_uri=http%3A%2F%2F127.0.0.1%3A38089%2Foauth"
	    "%2Fcallback&state=1da6c848-6dd2-4966-9a9b-f8e6f04c8f6a&code_"
	    "challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_"
	    "challenge=Qy2d4k8RiZ2RJTYwBgGJFNgBfMlQj6oFteWajyXVn0Y");
	free(u);
	const char *const two[] = { "sso:account:access",
		"codewhisperer:completions", NULL };
	u = oidc_authorize_url("https://o", "c", "r", "s", "x", two);
	assert_non_null(strstr(u,
	    "&scopes=sso%3Aaccount%3Aaccess%20codewhisperer%3Acompletions&"));
	free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_device_with_and_without_scopes),
		cmocka_unit_test(test_register_pkce),
		cmocka_unit_test(test_register_parse),
		cmocka_unit_test(test_device_authorization),
		cmocka_unit_test(test_device_answer_pages_and_codes_are_vetted),
		cmocka_unit_test(test_token_requests),
		cmocka_unit_test(test_token_parse_good_and_bad),
		cmocka_unit_test(test_authorize_url_matches_the_aws_cli),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
