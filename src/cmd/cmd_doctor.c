/*
 * cmd_doctor.c - `idc doctor`: run the checks of flow/doctor.h and print
 * one line per check, each failure with the command or setting that fixes
 * it (or, with --output json, one object).  Exit 0 when every check
 * passes, 1 otherwise.
 */
#include "idc/cmd/cmd.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "idc/core/safetext.h"
#include "idc/core/err.h"
#include "idc/core/timefmt.h"
#include "idc/flow/doctor.h"
#include "idc/ui/output.h"

struct doctor_print {
	struct outjson *checks; /* --output json */
};

static const char *
doctor_status_name(enum doctor_status s)
{
	return s == DOCTOR_PASS ? "pass" : s == DOCTOR_FAIL ? "fail" : "skip";
}

static void
doctor_report(void *ud, const struct doctor_result *r)
{
	struct doctor_print *p = ud;
	struct outjson *o;

	if (p->checks != NULL) {
		o = outjson_add_object(p->checks, NULL);
		outjson_str(o, "check", r->check);
		outjson_str(o, "status", doctor_status_name(r->status));
		outjson_str(o, "subject", r->subject);
		outjson_str(o, "message", r->message);
		outjson_str(o, "fix", r->fix);
		return;
	}
	printf("%-4s  %-8s  ",
	    r->status == DOCTOR_PASS       ? "ok"
		: r->status == DOCTOR_FAIL ? "FAIL"
					   : "skip",
	    r->check);
	/* Paths and names come from files: their safe form. */
	safetext_fputs(r->message, stdout);
	if (r->fix != NULL) {
		fputs("; fix: ", stdout);
		safetext_fputs(r->fix, stdout);
	}
	putchar('\n');
	fflush(stdout);
}

static int
cmd_doctor_exec(struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct doctor_opts opts;
	struct doctor_print p = { NULL };
	struct outjson *root = NULL;
	int failed = 0;

	/* No options of its own: any is an error (cmd_getopt says which). */
	if (cmd_getopt(ctx->cmd, argc, argv, err) != -1)
		return -1;
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	memset(&opts, 0, sizeof opts);
	opts.profile = ctx->profile;
	opts.session = ctx->profile == NULL ? ctx->sso_session : NULL;
	opts.now = timefmt_now();
	if (ctx->output == IDC_OUTPUT_JSON) {
		root = outjson_object();
		p.checks = outjson_add_array(root, "checks");
	}
	if (doctor_run(&opts, doctor_report, &p, &failed, err) == -1) {
		outjson_free(root);
		return -1;
	}
	if (root != NULL) {
		outjson_bool(root, "ok", failed == 0);
		outjson_num(root, "failed", failed);
		outjson_print(root, stdout);
	}
	if (failed > 0)
		return idc_err_set(err, IDC_EFAIL,
		    "%d check%s failed; each says what fixes it", failed,
		    failed == 1 ? "" : "s");
	return 0;
}

static const struct cmd_option doctor_options[] = {
	{ "profile", CMD_GLOBAL, "NAME", "check only this profile's sign-in",
	    NULL },
	{ "sso-session", CMD_GLOBAL, "NAME", "check only this sso-session",
	    NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_doctor_entry = {
	"doctor",
	"",
	"check config, sign-ins, file modes, clock and endpoints",
	"Checks what idc depends on and prints one line per check: the config "
	"file as\nbotocore reads it; each sign-in's token (present, expiry, "
	"refresh window,\nregistration expiry) and that the server still "
	"accepts it (one ListAccounts\ncall); the modes of secret files (0600) "
	"and their folders (0700); the clock\nagainst the server's; that the "
	"endpoints answer; that the cache folders are\nwritable.  A failure "
	"says what fixes it.  --profile or --sso-session checks\nthat sign-in "
	"only.  Exit status 0 when every check passes, 1 otherwise.",
	doctor_options,
	CMD_LONG_DEADLINE,
	cmd_doctor_exec,
};
