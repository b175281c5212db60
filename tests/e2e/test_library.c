/* SPDX-License-Identifier: ISC */
/* Every built-in program runs end to end through the real binary in the
 * pseudo-terminal, sped up with LULL_TIME_SCALE:
 *  - in plain mode, each guided step and silence is announced in order, at
 *    its scheduled time, with its own countdown length, and the run ends
 *    with "Done" (the schedule is computed here from the parsed program);
 *  - on the full screen, it runs to its end and says it finished, and the
 *    first guided step stands on the screen with its countdown bar. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "catalog.h"
#include "harness.h"
#include "program.h"
#include "session_env.h"
#include "util.h"

static struct test_home home;

/* The catalog reads the real XDG folders of this process: point them at the
 * private home, empty, so that only the built-ins are there. */
static void private_xdg(void)
{
	test_env(&home, NULL);
	for (int i = 0; i < 4; i++) {
		char *eq = strchr(home.vars[i], '=');
		*eq = '\0';
		setenv(home.vars[i], eq + 1, 1);
		*eq = '=';
	}
}

static void stamp(double s, char *buf, size_t n)
{
	long long whole = (long long)(s + 1e-6);
	snprintf(buf, n, "%02lld:%02lld", whole / 60, whole % 60);
}

static void secs(double s, char *buf, size_t n)
{
	long long tenths = llround(s * 10);
	if (tenths % 10 == 0)
		snprintf(buf, n, "%llds", tenths / 10);
	else
		snprintf(buf, n, "%lld.%llds", tenths / 10, tenths % 10);
}

static char *run_plain(const char *name, double scale, int *status)
{
	char scale_var[64];
	snprintf(scale_var, sizeof scale_var, "LULL_TIME_SCALE=%g", scale);
	const char *extra[] = { scale_var, NULL };
	const char *argv[] = { pty_lull_path(), "start", name, "--plain", "--no-audio", NULL };
	struct pty_options opt = { .rows = 24, .cols = 200, .env = test_env(&home, extra) };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_exit(p, 20000, status));
	size_t len;
	const char *out = pty_output(p, &len);
	char *copy = strndup(out, len);
	pty_free(p);
	return copy;
}

static void plain_announces_every_step(void **state)
{
	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	assert_true(n >= 12);
	for (size_t i = 0; i < n; i++) {
		char err[512];
		struct program *prog = catalog_load(list[i].name, err, sizeof err);
		assert_non_null(prog);
		double total = program_length(prog);
		/* About a second of real time, whatever the length. */
		double scale = total > 1 ? total : 1;
		int status;
		char *out = run_plain(list[i].name, scale, &status);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("%s: exit status %d\n%s", list[i].name, status, out);

		const char *at = out;
		double t = 0;
		size_t guided = 0;
		for (size_t k = 0; k < prog->nsteps; k++) {
			const struct step *st = &prog->steps[k];
			double len = step_length(st);
			if (st->kind == STEP_GUIDE || st->kind == STEP_SILENCE) {
				char want[600], when[48], how[48];
				stamp(t, when, sizeof when);
				secs(len, how, sizeof how);
				if (st->kind == STEP_GUIDE)
					snprintf(want, sizeof want, "%s Guide %s %.60s", when, how, st->u.guide.text);
				else
					snprintf(want, sizeof want, "%s Silence %s", when, how);
				const char *found = strstr(at, want);
				if (!found)
					fail_msg("%s: step %zu (line %u) not announced in order as '%s'\n%s",
						 list[i].name, k + 1, st->line, want, out);
				at = found + strlen(want);
				guided++;
			}
			t += len;
		}
		if (!strstr(at, " Done"))
			fail_msg("%s: no Done after the last step\n%s", list[i].name, out);
		/* Guided programs have guided steps; breathing ones have none. */
		if (list[i].tags & (TAG_TENSION | TAG_STRETCH) && strcmp(list[i].name, "box") &&
		    strcmp(list[i].name, "coherent") && strcmp(list[i].name, "relax"))
			assert_true(guided > 0);
		free(out);
		program_free(prog);
	}
	catalog_free_list(list, n);
}

static void full_screen_runs_to_the_end(void **state)
{
	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	for (size_t i = 0; i < n; i++) {
		char err[512];
		struct program *prog = catalog_load(list[i].name, err, sizeof err);
		assert_non_null(prog);
		/* The first guided step, if any, and its length. */
		const char *first = NULL;
		for (size_t k = 0; k < prog->nsteps && !first; k++)
			if (prog->steps[k].kind == STEP_GUIDE)
				first = prog->steps[k].u.guide.text;
		double total = program_length(prog);
		char scale_var[64];
		/* Two seconds for the whole program. */
		snprintf(scale_var, sizeof scale_var, "LULL_TIME_SCALE=%g", total / 2 > 1 ? total / 2 : 1);
		const char *extra[] = { scale_var, NULL };
		const char *argv[] = { pty_lull_path(), "start", list[i].name, "--no-audio", NULL };
		struct pty_options opt = { .rows = 30, .cols = 100, .env = test_env(&home, extra) };
		struct pty *p = pty_spawn(argv, &opt);
		if (first) {
			/* The instruction (its first words) and the step's countdown bar. */
			char words[24];
			snprintf(words, sizeof words, "%s", first);
			char *cut = strrchr(words, ' ');
			if (cut && cut > words)
				*cut = '\0';
			if (!pty_wait_text(p, words, 5000))
				fail_msg("%s: the first guided step '%s' never showed:\n%s", list[i].name, words, pty_screen(p));
		}
		int status;
		assert_true(pty_wait_exit(p, 30000, &status));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("%s: exit status %d", list[i].name, status);
		size_t len;
		const char *out = pty_output(p, &len);
		if (!memmem(out, len, "finished", 8))
			fail_msg("%s: no 'finished' at the end:\n%s", list[i].name, pty_screen(p));
		pty_free(p);
		program_free(prog);
	}
	catalog_free_list(list, n);
}

/* The screen as one line of words: rows joined, runs of spaces as one. */
static char *screen_words(struct pty *p)
{
	const char *scr = pty_screen(p);
	char *out = xcalloc(1, strlen(scr) + 2);
	size_t o = 0;
	for (const char *c = scr; *c; c++) {
		char ch = *c == '\n' ? ' ' : *c;
		if (ch == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = ch;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

static bool screen_has_words(struct pty *p, const char *text)
{
	char *w = screen_words(p);
	bool has = strstr(w, text) != NULL;
	free(w);
	return has;
}

/* Pumps until the screen holds the text as words (across wrapped lines). */
static bool wait_words(struct pty *p, const char *text, int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	while (!screen_has_words(p, text)) {
		double left = until - pty_now();
		if (left <= 0 || pty_pump(p, (int)(left * 1000) + 1) < 0)
			return false;
	}
	return true;
}

/* The first words of what the program shows first: its first guided
 * step's instruction, or "Inhale" for a breathing block. */
static void first_sight(const struct program *prog, char *buf, size_t size)
{
	for (size_t k = 0; k < prog->nsteps; k++) {
		const struct step *st = &prog->steps[k];
		if (st->kind == STEP_GUIDE) {
			snprintf(buf, size, "%.20s", st->u.guide.text);
			char *cut = strrchr(buf, ' ');
			if (cut && cut > buf)
				*cut = '\0';
			return;
		}
		if (st->kind == STEP_BREATHE) {
			snprintf(buf, size, "Inhale");
			return;
		}
		if (st->kind == STEP_SILENCE || st->kind == STEP_WORDS) {
			snprintf(buf, size, "left"); /* the time left of the info line */
			return;
		}
	}
	buf[0] = '\0';
}

/* Every built-in with a safety note shows it whole, on its own page, before
 * its first step, and the first time waits for a key; plain mode prints it
 * before the first step. */
static void safety_before_the_first_step(void **state)
{
	struct test_home own = { .dir = "" };
	test_env(&own, NULL);
	test_home_settings(&own, "safety_wait = yes\nsafety_seconds = 1\n");
	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		char err[512];
		struct program *prog = catalog_load(list[i].name, err, sizeof err);
		assert_non_null(prog);
		if (!prog->safety) {
			program_free(prog);
			continue;
		}
		char first[32];
		first_sight(prog, first, sizeof first);
		const char *extra[] = { "LULL_TIME_SCALE=20", NULL };
		const char *argv[] = { pty_lull_path(), "start", list[i].name, "--no-audio", NULL };
		struct pty_options opt = { .rows = 24, .cols = 80, .env = test_env(&own, extra) };
		struct pty *p = pty_spawn(argv, &opt);
		if (!wait_words(p, prog->safety, 30000))
			fail_msg("%s: the safety note never showed whole:\n%s", list[i].name, pty_screen(p));
		/* The whole page (it may come in more than one read). */
		assert_true(pty_wait_text(p, "Before you start", 30000));
		assert_true(pty_wait_text(p, "Any key to begin, q to leave", 30000));
		/* It waits: the program has not begun a second later. */
		double until = pty_now() + 1.0;
		while (pty_now() < until)
			pty_pump(p, 50);
		if (first[0] && pty_screen_has(p, first) && !strstr(prog->safety, first))
			fail_msg("%s: began without a key:\n%s", list[i].name, pty_screen(p));
		assert_true(pty_screen_has(p, "Before you start"));
		pty_send(p, " ");
		if (!pty_wait_no_text(p, "Before you start", 3000))
			fail_msg("%s: a key did not go on:\n%s", list[i].name, pty_screen(p));
		bool followed = !first[0] || (strcmp(first, "Inhale") == 0 ? session_wait_phase_word(p, "Inhale", 5000)
									     : pty_wait_text(p, first, 5000));
		if (!followed)
			fail_msg("%s: '%s' did not follow the safety page:\n%s", list[i].name, first, pty_screen(p));
		pty_send(p, "q");
		int status;
		assert_true(pty_wait_exit(p, 30000, &status));
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		pty_free(p);
		shown++;

		/* Plain mode prints it before the first step, and never waits. */
		const char *pargv[] = { pty_lull_path(), "start", list[i].name, "--plain", "--no-audio", NULL };
		char scale[64];
		snprintf(scale, sizeof scale, "LULL_TIME_SCALE=%g", program_length(prog));
		const char *pextra[] = { scale, NULL };
		struct pty_options popt = { .rows = 24, .cols = 200, .env = test_env(&own, pextra) };
		p = pty_spawn(pargv, &popt);
		assert_true(pty_wait_exit(p, 30000, &status));
		size_t len;
		const char *out = pty_output(p, &len);
		char *copy = strndup(out, len);
		char want[600];
		snprintf(want, sizeof want, "Safety: %.60s", prog->safety);
		const char *at = strstr(copy, want);
		const char *step = strstr(copy, "00:00 ");
		if (!at || !step || at > step)
			fail_msg("%s: plain mode does not print the safety note first:\n%s", list[i].name, copy);
		free(copy);
		pty_free(p);
		program_free(prog);
	}
	assert_true(shown >= 8);
	catalog_free_list(list, n);

	/* Seen once, the page stands for safety_seconds and goes on by itself. */
	const char *extra[] = { "LULL_TIME_SCALE=20", NULL };
	const char *argv[] = { pty_lull_path(), "start", "back", "--no-audio", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = test_env(&own, extra) };
	double t0 = pty_now(); /* before lull starts, so before the page */
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "Any key begins now", 30000));
	/* It goes by itself (30 s: a hang guard), and not before its time:
	 * load makes it late, never early. */
	assert_true(pty_wait_no_text(p, "Before you start", 30000));
	double t1 = pty_match_time(p);
	assert_true(t1 - t0 > 0.7);
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);

	/* A changed note waits again; q on the page leaves without beginning. */
	char dir[400], path[480];
	snprintf(dir, sizeof dir, "%s/config/lull/sessions", own.dir);
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/mine.session", dir);
	const char *notes[] = { "First note.", "Second note." };
	for (int k = 0; k < 2; k++) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "safety \"%s\"\nguide 10s \"Lift the shoulders.\"\n", notes[k]);
		fclose(f);
		const char *margv[] = { pty_lull_path(), "start", "mine", "--no-audio", NULL };
		p = pty_spawn(margv, &opt);
		assert_true(pty_wait_text(p, notes[k], 30000));
		assert_true(pty_wait_text(p, "Any key to begin, q to leave", 30000));
		pty_send(p, k == 0 ? " " : "q");
		if (k == 0)
			assert_true(pty_wait_text(p, "Lift the shoulders.", 30000));
		else
			assert_false(pty_wait_text(p, "Lift the shoulders.", 1000));
		pty_send(p, "q");
		assert_true(pty_wait_exit(p, 30000, &status));
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		pty_free(p);
	}

	/* Below the smallest size (19x5) the page asks for a larger terminal
	 * rather than drawing its note cut; made larger, the note shows. */
	test_home_settings(&own, "safety_wait = yes\n");
	char err0[512];
	struct program *box = catalog_load("box", err0, sizeof err0);
	assert_non_null(box);
	const char *box_argv[] = { pty_lull_path(), "start", "box", "--no-audio", NULL };
	struct pty_options tiny = { .rows = 5, .cols = 19, .env = test_env(&own, extra) };
	p = pty_spawn(box_argv, &tiny);
	assert_true(pty_wait_text(p, "terminal larger", 30000));
	assert_false(pty_screen_has(p, "Any key"));
	pty_resize(p, 24, 80);
	if (!wait_words(p, box->safety, 30000))
		fail_msg("box at 80x24 after 19x5: the note is not whole:\n%s", pty_screen(p));
	pty_send(p, "q");
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	program_free(box);

	/* At 40x12 the longest note still shows whole. */
	char err[512];
	struct program *back = catalog_load("back", err, sizeof err);
	assert_non_null(back);
	test_home_settings(&own, "safety_wait = no\nsafety_seconds = 30\n");
	struct pty_options small = { .rows = 12, .cols = 40, .env = test_env(&own, extra) };
	p = pty_spawn(argv, &small);
	if (!wait_words(p, back->safety, 3000))
		fail_msg("back at 40x12: the note is not whole:\n%s", pty_screen(p));
	pty_send(p, "q");
	pty_send(p, "q");
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	program_free(back);
	test_home_free(&own);
}

static int teardown(void **state)
{
	test_home_free(&home);
	return 0;
}

int main(void)
{
	private_xdg();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_announces_every_step),
		cmocka_unit_test(full_screen_runs_to_the_end),
		cmocka_unit_test(safety_before_the_first_step),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
