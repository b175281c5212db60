/* SPDX-License-Identifier: ISC */
/* The audio engine as the UI sees it. One thread owns the output device; these
 * calls only queue a command and never wait longer than a queue operation.
 * With no device (SSH, --no-audio, --without-audio) it runs silent and says so
 * once in the snapshot's message. */
#ifndef LULL_AUDIO_H
#define LULL_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "soundplan.h"
#include "voice.h"

struct audio;

struct audio_options {
	bool enabled;        /* false: silent from the start */
	const char *driver;  /* libao driver name; NULL or "" for the default */
	const char *output;  /* file drivers (wav, raw): the output file; else NULL */
	float volume;        /* master, 0..1 */
	bool follow;         /* ambient level follows the breath */
	double time_scale;   /* session s per real s: clock_scale_from_env(); 0 = 1 */
	bool voice;          /* the spoken lines are heard from the start */
	float voice_volume;  /* 0..1 */
};

struct audio_snapshot {
	bool silent;         /* no device: nothing is heard */
	char message[160];   /* one status line to show once, "" if none */
	float volume;
	bool muted;
	unsigned underruns;
};

/* Whether to try for sound. setting: -1 auto (silent when SSH_CONNECTION is
 * set and PULSE_SERVER is not: sound would play on the remote machine), 0 off,
 * 1 on. When false, why holds a one-line reason to show. */
bool audio_wanted(int setting, char *why, size_t whysize);

/* Never NULL. Opens the device now (before curses takes the terminal, so that
 * library chatter on stderr can be captured). */
struct audio *audio_start(const struct audio_options *opt);

/* Makes ready, before a session starts, the sounds it will play, so that
 * the audio thread never opens or decodes a file: cues decoded whole, layers
 * opened (each list NULL-terminated; either may be NULL; a cue "" is the
 * default chime). The
 * loading happens here, on the caller's thread: a few milliseconds a sound.
 * A name not prepared still plays; it is loaded on a thread of its own when
 * its command is posted, and starts when it is ready (late, if that is after
 * its time). Missing or broken files are said when they are to play. */
void audio_prepare(struct audio *a, const char *const *cues, const char *const *layers);

/* A file descriptor that becomes readable when the snapshot changed; -1 if none.
 * The UI drains it and calls audio_snapshot(). */
int audio_wake_fd(struct audio *a);
void audio_snapshot(struct audio *a, struct audio_snapshot *out);

/* How long before a sound must be heard its command must be posted: the
 * device's buffer and the thread's write size (0 when silent). A session
 * posts its sound events this far ahead, each with the CLOCK_MONOTONIC time
 * it is to be heard at (at_ns), so that sound and screen change together
 * however large the buffer. */
int64_t audio_lead_ns(struct audio *a);
/* How soon a command posted now can be heard (0 when silent): a key's
 * delay, and how far ahead a session's time 0 is put when it starts. Where
 * the output takes written sound again (lull's own PulseAudio stream) this
 * is a few tens of ms and the lead is the server's long buffer; elsewhere
 * it is the lead. */
int64_t audio_quick_ns(struct audio *a);

/* at_ns: when it is to be heard (CLOCK_MONOTONIC ns), or AUDIO_NOW. A time
 * already past, or closer than the lead, is heard as soon as it can be. */
#define AUDIO_NOW ((int64_t)0)
void audio_layer_on(struct audio *a, const char *name, float volume, double fade_s, int64_t at_ns);
void audio_layer_off(struct audio *a, const char *name, double fade_s, int64_t at_ns);
void audio_set_volume(struct audio *a, float volume, double fade_s, int64_t at_ns);
void audio_fade_out(struct audio *a, double fade_s, int64_t at_ns);
/* name NULL: the default chime; level 0..1 (the sound plan's, after fades). */
void audio_cue(struct audio *a, const char *name, float level, int64_t at_ns);
/* The pacer enters a phase lasting phase_s (session seconds): the swell. */
void audio_breath(struct audio *a, int pace_phase, double phase_s, int64_t at_ns);
/* The keys: at once. */
void audio_volume_step(struct audio *a, int direction); /* +1 / -1 */
void audio_toggle_mute(struct audio *a);
/* Pause fades out at once and holds what is scheduled; resume fades back in
 * and moves what is still scheduled later by the length of the pause, as the
 * session clock moves. */
void audio_pause(struct audio *a, bool paused);

/* The voice. audio_voice gives the plan's spoken lines (which must outlive
 * a) and the voice, before the session clock starts; with the voice on it
 * starts the worker (speaker.h), which makes them ready ahead of their
 * moments. audio_voice_ready waits, before the clock starts, for the lines
 * that start before session time `before` (a cold cache: the first line
 * is being synthesised), until deadline_ns at most. */
void audio_voice(struct audio *a, const struct voice_cfg *cfg, const struct sp_line *lines, size_t n);
bool audio_voice_ready(struct audio *a, pace_us before, int64_t deadline_ns);
/* Line `line` of the plan is spoken at at_ns, if it is ready then; a line
 * not ready is skipped with a message (engine.h has the rules). */
void audio_speak(struct audio *a, size_t line, int64_t at_ns);
/* A line of the plan starts lead_s after at_ns: the bed begins its dip. */
void audio_duck(struct audio *a, double lead_s, int64_t at_ns);
/* Speaks text outside the plan (a safety note before the first step) at
 * at_ns, or as soon as it is ready after; the plan's next line stops it. */
void audio_say(struct audio *a, const char *text, int64_t at_ns);
/* The line speaking now stops (a quick fade). */
void audio_hush(struct audio *a);
/* The voice on or off (the `v` key): off, the line speaking fades out and
 * no line starts; on, the next line is heard. */
void audio_set_voice(struct audio *a, bool on);

/* Fades briefly, closes the device and joins, waiting at most timeout_ms (a
 * device that hangs in close is left behind rather than delaying exit). */
void audio_stop(struct audio *a, int timeout_ms);

#endif
