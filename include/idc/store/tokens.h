/*
 * tokens.h - the SSO token and client-registration cache shared with the
 * AWS CLI and every SDK: ~/.aws/sso/cache/<sha1>.json.
 *
 * The only module that reads or writes that directory.  File names, keys and
 * timestamp format are the AWS CLI's (sso-protocol.md 4.1, 4.2), so a
 * sign-in by either tool serves both.  Files are read tolerantly (any
 * timestamp form, unknown keys kept and written back), written atomically
 * with mode 0600 in Python json.dumps layout, and a corrupt file is treated
 * as missing (and replaced on the next write) instead of failing.
 *
 * Errors: IDC_ENOTFOUND when there is no (usable) file, IDC_EIO for the file
 * system, IDC_ECONFIG when HOME cannot be found.
 */
#ifndef IDC_TOKENS_H
#define IDC_TOKENS_H

#include <time.h>

#include "idc/core/ssoref.h"

struct idc_err;
struct fsutil_lock;

struct sso_token {
	char *start_url;
	char *region;
	char *access_token; /* secret */
	time_t expires_at;
	char *refresh_token;            /* secret, or NULL */
	char *client_id;                /* or NULL */
	char *client_secret;            /* secret, or NULL */
	time_t registration_expires_at; /* 0 when absent */
	char *extra; /* unknown members, as a JSON object text, or NULL */
};

struct sso_registration {
	char *client_id;
	char *client_secret; /* secret */
	time_t expires_at;
	int pkce; /* grantTypes holds authorization_code */
};

/* ~/.aws/sso/cache/<sha1 of the session name or start URL>.json */
char *tokens_token_path(const struct sso_ref *ref, struct idc_err *err);

/* ~/.aws/sso/cache/<sha1 of the AWS CLI's registration key>.json */
char *tokens_registration_path(const struct sso_ref *ref, struct idc_err *err);

/* 1 if a token file for ref exists (signed in, perhaps expired), else 0:
 * a check cheap enough for every cached credential_process call. */
int tokens_exist(const struct sso_ref *ref);

/* Load the token; IDC_ENOTFOUND when missing, corrupt or without an access
 * token or expiry (a warning says a corrupt file will be replaced: this
 * file idc writes at the next sign-in; tokens_foreach skips the cache's
 * other corrupt files without a word). */
int tokens_load(
    const struct sso_ref *ref, struct sso_token *out, struct idc_err *err);

/* Write the token (creating the cache directory). */
int tokens_save(const struct sso_ref *ref, const struct sso_token *tok,
    struct idc_err *err);

/* Remove the token file; a missing one is fine. */
int tokens_remove(const struct sso_ref *ref, struct idc_err *err);

void sso_token_release(struct sso_token *tok);

/*
 * Call fn for every token file in the cache (a *.json file with an access
 * token and an expiry; registrations and other files are skipped), in name
 * order, with its path and contents.  fn returns 0 to go on, -1 to stop
 * (its error passes through).  A missing cache directory is no error.
 */
int tokens_foreach(int (*fn)(const char *path, const struct sso_token *tok,
		       void *ud, struct idc_err *err),
    void *ud, struct idc_err *err);

/* Remove one token file found by tokens_foreach. */
int tokens_remove_file(const char *path, struct idc_err *err);

/* The text of a token file or a registration file (no I/O; fuzzed): 0
 * with *out set, or -1 with IDC_ENOTFOUND when it is not a JSON object or
 * lacks what it needs.  name names the file in messages.  The secrets
 * found are registered with log_secret. */
int tokens_parse_token(const char *text, size_t len, const char *name,
    struct sso_token *out, struct idc_err *err);
int tokens_parse_registration(const char *text, size_t len, const char *name,
    struct sso_registration *out, struct idc_err *err);

/* The cached registration; IDC_ENOTFOUND when missing or corrupt. */
int tokens_load_registration(const struct sso_ref *ref,
    struct sso_registration *out, struct idc_err *err);
int tokens_save_registration(const struct sso_ref *ref,
    const struct sso_registration *reg, struct idc_err *err);
void sso_registration_release(struct sso_registration *reg);

/*
 * The cross-process lock of one sign-in (session or start URL), under
 * $XDG_CACHE_HOME/idc/locks/: held while signing in or refreshing so that
 * concurrent idc processes do it once.  timeout_ms as fsutil_lock_acquire.
 */
int tokens_lock(const struct sso_ref *ref, long timeout_ms,
    struct fsutil_lock *lock, struct idc_err *err);

/*
 * Tokens the server refused (the portal answered 401, or a refresh was
 * refused): tokens_reject marks tok, the cached token of ref, as unusable
 * (in $XDG_CACHE_HOME/idc/rejected/, by a hash of the access token, so a
 * token that replaces it in the cache is not marked); tokens_rejected and
 * tokens_rejected_at (by the token file's path) tell whether tok is so
 * marked.  A mark that cannot be read counts as none.
 */
int tokens_reject(const struct sso_ref *ref, const struct sso_token *tok,
    struct idc_err *err);
int tokens_rejected(const struct sso_ref *ref, const struct sso_token *tok);
int tokens_rejected_at(const char *token_path, const struct sso_token *tok);

/* A short, stable name of the sign-in for messages: the session name, or
 * the start URL. */
const char *tokens_ref_name(const struct sso_ref *ref);

#endif
