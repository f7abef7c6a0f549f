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
#include "idc/core/diff.h"
#include "idc/core/listing.h"
#include "idc/store/fsutil.h"
#include "idc/store/ini.h"
#include "idc/store/validate.h"
#include "idc/core/xmalloc.h"

#define POPULATE_NAME_MAX 256

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

static int
populate_too_long(struct idc_err *err)
{
	return idc_err_set(err, IDC_EUSAGE,
	    "the template gives a name longer than %d bytes",
	    POPULATE_NAME_MAX);
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
	if (idc_buf_addstr(out, clean) == -1) {
		populate_too_long(err);
		goto out;
	}
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
		if (idc_buf_addch(&b, *p) == -1) {
			populate_too_long(err);
			goto out;
		}
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
		if (idc_buf_addch(&b, *p) == -1) {
			populate_too_long(err);
			goto out;
		}
	}
	if (b.len > POPULATE_NAME_MAX) {
		populate_too_long(err);
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
	const char *eq = strchr(item, '='), *p, *reserved;
	size_t klen;

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
	if ((reserved = awsconfig_reserved_key(item, klen)) != NULL)
		return idc_err_set(err, IDC_EUSAGE,
		    "--set cannot change '%s', which populate writes itself",
		    reserved);
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
	if (o->output != NULL && validate_output_format(o->output, err) == -1)
		return -1;
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
	int partial; /* the portal sent entries that were left out */
	struct populate_collision *coll;
	size_t ncoll, capcoll;
};

static void
populate_add_collision(struct populate_collision **v, size_t *n, size_t *cap,
    const char *wanted, const char *assigned, const char *account_id,
    const char *role_name, const char *why)
{
	struct populate_collision *c;

	*v = xgrowarray(*v, cap, *n + 1, sizeof(*v)[0]);
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
					    &p->ncoll, &p->capcoll, e->wanted,
					    NULL, e->account_id, e->role_name,
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
			populate_add_collision(&p->coll, &p->ncoll, &p->capcoll,
			    e->wanted, e->name, e->account_id, e->role_name,
			    "shared by several accounts and roles");
		p->e[out++] = *e;
	}
	p->n = out;
}

int
populate_plan_build(const struct populate_opts *o, const struct listing *l,
    struct populate_plan **out, struct idc_err *err)
{
	struct populate_plan *p = xcalloc(1, sizeof *p);
	const struct listing_account *a;
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
	p->partial = l->skipped > 0;
	for (i = 0; i < l->count; i++) {
		a = &l->accounts[i];
		if (a->roles_state != LISTING_ROLES_OK) {
			p->failed[p->nfailed++] = xstrdup(a->account_id);
			continue;
		}
		for (j = 0; j < a->nroles; j++) {
			if (populate_name(o, a->account_id, a->account_name,
				a->email_address, a->roles[j], &name,
				&why) == -1) {
				populate_add_collision(&p->coll, &p->ncoll,
				    &p->capcoll, "", NULL, a->account_id,
				    a->roles[j],
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
	n->v = xgrowarray(n->v, &n->cap, n->n + 1, sizeof n->v[0]);
	n->v[n->n++] = xstrdup(s);
}

static int
populate_in_names(const struct populate_names *n, const char *s)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		if (strcmp(n->v[i], s) == 0)
			return 1;
	return 0;
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
	populate_names_release(&res->renamed_from);
	populate_names_release(&res->renamed_to);
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
		v = xgrowarray(v, &cap, n + 1, sizeof v[0]);
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

static int
populate_ours(const struct populate_plan *p, const struct ini_line *sec)
{
	struct awsconfig_values v;

	awsconfig_section_own(sec, &v);
	return v.generated_by != NULL &&
	    strcmp(v.generated_by, p->o->session) == 0;
}

static int
populate_in(char *const *sorted, size_t n, const char *s)
{
	return n > 0 &&
	    bsearch(&s, sorted, n, sizeof sorted[0], populate_strcmp) != NULL;
}

/* The profile of plan entry e, written into sec (NULL: a new one). */
static struct ini_line *
populate_write(const struct populate_plan *p, struct ini_doc *doc,
    struct ini_line *sec, const char *name, const struct populate_entry *e,
    int *changed, struct idc_err *err)
{
	const struct populate_opts *o = p->o;
	struct awsconfig_profile ap;

	memset(&ap, 0, sizeof ap);
	ap.sso_session = o->session;
	ap.account_id = e->account_id;
	ap.role_name = e->role_name;
	ap.region = o->region;
	ap.output = o->output;
	ap.sets = o->sets;
	ap.nsets = o->nsets;
	ap.generated_by = o->session;
	return awsconfig_put_profile(doc, sec, name, &ap, changed, err);
}

int
populate_apply(const struct populate_plan *p, struct ini_doc *doc,
    struct populate_result *res, struct idc_err *err)
{
	struct populate_known *known = NULL;
	struct ini_line *sec, **doomed = NULL;
	struct awsconfig_values v;
	char **planned = NULL, ** final = NULL, *alt = NULL;
	const char *name, *acct;
	const struct populate_entry **added_e = NULL;
	size_t nknown = 0, i, nfinal = 0, ndoomed = 0, k, j;
	char *pname;
	int changed, r = -1;

	memset(res, 0, sizeof *res);
	for (i = 0; i < p->ncoll; i++)
		populate_add_collision(&res->collisions, &res->ncollisions,
		    &res->capcollisions, p->coll[i].wanted, p->coll[i].assigned,
		    p->coll[i].account_id, p->coll[i].role_name,
		    p->coll[i].why);
	known = populate_index(doc, &nknown);
	planned = xcalloc(p->n + 1, sizeof planned[0]);
	for (i = 0; i < p->n; i++)
		planned[i] = p->e[i].name;
	qsort(planned, p->n, sizeof planned[0], populate_strcmp);
	final = xcalloc(p->n + 1, sizeof final[0]);
	added_e = xcalloc(p->n + 1, sizeof added_e[0]);

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
				    &res->ncollisions, &res->capcollisions,
				    name, NULL, e->account_id, e->role_name,
				    "taken by a profile idc did not generate "
				    "for this session");
				continue;
			}
			populate_add_collision(&res->collisions,
			    &res->ncollisions, &res->capcollisions, name, alt,
			    e->account_id, e->role_name,
			    "taken by a profile idc did not generate for this "
			    "session");
			name = alt;
		}
		changed = 0;
		if (sec == NULL) {
			if (populate_write(
				p, doc, NULL, name, e, &changed, err) == NULL)
				goto out;
			added_e[res->added.n] = e;
			populate_names_add(&res->added, name);
		} else {
			if (populate_write(
				p, doc, sec, name, e, &changed, err) == NULL)
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
	 * has; an account whose roles are not known keeps its profiles, and
	 * nothing is pruned after entries were left out (a role the server
	 * sent garbled is not a role that is gone). */
	doomed = xcalloc(nknown + 1, sizeof doomed[0]);
	for (i = 0; i < nknown; i++) {
		sec = known[i].sec;
		if (!populate_ours(p, sec) ||
		    populate_in(final, nfinal, known[i].name))
			continue;
		awsconfig_section_own(sec, &v);
		acct = v.account_id;
		if (acct != NULL && populate_in(p->failed, p->nfailed, acct))
			continue;
		/* The same account and role under a new name: renamed. */
		for (j = 0;
		     acct != NULL && v.role_name != NULL && j < res->added.n;
		     j++)
			if (added_e[j] != NULL &&
			    strcmp(added_e[j]->account_id, acct) == 0 &&
			    strcmp(added_e[j]->role_name, v.role_name) == 0)
				break;
		if (acct != NULL && v.role_name != NULL && j < res->added.n) {
			populate_names_add(&res->renamed_from, known[i].name);
			populate_names_add(&res->renamed_to, res->added.v[j]);
			added_e[j] = NULL;
			if (p->o->prune && !p->partial) {
				doomed[ndoomed++] = sec;
				continue;
			}
		}
		if (p->o->prune && !p->partial) {
			populate_names_add(&res->removed, known[i].name);
			doomed[ndoomed++] = sec;
		} else {
			populate_names_add(&res->stale, known[i].name);
		}
	}
	for (i = 0; i < ndoomed; i++)
		ini_section_remove(doc, doomed[i]);
	/* Pruned, a renamed profile is neither added nor removed. */
	for (i = 0, k = 0; p->o->prune && i < res->added.n; i++) {
		if (added_e[i] == NULL &&
		    populate_in_names(&res->renamed_to, res->added.v[i])) {
			free(res->added.v[i]);
			continue;
		}
		res->added.v[k++] = res->added.v[i];
	}
	if (p->o->prune)
		res->added.n = k;
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
	free(added_e);
	free(alt);
	return r;
}

/* ---- the file ------------------------------------------------------- */

/* The edit run under the config lock (maybe more than once, when another
 * program wrote the file meanwhile). */
struct populate_edit {
	const struct populate_plan *plan;
	const char *backup;
	struct populate_result *res;
	int backed_up;
};

static int
populate_edit_fn(struct ini_doc *doc, void *ud, struct idc_err *err)
{
	struct populate_edit *pe = ud;
	struct idc_buf before = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	int r = -1;

	populate_result_release(pe->res);
	pe->backed_up = 0;
	if (ini_render(doc, &before, err) == -1 ||
	    populate_apply(pe->plan, doc, pe->res, err) == -1)
		goto out;
	/* The file as it was, next to it, before it changes. */
	if (ini_changed(doc) && before.len > 0) {
		if (fsutil_write_atomic(pe->backup, before.data, before.len,
			0600, 0, err) == -1) {
			idc_err_prefix(err, "backup: ");
			goto out;
		}
		pe->backed_up = 1;
	}
	r = 0;
out:
	idc_buf_release(&before);
	return r;
}

/* What the plan would make of the file, as a diff. */
static int
populate_dry_run(const struct populate_plan *p, const char *path,
    struct populate_result *res, struct idc_buf *diff, struct idc_err *err)
{
	struct idc_buf before = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct idc_buf after = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct ini_doc *doc = NULL;
	char *label = NULL;
	int r = -1;

	if (awsconfig_read(AWSCONFIG_CONFIG, path, &doc, err) == -1 ||
	    ini_render(doc, &before, err) == -1 ||
	    populate_apply(p, doc, res, err) == -1 ||
	    ini_render(doc, &after, err) == -1)
		goto out;
	label = xasprintf("%s (after idc populate)", path);
	if (diff_unified(idc_buf_cstr(&before), before.len,
		idc_buf_cstr(&after), after.len, path, label, diff, err) == -1)
		goto out;
	r = 0;
out:
	free(label);
	awsconfig_doc_free(doc);
	idc_buf_release(&before);
	idc_buf_release(&after);
	return r;
}

int
populate_config(const struct populate_plan *p, const char *path, int dry_run,
    struct populate_result *res, struct idc_buf *diff, char **backup,
    struct idc_err *err)
{
	struct populate_edit pe;
	char *bak = NULL;
	int changed = 0;

	*backup = NULL;
	memset(res, 0, sizeof *res);
	if (dry_run)
		return populate_dry_run(p, path, res, diff, err);
	bak = xasprintf("%s%s", path, POPULATE_BACKUP_SUFFIX);
	memset(&pe, 0, sizeof pe);
	pe.plan = p;
	pe.backup = bak;
	pe.res = res;
	if (awsconfig_edit(AWSCONFIG_CONFIG, path, populate_edit_fn, &pe,
		&changed, err) == -1) {
		free(bak);
		return -1;
	}
	if (changed && pe.backed_up)
		*backup = bak;
	else
		free(bak);
	return 0;
}
