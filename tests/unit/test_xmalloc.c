/*
 * test_xmalloc.c - geometric array growth (a million appends, few
 * reallocations) and the allocation helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idc/core/xmalloc.h"

static void
test_growth_is_geometric(void **state)
{
	size_t *v = NULL, cap = 0, n, grows = 0, last = 0;

	(void)state;
	for (n = 0; n < 1000000; n++) {
		v = xgrowarray(v, &cap, n + 1, sizeof v[0]);
		if (cap != last) {
			grows++;
			assert_true(cap >= 2 * last);
			last = cap;
		}
		v[n] = n;
	}
	assert_true(cap >= n);
	/* 8, 16, ... 2^20: 18 growths, not a million. */
	assert_true(grows <= 20);
	for (n = 0; n < 1000000; n++)
		assert_int_equal(v[n], n);
	free(v);
}

static void
test_no_growth_when_room(void **state)
{
	size_t cap = 0;
	char *v = xgrowarray(NULL, &cap, 3, 1), *same;

	(void)state;
	assert_int_equal(cap, 8);
	same = xgrowarray(v, &cap, 8, 1);
	assert_ptr_equal(same, v);
	assert_int_equal(cap, 8);
	/* A big jump goes straight to a power of two above it. */
	v = xgrowarray(v, &cap, 1000, 1);
	assert_int_equal(cap, 1024);
	free(v);
}

static void
test_strconcat(void **state)
{
	char *s;

	(void)state;
	s = xstrconcat("a");
	assert_string_equal(s, "a");
	free(s);
	s = xstrconcat("", "/dir", "", "/", "name.json");
	assert_string_equal(s, "/dir/name.json");
	free(s);
	s = xstrconcat("");
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_is_geometric),
		cmocka_unit_test(test_no_growth_when_room),
		cmocka_unit_test(test_strconcat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
