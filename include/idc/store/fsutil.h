/*
 * fsutil.h - safe file reads, atomic writes and cross-process locks.
 *
 * Files that hold secrets or that users keep (config, credentials, token
 * caches) are written all at once: a temporary file in the same directory,
 * written, fsync'd, renamed over the target, and the directory fsync'd, so a
 * crash or kill at any moment leaves the old file or the new one, never a mix.
 * A symbolic link at the target is refused unless the caller asks to write
 * through it (FSUTIL_FOLLOW_LINK, for config files users keep in dotfile
 * repositories); a temporary file is never left behind on failure.
 *
 * Locks are advisory flock(2) locks on a separate lock file, bounded in time.
 * All functions return 0 / -1 with err set (IDC_EIO, IDC_ETIMEOUT, IDC_EINTR,
 * IDC_ENOTFOUND for a missing file).
 *
 * Only regular files are read or locked (and the null device, which reads
 * as empty): files are opened without blocking, so a FIFO, socket or
 * device at a path is refused (IDC_EIO) instead of hanging idc.
 *
 * Trusted trees: paths.c declares idc's cache ($XDG_CACHE_HOME/idc) a
 * private tree and ~/.aws/sso/cache the shared one.  Every read, write and
 * lock below a tree first checks, as ssh does for ~/.ssh, each existing
 * directory from the tree's root down (owned by this user, not a symbolic
 * link below the root) and the file itself (owned by this user):
 *   private tree: a directory others can write to is made 0700, a file
 *     others can read or write 0600, with a warning; anything owned by
 *     another user is refused (IDC_EIO) with what to remove;
 *   shared tree: the AWS CLI's behaviour (used as it is), with one warning
 *     when a directory is writable by others or anything is another's.
 * A directory is checked once per process.
 */
#ifndef IDC_FSUTIL_H
#define IDC_FSUTIL_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct idc_buf;
struct idc_err;

#define FSUTIL_MKDIRS      0x1 /* create missing parent dirs, mode 0700 */
#define FSUTIL_KEEP_MODE   0x2 /* an existing file keeps its mode */
#define FSUTIL_FOLLOW_LINK 0x4 /* write the file a symlink points to */
#define FSUTIL_NO_SYNC     0x8 /* skip fsync (throw-away caches only) */

/*
 * Read the whole file at path into out (appending).  More than max bytes is
 * an error; a missing file is IDC_ENOTFOUND.  Symbolic links are followed
 * (reading is harmless); use fsutil_read_file_nofollow for secret files.
 */
int fsutil_read_file(
    const char *path, size_t max, struct idc_buf *out, struct idc_err *err);

/* As fsutil_read_file, refusing a symbolic link (IDC_EIO). */
int fsutil_read_file_nofollow(
    const char *path, size_t max, struct idc_buf *out, struct idc_err *err);

/*
 * A file open for reading in pieces, with the identity it had when opened
 * (for a caller that remembers what it read: store/configmemo.h).  Opened
 * with the same checks as fsutil_read_file (regular file, trusted tree),
 * refusing a symbolic link when nofollow.  path is borrowed and must
 * outlive f.  Close with fsutil_file_close (also after a failed read).
 */
struct fsutil_file {
	int fd;
	struct stat st;
	const char *path;
};

int fsutil_open_read(
    const char *path, int nofollow, struct fsutil_file *f, struct idc_err *err);

/* Append the rest of the file to out, in one read when its size is known;
 * more than max bytes is an error. */
int fsutil_file_read_all(struct fsutil_file *f, size_t max, struct idc_buf *out,
    struct idc_err *err);

/* Append exactly len bytes from offset off (an error when the file is
 * shorter now). */
int fsutil_file_pread(struct fsutil_file *f, unsigned long long off, size_t len,
    struct idc_buf *out, struct idc_err *err);

void fsutil_file_close(struct fsutil_file *f);

/*
 * Replace the file at path with len bytes of data, atomically, with the
 * given mode (or the existing file's mode with FSUTIL_KEEP_MODE).  On any
 * failure the original file is untouched and no temporary file remains.
 */
int fsutil_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode, unsigned flags, struct idc_err *err);

/* Create dir and its missing parents with the given mode.  An existing
 * directory is fine (its mode is left alone). */
int fsutil_mkdirs(const char *dir, mode_t mode, struct idc_err *err);

/* Declare dir the root of a private tree (shared 0) or of the shared one
 * (shared 1); idempotent.  fsutil_trust_reset forgets every tree and
 * every directory checked (for tests). */
void fsutil_trust_root(const char *dir, int shared);
void fsutil_trust_reset(void);

/* Remove a file; a missing file is not an error. */
int fsutil_unlink(const char *path, struct idc_err *err);

/*
 * Call fn for dir itself and everything below it (lstat: a symbolic link
 * is reported, never followed), directories before their contents, at
 * most FSUTIL_WALK_MAX entries and 8 levels.  fn returns 0 to go on.  A
 * missing dir is no error (fn is not called); IDC_EIO when a directory
 * cannot be read.
 */
#define FSUTIL_WALK_MAX 100000
struct stat;
int fsutil_walk(const char *dir,
    int (*fn)(const char *path, const struct stat *st, void *ud), void *ud,
    struct idc_err *err);

/*
 * scandir()'s order for idc's cache folders: byte order of the names, as
 * the C locale's alphasort() gives, without alphasort()'s strcoll().
 */
struct dirent;
int fsutil_dirent_cmp(const struct dirent **a, const struct dirent **b);

/*
 * Can files be made in dir?  A file is created there and removed (so the
 * answer holds also for root and read-only mounts); a missing dir counts
 * when the nearest existing parent directory is writable, since idc creates
 * the rest.  0 when writable, else -1 with err saying why (IDC_EIO) and
 * *where set to the allocated directory that refused (the caller frees it).
 */
int fsutil_dir_writable(const char *dir, char **where, struct idc_err *err);

struct fsutil_lock {
	int fd; /* -1 when not held */
};

#define FSUTIL_LOCK_INIT                                                       \
	{                                                                      \
		-1                                                             \
	}

/*
 * Take an exclusive lock on the lock file at path (created 0600, with its
 * directory, if missing), waiting at most timeout_ms (0: try once, <0: wait
 * forever).  When the wait lasts longer than a moment and waiting_for is not
 * NULL, a note "waiting for <waiting_for>" goes to stderr once.  Fails with
 * IDC_ETIMEOUT when the time runs out, IDC_EINTR when an interrupt arrives
 * while waiting (intr.h).
 */
int fsutil_lock_acquire(struct fsutil_lock *lock, const char *path,
    long timeout_ms, const char *waiting_for, struct idc_err *err);

/* Take a shared lock instead (readers that must not see a half-done
 * multi-file change).  Same rules as fsutil_lock_acquire. */
int fsutil_lock_acquire_shared(struct fsutil_lock *lock, const char *path,
    long timeout_ms, const char *waiting_for, struct idc_err *err);

/* Release the lock; a lock not held is fine.  The lock file stays. */
void fsutil_lock_release(struct fsutil_lock *lock);

#endif
