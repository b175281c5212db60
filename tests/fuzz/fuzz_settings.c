/* SPDX-License-Identifier: ISC */
/* Fuzz target for the settings reader (settings_parse). Beyond "no crash",
 * every value it keeps is within its range, a warning never carries a byte
 * a terminal would act on, and what was read, written back as key = value
 * lines, reads back the same (the values it accepts are values it can
 * read). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "settings.h"
#include "speech.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The settings lull knows here, as a config file would say them: one line
 * for each row of settings_table, so a key added there is checked here at
 * once. */
static char *settings_text(const struct settings *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	for (const struct setting *e = settings_table; e->name; e++) {
		char value[512];
		if (settings_value_text(s, e, value, sizeof value))
			fprintf(f, "%s = %s\n", e->name, value);
		else
			fprintf(f, "# %s not set\n", e->name);
	}
	fclose(f);
	return buf;
}

static void same(const struct settings *a, const struct settings *b)
{
	FUZZ_ASSERT(!strcmp(a->default_program, b->default_program));
	FUZZ_ASSERT(!strcmp(a->sounds, b->sounds));
	FUZZ_ASSERT(a->volume == b->volume);
	FUZZ_ASSERT(a->cues == b->cues && a->cue_style == b->cue_style);
	FUZZ_ASSERT(a->checkin == b->checkin && a->color == b->color);
	FUZZ_ASSERT(a->bell == b->bell && a->audio == b->audio && a->follow == b->follow);
	FUZZ_ASSERT(!strcmp(a->audio_driver, b->audio_driver));
	FUZZ_ASSERT(a->streak_days == b->streak_days);
	FUZZ_ASSERT(a->remind_notify == b->remind_notify && a->remind_tmux == b->remind_tmux);
	FUZZ_ASSERT(a->remind_bell == b->remind_bell);
	FUZZ_ASSERT(a->remind_osc_auto == b->remind_osc_auto && (a->remind_osc_auto || a->remind_osc == b->remind_osc));
	FUZZ_ASSERT(a->evening_end_min == b->evening_end_min);
	FUZZ_ASSERT(a->screen == b->screen && a->safety_wait == b->safety_wait);
	FUZZ_ASSERT(a->safety_seconds == b->safety_seconds);
	FUZZ_ASSERT(a->voice == b->voice && !strcmp(a->voice_name, b->voice_name));
	FUZZ_ASSERT(a->voice_rate == b->voice_rate && a->voice_pitch == b->voice_pitch);
	FUZZ_ASSERT(a->voice_volume == b->voice_volume && a->voice_breath == b->voice_breath);
}

/* Whether every warning in w says a sound was not found. */
static bool only_unknown_sounds(struct fuzz_stream *w)
{
	fflush(w->f);
	for (const char *line = w->buf; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len && !memmem(line, len, "no such sound", 13))
			return false;
		line = end ? end + 1 : NULL;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s;
	settings_defaults(&s);
	struct fuzz_stream w;
	settings_parse(&s, (const char *)data, size, "fuzz\033[2J", fuzz_stream_open(&w));
	fuzz_stream_done(&w, "settings warnings");

	FUZZ_ASSERT(s.volume >= 0 && s.volume <= 100);
	FUZZ_ASSERT(s.streak_days >= 1 && s.streak_days <= 7);
	FUZZ_ASSERT(s.evening_end_min >= 0 && s.evening_end_min < 24 * 60);
	FUZZ_ASSERT(s.audio >= -1 && s.audio <= 1);
	FUZZ_ASSERT(s.cues >= -1 && s.cues <= 1 && s.screen >= -1 && s.screen <= 1);
	FUZZ_ASSERT(s.cue_style == CUE_STYLE_TONES || s.cue_style == CUE_STYLE_CHIME);
	FUZZ_ASSERT(s.safety_seconds >= 0 && s.safety_seconds <= 60);
	FUZZ_ASSERT(s.voice >= -1 && s.voice <= 1 && s.voice_volume >= 0 && s.voice_volume <= 100);
	FUZZ_ASSERT(s.voice_rate >= VOICE_RATE_MIN && s.voice_rate <= VOICE_RATE_MAX);
	FUZZ_ASSERT(s.voice_pitch >= -VOICE_PITCH_MAX && s.voice_pitch <= VOICE_PITCH_MAX);
	FUZZ_ASSERT(memchr(s.voice_name, '\0', sizeof s.voice_name));
	fuzz_check_str("voice_name", s.voice_name);
	FUZZ_ASSERT(memchr(s.default_program, '\0', sizeof s.default_program));
	FUZZ_ASSERT(memchr(s.sounds, '\0', sizeof s.sounds));
	FUZZ_ASSERT(memchr(s.audio_driver, '\0', sizeof s.audio_driver));
	fuzz_check_str("default_program", s.default_program);
	fuzz_check_str("sounds", s.sounds);
	fuzz_check_str("audio_driver", s.audio_driver);

	char *text = settings_text(&s);
	struct settings back;
	settings_defaults(&back);
	struct fuzz_stream w2;
	int warnings = settings_parse(&back, text, strlen(text), "again", fuzz_stream_open(&w2));
	/* A sound the input names that is not there is named again: that
	 * depends on the folders at hand, not on what was written. */
	if (warnings && only_unknown_sounds(&w2))
		warnings = 0;
	if (warnings) {
		fclose(w2.f);
		fprintf(stderr, "written settings warned:\n%s%s", w2.buf, text);
		abort();
	}
	fuzz_stream_done(&w2, "settings warnings");
	same(&s, &back);
	free(text);
	return 0;
}
