/* Shared by the session's end-to-end tests: a private home for each run and
 * the environment that points lull at it. */
#ifndef LULL_SESSION_ENV_H
#define LULL_SESSION_ENV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

struct test_home {
	char dir[256];
	char vars[8][320];
	const char *env[16];
};

/* The settings every new test home starts with: a program's safety note
 * neither waits for a key nor stands before the first step, so that the
 * cases about something else see their program start at once (the safety
 * page has its own cases, which write their own settings). */
#define TEST_HOME_SETTINGS "safety_wait = no\nsafety_seconds = 0\n"

/* Writes the settings file of a test home (replacing it). */
static inline void test_home_settings(const struct test_home *h, const char *text)
{
	char path[400];
	snprintf(path, sizeof path, "%s/config", h->dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/config/lull", h->dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/config/lull/config", h->dir);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

/* extra: more NAME=value (or NAME to unset) strings, NULL-ended; may be NULL. */
static inline const char *const *test_env(struct test_home *h, const char *const *extra)
{
	if (!h->dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(h->dir, sizeof h->dir, "%s/lull-e2e-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(h->dir))
			abort();
		test_home_settings(h, TEST_HOME_SETTINGS);
	}
	snprintf(h->vars[0], sizeof h->vars[0], "HOME=%s", h->dir);
	snprintf(h->vars[1], sizeof h->vars[1], "XDG_CONFIG_HOME=%s/config", h->dir);
	snprintf(h->vars[2], sizeof h->vars[2], "XDG_STATE_HOME=%s/state", h->dir);
	snprintf(h->vars[3], sizeof h->vars[3], "XDG_DATA_HOME=%s/data", h->dir);
	const char *cache = getenv("LULL_TEST_CACHE"); /* the suite's shared cache */
	if (cache && *cache)
		snprintf(h->vars[4], sizeof h->vars[4], "XDG_CACHE_HOME=%s", cache);
	else
		snprintf(h->vars[4], sizeof h->vars[4], "XDG_CACHE_HOME=%s/cache", h->dir);
	size_t n = 0;
	for (int i = 0; i < 5; i++)
		h->env[n++] = h->vars[i];
	h->env[n++] = "XDG_RUNTIME_DIR";
	h->env[n++] = "SSH_CONNECTION";
	h->env[n++] = "NO_COLOR";
	for (; extra && *extra && n < 15; extra++)
		h->env[n++] = *extra;
	h->env[n] = NULL;
	return h->env;
}

static inline void test_home_free(struct test_home *h)
{
	if (h->dir[0]) {
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", h->dir);
		h->dir[0] = '\0';
	}
}

/* The phase word as the big word shows it, "Hold    7": the word, spaces
 * and its countdown. Guidance lines may use the same words ("Hold for
 * seven."), so the bare word anywhere on the screen is not enough. */
static inline bool session_shows_phase_word(struct pty *p, const char *word)
{
	const char *screen = pty_screen(p);
	size_t n = strlen(word);
	for (const char *at = strstr(screen, word); at; at = strstr(at + 1, word)) {
		const char *c = at + n;
		while (*c == ' ')
			c++;
		if (c - (at + n) >= 2 && *c >= '0' && *c <= '9')
			return true;
	}
	return false;
}

/* Pumps until the phase word shows (see above) or the time runs out. */
static inline bool session_wait_phase_word(struct pty *p, const char *word, int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	while (!session_shows_phase_word(p, word)) {
		double left = until - pty_now();
		if (left <= 0 || pty_pump(p, (int)(left * 1000) + 1) < 0)
			return false;
	}
	return true;
}

/* When the bytes that completed the screen arrived. */
static inline double session_last_chunk_time(struct pty *p)
{
	size_t n;
	const struct pty_chunk *c = pty_chunks(p, &n);
	return n ? c[n - 1].t : pty_now();
}

#endif
