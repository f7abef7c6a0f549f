/*
 * federation.h - the AWS sign-in federation endpoint, without I/O: the
 * getSigninToken request for a role's temporary credentials, its answer,
 * and the login URL that opens the console as that role.
 *
 *   GET {base}/federation?Action=getSigninToken&SessionType=json
 *       &Session={"sessionId":AKID,"sessionKey":SECRET,"sessionToken":TOKEN}
 *   -> {"SigninToken": "..."}
 *   {base}/federation?Action=login&Issuer=...&Destination=...&SigninToken=...
 *
 * The base is the partition's sign-in host (endpoints_signin).  The
 * request path, the token and the login URL are credentials (the URL
 * signs anyone in for 15 minutes): each is registered with log_secret
 * before it is returned, so no log line shows it, and freed with
 * secret_free.
 *
 * Errors: IDC_ESERVER for an answer without a usable token, IDC_EUSAGE
 * for a destination that is neither an https URL nor a service name,
 * IDC_ECONFIG for a region outside the partitions with a console.
 */
#ifndef IDC_FEDERATION_H
#define IDC_FEDERATION_H

#include <stddef.h>

struct idc_err;

/* "/federation?Action=getSigninToken&SessionType=json&Session=...", or
 * NULL when the credentials are absurdly long (awsquery_form). */
char *federation_token_path(const char *access_key_id,
    const char *secret_access_key, const char *session_token);

/* The SigninToken of a getSigninToken answer (printable ASCII, at most
 * 16 KiB), into *token. */
int federation_token_parse(
    const char *body, size_t len, char **token, struct idc_err *err);

/*
 * The console page to land on, allocated: dest when it is an https URL;
 * {console}/{dest}/home?region={region} when it is a service name
 * (letters, digits and '-': s3, ec2, iam, lambda, cloudwatch, ...);
 * {console}/console/home?region={region} when dest is NULL.  {console} is
 * the partition's (console.aws.amazon.com, console.amazonaws-us-gov.com,
 * console.amazonaws.cn); a NULL region is us-east-1.
 */
char *federation_destination(
    const char *dest, const char *region, struct idc_err *err);

/* {base}/federation?Action=login&Issuer=...&Destination=...&SigninToken=...
 * (Issuer left out when NULL), or NULL as federation_token_path. */
char *federation_login_url(const char *base, const char *issuer,
    const char *destination, const char *token);

#endif
