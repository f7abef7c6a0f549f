/*
 * status.c - the sign-in status model from the config file, the shared
 * token cache and idc's role credential cache (see status.h).
 */
#include "idc/flow/status.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/creds.h"
#include "idc/core/err.h"
#include "idc/core/xmalloc.h"
#include "idc/store/awsconfig.h"
#include "idc/store/paths.h"
#include "idc/store/rolecache.h"
#include "idc/store/tokens.h"

struct status_run {
	struct status_list *l;
	time_t now;
};

static struct status_entry *
status_add(struct status_list *l)
{
	l->v = xgrowarray(l->v, &l->cap, l->n + 1, sizeof l->v[0]);
	memset(&l->v[l->n], 0, sizeof l->v[0]);
	return &l->v[l->n++];
}

void
status_list_release(struct status_list *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->v[i].nroles; j++) {
			free(l->v[i].roles[j].account_id);
			free(l->v[i].roles[j].role_name);
		}
		free(l->v[i].roles);
		free(l->v[i].session);
		free(l->v[i].start_url);
		free(l->v[i].region);
		free(l->v[i].path);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

const char *
status_state_name(enum status_state s)
{
	switch (s) {
	case STATUS_VALID:
		return "valid";
	case STATUS_EXPIRED_REFRESHABLE:
		return "expired-refreshable";
	case STATUS_EXPIRED:
		return "expired";
	case STATUS_REJECTED:
		return "rejected";
	default:
		return "signed-out";
	}
}

static int
status_has_path(const struct status_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].path != NULL && strcmp(l->v[i].path, path) == 0)
			return 1;
	return 0;
}

static void
status_fill(struct status_entry *e, const struct sso_token *tok, time_t now)
{
	e->signed_in = 1;
	e->expires_at = tok->expires_at;
	e->refreshable = tok->refresh_token != NULL && tok->client_id != NULL;
	e->registration_expires_at = tok->registration_expires_at;
	if (tokens_rejected_at(e->path, tok))
		e->state = STATUS_REJECTED;
	else if (tok->expires_at > now)
		e->state = STATUS_VALID;
	else
		e->state = e->refreshable ? STATUS_EXPIRED_REFRESHABLE
					  : STATUS_EXPIRED;
}

static int
status_role(
    const char *path, const struct rolecreds *rc, void *ud, struct idc_err *err)
{
	struct status_entry *e = ud;
	struct status_role *r;

	(void)path;
	(void)err;
	e->roles = xgrowarray(
	    e->roles, &e->caproles, e->nroles + 1, sizeof e->roles[0]);
	r = &e->roles[e->nroles++];
	r->account_id = xstrdup(rc->account_id);
	r->role_name = xstrdup(rc->role_name);
	r->expiration = rc->expiration;
	return 0;
}

/* One configured sign-in: an sso-session, or a legacy profile's URL. */
static void
status_config_entry(struct status_run *run, const char *session,
    const char *start_url, const char *region)
{
	struct sso_ref ref = { session, start_url, region, NULL };
	struct status_entry *e;
	struct sso_token tok;
	struct idc_err ignore = IDC_ERR_INIT;
	char *path;

	if (start_url == NULL)
		return;
	if ((path = tokens_token_path(&ref, &ignore)) == NULL ||
	    status_has_path(run->l, path)) {
		free(path);
		return;
	}
	e = status_add(run->l);
	e->session = session != NULL ? xstrdup(session) : NULL;
	e->start_url = xstrdup(start_url);
	e->region = region != NULL ? xstrdup(region) : NULL;
	e->source = "config";
	e->path = path;
	if (tokens_load(&ref, &tok, &ignore) == 0) {
		status_fill(e, &tok, run->now);
		sso_token_release(&tok);
	}
	rolecache_foreach(&ref, status_role, e, &ignore);
}

static int
status_section(const char *name, enum awsconfig_kind kind,
    const struct awsconfig_values *v, void *ud, struct idc_err *err)
{
	(void)err;
	if (kind == AWSCONFIG_SSO_SESSION)
		status_config_entry(ud, name, v->start_url, v->sso_region);
	else if (kind == AWSCONFIG_PROFILE && v->sso_session == NULL)
		status_config_entry(ud, NULL, v->start_url, v->sso_region);
	return 0;
}

static int
status_from_config(struct status_run *run, struct idc_err *err)
{
	struct ini_doc *doc = NULL;
	char *path;
	int r = -1;

	if ((path = paths_aws_config(err)) == NULL)
		return -1;
	if (awsconfig_read(AWSCONFIG_CONFIG, path, &doc, err) == 0)
		r = awsconfig_foreach_section(doc, status_section, run, err);
	awsconfig_doc_free(doc);
	free(path);
	return r;
}

/* Tokens in the cache that no configured sign-in names (written by
 * another tool, or for a session since removed from the config). */
static int
status_cached(const char *path, const struct sso_token *tok, void *ud,
    struct idc_err *err)
{
	struct status_run *run = ud;
	struct status_entry *e;

	(void)err;
	if (status_has_path(run->l, path))
		return 0;
	e = status_add(run->l);
	e->start_url = xstrdup(tok->start_url != NULL ? tok->start_url : "");
	e->region = tok->region != NULL ? xstrdup(tok->region) : NULL;
	e->source = "cache";
	e->path = xstrdup(path);
	status_fill(e, tok, run->now);
	return 0;
}

int
status_gather(time_t now, struct status_list *out, struct idc_err *err)
{
	struct status_run run = { out, now };

	memset(out, 0, sizeof *out);
	if (status_from_config(&run, err) == -1 ||
	    tokens_foreach(status_cached, &run, err) == -1)
		return -1;
	return 0;
}
