/*
 * test_portal_list.c - listings as a person sees them: the sort order
 * (names case-insensitively, accounts without a name last), the account
 * labels of the menu, and the text, table and JSON output of listprint.c
 * with the per-account failure report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/cmd/cmd.h"
#include "idc/core/err.h"
#include "idc/ui/listprint.h"
#include "idc/flow/portal_list.h"
#include "idc/core/xmalloc.h"

static void
sample(struct listing *l)
{
	struct listing_account *a;

	memset(l, 0, sizeof *l);
	a = listing_add(l, "333333333333", NULL, NULL);
	a->roles_state = LISTING_ROLES_OK;
	a = listing_add(l, "222222222222", "beta", "b@example.com");
	listing_account_add_role(a, "readOnly");
	listing_account_add_role(a, "Admin");
	listing_account_add_role(a, "ReadOnly");
	a->roles_state = LISTING_ROLES_OK;
	a = listing_add(l, "111111111111", "Älpha", NULL);
	listing_account_add_role(a, "Admin");
	a->roles_state = LISTING_ROLES_OK;
	a = listing_add(l, "444444444444", NULL, "a@example.com");
	a->roles_state = LISTING_ROLES_FAILED;
	idc_err_set(&a->roles_err, IDC_ESERVER,
	    "ListAccountRoles failed: InternalServerException (HTTP 500)");
	listing_sort(l);
}

static void
test_sort_and_labels(void **state)
{
	struct listing l;
	char *s;

	(void)state;
	sample(&l);
	/* a@example.com, beta, Älpha (bytes), then the bare id. */
	assert_string_equal(l.accounts[0].account_id, "444444444444");
	assert_string_equal(l.accounts[1].account_id, "222222222222");
	assert_string_equal(l.accounts[2].account_id, "111111111111");
	assert_string_equal(l.accounts[3].account_id, "333333333333");
	assert_string_equal(l.accounts[1].roles[0], "Admin");
	assert_string_equal(l.accounts[1].roles[1], "ReadOnly");
	assert_string_equal(l.accounts[1].roles[2], "readOnly");
	assert_int_equal(listing_failed(&l), 1);
	assert_ptr_equal(listing_find(&l, "111111111111"), &l.accounts[2]);
	assert_null(listing_find(&l, "999999999999"));
	s = listing_account_label(&l.accounts[1]);
	assert_string_equal(s, "beta, b@example.com (222222222222)");
	free(s);
	s = listing_account_label(&l.accounts[2]);
	assert_string_equal(s, "Älpha (111111111111)");
	free(s);
	s = listing_account_label(&l.accounts[0]);
	assert_string_equal(s, "a@example.com (444444444444)");
	free(s);
	s = listing_account_label(&l.accounts[3]);
	assert_string_equal(s, "333333333333");
	free(s);
	listing_release(&l);
	listing_release(&l);
}

/* What a print function wrote. */
static char *
capture(void (*fn)(const struct listing *, enum idc_output, FILE *),
    const struct listing *l, enum idc_output fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	fn(l, fmt, fp);
	fclose(fp);
	return buf;
}

static void
test_print(void **state)
{
	struct listing l;
	struct idc_err err = IDC_ERR_INIT;
	char *s;

	(void)state;
	sample(&l);
	s = capture(listprint_accounts, &l, IDC_OUTPUT_TEXT);
	assert_string_equal(s,
	    "444444444444\t-\ta@example.com\n"
	    "222222222222\tbeta\tb@example.com\n"
	    "111111111111\tÄlpha\t-\n"
	    "333333333333\t-\t-\n");
	free(s);
	s = capture(listprint_accounts, &l, IDC_OUTPUT_TABLE);
	assert_string_equal(s,
	    "ACCOUNT ID    NAME   EMAIL\n"
	    "444444444444  -      a@example.com\n"
	    "222222222222  beta   b@example.com\n"
	    "111111111111  Älpha  -\n"
	    "333333333333  -      -\n");
	free(s);
	s = capture(listprint_accounts, &l, IDC_OUTPUT_JSON);
	assert_string_equal(s,
	    "[\n"
	    "  {\n"
	    "    \"accountId\": \"444444444444\",\n"
	    "    \"emailAddress\": \"a@example.com\"\n"
	    "  },\n"
	    "  {\n"
	    "    \"accountId\": \"222222222222\",\n"
	    "    \"accountName\": \"beta\",\n"
	    "    \"emailAddress\": \"b@example.com\"\n"
	    "  },\n"
	    "  {\n"
	    "    \"accountId\": \"111111111111\",\n"
	    "    \"accountName\": \"\\u00c4lpha\"\n"
	    "  },\n"
	    "  {\n"
	    "    \"accountId\": \"333333333333\"\n"
	    "  }\n"
	    "]\n");
	free(s);
	s = capture(listprint_roles, &l, IDC_OUTPUT_TEXT);
	assert_string_equal(s,
	    "222222222222\tAdmin\tbeta\n"
	    "222222222222\tReadOnly\tbeta\n"
	    "222222222222\treadOnly\tbeta\n"
	    "111111111111\tAdmin\tÄlpha\n");
	free(s);
	s = capture(listprint_roles, &l, IDC_OUTPUT_TABLE);
	assert_string_equal(s,
	    "ACCOUNT ID    ROLE      ACCOUNT NAME\n"
	    "222222222222  Admin     beta\n"
	    "222222222222  ReadOnly  beta\n"
	    "222222222222  readOnly  beta\n"
	    "111111111111  Admin     Älpha\n");
	free(s);
	s = capture(listprint_roles, &l, IDC_OUTPUT_JSON);
	assert_non_null(strstr(s,
	    "  {\n    \"roleName\": \"Admin\",\n"
	    "    \"accountId\": \"222222222222\"\n  },\n"));
	free(s);
	assert_int_equal(
	    listprint_failures("list-roles", &l, "shown", &err), -1);
	assert_int_equal(err.code, IDC_ESERVER);
	assert_string_equal(
	    err.msg, "the roles of 1 of 4 accounts could not be listed; shown");
	listing_release(&l);
	memset(&l, 0, sizeof l);
	assert_int_equal(
	    listprint_failures("list-roles", &l, "shown", &err), 0);
	s = capture(listprint_roles, &l, IDC_OUTPUT_JSON);
	assert_string_equal(s, "[]\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_and_labels),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
