/* SPDX-License-Identifier: ISC */
/* One sound file, streamed: decoded a chunk at a time with libsndfile (never
 * the whole file), mapped to the output's channel count, resampled to the
 * output's rate with libsamplerate, and, for ambient layers, looped without a
 * seam. Memory does not grow with the file's length.
 *
 * The loop: with a crossfade of X frames over a file of N frames, the first
 * pass plays frames 0..N-X; then frames N-X..N are mixed with 0..X on
 * equal-power curves and play continues at X. Reads never go past the frame
 * count the file declares, which trims the end padding an Opus decoder adds;
 * the crossfade hides whatever step is left. */
#ifndef LULL_TRACK_H
#define LULL_TRACK_H

#include <stdbool.h>
#include <stddef.h>

struct track_info {
	long long frames;
	int rate;
	int channels;
	char format[64]; /* "FLAC 16-bit", "WAV float", ... */
	double seconds;
};

/* Reads the header only. 0, or -1 with a message naming the file in err. */
int track_probe(const char *path, struct track_info *info, char *err, size_t errsize);

struct track;

/* Opens path for output at out_rate with out_channels (1 or more). loop: play
 * forever with a crossfade of xfade_s seconds (shortened for short files). NULL
 * with a message naming the file in err for a missing, empty, corrupt or
 * unsupported file. */
struct track *track_open(const char *path, int out_rate, int out_channels, bool loop,
                         double xfade_s, char *err, size_t errsize);

/* Fills up to `frames` interleaved output frames. Returns the number written:
 * fewer than asked only at the end of a one-shot track (0 = finished), or -1
 * on a read error (track_error says what; the track is then finished). */
long track_read(struct track *t, float *out, long frames);
const char *track_error(const struct track *t);
const struct track_info *track_source(const struct track *t);
void track_close(struct track *t);

/* A short one-shot sound (a cue) decoded whole at the output format, at most
 * max_frames. Returns a malloc'd buffer and its length in *frames, or NULL
 * with a message in err. */
float *track_load(const char *path, int out_rate, int out_channels, long max_frames,
                  long *frames, char *err, size_t errsize);

#endif
