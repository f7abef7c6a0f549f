/*
 * xml.c - XML documents read with libexpat, loaded at run time (see xml.h).
 *
 * libexpat is not linked: the first xml_parse() dlopen()s it and resolves
 * the functions used here into one table whose field types are taken from
 * <expat.h> with __typeof__, so a prototype that does not match the header
 * does not compile.  Nothing else in idc includes <expat.h>.
 *
 * The handlers build the tree as expat reports elements; every limit is
 * checked in a handler, which stops the parser at once, so a hostile
 * document costs at most max_bytes of reading.
 */
#include "idc/net/xml.h"

#include <dlfcn.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"

#define XML_SONAME IDC_LIBEXPAT_SONAME
/* 2.4.0 is the first with the amplification limits; no entity reaches
 * expat's expansion here anyway, but older releases had parser bugs. */
#define XML_MIN_MAJOR 2
#define XML_MIN_MINOR 4
/* Between local name and namespace URI in the names expat reports; 0xff
 * never occurs in UTF-8. */
#define XML_NS_SEP "\xff"

struct expat_api {
	__typeof__(XML_ExpatVersionInfo) *ExpatVersionInfo;
	__typeof__(XML_ParserCreate_MM) *ParserCreate_MM;
	__typeof__(XML_ParserFree) *ParserFree;
	__typeof__(XML_SetUserData) *SetUserData;
	__typeof__(XML_SetElementHandler) *SetElementHandler;
	__typeof__(XML_SetCharacterDataHandler) *SetCharacterDataHandler;
	__typeof__(XML_SetStartDoctypeDeclHandler) *SetStartDoctypeDeclHandler;
	__typeof__(XML_SetEntityDeclHandler) *SetEntityDeclHandler;
	__typeof__(XML_Parse) *Parse;
	__typeof__(XML_StopParser) *StopParser;
	__typeof__(XML_GetErrorCode) *GetErrorCode;
	__typeof__(XML_ErrorString) *ErrorString;
	__typeof__(XML_GetCurrentLineNumber) *GetCurrentLineNumber;
};

#define EXPAT_SYM(field)                                                       \
	{                                                                      \
		"XML_" #field, offsetof(struct expat_api, field)               \
	}

static const struct {
	const char *name;
	size_t offset;
} expat_syms[] = {
	EXPAT_SYM(ExpatVersionInfo),
	EXPAT_SYM(ParserCreate_MM),
	EXPAT_SYM(ParserFree),
	EXPAT_SYM(SetUserData),
	EXPAT_SYM(SetElementHandler),
	EXPAT_SYM(SetCharacterDataHandler),
	EXPAT_SYM(SetStartDoctypeDeclHandler),
	EXPAT_SYM(SetEntityDeclHandler),
	EXPAT_SYM(Parse),
	EXPAT_SYM(StopParser),
	EXPAT_SYM(GetErrorCode),
	EXPAT_SYM(ErrorString),
	EXPAT_SYM(GetCurrentLineNumber),
};

_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
    "function pointers must be the size of void *");

static pthread_mutex_t expat_lock = PTHREAD_MUTEX_INITIALIZER;
static struct expat_api xp;
static int expat_ready;

struct xml_doc {
	struct xml_node *root;
};

/* The parse in progress. */
struct xml_state {
	XML_Parser parser;
	const struct xml_limits *lim;
	struct xml_node *root;
	struct xml_node *cur;  /* the open element, NULL outside the root */
	struct xml_node *last; /* the last child of cur, for appending */
	size_t text_bytes;     /* character data so far, all nodes */
	int depth;
	size_t nodes;
	int done;            /* the root has been closed */
	const char *refused; /* why a handler stopped the parser */
};

/* ---- loading -------------------------------------------------------- */

static int
xml_load_locked(struct idc_err *err)
{
	XML_Expat_Version v;
	void *dl, *sym;
	size_t i;

	dl = dlopen(XML_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL)
		return idc_err_set(
		    err, IDC_EFAIL, "cannot load libexpat: %s", dlerror());
	for (i = 0; i < sizeof expat_syms / sizeof expat_syms[0]; i++) {
		if ((sym = dlsym(dl, expat_syms[i].name)) == NULL) {
			idc_err_set(err, IDC_EFAIL, "'%s' has no function '%s'",
			    XML_SONAME, expat_syms[i].name);
			goto fail;
		}
		memcpy((char *)&xp + expat_syms[i].offset, &sym, sizeof sym);
	}
	v = xp.ExpatVersionInfo();
	if (v.major < XML_MIN_MAJOR ||
	    (v.major == XML_MIN_MAJOR && v.minor < XML_MIN_MINOR)) {
		idc_err_set(err, IDC_EFAIL,
		    "libexpat %d.%d.%d is too old: %d.%d or later is needed",
		    v.major, v.minor, v.micro, XML_MIN_MAJOR, XML_MIN_MINOR);
		goto fail;
	}
	expat_ready = 1;
	log_debug("xml: loaded libexpat %d.%d.%d", v.major, v.minor, v.micro);
	return 0;
fail:
	memset(&xp, 0, sizeof xp);
	dlclose(dl);
	return -1;
}

static int
xml_load(struct idc_err *err)
{
	int r = 0;

	pthread_mutex_lock(&expat_lock);
	if (!expat_ready)
		r = xml_load_locked(err);
	pthread_mutex_unlock(&expat_lock);
	return r;
}

int
xml_loaded(void)
{
	int r;

	pthread_mutex_lock(&expat_lock);
	r = expat_ready;
	pthread_mutex_unlock(&expat_lock);
	return r;
}

/* ---- expat's memory, wiped before it is freed ----------------------- */

static void *
xml_mem_malloc(size_t n)
{
	return xmalloc(n == 0 ? 1 : n);
}

static void
xml_mem_free(void *p)
{
	if (p == NULL)
		return;
	secret_wipe(p, malloc_usable_size(p));
	free(p);
}

static void *
xml_mem_realloc(void *p, size_t n)
{
	size_t old;
	void *q;

	if (p == NULL)
		return xml_mem_malloc(n);
	/* A copy, so that the old block can be wiped (realloc may move it
	 * and leave the input's text behind). */
	q = xml_mem_malloc(n);
	old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	xml_mem_free(p);
	return q;
}

static const XML_Memory_Handling_Suite xml_mem = {
	xml_mem_malloc,
	xml_mem_realloc,
	xml_mem_free,
};

/* ---- the tree ------------------------------------------------------- */

static void
xml_node_free(struct xml_node *n)
{
	struct xml_node *c, *next;

	while (n != NULL) {
		for (c = n->children; c != NULL; c = next) {
			next = c->next;
			c->next = NULL;
			xml_node_free(c);
		}
		free(n->name);
		xml_mem_free(n->text);
		next = n->next;
		free(n);
		n = next;
	}
}

static void
xml_stop(struct xml_state *st, const char *why)
{
	if (st->refused == NULL)
		st->refused = why;
	xp.StopParser(st->parser, XML_FALSE);
}

/* The local part of an expat name ("uri\xfflocal" or "local"). */
static const char *
xml_local(const XML_Char *name)
{
	const char *sep = strrchr(name, XML_NS_SEP[0]);

	return sep != NULL ? sep + 1 : name;
}

/* Append n bytes to the text of node (grown through xml_mem_realloc,
 * which wipes the old block). */
static void
xml_text_add(
    struct xml_state *st, struct xml_node *node, const char *s, size_t n)
{
	size_t cap = node->text == NULL ? 0 : malloc_usable_size(node->text);

	if (node->text_len + n + 1 > cap) {
		size_t want = cap < 64 ? 64 : cap;

		while (want < node->text_len + n + 1)
			want *= 2;
		node->text = xml_mem_realloc(node->text, want);
	}
	memcpy(node->text + node->text_len, s, n);
	node->text_len += n;
	node->text[node->text_len] = '\0';
	st->text_bytes += n;
}

static void XMLCALL
xml_on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_state *st = ud;
	struct xml_node *n;

	(void)atts;
	if (st->refused != NULL)
		return;
	if (st->done) {
		xml_stop(st, "a second root element");
		return;
	}
	if (st->depth >= st->lim->max_depth) {
		xml_stop(st, "elements nested too deeply");
		return;
	}
	if (st->nodes >= st->lim->max_nodes) {
		xml_stop(st, "too many elements");
		return;
	}
	n = xcalloc(1, sizeof *n);
	n->name = xstrdup(xml_local(name));
	n->parent = st->cur;
	if (st->cur == NULL)
		st->root = n;
	else if (st->last == NULL)
		st->cur->children = n;
	else
		st->last->next = n;
	st->cur = n;
	st->last = NULL;
	st->depth++;
	st->nodes++;
}

static void XMLCALL
xml_on_end(void *ud, const XML_Char *name)
{
	struct xml_state *st = ud;
	struct xml_node *n = st->cur;

	(void)name;
	if (st->refused != NULL || n == NULL)
		return;
	if (n->text == NULL)
		xml_text_add(st, n, "", 0);
	st->cur = n->parent;
	st->last = n;
	st->depth--;
	if (st->cur == NULL)
		st->done = 1;
}

static void XMLCALL
xml_on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_state *st = ud;

	if (st->refused != NULL || st->cur == NULL || len <= 0)
		return;
	if ((size_t)len > st->lim->max_bytes - st->text_bytes) {
		xml_stop(st, "text too long");
		return;
	}
	xml_text_add(st, st->cur, s, (size_t)len);
}

static void XMLCALL
xml_on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xml_stop(ud, "a document type declaration");
}

static void XMLCALL
xml_on_entity(void *ud, const XML_Char *name, int is_parameter_entity,
    const XML_Char *value, int value_length, const XML_Char *base,
    const XML_Char *system_id, const XML_Char *public_id,
    const XML_Char *notation_name)
{
	(void)name;
	(void)is_parameter_entity;
	(void)value;
	(void)value_length;
	(void)base;
	(void)system_id;
	(void)public_id;
	(void)notation_name;
	xml_stop(ud, "an entity declaration");
}

int
xml_parse(const char *text, size_t len, const struct xml_limits *limits,
    const char *what, struct xml_doc **out, struct idc_err *err)
{
	struct xml_limits lim = { XML_MAX_BYTES, XML_MAX_DEPTH, XML_MAX_NODES };
	struct xml_state st;
	struct xml_doc *doc;
	int r = -1;

	memset(&st, 0, sizeof st);
	if (limits != NULL) {
		if (limits->max_bytes != 0)
			lim.max_bytes = limits->max_bytes;
		if (limits->max_depth != 0)
			lim.max_depth = limits->max_depth;
		if (limits->max_nodes != 0)
			lim.max_nodes = limits->max_nodes;
	}
	if (lim.max_bytes > INT_MAX)
		lim.max_bytes = INT_MAX;
	if (len > lim.max_bytes)
		return idc_err_set(err, IDC_ESERVER,
		    "the %s is too large (%zu bytes, at most %zu)", what, len,
		    lim.max_bytes);
	if (xml_load(err) == -1)
		return -1;
	st.lim = &lim;
	st.parser = xp.ParserCreate_MM("UTF-8", &xml_mem, XML_NS_SEP);
	if (st.parser == NULL)
		abort(); /* only out of memory, which xmalloc already ends */
	xp.SetUserData(st.parser, &st);
	xp.SetElementHandler(st.parser, xml_on_start, xml_on_end);
	xp.SetCharacterDataHandler(st.parser, xml_on_text);
	xp.SetStartDoctypeDeclHandler(st.parser, xml_on_doctype);
	xp.SetEntityDeclHandler(st.parser, xml_on_entity);
	if (xp.Parse(st.parser, text, (int)len, XML_TRUE) != XML_STATUS_OK) {
		idc_err_set(err, IDC_ESERVER,
		    "the %s is not valid XML: %s at line %lu", what,
		    st.refused != NULL
			? st.refused
			: xp.ErrorString(xp.GetErrorCode(st.parser)),
		    (unsigned long)xp.GetCurrentLineNumber(st.parser));
		goto out;
	}
	if (!st.done || st.root == NULL) {
		idc_err_set(err, IDC_ESERVER,
		    "the %s is not valid XML: no element", what);
		goto out;
	}
	doc = xmalloc(sizeof *doc);
	doc->root = st.root;
	st.root = NULL;
	*out = doc;
	r = 0;
out:
	xp.ParserFree(st.parser);
	xml_node_free(st.root);
	return r;
}

const struct xml_node *
xml_root(const struct xml_doc *doc)
{
	return doc->root;
}

const struct xml_node *
xml_child(const struct xml_node *n, const char *name, size_t *count)
{
	const struct xml_node *c, *first = NULL;
	size_t k = 0;

	for (c = n->children; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0) {
			if (first == NULL)
				first = c;
			k++;
		}
	if (count != NULL)
		*count = k;
	return first;
}

void
xml_free(struct xml_doc *doc)
{
	if (doc == NULL)
		return;
	xml_node_free(doc->root);
	free(doc);
}
