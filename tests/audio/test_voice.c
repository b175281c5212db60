/* SPDX-License-Identifier: ISC */
/* The spoken guide end to end, with the real synthesiser (lull-voice):
 *  - lull render: each line's onset against its step's start, sample by
 *    sample in the file (target: within 30 ms; median and worst printed);
 *  - the cache: a second render makes nothing (it runs with no
 *    synthesiser at all, and writes the same bytes); with no synthesiser
 *    and nothing cached, one message and no voice;
 *  - recordings: a line's own file plays instead of the voice; a missing
 *    one is said once and the voice says the line;
 *  - voice_breath: a word at each breath phase, at its start;
 *  - lull check: a line longer than its step is a warning at FILE:LINE:COL
 *    with both lengths (lull show: at the line it prints); lines that fit
 *    say nothing; voice_fit_lines gives the lengths a render plays;
 *  - words (the shuffle's): through the master volume, as a program's
 *    volume word sets it;
 *  - the safety note: render says it first, the program two seconds after
 *    it; lull start's safety page says it as it shows, and stops at the key;
 *  - audio_say: a text outside the plan heard at its time;
 *  - lull start through a private PulseAudio: each line's onset at the
 *    sink against the moment its step's line was printed (within 30 ms).
 * Exits 77 without the synthesiser (./configure --without-voice). */
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
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio.h"
#include "fixture.h"
#include "harness.h"
#include "parse.h"
#include "paths.h"
#include "session_env.h"
#include "speech.h"
#include "util.h"
#include "voice.h"

#define RATE 48000

/* Five lines: four guide lines and a say line (at the breathing's start). */
static const char program[] =
	"title \"Spoken\"\n"
	"guide 3s \"Rest now.\"\n"
	"guide 3s \"Let go.\"\n"
	"guide 3s \"Breathe out slowly.\"\n"
	"say \"In, and out.\"\n"
	"breathe 2-0-2-0 for 2 cycles\n"
	"guide 3s \"Good.\"\n";
static const char *const texts[] = { "Rest now.", "Let go.", "Breathe out slowly.", "In, and out.", "Good." };
static const double starts[] = { 0, 3, 6, 9, 17 };
#define NLINES 5

static char *path_in_home(const char *leaf)
{
	return xasprintf("%s/%s", fx_home(), leaf);
}

static void write_file(const char *leaf, const char *text)
{
	assert_int_equal(fx_write_file(leaf, text), 0);
}

static int setup(void **state)
{
	if (!voice_built()) {
		print_message("SKIP: built without a voice\n");
		exit(77);
	}
	fx_home();
	/* A cache of this test's own: the cold case is part of what is tested. */
	char *cache = path_in_home("cache");
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
	write_file("config/lull/sessions/spoken.session", program);
	/* Voice alone: no bed, no chimes, the master at 100%. */
	write_file("config/lull/config", "sounds =\ncues = no\nvolume = 100\n");
	return 0;
}

static int teardown(void **state)
{
	fx_home_remove();
	return 0;
}

/* lull render NAME with opts and an environment prefix; the samples. */
static float *render(const char *name, const char *env, const char *opts, long *n, char **err)
{
	char *out = xasprintf("%s/%s.wav", fx_home(), name);
	char *errf = path_in_home("render.err");
	char *cmd = xasprintf("%s '%s' render %s -o '%s' %s >/dev/null 2>'%s'", env ? env : "", getenv("LULL_BIN"),
			      name, out, opts ? opts : "", errf);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	if (err) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = fopen(errf, "r");
		assert_non_null(f);
		if (getdelim(&buf, &len, '\0', f) < 0) { /* nothing written */
			free(buf);
			buf = NULL;
		}
		fclose(f);
		*err = buf ? buf : xstrdup("");
	}
	free(errf);
	int rate;
	float *x = fx_read_mono(out, n, &rate);
	assert_non_null(x);
	assert_int_equal(rate, RATE);
	free(out);
	return x;
}

/* Speech onsets: the first sample above thresh after 0.8 s below it (the
 * pauses within a line are shorter). Not high-passed, as a cue's onset is:
 * a voiced consonant ("Let", "Breathe") has little above 500 Hz in its
 * first tens of milliseconds. */
static size_t onsets_above(const float *x, long n, float thresh, long *on, size_t max)
{
	long gap = (long)(0.8 * RATE), quiet = gap;
	size_t k = 0;
	for (long i = 0; i < n; i++) {
		if (fabsf(x[i]) > thresh) {
			if (quiet >= gap && k < max)
				on[k++] = i;
			quiet = 0;
		} else {
			quiet++;
		}
	}
	return k;
}

/* A line's onset: above -42 dBFS. */
static size_t speech_onsets(const float *x, long n, long *on, size_t max)
{
	return onsets_above(x, n, 0.008f, on, max);
}

/* Offsets in ms of the onsets from their steps; checks each is within
 * 30 ms and prints the median and the worst. */
static void check_offsets(const char *what, const long *on, size_t k, double t0_s)
{
	assert_int_equal(k, NLINES);
	double d[NLINES], worst = 0;
	for (size_t i = 0; i < k; i++) {
		d[i] = ((double)on[i] / RATE - t0_s - starts[i]) * 1000;
		print_message("%s: \"%s\" starts %+.1f ms from its step\n", what, texts[i], d[i]);
		if (fabs(d[i]) > fabs(worst))
			worst = d[i];
	}
	print_message("%s: spoken onsets from their steps: median %+.1f ms, worst %+.1f ms (target 30)\n", what,
		      fx_median(d, (int)k), worst);
	assert_true(fabs(worst) <= 30);
}

static void render_speaks_each_line_at_its_step(void **state)
{
	long n;
	char *err;
	float *x = render("spoken", NULL, NULL, &n, &err);
	assert_string_equal(err, ""); /* made cold, with nothing to say about it */
	free(err);
	long on[16];
	size_t k = speech_onsets(x, n, on, 16);
	check_offsets("render", on, k, 0);
	free(x);
}

static void a_second_render_makes_nothing(void **state)
{
	long n1, n2;
	float *a = render("spoken", NULL, NULL, &n1, NULL);
	/* Everything is in the cache: no synthesiser is needed at all. */
	char *err;
	float *b = render("spoken", "LULL_VOICE_HELPER=/nonexistent/lull-voice", NULL, &n2, &err);
	assert_string_equal(err, "");
	free(err);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, sizeof(float) * (size_t)n1);
	free(a);
	free(b);
	/* And the cache is private: 0700, its files 0600. */
	char *dir = path_in_home("cache/lull/voice");
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	char *cmd = xasprintf("test -z \"$(find '%s' -type f ! -perm 0600)\" && test -n \"$(ls '%s')\"", dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

static void no_synthesiser_one_message_no_voice(void **state)
{
	long n;
	char *err;
	char *env = xasprintf("XDG_CACHE_HOME='%s/cold' LULL_VOICE_HELPER=/nonexistent/lull-voice", fx_home());
	float *x = render("spoken", env, NULL, &n, &err);
	free(env);
	print_message("stderr: %s", err);
	assert_non_null(strstr(err, "/nonexistent/lull-voice is missing"));
	assert_null(strstr(strstr(err, "missing") + 1, "missing")); /* said once */
	assert_true(fx_rms(x, 0, n) == 0);
	free(err);
	free(x);
}

/* Four lines 3 s apart, the second as given: how many are heard, and what
 * the render said. */
static size_t render_four(const char *second, const char *env, char **err)
{
	char *prog = xasprintf("title \"Four\"\nguide 3s \"Rest now.\"\nguide 3s \"%s\"\n"
			       "guide 3s \"Let go.\"\nguide 3s \"Good.\"\n", second);
	write_file("config/lull/sessions/four.session", prog);
	free(prog);
	long n;
	float *x = render("four", env, NULL, &n, err);
	long on[16];
	size_t k = speech_onsets(x, n, on, 16);
	print_message("stderr: %s", *err);
	for (size_t i = 0; i < k; i++)
		print_message("a line starts at %.2f s\n", (double)on[i] / RATE);
	free(x);
	return k;
}

/* A line ending in 400 dots overran a buffer in flite: the synthesiser
 * died on it, and nothing after it was said. */
static void a_line_of_dots_is_said_and_the_rest_too(void **state)
{
	char line[512];
	int k = snprintf(line, sizeof line, "Breathe in");
	memset(line + k, '.', 400);
	line[k + 400] = '\0';
	char *err;
	assert_int_equal(render_four(line, NULL, &err), 4);
	assert_null(strstr(err, "stopped"));
	free(err);
}

/* A synthesiser that dies on a line all the same (here one that kills
 * itself on "CRASH"): that line is skipped and named, the rest said. */
static void a_synthesiser_that_dies_is_started_again(void **state)
{
	char *script = xasprintf("#!/bin/sh\n"
				 "dir=\n"
				 "while [ $# -gt 0 ]; do [ \"$1\" = --cache ] && dir=$2; shift; done\n"
				 "while IFS= read -r line; do\n"
				 "  key=${line%%%% *}; text=${line#* }; key=${key#!}\n"
				 "  echo \"$key doing\"\n"
				 "  case $text in *CRASH*) kill -SEGV $$;; esac\n"
				 "  if s=$('%s' --say \"$text\" -o \"$dir/$key.flac\"); then echo \"$key ok $s\";\n"
				 "  else echo \"$key error cannot\"; fi\n"
				 "done\n", getenv("LULL_VOICE_HELPER"));
	write_file("crashing-voice", script);
	free(script);
	char *path = path_in_home("crashing-voice");
	assert_int_equal(chmod(path, 0700), 0);
	char *env = xasprintf("XDG_CACHE_HOME='%s/crashing' LULL_VOICE_HELPER='%s'", fx_home(), path);
	char *err;
	assert_int_equal(render_four("CRASH here.", env, &err), 3);
	assert_non_null(strstr(err, "CRASH here."));
	assert_non_null(strstr(err, "stopped on this line"));
	free(err);
	free(env);
	free(path);
}

/* lull check of a two-line program under env, with a hang guard of 30 s
 * (a guard only: a run takes a second or two); what it said. */
static char *check_guarded(const char *env)
{
	write_file("two.session", "title \"Two\"\nguide 3s \"Rest now.\"\nguide 3s \"Let go.\"\n");
	char *file = path_in_home("two.session"), *errf = path_in_home("check.err");
	char *cmd = xasprintf("%s timeout 30 '%s' check '%s' >/dev/null 2>'%s'", env, getenv("LULL_BIN"), file, errf);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_not_equal(WEXITSTATUS(rc), 124); /* not hung */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(errf, "r");
	assert_non_null(f);
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = xstrdup("");
	}
	fclose(f);
	print_message("stderr: %s", buf);
	free(cmd);
	free(file);
	free(errf);
	return buf;
}

/* A reply longer than lull's buffer (an error naming a long cache path)
 * was cut up and never matched: lull check waited for it for ever. */
static void a_reply_of_any_length_is_read(void **state)
{
	write_file("long-reply-voice", "#!/bin/sh\n"
				       "while IFS= read -r line; do key=${line%% *}; key=${key#!}\n"
				       "  echo \"$key doing\"\n"
				       "  printf '%s error /%05000d: No space left on device\\n' \"$key\" 0\n"
				       "done\n");
	char *path = path_in_home("long-reply-voice");
	assert_int_equal(chmod(path, 0700), 0);
	char *env = xasprintf("XDG_CACHE_HOME='%s/long-reply' LULL_VOICE_HELPER='%s'", fx_home(), path);
	char *err = check_guarded(env);
	assert_non_null(strstr(err, "two.session:2:"));
	assert_non_null(strstr(err, "the spoken length is not checked: voice: /00000"));
	free(err);
	free(env);
	free(path);
}

/* A voice file that is a FIFO held the synthesiser at its open, and lull
 * check with it, for ever: it is refused, as any file that is not a
 * regular one. */
static void a_voice_file_that_is_a_fifo_is_refused(void **state)
{
	char *fifo = path_in_home("voice.flitevox");
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	char *conf = xasprintf("sounds =\ncues = no\nvoice_name = %s\n", fifo);
	write_file("fifo-config/lull/config", conf);
	char *env = xasprintf("XDG_CONFIG_HOME='%s/fifo-config' XDG_CACHE_HOME='%s/fifo-cache'", fx_home(), fx_home());
	char *err = check_guarded(env);
	assert_non_null(strstr(err, "voice.flitevox: not a regular file"));
	free(err);
	/* And the synthesiser refuses it too, should it be asked directly. */
	char *cmd = xasprintf("timeout 30 '%s' --say hello -o '%s/x.wav' --voice '%s' 2>&1 | grep -q 'not a regular file'",
			      getenv("LULL_VOICE_HELPER"), fx_home(), fifo);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(env);
	free(conf);
	free(fifo);
}

/* A cache folder made untrusted by how (a link to a folder anyone can
 * write to, mode 0777, another owner), with a file planted under the key of
 * a line: the line must be made, never read from there. */
static void planted(const char *how)
{
	char *cache = xasprintf("%s/cache-%s", fx_home(), how), *lull = xasprintf("%s/lull", cache);
	char *dir = xasprintf("%s/voice", lull), *open_dir = xasprintf("%s/open-%s", fx_home(), how);
	char *keep = xasprintf("cache-%s/lull/.keep", how);
	assert_int_equal(fx_write_file(keep, ""), 0);
	free(keep);
	assert_int_equal(chmod(lull, 0700), 0);
	if (strcmp(how, "link") == 0) {
		assert_int_equal(mkdir(open_dir, 0777), 0);
		assert_int_equal(chmod(open_dir, 0777), 0);
		assert_int_equal(symlink(open_dir, dir), 0);
	} else {
		assert_int_equal(mkdir(dir, 0700), 0);
		if (strcmp(how, "0777") == 0)
			assert_int_equal(chmod(dir, 0777), 0);
		else
			assert_int_equal(chown(dir, 65534, 65534), 0);
	}
	struct voice_cfg cfg;
	voice_cfg_default(&cfg);
	char key[SPEECH_KEY_LEN + 1];
	struct speech_voice sv = { .id = cfg.name, .rate = cfg.rate, .pitch = cfg.pitch };
	speech_key(&sv, "Rest now.", key);
	char *leaf = xasprintf("%s/%s.flac", dir, key);
	FILE *f = fopen(leaf, "w");
	assert_non_null(f);
	fputs("planted", f);
	fclose(f);
	setenv("XDG_CACHE_HOME", cache, 1);
	struct voice *v = voice_new(&cfg);
	voice_ask(v, "Rest now.", false);
	print_message("%s: the planted line is %s\n", how,
		      voice_state(v, "Rest now.") == VOICE_READY ? "read" : "not read");
	assert_int_not_equal(voice_state(v, "Rest now."), VOICE_READY);
	voice_free(v);
	char *home_cache = path_in_home("cache");
	setenv("XDG_CACHE_HOME", home_cache, 1);
	free(home_cache);
	free(leaf);
	free(open_dir);
	free(dir);
	free(lull);
	free(cache);
}

static void an_untrusted_cache_is_not_read(void **state)
{
	planted("link");
	planted("0777");
	if (geteuid() == 0)
		planted("owner");
	else
		print_message("another owner: not tested (needs root to chown)\n");
}

/* How many times needle is in hay. */
static int times_in(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *s = hay; (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

/* The refusal of an untrusted cache was silent: lull made its lines in a
 * folder of the run's own and said nothing, so a person never learnt why
 * every night's lines were made again. It is said once, in the words of
 * every folder lull refuses: on stderr by check and render, on the
 * session's message line. */
static void an_untrusted_cache_is_said_once(void **state)
{
	char *cache = xasprintf("%s/cache-said", fx_home()), *lull = xasprintf("%s/lull", cache);
	char *open_dir = xasprintf("%s/open-said", fx_home()), *dir = xasprintf("%s/voice", lull);
	assert_int_equal(fx_write_file("cache-said/lull/.keep", ""), 0);
	assert_int_equal(chmod(lull, 0700), 0);
	assert_int_equal(mkdir(open_dir, 0777), 0);
	assert_int_equal(chmod(open_dir, 0777), 0);
	assert_int_equal(symlink(open_dir, dir), 0);
	static const char said[] = "lull: cannot use the voice cache ";
	static const char why[] = ": owned by another user or writable by others (lull keeps no files there)";
	char *env = xasprintf("XDG_CACHE_HOME='%s'", cache);
	char *err = check_guarded(env);
	assert_int_equal(times_in(err, said), 1);
	assert_non_null(strstr(err, why));
	free(err);
	long n;
	free(render("spoken", env, NULL, &n, &err));
	print_message("render: %s", err);
	assert_int_equal(times_in(err, said), 1);
	assert_non_null(strstr(err, why));
	free(err);
	/* The session says it where it says what the sound does. */
	char *var = xasprintf("XDG_CACHE_HOME=%s", cache);
	const char *envv[] = { "LULL_TIME_SCALE", "SSH_CONNECTION", var, NULL };
	struct pty_options opt = { .rows = 24, .cols = 200, .env = envv };
	const char *argv[] = { pty_lull_path(), "start", "spoken", "--audio", "--audio-driver", "null", NULL };
	struct pty *p = pty_spawn(argv, &opt);
	if (!pty_wait_text(p, "cannot use the voice cache", 30000))
		fail_msg("the session did not say why the cache is not used:\n%s", pty_screen(p));
	assert_true(pty_wait_text(p, "owned by another user or writable by others", 2000));
	int status;
	for (int i = 0; i < 3 && !pty_wait_exit(p, 1000, &status); i++)
		pty_send(p, "q");
	pty_free(p);
	free(var);
	free(env);
	free(dir);
	free(open_dir);
	free(lull);
	free(cache);
}

/* A cache that cannot take a line (a file size limit here, as a full disk
 * would): the line that failed is named, with why. The limit's signal
 * killed the synthesiser, and the first line was blamed, without a
 * reason; its temporary files stayed. */
static void a_full_cache_names_the_line_and_why(void **state)
{
	write_file("full.session", "title \"Full\"\nguide 3s \"Rest now.\"\n"
				   "guide 3s \"Let go of the day, and let your shoulders drop down away from your ears.\"\n");
	char *file = path_in_home("full.session"), *errf = path_in_home("full.err");
	char *cmd = xasprintf("XDG_CACHE_HOME='%s/full' timeout 30 prlimit --fsize=40000 '%s' check '%s' >/dev/null 2>'%s'",
			      fx_home(), getenv("LULL_BIN"), file, errf);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_not_equal(WEXITSTATUS(rc), 124);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(errf, "r");
	assert_non_null(f);
	assert_true(getdelim(&buf, &len, '\0', f) > 0);
	fclose(f);
	print_message("stderr: %s", buf);
	assert_non_null(strstr(buf, "full.session:3:"));
	assert_non_null(strstr(buf, strerror(EFBIG)));
	free(buf);
	free(cmd);
	cmd = xasprintf("test -z \"$(find '%s/full/lull/voice' -name '.*.flac.*')\"", fx_home());
	assert_int_equal(system(cmd), 0); /* no temporary file left */
	free(cmd);
	free(file);
	free(errf);
}

/* A synthesiser killed mid-write leaves ".KEY.flac.XXXXXX": those older
 * than a session could be go as the cache is opened, and nothing else. */
static void stale_temporaries_are_cleaned(void **state)
{
	char *dir = path_in_home("stale/lull/voice");
	assert_int_equal(fx_write_file("stale/lull/voice/keep", ""), 0);
	const char *names[] = { ".0123456789abcdef0123456789abcdef.flac.Ab12Cd", /* old: goes */
				".0123456789abcdef0123456789abcdef.flac.Zz99Yy", /* fresh: stays */
				".settings.Ab12Cd",                                /* not the helper's: stays */
				"0123456789abcdef0123456789abcdef.flac" };        /* a line: stays */
	struct timespec old[2] = { { time(NULL) - 3 * 24 * 3600, 0 }, { time(NULL) - 3 * 24 * 3600, 0 } };
	for (size_t i = 0; i < 4; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fclose(f);
		if (i != 1)
			assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
		free(p);
	}
	char *cache = path_in_home("stale");
	setenv("XDG_CACHE_HOME", cache, 1);
	struct voice *v = voice_new(NULL);
	voice_ask(v, "Rest now.", false);
	voice_free(v);
	char *home_cache = path_in_home("cache");
	setenv("XDG_CACHE_HOME", home_cache, 1);
	for (size_t i = 0; i < 4; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		print_message("%s: %s\n", names[i], access(p, F_OK) == 0 ? "kept" : "removed");
		assert_int_equal(access(p, F_OK) == 0, i != 0);
		free(p);
	}
	free(home_cache);
	free(cache);
	free(dir);
}

static void recordings_play_and_a_missing_one_falls_back(void **state)
{
	char *p = path_in_home("data/lull/sounds/mine.wav");
	assert_int_equal(fx_write_tone(p, 44100, 1, 0.5, 1000, 0.3), 0);
	free(p);
	write_file("config/lull/sessions/recorded.session",
		   "guide 3s \"Rest now.\"\n"
		   "recording mine\n"
		   "guide 3s \"Let go.\"\n"
		   "recording nosuch\n"
		   "guide 3s \"Good.\"\n");
	long n;
	char *err;
	float *x = render("recorded", NULL, NULL, &n, &err);
	print_message("stderr: %s", err);
	/* Said once, the line spoken all the same. */
	assert_non_null(strstr(err, "nosuch: no such recording; the voice says the line instead"));
	free(err);
	long on[8];
	size_t k = speech_onsets(x, n, on, 8);
	assert_int_equal(k, 3);
	for (size_t i = 0; i < k; i++)
		assert_true(labs(on[i] - (long)(3.0 * (double)i * RATE)) < RATE * 30 / 1000);
	/* The first line is the recording: a 1 kHz tone, 0.5 s (not speech). */
	int rises = 0;
	for (long i = 1; i < RATE / 2; i++)
		if (x[i - 1] < 0 && x[i] >= 0)
			rises++;
	print_message("the recorded line: %d cycles in its first half second\n", rises);
	assert_true(rises >= 495 && rises <= 505);
	assert_true(fx_rms(x, (long)(0.55 * RATE), RATE) < 1e-4);
	free(x);
}

static void breath_words_at_each_phase(void **state)
{
	/* voice_breath: "In", "Hold", "Out" at 0, 3 and 4.5 s of a 3-1.5-3
	 * breath, each at its phase's start; no chime, no bed. */
	write_file("config/lull/sessions/breaths.session", "breathe 3-1.5-3-0 for 1 cycle\n");
	write_file("config/lull/config", "sounds =\ncues = no\nvolume = 100\nvoice_breath = on\n");
	long n;
	float *x = render("breaths", NULL, NULL, &n, NULL);
	write_file("config/lull/config", "sounds =\ncues = no\nvolume = 100\n");
	long on[8];
	/* The words are short: a 0.8 s gap holds between them. They are soft
	 * (ENGINE_BREATH_GAIN) and "Hold" begins with a breath: their onsets
	 * at -54 dBFS, with nothing else sounding. */
	size_t k = onsets_above(x, n, 0.002f, on, 8);
	static const double at[] = { 0, 3, 4.5 };
	assert_int_equal(k, 3);
	for (size_t i = 0; i < k; i++) {
		double d = ((double)on[i] / RATE - at[i]) * 1000;
		print_message("breath word %zu at %+.1f ms from its phase\n", i, d);
		assert_true(fabs(d) <= 30);
	}
	free(x);
}

static void check_warns_when_a_line_is_longer_than_its_step(void **state)
{
	write_file("long.session",
		   "title \"Long\"\n"
		   "guide 1s \"Lift both shoulders up toward your ears and hold them there, firm but not straining.\"\n"
		   "guide 3s \"Let go.\"\n");
	char *file = path_in_home("long.session"), *errf = path_in_home("check.err");
	char *cmd = xasprintf("'%s' check '%s' >/dev/null 2>'%s'", getenv("LULL_BIN"), file, errf);
	assert_int_equal(system(cmd), 0); /* a warning, not an error */
	free(cmd);
	FILE *f = fopen(errf, "r");
	assert_non_null(f);
	char line[512] = "", more[512];
	assert_non_null(fgets(line, sizeof line, f));
	assert_null(fgets(more, sizeof more, f)); /* one: "Let go." fits */
	fclose(f);
	print_message("%s", line);
	char *want = xasprintf("%s:2:10: warning: spoken, this line takes ", file);
	assert_true(strncmp(line, want, strlen(want)) == 0);
	double took, room;
	assert_int_equal(sscanf(line + strlen(want), "%lf s, longer than the %lf s", &took, &room), 2);
	assert_true(took > 3 && room == 1.0);
	free(want);
	/* lull show: the same warning, at the line of what it prints (its
	 * first line is a comment, then the header and a blank line). */
	cmd = xasprintf("'%s' show '%s' >/dev/null 2>'%s'", getenv("LULL_BIN"), file, errf);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	f = fopen(errf, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	want = xasprintf("%s:4:10: warning: spoken, this line takes ", file);
	assert_true(strncmp(line, want, strlen(want)) == 0);
	free(want);
	free(errf);
	free(file);

	/* The measure, as a test of the programs can call it: the lengths
	 * a render plays (the spoken program's lines, from their onsets). */
	struct parse_result r;
	parse_program(program, strlen(program), "spoken", &r);
	assert_non_null(r.program);
	struct voice_cfg vc;
	voice_cfg_default(&vc);
	struct voice *v = voice_new(&vc);
	struct voice_fit *fit;
	char err[200];
	long k = voice_fit_lines(v, r.program, &fit, err, sizeof err);
	assert_int_equal(k, NLINES);
	for (long i = 0; i < k; i++) {
		assert_string_equal(fit[i].text, texts[i]);
		assert_true(fit[i].speech_s > 0.3 && fit[i].speech_s < fit[i].room_s);
	}
	assert_true(fit[3].room_s == 8.0); /* the say line has the breathing block */
	assert_int_equal(fit[3].line, 5);
	assert_int_equal(fit[3].col, 5);
	free(fit);
	voice_free(v);
	program_free(r.program);
}

/* --- words ------------------------------------------------------------ */

/* A words step (the shuffle's) says its words through the master volume:
 * a program's `volume` word makes them softer, as the shuffle's `volume
 * 40% fade 20m` takes its words down with the bed. Four words at full
 * volume, four at a quarter (-12 dB); each word is made at the same
 * loudness, so the two groups' levels differ by the volume alone. */
static void words_follow_the_master_volume(void **state)
{
	write_file("config/lull/sessions/shuffled.session",
		   "words 12s every 3s\n"
		   "volume 25% fade 0s\n"
		   "words 12s every 3s\n");
	long n;
	float *x = render("shuffled", NULL, NULL, &n, NULL);
	double level[8];
	for (int i = 0; i < 8; i++) {
		level[i] = fx_rms(x, (long)(3.0 * i * RATE), (long)(1.5 * RATE));
		assert_true(level[i] > 0);
	}
	double full = fx_median(level, 4), soft = fx_median(level + 4, 4);
	print_message("words: level %.4f at full volume, %.4f at 25%% (%.1f dB)\n", full, soft,
		      20 * log10(soft / full));
	assert_true(soft / full > 0.25 / 1.6 && soft / full < 0.25 * 1.6);
	free(x);
}

/* Runs a real-time attempt (fx_twice) against a private PulseAudio. */
static void through_pulse(const char *(*attempt)(void))
{
	if (!fx_have("pulseaudio") || !fx_have("pactl") || !fx_have("parec"))
		fail_msg("pulseaudio, pactl or parec missing (apt-get install pulseaudio pulseaudio-utils)");
	if (fx_pulse_start() != 0)
		fail_msg("pulseaudio did not start; see %s/pulse.log", fx_home());
	fx_realtime();
	const char *failed = fx_twice(attempt);
	fx_pulse_stop();
	if (failed)
		fail_msg("%s", failed);
}

/* --- the safety note -------------------------------------------------- */

/* A program with a safety note, its first step a silence: the note's words
 * must end when the page does, not run on into the program. */
static const char careful[] =
	"title \"Careful\"\n"
	"safety \"Stop if anything hurts.\"\n"
	"silence 3s\n"
	"guide 3s \"Rest now.\"\n"
	"guide 3s \"Let go.\"\n";
#define CAREFUL_NOTE "Stop if anything hurts."
#define CAREFUL_SPEECH CAREFUL_NOTE " When you are ready, press any key to begin, or q to leave."

static double seconds_to_say(const char *text)
{
	struct voice_cfg vc;
	voice_cfg_default(&vc);
	struct voice *v = voice_new(&vc);
	char err[200];
	double s = voice_measure(v, text, err, sizeof err);
	voice_free(v);
	if (s < 0)
		fail_msg("'%s': %s", text, err);
	return s;
}

/* lull render says the note first; the program follows two seconds after
 * it, each line at its step moved by that much. */
static void render_speaks_the_safety_note_first(void **state)
{
	write_file("config/lull/sessions/careful.session", careful);
	long n;
	float *x = render("careful", NULL, NULL, &n, NULL);
	double lead = seconds_to_say(CAREFUL_NOTE) + 2.0;
	long on[8];
	size_t k = speech_onsets(x, n, on, 8);
	static const double at[] = { 0, 3, 6 }; /* the note, then from the lead on */
	assert_int_equal(k, 3);
	for (size_t i = 0; i < k; i++) {
		double want = i == 0 ? 0 : lead + at[i];
		double d = ((double)on[i] / RATE - want) * 1000;
		print_message("render: line %zu %+.1f ms from its time (%.2f s)\n", i, d, want);
		assert_true(fabs(d) <= 30);
	}
	free(x);
	/* Without the voice there is no note to wait for: the program at 0. */
	float *y = render("careful", NULL, "--no-voice --cues", &n, NULL);
	size_t c = onsets_above(y, n, 0.002f, on, 8);
	assert_true(c >= 1);
	assert_true(on[0] < RATE / 100);
	free(y);
}

static const char *safety_attempt(void)
{
	const char *failed = NULL;
	assert_int_equal(fx_rec_start(), 0);
	assert_true(fx_rec_wait(0.2, 10));
	/* A home of its own: the first time, so the page waits for a key. */
	char *state_dir = path_in_home("careful-state");
	char *rm = xasprintf("rm -rf '%s'", state_dir);
	assert_int_equal(system(rm), 0);
	free(rm);
	setenv("XDG_STATE_HOME", state_dir, 1);
	free(state_dir);
	const char *argv[] = { pty_lull_path(), "start", "careful", "--audio", "--audio-driver", "pulse", NULL };
	const char *env[] = { "LULL_TIME_SCALE", "SSH_CONNECTION", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	if (!pty_wait_text(p, "Any key to begin", 10000)) {
		pty_free(p);
		free(fx_rec_stop(&(long){ 0 }, &(double){ 0 }));
		return "the safety page never showed";
	}
	double t_page = session_last_chunk_time(p);
	/* Halfway through what it says, a key: the words stop. */
	double say_s = seconds_to_say(CAREFUL_SPEECH);
	fx_sleep(t_page + say_s / 2 - fx_now());
	double t_key = fx_now();
	pty_send(p, " ");
	if (!pty_wait_text(p, "Rest now.", 10000))
		failed = "the program never began";
	int status;
	if (!failed && !pty_wait_exit(p, 15000, &status))
		failed = "the program did not end";
	pty_free(p);
	fx_sleep(0.1);
	long n;
	double t0;
	float *x = fx_rec_stop(&n, &t0);
	assert_non_null(x);
	if (failed)
		goto out;
	long on[16];
	size_t k = speech_onsets(x, n, on, 16);
	if (k < 1) {
		failed = "nothing was said";
		goto out;
	}
	double heard = (double)on[0] / RATE + t0 - t_page;
	print_message("safety page: its words heard %+.1f ms after it showed; a key at %+.1f s of %.1f s\n",
		      heard * 1000, t_key - t_page, say_s);
	if (heard < -0.05 || heard > 1.0)
		failed = "the page's words did not begin as it showed";
	/* From the key to the first line (3 s of silence later, give or take
	 * the audio lead): nothing, the words hushed. */
	long from = (long)((t_key + 0.3 - t0) * RATE), len = (long)(2.4 * RATE);
	double rms = fx_rms(x, from, len);
	print_message("safety page: level after the key %.5f\n", rms);
	if (!failed && rms > 1e-4)
		failed = "the page's words went on after the key";
	if (!failed && (k < 2 || fabs((double)on[1] / RATE + t0 - (t_key + 3.0)) > 0.5))
		failed = "the first line was not heard 3 s after the key";
out:
	unsetenv("XDG_STATE_HOME");
	free(x);
	return failed;
}

/* lull start: the safety page's words are said as it appears, and end with
 * it. Through a private PulseAudio. */
static void the_safety_page_is_spoken(void **state)
{
	write_file("config/lull/sessions/careful.session", careful);
	through_pulse(safety_attempt);
}

/* --- a text outside the plan ------------------------------------------- */

/* audio_say, as a safety screen before the first step would use it: the
 * text made first and heard at its time, through the audio thread to a WAV
 * file (paced as a device with no buffer); a plan line stops it. */
static void an_aside_is_spoken_at_its_time(void **state)
{
	char *out = path_in_home("aside.wav");
	struct audio_options o = { .enabled = true, .driver = "wav", .output = out, .volume = 1.0f, .time_scale = 1,
				   .voice = true, .voice_volume = 1 };
	double t0 = fx_now();
	struct audio *a = audio_start(&o);
	struct voice_cfg vc;
	voice_cfg_default(&vc);
	struct sp_line none = { .text = "Rest now." };
	audio_voice(a, &vc, &none, 1);
	double at = fx_now() + 1.0;
	audio_say(a, "Stop if anything hurts.", (int64_t)(at * 1e9));
	fx_sleep(at + 2.0 - fx_now());
	audio_speak(a, 0, AUDIO_NOW); /* the plan's first line: the aside stops */
	fx_sleep(1.5);
	audio_stop(a, 2000);
	long n;
	int rate;
	float *x = fx_read_mono(out, &n, &rate);
	assert_non_null(x);
	long on[4];
	size_t k = speech_onsets(x, n, on, 4);
	assert_true(k >= 1);
	/* The WAV's frame 0 is when the thread started, between t0 and the
	 * return of audio_start: the onset at the aside's time, give or take
	 * a write (5 ms) and that start. */
	double heard = t0 + (double)on[0] / RATE;
	print_message("aside heard %+.1f ms from its time\n", (heard - at) * 1000);
	assert_true(fabs(heard - at) < 0.1);
	free(x);
	free(out);
}

/* --- the v key ------------------------------------------------------- */

/* lull start spoken with args, at its first step; each key in turn and
 * the status line it must bring; then q until it ends. */
static void keys_say(const char *const *args, const char *const *keys, const char *const *said)
{
	const char *env[] = { "LULL_TIME_SCALE", "SSH_CONNECTION", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env };
	const char *argv[12] = { pty_lull_path(), "start", "spoken" };
	size_t n = 3;
	for (; *args && n < 11; args++)
		argv[n++] = *args;
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "Rest now.", 30000));
	for (size_t i = 0; keys[i]; i++) {
		pty_send(p, keys[i]);
		if (!pty_wait_text(p, said[i], 2000))
			fail_msg("after '%s': no \"%s\" on the screen", keys[i], said[i]);
	}
	int status;
	for (int i = 0; i < 3 && !pty_wait_exit(p, 1000, &status); i++)
		pty_send(p, "q");
	pty_free(p);
}

static void the_v_key_turns_the_voice_off_and_on(void **state)
{
	const char *null_out[] = { "--audio", "--audio-driver", "null", NULL };
	keys_say(null_out, (const char *[]){ "v", "v", "?", NULL },
		 (const char *[]){ "Voice off (v turns it on)", "Voice on (v turns it off)", "voice off or on" });
	/* Started without it, the key turns it on. */
	const char *quiet[] = { "--audio", "--audio-driver", "null", "--no-voice", NULL };
	keys_say(quiet, (const char *[]){ "v", NULL }, (const char *[]){ "Voice on (v turns it off)" });
	/* Without sound there is no voice to turn on. */
	const char *silent[] = { "--no-audio", NULL };
	keys_say(silent, (const char *[]){ "v", NULL }, (const char *[]){ "No voice: sound is off" });
}

/* --- through PulseAudio ------------------------------------------------- */

/* The steps as plain mode prints them, each at its moment (the full screen
 * would show a step's text early, as what comes next). */
static const char *const plain[] = { "Guide 3s Rest now.", "Guide 3s Let go.", "Guide 3s Breathe out slowly.",
				     "Say In, and out.", "Guide 3s Good." };

static const char *session_attempt(void)
{
	const char *failed = NULL;
	/* Warm: the render made every line; the session starts with them. */
	assert_int_equal(fx_rec_start(), 0);
	assert_true(fx_rec_wait(0.2, 10));
	const char *argv[] = { pty_lull_path(), "start", "spoken", "--plain", "--audio", "--audio-driver", "pulse",
			       NULL };
	const char *env[] = { "LULL_TIME_SCALE", "SSH_CONNECTION", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	double t_step[NLINES];
	for (int i = 0; i < NLINES; i++) {
		if (!pty_wait_text(p, plain[i], 25000)) {
			failed = "a step's text never reached the screen";
			pty_free(p);
			free(fx_rec_stop(&(long){ 0 }, &(double){ 0 }));
			return failed;
		}
		t_step[i] = session_last_chunk_time(p);
	}
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	fx_sleep(0.1);
	long n;
	double t0;
	float *x = fx_rec_stop(&n, &t0);
	assert_non_null(x);
	long on[16];
	size_t k = speech_onsets(x, n, on, 16);
	double d[NLINES], worst = 0;
	if (k != NLINES) {
		print_message("%zu onsets heard, %d lines\n", k, NLINES);
		failed = "not one onset a line";
		goto out;
	}
	for (int i = 0; i < NLINES; i++) {
		d[i] = ((double)on[i] / RATE + t0 - t_step[i]) * 1000;
		print_message("pulse: \"%s\" heard %+.1f ms from its step on the screen\n", texts[i], d[i]);
		if (fabs(d[i]) > fabs(worst))
			worst = d[i];
	}
	print_message("pulse: spoken onsets from their steps: median %+.1f ms, worst %+.1f ms (target 30)\n",
		      fx_median(d, NLINES), worst);
	if (fabs(worst) > 30)
		failed = "a spoken line more than 30 ms from its step";
out:
	free(x);
	return failed;
}

static void session_speaks_each_line_as_its_step_shows(void **state)
{
	long n;
	free(render("spoken", NULL, NULL, &n, NULL)); /* warm the cache */
	through_pulse(session_attempt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(render_speaks_each_line_at_its_step),
		cmocka_unit_test(a_second_render_makes_nothing),
		cmocka_unit_test(no_synthesiser_one_message_no_voice),
		cmocka_unit_test(recordings_play_and_a_missing_one_falls_back),
		cmocka_unit_test(a_line_of_dots_is_said_and_the_rest_too),
		cmocka_unit_test(a_synthesiser_that_dies_is_started_again),
		cmocka_unit_test(a_reply_of_any_length_is_read),
		cmocka_unit_test(a_voice_file_that_is_a_fifo_is_refused),
		cmocka_unit_test(an_untrusted_cache_is_not_read),
		cmocka_unit_test(an_untrusted_cache_is_said_once),
		cmocka_unit_test(a_full_cache_names_the_line_and_why),
		cmocka_unit_test(stale_temporaries_are_cleaned),
		cmocka_unit_test(breath_words_at_each_phase),
		cmocka_unit_test(check_warns_when_a_line_is_longer_than_its_step),
		cmocka_unit_test(an_aside_is_spoken_at_its_time),
		cmocka_unit_test(the_v_key_turns_the_voice_off_and_on),
		cmocka_unit_test(session_speaks_each_line_as_its_step_shows),
		cmocka_unit_test(render_speaks_the_safety_note_first),
		cmocka_unit_test(words_follow_the_master_volume),
		cmocka_unit_test(the_safety_page_is_spoken),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
