/* SPDX-License-Identifier: ISC */
/* Delivery to tmux and to the daemon's own terminal, seen on real screens:
 * a tmux client runs attached in one pseudo-terminal, the daemon runs in
 * another, and a reminder that was due 30 s ago (a missed one) fires as the
 * daemon starts. The tmux server is private (TMUX_TMPDIR in a temp dir). */
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
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "../testhome.h"


static void put(const char *leaf, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", testhome_dir, leaf);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void tmux_and_terminal(void **unused)
{
	(void)unused;
	if (system("command -v tmux >/dev/null 2>&1") != 0)
		skip();
	/* A zone in which it is 12:00:30 now: the 12:00 reminder is 30 s late
	 * and its evening lasts until 02:00, so it fires at once. */
	time_t now = time(NULL);
	long off = ((12 * 3600 + 30) - (long)(now % 86400) + 86400) % 86400;
	if (off > 43200)
		off -= 86400;
	char tz[64];
	long a = labs(off);
	snprintf(tz, sizeof tz, "LUL%c%ld:%02ld:%02ld", off >= 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
	setenv("TZ", tz, 1);
	put("config/lull/reminders", "1 12:00 daily tmux hello #1\n");
	put("state/lull/remind-state", "1 2000-01-01 - - 0 0\n");
	/* And as a notification the terminal shows (kitty's OSC 99 here). */
	put("config/lull/config", "remind_osc = 99\n");

	const char *tmux_argv[] = { "tmux", "-f", "/dev/null", "new-session", "-s", "lulltest", "sleep 60", NULL };
	struct pty_options opt = { .rows = 24, .cols = 100 };
	struct pty *client = pty_spawn(tmux_argv, &opt);
	assert_true(pty_wait_text(client, "lulltest", 30000));

	const char *daemon_argv[] = { pty_lull_path(), "remind", "daemon", NULL };
	struct pty *d = pty_spawn(daemon_argv, &opt);
	/* tmux shows ## as #: the message arrives unexpanded. */
	assert_true(pty_wait_text(client, "12:00 tmux hello #1", 30000));
	assert_true(pty_wait_text(d, "lull: 12:00 tmux hello #1", 30000));
	/* Said once as it starts: where it runs and how it delivers. */
	assert_true(pty_screen_has(d, "lull: reminder daemon running (pid "));
	assert_true(pty_screen_has(d, "tmux, the bell and a line on this"));
	size_t len;
	const char *out = pty_output(d, &len);
	assert_non_null(memchr(out, '\a', len));
	/* The notification follows the line: it may come in a later read. */
	double until = pty_now() + 30; /* a hang guard */
	while (!strstr(pty_output(d, &len), "\033]99;;12:00 tmux hello #1\033\\") && pty_now() < until)
		pty_pump(d, 100);
	assert_non_null(strstr(pty_output(d, &len), "\033]99;;12:00 tmux hello #1\033\\"));

	pty_signal(d, SIGTERM);
	int status;
	assert_true(pty_wait_exit(d, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(d);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "tmux -S '%s/tmux-%ld/default' kill-server 2>/dev/null", testhome_dir, (long)getuid());
	if (system(cmd) != 0) {
		/* the server may already be gone with its client */
	}
	pty_free(client);
}

/* A daemon in a tmux window on a server: its OSC 777 goes through tmux
 * (allow-passthrough) to the terminal in front of the person, which here is
 * the harness's, and arrives as the terminal would read it. */
static void notification_through_tmux(void **unused)
{
	(void)unused;
	if (system("command -v tmux >/dev/null 2>&1") != 0)
		skip();
	time_t now = time(NULL);
	long off = ((12 * 3600 + 30) - (long)(now % 86400) + 86400) % 86400;
	if (off > 43200)
		off -= 86400;
	char tz[64];
	long a = labs(off);
	snprintf(tz, sizeof tz, "LUL%c%ld:%02ld:%02ld", off >= 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
	setenv("TZ", tz, 1);
	put("config/lull/reminders", "2 12:00 daily wind down now\n");
	put("state/lull/remind-state", "2 2000-01-01 - - 0 0\n");
	put("config/lull/config", "remind_osc = 777\nremind_tmux = no\n");
	put("tmux.conf", "set -g allow-passthrough on\n");
	char conf[600], cmd[900];
	testhome_path("tmux.conf", conf, sizeof conf);
	snprintf(cmd, sizeof cmd, "exec '%s' remind daemon", pty_lull_path());
	const char *tmux_argv[] = { "tmux", "-L", "lullosc", "-f", conf, "new-session", "-s", "osc", cmd, NULL };
	struct pty_options opt = { .rows = 24, .cols = 100 };
	struct pty *client = pty_spawn(tmux_argv, &opt);
	bool seen = false;
	double until = pty_now() + 30; /* a hang guard: a loaded machine starts tmux slowly */
	while (!seen && pty_now() < until) {
		pty_pump(client, 100);
		size_t len;
		const char *out = pty_output(client, &len);
		seen = strstr(out, "\033]777;notify;lull;12:00 wind down now\033\\") != NULL;
	}
	assert_true(seen);
	/* Ctrl-C ends the daemon, its window, the session, the server and the
	 * client, in that order: once the client is gone, nothing writes into
	 * the test's home any more. */
	if (system("tmux -L lullosc send-keys -t osc C-c") != 0) {
		/* the daemon may be gone already: the client then is too */
	}
	int status;
	assert_true(pty_wait_exit(client, 30000, &status));
	pty_free(client);
}

int main(void)
{
	if (!testhome_enter("remind-tmux"))
		return 99;
	char buf[600];
	const char *sub[] = { "config", "config/lull", "state", "state/lull" };
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
		mkdir(testhome_path(sub[i], buf, sizeof buf), 0700);
	setenv("TMUX_TMPDIR", testhome_dir, 1);
	unsetenv("TMUX");
	unsetenv("DBUS_SESSION_BUS_ADDRESS"); /* no desktop here: tmux and terminal only */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tmux_and_terminal),
		cmocka_unit_test(notification_through_tmux),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (testhome_remove() != 0)
		rc = 1;
	return rc;
}
