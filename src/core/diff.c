/*
 * diff.c - a unified diff of two texts, line by line (see diff.h): Myers'
 * greedy algorithm between the common head and tail, hunks with three
 * lines of context as diff -u prints them.
 */
#include "idc/core/diff.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

/* Beyond this many edits the middle is shown as removed and re-added
 * (Myers' trace grows with the square of the edits). */
#define DIFF_MAX_D   2048
#define DIFF_CONTEXT 3

struct diff_line {
	const char *p;
	size_t len; /* without the newline */
	int nl;     /* ended by a newline */
};

struct diff_lines {
	struct diff_line *v;
	size_t n;
};

static void
diff_split(const char *s, size_t len, struct diff_lines *out)
{
	size_t i, start = 0, cap = 16;

	out->n = 0;
	out->v = xcalloc(cap, sizeof out->v[0]);
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		out->v = xgrowarray(out->v, &cap, out->n + 1, sizeof out->v[0]);
		out->v[out->n].p = s + start;
		out->v[out->n].len = i - start;
		out->v[out->n].nl = i < len;
		out->n++;
		start = i + 1;
	}
}

static int
diff_line_eq(const struct diff_line *a, const struct diff_line *b)
{
	return a->len == b->len && a->nl == b->nl &&
	    memcmp(a->p, b->p, a->len) == 0;
}

/* An edit script: ' ' both, '-' only in a, '+' only in b. */
struct diff_op {
	char kind;
	size_t ai, bi; /* line indexes (the one that applies) */
};

struct diff_ops {
	struct diff_op *v;
	size_t n, cap;
};

static void
diff_op(struct diff_ops *ops, char kind, size_t ai, size_t bi)
{
	ops->v = xgrowarray(ops->v, &ops->cap, ops->n + 1, sizeof ops->v[0]);
	ops->v[ops->n].kind = kind;
	ops->v[ops->n].ai = ai;
	ops->v[ops->n].bi = bi;
	ops->n++;
}

/*
 * Myers' greedy algorithm on a[a0..a1) and b[b0..b1): appends the edits
 * in order.  Returns -1 (nothing appended) past DIFF_MAX_D.
 */
static int
diff_myers(const struct diff_lines *a, size_t a0, size_t a1,
    const struct diff_lines *b, size_t b0, size_t b1, struct diff_ops *ops)
{
	int n = (int)(a1 - a0), m = (int)(b1 - b0), max = n + m;
	int d, k, x, y, px, py, pk, dmax, off, *v, **trace, *rev;
	struct diff_ops back = { NULL, 0, 0 };
	int r = -1, found = 0;
	size_t i;

	dmax = max < DIFF_MAX_D ? max : DIFF_MAX_D;
	off = dmax + 1;
	v = xcalloc(2 * (size_t)off + 1, sizeof v[0]);
	trace = xcalloc((size_t)dmax + 1, sizeof trace[0]);
	v[off + 1] = 0;
	for (d = 0; d <= dmax && !found; d++) {
		/* The frontier before step d, for the way back. */
		trace[d] = xmalloc((size_t)(2 * d + 3) * sizeof v[0]);
		memcpy(trace[d], v + off - d - 1,
		    (size_t)(2 * d + 3) * sizeof v[0]);
		for (k = -d; k <= d; k += 2) {
			if (k == -d ||
			    (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x < n && y < m &&
			    diff_line_eq(
				&a->v[a0 + (size_t)x], &b->v[b0 + (size_t)y])) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= n && y >= m) {
				found = 1;
				break;
			}
		}
	}
	if (!found)
		goto out;
	x = n;
	y = m;
	for (d = d - 1; d >= 0; d--) {
		rev = trace[d] + d + 1; /* rev[k] is v[k] before step d */
		k = x - y;
		if (k == -d || (k != d && rev[k - 1] < rev[k + 1]))
			pk = k + 1;
		else
			pk = k - 1;
		px = rev[pk];
		py = px - pk;
		while (x > px && y > py) {
			x--;
			y--;
			diff_op(&back, ' ', a0 + (size_t)x, b0 + (size_t)y);
		}
		if (d > 0) {
			if (x == px)
				diff_op(&back, '+', a0 + (size_t)px,
				    b0 + (size_t)py);
			else
				diff_op(&back, '-', a0 + (size_t)px,
				    b0 + (size_t)py);
		}
		x = px;
		y = py;
	}
	for (i = back.n; i > 0; i--)
		diff_op(ops, back.v[i - 1].kind, back.v[i - 1].ai,
		    back.v[i - 1].bi);
	r = 0;
out:
	for (d = 0; d <= dmax; d++)
		free(trace[d]);
	free(trace);
	free(v);
	free(back.v);
	return r;
}

/* One line of a hunk.  -1 when out is full (as the other appenders). */
static int
diff_line(struct idc_buf *out, char kind, const struct diff_line *l)
{
	int bad = 0;

	bad |= idc_buf_addch(out, kind);
	bad |= idc_buf_add(out, l->p, l->len);
	bad |= idc_buf_addch(out, '\n');
	if (!l->nl)
		bad |= idc_buf_addstr(out, "\\ No newline at end of file\n");
	return bad;
}

/* "-start,count" as diff(1) writes it: count 1 is left out, and an empty
 * range starts at the line before it. */
static int
diff_range(struct idc_buf *out, char sign, size_t start, size_t count)
{
	if (count == 1)
		return idc_buf_addf(out, "%c%zu", sign, start + 1);
	return idc_buf_addf(
	    out, "%c%zu,%zu", sign, count == 0 ? start : start + 1, count);
}

static int
diff_hunks(const struct diff_ops *ops, const struct diff_lines *a,
    const struct diff_lines *b, struct idc_buf *out)
{
	size_t i = 0, start, end, j, last, as, bs, ac, bc;
	int bad = 0;

	while (i < ops->n) {
		while (i < ops->n && ops->v[i].kind == ' ')
			i++;
		if (i == ops->n)
			break;
		start = i > DIFF_CONTEXT ? i - DIFF_CONTEXT : 0;
		/* Extend while the next change is within twice the
		 * context. */
		last = i;
		for (j = i; j < ops->n; j++) {
			if (ops->v[j].kind != ' ')
				last = j;
			else if (j - last > 2 * DIFF_CONTEXT)
				break;
		}
		end = last + 1 + DIFF_CONTEXT;
		if (end > ops->n)
			end = ops->n;
		as = bs = (size_t)-1;
		ac = bc = 0;
		for (j = start; j < end; j++) {
			if (ops->v[j].kind != '+') {
				if (as == (size_t)-1)
					as = ops->v[j].ai;
				ac++;
			}
			if (ops->v[j].kind != '-') {
				if (bs == (size_t)-1)
					bs = ops->v[j].bi;
				bc++;
			}
		}
		if (as == (size_t)-1)
			as = ops->v[start].ai;
		if (bs == (size_t)-1)
			bs = ops->v[start].bi;
		bad |= idc_buf_addstr(out, "@@ ");
		bad |= diff_range(out, '-', as, ac);
		bad |= idc_buf_addch(out, ' ');
		bad |= diff_range(out, '+', bs, bc);
		bad |= idc_buf_addstr(out, " @@\n");
		for (j = start; j < end && !bad; j++) {
			if (ops->v[j].kind == '+')
				bad |= diff_line(out, '+', &b->v[ops->v[j].bi]);
			else
				bad |= diff_line(
				    out, ops->v[j].kind, &a->v[ops->v[j].ai]);
		}
		if (bad)
			return -1;
		i = end;
	}
	return 0;
}

int
diff_unified(const char *a, size_t alen, const char *b, size_t blen,
    const char *name_a, const char *name_b, struct idc_buf *out,
    struct idc_err *err)
{
	struct diff_lines la, lb;
	struct diff_ops ops = { NULL, 0, 0 };
	size_t pre = 0, suf = 0, i, before = out->len;
	int r = 0;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	diff_split(a, alen, &la);
	diff_split(b, blen, &lb);
	while (pre < la.n && pre < lb.n && diff_line_eq(&la.v[pre], &lb.v[pre]))
		pre++;
	while (suf < la.n - pre && suf < lb.n - pre &&
	    diff_line_eq(&la.v[la.n - 1 - suf], &lb.v[lb.n - 1 - suf]))
		suf++;
	for (i = 0; i < pre; i++)
		diff_op(&ops, ' ', i, i);
	if (diff_myers(&la, pre, la.n - suf, &lb, pre, lb.n - suf, &ops) ==
	    -1) {
		for (i = pre; i < la.n - suf; i++)
			diff_op(&ops, '-', i, pre);
		for (i = pre; i < lb.n - suf; i++)
			diff_op(&ops, '+', la.n - suf, i);
	}
	for (i = 0; i < suf; i++)
		diff_op(&ops, ' ', la.n - suf + i, lb.n - suf + i);
	if (idc_buf_addf(out, "--- %s\n+++ %s\n", name_a, name_b) == -1 ||
	    diff_hunks(&ops, &la, &lb, out) == -1) {
		/* No half of a diff that does not fit. */
		out->len = before;
		if (out->data != NULL)
			out->data[before] = '\0';
		r = idc_err_set(err, IDC_EFAIL, "the diff is too large");
	}
	free(ops.v);
	free(la.v);
	free(lb.v);
	return r;
}
