/*
 * endpoints.h - the URLs of the IAM Identity Center OIDC and access-portal
 * services for a region, as botocore's endpoint rules build them.
 *
 * The environment overrides them as the AWS SDKs do:
 * AWS_ENDPOINT_URL_SSO_OIDC (OIDC), AWS_ENDPOINT_URL_SSO (portal),
 * AWS_ENDPOINT_URL_SIGNIN (console sign-in), then AWS_ENDPOINT_URL (all).  Results are allocated, without a trailing '/';
 * the caller frees them.  A region that does not have the shape of an AWS
 * region (lower-case letters, digits and dashes, in one of the partitions'
 * patterns) is refused with IDC_ECONFIG, so no region can change the host.
 */
#ifndef IDC_ENDPOINTS_H
#define IDC_ENDPOINTS_H

struct idc_err;

/* The DNS suffix of region's partition ("amazonaws.com", ...), or NULL if
 * the region matches no partition's pattern. */
const char *endpoints_dns_suffix(const char *region);

/* The partition of region ("aws", "aws-us-gov", "aws-cn", ...), or NULL. */
const char *endpoints_partition(const char *region);

/* https://oidc.<region>.<suffix>, or the override. */
char *endpoints_oidc(const char *region, struct idc_err *err);

/* https://portal.sso.<region>.<suffix>, or the override. */
char *endpoints_portal(const char *region, struct idc_err *err);

/* The partition's console sign-in host (https://signin.aws.amazon.com,
 * https://signin.amazonaws-us-gov.com, https://signin.amazonaws.cn; a
 * NULL region is us-east-1), or AWS_ENDPOINT_URL_SIGNIN, then
 * AWS_ENDPOINT_URL.  IDC_ECONFIG for another partition. */
char *endpoints_signin(const char *region, struct idc_err *err);

#endif
