/* SPDX-License-Identifier: ISC */
/* The harness's own tests: it must read a known screen back exactly, follow a
 * resize, time-stamp output, and tell a program that exits on hang-up from one
 * that does not. Later end-to-end tests stand on these. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"

static struct pty *sh(const char *script, int rows, int cols, bool ignore_hup)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct pty_options opt = { .rows = rows, .cols = cols, .ignore_sighup = ignore_hup };
	return pty_spawn(argv, &opt);
}

static void reads_a_known_screen(void **state)
{
	struct pty *p = sh("printf 'hello\\033[5;10Hworld\\033[24;75Hend\\033[10;1H\\342\\226\\210\\342\\226\\214x'; sleep 5", 24, 80, false);
	assert_true(pty_wait_text(p, "end", 2000));
	assert_true(pty_wait_text(p, "x", 2000));
	assert_string_equal(pty_row(p, 0), "hello");
	assert_string_equal(pty_row(p, 4), "         world");
	assert_string_equal(pty_row(p, 23), "                                                                          end");
	assert_string_equal(pty_row(p, 9), "\xe2\x96\x88\xe2\x96\x8cx");
	assert_string_equal(pty_row(p, 1), "");
	int row, col;
	pty_cursor(p, &row, &col);
	assert_int_equal(row, 9);
	assert_int_equal(col, 3);
	/* Overwriting a cell replaces it: the screen is a screen, not a log. */
	pty_free(p);
}

static void overwrites_and_clears(void **state)
{
	struct pty *p = sh("printf 'AAAA\\rBB\\n'; printf 'gone\\033[2K\\rkept\\n'; sleep 5", 10, 40, false);
	assert_true(pty_wait_text(p, "kept", 2000));
	assert_string_equal(pty_row(p, 0), "BBAA");
	assert_string_equal(pty_row(p, 1), "kept");
	assert_false(pty_screen_has(p, "gone"));
	pty_free(p);
}

static void starts_at_size_and_follows_resize(void **state)
{
	struct pty *p = sh("stty size; read x; stty size; sleep 5", 30, 100, false);
	assert_true(pty_wait_text(p, "30 100", 2000));
	pty_resize(p, 12, 50);
	pty_send(p, "\n");
	assert_true(pty_wait_text(p, "12 50", 2000));
	int rows, cols;
	pty_size(p, &rows, &cols);
	assert_int_equal(rows, 12);
	assert_int_equal(cols, 50);
	pty_free(p);
}

static void types_keys(void **state)
{
	struct pty *p = sh("read line; echo \"got <$line>\"; sleep 5", 24, 80, false);
	pty_send(p, "calm\r");
	assert_true(pty_wait_text(p, "got <calm>", 2000));
	pty_free(p);
}

static void timestamps_every_chunk(void **state)
{
	struct pty *p = sh("printf first; sleep 0.4; printf second; sleep 5", 24, 80, false);
	assert_true(pty_wait_text(p, "second", 3000));
	size_t n;
	const struct pty_chunk *c = pty_chunks(p, &n);
	assert_true(n >= 2);
	size_t len;
	const char *out = pty_output(p, &len);
	assert_int_equal(len, strlen("firstsecond"));
	assert_memory_equal(out, "firstsecond", len);
	/* The two writes are 0.4 s apart: their chunks must say so. */
	double gap = c[n - 1].t - c[0].t;
	assert_true(gap > 0.3);
	assert_true(gap < 2.0);
	pty_free(p);
}

static void sees_exit_status(void **state)
{
	struct pty *p = sh("printf bye; exit 3", 24, 80, false);
	int status;
	assert_true(pty_wait_exit(p, 3000, &status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	assert_true(pty_screen_has(p, "bye"));
	pty_free(p);
}

/* A reader of the terminal (cat) sees the hang-up and exits. */
static void program_that_exits_on_hangup(void **state)
{
	const char *argv[] = { "cat", NULL };
	struct pty_options opt = { .ignore_sighup = true };
	struct pty *p = pty_spawn(argv, &opt);
	pty_send(p, "ping\r");
	assert_true(pty_wait_text(p, "ping", 2000));
	double t0 = pty_now();
	pty_hangup(p);
	int status;
	assert_true(pty_wait_exit(p, 2000, &status));
	assert_true(pty_exit_time(p) - t0 < 1.0);
	pty_free(p);
}

/* One that ignores SIGHUP and never reads must be reported as still running. */
static void program_that_ignores_hangup(void **state)
{
	struct pty *p = sh("printf ready; exec sleep 30", 24, 80, true);
	assert_true(pty_wait_text(p, "ready", 2000));
	pty_hangup(p);
	int status;
	assert_false(pty_wait_exit(p, 500, &status));
	assert_int_equal(pty_exit_time(p), 0);
	pty_free(p); /* kills it */
}

/* Without SIGHUP ignored, the kernel's hang-up signal ends a sleeping child. */
static void hangup_signal_reaches_child(void **state)
{
	struct pty *p = sh("printf ready; exec sleep 30", 24, 80, false);
	assert_true(pty_wait_text(p, "ready", 2000));
	pty_hangup(p);
	int status;
	assert_true(pty_wait_exit(p, 2000, &status));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGHUP);
	pty_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_known_screen),
		cmocka_unit_test(overwrites_and_clears),
		cmocka_unit_test(starts_at_size_and_follows_resize),
		cmocka_unit_test(types_keys),
		cmocka_unit_test(timestamps_every_chunk),
		cmocka_unit_test(sees_exit_status),
		cmocka_unit_test(program_that_exits_on_hangup),
		cmocka_unit_test(program_that_ignores_hangup),
		cmocka_unit_test(hangup_signal_reaches_child),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
