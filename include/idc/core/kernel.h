/*
 * kernel.h - the clocks and the effective uid, asked of the kernel by a
 * system call rather than through libc's wrappers.
 *
 * A cached credential-process reads the monotonic clock once (the
 * command's deadline), the wall clock once (is the cache still good?) and
 * the effective uid once (who must own the cache's directories), then
 * exits.  Through libc, each is a first call: a lazy binding and a page
 * of libc's code, and for the clocks the vDSO's two data pages as well.
 * It also fstat()s the two files it reads, and glibc's fstat() is
 * fstatat(fd, "", AT_EMPTY_PATH) with that "" in a page of libc's
 * read-only data that the kernel then faults in to read one byte.
 * On the VMs the benchmarks ran on that first clock read alone costs
 * about 40 us, where a system call costs about 1 us and syscall(2) is
 * bound and paged in once for all three (tests/bench/README.md).  The
 * commands that read the clock often (populate's pacing, the credential
 * server's timers) pay a microsecond per read against milliseconds of
 * network.
 *
 * Linux only, as idc is; the clocks and the uid cannot fail there.  No
 * state.
 */
#ifndef IDC_KERNEL_H
#define IDC_KERNEL_H

#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* clock_gettime(2) of clock into *ts. */
void kernel_clock(clockid_t clock, struct timespec *ts);

/* geteuid(2). */
uid_t kernel_euid(void);

/* fstat(2): 0, or -1 with errno set. */
int kernel_fstat(int fd, struct stat *st);

#endif
