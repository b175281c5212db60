/* SPDX-License-Identifier: ISC */
/* Built without libpulse: libao's pulse driver plays instead. */
#include "config.h"

#include <stdio.h>

#include "pulse.h"

bool pulse_available(void)
{
	return false;
}

bool pulse_server_present(void)
{
	return false;
}

struct pulse_stream *pulse_open(int rate, int channels, int buffer_ms, int wake_fd, bool give_way, char *err,
                                size_t errsize)
{
	snprintf(err, errsize, "built without libpulse");
	return NULL;
}

int pulse_wait(struct pulse_stream *p, int64_t deadline_ns)
{
	return PULSE_FAILED;
}

int pulse_write(struct pulse_stream *p, int64_t frame, const void *pcm, size_t bytes)
{
	return -1;
}

void pulse_flush_out(struct pulse_stream *p)
{
}

void pulse_ask_heard(struct pulse_stream *p)
{
}

bool pulse_heard(const struct pulse_stream *p, int64_t *frame, int64_t *at_ns)
{
	return false;
}

unsigned pulse_underruns(const struct pulse_stream *p)
{
	return 0;
}

void pulse_close(struct pulse_stream *p, int64_t until_ns)
{
}
