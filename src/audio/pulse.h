/* A PulseAudio playback stream through libpulse-simple: the one output that
 * can say how late it plays what it is given. Used in place of libao's pulse
 * driver when lull is built with libpulse-simple (pulse_none.c otherwise). */
#ifndef LULL_PULSE_H
#define LULL_PULSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pulse_stream;

/* Built with libpulse-simple. */
bool pulse_available(void);
/* A pulse server (PulseAudio, or PipeWire's pipewire-pulse) looks to be
 * there: PULSE_SERVER is set, or the user's socket exists. Asked before
 * connecting, so that a machine without one never has a server started for
 * it (autospawn) just because lull looked. */
bool pulse_server_present(void);
/* 16-bit native-endian interleaved frames, buffer_ms of total latency (the
 * server splits it between its sink and our stream). NULL with a reason. */
struct pulse_stream *pulse_open(int rate, int channels, int buffer_ms, char *err, size_t errsize);
int pulse_write(struct pulse_stream *p, const void *pcm, size_t bytes);
/* How long until the last frame written is heard, as the server reckons it
 * (sink and stream together); -1 when it cannot say. */
int64_t pulse_queued_ns(struct pulse_stream *p);
/* Plays out what is queued (at most a buffer's length), then closes. */
void pulse_close(struct pulse_stream *p);

#endif
