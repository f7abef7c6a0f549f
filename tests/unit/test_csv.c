/*
 * test_csv.c - RFC 4180 parsing: quoting, line breaks in fields, CRLF and
 * LF, the byte order mark, empty lines, line numbers, what is refused, and
 * rendering back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/csv.h"
#include "idc/core/err.h"

static struct csv_doc *
parse(const char *text)
{
	struct idc_err err = IDC_ERR_INIT;
	struct csv_doc *doc = NULL;

	if (csv_parse(text, strlen(text), "t.csv", &doc, &err) == -1)
		fail_msg("%s", err.msg);
	return doc;
}

static void
refused(const char *text, const char *why)
{
	struct idc_err err = IDC_ERR_INIT;
	struct csv_doc *doc = NULL;

	assert_int_equal(
	    csv_parse(text, strlen(text), "t.csv", &doc, &err), -1);
	assert_null(doc);
	assert_int_equal(err.code, IDC_EUSAGE);
	if (strstr(err.msg, why) == NULL)
		fail_msg("'%s' not in '%s'", why, err.msg);
}

static void
test_fields_and_lines(void **state)
{
	struct csv_doc *d;

	(void)state;
	d = parse("\xef\xbb\xbfuser_name,email\r\n"
		  "ana,\"ana@example.com\"\r\n"
		  "\n"
		  "\"b,ob\",\"say \"\"hi\"\"\"\n"
		  "\"multi\nline\",x\n"
		  "last,\n"
		  "é,ß");
	assert_int_equal(d->n, 6);
	assert_string_equal(d->records[0].fields[0], "user_name");
	assert_int_equal(d->records[0].line, 1);
	assert_string_equal(d->records[1].fields[1], "ana@example.com");
	assert_int_equal(d->records[1].line, 2);
	assert_string_equal(d->records[2].fields[0], "b,ob");
	assert_string_equal(d->records[2].fields[1], "say \"hi\"");
	assert_int_equal(d->records[2].line, 4);
	assert_string_equal(d->records[3].fields[0], "multi\nline");
	assert_int_equal(d->records[3].line, 5);
	assert_int_equal(d->records[4].line, 7);
	assert_int_equal(d->records[4].n, 2);
	assert_string_equal(d->records[4].fields[1], "");
	assert_string_equal(d->records[5].fields[0], "é");
	assert_int_equal(d->records[5].line, 8);
	csv_free(d);
	d = parse("");
	assert_int_equal(d->n, 0);
	csv_free(d);
	d = parse("a,\n");
	assert_int_equal(d->records[0].n, 2);
	csv_free(d);
}

static void
test_refusals(void **state)
{
	char big[CSV_MAX_FIELD + 10];

	(void)state;
	refused("a,b\n\"open", "line 2: a quoted field is not closed");
	refused("a,b\"c\n", "quote inside an unquoted field");
	refused("\"a\"b\n", "text after a closing quote");
	refused("a,\xff\n", "line 1: not UTF-8");
	refused("a,\xc0\xaf\n", "not UTF-8");
	refused("ok\n\xed\xa0\x80\n", "line 2: not UTF-8");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	refused(big, "longer than");
	{
		struct idc_err err = IDC_ERR_INIT;
		struct csv_doc *doc = NULL;

		assert_int_equal(csv_parse("a\0b", 3, "t", &doc, &err), -1);
		assert_non_null(strstr(err.msg, "NUL"));
	}
}

static void
test_render(void **state)
{
	struct idc_buf out = IDC_BUF_INIT(1 << 16);
	struct csv_doc *d;
	size_t i;

	(void)state;
	d = parse("plain,\"com,ma\",\"q\"\"uote\",\"line\nbreak\",\n\"\"\n");
	for (i = 0; i < d->n; i++)
		assert_int_equal(csv_render_record(&d->records[i], &out), 0);
	assert_string_equal(idc_buf_cstr(&out),
	    "plain,\"com,ma\",\"q\"\"uote\",\"line\nbreak\",\r\n\"\"\r\n");
	csv_free(d);
	idc_buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_lines),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
