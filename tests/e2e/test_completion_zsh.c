/* SPDX-License-Identifier: ISC */
/* The zsh completion, in a real interactive zsh on the pty harness: compinit
 * loads src/completions/zsh/_lull from fpath, a line is typed with a Tab, and
 * the screen shows what zsh completed. Names come from the lull under test
 * (a program and a sound of the private home's own are offered). */
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

#include "harness.h"
#include "../testhome.h"

static char zdotdir[300], path[4096];

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	if (system("command -v zsh >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP: zsh missing (apt-get install zsh)\n");
		exit(77);
	}
	const char *home = testhome_enter("zsh-completion");
	assert_non_null(home);
	/* The lull under test first on PATH, as `lull`. */
	char bin[300], link[320];
	snprintf(bin, sizeof bin, "%s/bin", home);
	assert_int_equal(mkdir(bin, 0700), 0);
	snprintf(link, sizeof link, "%s/lull", bin);
	char *real = realpath(pty_lull_path(), NULL);
	assert_non_null(real);
	assert_int_equal(symlink(real, link), 0);
	free(real);
	snprintf(path, sizeof path, "PATH=%s:%s", bin, getenv("PATH"));

	char file[400];
	testhome_path("config/lull/sessions", file, sizeof file);
	char cmd[900];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' && printf 'guide 5s \"Rest.\"\\n' > '%s/evening-mine.session'",
		 file, file);
	assert_int_equal(system(cmd), 0);
	testhome_path("data/lull/sounds", file, sizeof file);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' && : > '%s/creek.wav'", file, file);
	assert_int_equal(system(cmd), 0);

	snprintf(zdotdir, sizeof zdotdir, "%s/zsh", home);
	assert_int_equal(mkdir(zdotdir, 0700), 0);
	const char *srcdir = getenv("LULL_SRCDIR") ? getenv("LULL_SRCDIR") : "..";
	char rc[1200];
	/* No menus or prompts that differ between machines: a bare prompt,
	 * completion by the one script. */
	snprintf(rc, sizeof rc,
		 "fpath=('%s/src/completions/zsh' $fpath)\n"
		 "autoload -U compinit && compinit -u -D\n"
		 "unsetopt beep\n"
		 "PS1='ready> '\n", srcdir);
	snprintf(file, sizeof file, "%s/.zshrc", zdotdir);
	write_file(file, rc);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(testhome_remove(), 0);
	return 0;
}

/* The text of the row the cursor is on, without trailing spaces. */
static const char *cursor_row(struct pty *p)
{
	static char buf[512];
	int row, col;
	pty_cursor(p, &row, &col);
	snprintf(buf, sizeof buf, "%s", pty_row(p, row));
	for (size_t n = strlen(buf); n > 0 && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
	return buf;
}

/* Pumps until the cursor's row is exactly text, or contains it (want_exact
 * false); false after timeout_ms. */
static bool wait_cursor_row(struct pty *p, const char *text, bool exact, int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	for (;;) {
		const char *r = cursor_row(p);
		if (exact ? strcmp(r, text) == 0 : strstr(r, text) != NULL)
			return true;
		double left = until - pty_now();
		if (left <= 0 || pty_pump(p, (int)(left * 1000) + 1) < 0)
			return false;
	}
}

/* Types line and a Tab; waits for the line to read want; then empties the
 * line (Ctrl-U), so that the next case reads only its own. */
static void completes(struct pty *p, const char *line, const char *want)
{
	pty_send(p, line);
	pty_send(p, "\t");
	if (!wait_cursor_row(p, want, false, 5000))
		fail_msg("'%s<Tab>' did not show '%s'; screen:\n%s", line, want, pty_screen(p));
	pty_send(p, "\x15"); /* Ctrl-U: the line is empty again */
	if (!wait_cursor_row(p, "ready>", true, 5000))
		fail_msg("no fresh prompt after '%s'; screen:\n%s", line, pty_screen(p));
}

static struct pty *zsh(void)
{
	static char zd[320];
	snprintf(zd, sizeof zd, "ZDOTDIR=%s", zdotdir);
	const char *env[] = { zd, path, "TERM=xterm", NULL };
	const char *argv[] = { "zsh", "-i", NULL };
	struct pty_options opt = { .rows = 24, .cols = 100, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	if (!wait_cursor_row(p, "ready>", true, 5000))
		fail_msg("no prompt; screen:\n%s", pty_screen(p));
	return p;
}

static void commands_options_and_names(void **state)
{
	(void)state;
	struct pty *p = zsh();
	completes(p, "lull ren", "lull render");
	completes(p, "lull start --so", "lull start --sound=");
#ifdef HAVE_AUDIO /* built without sound, there are no sounds to offer */
	completes(p, "lull start --sound=cr", "lull start --sound=creek");
#endif
	completes(p, "lull start evening-m", "lull start evening-mine");
	completes(p, "lull remind sn", "lull remind snooze");
	completes(p, "lull remind add 22:00 --days=weekd", "--days=weekdays");
	completes(p, "lull list --na", "lull list --names");
	pty_send(p, "exit\n");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(commands_options_and_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
