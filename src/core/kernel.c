/*
 * kernel.c - system calls made directly (see kernel.h for why).
 */
#include "idc/core/kernel.h"

#include <sys/syscall.h>
#include <unistd.h>

void
kernel_clock(clockid_t clock, struct timespec *ts)
{
	syscall(SYS_clock_gettime, clock, ts);
}

uid_t
kernel_euid(void)
{
	return (uid_t)syscall(SYS_geteuid);
}

int
kernel_fstat(int fd, struct stat *st)
{
#if defined(__x86_64__) && defined(SYS_fstat)
	/* The kernel's struct stat is glibc's on x86_64. */
	return (int)syscall(SYS_fstat, fd, st);
#else
	return fstat(fd, st);
#endif
}
