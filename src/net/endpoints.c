/*
 * endpoints.c - service endpoint URLs per region (see endpoints.h).
 *
 * The partitions and their region patterns are those of botocore's
 * partitions.json; a pattern here is a fixed prefix followed by
 * "<word>-<digits>", which is all the regular expressions there say.
 */
#include "idc/net/endpoints.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

static const struct {
	const char *prefix; /* the region starts with this, then \w+-\d+ */
	const char *suffix;
} endpoints_partitions[] = {
	{ "us-gov-", "amazonaws.com" },
	{ "us-iso-", "c2s.ic.gov" },
	{ "us-isob-", "sc2s.sgov.gov" },
	{ "us-isof-", "csp.hci.ic.gov" },
	{ "eu-isoe-", "cloud.adc-e.uk" },
	{ "eusc-de-", "amazonaws.eu" },
	{ "cn-", "amazonaws.com.cn" },
	{ "us-", "amazonaws.com" },
	{ "eu-", "amazonaws.com" },
	{ "ap-", "amazonaws.com" },
	{ "sa-", "amazonaws.com" },
	{ "ca-", "amazonaws.com" },
	{ "me-", "amazonaws.com" },
	{ "af-", "amazonaws.com" },
	{ "il-", "amazonaws.com" },
	{ "mx-", "amazonaws.com" },
};

/* s is "\w+-\d+" with \w limited to lower-case letters and digits. */
static int
endpoints_word_dash_digits(const char *s)
{
	const char *p = s;

	while (islower((unsigned char)*p) || isdigit((unsigned char)*p))
		p++;
	if (p == s || *p != '-')
		return 0;
	s = ++p;
	while (isdigit((unsigned char)*p))
		p++;
	return p != s && *p == '\0';
}

const char *
endpoints_dns_suffix(const char *region)
{
	size_t i, n;

	for (i = 0;
	     i < sizeof endpoints_partitions / sizeof endpoints_partitions[0];
	     i++) {
		n = strlen(endpoints_partitions[i].prefix);
		if (strncmp(region, endpoints_partitions[i].prefix, n) == 0 &&
		    endpoints_word_dash_digits(region + n))
			return endpoints_partitions[i].suffix;
	}
	return NULL;
}

/* The first set, non-empty variable of names, or NULL. */
static const char *
endpoints_override(const char *const *names)
{
	const char *v;

	for (; *names != NULL; names++)
		if ((v = getenv(*names)) != NULL && v[0] != '\0')
			return v;
	return NULL;
}

static char *
endpoints_build(const char *prefix, const char *region, const char *what,
    const char *const *env, struct idc_err *err)
{
	const char *url = endpoints_override(env), *suffix;
	size_t n;

	if (url != NULL) {
		n = strlen(url);
		while (n > 0 && url[n - 1] == '/')
			n--;
		return xstrndup(url, n);
	}
	if (region == NULL || region[0] == '\0') {
		idc_err_set(err, IDC_ECONFIG, "no %s is configured", what);
		return NULL;
	}
	if ((suffix = endpoints_dns_suffix(region)) == NULL) {
		idc_err_set(err, IDC_ECONFIG, "%s '%s' is not an AWS region",
		    what, region);
		return NULL;
	}
	return xasprintf("https://%s.%s.%s", prefix, region, suffix);
}

char *
endpoints_oidc(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_SSO_OIDC",
		"AWS_ENDPOINT_URL", NULL };

	return endpoints_build("oidc", region, "sso_region", env, err);
}

char *
endpoints_portal(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_SSO",
		"AWS_ENDPOINT_URL", NULL };

	return endpoints_build("portal.sso", region, "sso_region", env, err);
}

char *
endpoints_identitystore(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_IDENTITYSTORE",
		"AWS_ENDPOINT_URL", NULL };

	return endpoints_build("identitystore", region, "region", env, err);
}

char *
endpoints_sso_admin(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_SSO_ADMIN",
		"AWS_ENDPOINT_URL", NULL };

	return endpoints_build("sso", region, "region", env, err);
}

char *
endpoints_sts(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_STS",
		"AWS_ENDPOINT_URL", NULL };

	return endpoints_build("sts", region, "region", env, err);
}
