/* SPDX-License-Identifier: ISC */
/* Words that ask for eyes (eyewords.h): the table, whole words only, the
 * column of each in the source, and the built-ins, which have none. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "builtin.h"
#include "catalog.h"
#include "eyewords.h"
#include "parse.h"
#include "../testhome.h"

/* The eye-words of a text, as "word@off word@off". */
static const char *found(const char *text)
{
	static char buf[256];
	buf[0] = '\0';
	struct eyeword hit;
	for (size_t from = 0; eyewords_next(text, from, &hit); from = hit.off + hit.len) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "%s%s@%zu", n ? " " : "", hit.word, hit.off);
	}
	return buf;
}

static void the_table(void **state)
{
	(void)state;
	assert_string_equal(found("Just follow the bar."), "bar@16");
	assert_string_equal(found("Keep rocking with the BAR, then rest."), "bar@22");
	assert_string_equal(found("Look at the screen"), "look@0 screen@12");
	assert_string_equal(found("Watch the count; see it shrink; read it."), "watch@0 see@17 read@32");
	assert_string_equal(found("the bar's end"), "bar@4");
	assert_string_equal(found("the progress-bar"), "bar@13");
	assert_string_equal(found("Seen from here, shown there."), "seen@0 shown@16");
}

/* Whole words: the words that hold an eye-word are not one. */
static void whole_words_only(void **state)
{
	(void)state;
	assert_string_equal(found("You barely move."), "");
	assert_string_equal(found("Do not overlook the crossbar or the barn."), "");
	assert_string_equal(found("When you are ready, the seesaw is already reading"), "reading@42");
	assert_string_equal(found("Breathe out, a little longer. Seek nothing; seed, seem."), "");
	assert_string_equal(found("screening, watchful, lookout, bread"), "");
	assert_string_equal(found("café bar"), "bar@6");
	assert_string_equal(found("barré"), "");
	assert_string_equal(found(""), "");
}

/* Where each is in the source, as parse errors count: characters, with an
 * escaped quote or backslash two of them. */
static void where_in_the_source(void **state)
{
	(void)state;
	const char src[] = "title \"T\"\n"
			   "say \"Follow the bar.\"\n"
			   "breathe 4-0-4-0 for 1 cycle\n"
			   "guide 10s \"A \\\"word\\\" \\\\ — then look at the screen.\"\n"
			   "silence 5s\n";
	struct parse_result r;
	parse_program(src, sizeof src - 1, "t", &r);
	assert_non_null(r.program);
	struct eyeword_at at[4];
	assert_int_equal(eyewords_in_program(r.program, at, 4), 3);
	assert_int_equal(at[0].line, 2);
	assert_int_equal(at[0].col, 17); /* say "Follow the bar." */
	assert_string_equal(at[0].word, "bar");
	assert_int_equal(at[1].line, 4);
	/* guide 10s "A \"word\" \\ — then look: the quote at 11, the text
	 * from 12; "A " 2, \"word\" 8, " " 1, \\ 2, " — then " 8: 12 + 21 */
	assert_int_equal(at[1].col, 33);
	assert_string_equal(at[1].word, "look");
	assert_int_equal(at[2].col, 45);
	assert_string_equal(at[2].word, "screen");
	/* More than asked for: counted, not written. */
	assert_int_equal(eyewords_in_program(r.program, at, 1), 3);
	program_free(r.program);
}

/* Every built-in is for closed eyes: no spoken line asks for them. */
static void the_builtins_ask_for_no_eyes(void **state)
{
	(void)state;
	for (size_t b = 0; b < builtins_count; b++) {
		char err[512];
		struct program *p = catalog_load(builtins[b].name, err, sizeof err);
		assert_non_null(p);
		struct eyeword_at at[1];
		if (eyewords_in_program(p, at, 1))
			fail_msg("%s:%u:%u: '%s' asks for eyes", builtins[b].name, at[0].line, at[0].col, at[0].word);
		program_free(p);
	}
}

int main(void)
{
	if (!testhome_enter("eyewords"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_table),
		cmocka_unit_test(whole_words_only),
		cmocka_unit_test(where_in_the_source),
		cmocka_unit_test(the_builtins_ask_for_no_eyes),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	testhome_remove();
	return rc;
}
