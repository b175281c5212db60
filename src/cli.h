/* SPDX-License-Identifier: ISC */
/* What every subcommand shares on the command line: the usage error. In the
 * library with the subcommands, so that main.c only dispatches and nothing
 * in the library needs main.c. */
#ifndef LULL_CLI_H
#define LULL_CLI_H

/* Prints "lull: MSG" (text_escape'd: the arguments quoted in it may be
 * anything that was typed) and a hint line ("Try 'lull CMD --help' ...", or
 * "Try 'lull --help'." when cmd is NULL) to stderr; returns 2, the exit
 * status of a usage error. */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
