/*
 * sts.h - calling AWS STS: AssumeRole and GetCallerIdentity over the query
 * protocol (net/awsquery.h), signed with SigV4 by apicall.c, sent to the
 * regional endpoint https://sts.<region>.<suffix> (endpoints_sts;
 * AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, override it).
 *
 * Retries are botocore's standard mode: throttling (which STS answers
 * with HTTP 400 and the code in the XML) and transient errors are retried
 * with backoff, at most 3 attempts in all; a final error is mapped to an
 * exit status as awsquery.h documents (AccessDenied 6, ExpiredToken 3,
 * RegionDisabledException 5, throttling 4, ...).
 *
 * Errors: those of awsquery_error_to_err, IDC_ENET / IDC_ETLS (transport),
 * IDC_ECONFIG (a region that is not an AWS region), IDC_EFAIL (libcurl or
 * libcrypto cannot be loaded).
 */
#ifndef IDC_STS_H
#define IDC_STS_H

#include <stddef.h>

#include "idc/net/awsquery.h"

struct idc_err;
struct sigv4_creds;

/* The region STS is called in when nothing names one. */
#define STS_DEFAULT_REGION "us-east-1"

/* AssumeRole with params (RoleArn, RoleSessionName, ...), signed with
 * creds in region (NULL: STS_DEFAULT_REGION).  *out on success. */
int sts_assume_role(const struct sigv4_creds *creds, const char *region,
    const struct awsquery_param *params, size_t n, struct awsquery_assumed *out,
    struct idc_err *err);

/* GetCallerIdentity signed with creds. */
int sts_caller_identity(const struct sigv4_creds *creds, const char *region,
    struct awsquery_identity *out, struct idc_err *err);

#endif
