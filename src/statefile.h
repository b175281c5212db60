/* SPDX-License-Identifier: ISC */
/* Small state files in $XDG_STATE_HOME/lull (the program used last, whether
 * the safety note was shown, the safety texts acknowledged): read whole,
 * written atomically. */
#ifndef LULL_STATEFILE_H
#define LULL_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The first line of the file (at most 127 bytes of it), without its
 * newline; NULL when there is none, or the file is not a small regular file.
 * The caller frees. */
char *statefile_read(const char *leaf);

/* Replaces the file with text and a newline (file_write_atomic: mode 0600),
 * the directory made 0700. Failure is silent: these files only
 * spare the person a repeat, and lull works without them. */
void statefile_write(const char *leaf, const char *text);

/* A set of short lines in one file (which programs' safety notes were
 * acknowledged): whether line is one of them, and adding it (keeping the
 * newest max lines). The same silence on failure as statefile_write. */
bool statefile_has_line(const char *leaf, const char *line);
void statefile_add_line(const char *leaf, const char *line, size_t max);

#endif
