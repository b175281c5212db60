/* SPDX-License-Identifier: ISC */
/* The session format (lull-session(5)): text -> struct program, and back.
 * Pure: no I/O, no globals. Any input, however broken, gives either a program
 * or positioned errors, in time linear in its size. */
#ifndef LULL_PARSE_H
#define LULL_PARSE_H

#include <stddef.h>

#include "program.h"

#define PARSE_MAX_FILE (1024u * 1024u) /* bytes */
#define PARSE_MAX_LINE 4096u           /* bytes, without the newline */
#define PARSE_MAX_SECONDS 86400.0      /* any duration, and the whole program */
#define PARSE_MAX_ERRORS 20

struct parse_error {
	unsigned line, col; /* 1-based; col counts characters, not bytes */
	char msg[240];      /* safe to print: text from the file is escaped */
};

struct parse_result {
	struct program *program; /* NULL when there are errors */
	size_t nerrors;
	struct parse_error errors[PARSE_MAX_ERRORS];
};

/* Parses len bytes of text (NUL bytes inside are errors, not terminators).
 * name becomes program->name (may be NULL). Fills *r; on success r->program
 * is the caller's to program_free(). */
void parse_program(const char *text, size_t len, const char *name,
		   struct parse_result *r);

/* The program in the session format, in a canonical layout that parses back
 * to the same program. The caller frees. */
char *program_format(const struct program *p);

/* Durations and patterns as the format writes them: "1m30s", "4-7-8-0".
 * Write at most size bytes into buf, always terminated. */
void parse_format_duration(double seconds, char *buf, size_t size);
void parse_format_pattern(const struct pace_pattern *p, char *buf, size_t size);

/* Structural equality (ignoring source line numbers), for the round-trip
 * test and the fuzzer. */
int program_equal(const struct program *a, const struct program *b);

#endif
