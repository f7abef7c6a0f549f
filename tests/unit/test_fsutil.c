/*
 * test_fsutil.c - atomic writes (modes, symlinks, read-only directories,
 * no temporary files left), bounded reads, and lock timeouts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/core/intr.h"
#include "idc/core/xmalloc.h"

struct fixture {
	char dir[PATH_MAX];
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	if (testutil_mkdtemp("idc-test-fsutil", f->dir, sizeof f->dir) == -1)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("chmod -R u+w '%s'; rm -rf '%s'", f->dir, f->dir);

	if (system(cmd) != 0)
		fprintf(stderr, "cannot clean %s\n", f->dir);
	free(cmd);
	free(f);
	return 0;
}

static char *
fx_path(struct fixture *f, const char *name)
{
	return xasprintf("%s/%s", f->dir, name);
}

static void
fx_write(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *
fx_read(const char *path)
{
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct idc_err err = IDC_ERR_INIT;

	assert_int_equal(fsutil_read_file(path, 1 << 20, &b, &err), 0);
	return idc_buf_detach(&b, NULL);
}

/* Entries in dir other than . and .. */
static int
fx_count(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_write_creates_with_mode_and_replaces(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	char *p = fx_path(f, "token.json"), *s;
	struct stat st;

	assert_int_equal(fsutil_write_atomic(p, "one", 3, 0600, 0, &err), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	s = fx_read(p);
	assert_string_equal(s, "one");
	free(s);
	assert_int_equal(fsutil_write_atomic(p, "two!", 4, 0600, 0, &err), 0);
	s = fx_read(p);
	assert_string_equal(s, "two!");
	free(s);
	assert_int_equal(fx_count(f->dir), 1);
	free(p);
}

static void
test_keep_mode_keeps_existing_mode(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	char *p = fx_path(f, "config");
	struct stat st;

	fx_write(p, "[default]\n");
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(
	    fsutil_write_atomic(p, "x", 1, 0600, FSUTIL_KEEP_MODE, &err), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	free(p);
}

static void
test_mkdirs_creates_private_parents(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	char *p = fx_path(f, "a/b/c/file"), *d = fx_path(f, "a/b");
	struct stat st;

	assert_int_equal(fsutil_write_atomic(p, "x", 1, 0600, 0, &err), -1);
	assert_int_equal(err.code, IDC_EIO);
	assert_int_equal(
	    fsutil_write_atomic(p, "x", 1, 0600, FSUTIL_MKDIRS, &err), 0);
	assert_int_equal(stat(d, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(p);
	free(d);
}

static void
test_symlink_at_target_is_refused_and_original_untouched(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	char *victim = fx_path(f, "victim"), *link = fx_path(f, "cache.json");
	char *s;

	fx_write(victim, "precious");
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(
	    fsutil_write_atomic(link, "evil", 4, 0600, 0, &err), -1);
	assert_int_equal(err.code, IDC_EIO);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_non_null(strstr(err.msg, link));
	s = fx_read(victim);
	assert_string_equal(s, "precious");
	free(s);
	assert_int_equal(fx_count(f->dir), 2); /* no temporary file left */

	/* Reading a secret through a link is refused too. */
	struct idc_buf b = IDC_BUF_INIT(64);
	assert_int_equal(fsutil_read_file_nofollow(link, 64, &b, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic link"));
	idc_buf_release(&b);
	free(victim);
	free(link);
}

static void
test_follow_link_writes_the_link_target(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	char *real = fx_path(f, "dotfiles-config"),
	     *link = fx_path(f, "config");
	char *s;
	struct stat st;

	fx_write(real, "old");
	assert_int_equal(symlink(real, link), 0);
	assert_int_equal(fsutil_write_atomic(link, "new", 3, 0600,
			     FSUTIL_FOLLOW_LINK | FSUTIL_KEEP_MODE, &err),
	    0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode)); /* the link survives */
	s = fx_read(real);
	assert_string_equal(s, "new");
	free(s);
	free(real);
	free(link);
}

/* In a child that cannot write dir (an unprivileged user when we are
 * root), try to replace path; exit 0 if the error was right. */
static void
fx_write_unprivileged(const char *dir, const char *path)
{
	struct idc_err err = IDC_ERR_INIT;
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 &&
		    (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(10);
		if (fsutil_write_atomic(path, "new", 3, 0600, 0, &err) != -1)
			_exit(11);
		if (err.code != IDC_EIO || strstr(err.msg, path) == NULL ||
		    strstr(err.msg, "ermission denied") == NULL)
			_exit(12);
		_exit(0);
	}
	(void)dir;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_read_only_directory_is_a_clear_error(void **state)
{
	struct fixture *f = *state;
	char *sub = fx_path(f, "ro"), *p = fx_path(f, "ro/config"), *s;

	assert_int_equal(mkdir(sub, 0755), 0);
	fx_write(p, "original");
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(sub, 0555), 0);
	fx_write_unprivileged(sub, p);
	s = fx_read(p);
	assert_string_equal(s, "original");
	free(s);
	assert_int_equal(fx_count(sub), 1);
	free(sub);
	free(p);
}

static void
test_read_is_bounded_and_missing_is_notfound(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	char *p = fx_path(f, "big"), *missing = fx_path(f, "nope");

	fx_write(p, "0123456789");
	assert_int_equal(fsutil_read_file(p, 9, &b, &err), -1);
	assert_non_null(strstr(err.msg, "larger than"));
	idc_buf_reset(&b);
	assert_int_equal(fsutil_read_file(p, 10, &b, &err), 0);
	assert_string_equal(idc_buf_cstr(&b), "0123456789");
	assert_int_equal(fsutil_read_file(missing, 10, &b, &err), -1);
	assert_int_equal(err.code, IDC_ENOTFOUND);
	idc_buf_release(&b);
	free(p);
	free(missing);
}

static void
test_lock_times_out_while_held_then_succeeds(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct fsutil_lock a = FSUTIL_LOCK_INIT, b = FSUTIL_LOCK_INIT;
	char *p = fx_path(f, "locks/session.lock");
	long long t0, waited;

	assert_int_equal(fsutil_lock_acquire(&a, p, 0, NULL, &err), 0);
	t0 = intr_now_ms();
	assert_int_equal(
	    fsutil_lock_acquire(&b, p, 300, "the test lock", &err), -1);
	waited = intr_now_ms() - t0;
	assert_int_equal(err.code, IDC_ETIMEOUT);
	assert_non_null(strstr(err.msg, "the test lock"));
	assert_true(waited >= 300);
	assert_true(waited < 2000);
	assert_int_equal(b.fd, -1);

	/* A shared lock must wait for the exclusive one too. */
	assert_int_equal(fsutil_lock_acquire_shared(&b, p, 0, NULL, &err), -1);
	fsutil_lock_release(&a);
	assert_int_equal(fsutil_lock_acquire(&b, p, 300, NULL, &err), 0);
	fsutil_lock_release(&b);
	fsutil_lock_release(&b); /* releasing twice is harmless */
	free(p);
}

static void
test_lock_wait_is_handed_over_across_processes(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct fsutil_lock a = FSUTIL_LOCK_INIT;
	char *p = fx_path(f, "handover.lock");
	long long t0;
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct fsutil_lock held = FSUTIL_LOCK_INIT;

		if (fsutil_lock_acquire(&held, p, 1000, NULL, &err) != 0)
			_exit(1);
		usleep(300 * 1000);
		_exit(0); /* the kernel releases the lock with the process */
	}
	usleep(100 * 1000);
	t0 = intr_now_ms();
	assert_int_equal(fsutil_lock_acquire(&a, p, 5000, NULL, &err), 0);
	assert_true(intr_now_ms() - t0 >= 100);
	fsutil_lock_release(&a);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	free(p);
}

static void
test_lock_wait_ends_on_interrupt(void **state)
{
	struct fixture *f = *state;
	struct idc_err err = IDC_ERR_INIT;
	struct fsutil_lock a = FSUTIL_LOCK_INIT, b = FSUTIL_LOCK_INIT;
	char *p = fx_path(f, "intr.lock");

	assert_int_equal(fsutil_lock_acquire(&a, p, 0, NULL, &err), 0);
	intr_raise(2);
	assert_int_equal(fsutil_lock_acquire(&b, p, -1, NULL, &err), -1);
	assert_int_equal(err.code, IDC_EINTR);
	intr_raise(0);
	fsutil_lock_release(&a);
	free(p);
}

/* Anything but a regular file is refused at once, never waited on. */
static void
test_special_files_are_refused_without_blocking(void **state)
{
	struct fixture *f = *state;
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct idc_err err = IDC_ERR_INIT;
	struct fsutil_lock l = FSUTIL_LOCK_INIT;
	char *fifo = fx_path(f, "config"), *dir = fx_path(f, "d");
	long long t0 = intr_now_ms();

	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(fsutil_read_file(fifo, 1 << 20, &b, &err), -1);
	assert_int_equal(err.code, IDC_EIO);
	assert_non_null(strstr(err.msg, "it is a fifo, not a regular file"));
	assert_int_equal(
	    fsutil_read_file_nofollow(fifo, 1 << 20, &b, &err), -1);
	assert_int_equal(fsutil_read_file(dir, 1 << 20, &b, &err), -1);
	assert_non_null(strstr(err.msg, "a directory"));
	assert_int_equal(fsutil_lock_acquire(&l, fifo, 0, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "a fifo"));
	assert_true(intr_now_ms() - t0 < 1000);
	/* AWS_CONFIG_FILE=/dev/null is an empty config, as for the AWS CLI. */
	assert_int_equal(fsutil_read_file("/dev/null", 1 << 20, &b, &err), 0);
	assert_int_equal(b.len, 0);
	idc_buf_release(&b);
	free(fifo);
	free(dir);
}

static mode_t
fx_mode(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

/* idc's own tree: open modes are repaired, another user's directory or
 * file is refused, a symbolic link below the root too. */
static void
test_private_tree_is_checked_as_ssh_does(void **state)
{
	struct fixture *f = *state;
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct idc_err err = IDC_ERR_INIT;
	char *root = fx_path(f, "idc"), *sub = fx_path(f, "idc/rolecreds"),
	     *file = fx_path(f, "idc/rolecreds/x.json"),
	     *other = fx_path(f, "elsewhere"),
	     *link = fx_path(f, "idc/listings");
	char *lfile = fx_path(f, "idc/listings/y.json");

	assert_int_equal(mkdir(root, 0777), 0);
	assert_int_equal(mkdir(sub, 0777), 0);
	chmod(root, 0777);
	chmod(sub, 0777);
	fx_write(file, "{}");
	chmod(file, 0644);
	fsutil_trust_reset();
	fsutil_trust_root(root, 0);
	assert_int_equal(fsutil_read_file_nofollow(file, 64, &b, &err), 0);
	assert_int_equal(fx_mode(root), 0700);
	assert_int_equal(fx_mode(sub), 0700);
	assert_int_equal(fx_mode(file), 0600);

	/* Written by another user (root can play one). */
	if (geteuid() == 0) {
		assert_int_equal(chown(file, 65534, 65534), 0);
		assert_int_equal(
		    fsutil_read_file_nofollow(file, 64, &b, &err), -1);
		assert_int_equal(err.code, IDC_EIO);
		assert_non_null(strstr(err.msg, "belongs to uid 65534"));
		assert_int_equal(chown(file, 0, 0), 0);
		assert_int_equal(chown(sub, 65534, 65534), 0);
		fsutil_trust_reset();
		fsutil_trust_root(root, 0);
		assert_int_equal(
		    fsutil_write_atomic(file, "{}", 2, 0600, 0, &err), -1);
		assert_non_null(strstr(err.msg,
		    "/idc/rolecreds': it belongs to uid 65534, not to you"));
		assert_int_equal(chown(sub, 0, 0), 0);
	}

	/* A symbolic link below the root is not idc's directory. */
	assert_int_equal(mkdir(other, 0700), 0);
	assert_int_equal(symlink(other, link), 0);
	fsutil_trust_reset();
	fsutil_trust_root(root, 0);
	assert_int_equal(
	    fsutil_write_atomic(lfile, "{}", 2, 0600, 0, &err), -1);
	assert_non_null(strstr(err.msg, "not a directory"));
	fsutil_trust_reset();
	idc_buf_release(&b);
	free(root);
	free(sub);
	free(file);
	free(other);
	free(link);
	free(lfile);
}

/* The AWS CLI's shared cache is used as it is, with a warning. */
static void
test_shared_tree_only_warns(void **state)
{
	struct fixture *f = *state;
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct idc_err err = IDC_ERR_INIT;
	char *root = fx_path(f, "cache"), *file = fx_path(f, "cache/t.json");

	assert_int_equal(mkdir(root, 0777), 0);
	chmod(root, 0777);
	fx_write(file, "{}");
	chmod(file, 0644);
	fsutil_trust_reset();
	fsutil_trust_root(root, 1);
	assert_int_equal(fsutil_read_file_nofollow(file, 64, &b, &err), 0);
	assert_int_equal(fx_mode(root), 0777);
	assert_int_equal(fx_mode(file), 0644);
	fsutil_trust_reset();
	idc_buf_release(&b);
	free(root);
	free(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_write_creates_with_mode_and_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_keep_mode_keeps_existing_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_mkdirs_creates_private_parents, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_symlink_at_target_is_refused_and_original_untouched,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_follow_link_writes_the_link_target, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_read_only_directory_is_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_read_is_bounded_and_missing_is_notfound, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_lock_times_out_while_held_then_succeeds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_lock_wait_is_handed_over_across_processes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_lock_wait_ends_on_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_special_files_are_refused_without_blocking, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_private_tree_is_checked_as_ssh_does, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shared_tree_only_warns, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
