/*
 * logout.c - the Logout API and removal of what a sign-in left in the
 * caches (see logout.h).
 */
#include "idc/flow/logout.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/cjson.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/flow/awscreds.h"
#include "idc/net/apicall.h"
#include "idc/net/endpoints.h"
#include "idc/net/http.h"
#include "idc/net/portal.h"
#include "idc/store/awsconfig.h"
#include "idc/store/chaincache.h"
#include "idc/store/clicache.h"
#include "idc/store/listcache.h"
#include "idc/store/paths.h"
#include "idc/store/rolecache.h"
#include "idc/store/tokens.h"

struct logout_state {
	struct http_client *http;
	const struct sso_ref *ref;
	int count;
};

/* Tell the portal the token is done with; failures only get a debug line
 * (the token is removed here whatever the server says). */
static void
logout_remote(struct logout_state *st, const char *region, const char *token)
{
	struct api_request req = { 0 };
	struct api_error apierr;
	struct idc_buf body = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct idc_err why = IDC_ERR_INIT;
	char *base;

	if (region == NULL || (base = endpoints_portal(region, &why)) == NULL)
		return;
	if (st->http == NULL &&
	    (st->http = http_client_new(NULL, &why)) == NULL) {
		log_debug("logout: %s", why.msg);
		free(base);
		return;
	}
	portal_logout_request(token, &req);
	if (apicall_send(
		st->http, base, "Logout", &req, &body, &apierr, &why) == -1) {
		log_debug("logout: %s", why.msg);
		api_error_release(&apierr);
	}
	api_request_release(&req);
	idc_buf_release(&body);
	free(base);
}

static int
logout_cli_role(const char *profile, const struct awsconfig_values *v, void *ud,
    struct idc_err *err)
{
	const struct logout_state *st = ud;

	(void)profile;
	if (v->account_id == NULL || v->role_name == NULL)
		return 0;
	return clicache_remove_role(st->ref->session_name, st->ref->start_url,
	    v->account_id, v->role_name, err);
}

/*
 * The AWS CLI caches role credentials per profile role and hands them out
 * without looking at the token: remove those of every profile that uses
 * this sign-in, as `aws sso logout` does, or the AWS CLI stays signed in.
 */
static int
logout_cli_cache(
    struct logout_state *st, const char *config_path, struct idc_err *err)
{
	struct ini_doc *doc = NULL;
	int r;

	if (awsconfig_read(AWSCONFIG_CONFIG, config_path, &doc, err) == -1)
		return -1;
	r = awsconfig_profiles_using(doc, st->ref, logout_cli_role, st, err);
	awsconfig_doc_free(doc);
	return r;
}

/* The sections `idc write-credentials` wrote for ref (NULL: any). */
static int
logout_static(const struct sso_ref *ref, int *removed, struct idc_err *err)
{
	char *path;
	int r;

	if ((path = paths_aws_credentials(err)) == NULL)
		return -1;
	r = awsconfig_remove_credentials(path, ref, removed, err);
	free(path);
	return r;
}

/* Whether a chained entry may derive from a sign-in: its source is an
 * IAM Identity Center role, or a role assumed in turn (whose own root is
 * not in the key).  Those from keys, the environment or a process stay. */
static int
logout_chained_from_sign_in(const char *key, void *ud)
{
	const char *kinds[2] = { awscreds_source_name(AWSCREDS_SSO),
		awscreds_source_name(AWSCREDS_ROLE) };
	cJSON *doc = json_parse_strict(key, strlen(key));
	char *source = json_dup_opt_str(doc, "Source");
	size_t i, n;
	int drop = source == NULL;

	(void)ud;
	for (i = 0; source != NULL && i < 2; i++) {
		n = strlen(kinds[i]);
		if (strncmp(source, kinds[i], n) == 0 && source[n] == ':')
			drop = 1;
	}
	free(source);
	cJSON_Delete(doc);
	return drop;
}

int
logout_one(const struct sso_ref *ref, const char *config_path, int *signed_in,
    int *creds_removed, struct idc_err *err)
{
	struct logout_state st = { NULL, ref, 0 };
	struct sso_token tok;
	struct idc_err none = IDC_ERR_INIT;
	int r = -1;

	if (tokens_load(ref, &tok, &none) == 0) {
		logout_remote(&st, ref->region, tok.access_token);
		sso_token_release(&tok);
		st.count++;
	}
	/* Also a corrupt or incomplete file: signed out means no file. */
	if (tokens_remove(ref, err) == -1 ||
	    rolecache_remove_for(ref, NULL, err) == -1 ||
	    listcache_remove(ref, err) == -1 ||
	    chaincache_remove_where(
		logout_chained_from_sign_in, NULL, NULL, err) == -1 ||
	    logout_cli_cache(&st, config_path, err) == -1 ||
	    logout_static(ref, creds_removed, err) == -1)
		goto out;
	*signed_in = st.count > 0;
	r = 0;
out:
	http_client_free(st.http);
	return r;
}

static int
logout_file(const char *path, const struct sso_token *tok, void *ud,
    struct idc_err *err)
{
	struct logout_state *st = ud;

	logout_remote(st, tok->region, tok->access_token);
	if (tokens_remove_file(path, err) == -1)
		return -1;
	st->count++;
	return 0;
}

int
logout_all(int *count, int *creds_removed, struct idc_err *err)
{
	struct logout_state st = { NULL, NULL, 0 };
	int r;

	r = tokens_foreach(logout_file, &st, err);
	if (r == 0)
		r = rolecache_remove_for(NULL, NULL, err);
	if (r == 0)
		r = listcache_remove_all(err);
	if (r == 0)
		r = chaincache_remove_where(
		    logout_chained_from_sign_in, NULL, NULL, err);
	if (r == 0)
		r = clicache_remove_all_sso(NULL, err);
	if (r == 0)
		r = logout_static(NULL, creds_removed, err);
	if (r == 0)
		*count = st.count;
	http_client_free(st.http);
	return r;
}
