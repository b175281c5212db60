/* SPDX-License-Identifier: ISC */
/* The engine end to end through libao's `wav` file driver (paced in real time
 * like a device) and `lull render`: the fade-in's shape and length (with
 * LULL_TIME_SCALE-style scaling), cue onsets at the sample positions of the
 * calls, pause and resume, the keys, bad sounds, no device. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "audio.h"
#include "catalog.h"
#include "fixture.h"
#include "output.h"
#include "pace.h"
#include "program.h"
#include "timeline.h"
#include "util.h"

#define RATE 48000
#define TONE_RMS (0.5 * 0.5 / M_SQRT2) /* a 0.5 sine at layer volume 0.5 */

static int setup(void **state)
{
	const char *h = fx_home();
	char *tone = xasprintf("%s/data/lull/sounds/tone.wav", h);
	/* 100 Hz fits 10 s exactly: the loop itself is seamless. */
	assert_int_equal(fx_write_tone(tone, RATE, 1, 10, 100, 0.5), 0);
	free(tone);
	/* The user's folder shadows the built-ins: a short bright "chime" and
	 * phase and step tones make onsets sharp and let cues come close
	 * together. */
	static const char *const cues[] = { "chime", "inhale", "exhale", "hold", "step" };
	for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++) {
		char *cue = xasprintf("%s/data/lull/sounds/%s.wav", h, cues[i]);
		assert_int_equal(fx_write_tone(cue, RATE, 1, 0.06, 2000, 0.3), 0);
		free(cue);
	}
	char *junk = xasprintf("%s/data/lull/sounds/junk.flac", h);
	FILE *f = fopen(junk, "w");
	fputs("fLaC but not really", f);
	fclose(f);
	free(junk);
	unsetenv("SSH_CONNECTION");
	return 0;
}

static int teardown(void **state)
{
	fx_home_remove();
	return 0;
}

/* RMS over each 10 ms (one period of the tone), from sample `from`. */
static double env_at(const float *x, long n, long at)
{
	if (at < 0 || at + 480 > n)
		return -1;
	return fx_rms(x, at, 480);
}

static bool wait_wake(struct audio *a, int ms)
{
	struct pollfd p = { .fd = audio_wake_fd(a), .events = POLLIN };
	if (p.fd < 0 || poll(&p, 1, ms) != 1)
		return false;
	char buf[64];
	while (read(p.fd, buf, sizeof buf) > 0)
		;
	return true;
}

static void test_live_wav(void **state)
{
	fx_realtime(); /* call times must not be held up by other work */
	char *out = xasprintf("%s/live.wav", fx_home());
	struct audio_options o = { .enabled = true, .driver = "wav", .output = out, .volume = 1.0f,
	                           .time_scale = 4 };
	double ta = fx_now();
	struct audio *a = audio_start(&o);
	double tb = fx_now();
	struct audio_snapshot s;
	audio_snapshot(a, &s);
	assert_false(s.silent);
	assert_string_equal(s.message, "");
	assert_true(audio_wake_fd(a) >= 0);
	fx_sleep(0.3); /* some silence first */

	double t_on = fx_now();
	audio_layer_on(a, "tone", 0.5f, 2.0, AUDIO_NOW); /* 2 session s at scale 4: 0.5 s */
	fx_sleep(1.0);
	double tc[4];
	for (int k = 0; k < 4; k++) {
		tc[k] = fx_now();
		if (k % 2)
			audio_cue(a, "chime", 1, AUDIO_NOW);
		else
			audio_cue(a, NULL, 1, AUDIO_NOW);
		fx_sleep(0.45);
	}
	double tp = fx_now();
	audio_pause(a, true);
	fx_sleep(0.5);
	double tr = fx_now();
	audio_pause(a, false);
	fx_sleep(1.0);
	audio_stop(a, 2000);

	long n;
	int rate;
	float *x = fx_read_mono(out, &n, &rate);
	assert_non_null(x);
	assert_int_equal(rate, RATE);
	/* A call at time t lands between these sample positions: the thread's
	 * clock started between ta and tb; it takes commands every 256 frames. */
#define LO(t) ((long)(((t) - tb) * RATE))
#define HI(t) ((long)(((t) - ta) * RATE) + 256 + 48)

	/* Fade-in: silent before, monotone, equal-power shape, 0.5 s long. */
	long on_lo = LO(t_on), on_hi = HI(t_on);
	assert_true(on_lo > 960);
	assert_true(env_at(x, n, on_lo - 960) < 1e-4);
	long p10 = -1, p90 = -1;
	double prev = 0;
	for (long i = on_lo - 480; i < on_hi + RATE * 6 / 10; i += 48) {
		double e = env_at(x, n, i);
		if (e < prev - 0.004)
			print_message("not monotone at %ld (on %ld..%ld): %f < %f\n", i, on_lo, on_hi, e, prev);
		assert_true(e >= prev - 0.004); /* monotone (10 ms windows overlap) */
		prev = e;
		if (p10 < 0 && e > 0.1 * TONE_RMS)
			p10 = i;
		if (p90 < 0 && e > 0.9 * TONE_RMS)
			p90 = i;
	}
	/* sin(pi t / 2) passes 10% at t = 0.064 and 90% at t = 0.713 of the fade:
	 * 0.325 s for a 0.5 s fade (a 2 s fade, unscaled, would take 1.3 s). */
	double span = (double)(p90 - p10) / RATE;
	print_message("fade-in 10%%-90%%: %.3f s (expect 0.325)\n", span);
	assert_true(fabs(span - 0.325) < 0.03);
	double level = env_at(x, n, on_hi + RATE / 2);
	assert_true(fabs(level - TONE_RMS) < 0.02 * TONE_RMS);

	/* Cue onsets where the calls were. */
	long on[8];
	size_t k = fx_onsets(x, n, RATE, 0.02f, 0.2, on, 8);
	assert_int_equal(k, 4);
	for (int i = 0; i < 4; i++) {
		print_message("cue %d: onset %ld, window [%ld, %ld]\n", i, on[i], LO(tc[i]), HI(tc[i]));
		assert_true(on[i] >= LO(tc[i]) && on[i] <= HI(tc[i]));
	}

	/* Pause: quiet within 0.2 s; resume: back to the level within 0.8 s. */
	assert_true(fx_rms(x, HI(tp) + RATE / 5, RATE / 5) < 0.002);
	assert_true(fabs(fx_rms(x, HI(tr) + 4 * RATE / 5, 4800) - TONE_RMS) < 0.03 * TONE_RMS);
	/* audio_stop faded out rather than cut: the last 10 ms are near silent. */
	assert_true(fx_rms(x, n - 480, 480) < 0.01);
	free(x);
	free(out);
#undef LO
#undef HI
}

/* The 10%-90% rise of a fade-in that starts after sample `from` (seconds;
 * -1 when it never gets there). */
static double rise_span(const float *x, long n, long from)
{
	long p10 = -1, p90 = -1;
	for (long i = from; i + 480 <= n && p90 < 0; i += 48) {
		double e = env_at(x, n, i);
		if (p10 < 0 && e > 0.1 * TONE_RMS)
			p10 = i;
		if (p10 >= 0 && e > 0.9 * TONE_RMS)
			p90 = i;
	}
	return p10 < 0 || p90 < 0 ? -1 : (double)(p90 - p10) / RATE;
}

/* LULL_TIME_SCALE has one reader, clock_scale_from_env(), which bounds it;
 * the engine plays at the scale it is given (here none: real time). A copy
 * of the parse in audio.c once read the variable again with no bound, so
 * that 20000 there turned a 0.5 s fade into 25 us. */
static void test_time_scale_one_reader(void **state)
{
	char *out = xasprintf("%s/scale.wav", fx_home());
	setenv("LULL_TIME_SCALE", "20000", 1);
	struct audio_options o = { .enabled = true, .driver = "wav", .output = out, .volume = 1.0f };
	struct audio *a = audio_start(&o);
	unsetenv("LULL_TIME_SCALE");
	audio_layer_on(a, "tone", 0.5f, 0.5, AUDIO_NOW);
	fx_sleep(1.2);
	audio_stop(a, 2000);
	long n;
	int rate;
	float *x = fx_read_mono(out, &n, &rate);
	assert_non_null(x);
	double span = rise_span(x, n, 0);
	print_message("fade-in 10%%-90%%: %.3f s (expect 0.325)\n", span);
	assert_true(fabs(span - 0.325) < 0.03);
	free(x);
	free(out);
}

static void test_keys_and_bad_sounds(void **state)
{
	char *out = xasprintf("%s/keys.wav", fx_home());
	struct audio_options o = { .enabled = true, .driver = "wav", .output = out, .volume = 0.5f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	struct audio_snapshot s;
	audio_layer_on(a, "tone", 0.5f, 0, AUDIO_NOW);
	audio_volume_step(a, +1);
	assert_true(wait_wake(a, 2000));
	audio_snapshot(a, &s);
	assert_true(fabsf(s.volume - 0.6f) < 1e-4f);
	audio_toggle_mute(a);
	assert_true(wait_wake(a, 2000));
	audio_snapshot(a, &s);
	assert_true(s.muted);

	audio_layer_on(a, "nosuch", 0.5f, 0, AUDIO_NOW);
	assert_true(wait_wake(a, 2000));
	audio_snapshot(a, &s);
	assert_string_equal(s.message, "nosuch: no such sound");
	audio_snapshot(a, &s);
	assert_string_equal(s.message, ""); /* said once */
	audio_volume_step(a, -1); /* a later change does not repeat it */
	assert_true(wait_wake(a, 2000));
	audio_snapshot(a, &s);
	assert_string_equal(s.message, "");
	assert_true(fabsf(s.volume - 0.5f) < 1e-4f);

	audio_layer_on(a, "junk", 0.5f, 0, AUDIO_NOW);
	assert_true(wait_wake(a, 2000));
	audio_snapshot(a, &s);
	assert_non_null(strstr(s.message, "junk.flac"));
	assert_false(s.silent); /* the tone goes on */
	audio_stop(a, 2000);
	free(out);
}

static void test_no_device(void **state)
{
	struct audio_options o = { .enabled = true, .driver = "nosuchdriver", .volume = 0.5f, .time_scale = 1 };
	double t = fx_now();
	struct audio *a = audio_start(&o);
	struct audio_snapshot s;
	audio_snapshot(a, &s);
	assert_true(s.silent);
	assert_non_null(strstr(s.message, "runs silent"));
	audio_cue(a, NULL, 1, AUDIO_NOW); /* harmless */
	audio_stop(a, 1000);
	assert_true(fx_now() - t < 0.5);

	o.enabled = false; /* --no-audio */
	a = audio_start(&o);
	audio_snapshot(a, &s);
	assert_true(s.silent);
	audio_toggle_mute(a);
	audio_snapshot(a, &s);
	assert_true(s.muted);
	audio_stop(a, 0);
}

/* Scheduled sound: a cue given a time ahead starts at that time's sample (the
 * file is paced like a device with no buffer, so sample positions are times);
 * a pause before a cue's time moves it later by the pause's length, as the
 * session clock moves; and nothing sounds at its old time. */
static void test_scheduled_wav(void **state)
{
	fx_realtime();
	char *out = xasprintf("%s/scheduled.wav", fx_home());
	struct audio_options o = { .enabled = true, .driver = "wav", .output = out, .volume = 1.0f,
	                           .time_scale = 1 };
	double ta = fx_now();
	struct audio *a = audio_start(&o);
	double tb = fx_now();
	assert_true(audio_lead_ns(a) > 0 && audio_lead_ns(a) < 50000000); /* no buffer: a few writes */
	double t1 = tb + 0.3, t2 = tb + 1.0;
	audio_cue(a, NULL, 1, (int64_t)(t1 * 1e9));
	audio_cue(a, NULL, 1, (int64_t)(t2 * 1e9));
	fx_sleep(tb + 0.45 - fx_now());
	double tp0 = fx_now();
	audio_pause(a, true);
	double tp1 = fx_now();
	fx_sleep(0.3);
	double tr0 = fx_now();
	audio_pause(a, false);
	double tr1 = fx_now();
	fx_sleep(t2 + 0.6 - fx_now() + (tr1 - tp0));
	audio_stop(a, 2000);

	long n;
	int rate;
	float *x = fx_read_mono(out, &n, &rate);
	assert_non_null(x);
	long on[8];
	size_t k = fx_onsets(x, n, RATE, 0.02f, 0.2, on, 8);
	assert_int_equal(k, 2);
	/* The thread's clock started between ta and tb. */
	long lo1 = (long)((t1 - tb) * RATE), hi1 = (long)((t1 - ta) * RATE) + 48;
	print_message("cue 1: onset %ld, window [%ld, %ld]\n", on[0], lo1, hi1);
	assert_true(on[0] >= lo1 && on[0] <= hi1);
	double shift_lo = tr0 - tp1, shift_hi = tr1 - tp0;
	long lo2 = (long)((t2 + shift_lo - tb) * RATE), hi2 = (long)((t2 + shift_hi - ta) * RATE) + 48;
	print_message("cue 2 (after a %.3f s pause): onset %ld, window [%ld, %ld]\n", shift_lo, on[1], lo2, hi2);
	assert_true(on[1] >= lo2 && on[1] <= hi2);
	free(x);
	free(out);
}

/* A device that hangs (here: a FIFO nobody reads, so even opening it blocks)
 * never delays exit: audio_start gives up waiting, audio_stop returns within
 * its limit and leaves the stuck thread behind. The device never answers,
 * so that each returns at all is the check; alarm(30) is a hang guard that
 * fails the test if one waits for it. The seconds are printed, a figure. */
static void test_stop_never_waits(void **state)
{
	char *fifo = xasprintf("%s/fifo", fx_home());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct audio_options o = { .enabled = true, .driver = "raw", .output = fifo, .volume = 0.5f, .time_scale = 1 };
	alarm(30);
	double t = fx_now();
	struct audio *a = audio_start(&o);
	double started = fx_now() - t;
	audio_layer_on(a, "tone", 0.5f, 0, AUDIO_NOW);
	t = fx_now();
	audio_stop(a, 200);
	double stopped = fx_now() - t;
	alarm(0);
	print_message("start gave up after %.2f s, stop returned after %.3f s\n", started, stopped);
	free(fifo);
}

/* The signal mask of this process's thread named `name` (the SigBlk line of
 * its status: a hex mask, bit n-1 for signal n); false if there is none. */
static bool thread_sigmask_of(const char *name, unsigned long long *mask)
{
	char status[4096];
	if (!fx_thread_file(name, "status", status, sizeof status))
		return false;
	const char *line = strstr(status, "SigBlk:");
	return line && sscanf(line, "SigBlk: %llx", mask) == 1;
}

/* No signal handler runs on the audio thread (one that interrupts a device
 * write makes it fail or come back short): it starts with every signal
 * blocked, and the caller's own mask is as it was. */
static void test_audio_thread_blocks_signals(void **state)
{
	sigset_t before, after;
	pthread_sigmask(SIG_SETMASK, NULL, &before);
	struct audio_options o = { .enabled = true, .driver = "null", .volume = 0.5f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	pthread_sigmask(SIG_SETMASK, NULL, &after);
	unsigned long long mask = 0;
	bool found = thread_sigmask_of("lull-audio", &mask);
	audio_stop(a, 1000);
	assert_true(found);
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD,
	                            SIGCONT, SIGTSTP, SIGWINCH, SIGUSR1, SIGUSR2 };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		if (!(mask >> (sigs[i] - 1) & 1))
			print_message("signal %d is not blocked on the audio thread (SigBlk %llx)\n", sigs[i], mask);
		assert_true(mask >> (sigs[i] - 1) & 1);
	}
	for (int sig = 1; sig < 32; sig++)
		assert_int_equal(sigismember(&before, sig), sigismember(&after, sig));
}

static void test_wanted(void **state)
{
	char why[160];
	unsetenv("PULSE_SERVER");
	setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22", 1);
	assert_false(audio_wanted(-1, why, sizeof why));
	assert_non_null(strstr(why, "SSH"));
	assert_true(audio_wanted(1, why, sizeof why));
	setenv("PULSE_SERVER", "tcp:localhost:4713", 1);
	assert_true(audio_wanted(-1, why, sizeof why));
	unsetenv("SSH_CONNECTION");
	unsetenv("PULSE_SERVER");
	assert_true(audio_wanted(-1, why, sizeof why));
	assert_false(audio_wanted(0, why, sizeof why));
	assert_true(why[0] != '\0');
}

/* The gain render brought its mix up or down by to reach -18 LUFS, from
 * what it said ("..., -18.0 LUFS (+2.7 dB), ..."), as a factor: the mix at
 * full volume is what it was, times this. 1 for silence (no level said). */
static double said_gain(const char *said)
{
	FILE *f = fopen(said, "r");
	assert_non_null(f);
	char line[512] = "";
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	const char *p = strstr(line, "LUFS (");
	return p ? pow(10, atof(p + 6) / 20) : 1;
}
static double rendered_gain; /* the last render's */

/* lull render: exact chime positions (every 4 s for box), length, fade-in. */
static void test_render(void **state)
{
	const char *bin = getenv("LULL_BIN");
	if (!bin)
		skip();
	char *out = xasprintf("%s/render.wav", fx_home());
	char *said = xasprintf("%s/render.said", fx_home());
	char *cmd = xasprintf("'%s' render box -o '%s' --cycles 2 --sound tone:0.5 --no-voice >'%s'", bin, out, said);
	double t = fx_now();
	assert_int_equal(system(cmd), 0);
	double took = fx_now() - t;
	free(cmd);
	long n;
	int rate;
	float *x = fx_read_mono(out, &n, &rate);
	assert_non_null(x);
	assert_int_equal(n, (long)(32.5 * RATE));
	/* Not paced in real time (32.5 s of sound): a condition load cannot
	 * break; how much faster is make bench-audio's render figure. */
	print_message("render took %.2f s\n", took);
	assert_true(took < 32.5);
	long on[16];
	size_t k = fx_onsets(x, n, RATE, 0.02f, 0.2, on, 16);
	assert_int_equal(k, 8);
	for (size_t i = 0; i < k; i++)
		assert_true(labs(on[i] - (long)(i * 4 * RATE)) < RATE * 3 / 1000);
	/* Fade-in over the first 10 s to the tone's level (the mix at full
	 * volume, brought to -18 LUFS by the gain render says), and a
	 * fade-out over the last 8 s (a quarter of 32 s). */
	double g = said_gain(said);
	free(said);
	double e1 = fx_rms(x, 1 * RATE + 2000, 480), e4 = fx_rms(x, (long)(4.5 * RATE), 480);
	double full = fx_rms(x, (long)(13.5 * RATE), 480);
	assert_true(fabs(full - g * TONE_RMS) < 0.05 * g * TONE_RMS);
	assert_true(e1 < e4 && e4 < full);
	assert_true(fx_rms(x, n - 4800, 480) < 0.01 * full);
	free(x);
	free(out);
}

/* Renders a program with the options given (a shell word list) to
 * $HOME/NAME.wav, without the voice (these are the cues' and the bed's
 * tests; test_voice.c has the voice's); returns the samples, channel 0. */

static float *render(const char *name, const char *opts, long *n)
{
	const char *bin = getenv("LULL_BIN");
	if (!bin)
		skip();
	char *out = xasprintf("%s/%s.wav", fx_home(), name);
	char *said = xasprintf("%s/%s.said", fx_home(), name);
	char *cmd = xasprintf("'%s' render %s -o '%s' --no-voice %s >'%s'", bin, name, out, opts, said);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	rendered_gain = said_gain(said);
	free(said);
	int rate;
	float *x = fx_read_mono(out, n, &rate);
	assert_non_null(x);
	assert_int_equal(rate, RATE);
	free(out);
	return x;
}

static void write_config(const char *text)
{
	char *cfg = xasprintf("%s/config/lull/config", fx_home());
	char *dir = xasprintf("%s/config/lull", fx_home());
	mkdir(dir, 0700);
	FILE *f = fopen(cfg, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(dir);
	free(cfg);
}

static void remove_config(void)
{
	char *cfg = xasprintf("%s/config/lull/config", fx_home());
	unlink(cfg);
	free(cfg);
}

/* The acceptance test of the one mapping: a render's cue onsets, measured in
 * the file, are the session's phase, step and chime times, read from the
 * same timeline the session screen follows (cues at one moment are one
 * onset). 478 has unequal phases (4, 7, 8 s); a guided program adds step
 * tones and a chime word before its breathing. */
static void check_onsets_are_timeline_times(const char *name, unsigned cycles, const char *opts)
{
	char err[256];
	struct program *p = catalog_load(name, err, sizeof err);
	if (!p)
		fail_msg("%s", err);
	if (cycles)
		assert_int_equal(program_set_breathing_length(p, cycles, 0, err, sizeof err), 0);
	struct timeline *tl = timeline_new(p, err, sizeof err);
	assert_non_null(tl);
	long want[64];
	size_t nwant = 0, cursor = 0;
	struct tl_event e;
	while (timeline_events(tl, &cursor, INT64_MAX, &e, 1) == 1) {
		bool step_tone = e.kind == TL_EV_STEP && p->steps[e.step].kind != STEP_BREATHE;
		long at = (long)(e.at * RATE / PACE_US_PER_S);
		if ((e.kind == TL_EV_BREATH || e.kind == TL_EV_CHIME || step_tone) && nwant < 64 &&
		    (nwant == 0 || want[nwant - 1] != at))
			want[nwant++] = at;
	}
	timeline_free(tl);
	program_free(p);

	long n;
	float *x = render(name, opts, &n);
	long on[64];
	/* Cues follow the fades (478's runs across its two cycles): a low
	 * threshold finds a faded cue at its first samples too. */
	size_t k = fx_onsets(x, n, RATE, 0.004f, 0.2, on, 64);
	assert_int_equal(k, nwant);
	long worst = 0;
	for (size_t i = 0; i < k; i++) {
		long d = on[i] - want[i];
		if (labs(d) > labs(worst))
			worst = d;
		if (labs(d) > 2)
			fail_msg("%s: cue %zu at sample %ld, the timeline says %ld", name, i, on[i], want[i]);
	}
	print_message("%s: %zu cues, worst onset %+ld samples from the timeline\n", name, k, worst);
	free(x);
}

static void test_render_onsets_are_phase_times(void **state)
{
	check_onsets_are_timeline_times("478", 2, "--cycles 2");
	/* A guided program of the user's: a chime word, then breathing. */
	char *dir = xasprintf("%s/config/lull/sessions", fx_home());
	char *mk = xasprintf("mkdir -p '%s'", dir);
	assert_int_equal(system(mk), 0);
	char *path = xasprintf("%s/cued.session", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("title \"Cued\"\ndescription \"A chime, then breathing.\"\n"
	      "guide 3s \"Settle.\"\nchime\nguide 2.5s \"Ready.\"\nbreathe 2-1-2.5-0 for 2 cycles\n", f);
	fclose(f);
	check_onsets_are_timeline_times("cued", 0, "--sound tone:0.2");
	unlink(path);
	free(path);
	free(mk);
	free(dir);
}

/* volume = 0 in the settings: a silent render, as the session is silent
 * (render used to take 0 for "not set" and play at 0.6). */
static void test_render_volume_zero_is_silent(void **state)
{
	write_config("volume = 0\n");
	long n;
	float *x = render("box", "--cycles 1 --sound tone:0.5", &n);
	remove_config();
	double rms = fx_rms(x, 0, n);
	print_message("volume 0: RMS %.6f over %ld samples\n", rms, n);
	assert_true(rms < 1e-6);
	free(x);
}

/* A program that fades the bed out from its first second (as 478 did
 * before it began with Weil's set-up): the bed rises, then falls across the
 * session (it used to be faded from silence to silence). */
static void test_render_478_bed_rises_then_fades(void **state)
{
	char *path = xasprintf("%s/config/lull/sessions/fading.session", fx_home());
	char *mk = xasprintf("mkdir -p '%s/config/lull/sessions'", fx_home());
	assert_int_equal(system(mk), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("tags breathing sleep\nfadeout 2m30s\nbreathe 4-7-8 for 8 cycles\n", f);
	fclose(f);
	long n;
	float *x = render("fading", "--cycles 2 --sound tone:0.5", &n);
	unlink(path);
	free(path);
	free(mk);
	/* Between the chimes (0, 4, 11, 19, 23, 30 s) and away from the
	 * tone's loop point (every 10 s). */
	double risen = fx_rms(x, (long)(10.5 * RATE), 480);
	double mid = fx_rms(x, (long)(17 * RATE), 480);
	double late = fx_rms(x, (long)(35 * RATE), 480);
	double end = fx_rms(x, (long)(37.9 * RATE), 480);
	print_message("478 bed: %.4f at 10.5 s, %.4f at 17 s, %.4f at 35 s, %.4f at 37.9 s (full %.4f)\n",
		      risen, mid, late, end, rendered_gain * TONE_RMS);
	assert_true(fabs(risen - rendered_gain * TONE_RMS) < 0.02 * rendered_gain * TONE_RMS);
	assert_true(mid < risen && mid > 0.3 * risen);
	assert_true(late < mid && late > 0);
	assert_true(end < 0.05 * risen);
	free(x);
}

/* The sleep program with its cues on (as they are by default now): the
 * tones fall with the bed's fade, each no louder than the one before, and
 * the last two minutes are silent. They used to ring at full level to the
 * end, some 110 of them. */
static void test_render_sleep_cues_fade_to_silence(void **state)
{
	write_config("cues = yes\n");
	char err[256];
	struct program *p = catalog_load("sleep", err, sizeof err);
	assert_non_null(p);
	struct timeline *tl = timeline_new(p, err, sizeof err);
	assert_non_null(tl);
	long total = (long)(timeline_total(tl) * RATE / PACE_US_PER_S);
	long n;
	float *x = render("sleep", "", &n);
	remove_config();
	double prev = 1, first = 0, last_db = 0;
	size_t cursor = 0, rung = 0;
	long last_at = 0;
	struct tl_event e;
	while (timeline_events(tl, &cursor, INT64_MAX, &e, 1) == 1) {
		if (e.kind != TL_EV_BREATH)
			continue;
		long at = (long)(e.at * RATE / PACE_US_PER_S);
		double peak = 0;
		for (long i = at; i < at + RATE / 10 && i < n; i++)
			peak = fmax(peak, fabs(x[i]));
		if (peak == 0)
			continue; /* left out: faded too far */
		if (!rung++)
			first = peak;
		if (rung % 10 == 1)
			print_message("cue at %5.1f s: peak %6.1f dBFS\n", (double)at / RATE, 20 * log10(peak));
		assert_true(peak <= prev * 1.01); /* never louder than the one before */
		prev = peak;
		last_at = at;
		last_db = 20 * log10(peak / first);
	}
	double tail = 0;
	for (long i = total - 120 * RATE; i < n; i++)
		tail = fmax(tail, fabs(x[i]));
	print_message("sleep: %zu cues, the last at %.0f s (%.1f dB under the first), then %.0f s of silence "
		      "(peak %g)\n", rung, (double)last_at / RATE, last_db, (double)(n - last_at) / RATE, tail);
	assert_true(rung > 60);
	assert_true(last_db < -6); /* they did fade */
	assert_true(tail == 0);     /* true silence in the last two minutes */
	timeline_free(tl);
	program_free(p);
	free(x);
}

/* --sound none: the cues and nothing else, though the settings name a bed. */
static void test_render_sound_none(void **state)
{
	write_config("sounds = tone:0.5\n");
	long n;
	float *x = render("box", "--cycles 1 --sound none", &n);
	float *bed = render("box", "--cycles 1", &n);
	remove_config();
	long on[8];
	assert_int_equal(fx_onsets(x, n, RATE, 0.02f, 0.2, on, 8), 4);
	/* Between the cues (each 60 ms): nothing; with the bed: the bed. */
	double rms = fx_rms(x, 2 * RATE, RATE), with = fx_rms(bed, 6 * RATE, RATE);
	print_message("--sound none: RMS %.6f between the cues (with the bed: %.4f)\n", rms, with);
	assert_true(rms == 0);
	assert_true(with > 0.1 * TONE_RMS);
	free(bed);
	free(x);
}

/* Every format the installed libsndfile writes, by the file name's ending:
 * the render reads back with its length and rate, and says what it wrote.
 * WAV, FLAC and Ogg Vorbis at least (Debian 12's writes Opus and MP3 too). */
static void test_render_formats_round_trip(void **state)
{
	const char *bin = getenv("LULL_BIN");
	if (!bin)
		skip();
	const char *ext[8];
	size_t n = output_file_formats(ext, 8, RATE, 2);
	bool want[3] = { false };
	for (size_t i = 0; i < n; i++) {
		want[0] |= strcmp(ext[i], "wav") == 0;
		want[1] |= strcmp(ext[i], "flac") == 0;
		want[2] |= strcmp(ext[i], "ogg") == 0;
		char *out = xasprintf("%s/box.%s", fx_home(), ext[i]);
		char *log = xasprintf("%s/render.out", fx_home());
		char *cmd = xasprintf("'%s' render box -o '%s' --cycles 1 --sound tone:0.5 --no-voice >'%s'", bin, out, log);
		assert_int_equal(system(cmd), 0);
		FILE *f = fopen(log, "r");
		char said[200] = "";
		assert_non_null(fgets(said, sizeof said, f));
		fclose(f);
		SF_INFO si = { 0 };
		SNDFILE *sf = sf_open(out, SFM_READ, &si);
		assert_non_null(sf);
		float buf[2 * 4800];
		sf_count_t got = sf_readf_float(sf, buf, 4800);
		sf_close(sf);
		print_message("%-4s %ld frames at %d Hz, %d channels, format %#x: %s", ext[i], (long)si.frames,
			      si.samplerate, si.channels, (unsigned)si.format, said);
		assert_int_equal(si.samplerate, RATE);
		assert_int_equal(si.channels, 2);
		assert_int_equal(si.frames, (sf_count_t)(16.5 * RATE)); /* 16 s and half a second of ring */
		assert_int_equal(got, 4800);
		assert_non_null(strstr(said, ", 48000 Hz stereo "));
		free(cmd);
		free(log);
		free(out);
	}
	assert_true(want[0] && want[1] && want[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_wav),
		cmocka_unit_test(test_keys_and_bad_sounds),
		cmocka_unit_test(test_time_scale_one_reader),
		cmocka_unit_test(test_scheduled_wav),
		cmocka_unit_test(test_no_device),
		cmocka_unit_test(test_stop_never_waits),
		cmocka_unit_test(test_audio_thread_blocks_signals),
		cmocka_unit_test(test_wanted),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_onsets_are_phase_times),
		cmocka_unit_test(test_render_volume_zero_is_silent),
		cmocka_unit_test(test_render_478_bed_rises_then_fades),
		cmocka_unit_test(test_render_sleep_cues_fade_to_silence),
		cmocka_unit_test(test_render_formats_round_trip),
		cmocka_unit_test(test_render_sound_none),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
