/* SPDX-License-Identifier: ISC */
/* What every fuzz target checks of the text lull would show: messages and
 * fields that reach a terminal hold valid UTF-8 and none of the code points
 * text_cp_forbidden() names (a '\n' between messages aside). Header only:
 * each target is linked on its own. */
#ifndef LULL_FUZZ_COMMON_H
#define LULL_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static inline void fuzz_check_safe(const char *what, const char *s, size_t n, int newlines_ok)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0 || (text_cp_forbidden(cp) && !(newlines_ok && cp == '\n'))) {
			fprintf(stderr, "%s: unsafe byte at %zu of %zu: %.*s\n", what, i, n, (int)n, s);
			abort();
		}
		i += len;
	}
}

static inline void fuzz_check_str(const char *what, const char *s)
{
	fuzz_check_safe(what, s, strlen(s), 0);
}

/* A stream that collects what is written to it (open_memstream), checked
 * and freed by fuzz_stream_done. */
struct fuzz_stream {
	FILE *f;
	char *buf;
	size_t len;
};

static inline FILE *fuzz_stream_open(struct fuzz_stream *s)
{
	s->buf = NULL;
	s->len = 0;
	s->f = open_memstream(&s->buf, &s->len);
	if (!s->f)
		abort();
	return s->f;
}

static inline void fuzz_stream_done(struct fuzz_stream *s, const char *what)
{
	fclose(s->f);
	fuzz_check_safe(what, s->buf, s->len, 1);
	free(s->buf);
}

#define FUZZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

#endif
