/*
 * cmd_status.c - `idc status`: every sign-in known from the config file
 * and the shared cache, with token and refresh state and registration
 * expiry.  Never prints a secret.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "idc/store/awsconfig.h"
#include "idc/core/err.h"
#include "idc/store/ini.h"
#include "idc/core/json.h"
#include "idc/store/paths.h"
#include "idc/flow/rolecreds.h"
#include "idc/core/timefmt.h"
#include "idc/store/tokens.h"
#include "idc/core/xmalloc.h"

struct status_role {
	char *account_id;
	char *role_name;
	time_t expiration;
};

struct status_entry {
	struct status_role *roles; /* role credentials idc has cached */
	size_t nroles;
	char *session;   /* NULL: legacy profile or unknown */
	char *start_url; /* as configured, or as cached */
	char *region;
	char *source; /* "config" or "cache" */
	char *path;   /* the token file */
	int signed_in;
	time_t expires_at;
	int refreshable;
	time_t registration_expires_at;
};

struct status_list {
	struct status_entry *v;
	size_t n, cap;
};

static struct status_entry *
status_add(struct status_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof l->v[0]);
	}
	memset(&l->v[l->n], 0, sizeof l->v[0]);
	return &l->v[l->n++];
}

static void
status_list_release(struct status_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		for (size_t j = 0; j < l->v[i].nroles; j++) {
			free(l->v[i].roles[j].account_id);
			free(l->v[i].roles[j].role_name);
		}
		free(l->v[i].roles);
		free(l->v[i].session);
		free(l->v[i].start_url);
		free(l->v[i].region);
		free(l->v[i].source);
		free(l->v[i].path);
	}
	free(l->v);
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
status_fill(struct status_entry *e, const struct sso_token *tok)
{
	e->signed_in = 1;
	e->expires_at = tok->expires_at;
	e->refreshable = tok->refresh_token != NULL && tok->client_id != NULL;
	e->registration_expires_at = tok->registration_expires_at;
}

static int
status_role(
    const char *path, const struct rolecreds *rc, void *ud, struct idc_err *err)
{
	struct status_entry *e = ud;
	struct status_role *r;

	(void)path;
	(void)err;
	e->roles = xreallocarray(e->roles, e->nroles + 1, sizeof e->roles[0]);
	r = &e->roles[e->nroles++];
	r->account_id = xstrdup(rc->account_id);
	r->role_name = xstrdup(rc->role_name);
	r->expiration = rc->expiration;
	return 0;
}

/* One configured sign-in: an sso-session, or a legacy profile's URL. */
static void
status_config_entry(struct status_list *l, const char *session,
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
	    status_has_path(l, path)) {
		free(path);
		return;
	}
	e = status_add(l);
	e->session = session != NULL ? xstrdup(session) : NULL;
	e->start_url = xstrdup(start_url);
	e->region = region != NULL ? xstrdup(region) : NULL;
	e->source = xstrdup("config");
	e->path = path;
	if (tokens_load(&ref, &tok, &ignore) == 0) {
		status_fill(e, &tok);
		sso_token_release(&tok);
	}
	rolecreds_foreach(&ref, status_role, e, &ignore);
}

static int
status_from_config(struct status_list *l, struct idc_err *err)
{
	struct ini_doc *doc = NULL;
	struct ini_line *sec = NULL;
	char *path, *name = NULL;
	enum awsconfig_kind kind;

	if ((path = paths_aws_config(err)) == NULL)
		return -1;
	if (awsconfig_read(AWSCONFIG_CONFIG, path, &doc, err) == -1) {
		free(path);
		return -1;
	}
	while ((sec = awsconfig_next_section(doc, sec, &kind, &name)) != NULL) {
		if (kind == AWSCONFIG_SSO_SESSION)
			status_config_entry(l, name,
			    ini_get(doc, sec, "sso_start_url"),
			    ini_get(doc, sec, "sso_region"));
		else if (kind == AWSCONFIG_PROFILE &&
		    ini_get(doc, sec, "sso_session") == NULL)
			status_config_entry(l, NULL,
			    ini_get(doc, sec, "sso_start_url"),
			    ini_get(doc, sec, "sso_region"));
	}
	ini_free(doc);
	free(path);
	return 0;
}

/* Tokens in the cache that no configured sign-in names (written by
 * another tool, or for a session since removed from the config). */
static int
status_cached(const char *path, const struct sso_token *tok, void *ud,
    struct idc_err *err)
{
	struct status_list *l = ud;
	struct status_entry *e;

	(void)err;
	if (status_has_path(l, path))
		return 0;
	e = status_add(l);
	e->start_url = xstrdup(tok->start_url != NULL ? tok->start_url : "");
	e->region = tok->region != NULL ? xstrdup(tok->region) : NULL;
	e->source = xstrdup("cache");
	e->path = xstrdup(path);
	status_fill(e, tok);
	return 0;
}

static void
status_time(time_t t, char *buf, size_t size)
{
	if (t == 0)
		snprintf(buf, size, "-");
	else
		timefmt_utc(t, buf, size);
}

static const char *
status_state(const struct status_entry *e, time_t now)
{
	if (!e->signed_in)
		return "signed-out";
	if (e->expires_at > now)
		return "valid";
	return e->refreshable ? "expired-refreshable" : "expired";
}

static void
status_print_json(const struct status_list *l, time_t now)
{
	cJSON *arr = cJSON_CreateArray(), *o, *roles;
	char buf[32];
	size_t i, j;
	char *text;

	for (i = 0; i < l->n; i++) {
		const struct status_entry *e = &l->v[i];

		o = cJSON_CreateObject();
		if (e->session != NULL)
			cJSON_AddStringToObject(o, "session", e->session);
		else
			cJSON_AddNullToObject(o, "session");
		cJSON_AddStringToObject(o, "startUrl", e->start_url);
		if (e->region != NULL)
			cJSON_AddStringToObject(o, "region", e->region);
		else
			cJSON_AddNullToObject(o, "region");
		cJSON_AddStringToObject(o, "source", e->source);
		cJSON_AddStringToObject(o, "state", status_state(e, now));
		cJSON_AddBoolToObject(o, "signedIn", e->signed_in);
		if (e->signed_in) {
			status_time(e->expires_at, buf, sizeof buf);
			cJSON_AddStringToObject(o, "expiresAt", buf);
			cJSON_AddBoolToObject(
			    o, "refreshToken", e->refreshable);
			if (e->registration_expires_at != 0) {
				status_time(e->registration_expires_at, buf,
				    sizeof buf);
				cJSON_AddStringToObject(
				    o, "registrationExpiresAt", buf);
			}
		}
		cJSON_AddStringToObject(o, "tokenFile", e->path);
		roles = cJSON_AddArrayToObject(o, "roleCredentials");
		for (j = 0; j < e->nroles; j++) {
			cJSON *ro = cJSON_CreateObject();

			cJSON_AddStringToObject(
			    ro, "accountId", e->roles[j].account_id);
			cJSON_AddStringToObject(
			    ro, "roleName", e->roles[j].role_name);
			status_time(e->roles[j].expiration, buf, sizeof buf);
			cJSON_AddStringToObject(ro, "expiration", buf);
			cJSON_AddItemToArray(roles, ro);
		}
		cJSON_AddItemToArray(arr, o);
	}
	text = json_print_indented(arr);
	fputs(text, stdout);
	free(text);
	cJSON_Delete(arr);
}

static void
status_print_text(const struct status_list *l, time_t now, int table)
{
	char exp[32], reg[32], rel[32];
	size_t i, j;

	if (table)
		printf("%-16s %-10s %-20s %-12s %-7s %-20s %s\n", "SESSION",
		    "REGION", "STATE", "EXPIRES", "REFRESH", "REGISTRATION",
		    "START URL");
	for (i = 0; i < l->n; i++) {
		const struct status_entry *e = &l->v[i];

		status_time(e->signed_in ? e->expires_at : 0, exp, sizeof exp);
		status_time(e->registration_expires_at, reg, sizeof reg);
		if (e->signed_in)
			timefmt_relative(e->expires_at, now, rel, sizeof rel);
		else
			snprintf(rel, sizeof rel, "-");
		if (table)
			printf("%-16s %-10s %-20s %-12s %-7s %-20s %s\n",
			    e->session != NULL ? e->session : "-",
			    e->region != NULL ? e->region : "-",
			    status_state(e, now), rel,
			    !e->signed_in        ? "-"
				: e->refreshable ? "yes"
						 : "no",
			    reg, e->start_url);
		else
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			    e->session != NULL ? e->session : "-", e->start_url,
			    e->region != NULL ? e->region : "-",
			    status_state(e, now), exp,
			    !e->signed_in        ? "-"
				: e->refreshable ? "yes"
						 : "no",
			    reg);
		for (j = 0; j < e->nroles; j++) {
			status_time(e->roles[j].expiration, exp, sizeof exp);
			timefmt_relative(
			    e->roles[j].expiration, now, rel, sizeof rel);
			/* Indented: a role line belongs to the sign-in above. */
			if (table)
				printf("  role %s %s: credentials expire %s\n",
				    e->roles[j].account_id,
				    e->roles[j].role_name, rel);
			else
				printf("\trole\t%s\t%s\t%s\n",
				    e->roles[j].account_id,
				    e->roles[j].role_name, exp);
		}
	}
}

static int
cmd_status_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	struct status_list l = { NULL, 0, 0 };
	time_t now = time(NULL);
	int c, r = -1;

	while ((c = cmd_getopt(ctx->cmd, argc, argv, "", longopts, err)) != -1)
		return -1;
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (status_from_config(&l, err) == -1 ||
	    tokens_foreach(status_cached, &l, err) == -1)
		goto out;
	if (ctx->output == IDC_OUTPUT_JSON)
		status_print_json(&l, now);
	else
		status_print_text(&l, now, ctx->output == IDC_OUTPUT_TABLE);
	r = 0;
out:
	status_list_release(&l);
	return r;
}

const struct cmd_entry cmd_status_entry = {
	"status",
	"",
	"sessions, token expiry and cached role credentials",
	"One line per sign-in known from the config file ([sso-session] "
	"sections and\nlegacy profiles) or found in ~/.aws/sso/cache.  Text "
	"columns, tab-separated:\nsession, start URL, region, state "
	"(valid, expired, expired-refreshable,\nsigned-out), token expiry, "
	"refresh token held, registration expiry; after\neach, one line per "
	"role whose credentials idc has cached: a tab, \"role\",\naccount, "
	"role, expiry.\n--output table aligns them "
	"with a header; --output json gives objects.",
	NULL,
	CMD_NEEDS_CONFIG,
	cmd_status_exec,
};
