/* SPDX-License-Identifier: ISC */
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

/* The phase word as the big word shows it: alone on its row, or in a hold
 * with the seconds left after it ("Hold    7"). Guidance lines may use the
 * same words ("Hold for seven."), so the bare word anywhere on the screen
 * is not enough. The row, or -1 when it does not show; *secs (if not NULL)
 * gets the seconds, -1 when none stand beside the word. */
static inline int session_phase_word_at(struct pty *p, const char *word, int *secs)
{
	int rows, cols;
	pty_size(p, &rows, &cols);
	size_t n = strlen(word);
	for (int y = 0; y < rows; y++) {
		const char *r = pty_row(p, y);
		r += strspn(r, " ");
		if (strncmp(r, word, n) != 0)
			continue;
		/* Blanks after the word may be spaces written over what stood
		 * there (pty_row trims only cells never written). */
		const char *c = r + n, *num = c + strspn(c, " ");
		size_t digits = strspn(num, "0123456789");
		if (*num && !(num > c && digits > 0 && strspn(num + digits, " ") == strlen(num + digits)))
			continue;
		if (secs)
			*secs = *num ? atoi(num) : -1;
		return y;
	}
	return -1;
}

static inline bool session_shows_phase_word(struct pty *p, const char *word)
{
	return session_phase_word_at(p, word, NULL) >= 0;
}

/* The phase word shows with these seconds (secs < 0: any, or none). */
static inline bool session_shows_phase(struct pty *p, const char *word, int secs)
{
	int shown;
	return session_phase_word_at(p, word, &shown) >= 0 && (secs < 0 || shown == secs);
}

/* "Hold 3": the phase word and its seconds as they show now, "Inhale"
 * without them, "" when no phase word shows. */
static inline void session_phase_text(struct pty *p, char *buf, size_t size)
{
	static const char *const words[] = { "Inhale", "Hold", "Exhale" };
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		int secs;
		if (session_phase_word_at(p, words[i], &secs) < 0)
			continue;
		if (secs >= 0)
			snprintf(buf, size, "%s %d", words[i], secs);
		else
			snprintf(buf, size, "%s", words[i]);
		return;
	}
}

/* Pumps until the phase word shows with these seconds (secs < 0: any) or
 * the time runs out. */
static inline bool session_wait_phase(struct pty *p, const char *word, int secs, int timeout_ms)
{
	double until = pty_now() + timeout_ms / 1000.0;
	while (!session_shows_phase(p, word, secs)) {
		double left = until - pty_now();
		if (left <= 0 || pty_pump(p, (int)(left * 1000) + 1) < 0)
			return false;
	}
	return true;
}

/* Pumps until the phase word shows (see above) or the time runs out. */
static inline bool session_wait_phase_word(struct pty *p, const char *word, int timeout_ms)
{
	return session_wait_phase(p, word, -1, timeout_ms);
}

/* When the bytes that completed the screen arrived. */
static inline double session_last_chunk_time(struct pty *p)
{
	size_t n;
	const struct pty_chunk *c = pty_chunks(p, &n);
	return n ? c[n - 1].t : pty_now();
}

#endif
