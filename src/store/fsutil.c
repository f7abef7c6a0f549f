/*
 * fsutil.c - atomic writes, bounded reads and flock-based locks, and the
 * owner and mode checks of idc's own directories (fsutil.h).
 */
#include "idc/store/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/deadline.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/kernel.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"

/* ---- trusted trees -------------------------------------------------- */

#define FSUTIL_MAX_ROOTS   4
#define FSUTIL_MAX_CHECKED 16

static struct {
	char *path;
	size_t len;
	int shared;
} fsutil_roots[FSUTIL_MAX_ROOTS];
static size_t fsutil_nroots;
/* Directories found in order (or repaired) by this process. */
static char *fsutil_checked[FSUTIL_MAX_CHECKED];
static size_t fsutil_nchecked;
static int fsutil_shared_warned;

void
fsutil_trust_root(const char *dir, int shared)
{
	size_t i, n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (i = 0; i < fsutil_nroots; i++)
		if (fsutil_roots[i].len == n &&
		    memcmp(fsutil_roots[i].path, dir, n) == 0)
			return;
	if (fsutil_nroots == FSUTIL_MAX_ROOTS)
		return;
	fsutil_roots[fsutil_nroots].path = xstrndup(dir, n);
	fsutil_roots[fsutil_nroots].len = n;
	fsutil_roots[fsutil_nroots].shared = shared;
	fsutil_nroots++;
}

void
fsutil_trust_reset(void)
{
	size_t i;

	for (i = 0; i < fsutil_nroots; i++)
		free(fsutil_roots[i].path);
	for (i = 0; i < fsutil_nchecked; i++)
		free(fsutil_checked[i]);
	fsutil_nroots = fsutil_nchecked = 0;
	fsutil_shared_warned = 0;
}

/* The tree path lies in (path itself or below the root), or -1. */
static int
fsutil_root_of(const char *path)
{
	size_t i, n;

	for (i = 0; i < fsutil_nroots; i++) {
		n = fsutil_roots[i].len;
		if (strncmp(path, fsutil_roots[i].path, n) == 0 &&
		    (path[n] == '/' || path[n] == '\0'))
			return (int)i;
	}
	return -1;
}

static int
fsutil_was_checked(const char *dir, size_t n)
{
	size_t i;

	for (i = 0; i < fsutil_nchecked; i++)
		if (strlen(fsutil_checked[i]) == n &&
		    memcmp(fsutil_checked[i], dir, n) == 0)
			return 1;
	return 0;
}

static void
fsutil_shared_warn(const char *what, const char *path, const struct stat *st)
{
	if (fsutil_shared_warned++)
		return;
	log_warn("'%s' %s (owner uid %u, mode %04o); the AWS CLI uses it as "
		 "it is and so does idc, but another user could read or "
		 "replace your sign-in there",
	    path, what, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
}

/*
 * The checks ssh makes of ~/.ssh, for one directory of a tree: a directory
 * (a symbolic link only at the root), owned by this user, and writable by
 * no one else (the files in it are 0600, so a readable 0755 directory
 * shows only hashed names).  A private tree is repaired (chmod 0700, with a
 * warning) or
 * refused; the shared one gets a warning only.  A missing directory is
 * fine: whatever creates it makes it 0700.  Returns 1 when dir is missing.
 */
/* The effective uid, asked once: idc never changes it. */
static uid_t
fsutil_euid(void)
{
	static uid_t euid;
	static int known;

	if (!known) {
		euid = kernel_euid();
		known = 1;
	}
	return euid;
}

static int
fsutil_check_dir(const char *dir, int is_root, int shared, struct idc_err *err)
{
	struct stat st;
	int r = is_root ? stat(dir, &st) : lstat(dir, &st);

	if (r == -1) {
		if (errno == ENOENT)
			return 1;
		return idc_err_errno(err, IDC_EIO, "cannot inspect '%s'", dir);
	}
	if (!S_ISDIR(st.st_mode)) {
		if (shared)
			return 0;
		return idc_err_set(err, IDC_EIO,
		    "refusing to use '%s': it is not a directory; remove it "
		    "and idc makes a new one",
		    dir);
	}
	if (st.st_uid != fsutil_euid()) {
		if (shared) {
			fsutil_shared_warn("belongs to another user", dir, &st);
			return 0;
		}
		return idc_err_set(err, IDC_EIO,
		    "refusing to use '%s': it belongs to uid %u, not to you "
		    "(uid %u); remove it and idc makes a new one",
		    dir, (unsigned)st.st_uid, (unsigned)fsutil_euid());
	}
	if (shared) {
		if (st.st_mode & 022)
			fsutil_shared_warn(
			    "can be written by other users", dir, &st);
		return 0;
	}
	if ((st.st_mode & 022) != 0) {
		if (chmod(dir, 0700) == -1)
			return idc_err_errno(err, IDC_EIO,
			    "refusing to use '%s': other users can write to it "
			    "(mode %04o) and it cannot be made private",
			    dir, (unsigned)(st.st_mode & 07777));
		log_warn("'%s' could be written by other users (mode %04o); "
			 "made it 0700",
		    dir, (unsigned)(st.st_mode & 07777));
	}
	return 0;
}

/* Check every existing directory from path's root down to path's own
 * directory. */
static int
fsutil_guard_dirs(const char *path, struct idc_err *err)
{
	int root = fsutil_root_of(path), r;
	const char *end;
	size_t n, stop;
	char *dir;

	if (root < 0)
		return 0;
	stop = (size_t)(strrchr(path, '/') - path);
	for (n = fsutil_roots[root].len;; n = (size_t)(end - path)) {
		if (!fsutil_was_checked(path, n)) {
			dir = xstrndup(path, n);
			r = fsutil_check_dir(dir, n == fsutil_roots[root].len,
			    fsutil_roots[root].shared, err);
			if (r == 0 && fsutil_nchecked < FSUTIL_MAX_CHECKED)
				fsutil_checked[fsutil_nchecked++] = dir;
			else
				free(dir);
			if (r != 0)
				return r == 1 ? 0 : -1;
		}
		if (n >= stop)
			return 0;
		end = strchr(path + n + 1, '/');
		if (end == NULL || (size_t)(end - path) > stop)
			end = path + stop;
	}
}

/* An open file of a tree, whose fstat is *stp: this user's, and (private
 * tree) open to no one else, repaired with a warning (*stp follows), or
 * refused. */
static int
fsutil_guard_file(
    int fd, struct stat *stp, const char *path, struct idc_err *err)
{
	struct stat st = *stp;
	int root = fsutil_root_of(path);

	if (root < 0)
		return 0;
	if (st.st_uid != fsutil_euid()) {
		if (fsutil_roots[root].shared) {
			fsutil_shared_warn(
			    "belongs to another user", path, &st);
			return 0;
		}
		return idc_err_set(err, IDC_EIO,
		    "refusing to use '%s': it belongs to uid %u, not to you "
		    "(uid %u); remove it",
		    path, (unsigned)st.st_uid, (unsigned)fsutil_euid());
	}
	if (!fsutil_roots[root].shared && (st.st_mode & 077) != 0) {
		if (fchmod(fd, 0600) == -1)
			return idc_err_errno(err, IDC_EIO,
			    "refusing to use '%s': it is open to other users "
			    "(mode %04o) and cannot be made private",
			    path, (unsigned)(st.st_mode & 07777));
		log_warn("'%s' was open to other users (mode %04o); made it "
			 "0600",
		    path, (unsigned)(st.st_mode & 07777));
		stp->st_mode = (stp->st_mode & ~(mode_t)07777) | 0600;
	}
	return 0;
}

/* ---- reading ---------------------------------------------------------- */

/* Is st the null device (AWS_CONFIG_FILE=/dev/null reads as empty)? */
static int
fsutil_is_null_device(const struct stat *st)
{
	struct stat null;

	return S_ISCHR(st->st_mode) && stat("/dev/null", &null) == 0 &&
	    S_ISCHR(null.st_mode) && st->st_rdev == null.st_rdev;
}

/* A descriptor open without blocking must be a regular file (or the null
 * device) to be read: a FIFO, socket or terminal would hang idc. */
static int
fsutil_check_regular(
    const struct stat *stp, const char *path, struct idc_err *err)
{
	struct stat st = *stp;

	if (S_ISREG(st.st_mode) || fsutil_is_null_device(&st))
		return 0;
	return idc_err_set(err, IDC_EIO,
	    "refusing to read '%s': it is %s, not a regular file", path,
	    S_ISFIFO(st.st_mode)       ? "a fifo"
		: S_ISDIR(st.st_mode)  ? "a directory"
		: S_ISSOCK(st.st_mode) ? "a socket"
		: S_ISCHR(st.st_mode)  ? "a character device"
				       : "a special file");
}

static int
fsutil_read_fd(int fd, const char *path, size_t max, size_t hint,
    struct idc_buf *out, struct idc_err *err)
{
	size_t start = out->len, got, room, want;
	ssize_t n;
	char *p, probe;

	for (;;) {
		got = out->len - start;
		room = max - got;
		if (room > out->max - out->len)
			room = out->max - out->len;
		/* Room for the whole file at once when its size is known: one
		 * read, no copy.  Once that much is in (or no room is left), a
		 * one-byte read on the stack sees the end without growing the
		 * buffer. */
		if (room == 0 || (hint > 0 && got == hint)) {
			n = read(fd, &probe, 1);
			if (n == 0)
				return 0;
			if (n > 0) {
				if (room == 0 ||
				    idc_buf_add(out, &probe, 1) == -1)
					goto too_large;
				hint = 0;
				continue;
			}
		} else {
			want = hint > got ? hint - got : 16384;
			if (want > room)
				want = room;
			if ((p = idc_buf_reserve(out, want)) == NULL)
				goto too_large;
			n = read(fd, p, want);
			if (n == 0)
				return 0;
			if (n > 0) {
				idc_buf_commit(out, (size_t)n);
				continue;
			}
		}
		if (errno == EINTR && !intr_pending())
			continue;
		return idc_err_errno(err, IDC_EIO, "cannot read '%s'", path);
	}
too_large:
	return idc_err_set(err, IDC_EIO,
	    "'%s' is larger than the limit of %zu bytes", path, max);
}

int
fsutil_open_read(
    const char *path, int nofollow, struct fsutil_file *f, struct idc_err *err)
{
	int fd;

	if (fsutil_guard_dirs(path, err) == -1)
		return -1;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path,
	    O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
		(nofollow ? O_NOFOLLOW : 0));
	if (fd == -1) {
		if (errno == ENOENT)
			return idc_err_errno(
			    err, IDC_ENOTFOUND, "cannot open '%s'", path);
		if (errno == ELOOP)
			return idc_err_set(err, IDC_EIO,
			    "refusing to read '%s': it is a symbolic link",
			    path);
		return idc_err_errno(err, IDC_EIO, "cannot open '%s'", path);
	}
	/* One fstat for all three: the type, the owner and mode, the size. */
	if (kernel_fstat(fd, &f->st) == -1) {
		idc_err_errno(err, IDC_EIO, "cannot inspect '%s'", path);
		close(fd);
		return -1;
	}
	if (fsutil_check_regular(&f->st, path, err) == -1 ||
	    fsutil_guard_file(fd, &f->st, path, err) == -1) {
		close(fd);
		return -1;
	}
	f->fd = fd;
	f->path = path;
	return 0;
}

int
fsutil_file_read_all(
    struct fsutil_file *f, size_t max, struct idc_buf *out, struct idc_err *err)
{
	/* f is open, so fsutil_file_open filled f->st. */
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
	size_t hint = S_ISREG(f->st.st_mode) && f->st.st_size > 0
	    ? (size_t)f->st.st_size
	    : 0;

	return fsutil_read_fd(f->fd, f->path, max, hint, out, err);
}

int
fsutil_file_pread(struct fsutil_file *f, unsigned long long off, size_t len,
    struct idc_buf *out, struct idc_err *err)
{
	size_t done = 0;
	ssize_t n;
	char *p;

	if ((p = idc_buf_reserve(out, len)) == NULL)
		return idc_err_set(err, IDC_EIO,
		    "'%s': a range larger than the limit", f->path);
	while (done < len) {
		n = pread(f->fd, p + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR && !intr_pending())
			continue;
		if (n < 0)
			return idc_err_errno(
			    err, IDC_EIO, "cannot read '%s'", f->path);
		if (n == 0)
			return idc_err_set(err, IDC_EIO,
			    "'%s' is shorter than expected", f->path);
		done += (size_t)n;
	}
	idc_buf_commit(out, len);
	return 0;
}

void
fsutil_file_close(struct fsutil_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

static int
fsutil_read(const char *path, size_t max, int nofollow, struct idc_buf *out,
    struct idc_err *err)
{
	struct fsutil_file f;
	int r;

	if (fsutil_open_read(path, nofollow, &f, err) == -1)
		return -1;
	r = fsutil_file_read_all(&f, max, out, err);
	fsutil_file_close(&f);
	return r;
}

int
fsutil_read_file(
    const char *path, size_t max, struct idc_buf *out, struct idc_err *err)
{
	return fsutil_read(path, max, 0, out, err);
}

int
fsutil_read_file_nofollow(
    const char *path, size_t max, struct idc_buf *out, struct idc_err *err)
{
	return fsutil_read(path, max, 1, out, err);
}

int
fsutil_mkdirs(const char *dir, mode_t mode, struct idc_err *err)
{
	char *p = xstrdup(dir), *s;
	struct stat st;
	int r = -1;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST) {
			idc_err_errno(
			    err, IDC_EIO, "cannot create directory '%s'", p);
			goto out;
		}
		*s = saved;
		if (saved == '\0')
			break;
	}
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		idc_err_set(err, IDC_EIO, "'%s' is not a directory", dir);
		goto out;
	}
	r = 0;
out:
	free(p);
	return r;
}

int
fsutil_unlink(const char *path, struct idc_err *err)
{
	if (unlink(path) == -1 && errno != ENOENT)
		return idc_err_errno(err, IDC_EIO, "cannot remove '%s'", path);
	return 0;
}

/* Split path into its directory (allocated) and base name (pointer into
 * path). */
static char *
fsutil_dirname(const char *path, const char **basep)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		*basep = path;
		return xstrdup(".");
	}
	*basep = slash + 1;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int
fsutil_write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Where a write to path really goes: path itself, or with
 * FSUTIL_FOLLOW_LINK the file its symbolic link names.  Refuses links
 * otherwise. */
static char *
fsutil_write_target(const char *path, unsigned flags, struct idc_err *err)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return xstrdup(path);
		idc_err_errno(err, IDC_EIO, "cannot inspect '%s'", path);
		return NULL;
	}
	if (!S_ISLNK(st.st_mode)) {
		if (!S_ISREG(st.st_mode)) {
			idc_err_set(err, IDC_EIO,
			    "refusing to write '%s': it is not a regular file",
			    path);
			return NULL;
		}
		return xstrdup(path);
	}
	if (!(flags & FSUTIL_FOLLOW_LINK)) {
		idc_err_set(err, IDC_EIO,
		    "refusing to write '%s': it is a symbolic link", path);
		return NULL;
	}
	real = realpath(path, NULL);
	if (real == NULL) {
		idc_err_errno(
		    err, IDC_EIO, "cannot follow the link '%s'", path);
		return NULL;
	}
	return real;
}

int
fsutil_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
    unsigned flags, struct idc_err *err)
{
	char *target = NULL, *dir = NULL, *tmp = NULL;
	const char *base;
	struct stat st;
	int fd = -1, dfd = -1, r = -1;

	if ((target = fsutil_write_target(path, flags, err)) == NULL)
		goto out;
	if (fsutil_guard_dirs(target, err) == -1)
		goto out;
	dir = fsutil_dirname(target, &base);
	if ((flags & FSUTIL_MKDIRS) && fsutil_mkdirs(dir, 0700, err) == -1)
		goto out;
	if ((flags & FSUTIL_KEEP_MODE) && stat(target, &st) == 0)
		mode = st.st_mode & 07777;

	tmp = xasprintf("%s/.%s.idc-XXXXXX", dir, base);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1) {
		idc_err_errno(err, IDC_EIO, "cannot write '%s'", path);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, mode) == -1 || fsutil_write_all(fd, data, len) == -1 ||
	    (!(flags & FSUTIL_NO_SYNC) && fsync(fd) == -1)) {
		idc_err_errno(err, IDC_EIO, "cannot write '%s'", path);
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		idc_err_errno(err, IDC_EIO, "cannot write '%s'", path);
		goto out;
	}
	fd = -1;
	if (rename(tmp, target) == -1) {
		idc_err_errno(err, IDC_EIO, "cannot replace '%s'", path);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* Make the rename itself durable. */
	if (!(flags & FSUTIL_NO_SYNC) &&
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	r = 0;
out:
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	free(target);
	return r;
}

static int
fsutil_lock_take(struct fsutil_lock *lock, const char *path, int how,
    long timeout_ms, const char *waiting_for, struct idc_err *err)
{
	long long start = intr_now_ms(), left = deadline_left_ms();
	long delay = 5;
	int fd, noted = 0, cut = 0;
	struct stat st;
	char *dir;
	const char *base;

	/* No wait outlives the command's deadline (deadline.h). */
	if (left >= 0 && timeout_ms != 0 &&
	    (timeout_ms < 0 || left < timeout_ms)) {
		timeout_ms = (long)left;
		cut = 1;
	}
	lock->fd = -1;
	dir = fsutil_dirname(path, &base);
	if (fsutil_mkdirs(dir, 0700, err) == -1) {
		free(dir);
		return -1;
	}
	free(dir);
	if (fsutil_guard_dirs(path, err) == -1)
		return -1;
	fd = open(path,
	    O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
	    0600);
	if (fd == -1)
		return idc_err_errno(
		    err, IDC_EIO, "cannot open lock file '%s'", path);
	if (kernel_fstat(fd, &st) == -1) {
		idc_err_errno(err, IDC_EIO, "cannot inspect '%s'", path);
		close(fd);
		return -1;
	}
	if (fsutil_check_regular(&st, path, err) == -1 ||
	    fsutil_guard_file(fd, &st, path, err) == -1) {
		close(fd);
		return -1;
	}
	for (;;) {
		if (flock(fd, how | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			idc_err_errno(err, IDC_EIO, "cannot lock '%s'", path);
			close(fd);
			return -1;
		}
		long long waited = intr_now_ms() - start;
		if (timeout_ms >= 0 && waited >= timeout_ms) {
			close(fd);
			if (cut)
				return idc_err_set(err, IDC_ETIMEOUT,
				    "gave up waiting for %s: the command's "
				    "deadline of %ld s passed (--timeout, "
				    "IDC_TIMEOUT)",
				    waiting_for != NULL
					? waiting_for
					: "a lock held by another idc",
				    deadline_total_s());
			return idc_err_set(err, IDC_ETIMEOUT,
			    "gave up after %ld ms waiting for %s", timeout_ms,
			    waiting_for != NULL ? waiting_for
						: "a lock held by another idc");
		}
		if (!noted && waiting_for != NULL && waited >= 500) {
			log_note("waiting for %s", waiting_for);
			noted = 1;
		}
		if (intr_sleep_ms(delay) == -1) {
			close(fd);
			return idc_err_set(err, IDC_EINTR,
			    "interrupted while waiting for %s",
			    waiting_for != NULL ? waiting_for : "a lock");
		}
		if (delay < 50)
			delay *= 2;
	}
	lock->fd = fd;
	return 0;
}

int
fsutil_lock_acquire(struct fsutil_lock *lock, const char *path, long timeout_ms,
    const char *waiting_for, struct idc_err *err)
{
	return fsutil_lock_take(
	    lock, path, LOCK_EX, timeout_ms, waiting_for, err);
}

int
fsutil_lock_acquire_shared(struct fsutil_lock *lock, const char *path,
    long timeout_ms, const char *waiting_for, struct idc_err *err)
{
	return fsutil_lock_take(
	    lock, path, LOCK_SH, timeout_ms, waiting_for, err);
}

void
fsutil_lock_release(struct fsutil_lock *lock)
{
	if (lock == NULL || lock->fd == -1)
		return;
	flock(lock->fd, LOCK_UN);
	close(lock->fd);
	lock->fd = -1;
}

static int
fsutil_walk_at(const char *path, int depth, size_t *seen,
    int (*fn)(const char *path, const struct stat *st, void *ud), void *ud,
    struct idc_err *err)
{
	struct stat st;
	struct dirent *de;
	DIR *d = NULL;
	char *child;
	int r = -1;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return idc_err_errno(err, IDC_EIO, "cannot look at '%s'", path);
	}
	if (++*seen > FSUTIL_WALK_MAX || fn(path, &st, ud) != 0 ||
	    !S_ISDIR(st.st_mode) || depth >= 8)
		return 0;
	if ((d = opendir(path)) == NULL)
		return idc_err_errno(err, IDC_EIO, "cannot read '%s'", path);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		r = fsutil_walk_at(child, depth + 1, seen, fn, ud, err);
		free(child);
		if (r == -1)
			goto out;
	}
	r = 0;
out:
	closedir(d);
	return r;
}

int
fsutil_walk(const char *dir,
    int (*fn)(const char *path, const struct stat *st, void *ud), void *ud,
    struct idc_err *err)
{
	size_t seen = 0;

	return fsutil_walk_at(dir, 0, &seen, fn, ud, err);
}

int
fsutil_dirent_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
fsutil_dir_writable(const char *dir, char **where, struct idc_err *err)
{
	struct stat st;
	char *probe = NULL, *at = xstrdup(dir), *slash;
	int fd, r = -1;

	/* The nearest directory that exists: idc makes the rest. */
	while (lstat(at, &st) == -1 && (errno == ENOENT || errno == ENOTDIR) &&
	    (slash = strrchr(at, '/')) != NULL && slash != at)
		*slash = '\0';
	if (lstat(at, &st) == -1) {
		idc_err_errno(err, IDC_EIO, "cannot look at '%s'", at);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		idc_err_set(err, IDC_EIO, "'%s' is not a directory", at);
		goto out;
	}
	probe = xasprintf("%s/.idc-probe-XXXXXX", at);
	if ((fd = mkstemp(probe)) == -1) {
		idc_err_errno(err, IDC_EIO, "cannot create a file in '%s'", at);
		goto out;
	}
	close(fd);
	unlink(probe);
	r = 0;
out:
	if (r == -1)
		*where = at;
	else
		free(at);
	free(probe);
	return r;
}
