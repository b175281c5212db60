/* Shared by the session's end-to-end tests: a private home for each run and
 * the environment that points lull at it. */
#ifndef LULL_SESSION_ENV_H
#define LULL_SESSION_ENV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_home {
	char dir[256];
	char vars[8][320];
	const char *env[16];
};

/* extra: more NAME=value (or NAME to unset) strings, NULL-ended; may be NULL. */
static inline const char *const *test_env(struct test_home *h, const char *const *extra)
{
	if (!h->dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(h->dir, sizeof h->dir, "%s/lull-e2e-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(h->dir))
			abort();
	}
	snprintf(h->vars[0], sizeof h->vars[0], "HOME=%s", h->dir);
	snprintf(h->vars[1], sizeof h->vars[1], "XDG_CONFIG_HOME=%s/config", h->dir);
	snprintf(h->vars[2], sizeof h->vars[2], "XDG_STATE_HOME=%s/state", h->dir);
	snprintf(h->vars[3], sizeof h->vars[3], "XDG_DATA_HOME=%s/data", h->dir);
	size_t n = 0;
	for (int i = 0; i < 4; i++)
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

#endif
