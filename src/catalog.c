/* SPDX-License-Identifier: ISC */
/* Finding programs. The only I/O of the programs area besides the commands:
 * reading session files and listing the user's folder. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "calendar.h"
#include "catalog.h"
#include "file.h"
#include "parse.h"
#include "paths.h"
#include "text.h"
#include "util.h"

bool catalog_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 63 || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

char *catalog_name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 8 && strcmp(base + n - 8, ".session") == 0)
		n -= 8;
	char *name = xmalloc(n + 1);
	memcpy(name, base, n);
	name[n] = '\0';
	return name;
}

int catalog_read(const char *path, char **buf, size_t *len, char *err, size_t errsize)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : file_open_read(path);
	int r = fd < 0 ? -1 : file_read_fd(fd, PARSE_MAX_FILE + 1, buf, len);
	int e = errno;
	if (fd >= 0 && !is_stdin)
		close(fd);
	if (r < 0) {
		char *esc = text_escape(path, strlen(path), 200);
		snprintf(err, errsize, "%s: %s", esc, e == EISDIR ? "is a directory" : file_strerror(e));
		free(esc);
		errno = e; /* the caller may tell a missing file from others */
		return -1;
	}
	return 0; /* a longer file is cut: the parser says it is too large */
}

/* The night a session belongs to, as a seed: the local date of twelve
 * hours ago, so that an evening and the small hours after it are one night
 * (the same order of words at 23:00 and at 03:00), and the next evening is
 * another. */
static uint64_t night_seed(void)
{
	time_t now = time(NULL);
	struct tm tm;
	int64_t local = (int64_t)now;
	if (localtime_r(&now, &tm))
		local += tm.tm_gmtoff;
	return (uint64_t)cal_day_of(local - CAL_DAY_S / 2);
}

/* What the loader adds to what the file says: the breath-hold caution for
 * a program that holds the breath and gives no safety text of its own, and
 * tonight's order of the shuffle's words. */
static void loaded(struct program *p)
{
	program_add_hold_safety(p);
	program_set_words(p, builtin_words, builtin_words_count, night_seed());
}

/* Parses text; on failure the first error goes to err as FILE:LINE:COL. */
static struct program *parse_or_explain(const char *text, size_t len, const char *name,
					const char *label, char *err, size_t errsize)
{
	struct parse_result r;
	parse_program(text, len, name, &r);
	if (r.program) {
		loaded(r.program);
		return r.program;
	}
	char *esc = text_escape(label, strlen(label), 200);
	if (r.nerrors > 1)
		snprintf(err, errsize, "%s:%u:%u: %s (and %zu more: lull check %s)", esc, r.errors[0].line,
			 r.errors[0].col, r.errors[0].msg, r.nerrors - 1, esc);
	else
		snprintf(err, errsize, "%s:%u:%u: %s", esc, r.errors[0].line, r.errors[0].col, r.errors[0].msg);
	free(esc);
	return NULL;
}

static struct program *load_file(const char *path, char *err, size_t errsize)
{
	char *buf;
	size_t len;
	if (catalog_read(path, &buf, &len, err, errsize) < 0)
		return NULL;
	char *name = catalog_name_from_path(path);
	struct program *p = parse_or_explain(buf, len, name, path, err, errsize);
	free(name);
	free(buf);
	return p;
}

/* A user's file for the list: on failure, err says where in the file and
 * what, without the path (the menu has one or two lines for it). */
static struct program *load_listed(const char *path, const char *name, char *err, size_t errsize)
{
	char *buf;
	size_t len;
	if (catalog_read(path, &buf, &len, err, errsize) < 0)
		return NULL;
	struct parse_result r;
	parse_program(buf, len, name, &r);
	free(buf);
	if (r.program) {
		loaded(r.program);
		return r.program;
	}
	int at = snprintf(err, errsize, "line %u, column %u: %s", r.errors[0].line, r.errors[0].col, r.errors[0].msg);
	if (r.nerrors > 1 && at > 0 && (size_t)at < errsize)
		snprintf(err + at, errsize - (size_t)at, " (%zu errors in all: lull check %s)", r.nerrors, name);
	return NULL;
}

static char *user_path(const char *name)
{
	char *leaf = xasprintf("sessions/%s.session", name);
	char *path = paths_file(PATH_CONFIG, leaf);
	free(leaf);
	return path;
}

char *catalog_user_file(const char *name)
{
	if (!catalog_name_ok(name))
		return NULL;
	char *path = user_path(name);
	if (path && access(path, F_OK) != 0) {
		free(path);
		path = NULL;
	}
	return path;
}

struct program *catalog_load(const char *name_or_path, char *err, size_t errsize)
{
	if (strchr(name_or_path, '/'))
		return load_file(name_or_path, err, errsize);

	if (catalog_name_ok(name_or_path)) {
		char *path = user_path(name_or_path);
		if (path && access(path, F_OK) == 0) {
			struct program *p = load_file(path, err, errsize);
			free(path);
			return p;
		}
		free(path);
		const char *text = builtin_text(name_or_path);
		if (text)
			return parse_or_explain(text, strlen(text), name_or_path, name_or_path, err, errsize);
	}

	/* Not found: suggest the closest name, and the ./ form for a file here. */
	char *esc = text_escape(name_or_path, strlen(name_or_path), 64);
	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	const char **names = xcalloc(n + 1, sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = list[i].name;
	const char *hint = text_did_you_mean(name_or_path, names);
	size_t nl = strlen(name_or_path);
	if (hint)
		snprintf(err, errsize, "no program named '%s'; did you mean '%s'? ('lull list' shows them all)", esc, hint);
	else if (nl > 8 && strcmp(name_or_path + nl - 8, ".session") == 0)
		snprintf(err, errsize, "no program named '%s'; to run a file in this folder, write ./%s", esc, esc);
	else
		snprintf(err, errsize, "no program named '%s' ('lull list' shows them all)", esc);
	free(names);
	catalog_free_list(list, n);
	free(esc);
	return NULL;
}

static void entry_from(struct catalog_entry *e, const char *name, const struct program *p, bool user,
		       const char *err)
{
	memset(e, 0, sizeof *e);
	e->name = xstrdup(name);
	e->user = user;
	if (!p) {
		e->invalid = true;
		e->title = xstrdup(name);
		e->description = xstrdup("(this file has errors: run 'lull check' on it)");
		e->error = xstrdup(err);
		return;
	}
	e->title = xstrdup(p->title ? p->title : name);
	e->description = xstrdup(p->description ? p->description : "");
	e->tags = p->tags;
	e->purpose = p->purpose;
	e->length_s = program_length(p);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the user's valid-looking *.session files, sorted. */
static size_t user_names(char ***out)
{
	*out = NULL;
	char *dir = paths_file(PATH_CONFIG, "sessions");
	DIR *d = dir ? opendir(dir) : NULL;
	free(dir);
	if (!d)
		return 0;
	size_t n = 0, cap = 0;
	char **names = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len <= 8 || strcmp(de->d_name + len - 8, ".session") != 0)
			continue;
		/* Only regular files (or links to them): opening a FIFO left in the
		 * folder would block the list and the menu. */
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		char *name = catalog_name_from_path(de->d_name);
		if (!catalog_name_ok(name) || n == 1000) {
			free(name);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = name;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	*out = names;
	return n;
}

size_t catalog_list(struct catalog_entry **out)
{
	char **names;
	size_t nu = user_names(&names);
	struct catalog_entry *list = xcalloc(nu + builtins_count + 1, sizeof *list);
	size_t n = 0;
	char err[512];
	for (size_t i = 0; i < nu; i++) {
		char *path = user_path(names[i]);
		struct program *p = path ? load_listed(path, names[i], err, sizeof err) : NULL;
		if (!path)
			snprintf(err, sizeof err, "cannot find the sessions folder");
		entry_from(&list[n++], names[i], p, true, err);
		program_free(p);
		free(path);
	}
	for (size_t i = 0; i < builtins_count; i++) {
		bool shadowed = false;
		for (size_t j = 0; j < nu; j++)
			shadowed |= strcmp(names[j], builtins[i].name) == 0;
		if (shadowed)
			continue;
		const char *text = builtins[i].text;
		struct program *p = parse_or_explain(text, strlen(text), builtins[i].name, builtins[i].name,
						     err, sizeof err);
		entry_from(&list[n++], builtins[i].name, p, false, err);
		program_free(p);
	}
	for (size_t i = 0; i < nu; i++)
		free(names[i]);
	free(names);
	*out = list;
	return n;
}

void catalog_free_list(struct catalog_entry *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].title);
		free(list[i].description);
		free(list[i].error);
	}
	free(list);
}

size_t catalog_group(const struct catalog_entry *e)
{
	enum program_tag tag;
	for (size_t g = 0; program_group(g, &tag); g++)
		if (e->purpose == tag)
			return g;
	for (size_t g = 0; program_group(g, &tag); g++)
		if (e->tags & tag)
			return g;
	return SIZE_MAX;
}
