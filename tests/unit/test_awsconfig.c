/*
 * test_awsconfig.c - profiles and sso-sessions as botocore resolves them
 * (section names, profile choice, the session merge and its errors), the
 * sso-session edit, and awsconfig_edit: modes, symbolic links, refusal of
 * files botocore refuses, leftover temporary files, concurrent writers.
 * Also times the fast reader on a 7,000-line and a 5,000-profile file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "idc/store/awsconfig.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/store/ini.h"
#include "idc/core/log.h"
#include "idc/core/ssoref.h"
#include "idc/core/xmalloc.h"

struct env {
	char dir[PATH_MAX];
	char *config;
	char *creds;
};

static int
setup(void **state)
{
	struct env *e = xcalloc(1, sizeof *e);
	char *cache;

	if (testutil_mkdtemp("idc-test-awsconfig", e->dir, sizeof e->dir) == -1)
		return -1;
	e->config = xasprintf("%s/aws/config", e->dir);
	e->creds = xasprintf("%s/aws/credentials", e->dir);
	cache = xasprintf("%s/cache", e->dir);
	setenv("HOME", e->dir, 1);
	setenv("XDG_CACHE_HOME", cache, 1);
	setenv("AWS_CONFIG_FILE", e->config, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", e->creds, 1);
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
	free(cache);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char *cmd = xasprintf("rm -rf '%s'", e->dir);

	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(e->config);
	free(e->creds);
	free(e);
	return 0;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	struct idc_err err = IDC_ERR_INIT;

	if (fsutil_write_atomic(
		path, text, strlen(text), mode, FSUTIL_MKDIRS, &err) == -1)
		fail_msg("%s", err.msg);
}

static char *
read_text(const char *path)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_err err = IDC_ERR_INIT;

	if (fsutil_read_file(path, IDC_BUF_MAX_FILE, &b, &err) == -1)
		fail_msg("%s", err.msg);
	return idc_buf_detach(&b, NULL);
}

static char *
fixture(const char *name)
{
	return xasprintf("%s/%s", IDC_FIXTURES, name);
}

static void
test_section_kinds(void **state)
{
	static const struct {
		const char *header;
		enum awsconfig_kind kind;
		const char *name;
	} cases[] = {
		{ "default", AWSCONFIG_PROFILE, "default" },
		{ "profile default", AWSCONFIG_PROFILE, "default" },
		{ "profile dev", AWSCONFIG_PROFILE, "dev" },
		{ "profile \"my name\"", AWSCONFIG_PROFILE, "my name" },
		{ "profile 'my name'", AWSCONFIG_PROFILE, "my name" },
		{ "profile a\\ b", AWSCONFIG_PROFILE, "a b" },
		{ "profile \"a\\\"b\"", AWSCONFIG_PROFILE, "a\"b" },
		{ "profile \"a\\x\"", AWSCONFIG_PROFILE, "a\\x" },
		{ "profile 'a\\x'", AWSCONFIG_PROFILE, "a\\x" },
		{ "profile a\"b c\"d", AWSCONFIG_PROFILE, "ab cd" },
		{ "profile ''", AWSCONFIG_PROFILE, "" },
		{ "profile   spaced   ", AWSCONFIG_PROFILE, "spaced" },
		{ "profile\tx", AWSCONFIG_PROFILE, "x" },
		{ "profiles plural", AWSCONFIG_PROFILE, "plural" },
		{ "profile", AWSCONFIG_OTHER, NULL },
		{ "profile a b", AWSCONFIG_OTHER, NULL },
		{ "profile \"a b", AWSCONFIG_OTHER, NULL },
		{ "profile a\\", AWSCONFIG_OTHER, NULL },
		{ " profile x", AWSCONFIG_OTHER, NULL },
		{ "Default", AWSCONFIG_OTHER, NULL },
		{ "sso-session corp", AWSCONFIG_SSO_SESSION, "corp" },
		{ "sso-session 'my s'", AWSCONFIG_SSO_SESSION, "my s" },
		{ "services local", AWSCONFIG_SERVICES, "local" },
		{ "DEFAULT", AWSCONFIG_DEFAULTS, NULL },
		{ "plugins", AWSCONFIG_OTHER, NULL },
	};
	enum awsconfig_kind kind;
	char *name;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kind = awsconfig_section_kind(
		    cases[i].header, strlen(cases[i].header), &name);
		if (kind != cases[i].kind)
			fail_msg("[%s]: kind %d", cases[i].header, kind);
		if (cases[i].name == NULL)
			assert_null(name);
		else
			assert_string_equal(name, cases[i].name);
		free(name);
	}
}

static void
test_headers_read_back_as_written(void **state)
{
	static const char *const names[] = { "dev", "my name", "it's", "a\"b",
		"caf\xc3\xa9", "x\\y", "$HOME", "a#b", "default", "tab\there" };
	enum awsconfig_kind kind;
	char *h, *name, *q;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		h = awsconfig_section_header(AWSCONFIG_SSO_SESSION, names[i]);
		kind = awsconfig_section_kind(h, strlen(h), &name);
		assert_int_equal(kind, AWSCONFIG_SSO_SESSION);
		assert_string_equal(name, names[i]);
		free(name);
		free(h);
		h = awsconfig_section_header(AWSCONFIG_PROFILE, names[i]);
		kind = awsconfig_section_kind(h, strlen(h), &name);
		assert_int_equal(kind, AWSCONFIG_PROFILE);
		assert_string_equal(name, names[i]);
		free(name);
		free(h);
	}
	h = awsconfig_section_header(AWSCONFIG_PROFILE, "default");
	assert_string_equal(h, "default");
	free(h);
	h = awsconfig_section_header(AWSCONFIG_SSO_SESSION, "my s");
	assert_string_equal(h, "sso-session 'my s'");
	free(h);
	q = awsconfig_quote("it's");
	assert_string_equal(q, "'it'\"'\"'s'");
	free(q);
	q = awsconfig_quote("ok-Name_1@%+=:,./");
	assert_string_equal(q, "ok-Name_1@%+=:,./");
	free(q);
	q = awsconfig_quote("");
	assert_string_equal(q, "''");
	free(q);
}

static void
test_profile_choice(void **state)
{
	int implicit;

	(void)state;
	assert_string_equal(awsconfig_profile_name(NULL, &implicit), "default");
	assert_true(implicit);
	setenv("AWS_DEFAULT_PROFILE", "from-default-var", 1);
	assert_string_equal(
	    awsconfig_profile_name(NULL, &implicit), "from-default-var");
	assert_false(implicit);
	/* The AWS CLI v2 order: AWS_PROFILE first. */
	setenv("AWS_PROFILE", "from-profile-var", 1);
	assert_string_equal(
	    awsconfig_profile_name(NULL, &implicit), "from-profile-var");
	assert_string_equal(awsconfig_profile_name("flag", &implicit), "flag");
	setenv("AWS_PROFILE", "", 1);
	assert_string_equal(
	    awsconfig_profile_name(NULL, &implicit), "from-default-var");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
}

static struct awsconfig_sso *
load_ok(const char *path, const char *profile, unsigned flags)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsconfig_sso *sso = NULL;

	if (awsconfig_load_profile(path, profile, flags, &sso, &err) == -1)
		fail_msg("%s: %s", profile, err.msg);
	return sso;
}

/* The profile fails with IDC_ECONFIG and a message containing what. */
static void
load_fails(
    const char *path, const char *profile, unsigned flags, const char *what)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsconfig_sso *sso = NULL;

	if (awsconfig_load_profile(path, profile, flags, &sso, &err) != -1)
		fail_msg("%s: resolved", profile);
	assert_null(sso);
	assert_int_equal(err.code, IDC_ECONFIG);
	if (strstr(err.msg, what) == NULL)
		fail_msg("%s: '%s' lacks '%s'", profile, err.msg, what);
}

static void
test_session_and_legacy_profiles(void **state)
{
	struct awsconfig_sso *sso;
	char *basic = fixture("basic.ini"), *legacy = fixture("legacy.ini");

	(void)state;
	sso = load_ok(basic, "default", AWSCONFIG_NEED_ROLE);
	assert_string_equal(sso->profile, "default");
	assert_string_equal(sso->session, "corp");
	assert_string_equal(
	    sso->start_url, "https://d-9067640000.awsapps.com/start");
	assert_string_equal(sso->sso_region, "us-east-1");
	assert_int_equal(sso->nscopes, 1);
	assert_string_equal(sso->scope_list[0], "sso:account:access");
	assert_null(sso->scope_list[1]);
	assert_string_equal(sso->account_id, "111122223333");
	assert_string_equal(sso->role_name, "ReadOnly");
	assert_string_equal(sso->region, "us-east-1");
	assert_string_equal(sso->output, "json");
	awsconfig_sso_free(sso);

	sso = load_ok(legacy, "legacy", AWSCONFIG_NEED_ROLE);
	assert_null(sso->session);
	assert_string_equal(
	    sso->start_url, "https://d-6666666666.awsapps.com/start");
	assert_int_equal(sso->nscopes, 0);
	assert_null(sso->scope_list[0]);
	assert_string_equal(sso->output, "text");
	awsconfig_sso_free(sso);

	/* Keys in both the profile and the session must agree. */
	sso = load_ok(legacy, "mixed", AWSCONFIG_NEED_ROLE);
	assert_string_equal(sso->session, "corp");
	assert_int_equal(sso->nscopes, 2);
	assert_string_equal(sso->scope_list[1], "codewhisperer:completions");
	awsconfig_sso_free(sso);
	load_fails(legacy, "mismatch", 0,
	    "the value of sso_region differs between profile 'mismatch' "
	    "(eu-west-1) and sso-session 'corp' (us-east-1)");
	load_fails(legacy, "ghost", 0,
	    "profile 'ghost' uses sso-session 'nosuch', which is not in");
	load_fails(
	    legacy, "half", AWSCONFIG_NEED_ROLE, "is missing sso_role_name in");
	/* Login needs no role. */
	sso = load_ok(legacy, "half", 0);
	assert_null(sso->role_name);
	awsconfig_sso_free(sso);
	load_fails(legacy, "static", 0, "is not set up for IAM Identity");
	load_fails(legacy, "static", AWSCONFIG_NEED_ROLE,
	    "missing sso_role_name, sso_account_id, sso_start_url, "
	    "sso_region in");
	load_fails(legacy, "nosuch", 0, "profile 'nosuch' not found in '");
	free(basic);
	free(legacy);
}

static void
test_quoted_defaults_and_last_wins(void **state)
{
	struct env *e = *state;
	struct awsconfig_sso *sso;
	char *quoted = fixture("quoted-names.ini");
	char *defaults = fixture("defaults-section.ini");

	sso = load_ok(quoted, "my name", AWSCONFIG_NEED_ROLE);
	assert_string_equal(sso->session, "my session");
	assert_string_equal(sso->role_name, "Read Only");
	awsconfig_sso_free(sso);

	/* [DEFAULT] is inherited by the profile and by its session. */
	sso = load_ok(defaults, "inherits", AWSCONFIG_NEED_ROLE);
	assert_string_equal(sso->region, "eu-north-1");
	assert_string_equal(sso->output, "yaml");
	awsconfig_sso_free(sso);
	load_fails(defaults, "clash", 0, "the value of region differs");

	/* [default] and [profile default]: the later section wins whole. */
	write_file(e->config,
	    "[default]\nsso_session = a\nregion = us-east-1\n"
	    "[profile default]\nsso_session = b\n"
	    "[sso-session a]\nsso_start_url = https://a.example.com\n"
	    "sso_region = us-east-1\n"
	    "[sso-session b]\nsso_start_url = https://b.example.com\n"
	    "sso_region = eu-west-1\n",
	    0600);
	sso = load_ok(e->config, "default", 0);
	assert_string_equal(sso->session, "b");
	assert_null(sso->region);
	awsconfig_sso_free(sso);
	free(quoted);
	free(defaults);
}

static void
test_file_problems_and_bad_values(void **state)
{
	struct env *e = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct awsconfig_sso *sso = NULL;
	char *dup = fixture("invalid/dup-section.ini");

	load_fails(dup, "a", 0, "line 6: section 'profile a' appears twice");
	load_fails(e->config, "x", 0, "does not exist");
	/* A value from the file that could move the endpoint host. */
	write_file(e->config,
	    "[profile p]\nsso_start_url = https://x.example.com\n"
	    "sso_region = us-east-1.evil.example#\n",
	    0600);
	load_fails(e->config, "p", 0, "profile 'p' in '");
	load_fails(e->config, "p", 0, "is not an AWS region");
	write_file(e->config,
	    "[profile p]\nsso_start_url = http://x.example.com\n"
	    "sso_region = us-east-1\n",
	    0600);
	load_fails(e->config, "p", 0, "is not an https URL");
	write_file(e->config,
	    "[profile p]\nsso_start_url = https://x.example.com\n"
	    "sso_region = us-east-1\nsso_account_id = 12\n"
	    "sso_role_name = R\n",
	    0600);
	load_fails(e->config, "p", AWSCONFIG_NEED_ROLE, "is not 12 digits");

	/* No profile asked for and no [default]. */
	write_file(e->config, "[profile p]\nregion = us-east-1\n", 0600);
	load_fails(e->config, "default", AWSCONFIG_IMPLICIT,
	    "no profile given and no [default] profile");
	/* A profile only in the credentials file. */
	write_file(e->creds, "[static]\naws_access_key_id = AKIA\n", 0600);
	load_fails(e->config, "static", 0, "is only in '");

	/* Sessions by name. */
	write_file(e->config,
	    "[sso-session s]\nsso_start_url = https://s.example.com\n"
	    "sso_region = ap-south-1\nsso_registration_scopes = a,b\n"
	    "[sso-session half]\nsso_region = ap-south-1\n",
	    0600);
	assert_int_equal(awsconfig_load_session(e->config, "s", &sso, &err), 0);
	assert_null(sso->profile);
	assert_string_equal(sso->session, "s");
	assert_int_equal(sso->nscopes, 2);
	awsconfig_sso_free(sso);
	assert_int_equal(
	    awsconfig_load_session(e->config, "nope", &sso, &err), -1);
	assert_non_null(strstr(err.msg, "sso-session 'nope' not found"));
	assert_int_equal(
	    awsconfig_load_session(e->config, "half", &sso, &err), -1);
	assert_non_null(strstr(err.msg, "is missing sso_start_url"));
	free(dup);
}

static void
test_put_session(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct ini_doc *doc;
	static const char text[] =
	    "[profile p]\nsso_session = corp\n"
	    "[sso-session corp]\n# keep me\nSSO_Start_URL=https://old.example.com\n"
	    "custom = kept\n";

	(void)state;
	assert_int_equal(
	    ini_parse(text, sizeof text - 1, "t", 0, &doc, &err), 0);
	assert_int_equal(
	    awsconfig_put_session(doc, "corp", "https://new.example.com",
		"eu-west-1", NULL, &err),
	    0);
	assert_int_equal(
	    awsconfig_put_session(doc, "my s", "https://s.example.com",
		"us-east-1", "sso:account:access", &err),
	    0);
	assert_int_equal(ini_render(doc, &b, &err), 0);
	assert_string_equal(idc_buf_cstr(&b),
	    "[profile p]\nsso_session = corp\n"
	    "[sso-session corp]\n# keep me\nSSO_Start_URL=https://new.example.com\n"
	    "custom = kept\nsso_region = eu-west-1\n"
	    "[sso-session 'my s']\nsso_start_url = https://s.example.com\n"
	    "sso_region = us-east-1\nsso_registration_scopes = "
	    "sso:account:access\n");
	assert_int_equal(awsconfig_put_session(doc, "bad]", "https://x.com",
			     "us-east-1", NULL, &err),
	    -1);
	assert_int_equal(err.code, IDC_EUSAGE);
	assert_int_equal(awsconfig_put_session(doc, "ok", "http://x.com",
			     "us-east-1", NULL, &err),
	    -1);
	assert_int_equal(awsconfig_put_session(
			     doc, "ok", "https://x.com", "moon-1", NULL, &err),
	    -1);
	ini_free(doc);
	idc_buf_release(&b);
}

/* awsconfig_profiles_using's fn: "name," appended to ud. */
static int
collect_profile(const char *profile, const struct awsconfig_values *v, void *ud,
    struct idc_err *err)
{
	(void)v;
	(void)err;
	strcat(ud, profile);
	strcat(ud, ",");
	return 0;
}

/* What profiles and sessions say, as the commands see it. */
static void
test_values_names_and_profiles_using(void **state)
{
	static const char text[] =
	    "[DEFAULT]\nregion = eu-central-1\n"
	    "[sso-session corp]\nsso_start_url = https://c.example.com\n"
	    "sso_region = us-east-1\nsso_registration_scopes = a , ,b\n"
	    "idc_login_flow = pkce\n"
	    "[profile a]\nsso_session = corp\nsso_account_id = 1\n"
	    "sso_role_name = R\nidc_generated = corp\n"
	    "[profile old]\nsso_start_url = https://c.example.com\n"
	    "sso_region = us-east-1\n"
	    "[profile b]\nsso_session = other\n";
	struct sso_ref corp = { "corp", "https://c.example.com", "us-east-1",
		NULL };
	struct sso_ref legacy = { NULL, "https://c.example.com", "us-east-1",
		NULL };
	struct awsconfig_values v;
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc;
	char **names, **scopes;
	size_t n;
	char got[256];

	(void)state;
	assert_int_equal(
	    ini_parse(text, sizeof text - 1, "t", 0, &doc, &err), 0);
	/* Values as botocore sees them: [DEFAULT]'s too. */
	assert_non_null(
	    awsconfig_values(doc, AWSCONFIG_SSO_SESSION, "corp", &v));
	assert_string_equal(v.start_url, "https://c.example.com");
	assert_string_equal(v.scopes, "a , ,b");
	assert_string_equal(v.region, "eu-central-1");
	assert_string_equal(v.login_flow, "pkce");
	assert_non_null(awsconfig_values(doc, AWSCONFIG_PROFILE, "a", &v));
	assert_string_equal(v.sso_session, "corp");
	assert_string_equal(v.account_id, "1");
	assert_string_equal(v.generated_by, "corp");
	assert_null(awsconfig_values(doc, AWSCONFIG_PROFILE, "nope", &v));
	assert_null(v.sso_session);
	names = awsconfig_names(doc, AWSCONFIG_SSO_SESSION, &n);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "corp");
	assert_null(names[1]);
	awsconfig_names_free(names);
	names = awsconfig_names(doc, AWSCONFIG_PROFILE, &n);
	assert_int_equal(n, 3);
	assert_string_equal(names[2], "b");
	awsconfig_names_free(names);
	/* One splitter, botocore's rule: stripped, empty items dropped. */
	scopes = awsconfig_scope_list(" a , ,b ,");
	assert_string_equal(scopes[0], "a");
	assert_string_equal(scopes[1], "b");
	assert_null(scopes[2]);
	awsconfig_names_free(scopes);
	scopes = awsconfig_scope_list(NULL);
	assert_null(scopes[0]);
	awsconfig_names_free(scopes);
	got[0] = '\0';
	assert_int_equal(
	    awsconfig_profiles_using(doc, &corp, collect_profile, got, &err),
	    0);
	assert_string_equal(got, "a,");
	got[0] = '\0';
	assert_int_equal(
	    awsconfig_profiles_using(doc, &legacy, collect_profile, got, &err),
	    0);
	assert_string_equal(got, "old,");
	assert_string_equal(
	    awsconfig_reserved_key("SSO_Role_Name=x", 13), "sso_role_name");
	assert_null(awsconfig_reserved_key("cli_pager", 9));
	ini_free(doc);
}

static void
test_put_profile(void **state)
{
	static const char text[] =
	    "[profile dev]\n# mine\nsso_start_url = "
	    "https://x.example.com\nsso_region = "
	    "us-east-1\nregion = eu-west-1\ncli_pager =\n";
	static const char *const sets[] = { "cli_pager=less" };
	struct awsconfig_profile p = { "corp", "111111111111", "ReadOnly", NULL,
		"json", sets, 1, NULL };
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_err err = IDC_ERR_INIT;
	struct awsconfig_values v;
	struct ini_doc *doc;
	struct ini_line *sec;
	int changed = 0;

	(void)state;
	assert_int_equal(
	    ini_parse(text, sizeof text - 1, "t", 0, &doc, &err), 0);
	/* A legacy profile becomes a session profile; the rest stays. */
	sec = awsconfig_values(doc, AWSCONFIG_PROFILE, "dev", &v);
	assert_non_null(
	    awsconfig_put_profile(doc, sec, "dev", &p, &changed, &err));
	assert_true(changed);
	p.generated_by = "corp";
	assert_non_null(
	    awsconfig_put_profile(doc, NULL, "new one", &p, NULL, &err));
	assert_int_equal(ini_render(doc, &b, &err), 0);
	assert_string_equal(idc_buf_cstr(&b),
	    "[profile dev]\n# mine\nregion = eu-west-1\ncli_pager = less\n"
	    "sso_session = corp\nsso_account_id = 111111111111\n"
	    "sso_role_name = ReadOnly\noutput = json\n"
	    "\n[profile 'new one']\nsso_session = corp\n"
	    "sso_account_id = 111111111111\nsso_role_name = ReadOnly\n"
	    "output = json\ncli_pager = less\nidc_generated = corp\n");
	/* Again: nothing changes. */
	changed = 0;
	p.generated_by = NULL;
	sec = awsconfig_values(doc, AWSCONFIG_PROFILE, "dev", &v);
	assert_non_null(
	    awsconfig_put_profile(doc, sec, "dev", &p, &changed, &err));
	assert_false(changed);
	p.role_name = "bad\nrole";
	assert_null(awsconfig_put_profile(doc, sec, "dev", &p, NULL, &err));
	assert_int_equal(err.code, IDC_EUSAGE);
	ini_free(doc);
	idc_buf_release(&b);
}

struct put {
	const char *name;
	const char *url;
};

static int
put_cb(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	const struct put *p = ud;

	return awsconfig_put_session(
	    doc, p->name, p->url, "us-east-1", "sso:account:access", err);
}

static int
fail_cb(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	(void)ud;
	awsconfig_put_session(
	    doc, "x", "https://x.com", "us-east-1", NULL, err);
	return idc_err_set(err, IDC_EFAIL, "changed my mind");
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void
test_edit_modes_and_links(void **state)
{
	struct env *e = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct put p = { "s", "https://s.example.com" };
	struct stat st1, st2;
	char *text, *real, *link;
	int changed = -1;

	/* A new file: directories made, mode 0600. */
	assert_int_equal(awsconfig_edit(AWSCONFIG_CONFIG, e->config, put_cb, &p,
			     &changed, &err),
	    0);
	assert_int_equal(changed, 1);
	assert_int_equal(mode_of(e->config), 0600);
	text = read_text(e->config);
	assert_string_equal(text,
	    "[sso-session s]\nsso_start_url = https://s.example.com\n"
	    "sso_region = us-east-1\n"
	    "sso_registration_scopes = sso:account:access\n");
	free(text);

	/* Nothing to change: not written at all. */
	assert_int_equal(stat(e->config, &st1), 0);
	assert_int_equal(awsconfig_edit(AWSCONFIG_CONFIG, e->config, put_cb, &p,
			     &changed, &err),
	    0);
	assert_int_equal(changed, 0);
	assert_int_equal(stat(e->config, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);

	/* An existing mode is kept. */
	assert_int_equal(chmod(e->config, 0644), 0);
	p.url = "https://t.example.com";
	assert_int_equal(awsconfig_edit(AWSCONFIG_CONFIG, e->config, put_cb, &p,
			     &changed, &err),
	    0);
	assert_int_equal(mode_of(e->config), 0644);

	/* A config kept in a dotfiles repository: written through. */
	real = xasprintf("%s/dotfiles-config", e->dir);
	link = xasprintf("%s/linked-config", e->dir);
	write_file(real, "# dotfiles\n", 0640);
	assert_int_equal(symlink(real, link), 0);
	assert_int_equal(
	    awsconfig_edit(AWSCONFIG_CONFIG, link, put_cb, &p, &changed, &err),
	    0);
	assert_int_equal(lstat(link, &st1), 0);
	assert_true(S_ISLNK(st1.st_mode));
	text = read_text(real);
	assert_non_null(strstr(text, "# dotfiles\n[sso-session s]\n"));
	free(text);
	assert_int_equal(mode_of(real), 0640);

	/* The credentials file: never through a link, always 0600. */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(real, link), 0);
	text = read_text(real);
	assert_int_equal(awsconfig_edit(AWSCONFIG_CREDENTIALS, link, put_cb, &p,
			     &changed, &err),
	    -1);
	assert_non_null(strstr(err.msg, "symbolic link"));
	{
		char *after = read_text(real);

		assert_string_equal(after, text);
		free(after);
	}
	free(text);
	write_file(e->creds, "[default]\naws_access_key_id = AKIA\n", 0644);
	assert_int_equal(awsconfig_edit(AWSCONFIG_CREDENTIALS, e->creds, put_cb,
			     &p, &changed, &err),
	    0);
	assert_int_equal(mode_of(e->creds), 0600);
	free(real);
	free(link);
}

static void
test_edit_refuses_and_fails_cleanly(void **state)
{
	struct env *e = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct put p = { "s", "https://s.example.com" };
	static const char dup[] = "[a]\nk = 1\n[a]\n";
	char *text;

	write_file(e->config, dup, 0600);
	assert_int_equal(
	    awsconfig_edit(AWSCONFIG_CONFIG, e->config, put_cb, &p, NULL, &err),
	    -1);
	assert_int_equal(err.code, IDC_ECONFIG);
	assert_non_null(strstr(err.msg, "line 3: section 'a' appears twice"));
	text = read_text(e->config);
	assert_string_equal(text, dup);
	free(text);

	write_file(e->config, "[a]\n", 0600);
	assert_int_equal(awsconfig_edit(AWSCONFIG_CONFIG, e->config, fail_cb,
			     NULL, NULL, &err),
	    -1);
	assert_string_equal(err.msg, "changed my mind");
	text = read_text(e->config);
	assert_string_equal(text, "[a]\n");
	free(text);
}

static void
test_edit_removes_stale_temporary_files(void **state)
{
	struct env *e = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct put p = { "s", "https://s.example.com" };
	struct timespec old[2] = { { 0, 0 }, { 0, 0 } };
	char *stale, *fresh, *other;
	int fd;

	write_file(e->config, "[a]\n", 0600);
	stale = xasprintf("%s/aws/.config.idc-AbC123", e->dir);
	fresh = xasprintf("%s/aws/.config.idc-XyZ789", e->dir);
	other = xasprintf("%s/aws/.config.idc-notours", e->dir);
	fd = open(stale, O_WRONLY | O_CREAT, 0600);
	close(fd);
	fd = open(fresh, O_WRONLY | O_CREAT, 0600);
	close(fd);
	fd = open(other, O_WRONLY | O_CREAT, 0600);
	close(fd);
	old[0].tv_sec = old[1].tv_sec = time(NULL) - 3600;
	assert_int_equal(utimensat(AT_FDCWD, stale, old, 0), 0);
	assert_int_equal(utimensat(AT_FDCWD, other, old, 0), 0);
	assert_int_equal(
	    awsconfig_edit(AWSCONFIG_CONFIG, e->config, put_cb, &p, NULL, &err),
	    0);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(fresh, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	free(stale);
	free(fresh);
	free(other);
}

/* Many processes add a session each at the same moment: none is lost. */
static void
test_concurrent_writers_lose_nothing(void **state)
{
	struct env *e = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc;
	pid_t pids[12];
	char name[32], *text;
	int i, status;

	write_file(
	    e->config, "# shared\n[default]\nregion = us-east-1\n", 0600);
	for (i = 0; i < 12; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct put p = { name, "https://c.example.com" };

			snprintf(name, sizeof name, "s%d", i);
			log_set_level(LOG_QUIET); /* no "waiting for" notes */
			_exit(awsconfig_edit(AWSCONFIG_CONFIG, e->config,
				  put_cb, &p, NULL, &err) == 0
				? 0
				: 1);
		}
	}
	for (i = 0; i < 12; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	text = read_text(e->config);
	assert_int_equal(
	    ini_parse(text, strlen(text), e->config, 0, &doc, &err), 0);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "s%d", i);
		assert_non_null(
		    awsconfig_find(doc, AWSCONFIG_SSO_SESSION, name));
	}
	assert_int_equal(strncmp(text, "# shared\n[default]\n", 19), 0);
	ini_free(doc);
	free(text);
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* A config of n profiles (5 lines each, a comment every 50). */
static void
write_big(const char *path, size_t n)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	size_t i;

	idc_buf_putstr(&b,
	    "[default]\nregion = us-east-1\n"
	    "[sso-session corp]\nsso_start_url = "
	    "https://d-1234567890.awsapps.com/start\n"
	    "sso_region = us-east-1\n");
	for (i = 0; i < n; i++) {
		if (i % 50 == 0)
			idc_buf_putf(&b, "# team %zu\n", i / 50);
		idc_buf_putf(&b,
		    "[profile p%05zu]\nsso_session = corp\n"
		    "sso_account_id = %012zu\nsso_role_name = Admin\n"
		    "region = eu-west-1\n",
		    i, 100000000000 + i);
	}
	write_file(path, idc_buf_cstr(&b), 0600);
	idc_buf_release(&b);
}

static void
time_resolve(const char *path, const char *profile, const char *what)
{
	struct awsconfig_sso *sso;
	double t0, best = 1e12, total = 0, dt;
	int i, runs = 50;

	for (i = 0; i < runs; i++) {
		t0 = now_us();
		sso = load_ok(path, profile, AWSCONFIG_NEED_ROLE);
		dt = now_us() - t0;
		total += dt;
		best = dt < best ? dt : best;
		assert_string_equal(sso->role_name, "Admin");
		awsconfig_sso_free(sso);
	}
	print_message("%s: read + resolve '%s': mean %.0f us, best %.0f us\n",
	    what, profile, total / runs, best);
}

static void
test_fast_path_timing(void **state)
{
	struct env *e = *state;
	char *path = xasprintf("%s/big", e->dir);

	/* 1,380 profiles: 7,000 lines. */
	write_big(path, 1380);
	time_resolve(path, "p01379", "7,000-line config");
	time_resolve(path, "p00000", "7,000-line config");
	write_big(path, 5000);
	time_resolve(path, "p04999", "5,000-profile config (25,000 lines)");
	free(path);
}

static void
test_names_keep_the_first_of_each_in_file_order(void **state)
{
	static const char text[] = "[profile b]\n[default]\n[profile a]\n"
				   "[profile default]\n[sso-session s]\n"
				   "[profile b2]\n";
	struct ini_doc *doc = NULL;
	struct idc_err err = IDC_ERR_INIT;
	char **names;
	size_t n;

	(void)state;
	assert_int_equal(
	    ini_parse(text, sizeof text - 1, "t", 0, &doc, &err), 0);
	names = awsconfig_names(doc, AWSCONFIG_PROFILE, &n);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "b");
	assert_string_equal(names[1], "default");
	assert_string_equal(names[2], "a");
	assert_string_equal(names[3], "b2");
	assert_null(names[4]);
	awsconfig_names_free(names);
	ini_free(doc);
}

struct checked {
	char names[8][16];
	int signs_in[8], resolved[8];
	char why[8][600];
	int n;
};

static void
record_check(const char *profile, int signs_in, const struct awsconfig_sso *sso,
    const struct idc_err *why, void *ud)
{
	struct checked *c = ud;

	assert_true(c->n < 8);
	snprintf(c->names[c->n], sizeof c->names[0], "%s", profile);
	c->signs_in[c->n] = signs_in;
	c->resolved[c->n] = sso != NULL;
	if (sso != NULL)
		assert_string_equal(sso->profile, profile);
	snprintf(
	    c->why[c->n], sizeof c->why[0], "%s", why != NULL ? why->msg : "");
	c->n++;
}

static void
test_check_profiles_reads_once_and_resolves_each(void **state)
{
	struct env *e = *state;
	struct checked c;
	struct idc_err err = IDC_ERR_INIT;

	/* default twice ([default], [profile default]): reported where it
	 * first appears, resolved from its last section, as a single load
	 * resolves it. */
	write_file(e->config,
	    "[default]\nsso_session = s\n"
	    "[profile keys]\nregion = eu-west-1\n"
	    "[sso-session s]\nsso_start_url = https://d-1.awsapps.com/start\n"
	    "sso_region = us-east-1\n"
	    "[profile a]\nsso_session = s\nsso_account_id = 111111111111\n"
	    "sso_role_name = R\n"
	    "[profile gone]\nsso_session = nope\n"
	    "[profile default]\nsso_session = s\n"
	    "sso_account_id = 222222222222\nsso_role_name = R\n",
	    0600);
	memset(&c, 0, sizeof c);
	assert_int_equal(awsconfig_check_profiles(e->config,
			     AWSCONFIG_NEED_ROLE, record_check, &c, &err),
	    0);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.names[0], "default");
	assert_true(c.signs_in[0] && c.resolved[0]);
	assert_string_equal(c.names[1], "keys");
	assert_false(c.signs_in[1]);
	assert_false(c.resolved[1]);
	assert_string_equal(c.names[2], "a");
	assert_true(c.signs_in[2] && c.resolved[2]);
	assert_string_equal(c.names[3], "gone");
	assert_true(c.signs_in[3]);
	assert_false(c.resolved[3]);
	assert_non_null(strstr(c.why[3], "sso-session 'nope'"));
	/* A file botocore refuses: an error, nothing checked. */
	write_file(
	    e->config, "[profile a]\nsso_session = s\n[profile a]\n", 0600);
	memset(&c, 0, sizeof c);
	assert_int_equal(awsconfig_check_profiles(e->config,
			     AWSCONFIG_NEED_ROLE, record_check, &c, &err),
	    -1);
	assert_int_equal(c.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_section_kinds),
		cmocka_unit_test(
		    test_names_keep_the_first_of_each_in_file_order),
		cmocka_unit_test(test_headers_read_back_as_written),
		cmocka_unit_test_setup_teardown(
		    test_profile_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_session_and_legacy_profiles, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_quoted_defaults_and_last_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_problems_and_bad_values, setup, teardown),
		cmocka_unit_test(test_put_session),
		cmocka_unit_test(test_values_names_and_profiles_using),
		cmocka_unit_test(test_put_profile),
		cmocka_unit_test_setup_teardown(
		    test_edit_modes_and_links, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_edit_refuses_and_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_edit_removes_stale_temporary_files, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_concurrent_writers_lose_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_fast_path_timing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_check_profiles_reads_once_and_resolves_each, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
