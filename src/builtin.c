/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <string.h>

#include "builtin.h"

/* Generated at build time from the src/builtin/ session files (mk/programs.am). */
#include "builtin_data.inc"

const size_t builtins_count = sizeof builtins / sizeof builtins[0];
const size_t builtin_words_count = sizeof builtin_words / sizeof builtin_words[0];

const char *builtin_text(const char *name)
{
	for (size_t i = 0; i < builtins_count; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].text;
	return NULL;
}
