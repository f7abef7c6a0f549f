/*
 * region.h - what an AWS region name may look like, and the DNS suffix of
 * its partition.
 *
 * In core because both ends need it: the endpoint builders (net/) put a
 * region into a host name, and validate.c (store/) refuses a configured
 * region that could change that host.
 */
#ifndef IDC_REGION_H
#define IDC_REGION_H

/* The DNS suffix of region's partition ("amazonaws.com", ...), or NULL if
 * the region matches no partition's pattern (lower-case letters, digits
 * and dashes after one of the partitions' prefixes). */
const char *region_dns_suffix(const char *region);

/* The name of region's partition ("aws", "aws-us-gov", "aws-cn", ...), or
 * NULL, as region_dns_suffix. */
const char *region_partition(const char *region);

/* 1 if region is a known region, or has the shape of one that may be new
 * ("<prefix><direction>-<digits>", e.g. eu-west-9); else 0 ("us-est-1"). */
int region_plausible(const char *region);

/* The known region closest to a mistyped one ("us-est-1" -> "us-east-1"),
 * or NULL. */
const char *region_suggest(const char *region);

#endif
