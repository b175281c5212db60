/* SPDX-License-Identifier: ISC */
/* Nothing is opened or decoded on the audio thread. Linked with
 * -Wl,--wrap=track_open,--wrap=track_load, so that every opening of a sound
 * file for the engine is counted by the name of the thread it runs on:
 *   - sounds prepared before the session (audio_prepare) are first heard
 *     with no load after it at all, each at its time;
 *   - a name not prepared is loaded on the loader's thread, never the audio
 *     thread, and is still heard at its time when posted a lead ahead;
 *   - while the loader is stuck in a file that does not answer (its open
 *     held in the wrapper until the test lets it go: a FIFO, which used to
 *     serve, is refused at once since issue 14), prepared cues go on at
 *     their times, and what waits for the stuck loader starts after it, in
 *     the order it was posted;
 *   - such a file never delays audio_stop;
 *   - the loader loads each kind and name once. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio.h"
#include "clock.h"
#include "fixture.h"
#include "loader.h"
#include "pace.h"
#include "track.h"
#include "util.h"

#define RATE 48000
#define TONE_RMS (0.5 * 0.5 / M_SQRT2) /* a 0.5 sine at layer volume 0.5 */

/* ------------------------------------------------- counting the openings */
static atomic_int opens_audio, opens_loader, opens_other;

static void count_open(void)
{
	char name[16] = "";
	pthread_getname_np(pthread_self(), name, sizeof name);
	if (strcmp(name, "lull-audio") == 0)
		atomic_fetch_add(&opens_audio, 1);
	else if (strcmp(name, "lull-load") == 0)
		atomic_fetch_add(&opens_loader, 1);
	else
		atomic_fetch_add(&opens_other, 1);
}

static void reset_counts(void)
{
	atomic_store(&opens_audio, 0);
	atomic_store(&opens_loader, 0);
	atomic_store(&opens_other, 0);
}

struct track *__wrap_track_open(const char *path, int out_rate, int out_channels, bool loop,
                                double xfade_s, char *err, size_t errsize);
float *__wrap_track_load(const char *path, int out_rate, int out_channels, long max_frames,
                         long *frames, char *err, size_t errsize);
struct track *__real_track_open(const char *path, int out_rate, int out_channels, bool loop,
                                double xfade_s, char *err, size_t errsize);
float *__real_track_load(const char *path, int out_rate, int out_channels, long max_frames,
                         long *frames, char *err, size_t errsize);

/* The file that does not answer: its opening waits here until unstick(),
 * then goes on to the real one (which refuses it: it is a FIFO). */
static char stuck[128];
static pthread_mutex_t stuck_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stuck_cond = PTHREAD_COND_INITIALIZER;
static bool stuck_released;

static void hold_if_stuck(const char *path)
{
	if (strcmp(path, stuck) != 0)
		return;
	pthread_mutex_lock(&stuck_lock);
	while (!stuck_released)
		pthread_cond_wait(&stuck_cond, &stuck_lock);
	pthread_mutex_unlock(&stuck_lock);
}

struct track *__wrap_track_open(const char *path, int out_rate, int out_channels, bool loop,
                                double xfade_s, char *err, size_t errsize)
{
	count_open();
	hold_if_stuck(path);
	return __real_track_open(path, out_rate, out_channels, loop, xfade_s, err, errsize);
}

float *__wrap_track_load(const char *path, int out_rate, int out_channels, long max_frames,
                         long *frames, char *err, size_t errsize)
{
	count_open();
	hold_if_stuck(path);
	return __real_track_load(path, out_rate, out_channels, max_frames, frames, err, errsize);
}

/* ------------------------------------------------------------- fixtures */

static int setup(void **state)
{
	const char *h = fx_home();
	static const struct { const char *name; double seconds, freq, amp; } files[] = {
		{ "tone", 10, 100, 0.5 },   /* the bed: 100 Hz fits 10 s exactly */
		{ "chime", 0.06, 2000, 0.3 }, /* short bright cues: sharp onsets */
		{ "bell", 0.06, 3000, 0.3 },
		{ "gong", 0.06, 2500, 0.3 },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = xasprintf("%s/data/lull/sounds/%s.wav", h, files[i].name);
		assert_int_equal(fx_write_tone(p, RATE, 1, files[i].seconds, files[i].freq, files[i].amp), 0);
		free(p);
	}
	snprintf(stuck, sizeof stuck, "%s/stuck.wav", h);
	assert_int_equal(mkfifo(stuck, 0600), 0);
	unsetenv("SSH_CONNECTION");
	return 0;
}

static int teardown(void **state)
{
	fx_home_remove();
	return 0;
}

/* Lets a load held in opening the stuck file go on: it fails (a broken
 * sound), and the next test's is held again. */
static void unstick(void)
{
	pthread_mutex_lock(&stuck_lock);
	stuck_released = true;
	pthread_cond_broadcast(&stuck_cond);
	pthread_mutex_unlock(&stuck_lock);
}

static void restick(void)
{
	pthread_mutex_lock(&stuck_lock);
	stuck_released = false;
	pthread_mutex_unlock(&stuck_lock);
}

/* Waits until the loader thread is inside the stuck file's open (it counts
 * the opening just before), at most 2 s. */
static bool wait_loader_opens(int n)
{
	for (int i = 0; i < 200 && atomic_load(&opens_loader) < n; i++)
		fx_sleep(0.01);
	fx_sleep(0.02); /* from the count into open(2) itself */
	return atomic_load(&opens_loader) >= n;
}

/* The thread's clock started between ta and tb: a sound given for time t
 * starts between these samples. */
struct window {
	double ta, tb;
};
#define LO(w, t) ((long)(((t) - (w).tb) * RATE))
#define HI(w, t) ((long)(((t) - (w).ta) * RATE) + 48)

/* chime: the default chime prepared, as a session whose plan rings it does. */
static struct audio *start_wav(const char *file, bool chime, struct window *w)
{
	struct audio_options o = { .enabled = true, .driver = "wav", .output = file, .volume = 1.0f,
	                           .time_scale = 1 };
	w->ta = fx_now();
	struct audio *a = audio_start(&o);
	w->tb = fx_now();
	struct audio_snapshot s;
	audio_snapshot(a, &s);
	assert_false(s.silent);
	static const char *const the_chime[] = { "", NULL };
	if (chime)
		audio_prepare(a, the_chime, NULL);
	return a;
}

static int64_t ns(double t)
{
	return (int64_t)(t * 1e9);
}

static float *read_back(const char *file, long *n)
{
	int rate;
	float *x = fx_read_mono(file, n, &rate);
	assert_non_null(x);
	assert_int_equal(rate, RATE);
	return x;
}

static void assert_onset(long on, struct window w, double t, const char *what)
{
	print_message("%s: onset %ld, window [%ld, %ld]\n", what, on, LO(w, t), HI(w, t));
	assert_true(on >= LO(w, t) && on <= HI(w, t));
}

/* The openings counted since reset_counts(), by thread. */
static void assert_opened(int audio, int loader, int other)
{
	print_message("opened: %d on the audio thread, %d on the loader, %d here\n", atomic_load(&opens_audio),
	              atomic_load(&opens_loader), atomic_load(&opens_other));
	assert_int_equal(atomic_load(&opens_audio), audio);
	assert_int_equal(atomic_load(&opens_loader), loader);
	assert_int_equal(atomic_load(&opens_other), other);
}

/* The file holds exactly two cue onsets, the first at t1, the second at
 * t2; returns it, mono (caller frees). */
static float *read_two_cues(const char *file, struct window w, double t1, double t2, long *n)
{
	float *x = read_back(file, n);
	long on[8];
	assert_int_equal(fx_onsets(x, *n, RATE, 0.02f, 0.2, on, 8), 2);
	assert_onset(on[0], w, t1, "first cue");
	assert_onset(on[1], w, t2, "second cue");
	return x;
}

/* ---------------------------------------------------------------- tests */
static void test_prepared_first_use_opens_nothing(void **state)
{
	fx_realtime();
	char *out = xasprintf("%s/prepared.wav", fx_home());
	struct window w;
	reset_counts();
	struct audio *a = start_wav(out, true, &w);
	static const char *const cues[] = { "bell", NULL }, *const layers[] = { "tone", NULL };
	audio_prepare(a, cues, layers);
	assert_opened(0, 0, 3); /* chime, bell and tone: here */
	reset_counts();
	double t = fx_now();
	audio_layer_on(a, "tone", 0.5f, 0, AUDIO_NOW);
	audio_cue(a, "bell", 1, ns(t + 0.3));
	audio_cue(a, NULL, 1, ns(t + 0.6));
	audio_prepare(a, cues, layers); /* again: nothing to do */
	fx_sleep(t + 1.0 - fx_now());
	audio_stop(a, 2000);
	assert_opened(0, 0, 0); /* after prepare: nothing, anywhere */
	long n;
	float *x = read_two_cues(out, w, t + 0.3, t + 0.6, &n); /* the bell, the chime */
	/* The bed, between the cues (the bell ends at 0.36 s, the chime
	 * starts at 0.6 s). */
	assert_true(fabs(fx_rms(x, HI(w, t) + RATE * 4 / 10, 4800) - TONE_RMS) < 0.02 * TONE_RMS);
	free(x);
	free(out);
}

/* What is not prepared is loaded on the loader's thread as it is posted, and
 * heard at its time. (Before, the audio thread opened and decoded it at
 * first use.) */
static void test_unprepared_loaded_off_the_audio_thread(void **state)
{
	fx_realtime();
	char *out = xasprintf("%s/unprepared.wav", fx_home());
	struct window w;
	struct audio *a = start_wav(out, false, &w);
	reset_counts();
	double t = fx_now();
	audio_layer_on(a, "tone", 0.5f, 0, AUDIO_NOW);
	audio_cue(a, "bell", 1, ns(t + 0.4));
	audio_cue(a, NULL, 1, ns(t + 0.7)); /* the default chime: not prepared */
	fx_sleep(t + 1.1 - fx_now());
	audio_stop(a, 2000);
	assert_opened(0, 3, 0); /* tone, bell, chime */
	long n;
	float *x = read_two_cues(out, w, t + 0.4, t + 0.7, &n); /* the bell, the chime */
	/* The bed came within a few writes of the call (its load is quick). */
	assert_true(fx_rms(x, HI(w, t) + RATE / 20, 4800) > 0.9 * TONE_RMS);
	free(x);
	free(out);
}

/* The loader stuck in a file that does not answer: the mixer goes on (a
 * prepared cue at its time), and what waits behind the stuck load starts
 * once the loader is free, in the order posted: the bed turned on and off
 * again stays off, the cue for "now" is heard then, late, once. */
static void test_stuck_loader_never_stops_the_mixer(void **state)
{
	fx_realtime();
	char *out = xasprintf("%s/stuck-load.wav", fx_home());
	struct window w;
	struct audio *a = start_wav(out, true, &w);
	reset_counts();
	restick();
	audio_layer_on(a, stuck, 0.5f, 0, AUDIO_NOW);
	assert_true(wait_loader_opens(1));
	double t = fx_now();
	audio_layer_on(a, "tone", 0.5f, 0, AUDIO_NOW);
	audio_layer_off(a, "tone", 0, AUDIO_NOW);
	audio_cue(a, "gong", 1, AUDIO_NOW);
	audio_cue(a, NULL, 1, ns(t + 0.3)); /* the chime: prepared */
	fx_sleep(t + 0.6 - fx_now());
	double tu = fx_now();
	unstick();
	fx_sleep(0.5);
	struct audio_snapshot s;
	audio_snapshot(a, &s);
	audio_stop(a, 2000);
	print_message("message: %s\n", s.message);
	assert_non_null(strstr(s.message, "stuck.wav"));
	assert_int_equal(atomic_load(&opens_audio), 0);

	long n;
	float *x = read_back(out, &n);
	long on[8];
	assert_int_equal(fx_onsets(x, n, RATE, 0.02f, 0.2, on, 8), 2);
	assert_onset(on[0], w, t + 0.3, "prepared chime, loader stuck");
	print_message("gong: onset %ld, loader freed at %ld\n", on[1], LO(w, tu));
	assert_true(on[1] >= LO(w, tu) && on[1] <= HI(w, tu) + RATE / 10);
	/* On and off in order: no bed at any time, only the two cues. */
	for (long i = 0; i + 480 <= n; i += 480) {
		bool cue = false;
		for (int k = 0; k < 2; k++)
			cue = cue || (i + 480 > on[k] - 48 && i < on[k] + (long)(0.07 * RATE));
		if (!cue && fx_rms(x, i, 480) >= 1e-3)
			print_message("sound at %ld, away from the cues\n", i);
		assert_true(cue || fx_rms(x, i, 480) < 1e-3);
	}
	free(x);
	free(out);
}

/* A load that never ends does not hold up audio_stop. */
static void test_stuck_loader_never_delays_stop(void **state)
{
	char *out = xasprintf("%s/stuck-stop.wav", fx_home());
	struct window w;
	reset_counts();
	restick();
	struct audio *a = start_wav(out, false, &w);
	audio_layer_on(a, stuck, 0.5f, 0, AUDIO_NOW);
	assert_true(wait_loader_opens(1));
	/* The loader stays stuck until unstick(): that stop returns at all is
	 * the check (alarm(30), a hang guard, fails a stop that waits). */
	alarm(30);
	double t = fx_now();
	audio_stop(a, 200);
	double took = fx_now() - t;
	alarm(0);
	print_message("stop returned after %.3f s with the loader stuck\n", took);
	unstick(); /* let the thread left behind finish */
	free(out);
}

/* The loader itself: each kind and name loaded once, whichever way it is
 * asked for; requests on its thread; results in order; errors carried. */
static void test_loader_once_each(void **state)
{
	reset_counts();
	struct loader *l = loader_start(RATE, 2, -1);
	loader_prepare(l, ENGINE_CUE, "bell");
	loader_prepare(l, ENGINE_CUE, "bell");
	loader_request(l, ENGINE_CUE, "bell");
	loader_prepare(l, ENGINE_CUE, "");
	loader_prepare(l, ENGINE_CUE, "chime"); /* "" is the default chime */
	loader_prepare(l, ENGINE_LAYER, "bell"); /* another kind: another sound */
	assert_int_equal(atomic_load(&opens_other), 3);
	loader_request(l, ENGINE_LAYER, "tone");
	loader_request(l, ENGINE_CUE, "nosuch");
	loader_request(l, ENGINE_LAYER, "tone");
	struct engine_sound *all = NULL, **tail = &all;
	int count = 0;
	for (int i = 0; i < 200 && count < 5; i++) {
		struct engine_sound *s = loader_take(l);
		*tail = s;
		for (; s; s = s->next, count++)
			tail = &s->next;
		fx_sleep(0.01);
	}
	assert_int_equal(count, 5);
	assert_null(loader_take(l));
	assert_int_equal(atomic_load(&opens_loader), 1); /* "nosuch" is never found, so never opened */
	static const struct { enum engine_sound_kind kind; const char *name; } want[] = {
		{ ENGINE_CUE, "bell" }, { ENGINE_CUE, "chime" }, { ENGINE_LAYER, "bell" },
		{ ENGINE_LAYER, "tone" }, { ENGINE_CUE, "nosuch" },
	};
	struct engine_sound *s = all;
	for (size_t i = 0; i < 5; i++, s = s->next) {
		assert_int_equal(s->kind, want[i].kind);
		assert_string_equal(s->name, want[i].name);
	}
	s = all->next->next->next;
	assert_non_null(s->feed);
	assert_string_equal(s->error, "");
	assert_string_equal(s->next->error, "nosuch: no such sound");
	assert_non_null(all->pcm);
	assert_true(all->frames == (long)(0.06 * RATE));
	while (all) {
		s = all->next;
		engine_sound_free(all);
		all = s;
	}
	assert_true(loader_stop(l, clock_mono_ns() + 1000000000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepared_first_use_opens_nothing),
		cmocka_unit_test(test_unprepared_loaded_off_the_audio_thread),
		cmocka_unit_test(test_stuck_loader_never_stops_the_mixer),
		cmocka_unit_test(test_loader_once_each),
		cmocka_unit_test(test_stuck_loader_never_delays_stop),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
