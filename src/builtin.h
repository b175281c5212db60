/* SPDX-License-Identifier: ISC */
/* The built-in programs: the texts of the src/builtin/ session files, compiled in by
 * the build (see mk/programs.am), so the binary needs no installed data. */
#ifndef LULL_BUILTIN_H
#define LULL_BUILTIN_H

#include <stddef.h>

struct builtin {
	const char *name;
	const char *text;
};

extern const struct builtin builtins[];
extern const size_t builtins_count;

/* The words of the cognitive shuffle (src/builtin/words.txt), for
 * program_set_words(). */
extern const char *const builtin_words[];
extern const size_t builtin_words_count;

/* The text of the built-in called name, or NULL. */
const char *builtin_text(const char *name);

#endif
