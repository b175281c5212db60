/* Finding programs: the user's sessions folder first, then the built-ins
 * compiled into the binary; a name with a '/' is a file path. */
#ifndef LULL_CATALOG_H
#define LULL_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"

/* Loads and parses a program by name or path. NULL on failure with a
 * "FILE:LINE:COL: message" (or "no program named ...") in err. */
struct program *catalog_load(const char *name_or_path, char *err, size_t errsize);

struct catalog_entry {
	char *name;
	char *title;
	char *description;
	unsigned tags;
	double length_s;
	bool user; /* from the user's folder */
};

/* Every program, user ones first then built-ins not shadowed by them. Returns
 * the count; *out is an array the caller frees with catalog_free_list(). */
size_t catalog_list(struct catalog_entry **out);
void catalog_free_list(struct catalog_entry *list, size_t n);

#endif
