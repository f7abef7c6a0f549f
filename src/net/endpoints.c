/*
 * endpoints.c - service endpoint URLs per region (see endpoints.h).
 * Which partition (and DNS suffix) a region belongs to is region.c's.
 */
#include "idc/net/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/region.h"
#include "idc/core/xmalloc.h"

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
	if ((suffix = region_dns_suffix(region)) == NULL) {
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
	if (region == NULL)
		region = "us-east-1";
	partition = region_partition(region);
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
