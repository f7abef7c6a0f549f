/*
 * diff.h - a unified diff between two texts, for showing what an edit of a
 * file would change (populate --dry-run).
 */
#ifndef IDC_DIFF_H
#define IDC_DIFF_H

#include <stddef.h>

struct idc_buf;
struct idc_err;

/*
 * A unified diff (3 lines of context) turning a into b, with
 * "--- name_a" / "+++ name_b" headers, appended to out; nothing when they
 * are equal.  Lines are compared whole; a missing final newline is marked
 * as diff(1) marks it.  Fails only past out's maximum.
 */
int diff_unified(const char *a, size_t alen, const char *b, size_t blen,
    const char *name_a, const char *name_b, struct idc_buf *out,
    struct idc_err *err);

#endif
