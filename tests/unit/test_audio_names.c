/* SPDX-License-Identifier: ISC */
/* The sounds a session will play, as audio_prepare takes them, read from its
 * sound plan: each chime's cue, the default chime for a bare chime, the
 * phase and step tones the plan rings (or the chime for them all in the
 * chime style), each layer turned on (the configured bed
 * and the program's sound words; not `off`, `volume` or `fadeout`); each
 * once, NULL-terminated; a full list says so. Every built-in program's
 * names, checked against its text. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "audio_names.h"
#include "builtin.h"
#include "parse.h"
#include "soundplan.h"
#include "timeline.h"
#include "util.h"

static struct program *parse(const char *text)
{
	struct parse_result r;
	parse_program(text, strlen(text), "t", &r);
	if (!r.program)
		print_message("%u:%u: %s\n", r.errors[0].line, r.errors[0].col, r.errors[0].msg);
	assert_non_null(r.program);
	return r.program;
}

/* A program's timeline and sound plan, with the phase and step cues (in a
 * style) or without, and a configured bed (NULL: none); the names point
 * into them while they live. */
struct planned {
	struct timeline *tl;
	struct soundplan *sp;
};

static struct planned names_of(const struct program *p, bool tones, enum soundplan_cue_style style,
			       const char *bed, struct audio_names *n)
{
	char err[256];
	struct planned pl = { .tl = timeline_new(p, err, sizeof err) };
	assert_non_null(pl.tl);
	struct soundplan_cfg cfg = { .volume = 0.6f, .tones = tones, .cue_style = style, .chimes = true };
	if (bed) {
		str_copy(cfg.layers[0].name, bed, sizeof cfg.layers[0].name);
		cfg.layers[0].volume = 0.5f;
		cfg.nlayers = 1;
	}
	pl.sp = soundplan_new(pl.tl, &cfg);
	audio_names_init(n);
	assert_true(audio_names_of_plan(n, pl.sp));
	return pl;
}

static void planned_free(struct planned pl)
{
	soundplan_free(pl.sp);
	timeline_free(pl.tl);
}

static void test_plan_names(void **state)
{
	struct program *p = parse("sound rain 50% fade 10s\n"
				  "chime bowl\n"
				  "breathe 4-0-6-0 for 2m\n"
				  "chime\n"
				  "sound ocean 30%\n"
				  "sound rain off fade 5s\n"
				  "volume 40%\n"
				  "chime bowl\n"
				  "sound ocean 60% fade 3s\n"
				  "fadeout 30s\n"
				  "silence 10s\n");
	struct audio_names n;
	struct planned pl = names_of(p, false, SOUNDPLAN_TONES, "pink", &n);
	assert_int_equal(n.ncues, 2);
	assert_string_equal(n.cues[0], "bowl");
	assert_string_equal(n.cues[1], ""); /* the bare chime: the default */
	assert_null(n.cues[2]);
	assert_int_equal(n.nlayers, 3);
	assert_non_null(n.layers[0]);
	const char *want[] = { "pink", "rain", "ocean" };
	for (size_t i = 0; i < 3; i++) {
		bool found = false;
		for (size_t k = 0; k < n.nlayers; k++)
			found = found || strcmp(n.layers[k], want[i]) == 0;
		assert_true(found);
	}
	assert_null(n.layers[3]);
	planned_free(pl);

	/* The chime style: the breaths ring the default chime too; it is
	 * named once. */
	pl = names_of(p, true, SOUNDPLAN_CHIME, NULL, &n);
	assert_int_equal(n.ncues, 2);
	assert_int_equal(n.nlayers, 2);
	planned_free(pl);
	/* The tones, in the order first heard: the phases' and the step
	 * tone of the closing silence. */
	pl = names_of(p, true, SOUNDPLAN_TONES, NULL, &n);
	const char *tones[] = { "bowl", "inhale", "exhale", "", "step" };
	assert_int_equal(n.ncues, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(n.cues[i], tones[i]);
	planned_free(pl);
	program_free(p);

	/* A breathing program with holds, nothing else: each tone once. */
	p = parse("breathe 4-4-4-4 for 4 cycles\n");
	pl = names_of(p, true, SOUNDPLAN_TONES, NULL, &n);
	assert_int_equal(n.ncues, 3);
	assert_string_equal(n.cues[0], "inhale");
	assert_string_equal(n.cues[1], "hold");
	assert_string_equal(n.cues[2], "exhale");
	assert_null(n.layers[0]);
	planned_free(pl);
	pl = names_of(p, true, SOUNDPLAN_CHIME, NULL, &n); /* the default chime only */
	assert_int_equal(n.ncues, 1);
	assert_string_equal(n.cues[0], "");
	planned_free(pl);
	pl = names_of(p, false, SOUNDPLAN_TONES, NULL, &n); /* cues off: nothing at all */
	assert_null(n.cues[0]);
	assert_null(n.layers[0]);
	planned_free(pl);
	program_free(p);
}

static void test_full(void **state)
{
	struct audio_names n;
	audio_names_init(&n);
	char names[AUDIO_NAMES_MAX + 1][8];
	for (int i = 0; i <= AUDIO_NAMES_MAX; i++) {
		snprintf(names[i], sizeof names[i], "l%d", i);
		assert_int_equal(audio_names_add_layer(&n, names[i]), i < AUDIO_NAMES_MAX);
		assert_int_equal(audio_names_add_cue(&n, names[i]), i < AUDIO_NAMES_MAX);
	}
	assert_int_equal(n.nlayers, AUDIO_NAMES_MAX);
	assert_null(n.layers[AUDIO_NAMES_MAX]);
	assert_null(n.cues[AUDIO_NAMES_MAX]);
	assert_true(audio_names_add_layer(&n, "l0")); /* there already: fits */
}

/* Every built-in, with its tones: each layer its text turns on and each cue
 * it rings is in the lists, and nothing that it does not (beside the four
 * tones). */
static void test_builtins(void **state)
{
	for (size_t b = 0; b < builtins_count; b++) {
		struct program *p = parse(builtins[b].text);
		struct audio_names n;
		struct planned pl = names_of(p, true, SOUNDPLAN_TONES, NULL, &n);
		size_t cues = 4, layers = 0;
		for (size_t i = 0; i < p->nsteps; i++) {
			const struct step *s = &p->steps[i];
			const char *want = NULL;
			const char *const *list = NULL;
			if (s->kind == STEP_CHIME) {
				want = s->u.chime ? s->u.chime : "";
				list = n.cues;
				cues++;
			} else if (s->kind == STEP_SOUND && s->u.sound.action == SOUND_LAYER_ON) {
				want = s->u.sound.name;
				list = n.layers;
				layers++;
			}
			if (!want)
				continue;
			bool found = false;
			for (size_t k = 0; list[k]; k++)
				found = found || strcmp(list[k], want) == 0;
			if (!found)
				print_message("%s: %s not collected\n", builtins[b].name, want);
			assert_true(found);
		}
		assert_true(n.ncues <= cues);
		assert_true(n.nlayers <= layers);
		print_message("%-15s cues:", builtins[b].name);
		for (size_t k = 0; n.cues[k]; k++)
			print_message(" '%s'", n.cues[k]);
		print_message("  layers:");
		for (size_t k = 0; n.layers[k]; k++)
			print_message(" %s", n.layers[k]);
		print_message("\n");
		planned_free(pl);
		program_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_names),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_builtins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
