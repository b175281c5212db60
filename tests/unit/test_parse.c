/* SPDX-License-Identifier: ISC */
/* The session parser: every construct, every kind of error with its exact
 * line and column, the limits, and the round trip text -> program -> text for
 * every built-in. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "parse.h"
#include "util.h"

static struct parse_result R;

static void dump(void)
{
	for (size_t i = 0; i < R.nerrors; i++)
		print_message("  %u:%u: %s\n", R.errors[i].line, R.errors[i].col, R.errors[i].msg);
}

static struct program *parse_n(const char *text, size_t len)
{
	parse_program(text, len, "t", &R);
	return R.program;
}

static struct program *ok(const char *text)
{
	struct program *p = parse_n(text, strlen(text));
	if (!p) {
		print_message("unexpected errors for:\n%s\n", text);
		dump();
	}
	assert_non_null(p);
	assert_int_equal(R.nerrors, 0);
	return p;
}

static void bad_n(const char *text, size_t len, unsigned line, unsigned col, const char *want)
{
	struct program *p = parse_n(text, len);
	if (p)
		program_free(p);
	assert_null(p);
	assert_true(R.nerrors >= 1);
	if (R.errors[0].line != line || R.errors[0].col != col || !strstr(R.errors[0].msg, want)) {
		print_message("for: %s\nwant %u:%u: ...%s...\ngot:\n", text, line, col, want);
		dump();
		fail();
	}
}

static void bad(const char *text, unsigned line, unsigned col, const char *want)
{
	bad_n(text, strlen(text), line, col, want);
}

/* ------------------------------------------------------------ the header */

static void test_header(void **state)
{
	struct program *p = ok("# a comment\n"
			       "title       \"Neck, gently\"\n"
			       "description \"Tilts and turns.\"  # trailing comment\n"
			       "tags        tension stretch\n"
			       "safety      \"Stop if it hurts.\"\n"
			       "length      12m30s\n"
			       "chime       on\n"
			       "follow      on\n"
			       "\n"
			       "guide 5s \"Rest.\"\n");
	assert_string_equal(p->name, "t");
	assert_string_equal(p->title, "Neck, gently");
	assert_string_equal(p->description, "Tilts and turns.");
	assert_int_equal(p->tags, TAG_TENSION | TAG_STRETCH);
	assert_int_equal(p->purpose, TAG_TENSION); /* the first tag named */
	assert_string_equal(p->safety, "Stop if it hurts.");
	assert_int_equal(p->tags, TAG_TENSION | TAG_STRETCH);
	assert_true(p->estimate_s == 750);
	assert_false(p->chime_off);
	assert_true(p->follow);
	assert_int_equal(p->nsteps, 1);
	program_free(p);

	p = ok("guide 5s \"Rest.\"\n");
	assert_null(p->title);
	assert_null(p->description);
	assert_null(p->safety);
	assert_int_equal(p->tags, 0);
	assert_false(p->chime_off); /* not said: the tones are on */
	assert_false(p->follow);
	program_free(p);

	p = ok("chime off\nfollow off\nguide 5s \"x\"\n");
	assert_true(p->chime_off);
	assert_false(p->follow);
	program_free(p);
}

static void test_header_errors(void **state)
{
	bad("guide 5s \"a\"\ntitle \"late\"\n", 2, 1, "'title' belongs to the header, before the first step (line 1)");
	bad("title \"a\"\ntitle \"b\"\nguide 5s \"a\"\n", 2, 1, "'title' was already given on line 1");
	bad("title a\n", 1, 7, "expected the title in double quotes");
	bad("title\n", 1, 6, "found the end of the line");
	bad("title \"a\" \"b\"\n", 1, 11, "expected the end of the line after the text, found the text \"b\"");
	bad("tags sleep slep\n", 1, 12, "unknown tag 'slep'; did you mean 'sleep'?");
	bad("tags\n", 1, 5, "expected one or more tags");
	bad("tags xyzzy\n", 1, 6, "expected a tag (sleep, tension, stretch, breathing), found 'xyzzy'");
	bad("length 15\n", 1, 8, "expected the length with a unit");
	bad("length 0s\n", 1, 8, "the length must be longer than 0s");
	bad("chime on please\n", 1, 10, "expected the end of the line after on or off");
	bad("follow maybe\n", 1, 8, "expected 'on' or 'off' after 'follow', found 'maybe'");
	bad("guide 5s \"a\"\nchime on\n", 2, 1, "'chime' belongs to the header");
	char title[200];
	memset(title, 'a', sizeof title);
	char *text = xasprintf("title \"%.81s\"\nguide 5s \"x\"\n", title);
	bad(text, 1, 7, "the title is too long: 81 characters, at most 80");
	free(text);
	bad("description \"  \"\n", 1, 13, "the description is empty");
}

/* ------------------------------------------------------------- durations */

static double duration_of(const char *d)
{
	char *text = xasprintf("silence %s\n", d);
	struct program *p = ok(text);
	double s = p->steps[0].u.guide.seconds;
	program_free(p);
	free(text);
	return s;
}

static void test_durations(void **state)
{
	assert_true(duration_of("45s") == 45);
	assert_true(duration_of("2m") == 120);
	assert_true(duration_of("1m30s") == 90);
	assert_true(duration_of("1h") == 3600);
	assert_true(duration_of("1h2m3s") == 3723);
	assert_true(duration_of("1h30s") == 3630);
	assert_true(duration_of("2.5s") == 2.5);
	assert_true(duration_of("1.5m") == 90);
	assert_true(duration_of("0.125s") == 0.125);
	assert_true(duration_of("24h") == 86400);
	assert_true(duration_of("000045s") == 45);

	bad("silence 45\n", 1, 9, "expected the length of the silence with a unit (s, m or h) after the number, as in 45s or 2m, found '45'");
	bad("silence 1m30\n", 1, 9, "with a unit");
	bad("silence s\n", 1, 9, "as in 45s, 2m or 1m30s");
	bad("silence 1x\n", 1, 9, "units: h, m, s");
	bad("silence 30s2m\n", 1, 9, "with the units in the order h, m, s");
	bad("silence 2m2m\n", 1, 9, "with the units in the order h, m, s");
	bad("silence 1.2345s\n", 1, 9, "as in 45s");
	bad("silence 1.s\n", 1, 9, "as in 45s");
	bad("silence .5s\n", 1, 9, "as in 45s");
	bad("silence 1234567s\n", 1, 9, "as in 45s");
	bad("silence 24h1s\n", 1, 9, "the length of the silence '24h1s' is longer than 24 hours");
	bad("silence 999999h\n", 1, 9, "longer than 24 hours");
	bad("silence 0s\n", 1, 9, "the length of the silence must be longer than 0s");
	bad("silence 0.0001s\n", 1, 9, "as in 45s");
	/* Bare, it keeps the next step quiet on purpose: there must be one. */
	bad("guide 5s \"a\"\nsilence\n", 2, 1, "'silence' without a duration keeps the next step quiet after its words, "
	    "but no step follows it (for a pause, give its length: silence 30s)");
	bad("silence \"5s\"\n", 1, 9, "found the text \"5s\"");
	bad("silence 5s 5s\n", 1, 12, "expected the end of the line after the duration, found '5s'");
}

static void test_format_duration(void **state)
{
	char b[64];
	static const struct {
		double s;
		const char *want;
	} cases[] = {
		{ 0, "0s" }, { 45, "45s" }, { 60, "1m" }, { 90, "1m30s" }, { 3600, "1h" },
		{ 3661.5, "1h1m1.5s" }, { 0.25, "0.25s" }, { 86400, "24h" }, { 7200.001, "2h0.001s" },
		{ 59.9999, "1m" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parse_format_duration(cases[i].s, b, sizeof b);
		assert_string_equal(b, cases[i].want);
	}
	parse_format_duration(3661.5, b, 4);
	assert_int_equal(strlen(b), 3);
}

/* -------------------------------------------------------------- patterns */

static void test_breathe(void **state)
{
	struct program *p = ok("breathe 4-7-8 for 4 cycles\n"
			       "breathe 4-0-6-0 for 2m\n"
			       "breathe 5.5-0-5.5-0 for 1 cycle\n"
			       "breathe 4-0-6-0 to 4-0-8-0 for 10m\n"
			       "breathe 4-0-6 to 4-0-8 for 6 cycles  # ramp by cycles\n");
	assert_int_equal(p->nsteps, 5);
	const struct step_breathe *b = &p->steps[0].u.breathe;
	assert_int_equal(p->steps[0].kind, STEP_BREATHE);
	assert_int_equal(p->steps[0].line, 1);
	assert_true(b->from.phase[0] == 4 && b->from.phase[1] == 7 && b->from.phase[2] == 8 && b->from.phase[3] == 0);
	assert_int_equal(b->cycles, 4);
	assert_false(b->ramp);
	assert_true(b->seconds == 0);
	b = &p->steps[1].u.breathe;
	assert_int_equal(b->cycles, 0);
	assert_true(b->seconds == 120);
	b = &p->steps[2].u.breathe;
	assert_true(b->from.phase[0] == 5.5 && b->from.phase[2] == 5.5);
	assert_int_equal(b->cycles, 1);
	b = &p->steps[3].u.breathe;
	assert_true(b->ramp);
	assert_true(b->to.phase[2] == 8);
	assert_true(b->from.phase[2] == 6);
	assert_true(b->seconds == 600);
	b = &p->steps[4].u.breathe;
	assert_true(b->ramp);
	assert_int_equal(b->cycles, 6);
	assert_int_equal(p->steps[4].line, 5);
	program_free(p);
}

static void test_breathe_errors(void **state)
{
	const char *pat = "expected a breathing pattern in seconds";
	bad("breathe 4-7 for 2m\n", 1, 9, pat);
	bad("breathe 4-7-8-0-1 for 2m\n", 1, 9, pat);
	bad("breathe 4--8 for 2m\n", 1, 9, pat);
	bad("breathe a-b-c for 2m\n", 1, 9, pat);
	bad("breathe 4-7-8- for 2m\n", 1, 9, pat);
	bad("breathe for 2m\n", 1, 9, "found 'for'");
	bad("breathe\n", 1, 8, "found the end of the line");
	bad("breathe 4-0-61-0 for 2m\n", 1, 13, "a phase of a breath lasts at most 60 seconds, found 61");
	bad("breathe 0-0-6-0 for 2m\n", 1, 9, "the inhale and the exhale last at least 0.5 seconds each");
	bad("breathe 4-0-0.4-0 for 2m\n", 1, 9, "at least 0.5 seconds");
	bad("breathe 4-7-8 4 cycles\n", 1, 15, "expected 'for' and how long, as in 'for 2m' or 'for 6 cycles', or 'to' and a second pattern, found '4'");
	bad("breathe 4-7-8 to 4-7-9 4 cycles\n", 1, 24, "expected 'for' and how long, as in 'for 2m' or 'for 6 cycles', found '4'");
	bad("breathe 4-7-8 to for 2m\n", 1, 18, pat);
	bad("breathe 4-7-8 for 4 breaths\n", 1, 21, "expected 'cycles' after the number");
	bad("breathe 4-7-8 for 4\n", 1, 20, "expected 'cycles' after the number (as in 'for 6 cycles'), or a unit (as in 'for 6m'), found the end of the line");
	bad("breathe 4-7-8 for 0 cycles\n", 1, 19, "expected a number of cycles from 1 to 10000, found '0'");
	bad("breathe 4-7-8 for 10001 cycles\n", 1, 19, "from 1 to 10000");
	bad("breathe 4-7-8 for 1234567 cycles\n", 1, 19, "from 1 to 10000");
	bad("breathe 4-7-8 for x cycles\n", 1, 19, "from 1 to 10000, found 'x'");
	bad("breathe 4-7-8 for 4 cycles now\n", 1, 28, "expected the end of the line after the breathing block, found 'now'");
	bad("breathe 4-7-8 for 1m30\n", 1, 19, "expected the breathing time with a unit (s, m or h) after the number");
	bad("breathe 4-7-8 for\n", 1, 18, "expected the breathing time as in 45s");
	bad("breathe 4-7-8 for 25h\n", 1, 19, "longer than 24 hours");
	bad("breathe 60-60-60-60 for 10000 cycles\n", 1, 1, "this breathing block would last more than 24 hours");
}

/* ----------------------------------------------------------------- steps */

static void test_steps(void **state)
{
	struct program *p = ok("sound rain 50% fade 10s\n"
			       "sound ocean 0.25\n"
			       "guide 5s \"Lift the shoulders.\"\n"
			       "guide 15s \"Let them drop.\" breathe 4-0-6-0\n"
			       "say \"Slowly.\"\n"
			       "breathe 4-0-6-0 for 1m\n"
			       "chime\n"
			       "chime bowl\n"
			       "chime chime\n"
			       "silence 30s\n"
			       "sound rain off fade 5s\n"
			       "sound brown off\n"
			       "volume 40% fade 3s\n"
			       "volume 1\n"
			       "fadeout 1m\n"
			       "fadeout 0s\n");
	assert_int_equal(p->nsteps, 16);
	const struct step *s = p->steps;
	assert_int_equal(s[0].kind, STEP_SOUND);
	assert_int_equal(s[0].u.sound.action, SOUND_LAYER_ON);
	assert_string_equal(s[0].u.sound.name, "rain");
	assert_true(s[0].u.sound.volume == 0.5f);
	assert_true(s[0].u.sound.fade_s == 10);
	assert_true(s[1].u.sound.volume == 0.25f);
	assert_true(s[1].u.sound.fade_s == 0);
	assert_int_equal(s[2].kind, STEP_GUIDE);
	assert_string_equal(s[2].u.guide.text, "Lift the shoulders.");
	assert_true(s[2].u.guide.seconds == 5);
	assert_false(s[2].u.guide.has_breath_cue);
	assert_true(s[3].u.guide.has_breath_cue);
	assert_true(s[3].u.guide.cue.phase[2] == 6);
	assert_int_equal(s[4].kind, STEP_SAY);
	assert_string_equal(s[4].u.say, "Slowly.");
	assert_int_equal(s[6].kind, STEP_CHIME);
	assert_null(s[6].u.chime);
	assert_string_equal(s[7].u.chime, "bowl");
	assert_null(s[8].u.chime);
	assert_int_equal(s[9].kind, STEP_SILENCE);
	assert_true(s[9].u.guide.seconds == 30);
	assert_int_equal(s[10].u.sound.action, SOUND_LAYER_OFF);
	assert_string_equal(s[10].u.sound.name, "rain");
	assert_true(s[10].u.sound.fade_s == 5);
	assert_int_equal(s[11].u.sound.action, SOUND_LAYER_OFF);
	assert_int_equal(s[12].u.sound.action, SOUND_VOLUME);
	assert_null(s[12].u.sound.name);
	assert_true(s[12].u.sound.volume == 0.4f);
	assert_true(s[13].u.sound.volume == 1.0f);
	assert_int_equal(s[14].u.sound.action, SOUND_FADE_OUT);
	assert_true(s[14].u.sound.fade_s == 60);
	assert_true(s[15].u.sound.fade_s == 0);
	program_free(p);
}

static void test_step_errors(void **state)
{
	bad("guide 5s\n", 1, 9, "expected the instruction in double quotes");
	bad("guide \"Rest.\" 5s\n", 1, 7, "expected the step's duration as in 45s");
	bad("guide 5s \"Rest.\" 4-0-6-0\n", 1, 18, "or 'breathe' and a pattern");
	bad("guide 5s \"Rest.\" breathe\n", 1, 25, "expected a breathing pattern");
	bad("guide 5s \"Rest.\" breathe 4-0-6-0 more\n", 1, 34, "expected the end of the line after the breathing cue");
	bad("say Slowly\nbreathe 4-0-6-0 for 1m\n", 1, 5, "expected the guidance line in double quotes");
	bad("say \"Slowly.\"\nguide 5s \"a\"\n", 1, 1, "'say' shows its line during the next breathing block, but no 'breathe' line follows it");
	bad("chime gong\nguide 5s \"a\"\n", 1, 7, "expected a cue (chime or bowl) or the end of the line, found 'gong'");
	bad("chime bowel\nguide 5s \"a\"\n", 1, 7, "unknown cue 'bowel'; did you mean 'bowl'?");
	bad("chime bowl now\nguide 5s \"a\"\n", 1, 12, "after the cue");
	bad("silence 5s\nsound\n", 2, 6, "expected the name of a sound layer");
	bad("silence 5s\nsound off\n", 2, 7, "expected the name of a sound layer");
	bad("silence 5s\nsound ra!n 50%\n", 2, 7, "expected the name of a sound layer");
	bad("silence 5s\nsound rain\n", 2, 11, "expected a volume (0 to 1, or a percentage like 60%) or 'off'");
	bad("silence 5s\nsound rain 1.5\n", 2, 12, "expected a volume from 0 to 1 or a percentage like 60%, found '1.5'");
	bad("silence 5s\nsound rain 101%\n", 2, 12, "percentage");
	bad("silence 5s\nsound rain 60\n", 2, 12, "found '60'");
	bad("silence 5s\nsound rain 60%%\n", 2, 12, "found '60%%'");
	bad("silence 5s\nsound rain 60% fade\n", 2, 20, "expected the fade time as in 45s");
	bad("silence 5s\nsound rain 60% fade 2x\n", 2, 21, "expected the fade time");
	bad("silence 5s\nsound rain 60% slowly\n", 2, 16, "expected the end of the line or 'fade' and a duration, found 'slowly'");
	bad("silence 5s\nsound rain off fade 1s x\n", 2, 24, "after the fade time");
	bad("silence 5s\nvolume\n", 2, 7, "expected a volume");
	bad("silence 5s\nvolume loud\n", 2, 8, "found 'loud'");
	bad("silence 5s\nfadeout\n", 2, 8, "expected the fade time");
	bad("silence 5s\nfadeout 25h\n", 2, 9, "longer than 24 hours");
	bad("\"Rest.\" guide 5s\n", 1, 1, "expected a keyword (such as guide, breathe, say), found the text \"Rest.\"");
	bad("guide 5s \"   \"\n", 1, 10, "the instruction is empty");
	char *long_text = xmalloc(600);
	memset(long_text, 'a', 599);
	long_text[599] = '\0';
	char *text = xasprintf("guide 5s \"%s\"\n", long_text);
	bad(text, 1, 10, "the instruction is too long: 599 characters, at most 500");
	free(text);
	free(long_text);
}

static void test_unknown_keywords(void **state)
{
	bad("breath 4-7-8 for 4 cycles\n", 1, 1, "unknown keyword 'breath'; did you mean 'breathe'?");
	bad("  gide 5s \"a\"\n", 1, 3, "unknown keyword 'gide'; did you mean 'guide'?");
	bad("silense 5s\n", 1, 1, "did you mean 'silence'?");
	bad("descripton \"x\"\n", 1, 1, "did you mean 'description'?");
	bad("fade-out 1m\n", 1, 1, "did you mean 'fadeout'?");
	bad("Guide 5s \"a\"\n", 1, 1, "did you mean 'guide'?");
	bad("xyzzy\n", 1, 1, "unknown keyword 'xyzzy' (see lull-session(5))");
	bad("pause 5s\n", 1, 1, "unknown keyword 'pause'");
	/* A very long word is cut in the message, not echoed whole. */
	char *w = xmalloc(300);
	memset(w, 'z', 299);
	w[299] = '\0';
	char *text = xasprintf("%s\n", w);
	bad(text, 1, 1, "unknown keyword 'zzzzzzzzzzzzzzzzzzzzzzzz...'");
	free(text);
	free(w);
}

/* ------------------------------------------------------------- the text */

static void test_text_and_comments(void **state)
{
	struct program *p = ok("title \"Say \\\"yes\\\" \\\\ no\"\n"
			       "guide 5s \"a # not a comment\"   # a comment\n"
			       "guide 5s \"tab\there\"\n"
			       "guide 5s \"Épaules — détendues 肩\"\n"
			       "   # indented comment\n"
			       "\t\n"
			       "guide\t5s\t\"tabs between words\"\n");
	assert_string_equal(p->title, "Say \"yes\" \\ no");
	assert_string_equal(p->steps[0].u.guide.text, "a # not a comment");
	assert_string_equal(p->steps[1].u.guide.text, "tab here");
	assert_string_equal(p->steps[2].u.guide.text, "Épaules — détendues 肩");
	assert_int_equal(p->nsteps, 4);
	assert_int_equal(p->steps[3].line, 7);
	program_free(p);

	bad("guide 5s \"a\\nb\"\n", 1, 12, "unknown escape in text");
	bad("guide 5s \"a\\\n", 1, 12, "unterminated text: a '\\' at the end of the line");
	bad("guide 5s \"abc\n", 1, 10, "unterminated text: expected a closing '\"'");
	bad("title \"x\"\n\nguide 5s \"abc\n", 3, 10, "unterminated text");
	/* Columns count characters, not bytes. */
	bad("say \"Épaules—bas\"  extra\nbreathe 4-0-6-0 for 1m\n", 1, 20, "found 'extra'");
	bad("guide 5s \"肩肩\" x\n", 1, 15, "found 'x'");
}

static void test_line_endings_and_bom(void **state)
{
	struct program *p = ok("title \"CRLF\"\r\nguide 5s \"Rest.\"\r\n");
	assert_string_equal(p->title, "CRLF");
	program_free(p);
	p = ok("\xEF\xBB\xBFguide 5s \"BOM\"\n");
	assert_string_equal(p->steps[0].u.guide.text, "BOM");
	program_free(p);
	p = ok("guide 5s \"no final newline\"");
	program_free(p);
	bad("guide 5s \"a\rb\"\n", 1, 12, "control character U+000D not allowed");
	/* A BOM anywhere else is an ordinary (invisible) character, not a keyword. */
	bad("guide 5s \"a\"\n\xEF\xBB\xBFguide 5s \"b\"\n", 2, 1, "unknown keyword");
}

static void test_bytes(void **state)
{
	bad("guide 5s \"a\033[31mb\"\n", 1, 12, "control character U+001B not allowed");
	bad("# \033]0;title\007\nguide 5s \"a\"\n", 1, 3, "control character U+001B");
	bad("guide 5s \"a\x7f\"\n", 1, 12, "control character U+007F");
	bad("guide 5s \"a\xc2\x9b" "31m\"\n", 1, 12, "control character U+009B");
	bad("guide 5s \"a\xc2\x85\"\n", 1, 12, "control character U+0085");
	bad("guide 5s \"ab\xe2\x80\xae" "cd\"\n", 1, 13, "control character U+202E");
	bad("guide 5s \"ab\xe2\x81\xa6" "cd\"\n", 1, 13, "control character U+2066");
	bad("guide 5s \"ab\xe2\x80\xa8" "cd\"\n", 1, 13, "control character U+2028");
	bad("guide 5s \"a\x01\"\n", 1, 12, "control character U+0001");
	bad("guide 5s \"\x0c\"\n", 1, 11, "U+000C");
	bad("guide 5s \"caf\xe9\"\n", 1, 14, "invalid UTF-8 (byte 0xE9): session files must be UTF-8");
	bad("guide 5s \"\xc0\x80\"\n", 1, 11, "invalid UTF-8 (byte 0xC0)");
	bad("guide 5s \"\xed\xa0\x80\"\n", 1, 11, "invalid UTF-8 (byte 0xED)");
	bad("guide 5s \"\xe2\x82\"\n", 1, 11, "invalid UTF-8 (byte 0xE2)");
	bad("guide 5s \"\xf5\x80\x80\x80\"\n", 1, 11, "invalid UTF-8 (byte 0xF5)");
	bad("guide 5s \"\x80\"\n", 1, 11, "invalid UTF-8 (byte 0x80)");
	bad("guide 5s \"\xf4\x90\x80\x80\"\n", 1, 11, "invalid UTF-8 (byte 0xF4)");
	static const char nul[] = "guide 5s \"a\0b\"\n";
	bad_n(nul, sizeof nul - 1, 1, 12, "NUL byte");
	static const char nul2[] = "guide 5s \"ok\"\n\0";
	bad_n(nul2, sizeof nul2 - 1, 2, 1, "NUL byte");
}

static void test_limits(void **state)
{
	/* A line of exactly 4096 bytes is fine; 4097 is not. */
	char *line = xmalloc(5000);
	const char *head = "guide 5s \"", *tail = "\"";
	size_t fill = 4096 - strlen(head) - strlen(tail);
	char *text = xmalloc(5000);
	memset(line, 'a', fill);
	line[fill] = '\0';
	snprintf(text, 5000, "%s%s%s\n", head, line, tail);
	/* ... but the text in it is over the text limit: use a comment instead. */
	memset(line, 'a', 4094);
	line[4094] = '\0';
	snprintf(text, 5000, "# %s\nguide 5s \"a\"\n", line);
	assert_int_equal(strchr(text, '\n') - text, 4096);
	program_free(ok(text));
	snprintf(text, 5000, "# %sa\nguide 5s \"a\"\n", line);
	bad(text, 1, 4097, "line too long: more than 4096 bytes");
	/* The CR of a CRLF does not count. */
	snprintf(text, 5000, "# %s\r\nguide 5s \"a\"\n", line);
	program_free(ok(text));
	free(text);
	free(line);

	/* 1 MiB is fine, one byte more is not. */
	size_t big = PARSE_MAX_FILE;
	char *file = xmalloc(big + 2);
	memset(file, '\n', big + 1);
	memcpy(file, "guide 5s \"a\"", 12);
	struct program *p = parse_n(file, big);
	assert_non_null(p);
	program_free(p);
	bad_n(file, big + 1, 1, 1, "file too large: more than 1048576 bytes (1 MiB)");
	free(file);

	/* The whole program stays under 24 hours. */
	bad("breathe 4-0-6-0 for 12h\nbreathe 4-0-6-0 for 11h\nsilence 1h1s\n", 3, 1,
	    "the program would last more than 24 hours with this step");
	program_free(ok("breathe 4-0-6-0 for 12h\nbreathe 4-0-6-0 for 11h\nsilence 59m\n"));
}

static void test_no_steps(void **state)
{
	bad("", 1, 1, "no steps: a program needs at least one 'breathe', 'guide', 'silence' or 'words' line");
	bad("\n\n# only comments\n", 3, 1, "no steps");
	bad("title \"x\"\nchime bowl\nsound rain 50%\nfadeout 1m\n", 4, 1, "no steps");
}

static void test_many_errors(void **state)
{
	/* Every bad line is reported, in order, and the parser stops at 20. */
	struct program *p = parse_n("gide 5s \"a\"\nguide 5 \"a\"\nguide 5s \"a\"\nsilence 0s\n", 45);
	assert_null(p);
	assert_int_equal(R.nerrors, 3);
	assert_int_equal(R.errors[0].line, 1);
	assert_int_equal(R.errors[1].line, 2);
	assert_int_equal(R.errors[2].line, 4);

	/* A later check (say without breathe) reports an earlier line: sorted. */
	p = parse_n("say \"x\"\nguide 5 \"a\"\nguide 5s \"a\"\n", 33);
	assert_null(p);
	assert_int_equal(R.nerrors, 2);
	assert_int_equal(R.errors[0].line, 1);
	assert_int_equal(R.errors[1].line, 2);

	char *text = xstrdup("");
	for (int i = 0; i < 50; i++) {
		char *t = xasprintf("%sgide 5s \"a\"\n", text);
		free(text);
		text = t;
	}
	p = parse_n(text, strlen(text));
	assert_null(p);
	assert_int_equal(R.nerrors, PARSE_MAX_ERRORS);
	assert_int_equal(R.errors[PARSE_MAX_ERRORS - 1].line, PARSE_MAX_ERRORS);
	assert_string_equal(R.errors[PARSE_MAX_ERRORS - 1].msg, "too many errors; stopping here");
	free(text);
}

static void test_too_many_words(void **state)
{
	char *text = xstrdup("tags");
	for (int i = 0; i < 40; i++) {
		char *t = xasprintf("%s sleep", text);
		free(text);
		text = t;
	}
	bad(text, 1, 5 + 32 * 6 + 1 - 6, "too many words on one line (at most 32)");
	free(text);
}

/* ------------------------------------------------- phases, cues and words */

static void test_phase_words(void **state)
{
	struct program *p = ok("say inhale \"In for four.\"\n"
			       "say hold   \"Hold for seven.\"\n"
			       "say exhale \"Out for eight.\"\n"
			       "say \"Softly.\"\n"
			       "breathe 4-7-8 for 4 cycles\n"
			       "guide 16s \"Let them drop.\" breathe 4-0-6-0 from exhale\n"
			       "guide 10s \"Roll.\" breathe 4-0-6-0 from inhale\n"
			       "words 20m every 6s to 10s\n"
			       "words 1m every 5s\n");
	const struct step *s = p->steps;
	assert_int_equal(s[0].say_tie, SAY_INHALE);
	assert_int_equal(s[1].say_tie, SAY_HOLD);
	assert_int_equal(s[2].say_tie, SAY_EXHALE);
	assert_string_equal(s[2].u.say, "Out for eight.");
	assert_int_equal(s[3].say_tie, SAY_ANY);
	assert_int_equal(s[5].u.guide.cue_from, PACE_EXHALE);
	assert_int_equal(s[6].u.guide.cue_from, PACE_INHALE);
	assert_int_equal(s[7].kind, STEP_WORDS);
	assert_true(s[7].u.words.seconds == 1200 && s[7].u.words.every_from == 6 && s[7].u.words.every_to == 10);
	assert_true(s[8].u.words.every_from == 5 && s[8].u.words.every_to == 5);
	assert_null(s[8].u.words.words); /* the shell gives the words */
	assert_true(program_length(p) == 76 + 16 + 10 + 1200 + 60);
	program_free(p);

	bad("say exale \"Out.\"\nbreathe 4-0-6-0 for 1m\n", 1, 5, "unknown phase 'exale'; did you mean 'exhale'?");
	bad("say exhale\nbreathe 4-0-6-0 for 1m\n", 1, 11, "expected the guidance line in double quotes");
	bad("say exhale Out\nbreathe 4-0-6-0 for 1m\n", 1, 12, "expected the guidance line in double quotes");
	bad("say hold \"Hold.\"\nbreathe 4-0-6-0 for 1m\n", 1, 1,
	    "'say hold' shows its line at a hold, but the breathing block after it (line 2) has no hold");
	/* A hold that the ramp brings in counts. */
	program_free(ok("say hold \"Hold.\"\nbreathe 4-0-6-0 to 4-2-6-0 for 1m\n"));
	bad("guide 5s \"a\" breathe 4-0-6-0 from\n", 1, 34, "expected 'inhale' or 'exhale' after 'from' (the phase the cue begins on), found the end");
	bad("guide 5s \"a\" breathe 4-0-6-0 from hold\n", 1, 35, "'inhale' or 'exhale' after 'from' (the phase the cue begins on), found 'hold'");
	bad("guide 5s \"a\" breathe 4-0-6-0 from exale\n", 1, 35, "unknown phase 'exale'; did you mean 'exhale'?");
	bad("guide 5s \"a\" breathe 4-0-6-0 from exhale now\n", 1, 42, "after the breathing cue");
	bad("words\n", 1, 6, "expected the length of the words step");
	bad("words 20m\n", 1, 10, "expected 'every' and the time from one word to the next");
	bad("words 20m every\n", 1, 16, "expected the time between words");
	bad("words 20m every 6s to\n", 1, 22, "expected the time between the last words");
	bad("words 20m every 6s 10s\n", 1, 20, "expected the end of the line after the time between words");
	bad("words 20m every 0.5s\n", 1, 1, "the time between words is 1 to 60 seconds");
	bad("words 20m every 6s to 2m\n", 1, 1, "the time between words is 1 to 60 seconds");
	bad("words 25h every 6s\n", 1, 7, "longer than 24 hours");
	bad("wrds 20m every 6s\n", 1, 1, "did you mean 'words'?");
}

/* ------------------------------------------------------------ round trip */

static void round_trip(const char *text, const char *label)
{
	struct parse_result r1, r2;
	parse_program(text, strlen(text), label, &r1);
	if (!r1.program) {
		print_message("%s does not parse: %u:%u: %s\n", label, r1.errors[0].line, r1.errors[0].col,
			      r1.errors[0].msg);
		fail();
	}
	char *out = program_format(r1.program);
	parse_program(out, strlen(out), label, &r2);
	if (!r2.program) {
		print_message("written %s does not parse: %u:%u: %s\n%s", label, r2.errors[0].line,
			      r2.errors[0].col, r2.errors[0].msg, out);
		fail();
	}
	assert_true(program_equal(r1.program, r2.program));
	char *again = program_format(r2.program);
	assert_string_equal(out, again);
	free(again);
	free(out);
	program_free(r1.program);
	program_free(r2.program);
}

static void test_round_trip_builtins(void **state)
{
	assert_true(builtins_count >= 12);
	for (size_t i = 0; i < builtins_count; i++)
		round_trip(builtins[i].text, builtins[i].name);
}

static void test_round_trip_everything(void **state)
{
	round_trip("title \"Quotes \\\"and\\\" \\\\ backslashes\"\n"
		   "description \"Every kind of step.\"\n"
		   "tags breathing sleep tension stretch\n"
		   "safety \"Careful.\"\n"
		   "length 1h2m3.5s\n"
		   "chime on\nfollow on\n"
		   "sound rain 33.3% fade 1.5s\nsound wind 0.123\nsound pink off\n"
		   "volume 0% fade 1h\nfadeout 0.001s\n"
		   "guide 2.25s \"x\" breathe 4.125-0.5-6.75-0.001\n"
		   "say \"a\"\nsay \"b\"\nsay inhale \"c\"\nsay hold \"d\"\nsay exhale \"e\"\n"
		   "breathe 4-7-8 for 1 cycle\n"
		   "guide 10s \"f\" breathe 4-0-6 from exhale\nguide 10s \"g\" breathe 4-0-6 from inhale\n"
		   "words 20m every 6s to 10.5s\nwords 1m every 1s\n"
		   "breathe 4-7-8 to 3-0-9.5 for 999 cycles\n"
		   "breathe 1-0-1 for 0.001s\n"
		   "chime\nchime bowl\nsilence\nsilence 1h\n", "everything");
	round_trip("guide 5s \"only\"", "minimal");
	round_trip("tags stretch sleep breathing\nguide 5s \"a\"\n", "purpose first");
	/* Volumes keep every decimal the file can give. */
	round_trip("sound rain 33.35%\nsound a 33.335%\nsound b 0.999\nsound c 0.001\nvolume 12.5%\nguide 1s \"a\"\n",
		   "volumes");
}

static void test_format_layout(void **state)
{
	struct program *p = ok("title \"T\"\ntags sleep\nguide 5s \"a\"\nsay \"s\"\nbreathe 4-7-8 for 2 cycles\n"
			       "guide 5s \"b\" breathe 4-0-6\nchime bowl\nsay exhale \"o\"\nbreathe 4-0-6 for 1m\n"
			       "guide 6s \"c\" breathe 4-0-6 from exhale\nwords 1m every 6s to 8s\n");
	char *out = program_format(p);
	assert_string_equal(out, "title       \"T\"\n"
				 "tags        sleep\n"
				 "\n"
				 "guide 5s \"a\"\n"
				 "\n"
				 "say \"s\"\n"
				 "breathe 4-7-8-0 for 2 cycles\n"
				 "\n"
				 "guide 5s \"b\" breathe 4-0-6-0\n"
				 "chime bowl\n"
				 "\n"
				 "say exhale \"o\"\n"
				 "breathe 4-0-6-0 for 1m\n"
				 "\n"
				 "guide 6s \"c\" breathe 4-0-6-0 from exhale\n"
				 "words 1m every 6s to 8s\n");
	free(out);
	program_free(p);
}

static void test_equal(void **state)
{
	struct program *a = ok("guide 5s \"a\"\n"), *b = ok("guide 5s \"b\"\n"), *c = ok("\n\nguide 5s \"a\"\n");
	assert_false(program_equal(a, b));
	assert_true(program_equal(a, c)); /* lines differ, the program does not */
	struct program *d = ok("say \"s\"\nbreathe 4-0-6 for 1m\n"), *e = ok("say exhale \"s\"\nbreathe 4-0-6 for 1m\n");
	assert_false(program_equal(d, e));
	program_free(d);
	program_free(e);
	d = ok("guide 10s \"a\" breathe 4-0-6\n");
	e = ok("guide 10s \"a\" breathe 4-0-6 from exhale\n");
	assert_false(program_equal(d, e));
	program_free(d);
	program_free(e);
	d = ok("words 1m every 6s\n");
	e = ok("words 1m every 6s to 7s\n");
	assert_false(program_equal(d, e));
	program_free(d);
	program_free(e);
	program_free(a);
	program_free(b);
	program_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_breathe),
		cmocka_unit_test(test_breathe_errors),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_step_errors),
		cmocka_unit_test(test_unknown_keywords),
		cmocka_unit_test(test_text_and_comments),
		cmocka_unit_test(test_line_endings_and_bom),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_no_steps),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_too_many_words),
		cmocka_unit_test(test_phase_words),
		cmocka_unit_test(test_round_trip_builtins),
		cmocka_unit_test(test_round_trip_everything),
		cmocka_unit_test(test_format_layout),
		cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
