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
#include "termnotify.h"
#include "voice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static const char *auto_yes_no(int v)
{
	return v < 0 ? "auto" : yes_no(v);
}

/* The settings lull knows here, as a config file would say them. */
static char *settings_text(const struct settings *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	fprintf(f, "default_program = %s\n", s->default_program);
	fprintf(f, "sounds = %s\n", s->sounds);
	fprintf(f, "volume = %d\n", s->volume);
	fprintf(f, "cues = %s\ncue_style = %s\n", auto_yes_no(s->cues),
	        s->cue_style == CUE_STYLE_CHIME ? "chime" : "tones");
	fprintf(f, "checkin = %s\ncolor = %s\nbell = %s\n", yes_no(s->checkin), yes_no(s->color), yes_no(s->bell));
	fprintf(f, "audio = %s\n", auto_yes_no(s->audio));
	fprintf(f, "audio_driver = %s\n", s->audio_driver);
	fprintf(f, "follow = %s\n", yes_no(s->follow));
	fprintf(f, "streak_days = %d\n", s->streak_days);
	fprintf(f, "remind_notify = %s\nremind_tmux = %s\nremind_bell = %s\n", yes_no(s->remind_notify),
	        yes_no(s->remind_tmux), yes_no(s->remind_bell));
	fprintf(f, "remind_osc = %s\n", s->remind_osc_auto ? "auto" : s->remind_osc == TERMNOTIFY_OSC777 ? "777"
	        : s->remind_osc == TERMNOTIFY_OSC9 ? "9" : s->remind_osc == TERMNOTIFY_OSC99 ? "99" : "off");
	fprintf(f, "evening_end = %02d:%02d\n", s->evening_end_min / 60, s->evening_end_min % 60);
	fprintf(f, "screen = %s\n", s->screen < 0 ? "auto" : s->screen ? "dark" : "normal");
	fprintf(f, "safety_wait = %s\nsafety_seconds = %d\n", yes_no(s->safety_wait), s->safety_seconds);
	if (s->voice < 0)
		fputs("# voice not set: the program's word\n", f);
	else
		fprintf(f, "voice = %s\n", yes_no(s->voice));
	fprintf(f, "voice_name = %s\n", s->voice_name);
	/* %.17g: the same double back, whatever it was written as. */
	fprintf(f, "voice_rate = %.17g\nvoice_pitch = %.17g\n", s->voice_rate, s->voice_pitch);
	fprintf(f, "voice_volume = %d\nvoice_breath = %s\n", s->voice_volume, yes_no(s->voice_breath));
	fclose(f);
	/* One line for each key lull knows: a key added to settings.c and not
	 * here fails at once, rather than going unchecked. */
	size_t lines = 0, keys = 0;
	for (const char *p = buf; *p; p++)
		lines += *p == '\n';
	while (settings_keys[keys])
		keys++;
	FUZZ_ASSERT(lines == keys);
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
