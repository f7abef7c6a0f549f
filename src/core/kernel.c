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
