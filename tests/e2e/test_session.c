/* SPDX-License-Identifier: ISC */
/* The session on a real pseudo-terminal: the phase words in order with the
 * right durations (sped up, and once in real time), pause, a resize storm,
 * hang-up with and without SIGHUP ignored, SIGTERM, q, plain mode, the
 * too-small message, NO_COLOR, guided steps, and Ctrl-Z both as the harness
 * sees it and as a job-control shell in tmux really stops lull. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "session_env.h"

static struct test_home home;

static struct pty *lull(const char *const *args, int rows, int cols, const char *const *extra_env,
			bool ignore_hup)
{
	const char *argv[16];
	size_t n = 0;
	argv[n++] = pty_lull_path();
	for (; args && *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	struct pty_options opt = { .rows = rows, .cols = cols, .env = test_env(&home, extra_env),
				   .ignore_sighup = ignore_hup };
	return pty_spawn(argv, &opt);
}

static int teardown(void **state)
{
	test_home_free(&home);
	return 0;
}

/* Restored: the alternate screen left and the cursor shown again, after the
 * last time it was hidden. */
static void assert_restored(struct pty *p)
{
	size_t len;
	const char *out = pty_output(p, &len);
	const char *last_hide = NULL, *last_show = NULL, *s;
	for (s = out; (s = memmem(s, len - (size_t)(s - out), "\033[?25l", 6)); s++)
		last_hide = s;
	for (s = out; (s = memmem(s, len - (size_t)(s - out), "\033[?25h", 6)); s++)
		last_show = s;
	assert_non_null(memmem(out, len, "\033[?1049l", 8));
	assert_non_null(last_show);
	assert_true(!last_hide || last_show > last_hide);
}

/* Pumps until the terminal has been given back (curses left the alternate
 * screen). Waiting for this before the exit avoids losing the last bytes
 * when the child's end races with the read of its output. */
static bool wait_restore_sent(struct pty *p, int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	for (;;) {
		size_t len;
		const char *out = pty_output(p, &len);
		if (memmem(out, len, "\033[?1049l", 8))
			return true;
		if (pty_now() >= until || pty_pump(p, 20) < 0)
			return false;
	}
}

struct phase_seen {
	const char *word;
	double t;
	int secs; /* > 0: with these seconds beside the bar */
};

/* Waits for each phase word in turn, as the big word shows it, and notes
 * when it appeared. (The bare word anywhere would do not: 478's guidance
 * says "Hold for seven", and a frame read in two pieces can show the new
 * Inhale above the old guidance line.) */
static void wait_words(struct pty *p, struct phase_seen *w, size_t n, int timeout_ms)
{
	for (size_t i = 0; i < n; i++) {
		if (!session_wait_phase(p, w[i].word, w[i].secs > 0 ? w[i].secs : -1, timeout_ms))
			fail_msg("no '%s' with %d s (step %zu); screen:\n%s", w[i].word, w[i].secs, i, pty_screen(p));
		w[i].t = session_last_chunk_time(p);
	}
}

/* Not before its time: a word seen at `seen` (pty_now) must not come before
 * `session_s` seconds of a session at `scale` could have passed since the
 * spawn at t_spawn. A loaded machine only makes lull and this reader late,
 * never early, so this holds on any machine (a lower bound from a moment
 * before lull's clock started). How close to its time each word comes is a
 * figure, not a check: make bench-session's word_err_p95_ms and drift_30_ms.
 * (0.01 s: the stamps' own rounding.) */
static void assert_not_before(double seen, double t_spawn, double session_s, double scale, const char *what)
{
	if (seen < t_spawn + session_s / scale - 0.01)
		fail_msg("%s %.3f s after the start, before its time of %.3f s", what, seen - t_spawn,
			 session_s / scale);
}

static void box_phases_in_order(void **state)
{
	const char *args[] = { "start", "box", "--cycles", "1", "--no-audio", NULL };
	const char *env[] = { "LULL_TIME_SCALE=4", NULL };
	double t0 = pty_now();
	struct pty *p = lull(args, 24, 80, env, false);
	struct phase_seen w[] = { { "Inhale", 0, 0 }, { "Hold", 0, 0 }, { "Exhale", 0, 0 }, { "Hold", 0, 0 } };
	wait_words(p, w, 4, 30000); /* 30 s: a hang guard, not a timing */
	/* In order (wait_words), each after its 4 s at 4x. */
	for (int i = 1; i < 4; i++)
		assert_not_before(w[i].t, t0, 4.0 * i, 4, w[i].word);
	assert_true(pty_wait_text(p, "box finished", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_not_before(pty_exit_time(p), t0, 16, 4, "the exit");
	assert_restored(p);
	assert_true(pty_screen_has(p, "box finished"));
	pty_free(p);
}

static void phases_478(void **state)
{
	/* The lit screen all through (478 is for sleep: dark by default). */
	const char *args[] = { "start", "478", "--cycles", "2", "--no-audio", "--no-dark", NULL };
	const char *env[] = { "LULL_TIME_SCALE=8", NULL };
	double t0 = pty_now();
	struct pty *p = lull(args, 24, 80, env, false);
	struct phase_seen w[] = { { "Inhale", 0, 0 }, { "Hold", 0, 0 }, { "Exhale", 0, 0 },
				  { "Inhale", 0, 0 }, { "Hold", 0, 0 }, { "Exhale", 0, 0 } };
	/* The tongue and the first full exhale come first (27 s, 3.4 s here);
	 * then 4, 7, 8 a cycle. In order, none before its time. */
	wait_words(p, w, 6, 30000); /* a hang guard */
	const double at[] = { 27, 31, 38, 46, 50, 57 };
	for (int i = 0; i < 6; i++)
		assert_not_before(w[i].t, t0, at[i], 8, w[i].word);
	/* No hold after the exhale: cycle 2 starts right after it. */
	assert_true(pty_screen_has(p, "cycle 2 of 2"));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
}

/* Real time, no scale: the inhale of box lasts four seconds, with no
 * seconds beside its word (the bar is its count), and the hold after it
 * counts its seconds down, one a second. */
static void real_time(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	double t0 = pty_now();
	struct pty *p = lull(args, 24, 80, NULL, false);
	struct phase_seen w[] = { { "Inhale", 0, 0 }, { "Hold", 0, 4 }, { "Hold", 0, 3 }, { "Hold", 0, 1 },
				  { "Exhale", 0, 0 } };
	wait_words(p, w, 1, 30000); /* 30 s: hang guards */
	int secs = 0;
	assert_true(session_phase_word_at(p, "Inhale", &secs) >= 0);
	assert_int_equal(secs, -1);
	/* The hold counts down in order, each second not before its time. */
	wait_words(p, w + 1, 4, 30000);
	const double at[] = { 0, 4, 5, 7, 8 };
	for (int i = 1; i < 5; i++)
		assert_not_before(w[i].t, t0, at[i], 1, w[i].word);
	pty_send(p, "q");
	assert_true(pty_wait_text(p, "box ended after 0:0", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_restored(p);
	pty_free(p);
}

/* "Hold 3": the phase word and its seconds (session_phase_text). */
static char *word_row(struct pty *p)
{
	char buf[64];
	session_phase_text(p, buf, sizeof buf);
	return strdup(buf);
}

static void pause_really_pauses(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	const char *env[] = { "LULL_TIME_SCALE=2", NULL };
	struct pty *p = lull(args, 24, 80, env, false);
	assert_true(session_wait_phase(p, "Hold", 3, 30000));
	pty_send(p, " ");
	assert_true(pty_wait_text(p, "Paused", 30000));
	char *frozen = word_row(p);
	assert_true(strncmp(frozen, "Hold ", 5) == 0);
	char *frozen_left = strdup(pty_row(p, 0));
	/* 1.5 s of real time is 3 s of session time: would be a new phase. */
	double until = pty_now() + 1.5;
	while (pty_now() < until)
		pty_pump(p, 100);
	char *after = word_row(p);
	assert_string_equal(frozen, after);
	free(after);
	/* Resume: the countdown moves on from where it stopped. */
	pty_send(p, " ");
	assert_true(pty_wait_no_text(p, "Paused", 2000));
	double moved = pty_now() + 30; /* a hang guard: the loop ends at the move */
	for (;;) {
		after = word_row(p);
		if (strcmp(after, frozen) != 0 || pty_now() > moved || pty_pump(p, 20) < 0)
			break;
		free(after);
	}
	assert_string_not_equal(after, frozen);
	assert_true(strcmp(after, "Hold 2") == 0 || strcmp(after, "Hold 1") == 0 || strcmp(after, "Exhale") == 0);
	free(after);
	free(frozen);
	free(frozen_left);
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
}

static void resize_storm(void **state)
{
	const char *args[] = { "start", "box", "--cycles", "8", "--no-audio", NULL };
	struct pty *p = lull(args, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	static const int sizes[][2] = {
		{ 1, 1 }, { 2, 3 }, { 24, 80 }, { 5, 19 }, { 6, 20 }, { 1, 80 }, { 50, 1 }, { 3, 200 },
		{ 60, 200 }, { 7, 21 }, { 10, 30 }, { 12, 40 }, { 1, 1 }, { 16, 50 }, { 30, 100 },
		{ 8, 25 }, { 2, 2 }, { 40, 132 }, { 6, 19 }, { 5, 20 }, { 9, 60 }, { 11, 11 },
		{ 24, 80 }, { 13, 33 }, { 20, 20 }, { 100, 300 }, { 4, 4 }, { 18, 70 }, { 1, 2 },
		{ 25, 81 }, { 14, 44 }, { 33, 66 }, { 3, 3 }, { 22, 79 }, { 6, 6 }, { 24, 80 },
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		pty_resize(p, sizes[i][0], sizes[i][1]);
		pty_pump(p, 5);
	}
	/* Small, then exactly at the limit. */
	pty_resize(p, 5, 19);
	assert_true(pty_wait_text(p, "Please make the", 30000));
	pty_resize(p, 6, 20);
	assert_true(pty_wait_no_text(p, "Please make", 2000));
	pty_resize(p, 24, 80);
	assert_true(pty_wait_text(p, "space pause   q quit", 30000));
	assert_true(pty_wait_text(p, " left", 30000));
	assert_false(pty_screen_has(p, "Please make"));
	/* Still alive and drawing a full, correct screen. */
	assert_true(pty_screen_has(p, "Box breathing"));
	assert_true(pty_screen_has(p, "cycle 1 of 8"));
	char *w = word_row(p);
	assert_true(strlen(w) > 0);
	free(w);
	int status;
	assert_false(pty_wait_exit(p, 10, &status));
	pty_send(p, "q");
	assert_true(pty_wait_text(p, "box ended after", 30000));
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_restored(p);
	pty_free(p);
}

/* The hang-up is handled at lull's next wake-up: after the terminal is
 * gone, lull's debug log (stamped on CLOCK_MONOTONIC, pty_now's clock)
 * shows at most the one frame that was already due, then the hang-up (or
 * SIGHUP), and lull exits with the end recorded as a hang-up. An order,
 * not a speed: how many milliseconds it takes is make bench-session's
 * hangup_ms (a loaded machine took 461 ms here once, against a bound of
 * 100). The 30 s wait only stops a hung test. */
static void hangup(bool ignore)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	const char *env[] = { "LULL_DEBUG=1", NULL };
	struct pty *p = lull(args, 24, 80, env, ignore);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	double t0 = pty_now();
	pty_hangup(p);
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	if (!ignore)
		assert_true((WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP) ||
			    (WIFEXITED(status) && WEXITSTATUS(status) == 0));
	else
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(p);

	char path[400];
	snprintf(path, sizeof path, "%s/state/lull/debug.log", home.dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[600];
	int frames = 0;
	bool seen = false;
	while (!seen && fgets(line, sizeof line, f)) {
		double t;
		if (sscanf(line, "%lf", &t) != 1 || t < t0 || !strstr(line, " tty_run: "))
			continue;
		if (strstr(line, ": wake deadline:"))
			frames++;
		else if (strstr(line, ": hang-up ") || strstr(line, ": signal 1\n"))
			seen = true;
	}
	fclose(f);
	if (!seen)
		print_message("no hang-up in the log: the frame after it met the closed terminal\n");
	if (frames > 1)
		fail_msg("%d frames after the hang-up (SIGHUP %s)", frames, ignore ? "ignored" : "default");
	snprintf(path, sizeof path, "%s/state/lull/history.tsv", home.dir);
	f = fopen(path, "r");
	assert_non_null(f);
	bool hung = false;
	while (fgets(line, sizeof line, f))
		hung = strstr(line, "hangup") != NULL;
	fclose(f);
	assert_true(hung);
	unlink(path);
	snprintf(path, sizeof path, "%s/state/lull/debug.log", home.dir);
	unlink(path);
}

static void hangup_exits_fast(void **state) { hangup(false); }
static void hangup_exits_fast_with_sighup_ignored(void **state) { hangup(true); }

static void signal_restores(int sig)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	struct pty *p = lull(args, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	pty_signal(p, sig);
	assert_true(wait_restore_sent(p, 2000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	/* Re-raised after the clean-up: the parent sees the true cause. */
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), sig);
	assert_restored(p);
	pty_free(p);
}

static void sigterm_restores(void **state) { signal_restores(SIGTERM); }
static void sigint_restores(void **state) { signal_restores(SIGINT); }

static void sound_off_over_ssh(void **state)
{
	const char *args[] = { "start", "box", NULL };
	const char *env[] = { "SSH_CONNECTION=10.0.0.1 5000 10.0.0.2 22", "PULSE_SERVER", NULL };
	struct pty *p = lull(args, 24, 80, env, false);
#ifdef HAVE_AUDIO
	/* One line that says how to hear it: lull ssh from the person's own
	 * machine, to this one by its name. */
	char host[256] = "", want[320];
	assert_int_equal(gethostname(host, sizeof host - 1), 0);
	snprintf(want, sizeof want, "Sound is off over SSH; from your own machine, run 'lull ssh %s'", host);
	if (strlen(want) > 78) /* the status line's room at 80 columns: shortened */
		want[60] = '\0';
	assert_true(pty_wait_text(p, want, 30000));
#else
	/* Built without sound, --audio would not help: say the real reason. */
	assert_true(pty_wait_text(p, "built without sound", 30000));
#endif
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	/* With --no-audio nothing needs saying. */
	const char *quiet[] = { "start", "box", "--no-audio", NULL };
	p = lull(quiet, 24, 80, env, false);
	assert_true(pty_wait_text(p, "space pause", 30000));
	assert_false(pty_screen_has(p, "Sound is off"));
	pty_send(p, "q");
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
}

/* Not a UTF-8 locale: the bar and lines are ASCII, no eighth blocks. */
static void ascii_outside_utf8(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	const char *env[] = { "LC_ALL=C", "LANG=C", NULL };
	struct pty *p = lull(args, 24, 80, env, false);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	assert_true(pty_wait_text(p, "####", 30000));
	assert_true(pty_wait_text(p, "-----", 30000));
	size_t len;
	const char *out = pty_output(p, &len);
	assert_null(memmem(out, len, "\xe2\x96", 2)); /* U+2580..U+25BF */
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
}

static void start_help(void **state)
{
	const char *args[] = { "start", "--help", NULL };
	struct pty *p = lull(args, 40, 100, NULL, false);
	assert_true(pty_wait_text(p, "Usage: lull start", 30000));
	assert_true(pty_wait_text(p, "not medical advice", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
}

static void escape_quits(void **state)
{
	const char *args[] = { "start", "coherent", "--no-audio", NULL };
	struct pty *p = lull(args, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	pty_send(p, "?");
	assert_true(pty_wait_text(p, "close this help", 30000));
	pty_send(p, "?");
	assert_true(pty_wait_no_text(p, "close this help", 2000));
	pty_send(p, "\033");
	assert_true(pty_wait_text(p, "coherent ended after", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_restored(p);
	pty_free(p);
}

/* Esc while the help box is open closes the box, as any key does; it does
 * not also end the session (it used to, recorded as quit). A second Esc,
 * with the box closed, ends it. */
static void escape_closes_help_only(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	const char *env[] = { "LULL_TIME_SCALE=4", NULL };
	struct pty *p = lull(args, 24, 80, env, false);
	assert_true(session_wait_phase_word(p, "Inhale", 30000));
	pty_send(p, "?");
	assert_true(pty_wait_text(p, "close this help", 30000));
	pty_send(p, "\033");
	assert_true(pty_wait_no_text(p, "close this help", 2000));
	/* Still running: the next phase comes (1 s at 4x), no end line. */
	assert_true(session_wait_phase_word(p, "Hold", 30000));
	assert_false(pty_screen_has(p, "ended after"));
	pty_send(p, "\033");
	assert_true(pty_wait_text(p, "box ended after", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
}

/* Keys pressed while paused are keys, not a sign that the terminal is gone:
 * a paused session has no time-out, and it used to count every wake-up of
 * its input toward a hang-up, ending itself after about a thousand keys.
 * Each '?' here is one wake-up (the help box opens or closes, and the test
 * waits for that before the next key). */
static void keys_while_paused_are_keys(void **state)
{
	const char *args[] = { "start", "box", "--cycles", "50", "--no-audio", NULL };
	struct pty *p = lull(args, 24, 80, NULL, false);
	assert_true(session_wait_phase_word(p, "Inhale", 30000));
	pty_send(p, " ");
	assert_true(pty_wait_text(p, "Paused", 30000));
	for (int i = 0; i < 1200; i++) {
		pty_send(p, "?");
		bool ok = i % 2 == 0 ? pty_wait_text(p, "close this help", 2000)
				     : pty_wait_no_text(p, "close this help", 2000);
		if (!ok)
			fail_msg("key %d: no help box change; screen:\n%s", i, pty_screen(p));
	}
	assert_true(pty_screen_has(p, "Paused"));
	assert_false(pty_screen_has(p, "ended after"));
	pty_send(p, "q");
	assert_true(pty_wait_text(p, "box ended after", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
}

/* Ctrl-C ends with the same words as q: what was done, of how long. */
static void ctrl_c_says_what_q_says(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	struct pty *p = lull(args, 24, 80, NULL, false);
	assert_true(session_wait_phase_word(p, "Inhale", 30000));
	pty_signal(p, SIGINT);
	assert_true(pty_wait_text(p, "lull: box ended after 0:0", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
	pty_free(p);
}

/* Plain mode on a terminal, as a screen reader user has it: each phase line
 * says the cycle and the time left; space pauses and resumes, q ends, as on
 * the full screen; the keys are not echoed into the transcript, and an arrow
 * key (an escape sequence) is not Esc. */
static void plain_keys_work_unechoed(void **state)
{
	const char *args[] = { "start", "box", "--cycles", "3", "--plain", "--no-audio", NULL };
	const char *env[] = { "LULL_TIME_SCALE=4", NULL };
	struct pty *p = lull(args, 24, 80, env, false);
	assert_true(pty_wait_text(p, "Space pauses, q ends", 30000));
	assert_true(pty_wait_text(p, "00:00 Inhale 4s, cycle 1 of 3, 0:48 left", 30000));
	pty_send(p, "~");         /* a key that does nothing: not echoed */
	pty_send(p, "\033[A");    /* an arrow: not Esc */
	pty_send(p, " ");
	assert_true(pty_wait_text(p, "Paused; space resumes, q ends", 30000));
	/* Paused: 1.5 s real is 6 s of session time, and no phase line comes. */
	assert_false(pty_screen_has(p, "00:08 Exhale"));
	double until = pty_now() + 1.5;
	while (pty_now() < until)
		pty_pump(p, 100);
	assert_false(pty_screen_has(p, "00:08 Exhale"));
	pty_send(p, " ");
	assert_true(pty_wait_text(p, "Resumed", 30000));
	assert_true(pty_wait_text(p, "Hold 4s, cycle 1 of 3", 30000));
	pty_send(p, "q");
	assert_true(pty_wait_text(p, "Stopped", 30000));
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Nothing typed shows: no ~, no [A. */
	const char *screen = pty_screen(p);
	assert_null(strstr(screen, "~"));
	assert_null(strstr(screen, "[A"));
	pty_free(p);
}

static void plain_lines(const char *const *env, const char *shell_cmd, const char *why)
{
	const char *argv[] = { "/bin/sh", "-c", shell_cmd, NULL };
	const char *extra[8];
	size_t n = 0;
	extra[n++] = "LULL_TIME_SCALE=50";
	for (; env && *env; env++)
		extra[n++] = *env;
	extra[n] = NULL;
	/* Wide, so that the safety note and the instructions stay one line each. */
	struct pty_options opt = { .rows = 24, .cols = 200, .env = test_env(&home, extra) };
	struct pty *p = pty_spawn(argv, &opt);
	int status;
	assert_true(pty_wait_text(p, "01:20 Done", 30000));
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	const char *s = pty_screen(p);
	/* 478 as Weil teaches it: the tongue's place and a full exhale (27 s),
	 * the breaths, a word after them (15 s). */
	const char *want[] = { "Safety: This holds the breath", "00:00 Guide 18s Sit with your back",
			       "00:18 Guide 9s Breathe out completely", "00:27 Inhale 4s", "00:31 Hold 7s",
			       "00:38 Exhale 8s", "00:46 Inhale 4s", "00:50 Hold 7s", "00:57 Exhale 8s",
			       "01:05 Guide 15s Now breathe normally", "01:20 Done" };
	const char *at = s;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *f = strstr(at, want[i]);
		if (!f)
			fail_msg("no '%s' in order; output:\n%s", want[i], s);
		at = f + strlen(want[i]);
	}
	/* No screen control in plain output. */
	size_t len;
	const char *out = pty_output(p, &len);
	assert_null(memmem(out, len, "\033[", 2));
	if (why)
		assert_non_null(strstr(s, why));
	pty_free(p);
}

static void plain_through_a_pipe(void **state)
{
	plain_lines(NULL, "\"$LULL_BIN\" start 478 --cycles 2 --no-audio | cat", NULL);
}

static void plain_on_a_dumb_terminal(void **state)
{
	const char *env[] = { "TERM=dumb", NULL };
	plain_lines(env, "exec \"$LULL_BIN\" start 478 --cycles 2 --no-audio", NULL);
}

static void plain_for_an_unknown_terminal(void **state)
{
	const char *env[] = { "TERM=no-such-terminal-here", NULL };
	plain_lines(env, "exec \"$LULL_BIN\" start 478 --cycles 2 --no-audio",
		    "terminal type 'no-such-terminal-here' is unknown");
}

static void plain_when_asked(void **state)
{
	plain_lines(NULL, "exec \"$LULL_BIN\" start 478 --cycles 2 --plain --no-audio", NULL);
}

static void too_small(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	struct pty *p = lull(args, 5, 40, NULL, false);
	assert_true(pty_wait_text(p, "Please make the terminal larger", 30000));
	pty_resize(p, 24, 80);
	assert_true(pty_wait_text(p, "Box breathing", 30000));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
}

static bool has_color_codes(struct pty *p)
{
	size_t len;
	const char *out = pty_output(p, &len);
	for (size_t i = 0; i + 3 < len; i++) {
		if (out[i] != '\033' || out[i + 1] != '[')
			continue;
		/* An SGR with 3x/4x/38;5/48;5 sets a colour. */
		size_t j = i + 2;
		while (j < len && ((out[j] >= '0' && out[j] <= '9') || out[j] == ';'))
			j++;
		if (j < len && out[j] == 'm') {
			for (size_t k = i + 2; k < j; k++) {
				bool start = k == i + 2 || out[k - 1] == ';';
				if (start && (out[k] == '3' || out[k] == '4') && k + 1 < j &&
				    out[k + 1] >= '0' && out[k + 1] <= '9')
					return true;
			}
		}
	}
	return false;
}

static void no_color(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	/* With colour: the night palette is there (so the check below can fail). */
	struct pty *p = lull(args, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	assert_true(pty_wait_text(p, "cycle 1", 30000));
	assert_true(has_color_codes(p));
	pty_free(p);
	const char *env[] = { "NO_COLOR=1", NULL };
	p = lull(args, 24, 80, env, false);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	assert_true(pty_wait_text(p, "cycle 1", 30000));
	assert_false(has_color_codes(p));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
}

static void safety_note_once(void **state)
{
	struct test_home own = { .dir = "" };
	const char *argv[] = { pty_lull_path(), "start", "box", "--no-audio", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = test_env(&own, NULL) };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "not medical advice", 30000));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	assert_true(pty_wait_text(p, "cycle 1", 30000));
	assert_false(pty_screen_has(p, "not medical advice"));
	pty_send(p, "q");
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	test_home_free(&own);
}

static void guided_steps(void **state)
{
	char driver[512];
	const char *b = getenv("LULL_BUILDDIR");
	snprintf(driver, sizeof driver, "%s/tests/e2e/session_driver", b ? b : ".");
	const char *argv[] = { driver, NULL };
	const char *extra[] = { "LULL_TIME_SCALE=10", NULL };
	struct pty_options opt = { .rows = 24, .cols = 50, .env = test_env(&home, extra) };
	double t_spawn = pty_now();
	struct pty *p = pty_spawn(argv, &opt);
	/* The instruction, wrapped to the width, its countdown and what is next. */
	assert_true(pty_wait_text(p, "Raise your shoulders toward your ears", 30000));
	assert_true(pty_wait_text(p, "them there, breathing in", 30000));
	assert_true(pty_wait_text(p, "Next: Let them drop. Notice the", 30000));
	assert_true(pty_wait_text(p, "5 s", 2000) || pty_screen_has(p, "4 s"));
	assert_true(pty_wait_text(p, "Let them drop. Notice the difference", 30000));
	assert_true(pty_wait_text(p, "Next: breathing 4-0-6-0, 0:20", 30000));
	/* The second step after the first's 5 s (its timing: make bench). */
	assert_not_before(pty_match_time(p), t_spawn, 5, 10, "the second step");
	/* The say line shows during the breathing block after it. */
	assert_true(pty_wait_text(p, "Breathe into your belly", 30000));
	assert_true(pty_screen_has(p, "Inhale"));
	assert_true(pty_wait_text(p, "Exhale", 30000));
	assert_true(pty_wait_text(p, "cycle 2 of 2", 30000));
	int status;
	assert_true(pty_wait_text(p, "driver finished", 30000));
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
	/* And plain: one line per step. */
	const char *pargv[] = { driver, "--plain", NULL };
	const char *fast[] = { "LULL_TIME_SCALE=100", NULL };
	struct pty_options popt = { .rows = 24, .cols = 100, .env = test_env(&home, fast) };
	p = pty_spawn(pargv, &popt);
	assert_true(pty_wait_text(p, "00:45 Done", 30000));
	assert_true(pty_wait_exit(p, 30000, &status));
	const char *s = pty_screen(p);
	const char *want[] = { "00:00 Guide 5s Raise your shoulders", "00:05 Guide 15s Let them drop.",
			       "00:20 Chime", "00:20 Say Breathe into your belly", "00:20 Inhale 4s",
			       "00:24 Exhale 6s", "00:40 Silence 5s", "00:45 Done" };
	const char *at = s;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *f = strstr(at, want[i]);
		if (!f)
			fail_msg("no '%s' in order; output:\n%s", want[i], s);
		at = f;
	}
	pty_free(p);
}

static void usage_errors(void **state)
{
	const char *cases[][6] = {
		{ "start", "box", "--cycles", "0", NULL },
		{ "start", "box", "--minutes", "x", NULL },
		{ "start", "box", "--cycles", "3", "--minutes", "2" },
		{ "start", "box", "extra", NULL },
		{ "start", "--nope", NULL },
		{ "start", "box", "--sound", ":0.5", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pty *p = lull(cases[i], 24, 80, NULL, false);
		int status;
		assert_true(pty_wait_text(p, "Try 'lull start --help'", 30000));
		assert_true(pty_wait_exit(p, 30000, &status));
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 2);
		pty_free(p);
	}
	const char *unknown[] = { "start", "no-such-program", NULL };
	struct pty *p = lull(unknown, 24, 80, NULL, false);
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 1);
	pty_free(p);
}

static void bell_rings_at_phase_changes(void **state)
{
	const char *args[] = { "start", "box", "--bell", "--no-audio", NULL };
	const char *env[] = { "LULL_TIME_SCALE=8", NULL };
	struct pty *p = lull(args, 24, 80, env, false);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	size_t len;
	const char *out = pty_output(p, &len);
	assert_null(memchr(out, '\a', len)); /* not at the start */
	assert_true(pty_wait_text(p, "Hold", 30000));
	out = pty_output(p, &len);
	assert_non_null(memchr(out, '\a', len));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
}

/* Ctrl-Z: the terminal is given back (the alternate screen left), and when
 * the process runs again the screen is drawn anew. (Under the harness lull
 * leads an orphaned process group, where the kernel does not stop it: the
 * whole suspend path runs, minus the stop itself.) */
static void ctrl_z_restores_and_redraws(void **state)
{
	const char *args[] = { "start", "box", "--no-audio", NULL };
	struct pty *p = lull(args, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "space pause", 30000));
	size_t before;
	pty_output(p, &before);
	pty_send(p, "\x1a");
	/* Wait until the restore has gone out, then for the screen to return. */
	double until = pty_now() + 30; /* a hang guard: the loop ends at the restore */
	bool left = false;
	while (!left && pty_now() < until) {
		pty_pump(p, 50);
		size_t len;
		const char *out = pty_output(p, &len);
		left = memmem(out + before, len - before, "\033[?1049l", 8) != NULL;
	}
	assert_true(left);
	assert_true(pty_wait_text(p, "space pause", 30000));
	assert_true(pty_wait_text(p, "Box breathing", 30000));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
}

/* The one child of process `parent` (0 if none or several). */
static pid_t only_child(pid_t parent)
{
	char path[64], buf[128];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)parent, (int)parent);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int a = 0, b = 0;
	int n = fgets(buf, sizeof buf, f) ? sscanf(buf, "%d %d", &a, &b) : 0;
	fclose(f);
	return n == 1 ? a : 0;
}

/* The state letter of a process ('T': stopped), or '?'. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return '?';
	char *got = fgets(buf, sizeof buf, f);
	fclose(f);
	char *rp = got ? strrchr(buf, ')') : NULL;
	return rp && rp[1] == ' ' ? rp[2] : '?';
}

/* Reads the terminal until time t (pty_pump returns with the first bytes). */
static void pump_until(struct pty *p, double t)
{
	for (double left; (left = t - pty_now()) > 0;)
		if (pty_pump(p, (int)(left * 1000) + 1) < 0)
			break;
}

/* Ctrl-Z for real: in a job-control shell (bash in a tmux pane) the kernel
 * stops lull, and the session clock stands still while it is stopped. Box
 * breathing's Inhale lasts 4 s: stopped 1 s into it for 2 s, the rest of
 * the inhale must come after the fg (nothing of it if the clock had run
 * on). */
static void ctrl_z_stop_pauses_the_clock(void **state)
{
	if (system("command -v tmux >/dev/null 2>&1 && command -v bash >/dev/null 2>&1") != 0)
		skip();
	test_env(&home, NULL);
	char tmpdir[300];
	snprintf(tmpdir, sizeof tmpdir, "TMUX_TMPDIR=%s", home.dir);
	const char *extra[] = { tmpdir, "TMUX", NULL };
	/* bash's words apart, so that tmux runs it itself: as one string it
	 * goes through the user's login shell, and where that is not bash
	 * (dash, as useradd gives) the pane's only child was bash, not lull. */
	const char *argv[] = { "tmux", "-f", "/dev/null", "new-session", "-s", "lullstop",
			       "bash", "--norc", "--noprofile", "-i", NULL };
	struct pty_options opt = { .rows = 25, .cols = 80, .env = test_env(&home, extra) };
	struct pty *p = pty_spawn(argv, &opt);
	if (!pty_wait_text(p, "bash-", 5000)) /* bash's own prompt, without a profile */
		fail_msg("no shell prompt in tmux; screen:\n%s", pty_screen(p));
	char cmd[600];
	snprintf(cmd, sizeof cmd, "'%s' start box --no-audio\r", pty_lull_path());
	double t_cmd = pty_now(); /* lull's clock starts after this */
	pty_send(p, cmd);
	assert_true(session_wait_phase_word(p, "Inhale", 30000));
	double t_in = session_last_chunk_time(p);

	/* Which process is lull: the pane's shell's only child. */
	char q[600];
	snprintf(q, sizeof q, "tmux -S '%s/tmux-%ld/default' list-panes -F '#{pane_pid}'", home.dir, (long)getuid());
	FILE *f = popen(q, "r");
	assert_non_null(f);
	int shell = 0;
	assert_int_equal(fscanf(f, "%d", &shell), 1);
	pclose(f);
	pid_t pid = only_child(shell);
	assert_true(pid > 0);
	assert_true(proc_state(pid) != 'T');

	pump_until(p, t_in + 1.0);
	double t_stop = pty_now();
	pty_send(p, "\x1a");
	assert_true(pty_wait_text(p, "Stopped", 30000));
	assert_int_equal(proc_state(pid), 'T');
	double t_T = pty_now(); /* stopped by now: at most this much inhale ran */
	pump_until(p, t_stop + 2.0);
	assert_int_equal(proc_state(pid), 'T'); /* still stopped: it did not run on */
	double t_fg = pty_now();
	pty_send(p, "fg\r");
	assert_true(session_wait_phase_word(p, "Hold", 30000));
	double t_hold = session_last_chunk_time(p);
	double stopped = t_fg - t_stop;
	print_message("Inhale to Hold %.2f s, stopped about %.2f s\n", t_hold - t_in, stopped);
	/* The clock stood still while lull was stopped: the inhale's rest (at
	 * least 4 s less what can have run from the command to the stop) comes
	 * after the fg. A clock that ran on would show the Hold at once. A
	 * bound load cannot break: each moment is taken before the one it
	 * bounds. */
	double rest = 4.0 - (t_T - t_cmd);
	if (rest < 0.5)
		print_message("a slow start: only %.2f s of the inhale are sure to be left\n", rest);
	if (t_hold - t_fg < rest - 0.01)
		fail_msg("the Hold %.2f s after the fg; at least %.2f s of the inhale were left", t_hold - t_fg, rest);

	pty_send(p, "q");
	assert_true(pty_wait_text(p, "ended after", 30000));
	pty_send(p, "exit\r");
	int status;
	pty_wait_exit(p, 3000, &status);
	snprintf(q, sizeof q, "tmux -S '%s/tmux-%ld/default' kill-server 2>/dev/null", home.dir, (long)getuid());
	if (system(q) != 0) {
		/* gone already with its last pane */
	}
	pty_free(p);
}

static const char *selected_row(struct pty *p)
{
	int rows, cols;
	pty_size(p, &rows, &cols);
	for (int r = 0; r < rows; r++)
		if (strstr(pty_row(p, r), "> "))
			return pty_row(p, r);
	return "";
}

static void menu_starts_and_remembers(void **state)
{
	const char *none[] = { NULL };
	/* Nothing used yet in this home: forget what earlier cases started. */
	test_env(&home, NULL);
	char last[400];
	snprintf(last, sizeof last, "%s/state/lull/last-program", home.dir);
	unlink(last);
	/* The menu starts programs with the settings' sound, which this test is
	 * not about: no device is opened (a failed ALSA open leaves libasound's
	 * caches behind, which LeakSanitizer reports at exit). */
	test_home_settings(&home, TEST_HOME_SETTINGS "audio = no\n");
	struct pty *p = lull(none, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "choose a program", 30000));
	assert_true(pty_wait_text(p, "up/down or j/k move", 30000));
	/* The library grouped by what it is for, the default program
	 * (winddown) chosen and marked. */
	assert_true(pty_screen_has(p, "Sleep"));
	assert_true(pty_screen_has(p, "Tension"));
	assert_non_null(strstr(selected_row(p), "winddown"));
	assert_non_null(strstr(selected_row(p), "default"));
	/* Each program once, in its group, in `lull list`'s order: Sleep is
	 * winddown, bodyscan, bed, shuffle, sleep; then Tension's pmr,
	 * neck-shoulders, back (winddown stood in three groups, pmr in Sleep). */
	pty_send(p, "j");
	assert_true(pty_wait_text(p, "> bodyscan", 30000));
	pty_send(p, "k");
	assert_true(pty_wait_text(p, "> winddown", 30000));
	/* The last group is Stretch, and stretch alone is in it: the row
	 * above is Breathing's last, relax. */
	pty_send(p, "G");
	assert_true(pty_wait_text(p, "> stretch", 30000));
	assert_true(pty_screen_has(p, "Stretch"));
	pty_send(p, "k");
	assert_true(pty_wait_text(p, "> relax", 30000));
	pty_send(p, "g");
	assert_true(pty_wait_text(p, "> winddown", 30000));
	pty_send(p, "jjjjjjj");
	assert_true(pty_wait_text(p, "> back", 30000));
	pty_send(p, "\r");
	assert_true(pty_wait_text(p, "Sit on the front half", 30000));
	assert_true(pty_screen_has(p, "Gentle back"));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_int_equal(WEXITSTATUS(status), 0);
	pty_free(p);
	/* Again: back, used last, is preselected; q leaves without starting. */
	p = lull(none, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "choose a program", 30000));
	assert_true(pty_wait_text(p, "> back", 30000));
	pty_send(p, "q");
	assert_true(wait_restore_sent(p, 2000));
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_restored(p);
	pty_free(p);
	test_home_settings(&home, TEST_HOME_SETTINGS);
}

/* Whether the menu's list reaches down to the detail under it: the list
 * from row 2 down, one blank row, then the chosen program's title. Pumps
 * until it does (a resize is drawn when its signal is taken) or the time
 * runs out; on failure the screen is in *why. */
static bool menu_list_full(struct pty *p, const char *detail, int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	for (;;) {
		int rows, cols, r = 2;
		pty_size(p, &rows, &cols);
		while (r < rows && pty_row(p, r)[0])
			r++;
		if (r > 2 && r + 1 < rows && strstr(pty_row(p, r + 1), detail))
			return true;
		if (pty_now() >= until || pty_pump(p, 50) < 0)
			return false;
	}
}

/* Scrolled to the end in a short window, then the window grows: the list
 * fills it again from its first program. It kept its scroll position: at
 * 12 rows scrolled to stretch and grown to 60, the menu showed the last
 * groups and 45 blank rows under them, winddown and the rest out of view. */
static void menu_fills_a_grown_window(void **state)
{
	const char *none[] = { NULL };
	test_env(&home, NULL);
	test_home_settings(&home, TEST_HOME_SETTINGS "audio = no\n");
	struct pty *p = lull(none, 12, 80, NULL, false);
	assert_true(pty_wait_text(p, "choose a program", 30000));
	pty_send(p, "G");
	assert_true(pty_wait_text(p, "> stretch", 30000));
	assert_false(pty_screen_has(p, "winddown"));
	pty_resize(p, 60, 80);
	assert_true(pty_wait_text(p, "up/down or j/k move", 30000));
	/* The whole list: the first group's first program to the last. */
	if (!pty_wait_text(p, "winddown", 5000))
		fail_msg("grown to 60 rows, the list did not scroll back:\n%s", pty_screen(p));
	assert_true(pty_wait_text(p, "> stretch", 30000));
	assert_string_equal(pty_row(p, 2), "  Sleep");
	/* Grown a little, and a little more: the list reaches the detail. */
	pty_resize(p, 12, 80);
	assert_true(pty_wait_no_text(p, "winddown", 30000));
	for (int rows = 13; rows <= 18; rows++) {
		pty_resize(p, rows, 80);
		if (!menu_list_full(p, "Gentle stretch", 5000))
			fail_msg("grown to %d rows, blank rows under the list:\n%s", rows, pty_screen(p));
	}
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	test_home_settings(&home, TEST_HOME_SETTINGS);
}

/* The chosen program is marked, not lit: a full-width reverse bar (76 cells
 * at 80 columns, the brightest thing on a dark screen) glared in a dark
 * bedroom. It is the '>' and its row in bold now, and no cell of the menu
 * is in reverse video. */
static void menu_selection_is_quiet(void **state)
{
	const char *none[] = { NULL };
	test_env(&home, NULL);
	char last[400]; /* winddown chosen, as nothing was used yet */
	snprintf(last, sizeof last, "%s/state/lull/last-program", home.dir);
	unlink(last);
	test_home_settings(&home, TEST_HOME_SETTINGS "audio = no\n");
	struct pty *p = lull(none, 24, 80, NULL, false);
	assert_true(pty_wait_text(p, "choose a program", 30000));
	assert_true(pty_wait_text(p, "> winddown", 30000));
	pty_send(p, "j");
	assert_true(pty_wait_text(p, "> bodyscan", 30000));
	int reverse = 0, row = -1;
	for (int r = 0; r < 24; r++) {
		if (strstr(pty_row(p, r), "> bodyscan"))
			row = r;
		for (int c = 0; c < 80; c++)
			reverse += (pty_cell_attrs(p, r, c) & PTY_REVERSE) != 0;
	}
	if (reverse)
		fail_msg("%d cells in reverse video on the menu", reverse);
	assert_true(row >= 0);
	/* The name stands out in bold; the row below does not. */
	const char *line = pty_row(p, row);
	int at = (int)(strstr(line, "bodyscan") - line);
	for (int c = at; c < at + 8; c++)
		assert_true(pty_cell_attrs(p, row, c) & PTY_BOLD);
	assert_false(pty_cell_attrs(p, row + 1, at) & PTY_BOLD);
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	test_home_settings(&home, TEST_HOME_SETTINGS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(box_phases_in_order),
		cmocka_unit_test(phases_478),
		cmocka_unit_test(real_time),
		cmocka_unit_test(pause_really_pauses),
		cmocka_unit_test(resize_storm),
		cmocka_unit_test(hangup_exits_fast),
		cmocka_unit_test(hangup_exits_fast_with_sighup_ignored),
		cmocka_unit_test(sigterm_restores),
		cmocka_unit_test(sigint_restores),
		cmocka_unit_test(ctrl_c_says_what_q_says),
		cmocka_unit_test(plain_keys_work_unechoed),
		cmocka_unit_test(sound_off_over_ssh),
		cmocka_unit_test(start_help),
		cmocka_unit_test(ascii_outside_utf8),
		cmocka_unit_test(escape_quits),
		cmocka_unit_test(escape_closes_help_only),
		cmocka_unit_test(keys_while_paused_are_keys),
		cmocka_unit_test(plain_through_a_pipe),
		cmocka_unit_test(plain_on_a_dumb_terminal),
		cmocka_unit_test(plain_for_an_unknown_terminal),
		cmocka_unit_test(plain_when_asked),
		cmocka_unit_test(too_small),
		cmocka_unit_test(no_color),
		cmocka_unit_test(safety_note_once),
		cmocka_unit_test(guided_steps),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(bell_rings_at_phase_changes),
		cmocka_unit_test(ctrl_z_restores_and_redraws),
		cmocka_unit_test(ctrl_z_stop_pauses_the_clock),
		cmocka_unit_test(menu_starts_and_remembers),
		cmocka_unit_test(menu_fills_a_grown_window),
		cmocka_unit_test(menu_selection_is_quiet),
	};
	/* LULL_TEST_FILTER=menu_* runs the cases whose names match. */
	const char *filter = getenv("LULL_TEST_FILTER");
	if (filter && *filter)
		cmocka_set_test_filter(filter);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
