/*
 * endpoints.c - OIDC and portal endpoint URLs per region (see endpoints.h).
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
	const char *partition;
} endpoints_partitions[] = {
	{ "us-gov-", "amazonaws.com", "aws-us-gov" },
	{ "us-iso-", "c2s.ic.gov", "aws-iso" },
	{ "us-isob-", "sc2s.sgov.gov", "aws-iso-b" },
	{ "us-isof-", "csp.hci.ic.gov", "aws-iso-f" },
	{ "eu-isoe-", "cloud.adc-e.uk", "aws-iso-e" },
	{ "eusc-de-", "amazonaws.eu", "aws-eusc" },
	{ "cn-", "amazonaws.com.cn", "aws-cn" },
	{ "us-", "amazonaws.com", "aws" },
	{ "eu-", "amazonaws.com", "aws" },
	{ "ap-", "amazonaws.com", "aws" },
	{ "sa-", "amazonaws.com", "aws" },
	{ "ca-", "amazonaws.com", "aws" },
	{ "me-", "amazonaws.com", "aws" },
	{ "af-", "amazonaws.com", "aws" },
	{ "il-", "amazonaws.com", "aws" },
	{ "mx-", "amazonaws.com", "aws" },
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

/* The partitions[] entry of region, or -1. */
static int
endpoints_find(const char *region)
{
	size_t i, n;

	for (i = 0;
	     i < sizeof endpoints_partitions / sizeof endpoints_partitions[0];
	     i++) {
		n = strlen(endpoints_partitions[i].prefix);
		if (strncmp(region, endpoints_partitions[i].prefix, n) == 0 &&
		    endpoints_word_dash_digits(region + n))
			return (int)i;
	}
	return -1;
}

const char *
endpoints_dns_suffix(const char *region)
{
	int i = endpoints_find(region);

	return i < 0 ? NULL : endpoints_partitions[i].suffix;
}

const char *
endpoints_partition(const char *region)
{
	int i = endpoints_find(region);

	return i < 0 ? NULL : endpoints_partitions[i].partition;
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
endpoints_build(const char *prefix, const char *region, const char *const *env,
    struct idc_err *err)
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
		idc_err_set(err, IDC_ECONFIG, "no sso_region is configured");
		return NULL;
	}
	if ((suffix = endpoints_dns_suffix(region)) == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "sso_region '%s' is not an AWS region", region);
		return NULL;
	}
	return xasprintf("https://%s.%s.%s", prefix, region, suffix);
}

char *
endpoints_oidc(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_SSO_OIDC",
		"AWS_ENDPOINT_URL", NULL };

	return endpoints_build("oidc", region, env, err);
}

char *
endpoints_portal(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_SSO",
		"AWS_ENDPOINT_URL", NULL };

	return endpoints_build("portal.sso", region, env, err);
}

char *
endpoints_signin(const char *region, struct idc_err *err)
{
	static const char *const env[] = { "AWS_ENDPOINT_URL_SIGNIN",
		"AWS_ENDPOINT_URL", NULL };
	static const struct {
		const char *partition;
		const char *url;
	} hosts[] = {
		{ "aws", "https://signin.aws.amazon.com" },
		{ "aws-us-gov", "https://signin.amazonaws-us-gov.com" },
		{ "aws-cn", "https://signin.amazonaws.cn" },
	};
	const char *url = endpoints_override(env), *partition;
	size_t i, n;

	if (url != NULL) {
		n = strlen(url);
		while (n > 0 && url[n - 1] == '/')
			n--;
		return xstrndup(url, n);
	}
	partition = endpoints_partition(region != NULL ? region : "us-east-1");
	for (i = 0; partition != NULL && i < sizeof hosts / sizeof hosts[0];
	     i++)
		if (strcmp(hosts[i].partition, partition) == 0)
			return xstrdup(hosts[i].url);
	idc_err_set(err, IDC_ECONFIG,
	    "region '%s' has no console sign-in endpoint known to idc (set "
	    "AWS_ENDPOINT_URL_SIGNIN)",
	    region);
	return NULL;
}
