/*
 * fsutil.c - atomic writes, bounded reads and flock-based locks (fsutil.h).
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
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"

static int
fsutil_read_fd(int fd, const char *path, size_t max, struct idc_buf *out,
    struct idc_err *err)
{
	char chunk[16384];
	size_t start = out->len;
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR && !intr_pending())
				continue;
			return idc_err_errno(
			    err, IDC_EIO, "cannot read '%s'", path);
		}
		if ((size_t)n > max - (out->len - start) ||
		    idc_buf_add(out, chunk, (size_t)n) == -1)
			return idc_err_set(err, IDC_EIO,
			    "'%s' is larger than the limit of %zu bytes", path,
			    max);
	}
}

static int
fsutil_read(const char *path, size_t max, int oflags, struct idc_buf *out,
    struct idc_err *err)
{
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | oflags);
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
	r = fsutil_read_fd(fd, path, max, out, err);
	close(fd);
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
	return fsutil_read(path, max, O_NOFOLLOW, out, err);
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
	long long start = intr_now_ms();
	long delay = 5;
	int fd, noted = 0;
	char *dir;
	const char *base;

	lock->fd = -1;
	dir = fsutil_dirname(path, &base);
	if (fsutil_mkdirs(dir, 0700, err) == -1) {
		free(dir);
		return -1;
	}
	free(dir);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		return idc_err_errno(
		    err, IDC_EIO, "cannot open lock file '%s'", path);
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
