/*
 * suggest.c - the closest name to a mistyped one (see suggest.h).
 */
#include "idc/core/suggest.h"

#include <ctype.h>
#include <string.h>

#include "idc/core/buf.h"

#define SUGGEST_MAX 100

size_t
suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best;
	/* Three rows: two back for the swap of neighbours. */
	size_t d[3][SUGGEST_MAX + 1];
	size_t *pp, *prev, *cur;

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		cur = d[i % 3];
		prev = d[(i - 1) % 3];
		pp = d[(i + 1) % 3]; /* row i - 2 */
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);

			best = prev[j - 1] + (ca != cb);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 &&
			    ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
	}
	return d[la % 3][lb];
}

const char *
suggest_closest(const char *name, const char *const *candidates)
{
	const char *best = NULL;
	size_t n = strlen(name), limit, d, bestd = (size_t)-1;

	limit = n / 3;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (; candidates != NULL && *candidates != NULL; candidates++) {
		if (strcmp(name, *candidates) == 0)
			return NULL;
		d = suggest_distance(name, *candidates);
		if (d <= limit && d < bestd) {
			bestd = d;
			best = *candidates;
		}
	}
	return best;
}

void
suggest_list(struct idc_buf *b, const char *const *names, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n && i < max; i++)
		if (idc_buf_addf(b, "%s'%s'", i > 0 ? ", " : "", names[i]) ==
		    -1)
			return;
	if (n > max && idc_buf_addf(b, " and %zu more", n - max) == -1)
		return;
}
