/*
 * xml.h - a small, bounded XML reader: the only module that talks to
 * libexpat.
 *
 * libexpat is loaded with dlopen() the first time a document is parsed, as
 * libcurl is by http.c, so commands that answer from cache never load it.
 *
 * A document is read whole into a tree of elements, each with its local
 * name (any namespace dropped), its character data and its children;
 * attributes, comments and processing instructions are ignored.  What the
 * AWS query protocol never sends is refused: a document type declaration
 * (and with it every entity but the five predefined ones, so no expansion
 * can amplify the input), more than limits->max_bytes of input, more than
 * max_depth levels or max_nodes elements, and anything that is not
 * well-formed XML (wrong nesting, a missing end tag, text after the root).
 * The text is always read as UTF-8, whatever the XML declaration says.
 *
 * The tree may hold secrets (a secret access key, a session token): the
 * text of every node is wiped when the document is freed, and libexpat's
 * own memory is wiped before it goes back to the allocator.
 *
 * Errors: IDC_ESERVER (the text is not such a document; the message names
 * what, the line, and the caller's `what`), IDC_EFAIL (libexpat cannot be
 * loaded).
 */
#ifndef IDC_XML_H
#define IDC_XML_H

#include <stddef.h>

struct idc_err;

struct xml_node {
	char *name; /* local name, no namespace */
	char *text; /* character data directly inside, "" if none */
	size_t text_len;
	struct xml_node *parent;   /* NULL for the root */
	struct xml_node *children; /* the first child, or NULL */
	struct xml_node *next;     /* the next sibling, or NULL */
};

struct xml_limits {
	size_t max_bytes; /* input; 0: XML_MAX_BYTES */
	int max_depth;    /* 0: XML_MAX_DEPTH */
	size_t max_nodes; /* 0: XML_MAX_NODES */
};

#define XML_MAX_BYTES (1024u * 1024u)
#define XML_MAX_DEPTH 32
#define XML_MAX_NODES 4096u

struct xml_doc;

/*
 * Parse len bytes of text (limits may be NULL for the defaults).  what
 * names the document in messages ("AssumeRole response").  On success
 * *out is set (xml_free).
 */
int xml_parse(const char *text, size_t len, const struct xml_limits *limits,
    const char *what, struct xml_doc **out, struct idc_err *err);

/* The root element of doc; never NULL. */
const struct xml_node *xml_root(const struct xml_doc *doc);

/* The first child of n called name, or NULL; *count (may be NULL) is set
 * to how many children have that name. */
const struct xml_node *xml_child(
    const struct xml_node *n, const char *name, size_t *count);

/* 1 if libexpat has been loaded into this process (tests, benchmarks). */
int xml_loaded(void);

/* Free doc, wiping every node's text.  NULL is fine. */
void xml_free(struct xml_doc *doc);

#endif
