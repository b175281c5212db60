/* Audio figures (`make bench-audio`; not a test):
 *  - CPU of the audio engine for two ambient layers plus a cue a second at
 *    48 kHz (target <= 2% of one core): the process's CPU while the UI side
 *    sleeps, through PulseAudio (a private null-sink server) when available,
 *    else the null output; also with both layers resampled from 44.1 kHz;
 *  - peak RSS of a process that streams a one-hour file (whole, through the
 *    engine) and plays it live, against a ten-second one (target <= 16 MB);
 *  - cue timing at the sink's monitor: scheduled cues (as a session posts
 *    them) against their time, and cues for at once (the keys) against the
 *    call: median and worst;
 *  - underruns while two busy processes load both cores;
 *  - the audio thread's work in the block where a cue or a layer is first
 *    used: with the sound prepared (now) and loaded in that block (before).
 * Each figure is the median of RUNS runs (CPU: of CPU_RUNS), printed beside
 * the same figure in tests/bench/baseline-audio.txt (LULL_SRCDIR); a saved
 * run of this program is a new baseline. */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio.h"
#include "engine.h"
#include "fixture.h"
#include "pace.h"
#include "util.h"

#define RUNS 3
#define CPU_RUNS 5
#define RATE 48000

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec
		+ (double)ru.ru_stime.tv_usec / 1e6;
}

static const char *driver;

/* The baseline: a saved run of this program. */
static char baseline[600];

static void fig(const char *key, double now, int decimals, const char *note)
{
	fx_fig(baseline, key, now, decimals, note);
}

#define median fx_median

/* Context switches (voluntary and not) of all the process's threads so far:
 * each is a wake-up. Unlike CPU time on a shared virtual machine, whose
 * kernel time per switch swings tenfold with the host's load, this count
 * does not depend on the machine. */
static long switches(void)
{
	long sum = 0;
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[300], line[128];
		snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof line, f)) {
			long v;
			if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
			    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
				sum += v;
		}
		fclose(f);
	}
	closedir(d);
	return sum;
}

/* CPU seconds (user and system) of the thread named `name` so far; -1 if
 * there is none. */
static double thread_cpu_s(const char *name)
{
	char stat[1024];
	if (!fx_thread_file(name, "stat", stat, sizeof stat))
		return -1;
	char *rp = strrchr(stat, ')');
	unsigned long ut, st;
	/* After the name: state, then 10 fields, then utime and stime. */
	if (!rp || sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU % of one core over `secs` with two layers and a cue every second
 * (scheduled a second ahead, as a session posts them); wake-ups per second
 * in *wakes. */
static double cpu_run(const char *l1, const char *l2, double secs, double *wakes, double *thread_pct)
{
	struct audio_options o = { .enabled = true, .driver = driver, .volume = 0.8f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	audio_layer_on(a, l1, 0.5f, 1, AUDIO_NOW);
	audio_layer_on(a, l2, 0.4f, 1, AUDIO_NOW);
	fx_sleep(0.5); /* past opening and first decode */
	double c0 = cpu_s(), t0 = fx_now(), a0 = thread_cpu_s("lull-audio");
	long s0 = switches();
	for (int i = 0; i < (int)secs; i++) {
		audio_cue(a, NULL, 1, (int64_t)((t0 + i + 1) * 1e9));
		fx_sleep(1);
	}
	double dt = fx_now() - t0;
	double pct = (cpu_s() - c0) / dt * 100;
	if (wakes)
		*wakes = (double)(switches() - s0) / dt;
	if (thread_pct)
		*thread_pct = (thread_cpu_s("lull-audio") - a0) / dt * 100;
	if (getenv("BENCH_THREADS")) { /* where the time goes, per thread (since start) */
		char cmd[256];
		snprintf(cmd, sizeof cmd,
			 "for t in /proc/%d/task/*; do echo \"$(cat $t/comm) $(cut -d' ' -f14,15 $t/stat)\"; done",
			 (int)getpid());
		if (system(cmd) != 0)
			fprintf(stderr, "no thread list\n");
	}
	audio_stop(a, 2000);
	return pct;
}

/* The audio thread's work for the write in which a sound is first used, as
 * audio.c's render() does it: the command applied, then one 2048-frame block
 * mixed (43 ms of sound), in ms. given: the sound was loaded beforehand and
 * off the clock, as audio_prepare and the loader do now; else the engine
 * loads it inside that block, as the audio thread did before (the same
 * engine_sound_load either way). *steady: the block after it. The file is
 * in the page cache (read once before): disk time would come on top. */
static double first_use_ms(enum engine_sound_kind kind, const char *name, bool given, double *steady)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 0.8f, .no_loading = given };
	struct engine *e = engine_new(&cfg);
	engine_sound_free(engine_sound_load(kind, name, RATE, 2)); /* into the page cache */
	if (given)
		engine_add_sound(e, engine_sound_load(kind, name, RATE, 2));
	struct audio_cmd c = { .kind = kind == ENGINE_CUE ? ACMD_CUE : ACMD_LAYER_ON, .value = 0.5f };
	str_copy(c.name, name, sizeof c.name);
	static float buf[2048 * 2];
	engine_render(e, buf, 2048);
	double t0 = fx_now();
	engine_apply(e, &c);
	engine_render(e, buf, 2048);
	double t1 = fx_now();
	engine_render(e, buf, 2048);
	double t2 = fx_now();
	engine_free(e);
	if (steady)
		*steady = (t2 - t1) * 1000;
	return (t1 - t0) * 1000;
}

static void first_use_figures(void)
{
	static const struct { enum engine_sound_kind kind; const char *name, *key, *note; } cases[] = {
		{ ENGINE_CUE, "bowl", "first_block_ms_cue_bowl", "cue bowl (7 s, decoded whole)" },
		{ ENGINE_LAYER, "rain", "first_block_ms_layer_rain", "layer rain (48 kHz FLAC, opened)" },
		{ ENGINE_LAYER, "tone44a", "first_block_ms_layer_44k", "a 44.1 kHz layer (with its resampler)" },
	};
	enum { N = 9 };
	double steady[N], st, v[N];
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char key[80], note[160];
		for (int i = 0; i < N; i++)
			v[i] = first_use_ms(cases[k].kind, cases[k].name, false, &st);
		snprintf(key, sizeof key, "%s_before", cases[k].key);
		snprintf(note, sizeof note, "%s: loaded in that block, as before", cases[k].note);
		fig(key, median(v, N), 3, note);
		for (int i = 0; i < N; i++)
			v[i] = first_use_ms(cases[k].kind, cases[k].name, true, &steady[i]);
		fig(cases[k].key, median(v, N), 3, "  prepared; target <= 2x the block after it:");
		snprintf(key, sizeof key, "%s_next", cases[k].key);
		fig(key, median(steady, N), 3, "  the block after it");
	}
}

/* Child mode: stream `path` through the engine (all of it, at least an
 * hour's worth of output for short files is not needed: its own length),
 * then play it live for two seconds. Prints nothing; the parent reads
 * ru_maxrss. */
static int rss_child(const char *path, double seconds)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 0.8f };
	struct engine *e = engine_new(&cfg);
	struct audio_cmd on = { .kind = ACMD_LAYER_ON, .value = 0.5f, .fade_s = 1 };
	str_copy(on.name, path, sizeof on.name);
	engine_apply(e, &on);
	static float buf[4096 * 2];
	for (long long f = 0; f < (long long)(seconds * RATE); f += 4096)
		engine_render(e, buf, 4096);
	engine_free(e);
	struct audio_options o = { .enabled = true, .driver = driver, .volume = 0.8f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	audio_layer_on(a, path, 0.5f, 0.2, AUDIO_NOW);
	audio_layer_on(a, "brown", 0.4f, 0.2, AUDIO_NOW);
	audio_cue(a, NULL, 1, AUDIO_NOW);
	fx_sleep(2);
	audio_stop(a, 2000);
	return 0;
}

static double rss_mb(const char *self, const char *path, double seconds)
{
	pid_t pid = fork();
	if (pid == 0) {
		char secs[32];
		snprintf(secs, sizeof secs, "%.0f", seconds);
		execl(self, self, "--rss", path, secs, driver, (char *)NULL);
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return (double)ru.ru_maxrss / 1024;
}

/* Cue timing against the sink's monitor; fills err[] (ms), returns count.
 * scheduled: each cue is posted 0.5 s ahead for its time, as a session
 * posts its phase changes, and err is onset minus that time (signed);
 * else posted for at once, as the keys are, and err is onset minus call. */
static int latency_run(double *err, int ncues, bool scheduled)
{
	if (fx_rec_start() != 0)
		return 0;
	fx_rec_wait(0.2, 10);
	struct audio_options o = { .enabled = true, .driver = "pulse", .volume = 0.8f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	audio_layer_on(a, "brown", 0.5f, 0, AUDIO_NOW);
	audio_layer_on(a, "ocean", 0.4f, 0, AUDIO_NOW);
	fx_sleep(0.5);
	double *tc = xcalloc((size_t)ncues, sizeof *tc);
	for (int k = 0; k < ncues; k++) {
		tc[k] = fx_now() + (scheduled ? 0.5 : 0);
		audio_cue(a, NULL, 1, scheduled ? (int64_t)(tc[k] * 1e9) : AUDIO_NOW);
		fx_sleep(0.3);
	}
	fx_sleep(0.6);
	audio_stop(a, 2000);
	long n;
	double t0;
	float *x = fx_rec_stop(&n, &t0);
	long *on = xcalloc((size_t)ncues + 8, sizeof *on);
	/* Onsets of the test chime (2 kHz, 0.3 * 0.7 * 0.8) over low beds. */
	int k = (int)fx_onsets(x, n, RATE, 0.06f, 0.15, on, (size_t)ncues + 8);
	int got = 0;
	if (k == ncues)
		for (int i = 0; i < ncues; i++)
			err[got++] = ((double)on[i] / RATE + t0 - tc[i]) * 1000;
	else
		fprintf(stderr, "latency run: %d onsets for %d cues\n", k, ncues);
	free(on);
	free(tc);
	free(x);
	return got;
}

static pid_t burner(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		volatile unsigned long x = 0;
		for (;;)
			x++;
	}
	return pid;
}

/* Underruns over 10 s of a layer and cues while two busy-loop processes load
 * both cores: as the engine counts them (writes that fell behind the clock),
 * and as heard: gaps (>= 1 ms of digital silence) in the sink's recording of
 * a steady tone. */
static double underrun_run(double *gaps)
{
	bool rec = fx_rec_start() == 0 && fx_rec_wait(0.1, 10);
	struct audio_options o = { .enabled = true, .driver = "pulse", .volume = 0.8f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	audio_layer_on(a, "tone44a", 0.4f, 0, AUDIO_NOW);
	fx_sleep(0.5);
	pid_t b1 = burner(), b2 = burner();
	double t_load = fx_now();
	for (int i = 0; i < 10; i++) {
		audio_cue(a, NULL, 1, AUDIO_NOW);
		fx_sleep(1);
	}
	kill(b1, SIGKILL);
	kill(b2, SIGKILL);
	waitpid(b1, NULL, 0);
	waitpid(b2, NULL, 0);
	double t_end = fx_now();
	struct audio_snapshot s;
	audio_snapshot(a, &s);
	audio_stop(a, 2000);
	*gaps = -1;
	if (rec) {
		long n;
		double t0;
		float *x = fx_rec_stop(&n, &t0);
		long from = (long)((t_load - t0) * RATE), to = (long)((t_end - t0) * RATE);
		if (from < 0)
			from = 0;
		if (to > n)
			to = n;
		int g = 0;
		bool in_gap = false;
		for (long i = from; i + 48 <= to; i += 48) {
			float m = 0;
			for (long j = i; j < i + 48; j++)
				m = fmaxf(m, fabsf(x[j]));
			if (m < 1e-4f && !in_gap)
				g++;
			in_gap = m < 1e-4f;
		}
		*gaps = g;
		free(x);
	}
	return s.underruns;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "--rss") == 0) {
		driver = argv[4];
		return rss_child(argv[2], atof(argv[3]));
	}
	if (argc == 2 && strcmp(argv[1], "--load") == 0) { /* quick look: one underrun run */
		const char *h = fx_home();
		char *p = xasprintf("%s/data/lull/sounds/tone44a.flac", h);
		fx_write_tone(p, 44100, 2, 20, 110, 0.3);
		free(p);
		if (fx_pulse_start() != 0)
			return 1;
		double g;
		double u = underrun_run(&g);
		printf("underruns in 10 s, both cores busy: %.0f counted, %.0f gaps heard\n", u, g);
		fx_pulse_stop();
		fx_home_remove();
		return 0;
	}
	if ((argc == 3 || argc == 5) && strcmp(argv[1], "--cpu") == 0) {
		/* quick look: one driver, one run; layers rain and brown, or two
		 * named (tone44a and tone44b are written: 44.1 kHz, resampled) */
		driver = argv[2];
		const char *h = fx_home();
		char *p44a = xasprintf("%s/data/lull/sounds/tone44a.flac", h);
		char *p44b = xasprintf("%s/data/lull/sounds/tone44b.flac", h);
		fx_write_tone(p44a, 44100, 2, 20, 110, 0.3);
		fx_write_tone(p44b, 44100, 2, 20, 220, 0.3);
		free(p44a);
		free(p44b);
		if (strcmp(driver, "pulse") == 0 && fx_pulse_start() != 0)
			return 1;
		const char *l1 = argc == 5 ? argv[3] : "rain", *l2 = argc == 5 ? argv[4] : "brown";
		double wakes, thread;
		double pct = cpu_run(l1, l2, 10, &wakes, &thread);
		printf("cpu %% (%s, %s+%s, a chime a second): %.2f, the audio thread %.2f, %.0f wake-ups/s\n", driver,
		       l1, l2, pct, thread, wakes);
		fx_pulse_stop();
		fx_home_remove();
		return 0;
	}
	const char *src = getenv("LULL_SRCDIR");
	snprintf(baseline, sizeof baseline, "%s/tests/bench/baseline-audio.txt", src ? src : ".");
	if (argc == 2 && strcmp(argv[1], "--first-use") == 0) { /* quick look: those figures alone */
		char *p = xasprintf("%s/data/lull/sounds/tone44a.flac", fx_home());
		fx_write_tone(p, 44100, 2, 20, 110, 0.3);
		free(p);
		first_use_figures();
		fx_home_remove();
		return 0;
	}
	const char *h = fx_home();
	bool pulse = fx_have("pulseaudio") && fx_have("parec") && fx_have("pactl") && fx_pulse_start() == 0;
	driver = pulse ? "pulse" : "null";
	printf("# bench-audio: output %s, 48 kHz stereo, median of %d runs (CPU: %d)\n", driver, RUNS, CPU_RUNS);
	printf("# %-31s %8s   %8s\n", "figure", "now", "baseline");

	/* Test sounds in the private user folder. */
	char *p44a = xasprintf("%s/data/lull/sounds/tone44a.flac", h);
	char *p44b = xasprintf("%s/data/lull/sounds/tone44b.flac", h);
	fx_write_tone(p44a, 44100, 2, 20, 110, 0.3);
	fx_write_tone(p44b, 44100, 2, 20, 220, 0.3);
	char *chime = xasprintf("%s/data/lull/sounds/chime.wav", h);
	fx_write_tone(chime, RATE, 1, 0.06, 2000, 0.3);
	char *hour = xasprintf("%s/hour.flac", h), *ten = xasprintf("%s/ten.flac", h);
	fx_write_tone(hour, 44100, 2, 3600, 110, 0.2);
	fx_write_tone(ten, 44100, 2, 10, 110, 0.2);

	/* CPU: five runs each, because a shared virtual machine's kernel time
	 * swings with the host's load; the wake-ups do not. */
	double v[CPU_RUNS], w[CPU_RUNS], th[CPU_RUNS];
	for (int i = 0; i < CPU_RUNS; i++)
		v[i] = cpu_run("rain", "brown", 10, &w[i], &th[i]);
	fig("cpu_pct_audio_thread", median(th, CPU_RUNS), 2,
	    "the lull-audio thread alone: rain+brown at 48 kHz, a chime a second; target <= 2");
	fig("cpu_pct_two_layers_cues", median(v, CPU_RUNS), 2,
	    "the same, the whole process (with libpulse's thread); median of 5");
	printf("# the whole process's runs ranged %.2f-%.2f; the audio thread's %.2f-%.2f\n", v[0], v[CPU_RUNS - 1],
	       th[0], th[CPU_RUNS - 1]);
	fig("wakeups_per_s_two_layers_cues", median(w, CPU_RUNS), 0, "context switches of all the process's threads");
	if (pulse) { /* the same without the PulseAudio client: the engine and its thread alone */
		driver = "null";
		for (int i = 0; i < CPU_RUNS; i++)
			v[i] = cpu_run("rain", "brown", 10, NULL, NULL);
		driver = "pulse";
		fig("cpu_pct_two_layers_cues_null", median(v, CPU_RUNS), 2,
		    "the same to the null output: engine and thread without libpulse");
	}
	for (int i = 0; i < CPU_RUNS; i++)
		v[i] = cpu_run("tone44a", "tone44b", 10, NULL, NULL);
	fig("cpu_pct_two_layers_resampled", median(v, CPU_RUNS), 2, "two 44.1 kHz layers resampled to 48 kHz");

	first_use_figures();

	for (int i = 0; i < RUNS; i++)
		v[i] = rss_mb(argv[0], hour, 3600);
	fig("peak_rss_mb_one_hour_file", median(v, RUNS), 1, "streams all of a 1 h file, then plays it live; target <= 16");
	for (int i = 0; i < RUNS; i++)
		v[i] = rss_mb(argv[0], ten, 10);
	fig("peak_rss_mb_ten_second_file", median(v, RUNS), 1, "the same with a 10 s file");

	if (pulse) {
		for (int sched = 1; sched >= 0; sched--) {
			double lat[40 * RUNS], med[RUNS], worst = 0;
			int all = 0;
			for (int r = 0; r < RUNS; r++) {
				int n = latency_run(lat + all, 40, sched);
				for (int i = 0; i < n; i++)
					worst = fabs(lat[all + i]) > fabs(worst) ? lat[all + i] : worst;
				med[r] = n ? median(lat + all, n) : NAN;
				all += n;
			}
			if (sched) {
				printf("# %d scheduled cues, %d for at once next\n", all, 40 * RUNS);
				fig("cue_offset_ms_median", median(med, RUNS), 1,
				    "scheduled cue: onset at the sink monitor minus its time");
				fig("cue_offset_ms_worst", worst, 1, "target within 30 either way");
			} else {
				fig("key_latency_ms_median", median(med, RUNS), 1,
				    "a cue for at once, as the keys: call to onset (the buffer)");
				fig("key_latency_ms_worst", worst, 1, "");
			}
		}

		double g[RUNS];
		for (int r = 0; r < RUNS; r++)
			v[r] = underrun_run(&g[r]);
		fig("underruns_10s_both_cores_busy", median(v, RUNS), 0,
		    "late writes counted by the engine; two busy-loop processes; target 0");
		fig("gaps_heard_10s_both_cores_busy", median(g, RUNS), 0, ">= 1 ms silences in the recorded tone");
		fx_pulse_stop();
	} else {
		printf("# no PulseAudio: cue latency and underruns not measured\n");
	}
	free(p44a);
	free(p44b);
	free(chime);
	free(hour);
	free(ten);
	fx_home_remove();
	return 0;
}
