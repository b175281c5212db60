/* SPDX-License-Identifier: ISC */
/* The settings file: every key, every bad value (a warning naming FILE:LINE,
 * the default kept), unknown keys with a hint, comments, quotes, and a
 * missing file. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings.h"
#include "util.h"
#include "../testhome.h"

static char *warnings;

/* Parses text over the defaults; returns the warning count, the warnings in
 * the global (freed by the next call). */
static int parse(struct settings *s, const char *text)
{
	size_t size;
	free(warnings);
	FILE *w = open_memstream(&warnings, &size);
	assert_non_null(w);
	settings_defaults(s);
	int n = settings_parse(s, text, strlen(text), "cfg", w);
	fclose(w);
	return n;
}

static void test_defaults(void **state)
{
	struct settings s;
	settings_defaults(&s);
	assert_string_equal(s.default_program, "winddown");
	assert_string_equal(s.sounds, "");
	assert_int_equal(s.volume, 60);
	assert_int_equal(s.cues, -1); /* not set: the program decides */
	assert_int_equal(s.cue_style, CUE_STYLE_TONES);
	assert_int_equal(s.screen, -1);
	assert_false(s.checkin);
	assert_true(s.color);
	assert_false(s.bell);
	assert_int_equal(s.audio, -1);
	assert_string_equal(s.audio_driver, "");
	assert_false(s.follow);
	assert_int_equal(s.streak_days, 4);
	assert_true(s.remind_notify && s.remind_tmux && s.remind_bell);
	assert_int_equal(s.evening_end_min, 120);
	assert_true(s.safety_wait);
	assert_int_equal(s.safety_seconds, 6);
}

static void test_every_key(void **state)
{
	struct settings s;
	int n = parse(&s, "# my settings\n"
			  "default_program = neck-shoulders\n"
			  "sounds = rain:0.6, brown\n"
			  "volume = 35\n"
			  "cues = no\n"
			  "cue_style = chime\n"
			  "screen = dark\n"
			  "checkin = yes\n"
			  "color = off\n"
			  "bell = on\n"
			  "audio = no\n"
			  "audio_driver = pulse\n"
			  "follow = true\n"
			  "streak_days = 5\n"
			  "remind_notify = false\n"
			  "remind_tmux = 0\n"
			  "remind_bell = no   # trailing comment\n"
			  "evening_end = 01:30\n"
			  "safety_wait = no\n"
			  "safety_seconds = 0\n");
	assert_int_equal(n, 0);
	assert_string_equal(warnings, "");
	assert_string_equal(s.default_program, "neck-shoulders");
	assert_string_equal(s.sounds, "rain:0.6, brown");
	assert_int_equal(s.volume, 35);
	assert_int_equal(s.cues, 0);
	assert_int_equal(s.cue_style, CUE_STYLE_CHIME);
	assert_int_equal(s.screen, 1);
	assert_true(s.checkin);
	assert_false(s.color);
	assert_true(s.bell);
	assert_int_equal(s.audio, 0);
	assert_string_equal(s.audio_driver, "pulse");
	assert_true(s.follow);
	assert_int_equal(s.streak_days, 5);
	assert_false(s.remind_notify || s.remind_tmux || s.remind_bell);
	assert_int_equal(s.evening_end_min, 90);
	assert_false(s.safety_wait);
	assert_int_equal(s.safety_seconds, 0);

	assert_int_equal(parse(&s, "cues = yes\ncue_style = tones\nscreen = normal\n"), 0);
	assert_int_equal(s.cues, 1);
	assert_int_equal(s.cue_style, CUE_STYLE_TONES);
	assert_int_equal(s.screen, 0);
	assert_int_equal(parse(&s, "cues = auto\nscreen = auto\n"), 0);
	assert_int_equal(s.cues, -1);
	assert_int_equal(s.screen, -1);
	assert_int_equal(parse(&s, "audio = yes\n"), 0);
	assert_int_equal(s.audio, 1);
	assert_int_equal(parse(&s, "audio=auto\r\n"), 0);
	assert_int_equal(s.audio, -1);
	assert_int_equal(parse(&s, "  sounds  =  \"\"  \n"), 0);
	assert_string_equal(s.sounds, "");
	assert_int_equal(parse(&s, "default_program = \"box\"\n"), 0);
	assert_string_equal(s.default_program, "box");
	/* Blanks inside the quotes are not the value's either: kept, they
	 * could not be written back (fuzz_settings found it). */
	assert_int_equal(parse(&s, "sounds = \"rain:0.25, pink \"\n"), 0);
	assert_string_equal(s.sounds, "rain:0.25, pink");
	assert_int_equal(parse(&s, "evening_end = 23:59\n"), 0);
	assert_int_equal(s.evening_end_min, 23 * 60 + 59);
	assert_int_equal(parse(&s, "audio_driver =\n"), 0);
	assert_string_equal(s.audio_driver, "");
}

static void test_bad_values(void **state)
{
	static const struct {
		const char *line;
		const char *warning;
	} cases[] = {
		{ "volume = 150", "cfg:1: volume: expected a whole number from 0 to 100, found '150'; keeping the default\n" },
		{ "volume = -1", "found '-1'" },
		{ "volume = loud", "found 'loud'" },
		{ "volume =", "found ''" },
		{ "cues = maybe", "cfg:1: cues: expected auto, yes or no, found 'maybe'; keeping the default\n" },
		{ "cue_style = bells", "expected tones or chime" },
		{ "screen = dim", "expected auto, normal or dark" },
		{ "audio = sometimes", "expected auto, yes or no" },
		{ "streak_days = 8", "from 1 to 7" },
		{ "streak_days = 0", "from 1 to 7" },
		{ "evening_end = 2:00", "expected a time as HH:MM" },
		{ "safety_seconds = 61", "a number of seconds from 0 to 60" },
		{ "safety_wait = later", "expected yes or no" },
		{ "evening_end = 24:00", "HH:MM" },
		{ "evening_end = 01:60", "HH:MM" },
		{ "default_program = ../etc", "expected a program name" },
		{ "sounds = rain:2", "loops separated by commas" },
		{ "sounds = rain,chime", "(not cues such as chime)" },
		{ "sounds = rain:", "loops separated" },
		{ "sounds = rain,,brown", "loops separated" },
		{ "sounds = rain,", "loops separated" },
		{ "sounds = ra in", "loops separated" },
		/* A tab inside a path (fuzz_settings): no key takes one. */
		{ "voice_name = /voices/a\tb.flitevox", "no tab or carriage return inside" },
		{ "default_program = box\t2", "no tab" },
		/* strtod's leniency: a tab kept in the value (fuzz_settings). */
		{ "sounds = rain:\t0", "no tab or carriage return inside" },
		{ "sounds = rain:+0.5", "loops separated" },
		{ "sounds = rain:5e-1", "loops separated" },
		{ "audio_driver = pul se", "a libao driver name" },
		{ "volume", "cfg:1: expected 'key = value', found 'volume'\n" },
	};
	struct settings s, d;
	settings_defaults(&d);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(parse(&s, cases[i].line), 1);
		if (!strstr(warnings, cases[i].warning)) {
			print_message("%s: got %s", cases[i].line, warnings);
			fail();
		}
		assert_memory_equal(&s, &d, sizeof s); /* the default stays */
	}
}

static void test_unknown_keys(void **state)
{
	struct settings s;
	assert_int_equal(parse(&s, "\n\nvolum = 20\ncolour = no\nwhatever = 1\n"), 3);
	assert_string_equal(warnings, "cfg:3: unknown key 'volum'; did you mean 'volume'?\n"
				      "cfg:4: unknown key 'colour'; did you mean 'color'?\n"
				      "cfg:5: unknown key 'whatever' (the keys: lull(1), PROGRAMS, Settings)\n");
	assert_int_equal(s.volume, 60);
	assert_true(s.color);
}

static void test_hostile_lines(void **state)
{
	struct settings s;
	assert_int_equal(parse(&s, "volume = 20\033[2J\n"), 1);
	assert_string_equal(warnings, "cfg:1: invalid UTF-8 or a control character; line ignored\n");
	assert_int_equal(parse(&s, "volume = \xff\n"), 1);
	char *long_line = xmalloc(3000);
	memset(long_line, 'a', 2999);
	long_line[2999] = '\0';
	assert_int_equal(parse(&s, long_line), 1);
	assert_non_null(strstr(warnings, "line too long"));
	free(long_line);
	/* Keys are echoed escaped and cut. */
	assert_int_equal(parse(&s, "k\xc2\x9b = 1\n"), 1);
	assert_non_null(strstr(warnings, "invalid UTF-8 or a control character"));
	static const char nul[] = "volume = 2\0 0\nvolume = 30\n";
	size_t size;
	free(warnings);
	FILE *w = open_memstream(&warnings, &size);
	settings_defaults(&s);
	assert_int_equal(settings_parse(&s, nul, sizeof nul - 1, "cfg", w), 1);
	fclose(w);
	assert_int_equal(s.volume, 30);
	/* No warn stream: still counted. */
	settings_defaults(&s);
	assert_int_equal(settings_parse(&s, "bogus = 1\n", 10, "cfg", NULL), 1);
}

/* A file of garbage (3 MB of it: 80,000 lines) printed a warning for each
 * line, at every start: the first SETTINGS_WARN_MAX are said, then a
 * count; every line is still counted, and a good line after them works. */
static void test_warnings_capped(void **state)
{
	struct settings s;
	char *text = xmalloc(100 * 16 + 32);
	size_t used = 0;
	for (int i = 0; i < 100; i++)
		used += (size_t)sprintf(text + used, "garbage %d\n", i);
	strcpy(text + used, "volume = 30\n");
	assert_int_equal(parse(&s, text), 100);
	assert_int_equal(s.volume, 30);
	size_t lines = 0;
	for (const char *p = warnings; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, SETTINGS_WARN_MAX + 1);
	assert_non_null(strstr(warnings, "cfg:20: expected 'key = value', found 'garbage 19'\n"));
	assert_null(strstr(warnings, "garbage 20"));
	const char *last = "cfg: 80 more mistakes not shown\n";
	assert_string_equal(warnings + strlen(warnings) - strlen(last), last);
	/* Exactly the most: no count line. */
	used = 0;
	for (int i = 0; i < SETTINGS_WARN_MAX; i++)
		used += (size_t)sprintf(text + used, "garbage %d\n", i);
	text[used] = '\0';
	assert_int_equal(parse(&s, text), SETTINGS_WARN_MAX);
	assert_null(strstr(warnings, "not shown"));
	free(text);
}

static void test_load(void **state)
{
	char dir[200];
	assert_non_null(testtmp_make(dir, sizeof dir, "settings"));
	setenv("XDG_CONFIG_HOME", dir, 1);
	struct settings s;
	settings_defaults(&s);
	/* No file: defaults, no warnings. */
	assert_int_equal(settings_load(&s, NULL, stderr), 0);
	assert_int_equal(s.volume, 60);
	char *ldir = xasprintf("%s/lull", dir), *path = xasprintf("%s/lull/config", dir);
	assert_int_equal(mkdir(ldir, 0700), 0);
	FILE *f = fopen(path, "w");
	fputs("volume = 25\nbogus = 2\n", f);
	fclose(f);
	size_t size;
	free(warnings);
	FILE *w = open_memstream(&warnings, &size);
	assert_int_equal(settings_load(&s, NULL, w), 1);
	fclose(w);
	assert_int_equal(s.volume, 25);
	char *want = xasprintf("%s:2: unknown key 'bogus' (the keys: lull(1), PROGRAMS, Settings)\n", path);
	assert_string_equal(warnings, want);
	free(want);
	/* An explicit path that is missing is fine too; a directory is not. */
	assert_int_equal(settings_load(&s, "/nonexistent/lull-config", NULL), 0);
	assert_int_equal(settings_load(&s, dir, NULL), 1);
	/* Over 1 MiB: not read at all (its first MiB was, silently, with the
	 * line at the cut read as far as it went), and said. */
	f = fopen(path, "w");
	for (int i = 0; i < 120000; i++)
		fputs("# padding\n", f);
	fputs("volume = 5\n", f);
	fclose(f);
	settings_defaults(&s);
	free(warnings);
	w = open_memstream(&warnings, &size);
	assert_int_equal(settings_load(&s, NULL, w), 1);
	fclose(w);
	assert_non_null(strstr(warnings, "larger than lull reads (1 MiB); not read"));
	assert_int_equal(s.volume, 60);
	unlink(path);
	rmdir(ldir);
	rmdir(dir);
	free(path);
	free(ldir);
}

int main(void)
{
	/* The sounds the settings name are looked for (an unknown one is
	 * warned of): a folder of this test's own holds the three it names, so
	 * that the test says the same wherever it runs (make check, the
	 * 32-bit runs, a build without sounds). */
	char sounds[200];
	if (!testtmp_make(sounds, sizeof sounds, "settings-sounds"))
		return 1;
	for (const char *const *n = (const char *const[]){ "rain", "brown", "pink", NULL }; *n; n++) {
		char *f = xasprintf("%s/%s.flac", sounds, *n);
		FILE *fp = fopen(f, "w");
		if (fp)
			fclose(fp);
		free(f);
	}
	setenv("LULL_SOUNDS_DIR", sounds, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_warnings_capped),
		cmocka_unit_test(test_load),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(warnings);
	char *cmd = xasprintf("rm -rf '%s'", sounds);
	if (system(cmd) != 0)
		rc = 1;
	free(cmd);
	return rc;
}
