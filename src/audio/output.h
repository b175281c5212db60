/* Where the mixed samples go, behind a small table of operations: the libao
 * live device, libao's file drivers (wav, raw, au), a file writer through
 * libsndfile by the file name's ending (for render: WAV, FLAC, Ogg Vorbis,
 * Opus, MP3), null, and PulseAudio through libpulse-simple when
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
};

/* NULL with a one-line reason in err. */
struct output *output_open(const struct output_spec *spec, char *err, size_t errsize);
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
/* How long until the last frame written is heard, when the output can say
 * (PulseAudio through libpulse); -1 when not (the caller assumes a full
 * buffer). */
int64_t output_queued_ns(struct output *o);
bool output_can_say_latency(const struct output *o);
void output_close(struct output *o);

/* What a session would play through with this driver ("" or NULL: the
 * default), in words for a person: e.g. "pulse (lull's own stream to the
 * sound server)" or "alsa (libao's default)". Connects to a pulse server to
 * see that it answers; opens no device. */
void output_describe(const char *driver, char *buf, size_t size);

#endif
