/*
 * test_safetext.c - untrusted text made safe: each class of dangerous
 * character by example, then properties over every byte, every two-byte
 * sequence and random input (the output never holds a control byte, is
 * valid UTF-8 free of bidi controls, and passes through unchanged again).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idc/core/buf.h"
#include "idc/core/safetext.h"

static char *
safe_n(const char *s, size_t len)
{
	struct idc_buf b = IDC_BUF_INIT((size_t)-2);

	safetext_append(&b, s, len);
	return idc_buf_detach(&b, NULL);
}

static void
expect(const char *in, size_t len, const char *want)
{
	char *got = safe_n(in, len);

	assert_string_equal(got, want);
	assert_int_equal(safetext_is_clean(in, len), strcmp(in, want) == 0);
	free(got);
}

#define EXPECT(in, want) expect(in, sizeof(in) - 1, want)

static void
test_plain_text_passes(void **state)
{
	(void)state;
	EXPECT("AdministratorAccess", "AdministratorAccess");
	EXPECT("Account 001 (dev) a\\b 'q' \"x\"",
	    "Account 001 (dev) a\\b 'q' \"x\"");
	/* UTF-8 letters, CJK, emoji. */
	EXPECT("Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
	    "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	EXPECT("", "");
}

static void
test_terminal_sequences_are_escaped(void **state)
{
	(void)state;
	/* CSI (clear screen), OSC (set title, hyperlink), BEL. */
	EXPECT("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H");
	EXPECT("\x1b]0;pwned\x07", "\\x1b]0;pwned\\a");
	EXPECT("\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\",
	    "\\x1b]8;;http://evil\\x1b\\x\\x1b]8;;\\x1b\\");
	/* 8-bit CSI and OSC as UTF-8 C1 code points. */
	EXPECT("\xc2\x9b"
	       "31m",
	    "\\u009b31m");
	EXPECT("\xc2\x9d"
	       "0;t\xc2\x9c",
	    "\\u009d0;t\\u009c");
	EXPECT("a\xc2\x85"
	       "b",
	    "a\\u0085b");
}

static void
test_line_and_column_breakers_are_escaped(void **state)
{
	(void)state;
	EXPECT("x\nidc: login: forged", "x\\nidc: login: forged");
	EXPECT("a\rb\tc", "a\\rb\\tc");
	EXPECT("\a\b\v\f", "\\a\\b\\v\\f");
	EXPECT("del\x7f"
	       "bs\x08",
	    "del\\x7fbs\\b");
	EXPECT("\x01\x1f", "\\x01\\x1f");
	/* U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR. */
	EXPECT("a\xe2\x80\xa8"
	       "b\xe2\x80\xa9",
	    "a\\u2028b\\u2029");
	/* A NUL in the middle of counted text. */
	expect("a\0b", 3, "a\\x00b");
}

static void
test_bidi_controls_are_escaped(void **state)
{
	(void)state;
	/* RIGHT-TO-LEFT OVERRIDE: "txt.exe" shown as "exe.txt". */
	EXPECT("evil\xe2\x80\xaetxt.exe", "evil\\u202etxt.exe");
	EXPECT("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "\\u202a\\u202b\\u202c\\u202d");
	EXPECT("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "\\u2066\\u2067\\u2068\\u2069");
	EXPECT("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c");
}

static void
test_invalid_utf8_is_escaped_per_byte(void **state)
{
	(void)state;
	EXPECT("\xff\xfe", "\\xff\\xfe");
	EXPECT("a\x80z", "a\\x80z");               /* stray continuation */
	EXPECT("\xc3(", "\\xc3(");                 /* missing continuation */
	EXPECT("\xc0\xaf", "\\xc0\\xaf");          /* overlong '/' */
	EXPECT("\xe0\x80\xaf", "\\xe0\\x80\\xaf"); /* overlong, 3 bytes */
	EXPECT("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
	EXPECT("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	/* Cut at the end of the text. */
	EXPECT("ok\xe2\x80", "ok\\xe2\\x80");
	/* A valid sequence after an invalid byte is kept. */
	EXPECT("\xe2\xc3\xa9", "\\xe2\xc3\xa9");
}

static void
test_copy_cuts_at_whole_escape(void **state)
{
	char out[8];

	(void)state;
	assert_string_equal(
	    safetext_copy(out, sizeof out, "ab\ncd"), "ab\\ncd");
	/* "abcd\x1b" needs 8 bytes: the escape does not fit and is dropped
	 * whole, never half-written. */
	assert_string_equal(safetext_copy(out, sizeof out, "abcd\x1b"), "abcd");
	assert_string_equal(safetext_copy(out, 1, "abc"), "");
	assert_null(safetext_dup(NULL));
}

/* No control byte, valid UTF-8, no bidi: what safetext_is_clean checks. */
static void
check_output(const char *in, size_t len)
{
	char *out = safe_n(in, len), *again;
	size_t i, olen = strlen(out);

	for (i = 0; i < olen; i++)
		assert_true((unsigned char)out[i] >= 0x20 &&
		    (unsigned char)out[i] != 0x7f);
	assert_true(safetext_is_clean(out, olen));
	again = safe_n(out, olen);
	assert_string_equal(again, out);
	free(again);
	free(out);
}

static void
test_every_byte_and_pair(void **state)
{
	unsigned char s[3];
	unsigned i, j;

	(void)state;
	for (i = 0; i < 256; i++) {
		s[0] = (unsigned char)i;
		check_output((const char *)s, 1);
		for (j = 0; j < 256; j++) {
			s[1] = (unsigned char)j;
			check_output((const char *)s, 2);
		}
	}
}

static void
test_random_input(void **state)
{
	unsigned char s[64];
	uint32_t x = 2463534242u;
	size_t len, k;
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		len = (size_t)round % sizeof s;
		for (k = 0; k < len; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			/* Mostly bytes around the interesting ranges. */
			s[k] = (unsigned char)(x & 0x8000 ? 0xc0 | (x & 0x3f)
							  : x & 0xff);
		}
		check_output((const char *)s, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_passes),
		cmocka_unit_test(test_terminal_sequences_are_escaped),
		cmocka_unit_test(test_line_and_column_breakers_are_escaped),
		cmocka_unit_test(test_bidi_controls_are_escaped),
		cmocka_unit_test(test_invalid_utf8_is_escaped_per_byte),
		cmocka_unit_test(test_copy_cuts_at_whole_escape),
		cmocka_unit_test(test_every_byte_and_pair),
		cmocka_unit_test(test_random_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
