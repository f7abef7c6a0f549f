/*
 * xmalloc.h - allocation that never returns NULL.
 *
 * Out of memory is fatal in a command-line tool: these print
 * "idc: out of memory" and abort().  Only sizes driven by the network may
 * fail softly, and those go through bounded buffers (buf.h) instead.
 * core/cjson.c installs xmalloc into cJSON when it loads the library, so
 * that a NULL from cJSON always means a parse error, never an allocation
 * failure.
 */
#ifndef IDC_XMALLOC_H
#define IDC_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);

/*
 * Make room in an array for at least need elements of size bytes: when
 * *cap < need, grow it geometrically (at least doubling, 8 at first) and
 * return the reallocated array with *cap updated; else return ptr as is.
 * Every growing array in idc goes through this, so that n appends cost
 * O(n) copies under any allocator, not O(n^2).  The usual call:
 *     v = xgrowarray(v, &cap, n + 1, sizeof v[0]);
 *     v[n++] = item;
 */
void *xgrowarray(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A formatted, heap-allocated string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The strings given joined into one heap-allocated string that the caller
 * frees: xstrconcat(dir, "/", name).  For paths and labels on the cached
 * path, which would otherwise page in printf's code for a concatenation.
 * xstrconcat_list() takes the strings up to a NULL.
 */
char *xstrconcat_list(const char *first, ...) __attribute__((sentinel));
#define xstrconcat(...) xstrconcat_list(__VA_ARGS__, (const char *)NULL)

/* Wipe a secret string (tokens, keys) and free it.  NULL is fine. */
void secret_free(char *s);

/* Wipe len bytes of memory that held a secret. */
void secret_wipe(void *p, size_t len);

#endif
