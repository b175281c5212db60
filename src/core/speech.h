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

#endif
