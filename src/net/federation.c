/*
 * federation.c - the sign-in federation endpoint's requests and answers
 * (see federation.h).  No I/O.
 */
#include "idc/net/federation.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/log.h"
#include "idc/core/region.h"
#include "idc/core/xmalloc.h"
#include "idc/net/awsquery.h"

#define FEDERATION_TOKEN_MAX (16u * 1024u)

char *
federation_token_path(const char *access_key_id, const char *secret_access_key,
    const char *session_token)
{
	cJSON *doc = cJSON_CreateObject();
	struct awsquery_param p[3];
	char *session, *form, *path;

	cJSON_AddStringToObject(doc, "sessionId", access_key_id);
	cJSON_AddStringToObject(doc, "sessionKey", secret_access_key);
	cJSON_AddStringToObject(doc, "sessionToken", session_token);
	session = json_print(doc);
	json_free_secret(doc);
	p[0].name = "Action";
	p[0].value = "getSigninToken";
	p[1].name = "SessionType";
	p[1].value = "json";
	p[2].name = "Session";
	p[2].value = session;
	form = awsquery_form(p, 3);
	secret_free(session);
	if (form == NULL)
		return NULL;
	path = xasprintf("/federation?%s", form);
	/* Encoded, the secret key is no longer the string log.c knows. */
	log_secret(strstr(form, "Session=") + 8);
	secret_free(form);
	return path;
}

int
federation_token_parse(
    const char *body, size_t len, char **token, struct idc_err *err)
{
	static const char what[] = "getSigninToken answer";
	cJSON *obj;
	char *t;
	size_t i, n;

	if ((obj = json_parse_object(body, len, what, err)) == NULL)
		return -1;
	t = json_dup_str(obj, "SigninToken", what, err);
	json_free_secret(obj);
	if (t == NULL)
		return -1;
	n = strlen(t);
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			break;
	if (i < n || n > FEDERATION_TOKEN_MAX) {
		secret_free(t);
		return idc_err_set(err, IDC_ESERVER,
		    "the %s has an invalid 'SigninToken' (%zu bytes)", what, n);
	}
	log_secret(t);
	*token = t;
	return 0;
}

/* The console's host for region's partition, or NULL. */
static const char *
federation_console(const char *region)
{
	static const struct {
		const char *partition;
		const char *url;
	} hosts[] = {
		{ "aws", "https://console.aws.amazon.com" },
		{ "aws-us-gov", "https://console.amazonaws-us-gov.com" },
		{ "aws-cn", "https://console.amazonaws.cn" },
	};
	const char *partition = region_partition(region);
	size_t i;

	for (i = 0; partition != NULL && i < sizeof hosts / sizeof hosts[0];
	     i++)
		if (strcmp(hosts[i].partition, partition) == 0)
			return hosts[i].url;
	return NULL;
}

/* A console service's short name: 1..64 of a-z, 0-9, '-'. */
static int
federation_service_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return i > 0 && i <= 64 && s[0] != '-';
}

char *
federation_destination(
    const char *dest, const char *region, struct idc_err *err)
{
	const char *console, *p;

	if (region == NULL)
		region = "us-east-1";
	if (dest != NULL && strncmp(dest, "https://", 8) == 0) {
		for (p = dest; *p != '\0'; p++)
			if ((unsigned char)*p <= 0x20 ||
			    (unsigned char)*p >= 0x7f)
				break;
		if (*p == '\0' && dest[8] != '\0' && dest[8] != '/')
			return xstrdup(dest);
		idc_err_set(
		    err, IDC_EUSAGE, "--destination is not a usable https URL");
		return NULL;
	}
	if (dest != NULL && !federation_service_name(dest)) {
		idc_err_set(err, IDC_EUSAGE,
		    "--destination '%.64s' is neither an https URL nor a "
		    "service name (s3, ec2, iam, lambda, cloudwatch, ...)",
		    dest);
		return NULL;
	}
	if ((console = federation_console(region)) == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "region '%s' has no AWS console known to idc", region);
		return NULL;
	}
	return xasprintf("%s/%s/home?region=%s", console,
	    dest != NULL ? dest : "console", region);
}

char *
federation_login_url(const char *base, const char *issuer,
    const char *destination, const char *token)
{
	struct awsquery_param p[4] = {
		{ "Action", "login" },
		{ "Issuer", issuer },
		{ "Destination", destination },
		{ "SigninToken", token },
	};
	char *form = awsquery_form(p, 4), *url;

	if (form == NULL)
		return NULL;
	url = xasprintf("%s/federation?%s", base, form);
	secret_free(form);
	log_secret(url);
	return url;
}
