/*
 * test_listcache.c - the listing cache: a round trip keeps accounts and
 * roles (and which roles are unknown), files are private, and a stale,
 * corrupt or foreign file is not used.
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
#include <time.h>

#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/store/listcache.h"
#include "idc/core/log.h"
#include "idc/flow/portal_list.h"
#include "idc/store/tokens.h"
#include "idc/core/xmalloc.h"

#include "testutil.h"

static char home[PATH_MAX];

static const struct sso_ref ref = { "my-sso",
	"https://d-1234567890.awsapps.com/start", "us-east-1", NULL };
static const struct sso_ref other = { "my-sso",
	"https://d-0000000000.awsapps.com/start", "us-east-1", NULL };
static const struct sso_ref legacy = { NULL,
	"https://d-1234567890.awsapps.com/start", "us-east-1", NULL };

static int
setup(void **state)
{
	char *cache;

	(void)state;
	if (testutil_mkdtemp("idc-test-listcache", home, sizeof home) == -1)
		return -1;
	cache = xasprintf("%s/cache", home);
	setenv("HOME", home, 1);
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
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
sample(struct listing *l, time_t when)
{
	struct listing_account *a;

	memset(l, 0, sizeof *l);
	a = listing_add(l, "222222222222", "beta", "b@example.com");
	listing_account_add_role(a, "ReadOnly");
	listing_account_add_role(a, "Admin");
	a->roles_state = LISTING_ROLES_OK;
	a = listing_add(l, "111111111111", "Alpha", NULL);
	a->roles_state = LISTING_ROLES_FAILED;
	a = listing_add(l, "333333333333", NULL, NULL);
	a->roles_state = LISTING_ROLES_OK; /* no roles at all */
	l->fetched_at = when;
}

static void
test_round_trip(void **state)
{
	struct listing l, back;
	struct idc_err err = IDC_ERR_INIT;
	time_t now = time(NULL);
	struct stat st;
	char *path, *dir;

	(void)state;
	sample(&l, now - 5);
	assert_int_equal(listcache_save(&ref, &l, &err), 0);
	assert_int_equal(
	    listcache_load(&ref, now, LISTCACHE_TTL, &back, &err), 0);
	assert_true(back.from_cache);
	assert_int_equal(back.fetched_at, now - 5);
	assert_int_equal(back.count, 3);
	/* Sorted: names first, case-insensitively, then the bare id. */
	assert_string_equal(back.accounts[0].account_id, "111111111111");
	assert_string_equal(back.accounts[0].account_name, "Alpha");
	assert_null(back.accounts[0].email_address);
	/* Failed roles are not cached: the next fetch asks again. */
	assert_int_equal(back.accounts[0].roles_state, LISTING_ROLES_UNKNOWN);
	assert_int_equal(back.accounts[1].roles_state, LISTING_ROLES_OK);
	assert_int_equal(back.accounts[1].nroles, 2);
	assert_string_equal(back.accounts[1].roles[0], "Admin");
	assert_string_equal(back.accounts[1].roles[1], "ReadOnly");
	assert_string_equal(back.accounts[1].email_address, "b@example.com");
	assert_int_equal(back.accounts[2].roles_state, LISTING_ROLES_OK);
	assert_int_equal(back.accounts[2].nroles, 0);
	listing_release(&back);

	/* Private files. */
	path = listcache_path(&ref, &err);
	assert_non_null(path);
	assert_non_null(strstr(path, "/cache/idc/listings/"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(dir);

	/* Another sign-in has its own file. */
	assert_int_equal(
	    listcache_load(&other, now, LISTCACHE_TTL, &back, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	assert_int_equal(
	    listcache_load(&legacy, now, LISTCACHE_TTL, &back, &err), -1);

	/* Stale, and from the future: not used. */
	assert_int_equal(listcache_load(&ref, now + LISTCACHE_TTL,
			     LISTCACHE_TTL, &back, &err),
	    -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	assert_int_equal(
	    listcache_load(&ref, now - 60, LISTCACHE_TTL, &back, &err), -1);

	/* Corrupt: not used (and not an error beyond "not found"). */
	assert_int_equal(
	    fsutil_write_atomic(path, "{\"version\": 1,", 14, 0600, 0, &err),
	    0);
	assert_int_equal(
	    listcache_load(&ref, now, LISTCACHE_TTL, &back, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	assert_int_equal(fsutil_write_atomic(path,
			     "{\"version\": 1, \"session\": \"my-sso\", "
			     "\"startUrl\": "
			     "\"https://d-1234567890.awsapps.com/start\", "
			     "\"fetchedAt\": 1, \"accounts\": [{}]}",
			     strlen("{\"version\": 1, \"session\": \"my-sso\", "
				    "\"startUrl\": "
				    "\"https://d-1234567890.awsapps.com/"
				    "start\", "
				    "\"fetchedAt\": 1, \"accounts\": [{}]}"),
			     0600, 0, &err),
	    0);
	assert_int_equal(
	    listcache_load(&ref, 2, LISTCACHE_TTL, &back, &err), -1);

	assert_int_equal(listcache_remove(&ref, &err), 0);
	assert_int_equal(listcache_remove(&ref, &err), 0);
	assert_int_equal(
	    listcache_load(&ref, now, LISTCACHE_TTL, &back, &err), -1);
	free(path);
	listing_release(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_round_trip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
