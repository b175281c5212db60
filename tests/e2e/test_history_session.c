/* SPDX-License-Identifier: ISC */
/* A session leaves exactly one history entry however it ends: finished, q,
 * SIGTERM, or a hang-up, with the right "end" and a sensible length.
 * With --checkin, the answers before and after land in that entry.
 * LULL_TIME_SCALE=20 runs the program twenty times as fast. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "history.h"
#include "paths.h"
#include "util.h"
#include "../testhome.h"

static char hist[300];

static int setup(void **state)
{
	(void)state;
	assert_non_null(testhome_enter("hsession"));
	testhome_path("state/lull/history.tsv", hist, sizeof hist);
	/* box holds the breath, so it has a safety page; these cases are
	 * about the history, not the page (test_library's are). */
	char path[300];
	mkdir(testhome_path("config", path, sizeof path), 0700);
	mkdir(testhome_path("config/lull", path, sizeof path), 0700);
	FILE *f = fopen(testhome_path("config/lull/config", path, sizeof path), "w");
	assert_non_null(f);
	fputs("safety_wait = no\nsafety_seconds = 0\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(testhome_remove(), 0);
	return 0;
}

static struct pty *start(const char *cycles)
{
	const char *argv[] = { pty_lull_path(), "start", "box", "--cycles", cycles,
	                       "--no-audio", NULL };
	static const char *const env[] = { "LULL_TIME_SCALE=20", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	/* Wait until the session screen is up: something drawn on it. */
	double until = pty_now() + 30; /* a hang guard */
	const char *screen = pty_screen(p);
	while (pty_now() < until && screen[strspn(screen, " \n")] == '\0') {
		pty_pump(p, 100);
		screen = pty_screen(p);
	}
	assert_true(screen[strspn(screen, " \n")] != '\0');
	return p;
}

/* Exactly one entry, ended as expected; returns it. */
static struct history_entry the_entry(enum history_end want)
{
	struct history h;
	history_init(&h);
	char err[256];
	assert_int_equal(history_load(hist, &h, stderr, err, sizeof err), 0);
	assert_int_equal(h.bad_lines, 0);
	assert_int_equal(h.n, 1);
	struct history_entry e = h.entries[0];
	assert_int_equal(e.end, want);
	assert_string_equal(e.program, "box");
	assert_true(e.planned_s > 0);
	assert_true(e.actual_s >= 0);
	history_free(&h);
	struct stat st;
	assert_int_equal(stat(hist, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	return e;
}

static void finished(void **state)
{
	(void)state;
	struct pty *p = start("1");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	struct history_entry e = the_entry(HISTORY_FINISHED);
	assert_true(e.practice);
	assert_true(e.planned_s == 16); /* box: 4-4-4-4 */
}

static void quit_with_q(void **state)
{
	(void)state;
	struct pty *p = start("50");
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	struct history_entry e = the_entry(HISTORY_QUIT);
	assert_true(e.actual_s < e.planned_s);
}

static void sigterm(void **state)
{
	(void)state;
	struct pty *p = start("50");
	assert_int_equal(pty_signal(p, SIGTERM), 0);
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	the_entry(HISTORY_SIGNAL);
}

static void hangup(void **state)
{
	(void)state;
	struct pty *p = start("50");
	pty_hangup(p);
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	the_entry(HISTORY_HANGUP);
}

/* box, one cycle at 20x, with --checkin: both questions come quickly. */
static struct pty *start_checkin(void)
{
	const char *argv[] = { pty_lull_path(), "start", "box", "--cycles", "1", "--no-audio",
	                       "--checkin", NULL };
	static const char *const env[] = { "LULL_TIME_SCALE=20", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env };
	return pty_spawn(argv, &opt);
}

/* The run exits 0 and leaves one finished entry; returns it. */
static struct history_entry finished_entry(struct pty *p)
{
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(p);
	return the_entry(HISTORY_FINISHED);
}

/* --checkin: 7 and the neck before, 1 then 0 (ten) after; one entry holds them. */
static void checkin_before_and_after(void **state)
{
	(void)state;
	struct pty *p = start_checkin();
	assert_true(pty_wait_text(p, "How tense or sore", 30000));
	pty_send(p, "7");
	assert_true(pty_wait_text(p, "neck", 30000)); /* then: where? */
	pty_send(p, "n");
	/* The session runs (sped up), then asks again. */
	assert_true(pty_wait_text(p, "And now", 30000));
	pty_send(p, "10");
	struct history_entry e = finished_entry(p);
	assert_int_equal(e.tension_before, 7);
	assert_int_equal(e.tension_after, 10);
	assert_string_equal(e.area, "neck");
}

/* A hang-up during the first question: the session still ends at once and
 * records one entry, with nothing asked. */
static void hangup_during_checkin(void **state)
{
	(void)state;
	const char *argv[] = { pty_lull_path(), "start", "box", "--cycles", "50", "--no-audio",
	                       "--checkin", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80 };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "How tense or sore", 30000));
	pty_hangup(p);
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	struct history_entry e = the_entry(HISTORY_HANGUP);
	assert_int_equal(e.tension_before, -1);
	assert_int_equal(e.tension_after, -1);
}

/* A resize while the first question is up redraws it and keeps asking: the
 * answer still lands in the entry (a resize used to end the question as if
 * the terminal had hung up, and the session skipped it silently). */
static void resize_during_checkin(void **state)
{
	(void)state;
	struct pty *p = start_checkin();
	assert_true(pty_wait_text(p, "How tense or sore", 30000));
	pty_resize(p, 30, 100);
	pty_pump(p, 200);
	pty_resize(p, 20, 60);
	assert_true(pty_wait_text(p, "How tense or sore", 30000));
	pty_send(p, "6");
	assert_true(pty_wait_text(p, "neck", 30000));
	pty_resize(p, 24, 80);
	assert_true(pty_wait_text(p, "neck", 30000));
	pty_send(p, "j");
	assert_true(pty_wait_text(p, "And now", 30000));
	pty_resize(p, 25, 81);
	assert_true(pty_wait_text(p, "And now", 30000));
	pty_send(p, "2");
	struct history_entry e = finished_entry(p);
	assert_int_equal(e.tension_before, 6);
	assert_int_equal(e.tension_after, 2);
	assert_string_equal(e.area, "jaw");
}

/* The record could not be written (history.tsv a directory here; a full
 * disk or a read-only home the same): the screen said "Rest well." and the
 * exit status was 0. Now the terminal is told, once the full screen is
 * gone, the exit status is 1, and the record is kept for the next session,
 * which adds it. */
static void record_not_written_is_told(void **state)
{
	(void)state;
	assert_int_equal(paths_mkdir_p(hist, 0700), 0);
	struct pty *p = start("1");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_true(pty_screen_has(p, "this session was not recorded"));
	assert_true(pty_screen_has(p, "Is a directory"));
	assert_true(pty_screen_has(p, "history.pending"));
	pty_free(p);
	assert_int_equal(rmdir(hist), 0);
	p = start("1");
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_false(pty_screen_has(p, "not recorded"));
	pty_free(p);
	struct history h;
	history_init(&h);
	char err[256];
	assert_int_equal(history_load(hist, &h, stderr, err, sizeof err), 0);
	assert_int_equal(h.n, 2);
	assert_true(h.entries[0].start <= h.entries[1].start);
	history_free(&h);
}

/* --plain --checkin on a terminal asks its questions as lines (a screen
 * reader reads them) with the same keys, and the answers land in the same
 * entry; they used to be skipped silently. */
static void checkin_in_plain_mode(void **state)
{
	(void)state;
	const char *argv[] = { pty_lull_path(), "start", "box", "--cycles", "1", "--no-audio",
	                       "--checkin", "--plain", NULL };
	static const char *const env[] = { "LULL_TIME_SCALE=20", NULL };
	struct pty_options opt = { .rows = 24, .cols = 100, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "How tense or sore do you feel, 0–10? A number key", 30000));
	pty_send(p, "4");
	assert_true(pty_wait_text(p, "4. Where mostly? n neck, s shoulders", 30000));
	pty_send(p, "s");
	assert_true(pty_wait_text(p, "shoulders.", 30000));
	assert_true(pty_wait_text(p, "Inhale 4s", 30000));
	assert_true(pty_wait_text(p, "And now: how tense or sore", 30000));
	pty_send(p, "2");
	struct history_entry e = finished_entry(p);
	assert_int_equal(e.tension_before, 4);
	assert_int_equal(e.tension_after, 2);
	assert_string_equal(e.area, "shoulders");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(finished, setup, teardown),
		cmocka_unit_test_setup_teardown(quit_with_q, setup, teardown),
		cmocka_unit_test_setup_teardown(sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(hangup, setup, teardown),
		cmocka_unit_test_setup_teardown(checkin_before_and_after, setup, teardown),
		cmocka_unit_test_setup_teardown(hangup_during_checkin, setup, teardown),
		cmocka_unit_test_setup_teardown(resize_during_checkin, setup, teardown),
		cmocka_unit_test_setup_teardown(record_not_written_is_told, setup, teardown),
		cmocka_unit_test_setup_teardown(checkin_in_plain_mode, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
