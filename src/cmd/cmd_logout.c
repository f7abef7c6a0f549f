/*
 * cmd_logout.c - `idc logout [--all]`: end the sign-in at the server (the
 * Logout API, errors ignored as the AWS CLI does), then remove the token
 * and the role credentials cached for it.  Client registrations are kept.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/net/apierror.h"
#include "idc/store/awsconfig.h"
#include "idc/store/clicache.h"
#include "idc/net/endpoints.h"
#include "idc/core/err.h"
#include "idc/net/http.h"
#include "idc/store/ini.h"
#include "idc/store/listcache.h"
#include "idc/core/log.h"
#include "idc/net/portal.h"
#include "idc/flow/rolecreds.h"
#include "idc/net/apicall.h"
#include "idc/flow/target.h"
#include "idc/store/tokens.h"

enum { OPT_ALL = 256 };

struct logout_state {
	struct http_client *http;
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
logout_one_file(const char *path, const struct sso_token *tok, void *ud,
    struct idc_err *err)
{
	struct logout_state *st = ud;

	logout_remote(st, tok->region, tok->access_token);
	if (tokens_remove_file(path, err) == -1)
		return -1;
	st->count++;
	return 0;
}

/*
 * The AWS CLI caches role credentials per profile role and hands them out
 * without looking at the token: remove those of every profile that uses
 * this sign-in, as `aws sso logout` does, or the AWS CLI stays signed in.
 */
static int
logout_cli_cache(const struct target *t, struct idc_err *err)
{
	struct ini_doc *doc = NULL;
	struct ini_line *sec = NULL;
	const char *session, *url, *account, *role;
	enum awsconfig_kind kind;
	char *name = NULL;
	int r = 0;

	if (awsconfig_read(AWSCONFIG_CONFIG, t->config_path, &doc, err) == -1)
		return -1;
	while (r == 0 &&
	    (sec = awsconfig_next_section(doc, sec, &kind, &name)) != NULL) {
		if (kind != AWSCONFIG_PROFILE)
			continue;
		session = ini_get(doc, sec, "sso_session");
		url = ini_get(doc, sec, "sso_start_url");
		account = ini_get(doc, sec, "sso_account_id");
		role = ini_get(doc, sec, "sso_role_name");
		if (account == NULL || role == NULL)
			continue;
		if (t->ref.session_name != NULL ? session != NULL &&
			    strcmp(session, t->ref.session_name) == 0
						: session == NULL &&
			    url != NULL && strcmp(url, t->ref.start_url) == 0)
			r = clicache_remove_role(t->ref.session_name,
			    t->ref.start_url, account, role, err);
	}
	free(name);
	ini_free(doc);
	return r;
}

static int
logout_target(struct idc_ctx *ctx, struct logout_state *st, struct idc_err *err)
{
	struct target t;
	struct sso_token tok;
	struct idc_err none = IDC_ERR_INIT;
	int r = -1;

	if (target_resolve(ctx, 0, &t, err) == -1)
		return -1;
	if (tokens_load(&t.ref, &tok, &none) == 0) {
		logout_remote(st, t.ref.region, tok.access_token);
		sso_token_release(&tok);
		st->count++;
	}
	/* Also a corrupt or incomplete file: signed out means no file. */
	if (tokens_remove(&t.ref, err) == -1 ||
	    rolecreds_remove_for(&t.ref, NULL, err) == -1 ||
	    listcache_remove(&t.ref, err) == -1 ||
	    logout_cli_cache(&t, err) == -1)
		goto out;
	if (st->count > 0)
		printf("Signed out of '%s'\n", tokens_ref_name(&t.ref));
	else
		printf("Not signed in to '%s'\n", tokens_ref_name(&t.ref));
	r = 0;
out:
	target_release(&t);
	return r;
}

static int
cmd_logout_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, OPT_ALL },
		{ NULL, 0, NULL, 0 },
	};
	struct logout_state st = { NULL, 0 };
	int c, all = 0, r;

	while (
	    (c = cmd_getopt(ctx->cmd, argc, argv, "", longopts, err)) != -1) {
		if (c != OPT_ALL)
			return -1;
		all = 1;
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (all) {
		r = tokens_foreach(logout_one_file, &st, err);
		if (r == 0)
			r = rolecreds_remove_for(NULL, NULL, err);
		if (r == 0)
			r = listcache_remove_all(err);
		if (r == 0)
			r = clicache_remove_all_sso(NULL, err);
		if (r == 0)
			printf("Signed out of %d sign-in%s\n", st.count,
			    st.count == 1 ? "" : "s");
	} else {
		r = logout_target(ctx, &st, err);
	}
	http_client_free(st.http);
	return r;
}

static const struct cmd_option_help logout_options[] = {
	{ "--all", "every sign-in in the shared cache, not one profile's" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_logout_entry = {
	"logout",
	"[--all]",
	"sign out and remove cached tokens and credentials",
	"Calls the Logout API with the token (errors are ignored, as the AWS "
	"CLI does),\nthen removes the token from ~/.aws/sso/cache and the role "
	"credentials idc cached\nfor it.  Client registrations are kept.  After "
	"it, the AWS CLI is signed out too.",
	logout_options,
	CMD_NEEDS_CONFIG | CMD_NEEDS_NET,
	cmd_logout_exec,
};
