/* SPDX-License-Identifier: ISC */
/* Streaming decode on generated files: the whole file comes through, 44.1 kHz
 * becomes 48 kHz with the right length, loops have no seam and the right
 * period, and broken files give errors, not crashes. A FIFO or a directory
 * named like a sound is refused at once, and no refusal leaves a descriptor
 * open. Feeds decode ahead and go back within their history. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sndfile.h>

#include "feed.h"
#include "track.h"
#include "util.h"
#include "../testhome.h"

static char dir[512];

static int setup(void **state)
{
	assert_non_null(testtmp_make(dir, sizeof dir, "track"));
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

/* A sine of freq Hz at amplitude 0.5, `frames` long, in every channel. */
static char *write_sine(const char *leaf, int format, int rate, int ch, long frames, double freq)
{
	char *path = xasprintf("%s/%s", dir, leaf);
	SF_INFO si = { .samplerate = rate, .channels = ch, .format = format };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
	if (!sf) {
		free(path);
		return NULL;
	}
	float *buf = malloc(sizeof(float) * (size_t)frames * (size_t)ch);
	for (long i = 0; i < frames; i++)
		for (int c = 0; c < ch; c++)
			buf[i * ch + c] = 0.5f * (float)sin(2 * M_PI * freq * (double)i / rate);
	assert_int_equal(sf_writef_float(sf, buf, frames), frames);
	sf_close(sf);
	free(buf);
	return path;
}

static long read_all(struct track *t, float *out, long max, int ch)
{
	long have = 0;
	for (;;) {
		long want = max - have < 999 ? max - have : 999; /* odd chunk sizes */
		if (want <= 0)
			break;
		long got = track_read(t, out + have * ch, want);
		assert_true(got >= 0);
		if (got == 0)
			break;
		have += got;
	}
	return have;
}

static float max_step(const float *buf, long n, int ch)
{
	float worst = 0;
	for (long i = 1; i < n; i++)
		worst = fmaxf(worst, fabsf(buf[i * ch] - buf[(i - 1) * ch]));
	return worst;
}

static void test_streams_whole_file(void **state)
{
	char err[256];
	char *path = write_sine("mono.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 1, 100000, 440);
	struct track_info info;
	assert_int_equal(track_probe(path, &info, err, sizeof err), 0);
	assert_int_equal(info.frames, 100000);
	assert_int_equal(info.rate, 44100);
	assert_int_equal(info.channels, 1);
	assert_string_equal(info.format, "WAV float");
	struct track *t = track_open(path, 44100, 2, false, 0, err, sizeof err);
	assert_non_null(t);
	float *out = malloc(sizeof(float) * 2 * 120000);
	long n = read_all(t, out, 120000, 2);
	assert_int_equal(n, 100000);
	for (long i = 0; i < n; i += 97) {
		float want = 0.5f * (float)sin(2 * M_PI * 440 * (double)i / 44100);
		assert_true(fabsf(out[2 * i] - want) < 1e-5f);
		assert_true(out[2 * i] == out[2 * i + 1]); /* mono spread to stereo */
	}
	assert_int_equal(track_read(t, out, 10), 0); /* stays finished */
	track_close(t);
	free(out);
	free(path);
}

/* A read of more frames than one decoding call takes (1024), at the file's
 * own rate (no resampler between): it once decoded them all into a buffer
 * of 1024 frames (found under valgrind by a 2048-frame read). */
static void test_long_reads(void **state)
{
	char err[256];
	char *path = write_sine("long.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 2, 48000, 440);
	struct track *t = track_open(path, 48000, 2, true, 0.05, err, sizeof err);
	assert_non_null(t);
	float *out = malloc(sizeof(float) * 2 * 20000);
	assert_int_equal(track_read(t, out, 20000), 20000);
	for (long i = 0; i < 20000; i += 97) {
		float want = 0.5f * (float)sin(2 * M_PI * 440 * (double)i / 48000);
		assert_true(fabsf(out[2 * i] - want) < 1e-5f);
	}
	track_close(t);
	free(out);
	free(path);
}

static void test_resamples_44k1_to_48k(void **state)
{
	char err[256];
	char *path = write_sine("cd.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, 44100, 1000);
	struct track *t = track_open(path, 48000, 2, false, 0, err, sizeof err);
	assert_non_null(t);
	float *out = malloc(sizeof(float) * 2 * 60000);
	long n = read_all(t, out, 60000, 2);
	/* One second in, one second out: 48000 frames, within 1 ms. */
	assert_true(labs(n - 48000) <= 48);
	/* Still 1 kHz: count rising zero crossings in the settled middle. */
	int rises = 0;
	for (long i = 2400; i < 2400 + 24000; i++)
		if (out[2 * (i - 1)] < 0 && out[2 * i] >= 0)
			rises++;
	assert_true(rises >= 499 && rises <= 501);
	/* No step larger than the sine's own (0.5 * 2*pi*1000/48000 = 0.065). */
	assert_true(max_step(out + 2 * 100, 47000, 2) < 0.08f);
	track_close(t);
	free(out);
	free(path);
}

/* Loops: seam smoothness and the exact period N - X. */
static void test_loops_gaplessly(void **state)
{
	char err[256];
	enum { N = 22050 };
	/* 437 Hz does not fit 22050 frames a whole number of times: a naive loop clicks. */
	char *path = write_sine("loop.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, N, 437);
	struct track *t = track_open(path, 44100, 1, true, 0.05, err, sizeof err);
	assert_non_null(t);
	long x = (long)(0.05 * 44100);
	long total = 5 * N;
	float *out = malloc(sizeof(float) * (size_t)total);
	assert_int_equal(read_all(t, out, total, 1), total);
	float own = 0.5f * 2 * (float)M_PI * 437 / 44100;
	assert_true(max_step(out, total, 1) < 1.5f * own);
	/* After the first pass, the stream repeats every N - X frames exactly. */
	for (long i = N; i + (N - x) < total; i += 13)
		assert_true(fabsf(out[i] - out[i + (N - x)]) < 1e-6f);
	track_close(t);

	/* The same file resampled to 48 kHz while looping: still no seam. */
	t = track_open(path, 48000, 2, true, 0.05, err, sizeof err);
	assert_non_null(t);
	float *o2 = malloc(sizeof(float) * 2 * (size_t)total);
	assert_int_equal(read_all(t, o2, total, 2), total);
	assert_true(max_step(o2 + 200, total - 200, 2) < 1.5f * own * 44100 / 48000 + 0.01f);
	track_close(t);
	free(o2);
	free(out);
	free(path);
}

/* Opus decodes with padding; reads stop at the declared count and the
 * crossfade covers the rest. */
static void test_opus_loop(void **state)
{
	SF_INFO probe = { .samplerate = 48000, .channels = 1, .format = SF_FORMAT_OGG | SF_FORMAT_OPUS };
	if (!sf_format_check(&probe))
		skip();
	char err[256];
	enum { N = 48000 };
	char *path = write_sine("loop.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000, 1, N, 300);
	assert_non_null(path);
	struct track *t = track_open(path, 48000, 1, true, 0.05, err, sizeof err);
	assert_non_null(t);
	long total = 4 * N;
	float *out = malloc(sizeof(float) * (size_t)total);
	assert_int_equal(read_all(t, out, total, 1), total);
	float own = 0.5f * 2 * (float)M_PI * 300 / 48000;
	/* Lossy coding adds a little; a click would be ~0.5. */
	assert_true(max_step(out + 1000, total - 1000, 1) < 3 * own);
	track_close(t);
	free(out);
	free(path);
}

static void expect_error(const char *path, const char *leaf)
{
	char err[256] = "";
	struct track_info info;
	assert_int_equal(track_probe(path, &info, err, sizeof err), -1);
	assert_non_null(strstr(err, leaf));
	err[0] = '\0';
	assert_null(track_open(path, 48000, 2, true, 0.05, err, sizeof err));
	assert_non_null(strstr(err, leaf));
	long n;
	assert_null(track_load(path, 48000, 2, 1000, &n, err, sizeof err));
}

static void test_bad_files(void **state)
{
	char *missing = xasprintf("%s/missing.flac", dir);
	expect_error(missing, "missing.flac");
	char err[256];
	track_probe(missing, &(struct track_info){0}, err, sizeof err);
	assert_non_null(strstr(err, "no such file"));

	char *empty = xasprintf("%s/empty.wav", dir);
	FILE *f = fopen(empty, "w");
	fclose(f);
	expect_error(empty, "empty.wav");

	char *junk = xasprintf("%s/junk.flac", dir);
	f = fopen(junk, "w");
	for (int i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, f);
	fclose(f);
	expect_error(junk, "junk.flac");

	/* A text file named .wav: unsupported. */
	char *text = xasprintf("%s/notes.wav", dir);
	f = fopen(text, "w");
	fputs("these are not samples\n", f);
	fclose(f);
	expect_error(text, "notes.wav");

	/* A header with no samples. */
	char *hollow = write_sine("hollow.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 0, 440);
	expect_error(hollow, "hollow.wav");
	free(missing);
	free(empty);
	free(junk);
	free(text);
	free(hollow);
}

/* Not a sound at all: a FIFO nobody writes to (opening it for reading
 * waited for a writer forever, holding a session, render and `lull sounds`)
 * and a directory. Each is refused at once, named, and a hundred refusals of
 * any kind leave no descriptor open. */
static void test_special_files(void **state)
{
	char *fifo = xasprintf("%s/pipe.wav", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10); /* a regression hangs here: let it fail, not stall the suite */
	expect_error(fifo, "pipe.wav: not a regular file");
	char *sub = xasprintf("%s/folder.wav", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	expect_error(sub, "folder.wav");
	alarm(0);

	char *junk = xasprintf("%s/junk2.wav", dir);
	FILE *f = fopen(junk, "w");
	fputs("RIFF not really", f);
	fclose(f);
	int before = open("/dev/null", O_RDONLY);
	assert_true(before >= 0);
	close(before);
	for (int i = 0; i < 100; i++) {
		expect_error(fifo, "pipe.wav");
		expect_error(junk, "junk2.wav");
	}
	int after = open("/dev/null", O_RDONLY);
	assert_int_equal(after, before); /* the lowest free descriptor: none leaked */
	close(after);
	free(fifo);
	free(sub);
	free(junk);
}

/* Truncated files: whatever the decoder makes of them, reading (and looping)
 * returns frames or an error, never crashes or spins. */
static void test_truncated(void **state)
{
	static const int formats[] = { SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
	for (size_t k = 0; k < 2; k++) {
		char *path = write_sine(k ? "cut.flac" : "cut.wav", formats[k], 44100, 2, 44100, 440);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(truncate(path, st.st_size / 2), 0);
		char err[256];
		struct track *t = track_open(path, 48000, 2, true, 0.05, err, sizeof err);
		if (!t) {
			assert_non_null(strstr(err, k ? "cut.flac" : "cut.wav"));
		} else {
			float buf[2 * 4096];
			long total = 0;
			for (int i = 0; i < 100; i++) {
				long got = track_read(t, buf, 4096);
				if (got < 0) {
					assert_non_null(strstr(track_error(t), "cut."));
					break;
				}
				assert_true(got > 0); /* a loop never runs dry */
				total += got;
			}
			assert_true(total > 0);
			track_close(t);
		}
		free(path);
	}
}

static void test_load_cue(void **state)
{
	char err[256];
	char *path = write_sine("cue.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 24000, 1, 12000, 880);
	long n = 0;
	float *buf = track_load(path, 48000, 2, 1 << 20, &n, err, sizeof err);
	assert_non_null(buf);
	assert_true(labs(n - 24000) <= 24);
	free(buf);
	buf = track_load(path, 48000, 2, 1000, &n, err, sizeof err); /* capped */
	assert_non_null(buf);
	assert_int_equal(n, 1000);
	free(buf);
	free(path);
}

/* A feed of a ramp file: frame k holds k / 65536 (16-bit exact), so every
 * value read says which frame it is. */
static struct feed *ramp_feed(long frames)
{
	char *path = xasprintf("%s/ramp.wav", dir);
	SF_INFO si = { .samplerate = 48000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
	assert_non_null(sf);
	for (long i = 0; i < frames; i++) {
		short v = (short)(i % 30000);
		sf_writef_short(sf, &v, 1);
	}
	sf_close(sf);
	char err[256];
	struct track *t = track_open(path, 48000, 1, false, 0, err, sizeof err);
	assert_non_null(t);
	free(path);
	return feed_new(t, 48000, 1);
}

static long frame_of(float v)
{
	return lrintf(v * 32768.0f);
}

/* Read on no feeder: the frames in order, whole; back within its history
 * and forward to what is decoded, not beyond either; the end reads 0. */
static void test_feed_reads_and_seeks(void **state)
{
	long total = 48000 * 6;
	struct feed *f = ramp_feed(total);
	float buf[4096];
	long pos = 0;
	while (pos < 48000 * 4) {
		long got = feed_read(f, buf, 4096);
		assert_int_equal(got, 4096);
		for (long i = 0; i < got; i += 101)
			assert_int_equal(frame_of(buf[i]), (pos + i) % 30000);
		pos += got;
	}
	assert_int_equal(feed_tell(f), pos);
	long back = (long)(FEED_HISTORY_S * 48000);
	assert_false(feed_seek(f, pos - back - 1)); /* gone */
	assert_int_equal(feed_tell(f), pos);
	assert_true(feed_seek(f, pos - back));
	assert_int_equal(feed_read(f, buf, 10), 10);
	assert_int_equal(frame_of(buf[0]), (pos - back) % 30000);
	assert_false(feed_seek(f, total + 1)); /* never decoded */
	assert_true(feed_seek(f, pos));
	long rest = 0, got;
	while ((got = feed_read(f, buf, 4096)) > 0)
		rest += got;
	assert_int_equal(got, 0);
	assert_int_equal(pos + rest, total);
	assert_int_equal(feed_short_reads(f), 0);
	feed_free(f);
}

/* On a feeder: filled ahead by its thread, so that reads at the pace of
 * a device never come short, and a feed freed while on it goes. */
/* The feeder keeps ahead of a reader at real-time pace, as the audio thread
 * reads: 100 ms at a time on absolute deadlines (a late reader catches up,
 * as the device would make it). Longer than FEED_AHEAD_S, so the first fill
 * (done on this thread, as the loader does) runs out and only the feeder's
 * refills keep the reads whole. A condition, not a speed: the feeder has
 * FEED_LOW_S of slack, so a loaded machine does not break it; how fast it
 * decodes is make bench-audio's feeder figure. */
static void test_feeder_fills_ahead(void **state)
{
	struct feeder *d = feeder_start();
	assert_non_null(d);
	struct feed *f = ramp_feed(48000 * 20);
	feed_fill(f);
	feeder_add(d, f);
	float buf[4800];
	long pos = 0;
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	for (int i = 0; i < 45; i++) { /* 4.5 s: the first fill's 2.5 s and two refills */
		long got = feed_read(f, buf, 4800);
		assert_int_equal(got, 4800);
		assert_int_equal(frame_of(buf[0]), pos % 30000);
		pos += got;
		at.tv_nsec += 100000000;
		if (at.tv_nsec >= 1000000000) {
			at.tv_sec++;
			at.tv_nsec -= 1000000000;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
			;
	}
	assert_int_equal(feed_short_reads(f), 0);
	feed_free(f);
	assert_true(feeder_stop(d, INT64_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streams_whole_file),
		cmocka_unit_test(test_long_reads),
		cmocka_unit_test(test_resamples_44k1_to_48k),
		cmocka_unit_test(test_loops_gaplessly),
		cmocka_unit_test(test_opus_loop),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_special_files),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_load_cue),
		cmocka_unit_test(test_feed_reads_and_seeks),
		cmocka_unit_test(test_feeder_fills_ahead),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
