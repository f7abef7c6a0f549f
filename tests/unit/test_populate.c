/*
 * test_populate.c - profile generation: names from templates and their
 * transforms, option checks, collisions (between listed pairs and with
 * profiles idc did not write), idempotence, prune that spares hand-written
 * profiles, other sessions and accounts that failed.
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
#include "idc/core/listing.h"
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
listing(struct listing *l)
{
	struct listing_account *a;

	memset(l, 0, sizeof *l);
	a = listing_add(l, "111111111111", "Prod (EU)", "p@example.com");
	listing_account_add_role(a, "ReadOnly");
	listing_account_add_role(a, "Admin");
	a->roles_state = LISTING_ROLES_OK;
	/* The same name as the first account. */
	a = listing_add(l, "222222222222", "Prod EU", NULL);
	listing_account_add_role(a, "Admin");
	a->roles_state = LISTING_ROLES_OK;
	a = listing_add(l, "333333333333", "Dev", NULL);
	listing_account_add_role(a, "Admin");
	listing_account_add_role(a, "Read Only");
	listing_account_add_role(a, "Read-Only");
	a->roles_state = LISTING_ROLES_OK;
	listing_sort(l);
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
run(const struct populate_opts *o, const struct listing *l, const char *text,
    struct populate_result *res)
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
	struct listing l;
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
	listing_release(&l);
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
	struct listing l;
	struct listing_account *a;
	char *out;

	(void)state;
	listing(&l);
	a = listing_add(&l, "444444444444", "Failed", NULL);
	a->roles_state = LISTING_ROLES_FAILED;
	listing_sort(&l);

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
	listing_release(&l);
}

static void
test_sets(void **state)
{
	struct populate_opts o = opts();
	struct populate_result res;
	struct listing l;
	struct listing_account *a;
	const char *sets[] = { "credential_process=idc credential-process",
		"cli_pager=less" };
	char *out;

	(void)state;
	memset(&l, 0, sizeof l);
	a = listing_add(&l, "111111111111", "A", NULL);
	listing_account_add_role(a, "R");
	a->roles_state = LISTING_ROLES_OK;
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
	listing_release(&l);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
