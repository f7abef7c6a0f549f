/*
 * endpoints.h - the URLs of the services idc calls for a region, as
 * botocore's endpoint rules build them: IAM Identity Center's OIDC and
 * access portal, its administration (identitystore, sso-admin) and STS.
 *
 * The environment overrides them as the AWS SDKs do:
 * AWS_ENDPOINT_URL_SSO_OIDC (OIDC), AWS_ENDPOINT_URL_SSO (portal),
 * AWS_ENDPOINT_URL_IDENTITYSTORE, AWS_ENDPOINT_URL_SSO_ADMIN,
 * AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SIGNIN (the console sign-in), then
 * AWS_ENDPOINT_URL (all).  Results are allocated, without a trailing '/';
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

/* https://identitystore.<region>.<suffix>, or the override. */
char *endpoints_identitystore(const char *region, struct idc_err *err);

/* https://sso.<region>.<suffix> (sso-admin), or the override. */
char *endpoints_sso_admin(const char *region, struct idc_err *err);

/* https://sts.<region>.<suffix> (the regional endpoint), or the
 * override. */
char *endpoints_sts(const char *region, struct idc_err *err);

/* The partition's console sign-in host (https://signin.aws.amazon.com,
 * https://signin.amazonaws-us-gov.com, https://signin.amazonaws.cn; a
 * NULL region is us-east-1), or AWS_ENDPOINT_URL_SIGNIN, then
 * AWS_ENDPOINT_URL.  IDC_ECONFIG for another partition. */
char *endpoints_signin(const char *region, struct idc_err *err);

#endif
