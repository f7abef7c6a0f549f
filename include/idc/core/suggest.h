/*
 * suggest.h - "did you mean": the closest of a list of names to a
 * mistyped one, for commands, options, profiles, sso-sessions and regions.
 *
 * The distance is the optimal string alignment distance (insertions,
 * deletions, substitutions and swaps of two neighbours each count one),
 * ignoring case.  A name is suggested only when it is close enough to be
 * what was meant: at most one edit per three characters (at least one, at
 * most three).  Pure functions; nothing fails.
 */
#ifndef IDC_SUGGEST_H
#define IDC_SUGGEST_H

#include <stddef.h>

struct idc_buf;

/* The distance between a and b; (size_t)-1 when either is longer than
 * 100 bytes. */
size_t suggest_distance(const char *a, const char *b);

/* The closest of the NULL-terminated candidates to name (the first of
 * equals), or NULL when none is close enough or name is one of them. */
const char *suggest_closest(const char *name, const char *const *candidates);

/* "'a', 'b', 'c' and 4 more": the first max of n names, quoted, appended
 * to b (as much as fits in it), for an error that names what exists. */
void suggest_list(
    struct idc_buf *b, const char *const *names, size_t n, size_t max);

#endif
