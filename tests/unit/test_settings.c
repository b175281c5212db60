/* SPDX-License-Identifier: ISC */
/* The settings file: every key, every bad value (a warning naming FILE:LINE,
 * the default kept), unknown keys with a hint, comments, quotes, and a
 * missing file; the table of keys against lull(1). */
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

/* The Settings section of lull(1): each key's name and the word after its
 * "Default:", if it says one ("empty" for ""), in the order written. */
struct man_key {
	char name[40];
	char def[40];
	bool has_def;
};

static size_t man_keys(struct man_key *out, size_t max)
{
	const char *srcdir = getenv("LULL_SRCDIR");
	char *path = xasprintf("%s/man/lull.1.in", srcdir ? srcdir : "..");
	FILE *f = fopen(path, "r");
	if (!f)
		print_message("cannot read %s\n", path);
	assert_non_null(f);
	free(path);
	char line[1024];
	size_t n = 0;
	bool in = false, want_def = false;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (str_has_prefix(line, ".SS ") || str_has_prefix(line, ".SH ")) {
			in = strcmp(line, ".SS Settings") == 0;
			continue;
		}
		if (!in)
			continue;
		if (str_has_prefix(line, ".BI ") && strstr(line, " = ") && n < max) {
			sscanf(line + 4, "%39s", out[n].name);
			out[n++].has_def = false;
			continue;
		}
		const char *d = strstr(line, "Default:");
		const char *word = want_def ? line : d ? d + 8 : NULL;
		want_def = false;
		if (!word || n == 0)
			continue;
		while (*word == ' ')
			word++;
		if (*word == '.') /* ".B rms" or ".BR winddown ." */
			word += strcspn(word, " ");
		while (*word == ' ')
			word++;
		if (*word == '\0') {
			want_def = true; /* on the next line */
			continue;
		}
		char w[40] = "";
		size_t k = 0;
		for (const char *c = word; *c && *c != ' ' && k + 1 < sizeof w; c++) {
			if (c[0] == '\\' && c[1] == '-')
				continue; /* \- is a minus sign */
			w[k++] = *c;
		}
		w[k] = '\0';
		if (k && w[k - 1] == '.')
			w[--k] = '\0';
		str_copy(out[n - 1].def, strcmp(w, "empty") == 0 ? "" : w, sizeof out[n - 1].def);
		out[n - 1].has_def = true;
	}
	fclose(f);
	return n;
}

/* One table of keys: every key in it documented in lull(1), every key
 * lull(1) documents in it, and the default each says is the table's. */
static void test_table_and_manual(void **state)
{
	struct man_key man[64];
	size_t nman = man_keys(man, 64), ntable = 0;
	assert_true(nman > 20);
	for (const struct setting *e = settings_table; e->name; e++, ntable++) {
		bool documented = false;
		for (size_t i = 0; i < nman; i++) {
			if (strcmp(man[i].name, e->name) != 0)
				continue;
			documented = true;
			if (man[i].has_def && strcmp(man[i].def, e->def ? e->def : "") != 0) {
				print_message("%s: lull(1) says the default is '%s', the table '%s'\n", e->name,
					      man[i].def, e->def ? e->def : "(not set)");
				fail();
			}
		}
		if (!documented) {
			print_message("%s is not in lull(1), Settings\n", e->name);
			fail();
		}
		assert_non_null(e->want);
		assert_non_null(e->help);
		assert_ptr_equal(settings_find(e->name), e);
	}
	for (size_t i = 0; i < nman; i++) {
		if (!settings_find(man[i].name)) {
			print_message("lull(1) documents '%s', which lull does not know\n", man[i].name);
			fail();
		}
	}
	assert_int_equal(nman, ntable);
	assert_null(settings_find("colour"));
}

/* What a value is written as reads back as the same value, for every key,
 * from the defaults and from values that are not the defaults. */
static void test_value_text(void **state)
{
	struct settings s, back;
	for (int round = 0; round < 2; round++) {
		if (round == 0)
			settings_defaults(&s);
		else
			assert_int_equal(parse(&s, "default_program = box\nsounds = rain:0.5\nvolume = 7\n"
						   "cues = no\ncue_style = chime\ncheckin = yes\naudio = yes\n"
						   "audio_driver = alsa\nremind_osc = 99\nevening_end = 23:05\n"
						   "screen = dark\nvoice = on\nvoice_name = /v/x.flitevox\n"
						   "voice_rate = 1.2\nvoice_pitch = 2.5\n"), 0);
		char *text = NULL;
		size_t size;
		FILE *f = open_memstream(&text, &size);
		size_t unset = 0;
		for (const struct setting *e = settings_table; e->name; e++) {
			char v[300];
			if (settings_value_text(&s, e, v, sizeof v))
				fprintf(f, "%s = %s\n", e->name, v);
			else
				unset++;
		}
		fclose(f);
		assert_int_equal(unset, round == 0 ? 1 : 0); /* voice, by default */
		assert_int_equal(parse(&back, text), 0);
		assert_memory_equal(&s.default_program, &back.default_program, sizeof s.default_program);
		/* where it was set: another file, another line */
		memset(s.default_program_at, 0, sizeof s.default_program_at);
		memset(back.default_program_at, 0, sizeof back.default_program_at);
		assert_memory_equal(&s, &back, sizeof s);
		free(text);
	}
	char v[16];
	settings_defaults(&s);
	assert_true(settings_value_text(&s, settings_find("evening_end"), v, sizeof v));
	assert_string_equal(v, "02:00");
	assert_true(settings_value_text(&s, settings_find("remind_osc"), v, sizeof v));
	assert_string_equal(v, "auto");
	assert_true(settings_value_text(&s, settings_find("cues"), v, sizeof v));
	assert_string_equal(v, "auto");
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
		cmocka_unit_test(test_table_and_manual),
		cmocka_unit_test(test_value_text),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(warnings);
	char *cmd = xasprintf("rm -rf '%s'", sounds);
	if (system(cmd) != 0)
		rc = 1;
	free(cmd);
	return rc;
}
