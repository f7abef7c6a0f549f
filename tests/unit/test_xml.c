/*
 * test_xml.c - the bounded XML reader: the tree it builds, libexpat loaded
 * only when a document is parsed, and what it refuses (a DTD and its
 * entities, too much input, depth or elements, bad nesting).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"
#include "idc/net/xml.h"

static struct xml_doc *
parse_ok(const char *text)
{
	struct idc_err err = IDC_ERR_INIT;
	struct xml_doc *doc = NULL;

	if (xml_parse(text, strlen(text), NULL, "test", &doc, &err) != 0)
		fail_msg("%s", err.msg);
	return doc;
}

static void
parse_fails(const char *text, const struct xml_limits *lim, const char *why)
{
	struct idc_err err = IDC_ERR_INIT;
	struct xml_doc *doc = NULL;

	assert_int_equal(
	    xml_parse(text, strlen(text), lim, "test answer", &doc, &err), -1);
	assert_null(doc);
	assert_int_equal(err.code, IDC_ESERVER);
	if (strstr(err.msg, why) == NULL)
		fail_msg("'%s' does not say '%s'", err.msg, why);
	assert_non_null(strstr(err.msg, "test answer"));
}

static void
test_tree(void **state)
{
	struct xml_doc *doc;
	const struct xml_node *root, *a, *b;
	size_t n;

	(void)state;
	assert_int_equal(xml_loaded(), 0);
	doc = parse_ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		       "<R xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\" "
		       "a=\"1\"><!-- c --><A>one &amp; &#x41;&lt;</A>"
		       "<x:B xmlns:x=\"urn:x\">two<C/></x:B><A>again</A>"
		       "<D></D></R>");
	assert_int_equal(xml_loaded(), 1);
	root = xml_root(doc);
	assert_string_equal(root->name, "R");
	assert_null(root->parent);
	a = xml_child(root, "A", &n);
	assert_int_equal(n, 2);
	assert_string_equal(a->text, "one & A<");
	assert_int_equal(a->text_len, 8);
	assert_ptr_equal(a->parent, root);
	b = xml_child(root, "B", &n);
	assert_int_equal(n, 1);
	assert_string_equal(b->text, "two");
	assert_string_equal(b->children->name, "C");
	assert_string_equal(b->children->text, "");
	assert_string_equal(xml_child(root, "D", NULL)->text, "");
	assert_null(xml_child(root, "E", &n));
	assert_int_equal(n, 0);
	xml_free(doc);
	xml_free(NULL);
}

static void
test_utf8(void **state)
{
	struct xml_doc *doc;

	(void)state;
	/* Read as UTF-8 whatever the declaration says. */
	doc = parse_ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		       "<R>caf\xc3\xa9</R>");
	assert_string_equal(xml_root(doc)->text, "caf\xc3\xa9");
	xml_free(doc);
	parse_fails("<R>caf\xe9</R>", NULL, "not valid XML");
}

static void
test_hostile(void **state)
{
	struct xml_limits small = { 64, 3, 4 };
	char *big;

	(void)state;
	parse_fails("<!DOCTYPE r [<!ENTITY a \"aaaa\">]><r>&a;</r>", NULL,
	    "document type declaration");
	parse_fails("<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>", NULL,
	    "document type declaration");
	parse_fails("<r>&unknown;</r>", NULL, "not valid XML");
	parse_fails("<r>&#1;</r>", NULL, "not valid XML");
	parse_fails("<a><b></a></b>", NULL, "mismatched tag");
	parse_fails("<a><b>", NULL, "not valid XML");
	parse_fails("<a/><b/>", NULL, "not valid XML");
	parse_fails("", NULL, "not valid XML");
	parse_fails("just text", NULL, "not valid XML");
	parse_fails("<x:a/>", NULL, "not valid XML");
	parse_fails("<a><b><c><d/></c></b></a>", &small, "nested too deeply");
	parse_fails("<a><b/><b/><b/><b/></a>", &small, "too many elements");
	parse_fails("<a>0123456789012345678901234567890123456789</a>"
		    "<!-- padding to pass the limit -->",
	    &small, "too large");
	/* A large document within the default limits is fine, one past
	 * them is not. */
	big = xmalloc(XML_MAX_BYTES + 2);
	memset(big, 'x', XML_MAX_BYTES + 1);
	memcpy(big, "<a>", 3);
	memcpy(big + XML_MAX_BYTES + 1 - 4, "</a>", 4);
	big[XML_MAX_BYTES + 1] = '\0';
	parse_fails(big, NULL, "too large");
	big[XML_MAX_BYTES - 4] = '\0';
	memcpy(big + XML_MAX_BYTES - 8, "</a>", 4);
	xml_free(parse_ok(big));
	free(big);
}

static void
test_many_nodes(void **state)
{
	char *text = xmalloc(XML_MAX_NODES * 4 + 32);
	size_t i, n = 0;

	(void)state;
	n += (size_t)sprintf(text + n, "<a>");
	for (i = 0; i < XML_MAX_NODES; i++)
		n += (size_t)sprintf(text + n, "<b/>");
	sprintf(text + n, "</a>");
	parse_fails(text, NULL, "too many elements");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_many_nodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
