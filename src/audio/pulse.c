/* SPDX-License-Identifier: ISC */
/* PulseAudio through libpulse's asynchronous API, on a pa_mainloop that
 * the audio thread itself runs (pulse_wait): every callback below runs on
 * that thread, inside pa_mainloop_dispatch. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <pulse/context.h>
#include <pulse/error.h>
#include <pulse/mainloop.h>
#include <pulse/stream.h>

#include "clock.h"
#include "pulse.h"
#include "util.h"

#define OPEN_TIMEOUT_NS 3000000000LL   /* a server that does not answer by then is not there */
#define REOPEN_TIMEOUT_NS 1000000000LL /* the same for a try of a reconnect (audio.c: the mix waits unheard) */
#define DRAIN_TIMEOUT_NS 3000000000LL

struct pulse_stream {
	pa_mainloop *loop;
	pa_context *ctx;
	pa_stream *s;
	pa_io_event *wake;
	size_t frame_bytes;
	int rate;
	int events;              /* PULSE_* since the last wait */
	int64_t write_index;     /* frames: where a plain write goes */
	bool asking;             /* a timing request is on its way */
	bool have_heard;
	int64_t heard_frame, heard_at;
	unsigned underruns;
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

/* One round of the main loop, waiting until deadline_ns at most (-1:
 * as long as it takes, 0: not at all). */
static int iterate(struct pulse_stream *p, int64_t deadline_ns)
{
	int timeout_us = -1;
	if (deadline_ns >= 0) {
		int64_t left = deadline_ns - clock_mono_ns();
		timeout_us = left <= 0 ? 0 : left / 1000 > 1000000000 ? 1000000000 : (int)(left / 1000);
	}
	if (pa_mainloop_prepare(p->loop, timeout_us) < 0 || pa_mainloop_poll(p->loop) < 0 ||
	    pa_mainloop_dispatch(p->loop) < 0)
		return -1;
	return 0;
}

static bool gone(const struct pulse_stream *p)
{
	return !PA_CONTEXT_IS_GOOD(pa_context_get_state(p->ctx)) ||
	       (p->s && !PA_STREAM_IS_GOOD(pa_stream_get_state(p->s)));
}

static void on_state(pa_stream *s, void *arg)
{
	struct pulse_stream *p = arg;
	if (!PA_STREAM_IS_GOOD(pa_stream_get_state(s)))
		p->events |= PULSE_FAILED;
}

static void on_context_state(pa_context *c, void *arg)
{
	struct pulse_stream *p = arg;
	if (!PA_CONTEXT_IS_GOOD(pa_context_get_state(c)))
		p->events |= PULSE_FAILED;
}

static void on_request(pa_stream *s, size_t nbytes, void *arg)
{
	struct pulse_stream *p = arg;
	p->events |= PULSE_WANTS;
}

static void on_underflow(pa_stream *s, void *arg)
{
	struct pulse_stream *p = arg;
	p->underruns++;
}

static void on_wake(pa_mainloop_api *api, pa_io_event *e, int fd, pa_io_event_flags_t f, void *arg)
{
	struct pulse_stream *p = arg;
	p->events |= PULSE_WOKEN;
}

static void free_stream(struct pulse_stream *p)
{
	if (p->wake)
		pa_mainloop_get_api(p->loop)->io_free(p->wake);
	if (p->s) {
		pa_stream_disconnect(p->s);
		pa_stream_unref(p->s);
	}
	pa_context_disconnect(p->ctx);
	pa_context_unref(p->ctx);
	pa_mainloop_free(p->loop);
	free(p);
}

/* Connecting: gone, out of time, or (with give_way) woken. */
static const char *not_yet(struct pulse_stream *p, int64_t deadline, bool give_way)
{
	if (gone(p))
		return pa_strerror(pa_context_errno(p->ctx));
	if (give_way && (p->events & PULSE_WOKEN))
		return "given up for a command";
	if (clock_mono_ns() > deadline || iterate(p, deadline) < 0)
		return "no answer";
	return NULL;
}

struct pulse_stream *pulse_open(int rate, int channels, int buffer_ms, int wake_fd, bool give_way, char *err,
                                size_t errsize)
{
	struct pulse_stream *p = xcalloc(1, sizeof *p);
	p->loop = pa_mainloop_new();
	p->ctx = pa_context_new(pa_mainloop_get_api(p->loop), "lull");
	p->rate = rate;
	pa_context_set_state_callback(p->ctx, on_context_state, p);
	int64_t deadline = clock_mono_ns() + (give_way ? REOPEN_TIMEOUT_NS : OPEN_TIMEOUT_NS);
	const char *why = NULL;
	if (pa_context_connect(p->ctx, NULL, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0) {
		why = pa_strerror(pa_context_errno(p->ctx));
		goto fail;
	}
	/* Watched from the start when a wake must end the connecting. */
	if (wake_fd >= 0 && give_way)
		p->wake = pa_mainloop_get_api(p->loop)->io_new(pa_mainloop_get_api(p->loop), wake_fd, PA_IO_EVENT_INPUT,
		                                                on_wake, p);
	while (pa_context_get_state(p->ctx) != PA_CONTEXT_READY)
		if ((why = not_yet(p, deadline, give_way)))
			goto fail;
	pa_sample_spec ss = { .format = PA_SAMPLE_S16NE, .rate = (uint32_t)rate, .channels = (uint8_t)channels };
	p->frame_bytes = pa_frame_size(&ss);
	p->s = pa_stream_new(p->ctx, "wind-down session", &ss, NULL);
	if (!p->s) {
		why = pa_strerror(pa_context_errno(p->ctx));
		goto fail;
	}
	/* buffer_ms is the whole delay, the stream's queue and the sink's
	 * buffer together (ADJUST_LATENCY): lull keeps that much written
	 * ahead of what is heard, counting itself (pulse_heard), not by the
	 * server's requests, which a rewrite throws off. The server asks for
	 * more each time a quarter of it has played (two requests a second
	 * with 2 s) and gives the sink (tlength - 2 minreq) / 2, 500 ms, so
	 * that it too wakes about twice a second; what the sink holds can
	 * still be rewritten (the server rewinds it). Measured on the null
	 * sink: without ADJUST_LATENCY the sink takes tlength - 2 minreq on
	 * top of the queue, in bursts the queue then cannot cover (an
	 * underrun a second), and with minreq at half the queue that is 0
	 * (the sink then runs at its shortest, 0.5 ms: 3.4% of a core for
	 * the server). The stream starts playing with a quarter queued, so
	 * that one that ran dry starts again with the next write.
	 * (PULSE_LATENCY_MSEC, when set, overrides this inside libpulse;
	 * where it plays is still asked of the server.) */
	uint32_t tlength = (uint32_t)pa_usec_to_bytes((pa_usec_t)buffer_ms * 1000, &ss);
	pa_buffer_attr attr = {
		.maxlength = (uint32_t)-1,
		.tlength = tlength,
		.prebuf = tlength / 4,
		.minreq = tlength / 4,
		.fragsize = (uint32_t)-1,
	};
	pa_stream_set_state_callback(p->s, on_state, p);
	pa_stream_set_write_callback(p->s, on_request, p);
	pa_stream_set_underflow_callback(p->s, on_underflow, p);
	if (pa_stream_connect_playback(p->s, NULL, &attr, PA_STREAM_ADJUST_LATENCY, NULL, NULL) < 0) {
		why = pa_strerror(pa_context_errno(p->ctx));
		goto fail;
	}
	while (pa_stream_get_state(p->s) != PA_STREAM_READY)
		if ((why = not_yet(p, deadline, give_way)))
			goto fail;
	if (wake_fd >= 0 && !p->wake)
		p->wake = pa_mainloop_get_api(p->loop)->io_new(pa_mainloop_get_api(p->loop), wake_fd, PA_IO_EVENT_INPUT,
		                                                on_wake, p);
	p->events = 0;
	return p;
fail:
	snprintf(err, errsize, "cannot open the audio device (pulse: %s)", why ? why : "refused");
	free_stream(p);
	return NULL;
}

int pulse_wait(struct pulse_stream *p, int64_t deadline_ns)
{
	while (!p->events) {
		if (gone(p)) {
			p->events |= PULSE_FAILED;
			break;
		}
		if (deadline_ns >= 0 && clock_mono_ns() >= deadline_ns)
			break;
		if (iterate(p, deadline_ns) < 0)
			p->events |= PULSE_FAILED;
	}
	int e = p->events;
	p->events = 0;
	return e;
}

int pulse_write(struct pulse_stream *p, int64_t frame, const void *pcm, size_t bytes)
{
	pa_seek_mode_t mode = frame == p->write_index ? PA_SEEK_RELATIVE : PA_SEEK_ABSOLUTE;
	int64_t offset = mode == PA_SEEK_RELATIVE ? 0 : frame * (int64_t)p->frame_bytes;
	if (pa_stream_write(p->s, pcm, bytes, NULL, offset, mode) < 0)
		return -1;
	p->write_index = frame + (int64_t)(bytes / p->frame_bytes);
	return 0;
}

void pulse_flush_out(struct pulse_stream *p)
{
	if (iterate(p, 0) < 0)
		p->events |= PULSE_FAILED;
}

/* The server's answer: frame read_index has gone to the sink, which holds
 * sink_usec of sound before it is heard; the answer left the server about
 * transport_usec ago (half the round trip). Nothing is heard while the
 * stream is not playing (starting, or run dry): no answer then. */
static void on_timing(pa_stream *s, int ok, void *arg)
{
	struct pulse_stream *p = arg;
	p->asking = false;
	const pa_timing_info *ti = pa_stream_get_timing_info(s);
	if (!ok || !ti || ti->read_index_corrupt || !ti->playing)
		return;
	int64_t now = clock_mono_ns();
	p->heard_frame = ti->read_index / (int64_t)p->frame_bytes - (int64_t)ti->sink_usec * p->rate / 1000000;
	p->heard_at = now - (int64_t)ti->transport_usec * 1000;
	p->have_heard = true;
	p->events |= PULSE_HEARD;
}

void pulse_ask_heard(struct pulse_stream *p)
{
	if (p->asking)
		return;
	pa_operation *o = pa_stream_update_timing_info(p->s, on_timing, p);
	if (o) {
		p->asking = true;
		pa_operation_unref(o);
	}
}

bool pulse_heard(const struct pulse_stream *p, int64_t *frame, int64_t *at_ns)
{
	if (!p->have_heard)
		return false;
	*frame = p->heard_frame;
	*at_ns = p->heard_at;
	return true;
}

unsigned pulse_underruns(const struct pulse_stream *p)
{
	return p->underruns;
}

static void on_drained(pa_stream *s, int ok, void *arg)
{
	bool *done = arg;
	*done = true;
}

void pulse_close(struct pulse_stream *p, int64_t until_ns)
{
	if (!p)
		return;
	if (until_ns < 0 && !gone(p)) {
		/* Plays out what is queued: the closing fade (a buffer's length
		 * at most; audio_stop does not wait for it if it must not). */
		bool done = false;
		pa_operation *o = pa_stream_drain(p->s, on_drained, &done);
		int64_t deadline = clock_mono_ns() + DRAIN_TIMEOUT_NS;
		while (o && !done && !gone(p) && clock_mono_ns() < deadline && iterate(p, deadline) == 0)
			;
		if (o) {
			if (!done)
				pa_operation_cancel(o);
			pa_operation_unref(o);
		}
	} else {
		while (!gone(p) && clock_mono_ns() < until_ns && iterate(p, until_ns) == 0)
			;
	}
	free_stream(p);
}
