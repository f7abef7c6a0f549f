/*
 * test_ui_menu.c - the menu's state machine without a terminal: moving
 * and wrapping, type-to-filter with several words, Backspace over UTF-8,
 * scrolling, the frame it draws, and the keys decoded from bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/ui/ui_menu.h"

static const char *const items[] = {
	"Account 001 (dev), account001+dev@example.com (100000000001)",
	"Account 002 (prod), account002+prod@example.com (100000000002)",
	"Billing (prod) (100000000003)",
	"Sandbox Café (100000000004)",
	"100000000005",
};
#define NITEMS (sizeof items / sizeof items[0])

static void
type(struct ui_menu *m, const char *s)
{
	for (; *s != '\0'; s++)
		assert_int_equal(
		    ui_menu_key(m, (unsigned char)*s), UI_MENU_MORE);
}

static void
test_moves(void **state)
{
	struct ui_menu m;

	(void)state;
	ui_menu_init(&m, items, NITEMS, 3);
	assert_int_equal(ui_menu_selected(&m), 0);
	ui_menu_key(&m, UI_KEY_UP); /* wraps to the last */
	assert_int_equal(ui_menu_selected(&m), 4);
	assert_int_equal(m.top, 2);
	ui_menu_key(&m, UI_KEY_DOWN); /* and back */
	assert_int_equal(ui_menu_selected(&m), 0);
	assert_int_equal(m.top, 0);
	ui_menu_key(&m, UI_KEY_PGDN);
	assert_int_equal(ui_menu_selected(&m), 3);
	assert_int_equal(m.top, 1);
	ui_menu_key(&m, UI_KEY_PGDN);
	assert_int_equal(ui_menu_selected(&m), 4);
	ui_menu_key(&m, UI_KEY_HOME);
	assert_int_equal(ui_menu_selected(&m), 0);
	ui_menu_key(&m, UI_KEY_END);
	assert_int_equal(ui_menu_selected(&m), 4);
	ui_menu_key(&m, UI_KEY_PGUP);
	assert_int_equal(ui_menu_selected(&m), 1);
	assert_int_equal(ui_menu_key(&m, UI_KEY_ENTER), UI_MENU_PICKED);
	assert_int_equal(ui_menu_key(&m, UI_KEY_ABORT), UI_MENU_ABORTED);
	ui_menu_release(&m);
}

static void
test_filter(void **state)
{
	struct ui_menu m;

	(void)state;
	ui_menu_init(&m, items, NITEMS, 10);
	type(&m, "PROD");
	assert_int_equal(m.nmatch, 2);
	assert_int_equal(ui_menu_selected(&m), 1);
	ui_menu_key(&m, UI_KEY_DOWN);
	assert_int_equal(ui_menu_selected(&m), 2);
	/* Every word must match, in any order. */
	type(&m, " bill");
	assert_int_equal(m.nmatch, 1);
	assert_int_equal(ui_menu_selected(&m), 2);
	type(&m, "x");
	assert_int_equal(m.nmatch, 0);
	assert_true(ui_menu_selected(&m) == (size_t)-1);
	/* Enter with nothing to pick does nothing. */
	assert_int_equal(ui_menu_key(&m, UI_KEY_ENTER), UI_MENU_MORE);
	ui_menu_key(&m, UI_KEY_BACKSPACE);
	assert_int_equal(m.nmatch, 1);
	ui_menu_key(&m, UI_KEY_CLEAR);
	assert_int_equal(m.nmatch, NITEMS);
	assert_int_equal(m.flen, 0);
	/* UTF-8 is typed byte by byte and taken back whole. */
	type(&m, "caf\xc3\xa9");
	assert_int_equal(m.nmatch, 1);
	assert_int_equal(ui_menu_selected(&m), 3);
	ui_menu_key(&m, UI_KEY_BACKSPACE);
	assert_string_equal(m.filter, "caf");
	type(&m, "Z");
	ui_menu_key(&m, UI_KEY_ESC);
	assert_int_equal(m.nmatch, NITEMS);
	/* Control bytes are not text. */
	ui_menu_key(&m, 0x01);
	assert_int_equal(m.flen, 0);
	type(&m, "00005");
	assert_int_equal(ui_menu_selected(&m), 4);
	assert_int_equal(ui_menu_key(&m, UI_KEY_ENTER), UI_MENU_PICKED);
	ui_menu_release(&m);
}

static void
test_render(void **state)
{
	struct idc_buf out = IDC_BUF_INIT(1 << 16);
	struct ui_menu m;
	size_t lines;

	(void)state;
	ui_menu_init(&m, items, NITEMS, 2);
	ui_menu_render(&m, 30, &out, &lines);
	assert_int_equal(lines, 4);
	assert_string_equal(idc_buf_cstr(&out),
	    ">    (type to filter, arrows \r\n"
	    "> Account 001 (dev), account0\r\n"
	    "  Account 002 (prod), account\r\n"
	    "  ... 3 more");
	idc_buf_reset(&out);
	type(&m, "caf");
	ui_menu_render(&m, 200, &out, &lines);
	assert_int_equal(lines, 2);
	assert_string_equal(idc_buf_cstr(&out),
	    "> caf   (1 of 5)\r\n> Sandbox Café (100000000004)");
	idc_buf_reset(&out);
	/* Cut by characters, not bytes. */
	ui_menu_render(&m, 15, &out, &lines);
	assert_string_equal(
	    idc_buf_cstr(&out), "> caf   (1 of \r\n> Sandbox Caf\xc3\xa9");
	idc_buf_reset(&out);
	type(&m, "q");
	ui_menu_render(&m, 200, &out, &lines);
	assert_int_equal(lines, 2);
	assert_non_null(strstr(idc_buf_cstr(&out), "nothing matches"));
	idc_buf_release(&out);
	ui_menu_release(&m);
}

/* Account names come from the server: drawn in their safe form. */
static void
test_render_escapes_hostile_items(void **state)
{
	static const char *const bad[] = {
		"evil\x1b]0;pwned\x07 (1)",
		"rtl\xe2\x80\xaetxt (2)",
		"c1\xc2\x9b"
		"31m del\x7f (3)",
	};
	struct idc_buf out = IDC_BUF_INIT(1 << 16);
	struct ui_menu m;
	size_t lines, i;
	const char *s;

	(void)state;
	ui_menu_init(&m, bad, 3, 5);
	ui_menu_render(&m, 200, &out, &lines);
	s = idc_buf_cstr(&out);
	assert_non_null(strstr(s, "> evil\\x1b]0;pwned\\a (1)"));
	assert_non_null(strstr(s, "  rtl\\u202etxt (2)"));
	assert_non_null(strstr(s, "  c1\\u009b31m del\\x7f (3)"));
	for (i = 0; s[i] != '\0'; i++)
		assert_true(s[i] == '\r' || s[i] == '\n' ||
		    ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f));
	idc_buf_release(&out);
	ui_menu_release(&m);
}

static int
decode(const char *bytes, size_t len, int final, size_t *used)
{
	int key;

	*used = ui_menu_decode((const unsigned char *)bytes, len, final, &key);
	return key;
}

static void
test_decode(void **state)
{
	size_t used;

	(void)state;
	assert_int_equal(decode("\x1b[A", 3, 0, &used), UI_KEY_UP);
	assert_int_equal(used, 3);
	assert_int_equal(decode("\x1b[Bx", 4, 0, &used), UI_KEY_DOWN);
	assert_int_equal(used, 3);
	assert_int_equal(decode("\x1bOA", 3, 0, &used), UI_KEY_UP);
	assert_int_equal(decode("\x1b[5~", 4, 0, &used), UI_KEY_PGUP);
	assert_int_equal(used, 4);
	assert_int_equal(decode("\x1b[6~", 4, 0, &used), UI_KEY_PGDN);
	assert_int_equal(decode("\x1b[1~", 4, 0, &used), UI_KEY_HOME);
	assert_int_equal(decode("\x1b[F", 3, 0, &used), UI_KEY_END);
	/* A modified arrow (ESC [ 1 ; 5 A) is still an arrow. */
	assert_int_equal(decode("\x1b[1;5A", 6, 0, &used), UI_KEY_UP);
	assert_int_equal(used, 6);
	/* Unknown sequences are swallowed whole. */
	assert_int_equal(decode("\x1b[200~", 6, 0, &used), UI_KEY_NONE);
	assert_int_equal(used, 6);
	/* The start of a sequence waits for more, unless that was all. */
	assert_int_equal(decode("\x1b", 1, 0, &used), UI_KEY_NONE);
	assert_int_equal(used, 0);
	assert_int_equal(decode("\x1b[", 2, 0, &used), UI_KEY_NONE);
	assert_int_equal(used, 0);
	assert_int_equal(decode("\x1b", 1, 1, &used), UI_KEY_ESC);
	assert_int_equal(used, 1);
	assert_int_equal(decode("\r", 1, 0, &used), UI_KEY_ENTER);
	assert_int_equal(decode("\n", 1, 0, &used), UI_KEY_ENTER);
	assert_int_equal(decode("\x7f", 1, 0, &used), UI_KEY_BACKSPACE);
	assert_int_equal(decode("\x03", 1, 0, &used), UI_KEY_ABORT);
	assert_int_equal(decode("\x04", 1, 0, &used), UI_KEY_ABORT);
	assert_int_equal(decode("\x15", 1, 0, &used), UI_KEY_CLEAR);
	assert_int_equal(decode("\x10", 1, 0, &used), UI_KEY_UP);
	assert_int_equal(decode("\x0e", 1, 0, &used), UI_KEY_DOWN);
	assert_int_equal(decode("a", 1, 0, &used), 'a');
	assert_int_equal(decode("\xc3", 1, 0, &used), 0xc3);
	assert_int_equal(decode("", 0, 1, &used), UI_KEY_NONE);
	assert_int_equal(used, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_escapes_hostile_items),
		cmocka_unit_test(test_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
