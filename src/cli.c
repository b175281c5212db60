/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <getopt.h>
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

const char *usage_hint(const char *word, const char *const *words, char *buf, size_t n)
{
	const char *near = text_did_you_mean(word, words);
	if (near)
		snprintf(buf, n, "; did you mean '%s'?", near);
	else if (n)
		buf[0] = '\0';
	return buf;
}

int usage_unknown_option(const char *cmd, const char *prefix, const char *arg, const struct option *opts)
{
	char hint[80] = "";
	/* A short option is one letter: nothing is near it. "--jsno=x" is
	 * compared without its value. */
	if (strncmp(arg, "--", 2) == 0) {
		char typed[80];
		snprintf(typed, sizeof typed, "%.*s", (int)strcspn(arg, "="), arg);
		size_t count = 0;
		while (opts[count].name)
			count++;
		char (*names)[40] = xcalloc(count + 1, sizeof *names);
		const char **list = xcalloc(count + 1, sizeof *list);
		for (size_t i = 0; i < count; i++) {
			snprintf(names[i], sizeof names[i], "--%s", opts[i].name);
			list[i] = names[i];
		}
		usage_hint(typed, list, hint, sizeof hint);
		free(list);
		free(names);
	}
	return usage_error(cmd, "%sunknown option '%s'%s", prefix, arg, hint);
}
