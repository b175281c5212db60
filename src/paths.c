/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "file.h"
#include "paths.h"
#include "util.h"

struct xdg_rule {
	const char *variable;
	const char *home_default; /* below $HOME */
};

static const struct xdg_rule rules[] = {
	[PATH_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[PATH_DATA] = { "XDG_DATA_HOME", ".local/share" },
	[PATH_STATE] = { "XDG_STATE_HOME", ".local/state" },
	[PATH_RUNTIME] = { "XDG_RUNTIME_DIR", NULL },
	[PATH_CACHE] = { "XDG_CACHE_HOME", ".cache" },
};

/* The spec says relative paths in these variables are invalid and to be ignored. */
static const char *absolute_env(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] == '/' ? v : NULL;
}

char *paths_dir(enum path_kind kind)
{
	const struct xdg_rule *rule = &rules[kind];
	const char *base = absolute_env(rule->variable);
	if (base)
		return xasprintf("%s/lull", base);
	if (kind == PATH_RUNTIME)
		return paths_dir(PATH_STATE);
	const char *home = absolute_env("HOME");
	if (!home)
		return NULL;
	return xasprintf("%s/%s/lull", home, rule->home_default);
}

char *paths_file(enum path_kind kind, const char *leaf)
{
	char *dir = paths_dir(kind);
	if (!dir)
		return NULL;
	char *path = xasprintf("%s/%s", dir, leaf);
	free(dir);
	return path;
}

int paths_mkdir_p(const char *path, mode_t mode)
{
	char *copy = xstrdup(path);
	int rc = 0;
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, mode) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	if (rc == 0) {
		struct stat st;
		if (stat(path, &st) != 0)
			rc = -1;
		else if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			rc = -1;
		}
	}
	int saved_errno = errno;
	free(copy);
	errno = saved_errno;
	return rc;
}

/* dir made (0700) if missing and trusted: dir, else NULL with errno (dir
 * freed). One that was there already must be ours alone: in a shared
 * XDG_RUNTIME_DIR another user could have made lull/ first, and would then
 * own what lull writes (and could plant links in it). */
static char *made_trusted(char *dir)
{
	if (paths_mkdir_p(dir, 0700) != 0 || file_dir_trusted(dir) != 0) {
		int saved_errno = errno;
		free(dir);
		errno = saved_errno;
		return NULL;
	}
	return dir;
}

char *paths_make_dir(enum path_kind kind)
{
	char *dir = paths_dir(kind);
	if (!dir) {
		errno = ENOENT;
		return NULL;
	}
	return made_trusted(dir);
}

char *paths_make_subdir(enum path_kind kind, const char *sub)
{
	char *base = paths_make_dir(kind);
	if (!base)
		return NULL;
	char *dir = xasprintf("%s/%s", base, sub);
	free(base);
	return made_trusted(dir);
}

char *paths_file_trusted(enum path_kind kind, const char *leaf)
{
	char *dir = paths_dir(kind);
	if (!dir) {
		errno = ENOENT;
		return NULL;
	}
	if (file_dir_trusted(dir) != 0 && errno != ENOENT) {
		int e = errno;
		free(dir);
		errno = e;
		return NULL;
	}
	char *path = xasprintf("%s/%s", dir, leaf);
	free(dir);
	return path;
}
