/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"
#include "util.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	/* The message quotes what was typed: an escape sequence or a bidi
	 * control in an argument is shown, not obeyed. */
	char *safe = text_escape(msg, strlen(msg), SIZE_MAX);
	fprintf(stderr, "lull: %s\n", safe);
	free(safe);
	free(msg);
	if (cmd)
		fprintf(stderr, "Try 'lull %s --help' or 'lull --help'.\n", cmd);
	else
		fputs("Try 'lull --help'.\n", stderr);
	return 2;
}
