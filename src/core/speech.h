/* SPDX-License-Identifier: ISC */
/* The pure parts of the spoken guide: the name a synthesised line is kept
 * under in the cache, and where a paused line takes up again. No I/O, no
 * clock, no globals. */
#ifndef LULL_SPEECH_H
#define LULL_SPEECH_H

#include <stddef.h>

/* Raised whenever what a cached line holds would change for the same key
 * (the synthesis, its loudness, the file's format): old entries are then
 * never read, only left to be cleared. */
#define SPEECH_FORMAT_VERSION 1

/* What decides how a text sounds. */
struct speech_voice {
	const char *id; /* a built-in voice's name, or a .flitevox file's path,
	                 * size and time (speech.h does not look at files) */
	double rate;    /* speed, 1 the voice's own */
	double pitch;   /* semitones from the voice's own */
};

#define SPEECH_KEY_LEN 32 /* hex digits */

/* The cache key of text in voice v: 32 hex digits of a 128-bit FNV-1a hash
 * of the format version, the voice, its rate and pitch (to the thousandth:
 * what a setting can say) and the text. out holds SPEECH_KEY_LEN + 1. */
void speech_key(const struct speech_voice *v, const char *text, char *out);

/* Where a line paused at frame pos takes up again on resume: the start of
 * the pause in the speech before the word that the pause cut, so that the
 * word is heard whole. A pause is at least 30 ms quieter than -40 dB of
 * full scale; the latest within 2 s before pos is taken (its last 30 ms,
 * so that the line does not resume on a long silence); with none there,
 * the quietest 10 ms of those 2 s. pcm is mono, frames long, at rate. */
long speech_resume_point(const short *pcm, long frames, long pos, int rate);

/* Bounds of what speech_normalise() gives the synthesiser. flite's
 * tokenizer writes a word's trailing punctuation into a buffer sized by
 * the word it has seen so far: a word ending in some 310 dots overran it
 * (ASan: ts_get <- default_tokenization <- flite_text_to_wave), and the
 * helper died on every run of that program. Words and punctuation are
 * kept far below that, and a line below what the helper reads at once. */
#define SPEECH_TOKEN_MAX 40    /* bytes between two spaces */
#define SPEECH_PUNCT_RUN 3     /* punctuation marks in a row ("...", "?!") */
#define SPEECH_TEXT_MAX 2000   /* bytes of a whole line */

/* text as the synthesiser is given it: every run of spaces and control
 * characters (newlines, tabs) one space, none at either end; invalid UTF-8
 * and the code points text_cp_forbidden() names a space; at most
 * SPEECH_PUNCT_RUN ASCII punctuation marks in a row (the rest dropped);
 * a word longer than SPEECH_TOKEN_MAX bytes split by a space (between
 * characters); at most SPEECH_TEXT_MAX bytes (cut between characters).
 * Into out (size bytes, always terminated; SPEECH_TEXT_MAX + 1 holds any);
 * returns its length. The one place text is made safe for flite. */
size_t speech_normalise(const char *text, char *out, size_t size);

/* --- the voice a person chooses (the settings voice_name, voice_rate,
 * voice_pitch and voice_volume; lull-voice checks the same ranges) --- */

/* The built-in voice chosen by listening tests a machine can repeat (the
 * recall of a speech recogniser over the built-in programs' lines; README
 * and tests/audio/test_voice_intel.c give the figures), and the delivery
 * for bedtime: slower than the voice's own and a little lower, where the
 * voice can be lowered (rms keeps its pitch). */
#define VOICE_DEFAULT_NAME "rms"
#define VOICE_DEFAULT_RATE 0.85
#define VOICE_DEFAULT_PITCH (-1.0)
#define VOICE_DEFAULT_VOLUME 70   /* percent of VOICE_LUFS (voice.h) */
#define VOICE_RATE_MIN 0.5
#define VOICE_RATE_MAX 1.5
#define VOICE_PITCH_MAX 6.0       /* semitones either way */

struct voice_cfg {
	char name[256];   /* a built-in voice (rms, awb, slt, kal, kal16) or a .flitevox file */
	double rate;      /* speed, VOICE_RATE_MIN..VOICE_RATE_MAX, 1: the voice's own */
	double pitch;     /* semitones from the voice's own */
};

static inline void voice_cfg_default(struct voice_cfg *c)
{
	*c = (struct voice_cfg){ .name = VOICE_DEFAULT_NAME, .rate = VOICE_DEFAULT_RATE, .pitch = VOICE_DEFAULT_PITCH };
}

#endif
