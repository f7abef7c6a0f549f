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
	const char *partition;
} region_partitions[] = {
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

/* The region_partitions[] entry of region, or -1. */
static int
region_find(const char *region)
{
	size_t i, n;

	for (i = 0; i < sizeof region_partitions / sizeof region_partitions[0];
	     i++) {
		n = strlen(region_partitions[i].prefix);
		if (strncmp(region, region_partitions[i].prefix, n) == 0 &&
		    region_word_dash_digits(region + n))
			return (int)i;
	}
	return -1;
}

const char *
region_dns_suffix(const char *region)
{
	int i = region_find(region);

	return i < 0 ? NULL : region_partitions[i].suffix;
}

const char *
region_partition(const char *region)
{
	int i = region_find(region);

	return i < 0 ? NULL : region_partitions[i].partition;
}
