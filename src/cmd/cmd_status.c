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

#include "idc/core/safetext.h"
#include "idc/core/err.h"
#include "idc/core/timefmt.h"
#include "idc/flow/status.h"
#include "idc/ui/output.h"

static void
status_time(time_t t, char *buf, size_t size)
{
	if (t == 0)
		snprintf(buf, size, "-");
	else
		timefmt_utc(t, buf, size);
}

static void
status_print_json(const struct status_list *l)
{
	struct outjson *arr = outjson_array(), *o, *roles, *ro;
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct status_entry *e = &l->v[i];

		o = outjson_add_object(arr, NULL);
		outjson_str(o, "session", e->session);
		outjson_str(o, "startUrl", e->start_url);
		outjson_str(o, "region", e->region);
		outjson_str(o, "source", e->source);
		outjson_str(o, "state", status_state_name(e->state));
		outjson_bool(o, "signedIn", e->signed_in);
		if (e->signed_in) {
			outjson_time(o, "expiresAt", e->expires_at);
			outjson_bool(o, "refreshToken", e->refreshable);
			if (e->registration_expires_at != 0)
				outjson_time(o, "registrationExpiresAt",
				    e->registration_expires_at);
		}
		outjson_str(o, "tokenFile", e->path);
		roles = outjson_add_array(o, "roleCredentials");
		for (j = 0; j < e->nroles; j++) {
			ro = outjson_add_object(roles, NULL);
			outjson_str(ro, "accountId", e->roles[j].account_id);
			outjson_str(ro, "roleName", e->roles[j].role_name);
			outjson_time(ro, "expiration", e->roles[j].expiration);
		}
	}
	outjson_print(arr, stdout);
}

static void
status_print_text(const struct status_list *l, time_t now, int table)
{
	char exp[32], reg[32], rel[32], *sess, *url, *region, *acct, *role;
	size_t i, j;

	if (table)
		printf("%-16s %-10s %-20s %-12s %-7s %-20s %s\n", "SESSION",
		    "REGION", "STATE", "EXPIRES", "REFRESH", "REGISTRATION",
		    "START URL");
	for (i = 0; i < l->n; i++) {
		const struct status_entry *e = &l->v[i];

		/* From cache files too: shown in their safe form. */
		sess = safetext_dup(e->session != NULL ? e->session : "-");
		url = safetext_dup(e->start_url);
		region = safetext_dup(e->region != NULL ? e->region : "-");
		status_time(e->signed_in ? e->expires_at : 0, exp, sizeof exp);
		status_time(e->registration_expires_at, reg, sizeof reg);
		if (e->signed_in)
			timefmt_relative(e->expires_at, now, rel, sizeof rel);
		else
			snprintf(rel, sizeof rel, "-");
		if (table)
			printf("%-16s %-10s %-20s %-12s %-7s %-20s %s\n", sess,
			    region, status_state_name(e->state), rel,
			    !e->signed_in        ? "-"
				: e->refreshable ? "yes"
						 : "no",
			    reg, url);
		else
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sess, url,
			    region, status_state_name(e->state), exp,
			    !e->signed_in        ? "-"
				: e->refreshable ? "yes"
						 : "no",
			    reg);
		free(sess);
		free(url);
		free(region);
		for (j = 0; j < e->nroles; j++) {
			acct = safetext_dup(e->roles[j].account_id);
			role = safetext_dup(e->roles[j].role_name);
			status_time(e->roles[j].expiration, exp, sizeof exp);
			timefmt_relative(
			    e->roles[j].expiration, now, rel, sizeof rel);
			/* Indented: a role line belongs to the sign-in above. */
			if (table)
				printf("  role %s %s: credentials expire %s\n",
				    acct, role, rel);
			else
				printf("\trole\t%s\t%s\t%s\n", acct, role, exp);
			free(acct);
			free(role);
		}
	}
}

static int
cmd_status_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct status_list l;
	time_t now = timefmt_now();
	int r = -1;

	/* No options of its own: any is an error (cmd_getopt says which). */
	if (cmd_getopt(ctx->cmd, argc, argv, err) != -1)
		return -1;
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	if (status_gather(now, &l, err) == -1)
		goto out;
	if (ctx->output == IDC_OUTPUT_JSON)
		status_print_json(&l);
	else
		status_print_text(&l, now, ctx->output == IDC_OUTPUT_TABLE);
	/* A newcomer: say so, and what comes first (stdout stays empty, as
	 * a script expects of no sign-ins). */
	if (l.n == 0 && ctx->output != IDC_OUTPUT_JSON && !ctx->quiet)
		fputs("Nothing is configured and nothing is signed in.\nRun "
		      "'idc configure' to set up an sso-session and a profile, "
		      "then 'idc login'.\n",
		    stderr);
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
	"(valid, expired, expired-refreshable,\nrejected, signed-out), token expiry, "
	"refresh token held, registration expiry; after\neach, one line per "
	"role whose credentials idc has cached: a tab, \"role\",\naccount, "
	"role, expiry.\n--output table aligns them "
	"with a header; --output json gives objects.",
	NULL,
	0,
	cmd_status_exec,
};
