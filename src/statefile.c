/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "paths.h"
#include "statefile.h"
#include "util.h"

/* Far more than a line of these files: a larger one is not theirs. */
#define STATEFILE_MAX 4096
/* The longest first line kept. */
#define STATEFILE_LINE_MAX 127

char *statefile_read(const char *leaf)
{
	char *path = paths_file(PATH_STATE, leaf);
	if (!path)
		return NULL;
	char *text;
	size_t len;
	int r = file_read(path, STATEFILE_MAX, &text, &len);
	free(path);
	if (r < 0)
		return NULL;
	if (len == 0) {
		free(text);
		return NULL;
	}
	size_t n = strcspn(text, "\r\n");
	text[n < STATEFILE_LINE_MAX ? n : STATEFILE_LINE_MAX] = '\0';
	return text;
}

void statefile_write(const char *leaf, const char *text)
{
	char *dir = paths_make_dir(PATH_STATE);
	if (!dir)
		return;
	char *path = xasprintf("%s/%s", dir, leaf);
	char *line = xasprintf("%s\n", text);
	/* Failure is silent (see statefile.h). */
	file_write_atomic(path, line, strlen(line), NULL);
	free(line);
	free(path);
	free(dir);
}

/* A set file is at most this large; an older line falls off first. */
#define STATEFILE_SET_MAX 65536

/* The whole file, or NULL. */
static char *read_set(const char *leaf, size_t *len)
{
	char *path = paths_file(PATH_STATE, leaf);
	if (!path)
		return NULL;
	char *text;
	int r = file_read(path, STATEFILE_SET_MAX, &text, len);
	free(path);
	return r < 0 ? NULL : text;
}

/* Whether text holds line as one whole line. */
static bool set_has(const char *text, size_t len, const char *line)
{
	size_t n = strlen(line);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end - i == n && memcmp(text + i, line, n) == 0)
			return true;
		i = end + 1;
	}
	return false;
}

bool statefile_has_line(const char *leaf, const char *line)
{
	size_t len;
	char *text = read_set(leaf, &len);
	bool has = text && set_has(text, len, line);
	free(text);
	return has;
}

void statefile_add_line(const char *leaf, const char *line, size_t max)
{
	if (!*line || strchr(line, '\n') || max == 0)
		return;
	size_t len = 0;
	char *text = read_set(leaf, &len);
	if (text && set_has(text, len, line)) {
		free(text);
		return;
	}
	/* Keep the newest max - 1 lines, then the new one. */
	size_t lines = 0, start = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (len && text[len - 1] != '\n')
		lines++;
	for (; lines >= max && start < len; lines--) {
		const char *nl = memchr(text + start, '\n', len - start);
		start = nl ? (size_t)(nl - text) + 1 : len;
	}
	char *dir = paths_make_dir(PATH_STATE);
	if (dir) {
		char *path = xasprintf("%s/%s", dir, leaf);
		bool newline = len > start && text[len - 1] != '\n';
		char *out = xasprintf("%.*s%s%s\n", (int)(len - start), text ? text + start : "",
				      newline ? "\n" : "", line);
		file_write_atomic(path, out, strlen(out), NULL); /* failure is silent (statefile.h) */
		free(out);
		free(path);
		free(dir);
	}
	free(text);
}
