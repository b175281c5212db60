/* SPDX-License-Identifier: ISC */
/* Where the mixed samples go, behind a small table of operations: the libao
 * live device, libao's file drivers (wav, raw, au), a file writer through
 * libsndfile by the file name's ending (for render: WAV, FLAC, Ogg Vorbis,
 * Opus, MP3), null, and PulseAudio through lull's own stream (libpulse) when
 * no driver is named and a pulse server answers, or where libao would have
 * used its pulse driver (pulse.h says why). Our own error text; libao's codes map
 * onto it. libao is initialised by the first open and shut down by the last
 * close, on the calling thread: the audio thread does both. */
#ifndef LULL_OUTPUT_H
#define LULL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct output;

struct output_spec {
	const char *driver; /* libao driver, "" = default; "null"; "sndfile" (file by extension) */
	const char *file;   /* file drivers: the output file */
	int rate, channels;
	int buffer_ms;      /* live devices: the buffer to ask for (latency) */
	int long_buffer_ms; /* the same for outputs that take written frames again */
	int wake_fd;        /* outputs that wait (output_wait): readable ends a wait; -1 none */
	bool give_way;      /* pulse: a readable wake_fd ends the connecting too */
};

/* NULL with a one-line reason in err. */
struct output *output_open(const struct output_spec *spec, char *err, size_t errsize);
/* lull's own PulseAudio stream again, after the one opened for spec failed
 * (the server went away: the one output that reconnects), NULL with a
 * reason while no server answers. Gives way (NULL at once) when
 * spec->wake_fd becomes readable while it connects. Nothing is read from
 * disk but libpulse's own client settings. */
struct output *output_reopen(const struct output_spec *spec, char *err, size_t errsize);
/* The file endings the sndfile driver writes at this rate and channel
 * count ("wav", "flac", "ogg", "oga", "opus", "mp3", as far as the installed
 * libsndfile can): up to max of them into exts; how many. */
size_t output_file_formats(const char **exts, size_t max, int rate, int channels);
/* The same for people: ".wav, .flac, .ogg, .opus or .mp3". */
void output_file_endings(char *buf, size_t size, int rate, int channels);
/* True for outputs that take data as fast as it comes (files, null). */
bool output_is_file(const struct output *o);
const char *output_name(const struct output *o);
/* Writes interleaved float frames (limited to [-1, 1] already). 0 or -1. */
int output_write(struct output *o, const float *buf, long frames);
/* The buffer a live device was opened with (ms; what was asked for, or as
 * near as the driver can take); 0 for files and null. */
int output_buffer_ms(const struct output *o);
bool output_can_say_latency(const struct output *o);
void output_close(struct output *o);

/* Outputs that ask for frames and can take written frames again (lull's
 * own PulseAudio stream, pulse.h): the audio thread waits in
 * output_wait (for what the OUTPUT_* bits say) instead of blocking in a
 * write, writes at a frame of the output's own count (frame 0 the first
 * written; a frame already written is overwritten from there), sends what
 * is written at once (output_flush_out) when it is wanted soon, and asks
 * where the output plays (output_ask_heard, answered by OUTPUT_HEARD). */
enum { OUTPUT_WANTS = 1, OUTPUT_WOKEN = 2, OUTPUT_HEARD = 4, OUTPUT_FAILED = 8 };
bool output_can_rewrite(const struct output *o);
/* The output's frame 0 is the caller's frame `origin`: output_commit_at
 * and output_heard count from there (a stream opened again mid-session
 * starts its own count at 0 where the mix stands). 0 until set. */
void output_set_origin(struct output *o, int64_t origin);
int64_t output_origin(const struct output *o);
int output_wait(struct output *o, int64_t deadline_ns);
/* Frames go to the output in one write, so that the server never sees a
 * rewrite half done (a write at an earlier frame ends what it holds there
 * until the rest comes, and a sink rewound meanwhile plays silence):
 * staged, then written at `frame`. */
void output_stage(struct output *o, const float *buf, long frames);
int output_commit_at(struct output *o, int64_t frame);
void output_flush_out(struct output *o);
void output_ask_heard(struct output *o);
/* The frame heard at *at_ns (CLOCK_MONOTONIC) as the output last said. */
bool output_heard(const struct output *o, int64_t *frame, int64_t *at_ns);
unsigned output_underruns(const struct output *o);
/* Closes when until_ns has come (what is written beyond it is dropped). */
void output_close_at(struct output *o, int64_t until_ns);

/* What a session would play through with this driver ("" or NULL: the
 * default), in words for a person: e.g. "pulse (lull's own stream to the
 * sound server)" or "alsa (libao's default)". Connects to a pulse server to
 * see that it answers; opens no device. */
void output_describe(const char *driver, char *buf, size_t size);

#endif
