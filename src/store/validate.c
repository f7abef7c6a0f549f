/*
 * validate.c - checks of start URLs, regions, account ids, names and scope
 * lists (see validate.h).
 *
 * What passes here ends up in a config file, in a host name or in a cache
 * key, so the rules are narrow on purpose: a value that could add a line to
 * the config file or move a request to another host never passes.
 */
#include "idc/store/validate.h"

#include <stdio.h>
#include <string.h>

#include "idc/core/region.h"
#include "idc/core/err.h"
#include "idc/core/safetext.h"
#include "idc/core/weburl.h"
#include "idc/store/ini.h"

/* A copy of s fit for a one-line message: at most 80 bytes, control
 * characters shown as '?'. */
static const char *
validate_show(char *dst, size_t size, const char *s)
{
	size_t i, j = 0;

	for (i = 0; s[i] != '\0' && j + 4 < size && i < 80; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (s[i] != '\0' && j + 4 < size) {
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j] = '\0';
	return dst;
}

int
validate_start_url(const char *url, struct idc_err *err)
{
	char show[100];

	if (weburl_ok(url, 0))
		return 0;
	return idc_err_set(err, IDC_EUSAGE,
	    "start URL '%s' is not an https URL with a host name "
	    "(like https://d-1234567890.awsapps.com/start)",
	    validate_show(show, sizeof show, url));
}

int
validate_region(const char *region, const char *what, struct idc_err *err)
{
	char show[100];
	const char *hint;

	if (region_dns_suffix(region) != NULL && region_plausible(region))
		return 0;
	validate_show(show, sizeof show, region);
	if ((hint = region_suggest(region)) != NULL)
		return idc_err_set(err, IDC_EUSAGE,
		    "%s '%s' is not a known AWS region; did you mean '%s'?",
		    what, show, hint);
	return idc_err_set(err, IDC_EUSAGE,
	    "%s '%s' is not an AWS region (like us-east-1)", what, show);
}

int
validate_account_id(const char *id, struct idc_err *err)
{
	char show[100];
	size_t i;

	for (i = 0; id[i] >= '0' && id[i] <= '9'; i++)
		;
	if (i == 12 && id[i] == '\0')
		return 0;
	return idc_err_set(err, IDC_EUSAGE, "account id '%s' is not 12 digits",
	    validate_show(show, sizeof show, id));
}

int
validate_name(const char *name, const char *what, struct idc_err *err)
{
	char show[100];
	size_t n = strlen(name), i;

	if (n == 0 || ini_lstrip(name, n) == n)
		return idc_err_set(err, IDC_EUSAGE, "the %s is empty", what);
	validate_show(show, sizeof show, name);
	if (n > 256)
		return idc_err_set(err, IDC_EUSAGE,
		    "the %s '%s' is longer than 256 bytes", what, show);
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return idc_err_set(err, IDC_EUSAGE,
			    "the %s '%s' contains a line break or a control "
			    "character",
			    what, show);
	if (!ini_utf8_valid(name, n))
		return idc_err_set(err, IDC_EUSAGE,
		    "the %s '%s' is not valid UTF-8", what, show);
	/* What ini.c will write: no C1 or bidi control either. */
	if (!safetext_is_clean(name, n))
		return idc_err_set(err, IDC_EUSAGE,
		    "the %s '%s' contains a control character", what, show);
	if (ini_lstrip(name, n) != 0 || ini_rstrip(name, n) != n)
		return idc_err_set(err, IDC_EUSAGE,
		    "the %s '%s' starts or ends with a space", what, show);
	if (strchr(name, ']') != NULL)
		return idc_err_set(
		    err, IDC_EUSAGE, "the %s '%s' contains ']'", what, show);
	return 0;
}

int
validate_scopes(const char *scopes, struct idc_err *err)
{
	char show[100], **items;
	size_t n, i, k;
	int r = 0;

	validate_show(show, sizeof show, scopes);
	for (i = 0; scopes[i] != '\0'; i++)
		if ((unsigned char)scopes[i] < 0x20 && scopes[i] != '\t')
			return idc_err_set(err, IDC_EUSAGE,
			    "scopes '%s' contain a control character", show);
	if (!ini_utf8_valid(scopes, strlen(scopes)))
		return idc_err_set(
		    err, IDC_EUSAGE, "scopes '%s' are not valid UTF-8", show);
	items = ini_split(scopes, ',', &n);
	if (n == 0)
		r = idc_err_set(err, IDC_EUSAGE, "the scope list is empty");
	for (k = 0; k < n && r == 0; k++)
		for (i = 0; items[k][i] != '\0' && r == 0; i++)
			if (ini_lstrip(items[k] + i, strlen(items[k] + i)) > 0)
				r = idc_err_set(err, IDC_EUSAGE,
				    "scope values must be separated by "
				    "commas: '%s'",
				    show);
	ini_split_free(items);
	return r;
}

int
validate_output_format(const char *output, struct idc_err *err)
{
	static const char *const outputs[] = { "json", "text", "table", "yaml",
		"yaml-stream", NULL };
	char show[100];
	size_t i;

	for (i = 0; outputs[i] != NULL; i++)
		if (strcmp(output, outputs[i]) == 0)
			return 0;
	return idc_err_set(err, IDC_EUSAGE,
	    "output format '%s' is not json, text, table, yaml or yaml-stream",
	    validate_show(show, sizeof show, output));
}

int
validate_check_output_format(const char *v, void *ud, struct idc_err *err)
{
	(void)ud;
	return validate_output_format(v, err);
}

int
validate_check_session_name(const char *v, void *ud, struct idc_err *err)
{
	(void)ud;
	return validate_name(v, "sso-session name", err);
}

int
validate_check_start_url(const char *v, void *ud, struct idc_err *err)
{
	(void)ud;
	return validate_start_url(v, err);
}

int
validate_check_sso_region(const char *v, void *ud, struct idc_err *err)
{
	(void)ud;
	return validate_region(v, "SSO region", err);
}

int
validate_check_region(const char *v, void *ud, struct idc_err *err)
{
	(void)ud;
	return validate_region(v, "region", err);
}

int
validate_check_scopes(const char *v, void *ud, struct idc_err *err)
{
	(void)ud;
	return validate_scopes(v, err);
}

int
validate_check_role_name(const char *v, void *ud, struct idc_err *err)
{
	(void)ud;
	return validate_name(v, "role name", err);
}
