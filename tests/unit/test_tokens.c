/*
 * test_tokens.c - the shared SSO cache: the AWS CLI's file names and
 * layout, tolerant reading, unknown keys kept, corrupt files healed, modes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/core/log.h"
#include "idc/store/tokens.h"
#include "idc/core/xmalloc.h"

#include "testutil.h"

/* A writable copy of a literal. */
#define S(x) ((char[]){ x })

static char home[PATH_MAX];

static const char *const scopes[] = { "sso:account:access", NULL };
static const struct sso_ref session_ref = { "my-sso",
	"https://d-9067640000.awsapps.com/start", "us-east-1", scopes };
static const struct sso_ref legacy_ref = { NULL,
	"https://d-9067640000.awsapps.com/start#", "us-east-1", NULL };

static int
setup(void **state)
{
	(void)state;
	if (testutil_mkdtemp("idc-test-tokens", home, sizeof home) == -1)
		return -1;
	setenv("HOME", home, 1);
	unsetenv("XDG_CACHE_HOME");
	log_set_level(LOG_QUIET);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return testutil_rmtree(home);
}

static void
test_file_names_are_the_aws_clis(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	char *p, *want;

	(void)state;
	p = tokens_token_path(&session_ref, &err);
	want = xasprintf("%s/.aws/sso/cache/"
			 "0ad374308c5a4e22f723adf10145eafad7c4031c.json",
	    home);
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = tokens_registration_path(&session_ref, &err);
	assert_non_null(strstr(p, "5ce906094eff0f739ec2a516abefe03ed09e8920"));
	free(p);
	p = tokens_registration_path(&legacy_ref, &err);
	assert_non_null(strstr(p, "ace8a70290bbfc4b0033ff8f5e18f4b1a3506770"));
	free(p);
}

static void
test_save_writes_the_aws_cli_layout(void **state)
{
	struct sso_token t;
	struct idc_err err = IDC_ERR_INIT;
	char *p, *text;
	struct stat st;

	(void)state;
	memset(&t, 0, sizeof t);
	t.access_token = S("aoa");
	t.expires_at = 1795831851;
	t.refresh_token = S("aor");
	t.client_id = S("cid");
	t.client_secret = S("sec");
	t.registration_expires_at = 1772041838;
	assert_int_equal(tokens_save(&session_ref, &t, &err), 0);
	p = tokens_token_path(&session_ref, &err);
	text = testutil_slurp(p);
	assert_string_equal(text,
	    "{\"startUrl\": \"https://d-9067640000.awsapps.com/start\", "
	    "\"region\": \"us-east-1\", \"accessToken\": \"aoa\", "
	    "\"expiresAt\": \"2026-11-28T02:10:51Z\", \"clientId\": \"cid\", "
	    "\"clientSecret\": \"sec\", \"registrationExpiresAt\": "
	    "\"2026-02-25T17:50:38Z\", \"refreshToken\": \"aor\"}");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(text);
	free(p);
}

static void
test_load_tolerates_other_writers_and_keeps_unknown_keys(void **state)
{
	struct sso_token t;
	struct idc_err err = IDC_ERR_INIT;
	char *p = tokens_token_path(&session_ref, &err), *text;

	(void)state;
	/* As the JS SDK v3 rewrites it: pretty-printed, milliseconds. */
	testutil_put(p,
	    "{\n  \"startUrl\": \"https://d-9067640000.awsapps.com/start\","
	    "\n  \"region\": \"us-east-1\",\n  \"accessToken\": \"aoa\",\n"
	    "  \"expiresAt\": \"2026-11-28T02:10:51.000Z\",\n"
	    "  \"refreshToken\": \"aor\",\n  \"x-vendor\": {\"k\": [1]}\n}");
	assert_int_equal(tokens_load(&session_ref, &t, &err), 0);
	assert_string_equal(t.access_token, "aoa");
	assert_int_equal(t.expires_at, 1795831851);
	assert_string_equal(t.refresh_token, "aor");
	assert_null(t.client_id);
	assert_int_equal(t.registration_expires_at, 0);
	assert_int_equal(tokens_save(&session_ref, &t, &err), 0);
	text = testutil_slurp(p);
	assert_non_null(strstr(text, "\"x-vendor\": {\"k\": [1]}"));
	assert_non_null(
	    strstr(text, "\"expiresAt\": \"2026-11-28T02:10:51Z\""));
	free(text);
	sso_token_release(&t);

	testutil_put(p,
	    "{\"startUrl\": \"u\", \"region\": \"r\", \"accessToken\": "
	    "\"a\", \"expiresAt\": \"2019-01-01T01:19:12UTC\"}");
	assert_int_equal(tokens_load(&session_ref, &t, &err), 0);
	assert_int_equal(t.expires_at, 1546305552);
	sso_token_release(&t);
	free(p);
}

static void
test_missing_incomplete_and_corrupt(void **state)
{
	struct sso_token t;
	struct idc_err err = IDC_ERR_INIT;
	char *p = tokens_token_path(&session_ref, &err), *text;

	(void)state;
	assert_int_equal(tokens_load(&session_ref, &t, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	testutil_put(p, "{\"startUrl\": \"u\", \"region\": \"r\"}");
	assert_int_equal(tokens_load(&session_ref, &t, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	/* botocore#3213: a racing writer left trailing garbage. */
	testutil_put(p,
	    "{\"accessToken\": \"a\", \"expiresAt\": "
	    "\"2026-11-28T02:10:51Z\"}\"}");
	assert_int_equal(tokens_load(&session_ref, &t, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	assert_non_null(strstr(err.msg, "is not a JSON object"));
	memset(&t, 0, sizeof t);
	t.access_token = S("new");
	t.expires_at = 1795831851;
	assert_int_equal(tokens_save(&session_ref, &t, &err), 0);
	text = testutil_slurp(p);
	assert_non_null(strstr(text, "\"accessToken\": \"new\""));
	free(text);
	assert_int_equal(tokens_remove(&session_ref, &err), 0);
	assert_int_equal(tokens_remove(&session_ref, &err), 0);
	assert_int_equal(access(p, F_OK), -1);
	free(p);
}

static void
test_symlinked_token_file_is_not_followed(void **state)
{
	struct sso_token t;
	struct idc_err err = IDC_ERR_INIT;
	char *p = tokens_token_path(&session_ref, &err);
	char *victim = xasprintf("%s/victim", home), *text;

	(void)state;
	testutil_put(victim, "keep");
	testutil_put(p, "{}");
	unlink(p);
	assert_int_equal(symlink(victim, p), 0);
	memset(&t, 0, sizeof t);
	t.access_token = S("new");
	t.expires_at = 1;
	assert_int_equal(tokens_save(&session_ref, &t, &err), -1);
	text = testutil_slurp(victim);
	assert_string_equal(text, "keep");
	free(text);
	free(victim);
	free(p);
}

static void
test_registration_round_trip(void **state)
{
	struct sso_registration reg = { S("cid"), S("sec"), 1772041838, 0 },
				got;
	struct idc_err err = IDC_ERR_INIT;
	char *p, *text;

	(void)state;
	assert_int_equal(tokens_save_registration(&session_ref, &reg, &err), 0);
	p = tokens_registration_path(&session_ref, &err);
	text = testutil_slurp(p);
	assert_string_equal(text,
	    "{\"clientId\": \"cid\", \"clientSecret\": \"sec\", \"expiresAt\": "
	    "\"2026-02-25T17:50:38Z\", \"scopes\": [\"sso:account:access\"]}");
	free(text);
	assert_int_equal(tokens_load_registration(&session_ref, &got, &err), 0);
	assert_string_equal(got.client_id, "cid");
	assert_int_equal(got.expires_at, 1772041838);
	assert_int_equal(got.pkce, 0);
	sso_registration_release(&got);

	reg.pkce = 1;
	assert_int_equal(tokens_save_registration(&legacy_ref, &reg, &err), 0);
	assert_int_equal(tokens_load_registration(&legacy_ref, &got, &err), 0);
	assert_int_equal(got.pkce, 1);
	sso_registration_release(&got);
	free(p);
}

static void
test_lock_is_per_sign_in(void **state)
{
	struct fsutil_lock a = FSUTIL_LOCK_INIT, b = FSUTIL_LOCK_INIT,
			   c = FSUTIL_LOCK_INIT;
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(tokens_lock(&session_ref, 0, &a, &err), 0);
	assert_int_equal(tokens_lock(&legacy_ref, 0, &c, &err), 0);
	assert_int_equal(tokens_lock(&session_ref, 100, &b, &err), -1);
	assert_int_equal(err.code, IDC_ETIMEOUT);
	assert_non_null(strstr(err.msg, "'my-sso'"));
	fsutil_lock_release(&a);
	fsutil_lock_release(&c);
}

/* A refused token is marked by its hash: not its file, not a new token. */
static void
test_rejected_marks_only_that_token(void **state)
{
	struct sso_token tok, other;
	struct idc_err err = IDC_ERR_INIT;
	char one[] = "token-one", two[] = "token-two", *path, *mark, *text;
	struct stat st;

	(void)state;
	memset(&tok, 0, sizeof tok);
	memset(&other, 0, sizeof other);
	tok.access_token = one;
	other.access_token = two;
	assert_int_equal(tokens_rejected(&session_ref, &tok), 0);
	assert_int_equal(tokens_reject(&session_ref, &tok, &err), 0);
	assert_int_equal(tokens_rejected(&session_ref, &tok), 1);
	/* Another token for the same sign-in (a new sign-in) is not. */
	assert_int_equal(tokens_rejected(&session_ref, &other), 0);
	/* Nor the same token of another sign-in. */
	assert_int_equal(tokens_rejected(&legacy_ref, &tok), 0);
	path = tokens_token_path(&session_ref, &err);
	assert_int_equal(tokens_rejected_at(path, &tok), 1);
	/* The mark is idc's, under its cache, and holds no secret. */
	mark = xasprintf(
	    "%s/.cache/idc/rejected/%s", home, strrchr(path, '/') + 1);
	assert_int_equal(stat(mark, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = testutil_slurp(mark);
	assert_int_equal(strlen(text), 40);
	assert_null(strstr(text, "token-one"));
	free(text);
	free(mark);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_file_names_are_the_aws_clis, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_save_writes_the_aws_cli_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_load_tolerates_other_writers_and_keeps_unknown_keys,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_missing_incomplete_and_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_symlinked_token_file_is_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registration_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lock_is_per_sign_in, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rejected_marks_only_that_token, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
