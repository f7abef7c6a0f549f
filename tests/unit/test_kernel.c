/*
 * test_kernel.c - the system calls idc makes directly agree with libc's
 * wrappers: the two clocks, the effective uid, and fstat (including its
 * error on a closed descriptor).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "idc/core/kernel.h"
#include "testutil.h"

static void
test_clocks_agree_with_libc(void **state)
{
	struct timespec mine, libc;

	(void)state;
	kernel_clock(CLOCK_REALTIME, &mine);
	clock_gettime(CLOCK_REALTIME, &libc);
	assert_true(libc.tv_sec - mine.tv_sec >= 0);
	assert_true(libc.tv_sec - mine.tv_sec <= 1);
	assert_true(mine.tv_nsec >= 0 && mine.tv_nsec < 1000000000L);

	clock_gettime(CLOCK_MONOTONIC, &libc);
	kernel_clock(CLOCK_MONOTONIC, &mine);
	assert_true(mine.tv_sec - libc.tv_sec >= 0);
	assert_true(mine.tv_sec - libc.tv_sec <= 1);
}

static void
test_euid_is_geteuid(void **state)
{
	(void)state;
	assert_int_equal(kernel_euid(), geteuid());
}

static void
test_fstat_is_fstat(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	struct stat mine, libc;
	int fd;

	(void)state;
	assert_int_equal(
	    testutil_mkdtemp("idc-test-kernel", dir, sizeof dir), 0);
	snprintf(path, sizeof path, "%s/f", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "twelve bytes", 12), 12);
	assert_int_equal(kernel_fstat(fd, &mine), 0);
	assert_int_equal(fstat(fd, &libc), 0);
	assert_int_equal(mine.st_size, 12);
	assert_int_equal(mine.st_ino, libc.st_ino);
	assert_int_equal(mine.st_dev, libc.st_dev);
	assert_int_equal(mine.st_mode, libc.st_mode);
	assert_int_equal(mine.st_uid, libc.st_uid);
	assert_int_equal(mine.st_mtim.tv_nsec, libc.st_mtim.tv_nsec);
	assert_int_equal(close(fd), 0);
	assert_int_equal(testutil_rmtree(dir), 0);

	errno = 0;
	assert_int_equal(kernel_fstat(fd, &mine), -1);
	assert_int_equal(errno, EBADF);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clocks_agree_with_libc),
		cmocka_unit_test(test_euid_is_geteuid),
		cmocka_unit_test(test_fstat_is_fstat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
