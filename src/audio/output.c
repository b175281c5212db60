/* SPDX-License-Identifier: ISC */
/* Output backends. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ao/ao.h>
#include <sndfile.h>

#include "mixer.h"
#include "output.h"
#include "pulse.h"
#include "reconnect.h"
#include "util.h"

struct output_ops {
	const char *name;
	int (*open)(struct output *o, const struct output_spec *s, char *err, size_t errsize);
	int (*write)(struct output *o, const float *buf, long frames);
	void (*close)(struct output *o);
};

struct output {
	const struct output_ops *ops;
	bool file;       /* takes data as fast as it comes */
	int channels;
	ao_device *dev;
	SNDFILE *sf;
	struct pulse_stream *pulse;
	int buffer_ms;   /* live devices: the buffer asked for */
	short *pcm;      /* conversion buffer for libao */
	long pcm_frames;
	short *stage;    /* written as one: output_stage, output_commit_at */
	int64_t origin;  /* the caller's frame of the output's frame 0 */
	long staged, stage_cap;
	char name[32];
};

/* ------------------------------------------------------------------ libao */
static const char *ao_reason(int e)
{
	switch (e) {
	case AO_ENODRIVER: return "no such audio driver";
	case AO_ENOTFILE: return "that driver writes to a file; give one";
	case AO_ENOTLIVE: return "that driver needs no file";
	case AO_EBADOPTION: return "bad driver option";
	case AO_EOPENDEVICE: return "cannot open the audio device";
	case AO_EOPENFILE: return "cannot open the output file";
	case AO_EFILEEXISTS: return "the output file exists";
	case AO_EBADFORMAT: return "the device does not take this format";
	default: return "audio device failure";
	}
}

static int pulse_out_open(struct output *o, const struct output_spec *s, char *err, size_t errsize);
static const struct output_ops pulse_ops, ao_ops;

/* libao decides by driver whether it is a device or writes a file (wav,
 * raw, au): ask it rather than keep a list. With no driver named, a pulse
 * server that answers (PulseAudio, or PipeWire's pipewire-pulse: what most
 * desktops run) is played to through lull's own stream, whatever libao's
 * default is (Debian's /etc/libao.conf names alsa, whose delay lull can only
 * guess): that stream says how late it plays, so cues keep time. Without a
 * server, libao's default as before. Where libao's choice (named, or its
 * default) is pulse, lull's own stream plays too (pulse.h says why). The
 * default driver is resolved once, here. */
static int ao_out_open(struct output *o, const struct output_spec *s, char *err, size_t errsize)
{
	bool named = s->driver && *s->driver;
	if (!named && pulse_available() && pulse_server_present()) {
		o->ops = &pulse_ops;
		if (pulse_out_open(o, s, err, errsize) == 0)
			return 0;
		o->ops = &ao_ops; /* no answer: libao's default */
	}
	ao_initialize();
	int id = named ? ao_driver_id(s->driver) : ao_default_driver_id();
	ao_info *info = id >= 0 ? ao_driver_info(id) : NULL;
	if (!info) {
		snprintf(err, errsize, "%s", s->driver && *s->driver ? "no such audio driver" : "no audio device");
		ao_shutdown();
		return -1;
	}
	if (strcmp(info->short_name, "pulse") == 0 && pulse_available()) {
		ao_shutdown();
		o->ops = &pulse_ops;
		return pulse_out_open(o, s, err, errsize);
	}
	snprintf(o->name, sizeof o->name, "%s", info->short_name);
	o->file = info->type == AO_TYPE_FILE;
	if (o->file && (!s->file || !*s->file)) {
		snprintf(err, errsize, "the %s driver needs an output file", o->name);
		ao_shutdown();
		return -1;
	}
	ao_sample_format fmt = { .bits = 16, .rate = s->rate, .channels = s->channels,
	                         .byte_format = AO_FMT_NATIVE, .matrix = s->channels == 2 ? "L,R" : NULL };
	ao_option *opts = NULL;
	ao_append_option(&opts, "quiet", "");
	if (!o->file) {
		/* Only pass what this driver knows, or libao refuses to open.
		 * strstr, not strcmp: libao 1.2.2's pulse driver lists its last
		 * two options glued together ("client_namebuffer_time", a
		 * missing comma) but takes both. Its buffer_time wraps round
		 * above 44 ms at 48 kHz (an int overflow): 40 at most. */
		o->buffer_ms = s->buffer_ms;
		if (strcmp(o->name, "pulse") == 0 && o->buffer_ms > 40)
			o->buffer_ms = 40;
		char ms[16];
		snprintf(ms, sizeof ms, "%d", o->buffer_ms);
		for (int i = 0; i < info->option_count; i++) {
			if (strstr(info->options[i], "buffer_time") && o->buffer_ms > 0)
				ao_append_option(&opts, "buffer_time", ms);
			if (strstr(info->options[i], "client_name"))
				ao_append_option(&opts, "client_name", "lull");
		}
	}
	errno = 0;
	o->dev = o->file ? ao_open_file(id, s->file, 1, &fmt, opts) : ao_open_live(id, &fmt, opts);
	int e = errno;
	ao_free_options(opts);
	if (!o->dev) {
		if (o->file)
			snprintf(err, errsize, "%s: %s", s->file, ao_reason(e));
		else
			snprintf(err, errsize, "%s (%s)", ao_reason(e), o->name);
		ao_shutdown();
		return -1;
	}
	return 0;
}

/* Converts to 16 bits in o->pcm; returns the byte count. */
static size_t to_pcm(struct output *o, const float *buf, long frames)
{
	if (frames > o->pcm_frames) {
		o->pcm = xrealloc(o->pcm, sizeof *o->pcm * (size_t)frames * (size_t)o->channels);
		o->pcm_frames = frames;
	}
	mixer_to_s16(o->pcm, buf, frames * o->channels);
	return (size_t)frames * (size_t)o->channels * sizeof *o->pcm;
}

static int ao_out_write(struct output *o, const float *buf, long frames)
{
	size_t bytes = to_pcm(o, buf, frames);
	return ao_play(o->dev, (char *)o->pcm, (uint_32)bytes) ? 0 : -1;
}

static void ao_out_close(struct output *o)
{
	ao_close(o->dev);
	ao_shutdown();
}

/* ----------------------------------------------------- pulse (libpulse) */
static int pulse_out_open(struct output *o, const struct output_spec *s, char *err, size_t errsize)
{
	int ms = s->long_buffer_ms > 0 ? s->long_buffer_ms : s->buffer_ms;
	o->pulse = pulse_open(s->rate, s->channels, ms, s->wake_fd, s->give_way, err, errsize);
	if (!o->pulse)
		return -1;
	snprintf(o->name, sizeof o->name, "pulse");
	o->buffer_ms = ms;
	return 0;
}

static int pulse_out_write(struct output *o, const float *buf, long frames)
{
	return -1; /* written at a frame: output_write_at */
}

static void pulse_out_close(struct output *o)
{
	pulse_close(o->pulse, -1);
}

/* --------------------------------------------------------------- sndfile */
/* What render writes, by the file name's ending, as far as the libsndfile
 * at hand can (sf_format_check: Debian 12's writes every one of these, MP3
 * through LAME). */
static const struct sf_format {
	const char *ext, *name;
	int format;
} sf_formats[] = {
	{ "wav", "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16 },
	{ "flac", "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16 },
	{ "ogg", "ogg vorbis", SF_FORMAT_OGG | SF_FORMAT_VORBIS },
	{ "oga", "ogg vorbis", SF_FORMAT_OGG | SF_FORMAT_VORBIS },
#if HAVE_DECL_SF_FORMAT_OPUS
	{ "opus", "opus", SF_FORMAT_OGG | SF_FORMAT_OPUS },
#endif
#if HAVE_DECL_SF_FORMAT_MPEG_LAYER_III
	{ "mp3", "mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III },
#endif
};
#define N_SF_FORMATS (sizeof sf_formats / sizeof sf_formats[0])

static bool sf_can_write(const struct sf_format *f, int rate, int channels)
{
	SF_INFO si = { .samplerate = rate, .channels = channels, .format = f->format };
	return sf_format_check(&si) == SF_TRUE;
}

void output_file_endings(char *buf, size_t size, int rate, int channels)
{
	const char *list[N_SF_FORMATS];
	size_t n = 0;
	for (size_t i = 0; i < N_SF_FORMATS; i++)
		if (strcmp(sf_formats[i].ext, "oga") != 0 && sf_can_write(&sf_formats[i], rate, channels))
			list[n++] = sf_formats[i].ext;
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		int k = snprintf(buf + used, size - used, "%s.%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", list[i]);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

size_t output_file_formats(const char **exts, size_t max, int rate, int channels)
{
	size_t n = 0;
	for (size_t i = 0; i < N_SF_FORMATS && n < max; i++)
		if (sf_can_write(&sf_formats[i], rate, channels))
			exts[n++] = sf_formats[i].ext;
	return n;
}

static int sf_out_open(struct output *o, const struct output_spec *s, char *err, size_t errsize)
{
	const char *file = s->file ? s->file : "";
	const char *dot = strrchr(file, '.');
	const struct sf_format *f = NULL;
	for (size_t i = 0; i < N_SF_FORMATS && dot && !f; i++)
		if (strcasecmp(dot + 1, sf_formats[i].ext) == 0)
			f = &sf_formats[i];
	char can[80];
	output_file_endings(can, sizeof can, s->rate, s->channels);
	if (!f) {
		snprintf(err, errsize, "%s: give a file name ending in %s", file, can);
		return -1;
	}
	if (!sf_can_write(f, s->rate, s->channels)) {
		snprintf(err, errsize, "%s: this libsndfile (%s) cannot write %s; it writes %s", file,
			 sf_version_string(), f->name, can);
		return -1;
	}
	/* Opened here, not by libsndfile, so that a folder that is not there
	 * or not ours is said in plain words. */
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errsize, "cannot write %s: %s", file, strerror(errno));
		return -1;
	}
	SF_INFO si = { .samplerate = s->rate, .channels = s->channels, .format = f->format };
	o->sf = sf_open_fd(fd, SFM_WRITE, &si, SF_TRUE);
	if (!o->sf) {
		snprintf(err, errsize, "cannot write %s: %s", file, sf_strerror(NULL));
		close(fd);
		unlink(file); /* nothing half-made left behind */
		return -1;
	}
	snprintf(o->name, sizeof o->name, "%s", f->name);
	o->file = true;
	return 0;
}

static int sf_out_write(struct output *o, const float *buf, long frames)
{
	return sf_writef_float(o->sf, buf, frames) == frames ? 0 : -1;
}

static void sf_out_close(struct output *o)
{
	sf_close(o->sf);
}

/* ------------------------------------------------------------------ null */
static int null_open(struct output *o, const struct output_spec *s, char *err, size_t errsize)
{
	snprintf(o->name, sizeof o->name, "null");
	o->file = true; /* paced by the caller's clock */
	return 0;
}

static int null_write(struct output *o, const float *buf, long frames)
{
	return 0;
}

static void null_close(struct output *o)
{
}

static const struct output_ops ao_ops = { "ao", ao_out_open, ao_out_write, ao_out_close };
static const struct output_ops pulse_ops = { "pulse", pulse_out_open, pulse_out_write, pulse_out_close };
static const struct output_ops sf_ops = { "sndfile", sf_out_open, sf_out_write, sf_out_close };
static const struct output_ops null_ops = { "null", null_open, null_write, null_close };

struct output *output_open(const struct output_spec *spec, char *err, size_t errsize)
{
	const char *d = spec->driver ? spec->driver : "";
	const struct output_ops *ops = strcmp(d, "null") == 0 ? &null_ops
		: strcmp(d, "sndfile") == 0 ? &sf_ops : &ao_ops;
	struct output *o = xcalloc(1, sizeof *o);
	o->ops = ops;
	o->channels = spec->channels;
	if (ops->open(o, spec, err, errsize) != 0) {
		free(o);
		return NULL;
	}
	return o;
}

struct output *output_reopen(const struct output_spec *spec, char *err, size_t errsize)
{
	if (!pulse_available()) {
		snprintf(err, errsize, "built without libpulse");
		return NULL;
	}
	struct output_spec s = *spec;
	s.give_way = true;
	struct output *o = xcalloc(1, sizeof *o);
	o->ops = &pulse_ops;
	o->channels = s.channels;
	if (pulse_out_open(o, &s, err, errsize) != 0) {
		free(o);
		return NULL;
	}
	return o;
}

bool output_is_file(const struct output *o)
{
	return o->file;
}

const char *output_name(const struct output *o)
{
	return o->name;
}

int output_write(struct output *o, const float *buf, long frames)
{
	return o->ops->write(o, buf, frames);
}

int output_buffer_ms(const struct output *o)
{
	return o->file ? 0 : o->buffer_ms;
}

bool output_can_say_latency(const struct output *o)
{
	return o->pulse != NULL;
}

void output_close(struct output *o)
{
	if (!o)
		return;
	o->ops->close(o);
	free(o->pcm);
	free(o->stage);
	free(o);
}

bool output_can_rewrite(const struct output *o)
{
	return o->pulse != NULL;
}

int output_wait(struct output *o, int64_t deadline_ns)
{
	int e = pulse_wait(o->pulse, deadline_ns);
	return (e & PULSE_WANTS ? OUTPUT_WANTS : 0) | (e & PULSE_WOKEN ? OUTPUT_WOKEN : 0) |
	       (e & PULSE_HEARD ? OUTPUT_HEARD : 0) | (e & PULSE_FAILED ? OUTPUT_FAILED : 0);
}

void output_stage(struct output *o, const float *buf, long frames)
{
	if (o->staged + frames > o->stage_cap) {
		o->stage_cap = (o->staged + frames) * 2;
		o->stage = xrealloc(o->stage, sizeof *o->stage * (size_t)o->stage_cap * (size_t)o->channels);
	}
	mixer_to_s16(o->stage + o->staged * o->channels, buf, frames * o->channels);
	o->staged += frames;
}

int output_commit_at(struct output *o, int64_t frame)
{
	size_t bytes = (size_t)o->staged * (size_t)o->channels * sizeof *o->stage;
	o->staged = 0;
	return bytes ? pulse_write(o->pulse, reconnect_stream_frame(o->origin, frame), o->stage, bytes) : 0;
}

void output_flush_out(struct output *o)
{
	pulse_flush_out(o->pulse);
}

void output_ask_heard(struct output *o)
{
	pulse_ask_heard(o->pulse);
}

bool output_heard(const struct output *o, int64_t *frame, int64_t *at_ns)
{
	if (!o->pulse || !pulse_heard(o->pulse, frame, at_ns))
		return false;
	*frame = reconnect_mix_frame(o->origin, *frame);
	return true;
}

void output_set_origin(struct output *o, int64_t origin)
{
	o->origin = origin;
}

int64_t output_origin(const struct output *o)
{
	return o->origin;
}

unsigned output_underruns(const struct output *o)
{
	return o->pulse ? pulse_underruns(o->pulse) : 0;
}

void output_close_at(struct output *o, int64_t until_ns)
{
	if (!o)
		return;
	if (o->pulse)
		pulse_close(o->pulse, until_ns);
	else
		o->ops->close(o);
	free(o->pcm);
	free(o->stage);
	free(o);
}

void output_describe(const char *driver, char *buf, size_t size)
{
	bool named = driver && *driver;
	char err[160] = "";
	if (!named && pulse_available() && pulse_server_present()) {
		struct pulse_stream *p = pulse_open(48000, 2, 200, -1, false, err, sizeof err);
		if (p) {
			pulse_close(p, 0);
			snprintf(buf, size, "pulse (lull's own stream to the sound server%s%s)",
				 getenv("PULSE_SERVER") ? " at " : "", getenv("PULSE_SERVER") ? getenv("PULSE_SERVER") : "");
			return;
		}
	}
	ao_initialize();
	int id = named ? ao_driver_id(driver) : ao_default_driver_id();
	ao_info *info = id >= 0 ? ao_driver_info(id) : NULL;
	if (!info)
		snprintf(buf, size, named ? "none: no libao driver '%s'" : "none: no sound device%s", named ? driver : "");
	else if (strcmp(info->short_name, "pulse") == 0 && pulse_available())
		snprintf(buf, size, "pulse (lull's own stream to the sound server)");
	else if (named)
		snprintf(buf, size, "%s (as named)", info->short_name);
	else if (*err) /* a server is there but would not take a stream */
		snprintf(buf, size, "%s (libao's default; the sound server refused a stream: %s)", info->short_name, err);
	else
		snprintf(buf, size, "%s (libao's default; no sound server answers)", info->short_name);
	ao_shutdown();
}
