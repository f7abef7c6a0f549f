/*
 * test_suggest.c - "did you mean" (core/suggest.h) and the known regions
 * (core/region.h): distances with swaps and case, the closeness limit,
 * and regions that are mistyped, known, or plausibly new.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "idc/core/region.h"
#include "idc/core/suggest.h"

static void
test_distance(void **state)
{
	char long_name[120];

	(void)state;
	assert_int_equal(suggest_distance("", ""), 0);
	assert_int_equal(suggest_distance("dev", "dev"), 0);
	assert_int_equal(suggest_distance("dev", "DEV"), 0);
	assert_int_equal(suggest_distance("dve", "dev"), 1); /* a swap */
	assert_int_equal(suggest_distance("prod", "prd"), 1);
	assert_int_equal(suggest_distance("kitten", "sitting"), 3);
	assert_int_equal(suggest_distance("", "abc"), 3);
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_int_equal(suggest_distance(long_name, "a"), (size_t)-1);
}

static void
test_closest(void **state)
{
	static const char *const names[] = { "dev", "prod", "corp-admin",
		"corp-readonly", NULL };

	(void)state;
	assert_string_equal(suggest_closest("dve", names), "dev");
	assert_string_equal(suggest_closest("Prod", names), "prod");
	assert_string_equal(suggest_closest("corp-admn", names), "corp-admin");
	assert_null(suggest_closest("dev", names)); /* it is there */
	assert_null(suggest_closest("staging", names));
	assert_null(suggest_closest("x", names));
	assert_null(suggest_closest("dev", NULL));
}

static void
test_regions(void **state)
{
	(void)state;
	assert_true(region_plausible("us-east-1"));
	assert_true(region_plausible("eu-west-9")); /* new, but a region */
	assert_true(region_plausible("us-gov-west-1"));
	assert_false(region_plausible("us-est-1"));
	assert_false(region_plausible("useast1"));
	assert_string_equal(region_suggest("us-est-1"), "us-east-1");
	assert_string_equal(region_suggest("eu-wset-1"), "eu-west-1");
	assert_string_equal(region_suggest("useast1"), "us-east-1");
	assert_null(region_suggest("mars-1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_closest),
		cmocka_unit_test(test_regions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
