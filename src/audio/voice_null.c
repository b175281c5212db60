/* SPDX-License-Identifier: ISC */
/* The voice of a lull built --without-voice (or --without-audio): it cannot
 * speak, and says so; nothing is spoken and no spoken fit is checked. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "voice.h"

struct voice {
	struct voice_cfg cfg;
};

static const char why[] = "voice: this lull was built without a voice (./configure --without-voice)";

bool voice_built(void)
{
	return false;
}

struct voice *voice_new(const struct voice_cfg *cfg)
{
	struct voice *v = xcalloc(1, sizeof *v);
	if (cfg)
		v->cfg = *cfg;
	return v;
}

void voice_free(struct voice *v)
{
	free(v);
}

const char *voice_error(const struct voice *v)
{
	(void)v;
	return why;
}

bool voice_take_notice(struct voice *v, char *buf, size_t size)
{
	(void)v, (void)buf, (void)size;
	return false;
}

void voice_ask(struct voice *v, const char *text, bool first)
{
	(void)v, (void)text, (void)first;
}

enum voice_state voice_state(struct voice *v, const char *text)
{
	(void)v, (void)text;
	return VOICE_FAILED;
}

enum voice_state voice_wait(struct voice *v, const char *text, int64_t deadline_ns, char *err, size_t errsize)
{
	(void)v, (void)text, (void)deadline_ns;
	snprintf(err, errsize, "%s", why);
	return VOICE_FAILED;
}

int voice_poll_fd(const struct voice *v, short *events, int *out_fd)
{
	(void)v;
	*events = 0;
	*out_fd = -1;
	return -1;
}

int voice_timeout_ms(const struct voice *v)
{
	(void)v;
	return -1;
}

void voice_pump(struct voice *v)
{
	(void)v;
}

void voice_rest(struct voice *v)
{
	(void)v;
}

short *voice_load(struct voice *v, const char *text, int rate, long *frames, char *err, size_t errsize)
{
	(void)v, (void)text, (void)rate;
	*frames = 0;
	snprintf(err, errsize, "%s", why);
	return NULL;
}

void voice_pcm_free(short *pcm, long frames)
{
	(void)pcm, (void)frames;
}

double voice_measure(struct voice *v, const char *text, char *err, size_t errsize)
{
	(void)v, (void)text;
	snprintf(err, errsize, "%s", why);
	return -1;
}

short *voice_load_recording(const char *name, int rate, long *frames, char *err, size_t errsize)
{
	(void)name, (void)rate;
	*frames = 0;
	snprintf(err, errsize, "%s", why);
	return NULL;
}

double voice_recording_seconds(const char *name, char *err, size_t errsize)
{
	(void)name;
	snprintf(err, errsize, "%s", why);
	return -1;
}

long voice_fit_lines(struct voice *v, const struct program *p, struct voice_fit **out, char *err,
		     size_t errsize)
{
	(void)v, (void)p;
	*out = NULL;
	snprintf(err, errsize, "%s", why);
	return -1;
}

int voice_fit_warn(struct voice *v, const struct program *p, const char *label, FILE *warn)
{
	(void)v, (void)p, (void)label, (void)warn;
	return 0;
}
