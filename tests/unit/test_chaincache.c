/*
 * test_chaincache.c - the cache of chained role credentials: the file name
 * is the sha1 of the key document, the layout and mode, a round trip, and
 * what is a miss (no file, corrupt, another key) or an error (a symbolic
 * link).
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

#include "idc/core/err.h"
#include "idc/core/sha1.h"
#include "idc/core/xmalloc.h"
#include "idc/store/chaincache.h"

#include "testutil.h"

#define KEY "{\"RoleArn\":\"arn:aws:iam::210987654321:role/deploy\"}"

static char home[PATH_MAX];
static char cache[PATH_MAX + 16];

static int
setup(void **state)
{
	(void)state;
	if (testutil_mkdtemp("idc-test-chaincache", home, sizeof home) == -1)
		return -1;
	snprintf(cache, sizeof cache, "%s/xdg-cache", home);
	setenv("XDG_CACHE_HOME", cache, 1);
	setenv("HOME", home, 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return testutil_rmtree(home);
}

static void
entry(struct chaincache_entry *e)
{
	memset(e, 0, sizeof *e);
	e->rc.access_key_id = xstrdup("ASIACHAINED00000001");
	e->rc.secret_access_key = xstrdup("chained/secret+key");
	e->rc.session_token = xstrdup("FQoGZXIvYXdzEBYaD");
	e->rc.expiration = 1796177048;
	e->rc.account_id = xstrdup("210987654321");
	e->rc.role_name = xstrdup("deploy");
	e->arn = xstrdup("arn:aws:sts::210987654321:assumed-role/deploy/idc-1");
}

static void
test_round_trip_and_layout(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct chaincache_entry e, back;
	struct stat st;
	char *path, *lock, *hex, want[PATH_MAX + 128], *text;

	(void)state;
	path = chaincache_path(KEY, &err);
	lock = chaincache_lock_path(KEY, &err);
	hex = sha1_hex(KEY, strlen(KEY));
	snprintf(want, sizeof want, "%s/idc/chained/%s.json", cache, hex);
	assert_string_equal(path, want);
	snprintf(want, sizeof want, "%s/idc/locks/chain-%s.lock", cache, hex);
	assert_string_equal(lock, want);
	entry(&e);
	assert_int_equal(chaincache_save(path, KEY, &e, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = testutil_slurp(path);
	assert_non_null(
	    strstr(text, "\"AccessKeyId\": \"ASIACHAINED00000001\", "));
	assert_non_null(
	    strstr(text, "\"Expiration\": \"2026-12-02T02:04:08Z\""));
	assert_non_null(strstr(text, "\"Key\": \"{\\\"RoleArn\\\""));
	free(text);
	assert_int_equal(chaincache_load(path, KEY, &back, 0, &err), 0);
	assert_string_equal(back.rc.secret_access_key, "chained/secret+key");
	assert_string_equal(back.rc.role_name, "deploy");
	assert_string_equal(back.arn, e.arn);
	assert_int_equal(back.rc.expiration, 1796177048);
	chaincache_entry_release(&back);
	chaincache_entry_release(&e);
	free(hex);
	free(lock);
	free(path);
}

static void
test_misses_and_errors(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct chaincache_entry e, back;
	char *path, *other;

	(void)state;
	path = chaincache_path(KEY, &err);
	assert_int_equal(chaincache_load(path, KEY, &back, 0, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	entry(&e);
	assert_int_equal(chaincache_save(path, KEY, &e, &err), 0);
	/* Copied under another key's name: a miss. */
	other = chaincache_path("{\"RoleArn\":\"x\"}", &err);
	assert_int_equal(rename(path, other), 0);
	assert_int_equal(
	    chaincache_load(other, "{\"RoleArn\":\"x\"}", &back, 0, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	testutil_put(path, "{\"AccessKeyId\": \"A\"}");
	assert_int_equal(chaincache_load(path, KEY, &back, 0, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	/* A symbolic link is refused, not followed. */
	unlink(path);
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(chaincache_load(path, KEY, &back, 0, &err), -1);
	assert_int_equal(err.code, IDC_EIO);
	assert_int_equal(chaincache_save(path, KEY, &e, &err), -1);
	chaincache_entry_release(&e);
	free(other);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_round_trip_and_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_misses_and_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
