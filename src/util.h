/* SPDX-License-Identifier: ISC */
/* Small helpers every module uses: allocation that never returns NULL, strings. */
#ifndef LULL_UTIL_H
#define LULL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* strlcpy semantics: always terminates, returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t size);
/* Adds msg to the messages in dst ("a; b"), unless it is there already;
 * when it does not fit, dst ends in "; ..." and takes no more. For a
 * status line that must not keep only the last of several failures. */
void str_join_message(char *dst, size_t size, const char *msg);
int str_has_prefix(const char *s, const char *prefix);

/* In n records of `size` bytes sorted by the int64_t `key` bytes into each
 * (a time: offsetof(struct ..., at)), the index of the first whose key is
 * greater than t; n when none is. For the cursors of sorted event lists. */
size_t sorted_first_after(const void *records, size_t n, size_t size, size_t key, int64_t t);

/* Writes s as a JSON string, quoted, with '"', '\\' and control
 * characters (and DEL) escaped. s is UTF-8 and passes through otherwise. */
void json_write_string(FILE *f, const char *s);

/* Faults in a large fresh buffer with one call instead of a page fault per
 * page as it is first touched (dear on virtual machines). Harmless where
 * unsupported; does nothing for small buffers. */
void mem_prefault(void *p, size_t len);

/* Write all of buf, retrying on EINTR and short writes. 0 or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);

#endif
