/* SPDX-License-Identifier: ISC */
/* Fuzz target for the history reader (history_parse_text and the chunked
 * reader under it). Beyond "no crash" and no read past the text (the input
 * is an exact-size buffer), every record kept is within its bounds and its
 * text fields show no byte a terminal would act on, the warnings are
 * escaped and capped, reading in two chunks gives what reading whole gives,
 * and every record written back (history_format_*) reads back to itself. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_level(int v)
{
	FUZZ_ASSERT(v >= -1 && v <= 10);
}

static void check_entry(const struct history_entry *e)
{
	FUZZ_ASSERT(isfinite(e->planned_s) && e->planned_s >= 0 && e->planned_s <= 1e8);
	FUZZ_ASSERT(isfinite(e->actual_s) && e->actual_s >= 0 && e->actual_s <= 1e8);
	FUZZ_ASSERT((unsigned)e->end <= HISTORY_SIGNAL);
	FUZZ_ASSERT(e->utc_offset_s > -86400 && e->utc_offset_s < 86400);
	check_level(e->tension_before);
	check_level(e->tension_after);
	fuzz_check_str("program", e->program);
	fuzz_check_str("sounds", e->sounds);
	fuzz_check_str("area", e->area);

	/* Written back, read back, written again: the same line. */
	char line[1024], again[1024], err[160];
	size_t n = history_format_entry(e, line, sizeof line);
	FUZZ_ASSERT(n > 0 && n < sizeof line && line[n - 1] == '\n');
	line[n - 1] = '\0';
	struct history_entry back;
	struct history_morning m;
	if (history_parse_line(line, HISTORY_VERSION, &back, &m, err, sizeof err) != HISTORY_LINE_SESSION) {
		fprintf(stderr, "written record does not read back: %s\n%s\n", err, line);
		abort();
	}
	FUZZ_ASSERT(back.start == e->start && back.utc_offset_s == e->utc_offset_s);
	FUZZ_ASSERT(!strcmp(back.program, e->program) && !strcmp(back.area, e->area));
	history_format_entry(&back, again, sizeof again);
	again[n - 1] = '\0';
	FUZZ_ASSERT(!strcmp(line, again));
}

static void check_morning(const struct history_morning *m)
{
	check_level(m->sleep);
	check_level(m->pain);
	fuzz_check_str("area", m->area);
	char line[1024], again[1024], err[160];
	size_t n = history_format_morning(m, line, sizeof line);
	FUZZ_ASSERT(n > 0 && n < sizeof line);
	line[n - 1] = '\0';
	struct history_entry e;
	struct history_morning back;
	if (history_parse_line(line, HISTORY_VERSION, &e, &back, err, sizeof err) != HISTORY_LINE_MORNING) {
		fprintf(stderr, "written morning does not read back: %s\n%s\n", err, line);
		abort();
	}
	FUZZ_ASSERT(back.at == m->at && back.linked == m->linked);
	history_format_morning(&back, again, sizeof again);
	again[n - 1] = '\0';
	FUZZ_ASSERT(!strcmp(line, again));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history h;
	history_init(&h);
	struct fuzz_stream w;
	history_parse_text((const char *)data, size, "fuzz", &h, fuzz_stream_open(&w));
	fflush(w.f);
	size_t lines = 0;
	for (size_t i = 0; i < w.len; i++)
		lines += w.buf[i] == '\n';
	/* The first few, a header note, a version note, and a count. */
	FUZZ_ASSERT(lines <= HISTORY_WARN_MAX + 3);
	fuzz_stream_done(&w, "history warnings");
	for (size_t i = 0; i < h.n; i++)
		check_entry(&h.entries[i]);
	for (size_t i = 0; i < h.nm; i++)
		check_morning(&h.mornings[i]);

	/* In two chunks, split where the first byte says: the same. */
	struct history h2;
	history_init(&h2);
	struct history_reader r;
	history_reader_init(&r, &h2, "fuzz", NULL);
	size_t cut = size ? data[0] % (size + 1) : 0;
	history_reader_feed(&r, (const char *)data, cut);
	history_reader_feed(&r, (const char *)data + cut, size - cut);
	history_reader_end(&r);
	FUZZ_ASSERT(h2.n == h.n && h2.nm == h.nm && h2.bad_lines == h.bad_lines);
	FUZZ_ASSERT(h2.version == h.version);
	for (size_t i = 0; i < h.n; i++) {
		const struct history_entry *a = &h.entries[i], *b = &h2.entries[i];
		FUZZ_ASSERT(a->start == b->start && a->planned_s == b->planned_s && a->end == b->end);
		FUZZ_ASSERT(!strcmp(a->program, b->program) && !strcmp(a->sounds, b->sounds));
	}
	history_free(&h2);
	history_free(&h);
	return 0;
}
