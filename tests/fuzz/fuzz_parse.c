/* SPDX-License-Identifier: ISC */
/* Fuzz target for the session parser and the settings reader. Beyond "no
 * crash, no hang, no leak", it checks the promises the programs area makes:
 * a program that parses is written back by program_format() into text that
 * parses to the same program, writing that again gives the same text, no
 * text in a parsed program holds a byte a terminal would act on, and the
 * timeline shows every say line at a phase boundary of its own phase or
 * says that it never shows. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "settings.h"
#include "text.h"
#include "timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0 || text_cp_forbidden(cp)) {
			fprintf(stderr, "unsafe text in a parsed program: %s\n", s);
			abort();
		}
		i += len;
	}
}

static void check_program(const struct program *p)
{
	check_text(p->title);
	check_text(p->description);
	check_text(p->safety);
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		if (s->kind == STEP_GUIDE)
			check_text(s->u.guide.text);
		else if (s->kind == STEP_SAY)
			check_text(s->u.say);
	}
	double len = program_length(p);
	if (!(len > 0 && len <= PARSE_MAX_SECONDS + 3600)) {
		fprintf(stderr, "program length out of range: %g\n", len);
		abort();
	}
}

static bool tie_is(enum say_tie tie, enum pace_phase ph)
{
	return tie == SAY_ANY || (tie == SAY_INHALE && ph == PACE_INHALE) || (tie == SAY_EXHALE && ph == PACE_EXHALE) ||
	       (tie == SAY_HOLD && pace_phase_is_hold(ph));
}

static void check_says(const struct program *p)
{
	struct timeline *tl = timeline_new(p, NULL, 0);
	if (!tl)
		return; /* the parser's bounds and the timeline's differ only in what is refused */
	size_t says = 0, shown = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		says += p->steps[i].kind == STEP_SAY;
	struct tl_event ev[64];
	size_t cur = 0, n;
	while ((n = timeline_events(tl, &cur, INT64_MAX - 1, ev, 64)) > 0)
		for (size_t i = 0; i < n; i++) {
			if (ev[i].kind != TL_EV_SAY || p->steps[ev[i].step].kind != STEP_SAY)
				continue;
			struct tl_state st;
			timeline_at(tl, ev[i].at, &st);
			if (!st.breathing || st.pace.into != 0 || !tie_is(p->steps[ev[i].step].say_tie, st.pace.phase)) {
				fprintf(stderr, "a say line (line %u) shown off its phase\n", p->steps[ev[i].step].line);
				abort();
			}
			shown++;
		}
	struct tl_warning w[PARSE_MAX_ERRORS * 8];
	size_t nw = timeline_warnings(tl, w, sizeof w / sizeof w[0]), unsaid = 0;
	for (size_t i = 0; i < nw; i++)
		unsaid += p->steps[w[i].step].kind == STEP_SAY;
	if (nw < sizeof w / sizeof w[0] && shown + unsaid != says) {
		fprintf(stderr, "%zu say lines, %zu shown, %zu reported unshown\n", says, shown, unsaid);
		abort();
	}
	timeline_free(tl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct parse_result r, r2;
	parse_program((const char *)data, size, "fuzz", &r);
	if (r.program) {
		check_program(r.program);
		check_says(r.program);
		char *text = program_format(r.program);
		parse_program(text, strlen(text), "fuzz", &r2);
		if (!r2.program) {
			fprintf(stderr, "written form does not parse: %u:%u: %s\n%s", r2.errors[0].line,
				r2.errors[0].col, r2.errors[0].msg, text);
			abort();
		}
		if (!program_equal(r.program, r2.program)) {
			fprintf(stderr, "written form parses to another program:\n%s", text);
			abort();
		}
		char *again = program_format(r2.program);
		if (strcmp(text, again) != 0) {
			fprintf(stderr, "writing is not stable:\n%s\n---\n%s", text, again);
			abort();
		}
		free(again);
		free(text);
		program_free(r2.program);
		program_free(r.program);
	} else if (r.nerrors == 0) {
		fprintf(stderr, "no program and no error\n");
		abort();
	}

	/* The settings reader takes the same bytes. */
	struct settings s;
	settings_defaults(&s);
	settings_parse(&s, (const char *)data, size, "fuzz", NULL);
	if (s.volume < 0 || s.volume > 100 || s.streak_days < 1 || s.streak_days > 7 ||
	    s.evening_end_min < 0 || s.evening_end_min >= 24 * 60)
		abort();

	/* And escaping arbitrary bytes for messages never lets a control through. */
	char *esc = text_escape((const char *)data, size, 64);
	for (const char *c = esc; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7F)
			abort();
	free(esc);
	return 0;
}
