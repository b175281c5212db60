/* SPDX-License-Identifier: ISC */
/* UTF-8 decoding, the code points kept off the terminal, escaping, edit
 * distance and "did you mean", wrapping by display width. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "statusline.h"
#include "text.h"
#include "util.h"

static void test_decode(void **state)
{
	uint32_t cp;
	assert_int_equal(utf8_decode("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xe2\x80\x94", 3, &cp), 3);
	assert_int_equal(cp, 0x2014);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x8c", 4, &cp), 4);
	assert_int_equal(cp, 0x1F60C);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* invalid: */
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xc0\x80", 2, &cp), 0);        /* overlong NUL */
	assert_int_equal(utf8_decode("\xe0\x80\xaf", 3, &cp), 0);    /* overlong '/' */
	assert_int_equal(utf8_decode("\xf0\x80\x80\xaf", 4, &cp), 0);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);    /* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);/* > U+10FFFF */
	assert_int_equal(utf8_decode("\xf5\x80\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\xff", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x80", 2, &cp), 0);        /* truncated */
	assert_int_equal(utf8_decode("\xe2\x80\x94", 2, &cp), 0);    /* cut by n */
	assert_int_equal(utf8_decode("\xc3\x28", 2, &cp), 0);        /* bad continuation */
}

static void test_forbidden(void **state)
{
	static const uint32_t bad[] = { 0, 7, 9, 10, 13, 0x1B, 0x7F, 0x80, 0x85, 0x9B, 0x9F,
					0x2028, 0x2029, 0x202A, 0x202E, 0x2066, 0x2069 };
	static const uint32_t good[] = { ' ', 'a', '~', 0xA0, 0xE9, 0x2014, 0x200D, 0x3000, 0x1F60C };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_true(text_cp_forbidden(bad[i]));
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_false(text_cp_forbidden(good[i]));
}

static void check_escape(const char *in, size_t n, size_t max, const char *want)
{
	char *got = text_escape(in, n, max);
	assert_string_equal(got, want);
	free(got);
}

static void test_escape(void **state)
{
	check_escape("plain", 5, 64, "plain");
	check_escape("\033[31mred", 8, 64, "\\u{001B}[31mred");
	check_escape("a\0b", 3, 64, "a\\u{0000}b");
	check_escape("caf\xe9", 4, 64, "caf\\xE9");
	check_escape("\xc2\x9b", 2, 64, "\\u{009B}");
	check_escape("Épaule", 7, 64, "Épaule");
	check_escape("abcdef", 6, 3, "abc...");
	check_escape("abc", 3, 3, "abc");
	check_escape("", 0, 3, "");
}

static void test_sanitize(void **state)
{
	char *s = text_sanitize("a\tb\033[2Jc\xff\xe2\x80\xae" "d Épaule");
	assert_string_equal(s, "a b\xEF\xBF\xBD[2Jc\xEF\xBF\xBD\xEF\xBF\xBD" "d Épaule");
	free(s);
}

/* Into a fixed buffer: sanitised the same, cut before a character that does
 * not fit whole (a cut inside one would leave invalid UTF-8 behind). */
static void test_sanitize_into(void **state)
{
	char buf[8];
	assert_int_equal(text_sanitize_into(buf, sizeof buf, "a\033b"), 5);
	assert_string_equal(buf, "a\xEF\xBF\xBD" "b");
	assert_int_equal(text_sanitize_into(buf, sizeof buf, "\033\033\033"), 6);
	assert_string_equal(buf, "\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(text_sanitize_into(buf, sizeof buf, "abcde€"), 5);
	assert_string_equal(buf, "abcde");
	assert_int_equal(text_sanitize_into(buf, sizeof buf, "abcdefÉ"), 6);
	assert_string_equal(buf, "abcdef");
	assert_int_equal(text_sanitize_into(buf, sizeof buf, "abcdefghij"), 7);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(text_sanitize_into(buf, 1, "abc"), 0);
	assert_string_equal(buf, "");
	assert_int_equal(text_sanitize_into(buf, 0, "abc"), 0);
}

static void test_edit_distance(void **state)
{
	assert_int_equal(text_edit_distance("", ""), 0);
	assert_int_equal(text_edit_distance("breathe", "breathe"), 0);
	assert_int_equal(text_edit_distance("breath", "breathe"), 1);
	assert_int_equal(text_edit_distance("gide", "guide"), 1);
	assert_int_equal(text_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(text_edit_distance("", "abc"), 3);
	assert_int_equal(text_edit_distance("sya", "say"), 1);
	assert_int_equal(text_edit_distance("winddwon", "winddown"), 1);
	assert_int_equal(text_edit_distance("ca", "abc"), 3);
	char big[100];
	memset(big, 'a', 99);
	big[99] = '\0';
	assert_int_equal(text_edit_distance(big, "a"), 255);
}

static void test_did_you_mean(void **state)
{
	static const char *const words[] = { "guide", "breathe", "silence", "say", "sound", NULL };
	assert_string_equal(text_did_you_mean("gide", words), "guide");
	assert_string_equal(text_did_you_mean("breath", words), "breathe");
	assert_string_equal(text_did_you_mean("silense", words), "silence");
	assert_string_equal(text_did_you_mean("sya", words), "say"); /* a swap is one edit */
	assert_string_equal(text_did_you_mean("braethe", words), "breathe");
	assert_null(text_did_you_mean("xyzzy", words));
	assert_null(text_did_you_mean("sleep", words));
	assert_null(text_did_you_mean("", words));
}

struct lines {
	char out[10][64];
	size_t n;
};

static void collect(const char *start, size_t bytes, void *ctx)
{
	struct lines *l = ctx;
	if (l->n < 10) {
		memcpy(l->out[l->n], start, bytes < 63 ? bytes : 63);
		l->out[l->n][bytes < 63 ? bytes : 63] = '\0';
	}
	l->n++;
}

static void test_wrap(void **state)
{
	struct lines l = { .n = 0 };
	assert_int_equal(text_wrap("Let your shoulders drop away from your ears", 16, collect, &l), 4);
	assert_string_equal(l.out[0], "Let your");
	assert_string_equal(l.out[1], "shoulders drop");
	assert_string_equal(l.out[2], "away from your");
	assert_string_equal(l.out[3], "ears");
	memset(&l, 0, sizeof l);
	text_wrap("Let your shoulders drop away from your ears", 19, collect, &l);
	assert_string_equal(l.out[2], "ears");
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("abcdefghij", 4, collect, &l), 3);
	assert_string_equal(l.out[0], "abcd");
	assert_string_equal(l.out[2], "ij");
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("   ", 4, collect, &l), 0);
	memset(&l, 0, sizeof l);
	/* Wide characters take two columns. */
	assert_int_equal(text_wrap("肩肩肩 肩", 4, collect, &l), 3);
	assert_string_equal(l.out[0], "肩肩");
	assert_string_equal(l.out[1], "肩");
	assert_string_equal(l.out[2], "肩");
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("肩", 1, collect, &l), 1); /* wider than the width */
	assert_int_equal(text_width("Épaule 肩"), 9);
}

/* What a screen shows is what text_sanitize() lets through: the same
 * replacements, one wide character each, cut at whole characters. */
static void test_widen(void **state)
{
	(void)state;
	wchar_t w[32];
	size_t width;
	/* ESC, a C1 CSI (U+009B), an RLO (U+202E), a stray byte, a TAB. */
	const char *in = "a\x1b[31mb\xc2\x9b" "c\xe2\x80\xae" "d\xff\te";
	size_t n = text_widen(in, 100, w, 32, &width);
	const wchar_t want[] = { L'a', 0xFFFD, L'[', L'3', L'1', L'm', L'b', 0xFFFD, L'c', 0xFFFD,
				 L'd', 0xFFFD, L' ', L'e', 0 };
	assert_int_equal(n, 14);
	assert_memory_equal(w, want, sizeof want);
	assert_int_equal(width, 14);
	/* The width is the one text_width() gives, and a bidi control counts. */
	assert_int_equal(text_width(in), 14);
	assert_int_equal(text_width("\xe2\x80\xae"), 1);
	/* Cut by columns, never inside a character: "é" is two bytes, one column. */
	n = text_widen("\xc3\xa9t\xc3\xa9", 2, w, 32, &width);
	assert_int_equal(n, 2);
	assert_int_equal(width, 2);
	assert_true(w[0] == 0xE9 && w[1] == L't' && w[2] == 0);
	/* A wide character that would straddle the limit stays out. */
	n = text_widen("a\xe6\x97\xa5", 2, w, 32, &width);
	assert_int_equal(n, 1);
	assert_int_equal(width, 1);
	/* The buffer bounds it too. */
	n = text_widen("abcdef", 100, w, 4, &width);
	assert_int_equal(n, 3);
	assert_true(w[3] == 0);
	/* In a locale that is not UTF-8, anything beyond ASCII is '?'. */
	char *saved = strdup(setlocale(LC_CTYPE, NULL));
	if (setlocale(LC_CTYPE, "C")) {
		n = text_widen("\xc3\xa9\xe2\x80\xae!", 10, w, 32, &width);
		assert_int_equal(n, 3);
		assert_true(w[0] == L'?' && w[1] == L'?' && w[2] == L'!');
	}
	setlocale(LC_CTYPE, saved);
	free(saved);
}

static void test_prefix(void **state)
{
	(void)state;
	assert_int_equal(text_prefix("winddown", 4), 4);
	assert_int_equal(text_prefix("winddown", 40), 8);
	assert_int_equal(text_prefix("\xc3\xa9\xc3\xa9\xc3\xa9", 2), 4); /* two of "ééé" */
	assert_int_equal(text_prefix("\xe6\x97\xa5\xe6\x97\xa5", 3), 3); /* one of two wide ones */
	assert_int_equal(text_prefix("", 3), 0);
}

/* Shortened at a word with an ellipsis, never inside one. */
static void test_shorten(void **state)
{
	(void)state;
	char out[128];
	assert_true(text_shorten("Breathe in", 10, out, sizeof out));
	assert_string_equal(out, "Breathe in");
	assert_false(text_shorten("Breathe in slowly", 12, out, sizeof out));
	assert_string_equal(out, "Breathe in\xE2\x80\xA6");
	/* Exactly as wide as the words plus the ellipsis. */
	assert_false(text_shorten("Breathe in slowly", 11, out, sizeof out));
	assert_string_equal(out, "Breathe in\xE2\x80\xA6");
	assert_false(text_shorten("Breathe in slowly", 10, out, sizeof out));
	assert_string_equal(out, "Breathe\xE2\x80\xA6");
	/* A comma before the cut goes: "Settle, let go" at 8 is "Settle…". */
	assert_false(text_shorten("Settle, let go", 8, out, sizeof out));
	assert_string_equal(out, "Settle\xE2\x80\xA6");
	/* A first word too wide leaves the ellipsis; no room, nothing. */
	assert_false(text_shorten("Shoulders", 4, out, sizeof out));
	assert_string_equal(out, "\xE2\x80\xA6");
	assert_false(text_shorten("Shoulders", 0, out, sizeof out));
	assert_string_equal(out, "");
	/* Wide characters count by columns. */
	assert_false(text_shorten("\xE6\x97\xA5\xE6\x9C\xAC \xE8\xAA\x9E", 5, out, sizeof out));
	assert_string_equal(out, "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
	/* Narrow enough but too many bytes: 100 x U+1D400 (4 bytes, 1 column
	 * each) into 320 bytes once ended in F0 9D 90, a cut character. Now it
	 * is shortened like any text too long: at a word, with the ellipsis. */
	char bold[100 * 4 + 1], big[320];
	for (size_t i = 0; i < 100; i++)
		memcpy(bold + 4 * i, "\xF0\x9D\x90\x80", 4);
	bold[400] = '\0';
	assert_false(text_shorten(bold, 100, big, sizeof big));
	assert_string_equal(big, "\xE2\x80\xA6");
	/* With spaces, words of nine such characters (37 bytes with their
	 * space): eight whole words fit in 320 bytes with the ellipsis. */
	size_t k = 0;
	for (size_t i = 0; i < 100; i++) {
		if (i % 10 == 9) {
			bold[k++] = ' ';
		} else {
			memcpy(bold + k, "\xF0\x9D\x90\x80", 4);
			k += 4;
		}
	}
	bold[k] = '\0';
	assert_false(text_shorten(bold, 400, big, sizeof big));
	assert_int_equal(strlen(big), 8 * 37 - 1 + 3);
	assert_memory_equal(big, bold, 8 * 37 - 1);
	assert_string_equal(big + 8 * 37 - 1, "\xE2\x80\xA6");
	/* Where the locale is not UTF-8, three dots. */
	char *saved = strdup(setlocale(LC_CTYPE, NULL));
	if (setlocale(LC_CTYPE, "C")) {
		assert_false(text_shorten("Breathe in slowly", 12, out, sizeof out));
		assert_string_equal(out, "Breathe...");
	}
	setlocale(LC_CTYPE, saved);
	free(saved);
}

/* Wrapped into a box: text left over ends the last line at a word. */
static void test_wrap_fit(void **state)
{
	(void)state;
	char lines[3][TEXT_LINE_MAX];
	assert_int_equal(text_wrap_fit("Let the shoulders drop", 12, lines, 3), 3);
	assert_string_equal(lines[0], "Let the");
	assert_string_equal(lines[1], "shoulders");
	assert_string_equal(lines[2], "drop");
	assert_int_equal(text_wrap_fit("Let the shoulders drop away from the ears", 12, lines, 2), 2);
	assert_string_equal(lines[0], "Let the");
	assert_string_equal(lines[1], "shoulders\xE2\x80\xA6");
	assert_int_equal(text_wrap_fit("", 12, lines, 2), 0);
	assert_int_equal(text_wrap_fit("one two", 20, lines, 0), 0);
	/* A line longer than a copy holds is cut before a character. */
	char longer[TEXT_LINE_MAX * 2 + 1];
	for (size_t i = 0; i + 2 < sizeof longer; i += 2)
		memcpy(longer + i, "\xC3\xA9", 2); /* é */
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(text_wrap_fit(longer, 1000, lines, 1), 1);
	assert_true(strlen(lines[0]) < TEXT_LINE_MAX && strlen(lines[0]) % 2 == 0);
}

/* Under a locale that is not UTF-8, lull's own marks in ASCII (they showed
 * as '?': "0?10", "Enter ? Enter alone skips"); other characters kept. */
static void test_ascii_marks(void **state)
{
	(void)state;
	char out[128];
	assert_true(text_ascii_marks("0 very poorly \u2026 10 very well \u00b7 Enter skips", out, sizeof out));
	assert_string_equal(out, "0 very poorly ... 10 very well - Enter skips");
	assert_true(text_ascii_marks("How tense, 0\u201310? \u2014 \u2018a\u2019 \u201cb\u201d \u2192", out, sizeof out));
	assert_string_equal(out, "How tense, 0-10? - 'a' \"b\" ->");
	/* The status line's two defaults are one text. */
	assert_true(text_ascii_marks(STATUS_DEFAULT_FORMAT, out, sizeof out));
	assert_string_equal(out, STATUS_DEFAULT_FORMAT_ASCII);
	/* Anything else whole, invalid bytes too. */
	assert_true(text_ascii_marks("caf\u00e9 \xff", out, sizeof out));
	assert_string_equal(out, "caf\u00e9 \xff");
	/* Cut where it does not fit, never inside a mark or a character. */
	assert_false(text_ascii_marks("ab\u2026", out, 5));
	assert_string_equal(out, "ab");
	assert_false(text_ascii_marks("a\u00e9", out, 3));
	assert_string_equal(out, "a");
	assert_false(text_ascii_marks("x", out, 0));
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_forbidden),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_into),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_widen),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_shorten),
		cmocka_unit_test(test_ascii_marks),
		cmocka_unit_test(test_wrap_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
