/* SPDX-License-Identifier: ISC */
/* Terminal notifications: which sequence a terminal speaks, and its bytes,
 * plain and wrapped for tmux. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "termnotify.h"

static void test_parse(void **state)
{
	(void)state;
	bool a;
	enum termnotify_kind k;
	assert_true(termnotify_parse("auto", &a, &k));
	assert_true(a);
	assert_true(termnotify_parse("777", &a, &k));
	assert_false(a);
	assert_int_equal(k, TERMNOTIFY_OSC777);
	assert_true(termnotify_parse("99", &a, &k));
	assert_int_equal(k, TERMNOTIFY_OSC99);
	assert_true(termnotify_parse("off", &a, &k));
	assert_int_equal(k, TERMNOTIFY_NONE);
	assert_false(termnotify_parse("on", &a, &k));
	assert_false(termnotify_parse("", &a, &k));
	assert_string_equal(termnotify_name(TERMNOTIFY_OSC9), "OSC 9");
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(termnotify_detect("xterm-kitty", NULL, NULL, NULL), TERMNOTIFY_OSC99);
	assert_int_equal(termnotify_detect("tmux-256color", "tmux", NULL, "3"), TERMNOTIFY_OSC99);
	assert_int_equal(termnotify_detect("xterm-256color", "iTerm.app", NULL, NULL), TERMNOTIFY_OSC9);
	assert_int_equal(termnotify_detect("tmux-256color", "tmux", "iTerm2", NULL), TERMNOTIFY_OSC9);
	assert_int_equal(termnotify_detect("foot", NULL, NULL, NULL), TERMNOTIFY_OSC777);
	assert_int_equal(termnotify_detect("foot-direct", NULL, NULL, NULL), TERMNOTIFY_OSC777);
	assert_int_equal(termnotify_detect("xterm-256color", "WezTerm", NULL, NULL), TERMNOTIFY_OSC777);
	assert_int_equal(termnotify_detect("rxvt-unicode-256color", NULL, NULL, NULL), TERMNOTIFY_OSC777);
	/* Unknown, or tmux with nothing about the outer terminal: none. */
	assert_int_equal(termnotify_detect("xterm-256color", NULL, NULL, NULL), TERMNOTIFY_NONE);
	assert_int_equal(termnotify_detect("tmux-256color", "tmux", NULL, NULL), TERMNOTIFY_NONE);
	assert_int_equal(termnotify_detect(NULL, NULL, NULL, ""), TERMNOTIFY_NONE);
}

static void test_format(void **state)
{
	(void)state;
	char b[256];
	assert_int_equal(termnotify_format(TERMNOTIFY_OSC777, false, "lull", "Time to wind down", b, sizeof b),
			 strlen("\033]777;notify;lull;Time to wind down\033\\"));
	assert_string_equal(b, "\033]777;notify;lull;Time to wind down\033\\");
	termnotify_format(TERMNOTIFY_OSC9, false, "lull", "Rest", b, sizeof b);
	assert_string_equal(b, "\033]9;Rest\033\\");
	termnotify_format(TERMNOTIFY_OSC99, false, "lull", "Rest", b, sizeof b);
	assert_string_equal(b, "\033]99;;Rest\033\\");
	/* The title's ';' would start another field. */
	termnotify_format(TERMNOTIFY_OSC777, false, "a;b", "c", b, sizeof b);
	assert_string_equal(b, "\033]777;notify;a,b;c\033\\");
	/* For tmux: wrapped, every ESC of the sequence doubled. */
	termnotify_format(TERMNOTIFY_OSC9, true, "lull", "Rest", b, sizeof b);
	assert_string_equal(b, "\033Ptmux;\033\033]9;Rest\033\033\\\033\\");
	/* Nothing, or not all of it: nothing. */
	assert_int_equal(termnotify_format(TERMNOTIFY_NONE, false, "t", "b", b, sizeof b), 0);
	assert_string_equal(b, "");
	assert_int_equal(termnotify_format(TERMNOTIFY_OSC9, true, "lull", "Rest", b, 10), 0);
	assert_string_equal(b, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
