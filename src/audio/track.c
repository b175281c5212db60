/* SPDX-License-Identifier: ISC */
/* Streaming decode, channel mapping, loop crossfade and resampling. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <samplerate.h>
#include <sndfile.h>

#include "mixer.h"
#include "file.h"
#include "track.h"
#include "util.h"

enum { CHUNK = 1024 }; /* frames decoded per libsndfile call */

struct track {
	char *path;
	SNDFILE *sf;
	struct track_info info;
	int out_rate, out_ch;
	bool loop;
	long long n;      /* frames we play from the file (its declared count) */
	long long pos;    /* next source frame */
	long x;           /* loop crossfade, source frames; 0 = a plain jump */
	float *head;      /* the first x frames, mapped, for the crossfade */
	float *raw;       /* CHUNK frames at the file's channel count */
	float *mapped;    /* CHUNK frames at out_ch: source-rate output */
	SRC_STATE *src;   /* NULL when the rates match */
	bool done;
	bool failed;
	char err[256];
};

static const char *subtype_name(int format)
{
	switch (format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: return "8-bit";
	case SF_FORMAT_PCM_16: return "16-bit";
	case SF_FORMAT_PCM_24: return "24-bit";
	case SF_FORMAT_PCM_32: return "32-bit";
	case SF_FORMAT_FLOAT: return "float";
	case SF_FORMAT_DOUBLE: return "double";
	case SF_FORMAT_VORBIS: return "Vorbis";
	case SF_FORMAT_OPUS: return "Opus";
	default: return "";
	}
}

static void describe(int format, char *buf, size_t size)
{
	SF_FORMAT_INFO fi = { .format = format & SF_FORMAT_TYPEMASK };
	const char *major = "unknown";
	if (sf_command(NULL, SFC_GET_FORMAT_INFO, &fi, sizeof fi) == 0 && fi.extension)
		major = fi.extension;
	char up[16];
	size_t i = 0;
	for (; major[i] && i + 1 < sizeof up; i++)
		up[i] = (char)(major[i] >= 'a' && major[i] <= 'z' ? major[i] - 32 : major[i]);
	up[i] = '\0';
	if (strcmp(up, "OGA") == 0 || strcmp(up, "OGG") == 0)
		str_copy(up, "OGG", sizeof up);
	const char *sub = subtype_name(format);
	snprintf(buf, size, "%s%s%s", up, *sub ? " " : "", sub);
}

static SNDFILE *open_checked(const char *path, struct track_info *info, char *err, size_t errsize)
{
	SF_INFO si;
	memset(&si, 0, sizeof si);
	/* Opened here, not by libsndfile: a FIFO or a device named like a
	 * sound is refused at once instead of holding lull until someone
	 * writes to it. */
	int fd = file_open_read(path);
	if (fd < 0) {
		snprintf(err, errsize, "%s: %s", path, errno == ENOENT ? "no such file" : file_strerror(errno));
		return NULL;
	}
	SNDFILE *sf = sf_open_fd(fd, SFM_READ, &si, SF_TRUE);
	if (!sf) {
		snprintf(err, errsize, "%s: %s", path, sf_strerror(NULL));
		return NULL;
	}
	if (si.frames <= 0 || si.frames == SF_COUNT_MAX || si.channels <= 0 || si.samplerate <= 0) {
		snprintf(err, errsize, "%s: no audio in it", path);
		sf_close(sf);
		return NULL;
	}
	info->frames = si.frames;
	info->rate = si.samplerate;
	info->channels = si.channels;
	info->seconds = (double)si.frames / si.samplerate;
	describe(si.format, info->format, sizeof info->format);
	return sf;
}

int track_probe(const char *path, struct track_info *info, char *err, size_t errsize)
{
	SNDFILE *sf = open_checked(path, info, err, errsize);
	if (!sf)
		return -1;
	sf_close(sf);
	return 0;
}

/* Source channels to output channels: equal counts copy; mono spreads; to mono
 * averages; otherwise the first channels are kept (front left/right in every
 * common layout) and missing ones repeat. */
static void map_channels(const float *in, int in_ch, float *out, int out_ch, long n)
{
	if (in_ch == out_ch) {
		memcpy(out, in, sizeof *out * (size_t)n * (size_t)out_ch);
		return;
	}
	for (long i = 0; i < n; i++) {
		const float *f = in + i * in_ch;
		float *o = out + i * out_ch;
		if (out_ch == 1) {
			float s = 0;
			for (int c = 0; c < in_ch; c++)
				s += f[c];
			o[0] = s / (float)in_ch;
		} else {
			for (int c = 0; c < out_ch; c++)
				o[c] = f[c % in_ch];
		}
	}
}

static void fail(struct track *t, const char *what)
{
	if (!t->failed)
		snprintf(t->err, sizeof t->err, "%s: %s", t->path, what);
	t->failed = true;
	t->done = true;
}

/* Up to n (<= CHUNK) mapped frames straight from the file. Detects a file that
 * ends before its header says (truncated) and read errors. */
static long track_read_frames(struct track *t, float *out, long n)
{
	if (t->pos + n > t->n)
		n = (long)(t->n - t->pos);
	if (n <= 0)
		return 0;
	sf_count_t got = sf_readf_float(t->sf, t->raw, n);
	if (got < 0)
		got = 0;
	if (got < n) {
		if (sf_error(t->sf) != SF_ERR_NO_ERROR) {
			fail(t, sf_strerror(t->sf));
			return -1;
		}
		/* Truncated: what was read is the whole file from now on. */
		t->n = t->pos + got;
		if (t->x > 0 && t->n < 2 * (long long)t->x)
			t->x = 0;
		if (got == 0 && t->pos == 0) {
			fail(t, "no audio in it");
			return -1;
		}
	}
	map_channels(t->raw, t->info.channels, out, t->out_ch, (long)got);
	t->pos += got;
	return (long)got;
}

static int rewind_to(struct track *t, long long frame)
{
	if (sf_seek(t->sf, frame, SEEK_SET) < 0) {
		fail(t, "cannot seek to loop");
		return -1;
	}
	t->pos = frame;
	return 0;
}

/* Source-rate output: plain frames, the crossfaded tail, and the jump back. */
static long source_read(struct track *t, float *out, long n)
{
	long done = 0;
	while (done < n && !t->done) {
		float *dst = out + done * t->out_ch;
		/* A libsndfile call at a time fills t->raw, CHUNK frames. */
		long want = n - done < CHUNK ? n - done : CHUNK;
		if (t->pos >= t->n) {
			if (!t->loop) {
				t->done = true;
				break;
			}
			if (rewind_to(t, t->x) < 0)
				return -1;
			if (t->n <= t->x) { /* pathological: nothing left to loop */
				fail(t, "too short to loop");
				return -1;
			}
			continue;
		}
		long long tail_start = t->n - t->x;
		if (t->loop && t->x > 0 && t->pos >= tail_start) {
			long k = (long)(t->pos - tail_start);
			if (want > t->x - k)
				want = t->x - k;
			long got = track_read_frames(t, dst, want);
			if (got < 0)
				return -1;
			mixer_crossfade(dst, dst, t->head + (long)k * t->out_ch, got, t->out_ch, k, t->x);
			done += got;
			continue;
		}
		if (t->loop && t->x > 0 && t->pos + want > tail_start)
			want = (long)(tail_start - t->pos);
		long got = track_read_frames(t, dst, want);
		if (got < 0)
			return -1;
		if (got == 0 && t->pos < t->n) { /* cannot happen, but never spin */
			fail(t, "read stalled");
			return -1;
		}
		done += got;
	}
	return done;
}

static long src_callback(void *data, float **buf)
{
	struct track *t = data;
	long got = source_read(t, t->mapped, CHUNK);
	*buf = t->mapped;
	return got < 0 ? 0 : got;
}

struct track *track_open(const char *path, int out_rate, int out_channels, bool loop,
                         double xfade_s, char *err, size_t errsize)
{
	struct track_info info;
	SNDFILE *sf = open_checked(path, &info, err, errsize);
	if (!sf)
		return NULL;
	struct track *t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->sf = sf;
	t->info = info;
	t->out_rate = out_rate;
	t->out_ch = out_channels;
	t->loop = loop;
	t->n = info.frames;
	t->raw = xmalloc(sizeof(float) * CHUNK * (size_t)info.channels);
	t->mapped = xmalloc(sizeof(float) * CHUNK * (size_t)out_channels);
	if (loop) {
		long x = (long)(xfade_s * info.rate);
		if (x > t->n / 4)
			x = (long)(t->n / 4);
		if (x < 16)
			x = 0;
		t->x = x;
		if (x > 0) {
			/* Decode the head once; the first pass then plays it again
			 * from the file, so the decoder is back at frame 0. */
			t->head = xmalloc(sizeof(float) * (size_t)x * (size_t)out_channels);
			long have = 0;
			while (have < x) {
				long want = x - have < CHUNK ? x - have : CHUNK;
				long got = track_read_frames(t, t->head + have * out_channels, want);
				if (got <= 0)
					break;
				have += got;
			}
			if (have < x || t->failed || rewind_to(t, 0) < 0) {
				snprintf(err, errsize, "%s", t->failed ? t->err : "cannot read the start");
				track_close(t);
				return NULL;
			}
		}
	}
	if (info.rate != out_rate) {
		int e = 0;
		/* The fastest sinc converter: clean enough for noise beds and
		 * chimes, a fraction of the CPU of the better ones. */
		t->src = src_callback_new(src_callback, SRC_SINC_FASTEST, out_channels, &e, t);
		if (!t->src) {
			snprintf(err, errsize, "%s: resampler: %s", path, src_strerror(e));
			track_close(t);
			return NULL;
		}
	}
	return t;
}

long track_read(struct track *t, float *out, long frames)
{
	if (t->failed)
		return -1;
	long got;
	if (!t->src) {
		got = source_read(t, out, frames);
	} else {
		double ratio = (double)t->out_rate / t->info.rate;
		got = src_callback_read(t->src, ratio, frames, out);
		if (got < 0 || (got == 0 && src_error(t->src) && !t->failed)) {
			fail(t, src_strerror(src_error(t->src)));
			return -1;
		}
	}
	if (t->failed)
		return -1;
	return got;
}

const char *track_error(const struct track *t)
{
	return t->err;
}

const struct track_info *track_source(const struct track *t)
{
	return &t->info;
}

void track_close(struct track *t)
{
	if (!t)
		return;
	if (t->src)
		src_delete(t->src);
	if (t->sf)
		sf_close(t->sf);
	free(t->head);
	free(t->raw);
	free(t->mapped);
	free(t->path);
	free(t);
}

float *track_load(const char *path, int out_rate, int out_channels, long max_frames,
                  long *frames, char *err, size_t errsize)
{
	struct track *t = track_open(path, out_rate, out_channels, false, 0, err, errsize);
	if (!t)
		return NULL;
	long cap = (long)((double)t->info.frames * out_rate / t->info.rate) + 64;
	if (cap > max_frames)
		cap = max_frames;
	float *buf = xmalloc(sizeof(float) * (size_t)cap * (size_t)out_channels);
	long have = 0;
	while (have < cap) {
		long want = cap - have < CHUNK ? cap - have : CHUNK;
		long got = track_read(t, buf + have * out_channels, want);
		if (got < 0) {
			snprintf(err, errsize, "%s", track_error(t));
			free(buf);
			track_close(t);
			return NULL;
		}
		if (got == 0)
			break;
		have += got;
	}
	track_close(t);
	*frames = have;
	return buf;
}
