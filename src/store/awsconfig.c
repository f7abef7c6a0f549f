/*
 * awsconfig.c - profiles and sso-sessions of ~/.aws/config as botocore
 * resolves them, and edits of the config and credentials files under a
 * lock (see awsconfig.h).
 *
 * Two readers share ini.c's scanner: awsconfig_load_profile walks the raw
 * bytes once and keeps only the sections it needs (credential-process reads
 * a 7,000-line file on every call), while edits load the whole document so
 * that every byte they do not touch is written back as it was.
 */
#include "idc/store/awsconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "idc/core/buf.h"
#include "idc/core/creds.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/suggest.h"
#include "idc/core/ssoref.h"
#include "idc/core/timefmt.h"
#include "idc/store/fsutil.h"
#include "idc/store/ini.h"
#include "idc/core/log.h"
#include "idc/store/paths.h"
#include "idc/store/validate.h"
#include "idc/core/sha1.h"
#include "idc/core/xmalloc.h"
#include "idc/store/configmemo.h"

#define AWSCONFIG_LOCK_WAIT_MS 10000
#define AWSCONFIG_STALE_TEMP_S 60

/* Keys of a profile or sso-session that idc reads or writes.  Nothing
 * outside this file spells them. */
#define AK_SSO_SESSION "sso_session"
#define AK_START_URL   "sso_start_url"
#define AK_SSO_REGION  "sso_region"
#define AK_SCOPES      "sso_registration_scopes"
#define AK_ACCOUNT_ID  "sso_account_id"
#define AK_ROLE_NAME   "sso_role_name"
#define AK_REGION      "region"
#define AK_OUTPUT      "output"
#define AK_GENERATED   "idc_generated"
#define AK_LOGIN_FLOW  "idc_login_flow"

static const char *const awsconfig_reserved[] = { AK_SSO_SESSION, AK_ACCOUNT_ID,
	AK_ROLE_NAME, AK_START_URL, AK_SSO_REGION, AK_REGION, AK_OUTPUT,
	AK_GENERATED, NULL };

/* ---- section names ---- */

static int
awsconfig_shell_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Add c to the word being split, if it is kept; -1 when it is full. */
static int
awsconfig_tokadd(struct idc_buf *tok, char c)
{
	return tok != NULL ? idc_buf_addch(tok, c) : 0;
}

/*
 * Split s like Python's shlex.split (POSIX rules, no comments): words
 * separated by blanks, '...' literal, "..." with \" and \\ escapes, \x
 * outside quotes.  Returns the number of words, stopping at 3, with the
 * second in *second; -1 for an unclosed quote or a trailing backslash
 * (botocore then ignores the section, as it does for 3 or more words), or
 * a second word too long for *second.
 */
static int
awsconfig_shlex2(const char *s, size_t n, struct idc_buf *second)
{
	struct idc_buf *tok;
	size_t i = 0;
	int words = 0;
	char q, c;

	idc_buf_reset(second);
	/* Most headers have no quotes or escapes: split on blanks. */
	if (memchr(s, '\'', n) == NULL && memchr(s, '"', n) == NULL &&
	    memchr(s, '\\', n) == NULL) {
		size_t start;

		for (;;) {
			while (i < n && awsconfig_shell_space(s[i]))
				i++;
			if (i == n || words == 3)
				return words;
			for (start = i; i < n && !awsconfig_shell_space(s[i]);
			     i++)
				;
			if (++words == 2 &&
			    idc_buf_add(second, s + start, i - start) == -1)
				return -1;
		}
	}
	for (;;) {
		while (i < n && awsconfig_shell_space(s[i]))
			i++;
		if (i == n || words == 3)
			return words;
		tok = ++words == 2 ? second : NULL;
		for (q = 0; i < n; i++) {
			c = s[i];
			if (q == 0 && awsconfig_shell_space(c))
				break;
			if (q == 0 && (c == '\'' || c == '"')) {
				q = c;
			} else if (q != 0 && c == q) {
				q = 0;
			} else if (c == '\\' && q != '\'') {
				if (++i == n)
					return -1;
				if (q == '"' && s[i] != '"' && s[i] != '\\' &&
				    awsconfig_tokadd(tok, '\\') == -1)
					return -1;
				if (awsconfig_tokadd(tok, s[i]) == -1)
					return -1;
			} else if (awsconfig_tokadd(tok, c) == -1) {
				return -1;
			}
		}
		if (q != 0)
			return -1;
	}
}

/* awsconfig_section_kind writing the name into a reusable buffer. */
static enum awsconfig_kind
awsconfig_classify(const char *h, size_t n, struct idc_buf *name)
{
	static const struct {
		const char *prefix;
		size_t len;
		enum awsconfig_kind kind;
	} kinds[] = {
		{ "profile", 7, AWSCONFIG_PROFILE },
		{ "sso-session", 11, AWSCONFIG_SSO_SESSION },
		{ "services", 8, AWSCONFIG_SERVICES },
	};
	size_t i;

	if (n == 7 && memcmp(h, "DEFAULT", 7) == 0)
		return AWSCONFIG_DEFAULTS;
	/* botocore tests startswith(), so "[profiles x]" is profile "x". */
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (n >= kinds[i].len &&
		    memcmp(h, kinds[i].prefix, kinds[i].len) == 0)
			return awsconfig_shlex2(h, n, name) == 2
			    ? kinds[i].kind
			    : AWSCONFIG_OTHER;
	if (n == 7 && memcmp(h, "default", 7) == 0) {
		idc_buf_reset(name);
		return idc_buf_addstr(name, "default") == 0 ? AWSCONFIG_PROFILE
							    : AWSCONFIG_OTHER;
	}
	return AWSCONFIG_OTHER;
}

enum awsconfig_kind
awsconfig_section_kind(const char *header, size_t len, char **name)
{
	struct idc_buf b = IDC_BUF_INIT(len + 16);
	enum awsconfig_kind kind = awsconfig_classify(header, len, &b);

	*name = NULL;
	if (kind == AWSCONFIG_PROFILE || kind == AWSCONFIG_SSO_SESSION ||
	    kind == AWSCONFIG_SERVICES)
		*name = xstrndup(idc_buf_cstr(&b), b.len);
	idc_buf_release(&b);
	return kind;
}

char *
awsconfig_quote(const char *s)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	const char *p;
	int safe = s[0] != '\0';

	for (p = s; *p != '\0' && safe; p++)
		safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("@%+=:,./-_", *p);
	if (safe)
		return xstrdup(s);
	idc_buf_putch(&b, '\'');
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			idc_buf_putstr(&b, "'\"'\"'");
		else
			idc_buf_putch(&b, *p);
	idc_buf_putch(&b, '\'');
	return idc_buf_detach(&b, NULL);
}

char *
awsconfig_section_header(enum awsconfig_kind kind, const char *name)
{
	const char *word = kind == AWSCONFIG_SSO_SESSION ? "sso-session"
	    : kind == AWSCONFIG_SERVICES                 ? "services"
							 : "profile";
	char *q, *h;

	if (kind == AWSCONFIG_PROFILE && strcmp(name, "default") == 0)
		return xstrdup("default");
	q = awsconfig_quote(name);
	h = xasprintf("%s %s", word, q);
	free(q);
	return h;
}

struct ini_line *
awsconfig_find(
    const struct ini_doc *doc, enum awsconfig_kind kind, const char *name)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct ini_line *sec, *found = NULL;
	const char *h;

	for (sec = ini_section_next(doc, NULL); sec != NULL;
	     sec = ini_section_next(doc, sec)) {
		h = ini_section_name(sec);
		if (awsconfig_classify(h, ini_name_len(sec), &b) == kind &&
		    (kind == AWSCONFIG_DEFAULTS ||
			(b.len == strlen(name) &&
			    memcmp(idc_buf_cstr(&b), name, b.len) == 0)))
			found = sec;
	}
	idc_buf_release(&b);
	return found;
}

const char *
awsconfig_profile_name(const char *flag, int *implicit)
{
	const char *v;

	*implicit = 0;
	if (flag != NULL && flag[0] != '\0')
		return flag;
	if ((v = getenv("AWS_PROFILE")) != NULL && v[0] != '\0')
		return v;
	if ((v = getenv("AWS_DEFAULT_PROFILE")) != NULL && v[0] != '\0')
		return v;
	*implicit = 1;
	return "default";
}

/* ---- the fast reader ---- */

struct awsconfig_kv {
	char *key; /* lower-cased */
	char *value;
};

/* The keys of one section, in file order. */
struct awsconfig_view {
	struct awsconfig_kv *kv;
	size_t n, cap;
};

struct awsconfig_mark {
	char *name;
	size_t off; /* where the header line starts */
};

/* What one pass over the file found. */
struct awsconfig_scan {
	const char *data;
	size_t len;
	int have_profile;
	size_t profile_off;
	struct awsconfig_mark *sessions; /* every [sso-session] */
	size_t nsessions, capsessions;
	size_t *defaults; /* every [DEFAULT] */
	size_t ndefaults, capdefaults;
	int all_profiles;                /* set before the scan: */
	struct awsconfig_mark *profiles; /* every [profile], in file order */
	size_t nprofiles, capprofiles;
	size_t *headers; /* with all_profiles: where every section starts */
	size_t nheaders, capheaders;
	/* What a memo of this read keeps (configmemo.h): the text before the
	 * first section and every section but the other profiles. */
	struct configmemo keep;
	int keep_overflow;
};

/* Keep [start, end) for the memo, joined to the last range when they
 * touch. */
static void
awsconfig_keep(struct awsconfig_scan *sc, size_t start, size_t end)
{
	struct configmemo *k = &sc->keep;

	if (end <= start)
		return;
	if (k->n > 0 &&
	    k->range[k->n - 1].off + k->range[k->n - 1].len == start)
		k->range[k->n - 1].len += end - start;
	else if (k->n == CONFIGMEMO_MAX_RANGES)
		sc->keep_overflow = 1;
	else {
		k->range[k->n].off = start;
		k->range[k->n++].len = end - start;
	}
}

static void
awsconfig_view_add(struct awsconfig_view *v, const char *key, size_t klen,
    const char *value, size_t vlen)
{
	size_t i;

	v->kv = xgrowarray(v->kv, &v->cap, v->n + 1, sizeof *v->kv);
	v->kv[v->n].key = xstrndup(key, klen);
	for (i = 0; i < klen; i++)
		if (v->kv[v->n].key[i] >= 'A' && v->kv[v->n].key[i] <= 'Z')
			v->kv[v->n].key[i] += 'a' - 'A';
	v->kv[v->n].value = xstrndup(value, vlen);
	v->n++;
}

static const char *
awsconfig_view_get(const struct awsconfig_view *v, const char *key)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->kv[i].key, key) == 0)
			return v->kv[i].value;
	return NULL;
}

static void
awsconfig_view_free(struct awsconfig_view *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->kv[i].key);
		free(v->kv[i].value);
	}
	free(v->kv);
	memset(v, 0, sizeof *v);
}

/* Where the section starting at off ends: the next header when the scan
 * knows them all (a batch, which must not look at the rest of the file for
 * each of 100,000 sections), else the end of the text. */
static size_t
awsconfig_section_end(const struct awsconfig_scan *sc, size_t off)
{
	size_t lo = 0, hi = sc->nheaders, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sc->headers[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->nheaders ? sc->headers[lo] : sc->len;
}

/* Append the keys of the section whose header starts at off, joining
 * continuation lines into values as ini.c does. */
static void
awsconfig_collect(
    const struct awsconfig_scan *sc, size_t off, struct awsconfig_view *v)
{
	struct ini_scanner s;
	struct ini_token t;
	struct idc_buf joined = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	size_t blanks = 0, cur = 0;
	int first = 1, open = 0;

	ini_scan_init(&s, sc->data + off, awsconfig_section_end(sc, off) - off,
	    INI_SCAN_NODUP);
	while (ini_scan_next(&s, &t)) {
		if (t.kind == INI_SECTION) {
			if (!first)
				break;
			first = 0;
		} else if (t.kind == INI_KEY) {
			awsconfig_view_add(
			    v, t.name, t.namelen, t.value, t.valuelen);
			cur = v->n - 1;
			open = 1;
			blanks = 0;
		} else if (t.kind == INI_CONT && open) {
			idc_buf_reset(&joined);
			idc_buf_putstr(&joined, v->kv[cur].value);
			for (; blanks > 0; blanks--)
				idc_buf_putch(&joined, '\n');
			idc_buf_putch(&joined, '\n');
			idc_buf_put(&joined, t.name, t.namelen);
			free(v->kv[cur].value);
			v->kv[cur].value = idc_buf_detach(&joined, NULL);
		} else if (t.kind == INI_BLANK && open) {
			blanks++;
		}
	}
	idc_buf_release(&joined);
	ini_scan_release(&s);
}

/* A section's keys as botocore sees them: its own, then the [DEFAULT]
 * ones it does not override. */
static void
awsconfig_view_section(const struct awsconfig_scan *sc, size_t off,
    const struct awsconfig_view *defaults, struct awsconfig_view *v)
{
	size_t i;

	awsconfig_collect(sc, off, v);
	for (i = 0; i < defaults->n; i++)
		if (awsconfig_view_get(v, defaults->kv[i].key) == NULL)
			awsconfig_view_add(v, defaults->kv[i].key,
			    strlen(defaults->kv[i].key), defaults->kv[i].value,
			    strlen(defaults->kv[i].value));
}

static void
awsconfig_scan_free(struct awsconfig_scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nsessions; i++)
		free(sc->sessions[i].name);
	free(sc->sessions);
	free(sc->defaults);
	for (i = 0; i < sc->nprofiles; i++)
		free(sc->profiles[i].name);
	free(sc->profiles);
	free(sc->headers);
}

static int awsconfig_bom_warned;

/*
 * One pass over the file: check it as botocore would, and
 * remember where the wanted profile (the last section naming it), every
 * [sso-session] and every [DEFAULT] start; with all, every profile too.
 * profile may be NULL.
 */
static int
awsconfig_scan_file(const char *path, const char *data, size_t len,
    const char *profile, int all, struct awsconfig_scan *sc,
    struct idc_err *err)
{
	struct ini_scanner s;
	struct ini_token t;
	struct idc_buf name = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	enum awsconfig_kind kind;
	const char *problem;
	size_t lineno = 0, off, seg = 0;
	int r = -1, keeping = 1, mine;

	memset(sc, 0, sizeof *sc);
	sc->data = data;
	sc->len = len;
	sc->all_profiles = all;
	ini_scan_init(&s, data, len, 0);
	while (ini_scan_next(&s, &t)) {
		if (t.kind != INI_SECTION)
			continue;
		off = (size_t)(t.line - data);
		kind = awsconfig_classify(t.name, t.namelen, &name);
		mine = kind == AWSCONFIG_PROFILE && profile != NULL &&
		    strcmp(idc_buf_cstr(&name), profile) == 0;
		if (keeping)
			awsconfig_keep(sc, seg, off);
		seg = off;
		keeping = kind != AWSCONFIG_PROFILE || mine;
		if (sc->all_profiles) {
			sc->headers = xgrowarray(sc->headers, &sc->capheaders,
			    sc->nheaders + 1, sizeof *sc->headers);
			sc->headers[sc->nheaders++] = off;
		}
		if (kind == AWSCONFIG_PROFILE && sc->all_profiles) {
			sc->profiles =
			    xgrowarray(sc->profiles, &sc->capprofiles,
				sc->nprofiles + 1, sizeof *sc->profiles);
			sc->profiles[sc->nprofiles].name =
			    xstrndup(idc_buf_cstr(&name), name.len);
			sc->profiles[sc->nprofiles++].off = off;
		}
		if (mine) {
			sc->have_profile = 1;
			sc->profile_off = off;
		} else if (kind == AWSCONFIG_SSO_SESSION) {
			sc->sessions =
			    xgrowarray(sc->sessions, &sc->capsessions,
				sc->nsessions + 1, sizeof *sc->sessions);
			sc->sessions[sc->nsessions].name =
			    xstrndup(idc_buf_cstr(&name), name.len);
			sc->sessions[sc->nsessions++].off = off;
		} else if (kind == AWSCONFIG_DEFAULTS) {
			sc->defaults =
			    xgrowarray(sc->defaults, &sc->capdefaults,
				sc->ndefaults + 1, sizeof *sc->defaults);
			sc->defaults[sc->ndefaults++] = off;
		}
	}
	if (keeping)
		awsconfig_keep(sc, seg, len);
	if ((problem = ini_scan_problem(&s, &lineno)) != NULL) {
		ini_problem_err(path, lineno, problem, err);
		goto out;
	}
	if (ini_scan_bom(&s) && !awsconfig_bom_warned) {
		awsconfig_bom_warned = 1;
		log_warn("'%s' starts with a UTF-8 byte order mark: idc reads "
			 "it, but the AWS CLI and boto3 cannot",
		    path);
	}
	r = 0;
out:
	if (r == -1)
		awsconfig_scan_free(sc);
	ini_scan_release(&s);
	idc_buf_release(&name);
	return r;
}

/* The last [sso-session] called name, or -1. */
static long
awsconfig_scan_session(const struct awsconfig_scan *sc, const char *name)
{
	size_t i;
	long found = -1;

	for (i = 0; i < sc->nsessions; i++)
		if (strcmp(sc->sessions[i].name, name) == 0)
			found = (long)i;
	return found;
}

/*
 * The text a read of one profile (name, or NULL for an sso-session) needs:
 * the remembered ranges of a large file whose memo still matches
 * (*memo_hit 1), else the whole file (*memo_hit 0, *st its identity).
 */
static int
awsconfig_read_for(const char *path, const char *name, struct idc_buf *text,
    struct stat *st, int *memo_hit, struct idc_err *err)
{
	struct fsutil_file f;
	struct configmemo memo;
	struct stat again;
	unsigned char md[SHA1_LEN];
	size_t i;
	int r = -1;

	*memo_hit = 0;
	if (fsutil_open_read(path, 0, &f, err) == -1)
		return -1;
	*st = f.st;
	if (S_ISREG(f.st.st_mode) && f.st.st_size >= CONFIGMEMO_MIN_SIZE &&
	    configmemo_lookup(path, &f.st, name, &memo) == 0) {
		for (i = 0; i < memo.n; i++)
			if (fsutil_file_pread(&f, memo.range[i].off,
				(size_t)memo.range[i].len, text, NULL) == -1)
				break;
		if (i == memo.n)
			sha1_digest(text->data, text->len, md);
		if (i == memo.n && memcmp(md, memo.sha1, sizeof md) == 0 &&
		    fstat(f.fd, &again) == 0 && again.st_size == f.st.st_size &&
		    again.st_mtim.tv_sec == f.st.st_mtim.tv_sec &&
		    again.st_mtim.tv_nsec == f.st.st_mtim.tv_nsec &&
		    again.st_ctim.tv_sec == f.st.st_ctim.tv_sec &&
		    again.st_ctim.tv_nsec == f.st.st_ctim.tv_nsec) {
			*memo_hit = 1;
			r = 0;
			goto out;
		}
		idc_buf_reset(text);
	}
	r = fsutil_file_read_all(&f, IDC_BUF_MAX_FILE, text, err);
out:
	fsutil_file_close(&f);
	return r;
}

/* After a whole-file read of a large file passed every check, remember
 * what a read of name needs (configmemo.h). */
static void
awsconfig_remember(const char *path, const char *name, const struct stat *st,
    const struct idc_buf *text, struct awsconfig_scan *sc)
{
	struct idc_buf kept = IDC_BUF_INIT(CONFIGMEMO_MAX_BYTES);
	size_t i;
	int bad = 0;

	if (st->st_size < CONFIGMEMO_MIN_SIZE || sc->keep_overflow ||
	    sc->keep.n == 0 || (unsigned long long)st->st_size != text->len)
		return;
	for (i = 0; i < sc->keep.n && !bad; i++)
		bad = idc_buf_add(&kept, text->data + sc->keep.range[i].off,
		    (size_t)sc->keep.range[i].len);
	if (!bad) {
		sha1_digest(kept.data, kept.len, sc->keep.sha1);
		configmemo_save(path, st, name, &sc->keep);
	}
	idc_buf_release(&kept);
}

/* Turn a validation failure into a configuration error that says where
 * the value came from. */
static int
awsconfig_invalid(struct idc_err *err, const char *where, const char *path)
{
	if (err != NULL) {
		idc_err_prefix(err, "%s in '%s': ", where, path);
		err->code = IDC_ECONFIG;
	}
	return -1;
}

/* Messages quote names and values from the file: show its control
 * characters as '?' so that a file cannot drive the terminal. */
static void
awsconfig_clean_msg(struct idc_err *err)
{
	char *p;

	if (err == NULL)
		return;
	for (p = err->msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static char *
awsconfig_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Split sso_registration_scopes as botocore does. */
static void
awsconfig_split_scopes(struct awsconfig_sso *sso)
{
	sso->scope_list = ini_split(
	    sso->scopes != NULL ? sso->scopes : "", ',', &sso->nscopes);
}

void
awsconfig_sso_free(struct awsconfig_sso *sso)
{
	if (sso == NULL)
		return;
	free(sso->profile);
	free(sso->session);
	free(sso->start_url);
	free(sso->sso_region);
	free(sso->scopes);
	ini_split_free(sso->scope_list);
	free(sso->account_id);
	free(sso->role_name);
	free(sso->region);
	free(sso->output);
	free(sso->ca_bundle);
	free(sso->login_flow);
	free(sso->role_arn);
	free(sso->config_file);
	free(sso);
}

/* Validate what an endpoint or a cache key will be built from. */
static int
awsconfig_validate(const struct awsconfig_sso *sso, const char *where,
    const char *path, struct idc_err *err)
{
	if (validate_start_url(sso->start_url, err) == -1 ||
	    validate_region(sso->sso_region, "sso_region", err) == -1 ||
	    (sso->account_id != NULL &&
		validate_account_id(sso->account_id, err) == -1))
		return awsconfig_invalid(err, where, path);
	return 0;
}

/* Append the names of the keys of want that v lacks to missing. */
static void
awsconfig_missing(const struct awsconfig_view *v,
    const struct awsconfig_view *v2, const char *const *want,
    struct idc_buf *missing)
{
	for (; *want != NULL; want++)
		if (awsconfig_view_get(v, *want) == NULL &&
		    (v2 == NULL || awsconfig_view_get(v2, *want) == NULL)) {
			if (missing->len > 0)
				idc_buf_putstr(missing, ", ");
			idc_buf_putstr(missing, *want);
		}
}

/* A value from the profile, else from its session (equal when in both). */
static const char *
awsconfig_pick(const struct awsconfig_view *p, const struct awsconfig_view *s,
    const char *key)
{
	const char *v = awsconfig_view_get(p, key);

	return v != NULL ? v : awsconfig_view_get(s, key);
}

/*
 * "; did you mean 'dev'?" when the config at path has a section of kind
 * whose name is close to name, else "".  The error path only: it parses
 * the whole file again.
 */
static void
awsconfig_did_you_mean(const char *path, enum awsconfig_kind kind,
    const char *name, char *buf, size_t size)
{
	struct idc_err ignore = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;
	const char *hint;
	char **names = NULL;

	buf[0] = '\0';
	if (awsconfig_read(AWSCONFIG_CONFIG, path, &doc, &ignore) == -1)
		return;
	names = awsconfig_names(doc, kind, NULL);
	if ((hint = suggest_closest(name, (const char *const *)names)) != NULL)
		snprintf(buf, size, "; did you mean '%s'?", hint);
	awsconfig_names_free(names);
	awsconfig_doc_free(doc);
}

/* No --profile, no AWS_PROFILE and no [default]: name the profiles there
 * are, or say that there is none to use yet. */
static void
awsconfig_no_default(const char *path, struct idc_err *err)
{
	struct idc_err ignore = IDC_ERR_INIT;
	struct idc_buf names = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct ini_doc *doc = NULL;
	char **v = NULL;
	size_t n = 0;

	if (awsconfig_read(AWSCONFIG_CONFIG, path, &doc, &ignore) == 0)
		v = awsconfig_names(doc, AWSCONFIG_PROFILE, &n);
	suggest_list(&names, (const char *const *)v, n, 5);
	if (n == 0)
		idc_err_set(err, IDC_ECONFIG,
		    "no profile given and none in '%s'; run 'idc configure' "
		    "to set up an sso-session and a profile",
		    path);
	else
		idc_err_set(err, IDC_ECONFIG,
		    "no profile given and no [default] profile in '%s'; name "
		    "one with --profile (or AWS_PROFILE): %s",
		    path, idc_buf_cstr(&names));
	idc_buf_release(&names);
	awsconfig_names_free(v);
	awsconfig_doc_free(doc);
}

static int
awsconfig_no_profile(
    const char *path, const char *profile, unsigned flags, struct idc_err *err)
{
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_err ignore = IDC_ERR_INIT;
	struct ini_doc *doc = NULL;
	char *cred = NULL;
	int in_cred = 0;

	/* botocore also takes profile names from the credentials file. */
	if ((cred = paths_aws_credentials(&ignore)) != NULL &&
	    fsutil_read_file(cred, IDC_BUF_MAX_FILE, &text, &ignore) == 0 &&
	    ini_parse(text.data, text.len, cred, INI_LENIENT, &doc, &ignore) ==
		0)
		in_cred = ini_section_get(doc, profile) != NULL;
	if (in_cred)
		idc_err_set(err, IDC_ECONFIG,
		    "profile '%s' is only in '%s' and has no IAM Identity "
		    "Center settings in '%s'",
		    profile, cred, path);
	else if (flags & AWSCONFIG_IMPLICIT)
		awsconfig_no_default(path, err);
	else {
		char hint[160];

		awsconfig_did_you_mean(
		    path, AWSCONFIG_PROFILE, profile, hint, sizeof hint);
		idc_err_set(err, IDC_ECONFIG,
		    "profile '%s' not found in '%s'%s", profile, path, hint);
	}
	ini_free(doc);
	free(cred);
	idc_buf_release(&text);
	return -1;
}

/*
 * Resolve profile, whose section starts at off in the scanned text, as
 * botocore does: its keys over defaults (the [DEFAULT] view), its
 * sso-session's, the checks of awsconfig_load_profile.  No I/O.
 */
static int
awsconfig_resolve(const char *path, const struct awsconfig_scan *sc,
    const struct awsconfig_view *defaults, size_t off, const char *profile,
    unsigned flags, int *signs_in, struct awsconfig_sso **out,
    struct idc_err *err)
{
	static const char *const need_role[] = { "sso_role_name",
		"sso_account_id", "sso_start_url", "sso_region", NULL };
	static const char *const need_sso[] = { "sso_start_url", "sso_region",
		NULL };
	struct idc_buf missing = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct awsconfig_view pv = { 0 }, sv = { 0 };
	struct awsconfig_sso *sso = NULL;
	const char *session, *pval;
	char *where = NULL;
	long si;
	size_t i;
	int r = -1;

	awsconfig_view_section(sc, off, defaults, &pv);
	if (signs_in != NULL)
		*signs_in = awsconfig_view_get(&pv, "sso_session") != NULL ||
		    awsconfig_view_get(&pv, "sso_start_url") != NULL;

	if ((flags & AWSCONFIG_ROLE_OK) &&
	    awsconfig_view_get(&pv, "role_arn") != NULL) {
		sso = xcalloc(1, sizeof *sso);
		sso->profile = xstrdup(profile);
		sso->role_arn = xstrdup(awsconfig_view_get(&pv, "role_arn"));
		awsconfig_split_scopes(sso);
		sso->region = awsconfig_dup(awsconfig_view_get(&pv, "region"));
		sso->output = awsconfig_dup(awsconfig_view_get(&pv, "output"));
		sso->ca_bundle =
		    awsconfig_dup(awsconfig_view_get(&pv, "ca_bundle"));
		sso->config_file = xstrdup(path);
		*out = sso;
		sso = NULL;
		r = 0;
		goto out;
	}
	session = awsconfig_view_get(&pv, "sso_session");
	if (session != NULL) {
		if ((si = awsconfig_scan_session(sc, session)) < 0) {
			char hint[160];

			awsconfig_did_you_mean(path, AWSCONFIG_SSO_SESSION,
			    session, hint, sizeof hint);
			idc_err_set(err, IDC_ECONFIG,
			    "profile '%s' uses sso-session '%s', which is not "
			    "in '%s'%s",
			    profile, session, path, hint);
			goto out;
		}
		awsconfig_view_section(sc, sc->sessions[si].off, defaults, &sv);
		/* botocore: a key set in both must have the same value. */
		for (i = 0; i < sv.n; i++) {
			pval = awsconfig_view_get(&pv, sv.kv[i].key);
			if (pval != NULL && strcmp(pval, sv.kv[i].value) != 0) {
				idc_err_set(err, IDC_ECONFIG,
				    "the value of %s differs between profile "
				    "'%s' (%s) and sso-session '%s' (%s) in "
				    "'%s'",
				    sv.kv[i].key, profile, pval, session,
				    sv.kv[i].value, path);
				goto out;
			}
		}
	}
	if (flags & AWSCONFIG_NEED_ROLE) {
		awsconfig_missing(&pv, &sv, need_role, &missing);
		if (missing.len > 0) {
			idc_err_set(err, IDC_ECONFIG,
			    "profile '%s' is configured to use IAM Identity "
			    "Center but is missing %s in '%s'",
			    profile, idc_buf_cstr(&missing), path);
			goto out;
		}
	} else if (session == NULL &&
	    awsconfig_view_get(&pv, "sso_start_url") == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "profile '%s' in '%s' is not set up for IAM Identity "
		    "Center: it has no sso_session (run 'idc configure "
		    "--profile %s')",
		    profile, path, profile);
		goto out;
	} else {
		awsconfig_missing(&pv, &sv, need_sso, &missing);
		if (missing.len > 0) {
			if (session != NULL)
				idc_err_set(err, IDC_ECONFIG,
				    "sso-session '%s' is missing %s in '%s' "
				    "(run 'idc configure session "
				    "--sso-session %s')",
				    session, idc_buf_cstr(&missing), path,
				    session);
			else
				idc_err_set(err, IDC_ECONFIG,
				    "profile '%s' is missing %s in '%s'",
				    profile, idc_buf_cstr(&missing), path);
			goto out;
		}
	}

	sso = xcalloc(1, sizeof *sso);
	sso->profile = xstrdup(profile);
	sso->session = awsconfig_dup(session);
	sso->start_url = xstrdup(awsconfig_pick(&pv, &sv, "sso_start_url"));
	sso->sso_region = xstrdup(awsconfig_pick(&pv, &sv, "sso_region"));
	/* The AWS CLI registers legacy profiles without scopes. */
	if (session != NULL)
		sso->scopes = awsconfig_dup(
		    awsconfig_pick(&pv, &sv, "sso_registration_scopes"));
	awsconfig_split_scopes(sso);
	sso->account_id =
	    awsconfig_dup(awsconfig_view_get(&pv, "sso_account_id"));
	sso->role_name =
	    awsconfig_dup(awsconfig_view_get(&pv, "sso_role_name"));
	sso->region = awsconfig_dup(awsconfig_view_get(&pv, "region"));
	sso->output = awsconfig_dup(awsconfig_view_get(&pv, "output"));
	sso->ca_bundle = awsconfig_dup(awsconfig_view_get(&pv, "ca_bundle"));
	sso->login_flow =
	    awsconfig_dup(awsconfig_pick(&pv, &sv, AK_LOGIN_FLOW));
	sso->config_file = xstrdup(path);
	where = session != NULL ? xstrconcat("profile '", profile,
				      "' (sso-session '", session, "')")
				: xstrconcat("profile '", profile, "'");
	if (awsconfig_validate(sso, where, path, err) == -1)
		goto out;
	*out = sso;
	sso = NULL;
	r = 0;
out:
	if (r == -1)
		awsconfig_clean_msg(err);
	free(where);
	awsconfig_sso_free(sso);
	awsconfig_view_free(&pv);
	awsconfig_view_free(&sv);
	idc_buf_release(&missing);
	return r;
}

int
awsconfig_load_profile(const char *path, const char *profile, unsigned flags,
    struct awsconfig_sso **out, struct idc_err *err)
{
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct awsconfig_scan sc;
	struct awsconfig_view defaults = { 0 };
	char *where = NULL;
	size_t i;
	struct stat st;
	int r = -1, scanned = 0, memo_hit = 0;

	if (awsconfig_read_for(path, profile, &text, &st, &memo_hit, err) ==
	    -1) {
		if (err != NULL && err->code == IDC_ENOTFOUND) {
			where = awsconfig_quote(profile);
			if (flags & AWSCONFIG_IMPLICIT)
				idc_err_set(err, IDC_ECONFIG,
				    "nothing is configured yet ('%s' does "
				    "not exist); run 'idc configure' to set "
				    "up an sso-session and a profile",
				    path);
			else
				idc_err_set(err, IDC_ECONFIG,
				    "profile '%s' not found: '%s' does not "
				    "exist; run 'idc configure --profile %s' "
				    "to create it",
				    profile, path, where);
		}
		goto out;
	}
	if (awsconfig_scan_file(path, idc_buf_cstr(&text), text.len, profile, 0,
		&sc, err) == -1)
		goto out;
	scanned = 1;
	if (!sc.have_profile) {
		awsconfig_no_profile(path, profile, flags, err);
		goto out;
	}
	for (i = 0; i < sc.ndefaults; i++)
		awsconfig_collect(&sc, sc.defaults[i], &defaults);
	if (awsconfig_resolve(path, &sc, &defaults, sc.profile_off, profile,
		flags, NULL, out, err) == -1)
		goto out;
	if (!memo_hit)
		awsconfig_remember(path, profile, &st, &text, &sc);
	r = 0;
out:
	if (r == -1)
		awsconfig_clean_msg(err);
	free(where);
	awsconfig_view_free(&defaults);
	if (scanned)
		awsconfig_scan_free(&sc);
	idc_buf_release(&text);
	return r;
}

/* One profile of a batch: where it first appears, the section it
 * resolves from (its last), its name. */
struct awsconfig_named {
	size_t first, last;
	const char *name;
};

/* Marks by name, then by place. */
static int
awsconfig_mark_order(const void *a, const void *b)
{
	const struct awsconfig_mark *x =
	    *(const struct awsconfig_mark *const *)a;
	const struct awsconfig_mark *y =
	    *(const struct awsconfig_mark *const *)b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->off > y->off) - (x->off < y->off);
}

static int
awsconfig_named_order(const void *a, const void *b)
{
	const struct awsconfig_named *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

int
awsconfig_check_profiles(const char *path, unsigned flags,
    void (*fn)(const char *profile, int signs_in,
	const struct awsconfig_sso *sso, const struct idc_err *why, void *ud),
    void *ud, struct idc_err *err)
{
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	int signs_in;
	struct awsconfig_scan sc;
	struct awsconfig_view defaults = { 0 };
	struct awsconfig_mark **byname;
	struct awsconfig_named *named;
	struct awsconfig_sso *sso;
	struct idc_err why;
	size_t i, j, n, count = 0;

	if (fsutil_read_file(path, IDC_BUF_MAX_FILE, &text, err) == -1 ||
	    awsconfig_scan_file(
		path, idc_buf_cstr(&text), text.len, NULL, 1, &sc, err) == -1) {
		awsconfig_clean_msg(err);
		idc_buf_release(&text);
		return -1;
	}
	for (i = 0; i < sc.ndefaults; i++)
		awsconfig_collect(&sc, sc.defaults[i], &defaults);
	/* A profile named by several sections resolves from its last, as
	 * awsconfig_load_profile does, and is reported once, where it first
	 * appears.  Sorted, so that 100,000 profiles cost n log n. */
	n = sc.nprofiles;
	byname = xcalloc(n + 1, sizeof byname[0]);
	named = xcalloc(n + 1, sizeof named[0]);
	for (i = 0; i < n; i++)
		byname[i] = &sc.profiles[i];
	qsort(byname, n, sizeof byname[0], awsconfig_mark_order);
	for (i = 0; i < n; i = j) {
		for (j = i + 1;
		     j < n && strcmp(byname[j]->name, byname[i]->name) == 0;
		     j++)
			;
		named[count].first = byname[i]->off;
		named[count].last = byname[j - 1]->off;
		named[count++].name = byname[i]->name;
	}
	qsort(named, count, sizeof named[0], awsconfig_named_order);
	for (i = 0; i < count && !intr_pending(); i++) {
		why = (struct idc_err)IDC_ERR_INIT;
		sso = NULL;
		if (awsconfig_resolve(path, &sc, &defaults, named[i].last,
			named[i].name, flags, &signs_in, &sso, &why) == 0)
			fn(named[i].name, signs_in, sso, NULL, ud);
		else
			fn(named[i].name, signs_in, NULL, &why, ud);
		awsconfig_sso_free(sso);
	}
	free(named);
	free(byname);
	awsconfig_view_free(&defaults);
	awsconfig_scan_free(&sc);
	idc_buf_release(&text);
	return 0;
}

int
awsconfig_load_session(const char *path, const char *session,
    struct awsconfig_sso **out, struct idc_err *err)
{
	static const char *const need[] = { "sso_start_url", "sso_region",
		NULL };
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_buf missing = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct awsconfig_scan sc;
	struct awsconfig_view defaults = { 0 }, sv = { 0 };
	struct awsconfig_sso *sso = NULL;
	char *where = NULL;
	long si;
	size_t i;
	struct stat st;
	int r = -1, scanned = 0, memo_hit = 0;

	if (awsconfig_read_for(path, NULL, &text, &st, &memo_hit, err) == -1) {
		if (err != NULL && err->code == IDC_ENOTFOUND) {
			where = awsconfig_quote(session);
			idc_err_set(err, IDC_ECONFIG,
			    "sso-session '%s' not found: '%s' does not exist; "
			    "run 'idc configure session --sso-session %s' to "
			    "create it",
			    session, path, where);
		}
		goto out;
	}
	if (awsconfig_scan_file(
		path, idc_buf_cstr(&text), text.len, NULL, 0, &sc, err) == -1)
		goto out;
	scanned = 1;
	if ((si = awsconfig_scan_session(&sc, session)) < 0) {
		char hint[160];

		awsconfig_did_you_mean(
		    path, AWSCONFIG_SSO_SESSION, session, hint, sizeof hint);
		if (hint[0] != '\0')
			idc_err_set(err, IDC_ECONFIG,
			    "sso-session '%s' not found in '%s'%s", session,
			    path, hint);
		else
			idc_err_set(err, IDC_ECONFIG,
			    "sso-session '%s' not found in '%s' (run 'idc "
			    "configure session --sso-session %s')",
			    session, path, session);
		goto out;
	}
	for (i = 0; i < sc.ndefaults; i++)
		awsconfig_collect(&sc, sc.defaults[i], &defaults);
	awsconfig_view_section(&sc, sc.sessions[si].off, &defaults, &sv);
	awsconfig_missing(&sv, NULL, need, &missing);
	if (missing.len > 0) {
		idc_err_set(err, IDC_ECONFIG,
		    "sso-session '%s' is missing %s in '%s' (run 'idc "
		    "configure session --sso-session %s')",
		    session, idc_buf_cstr(&missing), path, session);
		goto out;
	}
	sso = xcalloc(1, sizeof *sso);
	sso->session = xstrdup(session);
	sso->start_url = xstrdup(awsconfig_view_get(&sv, "sso_start_url"));
	sso->sso_region = xstrdup(awsconfig_view_get(&sv, "sso_region"));
	sso->scopes =
	    awsconfig_dup(awsconfig_view_get(&sv, "sso_registration_scopes"));
	awsconfig_split_scopes(sso);
	sso->login_flow = awsconfig_dup(awsconfig_view_get(&sv, AK_LOGIN_FLOW));
	sso->config_file = xstrdup(path);
	where = xasprintf("sso-session '%s'", session);
	if (awsconfig_validate(sso, where, path, err) == -1)
		goto out;
	*out = sso;
	sso = NULL;
	if (!memo_hit)
		awsconfig_remember(path, NULL, &st, &text, &sc);
	r = 0;
out:
	if (r == -1)
		awsconfig_clean_msg(err);
	free(where);
	awsconfig_sso_free(sso);
	awsconfig_view_free(&defaults);
	awsconfig_view_free(&sv);
	if (scanned)
		awsconfig_scan_free(&sc);
	idc_buf_release(&missing);
	idc_buf_release(&text);
	return r;
}

/* ---- edits ---- */

int
awsconfig_put_session(struct ini_doc *doc, const char *name,
    const char *start_url, const char *sso_region, const char *scopes,
    struct idc_err *err)
{
	struct idc_buf check = IDC_BUF_INIT(IDC_BUF_MAX_SMALL);
	struct ini_line *sec;
	char *header = NULL;
	int r = -1;

	if (validate_name(name, "sso-session name", err) == -1 ||
	    validate_start_url(start_url, err) == -1 ||
	    validate_region(sso_region, "SSO region", err) == -1 ||
	    (scopes != NULL && validate_scopes(scopes, err) == -1))
		goto out;
	if ((sec = awsconfig_find(doc, AWSCONFIG_SSO_SESSION, name)) == NULL) {
		header = awsconfig_section_header(AWSCONFIG_SSO_SESSION, name);
		/* The header must read back as this very session. */
		if (awsconfig_classify(header, strlen(header), &check) !=
			AWSCONFIG_SSO_SESSION ||
		    strcmp(idc_buf_cstr(&check), name) != 0) {
			idc_err_set(err, IDC_EUSAGE,
			    "the sso-session name '%s' cannot be written to a "
			    "section header",
			    name);
			goto out;
		}
		if ((sec = ini_section_add(doc, header, err)) == NULL)
			goto out;
	}
	if (ini_set(doc, sec, AK_START_URL, start_url, err) == -1 ||
	    ini_set(doc, sec, AK_SSO_REGION, sso_region, err) == -1 ||
	    (scopes != NULL && ini_set(doc, sec, AK_SCOPES, scopes, err) == -1))
		goto out;
	r = 0;
out:
	free(header);
	idc_buf_release(&check);
	return r;
}

static int
awsconfig_parse(const char *path, const struct idc_buf *text,
    struct ini_doc **out, struct idc_err *err)
{
	if (ini_parse(idc_buf_cstr(text), text->len, path, 0, out, err) == -1)
		return -1;
	if (ini_has_bom(*out) && !awsconfig_bom_warned) {
		awsconfig_bom_warned = 1;
		log_warn("'%s' starts with a UTF-8 byte order mark: idc reads "
			 "it, but the AWS CLI and boto3 cannot",
		    path);
	}
	return 0;
}

/* Read the file into text (emptied first); a missing file is empty. */
static int
awsconfig_load_text(enum awsconfig_file which, const char *path,
    struct idc_buf *text, int *exists, struct idc_err *err)
{
	struct idc_err e = IDC_ERR_INIT;
	int r;

	idc_buf_reset(text);
	/* Secrets are not read through a link: the write would refuse it. */
	r = which == AWSCONFIG_CREDENTIALS
	    ? fsutil_read_file_nofollow(path, IDC_BUF_MAX_FILE, text, &e)
	    : fsutil_read_file(path, IDC_BUF_MAX_FILE, text, &e);
	*exists = r == 0;
	if (r == 0)
		return 0;
	idc_buf_reset(text);
	if (e.code == IDC_ENOTFOUND)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

int
awsconfig_read(enum awsconfig_file which, const char *path,
    struct ini_doc **out, struct idc_err *err)
{
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	int exists, r = -1;

	if (awsconfig_load_text(which, path, &text, &exists, err) == -1)
		goto out;
	if (!exists) {
		*out = ini_new(path);
		r = 0;
		goto out;
	}
	r = awsconfig_parse(path, &text, out, err);
out:
	idc_buf_release(&text);
	return r;
}

/* What tells us that someone else wrote the file. */
struct awsconfig_stamp {
	int exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

static void
awsconfig_stamp(const char *path, struct awsconfig_stamp *st)
{
	struct stat sb;

	memset(st, 0, sizeof *st);
	if (stat(path, &sb) == -1)
		return;
	st->exists = 1;
	st->dev = sb.st_dev;
	st->ino = sb.st_ino;
	st->size = sb.st_size;
	st->mtime = sb.st_mtim;
	st->ctime = sb.st_ctim;
}

static int
awsconfig_same_stamp(
    const struct awsconfig_stamp *a, const struct awsconfig_stamp *b)
{
	return a->exists == b->exists &&
	    (!a->exists ||
		(a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
		    a->mtime.tv_sec == b->mtime.tv_sec &&
		    a->mtime.tv_nsec == b->mtime.tv_nsec &&
		    a->ctime.tv_sec == b->ctime.tv_sec &&
		    a->ctime.tv_nsec == b->ctime.tv_nsec));
}

/*
 * fsutil_write_atomic writes ".NAME.idc-XXXXXX" next to the file it
 * replaces and removes it on any failure it sees; only a killed process
 * leaves one behind.  Under the lock no other idc is writing this file, so
 * such files older than a minute are leftovers (the age guards against an
 * idc with another cache directory, hence another lock).
 */
static void
awsconfig_clean_temps(const char *path, int follow)
{
	char *target = NULL, *dir = NULL, *prefix = NULL;
	const char *base, *slash;
	struct dirent *de;
	struct stat st;
	size_t plen;
	time_t now = timefmt_now();
	DIR *d = NULL;

	if (follow && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		target = realpath(path, NULL);
	if (target == NULL)
		target = xstrdup(path);
	slash = strrchr(target, '/');
	base = slash != NULL ? slash + 1 : target;
	dir = slash == NULL   ? xstrdup(".")
	    : slash == target ? xstrdup("/")
			      : xstrndup(target, (size_t)(slash - target));
	prefix = xasprintf(".%s.idc-", base);
	plen = strlen(prefix);
	if ((d = opendir(dir)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, plen) != 0 ||
		    strlen(de->d_name) != plen + 6)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
			-1 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
		    now - st.st_mtime < AWSCONFIG_STALE_TEMP_S)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			log_debug("removed '%s/%s', left by an interrupted "
				  "write",
			    dir, de->d_name);
	}
out:
	if (d != NULL)
		closedir(d);
	free(prefix);
	free(dir);
	free(target);
}

int
awsconfig_edit(enum awsconfig_file which, const char *path,
    int (*fn)(struct ini_doc *doc, void *ud, struct idc_err *err), void *ud,
    int *changed, struct idc_err *err)
{
	struct fsutil_lock lock = FSUTIL_LOCK_INIT;
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct awsconfig_stamp before, after;
	struct ini_doc *doc = NULL;
	char *cache = NULL, *lockpath = NULL, *what = NULL;
	unsigned flags = FSUTIL_MKDIRS;
	int attempt, exists, wrote = 0, r = -1;

	if (which == AWSCONFIG_CONFIG)
		flags |= FSUTIL_KEEP_MODE | FSUTIL_FOLLOW_LINK;
	if ((cache = paths_idc_cache_dir(err)) == NULL)
		goto out;
	lockpath = paths_join(cache,
	    which == AWSCONFIG_CONFIG ? "locks/config.lock"
				      : "locks/credentials.lock");
	what = xasprintf("another idc writing '%s'", path);
	if (fsutil_lock_acquire(
		&lock, lockpath, AWSCONFIG_LOCK_WAIT_MS, what, err) == -1)
		goto out;
	for (attempt = 0;; attempt++) {
		awsconfig_stamp(path, &before);
		if (awsconfig_load_text(which, path, &text, &exists, err) == -1)
			goto out;
		ini_free(doc);
		doc = NULL;
		if (!exists)
			doc = ini_new(path);
		else if (awsconfig_parse(path, &text, &doc, err) == -1)
			goto out;
		if (fn(doc, ud, err) == -1)
			goto out;
		if (!ini_changed(doc))
			break;
		if (ini_check(doc, err) == -1)
			goto out;
		idc_buf_reset(&out);
		if (ini_render(doc, &out, err) == -1)
			goto out;
		if (exists && out.len == text.len &&
		    memcmp(out.data, text.data, out.len) == 0)
			break;
		awsconfig_stamp(path, &after);
		if (awsconfig_same_stamp(&before, &after)) {
			awsconfig_clean_temps(path, which == AWSCONFIG_CONFIG);
			if (fsutil_write_atomic(path, out.data, out.len, 0600,
				flags, err) == -1)
				goto out;
			wrote = 1;
			break;
		}
		if (attempt == 2) {
			idc_err_set(err, IDC_EIO,
			    "'%s' kept changing while idc was editing it; "
			    "nothing was written",
			    path);
			goto out;
		}
		log_debug(
		    "'%s' changed while being edited; reading it again", path);
	}
	if (changed != NULL)
		*changed = wrote;
	r = 0;
out:
	fsutil_lock_release(&lock);
	ini_free(doc);
	idc_buf_release(&out);
	idc_buf_release(&text);
	free(what);
	free(lockpath);
	free(cache);
	return r;
}

struct ini_line *
awsconfig_next_section(const struct ini_doc *doc, struct ini_line *prev,
    enum awsconfig_kind *kind, char **name)
{
	struct ini_line *sec = ini_section_next(doc, prev);

	free(*name);
	*name = NULL;
	if (sec != NULL)
		*kind = awsconfig_section_kind(
		    ini_section_name(sec), ini_name_len(sec), name);
	return sec;
}

/* ---- where credentials come from ---- */

static void
awsconfig_keys_free(struct awsconfig_keys *k)
{
	free(k->access_key_id);
	secret_free(k->secret_access_key);
	secret_free(k->session_token);
	memset(k, 0, sizeof *k);
}

void
awsconfig_creds_free(struct awsconfig_creds *c)
{
	if (c == NULL)
		return;
	free(c->profile);
	awsconfig_keys_free(&c->shared);
	awsconfig_keys_free(&c->config);
	free(c->credential_process);
	free(c->role_arn);
	free(c->source_profile);
	free(c->credential_source);
	free(c->role_session_name);
	free(c->external_id);
	free(c->mfa_serial);
	free(c->source_identity);
	free(c->duration_seconds);
	free(c->region);
	free(c->ca_bundle);
	free(c->config_file);
	free(c->credentials_file);
	free(c);
}

/* A key of the credentials section if it has it, else of the profile. */
static char *
awsconfig_merged(const struct ini_doc *cdoc, const struct ini_line *csec,
    const struct ini_doc *pdoc, const struct ini_line *psec, const char *key)
{
	const char *v = NULL;

	if (csec != NULL)
		v = ini_get(cdoc, csec, key);
	if (v == NULL && psec != NULL)
		v = ini_get(pdoc, psec, key);
	return awsconfig_dup(v);
}

static void
awsconfig_keys_read(const struct ini_doc *doc, const struct ini_line *sec,
    struct awsconfig_keys *k)
{
	const char *token;

	if (sec == NULL)
		return;
	k->access_key_id =
	    awsconfig_dup(ini_get(doc, sec, "aws_access_key_id"));
	k->secret_access_key =
	    awsconfig_dup(ini_get(doc, sec, "aws_secret_access_key"));
	token = ini_get(doc, sec, "aws_session_token");
	if (token == NULL)
		token = ini_get(doc, sec, "aws_security_token");
	k->session_token = awsconfig_dup(token);
	if (k->secret_access_key != NULL)
		log_secret(k->secret_access_key);
	if (k->session_token != NULL)
		log_secret(k->session_token);
}

int
awsconfig_load_creds(const char *config_path, const char *credentials_path,
    const char *profile, struct awsconfig_creds **out, struct idc_err *err)
{
	struct ini_doc *pdoc = NULL, *cdoc = NULL;
	struct ini_line *psec = NULL, *csec = NULL;
	struct awsconfig_creds *c = NULL;
	char *v;
	int r = -1;

	if (config_path != NULL &&
	    awsconfig_read(AWSCONFIG_CONFIG, config_path, &pdoc, err) == -1)
		goto out;
	if (pdoc != NULL)
		psec = awsconfig_find(pdoc, AWSCONFIG_PROFILE, profile);
	if (credentials_path != NULL &&
	    awsconfig_read(
		AWSCONFIG_CREDENTIALS, credentials_path, &cdoc, err) == -1)
		goto out;
	if (cdoc != NULL)
		csec = ini_section_get(cdoc, profile);
	c = xcalloc(1, sizeof *c);
	c->profile = xstrdup(profile);
	c->in_config = psec != NULL;
	c->in_credentials = csec != NULL;
	c->config_file = awsconfig_dup(config_path);
	c->credentials_file = awsconfig_dup(credentials_path);
	awsconfig_keys_read(cdoc, csec, &c->shared);
	awsconfig_keys_read(pdoc, psec, &c->config);
#define AWSCONFIG_MERGE(field, key)                                            \
	c->field = awsconfig_merged(cdoc, csec, pdoc, psec, key)
	AWSCONFIG_MERGE(credential_process, "credential_process");
	AWSCONFIG_MERGE(role_arn, "role_arn");
	AWSCONFIG_MERGE(source_profile, "source_profile");
	AWSCONFIG_MERGE(credential_source, "credential_source");
	AWSCONFIG_MERGE(role_session_name, "role_session_name");
	AWSCONFIG_MERGE(external_id, "external_id");
	AWSCONFIG_MERGE(mfa_serial, "mfa_serial");
	AWSCONFIG_MERGE(source_identity, "source_identity");
	AWSCONFIG_MERGE(duration_seconds, "duration_seconds");
	AWSCONFIG_MERGE(region, "region");
	AWSCONFIG_MERGE(ca_bundle, "ca_bundle");
#undef AWSCONFIG_MERGE
	v = awsconfig_merged(cdoc, csec, pdoc, psec, "sso_session");
	if (v == NULL)
		v = awsconfig_merged(cdoc, csec, pdoc, psec, "sso_start_url");
	c->sso = v != NULL;
	free(v);
	*out = c;
	c = NULL;
	r = 0;
out:
	awsconfig_creds_free(c);
	ini_free(pdoc);
	ini_free(cdoc);
	return r;
}

static int
awsconfig_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
awsconfig_split_command(const char *line, char ***argv, struct idc_err *err)
{
	/* Its words are pieces of line, already in memory. */
	struct idc_buf word = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	char **v = NULL;
	const char *p = line;
	size_t n = 0, i, cap = 1;
	int in_word = 0, r = -1;
	char q;

	v = xcalloc(1, sizeof *v);
	for (;;) {
		if (*p == '\0' || awsconfig_blank(*p)) {
			if (in_word) {
				v = xgrowarray(v, &cap, n + 2, sizeof *v);
				v[n++] = idc_buf_detach(&word, NULL);
				v[n] = NULL;
				in_word = 0;
			}
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		in_word = 1;
		if (*p == '\'' || *p == '"') {
			q = *p++;
			while (*p != '\0' && *p != q) {
				if (q == '"' && *p == '\\' &&
				    (p[1] == '"' || p[1] == '\\'))
					p++;
				idc_buf_putch(&word, *p++);
			}
			if (*p != q) {
				idc_err_set(err, IDC_ECONFIG,
				    "credential_process has an unclosed quote");
				goto out;
			}
			p++;
		} else if (*p == '\\') {
			if (p[1] == '\0') {
				idc_err_set(err, IDC_ECONFIG,
				    "credential_process ends with a backslash");
				goto out;
			}
			idc_buf_putch(&word, p[1]);
			p += 2;
		} else {
			idc_buf_putch(&word, *p++);
		}
	}
	if (n == 0) {
		idc_err_set(err, IDC_ECONFIG, "credential_process is empty");
		goto out;
	}
	*argv = v;
	v = NULL;
	r = 0;
out:
	if (v != NULL) {
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
	}
	idc_buf_release(&word);
	return r;
}

/* ---- what sections say, and profile edits ---- */

/* The section's own value of key (not [DEFAULT]'s), or NULL. */
static const char *
awsconfig_own(const struct ini_line *sec, const char *key)
{
	const struct ini_line *k = ini_key_get(sec, key);

	return k != NULL ? ini_key_value(k) : NULL;
}

/* A key of sec as botocore reads it: its own, else [DEFAULT]'s (found
 * once by the caller, so that walking every section stays linear). */
static const char *
awsconfig_get(const struct ini_line *sec, const struct ini_line *defaults,
    const char *key)
{
	const char *v = awsconfig_own(sec, key);

	if (v == NULL && defaults != NULL && defaults != sec)
		v = awsconfig_own(defaults, key);
	return v;
}

static void
awsconfig_fill(const struct ini_line *sec, const struct ini_line *defaults,
    struct awsconfig_values *out)
{
	memset(out, 0, sizeof *out);
	if (sec == NULL)
		return;
	out->sso_session = awsconfig_get(sec, defaults, AK_SSO_SESSION);
	out->start_url = awsconfig_get(sec, defaults, AK_START_URL);
	out->sso_region = awsconfig_get(sec, defaults, AK_SSO_REGION);
	out->scopes = awsconfig_get(sec, defaults, AK_SCOPES);
	out->account_id = awsconfig_get(sec, defaults, AK_ACCOUNT_ID);
	out->role_name = awsconfig_get(sec, defaults, AK_ROLE_NAME);
	out->region = awsconfig_get(sec, defaults, AK_REGION);
	out->output = awsconfig_get(sec, defaults, AK_OUTPUT);
	out->login_flow = awsconfig_get(sec, defaults, AK_LOGIN_FLOW);
	out->generated_by = awsconfig_own(sec, AK_GENERATED);
}

void
awsconfig_section_values(const struct ini_doc *doc, const struct ini_line *sec,
    struct awsconfig_values *out)
{
	awsconfig_fill(sec, ini_section_get(doc, "DEFAULT"), out);
}

int
awsconfig_foreach_section(const struct ini_doc *doc,
    int (*fn)(const char *name, enum awsconfig_kind kind,
	const struct awsconfig_values *v, void *ud, struct idc_err *err),
    void *ud, struct idc_err *err)
{
	const struct ini_line *defaults = ini_section_get(doc, "DEFAULT");
	struct awsconfig_values v;
	struct ini_line *sec = NULL;
	enum awsconfig_kind kind;
	char *name = NULL;
	int r = 0;

	while (r == 0 &&
	    (sec = awsconfig_next_section(doc, sec, &kind, &name)) != NULL) {
		awsconfig_fill(sec, defaults, &v);
		r = fn(name, kind, &v, ud, err);
	}
	free(name);
	return r;
}

void
awsconfig_section_own(const struct ini_line *sec, struct awsconfig_values *out)
{
	awsconfig_fill(sec, NULL, out);
}

struct ini_line *
awsconfig_values(const struct ini_doc *doc, enum awsconfig_kind kind,
    const char *name, struct awsconfig_values *out)
{
	struct ini_line *sec = awsconfig_find(doc, kind, name);

	awsconfig_section_values(doc, sec, out);
	return sec;
}

/* Order of names, then of where they came: the first of equal names sorts
 * first. */
static int
awsconfig_name_order(const void *a, const void *b)
{
	char *const *x = *(char *const *const *)a,
		    *const *y = *(char *const *const *)b;
	int c = strcmp(*x, *y);

	return c != 0 ? c : (x > y) - (x < y);
}

char **
awsconfig_names(const struct ini_doc *doc, enum awsconfig_kind kind, size_t *np)
{
	struct ini_line *sec = NULL;
	enum awsconfig_kind k;
	char **v = xcalloc(1, sizeof v[0]), *name = NULL;
	char ***sorted;
	size_t n = 0, i, kept, cap = 1;

	while ((sec = awsconfig_next_section(doc, sec, &k, &name)) != NULL) {
		if (k != kind || name == NULL)
			continue;
		v = xgrowarray(v, &cap, n + 2, sizeof v[0]);
		v[n++] = name;
		v[n] = NULL;
		name = NULL; /* kept: the next call must not free it */
	}
	/* Two headers can name one profile ("[default]", "[profile
	 * default]"): keep the first of each, in file order.  Sorted, not
	 * compared pairwise, so that 100,000 profiles cost n log n. */
	sorted = xcalloc(n + 1, sizeof sorted[0]);
	for (i = 0; i < n; i++)
		sorted[i] = &v[i];
	qsort(sorted, n, sizeof sorted[0], awsconfig_name_order);
	for (i = 1; i < n; i++)
		if (strcmp(*sorted[i], *sorted[i - 1]) == 0) {
			char **later = sorted[i];

			free(*later);
			*later = NULL;
		}
	free(sorted);
	for (i = 0, kept = 0; i < n; i++)
		if (v[i] != NULL)
			v[kept++] = v[i];
	v[kept] = NULL;
	if (np != NULL)
		*np = kept;
	return v;
}

void
awsconfig_names_free(char **names)
{
	ini_split_free(names);
}

char **
awsconfig_scope_list(const char *scopes)
{
	return ini_split(scopes != NULL ? scopes : "", ',', NULL);
}

struct awsconfig_using {
	const struct sso_ref *ref;
	int (*fn)(const char *profile, const struct awsconfig_values *v,
	    void *ud, struct idc_err *err);
	void *ud;
};

static int
awsconfig_using_one(const char *name, enum awsconfig_kind kind,
    const struct awsconfig_values *v, void *ud, struct idc_err *err)
{
	const struct awsconfig_using *u = ud;
	int uses;

	if (kind != AWSCONFIG_PROFILE)
		return 0;
	if (u->ref->session_name != NULL)
		uses = v->sso_session != NULL &&
		    strcmp(v->sso_session, u->ref->session_name) == 0;
	else
		uses = v->sso_session == NULL && v->start_url != NULL &&
		    strcmp(v->start_url, u->ref->start_url) == 0;
	return uses ? u->fn(name, v, u->ud, err) : 0;
}

int
awsconfig_profiles_using(const struct ini_doc *doc, const struct sso_ref *ref,
    int (*fn)(const char *profile, const struct awsconfig_values *v, void *ud,
	struct idc_err *err),
    void *ud, struct idc_err *err)
{
	struct awsconfig_using u = { ref, fn, ud };

	return awsconfig_foreach_section(doc, awsconfig_using_one, &u, err);
}

const char *
awsconfig_reserved_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; awsconfig_reserved[i] != NULL; i++)
		if (strlen(awsconfig_reserved[i]) == len &&
		    strncasecmp(awsconfig_reserved[i], key, len) == 0)
			return awsconfig_reserved[i];
	return NULL;
}

/* Set key to value in sec unless it has it already; *changed set then. */
static int
awsconfig_put(struct ini_doc *doc, struct ini_line *sec, const char *key,
    const char *value, int *changed, struct idc_err *err)
{
	const char *cur = awsconfig_own(sec, key);

	if (cur != NULL && strcmp(cur, value) == 0)
		return 0;
	*changed = 1;
	return ini_set(doc, sec, key, value, err);
}

struct ini_line *
awsconfig_put_profile(struct ini_doc *doc, struct ini_line *sec,
    const char *name, const struct awsconfig_profile *p, int *changed,
    struct idc_err *err)
{
	char *header, *key;
	size_t i, klen;
	int r = 0, dummy = 0;

	if (changed == NULL)
		changed = &dummy;
	if (sec == NULL) {
		/* Generated profiles, many at once, read better apart. */
		if (p->generated_by != NULL)
			ini_blank_add(doc);
		header = awsconfig_section_header(AWSCONFIG_PROFILE, name);
		sec = ini_section_add(doc, header, err);
		free(header);
		if (sec == NULL)
			return NULL;
		*changed = 1;
	}
	if (awsconfig_put(
		doc, sec, AK_SSO_SESSION, p->sso_session, changed, err) == -1 ||
	    awsconfig_put(
		doc, sec, AK_ACCOUNT_ID, p->account_id, changed, err) == -1 ||
	    awsconfig_put(doc, sec, AK_ROLE_NAME, p->role_name, changed, err) ==
		-1 ||
	    (p->region != NULL &&
		awsconfig_put(doc, sec, AK_REGION, p->region, changed, err) ==
		    -1) ||
	    (p->output != NULL &&
		awsconfig_put(doc, sec, AK_OUTPUT, p->output, changed, err) ==
		    -1))
		return NULL;
	for (i = 0; i < p->nsets && r == 0; i++) {
		klen = strcspn(p->sets[i], "=");
		key = xstrndup(p->sets[i], klen);
		r = awsconfig_put(doc, sec, key,
		    p->sets[i][klen] == '=' ? p->sets[i] + klen + 1 : "",
		    changed, err);
		free(key);
	}
	if (r == -1 ||
	    (p->generated_by != NULL &&
		awsconfig_put(doc, sec, AK_GENERATED, p->generated_by, changed,
		    err) == -1))
		return NULL;
	/* A legacy profile becomes a session profile: botocore refuses
	 * start URL and region in both places when they differ. */
	if (ini_unset(doc, sec, AK_START_URL) |
	    ini_unset(doc, sec, AK_SSO_REGION))
		*changed = 1;
	return sec;
}

/* The credentials-file edit of awsconfig_write_credentials. */
struct awsconfig_creds_edit {
	const char *section;
	const struct sso_ref *from;
	const struct rolecreds *rc;
	const char *expires;
};

/* The marks of the sign-in whose role credentials a section holds. */
#define AK_CREDS_SESSION   "idc_sso_session"
#define AK_CREDS_START_URL "idc_sso_start_url"

static int
awsconfig_creds_apply(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	const struct awsconfig_creds_edit *e = ud;
	struct ini_line *sec;

	if ((sec = ini_section_get(doc, e->section)) == NULL &&
	    (sec = ini_section_add(doc, e->section, err)) == NULL)
		return -1;
	if (ini_set(doc, sec, "aws_access_key_id", e->rc->access_key_id, err) ==
		-1 ||
	    ini_set(doc, sec, "aws_secret_access_key", e->rc->secret_access_key,
		err) == -1 ||
	    ini_set(doc, sec, "aws_session_token", e->rc->session_token, err) ==
		-1)
		return -1;
	/* When they expire: a comment for people, and saml2aws's key for
	 * tools that know it (botocore ignores keys it does not know). */
	if (ini_comment_set(doc, sec, "# idc: these credentials expire at ",
		e->expires, err) == -1 ||
	    ini_set(doc, sec, "x_security_token_expires", e->expires, err) ==
		-1)
		return -1;
	if (e->from == NULL ||
	    (e->from->session_name == NULL && e->from->start_url == NULL)) {
		ini_unset(doc, sec, AK_CREDS_START_URL);
		ini_unset(doc, sec, AK_CREDS_SESSION);
		return 0;
	}
	if (e->from->session_name != NULL) {
		ini_unset(doc, sec, AK_CREDS_START_URL);
		return ini_set(
		    doc, sec, AK_CREDS_SESSION, e->from->session_name, err);
	}
	ini_unset(doc, sec, AK_CREDS_SESSION);
	return ini_set(doc, sec, AK_CREDS_START_URL, e->from->start_url, err);
}

struct awsconfig_creds_drop {
	const struct sso_ref *ref;
	int removed;
};

static int
awsconfig_creds_drop_apply(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	struct awsconfig_creds_drop *d = ud;
	struct ini_line *sec, *next;
	const char *s, *u;
	int match;

	(void)err;
	d->removed = 0;
	for (sec = ini_section_next(doc, NULL); sec != NULL; sec = next) {
		next = ini_section_next(doc, sec);
		s = awsconfig_own(sec, AK_CREDS_SESSION);
		u = awsconfig_own(sec, AK_CREDS_START_URL);
		if (s == NULL && u == NULL)
			continue; /* not idc's */
		if (d->ref == NULL)
			match = 1;
		else if (d->ref->session_name != NULL)
			match =
			    s != NULL && strcmp(s, d->ref->session_name) == 0;
		else
			match = s == NULL && u != NULL &&
			    strcmp(u, d->ref->start_url) == 0;
		if (match) {
			ini_section_remove(doc, sec);
			d->removed++;
		}
	}
	return 0;
}

int
awsconfig_remove_credentials(const char *path, const struct sso_ref *ref,
    int *removed, struct idc_err *err)
{
	struct awsconfig_creds_drop d = { ref, 0 };

	if (awsconfig_edit(AWSCONFIG_CREDENTIALS, path,
		awsconfig_creds_drop_apply, &d, NULL, err) == -1)
		return -1;
	if (removed != NULL)
		*removed = d.removed;
	return 0;
}

int
awsconfig_write_credentials(const char *path, const char *section,
    const struct sso_ref *from, const struct rolecreds *rc, int *changed,
    struct idc_err *err)
{
	struct awsconfig_creds_edit e;
	char expires[32];

	timefmt_utc(rc->expiration, expires, sizeof expires);
	e.section = section;
	e.from = from;
	e.rc = rc;
	e.expires = expires;
	return awsconfig_edit(AWSCONFIG_CREDENTIALS, path,
	    awsconfig_creds_apply, &e, changed, err);
}

void
awsconfig_doc_free(struct ini_doc *doc)
{
	ini_free(doc);
}
