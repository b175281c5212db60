/* SPDX-License-Identifier: ISC */
/* A PulseAudio playback stream of lull's own (libpulse's asynchronous API,
 * its main loop run on the audio thread: no thread of libpulse's): the one
 * output that says how late it plays what it is given, and that lets what
 * it holds be written again. Used in place of libao's pulse driver when
 * lull is built with libpulse (pulse_none.c otherwise).
 *
 * The server keeps a long queue (buffer_ms) and asks for more about every
 * half of it, so that it and lull wake a few times a second in steady
 * play. What is queued and not yet heard can be replaced: a write goes at
 * a frame of the stream's own count (frame 0 is the first ever written),
 * and one at a frame already written overwrites from there (the server
 * rewinds its sink when it has to). Why not pa_simple: it cannot seek, and
 * flushing its queue to refill it restarts the stream (prebuffering: a gap)
 * at a time the client cannot know. */
#ifndef LULL_PULSE_H
#define LULL_PULSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pulse_stream;

/* Built with libpulse. */
bool pulse_available(void);
/* A pulse server (PulseAudio, or PipeWire's pipewire-pulse) looks to be
 * there: PULSE_SERVER is set, or the user's socket exists. Asked before
 * connecting, so that a machine without one never has a server started for
 * it (autospawn) just because lull looked. */
bool pulse_server_present(void);
/* 16-bit native-endian interleaved frames with a queue of buffer_ms. A
 * readable wake_fd (-1: none) ends a wait (pulse_wait). NULL with a reason
 * when no server answers within a few seconds or it refuses the stream;
 * with give_way (a reconnect, which must not hold up a command, audio_stop's
 * above all), also as soon as wake_fd is readable while it connects, and
 * after a second without an answer. */
struct pulse_stream *pulse_open(int rate, int channels, int buffer_ms, int wake_fd, bool give_way, char *err,
                                size_t errsize);

/* What ended a wait, as bits. */
enum {
	PULSE_WANTS = 1,   /* the server asked for more */
	PULSE_WOKEN = 2,   /* wake_fd is readable (it is not read) */
	PULSE_HEARD = 4,   /* a new answer to pulse_ask_heard */
	PULSE_FAILED = 8,  /* the connection or the stream is gone */
};
/* Runs the main loop until something of the above happens, or until
 * deadline_ns (CLOCK_MONOTONIC; -1: no deadline). */
int pulse_wait(struct pulse_stream *p, int64_t deadline_ns);
/* Writes at frame `frame` (see above). 0 or -1. */
int pulse_write(struct pulse_stream *p, int64_t frame, const void *pcm, size_t bytes);
/* Sends what is written so far without waiting (after the first piece of
 * a rewrite, so that it arrives before its time). */
void pulse_flush_out(struct pulse_stream *p);
/* Asks the server where it plays; the answer comes with PULSE_HEARD:
 * pulse_heard gives the frame heard at at_ns (CLOCK_MONOTONIC), false
 * before any answer. */
void pulse_ask_heard(struct pulse_stream *p);
bool pulse_heard(const struct pulse_stream *p, int64_t *frame, int64_t *at_ns);
/* Times the server ran out of data to play. */
unsigned pulse_underruns(const struct pulse_stream *p);
/* Closes: at once when until_ns has passed, else after playing until then
 * (what is queued beyond it is dropped). until_ns -1: plays out what is
 * queued first. */
void pulse_close(struct pulse_stream *p, int64_t until_ns);

#endif
