/* SPDX-License-Identifier: ISC */
/* A private home for a test process: a fresh directory, with HOME and the XDG
 * directories pointing into it in this process's environment, so that lull,
 * called in process or started as a child, reads and writes nothing of the
 * real user's. One per process; header only, as the tests are linked each on
 * its own. (tests/e2e/session_env.h gives children an environment of their
 * own instead, for tests that start many lulls.) */
#ifndef LULL_TESTHOME_H
#define LULL_TESTHOME_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char testhome_dir[256];

/* dir/leaf in buf (returned). */
static inline const char *testhome_path(const char *leaf, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", testhome_dir, leaf);
	return buf;
}

/* Makes a fresh $TMPDIR/lull-TAG-XXXXXX (TMPDIR unset or empty: /tmp) in
 * buf: buf, or NULL. Every test's scratch folder is made here, so the suite
 * runs where the person's TMPDIR says (a private one, a /tmp not to share). */
static inline char *testtmp_make(char *buf, size_t size, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(buf, size, "%s/lull-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	return mkdtemp(buf);
}

/* Makes $TMPDIR/lull-TAG-XXXXXX (testtmp_make) and points HOME at it,
 * XDG_CONFIG_HOME, XDG_STATE_HOME and XDG_DATA_HOME at config/, state/ and
 * data/ below it, XDG_CACHE_HOME at the suite's shared cache ($LULL_TEST_CACHE,
 * set by make check) or cache/ below it (lull makes them when it needs them), and XDG_RUNTIME_DIR
 * at run/, made now with mode 0700 as a login session's is. Returns the
 * directory, or NULL. */
static inline const char *testhome_enter(const char *tag)
{
	if (!testtmp_make(testhome_dir, sizeof testhome_dir, tag))
		return NULL;
	static const char *const vars[][2] = {
		{ "XDG_CONFIG_HOME", "config" }, { "XDG_STATE_HOME", "state" },
		{ "XDG_DATA_HOME", "data" }, { "XDG_RUNTIME_DIR", "run" },
	};
	char buf[300];
	setenv("HOME", testhome_dir, 1);
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		setenv(vars[i][0], testhome_path(vars[i][1], buf, sizeof buf), 1);
	const char *cache = getenv("LULL_TEST_CACHE");
	setenv("XDG_CACHE_HOME", cache && *cache ? cache : testhome_path("cache", buf, sizeof buf), 1);
	if (mkdir(testhome_path("run", buf, sizeof buf), 0700) != 0)
		return NULL;
	return testhome_dir;
}

/* Removes the directory and all in it: 0, or -1 if that failed. */
static inline int testhome_remove(void)
{
	if (!testhome_dir[0])
		return 0;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", testhome_dir);
	testhome_dir[0] = '\0';
	return system(cmd) == 0 ? 0 : -1;
}

#endif
