/* SPDX-License-Identifier: ISC */
/* Finding programs: built-ins, the user's folder first, paths, the list
 * (order, shadowing, broken files), names, and reading files with limits. */
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

#include "builtin.h"
#include "catalog.h"
#include "parse.h"
#include "paths.h"
#include "util.h"
#include "../testhome.h"

static char sessions[300];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void user_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", sessions, name);
	write_file(path, text);
	free(path);
}

static int setup(void **state)
{
	assert_non_null(testhome_enter("catalog"));
	testhome_path("config/lull/sessions", sessions, sizeof sessions);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testhome_remove(), 0);
	return 0;
}

static void test_builtins_load(void **state)
{
	static const char *const want[] = { "winddown", "pmr", "neck-shoulders", "back", "stretch", "bodyscan",
					    "flare", "box", "478", "coherent", "relax", "sleep", NULL };
	char err[512];
	for (size_t i = 0; want[i]; i++) {
		struct program *p = catalog_load(want[i], err, sizeof err);
		if (!p)
			print_message("%s: %s\n", want[i], err);
		assert_non_null(p);
		assert_string_equal(p->name, want[i]);
		assert_non_null(p->title);
		assert_non_null(p->description);
		assert_true(p->tags != 0);
		assert_true(program_length(p) > 60);
		program_free(p);
	}
	assert_string_equal(builtins[0].name, "winddown");
	assert_null(builtin_text("nosuch"));
}

static void test_not_found(void **state)
{
	char err[512];
	assert_null(catalog_load("winddwon", err, sizeof err));
	assert_string_equal(err, "no program named 'winddwon'; did you mean 'winddown'? ('lull list' shows them all)");
	assert_null(catalog_load("zzzzzzzz", err, sizeof err));
	assert_string_equal(err, "no program named 'zzzzzzzz' ('lull list' shows them all)");
	assert_null(catalog_load("mine.session", err, sizeof err));
	assert_string_equal(err, "no program named 'mine.session'; to run a file in this folder, write ./mine.session");
	assert_null(catalog_load("bad\033name", err, sizeof err));
	assert_non_null(strstr(err, "bad\\u{001B}name"));
	assert_null(catalog_load("", err, sizeof err));
	assert_null(catalog_load("./nosuch.session", err, sizeof err));
	assert_string_equal(err, "./nosuch.session: No such file or directory");
}

static void test_user_first(void **state)
{
	char err[512];
	assert_int_equal(paths_mkdir_p(sessions, 0700), 0);
	user_file("box.session", "title \"My box\"\ntags tension\nguide 10s \"Shoulders down.\"\n");
	user_file("evening.session", "title \"Evening\"\ndescription \"Mine.\"\ntags sleep\nguide 1m \"Lie down.\"\n");
	user_file("broken.session", "guide 5 \"a\"\nguide 6 \"b\"\n");
	user_file(".hidden.session", "guide 5s \"a\"\n");
	user_file("notes.txt", "guide 5s \"a\"\n");
	user_file("bad name.session", "guide 5s \"a\"\n");
	char *fifo = xasprintf("%s/fifo.session", sessions);
	assert_int_equal(mkfifo(fifo, 0600), 0); /* would block a reader: skipped */
	free(fifo);

	struct program *p = catalog_load("box", err, sizeof err);
	assert_non_null(p);
	assert_string_equal(p->title, "My box");
	program_free(p);

	assert_null(catalog_load("broken", err, sizeof err));
	char *want = xasprintf("%s/broken.session:1:7: expected the step's duration with a unit (s, m or h) "
			       "after the number, as in 45s or 2m, found '5' (and 1 more: lull check %s/broken.session)",
			       sessions, sessions);
	assert_string_equal(err, want);
	free(want);

	/* A path: anything with a '/'. */
	char *path = xasprintf("%s/evening.session", sessions);
	p = catalog_load(path, err, sizeof err);
	assert_non_null(p);
	assert_string_equal(p->name, "evening");
	program_free(p);
	free(path);

	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	assert_int_equal(n, 3 + builtins_count - 1); /* box is shadowed */
	assert_string_equal(list[0].name, "box");
	assert_true(list[0].user);
	assert_string_equal(list[0].title, "My box");
	assert_true(list[0].length_s == 10);
	assert_string_equal(list[1].name, "broken");
	assert_true(list[1].invalid);
	assert_string_equal(list[2].name, "evening");
	assert_string_equal(list[2].description, "Mine.");
	assert_int_equal(list[2].tags, TAG_SLEEP);
	assert_string_equal(list[3].name, "winddown");
	assert_false(list[3].user);
	assert_false(list[3].invalid);
	for (size_t i = 3; i < n; i++) {
		assert_false(list[i].user);
		assert_string_not_equal(list[i].name, "box");
		assert_true(list[i].length_s > 0);
	}
	catalog_free_list(list, n);
}

static void test_names(void **state)
{
	assert_true(catalog_name_ok("winddown"));
	assert_true(catalog_name_ok("neck-shoulders"));
	assert_true(catalog_name_ok("478"));
	assert_true(catalog_name_ok("my_v2.1"));
	assert_false(catalog_name_ok(""));
	assert_false(catalog_name_ok(".hidden"));
	assert_false(catalog_name_ok("a b"));
	assert_false(catalog_name_ok("a/b"));
	assert_false(catalog_name_ok("épaules"));
	char long_name[70];
	memset(long_name, 'a', 64);
	long_name[64] = '\0';
	assert_false(catalog_name_ok(long_name));
	long_name[63] = '\0';
	assert_true(catalog_name_ok(long_name));

	char *n = catalog_name_from_path("/x/y/mine.session");
	assert_string_equal(n, "mine");
	free(n);
	n = catalog_name_from_path("plain");
	assert_string_equal(n, "plain");
	free(n);
	n = catalog_name_from_path(".session");
	assert_string_equal(n, ".session");
	free(n);
}

static void test_read_limits(void **state)
{
	char err[512], *buf;
	size_t len;
	char *path = xasprintf("%s/big.session", testhome_dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < 2 * PARSE_MAX_FILE; i += 64)
		fputs("# 456789012345678901234567890123456789012345678901234567890123\n", f);
	fclose(f);
	assert_int_equal(catalog_read(path, &buf, &len, err, sizeof err), 0);
	assert_int_equal(len, PARSE_MAX_FILE + 1);
	assert_int_equal(buf[len], '\0');
	free(buf);
	assert_null(catalog_load(path, err, sizeof err));
	assert_non_null(strstr(err, "big.session:1:1: file too large"));
	free(path);

	assert_int_equal(catalog_read(testhome_dir, &buf, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "is a directory"));
}

static struct program *load(const char *name)
{
	char err[512];
	struct program *p = catalog_load(name, err, sizeof err);
	if (!p)
		print_message("%s: %s\n", name, err);
	assert_non_null(p);
	return p;
}

static size_t count_kind(const struct program *p, enum step_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		n += p->steps[i].kind == kind;
	return n;
}

/* The promises the library makes, checked on the programs themselves. */
static void test_library(void **state)
{
	/* The pacer's patterns, each as one breathing block (so --cycles and
	 * --minutes can change it). */
	static const struct {
		const char *name;
		double from[4], to[4];
	} pure[] = {
		{ "box", { 4, 4, 4, 4 }, { 4, 4, 4, 4 } },
		{ "478", { 4, 7, 8, 0 }, { 4, 7, 8, 0 } },
		{ "coherent", { 5.5, 0, 5.5, 0 }, { 5.5, 0, 5.5, 0 } },
		{ "relax", { 4, 0, 6, 0 }, { 4, 0, 6, 0 } },
		{ "sleep", { 4, 0, 6, 0 }, { 4, 0, 8, 0 } },
	};
	for (size_t i = 0; i < sizeof pure / sizeof pure[0]; i++) {
		struct program *p = load(pure[i].name);
		assert_int_equal(count_kind(p, STEP_BREATHE), 1);
		/* The breathing is the program; a set-up before it (478's tongue
		 * and first exhale, as Weil teaches it) stays short. */
		double breathing = 0;
		for (size_t k = 0; k < p->nsteps; k++)
			if (p->steps[k].kind == STEP_BREATHE)
				breathing = step_length(&p->steps[k]);
		assert_true(breathing >= 0.6 * program_length(p));
		/* Only 478 teaches a set-up, and sleep says to lie down
		 * before its breathing begins: one guided step each. */
		bool setup = strcmp(pure[i].name, "478") == 0 || strcmp(pure[i].name, "sleep") == 0;
		if (!setup)
			assert_int_equal(count_kind(p, STEP_GUIDE), 0);
		else if (strcmp(pure[i].name, "sleep") == 0)
			assert_int_equal(count_kind(p, STEP_GUIDE), 1);
		assert_true(p->tags & TAG_BREATHING);
		for (size_t k = 0; k < p->nsteps; k++) {
			if (p->steps[k].kind != STEP_BREATHE)
				continue;
			const struct step_breathe *b = &p->steps[k].u.breathe;
			for (int ph = 0; ph < PACE_PHASES; ph++) {
				assert_true(b->from.phase[ph] == pure[i].from[ph]);
				assert_true(b->to.phase[ph] == pure[i].to[ph]);
			}
		}
		program_free(p);
	}
	/* The pacer's own table (lull's patterns by name) and the library's
	 * breathing programs are two spellings of one thing: they must agree. */
	size_t nbuiltin;
	const struct pace_builtin *pb = pace_builtins(&nbuiltin);
	assert_int_equal(nbuiltin, sizeof pure / sizeof pure[0]);
	for (size_t i = 0; i < nbuiltin; i++) {
		struct program *p = load(pb[i].name);
		assert_int_equal(count_kind(p, STEP_BREATHE), 1);
		const struct step_breathe *b = &p->steps[0].u.breathe;
		for (size_t k = 0; k < p->nsteps; k++)
			if (p->steps[k].kind == STEP_BREATHE)
				b = &p->steps[k].u.breathe;
		assert_int_equal(b->ramp, pb[i].ramp);
		for (int ph = 0; ph < PACE_PHASES; ph++) {
			assert_true(b->from.phase[ph] == pb[i].from.phase[ph]);
			assert_true(b->to.phase[ph] == (pb[i].ramp ? pb[i].to : pb[i].from).phase[ph]);
		}
		program_free(p);
	}

	/* 478 is four breaths unless asked for more: Weil's starting dose. */
	struct program *w = load("478");
	for (size_t k = 0; k < w->nsteps; k++)
		if (w->steps[k].kind == STEP_BREATHE)
			assert_int_equal(w->steps[k].u.breathe.cycles, 4);
	assert_int_equal(pace_builtin_named("478")->default_cycles, 4);
	program_free(w);

	/* Movement means a safety line; holds a breath-hold caution; sleep
	 * means the sound fades out. */
	static const char *const all[] = { "winddown", "pmr", "neck-shoulders", "back", "stretch", "bodyscan",
					   "flare", "box", "478", "coherent", "relax", "sleep", "jaw",
					   "headache", "bed", "shuffle", "sigh", NULL };
	static const char *const moving[] = { "winddown", "pmr", "neck-shoulders", "back", "stretch",
					      "jaw", "headache", "bed", NULL };
	for (size_t i = 0; all[i]; i++) {
		struct program *p = load(all[i]);
		if (program_has_holds(p)) {
			assert_non_null(p->safety);
			assert_non_null(strstr(p->safety, "pregnant"));
			assert_non_null(strstr(p->safety, "relax or coherent"));
		}
		program_free(p);
	}
	assert_int_equal(builtins_count, 17);
	for (size_t i = 0; moving[i]; i++) {
		struct program *p = load(moving[i]);
		assert_non_null(p->safety);
		assert_non_null(strstr(p->safety, "health professional"));
		program_free(p);
	}
	for (size_t i = 0; all[i]; i++) {
		struct program *p = load(all[i]);
		if (p->tags & TAG_SLEEP) {
			bool fades = false;
			for (size_t k = 0; k < p->nsteps; k++)
				fades |= p->steps[k].kind == STEP_SOUND && p->steps[k].u.sound.action == SOUND_FADE_OUT;
			if (!fades)
				print_message("%s is for sleep but does not fade out\n", all[i]);
			assert_true(fades);
		}
		/* The declared length is honest, within a minute. */
		double len = program_length(p);
		assert_true(p->estimate_s > 0);
		assert_true(len > p->estimate_s - 60 && len < p->estimate_s + 60);
		program_free(p);
	}

	/* winddown is about 15 minutes, bodyscan about 10. */
	struct program *p = load("winddown");
	assert_true(program_length(p) >= 13 * 60 && program_length(p) <= 17 * 60);
	program_free(p);
	p = load("bodyscan");
	assert_true(program_length(p) >= 9 * 60 && program_length(p) <= 11 * 60);
	program_free(p);

	/* flare: no held breath anywhere, no movement words, short. */
	p = load("flare");
	assert_true(program_length(p) <= 6 * 60);
	for (size_t k = 0; k < p->nsteps; k++) {
		const struct step *s = &p->steps[k];
		if (s->kind == STEP_BREATHE) {
			assert_true(s->u.breathe.from.phase[PACE_HOLD_FULL] == 0);
			assert_true(s->u.breathe.from.phase[PACE_HOLD_EMPTY] == 0);
			assert_true(s->u.breathe.to.phase[PACE_HOLD_FULL] == 0);
			assert_true(s->u.breathe.to.phase[PACE_HOLD_EMPTY] == 0);
		}
		if (s->kind == STEP_GUIDE) {
			assert_false(s->u.guide.has_breath_cue && s->u.guide.cue.phase[PACE_HOLD_FULL] > 0);
			static const char *const moves[] = { "Tilt", "Turn", "Roll", "Lift", "Press", "Stretch", NULL };
			for (size_t m = 0; moves[m]; m++)
				assert_null(strstr(s->u.guide.text, moves[m]));
		}
	}
	program_free(p);
}

/* A FIFO named like a program made `lull start NAME` (and the menu) wait
 * forever; a file name with an escape sequence reached the terminal raw in
 * the error. */
static void test_not_a_file(void **state)
{
	char err[512];
	char *fifo = xasprintf("%s/piped.session", sessions);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	assert_null(catalog_load("piped", err, sizeof err));
	assert_non_null(strstr(err, "not a regular file"));
	alarm(0);
	unlink(fifo);
	free(fifo);

	char *buf;
	size_t len;
	assert_int_equal(catalog_read("/nonexistent/\x1b[31mred", &buf, &len, err, sizeof err), -1);
	assert_null(strchr(err, '\x1b'));
	assert_non_null(strstr(err, "red: No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins_load),
		cmocka_unit_test(test_library),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_user_first),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_read_limits),
		cmocka_unit_test(test_not_a_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
