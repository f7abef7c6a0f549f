/*
 * test_ini.c - the INI layer: botocore's reading rules, byte-identical
 * round trips of the fixture corpus (and of its CRLF, CR, BOM and
 * no-final-newline variants, and of a generated 5,000-profile file), and
 * edits that change only the lines they must.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/store/ini.h"
#include "idc/core/xmalloc.h"

static const char *const fixtures[] = {
	"basic.ini",
	"comments-everywhere.ini",
	"comments-only.ini",
	"credentials.ini",
	"default-both.ini",
	"defaults-section.ini",
	"empty.ini",
	"legacy.ini",
	"multiline.ini",
	"no-final-newline.ini",
	"odd-spacing.ini",
	"quoted-names.ini",
	"services.ini",
	"unicode.ini",
};

/* A fixture's bytes (the caller frees). */
static char *
read_fixture(const char *name, size_t *len)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_err err = IDC_ERR_INIT;
	char *path = xasprintf("%s/%s", IDC_FIXTURES, name);

	if (fsutil_read_file(path, IDC_BUF_MAX_FILE, &b, &err) == -1)
		fail_msg("%s", err.msg);
	free(path);
	return idc_buf_detach(&b, len);
}

static struct ini_doc *
parse_ok(const char *text, size_t len)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;

	if (ini_parse(text, len, "test", 0, &doc, &err) == -1)
		fail_msg("parse: %s", err.msg);
	return doc;
}

static struct ini_doc *
parse_str(const char *text)
{
	return parse_ok(text, strlen(text));
}

static char *
render(const struct ini_doc *doc)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE * 2);
	struct idc_err err = IDC_ERR_INIT;

	assert_int_equal(ini_render(doc, &b, &err), 0);
	return idc_buf_detach(&b, NULL);
}

/* Parse, render, compare: the bytes must come back unchanged. */
static void
assert_round_trip(const char *text, size_t len)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE * 2);
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;

	assert_int_equal(
	    ini_parse(text, len, "rt", INI_LENIENT, &doc, &err), 0);
	assert_int_equal(ini_render(doc, &b, &err), 0);
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data != NULL ? b.data : "", text, len);
	assert_false(ini_changed(doc));
	ini_free(doc);
	idc_buf_release(&b);
}

/* text with every "\n" replaced by eol. */
static char *
with_eol(const char *text, size_t len, const char *eol, size_t *outlen)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE * 2);
	size_t i;

	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			idc_buf_putstr(&b, eol);
		else
			idc_buf_putch(&b, text[i]);
	return idc_buf_detach(&b, outlen);
}

static void
test_fixtures_round_trip_in_every_variant(void **state)
{
	size_t i, len, vlen;
	char *text, *v;

	(void)state;
	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		text = read_fixture(fixtures[i], &len);
		assert_round_trip(text, len);
		v = with_eol(text, len, "\r\n", &vlen);
		assert_round_trip(v, vlen);
		free(v);
		v = with_eol(text, len, "\r", &vlen);
		assert_round_trip(v, vlen);
		free(v);
		/* No final newline. */
		vlen = len;
		while (vlen > 0 && text[vlen - 1] == '\n')
			vlen--;
		assert_round_trip(text, vlen);
		/* A byte order mark. */
		v = xasprintf("\xef\xbb\xbf%s", text);
		assert_round_trip(v, len + 3);
		free(v);
		free(text);
	}
}

static void
test_values_as_botocore_reads_them(void **state)
{
	struct ini_doc *doc;
	struct ini_line *sec;
	size_t len;
	char *text = read_fixture("comments-everywhere.ini", &len);

	(void)state;
	doc = parse_ok(text, len);
	sec = ini_section_get(doc, "default");
	assert_non_null(sec);
	/* Inline comments are part of the value. */
	assert_string_equal(ini_get(doc, sec, "region"),
	    "eu-west-1 # inline hash stays in the value");
	assert_string_equal(
	    ini_get(doc, sec, "output"), "json ; so does a semicolon");
	/* Text after the header's last ']' is ignored. */
	sec = ini_section_get(doc, "profile dev");
	assert_non_null(sec);
	assert_string_equal(ini_get(doc, sec, "sso_role_name"), "Developer");
	ini_free(doc);
	free(text);

	text = read_fixture("odd-spacing.ini", &len);
	doc = parse_ok(text, len);
	sec = ini_section_get(doc, "profile spaced");
	/* Keys compared lower-cased, values stripped, ':' separates. */
	assert_string_equal(ini_get(doc, sec, "sso_role_name"), "PowerUser");
	assert_string_equal(ini_get(doc, sec, "SSO_ROLE_NAME"), "PowerUser");
	assert_string_equal(ini_get(doc, sec, "region"), "ap-southeast-2");
	assert_string_equal(
	    ini_get(doc, ini_section_get(doc, "default"), "cli_pager"), "");
	sec = ini_section_get(doc, "profile colon");
	assert_string_equal(ini_get(doc, sec, "sso_start_url"),
	    "https://legacy.awsapps.com/start");
	ini_free(doc);
	free(text);
}

static void
test_continuations_and_nested_values(void **state)
{
	struct ini_doc *doc;
	struct ini_line *sec, *key;
	size_t len;
	char *text = read_fixture("multiline.ini", &len);

	(void)state;
	doc = parse_ok(text, len);
	sec = ini_section_get(doc, "profile multi");
	assert_string_equal(ini_get(doc, sec, "description"),
	    "first line\nsecond line\n\nafter a blank line\ndeeper still");
	assert_string_equal(ini_get(doc, sec, "region"), "us-east-1");
	sec = ini_section_get(doc, "profile tricky");
	assert_string_equal(ini_get(doc, sec, "key_a"),
	    "value\nkey_b = continuation of key_a, not a key");
	assert_null(ini_get(doc, sec, "key_b"));
	assert_string_equal(ini_get(doc, sec, "key_c"), "with:colons");
	assert_string_equal(
	    ini_get(doc, sec, "url"), "https://example.com/a=b:c");
	ini_free(doc);
	free(text);

	text = read_fixture("services.ini", &len);
	doc = parse_ok(text, len);
	sec = ini_section_get(doc, "services my-services");
	key = ini_key_get(sec, "s3");
	assert_non_null(key);
	assert_string_equal(
	    ini_key_value(key), "\nendpoint_url = http://localhost:4566");
	assert_string_equal(ini_key_name(ini_key_next(sec, key)), "dynamodb");
	ini_free(doc);
	free(text);
}

static void
test_defaults_section_is_inherited(void **state)
{
	struct ini_doc *doc;
	size_t len;
	char *text = read_fixture("defaults-section.ini", &len);

	(void)state;
	doc = parse_ok(text, len);
	assert_string_equal(
	    ini_get(doc, ini_section_get(doc, "profile inherits"), "region"),
	    "eu-north-1");
	assert_string_equal(
	    ini_get(doc, ini_section_get(doc, "profile overrides"), "region"),
	    "us-east-1");
	assert_string_equal(
	    ini_get(doc, ini_section_get(doc, "profile overrides"), "output"),
	    "yaml");
	/* The section's own key only. */
	assert_null(
	    ini_key_get(ini_section_get(doc, "profile overrides"), "output"));
	ini_free(doc);
	free(text);
}

/* What botocore refuses, with the line that says why. */
static void
test_refused_files_name_the_line(void **state)
{
	static const struct {
		const char *file;
		const char *line;
		const char *what;
	} cases[] = {
		{ "invalid/dup-section.ini", "line 6:", "appears twice" },
		{ "invalid/dup-key.ini", "line 4:", "appears twice" },
		{ "invalid/key-before-section.ini", "line 1:", "before any" },
		{ "invalid/no-separator.ini", "line 3:", "not a [section]" },
		{ "invalid/empty-key.ini", "line 2:", "no name" },
		{ "invalid/nested-without-equals.ini",
		    "line 3:", "not 'name = value'" },
	};
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;
	size_t i, len, line;
	char *text;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text = read_fixture(cases[i].file, &len);
		idc_err_clear(&err);
		assert_int_equal(ini_parse(text, len, "f", 0, &doc, &err), -1);
		assert_int_equal(err.code, IDC_ECONFIG);
		if (strstr(err.msg, cases[i].line) == NULL ||
		    strstr(err.msg, cases[i].what) == NULL)
			fail_msg("%s: %s", cases[i].file, err.msg);
		/* Lenient: kept, and still byte-identical. */
		assert_int_equal(
		    ini_parse(text, len, "f", INI_LENIENT, &doc, &err), 0);
		assert_non_null(ini_doc_problem(doc, &line));
		assert_int_equal(ini_check(doc, &err), -1);
		ini_free(doc);
		assert_round_trip(text, len);
		free(text);
	}
}

static void
test_other_refusals(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;
	static const char *const bad[] = {
		"[a]\nk = \xff\n",         /* not UTF-8 */
		"[a]\nk = \xed\xa0\x80\n", /* a surrogate */
		"[a]\nk = 1\n[b]\n[a]\n",  /* duplicate after another */
		"[a]\nK = 1\nk: 2\n",      /* duplicate, case and sep */
		"[DEFAULT]\nk = 1\n[DEFAULT]\nk = 2\n[a]\n", /* across */
		"[DEFAULT]\ns3 =\n  x\n[a]\n", /* nested, inherited */
		"[a]\n[]\n",                   /* "[]" is no header */
	};
	static const char *const good[] = {
		"[DEFAULT]\nk = 1\n[DEFAULT]\nj = 2\n", /* merges */
		"[DEFAULT]\ns3 =\n  x\n",   /* nested, but nobody inherits */
		"[a]\nk = 1\n[A]\nk = 2\n", /* section names keep case */
		"[a]\nk = 1 ; x\n", "\n  \n# c\n[a]\n",
		"[a]]\nk=v\n", /* the name is "a]" */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (ini_parse(bad[i], strlen(bad[i]), "b", 0, &doc, &err) != -1)
			fail_msg("accepted: %s", bad[i]);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (ini_parse(good[i], strlen(good[i]), "g", 0, &doc, &err) ==
		    -1)
			fail_msg("refused %s: %s", good[i], err.msg);
		ini_free(doc);
	}
	doc = parse_str("[a]]\nk=v\n");
	assert_non_null(ini_section_get(doc, "a]"));
	ini_free(doc);
}

/* No control byte ever reaches a file: each value is refused whole and
 * the document is left as it was. */
static void
test_set_refuses_control_characters(void **state)
{
	static const char *const bad[] = { "Read\x1bOnly", "Read\aOnly",
		"Read\x7fOnly", "Read\bOnly", "Read\tOnly", "a\nb", "a\rb",
		"evil\xe2\x80\xaetxt", "x\xc2\x9b", "bad\xff" };
	struct ini_doc *doc = parse_str("[profile p]\nsso_role_name = ok\n");
	struct ini_line *sec = ini_section_get(doc, "profile p");
	struct idc_err err = IDC_ERR_INIT;
	struct idc_buf out = IDC_BUF_INIT(1 << 16);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (ini_set(doc, sec, "sso_role_name", bad[i], &err) != -1)
			fail_msg("written: case %zu", i);
		assert_non_null(strstr(err.msg, "control characters"));
		assert_null(ini_section_add(doc, bad[i], &err));
	}
	assert_int_equal(ini_render(doc, &out, &err), 0);
	assert_string_equal(out.data, "[profile p]\nsso_role_name = ok\n");
	idc_buf_release(&out);
	ini_free(doc);
}

/* One rule for a NUL byte, wherever it is: the file is refused, with the
 * line, by every reader (never a value cut short at the NUL). */
static void
test_nul_byte_is_refused_everywhere(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *line;
	} cases[] = {
		{ "[a]\nk = Read\0Only\n", 18, "line 2" },
		{ "[profile p\0x]\nk = v\n", 20, "line 1" },
		{ "[a]\nk\0 = v\n", 11, "line 2" },
		{ "[a]\nk =\n  x = \0\n", 16, "line 3" },
		{ "# \0\n[a]\n", 8, "line 1" },
	};
	struct idc_err err;
	struct ini_doc *doc = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		idc_err_clear(&err);
		if (ini_parse(cases[i].text, cases[i].len, "f", 0, &doc,
			&err) != -1 ||
		    strstr(err.msg, "NUL byte") == NULL ||
		    strstr(err.msg, cases[i].line) == NULL)
			fail_msg("case %zu: '%s'", i, err.msg);
		assert_int_equal(err.code, IDC_ECONFIG);
	}
}

/* Unicode white space counts as Python counts it. */
static void
test_unicode_white_space(void **state)
{
	struct ini_doc *doc;
	struct ini_line *sec;

	(void)state;
	/* NBSP and IDEOGRAPHIC SPACE around the value, an EM SPACE indent
	 * that makes the next line a continuation. */
	doc = parse_str("[a]\nk =\xc2\xa0v\xe3\x80\x80\n\xe2\x80\x83more\n");
	sec = ini_section_get(doc, "a");
	assert_string_equal(ini_get(doc, sec, "k"), "v\nmore");
	ini_free(doc);
	assert_int_equal(ini_lstrip("\xc2\xa0\t x", 5), 4);
	assert_int_equal(ini_rstrip("x\xe2\x80\xa8\x0b", 5), 1);
	assert_int_equal(ini_rstrip("x\xe2\x80\xa0", 4), 4); /* a dagger */
}

static void
test_line_endings(void **state)
{
	struct ini_scanner s;
	struct ini_token t;
	static const char text[] = "[a]\r\nk = 1\rj = 2\n\r\nx = 3";

	(void)state;
	ini_scan_init(&s, text, sizeof text - 1, 0);
	assert_int_equal(ini_scan_next(&s, &t), 1);
	assert_int_equal(t.kind, INI_SECTION);
	assert_int_equal(t.eol, 2);
	assert_int_equal(ini_scan_next(&s, &t), 1);
	assert_int_equal(t.kind, INI_KEY);
	assert_int_equal(t.eol, 1);
	assert_int_equal(ini_scan_next(&s, &t), 1);
	assert_int_equal(t.kind, INI_KEY);
	assert_int_equal(t.lineno, 3);
	assert_int_equal(ini_scan_next(&s, &t), 1);
	assert_int_equal(t.kind, INI_BLANK);
	assert_int_equal(t.eol, 2);
	assert_int_equal(ini_scan_next(&s, &t), 1);
	assert_int_equal(t.eol, 0);
	assert_int_equal(t.valuelen, 1);
	assert_int_equal(ini_scan_next(&s, &t), 0);
	assert_null(ini_scan_problem(&s, NULL));
	ini_scan_release(&s);
}

/* Lines of a text, each with its ending. */
struct lines {
	char **v;
	size_t n;
};

static void
split_lines(const char *text, struct lines *l)
{
	const char *p, *e;
	size_t lines = 1;

	/* Counted first: growing the array a line at a time copies it once
	 * per line under ASan, whose realloc always moves (minutes for the
	 * 5,000-profile test). */
	for (p = text; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	l->v = xreallocarray(NULL, lines, sizeof *l->v);
	l->n = 0;
	for (p = text; *p != '\0'; p = e) {
		e = strchr(p, '\n');
		e = e != NULL ? e + 1 : p + strlen(p);
		l->v[l->n++] = xstrndup(p, (size_t)(e - p));
	}
}

static void
free_lines(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* How many lines of a are gone and how many of b are new: the common
 * first and last lines set aside, then by LCS. */
static void
line_diff(const char *a, const char *b, size_t *removed, size_t *added)
{
	struct lines la, lb;
	size_t i, j, *t, w, pre = 0, suf = 0, na, nb;

	split_lines(a, &la);
	split_lines(b, &lb);
	while (pre < la.n && pre < lb.n && strcmp(la.v[pre], lb.v[pre]) == 0)
		pre++;
	/* cppcheck-suppress knownConditionTrueFalse
	 * (a false positive: it assumes the loop above ran to la.n) */
	while (suf < la.n - pre && suf < lb.n - pre &&
	    strcmp(la.v[la.n - 1 - suf], lb.v[lb.n - 1 - suf]) == 0)
		suf++;
	na = la.n - pre - suf;
	nb = lb.n - pre - suf;
	w = nb + 1;
	t = xcalloc((na + 1) * w, sizeof *t);
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			t[i * w + j] = strcmp(la.v[pre + i], lb.v[pre + j]) == 0
			    ? t[(i + 1) * w + j + 1] + 1
			    : (t[(i + 1) * w + j] > t[i * w + j + 1]
				      ? t[(i + 1) * w + j]
				      : t[i * w + j + 1]);
	*removed = na - t[0];
	*added = nb - t[0];
	free(t);
	free_lines(&la);
	free_lines(&lb);
}

static void
assert_diff(const char *a, const char *b, size_t removed, size_t added)
{
	size_t r, ad;

	line_diff(a, b, &r, &ad);
	if (r != removed || ad != added)
		fail_msg("expected -%zu +%zu, got -%zu +%zu:\n--- before\n%s"
			 "--- after\n%s",
		    removed, added, r, ad, a, b);
}

static void
test_set_existing_key_changes_one_line(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc;
	struct ini_line *sec;
	size_t len, i;
	char *text, *out;

	(void)state;
	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		text = read_fixture(fixtures[i], &len);
		doc = parse_ok(text, len);
		for (sec = ini_section_next(doc, NULL); sec != NULL;
		     sec = ini_section_next(doc, sec)) {
			struct ini_line *key = ini_key_next(sec, NULL);

			if (key == NULL ||
			    strchr(ini_key_value(key), '\n') != NULL)
				continue;
			assert_int_equal(ini_set(doc, sec, ini_key_name(key),
					     "new-value", &err),
			    0);
		}
		out = render(doc);
		assert_int_equal(ini_check(doc, &err), 0);
		ini_free(doc);
		free(out);
		free(text);
	}

	/* Spelling, separator, indentation and line ending stay. */
	text = xstrdup("[s]\r\n   SSO_Region:us-east-1\r\nx = 1\r\n");
	doc = parse_str(text);
	sec = ini_section_get(doc, "s");
	assert_int_equal(ini_set(doc, sec, "sso_region", "eu-west-1", &err), 0);
	out = render(doc);
	assert_string_equal(out, "[s]\r\n   SSO_Region:eu-west-1\r\nx = 1\r\n");
	assert_diff(text, out, 1, 1);
	free(out);
	ini_free(doc);
	free(text);

	/* An empty value gets a space after a spaced separator. */
	doc = parse_str("[s]\nk =\nj=\n");
	sec = ini_section_get(doc, "s");
	assert_int_equal(ini_set(doc, sec, "k", "v", &err), 0);
	assert_int_equal(ini_set(doc, sec, "j", "w", &err), 0);
	out = render(doc);
	assert_string_equal(out, "[s]\nk = v\nj=w\n");
	free(out);
	ini_free(doc);

	/* The same value: nothing changes at all. */
	doc = parse_str("[s]\nk=v   \n");
	assert_int_equal(
	    ini_set(doc, ini_section_get(doc, "s"), "K", "v", &err), 0);
	assert_false(ini_changed(doc));
	ini_free(doc);

	/* A multi-line value loses its continuation lines. */
	doc = parse_str("[s]\nk = a\n  b\n\n  c\n# keep\nj = 1\n");
	assert_int_equal(
	    ini_set(doc, ini_section_get(doc, "s"), "k", "z", &err), 0);
	out = render(doc);
	assert_string_equal(out, "[s]\nk = z\n# keep\nj = 1\n");
	free(out);
	ini_free(doc);
}

static void
test_new_key_goes_after_the_last_key(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc;
	struct ini_line *sec;
	char *out;
	static const char text[] = "# top\n[a]\nk = 1\n  cont\n# about b\n"
				   "\n[b]\n  x = 1\n  y = 2\n\n";

	(void)state;
	doc = parse_str(text);
	sec = ini_section_get(doc, "a");
	assert_int_equal(ini_set(doc, sec, "new", "v", &err), 0);
	/* Indented like the section's last key. */
	assert_int_equal(
	    ini_set(doc, ini_section_get(doc, "b"), "z", "3", &err), 0);
	out = render(doc);
	assert_string_equal(out,
	    "# top\n[a]\nk = 1\n  cont\nnew = v\n# about b\n\n[b]\n  x = 1\n"
	    "  y = 2\n  z = 3\n\n");
	assert_diff(text, out, 0, 2);
	assert_int_equal(ini_check(doc, &err), 0);
	free(out);
	ini_free(doc);

	/* A section with no keys: right after the header. */
	doc = parse_str("[a]\n# c\n[b]\n");
	assert_int_equal(
	    ini_set(doc, ini_section_get(doc, "a"), "k", "v", &err), 0);
	out = render(doc);
	assert_string_equal(out, "[a]\nk = v\n# c\n[b]\n");
	free(out);
	ini_free(doc);

	/* At the end of a file without a final newline, in CRLF. */
	doc = parse_str("[a]\r\nk = 1");
	assert_int_equal(
	    ini_set(doc, ini_section_get(doc, "a"), "j", "2", &err), 0);
	out = render(doc);
	assert_string_equal(out, "[a]\r\nk = 1\r\nj = 2\r\n");
	free(out);
	ini_free(doc);
}

static void
test_add_and_remove_sections(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc;
	struct ini_line *sec;
	char *out;
	static const char text[] = "[a]\nx = 1\n\n[b]\n# inside\ny = 2\n\n"
				   "# about c\n[c]\nz = 3\n";

	(void)state;
	doc = parse_str(text);
	sec = ini_section_add(doc, "sso-session 'my s'", &err);
	assert_non_null(sec);
	assert_int_equal(ini_set(doc, sec, "sso_region", "us-east-1", &err), 0);
	out = render(doc);
	/* Appended, no blank line (as the AWS CLI writes). */
	assert_diff(text, out, 0, 2);
	assert_non_null(strstr(out,
	    "z = 3\n[sso-session 'my s']\n"
	    "sso_region = us-east-1\n"));
	free(out);
	ini_free(doc);

	/* Removing b takes its lines and the blank line after them; the
	 * comment about c stays. */
	doc = parse_str(text);
	ini_section_remove(doc, ini_section_get(doc, "b"));
	out = render(doc);
	assert_string_equal(out, "[a]\nx = 1\n\n# about c\n[c]\nz = 3\n");
	assert_int_equal(ini_check(doc, &err), 0);
	free(out);
	ini_free(doc);

	/* Removing the last section leaves no blank tail. */
	doc = parse_str("[a]\nx = 1\n\n[b]\ny = 2\n");
	ini_section_remove(doc, ini_section_get(doc, "b"));
	out = render(doc);
	assert_string_equal(out, "[a]\nx = 1\n");
	free(out);
	ini_free(doc);

	/* A file without a final newline gets one before a new section. */
	doc = parse_str("[a]\nx = 1");
	assert_non_null(ini_section_add(doc, "b", &err));
	out = render(doc);
	assert_string_equal(out, "[a]\nx = 1\n[b]\n");
	free(out);
	ini_free(doc);

	/* An empty document. */
	doc = ini_new("new");
	sec = ini_section_add(doc, "default", &err);
	assert_int_equal(ini_set(doc, sec, "region", "us-east-1", &err), 0);
	out = render(doc);
	assert_string_equal(out, "[default]\nregion = us-east-1\n");
	free(out);
	ini_free(doc);
}

static void
test_unset_removes_key_and_continuations(void **state)
{
	struct ini_doc *doc;
	struct ini_line *sec;
	char *out;

	(void)state;
	doc = parse_str("[a]\nk = 1\ns3 =\n  x = 1\n\n  y = 2\nz = 3\n");
	sec = ini_section_get(doc, "a");
	assert_int_equal(ini_unset(doc, sec, "S3"), 1);
	assert_int_equal(ini_unset(doc, sec, "nope"), 0);
	out = render(doc);
	assert_string_equal(out, "[a]\nk = 1\nz = 3\n");
	free(out);
	ini_free(doc);
}

static void
test_edits_refuse_what_cannot_be_written(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc = parse_str("[a]\nk = 1\n");
	struct ini_line *sec = ini_section_get(doc, "a");

	(void)state;
	assert_int_equal(ini_set(doc, sec, "k", "a\nb", &err), -1);
	assert_int_equal(err.code, IDC_EUSAGE);
	assert_int_equal(ini_set(doc, sec, "k", "a\rb", &err), -1);
	assert_int_equal(ini_set(doc, sec, "k", " lead", &err), -1);
	assert_int_equal(ini_set(doc, sec, "k", "trail\xc2\xa0", &err), -1);
	assert_int_equal(ini_set(doc, sec, "k", "\xff", &err), -1);
	assert_int_equal(ini_set(doc, sec, "a key", "v", &err), -1);
	assert_int_equal(ini_set(doc, sec, "k=", "v", &err), -1);
	assert_int_equal(ini_set(doc, sec, "", "v", &err), -1);
	assert_null(ini_section_add(doc, "two\nlines", &err));
	assert_null(ini_section_add(doc, "", &err));
	assert_false(ini_changed(doc));
	ini_free(doc);
}

/* An edit next to odd indentation that would turn a following line into
 * a continuation is caught before anything is written. */
static void
test_check_catches_meaning_changes(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc;

	(void)state;
	/* "  [c]" is a header only because nothing in [b] takes
	 * continuations; a key added to [b] would swallow it. */
	doc = parse_str("[a]\nx = 1\n[b]\n  [c]\nk = v\n");
	assert_int_equal(ini_check(doc, &err), 0);
	assert_int_equal(
	    ini_set(doc, ini_section_get(doc, "b"), "y", "2", &err), 0);
	assert_int_equal(ini_check(doc, &err), -1);
	assert_int_equal(err.code, IDC_ECONFIG);
	assert_non_null(strstr(err.msg, "line 5"));
	ini_free(doc);

	/* Removing [b] would make "   [c]" continue x. */
	doc = parse_str("[a]\nx = 1\n[b]\n     y = 2\n   [c]\n");
	ini_section_remove(doc, ini_section_get(doc, "b"));
	assert_int_equal(ini_check(doc, &err), -1);
	ini_free(doc);

	/* A duplicate added by an edit is refused too. */
	doc = parse_str("[a]\n");
	assert_non_null(ini_section_add(doc, "a", &err));
	assert_int_equal(ini_check(doc, &err), -1);
	assert_non_null(strstr(err.msg, "appears twice"));
	ini_free(doc);
}

/* A populate-sized file: 5,000 profiles, generated here. */
static char *
gen_profiles(size_t n, size_t *len)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	size_t i;

	idc_buf_putstr(&b, "# generated\n[default]\nregion = us-east-1\n");
	for (i = 0; i < n; i++) {
		if (i % 100 == 0)
			idc_buf_putf(&b, "\n# accounts %zu-%zu\n", i, i + 99);
		idc_buf_putf(&b,
		    "[profile acct%04zu-Admin]\nsso_session = corp\n"
		    "sso_account_id = %012zu\nsso_role_name = Admin\n"
		    "region = us-east-1\n",
		    i, 100000000000 + i);
	}
	idc_buf_putstr(&b,
	    "[sso-session corp]\n"
	    "sso_start_url = https://d-1234567890.awsapps.com/"
	    "start\nsso_region = us-east-1\n");
	return idc_buf_detach(&b, len);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
test_5000_profiles_round_trip_and_edit(void **state)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *doc;
	struct ini_line *sec;
	size_t len;
	double t0, t1;
	char *text = gen_profiles(5000, &len), *out;

	(void)state;
	t0 = now_ms();
	assert_round_trip(text, len);
	t1 = now_ms();
	print_message("5,000 profiles (%zu bytes): parse + render %.2f ms\n",
	    len, t1 - t0);
	doc = parse_ok(text, len);
	sec = ini_section_get(doc, "profile acct2500-Admin");
	assert_non_null(sec);
	/* One edit at a time, each diffed against the text before it. */
	assert_int_equal(ini_set(doc, sec, "region", "eu-west-1", &err), 0);
	out = render(doc);
	assert_diff(text, out, 1, 1);
	free(text);
	text = out;
	assert_int_equal(ini_set(doc, sec, "output", "json", &err), 0);
	out = render(doc);
	assert_diff(text, out, 0, 1);
	free(text);
	text = out;
	ini_section_remove(doc, ini_section_get(doc, "profile acct0007-Admin"));
	out = render(doc);
	assert_diff(text, out, 5, 0);
	t0 = now_ms();
	assert_int_equal(ini_check(doc, &err), 0);
	print_message("5,000 profiles: check %.2f ms\n", now_ms() - t0);
	free(out);
	ini_free(doc);
	free(text);
}

static void
test_comment_set_inserts_then_replaces(void **state)
{
	struct ini_doc *doc = parse_str("[a]\r\nk = 1\r\n# keep\r\n[b]\r\n");
	struct idc_err err = IDC_ERR_INIT;
	struct ini_line *a;
	char *out;

	(void)state;
	a = ini_section_get(doc, "a");
	assert_int_equal(
	    ini_comment_set(doc, a, "# idc: expire at ", "T1", &err), 0);
	out = render(doc);
	assert_string_equal(
	    out, "[a]\r\n# idc: expire at T1\r\nk = 1\r\n# keep\r\n[b]\r\n");
	free(out);
	assert_int_equal(
	    ini_comment_set(doc, a, "# idc: expire at ", "T2", &err), 0);
	out = render(doc);
	assert_string_equal(
	    out, "[a]\r\n# idc: expire at T2\r\nk = 1\r\n# keep\r\n[b]\r\n");
	free(out);
	/* The same text again: nothing to write. */
	ini_free(doc);
	doc = parse_str("[a]\n# idc: x\n");
	a = ini_section_get(doc, "a");
	assert_int_equal(ini_comment_set(doc, a, "# idc: ", "x", &err), 0);
	assert_int_equal(ini_changed(doc), 0);
	assert_int_equal(
	    ini_comment_set(doc, a, "# idc: ", "two\nlines", &err), -1);
	assert_int_equal(ini_comment_set(doc, a, "idc: ", "x", &err), -1);
	ini_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_round_trip_in_every_variant),
		cmocka_unit_test(test_values_as_botocore_reads_them),
		cmocka_unit_test(test_continuations_and_nested_values),
		cmocka_unit_test(test_defaults_section_is_inherited),
		cmocka_unit_test(test_refused_files_name_the_line),
		cmocka_unit_test(test_other_refusals),
		cmocka_unit_test(test_nul_byte_is_refused_everywhere),
		cmocka_unit_test(test_set_refuses_control_characters),
		cmocka_unit_test(test_unicode_white_space),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_set_existing_key_changes_one_line),
		cmocka_unit_test(test_new_key_goes_after_the_last_key),
		cmocka_unit_test(test_add_and_remove_sections),
		cmocka_unit_test(test_unset_removes_key_and_continuations),
		cmocka_unit_test(test_edits_refuse_what_cannot_be_written),
		cmocka_unit_test(test_check_catches_meaning_changes),
		cmocka_unit_test(test_5000_profiles_round_trip_and_edit),
		cmocka_unit_test(test_comment_set_inserts_then_replaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
