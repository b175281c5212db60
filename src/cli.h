/* SPDX-License-Identifier: ISC */
/* What every subcommand shares on the command line: the usage error. In the
 * library with the subcommands, so that main.c only dispatches and nothing
 * in the library needs main.c. */
#ifndef LULL_CLI_H
#define LULL_CLI_H

#include <stddef.h>

/* Prints "lull: MSG" (text_escape'd: the arguments quoted in it may be
 * anything that was typed) and a hint line ("Try 'lull CMD --help' ...", or
 * "Try 'lull --help'." when cmd is NULL) to stderr; returns 2, the exit
 * status of a usage error. */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct option;

/* usage_error for an unknown option arg of the getopt table opts: "PREFIX
 * unknown option '--jsno'; did you mean '--json'?" (the closest long
 * option, through usage_hint), or without the hint when none is close.
 * prefix is what the command's own messages begin with ("list: " or ""). */
int usage_unknown_option(const char *cmd, const char *prefix, const char *arg, const struct option *opts);

/* "; did you mean 'add'?" when one of the NULL-terminated words is close to
 * word (text_did_you_mean), else "": to end a message. Into buf (n bytes);
 * returns buf. */
const char *usage_hint(const char *word, const char *const *words, char *buf, size_t n);

#endif
