/*
 * ini.h - the text of ~/.aws/config and ~/.aws/credentials, read exactly as
 * botocore reads it and edited without losing a byte.
 *
 * This layer knows text only: lines, sections, keys and values as Python's
 * RawConfigParser (botocore's raw_config_parse) sees them.  What a section
 * means ([profile x], [sso-session y]) is awsconfig.c's business.
 *
 * Reading rules (RawConfigParser with botocore's options):
 *   - lines end at "\n", "\r\n" or a lone "\r" (Python's universal newlines);
 *   - a line whose first non-blank character is '#' or ';' is a comment; an
 *     inline '#' is part of the value ("us-east-1 # x" is the value);
 *   - "[anything]" is a section header: the name runs to the last ']' and is
 *     not stripped; "[DEFAULT]" holds defaults that every section inherits;
 *   - "key = value" or "key: value" (the first '=' or ':' splits), key
 *     compared lower-cased, value stripped of white space;
 *   - a line indented deeper than the key line before it continues that
 *     key's value; a value whose first line is empty is botocore's nested
 *     form ("s3 =\n  addressing_style = path");
 *   - white space is Python's (str.isspace), including the Unicode spaces;
 *   - a UTF-8 byte order mark is skipped (botocore itself refuses it: see
 *     ini_has_bom).
 * botocore refuses the whole file for a duplicate section or key (in one
 * section), a key before the first section, a line that is none of the
 * above, a nested value line without '=', or bytes that are not UTF-8; the
 * scanner reports each such problem with its line number.
 *
 * Known difference: keys are lower-cased in ASCII only; Python lower-cases
 * all of Unicode, so two non-ASCII keys that differ only in case are not
 * reported as duplicates here.
 *
 * Two ways in:
 *   - the scanner (ini_scan_*) walks a buffer line by line without
 *     allocating per line: the fast path for reading one profile;
 *   - the document (ini_parse and friends) keeps every line's bytes, so that
 *     rendering an unchanged document gives back the input byte for byte,
 *     and an edit changes only the lines it must.
 */
#ifndef IDC_INI_H
#define IDC_INI_H

#include <stddef.h>

struct idc_buf;
struct idc_err;

enum ini_kind {
	INI_BLANK = 0, /* empty or white space only */
	INI_COMMENT,   /* first non-blank character '#' or ';' */
	INI_SECTION,   /* [name] */
	INI_KEY,       /* key = value, key: value */
	INI_CONT,      /* indented: continues the previous key's value */
	INI_BAD,       /* none of these: botocore refuses the file */
};

/* One line as the scanner sees it.  Pointers point into the scanned text. */
struct ini_token {
	enum ini_kind kind;
	size_t lineno;    /* 1-based */
	const char *line; /* the line's bytes, ending included (not the BOM) */
	size_t len;
	size_t eol;       /* bytes of line ending at the end of line: 0-2 */
	const char *name; /* SECTION: the name; KEY: the key as written;
			     CONT: the stripped text */
	size_t namelen;
	const char *value; /* KEY: the stripped value (first line only) */
	size_t valuelen;
	size_t value_off;    /* KEY: where the value starts in line */
	size_t indent;       /* leading white space, in characters */
	const char *problem; /* why botocore refuses this line, or NULL;
				valid until the next ini_scan_next */
};

struct ini_seen;

/* Scanner state: stack-allocate, but treat the fields as private. */
struct ini_scanner {
	const char *base, *p, *end, *next_cr;
	size_t lineno;
	unsigned flags;
	int bom, utf8_ok, in_section, in_key, key_empty, sect_default;
	size_t indent_level;
	unsigned sect_id;
	size_t nsections;
	size_t deferred_line; /* a [DEFAULT] nested-value problem */
	char deferred[160];
	struct ini_seen *seen;
	size_t problem_line; /* the first problem, 0 if none */
	char problem[240];
	char tokmsg[240];
};

#define INI_SCAN_NODUP 0x1 /* skip duplicate detection (no allocation) */

/* Start scanning len bytes at data (which must outlive the scanner). */
void ini_scan_init(
    struct ini_scanner *s, const char *data, size_t len, unsigned flags);

/* The next line into t: 1, or 0 at the end.  Never fails. */
int ini_scan_next(struct ini_scanner *s, struct ini_token *t);

/* The first reason botocore would refuse the text scanned so far (complete
 * only after ini_scan_next returned 0), with its line; NULL if none. */
const char *ini_scan_problem(const struct ini_scanner *s, size_t *lineno);

/* Whether the text began with a UTF-8 byte order mark. */
int ini_scan_bom(const struct ini_scanner *s);

/* Free what the scanner allocated for duplicate detection. */
void ini_scan_release(struct ini_scanner *s);

/*
 * Describe a problem found in the file called name: IDC_ECONFIG,
 * "'name' line N: problem; the AWS CLI cannot read this file either:
 * fix it by hand".  Returns -1.
 */
int ini_problem_err(
    const char *name, size_t lineno, const char *problem, struct idc_err *err);

/* Text helpers with Python's notion of white space (str.isspace). */
size_t ini_lstrip(const char *s, size_t n); /* bytes of leading space */
size_t ini_rstrip(const char *s, size_t n); /* n minus trailing space */
int ini_utf8_valid(const char *s, size_t n);

/* Whether s may be written as a value, comment or section name: one line
 * of valid UTF-8, no control character (safetext_is_clean), no white space
 * at either end.  ini_set refuses other values; the role cache holds its
 * own to the same rule. */
int ini_valid_text(const char *s);

/*
 * A list value split as botocore and the AWS CLI split them
 * (sso_registration_scopes): at each sep, every item stripped with
 * Python's str.strip(), empty items dropped.  A NULL-terminated vector of
 * allocated items (never NULL; *n, which may be NULL, counts them); free
 * it with ini_split_free.
 */
char **ini_split(const char *value, char sep, size_t *n);
void ini_split_free(char **v);

/*
 * The document: every line of a file, kept as read.
 *
 * A section is named by its header line and a key by its key line; both
 * are `struct ini_line *` handles that stay valid until the line is
 * removed or the document freed.  Lines before the first header belong to
 * no section.  Strings returned by accessors belong to the document.
 */
struct ini_doc;
struct ini_line;

#define INI_LENIENT 0x1 /* keep a document botocore would refuse */

/*
 * Parse len bytes (copied) of the file called name (used in messages).
 * Without INI_LENIENT, text botocore refuses fails with IDC_ECONFIG and
 * the file and line (ini_problem_err); with it, the document is kept and
 * ini_doc_problem tells the first problem.  The caller frees *out with
 * ini_free.
 */
int ini_parse(const char *data, size_t len, const char *name, unsigned flags,
    struct ini_doc **out, struct idc_err *err);

/* An empty document (for a file that does not exist yet). */
struct ini_doc *ini_new(const char *name);

void ini_free(struct ini_doc *doc);

/* The first problem of a lenient document and its line, or NULL. */
const char *ini_doc_problem(const struct ini_doc *doc, size_t *lineno);

/* The document began with a UTF-8 byte order mark (kept on render). */
int ini_has_bom(const struct ini_doc *doc);

/* An edit changed the document since it was parsed. */
int ini_changed(const struct ini_doc *doc);

/* Append the document's bytes to out (fails only past out's maximum). */
int ini_render(
    const struct ini_doc *doc, struct idc_buf *out, struct idc_err *err);

/*
 * Check that the rendered document is text botocore accepts and that it
 * reads back exactly as the document says (every line the same kind,
 * section and key).  An edit next to strangely indented lines could
 * otherwise turn a following line into a continuation; writers call this
 * before writing.  IDC_ECONFIG with the line on failure.
 */
int ini_check(const struct ini_doc *doc, struct idc_err *err);

/* Sections in file order: the first with prev NULL, NULL after the last. */
struct ini_line *ini_section_next(
    const struct ini_doc *doc, const struct ini_line *prev);

/* The section header's name (between '[' and the last ']'). */
const char *ini_section_name(const struct ini_line *sec);

/* The length of a section's or key's name: strlen() of it unless the file
 * put a NUL byte in it (Python accepts those; such a name matches nothing
 * idc looks up). */
size_t ini_name_len(const struct ini_line *line);

/* The last section whose name is exactly name, or NULL. */
struct ini_line *ini_section_get(const struct ini_doc *doc, const char *name);

/*
 * Append "[name]" at the end (after a line ending, added if the file
 * lacked a final one).  name must be one line of UTF-8 without leading or
 * trailing white space.  Returns the new header, or NULL with err set.
 */
struct ini_line *ini_section_add(
    struct ini_doc *doc, const char *name, struct idc_err *err);

/* Append a blank line, unless the document is empty or already ends with
 * one (a new section then stands apart from the one before). */
void ini_blank_add(struct ini_doc *doc);

/*
 * Remove a section: its header, its keys with their continuation lines and
 * anything between them, and the blank lines right after it.  Comments
 * after the last key stay (they may describe what follows).
 */
void ini_section_remove(struct ini_doc *doc, struct ini_line *sec);

/* Keys of a section in file order: the first with prev NULL. */
struct ini_line *ini_key_next(
    const struct ini_line *sec, const struct ini_line *prev);

/* A key line's name lower-cased, and its value (continuation lines joined
 * with "\n", as botocore sees it). */
const char *ini_key_name(const struct ini_line *key);
const char *ini_key_value(const struct ini_line *key);

/* 1-based line number of a line as read, 0 for a line added by an edit. */
size_t ini_line_number(const struct ini_line *line);

/* The section's own key line for key (any case), or NULL. */
struct ini_line *ini_key_get(const struct ini_line *sec, const char *key);

/*
 * The value botocore gives key in sec: the section's own, else the one in
 * [DEFAULT].  NULL if neither has it.
 */
const char *ini_get(
    const struct ini_doc *doc, const struct ini_line *sec, const char *key);

/*
 * Set key in sec.  An existing key line keeps its spelling, indentation,
 * separator and line ending; only the value changes (its continuation
 * lines go), and nothing changes when the value is the same.  A new key
 * goes right after the section's last key (or after the header), indented
 * like it, as "key = value".  key: letters, digits, '_', '-', '.'; value:
 * one line of UTF-8 without leading or trailing white space.  Fails with
 * IDC_EUSAGE for a key or value that cannot be written.
 */
int ini_set(struct ini_doc *doc, struct ini_line *sec, const char *key,
    const char *value, struct idc_err *err);

/* Remove key (and its continuation lines) from sec; absent is fine.
 * Returns 1 if a line was removed, else 0. */
int ini_unset(struct ini_doc *doc, struct ini_line *sec, const char *key);

/*
 * Set the comment line of sec that starts with prefix (which starts with
 * '#', e.g. "# idc: ") to prefix + text: the first such line among the
 * section's lines is replaced, else one is inserted right after the
 * header.  Nothing changes when it already reads so.  Returns 0, or -1
 * with err set (IDC_EUSAGE) for text that is not one line of UTF-8.
 */
int ini_comment_set(struct ini_doc *doc, struct ini_line *sec,
    const char *prefix, const char *text, struct idc_err *err);

#endif
