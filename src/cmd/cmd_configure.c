/*
 * cmd_configure.c - `idc configure`: the `aws configure sso` wizard.  An
 * sso-session (existing ones offered), sign-in when needed, the account
 * and the role from a menu with arrow keys and type-to-filter (one is
 * taken without asking), then region, output format and profile name;
 * [profile] and [sso-session] are written through the lossless editor,
 * and re-running updates them in place.
 *
 * Every answer is also a flag.  With --non-interactive nothing is asked:
 * an answer that is neither given nor known is a usage error naming its
 * flag.  Without a terminal (or with CI set) and without the flag, a
 * missing answer fails with exit status 3 and the command that gives it.
 * The questions come before the config lock is taken; the edit re-reads
 * the file under the lock.
 */
#include "idc/cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/suggest.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/auth.h"
#include "idc/flow/portal_list.h"
#include "idc/store/awsconfig.h"
#include "idc/store/paths.h"
#include "idc/store/tokens.h"
#include "idc/store/validate.h"
#include "idc/ui/output.h"
#include "idc/ui/signin.h"
#include "idc/ui/ui.h"
#include "idc/ui/ui_menu.h"

#define CONFIGURE_DEFAULT_SCOPES "sso:account:access"
#define CONFIGURE_WAIT_LIMIT_MS  (10L * 60 * 1000)

enum {
	OPT_URL = 256,
	OPT_SSO_REGION,
	OPT_SCOPES,
	OPT_ACCOUNT,
	OPT_ROLE,
	OPT_REGION,
	OPT_OUTPUT_FORMAT,
	OPT_NONINTERACTIVE,
	OPT_NO_LOGIN,
};

/* The answers, as given, asked or kept from the file. */
struct configure {
	const struct idc_ctx *ctx;
	int ask;            /* a person answers questions */
	int noninteractive; /* --non-interactive */
	const char *session;
	const char *start_url;
	const char *sso_region;
	const char *scopes; /* NULL: leave the session's as it is */
	const char *account_id;
	const char *role_name;
	const char *region; /* NULL: leave as it is */
	const char *output; /* NULL: leave as it is */
	const char *profile;
	const char *login_flow;  /* the session's idc_login_flow, or NULL */
	const char *config_path; /* the config file */
	char *owned[16];         /* answers to free */
	size_t nowned;
};

static const char *
configure_keep(struct configure *cf, char *s)
{
	if (s != NULL && cf->nowned < sizeof cf->owned / sizeof cf->owned[0])
		cf->owned[cf->nowned++] = s;
	return s;
}

/*
 * An answer that is neither given nor known and cannot be asked: a usage
 * error naming the flag with --non-interactive, else (no terminal) exit 3
 * with the command that does it without questions.
 */
static int
configure_missing(const struct configure *cf, const char *flag,
    const char *what, struct idc_err *err)
{
	if (cf->noninteractive)
		return cmd_usage_error(
		    cf->ctx->cmd, err, "%s is needed: pass %s", what, flag);
	return idc_err_set(err, IDC_EAUTH,
	    "cannot ask for the %s: stdin is not a terminal (or CI is set); "
	    "pass %s, or run 'idc configure --non-interactive' with every "
	    "answer as a flag",
	    what, flag);
}

/* The profile name must come back from its section header unchanged. */
static int
configure_check_profile(const char *v, void *ud, struct idc_err *err)
{
	char *header, *back = NULL;
	int ok;

	(void)ud;
	if (validate_name(v, "profile name", err) == -1)
		return -1;
	header = awsconfig_section_header(AWSCONFIG_PROFILE, v);
	ok = awsconfig_section_kind(header, strlen(header), &back) ==
		AWSCONFIG_PROFILE &&
	    back != NULL && strcmp(back, v) == 0;
	free(back);
	free(header);
	if (!ok)
		return idc_err_set(err, IDC_EUSAGE,
		    "the profile name '%s' cannot be written to a section "
		    "header",
		    v);
	return 0;
}

/* Ask (or take the flag, or keep current): *out is the answer or NULL. */
static int
configure_value(struct configure *cf, const char *flag_value, const char *label,
    const char *current, unsigned flags,
    int (*check)(const char *, void *, struct idc_err *), const char **out,
    struct idc_err *err)
{
	char *answer = NULL;

	if (flag_value != NULL || !cf->ask) {
		*out = flag_value != NULL ? flag_value : current;
		return 0;
	}
	if (ui_prompt(label, current, flags, check, NULL, &answer, err) == -1)
		return -1;
	*out = configure_keep(cf, answer);
	return 0;
}

/* The names of the [sso-session] sections, comma-separated, or NULL;
 * *only is set to the name when there is exactly one (allocated). */
static char *
configure_sessions(const struct ini_doc *doc, char **only)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	char **names = awsconfig_names(doc, AWSCONFIG_SSO_SESSION, NULL);
	size_t i;

	*only = names[0] != NULL && names[1] == NULL ? xstrdup(names[0]) : NULL;
	for (i = 0; names[i] != NULL; i++)
		if (idc_buf_addf(&b, "%s%s", i > 0 ? ", " : "", names[i]) == -1)
			break;
	awsconfig_names_free(names);
	if (b.len == 0) {
		idc_buf_release(&b);
		return NULL;
	}
	return idc_buf_detach(&b, NULL);
}

/* Sign in (or reuse the token), as `idc login` would here. */
static int
configure_login(
    const struct configure *cf, const struct sso_ref *ref, struct idc_err *err)
{
	struct auth_login_opts opts;
	struct auth_events ev;
	struct signin_view view;
	struct sso_token tok;
	char *quoted, *refuse = NULL;
	int reused = 0, r;

	memset(&opts, 0, sizeof opts);
	memset(&tok, 0, sizeof tok);
	/* Signing in needs a person: not without a terminal, and not when
	 * told not to ask anything. */
	if (!cf->ask) {
		quoted = awsconfig_quote(cf->session);
		refuse = xasprintf("not signed in to '%s', and %s; run 'idc "
				   "login --sso-session %s' first, or pass "
				   "--account-id and --role-name",
		    cf->session,
		    cf->noninteractive ? "--non-interactive does not sign in"
				       : "there is no terminal to sign in from",
		    quoted);
		free(quoted);
		opts.refuse = refuse;
	}
	opts.config_flow = cf->login_flow;
	opts.config_file = cf->config_path;
	opts.paste = cf->ask;
	opts.wait_limit_ms = CONFIGURE_WAIT_LIMIT_MS;
	signin_view_init(
	    &view, cf->ctx->interactive, cf->ctx->interactive ? -1 : 0, -1);
	cmd_signin_events(&view, &ev);
	cmd_signin_place(&opts);
	opts.events = &ev;
	r = auth_login(ref, &opts, &tok, &reused, err);
	sso_token_release(&tok);
	free(refuse);
	return r;
}

/* One of n labels: the only one without asking, else a menu. */
static int
configure_pick(struct configure *cf, const char *const *labels, size_t n,
    const char *flag, const char *what, size_t *choice, struct idc_err *err)
{
	if (n == 1) {
		*choice = 0;
		return 0;
	}
	if (!cf->ask)
		return configure_missing(cf, flag, what, err);
	return ui_menu_choose(labels, n, choice, err);
}

static int
configure_account(struct configure *cf, const struct sso_ref *ref,
    const char *login_hint, struct idc_err *err)
{
	struct portal_list_opts o;
	struct listing l;
	char **labels = NULL;
	size_t i, choice = 0;
	int r = -1;

	memset(&o, 0, sizeof o);
	memset(&l, 0, sizeof l);
	o.ref = ref;
	o.login_hint = login_hint;
	if (portal_list_fetch(&o, &l, NULL, err) == -1)
		goto out;
	if (l.count == 0) {
		idc_err_set(err, IDC_EDENIED,
		    "no AWS accounts are available to the sign-in '%s'",
		    cf->session);
		goto out;
	}
	if (l.count == 1)
		fprintf(stderr,
		    "The only AWS account available to you is: %s\n",
		    l.accounts[0].account_id);
	else if (cf->ask)
		fprintf(stderr,
		    "There are %zu AWS accounts available to you.\n", l.count);
	labels = xcalloc(l.count + 1, sizeof labels[0]);
	for (i = 0; i < l.count; i++)
		labels[i] = listing_account_label(&l.accounts[i]);
	if (configure_pick(cf, (const char *const *)labels, l.count,
		"--account-id ID", "account", &choice, err) == -1)
		goto out;
	cf->account_id =
	    configure_keep(cf, xstrdup(l.accounts[choice].account_id));
	fprintf(stderr, "Using the account ID %s\n", cf->account_id);
	r = 0;
out:
	for (i = 0; labels != NULL && i < l.count; i++)
		free(labels[i]);
	free(labels);
	listing_release(&l);
	return r;
}

static int
configure_role(struct configure *cf, const struct sso_ref *ref,
    const char *login_hint, struct idc_err *err)
{
	struct portal_list_opts o;
	struct listing l;
	const struct listing_account *a;
	size_t choice = 0;
	int r = -1;

	memset(&o, 0, sizeof o);
	memset(&l, 0, sizeof l);
	o.ref = ref;
	o.login_hint = login_hint;
	o.flags = PORTAL_LIST_ROLES;
	o.account_id = cf->account_id;
	if (portal_list_fetch(&o, &l, NULL, err) == -1)
		goto out;
	a = &l.accounts[0];
	if (a->roles_state != LISTING_ROLES_OK) {
		if (err != NULL)
			*err = a->roles_err;
		idc_err_prefix(err, "account '%s': ", cf->account_id);
		goto out;
	}
	if (a->nroles == 0) {
		idc_err_set(err, IDC_EDENIED,
		    "no roles are available for the account %s",
		    cf->account_id);
		goto out;
	}
	if (a->nroles == 1)
		fprintf(stderr, "The only role available to you is: %s\n",
		    a->roles[0]);
	else if (cf->ask)
		fprintf(stderr, "There are %zu roles available to you.\n",
		    a->nroles);
	if (configure_pick(cf, (const char *const *)a->roles, a->nroles,
		"--role-name ROLE", "role", &choice, err) == -1)
		goto out;
	cf->role_name = configure_keep(cf, xstrdup(a->roles[choice]));
	fprintf(stderr, "Using the role name \"%s\"\n", cf->role_name);
	r = 0;
out:
	listing_release(&l);
	return r;
}

/*
 * --account-id and --role-name against the listing, when signed in (a
 * listing that cannot be had, without a sign-in, checks nothing): an
 * account or role that is not there is refused, naming those that are.
 */
static int
configure_verify(struct configure *cf, const struct sso_ref *ref,
    const char *login_hint, struct idc_err *err)
{
	struct portal_list_opts o;
	struct listing l, roles;
	struct idc_err why = IDC_ERR_INIT;
	struct idc_buf names = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	const struct listing_account *a = NULL;
	const char **ids = NULL, *hint;
	size_t i;
	int r = -1;

	memset(&o, 0, sizeof o);
	memset(&l, 0, sizeof l);
	memset(&roles, 0, sizeof roles);
	o.ref = ref;
	o.login_hint = login_hint;
	if (portal_list_fetch(&o, &l, NULL, &why) == -1) {
		log_debug(
		    "configure: not checking --account-id/--role-name: %s",
		    why.msg);
		r = 0;
		goto out;
	}
	ids = xcalloc(l.count + 1, sizeof ids[0]);
	for (i = 0; i < l.count; i++) {
		ids[i] = l.accounts[i].account_id;
		if (strcmp(ids[i], cf->account_id) == 0)
			a = &l.accounts[i];
	}
	if (a == NULL) {
		suggest_list(&names, ids, l.count, 10);
		idc_err_set(err, IDC_EUSAGE,
		    "account '%s' is not available to the sign-in '%s'; the "
		    "account%s: %s",
		    cf->account_id, cf->session, l.count == 1 ? " is" : "s are",
		    idc_buf_cstr(&names));
		goto out;
	}
	o.flags = PORTAL_LIST_ROLES;
	o.account_id = cf->account_id;
	if (portal_list_fetch(&o, &roles, NULL, &why) == -1 ||
	    roles.count == 0 ||
	    roles.accounts[0].roles_state != LISTING_ROLES_OK) {
		r = 0;
		goto out;
	}
	a = &roles.accounts[0];
	free(ids);
	ids = xcalloc(a->nroles + 1, sizeof ids[0]);
	for (i = 0; i < a->nroles; i++)
		ids[i] = a->roles[i];
	for (i = 0; i < a->nroles; i++)
		if (strcmp(a->roles[i], cf->role_name) == 0)
			break;
	if (i == a->nroles) {
		suggest_list(&names, ids, a->nroles, 10);
		hint = suggest_closest(cf->role_name, ids);
		if (hint != NULL)
			idc_err_set(err, IDC_EUSAGE,
			    "account '%s' has no role '%s'; did you mean "
			    "'%s'?",
			    cf->account_id, cf->role_name, hint);
		else
			idc_err_set(err, IDC_EUSAGE,
			    "account '%s' has no role '%s'; its role%s: %s",
			    cf->account_id, cf->role_name,
			    a->nroles == 1 ? " is" : "s are",
			    idc_buf_cstr(&names));
		goto out;
	}
	r = 0;
out:
	free(ids);
	idc_buf_release(&names);
	listing_release(&roles);
	listing_release(&l);
	return r;
}

/* The edit, run under the lock on the file as it is then: the profile
 * first, then the session, as the AWS CLI writes them. */
static int
configure_apply(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	const struct configure *cf = ud;
	struct awsconfig_profile p;
	struct awsconfig_values v;

	memset(&p, 0, sizeof p);
	p.sso_session = cf->session;
	p.account_id = cf->account_id;
	p.role_name = cf->role_name;
	p.region = cf->region;
	p.output = cf->output;
	if (awsconfig_put_profile(doc,
		awsconfig_values(doc, AWSCONFIG_PROFILE, cf->profile, &v),
		cf->profile, &p, NULL, err) == NULL)
		return -1;
	return awsconfig_put_session(
	    doc, cf->session, cf->start_url, cf->sso_region, cf->scopes, err);
}

static void
configure_print(const struct configure *cf, const char *path, int changed)
{
	char *quoted = awsconfig_quote(cf->profile), *next;
	int is_default = strcasecmp(cf->profile, "default") == 0;
	struct outjson *o;

	next = is_default
	    ? xstrdup("aws sts get-caller-identity")
	    : xasprintf("aws sts get-caller-identity --profile %s", quoted);
	if (cf->ctx->output == IDC_OUTPUT_JSON) {
		o = outjson_object();
		outjson_str(o, "profile", cf->profile);
		outjson_str(o, "ssoSession", cf->session);
		outjson_str(o, "accountId", cf->account_id);
		outjson_str(o, "roleName", cf->role_name);
		outjson_str(o, "configFile", path);
		outjson_bool(o, "changed", changed);
		outjson_str(o, "next", next);
		outjson_print(o, stdout);
	} else {
		if (!cf->ctx->quiet) {
			if (is_default)
				fputs("\nThe AWS CLI is now configured to use "
				      "the default profile.\nRun the "
				      "following command to verify your "
				      "configuration:\n\n",
				    stderr);
			else
				fputs("\nTo use this profile, specify the "
				      "profile name using --profile, as "
				      "shown:\n\n",
				    stderr);
			fflush(stderr);
		}
		printf("%s\n", next);
	}
	free(next);
	free(quoted);
}

static int
configure_flag(const char *flag, const char *v,
    int (*check)(const char *, void *, struct idc_err *), struct idc_err *err)
{
	if (v == NULL || check(v, NULL, err) == 0)
		return 0;
	idc_err_prefix(err, "%s: ", flag);
	return -1;
}

static int
cmd_configure_exec(
    struct idc_ctx *ctx, int argc, char **argv, struct idc_err *err)
{
	struct configure cf;
	struct ini_doc *doc = NULL;
	struct awsconfig_values pv, sv;
	struct sso_ref ref;
	const char *f_url = NULL, *f_sso_region = NULL, *f_scopes = NULL;
	const char *f_account = NULL, *f_role = NULL, *f_region = NULL;
	const char *f_output = NULL, *cur_session = NULL, *fixed_profile;
	const char *def_session;
	char *path = NULL, *sessions = NULL, *hint = NULL, *quoted = NULL;
	char *def_profile = NULL, **scope_list = NULL, *label = NULL;
	char *only = NULL;
	int c, no_login = 0, implicit = 0, changed = 0, have_profile = 0;
	int r = -1;
	size_t i;

	memset(&cf, 0, sizeof cf);
	memset(&ref, 0, sizeof ref);
	cf.ctx = ctx;
	while ((c = cmd_getopt(ctx->cmd, argc, argv, err)) != -1) {
		switch (c) {
		case OPT_URL:
			f_url = optarg;
			break;
		case OPT_SSO_REGION:
			f_sso_region = optarg;
			break;
		case OPT_SCOPES:
			f_scopes = optarg;
			break;
		case OPT_ACCOUNT:
			f_account = optarg;
			break;
		case OPT_ROLE:
			f_role = optarg;
			break;
		case OPT_REGION:
			f_region = optarg;
			break;
		case OPT_OUTPUT_FORMAT:
			f_output = optarg;
			break;
		case OPT_NONINTERACTIVE:
			cf.noninteractive = 1;
			break;
		case OPT_NO_LOGIN:
			no_login = 1;
			break;
		default:
			return -1;
		}
	}
	if (cmd_no_args(ctx->cmd, argc, argv, err) == -1)
		return -1;
	/* Flags are checked before anything is read, asked or fetched. */
	if (configure_flag("--sso-session", ctx->sso_session,
		validate_check_session_name, err) == -1 ||
	    configure_flag(
		"--start-url", f_url, validate_check_start_url, err) == -1 ||
	    configure_flag("--sso-region", f_sso_region,
		validate_check_sso_region, err) == -1 ||
	    configure_flag("--scopes", f_scopes, validate_check_scopes, err) ==
		-1 ||
	    (f_account != NULL && validate_account_id(f_account, err) == -1) ||
	    configure_flag(
		"--role-name", f_role, validate_check_role_name, err) == -1 ||
	    configure_flag("--region", f_region, validate_check_region, err) ==
		-1 ||
	    configure_flag("--output-format", f_output,
		validate_check_output_format, err) == -1 ||
	    configure_flag("--profile", ctx->profile, configure_check_profile,
		err) == -1) {
		label = xstrdup(err != NULL ? err->msg : "bad option");
		cmd_usage_error(ctx->cmd, err, "%s", label);
		goto out;
	}
	cf.ask = ctx->interactive && !cf.noninteractive;

	if ((path = paths_aws_config(err)) == NULL ||
	    awsconfig_read(AWSCONFIG_CONFIG, path, &doc, err) == -1)
		goto out;
	cf.config_path = path;
	/* As the AWS CLI: --profile or AWS_PROFILE names the profile and
	 * its question is not asked. */
	fixed_profile = awsconfig_profile_name(ctx->profile, &implicit);
	if (implicit)
		fixed_profile = NULL;
	memset(&pv, 0, sizeof pv);
	if (fixed_profile != NULL &&
	    awsconfig_values(doc, AWSCONFIG_PROFILE, fixed_profile, &pv) !=
		NULL) {
		have_profile = 1;
		cur_session = pv.sso_session;
	}

	/* 1. The sso-session. */
	cf.session = ctx->sso_session;
	if (cf.session == NULL && cf.ask) {
		/* The profile's session, else the only one, is the
		 * default. */
		if ((sessions = configure_sessions(doc, &only)) != NULL)
			fprintf(
			    stderr, "Existing sso-sessions: %s\n", sessions);
		def_session = cur_session != NULL ? cur_session : only;
		if (ui_prompt(def_session != NULL
			    ? "SSO session name"
			    : "SSO session name (Recommended)",
			def_session, UI_REQUIRED, validate_check_session_name,
			NULL, &label, err) == -1)
			goto out;
		cf.session = configure_keep(&cf, label);
		label = NULL;
	}
	if (cf.session == NULL)
		cf.session = cur_session;
	if (cf.session == NULL) {
		configure_missing(
		    &cf, "--sso-session NAME", "sso-session name", err);
		goto out;
	}

	/* 2-4. Its start URL, region and scopes: asked for a new session;
	 * an existing one keeps its values unless flags change them. */
	if (awsconfig_values(doc, AWSCONFIG_SSO_SESSION, cf.session, &sv) !=
	    NULL) {
		cf.start_url = f_url != NULL ? f_url : sv.start_url;
		cf.sso_region =
		    f_sso_region != NULL ? f_sso_region : sv.sso_region;
		cf.scopes = f_scopes != NULL ? f_scopes : sv.scopes;
		cf.login_flow = sv.login_flow;
	} else {
		if (configure_value(&cf, f_url, "SSO start URL", NULL,
			UI_REQUIRED | UI_SHOW_NONE, validate_check_start_url,
			&cf.start_url, err) == -1 ||
		    configure_value(&cf, f_sso_region, "SSO region", NULL,
			UI_REQUIRED | UI_SHOW_NONE, validate_check_sso_region,
			&cf.sso_region, err) == -1 ||
		    configure_value(&cf, f_scopes, "SSO registration scopes",
			CONFIGURE_DEFAULT_SCOPES, UI_REQUIRED,
			validate_check_scopes, &cf.scopes, err) == -1)
			goto out;
	}
	if (cf.start_url == NULL) {
		configure_missing(&cf, "--start-url URL", "start URL", err);
		goto out;
	}
	if (cf.sso_region == NULL) {
		configure_missing(
		    &cf, "--sso-region REGION", "SSO region", err);
		goto out;
	}
	if (validate_start_url(cf.start_url, err) == -1 ||
	    validate_region(cf.sso_region, "SSO region", err) == -1 ||
	    (cf.scopes != NULL && validate_scopes(cf.scopes, err) == -1)) {
		idc_err_prefix(
		    err, "sso-session '%s' in '%s': ", cf.session, path);
		if (err != NULL)
			err->code = IDC_ECONFIG;
		goto out;
	}
	ref.session_name = cf.session;
	ref.start_url = cf.start_url;
	ref.region = cf.sso_region;
	/* A session without scopes signs in without them, as botocore. */
	if (cf.scopes != NULL) {
		scope_list = awsconfig_scope_list(cf.scopes);
		ref.scopes = (const char *const *)scope_list;
	}
	quoted = awsconfig_quote(cf.session);
	hint = xasprintf("idc login --sso-session %s", quoted);

	/* 5. Sign in when an account or a role must be listed, or when a
	 * person is there to do it. */
	cf.account_id = f_account;
	cf.role_name = f_role;
	if (!no_login &&
	    (cf.ask || cf.account_id == NULL || cf.role_name == NULL) &&
	    configure_login(&cf, &ref, err) == -1)
		goto out;

	/* 6-7. The account and the role. */
	if (cf.account_id == NULL &&
	    configure_account(&cf, &ref, hint, err) == -1)
		goto out;
	if (cf.role_name == NULL && configure_role(&cf, &ref, hint, err) == -1)
		goto out;
	if ((f_account != NULL || f_role != NULL) &&
	    configure_verify(&cf, &ref, hint, err) == -1)
		goto out;

	/* 8-10. Region, output format, profile name. */
	if (configure_value(&cf, f_region, "Default client Region",
		have_profile ? pv.region : NULL, UI_SHOW_NONE,
		validate_check_region, &cf.region, err) == -1 ||
	    configure_value(&cf, f_output,
		"CLI default output format (json if not specified)",
		have_profile ? pv.output : NULL, UI_SHOW_NONE,
		validate_check_output_format, &cf.output, err) == -1)
		goto out;
	if (!cf.ask) {
		/* Kept from the file: ini_set leaves equal values alone. */
		cf.region = f_region;
		cf.output = f_output;
	}
	def_profile = xasprintf("%s-%s", cf.role_name, cf.account_id);
	if (fixed_profile != NULL)
		cf.profile = fixed_profile;
	else if (configure_value(&cf, NULL, "Profile name", def_profile,
		     UI_REQUIRED, configure_check_profile, &cf.profile,
		     err) == -1)
		goto out;
	if (configure_check_profile(cf.profile, NULL, err) == -1) {
		label = xstrdup(err != NULL ? err->msg : "bad profile name");
		cmd_usage_error(ctx->cmd, err, "%s", label);
		goto out;
	}

	/* 11. Write, then say how to try it. */
	if (awsconfig_edit(AWSCONFIG_CONFIG, path, configure_apply, &cf,
		&changed, err) == -1)
		goto out;
	configure_print(&cf, path, changed);
	r = 0;
out:
	for (i = 0; i < cf.nowned; i++)
		free(cf.owned[i]);
	awsconfig_names_free(scope_list);
	awsconfig_doc_free(doc);
	free(path);
	free(sessions);
	free(only);
	free(hint);
	free(quoted);
	free(def_profile);
	free(label);
	return r;
}

static const struct cmd_option configure_options[] = {
	{ "sso-session", CMD_GLOBAL, "NAME", "the sso-session to use or create",
	    NULL },
	{ "start-url", OPT_URL, "URL",
	    "its AWS access portal URL (https://...)", NULL },
	{ "sso-region", OPT_SSO_REGION, "REGION",
	    "its IAM Identity Center region", NULL },
	{ "scopes", OPT_SCOPES, "LIST",
	    "registration scopes (sso:account:access)", NULL },
	{ "account-id", OPT_ACCOUNT, "ID",
	    "the account (else chosen from a menu)", NULL },
	{ "role-name", OPT_ROLE, "ROLE", "the role (else chosen from a menu)",
	    NULL },
	{ "region", OPT_REGION, "REGION", "the profile's default region",
	    NULL },
	{ "output-format", OPT_OUTPUT_FORMAT, "F",
	    "the profile's output: json, text, table, ...",
	    "json text table yaml yaml-stream" },
	{ "profile", CMD_GLOBAL, "NAME", "the profile (default ROLE-ACCOUNTID)",
	    NULL },
	{ "non-interactive", OPT_NONINTERACTIVE, NULL,
	    "never ask: a missing answer is a usage error", NULL },
	{ "no-login", OPT_NO_LOGIN, NULL,
	    "do not sign in (use the cached token, if any)", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cmd_entry cmd_configure_entry = {
	"configure",
	"",
	"create or update an sso-session and a profile",
	"Asks what 'aws configure sso' asks: the sso-session (existing ones "
	"are offered;\nfor a new one its start URL, SSO region and scopes), "
	"signs in if needed, then\nthe account and the role from a menu "
	"(arrow keys, or type to filter; Enter\nchooses, Ctrl-C aborts; a "
	"single account or role is taken without asking),\nthen the default "
	"region, output format and profile name (ROLE-ACCOUNTID).\nWrites "
	"[profile NAME] and [sso-session NAME] to the AWS config file, "
	"changing\nonly what changes, and prints the command to try the "
	"profile.  Every answer is\nalso a flag; --non-interactive never "
	"asks (a missing answer is exit status 2\nnaming its flag).  Without "
	"a terminal a missing answer is exit status 3.",
	configure_options,
	CMD_MAY_PROMPT | CMD_LONG_DEADLINE,
	cmd_configure_exec,
};
