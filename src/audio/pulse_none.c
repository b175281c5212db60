/* Built without libpulse-simple: libao's pulse driver plays instead. */
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

struct pulse_stream *pulse_open(int rate, int channels, int buffer_ms, char *err, size_t errsize)
{
	snprintf(err, errsize, "built without libpulse-simple");
	return NULL;
}

int pulse_write(struct pulse_stream *p, const void *pcm, size_t bytes)
{
	return -1;
}

int64_t pulse_queued_ns(struct pulse_stream *p)
{
	return -1;
}

void pulse_close(struct pulse_stream *p)
{
}
