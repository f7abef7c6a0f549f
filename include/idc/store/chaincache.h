/*
 * chaincache.h - idc's cache of chained role credentials (role_arn
 * profiles): $XDG_CACHE_HOME/idc/chained/<sha1>.json, one file per set of
 * AssumeRole inputs.  The sha1 is taken of the key document that
 * flow/chain.c builds from every input that changes the result (role ARN,
 * session name, external id, duration, MFA serial, source identity, the
 * source and the endpoint); the file repeats that document, so a file
 * copied or renamed is a miss.  A file is one line of JSON:
 *
 *   {"AccessKeyId": "ASIA...", "SecretAccessKey": "...",
 *    "SessionToken": "...", "Expiration": "2026-11-27T19:13:22Z",
 *    "AccountId": "210987654321", "RoleName": "deploy",
 *    "Arn": "arn:aws:sts::210987654321:assumed-role/deploy/idc-1",
 *    "Key": "{...}"}
 *
 * mode 0600, written atomically, never through a symbolic link; the
 * directories are 0700.  Only this module reads or writes that directory.
 * Secrets read from it are registered with log_secret.
 *
 * Errors: IDC_ENOTFOUND (no usable entry: missing, corrupt, another key),
 * IDC_EIO (the file cannot be read or written), IDC_ECONFIG (no cache
 * directory).
 */
#ifndef IDC_CHAINCACHE_H
#define IDC_CHAINCACHE_H

#include <stddef.h>

#include "idc/core/creds.h"

struct idc_err;

struct chaincache_entry {
	struct rolecreds rc; /* session_name and start_url unused */
	char *arn;           /* the assumed role's ARN */
};

/* The cache file and the lock file of key (allocated). */
char *chaincache_path(const char *key, struct idc_err *err);
char *chaincache_lock_path(const char *key, struct idc_err *err);

/* The entry at path if it holds key's credentials, whatever their expiry.
 * With warn, a corrupt file gets a warning that it will be replaced. */
int chaincache_load(const char *path, const char *key,
    struct chaincache_entry *out, int warn, struct idc_err *err);

/* Write e as key's entry at path (creating the directories). */
int chaincache_save(const char *path, const char *key,
    const struct chaincache_entry *e, struct idc_err *err);

void chaincache_entry_release(struct chaincache_entry *e);

/*
 * Remove every cached entry for whose key document drop returns 1, and
 * every file that holds no readable key (a corrupt entry still may hold
 * secrets).  *removed (may be NULL) counts the files removed.  A missing
 * directory is no error.
 */
int chaincache_remove_where(int (*drop)(const char *key, void *ud), void *ud,
    size_t *removed, struct idc_err *err);

#endif
