/*
 * configmemo.h - where one profile's sections lie in a large config file,
 * remembered, so that reading that profile again costs the same whatever
 * the size of the file (a 100,000-profile config after populate).
 *
 * awsconfig.c checks the whole file as botocore would the first time.  When
 * the file is large and passes, it records the byte ranges that matter to
 * the profile asked for: every section except the other profiles (so the
 * sso-sessions, services, [DEFAULT] and unknown sections) plus the
 * profile's own.  While the file keeps its identity (device, inode, size,
 * modification and change times to the nanosecond), a later read of that
 * profile reads only those ranges, checks that they hash to what was
 * recorded, and runs the very same scan and resolution on them.  A file
 * changed less than two seconds ago is not memoised: a second change
 * within one timestamp tick would keep its identity (git's "racily clean"
 * rule).  Only the read path uses memos; edits always read the whole file.
 *
 * Memos live in $XDG_CACHE_HOME/idc/configmemo/, in idc's private cache
 * tree (fsutil.h checks its owner and modes).  A memo that is missing,
 * unreadable, stale or malformed is a miss, never an error: the slow path
 * is always right.
 */
#ifndef IDC_CONFIGMEMO_H
#define IDC_CONFIGMEMO_H

#include <stddef.h>
#include <sys/stat.h>

/* Smaller files are read whole: a memo would save nothing. */
#define CONFIGMEMO_MIN_SIZE (512u * 1024u)
/* A memo names at most this many ranges, of at most this many bytes. */
#define CONFIGMEMO_MAX_RANGES 64
#define CONFIGMEMO_MAX_BYTES  (256u * 1024u)

struct configmemo_range {
	unsigned long long off, len;
};

struct configmemo {
	struct configmemo_range range[CONFIGMEMO_MAX_RANGES];
	size_t n;
	unsigned char sha1[20]; /* of the ranges' bytes, in order */
};

/*
 * The memo for (path, name) when it matches st, the identity of the file
 * open at path: 0 with *memo filled, or -1 (no memo, or it does not match).
 * name is the profile, or NULL for a read that needs no profile.
 */
int configmemo_lookup(const char *path, const struct stat *st, const char *name,
    struct configmemo *memo);

/*
 * Remember memo for (path, name) and the file's identity st.  Nothing is
 * written for a file changed in the last two seconds; failures are
 * ignored (a --debug line).
 */
void configmemo_save(const char *path, const struct stat *st, const char *name,
    const struct configmemo *memo);

#endif
