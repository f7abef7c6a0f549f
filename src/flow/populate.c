/*
 * populate.c - profiles for every account and role of an sso-session
 * (see populate.h): naming by template, collision handling, the edit of
 * the config document, and the unified diff shown by --dry-run.
 */
#include "idc/flow/populate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idc/store/awsconfig.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/ini.h"
#include "idc/flow/portal_list.h"
#include "idc/store/validate.h"
#include "idc/core/xmalloc.h"

#define POPULATE_NAME_MAX 256
/* Keys idc writes itself: --set may not change them. */
static const char *const populate_reserved[] = { "sso_session",
	"sso_account_id", "sso_role_name", "sso_start_url", "sso_region",
	"region", "output", POPULATE_MARKER, NULL };
static const char *const populate_outputs[] = { "json", "text", "table", "yaml",
	"yaml-stream", NULL };

/* ---- names ---------------------------------------------------------- */

enum populate_field {
	PF_ACCOUNT_NAME,
	PF_ACCOUNT_ID,
	PF_ACCOUNT_EMAIL,
	PF_ROLE_NAME,
	PF_SESSION,
	PF_REGION,
	PF_COUNT,
};

static const char *const populate_field_names[PF_COUNT] = { "account_name",
	"account_id", "account_email", "role_name", "session", "region" };

static int
populate_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
populate_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* A byte that may stand in a generated profile name. */
static int
populate_name_char(unsigned char c)
{
	return populate_alnum(c) || c >= 0x80 ||
	    (c != '\0' && strchr("@%+=:,./_-", c) != NULL);
}

/* Runs of bytes for which keep() is false become one sep; sep at both
 * ends goes.  Allocated. */
static char *
populate_squash(const char *s, int (*keep)(unsigned char), char sep)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	int pending = 0;

	for (; *s != '\0'; s++) {
		if (!keep((unsigned char)*s)) {
			pending = o > out;
			continue;
		}
		if (pending)
			*o++ = sep;
		pending = 0;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static int
populate_kebab_char(unsigned char c)
{
	return populate_alnum(c) || c >= 0x80;
}

static int
populate_not_space(unsigned char c)
{
	return !populate_space(c);
}

static void
populate_case(char *s, int upper)
{
	for (; *s != '\0'; s++) {
		if (upper && *s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
		else if (!upper && *s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

/* Apply the transform named by len bytes at t to *v (replaced). */
static int
populate_transform(const char *t, size_t len, char **v, struct idc_err *err)
{
	char *n = NULL;
	size_t a, b;

#define POPULATE_IS(name) (len == strlen(name) && memcmp(t, name, len) == 0)
	if (POPULATE_IS("lower")) {
		populate_case(*v, 0);
	} else if (POPULATE_IS("upper")) {
		populate_case(*v, 1);
	} else if (POPULATE_IS("kebab") || POPULATE_IS("snake")) {
		n = populate_squash(
		    *v, populate_kebab_char, POPULATE_IS("kebab") ? '-' : '_');
		populate_case(n, 0);
	} else if (POPULATE_IS("dash")) {
		n = populate_squash(*v, populate_not_space, '-');
	} else if (POPULATE_IS("trim")) {
		for (a = 0; populate_space((unsigned char)(*v)[a]); a++)
			;
		for (b = strlen(*v);
		     b > a && populate_space((unsigned char)(*v)[b - 1]); b--)
			;
		n = xstrndup(*v + a, b - a);
	} else {
		return idc_err_set(err, IDC_EUSAGE,
		    "template transform '%.*s' is not lower, upper, kebab, "
		    "snake, dash or trim",
		    (int)(len > 40 ? 40 : len), t);
	}
#undef POPULATE_IS
	if (n != NULL) {
		free(*v);
		*v = n;
	}
	return 0;
}

/* Expand one "{field|t|...}" body (len bytes at p) onto out. */
static int
populate_placeholder(const char *p, size_t len,
    const char *const values[PF_COUNT], struct idc_buf *out,
    struct idc_err *err)
{
	const char *bar = memchr(p, '|', len), *t, *end = p + len;
	size_t flen = bar != NULL ? (size_t)(bar - p) : len, i;
	char *v = NULL, *clean = NULL;
	int r = -1;

	for (i = 0; i < PF_COUNT; i++)
		if (strlen(populate_field_names[i]) == flen &&
		    memcmp(populate_field_names[i], p, flen) == 0)
			break;
	if (i == PF_COUNT)
		return idc_err_set(err, IDC_EUSAGE,
		    "template field '{%.*s}' is not one of {account_name}, "
		    "{account_id}, {account_email}, {role_name}, {session}, "
		    "{region}",
		    (int)(flen > 40 ? 40 : flen), p);
	v = xstrdup(values[i] != NULL ? values[i] : "");
	while (bar != NULL) {
		t = bar + 1;
		bar = memchr(t, '|', (size_t)(end - t));
		if (populate_transform(t,
			(size_t)((bar != NULL ? bar : end) - t), &v, err) == -1)
			goto out;
	}
	clean = populate_squash(v, populate_name_char, '-');
	idc_buf_addstr(out, clean);
	r = 0;
out:
	free(clean);
	free(v);
	return r;
}

/* Literal template text (or --prefix) may hold only name characters. */
static int
populate_literal(char c, const char *what, struct idc_err *err)
{
	if (populate_name_char((unsigned char)c))
		return 0;
	if (c == ' ')
		return idc_err_set(err, IDC_EUSAGE,
		    "%s holds a space, which cannot stand in a profile name "
		    "(use {field|dash} or '-')",
		    what);
	return idc_err_set(err, IDC_EUSAGE,
	    "%s holds '%c', which cannot stand in a profile name", what,
	    (c > 0x20 && c < 0x7f) ? c : '?');
}

static int
populate_expand(const char *prefix, const char *tmpl,
    const char *const values[PF_COUNT], char **out, struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(4 * POPULATE_NAME_MAX);
	const char *p, *close;
	int r = -1;

	for (p = prefix != NULL ? prefix : ""; *p != '\0'; p++) {
		if (populate_literal(*p, "--prefix", err) == -1)
			goto out;
		idc_buf_addch(&b, *p);
	}
	for (p = tmpl; *p != '\0'; p++) {
		if (*p == '{') {
			close = strchr(p, '}');
			if (close == NULL) {
				idc_err_set(err, IDC_EUSAGE,
				    "template '%s' has a '{' without '}'",
				    tmpl);
				goto out;
			}
			if (populate_placeholder(p + 1, (size_t)(close - p - 1),
				values, &b, err) == -1)
				goto out;
			p = close;
			continue;
		}
		if (populate_literal(*p, "the template", err) == -1)
			goto out;
		idc_buf_addch(&b, *p);
	}
	if (b.len > POPULATE_NAME_MAX) {
		idc_err_set(err, IDC_EUSAGE,
		    "the template gives a name longer than %d bytes",
		    POPULATE_NAME_MAX);
		goto out;
	}
	if (validate_name(idc_buf_cstr(&b), "generated profile name", err) ==
	    -1)
		goto out;
	*out = idc_buf_detach(&b, NULL);
	r = 0;
out:
	idc_buf_release(&b);
	return r;
}

int
populate_name(const struct populate_opts *o, const char *account_id,
    const char *account_name, const char *account_email, const char *role_name,
    char **out, struct idc_err *err)
{
	const char *values[PF_COUNT];

	values[PF_ACCOUNT_NAME] =
	    account_name != NULL && account_name[0] ? account_name : account_id;
	values[PF_ACCOUNT_ID] = account_id;
	values[PF_ACCOUNT_EMAIL] = account_email != NULL && account_email[0]
	    ? account_email
	    : account_id;
	values[PF_ROLE_NAME] = role_name;
	values[PF_SESSION] = o->session;
	values[PF_REGION] = o->region != NULL ? o->region : o->sso_region;
	return populate_expand(o->prefix,
	    o->tmpl != NULL ? o->tmpl : POPULATE_DEFAULT_TEMPLATE, values, out,
	    err);
}

/* "key=value" of --set: the key as ini.c accepts keys, not one idc
 * writes itself; the value one line. */
static int
populate_check_set(const char *item, struct idc_err *err)
{
	const char *eq = strchr(item, '='), *p;
	size_t klen, i;

	if (eq == NULL || eq == item)
		return idc_err_set(
		    err, IDC_EUSAGE, "--set '%s' is not KEY=VALUE", item);
	klen = (size_t)(eq - item);
	for (p = item; p < eq; p++)
		if (!populate_alnum((unsigned char)*p) && *p != '_' &&
		    *p != '-' && *p != '.')
			return idc_err_set(err, IDC_EUSAGE,
			    "--set key '%.*s' may hold only letters, digits, "
			    "'_', '-' and '.'",
			    (int)klen, item);
	for (i = 0; populate_reserved[i] != NULL; i++)
		if (strlen(populate_reserved[i]) == klen &&
		    strncasecmp(populate_reserved[i], item, klen) == 0)
			return idc_err_set(err, IDC_EUSAGE,
			    "--set cannot change '%s', which populate writes "
			    "itself",
			    populate_reserved[i]);
	for (p = eq + 1; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return idc_err_set(err, IDC_EUSAGE,
			    "--set value for '%.*s' must be one line",
			    (int)klen, item);
	if (eq[1] == '\0' || populate_space((unsigned char)eq[1]) ||
	    populate_space((unsigned char)p[-1]))
		return idc_err_set(err, IDC_EUSAGE,
		    "--set value for '%.*s' is empty or has white space at "
		    "an end",
		    (int)klen, item);
	return 0;
}

int
populate_check(const struct populate_opts *o, struct idc_err *err)
{
	char *name = NULL;
	size_t i;

	if (o->session == NULL)
		return idc_err_set(err, IDC_EUSAGE, "no sso-session");
	if (validate_name(o->session, "sso-session name", err) == -1)
		return -1;
	if (o->region != NULL &&
	    validate_region(o->region, "region", err) == -1)
		return -1;
	if (o->output != NULL) {
		for (i = 0; populate_outputs[i] != NULL; i++)
			if (strcmp(o->output, populate_outputs[i]) == 0)
				break;
		if (populate_outputs[i] == NULL)
			return idc_err_set(err, IDC_EUSAGE,
			    "output format '%s' is not json, text, table, "
			    "yaml or yaml-stream",
			    o->output);
	}
	for (i = 0; i < o->nsets; i++)
		if (populate_check_set(o->sets[i], err) == -1)
			return -1;
	/* A trial name shows template errors before anything is fetched. */
	if (populate_name(o, "123456789012", "Example Account",
		"example@example.com", "ExampleRole", &name, err) == -1)
		return -1;
	free(name);
	return 0;
}

/* ---- the plan ------------------------------------------------------- */

struct populate_entry {
	char *name;   /* the name to write */
	char *wanted; /* the template's name */
	char *account_id;
	char *role_name;
};

struct populate_plan {
	const struct populate_opts *o;
	struct populate_entry *e;
	size_t n;
	char **failed; /* accounts whose roles are not known: sorted */
	size_t nfailed;
	struct populate_collision *coll;
	size_t ncoll;
};

static void
populate_add_collision(struct populate_collision **v, size_t *n,
    const char *wanted, const char *assigned, const char *account_id,
    const char *role_name, const char *why)
{
	struct populate_collision *c;

	*v = xreallocarray(*v, *n + 1, sizeof(*v)[0]);
	c = &(*v)[(*n)++];
	c->wanted = xstrdup(wanted);
	c->assigned = assigned != NULL ? xstrdup(assigned) : NULL;
	c->account_id = xstrdup(account_id);
	c->role_name = xstrdup(role_name);
	c->why = why;
}

static void
populate_collisions_free(struct populate_collision *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].wanted);
		free(v[i].assigned);
		free(v[i].account_id);
		free(v[i].role_name);
	}
	free(v);
}

static int
populate_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Entries ordered by name, then by role name, then by account id, as
 * pointers (stable whatever qsort does). */
static int
populate_entry_cmp(const void *x, const void *y)
{
	const struct populate_entry *a =
	    *(const struct populate_entry *const *)x;
	const struct populate_entry *b =
	    *(const struct populate_entry *const *)y;
	int c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	if ((c = strcmp(a->role_name, b->role_name)) != 0)
		return c;
	return strcmp(a->account_id, b->account_id);
}

static struct populate_entry **
populate_by_name(struct populate_plan *p)
{
	struct populate_entry **v = xcalloc(p->n + 1, sizeof v[0]);
	size_t i;

	for (i = 0; i < p->n; i++)
		v[i] = &p->e[i];
	qsort(v, p->n, sizeof v[0], populate_entry_cmp);
	return v;
}

/*
 * Names shared by several entries: round 0 appends "-<account id>" to
 * each, round 1 numbers what still collides (-2, -3 after the first),
 * round 2 drops what collides even then.
 */
static void
populate_resolve(struct populate_plan *p)
{
	struct populate_entry **v, *e;
	size_t i, j, k, out;
	int round;
	char *n;

	for (round = 0; round < 3; round++) {
		v = populate_by_name(p);
		for (i = 0; i < p->n; i = j) {
			for (j = i + 1;
			     j < p->n && strcmp(v[i]->name, v[j]->name) == 0;
			     j++)
				;
			if (j - i < 2)
				continue;
			for (k = i; k < j; k++) {
				e = v[k];
				if (round == 0)
					n = xasprintf(
					    "%s-%s", e->name, e->account_id);
				else if (round == 1 && k > i)
					n = xasprintf(
					    "%s-%zu", e->name, k - i + 1);
				else if (round == 1)
					continue;
				else
					n = xstrdup(k == i ? e->name : "");
				free(e->name);
				e->name = n;
				if (e->name[0] == '\0')
					populate_add_collision(&p->coll,
					    &p->ncoll, e->wanted, NULL,
					    e->account_id, e->role_name,
					    "shared by several accounts and roles");
			}
		}
		free(v);
	}
	/* Report each renamed entry once, and drop the dropped ones. */
	for (i = 0, out = 0; i < p->n; i++) {
		e = &p->e[i];
		if (e->name[0] == '\0') {
			free(e->name);
			free(e->wanted);
			free(e->account_id);
			free(e->role_name);
			continue;
		}
		if (strcmp(e->name, e->wanted) != 0)
			populate_add_collision(&p->coll, &p->ncoll, e->wanted,
			    e->name, e->account_id, e->role_name,
			    "shared by several accounts and roles");
		p->e[out++] = *e;
	}
	p->n = out;
}

int
populate_plan_build(const struct populate_opts *o,
    const struct portal_listing *l, struct populate_plan **out,
    struct idc_err *err)
{
	struct populate_plan *p = xcalloc(1, sizeof *p);
	const struct portal_list_account *a;
	struct populate_entry *e;
	struct idc_err why = IDC_ERR_INIT;
	size_t i, j, total = 0;
	char *name;

	if (populate_check(o, err) == -1) {
		free(p);
		return -1;
	}
	p->o = o;
	for (i = 0; i < l->count; i++)
		total += l->accounts[i].nroles;
	p->e = xcalloc(total + 1, sizeof p->e[0]);
	p->failed = xcalloc(l->count + 1, sizeof p->failed[0]);
	for (i = 0; i < l->count; i++) {
		a = &l->accounts[i];
		if (a->roles_state != PORTAL_LIST_OK) {
			p->failed[p->nfailed++] = xstrdup(a->account_id);
			continue;
		}
		for (j = 0; j < a->nroles; j++) {
			if (populate_name(o, a->account_id, a->account_name,
				a->email_address, a->roles[j], &name,
				&why) == -1) {
				populate_add_collision(&p->coll, &p->ncoll, "",
				    NULL, a->account_id, a->roles[j],
				    "the template gives no valid profile name "
				    "for it");
				continue;
			}
			e = &p->e[p->n++];
			e->name = name;
			e->wanted = xstrdup(name);
			e->account_id = xstrdup(a->account_id);
			e->role_name = xstrdup(a->roles[j]);
		}
	}
	qsort(p->failed, p->nfailed, sizeof p->failed[0], populate_strcmp);
	populate_resolve(p);
	*out = p;
	return 0;
}

void
populate_plan_free(struct populate_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->e[i].name);
		free(p->e[i].wanted);
		free(p->e[i].account_id);
		free(p->e[i].role_name);
	}
	free(p->e);
	for (i = 0; i < p->nfailed; i++)
		free(p->failed[i]);
	free(p->failed);
	populate_collisions_free(p->coll, p->ncoll);
	free(p);
}

size_t
populate_plan_count(const struct populate_plan *p)
{
	return p->n;
}

/* ---- the edit ------------------------------------------------------- */

static void
populate_names_add(struct populate_names *n, const char *s)
{
	if (n->n == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 16;
		n->v = xreallocarray(n->v, n->cap, sizeof n->v[0]);
	}
	n->v[n->n++] = xstrdup(s);
}

static void
populate_names_release(struct populate_names *n)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	memset(n, 0, sizeof *n);
}

void
populate_result_release(struct populate_result *res)
{
	if (res == NULL)
		return;
	populate_names_release(&res->added);
	populate_names_release(&res->updated);
	populate_names_release(&res->removed);
	populate_names_release(&res->stale);
	populate_collisions_free(res->collisions, res->ncollisions);
	memset(res, 0, sizeof *res);
}

/* The profiles already in the file: name -> section (the last one, which
 * is what botocore uses), sorted by name. */
struct populate_known {
	char *name;
	struct ini_line *sec;
	size_t order;
};

static int
populate_known_cmp(const void *x, const void *y)
{
	const struct populate_known *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

static struct populate_known *
populate_index(const struct ini_doc *doc, size_t *np)
{
	struct populate_known *v = NULL;
	struct ini_line *sec = NULL;
	enum awsconfig_kind kind;
	size_t n = 0, cap = 0, i, out = 0;
	char *name = NULL;

	while ((sec = awsconfig_next_section(doc, sec, &kind, &name)) != NULL) {
		if (kind != AWSCONFIG_PROFILE)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof v[0]);
		}
		v[n].name = name; /* taken: the next call must not free it */
		name = NULL;
		v[n].sec = sec;
		v[n].order = n;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof v[0], populate_known_cmp);
	/* Keep the last section of each name. */
	for (i = 0; i < n; i++) {
		if (i + 1 < n && strcmp(v[i].name, v[i + 1].name) == 0) {
			free(v[i].name);
			continue;
		}
		v[out++] = v[i];
	}
	*np = out;
	return v;
}

static struct ini_line *
populate_lookup(const struct populate_known *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, v[mid].name)) == 0)
			return v[mid].sec;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The section's own value of key (not [DEFAULT]'s), or NULL. */
static const char *
populate_own(const struct ini_line *sec, const char *key)
{
	const struct ini_line *k = ini_key_get(sec, key);

	return k != NULL ? ini_key_value(k) : NULL;
}

static int
populate_ours(const struct populate_plan *p, const struct ini_line *sec)
{
	const char *m = populate_own(sec, POPULATE_MARKER);

	return m != NULL && strcmp(m, p->o->session) == 0;
}

static int
populate_in(char *const *sorted, size_t n, const char *s)
{
	return n > 0 &&
	    bsearch(&s, sorted, n, sizeof sorted[0], populate_strcmp) != NULL;
}

/* Set key to value in sec unless it has it already; *changed set then. */
static int
populate_put(struct ini_doc *doc, struct ini_line *sec, const char *key,
    const char *value, int *changed, struct idc_err *err)
{
	const char *cur = populate_own(sec, key);

	if (cur != NULL && strcmp(cur, value) == 0)
		return 0;
	*changed = 1;
	return ini_set(doc, sec, key, value, err);
}

static int
populate_write(const struct populate_plan *p, struct ini_doc *doc,
    struct ini_line *sec, const struct populate_entry *e, int *changed,
    struct idc_err *err)
{
	const struct populate_opts *o = p->o;
	char *key;
	size_t i, klen;
	int r = 0;

	if (populate_put(doc, sec, "sso_session", o->session, changed, err) ==
		-1 ||
	    populate_put(doc, sec, "sso_account_id", e->account_id, changed,
		err) == -1 ||
	    populate_put(
		doc, sec, "sso_role_name", e->role_name, changed, err) == -1 ||
	    (o->region != NULL &&
		populate_put(doc, sec, "region", o->region, changed, err) ==
		    -1) ||
	    (o->output != NULL &&
		populate_put(doc, sec, "output", o->output, changed, err) ==
		    -1))
		return -1;
	for (i = 0; i < o->nsets && r == 0; i++) {
		klen = (size_t)(strchr(o->sets[i], '=') - o->sets[i]);
		key = xstrndup(o->sets[i], klen);
		r = populate_put(
		    doc, sec, key, o->sets[i] + klen + 1, changed, err);
		free(key);
	}
	if (r == -1)
		return -1;
	return populate_put(
	    doc, sec, POPULATE_MARKER, o->session, changed, err);
}

int
populate_apply(const struct populate_plan *p, struct ini_doc *doc,
    struct populate_result *res, struct idc_err *err)
{
	struct populate_known *known = NULL;
	struct ini_line *sec, **doomed = NULL;
	char **planned = NULL, ** final = NULL, *alt = NULL, *header = NULL;
	const char *name, *acct;
	size_t nknown = 0, i, nfinal = 0, ndoomed = 0, k;
	char *pname;
	int changed, r = -1;

	memset(res, 0, sizeof *res);
	for (i = 0; i < p->ncoll; i++)
		populate_add_collision(&res->collisions, &res->ncollisions,
		    p->coll[i].wanted, p->coll[i].assigned,
		    p->coll[i].account_id, p->coll[i].role_name,
		    p->coll[i].why);
	known = populate_index(doc, &nknown);
	planned = xcalloc(p->n + 1, sizeof planned[0]);
	for (i = 0; i < p->n; i++)
		planned[i] = p->e[i].name;
	qsort(planned, p->n, sizeof planned[0], populate_strcmp);
	final = xcalloc(p->n + 1, sizeof final[0]);

	for (i = 0; i < p->n; i++) {
		const struct populate_entry *e = &p->e[i];

		name = e->name;
		sec = populate_lookup(known, nknown, name);
		if (sec != NULL && !populate_ours(p, sec)) {
			/* Never touch a profile idc did not write for this
			 * session: use NAME-<account id>, if that is free. */
			free(alt);
			alt = xasprintf("%s-%s", name, e->account_id);
			sec = populate_lookup(known, nknown, alt);
			if ((sec != NULL && !populate_ours(p, sec)) ||
			    populate_in(planned, p->n, alt) ||
			    populate_in(final, nfinal, alt) ||
			    validate_name(alt, "profile name", NULL) == -1) {
				populate_add_collision(&res->collisions,
				    &res->ncollisions, name, NULL,
				    e->account_id, e->role_name,
				    "taken by a profile idc did not generate "
				    "for this session");
				continue;
			}
			populate_add_collision(&res->collisions,
			    &res->ncollisions, name, alt, e->account_id,
			    e->role_name,
			    "taken by a profile idc did not generate for this "
			    "session");
			name = alt;
		}
		changed = 0;
		if (sec == NULL) {
			header =
			    awsconfig_section_header(AWSCONFIG_PROFILE, name);
			if ((sec = ini_section_add(doc, header, err)) == NULL)
				goto out;
			free(header);
			header = NULL;
			if (populate_write(p, doc, sec, e, &changed, err) == -1)
				goto out;
			populate_names_add(&res->added, name);
		} else {
			if (populate_write(p, doc, sec, e, &changed, err) == -1)
				goto out;
			if (changed)
				populate_names_add(&res->updated, name);
			else
				res->unchanged++;
		}
		/* final holds the names in use, kept sorted for lookups. */
		pname = xstrdup(name);
		for (k = nfinal; k > 0 && strcmp(final[k - 1], pname) > 0; k--)
			final[k] = final[k - 1];
		final[k] = pname;
		nfinal++;
	}

	/* This session's generated profiles that the listing no longer
	 * has; an account whose roles are not known keeps its profiles. */
	doomed = xcalloc(nknown + 1, sizeof doomed[0]);
	for (i = 0; i < nknown; i++) {
		sec = known[i].sec;
		if (!populate_ours(p, sec) ||
		    populate_in(final, nfinal, known[i].name))
			continue;
		acct = populate_own(sec, "sso_account_id");
		if (acct != NULL && populate_in(p->failed, p->nfailed, acct))
			continue;
		if (p->o->prune) {
			populate_names_add(&res->removed, known[i].name);
			doomed[ndoomed++] = sec;
		} else {
			populate_names_add(&res->stale, known[i].name);
		}
	}
	for (i = 0; i < ndoomed; i++)
		ini_section_remove(doc, doomed[i]);
	r = 0;
out:
	if (r == -1)
		populate_result_release(res);
	for (i = 0; i < nknown; i++)
		free(known[i].name);
	free(known);
	for (i = 0; i < nfinal; i++)
		free(final[i]);
	free(final);
	free(planned);
	free(doomed);
	free(alt);
	free(header);
	return r;
}

/* ---- the diff ------------------------------------------------------- */

/* Beyond this many edits the middle is shown as removed and re-added
 * (Myers' trace grows with the square of the edits). */
#define POPULATE_DIFF_MAX_D   2048
#define POPULATE_DIFF_CONTEXT 3

struct populate_line {
	const char *p;
	size_t len; /* without the newline */
	int nl;     /* ended by a newline */
};

struct populate_lines {
	struct populate_line *v;
	size_t n;
};

static void
populate_split(const char *s, size_t len, struct populate_lines *out)
{
	size_t i, start = 0, cap = 16;

	out->n = 0;
	out->v = xcalloc(cap, sizeof out->v[0]);
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		if (out->n == cap) {
			cap *= 2;
			out->v = xreallocarray(out->v, cap, sizeof out->v[0]);
		}
		out->v[out->n].p = s + start;
		out->v[out->n].len = i - start;
		out->v[out->n].nl = i < len;
		out->n++;
		start = i + 1;
	}
}

static int
populate_line_eq(const struct populate_line *a, const struct populate_line *b)
{
	return a->len == b->len && a->nl == b->nl &&
	    memcmp(a->p, b->p, a->len) == 0;
}

/* An edit script: ' ' both, '-' only in a, '+' only in b. */
struct populate_op {
	char kind;
	size_t ai, bi; /* line indexes (the one that applies) */
};

struct populate_ops {
	struct populate_op *v;
	size_t n, cap;
};

static void
populate_op(struct populate_ops *ops, char kind, size_t ai, size_t bi)
{
	if (ops->n == ops->cap) {
		ops->cap = ops->cap ? ops->cap * 2 : 64;
		ops->v = xreallocarray(ops->v, ops->cap, sizeof ops->v[0]);
	}
	ops->v[ops->n].kind = kind;
	ops->v[ops->n].ai = ai;
	ops->v[ops->n].bi = bi;
	ops->n++;
}

/*
 * Myers' greedy algorithm on a[a0..a1) and b[b0..b1): appends the edits
 * in order.  Returns -1 (nothing appended) past POPULATE_DIFF_MAX_D.
 */
static int
populate_myers(const struct populate_lines *a, size_t a0, size_t a1,
    const struct populate_lines *b, size_t b0, size_t b1,
    struct populate_ops *ops)
{
	int n = (int)(a1 - a0), m = (int)(b1 - b0), max = n + m;
	int d, k, x, y, px, py, pk, dmax, off, *v, **trace, *rev;
	struct populate_ops back = { NULL, 0, 0 };
	int r = -1, found = 0;
	size_t i;

	dmax = max < POPULATE_DIFF_MAX_D ? max : POPULATE_DIFF_MAX_D;
	off = dmax + 1;
	v = xcalloc((size_t)(2 * off + 1), sizeof v[0]);
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
			    populate_line_eq(
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
			populate_op(&back, ' ', a0 + (size_t)x, b0 + (size_t)y);
		}
		if (d > 0) {
			if (x == px)
				populate_op(&back, '+', a0 + (size_t)px,
				    b0 + (size_t)py);
			else
				populate_op(&back, '-', a0 + (size_t)px,
				    b0 + (size_t)py);
		}
		x = px;
		y = py;
	}
	for (i = back.n; i > 0; i--)
		populate_op(ops, back.v[i - 1].kind, back.v[i - 1].ai,
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

static void
populate_diff_line(
    struct idc_buf *out, char kind, const struct populate_line *l)
{
	idc_buf_addch(out, kind);
	idc_buf_add(out, l->p, l->len);
	idc_buf_addch(out, '\n');
	if (!l->nl)
		idc_buf_addstr(out, "\\ No newline at end of file\n");
}

/* "-start,count" as diff(1) writes it: count 1 is left out, and an empty
 * range starts at the line before it. */
static void
populate_range(struct idc_buf *out, char sign, size_t start, size_t count)
{
	if (count == 1)
		idc_buf_addf(out, "%c%zu", sign, start + 1);
	else
		idc_buf_addf(out, "%c%zu,%zu", sign,
		    count == 0 ? start : start + 1, count);
}

static void
populate_hunks(const struct populate_ops *ops, const struct populate_lines *a,
    const struct populate_lines *b, struct idc_buf *out)
{
	size_t i = 0, start, end, j, last, as, bs, ac, bc;

	while (i < ops->n) {
		while (i < ops->n && ops->v[i].kind == ' ')
			i++;
		if (i == ops->n)
			break;
		start =
		    i > POPULATE_DIFF_CONTEXT ? i - POPULATE_DIFF_CONTEXT : 0;
		/* Extend while the next change is within twice the
		 * context. */
		last = i;
		for (j = i; j < ops->n; j++) {
			if (ops->v[j].kind != ' ')
				last = j;
			else if (j - last > 2 * POPULATE_DIFF_CONTEXT)
				break;
		}
		end = last + 1 + POPULATE_DIFF_CONTEXT;
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
		idc_buf_addstr(out, "@@ ");
		populate_range(out, '-', as, ac);
		idc_buf_addch(out, ' ');
		populate_range(out, '+', bs, bc);
		idc_buf_addstr(out, " @@\n");
		for (j = start; j < end; j++) {
			if (ops->v[j].kind == '+')
				populate_diff_line(
				    out, '+', &b->v[ops->v[j].bi]);
			else
				populate_diff_line(
				    out, ops->v[j].kind, &a->v[ops->v[j].ai]);
		}
		i = end;
	}
}

int
populate_diff(const char *a, size_t alen, const char *b, size_t blen,
    const char *name_a, const char *name_b, struct idc_buf *out,
    struct idc_err *err)
{
	struct populate_lines la, lb;
	struct populate_ops ops = { NULL, 0, 0 };
	size_t pre = 0, suf = 0, i, before = out->len;
	int r = 0;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	populate_split(a, alen, &la);
	populate_split(b, blen, &lb);
	while (pre < la.n && pre < lb.n &&
	    populate_line_eq(&la.v[pre], &lb.v[pre]))
		pre++;
	while (suf < la.n - pre && suf < lb.n - pre &&
	    populate_line_eq(&la.v[la.n - 1 - suf], &lb.v[lb.n - 1 - suf]))
		suf++;
	for (i = 0; i < pre; i++)
		populate_op(&ops, ' ', i, i);
	if (populate_myers(&la, pre, la.n - suf, &lb, pre, lb.n - suf, &ops) ==
	    -1) {
		for (i = pre; i < la.n - suf; i++)
			populate_op(&ops, '-', i, pre);
		for (i = pre; i < lb.n - suf; i++)
			populate_op(&ops, '+', la.n - suf, i);
	}
	for (i = 0; i < suf; i++)
		populate_op(&ops, ' ', la.n - suf + i, lb.n - suf + i);
	idc_buf_addf(out, "--- %s\n+++ %s\n", name_a, name_b);
	populate_hunks(&ops, &la, &lb, out);
	if (out->len == before)
		r = idc_err_set(err, IDC_EFAIL, "the diff is too large");
	free(ops.v);
	free(la.v);
	free(lb.v);
	return r;
}
