/*
 * credfmt.h - role credentials in the shapes commands hand them out, as
 * the AWS CLI's `configure export-credentials --format`
 * prints them (sso-protocol.md 7.1), plus json:
 *   process        credential_process JSON: indent 2, "Version": 1,
 *                  Expiration as 2026-11-27T19:13:22+00:00
 *   env            export AWS_ACCESS_KEY_ID=...  (POSIX shells)
 *   env-no-export  AWS_ACCESS_KEY_ID=...
 *   fish           set -gx AWS_ACCESS_KEY_ID "..."
 *   powershell     $Env:AWS_ACCESS_KEY_ID="..."
 *   windows-cmd    set AWS_ACCESS_KEY_ID=...
 *   json           {"AccessKeyId", "SecretAccessKey", "SessionToken",
 *                  "Expiration" (...Z), "AccountId", "RoleName"}, indent 2
 * The shell lines set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION in that order.
 *
 * Quoting: real credentials (letters, digits and + / = - _ . : , @ %) are
 * printed exactly as the AWS CLI prints them.  A value with any other
 * character is quoted for the shell instead of pasted raw: single quotes
 * for POSIX shells and PowerShell (which gets single quotes and doubled
 * quote characters, including its Unicode ones), backslash escapes inside
 * fish's double quotes, carets for cmd.exe.  cmd.exe cannot carry '%',
 * '!', '"' or a line break safely: such a value fails with IDC_EFAIL.
 */
#ifndef IDC_CREDFMT_H
#define IDC_CREDFMT_H

struct idc_buf;
struct idc_err;
struct rolecreds;

enum credfmt {
	CREDFMT_PROCESS = 0,
	CREDFMT_ENV,
	CREDFMT_ENV_NO_EXPORT,
	CREDFMT_FISH,
	CREDFMT_POWERSHELL,
	CREDFMT_WINDOWS_CMD,
	CREDFMT_JSON,
};

/* The format called name; -1 when there is none. */
int credfmt_parse(const char *name, enum credfmt *out);

/* "env, env-no-export, fish, ..." for messages and help. */
const char *credfmt_names(void);

/* Append rc in fmt to out (which should be released with
 * idc_buf_release_secret).  IDC_EFAIL when a value cannot be carried
 * safely in fmt or out is full. */
int credfmt_write(const struct rolecreds *rc, enum credfmt fmt,
    struct idc_buf *out, struct idc_err *err);

#endif
