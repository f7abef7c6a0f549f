/*
 * doctor.c - `idc doctor`'s checks (see doctor.h): each one looks at one
 * thing, says what it found, and for a failure names the command or setting
 * that fixes it.  The sign-ins come from the status model (status.h); the
 * one request per sign-in is ListAccounts with maxResults 1, the cheapest
 * call that needs a token the portal still accepts.
 */
#include "idc/flow/doctor.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/status.h"
#include "idc/net/apicall.h"
#include "idc/net/endpoints.h"
#include "idc/net/http.h"
#include "idc/net/portal.h"
#include "idc/store/awsconfig.h"
#include "idc/store/fsutil.h"
#include "idc/store/paths.h"
#include "idc/store/tokens.h"

/* botocore's refresh windows: advisory 15 minutes, mandatory 10. */
#define DOCTOR_REFRESH_WINDOW    (15 * 60)
#define DOCTOR_REGISTRATION_SOON (7 * 86400)

struct doctor_run {
	const struct doctor_opts *o;
	doctor_report_fn *report;
	void *ud;
	int failed;
	struct http_client *http;
	struct ini_doc *doc; /* the config, when it parsed */
	char *config_path;
	time_t date;      /* the first Date a server sent, 0: none yet */
	char *date_from;  /* whose */
	time_t date_here; /* our clock when it came */
	size_t files, dirs;
	int file_failures;
};

static void doctor_say(struct doctor_run *run, const char *check,
    enum doctor_status st, const char *subject, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
doctor_say(struct doctor_run *run, const char *check, enum doctor_status st,
    const char *subject, const char *fix, const char *fmt, ...)
{
	struct doctor_result r;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r.check = check;
	r.status = st;
	r.subject = subject;
	r.message = msg;
	r.fix = st == DOCTOR_FAIL ? fix : NULL;
	if (st == DOCTOR_FAIL)
		run->failed++;
	run->report(run->ud, &r);
}

/* "'name'" as a shell word for a fix command. */
static char *
doctor_word(const char *s)
{
	return awsconfig_quote(s);
}

/* --- the config file --- */

/* What the check of every profile counts. */
struct doctor_profiles {
	struct doctor_run *run;
	size_t sso, ok;
};

/* One profile, resolved as the AWS CLI resolves it (--profile: that one
 * only); profiles that do not sign in through Identity Center are not
 * idc's business. */
static void
doctor_profile(const char *name, int signs_in, const struct awsconfig_sso *sso,
    const struct idc_err *why, void *ud)
{
	struct doctor_profiles *dp = ud;
	struct doctor_run *run = dp->run;
	char *q, *fix;

	if (!signs_in ||
	    (run->o->profile != NULL && strcmp(name, run->o->profile) != 0))
		return;
	dp->sso++;
	if (sso != NULL) {
		dp->ok++;
		return;
	}
	q = doctor_word(name);
	fix = xasprintf("idc configure --profile %s", q);
	doctor_say(run, "profile", DOCTOR_FAIL, name, fix, "%s", why->msg);
	free(fix);
	free(q);
}

static void
doctor_config(struct doctor_run *run)
{
	struct idc_err e = IDC_ERR_INIT;
	struct stat st;
	char **profiles = NULL, **sessions = NULL, *creds = NULL, *fix;
	struct doctor_profiles dp = { run, 0, 0 };
	size_t np = 0, ns = 0, nsso = 0, ok = 0;

	if (stat(run->config_path, &st) == -1 && errno == ENOENT) {
		doctor_say(run, "config", DOCTOR_FAIL, run->config_path,
		    "idc configure", "there is no config file '%s'",
		    run->config_path);
		return;
	}
	if (awsconfig_read(AWSCONFIG_CONFIG, run->config_path, &run->doc, &e) ==
	    -1) {
		fix = xasprintf("correct that line of '%s'", run->config_path);
		doctor_say(run, "config", DOCTOR_FAIL, run->config_path, fix,
		    "%s", e.msg);
		free(fix);
		run->doc = NULL;
		return;
	}
	profiles = awsconfig_names(run->doc, AWSCONFIG_PROFILE, &np);
	sessions = awsconfig_names(run->doc, AWSCONFIG_SSO_SESSION, &ns);
	doctor_say(run, "config", DOCTOR_PASS, run->config_path, NULL,
	    "'%s' reads as botocore reads it: %zu profile%s, %zu "
	    "sso-session%s",
	    run->config_path, np, np == 1 ? "" : "s", ns, ns == 1 ? "" : "s");
	/* One read of the file for all of them: 100,000 profiles cost what
	 * one does. */
	if (awsconfig_check_profiles(
		run->config_path, 0, doctor_profile, &dp, &e) == -1)
		doctor_say(run, "profile", DOCTOR_FAIL, run->config_path, NULL,
		    "%s", e.msg);
	nsso = dp.sso;
	ok = dp.ok;
	if (ok > 0)
		doctor_say(run, "profile", DOCTOR_PASS, NULL, NULL,
		    "%zu profile%s sign%s in through IAM Identity Center and "
		    "resolve%s as the AWS CLI resolves them",
		    ok, ok == 1 ? "" : "s", ok == 1 ? "s" : "",
		    ok == 1 ? "s" : "");
	if (nsso == 0 && ns == 0 && run->o->profile == NULL)
		doctor_say(run, "config", DOCTOR_FAIL, run->config_path,
		    "idc configure",
		    "nothing in '%s' signs in to IAM Identity Center",
		    run->config_path);
	/* The credentials file: botocore refuses it whole if it is bad. */
	if ((creds = paths_aws_credentials(&e)) != NULL &&
	    stat(creds, &st) == 0) {
		struct ini_doc *cd = NULL;

		if (awsconfig_read(AWSCONFIG_CREDENTIALS, creds, &cd, &e) ==
		    -1) {
			fix = xasprintf("correct that line of '%s'", creds);
			doctor_say(run, "config", DOCTOR_FAIL, creds, fix, "%s",
			    e.msg);
			free(fix);
		} else {
			doctor_say(run, "config", DOCTOR_PASS, creds, NULL,
			    "'%s' reads as botocore reads it", creds);
		}
		awsconfig_doc_free(cd);
	}
	free(creds);
	awsconfig_names_free(profiles);
	awsconfig_names_free(sessions);
}

/* --- sign-ins --- */

struct doctor_first {
	char *profile;
};

static int
doctor_first_profile(const char *profile, const struct awsconfig_values *v,
    void *ud, struct idc_err *err)
{
	struct doctor_first *f = ud;

	(void)v;
	(void)err;
	f->profile = xstrdup(profile);
	return -1; /* the first is enough */
}

/* The command that signs e in: by its session, or by a legacy profile. */
static char *
doctor_login_cmd(
    struct doctor_run *run, const struct status_entry *e, const char *extra)
{
	struct sso_ref ref = { e->session, e->start_url, e->region, NULL };
	struct doctor_first f = { NULL };
	struct idc_err ignore = IDC_ERR_INIT;
	char *q, *cmd;

	if (e->session != NULL) {
		q = doctor_word(e->session);
		cmd = xasprintf("idc login --sso-session %s%s", q, extra);
	} else {
		if (run->doc != NULL)
			awsconfig_profiles_using(
			    run->doc, &ref, doctor_first_profile, &f, &ignore);
		q = doctor_word(f.profile != NULL ? f.profile : "PROFILE");
		cmd = xasprintf("idc login --profile %s%s", q, extra);
		free(f.profile);
	}
	free(q);
	return cmd;
}

static const char *
doctor_name(const struct status_entry *e)
{
	return e->session != NULL ? e->session : e->start_url;
}

static void
doctor_token(struct doctor_run *run, const struct status_entry *e, time_t now)
{
	const char *name = doctor_name(e);
	char when[32], rel[48], reg[32], *fix = NULL;

	timefmt_utc(e->expires_at, when, sizeof when);
	timefmt_relative(e->expires_at, now, rel, sizeof rel);
	if (!e->signed_in) {
		fix = doctor_login_cmd(run, e, "");
		doctor_say(run, "token", DOCTOR_FAIL, name, fix,
		    "'%s': not signed in", name);
	} else if (e->state == STATUS_REJECTED) {
		fix = doctor_login_cmd(run, e, " --force");
		doctor_say(run, "token", DOCTOR_FAIL, name, fix,
		    "'%s': the server refused this token", name);
	} else if (e->state == STATUS_EXPIRED) {
		fix = doctor_login_cmd(run, e, "");
		doctor_say(run, "token", DOCTOR_FAIL, name, fix,
		    "'%s': expired at %s and cannot be refreshed", name, when);
	} else if (e->state == STATUS_EXPIRED_REFRESHABLE) {
		doctor_say(run, "token", DOCTOR_PASS, name, NULL,
		    "'%s': expired at %s; the next command refreshes it", name,
		    when);
	} else if (e->expires_at - now < DOCTOR_REFRESH_WINDOW &&
	    !e->refreshable) {
		fix = doctor_login_cmd(run, e, " --force");
		doctor_say(run, "token", DOCTOR_FAIL, name, fix,
		    "'%s': expires %s (%s) and cannot be refreshed", name, rel,
		    when);
	} else {
		doctor_say(run, "token", DOCTOR_PASS, name, NULL,
		    "'%s': valid until %s (%s)%s", name, when, rel,
		    e->expires_at - now < DOCTOR_REFRESH_WINDOW
			? ", inside the refresh window: the next command "
			  "refreshes it"
			: "");
	}
	free(fix);
	if (!e->signed_in)
		return;
	/* Refreshing needs the refresh token and a live registration. */
	timefmt_utc(e->registration_expires_at, reg, sizeof reg);
	if (!e->refreshable) {
		doctor_say(run, "refresh", DOCTOR_PASS, name, NULL,
		    "'%s': no refresh token (a sign-in without "
		    "sso_registration_scopes): sign in again when it expires",
		    name);
	} else if (e->registration_expires_at != 0 &&
	    e->registration_expires_at <= now) {
		fix = doctor_login_cmd(run, e, " --force");
		doctor_say(run, "refresh", DOCTOR_FAIL, name, fix,
		    "'%s': the client registration expired at %s, so the "
		    "token cannot be refreshed",
		    name, reg);
		free(fix);
	} else if (e->registration_expires_at != 0) {
		doctor_say(run, "refresh", DOCTOR_PASS, name, NULL,
		    "'%s': refreshable; the client registration lasts until "
		    "%s%s",
		    name, reg,
		    e->registration_expires_at - now < DOCTOR_REGISTRATION_SOON
			? " (within a week: the sign-in after it registers "
			  "again)"
			: "");
	} else {
		doctor_say(run, "refresh", DOCTOR_PASS, name, NULL,
		    "'%s': refreshable", name);
	}
}

static int
doctor_http(struct doctor_run *run, struct idc_err *err)
{
	struct http_options ho;

	if (run->http != NULL)
		return 0;
	memset(&ho, 0, sizeof ho);
	ho.connect_timeout_ms = run->o->timeout_ms;
	ho.total_timeout_ms = run->o->timeout_ms;
	ho.max_attempts = 1;
	run->http = http_client_new(&ho, err);
	return run->http != NULL ? 0 : -1;
}

static void
doctor_saw_date(struct doctor_run *run, time_t date, const char *from)
{
	if (date == 0 || run->date != 0)
		return;
	run->date = date;
	run->date_here = timefmt_now();
	run->date_from = xstrdup(from);
}

/* The fix for a request that did not reach the server. */
static const char *
doctor_net_fix(const struct idc_err *e)
{
	if (e->code == IDC_ETLS)
		return "set AWS_CA_BUNDLE to the certificate authority that "
		       "signs the server's certificate";
	return "check the network and the proxy variables (HTTPS_PROXY, "
	       "NO_PROXY); AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC "
	       "move the endpoints";
}

/* One API call, keeping the answer's Date for the clock check. */
static int
doctor_call(struct doctor_run *run, const char *base, const char *operation,
    const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, time_t *date, struct idc_err *err)
{
	struct apicall c;
	struct http_response resp;
	int r = -1;

	http_response_init(&resp);
	if (apicall_prepare(&c, base, operation, req, err) == -1)
		goto out;
	if (http_perform(run->http, &c.http, &resp, err) == -1)
		goto out;
	*date = resp.date;
	r = apicall_answer(&c, &resp, body, apierr, err);
out:
	http_response_release(&resp);
	apicall_release(&c);
	return r;
}

static void
doctor_server(struct doctor_run *run, const struct status_entry *e)
{
	struct sso_ref ref = { e->session, e->start_url, e->region, NULL };
	struct api_request req = { 0 };
	struct api_error apierr;
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct idc_err why = IDC_ERR_INIT;
	struct sso_token tok;
	const char *name = doctor_name(e);
	char *base = NULL, *fix = NULL;
	time_t date = 0;

	memset(&apierr, 0, sizeof apierr);
	if (e->state != STATUS_VALID) {
		if (e->state == STATUS_EXPIRED_REFRESHABLE)
			doctor_say(run, "server", DOCTOR_SKIP, name, NULL,
			    "'%s': not asked: the token has expired (the next "
			    "command refreshes it)",
			    name);
		return;
	}
	if (e->region == NULL || tokens_load(&ref, &tok, &why) == -1) {
		doctor_say(run, "server", DOCTOR_SKIP, name, NULL,
		    "'%s': not asked: %s", name,
		    e->region == NULL ? "no sso_region" : why.msg);
		return;
	}
	if ((base = endpoints_portal(e->region, &why)) == NULL ||
	    doctor_http(run, &why) == -1) {
		doctor_say(run, "server", DOCTOR_FAIL, name,
		    "idc doctor --debug shows more", "'%s': %s", name, why.msg);
		goto out;
	}
	portal_accounts_request(tok.access_token, NULL, 1, &req);
	if (doctor_call(run, base, "ListAccounts", &req, &body, &apierr, &date,
		&why) == 0) {
		doctor_say(run, "server", DOCTOR_PASS, name, NULL,
		    "'%s': the portal accepts the token (ListAccounts)", name);
	} else if (apierr.status == 401 || apierr.status == 403) {
		fix = doctor_login_cmd(run, e, " --force");
		doctor_say(run, "server", DOCTOR_FAIL, name, fix,
		    "'%s': the portal refused the token: %s", name, why.msg);
	} else if (apierr.status != 0) {
		doctor_say(run, "server", DOCTOR_FAIL, name,
		    "try again later; 'idc doctor --debug' shows the exchange",
		    "'%s': %s", name, why.msg);
	} else {
		doctor_say(run, "server", DOCTOR_FAIL, name,
		    doctor_net_fix(&why), "'%s': %s", name, why.msg);
	}
	doctor_saw_date(run, date, base);
out:
	api_request_release(&req);
	api_error_release(&apierr);
	idc_buf_release_secret(&body);
	sso_token_release(&tok);
	free(fix);
	free(base);
}

/* Does e belong to what --profile / --sso-session narrowed to? */
static int
doctor_selected(struct doctor_run *run, const struct status_entry *e)
{
	struct awsconfig_values v;

	if (strcmp(e->source, "config") != 0)
		return 0; /* a token no configured sign-in uses */
	if (run->o->session != NULL)
		return e->session != NULL &&
		    strcmp(e->session, run->o->session) == 0;
	if (run->o->profile == NULL)
		return 1;
	if (run->doc == NULL ||
	    awsconfig_values(
		run->doc, AWSCONFIG_PROFILE, run->o->profile, &v) == NULL)
		return 0;
	if (v.sso_session != NULL)
		return e->session != NULL &&
		    strcmp(e->session, v.sso_session) == 0;
	return e->session == NULL && v.start_url != NULL &&
	    strcmp(e->start_url, v.start_url) == 0;
}

/* --- endpoints and the clock --- */

static void
doctor_endpoint(struct doctor_run *run, const char *url)
{
	struct http_request req;
	struct http_response resp;
	struct idc_err why = IDC_ERR_INIT;
	char *probe;

	memset(&req, 0, sizeof req);
	http_response_init(&resp);
	probe = xasprintf("%s/", url);
	req.method = "GET";
	req.url = probe;
	req.no_retry = 1;
	if (doctor_http(run, &why) == -1 ||
	    http_perform(run->http, &req, &resp, &why) == -1)
		doctor_say(run, "endpoint", DOCTOR_FAIL, url,
		    doctor_net_fix(&why), "%s: %s", url, why.msg);
	else {
		doctor_say(run, "endpoint", DOCTOR_PASS, url, NULL,
		    "%s answers (HTTP %ld)", url, resp.status);
		doctor_saw_date(run, resp.date, url);
	}
	http_response_release(&resp);
	free(probe);
}

static void
doctor_endpoints(struct doctor_run *run, const struct status_list *l)
{
	struct idc_err why = IDC_ERR_INIT;
	char **seen = NULL, *urls[2];
	size_t nseen = 0, capseen = 0, i, j, k;

	for (i = 0; i < l->n; i++) {
		if (!doctor_selected(run, &l->v[i]) || l->v[i].region == NULL)
			continue;
		urls[0] = endpoints_oidc(l->v[i].region, &why);
		urls[1] = endpoints_portal(l->v[i].region, &why);
		for (k = 0; k < 2; k++) {
			if (urls[k] == NULL)
				continue;
			for (j = 0; j < nseen; j++)
				if (strcmp(seen[j], urls[k]) == 0)
					break;
			if (j < nseen) {
				free(urls[k]);
				continue;
			}
			doctor_endpoint(run, urls[k]);
			seen = xgrowarray(
			    seen, &capseen, nseen + 1, sizeof seen[0]);
			seen[nseen++] = urls[k];
		}
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
}

static void
doctor_clock(struct doctor_run *run)
{
	long max = run->o->max_skew > 0 ? run->o->max_skew : 300;
	long off;
	char rel[48];

	if (run->date == 0) {
		doctor_say(run, "clock", DOCTOR_SKIP, NULL, NULL,
		    "not checked: no server answered with its time");
		return;
	}
	off = (long)(run->date_here - run->date);
	timefmt_relative(run->date_here + (off < 0 ? -off : off),
	    run->date_here, rel, sizeof rel);
	/* "in 7m 3s" -> "7m 3s" */
	if (strncmp(rel, "in ", 3) == 0)
		memmove(rel, rel + 3, strlen(rel + 3) + 1);
	if (off > max || off < -max)
		doctor_say(run, "clock", DOCTOR_FAIL, run->date_from,
		    "set the clock right, e.g. 'timedatectl set-ntp true'",
		    "this clock is %s %s the server's (%s): tokens and "
		    "credentials will look expired or not yet valid",
		    rel, off > 0 ? "ahead of" : "behind", run->date_from);
	else
		doctor_say(run, "clock", DOCTOR_PASS, run->date_from, NULL,
		    "within %lds of the server's (%s)", off < 0 ? -off : off,
		    run->date_from);
}

/* --- files --- */

struct doctor_walk {
	struct doctor_run *run;
	int json_only; /* the SSO cache: only *.json files are secrets */
};

/* A secret file (0600) or its folder (0700) that others may read. */
static void
doctor_bad_mode(struct doctor_run *run, const char *path, const char *quoted,
    unsigned mode, int dir)
{
	char *fix = xasprintf("chmod %s %s", dir ? "700" : "600", quoted);

	doctor_say(run, "files", DOCTOR_FAIL, path, fix,
	    "%s'%s' is mode %04o: %s", dir ? "folder " : "", path, mode,
	    dir ? "others can see which secrets it holds"
		: "it holds secrets and must be 0600");
	run->file_failures++;
	free(fix);
}

static int
doctor_walk_one(const char *path, const struct stat *st, void *ud)
{
	struct doctor_walk *w = ud;
	struct doctor_run *run = w->run;
	size_t len = strlen(path);
	char *q = doctor_word(path), *fix;
	unsigned mode = (unsigned)st->st_mode & 07777;

	if (S_ISLNK(st->st_mode)) {
		fix = xasprintf("rm %s, then sign in again", q);
		doctor_say(run, "files", DOCTOR_FAIL, path, fix,
		    "'%s' is a symbolic link: idc never writes secrets "
		    "through one",
		    path);
		run->file_failures++;
		free(fix);
	} else if (S_ISDIR(st->st_mode)) {
		run->dirs++;
		if ((mode & 077) != 0)
			doctor_bad_mode(run, path, q, mode, 1);
	} else if (S_ISREG(st->st_mode) &&
	    (!w->json_only ||
		(len > 5 && strcmp(path + len - 5, ".json") == 0))) {
		run->files++;
		if ((mode & 077) != 0)
			doctor_bad_mode(run, path, q, mode, 0);
	}
	free(q);
	return 0;
}

static void
doctor_files(struct doctor_run *run)
{
	struct idc_err e = IDC_ERR_INIT;
	struct doctor_walk w = { run, 1 };
	struct stat st;
	char *dir, *creds, *aws, *q, *fix;

	if ((dir = paths_sso_cache_dir(&e)) != NULL) {
		if (fsutil_walk(dir, doctor_walk_one, &w, &e) == -1)
			doctor_say(run, "files", DOCTOR_FAIL, dir,
			    "check the folder's owner and mode", "%s", e.msg);
		free(dir);
	}
	w.json_only = 0;
	if ((dir = paths_idc_cache_dir(&e)) != NULL) {
		if (fsutil_walk(dir, doctor_walk_one, &w, &e) == -1)
			doctor_say(run, "files", DOCTOR_FAIL, dir,
			    "check the folder's owner and mode", "%s", e.msg);
		free(dir);
	}
	if ((creds = paths_aws_credentials(&e)) != NULL &&
	    lstat(creds, &st) == 0) {
		doctor_walk_one(creds, &st, &w);
		/* ~/.aws holds the config too (not a secret): only nobody
		 * else may replace what is in it. */
		aws = xstrdup(creds);
		*strrchr(aws, '/') = '\0';
		if (aws[0] != '\0' && lstat(aws, &st) == 0 &&
		    (st.st_mode & 022) != 0) {
			q = doctor_word(aws);
			fix = xasprintf("chmod go-w %s", q);
			doctor_say(run, "files", DOCTOR_FAIL, aws, fix,
			    "folder '%s' is mode %04o: others can replace "
			    "the credentials file",
			    aws, (unsigned)st.st_mode & 07777);
			run->file_failures++;
			free(fix);
			free(q);
		}
		free(aws);
	}
	free(creds);
	if (run->file_failures == 0 && run->files == 0)
		doctor_say(run, "files", DOCTOR_PASS, NULL, NULL,
		    "no secret files yet");
	else if (run->file_failures == 0)
		doctor_say(run, "files", DOCTOR_PASS, NULL, NULL,
		    "%zu secret file%s %s 0600 and %zu folder%s 0700",
		    run->files, run->files == 1 ? "" : "s",
		    run->files == 1 ? "is" : "are", run->dirs,
		    run->dirs == 1 ? "" : "s");
}

static void
doctor_writable(struct doctor_run *run, const char *dir)
{
	struct idc_err e = IDC_ERR_INIT;
	struct stat st;
	char *where = NULL, *q, *fix;

	if (fsutil_dir_writable(dir, &where, &e) == 0) {
		doctor_say(run, "cache", DOCTOR_PASS, dir, NULL,
		    "'%s' is writable", dir);
		return;
	}
	q = doctor_word(where);
	if (lstat(where, &st) == 0 && !S_ISDIR(st.st_mode))
		fix = xasprintf("move %s away: idc needs a folder there", q);
	else if (lstat(where, &st) == 0 && st.st_uid != geteuid())
		fix = xasprintf("sudo chown -R \"$(id -un)\" %s", q);
	else if (lstat(where, &st) == 0)
		fix = xasprintf("chmod u+rwx %s", q);
	else
		fix = xasprintf("point XDG_CACHE_HOME or HOME at a folder you "
				"can write");
	doctor_say(run, "cache", DOCTOR_FAIL, dir, fix, "%s", e.msg);
	free(fix);
	free(q);
	free(where);
}

static void
doctor_caches(struct doctor_run *run)
{
	struct idc_err e = IDC_ERR_INIT;
	char *dir;

	if ((dir = paths_sso_cache_dir(&e)) != NULL) {
		doctor_writable(run, dir);
		free(dir);
	}
	if ((dir = paths_idc_cache_dir(&e)) != NULL) {
		doctor_writable(run, dir);
		free(dir);
	} else {
		doctor_say(run, "cache", DOCTOR_FAIL, NULL,
		    "point XDG_CACHE_HOME at an absolute path", "%s", e.msg);
	}
}

/* A --profile or --sso-session must name one the config has (the error
 * says which, with a "did you mean"). */
static int
doctor_narrowed(struct doctor_run *run, struct idc_err *err)
{
	struct awsconfig_sso *sso = NULL;
	int r = 0;

	if (run->o->session != NULL)
		r = awsconfig_load_session(
		    run->config_path, run->o->session, &sso, err);
	else if (run->o->profile != NULL)
		r = awsconfig_load_profile(
		    run->config_path, run->o->profile, 0, &sso, err);
	awsconfig_sso_free(sso);
	return r;
}

int
doctor_run(const struct doctor_opts *opts, doctor_report_fn *report, void *ud,
    int *failed, struct idc_err *err)
{
	struct doctor_run run;
	struct status_list l;
	struct idc_err e = IDC_ERR_INIT;
	size_t i;
	int r = -1;

	memset(&run, 0, sizeof run);
	memset(&l, 0, sizeof l);
	run.o = opts;
	run.report = report;
	run.ud = ud;
	if ((run.config_path = paths_aws_config(err)) == NULL ||
	    doctor_narrowed(&run, err) == -1)
		goto out;
	doctor_config(&run);
	if (status_gather(opts->now, &l, &e) == 0) {
		for (i = 0; i < l.n; i++)
			if (doctor_selected(&run, &l.v[i])) {
				doctor_token(&run, &l.v[i], opts->now);
				doctor_server(&run, &l.v[i]);
			}
	}
	doctor_endpoints(&run, &l);
	doctor_clock(&run);
	doctor_files(&run);
	doctor_caches(&run);
	*failed = run.failed;
	r = 0;
out:
	status_list_release(&l);
	http_client_free(run.http);
	awsconfig_doc_free(run.doc);
	free(run.config_path);
	free(run.date_from);
	return r;
}
