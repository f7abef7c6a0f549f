/*
 * rolecreds.c - role credentials from the cache, else the single-flight
 * GetRoleCredentials flow behind it (see rolecreds.h).
 *
 * The cached path is what SDKs run thousands of times a day through
 * credential_process, so it does as little as it can: one small file read
 * and parsed, no lock, no token, no libcurl (http.c loads it only when a
 * client is created, which happens only on a fetch).
 */
#include "idc/flow/rolecreds.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/auth.h"
#include "idc/net/apicall.h"
#include "idc/net/apierror.h"
#include "idc/net/endpoints.h"
#include "idc/net/http.h"
#include "idc/net/portal.h"
#include "idc/store/fsutil.h"
#include "idc/store/rolecache.h"
#include "idc/store/tokens.h"

/* Credentials another process cached while we waited are taken if they
 * last at least this long, even below min_ttl (a min_ttl longer than the
 * role's session must not turn N waiters into N fetches). */
#define ROLECREDS_FRESH_MIN 60

int
rolecreds_reusable(time_t expiration, long min_ttl, time_t seen_before)
{
	long left = (long)(expiration - timefmt_now());

	return left > min_ttl ||
	    (seen_before != 0 && expiration != seen_before &&
		left > ROLECREDS_FRESH_MIN);
}

int
rolecreds_min_ttl(const char *flag, long *out, struct idc_err *err)
{
	const char *v = flag, *what = "--min-ttl";
	char *end;
	long n;

	if (v == NULL) {
		v = getenv("IDC_MIN_TTL");
		what = "IDC_MIN_TTL";
		if (v == NULL || v[0] == '\0') {
			*out = ROLECREDS_MIN_TTL_DEFAULT;
			return 0;
		}
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || n < 0 ||
	    n > ROLECREDS_MIN_TTL_MAX)
		return idc_err_set(err, IDC_EUSAGE,
		    "%s '%s' is not a number of seconds from 0 to %d", what, v,
		    ROLECREDS_MIN_TTL_MAX);
	*out = n;
	return 0;
}

/* Describe a failed GetRoleCredentials answer for a person. */
static void
rolecreds_api_error(const struct rolecreds_target *t,
    const struct api_error *apierr, struct idc_err *err)
{
	char why[IDC_ERR_MSGMAX];

	if (err == NULL)
		return;
	memcpy(why, err->msg, sizeof why);
	why[sizeof why - 1] = '\0';
	if (err->code == IDC_EAUTH)
		idc_err_set(err, IDC_EAUTH,
		    "the sign-in to '%s' has expired or is otherwise invalid "
		    "(%s); run '%s'",
		    tokens_ref_name(t->ref), why, t->login_hint);
	else if (api_error_is(apierr, "ResourceNotFoundException"))
		idc_err_set(err, IDC_EDENIED,
		    "role '%s' in account '%s' is not assigned to the "
		    "sign-in '%s' (%s)",
		    t->role_name, t->account_id, tokens_ref_name(t->ref), why);
	else if (err->code == IDC_EDENIED)
		idc_err_set(err, IDC_EDENIED,
		    "access to role '%s' in account '%s' was denied (%s)",
		    t->role_name, t->account_id, why);
	else
		idc_err_prefix(err, "role '%s' in account '%s': ", t->role_name,
		    t->account_id);
	err->http_status = apierr->status;
}

/* GetRoleCredentials with a usable token: new credentials in *out. */
static int
rolecreds_fetch(const struct rolecreds_target *t, struct rolecreds *out,
    struct idc_err *err)
{
	struct sso_token tok;
	struct api_request req = { 0 };
	struct api_error apierr;
	struct portal_credentials pc = { NULL, NULL, NULL, 0 };
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_RESPONSE);
	struct http_client *http = NULL;
	struct idc_err ignore = IDC_ERR_INIT;
	char *base = NULL, when[32];
	int r = -1;

	memset(&tok, 0, sizeof tok);
	memset(&apierr, 0, sizeof apierr);
	if (auth_token(t->ref, t->login_hint, &tok, err) == -1)
		goto out;
	if ((base = endpoints_portal(t->ref->region, err)) == NULL)
		goto out;
	if ((http = http_client_new(NULL, err)) == NULL)
		goto out;
	portal_credentials_request(
	    tok.access_token, t->account_id, t->role_name, &req);
	if (apicall_send(http, base, "GetRoleCredentials", &req, &body, &apierr,
		err) == -1) {
		/* The portal refused the token (revoked by the server): it is
		 * marked, so that `idc login` signs in again. */
		if (apierr.status != 0 && err != NULL &&
		    err->code == IDC_EAUTH &&
		    tokens_reject(t->ref, &tok, &ignore) == -1)
			log_debug("%s", ignore.msg);
		if (apierr.status != 0)
			rolecreds_api_error(t, &apierr, err);
		goto out;
	}
	if (portal_credentials_parse(body.data, body.len, &pc, err) == -1)
		goto out;
	if (pc.expiration_ms / 1000 <= (long long)timefmt_now()) {
		timefmt_utc(
		    (time_t)(pc.expiration_ms / 1000), when, sizeof when);
		idc_err_set(err, IDC_ESERVER,
		    "GetRoleCredentials answered for role '%s' in account '%s' "
		    "with credentials that expired at %s; not using them",
		    t->role_name, t->account_id, when);
		goto out;
	}
	memset(out, 0, sizeof *out);
	out->access_key_id = pc.access_key_id;
	out->secret_access_key = pc.secret_access_key;
	out->session_token = pc.session_token;
	out->expiration = (time_t)(pc.expiration_ms / 1000);
	out->account_id = xstrdup(t->account_id);
	out->role_name = xstrdup(t->role_name);
	out->session_name =
	    t->ref->session_name != NULL ? xstrdup(t->ref->session_name) : NULL;
	out->start_url = xstrdup(t->ref->start_url);
	memset(&pc, 0, sizeof pc);
	log_debug("fetched credentials for role '%s' in account '%s'",
	    t->role_name, t->account_id);
	r = 0;
out:
	portal_credentials_release(&pc);
	idc_buf_release_secret(&body);
	api_error_release(&apierr);
	api_request_release(&req);
	http_client_free(http);
	free(base);
	sso_token_release(&tok);
	return r;
}

/*
 * The cached credentials of t if usable: 1 with *out set, 0 when there
 * are none or they run out too soon (*seen set to their expiry, or 0),
 * -1 on an error.  seen_before (not 0): the expiry seen before waiting
 * for the lock; other credentials are fresh from another process.
 */
static int
rolecreds_usable(const struct rolecreds_target *t, const char *path,
    long min_ttl, time_t seen_before, struct rolecreds *out, time_t *seen,
    struct idc_err *err)
{
	struct rolecreds rc;
	struct idc_err why = IDC_ERR_INIT;

	*seen = 0;
	/* Warn about a broken file once, before the lock, not again after. */
	if (rolecache_load_path(t, path, &rc, seen_before == 0, &why) == -1) {
		if (why.code == IDC_ENOTFOUND)
			return 0;
		if (err != NULL)
			*err = why;
		return -1;
	}
	/* rolecreds_reusable reads the clock: a cached call reads it once. */
	if (rolecreds_reusable(rc.expiration, min_ttl, seen_before)) {
		*out = rc;
		return 1;
	}
	log_debug("cached credentials for role '%s' in account '%s' end in "
		  "%ld s: fetching new ones",
	    t->role_name, t->account_id, (long)(rc.expiration - timefmt_now()));
	*seen = rc.expiration;
	rolecreds_release(&rc);
	return 0;
}

int
rolecreds_get(const struct rolecreds_target *t, long min_ttl,
    struct rolecreds *out, int *fetched, struct idc_err *err)
{
	struct fsutil_lock lock = FSUTIL_LOCK_INIT;
	struct rolecreds rc;
	struct idc_err why = IDC_ERR_INIT;
	char *path = NULL, *lockpath = NULL, *what = NULL;
	time_t seen = 0, seen2 = 0;
	int r = -1, u;

	memset(&rc, 0, sizeof rc);
	if (t->account_id == NULL || t->role_name == NULL)
		return idc_err_set(err, IDC_ECONFIG,
		    "no account and role to get credentials for: use a "
		    "profile with sso_account_id and sso_role_name "
		    "(--profile)");
	/* Signed out (by idc, or by `aws sso logout`, which removes the
	 * token): cached credentials of that sign-in are not handed out. */
	if (!tokens_exist(t->ref)) {
		idc_err_set(err, IDC_EAUTH, "not signed in to '%s'; run '%s'",
		    tokens_ref_name(t->ref), t->login_hint);
		goto out;
	}
	if ((path = rolecache_path(t, err)) == NULL)
		goto out;
	if ((u = rolecreds_usable(t, path, min_ttl, 0, out, &seen, err)) != 0) {
		r = u == 1 ? 0 : -1;
		if (r == 0 && fetched != NULL)
			*fetched = 0;
		goto out;
	}

	/* Single flight: one fetch per role at a time; whoever waited
	 * looks again first. */
	if ((lockpath = rolecache_lock_path(t, err)) == NULL)
		goto out;
	what = xasprintf("another idc fetching credentials for role '%s' in "
			 "account '%s'",
	    t->role_name, t->account_id);
	if (fsutil_lock_acquire(
		&lock, lockpath, ROLECREDS_LOCK_MS, what, err) == -1)
		goto out;
	u = rolecreds_usable(
	    t, path, min_ttl, seen != 0 ? seen : (time_t)-1, out, &seen2, err);
	if (u != 0) {
		r = u == 1 ? 0 : -1;
		if (r == 0 && fetched != NULL)
			*fetched = 0;
		goto out;
	}
	if (rolecreds_fetch(t, &rc, err) == -1)
		goto out;
	if ((long)(rc.expiration - timefmt_now()) <= min_ttl)
		log_warn(
		    "credentials for role '%s' last less than the minimum "
		    "of %ld s left (--min-ttl, IDC_MIN_TTL): every call will "
		    "fetch new ones",
		    t->role_name, min_ttl);
	if (rolecache_save_path(path, &rc, &why) == -1)
		log_warn("the credentials could not be cached: %s", why.msg);
	*out = rc;
	memset(&rc, 0, sizeof rc);
	if (fetched != NULL)
		*fetched = 1;
	r = 0;
out:
	fsutil_lock_release(&lock);
	rolecreds_release(&rc);
	free(what);
	free(lockpath);
	free(path);
	return r;
}
