/*
 * awscreds.c - botocore's credential chain for signing requests (see
 * awscreds.h).
 *
 * Each source is one function; awscreds_profile walks a profile's sources
 * in botocore's order.  Role chaining recurses into the source profile with
 * the names seen so far, so a cycle is refused instead of followed.
 */
#include "idc/flow/awscreds.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/chain.h"
#include "idc/flow/rolecreds.h"
#include "idc/flow/selection.h"
#include "idc/store/awsconfig.h"
#include "idc/store/paths.h"

/* The longest chain of source_profile hops followed. */
#define AWSCREDS_MAX_HOPS 8
/* What a credential_process may print. */
#define AWSCREDS_PROCESS_MAX (1024u * 1024u)

const char *
awscreds_source_name(enum awscreds_source s)
{
	switch (s) {
	case AWSCREDS_ENV:
		return "environment";
	case AWSCREDS_ROLE:
		return "assumed role";
	case AWSCREDS_SSO:
		return "iam identity center";
	case AWSCREDS_SHARED_FILE:
		return "shared credentials file";
	case AWSCREDS_PROCESS:
		return "credential_process";
	case AWSCREDS_CONFIG_FILE:
		return "config file";
	}
	return "unknown";
}

void
awscreds_release(struct awscreds *c)
{
	if (c == NULL)
		return;
	free(c->access_key_id);
	secret_free(c->secret_access_key);
	secret_free(c->session_token);
	free(c->profile);
	free(c->region);
	free(c->account_id);
	free(c->role_name);
	memset(c, 0, sizeof *c);
}

static void
awscreds_set(struct awscreds *out, enum awscreds_source src, const char *key,
    const char *secret, const char *token, time_t expiration)
{
	memset(out, 0, sizeof *out);
	out->source = src;
	out->access_key_id = xstrdup(key);
	out->secret_access_key = xstrdup(secret);
	log_secret(out->secret_access_key);
	if (token != NULL && token[0] != '\0') {
		out->session_token = xstrdup(token);
		log_secret(out->session_token);
	}
	out->expiration = expiration;
}

static const char *
awscreds_getenv(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* 1. AWS_ACCESS_KEY_ID and friends; 0 with nothing set when absent. */
static int
awscreds_env(struct awscreds *out, int *found, struct idc_err *err)
{
	const char *key = awscreds_getenv("AWS_ACCESS_KEY_ID");
	const char *secret = awscreds_getenv("AWS_SECRET_ACCESS_KEY");
	const char *token = awscreds_getenv("AWS_SESSION_TOKEN");

	*found = 0;
	if (token == NULL)
		token = awscreds_getenv("AWS_SECURITY_TOKEN");
	if (key == NULL && secret == NULL)
		return 0;
	if (key == NULL || secret == NULL)
		return idc_err_set(err, IDC_ECONFIG, "%s is set but %s is not",
		    key != NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
		    key != NULL ? "AWS_SECRET_ACCESS_KEY"
				: "AWS_ACCESS_KEY_ID");
	awscreds_set(out, AWSCREDS_ENV, key, secret, token, 0);
	*found = 1;
	return 0;
}

/* Static keys of one file: 0 and *found, or -1 for half a pair. */
static int
awscreds_static(const struct awsconfig_creds *c, const struct awsconfig_keys *k,
    enum awscreds_source src, const char *file, struct awscreds *out,
    int *found, struct idc_err *err)
{
	*found = 0;
	if (k->access_key_id == NULL && k->secret_access_key == NULL)
		return 0;
	if (k->access_key_id == NULL || k->secret_access_key == NULL ||
	    k->access_key_id[0] == '\0' || k->secret_access_key[0] == '\0')
		return idc_err_set(err, IDC_ECONFIG,
		    "profile '%s' in '%s' has %s but not %s", c->profile, file,
		    k->access_key_id != NULL ? "aws_access_key_id"
					     : "aws_secret_access_key",
		    k->access_key_id != NULL ? "aws_secret_access_key"
					     : "aws_access_key_id");
	awscreds_set(out, src, k->access_key_id, k->secret_access_key,
	    k->session_token, 0);
	*found = 1;
	return 0;
}

/* Run argv with stdout into out (bounded); stdin and stderr are ours. */
static int
awscreds_run(char **argv, struct idc_buf *out, int *status, struct idc_err *err)
{
	char chunk[4096];
	int fds[2], st, too_large = 0, rerr = 0;
	ssize_t n;
	pid_t pid;

	/* Close-on-exec: no other program idc starts (a browser, a second
	 * credential_process) inherits this pipe; dup2 below clears it on
	 * the child's stdout. */
	if (pipe2(fds, O_CLOEXEC) == -1)
		return idc_err_errno(err, IDC_EFAIL, "cannot make a pipe");
	pid = fork();
	if (pid == -1) {
		close(fds[0]);
		close(fds[1]);
		return idc_err_errno(err, IDC_EFAIL, "cannot fork");
	}
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) == -1)
			_exit(127);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		n = read(fds[0], chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			rerr = errno;
		if (n <= 0)
			break;
		if (idc_buf_add(out, chunk, (size_t)n) == -1) {
			too_large = 1;
			kill(pid, SIGTERM);
			break;
		}
	}
	secret_wipe(chunk, sizeof chunk);
	close(fds[0]);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return idc_err_errno(err, IDC_EFAIL, "cannot wait");
	if (too_large)
		return idc_err_set(err, IDC_ECONFIG,
		    "credential_process '%s' printed more than %u bytes",
		    argv[0], AWSCREDS_PROCESS_MAX);
	if (rerr != 0) {
		errno = rerr;
		return idc_err_errno(
		    err, IDC_EFAIL, "cannot read credential_process");
	}
	*status = st;
	return 0;
}

/* 5. credential_process: its JSON as botocore's ProcessProvider reads it. */
static int
awscreds_process(
    const struct awsconfig_creds *c, struct awscreds *out, struct idc_err *err)
{
	struct idc_buf text = IDC_BUF_INIT(AWSCREDS_PROCESS_MAX);
	char **argv = NULL, *key = NULL, *secret = NULL, *token = NULL;
	char *expiration = NULL;
	cJSON *doc = NULL;
	long long version;
	time_t exp = 0;
	int status = 0, r = -1;
	size_t i;

	if (awsconfig_split_command(c->credential_process, &argv, err) == -1) {
		idc_err_prefix(err, "profile '%s': ", c->profile);
		goto out;
	}
	if (awscreds_run(argv, &text, &status, err) == -1)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		idc_err_set(err, IDC_ECONFIG,
		    "credential_process '%s' of profile '%s' %s %d", argv[0],
		    c->profile,
		    WIFEXITED(status) ? "exited with status"
				      : "was killed by signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		goto out;
	}
	doc = json_parse_object(
	    idc_buf_cstr(&text), text.len, "credential_process output", err);
	if (doc == NULL ||
	    json_get_int(doc, "Version", &version, "credential_process output",
		err) == -1)
		goto bad;
	if (version != 1) {
		idc_err_set(err, IDC_ECONFIG,
		    "credential_process of profile '%s' printed Version %lld; "
		    "only 1 is supported",
		    c->profile, version);
		goto out;
	}
	if ((key = json_dup_str(doc, "AccessKeyId", "credential_process output",
		 err)) == NULL ||
	    (secret = json_dup_str(doc, "SecretAccessKey",
		 "credential_process output", err)) == NULL)
		goto bad;
	token = json_dup_opt_str(doc, "SessionToken");
	expiration = json_dup_opt_str(doc, "Expiration");
	if (expiration != NULL && timefmt_parse(expiration, &exp) == -1) {
		idc_err_set(err, IDC_ECONFIG,
		    "credential_process of profile '%s' printed an Expiration "
		    "that is not a time",
		    c->profile);
		goto out;
	}
	awscreds_set(out, AWSCREDS_PROCESS, key, secret, token, exp);
	r = 0;
	goto out;
bad:
	if (err != NULL) {
		err->code = IDC_ECONFIG;
		idc_err_prefix(err, "profile '%s': ", c->profile);
	}
out:
	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
	free(key);
	secret_free(secret);
	secret_free(token);
	free(expiration);
	json_free_secret(doc);
	idc_buf_release_secret(&text);
	return r;
}

/* 3. An SSO profile: the role credentials idc caches or fetches. */
static int
awscreds_sso(const char *profile, int implicit, long min_ttl,
    struct awscreds *out, struct idc_err *err)
{
	struct rolecreds rc;
	struct selection sel;
	int r = -1;

	memset(&rc, 0, sizeof rc);
	/* NULL lets the selection name the fallback "default" itself. */
	if (selection_resolve(implicit ? NULL : profile, NULL,
		AWSCONFIG_NEED_ROLE, &sel, err) == -1)
		return -1;
	if (rolecreds_get(&sel.role, min_ttl, &rc, NULL, err) == -1)
		goto out;
	awscreds_set(out, AWSCREDS_SSO, rc.access_key_id, rc.secret_access_key,
	    rc.session_token, rc.expiration);
	r = 0;
out:
	rolecreds_release(&rc);
	selection_release(&sel);
	return r;
}

struct awscreds_walk {
	const char *seen[AWSCREDS_MAX_HOPS + 1];
	size_t nseen;
	long min_ttl;
	const struct awscreds_query *q;
	char *config_path;
	char *credentials_path;
};

static int awscreds_profile(struct awscreds_walk *w, const char *name,
    int implicit, struct awscreds *out, struct idc_err *err);

/* The AssumeRole hop of profile's role_arn, signed with source. */
static int
awscreds_assume_role(const struct awscreds_walk *w,
    const struct awsconfig_creds *profile, const struct awscreds *source,
    struct awscreds *out, struct idc_err *err)
{
	struct chain_options o = { w->min_ttl, w->q->mfa_code, w->q->mfa_ud };
	struct chain_source cs;
	struct rolecreds rc;
	int r;

	memset(&rc, 0, sizeof rc);
	cs.access_key_id = source->access_key_id;
	cs.secret_access_key = source->secret_access_key;
	cs.session_token = source->session_token;
	/* Who signs, for the cache key: temporary credentials by where they
	 * come from, long-term keys also by their id. */
	cs.identity = source->expiration != 0 || source->session_token != NULL
	    ? xasprintf("%s:%s", awscreds_source_name(source->source),
		  source->profile != NULL ? source->profile : "")
	    : xasprintf("%s:%s:%s", awscreds_source_name(source->source),
		  source->profile != NULL ? source->profile : "",
		  source->access_key_id);
	r = chain_assume_role(profile, &cs, &o, &rc, NULL, NULL, err);
	free((char *)cs.identity);
	if (r == -1)
		return -1;
	awscreds_set(out, AWSCREDS_ROLE, rc.access_key_id, rc.secret_access_key,
	    rc.session_token, rc.expiration);
	out->account_id = rc.account_id;
	out->role_name = rc.role_name;
	rc.account_id = rc.role_name = NULL;
	rolecreds_release(&rc);
	return 0;
}

/* 2. role_arn: the source's credentials, then one AssumeRole. */
static int
awscreds_role(struct awscreds_walk *w, const struct awsconfig_creds *c,
    struct awscreds *out, struct idc_err *err)
{
	struct awscreds src;
	size_t i;
	int found = 0, r = -1;

	memset(&src, 0, sizeof src);
	if (c->source_profile != NULL && c->credential_source != NULL)
		return idc_err_set(err, IDC_ECONFIG,
		    "profile '%s' has both source_profile and "
		    "credential_source",
		    c->profile);
	if (c->source_profile != NULL) {
		for (i = 0; i < w->nseen; i++)
			if (strcmp(w->seen[i], c->source_profile) == 0 &&
			    strcmp(c->source_profile, c->profile) != 0)
				return idc_err_set(err, IDC_ECONFIG,
				    "profile '%s': source_profile '%s' makes "
				    "a cycle",
				    c->profile, c->source_profile);
		if (w->nseen >= AWSCREDS_MAX_HOPS)
			return idc_err_set(err, IDC_ECONFIG,
			    "profile '%s': more than %d source_profile hops",
			    c->profile, AWSCREDS_MAX_HOPS);
		/* botocore: a profile that is its own source uses its keys. */
		if (strcmp(c->source_profile, c->profile) == 0) {
			if (awscreds_static(c, &c->shared, AWSCREDS_SHARED_FILE,
				c->credentials_file, &src, &found, err) == -1 ||
			    (!found &&
				awscreds_static(c, &c->config,
				    AWSCREDS_CONFIG_FILE, c->config_file, &src,
				    &found, err) == -1))
				goto out;
			if (!found) {
				idc_err_set(err, IDC_ECONFIG,
				    "profile '%s' is its own source_profile "
				    "but has no static keys",
				    c->profile);
				goto out;
			}
		} else if (awscreds_profile(
			       w, c->source_profile, 0, &src, err) == -1) {
			goto out;
		}
	} else if (c->credential_source != NULL &&
	    strcmp(c->credential_source, "Environment") == 0) {
		if (awscreds_env(&src, &found, err) == -1)
			goto out;
		if (!found) {
			idc_err_set(err, IDC_ECONFIG,
			    "profile '%s' has credential_source Environment "
			    "but AWS_ACCESS_KEY_ID is not set",
			    c->profile);
			goto out;
		}
	} else {
		idc_err_set(err, IDC_ECONFIG,
		    c->credential_source != NULL
			? "profile '%s': credential_source '%.40s' is not "
			  "supported (only Environment)"
			: "profile '%s' has role_arn but no source_profile or "
			  "credential_source%.0s",
		    c->profile,
		    c->credential_source != NULL ? c->credential_source : "");
		goto out;
	}
	r = awscreds_assume_role(w, c, &src, out, err);
out:
	awscreds_release(&src);
	return r;
}

/* Sources 2 to 6 of one profile. */
static int
awscreds_profile(struct awscreds_walk *w, const char *name, int implicit,
    struct awscreds *out, struct idc_err *err)
{
	struct awsconfig_creds *c = NULL;
	int found = 0, r = -1;

	if (awsconfig_load_creds(
		w->config_path, w->credentials_path, name, &c, err) == -1)
		return -1;
	w->seen[w->nseen++] = c->profile;
	if (!c->in_config && !c->in_credentials) {
		if (implicit)
			idc_err_set(err, IDC_ECONFIG,
			    "no AWS credentials: set AWS_ACCESS_KEY_ID and "
			    "AWS_SECRET_ACCESS_KEY, or give a profile with "
			    "--profile or AWS_PROFILE");
		else
			idc_err_set(err, IDC_ECONFIG,
			    "profile '%s' not found in '%s' or '%s'", name,
			    w->config_path, w->credentials_path);
		goto out;
	}
	if (c->role_arn != NULL) {
		r = awscreds_role(w, c, out, err);
		goto done;
	}
	if (c->sso) {
		r = awscreds_sso(name, implicit, w->min_ttl, out, err);
		goto done;
	}
	if (awscreds_static(c, &c->shared, AWSCREDS_SHARED_FILE,
		c->credentials_file, out, &found, err) == -1)
		goto out;
	if (!found && c->credential_process != NULL) {
		if (awscreds_process(c, out, err) == -1)
			goto out;
		found = 1;
	}
	if (!found &&
	    awscreds_static(c, &c->config, AWSCREDS_CONFIG_FILE, c->config_file,
		out, &found, err) == -1)
		goto out;
	if (!found) {
		idc_err_set(err, IDC_ECONFIG,
		    "profile '%s' has no credentials: no sso_session, "
		    "aws_access_key_id, credential_process or role_arn",
		    name);
		goto out;
	}
	r = 0;
done:
	if (r == 0) {
		free(out->profile);
		free(out->region);
		out->profile = xstrdup(name);
		out->region = c->region != NULL ? xstrdup(c->region) : NULL;
	}
out:
	w->nseen--;
	awsconfig_creds_free(c);
	return r;
}

int
awscreds_resolve(
    const struct awscreds_query *q, struct awscreds *out, struct idc_err *err)
{
	struct awscreds_walk w;
	const char *name;
	int implicit = 0, found = 0, r = -1;

	memset(&w, 0, sizeof w);
	memset(out, 0, sizeof *out);
	w.q = q;
	w.min_ttl = q->min_ttl > 0 ? q->min_ttl : ROLECREDS_MIN_TTL_DEFAULT;
	/* botocore: an explicit profile negates the environment's keys. */
	if (q->profile_flag == NULL) {
		if (awscreds_env(out, &found, err) == -1)
			return -1;
		if (found) {
			log_debug("credentials: from the environment");
			return 0;
		}
	}
	if ((w.config_path = paths_aws_config(err)) == NULL ||
	    (w.credentials_path = paths_aws_credentials(err)) == NULL)
		goto out;
	name = awsconfig_profile_name(q->profile_flag, &implicit);
	if (awscreds_profile(&w, name, implicit, out, err) == -1)
		goto out;
	log_debug("credentials: profile '%s', from the %s", name,
	    awscreds_source_name(out->source));
	r = 0;
out:
	free(w.config_path);
	free(w.credentials_path);
	return r;
}
