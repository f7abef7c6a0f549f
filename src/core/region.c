/*
 * region.c - AWS regions and their partitions' DNS suffixes (see
 * region.h).
 *
 * The partitions and their region patterns are those of botocore's
 * partitions.json; a pattern here is a fixed prefix followed by
 * "<word>-<digits>", which is all the regular expressions there say.
 */
#include "idc/core/region.h"

#include <ctype.h>
#include <string.h>

static const struct {
	const char *prefix; /* the region starts with this, then \w+-\d+ */
	const char *suffix;
} region_partitions[] = {
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
region_word_dash_digits(const char *s)
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
region_dns_suffix(const char *region)
{
	size_t i, n;

	for (i = 0; i < sizeof region_partitions / sizeof region_partitions[0];
	     i++) {
		n = strlen(region_partitions[i].prefix);
		if (strncmp(region, region_partitions[i].prefix, n) == 0 &&
		    region_word_dash_digits(region + n))
			return region_partitions[i].suffix;
	}
	return NULL;
}
