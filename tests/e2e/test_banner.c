/* SPDX-License-Identifier: ISC */
/* A reminder that fires while lull is open shows there: under the menu's
 * title, and in a running session's status line. The reminder is delivered
 * as the daemon delivers it (notify_deliver with every external channel
 * off: the marker in the runtime directory); lull notices it through its
 * inotify watch, with no timer. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>

#include "harness.h"
#include "banner.h"
#include "notify.h"
#include "paths.h"
#include "session_env.h"
#include "util.h"

static struct test_home home;
static char runtime_var[320];

static const char *const *env(void)
{
	const char *extra[] = { runtime_var, NULL };
	return test_env(&home, extra);
}

static int setup(void **state)
{
	env();
	/* This process delivers: it must see the same folders as lull. */
	for (int i = 0; i < 4; i++) {
		char *eq = strchr(home.vars[i], '=');
		*eq = '\0';
		setenv(home.vars[i], eq + 1, 1);
		*eq = '=';
	}
	char *run = xasprintf("%s/run", home.dir);
	setenv("XDG_RUNTIME_DIR", run, 1);
	snprintf(runtime_var, sizeof runtime_var, "XDG_RUNTIME_DIR=%s", run);
	free(run);
	char *dir = paths_make_dir(PATH_RUNTIME); /* as the daemon makes it */
	assert_non_null(dir);
	free(dir);
	return 0;
}

static int teardown(void **state)
{
	test_home_free(&home);
	return 0;
}

static void deliver(const char *msg)
{
	struct notify_config cfg = { .term_fd = -1, .cancel_fd = -1 };
	assert_int_equal(notify_deliver(&cfg, msg), 1); /* the marker */
}

static void banner_in_the_menu(void **state)
{
	const char *argv[] = { pty_lull_path(), NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env() };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "up/down or j/k move", 30000));
	assert_false(pty_screen_has(p, "Reminder:"));
	deliver("Time to wind down");
	assert_true(pty_wait_text(p, "Reminder: Time to wind down", 30000));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	/* Shown once: the marker was taken. */
	char msg[160];
	assert_false(banner_take(msg, sizeof msg));
}

static void banner_in_a_session(void **state)
{
	const char *argv[] = { pty_lull_path(), "start", "box", "--cycles", "50", "--no-audio", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env() };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	deliver("Evening stretch");
	/* It does not break into the session (a menu shows it within a
	 * fraction of a second, see above)... */
	assert_false(pty_wait_text(p, "Evening stretch", 1500));
	assert_true(pty_screen_has(p, "Box breathing")); /* the session goes on */
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	/* ... and is said once it is over, and only once. */
	size_t len;
	const char *out = pty_output(p, &len);
	assert_non_null(strstr(out, "lull: box ended after "));
	assert_non_null(strstr(out, "a reminder came during the session: Evening stretch"));
	pty_free(p);
	char msg[160];
	assert_false(banner_take(msg, sizeof msg));

	/* One that fired before the session began is not the session's to
	 * tell (it waits for a menu). */
	deliver("Earlier one");
	/* The session starts in a later second than the marker's stamp. */
	time_t when;
	assert_true(banner_peek(msg, sizeof msg, &when));
	while (time(NULL) <= when)
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "Inhale", 30000));
	pty_send(p, "q");
	assert_true(pty_wait_exit(p, 30000, &status));
	out = pty_output(p, &len);
	assert_null(strstr(out, "Earlier one"));
	pty_free(p);
	assert_true(banner_take(msg, sizeof msg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(banner_in_the_menu),
		cmocka_unit_test(banner_in_a_session),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
