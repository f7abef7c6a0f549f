/*
 * chain.c - one AssumeRole hop of role chaining, cached and single-flight
 * (see chain.h).
 */
#include "idc/flow/chain.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idc/core/cjson.h"

#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/sts.h"
#include "idc/net/endpoints.h"
#include "idc/net/sigv4.h"
#include "idc/store/awsconfig.h"
#include "idc/store/chaincache.h"
#include "idc/store/fsutil.h"

/* STS's bounds for DurationSeconds (chained sessions: an hour at most,
 * which STS enforces itself). */
#define CHAIN_DURATION_MIN 900
#define CHAIN_DURATION_MAX 43200

/* What one hop sends, checked. */
struct chain_hop {
	const struct awsconfig_creds *c;
	const char *region;
	char *endpoint;
	char duration[16]; /* "" when not set */
	char *key;         /* the cache-key document */
};

static const char *
chain_getenv(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int
chain_hop_init(const struct awsconfig_creds *c, const struct chain_source *src,
    struct chain_hop *h, struct idc_err *err)
{
	const char *p;
	cJSON *doc;
	char *end;
	long d;

	memset(h, 0, sizeof h[0]);
	h->c = c;
	for (p = c->role_arn; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			break;
	if (strncmp(c->role_arn, "arn:", 4) != 0 || *p != '\0' ||
	    strlen(c->role_arn) > 2048)
		return idc_err_set(err, IDC_ECONFIG,
		    "profile '%s': role_arn '%.80s' is not a role ARN "
		    "(arn:aws:iam::ACCOUNT:role/NAME)",
		    c->profile, c->role_arn);
	if (c->duration_seconds != NULL) {
		errno = 0;
		d = strtol(c->duration_seconds, &end, 10);
		if (c->duration_seconds[0] < '0' ||
		    c->duration_seconds[0] > '9' || *end != '\0' ||
		    errno != 0 || d < CHAIN_DURATION_MIN ||
		    d > CHAIN_DURATION_MAX)
			return idc_err_set(err, IDC_ECONFIG,
			    "profile '%s': duration_seconds '%.20s' is not a "
			    "number of seconds from %d to %d",
			    c->profile, c->duration_seconds, CHAIN_DURATION_MIN,
			    CHAIN_DURATION_MAX);
		snprintf(h->duration, sizeof h->duration, "%ld", d);
	}
	h->region = c->region;
	if (h->region == NULL)
		h->region = chain_getenv("AWS_REGION");
	if (h->region == NULL)
		h->region = chain_getenv("AWS_DEFAULT_REGION");
	if (h->region == NULL)
		h->region = STS_DEFAULT_REGION;
	if ((h->endpoint = endpoints_sts(h->region, err)) == NULL) {
		idc_err_prefix(err, "profile '%s': ", c->profile);
		return -1;
	}
	/* Every input that changes the result; sorted, compact.  A session
	 * name idc makes up is left out, as botocore leaves it out. */
	doc = cJSON_CreateObject();
	if (h->duration[0] != '\0')
		cJSON_AddStringToObject(doc, "DurationSeconds", h->duration);
	cJSON_AddStringToObject(doc, "Endpoint", h->endpoint);
	if (c->external_id != NULL)
		cJSON_AddStringToObject(doc, "ExternalId", c->external_id);
	cJSON_AddStringToObject(doc, "RoleArn", c->role_arn);
	if (c->role_session_name != NULL)
		cJSON_AddStringToObject(
		    doc, "RoleSessionName", c->role_session_name);
	if (c->mfa_serial != NULL)
		cJSON_AddStringToObject(doc, "SerialNumber", c->mfa_serial);
	cJSON_AddStringToObject(doc, "Source", src->identity);
	if (c->source_identity != NULL)
		cJSON_AddStringToObject(
		    doc, "SourceIdentity", c->source_identity);
	h->key = json_print(doc);
	cJSON_Delete(doc);
	return 0;
}

static void
chain_hop_release(struct chain_hop *h)
{
	free(h->endpoint);
	free(h->key);
}

/* The account and the role's name from an assumed role's ARN:
 * arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION. */
static void
chain_names(const char *arn, const char *role_arn, struct rolecreds *rc)
{
	const char *p = arn, *q;
	int i;

	for (i = 0; i < 4 && (p = strchr(p, ':')) != NULL; i++)
		p++;
	q = p != NULL ? strchr(p, ':') : NULL;
	rc->account_id = q != NULL ? xstrndup(p, (size_t)(q - p)) : xstrdup("");
	/* The role's own name, from role_arn (its path dropped). */
	p = strrchr(role_arn, '/');
	rc->role_name = xstrdup(p != NULL ? p + 1 : role_arn);
}

/* The cached entry if usable (1), none (0), or -1. */
static int
chain_usable(const struct chain_hop *h, const char *path, long min_ttl,
    time_t seen_before, struct chaincache_entry *out, time_t *seen,
    struct idc_err *err)
{
	struct chaincache_entry e;
	struct idc_err why = IDC_ERR_INIT;

	*seen = 0;
	memset(&e, 0, sizeof e);
	if (chaincache_load(path, h->key, &e, seen_before == 0, &why) == -1) {
		if (why.code == IDC_ENOTFOUND)
			return 0;
		if (err != NULL)
			*err = why;
		return -1;
	}
	if (rolecreds_reusable(e.rc.expiration, min_ttl, seen_before)) {
		*out = e;
		return 1;
	}
	log_debug("cached credentials of profile '%s' end in %ld s: "
		  "assuming the role again",
	    h->c->profile, (long)(e.rc.expiration - timefmt_now()));
	*seen = e.rc.expiration;
	chaincache_entry_release(&e);
	return 0;
}

/* AssumeRole for h, signed with src. */
static int
chain_fetch(const struct chain_hop *h, const struct chain_source *src,
    const struct chain_options *o, struct chaincache_entry *out,
    struct idc_err *err)
{
	const struct awsconfig_creds *c = h->c;
	struct sigv4_creds sc = { src->access_key_id, src->secret_access_key,
		src->session_token };
	struct awsquery_param p[7];
	struct awsquery_assumed a;
	char session[32], *code = NULL;
	size_t n = 0;
	int r = -1;

	memset(&a, 0, sizeof a);
	if (c->mfa_serial != NULL) {
		if (o->mfa_code == NULL) {
			idc_err_set(err, IDC_EAUTH,
			    "profile '%s' needs an MFA code for '%.100s' "
			    "(mfa_serial), and there is no terminal to ask "
			    "it at; run the command at a terminal",
			    c->profile, c->mfa_serial);
			goto out;
		}
		if (o->mfa_code(
			o->mfa_ud, c->profile, c->mfa_serial, &code, err) == -1)
			goto out;
	}
	snprintf(session, sizeof session, "idc-%lld", (long long)timefmt_now());
	p[n].name = "RoleArn";
	p[n++].value = c->role_arn;
	p[n].name = "RoleSessionName";
	p[n++].value =
	    c->role_session_name != NULL ? c->role_session_name : session;
	p[n].name = "ExternalId";
	p[n++].value = c->external_id;
	p[n].name = "DurationSeconds";
	p[n++].value = h->duration[0] != '\0' ? h->duration : NULL;
	p[n].name = "SerialNumber";
	p[n++].value = code != NULL ? c->mfa_serial : NULL;
	p[n].name = "TokenCode";
	p[n++].value = code;
	p[n].name = "SourceIdentity";
	p[n++].value = c->source_identity;
	log_debug("assuming role '%s' for profile '%s' in %s", c->role_arn,
	    c->profile, h->region);
	if (sts_assume_role(&sc, h->region, p, n, &a, err) == -1) {
		idc_err_prefix(err, "profile '%s': ", c->profile);
		goto out;
	}
	memset(out, 0, sizeof *out);
	out->rc.access_key_id = a.access_key_id;
	out->rc.secret_access_key = a.secret_access_key;
	out->rc.session_token = a.session_token;
	out->rc.expiration = a.expiration;
	out->arn = a.arn;
	a.access_key_id = a.secret_access_key = a.session_token = a.arn = NULL;
	chain_names(out->arn, c->role_arn, &out->rc);
	r = 0;
out:
	awsquery_assumed_release(&a);
	secret_free(code);
	return r;
}

int
chain_assume_role(const struct awsconfig_creds *c,
    const struct chain_source *src, const struct chain_options *o,
    struct rolecreds *out, char **arn, int *fetched, struct idc_err *err)
{
	struct fsutil_lock lock = FSUTIL_LOCK_INIT;
	struct chaincache_entry e;
	struct idc_err why = IDC_ERR_INIT;
	struct chain_hop h;
	char *path = NULL, *lockpath = NULL, *what = NULL;
	time_t seen = 0, seen2 = 0;
	int r = -1, u;

	memset(&e, 0, sizeof e);
	if (fetched != NULL)
		*fetched = 0;
	if (chain_hop_init(c, src, &h, err) == -1)
		goto out;
	if ((path = chaincache_path(h.key, err)) == NULL)
		goto out;
	if ((u = chain_usable(&h, path, o->min_ttl, 0, &e, &seen, err)) != 0)
		goto done;
	/* Single flight: one AssumeRole per key at a time; whoever waited
	 * looks again first. */
	if ((lockpath = chaincache_lock_path(h.key, err)) == NULL)
		goto out;
	what = xasprintf(
	    "another idc assuming the role of profile '%s'", c->profile);
	if (fsutil_lock_acquire(
		&lock, lockpath, ROLECREDS_LOCK_MS, what, err) == -1)
		goto out;
	u = chain_usable(&h, path, o->min_ttl, seen != 0 ? seen : (time_t)-1,
	    &e, &seen2, err);
	if (u != 0)
		goto done;
	if (chain_fetch(&h, src, o, &e, err) == -1)
		goto out;
	if (fetched != NULL)
		*fetched = 1;
	if ((long)(e.rc.expiration - timefmt_now()) <= o->min_ttl)
		log_warn("the role of profile '%s' lasts less than the minimum "
			 "of %ld s left (--min-ttl, IDC_MIN_TTL): every call "
			 "will assume it again",
		    c->profile, o->min_ttl);
	if (chaincache_save(path, h.key, &e, &why) == -1)
		log_warn("the credentials could not be cached: %s", why.msg);
	u = 1;
done:
	if (u == 1) {
		*out = e.rc;
		memset(&e.rc, 0, sizeof e.rc);
		if (arn != NULL) {
			*arn = e.arn;
			e.arn = NULL;
		}
		r = 0;
	}
out:
	fsutil_lock_release(&lock);
	chaincache_entry_release(&e);
	chain_hop_release(&h);
	free(what);
	free(lockpath);
	free(path);
	return r;
}
