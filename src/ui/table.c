/*
 * table.c - rows printed as text or as an aligned table (see table.h).
 */
#include "idc/ui/table.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/safetext.h"
#include "idc/core/xmalloc.h"

struct uitable {
	size_t ncols;
	char **cells; /* header first, then rows, ncols each */
	size_t nrows, cap;
};

/* The safe form of s (safetext.h), "-" for nothing. */
static char *
uitable_safe(const char *s)
{
	if (s == NULL || s[0] == '\0')
		return xstrdup("-");
	return safetext_dup(s);
}

static void
uitable_add(struct uitable *t, const char *const *fields)
{
	size_t i;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells =
		    xreallocarray(t->cells, t->cap * t->ncols, sizeof(char *));
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = uitable_safe(fields[i]);
	t->nrows++;
}

struct uitable *
uitable_new(size_t ncols, const char *const *header)
{
	struct uitable *t = xcalloc(1, sizeof *t);

	t->ncols = ncols;
	uitable_add(t, header);
	return t;
}

void
uitable_row(struct uitable *t, const char *const *fields)
{
	uitable_add(t, fields);
}

static size_t
uitable_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void
uitable_print(struct uitable *t, int aligned, FILE *fp)
{
	size_t *width = xcalloc(t->ncols, sizeof *width);
	size_t i, j, w;
	const char *c;

	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++)
			if ((w = uitable_width(t->cells[i * t->ncols + j])) >
			    width[j])
				width[j] = w;
	for (i = aligned ? 0 : 1; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++) {
			c = t->cells[i * t->ncols + j];
			fputs(c, fp);
			if (j + 1 == t->ncols)
				break;
			if (!aligned) {
				fputc('\t', fp);
				continue;
			}
			for (w = uitable_width(c); w < width[j] + 2; w++)
				fputc(' ', fp);
		}
		fputc('\n', fp);
	}
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(width);
	free(t);
}
