/* SPDX-License-Identifier: ISC */
/* The dark screen on a real pseudo-terminal, sped up (LULL_TIME_SCALE): a
 * sleep program dims step by step (the frame goes, then the counters and the
 * guidance, then all but the bar) and is black well before its end; a key
 * lights the whole screen for a few seconds and does nothing else (q does
 * not end the session), and the dark comes back; on the lit screen a key
 * does what it does; --plain still prints every line. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dark.h"
#include "harness.h"
#include "session_env.h"

static struct test_home home;

static struct pty *lull(const char *const *args, const char *scale)
{
	const char *argv[16];
	size_t n = 0;
	argv[n++] = pty_lull_path();
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	const char *env[] = { scale, NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = test_env(&home, env) };
	return pty_spawn(argv, &opt);
}

static int teardown(void **state)
{
	test_home_free(&home);
	return 0;
}

static bool has_letter(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return true;
	return false;
}

/* Pumps until cond holds of the screen, or the time runs out. */
static bool wait_screen(struct pty *p, bool (*cond)(struct pty *), int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	while (!cond(p)) {
		double left = until - pty_now();
		long got = left > 0 ? pty_pump(p, (int)(left * 1000) + 1) : 0;
		if (left <= 0 || got < 0) {
			print_message("wait: %s after %.1f s\n", got < 0 ? "the end" : "timed out", timeout_ms / 1000.0 - left);
			return false;
		}
	}
	return true;
}

static bool is_dimmed(struct pty *p)
{
	return !pty_screen_has(p, "space pause") && !pty_screen_has(p, "min left") && pty_screen_has(p, "Inhale");
}

static bool is_dimmer(struct pty *p)
{
	/* The word, and no other text: no guidance line. (Sleep breathes
	 * 4-0-6-0, with no hold, so no seconds stand beside its word at any
	 * level.) */
	int rows, cols, texts = 0;
	pty_size(p, &rows, &cols);
	for (int y = 0; y < rows; y++)
		texts += has_letter(pty_row(p, y));
	return texts == 1 && (session_shows_phase_word(p, "Exhale") || session_shows_phase_word(p, "Inhale"));
}

static bool is_bar_alone(struct pty *p)
{
	const char *s = pty_screen(p);
	return !has_letter(s) && strstr(s, "\xe2\x96\x88"); /* full blocks, nothing else */
}

static bool is_black(struct pty *p)
{
	return strspn(pty_screen(p), "\n ") == strlen(pty_screen(p));
}

/* Blank, and still blank 1.5 s later: not the near-black bar at the
 * bottom of an exhale (empty for a moment). */
static bool wait_black(struct pty *p, int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	while (pty_now() < until) {
		if (!wait_screen(p, is_black, (int)((until - pty_now()) * 1000) + 1))
			return false;
		double since = pty_now();
		while (is_black(p) && pty_now() < since + 1.5)
			if (pty_pump(p, 50) < 0)
				return false;
		if (is_black(p))
			return true;
	}
	return false;
}

static bool is_lit(struct pty *p)
{
	return pty_screen_has(p, "Breathing for sleep") && pty_screen_has(p, "space pause");
}

/* sleep for 6 minutes at 9x: 40 s. Black from 4:30 (30 s in), the steps
 * every 67.5 s before it (7.5, 15 and 22.5 s in). */
static void sleep_goes_dark_and_a_key_lights_it(void **state)
{
	pace_us total = 360 * PACE_US_PER_S;
	assert_int_equal(dark_start(total, DARK_BLACK), 270 * PACE_US_PER_S);
	const char *args[] = { "start", "sleep", "--minutes", "6", "--no-audio", NULL };
	double t0 = pty_now(); /* before lull's clock starts */
	struct pty *p = lull(args, "LULL_TIME_SCALE=9");
	/* The steps in order; the waits are hang guards, not timings. */
	assert_true(wait_screen(p, is_lit, 30000));
	if (!wait_screen(p, is_dimmed, 30000))
		fail_msg("not dimmed; screen:\n%s", pty_screen(p));
	if (!wait_screen(p, is_dimmer, 30000))
		fail_msg("not dimmer; screen:\n%s", pty_screen(p));
	if (!wait_screen(p, is_bar_alone, 30000))
		fail_msg("no bar alone; screen:\n%s", pty_screen(p));
	if (!wait_black(p, 30000))
		fail_msg("not black; screen:\n%s", pty_screen(p));
	/* Seen black at least 1.5 s before now, and not before its time (30 s
	 * from a moment before the start: load makes it late, never early). */
	double black = pty_now() - 1.5 - t0;
	print_message("black %.1f s in (30 s due, 40 s in all)\n", black);
	assert_true(black >= 30 - 0.01);

	/* q, on the black screen: the whole screen for a few seconds, and the
	 * session goes on. */
	double lit = pty_now(); /* before the key, so before the light */
	pty_send(p, "q");
	if (!wait_screen(p, is_lit, 30000))
		fail_msg("a key did not light the screen:\n%s", pty_screen(p));
	for (double until = lit + 1.0; pty_now() < until;)
		pty_pump(p, 50);
	assert_true(is_lit(p));
	int status;
	assert_int_equal(waitpid(pty_pid(p), &status, WNOHANG), 0); /* q did not end it */
	/* And dark again, before the end. */
	if (!wait_black(p, 30000))
		fail_msg("not dark again; screen:\n%s", pty_screen(p));
	/* Not dark again too soon: the same kind of bound, from the key. */
	print_message("lit for %.1f s\n", pty_now() - 1.5 - lit);
	assert_true(pty_now() - 1.5 - lit > 4.5);
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(pty_screen_has(p, "sleep finished"));
	pty_free(p);
}

/* On a lit screen a key is a key: dimmed, the first q lights it, the next
 * ends the session. --dark takes any program into the dark. */
static void the_second_key_is_a_key(void **state)
{
	const char *args[] = { "start", "box", "--cycles", "4", "--no-audio", "--dark", NULL };
	struct pty *p = lull(args, "LULL_TIME_SCALE=8");
	assert_true(pty_wait_text(p, "space pause", 30000));
	if (!wait_screen(p, is_dimmed, 5000))
		fail_msg("not dimmed; screen:\n%s", pty_screen(p));
	pty_send(p, "q");
	assert_true(pty_wait_text(p, "space pause", 30000));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(pty_screen_has(p, "box ended after"));
	pty_free(p);
}

/* Plain lines are for reading: dark or not, every one is printed. */
static void plain_prints_every_line(void **state)
{
	const char *args[] = { "start", "478", "--cycles", "2", "--plain", "--dark", "--no-audio", NULL };
	struct pty *p = lull(args, "LULL_TIME_SCALE=50");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* 478 as Weil teaches it: the tongue's place and a full exhale first,
	 * a word after the breaths. More lines than the screen has rows: read
	 * the output, not the screen. */
	const char *want[] = { "Safety: ", "00:00 Guide 18s", "00:18 Guide 9s", "00:27 Inhale 4s", "00:31 Hold 7s",
			       "00:38 Exhale 8s", "00:46 Inhale 4s", "00:50 Hold 7s", "00:57 Exhale 8s",
			       "01:05 Guide 15s", "01:20 Done" };
	size_t len;
	const char *out = pty_output(p, &len);
	char *s = strndup(out, len);
	const char *at = s;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *f = strstr(at, want[i]);
		if (!f)
			fail_msg("no '%s' in order; output:\n%s", want[i], s);
		at = f + strlen(want[i]);
	}
	free(s);
	pty_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sleep_goes_dark_and_a_key_lights_it),
		cmocka_unit_test(the_second_key_is_a_key),
		cmocka_unit_test(plain_prints_every_line),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
