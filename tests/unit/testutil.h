/*
 * testutil.h - helpers shared by the unit tests: a throw-away directory
 * and whole-file reads and writes.  Linked into every unit test.
 */
#ifndef IDC_TESTUTIL_H
#define IDC_TESTUTIL_H

#include <stddef.h>

/* Make a new directory $TMPDIR/<prefix>-XXXXXX (TMPDIR unset or empty:
 * /tmp) into buf; 0 or -1.  The suite checks that $TMPDIR ends empty. */
int testutil_mkdtemp(const char *prefix, char *buf, size_t size);

/* Remove path and everything below it; 0 or -1. */
int testutil_rmtree(const char *path);

/* The whole file (up to 1 MiB), allocated, or NULL when it cannot be read. */
char *testutil_slurp(const char *path);

/* Write text to path atomically, mode 0600, creating directories; fails
 * the running test on error. */
void testutil_put(const char *path, const char *text);

#endif
