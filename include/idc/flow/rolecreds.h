/*
 * rolecreds.h - the role credentials of a profile: idc's cache of them and
 * the GetRoleCredentials flow that fills it, and the shapes in which
 * commands hand them out (credential_process JSON, shell lines).
 *
 * Cache: $XDG_CACHE_HOME/idc/rolecreds/<sha1>.json, one file per (sign-in,
 * account, role).  The sha1 is taken of the AWS CLI's own cache-key
 * document (sso-protocol.md 4.3): {"accountId":A,"roleName":R,
 * "sessionName":N} compact with sorted keys, or "startUrl":U instead of
 * "sessionName" for a legacy profile, so one sign-in, account and role
 * always land in the same file.  A file is one line of JSON in Python's
 * json.dumps layout:
 *
 *   {"AccessKeyId": "ASIA...", "SecretAccessKey": "...",
 *    "SessionToken": "...", "Expiration": "2026-11-27T19:13:22Z",
 *    "AccountId": "111111111111", "RoleName": "ReadOnly",
 *    "SessionName": "my-sso", "StartUrl": "https://..."}
 *
 * ("SessionName" is absent for a legacy profile), mode 0600, written
 * atomically (temporary file, fsync, rename), never through a symbolic
 * link.  A file that is not such JSON, or that names another account or
 * role, is a miss and is replaced by the next fetch; a file that cannot be
 * read (permissions, a symbolic link, a directory) is an error, because
 * idc cannot tell what is wrong with it and will not silently bypass it.
 *
 * Reuse: cached credentials are used while more than min_ttl seconds
 * remain (ROLECREDS_MIN_TTL_DEFAULT, 15 minutes, as the AWS CLI), else
 * fetched again.  The cached path reads the config and one small file:
 * it never reads the SSO token and never loads libcurl.
 *
 * Single flight: a fetch holds a lock per (sign-in, account, role)
 * ($XDG_CACHE_HOME/idc/locks/role-<sha1>.lock) and reads the cache again
 * once it has it, so N processes that find the cache empty or stale at
 * the same moment make exactly one GetRoleCredentials call; the others
 * wait and use its result.
 *
 * Secrets (the secret key and the session token) are registered with
 * log_secret and wiped when released.
 *
 * Errors: IDC_EAUTH (sign-in needed; the message ends with the login
 * command), IDC_EDENIED (no access to the role, or it does not exist),
 * IDC_ENET / IDC_ETLS / IDC_ESERVER (the portal), IDC_EIO (the cache
 * file or directory), IDC_ETIMEOUT (another idc held the lock too long),
 * IDC_EINTR, IDC_ECONFIG (no account or role, an invalid region).
 */
#ifndef IDC_ROLECREDS_H
#define IDC_ROLECREDS_H

#include <stddef.h>
#include <time.h>

struct idc_buf;
struct idc_err;
struct sso_ref;

/* Reuse cached credentials while more than this many seconds remain. */
#define ROLECREDS_MIN_TTL_DEFAULT (15 * 60)
/* The longest min_ttl accepted: the longest role session (12 hours). */
#define ROLECREDS_MIN_TTL_MAX (12 * 60 * 60)

struct rolecreds {
	char *access_key_id;
	char *secret_access_key; /* secret */
	char *session_token;     /* secret */
	time_t expiration;       /* epoch seconds */
	char *account_id;
	char *role_name;
	char *session_name; /* the sso-session, NULL for a legacy profile */
	char *start_url;
};

/* Which role of which sign-in. */
struct rolecreds_target {
	const struct sso_ref *ref;
	const char *account_id;
	const char *role_name;
	const char *login_hint; /* "idc login --profile dev", for messages */
};

/*
 * The min_ttl to use: flag (--min-ttl SECONDS) if not NULL, else the
 * environment variable IDC_MIN_TTL if set and not empty, else
 * ROLECREDS_MIN_TTL_DEFAULT.  A value that is not a whole number of
 * seconds from 0 to ROLECREDS_MIN_TTL_MAX fails with IDC_EUSAGE.
 */
int rolecreds_min_ttl(const char *flag, long *out, struct idc_err *err);

/* The cache-key document (allocated), as described above. */
char *rolecreds_key(const struct rolecreds_target *t);

/* The cache file of t (allocated), or NULL with err set (IDC_ECONFIG when
 * the cache directory cannot be found). */
char *rolecreds_path(const struct rolecreds_target *t, struct idc_err *err);

/*
 * The cached credentials of t, whatever their expiry.  IDC_ENOTFOUND when
 * there are none (a corrupt file counts as none); IDC_EIO when the file
 * cannot be read.  *out is set only on success (rolecreds_release).
 */
int rolecreds_load(const struct rolecreds_target *t, struct rolecreds *out,
    struct idc_err *err);

/* Write rc as the cached credentials of t (creating the directories). */
int rolecreds_save(const struct rolecreds_target *t, const struct rolecreds *rc,
    struct idc_err *err);

/*
 * Usable credentials for t: the cached ones while more than min_ttl
 * seconds remain, else new ones from GetRoleCredentials (with a token from
 * auth_token, which refreshes it if needed), cached before they are
 * returned.  Fresh credentials are returned even if they last less than
 * min_ttl.  *fetched (may be NULL) is set to 1 when a request was made.
 * Nothing is written when the fetch fails.
 */
int rolecreds_get(const struct rolecreds_target *t, long min_ttl,
    struct rolecreds *out, int *fetched, struct idc_err *err);

/*
 * Call fn for every cached credential file that belongs to ref (its
 * session, or for a legacy ref its start URL with no session), or for
 * every one when ref is NULL, in file-name order, with its path and
 * contents.  Unreadable and corrupt files are skipped.  fn returns 0 to go
 * on, -1 to stop (its error passes through).  A missing directory is no
 * error.  For `idc status`.
 */
int rolecreds_foreach(const struct sso_ref *ref,
    int (*fn)(const char *path, const struct rolecreds *rc, void *ud,
	struct idc_err *err),
    void *ud, struct idc_err *err);

/*
 * Remove every cached credential file of ref (as rolecreds_foreach selects
 * them).  *removed (may be NULL) counts the files removed.  For
 * `idc logout`.
 */
int rolecreds_remove_for(
    const struct sso_ref *ref, size_t *removed, struct idc_err *err);

void rolecreds_release(struct rolecreds *rc);

/*
 * Output shapes, as the AWS CLI's `configure export-credentials --format`
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
enum rolecreds_format {
	ROLECREDS_FMT_PROCESS = 0,
	ROLECREDS_FMT_ENV,
	ROLECREDS_FMT_ENV_NO_EXPORT,
	ROLECREDS_FMT_FISH,
	ROLECREDS_FMT_POWERSHELL,
	ROLECREDS_FMT_WINDOWS_CMD,
	ROLECREDS_FMT_JSON,
};

/* The format called name; -1 when there is none. */
int rolecreds_format_parse(const char *name, enum rolecreds_format *out);

/* "env|env-no-export|fish|..." for messages and help. */
const char *rolecreds_format_names(void);

/* Append rc in fmt to out (which should be released with
 * idc_buf_release_secret). */
int rolecreds_format(const struct rolecreds *rc, enum rolecreds_format fmt,
    struct idc_buf *out, struct idc_err *err);

#endif
