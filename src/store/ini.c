/*
 * ini.c - botocore's INI dialect, scanned line by line and kept losslessly
 * (see ini.h for the rules).
 *
 * The scanner is the one place that decides what a line is; the document
 * is built from its tokens, and ini_check runs it again over an edited
 * document's bytes, so the reader and the editor cannot disagree.  The
 * rules mirror CPython's configparser.RawConfigParser._read (strict, with
 * empty lines allowed in values) and botocore's _parse_nested.
 */
#include "idc/store/ini.h"

#include <limits.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/safetext.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

/* ---- text helpers ---- */

/* Bytes of the white space character (str.isspace) at p, or 0. */
static size_t
ini_space_at(const unsigned char *p, size_t n)
{
	unsigned c = p[0];

	if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f))
		return 1;
	if (c < 0x80)
		return 0;
	if (c == 0xc2 && n >= 2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if (c == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3; /* U+1680 */
	if (c == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 ||
		p[2] == 0xaf))
		return 3; /* U+2000-200A, U+2028, U+2029, U+202F */
	if (c == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3; /* U+205F */
	if (c == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3; /* U+3000 */
	return 0;
}

/* Bytes of the white space character that ends at s + n, or 0. */
static size_t
ini_space_before(const unsigned char *s, size_t n)
{
	if (n >= 1 && s[n - 1] < 0x80)
		return ini_space_at(s + n - 1, 1);
	if (n >= 2 && s[n - 2] == 0xc2)
		return ini_space_at(s + n - 2, 2) == 2 ? 2 : 0;
	if (n >= 3)
		return ini_space_at(s + n - 3, 3) == 3 ? 3 : 0;
	return 0;
}

size_t
ini_lstrip(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		/* Printable ASCII is the common case: no call. */
		if (u[i] > 0x20 && u[i] < 0x7f)
			break;
		if ((k = ini_space_at(u + i, n - i)) == 0)
			break;
		i += k;
	}
	return i;
}

size_t
ini_rstrip(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k;

	while (n > 0) {
		if (u[n - 1] > 0x20 && u[n - 1] < 0x7f)
			break;
		if ((k = ini_space_before(u, n)) == 0)
			break;
		n -= k;
	}
	return n;
}

char **
ini_split(const char *value, char sep, size_t *np)
{
	char **v = xcalloc(1, sizeof v[0]);
	const char *p = value, *item, *end;
	size_t n = 0, lead, len, cap = 1;

	for (; p != NULL; p = *end == sep ? end + 1 : NULL) {
		end = strchr(p, sep);
		if (end == NULL)
			end = p + strlen(p);
		lead = ini_lstrip(p, (size_t)(end - p));
		item = p + lead;
		len = ini_rstrip(item, (size_t)(end - item));
		if (len == 0)
			continue;
		v = xgrowarray(v, &cap, n + 2, sizeof v[0]);
		v[n++] = xstrndup(item, len);
		v[n] = NULL;
	}
	if (np != NULL)
		*np = n;
	return v;
}

void
ini_split_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int
ini_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	uint64_t w;

	while (p < end) {
		/* ASCII 32 and 8 bytes at a time: the common case. */
		if ((size_t)(end - p) >= 32) {
			uint64_t w2, w3, w4;

			memcpy(&w, p, 8);
			memcpy(&w2, p + 8, 8);
			memcpy(&w3, p + 16, 8);
			memcpy(&w4, p + 24, 8);
			if (((w | w2 | w3 | w4) &
				UINT64_C(0x8080808080808080)) == 0) {
				p += 32;
				continue;
			}
		}
		if ((size_t)(end - p) >= 8) {
			memcpy(&w, p, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0) {
				p += 8;
				continue;
			}
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf) {
			if (end - p < 2 || (p[1] & 0xc0) != 0x80)
				return 0;
			p += 2;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			unsigned lo = *p == 0xe0 ? 0xa0 : 0x80;
			unsigned hi = *p == 0xed ? 0x9f : 0xbf;

			if (end - p < 3 || p[1] < lo || p[1] > hi ||
			    (p[2] & 0xc0) != 0x80)
				return 0;
			p += 3;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			unsigned lo = *p == 0xf0 ? 0x90 : 0x80;
			unsigned hi = *p == 0xf4 ? 0x8f : 0xbf;

			if (end - p < 4 || p[1] < lo || p[1] > hi ||
			    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
				return 0;
			p += 4;
		} else {
			return 0;
		}
	}
	return 1;
}

static int
ini_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* a (n bytes) equals b (NUL-terminated) ignoring ASCII case. */
static int
ini_caseeq(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] == '\0' ||
		    ini_lower((unsigned char)a[i]) !=
			ini_lower((unsigned char)b[i]))
			return 0;
	return b[n] == '\0';
}

/* Copy text for a message: at most 60 bytes, control characters shown as
 * '?' so that a file cannot drive the terminal. */
static const char *
ini_msgtext(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n && j + 4 < size && i < 60; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (i < n && j + 4 < size) {
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j] = '\0';
	return dst;
}

int
ini_problem_err(
    const char *name, size_t lineno, const char *problem, struct idc_err *err)
{
	return idc_err_set(err, IDC_ECONFIG,
	    "'%s' line %zu: %s (the AWS CLI cannot read this file either: "
	    "fix it by hand)",
	    name, lineno, problem);
}

/*
 * ---- duplicate detection ----
 *
 * Section names go into an open-addressing hash set.  The keys of the
 * current section go into a short list first (sections hold a handful),
 * and only a section with more keys than that moves them into the set,
 * tagged with the section's id; [DEFAULT] keys (id 0) always go there,
 * since several [DEFAULT] sections share one namespace.  Entries hold
 * offsets into the scanned text, so the set stays small and fast.
 */

#define INI_SECT_NS     UINT32_MAX /* the "namespace" of section names */
#define INI_KEYS_LINEAR 16

struct ini_seen_ent {
	uint32_t hash; /* 0: empty slot (real hashes are never 0) */
	uint32_t ns;   /* INI_SECT_NS, or the section id of a key */
	uint32_t off, len, lineno;
};

struct ini_name {
	uint32_t off, len, lineno;
};

struct ini_seen {
	const char *base;
	struct ini_seen_ent *tab;
	size_t cap, n;
	struct ini_name keys[INI_KEYS_LINEAR]; /* the current section's */
	size_t nkeys;
	int keys_hashed; /* this section's keys are in tab */
};

/*
 * Eight bytes at a time.  With fold, every byte is or-ed with 0x20, so
 * names equal but for ASCII case hash alike (other names may collide
 * more; the comparison sorts those out).
 */
static uint32_t
ini_hash(const char *p, size_t n, uint32_t ns, int fold)
{
	const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
	const uint64_t lower = fold ? UINT64_C(0x2020202020202020) : 0;
	uint64_t h = ((uint64_t)ns << 32) ^ n, w;
	size_t i;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ (w | lower)) * k;
		h ^= h >> 29;
	}
	if (n > 0) {
		/* The tail byte by byte: a short memcpy would stall. */
		for (w = 0, i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)p[i] << (8 * i);
		h = (h ^ (w | (lower >> (8 * (8 - n))))) * k;
		h ^= h >> 29;
	}
	h *= k;
	h ^= h >> 32;
	return (uint32_t)h != 0 ? (uint32_t)h : 1;
}

static int
ini_name_eq(const char *a, const char *b, size_t n, int fold)
{
	size_t i;

	if (!fold)
		return memcmp(a, b, n) == 0;
	for (i = 0; i < n; i++)
		if (ini_lower((unsigned char)a[i]) !=
		    ini_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static void
ini_seen_grow(struct ini_seen *s)
{
	struct ini_seen_ent *old = s->tab;
	size_t oldcap = s->cap, i, j;

	s->cap = oldcap == 0 ? 64 : oldcap * 4;
	s->tab = xcalloc(s->cap, sizeof *s->tab);
	for (i = 0; i < oldcap; i++) {
		if (old[i].hash == 0)
			continue;
		for (j = old[i].hash & (s->cap - 1); s->tab[j].hash != 0;
		     j = (j + 1) & (s->cap - 1))
			;
		s->tab[j] = old[i];
	}
	free(old);
}

/* Add a name to the set; if it was there, the line where it was first. */
static size_t
ini_seen_hash(
    struct ini_seen *s, const char *p, size_t n, uint32_t ns, size_t lineno)
{
	int fold = ns != INI_SECT_NS;
	uint32_t h = ini_hash(p, n, ns, fold);
	struct ini_seen_ent *e;
	size_t j;

	if ((s->n + 1) * 2 > s->cap)
		ini_seen_grow(s);
	for (j = h & (s->cap - 1); (e = &s->tab[j])->hash != 0;
	     j = (j + 1) & (s->cap - 1))
		if (e->hash == h && e->ns == ns && e->len == n &&
		    ini_name_eq(s->base + e->off, p, n, fold))
			return e->lineno;
	e->hash = h;
	e->ns = ns;
	e->off = (uint32_t)(p - s->base);
	e->len = (uint32_t)n;
	e->lineno = (uint32_t)lineno;
	s->n++;
	return 0;
}

static struct ini_seen *
ini_seen_get(struct ini_scanner *sc)
{
	if (sc->seen == NULL) {
		sc->seen = xcalloc(1, sizeof *sc->seen);
		sc->seen->base = sc->base;
	}
	return sc->seen;
}

/* A new section: its name must be new; its key list starts empty. */
static size_t
ini_seen_section(struct ini_scanner *sc, const char *p, size_t n, size_t lineno)
{
	struct ini_seen *s = ini_seen_get(sc);

	s->nkeys = 0;
	s->keys_hashed = 0;
	return ini_seen_hash(s, p, n, INI_SECT_NS, lineno);
}

/* A key of the current section (id ns; 0 for [DEFAULT]). */
static size_t
ini_seen_key(
    struct ini_scanner *sc, const char *p, size_t n, uint32_t ns, size_t lineno)
{
	struct ini_seen *s = ini_seen_get(sc);
	size_t i, first;

	if (ns == 0 || s->keys_hashed)
		return ini_seen_hash(s, p, n, ns, lineno);
	for (i = 0; i < s->nkeys; i++)
		if (s->keys[i].len == n &&
		    ini_name_eq(s->base + s->keys[i].off, p, n, 1))
			return s->keys[i].lineno;
	if (s->nkeys < INI_KEYS_LINEAR) {
		s->keys[s->nkeys].off = (uint32_t)(p - s->base);
		s->keys[s->nkeys].len = (uint32_t)n;
		s->keys[s->nkeys++].lineno = (uint32_t)lineno;
		return 0;
	}
	/* A long section: move its keys into the set. */
	for (i = 0; i < s->nkeys; i++)
		(void)ini_seen_hash(s, s->base + s->keys[i].off, s->keys[i].len,
		    ns, s->keys[i].lineno);
	s->keys_hashed = 1;
	first = ini_seen_hash(s, p, n, ns, lineno);
	return first;
}

/* ---- the scanner ---- */

void
ini_scan_init(
    struct ini_scanner *s, const char *data, size_t len, unsigned flags)
{
	const char *cr;

	memset(s, 0, sizeof *s);
	s->base = data;
	s->p = data;
	s->end = data + len;
	s->flags = flags;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		s->bom = 1;
		s->p += 3;
	}
	cr = memchr(s->p, '\r', (size_t)(s->end - s->p));
	s->next_cr = cr != NULL ? cr : s->end;
	/* One check of the whole text; lines are checked one by one only to
	 * find the bad one.  A NUL byte would end a value early in C and
	 * means something else to Python: every reader refuses it. */
	s->utf8_ok = ini_utf8_valid(s->p, (size_t)(s->end - s->p)) &&
	    memchr(s->p, '\0', (size_t)(s->end - s->p)) == NULL;
}

void
ini_scan_release(struct ini_scanner *s)
{
	if (s->seen != NULL) {
		free(s->seen->tab);
		free(s->seen);
		s->seen = NULL;
	}
}

int
ini_scan_bom(const struct ini_scanner *s)
{
	return s->bom;
}

const char *
ini_scan_problem(const struct ini_scanner *s, size_t *lineno)
{
	if (s->problem_line == 0)
		return NULL;
	if (lineno != NULL)
		*lineno = s->problem_line;
	return s->problem;
}

static void ini_problem(struct ini_scanner *s, struct ini_token *t,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
ini_problem(struct ini_scanner *s, struct ini_token *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->tokmsg, sizeof s->tokmsg, fmt, ap);
	va_end(ap);
	t->problem = s->tokmsg;
	if (s->problem_line == 0) {
		s->problem_line = t->lineno;
		memcpy(s->problem, s->tokmsg, sizeof s->problem);
	}
}

/* Bytes of the str.splitlines() boundary at p that continuation text can
 * hold (no "\r" or "\n" there), or 0. */
static size_t
ini_linebreak_at(const unsigned char *p, size_t n)
{
	if (*p == 0x0b || *p == 0x0c || (*p >= 0x1c && *p <= 0x1e))
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0x85)
		return 2;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0xa8 || p[2] == 0xa9))
		return 3;
	return 0;
}

/*
 * botocore parses a value whose first line is empty as nested
 * "name = value" lines (split with str.splitlines, each stripped); every
 * non-empty one needs an '='.  Returns the offending piece or NULL.
 */
static const char *
ini_nested_bad(const char *s, size_t n, size_t *lenp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0, k;

	for (;;) {
		k = i < n ? ini_linebreak_at(u + i, n - i) : 0;
		if (i == n || k > 0) {
			const char *piece = s + start;
			size_t plen = i - start, lead = ini_lstrip(piece, plen);

			piece += lead;
			plen = ini_rstrip(piece, plen - lead);
			if (plen > 0 && memchr(piece, '=', plen) == NULL) {
				*lenp = plen;
				return piece;
			}
			if (i == n)
				return NULL;
			i += k;
			start = i;
			continue;
		}
		i++;
	}
}

/* The first '=' or ':' in p[0..n), or NULL; eight bytes at a time. */
static const char *
ini_find_sep(const char *p, size_t n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t high = UINT64_C(0x8080808080808080);
	uint64_t w, a, b;

	while (n >= 8) {
		memcpy(&w, p, 8);
		a = w ^ (ones * '=');
		b = w ^ (ones * ':');
		if ((((a - ones) & ~a) | ((b - ones) & ~b)) & high)
			break;
		p += 8;
		n -= 8;
	}
	for (; n > 0; p++, n--)
		if (*p == '=' || *p == ':')
			return p;
	return NULL;
}

/* Classify one line (c, n: its text without the line ending). */
static void
ini_classify(
    struct ini_scanner *s, struct ini_token *t, const char *c, size_t n)
{
	const unsigned char *u = (const unsigned char *)c;
	const char *st, *d, *v, *r;
	size_t lead, sl, i, k, indent = 0, first;
	char m1[80], m2[80];

	if (!s->utf8_ok && memchr(c, '\0', n) != NULL)
		ini_problem(s, t, "the line holds a NUL byte");
	else if (!s->utf8_ok && !ini_utf8_valid(c, n))
		ini_problem(s, t, "the line is not valid UTF-8");
	lead = ini_lstrip(c, n);
	if (lead == n) {
		t->kind = INI_BLANK;
		return;
	}
	st = c + lead;
	sl = ini_rstrip(st, n - lead);
	if (*st == '#' || *st == ';') {
		t->kind = INI_COMMENT;
		return;
	}
	for (i = 0; i < lead; i += k, indent++)
		k = ini_space_at(u + i, lead - i);
	t->indent = indent;

	if (s->in_section && s->in_key && indent > s->indent_level) {
		t->kind = INI_CONT;
		t->name = st;
		t->namelen = sl;
		if (s->key_empty && (v = ini_nested_bad(st, sl, &k)) != NULL) {
			if (s->sect_default) {
				/* [DEFAULT] values count only once a section
				 * inherits them. */
				if (s->deferred_line == 0) {
					s->deferred_line = t->lineno;
					snprintf(s->deferred,
					    sizeof s->deferred,
					    "the indented line '%s' under a "
					    "key with an empty value is not "
					    "'name = value'",
					    ini_msgtext(m1, sizeof m1, v, k));
				}
			} else {
				ini_problem(s, t,
				    "the indented line '%s' under a key with "
				    "an empty value is not 'name = value'",
				    ini_msgtext(m1, sizeof m1, v, k));
			}
		}
		return;
	}
	s->indent_level = indent;

	if (*st == '[' && sl >= 3 && (r = memrchr(st, ']', sl)) != NULL &&
	    r - st >= 2) {
		t->kind = INI_SECTION;
		t->name = st + 1;
		t->namelen = (size_t)(r - st - 1);
		s->in_section = 1;
		s->in_key = 0;
		if (t->namelen == 7 && memcmp(t->name, "DEFAULT", 7) == 0) {
			s->sect_default = 1;
			return;
		}
		s->sect_default = 0;
		s->nsections++;
		s->sect_id++;
		if (!(s->flags & INI_SCAN_NODUP) &&
		    (first = ini_seen_section(
			 s, t->name, t->namelen, t->lineno)) != 0)
			ini_problem(s, t,
			    "section '%s' appears twice (first on line %zu)",
			    ini_msgtext(m1, sizeof m1, t->name, t->namelen),
			    first);
		return;
	}
	if (!s->in_section) {
		t->kind = INI_BAD;
		ini_problem(s, t, "'%s' comes before any [section]",
		    ini_msgtext(m1, sizeof m1, st, sl));
		return;
	}
	if ((d = ini_find_sep(st, sl)) == NULL) {
		t->kind = INI_BAD;
		ini_problem(s, t,
		    "'%s' is not a [section], a 'name = value' or a comment",
		    ini_msgtext(m1, sizeof m1, st, sl));
		return;
	}
	t->namelen = ini_rstrip(st, (size_t)(d - st));
	if (t->namelen == 0) {
		t->kind = INI_BAD;
		s->in_key = 0;
		ini_problem(s, t, "'%s' has no name before '%c'",
		    ini_msgtext(m1, sizeof m1, st, sl), *d);
		return;
	}
	t->kind = INI_KEY;
	t->name = st;
	v = d + 1;
	v += ini_lstrip(v, (size_t)(st + sl - v));
	t->value = v;
	t->valuelen = (size_t)(st + sl - v);
	t->value_off = (size_t)(v - c);
	s->in_key = 1;
	s->key_empty = t->valuelen == 0;
	if (!(s->flags & INI_SCAN_NODUP) &&
	    (first = ini_seen_key(s, t->name, t->namelen,
		 s->sect_default ? 0 : s->sect_id, t->lineno)) != 0)
		ini_problem(s, t,
		    "key '%s' appears twice in one section (first on line "
		    "%zu)",
		    ini_msgtext(m2, sizeof m2, t->name, t->namelen), first);
}

int
ini_scan_next(struct ini_scanner *s, struct ini_token *t)
{
	const char *start = s->p, *lf, *cend;
	size_t eol;

	if (s->p >= s->end) {
		if (s->deferred_line != 0 && s->nsections > 0 &&
		    s->problem_line == 0) {
			s->problem_line = s->deferred_line;
			memcpy(s->problem, s->deferred, sizeof s->deferred);
		}
		s->deferred_line = 0;
		return 0;
	}
	if (s->next_cr < start) {
		const char *cr = memchr(start, '\r', (size_t)(s->end - start));
		s->next_cr = cr != NULL ? cr : s->end;
	}
	lf = memchr(start, '\n', (size_t)(s->end - start));
	if (lf == NULL)
		lf = s->end;
	if (s->next_cr < lf) {
		cend = s->next_cr;
		eol = (cend + 1 < s->end && cend[1] == '\n') ? 2 : 1;
	} else {
		cend = lf;
		eol = lf < s->end ? 1 : 0;
	}
	s->p = cend + eol;
	/* Field by field: a memset here costs more than the whole line. */
	t->kind = INI_BLANK;
	t->name = NULL;
	t->namelen = 0;
	t->value = NULL;
	t->valuelen = 0;
	t->value_off = 0;
	t->indent = 0;
	t->problem = NULL;
	t->line = start;
	t->len = (size_t)(s->p - start);
	t->eol = eol;
	t->lineno = ++s->lineno;
	ini_classify(s, t, start, (size_t)(cend - start));
	return 1;
}

/* ---- the document ---- */

struct ini_line {
	struct ini_line *prev, *next;
	enum ini_kind kind;
	const char *raw; /* the bytes, line ending included */
	size_t len, eol;
	size_t lineno;         /* as read; 0 if added */
	size_t indent_bytes;   /* leading white space */
	size_t value_off;      /* KEY: where the value starts in raw */
	const char *name;      /* SECTION: name; KEY: lower-cased key; CONT:
				stripped text (NUL-terminated copies) */
	size_t namelen;        /* may differ from strlen(): Python allows NUL */
	const char *value;     /* KEY: the value, continuation lines joined */
	struct ini_line *sect; /* the header this line belongs to (itself
				  for a header), NULL before the first */
	struct ini_line *last; /* KEY: the last line of its value */
};

/* Strings and lines live in blocks freed all at once. */
struct ini_block {
	struct ini_block *next;
	size_t used, size;
	alignas(max_align_t) char data[];
};

struct ini_doc {
	struct ini_line *first, *last;
	struct ini_block *blocks;
	char *text; /* the parsed bytes */
	char *name;
	const char *eol; /* line ending for new lines */
	int bom, changed;
	size_t problem_line;
	char problem[240];
};

static void *
ini_alloc(struct ini_doc *doc, size_t n)
{
	struct ini_block *b = doc->blocks;
	size_t align = alignof(max_align_t), size;

	n = (n + align - 1) & ~(align - 1);
	if (b == NULL || b->size - b->used < n) {
		size = n > 32768 ? n : 32768;
		b = xmalloc(sizeof *b + size);
		b->next = doc->blocks;
		b->used = 0;
		b->size = size;
		doc->blocks = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *
ini_strndup(struct ini_doc *doc, const char *s, size_t n)
{
	char *p = ini_alloc(doc, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static struct ini_line *
ini_line_new(struct ini_doc *doc)
{
	struct ini_line *l = ini_alloc(doc, sizeof *l);

	memset(l, 0, sizeof *l);
	return l;
}

/* Link l after pos (at the start when pos is NULL). */
static void
ini_link_after(struct ini_doc *doc, struct ini_line *pos, struct ini_line *l)
{
	l->prev = pos;
	l->next = pos != NULL ? pos->next : doc->first;
	if (l->next != NULL)
		l->next->prev = l;
	else
		doc->last = l;
	if (pos != NULL)
		pos->next = l;
	else
		doc->first = l;
}

/* Unlink the lines from a to b inclusive. */
static void
ini_unlink(struct ini_doc *doc, struct ini_line *a, struct ini_line *b)
{
	if (a->prev != NULL)
		a->prev->next = b->next;
	else
		doc->first = b->next;
	if (b->next != NULL)
		b->next->prev = a->prev;
	else
		doc->last = a->prev;
	doc->changed = 1;
}

struct ini_doc *
ini_new(const char *name)
{
	struct ini_doc *doc = xcalloc(1, sizeof *doc);

	doc->name = xstrdup(name != NULL ? name : "(config)");
	doc->eol = "\n";
	return doc;
}

void
ini_free(struct ini_doc *doc)
{
	struct ini_block *b, *next;

	if (doc == NULL)
		return;
	for (b = doc->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(doc->text);
	free(doc->name);
	free(doc);
}

/* Join each key's continuation lines into its value, as configparser does
 * (a blank line adds an empty line, a comment nothing), and record which
 * section every line belongs to. */
static void
ini_link_values(struct ini_doc *doc)
{
	struct ini_line *l, *m, *sect = NULL, *key = NULL;
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);

	for (l = doc->first; l != NULL; l = l->next) {
		if (l->kind == INI_SECTION) {
			sect = l;
			key = NULL;
		} else if (l->kind == INI_KEY) {
			key = l;
			l->last = l;
		} else if (l->kind == INI_CONT && key != NULL) {
			key->last = l;
		}
		l->sect = sect;
	}
	for (l = doc->first; l != NULL; l = l->next) {
		if (l->kind != INI_KEY || l->last == l)
			continue;
		idc_buf_reset(&b);
		idc_buf_putstr(&b, l->value);
		for (m = l->next;; m = m->next) {
			if (m->kind == INI_CONT) {
				idc_buf_putch(&b, '\n');
				idc_buf_putstr(&b, m->name);
			} else if (m->kind == INI_BLANK) {
				idc_buf_putch(&b, '\n');
			}
			if (m == l->last)
				break;
		}
		l->value = ini_strndup(doc, idc_buf_cstr(&b), b.len);
	}
	idc_buf_release(&b);
}

static void
ini_fill_line(
    struct ini_doc *doc, struct ini_line *l, const struct ini_token *t)
{
	char *name;
	size_t i;

	l->kind = t->kind;
	l->raw = t->line;
	l->len = t->len;
	l->eol = t->eol;
	l->lineno = t->lineno;
	l->indent_bytes = ini_lstrip(t->line, t->len - t->eol);
	switch (t->kind) {
	case INI_SECTION:
	case INI_CONT:
		l->name = ini_strndup(doc, t->name, t->namelen);
		l->namelen = t->namelen;
		break;
	case INI_KEY:
		name = ini_strndup(doc, t->name, t->namelen);
		for (i = 0; i < t->namelen; i++)
			name[i] = (char)ini_lower((unsigned char)name[i]);
		l->name = name;
		l->namelen = t->namelen;
		l->value = ini_strndup(doc, t->value, t->valuelen);
		l->value_off = t->value_off;
		break;
	default:
		break;
	}
}

int
ini_parse(const char *data, size_t len, const char *name, unsigned flags,
    struct ini_doc **out, struct idc_err *err)
{
	struct ini_doc *doc = ini_new(name);
	struct ini_scanner s;
	struct ini_token t;
	struct ini_line *l;
	const char *problem;
	size_t lineno = 0;
	int eol_known = 0;

	doc->text = xmalloc(len + 1);
	if (len > 0)
		memcpy(doc->text, data, len);
	doc->text[len] = '\0';
	ini_scan_init(&s, doc->text, len, 0);
	doc->bom = ini_scan_bom(&s);
	while (ini_scan_next(&s, &t)) {
		l = ini_line_new(doc);
		ini_fill_line(doc, l, &t);
		ini_link_after(doc, doc->last, l);
		if (!eol_known && t.eol > 0) {
			/* New lines end as the file's first line does. */
			doc->eol = t.eol == 2           ? "\r\n"
			    : t.line[t.len - 1] == '\r' ? "\r"
							: "\n";
			eol_known = 1;
		}
	}
	problem = ini_scan_problem(&s, &lineno);
	if (problem != NULL) {
		if (!(flags & INI_LENIENT)) {
			ini_problem_err(doc->name, lineno, problem, err);
			ini_scan_release(&s);
			ini_free(doc);
			return -1;
		}
		doc->problem_line = lineno;
		snprintf(doc->problem, sizeof doc->problem, "%s", problem);
	}
	ini_scan_release(&s);
	ini_link_values(doc);
	doc->changed = 0;
	*out = doc;
	return 0;
}

const char *
ini_doc_problem(const struct ini_doc *doc, size_t *lineno)
{
	if (doc->problem_line == 0)
		return NULL;
	if (lineno != NULL)
		*lineno = doc->problem_line;
	return doc->problem;
}

int
ini_has_bom(const struct ini_doc *doc)
{
	return doc->bom;
}

int
ini_changed(const struct ini_doc *doc)
{
	return doc->changed;
}

int
ini_render(const struct ini_doc *doc, struct idc_buf *out, struct idc_err *err)
{
	const struct ini_line *l;

	if (doc->bom && idc_buf_add_err(out, "\xef\xbb\xbf", 3, err) == -1)
		return -1;
	for (l = doc->first; l != NULL; l = l->next)
		if (idc_buf_add_err(out, l->raw, l->len, err) == -1)
			return -1;
	return 0;
}

/* The scanner reads line l as the document says it is. */
static int
ini_same_line(const struct ini_token *t, const struct ini_line *l)
{
	size_t i;

	if (t->kind != l->kind)
		return 0;
	if (t->kind == INI_SECTION)
		return t->namelen == l->namelen &&
		    memcmp(t->name, l->name, t->namelen) == 0;
	if (t->kind == INI_KEY) {
		if (t->namelen != l->namelen)
			return 0;
		for (i = 0; i < t->namelen; i++)
			if (ini_lower((unsigned char)t->name[i]) !=
			    (unsigned char)l->name[i])
				return 0;
	}
	return 1;
}

int
ini_check(const struct ini_doc *doc, struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct ini_scanner s;
	struct ini_token t;
	const struct ini_line *l;
	const char *problem;
	size_t lineno = 0, differs = 0;
	int r = -1;

	if (ini_render(doc, &b, err) == -1)
		return -1;
	ini_scan_init(&s, idc_buf_cstr(&b), b.len, 0);
	for (l = doc->first; l != NULL && differs == 0; l = l->next, lineno++)
		if (!ini_scan_next(&s, &t) || !ini_same_line(&t, l))
			differs = lineno + 1;
	if (differs == 0 && ini_scan_next(&s, &t))
		differs = t.lineno;
	if (differs != 0)
		idc_err_set(err, IDC_ECONFIG,
		    "'%s' line %zu: an edit here would change how the line "
		    "is read (check its indentation); nothing was written",
		    doc->name, differs);
	else if ((problem = ini_scan_problem(&s, &lineno)) != NULL)
		ini_problem_err(doc->name, lineno, problem, err);
	else
		r = 0;
	ini_scan_release(&s);
	idc_buf_release(&b);
	return r;
}

/* ---- sections and keys ---- */

struct ini_line *
ini_section_next(const struct ini_doc *doc, const struct ini_line *prev)
{
	struct ini_line *l = prev != NULL ? prev->next : doc->first;

	while (l != NULL && l->kind != INI_SECTION)
		l = l->next;
	return l;
}

const char *
ini_section_name(const struct ini_line *sec)
{
	return sec->name;
}

size_t
ini_name_len(const struct ini_line *line)
{
	return line->namelen;
}

struct ini_line *
ini_section_get(const struct ini_doc *doc, const char *name)
{
	struct ini_line *l, *found = NULL;

	for (l = ini_section_next(doc, NULL); l != NULL;
	     l = ini_section_next(doc, l))
		if (l->namelen == strlen(name) && strcmp(l->name, name) == 0)
			found = l;
	return found;
}

struct ini_line *
ini_key_next(const struct ini_line *sec, const struct ini_line *prev)
{
	struct ini_line *l = prev != NULL ? prev->next : sec->next;

	for (; l != NULL && l->kind != INI_SECTION; l = l->next)
		if (l->kind == INI_KEY)
			return l;
	return NULL;
}

const char *
ini_key_name(const struct ini_line *key)
{
	return key->name;
}

const char *
ini_key_value(const struct ini_line *key)
{
	return key->value;
}

size_t
ini_line_number(const struct ini_line *line)
{
	return line->lineno;
}

struct ini_line *
ini_key_get(const struct ini_line *sec, const char *key)
{
	struct ini_line *l;

	for (l = ini_key_next(sec, NULL); l != NULL; l = ini_key_next(sec, l))
		if (l->namelen == strlen(key) &&
		    ini_caseeq(key, l->namelen, l->name))
			return l;
	return NULL;
}

const char *
ini_get(const struct ini_doc *doc, const struct ini_line *sec, const char *key)
{
	struct ini_line *l, *d;

	if ((l = ini_key_get(sec, key)) != NULL)
		return l->value;
	if (ini_section_get(doc, "DEFAULT") == NULL ||
	    (sec->namelen == 7 && strcmp(sec->name, "DEFAULT") == 0))
		return NULL;
	for (d = ini_section_next(doc, NULL); d != NULL;
	     d = ini_section_next(doc, d))
		if (d->namelen == 7 && strcmp(d->name, "DEFAULT") == 0 &&
		    (l = ini_key_get(d, key)) != NULL)
			return l->value;
	return NULL;
}

/* Give a line that lacks one the document's line ending. */
static void
ini_add_eol(struct ini_doc *doc, struct ini_line *l)
{
	size_t n = strlen(doc->eol);
	char *raw;

	if (l->eol > 0)
		return;
	raw = ini_alloc(doc, l->len + n);
	memcpy(raw, l->raw, l->len);
	memcpy(raw + l->len, doc->eol, n);
	l->raw = raw;
	l->len += n;
	l->eol = n;
	doc->changed = 1;
}

static int
ini_valid_key(const char *key)
{
	const char *p;

	if (key[0] == '\0')
		return 0;
	for (p = key; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
			*p == '.'))
			return 0;
	return 1;
}

/* One line of valid UTF-8 with no control character (no ESC, BEL, DEL,
 * BS, TAB, C1 or bidi control: what a person reading the file or a
 * terminal showing it could be fooled by; safetext.h), no leading or
 * trailing white space.  The one rule for every value, comment and
 * section name idc writes. */
int
ini_valid_text(const char *s)
{
	size_t n = strlen(s);

	return safetext_is_clean(s, n) && ini_lstrip(s, n) == 0 &&
	    ini_rstrip(s, n) == n;
}

int
ini_set(struct ini_doc *doc, struct ini_line *sec, const char *key,
    const char *value, struct idc_err *err)
{
	struct ini_line *l, *last = NULL, *anchor, *ref;
	size_t klen = strlen(key), vlen = strlen(value), pre, i;
	char *raw, *name;
	int space;

	if (!ini_valid_key(key))
		return idc_err_set(err, IDC_EUSAGE,
		    "'%s' cannot be written as a key name", key);
	if (!ini_valid_text(value))
		return idc_err_set(err, IDC_EUSAGE,
		    "the value for '%s' must be one line of UTF-8 without "
		    "control characters or leading or trailing spaces",
		    key);

	if ((l = ini_key_get(sec, key)) != NULL) {
		if (strcmp(l->value, value) == 0)
			return 0;
		pre = l->value_off;
		/* "key =" then a value: keep the file's spacing, but do not
		 * glue the value to a separator that had a space before it. */
		space = pre >= 2 &&
		    (l->raw[pre - 1] == '=' || l->raw[pre - 1] == ':') &&
		    ini_space_at((const unsigned char *)l->raw + pre - 2, 1);
		raw = ini_alloc(doc, pre + (size_t)space + vlen + l->eol);
		memcpy(raw, l->raw, pre);
		if (space)
			raw[pre] = ' ';
		memcpy(raw + pre + space, value, vlen);
		memcpy(
		    raw + pre + space + vlen, l->raw + l->len - l->eol, l->eol);
		if (l->last != l)
			ini_unlink(doc, l->next, l->last);
		l->raw = raw;
		l->len = pre + (size_t)space + vlen + l->eol;
		l->value_off = pre + (size_t)space;
		l->value = ini_strndup(doc, value, vlen);
		l->last = l;
		doc->changed = 1;
		return 0;
	}

	for (l = ini_key_next(sec, NULL); l != NULL; l = ini_key_next(sec, l))
		last = l;
	ref = last != NULL ? last : sec;
	anchor = last != NULL ? last->last : sec;
	ini_add_eol(doc, anchor);
	pre = ref->indent_bytes;
	i = strlen(doc->eol);
	l = ini_line_new(doc);
	raw = ini_alloc(doc, pre + klen + 3 + vlen + i);
	memcpy(raw, ref->raw, pre);
	memcpy(raw + pre, key, klen);
	memcpy(raw + pre + klen, vlen > 0 ? " = " : " =", vlen > 0 ? 3 : 2);
	l->value_off = pre + klen + (vlen > 0 ? 3 : 2);
	memcpy(raw + l->value_off, value, vlen);
	memcpy(raw + l->value_off + vlen, doc->eol, i);
	l->kind = INI_KEY;
	l->raw = raw;
	l->len = l->value_off + vlen + i;
	l->eol = i;
	l->indent_bytes = pre;
	name = ini_strndup(doc, key, klen);
	for (i = 0; i < klen; i++)
		name[i] = (char)ini_lower((unsigned char)name[i]);
	l->name = name;
	l->namelen = klen;
	l->value = ini_strndup(doc, value, vlen);
	l->sect = sec;
	l->last = l;
	ini_link_after(doc, anchor, l);
	doc->changed = 1;
	return 0;
}

int
ini_comment_set(struct ini_doc *doc, struct ini_line *sec, const char *prefix,
    const char *text, struct idc_err *err)
{
	struct ini_line *l, *found = NULL;
	size_t plen = strlen(prefix), tlen = strlen(text), e;
	char *raw, *whole = xasprintf("%s%s", prefix, text);
	int ok = plen > 0 && prefix[0] == '#' && ini_valid_text(whole);

	free(whole);
	if (!ok)
		return idc_err_set(err, IDC_EUSAGE,
		    "a comment must be one line of UTF-8 after a '#'");
	for (l = sec->next; l != NULL && l->sect == sec; l = l->next)
		if (l->kind == INI_COMMENT && l->indent_bytes == 0 &&
		    l->len - l->eol >= plen &&
		    memcmp(l->raw, prefix, plen) == 0) {
			found = l;
			break;
		}
	if (found != NULL && found->len - found->eol == plen + tlen &&
	    memcmp(found->raw + plen, text, tlen) == 0)
		return 0;
	if (found == NULL) {
		ini_add_eol(doc, sec);
		found = ini_line_new(doc);
		found->kind = INI_COMMENT;
		found->sect = sec;
		found->eol = strlen(doc->eol);
		ini_link_after(doc, sec, found);
	}
	e = found->eol;
	raw = ini_alloc(doc, plen + tlen + e);
	memcpy(raw, prefix, plen);
	memcpy(raw + plen, text, tlen);
	memcpy(raw + plen + tlen,
	    found->raw != NULL ? found->raw + found->len - e : doc->eol, e);
	found->raw = raw;
	found->len = plen + tlen + e;
	doc->changed = 1;
	return 0;
}

int
ini_unset(struct ini_doc *doc, struct ini_line *sec, const char *key)
{
	struct ini_line *l = ini_key_get(sec, key);

	if (l == NULL)
		return 0;
	ini_unlink(doc, l, l->last);
	return 1;
}

struct ini_line *
ini_section_add(struct ini_doc *doc, const char *name, struct idc_err *err)
{
	struct ini_line *l;
	size_t n = strlen(name), e = strlen(doc->eol);
	char *raw;

	if (n == 0 || !ini_valid_text(name)) {
		idc_err_set(err, IDC_EUSAGE,
		    "'%s' cannot be written as a section name", name);
		return NULL;
	}
	if (doc->last != NULL)
		ini_add_eol(doc, doc->last);
	raw = ini_alloc(doc, n + 2 + e);
	raw[0] = '[';
	memcpy(raw + 1, name, n);
	raw[n + 1] = ']';
	memcpy(raw + n + 2, doc->eol, e);
	l = ini_line_new(doc);
	l->kind = INI_SECTION;
	l->raw = raw;
	l->len = n + 2 + e;
	l->eol = e;
	l->name = ini_strndup(doc, name, n);
	l->namelen = n;
	l->sect = l;
	ini_link_after(doc, doc->last, l);
	doc->changed = 1;
	return l;
}

void
ini_blank_add(struct ini_doc *doc)
{
	struct ini_line *l;
	size_t e = strlen(doc->eol);
	char *raw;

	if (doc->last == NULL || doc->last->kind == INI_BLANK)
		return;
	ini_add_eol(doc, doc->last);
	l = ini_line_new(doc);
	l->kind = INI_BLANK;
	raw = ini_alloc(doc, e);
	memcpy(raw, doc->eol, e);
	l->raw = raw;
	l->sect = doc->last->sect;
	l->len = e;
	l->eol = e;
	ini_link_after(doc, doc->last, l);
	doc->changed = 1;
}

void
ini_section_remove(struct ini_doc *doc, struct ini_line *sec)
{
	struct ini_line *end = sec, *l, *before = sec->prev;

	for (l = sec->next; l != NULL && l->kind != INI_SECTION; l = l->next)
		if (l->kind != INI_BLANK && l->kind != INI_COMMENT)
			end = l;
	/* The blank lines that separated it from what follows. */
	while (end->next != NULL && end->next->kind == INI_BLANK)
		end = end->next;
	/* The last section: also the blank lines that separated it from
	 * what came before, so the file does not end in blank lines. */
	if (end->next == NULL)
		while (before != NULL && before->kind == INI_BLANK) {
			sec = before;
			before = before->prev;
		}
	ini_unlink(doc, sec, end);
}
