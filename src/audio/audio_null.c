/* SPDX-License-Identifier: ISC */
/* The silent engine: what --no-audio and ./configure --without-audio give. */
#include "config.h"

#include <stdlib.h>

#include "audio.h"
#include "util.h"

struct audio {
	struct audio_snapshot snap;
};

struct audio *audio_start(const struct audio_options *opt)
{
	struct audio *a = xcalloc(1, sizeof *a);
	a->snap.silent = true;
	a->snap.volume = opt ? opt->volume : 0;
	return a;
}

void audio_prepare(struct audio *a, const char *const *cues, const char *const *layers) {}
int audio_wake_fd(struct audio *a) { return -1; }
void audio_snapshot(struct audio *a, struct audio_snapshot *out) { *out = a->snap; }
int64_t audio_lead_ns(struct audio *a) { return 0; }
int64_t audio_quick_ns(struct audio *a) { return 0; }
void audio_layer_on(struct audio *a, const char *name, float volume, double fade_s, int64_t at_ns) {}
void audio_layer_off(struct audio *a, const char *name, double fade_s, int64_t at_ns) {}
void audio_set_volume(struct audio *a, float volume, double fade_s, int64_t at_ns) { a->snap.volume = volume; }
void audio_volume_step(struct audio *a, int direction) {}
void audio_toggle_mute(struct audio *a) { a->snap.muted = !a->snap.muted; }
void audio_fade_out(struct audio *a, double fade_s, int64_t at_ns) {}
void audio_cue(struct audio *a, const char *name, float level, int64_t at_ns) {}
void audio_breath(struct audio *a, int pace_phase, double phase_s, int64_t at_ns) {}
void audio_pause(struct audio *a, bool paused) {}
void audio_stop(struct audio *a, int timeout_ms) { free(a); }
void audio_voice(struct audio *a, const struct voice_cfg *cfg, const struct sp_line *lines, size_t n) {}
bool audio_voice_ready(struct audio *a, pace_us before, int64_t deadline_ns) { return true; }
void audio_speak(struct audio *a, size_t line, int64_t at_ns) {}
void audio_duck(struct audio *a, double lead_s, int64_t at_ns) {}
void audio_say(struct audio *a, const char *text, int64_t at_ns) {}
void audio_hush(struct audio *a) {}
void audio_set_voice(struct audio *a, bool on) {}

bool audio_wanted(int setting, char *why, size_t whysize)
{
	if (whysize)
		str_copy(why, "lull was built without sound; it runs silent", whysize);
	return false;
}
