/*
 * validate.h - checks of what people type (flags, prompts) and of values
 * read from the config file before idc uses them.
 *
 * Each function returns 0 when the value is acceptable, else -1 with err set
 * to IDC_EUSAGE and a one-line reason naming the value: callers that
 * validate a file's contents turn the code into IDC_ECONFIG and add where
 * the value came from.  None allocates.
 */
#ifndef IDC_VALIDATE_H
#define IDC_VALIDATE_H

struct idc_err;

/*
 * An access-portal start URL: "https://", a host name (letters, digits,
 * '-' and '.' in labels), an IPv4 address or a bracketed IPv6 address, an
 * optional port, then an optional path of printable ASCII.  No user info,
 * no white space, at most 2048 bytes.
 */
int validate_start_url(const char *url, struct idc_err *err);

/*
 * An AWS region in one of the partitions' patterns (endpoints.h), so that
 * it cannot change the host of an endpoint built from it.  what names the
 * value in the message ("SSO region", "region").
 */
int validate_region(const char *region, const char *what, struct idc_err *err);

/* An AWS account id: exactly 12 digits. */
int validate_account_id(const char *id, struct idc_err *err);

/*
 * A profile, sso-session or role name as it will stand in a section
 * header or a value: not empty or only white space, no leading or
 * trailing white space, no ']', no line break or other control character
 * (C0, DEL, C1, bidi controls: safetext.h), valid UTF-8, at most 256
 * bytes.  what names it ("sso-session name").
 */
int validate_name(const char *name, const char *what, struct idc_err *err);

/*
 * sso_registration_scopes as typed: comma-separated items, each stripped;
 * empty items are dropped but at least one must remain, and an item must
 * not contain white space ("scope values must be separated by commas").
 */
int validate_scopes(const char *scopes, struct idc_err *err);

/* A profile's output format as the AWS CLI knows them: json, text, table,
 * yaml or yaml-stream. */
int validate_output_format(const char *output, struct idc_err *err);

/*
 * The same checks in the shape of ui_prompt's check callback (ud unused),
 * for the commands that ask for these values and take them as flags.
 */
int validate_check_session_name(const char *v, void *ud, struct idc_err *err);
int validate_check_start_url(const char *v, void *ud, struct idc_err *err);
int validate_check_sso_region(const char *v, void *ud, struct idc_err *err);
int validate_check_region(const char *v, void *ud, struct idc_err *err);
int validate_check_scopes(const char *v, void *ud, struct idc_err *err);
int validate_check_role_name(const char *v, void *ud, struct idc_err *err);
int validate_check_output_format(const char *v, void *ud, struct idc_err *err);

#endif
