/* SPDX-License-Identifier: ISC */
/* Finding programs: the user's sessions folder first, then the built-ins
 * compiled into the binary; a name with a '/' is a file path. */
#ifndef LULL_CATALOG_H
#define LULL_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"

/* Loads and parses a program by name or path. NULL on failure with a
 * "FILE:LINE:COL: message" (or "no program named ...") in err. The loader
 * adds the breath-hold caution (program_add_hold_safety) and tonight's order
 * of the shuffle's words (program_set_words, seeded by the local date). */
struct program *catalog_load(const char *name_or_path, char *err, size_t errsize);

struct catalog_entry {
	char *name;
	char *title;
	char *description;
	unsigned tags;
	unsigned purpose; /* the tag it is mainly for (program.h), 0 when none */
	double length_s;
	bool user; /* from the user's folder */
	bool invalid; /* the user's file does not parse: `lull check` says why */
	char *error;  /* then why: "line L, column C: message ...", no path */
};

/* Every program, user ones first then built-ins not shadowed by them. Returns
 * the count; *out is an array the caller frees with catalog_free_list(). */
size_t catalog_list(struct catalog_entry **out);
void catalog_free_list(struct catalog_entry *list, size_t n);

/* The one group a program is listed under, in `lull list` and the menu
 * alike: what it is mainly for (its purpose), else its first tag in the
 * groups' order (program_group); SIZE_MAX for "Other" (no tags). */
size_t catalog_group(const struct catalog_entry *e);

/* A program name is letters, digits, '.', '_' and '-', not starting with '.',
 * at most 63 bytes: what can follow `lull start` and name a file. */
bool catalog_name_ok(const char *name);

/* Reads a whole file (path "-" is standard input) of at most
 * PARSE_MAX_FILE + 1 bytes: one more than allowed, so the parser can say the
 * file is too large. A path that is not a regular file (a FIFO, a device) is
 * refused rather than waited on. 0 on success (*buf the caller's to free,
 * NUL-terminated after *len bytes), -1 with a message in err (the path
 * escaped for the terminal) and errno set. */
int catalog_read(const char *path, char **buf, size_t *len, char *err, size_t errsize);

/* The path of the user's own file for a program name, when there is one
 * (the caller frees); else NULL. */
char *catalog_user_file(const char *name);

/* The program's name for a path: its file name without ".session". The
 * caller frees. */
char *catalog_name_from_path(const char *path);

#endif
