/* SPDX-License-Identifier: ISC */
/* Voice figures (`make bench-voice`; not a test):
 *  - synthesis speed: seconds of speech lull-voice makes per second of its
 *    CPU, over every line of winddown, from a cold cache;
 *  - the cache's size for winddown (every line, as a session makes them);
 *  - peak RSS of `lull start winddown` with the voice (warm cache), the
 *    same without it, and lull-voice's own (target for lull: < 16 MB);
 *  - the audio thread's CPU with the voice, two layers and the cues: a
 *    line every 4 s over a 4-s-breathing cue (a tone at each phase and
 *    step), rain and brown, ducking, for
 *    CPU_S seconds, through PulseAudio when there is one, else the null
 *    output (target < 1% of a core), and the whole process's;
 *  - the voice choice: the recogniser's word recall over winddown's lines
 *    in each of flite's voices, and in the default as lull speaks it;
 *  - time from `lull start winddown` to its first step (plain mode's first
 *    line, which comes with the first frame): with a cold cache, a warm
 *    one, and without the voice.
 * Each figure is the median of RUNS runs, beside the same figure in
 * tests/bench/baseline-voice.txt (LULL_SRCDIR). */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio.h"
#include "audio_names.h"
#include "catalog.h"
#include "clock.h"
#include "fixture.h"
#include "pace.h"
#include "parse.h"
#include "paths.h"
#include "soundplan.h"
#include "speech.h"
#include "timeline.h"
#include "util.h"
#include "voice.h"

#define RUNS 3
#define CPU_S 30

static char baseline[600];

static void fig(const char *key, double now, int decimals, const char *note)
{
	fx_fig(baseline, key, now, decimals, note);
}

#define median fx_median

static double tv_s(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* winddown's spoken lines, as a session plans them. */
static const struct sp_line *lines;
static size_t nlines;
static struct program *prog;
static struct timeline *tl;
static struct soundplan *plan;

static void load_winddown(void)
{
	char err[256];
	prog = catalog_load("winddown", err, sizeof err);
	if (!prog) {
		fprintf(stderr, "bench_voice: %s\n", err);
		exit(1);
	}
	tl = timeline_new(prog, err, sizeof err);
	struct soundplan_cfg cfg = { .volume = 1, .voice = true };
	plan = soundplan_new(tl, &cfg);
	nlines = soundplan_lines(plan, &lines);
}

/* A fresh cache directory under the private home, set as XDG_CACHE_HOME;
 * its voice folder. */
static char *fresh_cache(const char *tag)
{
	char *dir = xasprintf("%s/cache-%s", fx_home(), tag);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_voice: cannot clear %s\n", dir);
	free(cmd);
	setenv("XDG_CACHE_HOME", dir, 1);
	char *voice = xasprintf("%s/lull/voice", dir);
	paths_mkdir_p(voice, 0700);
	free(dir);
	return voice;
}

/* The build's lull-voice, named by `make bench-voice` (no build path is
 * compiled in any more). */
static const char *helper(void)
{
	const char *env = getenv("LULL_VOICE_HELPER");
	return env && *env ? env : "./lull-voice";
}

/* lull-voice over every line of winddown into dir: seconds of speech per
 * CPU second; its peak RSS in *rss_mb. */
static double synthesis_speed(const char *dir, double *rss_mb)
{
	char *req = xasprintf("%s/../requests", dir);
	FILE *f = fopen(req, "w");
	struct voice_cfg vc;
	voice_cfg_default(&vc);
	struct speech_voice sv = { .id = vc.name, .rate = vc.rate, .pitch = vc.pitch };
	for (size_t i = 0; i < nlines; i++) {
		char key[SPEECH_KEY_LEN + 1];
		speech_key(&sv, lines[i].text, key);
		fprintf(f, "%s %s\n", key, lines[i].text);
	}
	fclose(f);
	int out[2];
	if (pipe(out) != 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(req, O_RDONLY);
		dup2(in, 0);
		dup2(out[1], 1);
		close(out[0]);
		char rate[32], pitch[32];
		snprintf(rate, sizeof rate, "%.3f", vc.rate);
		snprintf(pitch, sizeof pitch, "%.3f", vc.pitch);
		execl(helper(), helper(), "--cache", dir, "--voice", vc.name, "--rate", rate, "--pitch", pitch,
		      (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	FILE *r = fdopen(out[0], "r");
	char line[256];
	double speech = 0;
	while (fgets(line, sizeof line, r)) {
		double s;
		if (sscanf(line, "%*s ok %lf", &s) == 1)
			speech += s;
	}
	fclose(r);
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	free(req);
	*rss_mb = (double)ru.ru_maxrss / 1024;
	return speech / (tv_s(ru.ru_utime) + tv_s(ru.ru_stime));
}

static double dir_kb(const char *dir)
{
	DIR *d = opendir(dir);
	double kb = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (e->d_name[0] != '.' && stat(p, &st) == 0)
			kb += (double)st.st_size / 1024;
		free(p);
	}
	if (d)
		closedir(d);
	return kb;
}

/* `lull start winddown --plain` with sound to the null output; stdout read
 * until the first step's line: seconds from the start to it, and, waited
 * for to its end (at time_scale), the peak RSS in *rss_mb (NULL: stopped
 * at the first step). */
static double session(const char *extra, double time_scale, double *rss_mb)
{
	int out[2];
	if (pipe(out) != 0)
		exit(1);
	double t0 = fx_now();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		char scale[32];
		snprintf(scale, sizeof scale, "%g", time_scale);
		setenv("LULL_TIME_SCALE", scale, 1);
		unsetenv("SSH_CONNECTION");
		execl(getenv("LULL_BIN"), "lull", "start", "winddown", "--plain", "--audio", "--audio-driver", "null",
		      extra, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	FILE *r = fdopen(out[0], "r");
	char line[1024];
	double first = -1;
	while (fgets(line, sizeof line, r)) {
		if (first < 0 && strncmp(line, "00:00 ", 6) == 0) {
			first = fx_now() - t0;
			if (!rss_mb)
				break;
		}
	}
	if (!rss_mb)
		kill(pid, SIGTERM);
	fclose(r);
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	if (rss_mb)
		*rss_mb = (double)ru.ru_maxrss / 1024;
	return first;
}

/* The audio thread's CPU (in *thread_pct) and the process's over CPU_S
 * seconds: a spoken line every 4 s over 4-s breathing phases (a chime at
 * each), rain and brown under them, ducking at every line. */
static double cpu_run(const char *driver, double *thread_pct)
{
	static const char prog_text[] = "guide 4s \"Let the shoulders drop.\" breathe 2-0-2-0\n";
	char err[200];
	struct parse_result *pr = xmalloc(sizeof *pr);
	char *text = xstrdup("");
	for (int i = 0; i < CPU_S / 4 + 2; i++) {
		char *more = xasprintf("%s%s", text, prog_text);
		free(text);
		text = more;
	}
	parse_program(text, strlen(text), "cpu", pr);
	free(text);
	struct timeline *t = timeline_new(pr->program, err, sizeof err);
	struct soundplan_cfg cfg = { .volume = 0.8f, .tones = true, .voice = true };
	struct soundplan *sp = soundplan_new(t, &cfg);
	const struct sp_line *ls;
	size_t nls = soundplan_lines(sp, &ls);
	struct audio_options o = { .enabled = true, .driver = driver, .volume = 0.8f, .time_scale = 1,
				   .voice = true, .voice_volume = 0.7f };
	struct audio *a = audio_start(&o);
	/* The tones and the layers decoded and opened before, as a session does. */
	struct audio_names names;
	audio_names_init(&names);
	audio_names_of_plan(&names, sp);
	audio_names_add_layer(&names, "rain");
	audio_names_add_layer(&names, "brown");
	audio_prepare(a, names.cues, names.layers);
	struct voice_cfg vc;
	voice_cfg_default(&vc);
	audio_voice(a, &vc, ls, nls);
	audio_voice_ready(a, 1000000, clock_mono_ns() + 3000000000LL);
	audio_layer_on(a, "rain", 0.5f, 1, AUDIO_NOW);
	audio_layer_on(a, "brown", 0.3f, 1, AUDIO_NOW);
	fx_sleep(0.5);
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	char stat[1024];
	double th0 = 0, th1 = 0;
	unsigned long ut, st;
	if (fx_thread_file("lull-audio", "stat", stat, sizeof stat) &&
	    sscanf(strrchr(stat, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
		th0 = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	double t0 = fx_now() + 0.5; /* session time 0, one lead ahead */
	size_t cursor = 0;
	while (fx_now() < t0 + CPU_S) {
		struct sp_event ev[16];
		double now = fx_now() - t0;
		size_t n = soundplan_events(sp, &cursor, (pace_us)((now + 0.5) * PACE_US_PER_S), ev, 16);
		for (size_t i = 0; i < n; i++) {
			int64_t at = (int64_t)((t0 + (double)ev[i].at / PACE_US_PER_S) * 1e9);
			if (ev[i].kind == SP_EV_SPEAK)
				audio_speak(a, ev[i].line, at);
			else if (ev[i].kind == SP_EV_CUE)
				audio_cue(a, ev[i].name, ev[i].volume, at);
			else if (ev[i].kind == SP_EV_BREATH)
				audio_breath(a, (int)ev[i].phase, (double)ev[i].len / PACE_US_PER_S, at);
		}
		fx_sleep(0.1);
	}
	getrusage(RUSAGE_SELF, &r1);
	if (fx_thread_file("lull-audio", "stat", stat, sizeof stat) &&
	    sscanf(strrchr(stat, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
		th1 = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	double dt = fx_now() - t0 + 0.5;
	audio_stop(a, 2000);
	soundplan_free(sp);
	timeline_free(t);
	program_free(pr->program);
	free(pr);
	*thread_pct = (th1 - th0) / dt * 100;
	double cpu = tv_s(r1.ru_utime) + tv_s(r1.ru_stime) - tv_s(r0.ru_utime) - tv_s(r0.ru_stime);
	return cpu / dt * 100;
}

/* The voice choice: word recall of the recogniser (pocketsphinx) over
 * winddown's lines, each said alone by the voice (name, rate), cut out and
 * recognised, as tests/audio/test_voice_intel.c measures the default;
 * -1 without pocketsphinx. Every other line, up to RECALL_LINES. */
#define RECALL_LINES 16
static double recall_of(const char *name, double rate, double pitch)
{
	struct voice_cfg vc = { .rate = rate, .pitch = pitch };
	str_copy(vc.name, name, sizeof vc.name);
	struct voice *v = voice_new(&vc);
	char *files[RECALL_LINES];
	const char *texts[RECALL_LINES];
	size_t n = 0;
	for (size_t i = 0; i < nlines && n < RECALL_LINES; i += 2) {
		if (lines[i].breath)
			continue;
		char err[200];
		long frames;
		short *pcm = NULL;
		if (voice_wait(v, lines[i].text, 0, err, sizeof err) == VOICE_READY)
			pcm = voice_load(v, lines[i].text, 48000, &frames, err, sizeof err);
		if (!pcm) {
			fprintf(stderr, "bench_voice: %s: %s\n", name, err);
			continue;
		}
		float *x = xmalloc(sizeof *x * (size_t)frames);
		for (long k = 0; k < frames; k++)
			x[k] = pcm[k] / 32768.0f;
		voice_pcm_free(pcm, frames);
		files[n] = xasprintf("%s/recall-%s-%zu.wav", fx_home(), name, n);
		if (fx_write_16k(files[n], x, 0, frames, 48000) == 0)
			texts[n++] = lines[i].text;
		else
			free(files[n]);
		free(x);
	}
	voice_free(v);
	char *hyp[RECALL_LINES];
	int hits = 0, total = 0;
	bool heard = n > 0 && fx_recognise((const char *const *)files, n, hyp) == 0;
	for (size_t i = 0; i < n; i++) {
		if (heard) {
			int h, t;
			fx_word_recall(texts[i], hyp[i], &h, &t);
			hits += h;
			total += t;
			free(hyp[i]);
		}
		unlink(files[i]);
		free(files[i]);
	}
	return heard && total ? (double)hits / total : -1;
}

int main(int argc, char **argv)
{
	const char *src = getenv("LULL_SRCDIR");
	snprintf(baseline, sizeof baseline, "%s/tests/bench/baseline-voice.txt", src ? src : ".");
	if (!voice_built()) {
		printf("# bench-voice: built without a voice\n");
		return 0;
	}
	fx_home();
	load_winddown();
	printf("# bench-voice: winddown, %zu spoken lines, voice %s at rate %.2f; median of %d runs\n", nlines,
	       VOICE_DEFAULT_NAME, VOICE_DEFAULT_RATE, RUNS);
	printf("# %-31s %8s   %8s\n", "figure", "now", "baseline");

	double v[RUNS], rss[RUNS], kb = 0;
	for (int i = 0; i < RUNS; i++) {
		char *dir = fresh_cache("speed");
		v[i] = synthesis_speed(dir, &rss[i]);
		kb = dir_kb(dir);
		free(dir);
	}
	fig("synthesis_speech_s_per_cpu_s", median(v, RUNS), 1, "lull-voice over winddown's lines, cold");
	fig("cache_kb_winddown", kb, 0, "every line of winddown, 16-bit FLAC at 48 kHz");
	fig("peak_rss_mb_lull_voice", median(rss, RUNS), 1, "the synthesiser's own, a process apart");

	/* Which voice: each of flite's at its own pace, and the default as
	 * lull speaks it (one run: the recogniser is deterministic). */
	if (fx_have("pocketsphinx_batch")) {
		free(fresh_cache("recall"));
		static const char *const voices[] = { "rms", "awb", "slt", "kal16", "kal" };
		for (size_t i = 0; i < sizeof voices / sizeof voices[0]; i++) {
			char key[64], note[120];
			snprintf(key, sizeof key, "recall_pct_%s", voices[i]);
			snprintf(note, sizeof note, "pocketsphinx word recall, %s at its own pace, winddown's lines",
				 voices[i]);
			fig(key, 100 * recall_of(voices[i], 1.0, 0), 0, note);
		}
		fig("recall_pct_default", 100 * recall_of(VOICE_DEFAULT_NAME, VOICE_DEFAULT_RATE, VOICE_DEFAULT_PITCH),
		    0, "the same, the default voice at lull's rate and pitch");
	}

	/* Time to the first step: cold (a fresh cache), warm, no voice. */
	double cold[RUNS], warm[RUNS], none[RUNS];
	for (int i = 0; i < RUNS; i++) {
		free(fresh_cache("start"));
		cold[i] = session("--voice", 1, NULL) * 1000;
		fx_sleep(1); /* the synthesiser finishes its line and leaves */
		warm[i] = session("--voice", 1, NULL) * 1000;
		none[i] = session("--no-voice", 1, NULL) * 1000;
	}
	fig("first_step_ms_cold_cache", median(cold, RUNS), 0, "lull start winddown to its first step, nothing cached");
	fig("first_step_ms_warm_cache", median(warm, RUNS), 0, "the same, the first lines cached");
	fig("first_step_ms_no_voice", median(none, RUNS), 0, "the same with --no-voice");

	/* Peak RSS of a whole session, warm, at 60 times the speed (all the
	 * lines in 15 s: more of them in memory at once than at 1). */
	char *dir = fresh_cache("rss");
	double dummy;
	synthesis_speed(dir, &dummy); /* the whole cache, made as a session makes it */
	free(dir);
	for (int i = 0; i < RUNS; i++)
		session("--voice", 60, &rss[i]);
	fig("peak_rss_mb_session_voice", median(rss, RUNS), 1, "lull start winddown with the voice; target < 16");
	for (int i = 0; i < RUNS; i++)
		session("--no-voice", 60, &rss[i]);
	fig("peak_rss_mb_session_no_voice", median(rss, RUNS), 1, "the same without it");

	/* The audio thread with voice, layers and chimes. */
	bool pulse = fx_have("pulseaudio") && fx_have("pactl") && fx_pulse_start() == 0;
	const char *driver = pulse ? "pulse" : "null";
	double proc[RUNS], thread[RUNS];
	for (int i = 0; i < RUNS; i++)
		proc[i] = cpu_run(driver, &thread[i]);
	char note[160];
	snprintf(note, sizeof note, "a line every 4 s, tones, rain+brown, ducking (%s); target < 1", driver);
	fig("cpu_pct_audio_thread_voice", median(thread, RUNS), 2, note);
	fig("cpu_pct_process_voice", median(proc, RUNS), 2, "the same, the whole process (with the voice worker)");
	if (pulse)
		fx_pulse_stop();

	soundplan_free(plan);
	timeline_free(tl);
	program_free(prog);
	fx_home_remove();
	return 0;
}
