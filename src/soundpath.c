/* SPDX-License-Identifier: ISC */
/* Sound lookup. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "paths.h"
#include "soundpath.h"
#include "text.h"
#include "util.h"

const char *const soundpath_exts[] = { ".flac", ".wav", ".ogg", ".oga", ".opus", ".mp3", NULL };

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Anything there counts (a FIFO, a directory): the decoder then says what
 * is wrong with it ("mine.flac: not a regular file"), as lull sounds does,
 * rather than "no such sound" of a file the person can see. */
static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

const char *soundpath_builtin_dir(void)
{
	/* No build-tree fallback: an installed lull reads only what was
	 * installed (a fallback into the builder's checkout ran whatever was
	 * later planted there). Tests and tools/dev.sh set the variable. */
	const char *env = getenv("LULL_SOUNDS_DIR");
	if (env && *env)
		return env;
	return LULL_PKGDATADIR "/sounds";
}

bool soundpath_builtin_missing(void)
{
	return !is_dir(soundpath_builtin_dir());
}

char *soundpath_user_dir(void)
{
	return paths_file(PATH_DATA, "sounds");
}

bool soundpath_is_sound(const char *file)
{
	const char *dot = strrchr(file, '.');
	if (!dot)
		return false;
	for (int i = 0; soundpath_exts[i]; i++)
		if (strcasecmp(dot, soundpath_exts[i]) == 0)
			return true;
	return false;
}

static char *find_in(const char *dir, const char *name)
{
	if (!dir)
		return NULL;
	char *p = xasprintf("%s/%s", dir, name);
	if (soundpath_is_sound(name) && is_file(p))
		return p;
	free(p);
	for (int i = 0; soundpath_exts[i]; i++) {
		p = xasprintf("%s/%s%s", dir, name, soundpath_exts[i]);
		if (is_file(p))
			return p;
		free(p);
	}
	return NULL;
}

char *soundpath_find(const char *name)
{
	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return xstrdup(name); /* a path: the decoder says if it is missing */
	char *user = soundpath_user_dir();
	char *p = find_in(user, name);
	free(user);
	if (!p)
		p = find_in(soundpath_builtin_dir(), name);
	return p;
}

bool soundpath_parse_volume(const char *s, float *volume)
{
	/* By hand, not strtod: its decimal point is the locale's. */
	double d = 0, scale = 1;
	bool point = false, digit = false;
	for (const char *p = s; *p; p++) {
		if (*p == '.' && !point) {
			point = true;
		} else if (*p >= '0' && *p <= '9') {
			digit = true;
			if (point)
				d += (*p - '0') * (scale /= 10);
			else if ((d = d * 10 + (*p - '0')) > 1)
				return false;
		} else {
			return false;
		}
	}
	if (!digit || d > 1)
		return false;
	*volume = (float)d;
	return true;
}

bool soundpath_parse_layer(const char *arg, char *name, size_t n, float *volume)
{
	/* The last ':' splits, so a path with a colon in a folder name works. */
	const char *colon = strrchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	if (len == 0 || len >= n)
		return false;
	float v = 0.6f;
	if (colon && !soundpath_parse_volume(colon + 1, &v))
		return false;
	memcpy(name, arg, len);
	name[len] = '\0';
	*volume = v;
	return true;
}

size_t soundpath_parse_layers(const char *list, struct soundplan_layer *out, size_t max)
{
	size_t n = 0;
	const char *p = list;
	while (n < max) {
		p += strspn(p, ", ");
		size_t len = strcspn(p, ", ");
		if (len == 0)
			break;
		char item[256]; /* the settings' whole list fits */
		if (len < sizeof item) {
			memcpy(item, p, len);
			item[len] = '\0';
			if (soundpath_parse_layer(item, out[n].name, sizeof out[n].name, &out[n].volume))
				n++;
		}
		p += len;
	}
	return n;
}

/* The loops in dir, without their endings, added to *names (*n of them). */
static void add_loops(const char *dir, char ***names, size_t *n)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !soundpath_is_sound(de->d_name))
			continue;
		char *name = xstrdup(de->d_name);
		*strrchr(name, '.') = '\0';
		if (soundplan_is_cue_name(name)) {
			free(name);
			continue;
		}
		*names = xrealloc(*names, (*n + 2) * sizeof **names);
		(*names)[(*n)++] = name;
		(*names)[*n] = NULL;
	}
	closedir(d);
}

bool soundpath_known(const char *name, char *err, size_t errsize)
{
#ifndef HAVE_AUDIO
	/* A silent lull has no sounds to know names by (none are built): every
	 * name passes here, for lull check, the config and --sound alike, and
	 * a session says it was built without sound. */
	(void)name, (void)err, (void)errsize;
	return true;
#endif
	char *path = soundpath_find(name);
	bool found = path != NULL;
	free(path);
	if (found)
		return true;
	char **names = NULL;
	size_t n = 0;
	char *user = soundpath_user_dir();
	add_loops(user, &names, &n);
	free(user);
	add_loops(soundpath_builtin_dir(), &names, &n);
	const char *hint = names ? text_did_you_mean(name, (const char *const *)names) : NULL;
	if (hint) {
		/* A file name may hold anything: shown, never obeyed. */
		char *safe = text_escape(hint, strlen(hint), 64);
		snprintf(err, errsize, "no such sound; did you mean '%s'? ('lull sounds' lists the loops)", safe);
		free(safe);
	} else {
		snprintf(err, errsize, "no such sound ('lull sounds' lists the loops)");
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return false;
}
