/* SPDX-License-Identifier: ISC */
/* The whole chain, as a person hears it: `lull start` in a pseudo-terminal,
 * sound to a real PulseAudio server (a private one, null sink), named with
 * --audio-driver pulse and by the default path, and by the default path
 * through a real PipeWire with its pulse layer; the sink's monitor
 * recorded. Checked:
 *  - each phase change's chime starts within 30 ms of the moment the new
 *    phase word reached the screen (the harness time-stamps every byte),
 *    although the sound crosses a 200 ms buffer: the session schedules it;
 *  - the ambient layer fades in (rising over the session's 3 s fade-in) and
 *    then holds its level, within 0.5 dB of what its volume says;
 *  - paused and resumed mid-session, the chimes still come with the words,
 *    none sounds in the pause, and the bed is silent while paused.
 * Exits 77 without pulseaudio, pactl or parec. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fixture.h"
#include "harness.h"
#include "session_env.h"
#include "paths.h"
#include "util.h"

#define RATE 48000

/* Phases of 1 s: Inhale, Hold, Exhale, Inhale, Hold, Exhale (hold-empty 0). */
static const char program[] =
	"title \"Quick\"\n"
	"description \"Six one-second phases.\"\n"
	"tags breathing\n"
	"breathe 1-1-1-0 for 2 cycles\n";
static const char *const words[] = { "Inhale", "Hold", "Exhale" };
#define NPHASES 6

/* The sounds and the program, in the private home. */
static const char *setup_home(void)
{
	const char *h = fx_home();
	/* A low bed and short, bright phase tones (the user's folder shadows
	 * the built-in ones): sharp onsets over a steady level. */
	char *p = xasprintf("%s/data/lull/sounds/bed.wav", h);
	assert_int_equal(fx_write_tone(p, RATE, 1, 10, 100, 0.5), 0);
	free(p);
	static const char *const cues[] = { "chime", "inhale", "exhale", "hold" };
	for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++) {
		p = xasprintf("%s/data/lull/sounds/%s.wav", h, cues[i]);
		assert_int_equal(fx_write_tone(p, RATE, 1, 0.06, 2000, 0.3), 0);
		free(p);
	}
	char *dir = xasprintf("%s/config/lull/sessions", h);
	assert_int_equal(paths_mkdir_p(dir, 0700), 0);
	p = xasprintf("%s/quick.session", dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(program, f);
	fclose(f);
	free(p);
	free(dir);
	return h;
}

static int setup(void **state)
{
	if (!fx_have("pulseaudio") || !fx_have("pactl") || !fx_have("parec")) {
		print_message("SKIP: pulseaudio, pactl or parec missing (apt-get install pulseaudio pulseaudio-utils)\n");
		exit(77);
	}
	const char *h = setup_home();
	if (fx_pulse_start() != 0) {
		print_error("pulseaudio did not start; see %s/pulse.log\n", h);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	fx_pulse_stop();
	fx_home_remove();
	return 0;
}

static int setup_pipewire(void **state)
{
	if (!fx_have_pipewire()) {
		print_message("SKIP: pipewire, wireplumber, pipewire-pulse or dbus-daemon missing "
			      "(apt-get install pipewire pipewire-pulse wireplumber dbus)\n");
		exit(77);
	}
	const char *h = setup_home();
	if (fx_pipewire_start() != 0) {
		print_error("pipewire did not start; see %s/pipewire.log\n", h);
		return -1;
	}
	return 0;
}

static int teardown_pipewire(void **state)
{
	fx_pipewire_stop();
	fx_home_remove();
	return 0;
}

/* Pause the session during the second phase (see attempt). */
static bool with_pause;
/* Compare what is heard with `lull render` of the same program (see attempt). */
static bool against_render;
/* No --audio-driver: the way a person starts it (see attempt). */
static bool default_driver;

/* The bed as `lull render` records the quick program under the same
 * settings: one sample a 0.2 s window at s + 0.4 s, as attempt measures. */
static void render_levels(double *level, int nlevels, const double *at)
{
	char *out = xasprintf("%s/quick.wav", fx_home());
	char *said = xasprintf("%s/quick.said", fx_home());
	char *cmd = xasprintf("'%s' render quick -o '%s' --sound bed:0.5 >'%s'", pty_lull_path(), out, said);
	assert_int_equal(system(cmd), 0);
	/* The file is the mix at full volume brought to -18 LUFS by the
	 * gain render says ("-18.0 LUFS (+2.7 dB)"): the session at volume
	 * 100 is the file without it. */
	FILE *f = fopen(said, "r");
	assert_non_null(f);
	char line[512] = "";
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	const char *p = strstr(line, "LUFS (");
	assert_non_null(p);
	double gain = pow(10, atof(p + 6) / 20);
	free(said);
	long n;
	int rate;
	float *x = fx_read_mono(out, &n, &rate);
	assert_non_null(x);
	for (int i = 0; i < nlevels; i++)
		level[i] = fx_rms(x, (long)(at[i] * RATE), RATE / 5) / gain;
	free(x);
	free(cmd);
	free(out);
}

/* One session; NULL or what failed. */
#define CHECK(cond) do { if (!(cond)) { failed = #cond; goto out; } } while (0)
static const char *attempt(void)
{
	const char *failed = NULL;
	assert_int_equal(fx_rec_start(), 0);
	assert_true(fx_rec_wait(0.2, 10));
	/* PULSE_SERVER and the private HOME/XDG_* are in this process's
	 * environment: the child inherits them. Master volume 100%. */
	char *cfg = xasprintf("%s/config/lull/config", fx_home());
	FILE *f = fopen(cfg, "w");
	assert_non_null(f);
	fputs("volume = 100\ncues = yes\n", f);
	fclose(f);
	free(cfg);
	const char *named[] = { pty_lull_path(), "start", "quick", "--audio", "--audio-driver", "pulse",
				"--sound", "bed:0.5", NULL };
	const char *plain[] = { pty_lull_path(), "start", "quick", "--audio", "--sound", "bed:0.5", NULL };
	const char *const *argv = default_driver ? plain : named;
	const char *env[] = { "LULL_TIME_SCALE", "SSH_CONNECTION", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	double t_word[NPHASES];
	double t_pause = 0, t_resume = 0;
	for (int k = 0; k < NPHASES; k++) {
		assert_true(session_wait_phase_word(p, words[k % 3], 30000));
		t_word[k] = session_last_chunk_time(p);
		if (with_pause && k == 1) {
			/* 0.3 s into the Hold, pause for 1 s: the next chime
			 * is not yet sent (it goes one lead, 0.3 s, ahead). */
			fx_sleep(t_word[k] + 0.3 - fx_now());
			t_pause = fx_now();
			pty_send(p, " ");
			assert_true(pty_wait_text(p, "Paused", 30000));
			fx_sleep(t_pause + 1.0 - fx_now());
			t_resume = fx_now();
			pty_send(p, " ");
		}
	}
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(p);
	fx_sleep(0.1);
	long n;
	double t0;
	float *x = fx_rec_stop(&n, &t0);
	assert_non_null(x);
#define AT(t) ((long)(((t) - t0) * RATE))

	/* Chimes: an onset within 30 ms of each phase word's arrival, before
	 * or after (sound is scheduled for the phase's time; the word takes a
	 * millisecond or two to be drawn and read). */
	long on[4 * NPHASES];
	size_t k = fx_onsets(x, n, RATE, 0.02f, 0.3, on, 4 * NPHASES);
	for (size_t j = 0; j < k; j++)
		print_message("onset %zu at %+.1f ms from the first word\n", j,
			      ((double)on[j] / RATE + t0 - t_word[0]) * 1000);
	double worst = 0;
	for (int i = 0; i < NPHASES; i++) {
		double best = 1e9;
		for (size_t j = 0; j < k; j++) {
			double d = ((double)on[j] / RATE + t0 - t_word[i]) * 1000;
			if (fabs(d) < fabs(best))
				best = d;
		}
		print_message("%s (phase %d): chime %+.1f ms from the word\n", words[i % 3], i + 1, best);
		CHECK(fabs(best) <= 30);
		if (fabs(best) > fabs(worst))
			worst = best;
	}
	print_message("worst chime-to-screen offset %.1f ms\n", worst);

	if (against_render) {
		/* The session sounds like its recording: the same rise over
		 * the first half (3 s), the same level, the same closing fall
		 * over the last quarter (it used to rise over 3 s where the
		 * render rose over 1.5 s, and never fall). */
		static const double at[] = { 0.4, 1.4, 2.4, 3.4, 4.4, 5.2, 5.6 };
		enum { NAT = sizeof at / sizeof at[0] };
		double want[NAT];
		render_levels(want, NAT, at);
		for (int i = 0; i < NAT; i++) {
			double got = fx_rms(x, AT(t_word[0] + at[i]), RATE / 5);
			double db = 20 * log10(got / want[i]);
			print_message("bed %.1f-%.1f s: session %.4f, render %.4f (%+.2f dB)\n",
				      at[i], at[i] + 0.2, got, want[i], db);
			CHECK(fabs(db) < 1);
		}
		goto out;
	}

	if (with_pause) {
		/* One chime a phase, none of them in the pause; and the pause is
		 * heard: the bed fades out (within a buffer and the 0.15 s fade
		 * of the key) and stays out until the resume. */
		CHECK(k == NPHASES);
		double quiet = fx_rms(x, AT(t_pause + 0.5), (long)((t_resume - t_pause - 0.5) * RATE));
		print_message("bed while paused (%.2f-%.2f s after the key): %.5f\n", 0.5, t_resume - t_pause, quiet);
		CHECK(quiet < 0.002);
		goto out;
	}

	/* The bed: rising through the session's 3 s fade-in, then steady at
	 * its level (a 0.5 sine at layer volume 0.5, master 100%). Measured
	 * between the chimes (2 kHz bursts), away from the phase changes. */
	const double bed_rms = 0.5 * 0.5 / M_SQRT2;
	double prev = 0;
	for (int s = 0; s < 5; s++) {
		double e = fx_rms(x, AT(t_word[0] + s + 0.4), RATE / 5);
		print_message("bed level %d.4-%d.6 s: %.4f (full: %.4f)\n", s, s, e, bed_rms);
		if (s < 3)
			CHECK(e > prev * 1.05 && e < bed_rms);  /* fading in */
		else
			CHECK(fabs(20 * log10(e / bed_rms)) < 0.5); /* arrived, holding */
		prev = e;
	}
out:
	free(x);
	return failed;
#undef AT
}

static void session_chimes_follow_the_screen(void **state)
{
	fx_realtime();
	const char *failed = fx_twice(attempt);
	if (failed)
		fail_msg("%s", failed);
}

/* attempt (twice if need be) with one of its variants on. */
static void attempt_with(bool *variant)
{
	fx_realtime();
	*variant = true;
	const char *failed = fx_twice(attempt);
	*variant = false;
	if (failed)
		fail_msg("%s", failed);
}

/* Paused and resumed in the second phase: the later chimes move with the
 * screen. */
static void session_pause_moves_chimes_with_the_screen(void **state)
{
	attempt_with(&with_pause);
}

/* The session and its render: one plan of what is heard when. */
static void session_sounds_like_its_render(void **state)
{
	attempt_with(&against_render);
}

/* `lull sounds` names the way sound goes: here, the server's. */
static void says_it_plays_through_pulse(void)
{
	char *cmd = xasprintf("'%s' sounds 2>&1", pty_lull_path());
	FILE *p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	char line[512], said[512] = "";
	bool pulse = false;
	while (fgets(line, sizeof line, p)) {
		if (strncmp(line, "Sound plays through: ", 21) == 0) {
			snprintf(said, sizeof said, "%s", line);
			pulse = strncmp(line + 21, "pulse ", 6) == 0;
		}
	}
	pclose(p);
	if (!pulse)
		fail_msg("lull sounds said: %s", *said ? said : "(no 'Sound plays through' line)\n");
}

/* No driver named, as `lull start` is run: a pulse server answers, so lull
 * plays through its own stream, whatever libao's default (Debian's is
 * alsa), and the chimes keep time. Under PulseAudio here, and under
 * PipeWire's pulse layer below. */
static void default_path_chimes_follow_the_screen(void **state)
{
	says_it_plays_through_pulse();
	attempt_with(&default_driver);
}

static void default_path_under_pipewire(void **state)
{
	says_it_plays_through_pulse();
	attempt_with(&default_driver);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(session_chimes_follow_the_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(session_pause_moves_chimes_with_the_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(session_sounds_like_its_render, setup, teardown),
		cmocka_unit_test_setup_teardown(default_path_chimes_follow_the_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(default_path_under_pipewire, setup_pipewire, teardown_pipewire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
