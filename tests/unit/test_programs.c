/* SPDX-License-Identifier: ISC */
/* The built-in programs, read as a physiotherapist and a sleep clinician
 * would read them, and laid out by the timeline as the session runs them:
 *
 *  - guidance matches the breath: a line about a phase is tied to it and
 *    appears (and is spoken) at it; a line for the breath as a whole names
 *    no phase; the line shown changes only at phase boundaries; a guided
 *    step's breathing cue begins on the phase its text asks for first, and
 *    a step that asks to hold a tension paces no breath (breathe normally
 *    under effort);
 *  - every step leaves time to do what it asks after its words are spoken
 *    (the fit rule, below), a tensing step at least 5 s, and PMR keeps
 *    Bernstein and Borkovec's timing (5 to 7 s of tension after the
 *    instruction, 30 to 40 s of release);
 *  - no medical claims, and the shuffle's words are what a shuffle needs.
 *
 * The fit rule measures how long a text takes to speak with the voice a
 * session speaks it in (voice.h's defaults, through the cache lull check
 * and lull show use: the build tree's lull-voice, so the first run of a
 * fresh build synthesises every line once). A lull built without a voice
 * estimates it from the words at SPOKEN_WPM, the rate measured with that
 * voice over the built-ins' 4,400 words (this test prints it). The say
 * lines are measured against their room in the sound plan, the one
 * mapping start and render share: until the next spoken line or the end
 * of their step. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "builtin.h"
#include "catalog.h"
#include "sessionopts.h"
#include "settings.h"
#include "soundplan.h"
#include "timeline.h"
#include "util.h"
#include "voice.h"
#include "../testhome.h"

#define SPOKEN_WPM 150.0 /* without a voice: rms at lull's pace, measured (151) */
#define ACT_S 3.0     /* time to act after the words, at least */
#define HOLD_S 5.0    /* ... after an instruction that ends "And hold it there." */

static struct voice *the_voice; /* NULL: built without one */
static double measured_s, measured_words; /* what the voice said, for its rate */

static size_t word_count(const char *text)
{
	size_t words = 0;
	bool in = false;
	for (const char *c = text; *c; c++) {
		bool space = *c == ' ';
		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}

static double spoken_s(const char *text)
{
	if (!the_voice)
		return (double)word_count(text) * 60.0 / SPOKEN_WPM;
	char err[200];
	double s = voice_measure(the_voice, text, err, sizeof err);
	if (s < 0)
		fail_msg("the voice cannot say '%s': %s", text, err);
	measured_s += s;
	measured_words += (double)word_count(text);
	return s;
}

static double secs(pace_us us)
{
	return (double)us / PACE_US_PER_S;
}

static struct program *load(const char *name)
{
	char err[512];
	struct program *p = catalog_load(name, err, sizeof err);
	if (!p)
		fail_msg("%s: %s", name, err);
	return p;
}

/* --- which phase a text is about ------------------------------------------ */

enum { ABOUT_INHALE = 1, ABOUT_HOLD = 2, ABOUT_EXHALE = 4 };

static regex_t re_inhale, re_hold, re_exhale;

static void compile(regex_t *re, const char *pattern)
{
	if (regcomp(re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
		fail_msg("bad pattern %s", pattern);
}

/* What a person hears as "now breathe in", "hold", "now breathe out". */
static void phrases(void)
{
	compile(&re_inhale, "(^|[^a-z])(inhale|in-breath|breathe in|breathing in|breaths? in)([^a-z]|$)"
			    "|^(and |again: |once more: )?in([ ,.:]|$)|(^|[ :])in (through|for|quietly|slowly)"
			    "|top up|a little more\\.$");
	compile(&re_hold, "(^|[^a-z])hold([^a-z]|$)|rest, empty");
	compile(&re_exhale, "(^|[^a-z])(exhale|out-breath|breathe out|breathing out|breaths? out)([^a-z]|$)"
			    "|^(and )?out([ ,.:]|$)|(^|[^a-z])out (through|for|slowly)|on the way out|sigh|whoosh");
}

static unsigned about(const char *text)
{
	unsigned a = 0;
	if (regexec(&re_inhale, text, 0, NULL, 0) == 0)
		a |= ABOUT_INHALE;
	if (regexec(&re_hold, text, 0, NULL, 0) == 0)
		a |= ABOUT_HOLD;
	if (regexec(&re_exhale, text, 0, NULL, 0) == 0)
		a |= ABOUT_EXHALE;
	return a;
}

static unsigned tie_bit(enum say_tie tie)
{
	switch (tie) {
	case SAY_INHALE:
		return ABOUT_INHALE;
	case SAY_HOLD:
		return ABOUT_HOLD;
	case SAY_EXHALE:
		return ABOUT_EXHALE;
	case SAY_ANY:
		break;
	}
	return 0;
}

/* The classifier itself, on lines of both kinds. */
static void phrases_are_read_right(void **state)
{
	assert_int_equal(about("In through the nose, for four."), ABOUT_INHALE);
	assert_int_equal(about("Again: in through the nose."), ABOUT_INHALE);
	assert_int_equal(about("Hold for seven."), ABOUT_HOLD);
	assert_int_equal(about("Out, all the way."), ABOUT_EXHALE);
	assert_int_equal(about("And whoosh it out."), ABOUT_EXHALE);
	assert_int_equal(about("Let the jaw hang a little open on the way out."), ABOUT_EXHALE);
	assert_int_equal(about("In for five and a half, out for five and a half."), ABOUT_INHALE | ABOUT_EXHALE);
	/* The old 478, whose lines stood through every phase. */
	assert_int_equal(about("Hold for seven. Keep the shoulders soft."), ABOUT_HOLD);
	assert_int_equal(about("Out through the mouth for eight, as if through a straw."), ABOUT_EXHALE);
	assert_int_equal(about("Let the breath turn around by itself, at the top and at the bottom."), 0);
	assert_int_equal(about("Sit easy. Let the breath settle."), 0);
	assert_int_equal(about("Lie down, on your back or your side, however sleep usually finds you."), 0);
	assert_int_equal(about("Out a little slower. No holding."), ABOUT_EXHALE);
}

/* --- guidance matches the breath ------------------------------------------ */

static void guidance_matches_the_breath(void **state)
{
	size_t tied = 0;
	for (size_t b = 0; b < builtins_count; b++) {
		const char *name = builtins[b].name;
		struct program *p = load(name);
		char err[256];
		struct timeline *tl = timeline_new(p, err, sizeof err);
		assert_non_null(tl);
		/* Each line, as the timeline says it. */
		size_t cur = 0, n;
		struct tl_event ev[256];
		while ((n = timeline_events(tl, &cur, INT64_MAX - 1, ev, 256)) > 0) {
			for (size_t i = 0; i < n; i++) {
				const struct tl_event *e = &ev[i];
				if (e->kind != TL_EV_SAY || p->steps[e->step].kind != STEP_SAY)
					continue;
				const struct step *say = &p->steps[e->step];
				struct tl_state st;
				timeline_at(tl, e->at, &st);
				/* At a phase boundary, of its own phase. */
				assert_int_equal(st.kind, STEP_BREATHE);
				if (st.pace.into != 0)
					fail_msg("%s:%u: '%s' appears %.2fs into a phase", name, say->line, say->u.say,
						 secs(st.pace.into));
				unsigned at = st.pace.phase == PACE_INHALE ? ABOUT_INHALE
					      : st.pace.phase == PACE_EXHALE ? ABOUT_EXHALE : ABOUT_HOLD;
				if (say->say_tie != SAY_ANY && tie_bit(say->say_tie) != at)
					fail_msg("%s:%u: '%s' is tied to the %s but appears at a %s", name, say->line,
						 say->u.say, program_tie_name(say->say_tie), pace_phase_word(st.pace.phase));
				/* About one phase: tied to it; about none: untied. */
				unsigned a = about(say->u.say);
				if (say->say_tie == SAY_ANY && a)
					fail_msg("%s:%u: '%s' is about a phase of the breath but shows through all of them",
						 name, say->line, say->u.say);
				if (say->say_tie != SAY_ANY && (a & ~tie_bit(say->say_tie)))
					fail_msg("%s:%u: '%s' is tied to the %s but speaks of another phase", name,
						 say->line, say->u.say, program_tie_name(say->say_tie));
				tied += say->say_tie != SAY_ANY;
			}
		}
		/* The line shown changes only at phase boundaries: walk every
		 * moment anything changes and look at each change of line. */
		struct tl_view v = { .bar_cells = 64, .bar_rate = 32, .count_cells = 64, .progress_levels = 64,
				     .left_step_s = 60 };
		struct tl_state prev, now;
		timeline_at(tl, 0, &prev);
		for (pace_us t = timeline_next_change(tl, 0, &v); t < timeline_total(tl);
		     t = timeline_next_change(tl, t, &v)) {
			timeline_at(tl, t, &now);
			if (now.guidance != prev.guidance && now.kind == STEP_BREATHE && now.pace.into != 0)
				fail_msg("%s: the line changes to '%s' %.2fs into a phase, at %.2fs", name,
					 now.guidance ? now.guidance : "", secs(now.pace.into), secs(t));
			prev = now;
		}
		/* Every line shows (lull check would say otherwise). */
		struct tl_warning w[8];
		size_t nw = timeline_warnings(tl, w, 8);
		if (nw)
			fail_msg("%s:%u: %s", name, p->steps[w[0].step].line, w[0].msg);
		timeline_free(tl);
		program_free(p);
	}
	assert_true(tied >= 30);
}

/* The first place in text of any of the phrases, or NULL. */
static const char *earliest(const char *text, const char *const *phrases)
{
	const char *first = NULL;
	for (size_t i = 0; phrases[i]; i++) {
		const char *at = strstr(text, phrases[i]);
		if (at && (!first || at < first))
			first = at;
	}
	return first;
}

/* Where in a text it first asks for a breath in or out: PACE_INHALE,
 * PACE_EXHALE, or PACE_PHASES when it does not. */
static enum pace_phase first_breath(const char *text)
{
	static const char *const ins[] = { "breathe in", "breathing in", "breath in", NULL };
	static const char *const outs[] = { "breathe out", "breathing out", "breath out", NULL };
	const char *first_in = earliest(text, ins), *first_out = earliest(text, outs);
	if (first_in && (!first_out || first_in < first_out))
		return PACE_INHALE;
	return first_out ? PACE_EXHALE : PACE_PHASES;
}

static bool starts_with_letting_go(const char *text)
{
	static const char *const words[] = { "Let ", "And let it go", "Release", "Drop", "Open the", NULL };
	for (size_t i = 0; words[i]; i++)
		if (str_has_prefix(text, words[i]))
			return true;
	return false;
}

/* A step that asks to hold a tension ends so: "hold it there", not a bare
 * "Hold." (heard as "gold" or "told" 29 times in 29). */
static bool ends_with_hold(const char *text)
{
	static const char hold[] = "hold it there.";
	size_t n = strlen(text), k = sizeof hold - 1;
	return n >= k && strcmp(text + n - k, hold) == 0;
}

static void cues_begin_where_the_text_does(void **state)
{
	size_t from_exhale = 0;
	for (size_t b = 0; b < builtins_count; b++) {
		const char *name = builtins[b].name;
		struct program *p = load(name);
		for (size_t k = 0; k < p->nsteps; k++) {
			const struct step *s = &p->steps[k];
			if (s->kind != STEP_GUIDE)
				continue;
			const char *text = s->u.guide.text;
			if (ends_with_hold(text) && s->u.guide.has_breath_cue)
				fail_msg("%s:%u: a step that holds a tension paces the breath: breathe as usual under "
					 "effort", name, s->line);
			if (!s->u.guide.has_breath_cue)
				continue;
			enum pace_phase want = first_breath(text);
			if (want == PACE_PHASES && starts_with_letting_go(text))
				want = PACE_EXHALE; /* letting go comes with a breath out */
			if (want != PACE_PHASES && s->u.guide.cue_from != want)
				fail_msg("%s:%u: '%.40s...' asks for a breath %s first, but its cue begins on the %s",
					 name, s->line, text, want == PACE_INHALE ? "in" : "out",
					 pace_phase_word(s->u.guide.cue_from));
			from_exhale += s->u.guide.cue_from == PACE_EXHALE;
		}
		program_free(p);
	}
	assert_true(from_exhale >= 10);
}

/* --- a night followed with the eyes closed ------------------------------------ */

#define HEARD_S 120 /* the first minutes of a block, where the breath is learnt */

static bool is_phase_tone(const struct sp_event *e)
{
	return e->kind == SP_EV_CUE && e->tone && e->name &&
	       (strcmp(e->name, SOUNDPLAN_TONE_INHALE) == 0 || strcmp(e->name, SOUNDPLAN_TONE_EXHALE) == 0 ||
		strcmp(e->name, SOUNDPLAN_TONE_HOLD) == 0);
}

/* Every breathing block has a sound the breath can follow: under the
 * settings a person starts with (no word about cues, no voice_breath), at
 * least three phases in four of its first two minutes begin with their
 * tone. (sleep, bed, headache and flare had none: `chime off`, 0 of 0.) */
static void every_breath_can_be_heard(void **state)
{
	(void)state;
	struct settings set;
	settings_defaults(&set);
	struct sessionopts o;
	memset(&o, 0, sizeof o);
	size_t blocks = 0;
	for (size_t b = 0; b < builtins_count; b++) {
		const char *name = builtins[b].name;
		struct program *p = load(name);
		struct timeline *tl = timeline_new(p, NULL, 0);
		assert_non_null(tl);
		struct soundplan_cfg cfg;
		sessionopts_sound_cfg(&o, &set, p, &cfg);
		struct soundplan *sp = soundplan_new(tl, &cfg);
		/* The tones' moments. */
		size_t ntones = 0, cap = 64;
		pace_us *tones = malloc(cap * sizeof *tones);
		struct sp_event se[64];
		size_t cur = 0, n;
		while ((n = soundplan_events(sp, &cur, INT64_MAX, se, 64)) > 0)
			for (size_t i = 0; i < n; i++)
				if (is_phase_tone(&se[i])) {
					if (ntones == cap)
						tones = realloc(tones, (cap *= 2) * sizeof *tones);
					tones[ntones++] = se[i].at;
				}
		/* Each block's phases in its first minutes, and how many are heard. */
		size_t step = SIZE_MAX, phases = 0, heard = 0;
		pace_us first = 0;
		struct tl_event ev[256];
		cur = 0;
		for (;;) {
			n = timeline_events(tl, &cur, INT64_MAX - 1, ev, 256);
			for (size_t i = 0; i <= n; i++) {
				bool end = i == n && n == 0;
				if (i == n && !end)
					break;
				const struct tl_event *e = end ? NULL : &ev[i];
				if (e && e->kind != TL_EV_BREATH)
					continue;
				if (end || e->step != step) {
					if (step != SIZE_MAX) {
						blocks++;
						if (heard * 4 < phases * 3)
							fail_msg("%s:%u: %zu of the %zu breath phases in the first %d s of this "
								 "block have a tone to follow", name, p->steps[step].line, heard,
								 phases, HEARD_S);
					}
					if (end)
						break;
					step = e->step;
					first = e->at;
					phases = heard = 0;
				}
				if (e->at - first >= (pace_us)HEARD_S * PACE_US_PER_S)
					continue;
				phases++;
				for (size_t k = 0; k < ntones; k++)
					if (tones[k] == e->at) {
						heard++;
						break;
					}
			}
			if (n == 0)
				break;
		}
		free(tones);
		soundplan_free(sp);
		timeline_free(tl);
		program_free(p);
	}
	assert_true(blocks >= 40);
}

/* --- words for the ear --------------------------------------------------- */

/* The words of s[0..n) (runs of non-spaces). */
static size_t words_in(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += s[i] != ' ' && (i == 0 || s[i - 1] == ' ');
	return w;
}

/* A spoken line is never one word or a bare command of two ("Hold.", heard
 * as "gold" or "told"; "Release."; "Let go."), no sentence in it is a single
 * word ("Keep breathing. Hold."; "Tight?"), and the body parts a recogniser
 * loses (knee, thigh, teeth, tongue) come with a word before them in their
 * clause ("your knees", "the tip of your tongue"), never bare at its head
 * ("Tongue up, teeth apart"). */
static void lines_for_the_ear(void **state)
{
	(void)state;
	static const char *const parts[] = { "knee", "knees", "thigh", "thighs", "teeth", "tongue", NULL };
	size_t lines = 0;
	for (size_t b = 0; b < builtins_count; b++) {
		const char *name = builtins[b].name;
		struct program *p = load(name);
		for (size_t k = 0; k < p->nsteps; k++) {
			const struct step *s = &p->steps[k];
			const char *t = s->kind == STEP_GUIDE ? s->u.guide.text : s->kind == STEP_SAY ? s->u.say : NULL;
			if (!t)
				continue;
			lines++;
			size_t n = strlen(t);
			if (words_in(t, n) < 3)
				fail_msg("%s:%u: '%s' is a bare command: give it a few words ('And hold it there.')",
					 name, s->line, t);
			for (size_t a = 0, i = 0; i <= n; i++) {
				if (i < n && !strchr(".?!", t[i]))
					continue;
				if (i < n && t[i + 1] != ' ' && t[i + 1] != '\0')
					continue; /* not a sentence's end ("5.5") */
				if (words_in(t + a, i - a) == 1)
					fail_msg("%s:%u: '%.*s' is a sentence of one word in '%s'", name, s->line,
						 (int)(i + 1 - a), t + a, t);
				a = i + 1;
			}
			for (size_t i = 0; i < n; i++) {
				if (i > 0 && isalpha((unsigned char)t[i - 1]))
					continue;
				size_t e = i;
				while (e < n && isalpha((unsigned char)t[e]))
					e++;
				for (size_t w = 0; parts[w]; w++) {
					if (strlen(parts[w]) != e - i || strncasecmp(t + i, parts[w], e - i) != 0)
						continue;
					size_t j = i;
					while (j > 0 && t[j - 1] == ' ')
						j--;
					if (j == 0 || strchr(".?!:;,", t[j - 1]))
						fail_msg("%s:%u: '%s' stands bare at the head of its clause in '%s': "
							 "give it a word before ('your %s')", name, s->line, parts[w], t,
							 parts[w]);
				}
			}
		}
		program_free(p);
	}
	assert_true(lines >= 150);
}

/* --- the fit rule ----------------------------------------------------------- */

static void every_step_leaves_time_to_act(void **state)
{
	for (size_t b = 0; b < builtins_count; b++) {
		const char *name = builtins[b].name;
		struct program *p = load(name);
		for (size_t k = 0; k < p->nsteps; k++) {
			const struct step *s = &p->steps[k];
			if (s->kind != STEP_GUIDE)
				continue;
			double left = s->u.guide.seconds - spoken_s(s->u.guide.text);
			double need = ends_with_hold(s->u.guide.text) ? HOLD_S : ACT_S;
			if (left < need)
				fail_msg("%s:%u: %.1fs left after the words of a %gs step (at least %gs): '%s'", name,
					 s->line, left, s->u.guide.seconds, need, s->u.guide.text);
		}
		/* A say line (a shuffle's word too) is spoken within its room in
		 * the sound plan. */
		char err[256];
		struct timeline *tl = timeline_new(p, err, sizeof err);
		struct soundplan_cfg cfg = { .volume = 1, .voice = true };
		struct soundplan *sp = soundplan_new(tl, &cfg);
		const struct sp_line *lines;
		size_t n = soundplan_lines(sp, &lines);
		for (size_t i = 0; i < n; i++) {
			if (p->steps[lines[i].step].kind == STEP_GUIDE)
				continue; /* above, with its time to act */
			double need = spoken_s(lines[i].text);
			if (need > secs(lines[i].room))
				fail_msg("%s:%u: '%s' takes %.1fs to say and has %.1fs", name,
					 p->steps[lines[i].step].line, lines[i].text, need, secs(lines[i].room));
		}
		soundplan_free(sp);
		timeline_free(tl);
		program_free(p);
	}
}

/* Circles as many as their time lets be slow: three seconds or more each,
 * after the words ("five each way" in 14 s is not slow). */
static void circles_that_fit(void **state)
{
	static const char *const numbers[] = { "one", "two", "three", "four", "five", "six", "seven", "eight",
					       "nine", "ten", NULL };
	size_t counted = 0;
	for (size_t b = 0; b < builtins_count; b++) {
		struct program *p = load(builtins[b].name);
		for (size_t k = 0; k < p->nsteps; k++) {
			const struct step *s = &p->steps[k];
			if (s->kind != STEP_GUIDE || !strstr(s->u.guide.text, "circles"))
				continue;
			unsigned circles = 0;
			char words[600];
			str_copy(words, s->u.guide.text, sizeof words);
			char *save = NULL;
			for (char *w = strtok_r(words, " ,.:;", &save); w; w = strtok_r(NULL, " ,.:;", &save))
				for (unsigned i = 0; numbers[i]; i++)
					if (strcmp(w, numbers[i]) == 0)
						circles += i + 1;
			if (strstr(s->u.guide.text, "each way"))
				circles *= 2;
			if (!circles)
				continue;
			double each = (s->u.guide.seconds - spoken_s(s->u.guide.text)) / circles;
			if (each < 3)
				fail_msg("%s:%u: %u circles, %.1fs each", builtins[b].name, s->line, circles, each);
			counted++;
		}
		program_free(p);
	}
	assert_true(counted >= 3);
}

/* PMR, as Bernstein and Borkovec time it: after the instruction, 5 to 7 s
 * of tension, then 30 to 40 s of release; seven groups, near ten minutes;
 * toes that lift, tension about halfway, and a sleep program's way out. */
static void pmr_keeps_the_protocol(void **state)
{
	struct program *p = load("pmr");
	size_t groups = 0;
	for (size_t k = 0; k < p->nsteps; k++) {
		const struct step *s = &p->steps[k];
		if (s->kind != STEP_GUIDE || !ends_with_hold(s->u.guide.text))
			continue;
		groups++;
		double tension = s->u.guide.seconds - spoken_s(s->u.guide.text);
		if (tension < 5 || tension > 7)
			fail_msg("pmr:%u: %.1fs of tension after the words", s->line, tension);
		assert_non_null(strstr(s->u.guide.text, "about halfway"));
		assert_non_null(strstr(s->u.guide.text, "Keep breathing"));
		assert_null(strstr(s->u.guide.text, "curl"));
		assert_null(strstr(s->u.guide.text, "as high as"));
		const struct step *r = &p->steps[k + 1];
		assert_int_equal(r->kind, STEP_GUIDE);
		if (r->u.guide.seconds < 30 || r->u.guide.seconds > 40)
			fail_msg("pmr:%u: a release of %gs", r->line, r->u.guide.seconds);
	}
	assert_int_equal(groups, 7);
	assert_true(program_length(p) >= 9 * 60 && program_length(p) <= 11 * 60);
	bool toes = false;
	const char *last = NULL;
	for (size_t k = 0; k < p->nsteps; k++)
		if (p->steps[k].kind == STEP_GUIDE) {
			toes |= strstr(p->steps[k].u.guide.text, "spread") != NULL;
			last = p->steps[k].u.guide.text;
		}
	assert_true(toes);
	assert_non_null(strstr(last, "or let yourself drift off"));
	program_free(p);
}

/* --- what the programs say ------------------------------------------------- */

static void no_medical_claims(void **state)
{
	static const char *const claims[] = { "relief", "relieve", "cure", "heal", "treat", "therap", "reduce",
					      "improve", "lowers", "slows the body", "nervous system", "proven",
					      NULL };
	for (size_t b = 0; b < builtins_count; b++) {
		struct program *p = load(builtins[b].name);
		const char *texts[] = { p->title, p->description };
		for (size_t t = 0; t < 2; t++) {
			char low[256];
			size_t i = 0;
			for (; texts[t] && texts[t][i] && i + 1 < sizeof low; i++)
				low[i] = (char)tolower((unsigned char)texts[t][i]);
			low[i] = '\0';
			for (size_t c = 0; claims[c]; c++)
				if (strstr(low, claims[c]))
					fail_msg("%s: '%s' says '%s'", builtins[b].name, texts[t], claims[c]);
		}
		program_free(p);
	}
}

/* The texts each kind of program owes its reader. */
static void safety_texts_say_what_matters(void **state)
{
	static const struct {
		const char *name;
		const char *must[5];
	} notes[] = {
		{ "neck-shoulders", { "dizzy", "vision", "tingling or numbness in an arm" } },
		{ "winddown", { "dizzy", "vision", "tingles or goes numb", "osteoporosis or after spinal surgery" } },
		{ "stretch", { "dizzy", "vision", "tingles or goes numb", "hip replacement",
			       "spinal surgery, or with osteoporosis" } },
		{ "back", { "Numbness between the legs", "bladder or bowel", "urgent care", "osteoporosis" } },
		{ "bed", { "Numbness between the legs", "urgent care", "hip replacement" } },
		{ "jaw", { "skip any clenching", "clicks" } },
		{ "headache", { "urgent care", "sudden, severe headache" } },
		{ "box", { "pregnant", "relax or coherent" } },
		{ "478", { "pregnant", "relax or coherent" } },
	};
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		struct program *p = load(notes[i].name);
		assert_non_null(p->safety);
		for (size_t m = 0; m < 5 && notes[i].must[m]; m++)
			if (!strstr(p->safety, notes[i].must[m]))
				fail_msg("%s: the safety note does not say '%s'", notes[i].name, notes[i].must[m]);
		program_free(p);
	}
	/* The back: seated first, lying last, and a minute in steps to get up. */
	struct program *p = load("back");
	size_t lie = p->nsteps, sit_after = 0;
	double up = 0;
	bool getting_up = false;
	for (size_t k = 0; k < p->nsteps; k++) {
		const struct step *s = &p->steps[k];
		if (s->kind != STEP_GUIDE)
			continue;
		if (lie == p->nsteps && strstr(s->u.guide.text, "lie down"))
			lie = k;
		if (k > lie && strstr(s->u.guide.text, "Sit on"))
			sit_after++;
		if (strstr(s->u.guide.text, "roll onto your side"))
			getting_up = true;
		if (getting_up)
			up += s->u.guide.seconds;
	}
	assert_true(lie > 0 && lie < p->nsteps);
	assert_int_equal(sit_after, 0);
	assert_true(up >= 45);
	program_free(p);
	/* The shuffle says once that getting up is fine after what feels like
	 * a while, somewhere dim; no minutes to count (clock watching keeps
	 * one awake: it said "in about twenty minutes"). */
	p = load("shuffle");
	size_t said = 0;
	for (size_t k = 0; k < p->nsteps; k++)
		if (p->steps[k].kind == STEP_GUIDE) {
			const char *t = p->steps[k].u.guide.text;
			said += strstr(t, "what feels like a while") && strstr(t, "dim");
			assert_null(strstr(t, "minutes"));
		}
	assert_int_equal(said, 1);
	program_free(p);
	/* winddown: the face tensed with the teeth apart, not "eyes shut
	 * tight" against "about halfway"; pmr's face keeps the teeth apart
	 * too. jaw: the masseter is in the cheek, not in front of the ear
	 * (that is the joint). stretch: a chair that does not roll or tip for
	 * the sideways stretch, and a second round offered (ACSM: repeat).
	 * sigh: Balban's five minutes. 478: no "count faster" against a count
	 * that does not change. */
	static const struct {
		const char *name;
		const char *has, *lacks;
	} said_right[] = {
		{ "winddown", "close your eyes firmly, wrinkle your nose, and keep your teeth apart", "shut tight" },
		{ "pmr", "press the lips together, with your teeth apart", NULL },
		{ "jaw", "between the cheekbone and the angle of your jaw", "jaw, just in front of the ear" },
		{ "stretch", "a steady chair, one that does not roll or tip", NULL },
		{ "stretch", "go round once more", NULL },
		{ "sigh", "That is five minutes", "three minutes" },
		{ "478", "keep it soft", "count faster" },
	};
	for (size_t i = 0; i < sizeof said_right / sizeof said_right[0]; i++) {
		p = load(said_right[i].name);
		bool has = false;
		for (size_t k = 0; k < p->nsteps; k++) {
			const struct step *s = &p->steps[k];
			const char *t = s->kind == STEP_GUIDE ? s->u.guide.text : s->kind == STEP_SAY ? s->u.say : NULL;
			if (!t)
				continue;
			has |= strstr(t, said_right[i].has) != NULL;
			if (said_right[i].lacks && strstr(t, said_right[i].lacks))
				fail_msg("%s:%u: still says '%s'", said_right[i].name, s->line, said_right[i].lacks);
		}
		if (!has)
			fail_msg("%s: does not say '%s'", said_right[i].name, said_right[i].has);
		program_free(p);
	}
	p = load("sigh");
	assert_true(program_length(p) >= 5 * 60);
	program_free(p);
	/* The body scan lets the breath go its own way in silence. */
	p = load("bodyscan");
	assert_int_equal(p->steps[p->nsteps - 1].kind, STEP_SILENCE);
	for (size_t k = 0; k < p->nsteps; k++)
		assert_true(p->steps[k].kind != STEP_BREATHE);
	program_free(p);
}

/* The shuffle's words: many, each once, easy to say and to show. */
static void shuffle_words(void **state)
{
	assert_true(builtin_words_count >= 200);
	for (size_t i = 0; i < builtin_words_count; i++) {
		const char *w = builtin_words[i];
		assert_true(strlen(w) >= 2 && strlen(w) <= 20);
		for (const char *c = w; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || *c == ' ');
		for (size_t j = i + 1; j < builtin_words_count; j++)
			if (strcmp(w, builtin_words[j]) == 0)
				fail_msg("'%s' is in the list twice", w);
	}
	/* Twenty minutes of shuffle never says a word twice. */
	struct program *p = load("shuffle");
	size_t words = 0;
	for (size_t k = 0; k < p->nsteps; k++)
		if (p->steps[k].kind == STEP_WORDS)
			words += p->steps[k].u.words.nwords;
	assert_true(words > 100 && words <= builtin_words_count);
	program_free(p);
}

/* The length `lull list` and the menu give is the time left a session
 * shows at its start, and the time left never reads more than the program
 * (box, "5 min" in the menu, opened at "6 min left"; winddown's "15 min"
 * at "16 min left"); whole minutes to the end, never a clock ticking
 * seconds, and never more than half a minute from the truth. */
static void time_left_adds_up(void **state)
{
	(void)state;
	const struct tl_view v = { .bar_cells = 64, .bar_rate = 32, .count_cells = 64, .progress_levels = 64,
				   .left_step_s = 60 };
	for (size_t b = 0; b < builtins_count; b++) {
		struct program *p = load(builtins[b].name);
		struct timeline *tl = timeline_new(p, NULL, 0);
		assert_non_null(tl);
		pace_us total = timeline_total(tl);
		char listed[32];
		timeline_format_length(total, listed, sizeof listed);
		struct tl_state st;
		timeline_at(tl, 0, &st);
		int secs, min = timeline_left_shown(&st, &v, &secs);
		char shown[32];
		if (min >= 0)
			snprintf(shown, sizeof shown, "%d min", min);
		else
			snprintf(shown, sizeof shown, "%d:%02d", secs / 60, secs % 60);
		if (strcmp(listed, shown) != 0 && total < 3600 * PACE_US_PER_S)
			fail_msg("%s: listed as %s, opens at %s left", builtins[b].name, listed, shown);
		/* Every moment: minutes, never more than half a minute from the
		 * truth; redrawn exactly when what is shown changes. */
		for (pace_us t = 0; t < total;) {
			timeline_at(tl, t, &st);
			min = timeline_left_shown(&st, &v, &secs);
			assert_true(min >= 0);
			assert_true(min * 60 <= secs + 30 && min * 60 >= secs - 30);
			char now[32];
			snprintf(now, sizeof now, "%d/%d", min, min < 0 ? secs : 0);
			pace_us next = timeline_next_change(tl, t, &v);
			assert_true(next > t);
			/* Nothing shown changes between t and next. */
			if (next - 1 > t && next != INT64_MAX) {
				struct tl_state mid;
				timeline_at(tl, next - 1, &mid);
				int ms, mm = timeline_left_shown(&mid, &v, &ms);
				char then[32];
				snprintf(then, sizeof then, "%d/%d", mm, mm < 0 ? ms : 0);
				if (strcmp(now, then) != 0)
					fail_msg("%s: the time left changed from %s to %s before %lld, its next change",
						 builtins[b].name, now, then, (long long)next);
			}
			t = next;
		}
		timeline_free(tl);
		program_free(p);
	}
}

int main(void)
{
	/* Only the built-ins: an empty home, whose cache (the suite's shared
	 * one under make check) takes what the voice makes. A home that is
	 * not there was made, run as root, by the voice's cache. */
	if (!testhome_enter("programs"))
		return 1;
	phrases();
	if (voice_built()) {
		struct voice_cfg vc;
		voice_cfg_default(&vc);
		the_voice = voice_new(&vc);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phrases_are_read_right),
		cmocka_unit_test(guidance_matches_the_breath),
		cmocka_unit_test(cues_begin_where_the_text_does),
		cmocka_unit_test(every_breath_can_be_heard),
		cmocka_unit_test(lines_for_the_ear),
		cmocka_unit_test(every_step_leaves_time_to_act),
		cmocka_unit_test(circles_that_fit),
		cmocka_unit_test(pmr_keeps_the_protocol),
		cmocka_unit_test(no_medical_claims),
		cmocka_unit_test(safety_texts_say_what_matters),
		cmocka_unit_test(shuffle_words),
		cmocka_unit_test(time_left_adds_up),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (the_voice && measured_s > 0)
		printf("the voice (%s at %.2f) said %.0f words in %.0f s: %.0f a minute\n", VOICE_DEFAULT_NAME,
		       VOICE_DEFAULT_RATE, measured_words, measured_s, measured_words * 60 / measured_s);
	voice_free(the_voice);
	regfree(&re_inhale);
	regfree(&re_hold);
	regfree(&re_exhale);
	testhome_remove();
	return rc;
}
