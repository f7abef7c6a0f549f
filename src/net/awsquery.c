/*
 * awsquery.c - the query protocol of AWS STS: form bodies, and the XML
 * answers read into checked values (see awsquery.h).  No I/O.
 */
#include "idc/net/awsquery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/safetext.h"
#include "idc/core/timefmt.h"
#include "idc/core/url.h"
#include "idc/core/xmalloc.h"
#include "idc/net/xml.h"

/* A form body: a few parameters, none of them long. */
#define AWSQUERY_MAX_FORM (1024u * 1024u)
/* STS answers are a few kilobytes; anything near this is not STS. */
#define AWSQUERY_MAX_ANSWER  (256u * 1024u)
#define AWSQUERY_MESSAGE_MAX 200
/* Session tokens of chained and tagged sessions run to a few kB. */
#define AWSQUERY_TOKEN_MAX (16u * 1024u)
#define AWSQUERY_VALUE_MAX 2048u

/* ---- requests ------------------------------------------------------- */

char *
awsquery_form(const struct awsquery_param *params, size_t n)
{
	struct idc_buf b = IDC_BUF_INIT(AWSQUERY_MAX_FORM);
	size_t i, k = 0;
	int bad = 0;

	for (i = 0; i < n; i++) {
		if (params[i].value == NULL)
			continue;
		if (k++ > 0)
			bad |= idc_buf_addch(&b, '&');
		bad |= url_encode(&b, params[i].name);
		bad |= idc_buf_addch(&b, '=');
		bad |= url_encode(&b, params[i].value);
	}
	if (bad) {
		idc_buf_release_secret(&b);
		return NULL;
	}
	return idc_buf_detach(&b, NULL);
}

char *
awsquery_body(const char *action, const struct awsquery_param *params, size_t n)
{
	struct awsquery_param *all = xcalloc(n + 2, sizeof *all);
	char *body;

	all[0].name = "Action";
	all[0].value = action;
	all[1].name = "Version";
	all[1].value = AWSQUERY_STS_VERSION;
	if (n > 0)
		memcpy(all + 2, params, n * sizeof *params);
	body = awsquery_form(all, n + 2);
	free(all);
	return body;
}

/* ---- answers -------------------------------------------------------- */

/* Printable ASCII without spaces, 1..max bytes. */
static int
awsquery_printable(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* An error code: 1..128 letters, digits and "._-" ("Sender.Throttling"). */
static int
awsquery_is_code(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 128)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') ||
			strchr("._-", s[i]) != NULL) ||
		    s[i] == '\0')
			return 0;
	return 1;
}

static int
awsquery_alnum(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
			(*s >= 'a' && *s <= 'z')))
			return 0;
	return 1;
}

/*
 * The only child called name of n, which must be an element without
 * children.  NULL with err set when it is missing (required), appears
 * twice, or has children; NULL without an error when it is optional and
 * missing.
 */
static const struct xml_node *
awsquery_leaf(const struct xml_node *n, const char *name, int required,
    const char *what, struct idc_err *err)
{
	const struct xml_node *c;
	size_t count;

	c = xml_child(n, name, &count);
	if (count > 1) {
		idc_err_set(err, IDC_ESERVER, "the %s has %zu '%s' elements",
		    what, count, name);
		return NULL;
	}
	if (c == NULL) {
		if (required)
			idc_err_set(
			    err, IDC_ESERVER, "the %s has no '%s'", what, name);
		return NULL;
	}
	if (c->children != NULL) {
		idc_err_set(err, IDC_ESERVER, "the %s has elements inside '%s'",
		    what, name);
		return NULL;
	}
	return c;
}

/* As awsquery_leaf for an element that holds others. */
static const struct xml_node *
awsquery_branch(const struct xml_node *n, const char *name, const char *what,
    struct idc_err *err)
{
	const struct xml_node *c;
	size_t count;

	c = xml_child(n, name, &count);
	if (count != 1) {
		idc_err_set(err, IDC_ESERVER,
		    count == 0 ? "the %s has no '%s'"
			       : "the %s has more than one '%s'",
		    what, name);
		return NULL;
	}
	return c;
}

/* A required leaf's text, copied, checked printable and at most max
 * bytes.  NULL with err set otherwise. */
static char *
awsquery_value(const struct xml_node *n, const char *name, size_t max,
    const char *what, struct idc_err *err)
{
	const struct xml_node *c;

	if ((c = awsquery_leaf(n, name, 1, what, err)) == NULL)
		return NULL;
	if (!awsquery_printable(c->text, c->text_len, max) ||
	    strlen(c->text) != c->text_len) {
		idc_err_set(err, IDC_ESERVER,
		    "the %s has an invalid '%s' (%zu bytes)", what, name,
		    c->text_len);
		return NULL;
	}
	return xstrndup(c->text, c->text_len);
}

/* An optional leaf's text as awsquery_value: *out NULL when the element
 * is missing or empty. */
static int
awsquery_opt_value(const struct xml_node *n, const char *name, size_t max,
    const char *what, char **out, struct idc_err *err)
{
	const struct xml_node *c;
	size_t count;

	*out = NULL;
	c = xml_child(n, name, &count);
	if (c == NULL ||
	    (count == 1 && c->children == NULL && c->text_len == 0))
		return 0;
	if ((*out = awsquery_value(n, name, max, what, err)) == NULL)
		return -1;
	return 0;
}

/* The result element: <{action}Response><{action}Result>. */
static const struct xml_node *
awsquery_result(const struct xml_doc *doc, const char *action, const char *what,
    struct idc_err *err)
{
	const struct xml_node *root = xml_root(doc);
	char name[64];

	snprintf(name, sizeof name, "%sResponse", action);
	if (strcmp(root->name, name) != 0) {
		idc_err_set(err, IDC_ESERVER, "the %s is not a %s", what, name);
		return NULL;
	}
	snprintf(name, sizeof name, "%sResult", action);
	return awsquery_branch(root, name, what, err);
}

void
awsquery_assumed_release(struct awsquery_assumed *a)
{
	if (a == NULL)
		return;
	free(a->access_key_id);
	secret_free(a->secret_access_key);
	secret_free(a->session_token);
	free(a->arn);
	free(a->assumed_role_id);
	free(a->source_identity);
	memset(a, 0, sizeof *a);
}

int
awsquery_assume_role_parse(const char *body, size_t len,
    struct awsquery_assumed *out, struct idc_err *err)
{
	static const char what[] = "AssumeRole answer";
	const struct xml_limits lim = { AWSQUERY_MAX_ANSWER, 0, 0 };
	struct awsquery_assumed a;
	struct xml_doc *doc = NULL;
	const struct xml_node *res, *cred, *user;
	char *exp = NULL;
	int r = -1;

	memset(&a, 0, sizeof a);
	if (xml_parse(body, len, &lim, what, &doc, err) == -1)
		return -1;
	if ((res = awsquery_result(doc, "AssumeRole", what, err)) == NULL ||
	    (cred = awsquery_branch(res, "Credentials", what, err)) == NULL ||
	    (user = awsquery_branch(res, "AssumedRoleUser", what, err)) == NULL)
		goto out;
	if ((a.access_key_id = awsquery_value(
		 cred, "AccessKeyId", 128, what, err)) == NULL ||
	    (a.secret_access_key = awsquery_value(cred, "SecretAccessKey",
		 AWSQUERY_VALUE_MAX, what, err)) == NULL ||
	    (a.session_token = awsquery_value(cred, "SessionToken",
		 AWSQUERY_TOKEN_MAX, what, err)) == NULL ||
	    (exp = awsquery_value(cred, "Expiration", 64, what, err)) == NULL ||
	    (a.arn = awsquery_value(
		 user, "Arn", AWSQUERY_VALUE_MAX, what, err)) == NULL ||
	    (a.assumed_role_id = awsquery_value(
		 user, "AssumedRoleId", AWSQUERY_VALUE_MAX, what, err)) == NULL)
		goto out;
	log_secret(a.secret_access_key);
	log_secret(a.session_token);
	if (!awsquery_alnum(a.access_key_id) ||
	    strncmp(a.arn, "arn:", 4) != 0) {
		idc_err_set(err, IDC_ESERVER,
		    "the %s has an invalid access key id or role ARN", what);
		goto out;
	}
	if (timefmt_parse(exp, &a.expiration) == -1) {
		idc_err_set(err, IDC_ESERVER,
		    "the %s has an invalid 'Expiration' '%.40s'", what, exp);
		goto out;
	}
	if (awsquery_opt_value(res, "SourceIdentity", AWSQUERY_VALUE_MAX, what,
		&a.source_identity, err) == -1)
		goto out;
	*out = a;
	memset(&a, 0, sizeof a);
	r = 0;
out:
	free(exp);
	awsquery_assumed_release(&a);
	xml_free(doc);
	return r;
}

void
awsquery_identity_release(struct awsquery_identity *id)
{
	if (id == NULL)
		return;
	free(id->account);
	free(id->arn);
	free(id->user_id);
	memset(id, 0, sizeof *id);
}

int
awsquery_caller_identity_parse(const char *body, size_t len,
    struct awsquery_identity *out, struct idc_err *err)
{
	static const char what[] = "GetCallerIdentity answer";
	const struct xml_limits lim = { AWSQUERY_MAX_ANSWER, 0, 0 };
	struct awsquery_identity id;
	struct xml_doc *doc = NULL;
	const struct xml_node *res;
	size_t i;
	int r = -1;

	memset(&id, 0, sizeof id);
	if (xml_parse(body, len, &lim, what, &doc, err) == -1)
		return -1;
	if ((res = awsquery_result(doc, "GetCallerIdentity", what, err)) ==
		NULL ||
	    (id.account = awsquery_value(res, "Account", 12, what, err)) ==
		NULL ||
	    (id.arn = awsquery_value(
		 res, "Arn", AWSQUERY_VALUE_MAX, what, err)) == NULL ||
	    (id.user_id = awsquery_value(
		 res, "UserId", AWSQUERY_VALUE_MAX, what, err)) == NULL)
		goto out;
	for (i = 0; id.account[i] != '\0'; i++)
		if (id.account[i] < '0' || id.account[i] > '9')
			break;
	if (i != 12 || id.account[i] != '\0' ||
	    strncmp(id.arn, "arn:", 4) != 0) {
		idc_err_set(err, IDC_ESERVER,
		    "the %s has an invalid account id or ARN", what);
		goto out;
	}
	*out = id;
	memset(&id, 0, sizeof id);
	r = 0;
out:
	awsquery_identity_release(&id);
	xml_free(doc);
	return r;
}

/* ---- errors --------------------------------------------------------- */

/* A copy of a server's text that is safe on a terminal (safetext.h),
 * cut at max bytes of the result. */
static char *
awsquery_safe(const char *s, size_t len)
{
	struct idc_buf b = IDC_BUF_INIT(AWSQUERY_MESSAGE_MAX);

	safetext_append(&b, s, len);
	return idc_buf_detach(&b, NULL);
}

void
awsquery_error_parse(
    long status, const char *body, size_t len, struct awsquery_error *out)
{
	const struct xml_limits lim = { AWSQUERY_MAX_ANSWER, 0, 0 };
	struct xml_doc *doc = NULL;
	const struct xml_node *root, *e, *c;

	memset(out, 0, sizeof *out);
	out->status = status;
	if (body == NULL || len == 0 ||
	    xml_parse(body, len, &lim, "error answer", &doc, NULL) == -1)
		return;
	root = xml_root(doc);
	/* <ErrorResponse><Error><Code>; some fronts send <Error> alone. */
	e = strcmp(root->name, "Error") == 0 ? root
	    : strcmp(root->name, "ErrorResponse") == 0
	    ? xml_child(root, "Error", NULL)
	    : NULL;
	if (e == NULL)
		goto out;
	c = awsquery_leaf(e, "Code", 0, "error answer", NULL);
	if (c != NULL && awsquery_is_code(c->text, c->text_len))
		out->code = xstrndup(c->text, c->text_len);
	c = awsquery_leaf(e, "Message", 0, "error answer", NULL);
	if (c != NULL && c->text_len > 0)
		out->message = awsquery_safe(c->text, c->text_len);
	c = awsquery_leaf(root, "RequestId", 0, "error answer", NULL);
	if (c != NULL && awsquery_printable(c->text, c->text_len, 128))
		out->request_id = xstrndup(c->text, c->text_len);
out:
	xml_free(doc);
}

void
awsquery_error_release(struct awsquery_error *e)
{
	if (e == NULL)
		return;
	free(e->code);
	free(e->message);
	free(e->request_id);
	memset(e, 0, sizeof *e);
}

static int
awsquery_code_in(const struct awsquery_error *e, const char *const *codes)
{
	for (; e->code != NULL && *codes != NULL; codes++)
		if (strcmp(e->code, *codes) == 0)
			return 1;
	return 0;
}

static enum idc_errcode
awsquery_error_code(const struct awsquery_error *e)
{
	static const char *const denied[] = { "AccessDenied",
		"AccessDeniedException", NULL };
	static const char *const auth[] = { "ExpiredToken",
		"ExpiredTokenException", "InvalidClientTokenId",
		"SignatureDoesNotMatch", "UnrecognizedClient",
		"UnrecognizedClientException", "IncompleteSignature",
		"InvalidToken", "MissingAuthenticationToken", "AuthFailure",
		"RequestExpired", NULL };
	static const char *const config[] = { "RegionDisabledException",
		"ValidationError", "MalformedPolicyDocument",
		"PackedPolicyTooLarge", "InvalidParameterValue",
		"InvalidParameterCombination", "MissingParameter",
		"InvalidAction", "InvalidIdentityToken", NULL };

	if (awsquery_code_in(e, denied))
		return IDC_EDENIED;
	if (awsquery_code_in(e, auth))
		return IDC_EAUTH;
	if (awsquery_code_in(e, config))
		return IDC_ECONFIG;
	if (e->code == NULL && e->status == 401)
		return IDC_EAUTH;
	if (e->code == NULL && e->status == 403)
		return IDC_EDENIED;
	return IDC_ESERVER;
}

int
awsquery_error_to_err(
    const struct awsquery_error *e, const char *operation, struct idc_err *err)
{
	const char *name = e->code != NULL ? e->code : "an unexpected answer";
	int r;

	if (e->message != NULL)
		r = idc_err_set(err, awsquery_error_code(e),
		    "%s failed: %s (HTTP %ld): '%s'", operation, name,
		    e->status, e->message);
	else
		r = idc_err_set(err, awsquery_error_code(e),
		    "%s failed: %s (HTTP %ld)", operation, name, e->status);
	if (err != NULL)
		err->http_status = e->status;
	return r;
}
