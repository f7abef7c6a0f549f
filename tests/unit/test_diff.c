/*
 * test_diff.c - the unified diff that populate --dry-run prints
 * (core/diff.h): hunks and their ranges, context, a missing final newline,
 * and a large change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/diff.h"
#include "idc/core/err.h"

static char *
diff(const char *a, const char *b)
{
	struct idc_buf out = IDC_BUF_INIT(1 << 22);
	struct idc_err err = IDC_ERR_INIT;

	assert_int_equal(
	    diff_unified(a, strlen(a), b, strlen(b), "a", "b", &out, &err), 0);
	return idc_buf_detach(&out, NULL);
}

static void
test_diff(void **state)
{
	char *d;
	struct idc_buf big_a = IDC_BUF_INIT(1 << 22);
	struct idc_buf big_b = IDC_BUF_INIT(1 << 22);
	int i;

	(void)state;
	d = diff("x\ny\n", "x\ny\n");
	assert_string_equal(d, "");
	free(d);
	d = diff(
	    "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n");
	assert_string_equal(d,
	    "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n"
	    "+five\n 6\n 7\n 8\n");
	free(d);
	/* Added at the end of a file without a final newline. */
	d = diff("a\nb", "a\nb\nc\n");
	assert_string_equal(d,
	    "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n-b\n"
	    "\\ No newline at end of file\n+b\n+c\n");
	free(d);
	/* From nothing. */
	d = diff("", "x\n");
	assert_string_equal(d, "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
	free(d);
	/* Two changes far apart: two hunks. */
	d = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
	    "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n");
	assert_string_equal(d,
	    "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"
	    "@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n");
	free(d);
	/* Interleaved edits are minimal. */
	d = diff("a\nb\nc\nd\n", "a\nc\nd\ne\n");
	assert_string_equal(
	    d, "--- a\n+++ b\n@@ -1,4 +1,4 @@\n a\n-b\n c\n d\n+e\n");
	free(d);
	/* Too many edits for Myers: the middle is replaced, still right. */
	for (i = 0; i < 3000; i++) {
		idc_buf_putf(&big_a, "a%d\n", i);
		idc_buf_putf(&big_b, "b%d\n", i);
	}
	d = diff(idc_buf_cstr(&big_a), idc_buf_cstr(&big_b));
	assert_non_null(strstr(d, "@@ -1,3000 +1,3000 @@\n-a0\n"));
	assert_non_null(strstr(d, "-a2999\n+b0\n"));
	free(d);
	idc_buf_release(&big_a);
	idc_buf_release(&big_b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
