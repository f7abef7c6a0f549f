/*
 * test_json.c - Python json.dumps layout (the AWS CLI's cache files and
 * cache keys) and typed getters.
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
#include "idc/core/json.h"

static void
test_python_layout_and_escapes(void **state)
{
	const char *in = "{\"b\":1,\"a\":[true,null,\"x\"],\"s\":\"q\\\"\\\\"
			 "\\n\\u0001\\u007f\u00e9\u20ac\xf0\x9f\x98\x80/\"}";
	cJSON *obj = cJSON_Parse(in);
	char *out;

	(void)state;
	assert_non_null(obj);
	out = json_print_python(obj, 0);
	assert_string_equal(out,
	    "{\"b\": 1, \"a\": [true, null, \"x\"], \"s\": "
	    "\"q\\\"\\\\\\n\\u0001\\u007f\\u00e9\\u20ac"
	    "\\ud83d\\ude00/\"}");
	free(out);
	out = json_print_python(obj, 1);
	assert_true(strncmp(out, "{\"a\": [", 7) == 0);
	free(out);
	cJSON_Delete(obj);
}

static void
test_indented_like_python(void **state)
{
	cJSON *obj = cJSON_Parse("{\"a\":[1,{\"b\":[]}],\"c\":{},\"d\":\"x\"}");
	char *out;

	(void)state;
	out = json_print_indented(obj);
	/* python3 -c 'print(json.dumps(v, indent=2))' */
	assert_string_equal(out,
	    "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n"
	    "    }\n  ],\n  \"c\": {},\n  \"d\": \"x\"\n}\n");
	free(out);
	cJSON_Delete(obj);
}

static void
test_getters(void **state)
{
	const char *in = "{\"s\":\"v\",\"e\":\"\",\"n\":42,\"f\":1.5,\"o\":{}}";
	struct idc_err err = IDC_ERR_INIT;
	cJSON *obj = json_parse_object(in, strlen(in), "doc", &err);
	long long n;
	char *s;

	(void)state;
	s = json_dup_str(obj, "s", "doc", &err);
	assert_string_equal(s, "v");
	free(s);
	/* Each message says what is wrong with the member. */
	assert_null(json_dup_str(obj, "e", "doc", &err));
	assert_string_equal(err.msg, "doc: 'e' is empty");
	assert_null(json_dup_str(obj, "n", "doc", &err));
	assert_string_equal(err.msg, "doc: 'n' is not a string");
	assert_null(json_dup_str(obj, "zz", "doc", &err));
	assert_string_equal(err.msg, "doc has no 'zz'");
	assert_int_equal(json_get_int(obj, "o", &n, "doc", &err), -1);
	assert_string_equal(err.msg, "doc: 'o' is not a whole number");
	assert_int_equal(json_get_int(obj, "n", &n, "doc", &err), 0);
	assert_int_equal(n, 42);
	assert_int_equal(json_get_int(obj, "f", &n, "doc", &err), -1);
	assert_int_equal(json_get_opt_int(obj, "zz", 7, &n, "doc", &err), 0);
	assert_int_equal(n, 7);
	json_free_secret(obj);
	assert_null(json_parse_object("[1]", 3, "doc", &err));
	assert_int_equal(err.code, IDC_ESERVER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_layout_and_escapes),
		cmocka_unit_test(test_indented_like_python),
		cmocka_unit_test(test_getters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
