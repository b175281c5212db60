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
#include <sys/wait.h>

#include "catalog.h"
#include "harness.h"
#include "program.h"
#include "session_env.h"

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
		assert_true(pty_wait_exit(p, 15000, &status));
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
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
