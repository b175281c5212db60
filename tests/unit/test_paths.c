/* SPDX-License-Identifier: ISC */
/* XDG paths: defaults, overrides, relative values ignored, 0700 on creation,
 * and nothing created by merely asking. */
#include "config.h"

#include <errno.h>
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

#include "file.h"
#include "paths.h"
#include "util.h"
#include "../testhome.h"

static char tmp[256];

static int setup(void **state)
{
	assert_non_null(testtmp_make(tmp, sizeof tmp, "paths"));
	setenv("HOME", tmp, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("XDG_CACHE_HOME");
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

static void expect_dir(enum path_kind kind, const char *want)
{
	char *d = paths_dir(kind);
	assert_non_null(d);
	assert_string_equal(d, want);
	free(d);
}

static void defaults_under_home(void **state)
{
	char *want = xasprintf("%s/.config/lull", tmp);
	expect_dir(PATH_CONFIG, want);
	free(want);
	want = xasprintf("%s/.local/share/lull", tmp);
	expect_dir(PATH_DATA, want);
	free(want);
	want = xasprintf("%s/.local/state/lull", tmp);
	expect_dir(PATH_STATE, want);
	/* No runtime directory: the state directory stands in. */
	expect_dir(PATH_RUNTIME, want);
	free(want);
	want = xasprintf("%s/.cache/lull", tmp);
	expect_dir(PATH_CACHE, want);
	free(want);
}

static void xdg_variables_win(void **state)
{
	setenv("XDG_CONFIG_HOME", "/etc/xdg-test", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
	expect_dir(PATH_CONFIG, "/etc/xdg-test/lull");
	expect_dir(PATH_RUNTIME, "/run/user/4242/lull");
	setenv("XDG_CACHE_HOME", "/var/cache-test", 1);
	expect_dir(PATH_CACHE, "/var/cache-test/lull");
	char *f = paths_file(PATH_CONFIG, "sessions/mine.session");
	assert_string_equal(f, "/etc/xdg-test/lull/sessions/mine.session");
	free(f);
}

static void relative_values_are_ignored(void **state)
{
	setenv("XDG_STATE_HOME", "relative/state", 1);
	char *want = xasprintf("%s/.local/state/lull", tmp);
	expect_dir(PATH_STATE, want);
	free(want);
}

static void no_home_no_path(void **state)
{
	unsetenv("HOME");
	assert_null(paths_dir(PATH_CONFIG));
	assert_null(paths_file(PATH_DATA, "x"));
}

static void asking_creates_nothing(void **state)
{
	char *d = paths_dir(PATH_STATE);
	free(d);
	char *cfg = xasprintf("%s/.local", tmp);
	assert_int_equal(access(cfg, F_OK), -1);
	free(cfg);
}

static void make_dir_is_private(void **state)
{
	char *d = paths_make_dir(PATH_STATE);
	assert_non_null(d);
	struct stat st;
	assert_int_equal(stat(d, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	/* The XDG base it had to create is private too. */
	char *base = xasprintf("%s/.local/state", tmp);
	assert_int_equal(stat(base, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(base);
	/* Again: fine, nothing changes. */
	char *again = paths_make_dir(PATH_STATE);
	assert_string_equal(again, d);
	free(again);
	free(d);
}

static void make_dir_over_a_file_fails(void **state)
{
	char *cfg = xasprintf("%s/.config", tmp);
	FILE *f = fopen(cfg, "w");
	assert_non_null(f);
	fclose(f);
	assert_null(paths_make_dir(PATH_CONFIG));
	free(cfg);
}

/* A shared XDG_RUNTIME_DIR (/tmp, say) where another user made lull/
 * first: lull used to take it as its own, and wrote its pid file and banner
 * where that user could plant links. Refused now, as a lull/ that others
 * may write to is. */
static void make_dir_refuses_a_shared_one(void **state)
{
	char *shared = xasprintf("%s/shared", tmp);
	assert_int_equal(mkdir(shared, 01777), 0);
	assert_int_equal(chmod(shared, 01777), 0);
	setenv("XDG_RUNTIME_DIR", shared, 1);
	char *lull = xasprintf("%s/lull", shared);
	assert_int_equal(mkdir(lull, 0777), 0);
	assert_int_equal(chmod(lull, 0777), 0);
	errno = 0;
	assert_null(paths_make_dir(PATH_RUNTIME));
	assert_int_equal(errno, FILE_EUNSAFE);
	assert_null(paths_file_trusted(PATH_RUNTIME, "remind.pid"));
	assert_non_null(strstr(file_strerror(FILE_EUNSAFE), "another user"));
	/* Group-writable is as bad. */
	assert_int_equal(chmod(lull, 0770), 0);
	assert_null(paths_make_dir(PATH_RUNTIME));
	/* Another owner, mode 0700: only root can make one to try. */
	if (geteuid() == 0) {
		assert_int_equal(chmod(lull, 0700), 0);
		assert_int_equal(chown(lull, 65534, 65534), 0);
		assert_null(paths_make_dir(PATH_RUNTIME));
		assert_int_equal(errno, FILE_EUNSAFE);
		assert_int_equal(chown(lull, 0, 0), 0);
	}
	/* Ours and private: fine; made fresh in the shared one: fine. */
	assert_int_equal(chmod(lull, 0700), 0);
	char *d = paths_make_dir(PATH_RUNTIME);
	assert_string_equal(d, lull);
	free(d);
	assert_int_equal(rmdir(lull), 0);
	char *f = paths_file_trusted(PATH_RUNTIME, "remind.pid");
	assert_non_null(f); /* missing: nothing there to distrust */
	free(f);
	d = paths_make_dir(PATH_RUNTIME);
	assert_non_null(d);
	struct stat st;
	assert_int_equal(stat(d, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(d);
	free(lull);
	free(shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults_under_home, setup, teardown),
		cmocka_unit_test_setup_teardown(xdg_variables_win, setup, teardown),
		cmocka_unit_test_setup_teardown(relative_values_are_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(no_home_no_path, setup, teardown),
		cmocka_unit_test_setup_teardown(asking_creates_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(make_dir_is_private, setup, teardown),
		cmocka_unit_test_setup_teardown(make_dir_over_a_file_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(make_dir_refuses_a_shared_one, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
