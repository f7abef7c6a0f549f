/*
 * test_rolecreds.c - the role-credential cache: file names from the AWS
 * CLI's key document, layout and modes, what counts as a miss and what as
 * an error, reuse windows, single flight (a waiter takes what the lock
 * holder cached), listing and removal per sign-in, --min-ttl, and every
 * output shape with its quoting.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/net/http.h"
#include "idc/core/log.h"
#include "idc/core/sha1.h"
#include "idc/flow/rolecreds.h"
#include "idc/store/rolecache.h"
#include "idc/ui/credfmt.h"
#include "idc/core/timefmt.h"
#include "idc/store/tokens.h"
#include "idc/core/xmalloc.h"

#include "testutil.h"

/* A writable copy of a literal. */
#define S(x) ((char[]){ x })

static char home[PATH_MAX];
static char cache[PATH_MAX + 16];

static const struct sso_ref session_ref = { "my-sso",
	"https://d-9067640000.awsapps.com/start", "us-east-1", NULL };
static const struct sso_ref other_ref = { "other-sso",
	"https://d-9067640000.awsapps.com/start", "us-east-1", NULL };
static const struct sso_ref legacy_ref = { NULL,
	"https://d-9067640000.awsapps.com/start", "us-east-1", NULL };

static const struct rolecreds_target target = { &session_ref, "111111111111",
	"ReadOnly", "idc login --profile dev" };

static int
setup(void **state)
{
	(void)state;
	if (testutil_mkdtemp("idc-test-rolecreds", home, sizeof home) == -1)
		return -1;
	snprintf(cache, sizeof cache, "%s/xdg-cache", home);
	setenv("HOME", home, 1);
	setenv("XDG_CACHE_HOME", cache, 1);
	unsetenv("IDC_MIN_TTL");
	/* No request may leave the test: an accidental fetch fails fast. */
	setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9", 1);
	log_set_level(LOG_QUIET);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return testutil_rmtree(home);
}

/* Credentials of t that end `left` seconds from now. */
static void
creds_for(const struct rolecreds_target *t, long left, const char *akid,
    struct rolecreds *rc)
{
	memset(rc, 0, sizeof *rc);
	rc->access_key_id = xstrdup(akid);
	rc->secret_access_key = xstrdup("wJalrXUtnFEMI/K7MDENG+bPxRfiCY");
	rc->session_token = xstrdup("IQoJb3JpZ2luX2Vj/+AbC==");
	rc->expiration = time(NULL) + left;
	rc->account_id = xstrdup(t->account_id);
	rc->role_name = xstrdup(t->role_name);
	rc->session_name =
	    t->ref->session_name != NULL ? xstrdup(t->ref->session_name) : NULL;
	rc->start_url = xstrdup(t->ref->start_url);
}

static void
save_for(const struct rolecreds_target *t, long left, const char *akid)
{
	struct rolecreds rc;
	struct idc_err err = IDC_ERR_INIT;

	creds_for(t, left, akid, &rc);
	assert_int_equal(rolecache_save(t, &rc, &err), 0);
	rolecreds_release(&rc);
	/* Cached credentials count only while their sign-in exists. */
	if (!tokens_exist(t->ref)) {
		struct sso_token tok;

		memset(&tok, 0, sizeof tok);
		tok.access_token = xstrdup("aoa-test-token");
		tok.expires_at = time(NULL) + 3600;
		assert_int_equal(tokens_save(t->ref, &tok, &err), 0);
		sso_token_release(&tok);
	}
}

static void
test_file_name_is_the_aws_cli_key(void **state)
{
	struct rolecreds_target legacy = { &legacy_ref, "111111111111",
		"ReadOnly", "idc login --profile old" };
	struct idc_err err = IDC_ERR_INIT;
	char *key, *p, *want;

	(void)state;
	key = rolecache_key(&target);
	assert_string_equal(key,
	    "{\"accountId\":\"111111111111\",\"roleName\":\"ReadOnly\","
	    "\"sessionName\":\"my-sso\"}");
	free(key);
	p = rolecache_path(&target, &err);
	/* sso-protocol.md 4.3: the AWS CLI names this key's file so. */
	want = xasprintf("%s/idc/rolecreds/"
			 "7656329665c70f26bb8dc6f65f498aa9de8da4e0.ini",
	    cache);
	assert_string_equal(p, want);
	free(p);
	free(want);
	{
		/* As botocore's json.dumps: non-ASCII and quotes escaped. */
		static const struct sso_ref odd_ref = { "caf\xc3\xa9 \"x\"",
			"https://d-9067640000.awsapps.com/start", "us-east-1",
			NULL };
		struct rolecreds_target odd = { &odd_ref, "111111111111",
			"ReadOnly", "idc login" };

		key = rolecache_key(&odd);
		assert_string_equal(key,
		    "{\"accountId\":\"111111111111\",\"roleName\":"
		    "\"ReadOnly\",\"sessionName\":\"caf\\u00e9 \\\"x\\\"\"}");
		free(key);
	}
	key = rolecache_key(&legacy);
	assert_string_equal(key,
	    "{\"accountId\":\"111111111111\",\"roleName\":\"ReadOnly\","
	    "\"startUrl\":\"https://d-9067640000.awsapps.com/start\"}");
	free(key);
}

static void
test_save_layout_modes_and_round_trip(void **state)
{
	struct rolecreds rc, got;
	struct idc_err err = IDC_ERR_INIT;
	char *p, *text, *want, when[32];
	struct stat st;

	(void)state;
	creds_for(&target, 3600, "ASIAEXAMPLE", &rc);
	rc.expiration = 1795806802; /* 2026-11-27T19:13:22Z */
	assert_int_equal(rolecache_save(&target, &rc, &err), 0);
	p = rolecache_path(&target, &err);
	text = testutil_slurp(p);
	timefmt_utc(rc.expiration, when, sizeof when);
	want = xasprintf(
	    "# Role credentials cached by idc; it rewrites this file.\n"
	    "[rolecreds]\n"
	    "aws_access_key_id = ASIAEXAMPLE\n"
	    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCY\n"
	    "aws_session_token = IQoJb3JpZ2luX2Vj/+AbC==\n"
	    "expiration = %s\n"
	    "sso_account_id = 111111111111\n"
	    "sso_role_name = ReadOnly\n"
	    "sso_session = my-sso\n"
	    "sso_start_url = https://d-9067640000.awsapps.com/start\n",
	    when);
	assert_string_equal(text, want);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	*strrchr(p, '/') = '\0';
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(rolecache_load(&target, &got, &err), 0);
	assert_string_equal(got.access_key_id, "ASIAEXAMPLE");
	assert_string_equal(got.secret_access_key, rc.secret_access_key);
	assert_string_equal(got.session_token, rc.session_token);
	assert_int_equal(got.expiration, rc.expiration);
	assert_string_equal(got.session_name, "my-sso");
	rolecreds_release(&got);
	rolecreds_release(&rc);
	free(want);
	free(text);
	free(p);
}

static void
test_misses_and_errors(void **state)
{
	struct rolecreds got;
	struct idc_err err = IDC_ERR_INIT;
	char *p, *other;

	(void)state;
	p = rolecache_path(&target, &err);
	/* Missing. */
	assert_int_equal(rolecache_load(&target, &got, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	/* Each of these is a miss (IDC_ENOTFOUND), replaced by the next
	 * fetch: a truncated write by something else, a member missing or
	 * twice, what the writer never writes, another role's file. */
	{
#define MEMBERS_AFTER_KEY                                                      \
	"aws_secret_access_key = B\naws_session_token = C\n"                   \
	"expiration = 2099-01-01T00:00:00Z\nsso_account_id = 111111111111\n"   \
	"sso_session = my-sso\nsso_start_url = u\n"
		static const char *const misses[] = {
			"[rolecreds]\naws_access_key_id = ASIA",
			"{\"AccessKeyId\": \"ASIA",
			"[rolecreds]\naws_access_key_id = A\n"
			"aws_secret_access_key = B\naws_session_token = C\n"
			"sso_account_id = 111111111111\nsso_role_name = "
			"ReadOnly\nsso_session = my-sso\nsso_start_url = u\n",
			"[rolecreds]\naws_access_key_id = A\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY
			"aws_access_key_id = A2\n",
			"[rolecreds]\naws_access_key_id = A\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY
			"[more]\n",
			"[rolecreds]\naws_access_key_id = A\n  more\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY,
			"aws_access_key_id = A\n[rolecreds]\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY,
			"[other]\naws_access_key_id = A\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY,
			"[rolecreds]\naws_access_key_id = A\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY
			"expiration = soon\n",
			"[rolecreds]\naws_access_key_id =\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY,
			"[rolecreds]\naws_access_key_id = A\n"
			"sso_role_name = Admin\n" MEMBERS_AFTER_KEY,
			"[rolecreds]\naws_access_key_id = A\xff\n"
			"sso_role_name = ReadOnly\n" MEMBERS_AFTER_KEY,
		};
		size_t i;

		for (i = 0; i < sizeof misses / sizeof misses[0]; i++) {
			testutil_put(p, misses[i]);
			idc_err_clear(&err);
			assert_int_equal(
			    rolecache_load(&target, &got, &err), -1);
			assert_int_equal(err.code, IDC_ENOTFOUND);
		}
		/* Comments, blank lines and members of a later idc are
		 * fine. */
		testutil_put(p,
		    "# a comment\n\n[rolecreds]\nfuture_member = x\n"
		    "aws_access_key_id = A\nsso_role_name = ReadOnly\n"
		    "; another\n" MEMBERS_AFTER_KEY);
		idc_err_clear(&err);
		assert_int_equal(rolecache_load(&target, &got, &err), 0);
		assert_string_equal(got.access_key_id, "A");
		assert_string_equal(got.start_url, "u");
		rolecreds_release(&got);
#undef MEMBERS_AFTER_KEY
	}
	/* A symbolic link: an error that names the file, never followed. */
	unlink(p);
	other = xasprintf("%s/elsewhere.json", home);
	testutil_put(other, "{}");
	assert_int_equal(symlink(other, p), 0);
	idc_err_clear(&err);
	assert_int_equal(rolecache_load(&target, &got, &err), -1);
	assert_int_equal(err.code, IDC_EIO);
	assert_non_null(strstr(err.msg, p));
	assert_non_null(strstr(err.msg, "symbolic link"));
	free(p);
	free(other);
}

static void
test_save_refuses_what_would_not_read_back(void **state)
{
	static const char *const bad[] = { "a\nb", "a\rb", " lead", "trail ",
		"tab\there", "del\x7f",
		"bidi\xe2\x80\xae"
		"evil",
		"bad\xff" };
	struct rolecreds rc;
	struct idc_err err = IDC_ERR_INIT;
	char *p, *was;
	size_t i;

	(void)state;
	p = rolecache_path(&target, &err);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		creds_for(&target, 3600, "ASIAEXAMPLE", &rc);
		was = rc.session_token;
		rc.session_token = xstrdup(bad[i]);
		free(was);
		idc_err_clear(&err);
		assert_int_equal(rolecache_save(&target, &rc, &err), -1);
		assert_int_equal(err.code, IDC_EFAIL);
		assert_non_null(strstr(err.msg, "aws_session_token"));
		assert_int_equal(access(p, F_OK), -1);
		rolecreds_release(&rc);
	}
	free(p);
}

static void
test_save_refuses_a_symlink(void **state)
{
	struct rolecreds rc;
	struct idc_err err = IDC_ERR_INIT;
	char *p, *other, *text;

	(void)state;
	p = rolecache_path(&target, &err);
	other = xasprintf("%s/elsewhere.json", home);
	testutil_put(other, "{}");
	testutil_put(p, "x");
	unlink(p);
	assert_int_equal(symlink(other, p), 0);
	creds_for(&target, 3600, "ASIANEW", &rc);
	assert_int_equal(rolecache_save(&target, &rc, &err), -1);
	assert_int_equal(err.code, IDC_EIO);
	text = testutil_slurp(other);
	assert_string_equal(text, "{}");
	free(text);
	rolecreds_release(&rc);
	free(other);
	free(p);
}

static void
test_get_reuses_while_min_ttl_remains(void **state)
{
	struct rolecreds got;
	struct idc_err err = IDC_ERR_INIT;
	int fetched = -1;

	(void)state;
	save_for(&target, 3600, "ASIACACHED");
	assert_int_equal(rolecreds_get(&target, ROLECREDS_MIN_TTL_DEFAULT, &got,
			     &fetched, &err),
	    0);
	assert_int_equal(fetched, 0);
	assert_string_equal(got.access_key_id, "ASIACACHED");
	rolecreds_release(&got);
	/* The cached path never loads libcurl. */
	assert_int_equal(http_libcurl_loaded(), 0);

	/* 10 minutes left: enough for min_ttl 300, not for the default. */
	save_for(&target, 600, "ASIASHORT");
	assert_int_equal(rolecreds_get(&target, 300, &got, &fetched, &err), 0);
	assert_string_equal(got.access_key_id, "ASIASHORT");
	rolecreds_release(&got);
	/* Not enough: a fetch, which needs a sign-in that is not there.
	 * Nothing is written. */
	assert_int_equal(tokens_remove(target.ref, &err), 0);
	assert_int_equal(rolecreds_get(&target, ROLECREDS_MIN_TTL_DEFAULT, &got,
			     &fetched, &err),
	    -1);
	assert_int_equal(err.code, IDC_EAUTH);
	assert_non_null(strstr(err.msg, "idc login --profile dev"));
	assert_int_equal(rolecache_load(&target, &got, &err), 0);
	assert_string_equal(got.access_key_id, "ASIASHORT");
	rolecreds_release(&got);
	assert_int_equal(http_libcurl_loaded(), 0);
}

static void
test_get_without_account_or_role(void **state)
{
	struct rolecreds_target t = { &session_ref, NULL, NULL, "idc login" };
	struct rolecreds got;
	struct idc_err err = IDC_ERR_INIT;

	(void)state;
	assert_int_equal(rolecreds_get(&t, 900, &got, NULL, &err), -1);
	assert_int_equal(err.code, IDC_ECONFIG);
}

/* The lock file of target, as rolecreds.c names it. */
static char *
lock_path(void)
{
	char *key = rolecache_key(&target), *hex, *p;

	hex = sha1_hex(key, strlen(key));
	p = xasprintf("%s/idc/locks/role-%s.lock", cache, hex);
	free(hex);
	free(key);
	return p;
}

/* Close the parent's copy of a lock shared with a child: an flock lock
 * belongs to the open file, so LOCK_UN here would release the child's
 * too; a close leaves it held until the child's copy goes. */
static void
parent_let_go(struct fsutil_lock *lock)
{
	close(lock->fd);
	lock->fd = -1;
}

static void
test_waiter_takes_what_the_lock_holder_cached(void **state)
{
	struct fsutil_lock lock = FSUTIL_LOCK_INIT;
	struct rolecreds got;
	struct idc_err err = IDC_ERR_INIT;
	char *lp = lock_path();
	int fetched = -1, status;
	pid_t pid;

	(void)state;
	save_for(&target, 120, "ASIASTALE");
	assert_int_equal(fsutil_lock_acquire(&lock, lp, 0, NULL, &err), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The holder's fetch: new credentials a little later. */
		usleep(300 * 1000);
		save_for(&target, 3600, "ASIAFRESH");
		fsutil_lock_release(&lock);
		_exit(0);
	}
	parent_let_go(&lock);
	/* The child still holds the lock through the inherited fd: this
	 * waits for it, then reads the cache again instead of fetching
	 * (without a sign-in, a fetch would fail). */
	assert_int_equal(rolecreds_get(&target, ROLECREDS_MIN_TTL_DEFAULT, &got,
			     &fetched, &err),
	    0);
	assert_int_equal(fetched, 0);
	assert_string_equal(got.access_key_id, "ASIAFRESH");
	rolecreds_release(&got);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);

	/* A min_ttl longer than the credentials last: the holder's fresh
	 * credentials still end the wait. */
	save_for(&target, 120, "ASIASTALE");
	assert_int_equal(fsutil_lock_acquire(&lock, lp, 0, NULL, &err), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(200 * 1000);
		save_for(&target, 3000, "ASIAFRESH2");
		_exit(0);
	}
	parent_let_go(&lock);
	assert_int_equal(rolecreds_get(&target, 7200, &got, &fetched, &err), 0);
	assert_string_equal(got.access_key_id, "ASIAFRESH2");
	rolecreds_release(&got);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	free(lp);
}

struct seen {
	int n;
	char names[8][32];
};

static int
collect(
    const char *path, const struct rolecreds *rc, void *ud, struct idc_err *err)
{
	struct seen *s = ud;

	(void)path;
	(void)err;
	if (s->n < 8)
		snprintf(s->names[s->n++], sizeof s->names[0], "%s",
		    rc->access_key_id);
	return 0;
}

static void
test_foreach_and_remove_for_a_sign_in(void **state)
{
	struct rolecreds_target admin = { &session_ref, "111111111111", "Admin",
		"x" };
	struct rolecreds_target other = { &other_ref, "111111111111",
		"ReadOnly", "x" };
	struct rolecreds_target legacy = { &legacy_ref, "111111111111",
		"ReadOnly", "x" };
	struct seen s;
	struct idc_err err = IDC_ERR_INIT;
	size_t removed = 99;
	char *p;

	(void)state;
	/* Nothing cached yet: no error. */
	memset(&s, 0, sizeof s);
	assert_int_equal(rolecache_foreach(NULL, collect, &s, &err), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(rolecache_remove_for(&session_ref, &removed, &err), 0);
	assert_int_equal(removed, 0);

	save_for(&target, 3600, "A1");
	save_for(&admin, 3600, "A2");
	save_for(&other, 3600, "B1");
	save_for(&legacy, 3600, "L1");
	p = xasprintf("%s/idc/rolecreds/junk.ini", cache);
	testutil_put(p, "not an entry");
	free(p);
	/* idc 0.1's layout: not read, but removed with any sign-out. */
	p = xasprintf("%s/idc/rolecreds/old.json", cache);
	testutil_put(p, "{\"AccessKeyId\": \"ASIAOLD\"}");

	memset(&s, 0, sizeof s);
	assert_int_equal(rolecache_foreach(NULL, collect, &s, &err), 0);
	assert_int_equal(s.n, 4);
	memset(&s, 0, sizeof s);
	assert_int_equal(rolecache_foreach(&session_ref, collect, &s, &err), 0);
	assert_int_equal(s.n, 2);
	memset(&s, 0, sizeof s);
	/* A legacy sign-in is its start URL without a session, even when a
	 * session uses the same URL. */
	assert_int_equal(rolecache_foreach(&legacy_ref, collect, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.names[0], "L1");

	assert_int_equal(rolecache_remove_for(&session_ref, &removed, &err), 0);
	assert_int_equal(removed, 3);
	assert_int_equal(access(p, F_OK), -1);
	free(p);
	memset(&s, 0, sizeof s);
	assert_int_equal(rolecache_foreach(NULL, collect, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(rolecache_remove_for(&legacy_ref, &removed, &err), 0);
	assert_int_equal(removed, 1);
	memset(&s, 0, sizeof s);
	assert_int_equal(rolecache_foreach(NULL, collect, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.names[0], "B1");
}

static void
test_min_ttl(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	long v = -1;

	(void)state;
	assert_int_equal(rolecreds_min_ttl(NULL, &v, &err), 0);
	assert_int_equal(v, 900);
	setenv("IDC_MIN_TTL", "", 1);
	assert_int_equal(rolecreds_min_ttl(NULL, &v, &err), 0);
	assert_int_equal(v, 900);
	setenv("IDC_MIN_TTL", "300", 1);
	assert_int_equal(rolecreds_min_ttl(NULL, &v, &err), 0);
	assert_int_equal(v, 300);
	assert_int_equal(rolecreds_min_ttl("0", &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(rolecreds_min_ttl("43200", &v, &err), 0);
	assert_int_equal(v, 43200);
	assert_int_equal(rolecreds_min_ttl("43201", &v, &err), -1);
	assert_int_equal(err.code, IDC_EUSAGE);
	assert_int_equal(rolecreds_min_ttl("-1", &v, &err), -1);
	assert_int_equal(rolecreds_min_ttl("", &v, &err), -1);
	assert_int_equal(rolecreds_min_ttl("15m", &v, &err), -1);
	assert_non_null(strstr(err.msg, "--min-ttl '15m'"));
	setenv("IDC_MIN_TTL", "soon", 1);
	assert_int_equal(rolecreds_min_ttl(NULL, &v, &err), -1);
	assert_non_null(strstr(err.msg, "IDC_MIN_TTL 'soon'"));
	unsetenv("IDC_MIN_TTL");
}

/* Format fixed credentials (or with the given secret) in fmt. */
static char *
fmt(enum credfmt f, const char *secret, int *rc)
{
	struct rolecreds c;
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct idc_err err = IDC_ERR_INIT;
	char *text;

	creds_for(&target, 0, "ASIAEXAMPLE", &c);
	c.expiration = 1795806802; /* 2026-11-27T19:13:22Z */
	if (secret != NULL) {
		secret_free(c.secret_access_key);
		c.secret_access_key = xstrdup(secret);
	}
	*rc = credfmt_write(&c, f, &b, &err);
	text = idc_buf_detach(&b, NULL);
	rolecreds_release(&c);
	return text;
}

static void
expect(enum credfmt f, const char *secret, const char *want)
{
	int rc;
	char *got = fmt(f, secret, &rc);

	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	free(got);
}

static void
test_formats_match_the_aws_cli(void **state)
{
	enum credfmt f;

	(void)state;
	expect(CREDFMT_PROCESS, NULL,
	    "{\n"
	    "  \"Version\": 1,\n"
	    "  \"AccessKeyId\": \"ASIAEXAMPLE\",\n"
	    "  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCY\",\n"
	    "  \"SessionToken\": \"IQoJb3JpZ2luX2Vj/+AbC==\",\n"
	    "  \"Expiration\": \"2026-11-27T19:13:22+00:00\"\n"
	    "}\n");
	expect(CREDFMT_JSON, NULL,
	    "{\n"
	    "  \"AccessKeyId\": \"ASIAEXAMPLE\",\n"
	    "  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCY\",\n"
	    "  \"SessionToken\": \"IQoJb3JpZ2luX2Vj/+AbC==\",\n"
	    "  \"Expiration\": \"2026-11-27T19:13:22Z\",\n"
	    "  \"AccountId\": \"111111111111\",\n"
	    "  \"RoleName\": \"ReadOnly\"\n"
	    "}\n");
	expect(CREDFMT_ENV, NULL,
	    "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"
	    "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCY\n"
	    "export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj/+AbC==\n"
	    "export AWS_CREDENTIAL_EXPIRATION=2026-11-27T19:13:22+00:00\n");
	expect(CREDFMT_ENV_NO_EXPORT, NULL,
	    "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"
	    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCY\n"
	    "AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj/+AbC==\n"
	    "AWS_CREDENTIAL_EXPIRATION=2026-11-27T19:13:22+00:00\n");
	expect(CREDFMT_FISH, NULL,
	    "set -gx AWS_ACCESS_KEY_ID \"ASIAEXAMPLE\"\n"
	    "set -gx AWS_SECRET_ACCESS_KEY "
	    "\"wJalrXUtnFEMI/K7MDENG+bPxRfiCY\"\n"
	    "set -gx AWS_SESSION_TOKEN \"IQoJb3JpZ2luX2Vj/+AbC==\"\n"
	    "set -gx AWS_CREDENTIAL_EXPIRATION "
	    "\"2026-11-27T19:13:22+00:00\"\n");
	expect(CREDFMT_POWERSHELL, NULL,
	    "$Env:AWS_ACCESS_KEY_ID=\"ASIAEXAMPLE\"\n"
	    "$Env:AWS_SECRET_ACCESS_KEY=\"wJalrXUtnFEMI/K7MDENG+bPxRfiCY\"\n"
	    "$Env:AWS_SESSION_TOKEN=\"IQoJb3JpZ2luX2Vj/+AbC==\"\n"
	    "$Env:AWS_CREDENTIAL_EXPIRATION=\"2026-11-27T19:13:22+00:00\"\n");
	expect(CREDFMT_WINDOWS_CMD, NULL,
	    "set AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"
	    "set AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCY\n"
	    "set AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj/+AbC==\n"
	    "set AWS_CREDENTIAL_EXPIRATION=2026-11-27T19:13:22+00:00\n");

	assert_int_equal(credfmt_parse("windows-cmd", &f), 0);
	assert_int_equal(f, CREDFMT_WINDOWS_CMD);
	assert_int_equal(credfmt_parse("env-no-export", &f), 0);
	assert_int_equal(f, CREDFMT_ENV_NO_EXPORT);
	assert_int_equal(credfmt_parse("ENV", &f), -1);
	assert_int_equal(credfmt_parse("yaml", &f), -1);
}

static void
test_unusual_values_are_quoted(void **state)
{
	char *got;
	int rc;

	(void)state;
	got = fmt(CREDFMT_ENV, "a'b $(x) `y`", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(
	    strstr(got, "export AWS_SECRET_ACCESS_KEY='a'\\''b $(x) `y`'\n"));
	free(got);
	got = fmt(CREDFMT_ENV_NO_EXPORT, "", &rc);
	assert_non_null(strstr(got, "\nAWS_SECRET_ACCESS_KEY=''\n"));
	free(got);
	/* A line break stays inside the quotes (credentials chained through
	 * STS come from XML, not from the INI cache). */
	got = fmt(CREDFMT_ENV, "a\n b", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(got, "export AWS_SECRET_ACCESS_KEY='a\n b'\n"));
	free(got);
	got = fmt(CREDFMT_ENV, "~root", &rc);
	assert_non_null(strstr(got, "AWS_SECRET_ACCESS_KEY='~root'\n"));
	free(got);
	got = fmt(CREDFMT_FISH, "a\\b\"c$d'e", &rc);
	assert_non_null(strstr(
	    got, "set -gx AWS_SECRET_ACCESS_KEY \"a\\\\b\\\"c\\$d'e\"\n"));
	free(got);
	/* PowerShell: single quotes, its quote characters doubled, also
	 * the typographic ones it treats as quotes. */
	got = fmt(CREDFMT_POWERSHELL,
	    "a'b$c`d\xe2\x80\x99"
	    "e",
	    &rc);
	assert_non_null(strstr(got,
	    "$Env:AWS_SECRET_ACCESS_KEY='a''b$c`d\xe2\x80\x99\xe2\x80\x99"
	    "e'\n"));
	free(got);
	got = fmt(CREDFMT_WINDOWS_CMD, "a&b|c<d>e^f(g)", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(
	    strstr(got, "set AWS_SECRET_ACCESS_KEY=a^&b^|c^<d^>e^^f^(g^)\n"));
	free(got);
	got = fmt(CREDFMT_WINDOWS_CMD, "50%", &rc);
	assert_int_equal(rc, -1);
	free(got);
	got = fmt(CREDFMT_WINDOWS_CMD, "a\nb", &rc);
	assert_int_equal(rc, -1);
	free(got);
	/* JSON as Python's json.dumps: non-ASCII and controls escaped. */
	got = fmt(CREDFMT_PROCESS, "\xc3\xa9\"\n", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(
	    strstr(got, "  \"SecretAccessKey\": \"\\u00e9\\\"\\n\",\n"));
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_file_name_is_the_aws_cli_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_save_layout_modes_and_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_misses_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_save_refuses_a_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_save_refuses_what_would_not_read_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_get_reuses_while_min_ttl_remains, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_get_without_account_or_role, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_waiter_takes_what_the_lock_holder_cached, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_foreach_and_remove_for_a_sign_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_formats_match_the_aws_cli, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unusual_values_are_quoted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
