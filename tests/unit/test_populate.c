/*
 * test_populate.c - profile generation: names from templates and their
 * transforms, option checks, collisions (between listed pairs and with
 * profiles idc did not write), idempotence, prune that spares hand-written
 * profiles, other sessions and accounts that failed, and the unified diff.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/ini.h"
#include "idc/flow/populate.h"
#include "idc/flow/portal_list.h"
#include "idc/core/xmalloc.h"

static struct populate_opts
opts(void)
{
	struct populate_opts o;

	memset(&o, 0, sizeof o);
	o.session = "my-sso";
	o.sso_region = "us-east-1";
	return o;
}

static char *
name(const struct populate_opts *o, const char *id, const char *acct,
    const char *role)
{
	struct idc_err err = IDC_ERR_INIT;
	char *n = NULL;

	if (populate_name(o, id, acct, "a@example.com", role, &n, &err) == -1)
		return xasprintf("ERROR: %s", err.msg);
	return n;
}

#define assert_name(o, id, acct, role, want)                                   \
	do {                                                                   \
		char *got_ = name(o, id, acct, role);                          \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void
test_names(void **state)
{
	struct populate_opts o = opts();

	(void)state;
	assert_name(&o, "111111111111", "Account 001 (dev)", "ReadOnly",
	    "Account-001-dev.ReadOnly");
	assert_name(
	    &o, "111111111111", NULL, "ReadOnly", "111111111111.ReadOnly");
	o.tmpl = "{account_name|kebab}/{role_name|lower}";
	assert_name(&o, "111111111111", "  Prod  Payments (EU) ", "Admin",
	    "prod-payments-eu/admin");
	o.tmpl = "{account_name|snake|upper}_{account_id}";
	assert_name(&o, "111111111111", "Prod Payments", "Admin",
	    "PROD_PAYMENTS_111111111111");
	o.tmpl = "{session}-{region}-{role_name|dash}";
	assert_name(&o, "1", "x", "Read Only", "my-sso-us-east-1-Read-Only");
	o.region = "eu-west-1";
	assert_name(&o, "1", "x", "R", "my-sso-eu-west-1-R");
	o.tmpl = "{account_email}:{role_name|trim}";
	o.prefix = "org1.";
	assert_name(&o, "1", "x", " R ", "org1.a@example.com:R");
	/* Non-ASCII letters stay. */
	o.tmpl = NULL;
	o.prefix = NULL;
	assert_name(&o, "1", "Développement", "R", "Développement.R");
	/* Errors name what is wrong. */
	o.tmpl = "{account}";
	assert_name(&o, "1", "x", "R",
	    "ERROR: template field '{account}' is not one of {account_name}, "
	    "{account_id}, {account_email}, {role_name}, {session}, {region}");
	o.tmpl = "{role_name|shout}";
	assert_name(&o, "1", "x", "R",
	    "ERROR: template transform 'shout' is not lower, upper, kebab, "
	    "snake, dash or trim");
	o.tmpl = "{role_name";
	assert_name(&o, "1", "x", "R",
	    "ERROR: template '{role_name' has a '{' without '}'");
	o.tmpl = "{account_name} {role_name}";
	assert_name(&o, "1", "x", "R",
	    "ERROR: the template holds a space, which cannot stand in a "
	    "profile name (use {field|dash} or '-')");
	o.tmpl = NULL;
	o.prefix = "a]";
	assert_name(&o, "1", "x", "R",
	    "ERROR: --prefix holds ']', which cannot stand in a profile name");
}

static void
test_check(void **state)
{
	struct populate_opts o = opts();
	struct idc_err err = IDC_ERR_INIT;
	const char *sets[2] = { NULL, NULL };

	(void)state;
	assert_int_equal(populate_check(&o, &err), 0);
	o.output = "yaml";
	o.region = "eu-west-1";
	sets[0] = "cli_pager=";
	o.sets = sets;
	o.nsets = 1;
	assert_int_equal(populate_check(&o, &err), -1);
	assert_int_equal(err.code, IDC_EUSAGE);
	sets[0] = "credential_process=idc credential-process --profile x";
	assert_int_equal(populate_check(&o, &err), 0);
	sets[0] = "sso_role_name=Admin";
	assert_int_equal(populate_check(&o, &err), -1);
	assert_non_null(strstr(err.msg, "'sso_role_name'"));
	sets[0] = "no equals";
	assert_int_equal(populate_check(&o, &err), -1);
	assert_non_null(strstr(err.msg, "is not KEY=VALUE"));
	o.nsets = 0;
	o.output = "xml";
	assert_int_equal(populate_check(&o, &err), -1);
	assert_non_null(strstr(err.msg, "'xml'"));
	o.output = NULL;
	o.region = "mars-1";
	assert_int_equal(populate_check(&o, &err), -1);
}

/* ---- plan and apply ------------------------------------------------- */

static void
listing(struct portal_listing *l)
{
	struct portal_list_account *a;

	memset(l, 0, sizeof *l);
	a = portal_listing_add(l, "111111111111", "Prod (EU)", "p@example.com");
	portal_list_account_add_role(a, "ReadOnly");
	portal_list_account_add_role(a, "Admin");
	a->roles_state = PORTAL_LIST_OK;
	/* The same name as the first account. */
	a = portal_listing_add(l, "222222222222", "Prod EU", NULL);
	portal_list_account_add_role(a, "Admin");
	a->roles_state = PORTAL_LIST_OK;
	a = portal_listing_add(l, "333333333333", "Dev", NULL);
	portal_list_account_add_role(a, "Admin");
	portal_list_account_add_role(a, "Read Only");
	portal_list_account_add_role(a, "Read-Only");
	a->roles_state = PORTAL_LIST_OK;
	portal_listing_sort(l);
}

static char *
render(const struct ini_doc *doc)
{
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct idc_err err = IDC_ERR_INIT;

	assert_int_equal(ini_render(doc, &b, &err), 0);
	return idc_buf_detach(&b, NULL);
}

static struct ini_doc *
parse(const char *text)
{
	struct ini_doc *doc = NULL;
	struct idc_err err = IDC_ERR_INIT;

	assert_int_equal(
	    ini_parse(text, strlen(text), "config", 0, &doc, &err), 0);
	return doc;
}

/* Apply o to text; returns the new text, the result in *res. */
static char *
run(const struct populate_opts *o, const struct portal_listing *l,
    const char *text, struct populate_result *res)
{
	struct populate_plan *p = NULL;
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = parse(text);
	char *out;

	assert_int_equal(populate_plan_build(o, l, &p, &err), 0);
	assert_int_equal(populate_apply(p, doc, res, &err), 0);
	assert_int_equal(ini_check(doc, &err), 0);
	out = render(doc);
	ini_free(doc);
	populate_plan_free(p);
	return out;
}

static int
has(const struct populate_names *n, const char *s)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		if (strcmp(n->v[i], s) == 0)
			return 1;
	return 0;
}

static void
test_apply(void **state)
{
	static const char start[] =
	    "# my settings\n"
	    "[default]\n"
	    "region = us-east-1\n"
	    "\n"
	    "[sso-session my-sso]\n"
	    "sso_start_url = https://d-1234567890.awsapps.com/start\n"
	    "sso_region = us-east-1\n"
	    "\n"
	    "; hand-written, keep\n"
	    "[profile Dev.Admin]\n"
	    "region = eu-west-1\n";
	struct populate_opts o = opts();
	struct populate_result res;
	struct portal_listing l;
	char *once, *twice;

	(void)state;
	listing(&l);
	o.region = "eu-central-1";
	once = run(&o, &l, start, &res);
	/* The file as it was is still its beginning. */
	assert_memory_equal(once, start, sizeof start - 1);
	/* "Prod (EU)" and "Prod EU" both give Prod-EU.Admin: each gets
	 * its account id; the one Prod-EU.ReadOnly stays as it is. */
	assert_true(has(&res.added, "Prod-EU.ReadOnly"));
	assert_true(has(&res.added, "Prod-EU.Admin-111111111111"));
	assert_true(has(&res.added, "Prod-EU.Admin-222222222222"));
	/* "Read Only" and "Read-Only" of one account: the id does not
	 * part them, a number does. */
	assert_true(has(&res.added, "Dev.Read-Only-333333333333"));
	assert_true(has(&res.added, "Dev.Read-Only-333333333333-2"));
	/* Dev.Admin is hand-written: the generated one goes aside. */
	assert_true(has(&res.added, "Dev.Admin-333333333333"));
	assert_int_equal(res.added.n, 6);
	assert_int_equal(res.updated.n + res.removed.n + res.unchanged, 0);
	assert_true(res.ncollisions >= 5);
	assert_non_null(strstr(once,
	    "[profile Dev.Admin-333333333333]\n"
	    "sso_session = my-sso\n"
	    "sso_account_id = 333333333333\n"
	    "sso_role_name = Admin\n"
	    "region = eu-central-1\n"
	    "idc_generated = my-sso\n"));
	assert_non_null(
	    strstr(once, "[profile Dev.Admin]\nregion = eu-west-1\n"));
	populate_result_release(&res);

	/* A second run changes no byte. */
	twice = run(&o, &l, once, &res);
	assert_string_equal(twice, once);
	assert_int_equal(res.added.n + res.updated.n + res.removed.n, 0);
	assert_int_equal(res.unchanged, 6);
	populate_result_release(&res);
	free(twice);

	/* A changed option updates in place. */
	o.region = "eu-west-3";
	twice = run(&o, &l, once, &res);
	assert_int_equal(res.updated.n, 6);
	assert_null(strstr(twice, "eu-central-1"));
	populate_result_release(&res);
	free(twice);
	free(once);
	portal_listing_release(&l);
}

static void
test_prune(void **state)
{
	static const char start[] = "[profile Old.Admin]\n"
				    "sso_session = my-sso\n"
				    "sso_account_id = 999999999999\n"
				    "sso_role_name = Admin\n"
				    "idc_generated = my-sso\n"
				    "[profile Failed.Admin]\n"
				    "sso_session = my-sso\n"
				    "sso_account_id = 444444444444\n"
				    "sso_role_name = Admin\n"
				    "idc_generated = my-sso\n"
				    "[profile Other.Admin]\n"
				    "sso_session = other\n"
				    "sso_account_id = 999999999999\n"
				    "sso_role_name = Admin\n"
				    "idc_generated = other\n"
				    "[profile mine]\n"
				    "sso_session = my-sso\n"
				    "sso_account_id = 999999999999\n"
				    "sso_role_name = Admin\n";
	struct populate_opts o = opts();
	struct populate_result res;
	struct portal_listing l;
	struct portal_list_account *a;
	char *out;

	(void)state;
	listing(&l);
	a = portal_listing_add(&l, "444444444444", "Failed", NULL);
	a->roles_state = PORTAL_LIST_FAILED;
	portal_listing_sort(&l);

	out = run(&o, &l, start, &res);
	assert_int_equal(res.stale.n, 1);
	assert_string_equal(res.stale.v[0], "Old.Admin");
	assert_int_equal(res.removed.n, 0);
	assert_non_null(strstr(out, "[profile Old.Admin]"));
	populate_result_release(&res);
	free(out);

	o.prune = 1;
	out = run(&o, &l, start, &res);
	assert_int_equal(res.removed.n, 1);
	assert_string_equal(res.removed.v[0], "Old.Admin");
	assert_null(strstr(out, "[profile Old.Admin]"));
	/* Not listed now but failed: kept.  Another session's, and a
	 * profile without the marker: never touched. */
	assert_non_null(strstr(out, "[profile Failed.Admin]"));
	assert_non_null(strstr(out, "[profile Other.Admin]"));
	assert_non_null(strstr(out, "[profile mine]"));
	populate_result_release(&res);
	free(out);
	portal_listing_release(&l);
}

static void
test_sets(void **state)
{
	struct populate_opts o = opts();
	struct populate_result res;
	struct portal_listing l;
	struct portal_list_account *a;
	const char *sets[] = { "credential_process=idc credential-process",
		"cli_pager=less" };
	char *out;

	(void)state;
	memset(&l, 0, sizeof l);
	a = portal_listing_add(&l, "111111111111", "A", NULL);
	portal_list_account_add_role(a, "R");
	a->roles_state = PORTAL_LIST_OK;
	o.sets = sets;
	o.nsets = 2;
	o.output = "json";
	out = run(&o, &l, "", &res);
	assert_string_equal(out,
	    "[profile A.R]\n"
	    "sso_session = my-sso\n"
	    "sso_account_id = 111111111111\n"
	    "sso_role_name = R\n"
	    "output = json\n"
	    "credential_process = idc credential-process\n"
	    "cli_pager = less\n"
	    "idc_generated = my-sso\n");
	populate_result_release(&res);
	free(out);
	portal_listing_release(&l);
}

/* ---- diff ----------------------------------------------------------- */

static char *
diff(const char *a, const char *b)
{
	struct idc_buf out = IDC_BUF_INIT(1 << 22);
	struct idc_err err = IDC_ERR_INIT;

	assert_int_equal(
	    populate_diff(a, strlen(a), b, strlen(b), "a", "b", &out, &err), 0);
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
		idc_buf_addf(&big_a, "a%d\n", i);
		idc_buf_addf(&big_b, "b%d\n", i);
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
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
