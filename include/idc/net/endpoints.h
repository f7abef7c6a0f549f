/*
 * endpoints.h - the URLs of the IAM Identity Center OIDC and access-portal
 * services for a region, as botocore's endpoint rules build them.
 *
 * The environment overrides them as the AWS SDKs do:
 * AWS_ENDPOINT_URL_SSO_OIDC (OIDC), AWS_ENDPOINT_URL_SSO (portal), then
 * AWS_ENDPOINT_URL (both).  Results are allocated, without a trailing '/';
 * the caller frees them.  A region that does not have the shape of an AWS
 * region (lower-case letters, digits and dashes, in one of the partitions'
 * patterns) is refused with IDC_ECONFIG, so no region can change the host.
 */
#ifndef IDC_ENDPOINTS_H
#define IDC_ENDPOINTS_H

struct idc_err;

/* https://oidc.<region>.<suffix>, or the override. */
char *endpoints_oidc(const char *region, struct idc_err *err);

/* https://portal.sso.<region>.<suffix>, or the override. */
char *endpoints_portal(const char *region, struct idc_err *err);

#endif
