/* PulseAudio through libpulse-simple. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <pulse/error.h>
#include <pulse/simple.h>

#include "pulse.h"
#include "util.h"

struct pulse_stream {
	pa_simple *s;
};

bool pulse_available(void)
{
	return true;
}

bool pulse_server_present(void)
{
	const char *server = getenv("PULSE_SERVER");
	if (server && *server)
		return true;
	const char *run = getenv("XDG_RUNTIME_DIR");
	if (!run || !*run)
		return false;
	char path[4096];
	snprintf(path, sizeof path, "%s/pulse/native", run);
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

struct pulse_stream *pulse_open(int rate, int channels, int buffer_ms, char *err, size_t errsize)
{
	pa_sample_spec ss = { .format = PA_SAMPLE_S16NE, .rate = (uint32_t)rate, .channels = (uint8_t)channels };
	/* The server is woken for data every minreq: a quarter of the buffer
	 * (50 ms of 200) keeps that to twenty times a second, and leaves
	 * room for one late wake-up of our thread before the sink runs dry.
	 * (PULSE_LATENCY_MSEC, when set, overrides all of this inside
	 * libpulse; the latency it reports then is still the true one.) */
	uint32_t tlength = (uint32_t)pa_usec_to_bytes((pa_usec_t)buffer_ms * 1000, &ss);
	pa_buffer_attr attr = {
		.maxlength = (uint32_t)-1,
		.tlength = tlength,
		.prebuf = (uint32_t)-1,
		.minreq = tlength / 4,
		.fragsize = (uint32_t)-1,
	};
	int e = 0;
	pa_simple *s = pa_simple_new(NULL, "lull", PA_STREAM_PLAYBACK, NULL, "wind-down session", &ss, NULL,
				     &attr, &e);
	if (!s) {
		snprintf(err, errsize, "cannot open the audio device (pulse: %s)", pa_strerror(e));
		return NULL;
	}
	struct pulse_stream *p = xcalloc(1, sizeof *p);
	p->s = s;
	return p;
}

int pulse_write(struct pulse_stream *p, const void *pcm, size_t bytes)
{
	return pa_simple_write(p->s, pcm, bytes, NULL) < 0 ? -1 : 0;
}

int64_t pulse_queued_ns(struct pulse_stream *p)
{
	int e = 0;
	pa_usec_t us = pa_simple_get_latency(p->s, &e);
	return us == (pa_usec_t)-1 ? -1 : (int64_t)us * 1000;
}

void pulse_close(struct pulse_stream *p)
{
	if (!p)
		return;
	/* What is queued ends in the closing fade: let it play out (a buffer's
	 * length at most; audio_stop does not wait for it if it must not). */
	pa_simple_drain(p->s, NULL);
	pa_simple_free(p->s);
	free(p);
}
