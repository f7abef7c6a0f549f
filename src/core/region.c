/*
 * region.c - AWS regions and their partitions' DNS suffixes (see
 * region.h).
 *
 * The partitions and their region patterns are those of botocore's
 * partitions.json; a pattern here is a fixed prefix followed by
 * "<word>-<digits>", which is all the regular expressions there say.
 */
#include "idc/core/region.h"

#include <string.h>

#include "idc/core/ascii.h"
#include "idc/core/suggest.h"

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

	while (ascii_islower((unsigned char)*p) ||
	    ascii_isdigit((unsigned char)*p))
		p++;
	if (p == s || *p != '-')
		return 0;
	s = ++p;
	while (ascii_isdigit((unsigned char)*p))
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

/* The regions there are (botocore's partitions.json, 2025), for "did you
 * mean": a region not listed here is still accepted when it has the shape
 * of one (a new region), see region_plausible. */
static const char *const region_known_names[] = { "af-south-1", "ap-east-1",
	"ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
	"ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
	"ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1",
	"cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1",
	"eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"eusc-de-east-1", "il-central-1", "me-central-1", "me-south-1",
	"mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1",
	"us-gov-west-1", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1",
	"us-isof-east-1", "us-isof-south-1", "eu-isoe-west-1", "us-west-1",
	"us-west-2", NULL };

/* Every region names a direction: "<prefix><direction>-<digits>". */
static const char *const region_directions[] = { "east", "west", "north",
	"south", "central", "northeast", "northwest", "southeast", "southwest",
	NULL };

int
region_plausible(const char *region)
{
	const char *const *k;
	const char *word, *dash;
	size_t i, n;

	for (k = region_known_names; *k != NULL; k++)
		if (strcmp(region, *k) == 0)
			return 1;
	for (i = 0; i < sizeof region_partitions / sizeof region_partitions[0];
	     i++) {
		n = strlen(region_partitions[i].prefix);
		if (strncmp(region, region_partitions[i].prefix, n) != 0 ||
		    !region_word_dash_digits(region + n))
			continue;
		word = region + n;
		dash = strchr(word, '-');
		for (k = region_directions; *k != NULL; k++)
			if (strlen(*k) == (size_t)(dash - word) &&
			    strncmp(word, *k, (size_t)(dash - word)) == 0)
				return 1;
		return 0;
	}
	return 0;
}

const char *
region_suggest(const char *region)
{
	return suggest_closest(region, region_known_names);
}
