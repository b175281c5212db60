/* SPDX-License-Identifier: ISC */
/* Audio figures (`make bench-audio`; not a test):
 *  - sound at the cost of a plain player: `lull start` of a guided program
 *    (the voice on, two layers, tones) beside `paplay` of one of the same
 *    sounds through the same private PulseAudio server, the CPU of each
 *    and of the server over 30 s, and the ratio (target <= 4); a whole
 *    session's underruns with both cores busy;
 *  - key to ear: volume, mute and pause (and their undoing) from the call
 *    to the change at the sink's monitor;
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
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sndfile.h>

#include "audio.h"
#include "engine.h"
#include "feed.h"
#include "fixture.h"
#include "pace.h"
#include "track.h"
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

/* Times faster than real time the feeder's work goes: a first fill
 * (FEED_AHEAD_S decoded and resampled from a 44.1 kHz file) timed on this
 * thread. make check's test_track only checks that the feeder keeps ahead
 * of a reader at real-time pace; this is how far ahead it could run. */
static double feeder_x_real_time(const char *path)
{
	char err[256];
	struct track *t = track_open(path, 48000, 2, true, 0, err, sizeof err);
	if (!t)
		return NAN;
	struct feed *f = feed_new(t, 48000, 2);
	double t0 = fx_now();
	feed_fill(f);
	double took = fx_now() - t0;
	feed_free(f);
	return FEED_AHEAD_S / took;
}

/* Times faster than real time lull render goes: box, 2 cycles (32.5 s of
 * sound), with a tone bed. make check's test_render only checks that it
 * is not paced in real time. */
static double render_x_real_time(void)
{
	char *out = xasprintf("%s/bench-render.wav", fx_home());
	char *cmd = xasprintf("'%s' render box -o '%s' --cycles 2 --sound tone:0.5 --no-voice >/dev/null",
			      getenv("LULL_BIN"), out);
	double t0 = fx_now();
	int rc = system(cmd);
	double took = fx_now() - t0;
	unlink(out);
	free(cmd);
	free(out);
	return rc == 0 ? 32.5 / took : NAN;
}

#define median fx_median

/* CPU time of a process so far, s, summed over its threads from
 * /proc/PID/task/TID/schedstat (nanoseconds on a CPU: /proc/PID/stat's
 * utime and stime count 10 ms ticks, a third of what paplay spends in 30 s);
 * -1 if it is gone. */
static double proc_cpu_s(pid_t pid)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	double sum = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[400];
		snprintf(path, sizeof path, "%s/%s/schedstat", dir, e->d_name);
		FILE *f = fopen(path, "r");
		unsigned long long ns;
		if (f && fscanf(f, "%llu", &ns) == 1)
			sum += (double)ns / 1e9;
		if (f)
			fclose(f);
	}
	closedir(d);
	return sum;
}

/* The CPU of pid's live children (the synthesiser, if it runs), s. */
static double children_cpu_s(pid_t pid)
{
	double sum = 0;
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char path[300], buf[1024];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		char *rp = strrchr(buf, ')');
		int ppid;
		if (rp && sscanf(rp + 2, "%*c %d", &ppid) == 1 && ppid == (int)pid)
			sum += proc_cpu_s(atoi(e->d_name));
	}
	closedir(d);
	return sum;
}

/* Context switches of pid's threads (all of them, or the one named comm),
 * and with comm that thread's CPU in *cpu_s. -1 if none. */
static long task_switches(pid_t pid, const char *comm, double *cpu_s)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	long sum = -1;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[400], line[128];
		if (comm) {
			snprintf(path, sizeof path, "%s/%s/comm", dir, e->d_name);
			FILE *f = fopen(path, "r");
			bool match = f && fgets(line, sizeof line, f) && strncmp(line, comm, strlen(comm)) == 0 &&
				     line[strlen(comm)] == '\n';
			if (f)
				fclose(f);
			if (!match)
				continue;
			snprintf(path, sizeof path, "%s/%s/schedstat", dir, e->d_name);
			f = fopen(path, "r");
			unsigned long long ns;
			if (f && cpu_s && fscanf(f, "%llu", &ns) == 1)
				*cpu_s = (double)ns / 1e9;
			if (f)
				fclose(f);
		}
		snprintf(path, sizeof path, "%s/%s/status", dir, e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (sum < 0)
			sum = 0;
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

/* Starts argv with stdin, stdout and stderr on /dev/null. */
static pid_t spawn_quiet(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Context switches (voluntary and not) of all this process's threads so
 * far: each is a wake-up. Unlike CPU time on a shared virtual machine,
 * whose kernel time per switch swings tenfold with the host's load, this
 * count does not depend on the machine. */
static long switches(void)
{
	return task_switches(getpid(), NULL, NULL);
}

/* CPU seconds of this process's thread named `name` so far; -1 if there is
 * none. */
static double thread_cpu_s(const char *name)
{
	double cpu = -1;
	return task_switches(getpid(), name, &cpu) < 0 ? -1 : cpu;
}

/* CPU % of one core over `secs` with two layers and a cue every second
 * (scheduled one lead ahead, as a session posts them); wake-ups per second
 * in *wakes. */
static double cpu_run(const char *l1, const char *l2, double secs, double *wakes, double *thread_pct)
{
	struct audio_options o = { .enabled = true, .driver = driver, .volume = 0.8f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	audio_layer_on(a, l1, 0.5f, 1, AUDIO_NOW);
	audio_layer_on(a, l2, 0.4f, 1, AUDIO_NOW);
	fx_sleep(0.5); /* past opening and first decode */
	double c0 = cpu_s(), t0 = fx_now(), a0 = thread_cpu_s("lull-audio"), lead = (double)audio_lead_ns(a) / 1e9;
	long s0 = switches();
	for (int i = 0; i < (int)secs; i++) {
		audio_cue(a, NULL, 1, (int64_t)((t0 + i + lead) * 1e9));
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
 * then play it live for two seconds. Prints its own peak RSS (VmHWM, kB):
 * not the parent's ru_maxrss of it, which counts the bench itself, as big
 * as it has grown, from the fork to the exec. */
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
	FILE *st = fopen("/proc/self/status", "r");
	char line[256];
	double kb = -1;
	while (st && fgets(line, sizeof line, st))
		if (sscanf(line, "VmHWM: %lf", &kb) == 1)
			break;
	if (st)
		fclose(st);
	printf("%.0f\n", kb);
	return kb < 0;
}

static double rss_mb(const char *self, const char *path, double seconds)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char secs[32];
		snprintf(secs, sizeof secs, "%.0f", seconds);
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execl(self, self, "--rss", path, secs, driver, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	char buf[64] = "";
	ssize_t n, got = 0;
	while (got < (ssize_t)sizeof buf - 1 && (n = read(fd[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0)
		got += n;
	close(fd[0]);
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	double kb = atof(buf);
	return kb > 0 ? kb / 1024 : -1;
}

/* Cue timing against the sink's monitor; fills err[] (ms), returns count.
 * scheduled: each cue is posted one lead ahead for its time, as a session
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
	double lead = (double)audio_lead_ns(a) / 1e9;
	double *tc = xcalloc((size_t)ncues, sizeof *tc);
	for (int k = 0; k < ncues; k++) {
		tc[k] = fx_now() + (scheduled ? lead : 0);
		audio_cue(a, NULL, 1, scheduled ? (int64_t)(tc[k] * 1e9) : AUDIO_NOW);
		fx_sleep(0.3);
	}
	fx_sleep(scheduled ? lead + 0.3 : 0.6);
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

/* Underruns over 10 s of a layer and cues while two busy-loop processes load
 * both cores: as the server counts them (it ran out of sound to play),
 * and as heard: gaps (>= 1 ms of digital silence) in the sink's recording of
 * a steady tone. */
static double underrun_run(double *gaps)
{
	bool rec = fx_rec_start() == 0 && fx_rec_wait(0.1, 10);
	struct audio_options o = { .enabled = true, .driver = "pulse", .volume = 0.8f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	audio_layer_on(a, "tone44a", 0.4f, 0, AUDIO_NOW);
	fx_sleep(0.5);
	pid_t b1 = fx_burner(), b2 = fx_burner();
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
		int g = fx_gaps(x, n, (long)((t_load - t0) * RATE), (long)((t_end - t0) * RATE));
		*gaps = g;
		free(x);
	}
	return s.underruns;
}

/* ------------------------------------------- lull beside a plain player */
/* The same private server, one after the other, SIDE_RUNS times each:
 * `lull start` of a guided program (a spoken line and breathing tones every
 * step, rain and brown under them, the voice on, its cache warm) and
 * `paplay` of one of the same sounds (rain, made 40 s long so that it plays
 * through the window). Each is measured over SIDE_WINDOW_S seconds from
 * SIDE_SETTLE_S after it starts: its own CPU (every thread, and children
 * such as the synthesiser) and the server's, from /proc (proc_cpu_s). */
#define SIDE_RUNS 3
#define SIDE_WINDOW_S 30
#define SIDE_SETTLE_S 3

static const char side_program[] =
	"title \"Bench\"\n"
	"description \"A spoken line and slow breathing at every step.\"\n"
	"guide 8s \"Let the shoulders drop, and let the breath slow down.\" breathe 4-0-4-0\n"
	"guide 8s \"Notice the weight of your hands, resting in your lap.\" breathe 4-0-4-0\n"
	"guide 8s \"Let the jaw go loose, and the tongue rest.\" breathe 4-0-4-0\n"
	"guide 8s \"Feel the air, cool on the way in, warm on the way out.\" breathe 4-0-4-0\n"
	"guide 8s \"Let the shoulders drop, and let the breath slow down.\" breathe 4-0-4-0\n"
	"guide 8s \"Notice the weight of your hands, resting in your lap.\" breathe 4-0-4-0\n"
	"guide 8s \"Let the jaw go loose, and the tongue rest.\" breathe 4-0-4-0\n";

struct side {
	double client, server;   /* % of a core */
	double wakes;            /* context switches a second, all the client's threads */
	double audio_cpu, audio_wakes; /* lull's audio thread */
};

static char *lull_argv[16];

/* One run of argv, measured as above; false if it died early. */
static bool side_run(char *const argv[], struct side *out)
{
	pid_t server = fx_pulse_pid();
	pid_t pid = spawn_quiet(argv);
	if (pid < 0)
		return false;
	fx_sleep(SIDE_SETTLE_S);
	double a0 = 0, a1 = 0;
	long aw0 = task_switches(pid, "lull-audio", &a0);
	double c0 = proc_cpu_s(pid) + children_cpu_s(pid), s0 = proc_cpu_s(server), t0 = fx_now();
	long w0 = task_switches(pid, NULL, NULL);
	fx_sleep(SIDE_WINDOW_S);
	double c1 = proc_cpu_s(pid) + children_cpu_s(pid), s1 = proc_cpu_s(server), t1 = fx_now();
	long w1 = task_switches(pid, NULL, NULL);
	long aw1 = task_switches(pid, "lull-audio", &a1);
	bool alive = waitpid(pid, NULL, WNOHANG) == 0 && c0 >= 0 && c1 >= 0;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	double dt = t1 - t0;
	out->client = (c1 - c0) / dt * 100;
	out->server = (s1 - s0) / dt * 100;
	out->wakes = (double)(w1 - w0) / dt;
	out->audio_cpu = aw0 >= 0 ? (a1 - a0) / dt * 100 : NAN;
	out->audio_wakes = aw0 >= 0 ? (double)(aw1 - aw0) / dt : NAN;
	return alive;
}

/* The program, and a first run that fills the voice's cache (at 20x:
 * every line is asked for at the start). */
static void side_setup(const char *h)
{
	if (fx_write_file("config/lull/sessions/bench.session", side_program) != 0)
		fprintf(stderr, "cannot write the bench program\n");
	static char *args[] = { "start", "bench", "--plain", "--audio", "--cues", "--voice", "--sound",
				"rain:0.5", "--sound", "brown:0.3", NULL };
	lull_argv[0] = getenv("LULL_BIN") ? getenv("LULL_BIN") : "lull";
	for (size_t i = 0; args[i]; i++)
		lull_argv[i + 1] = args[i];
	setenv("LULL_TIME_SCALE", "20", 1);
	pid_t pid = spawn_quiet(lull_argv);
	waitpid(pid, NULL, 0);
	unsetenv("LULL_TIME_SCALE");
	(void)h;
}

/* rain four times over (80 s) in one FLAC: what paplay plays. */
static char *long_rain(const char *h)
{
	char *in = xasprintf("%s/rain.flac", getenv("LULL_SOUNDS_DIR") ? getenv("LULL_SOUNDS_DIR") : "sounds");
	char *out = xasprintf("%s/rain-long.flac", h);
	SF_INFO si = { 0 };
	SNDFILE *r = sf_open(in, SFM_READ, &si);
	if (!r) {
		fprintf(stderr, "cannot read %s\n", in);
		free(in);
		return out;
	}
	SF_INFO so = si;
	SNDFILE *w = sf_open(out, SFM_WRITE, &so);
	static short buf[4096 * 2];
	for (int pass = 0; w && pass < 4; pass++) {
		sf_seek(r, 0, SEEK_SET);
		sf_count_t got;
		while ((got = sf_readf_short(r, buf, si.channels <= 2 ? 4096 : 1)) > 0)
			sf_writef_short(w, buf, got);
	}
	if (w)
		sf_close(w);
	sf_close(r);
	free(in);
	return out;
}

static void side_by_side(const char *h)
{
	side_setup(h);
	char *rain = long_rain(h);
	char *paplay[] = { "paplay", rain, NULL };
	struct side l[SIDE_RUNS], p[SIDE_RUNS];
	double lc[SIDE_RUNS], ls[SIDE_RUNS], pc[SIDE_RUNS], ps[SIDE_RUNS], lw[SIDE_RUNS], pw[SIDE_RUNS];
	double ac[SIDE_RUNS], aw[SIDE_RUNS], ratio[SIDE_RUNS];
	for (int i = 0; i < SIDE_RUNS; i++) {
		if (!side_run(lull_argv, &l[i]))
			fprintf(stderr, "lull ended before the window did\n");
		if (!side_run(paplay, &p[i]))
			fprintf(stderr, "paplay ended before the window did\n");
		lc[i] = l[i].client, ls[i] = l[i].server, lw[i] = l[i].wakes;
		pc[i] = p[i].client, ps[i] = p[i].server, pw[i] = p[i].wakes;
		ac[i] = l[i].audio_cpu, aw[i] = l[i].audio_wakes;
		ratio[i] = (lc[i] + ls[i]) / (pc[i] + ps[i]);
		printf("# run %d: lull %.2f + %.2f (audio thread %.2f, %.1f wake-ups/s), paplay %.2f + %.2f: %.1fx\n",
		       i + 1, lc[i], ls[i], ac[i], aw[i], pc[i], ps[i], ratio[i]);
	}
	double mlc = median(lc, SIDE_RUNS), mls = median(ls, SIDE_RUNS), mpc = median(pc, SIDE_RUNS),
	       mps = median(ps, SIDE_RUNS);
	fig("side_cpu_pct_lull_client", mlc, 2, "lull start, a guided program with the voice, rain+brown, tones");
	fig("side_cpu_pct_lull_server", mls, 2, "  the PulseAudio server meanwhile");
	fig("side_cpu_pct_paplay_client", mpc, 2, "paplay of rain through the same server");
	fig("side_cpu_pct_paplay_server", mps, 2, "  the server meanwhile");
	fig("side_ratio_lull_to_paplay", (mlc + mls) / (mpc + mps), 2,
	    "(lull client+server) / (paplay client+server), of the medians; target <= 4");
	fig("side_ratio_median_of_runs", median(ratio, SIDE_RUNS), 2, "  the same ratio run by run, its median");
	fig("side_wakeups_per_s_lull", median(lw, SIDE_RUNS), 0, "context switches a second, all lull's threads");
	fig("side_wakeups_per_s_lull_audio", median(aw, SIDE_RUNS), 1, "  the audio thread's");
	fig("side_cpu_pct_lull_audio_thread", median(ac, SIDE_RUNS), 2, "  the audio thread's CPU");
	fig("side_wakeups_per_s_paplay", median(pw, SIDE_RUNS), 0, "context switches a second, paplay's");
	free(rain);
}

/* ------------------------------------------------------ key to the ear */
/* A steady 1 kHz tone (a layer), and each key's call in turn: mute, unmute,
 * volume down, volume up, pause, resume, 0.6 s apart (1 s after resume).
 * The latency is from the call to the first 5 ms window of the sink's
 * monitor whose level has moved 0.2 dB, or, out of silence (unmute,
 * resume), risen above -40 dB of the level before: the start of the key's
 * ramp (80 ms for volume and mute, 150 ms for pause, 600 ms for resume),
 * which reaches those levels within 1-14 ms of its start. */
enum { KEY_MUTE, KEY_UNMUTE, KEY_DOWN, KEY_UP, KEY_PAUSE, KEY_RESUME, NKEYS };
static const char *const key_names[NKEYS] = { "mute", "unmute", "volume down", "volume up", "pause", "resume" };
#define KEY_CYCLES 5

/* RMS of x over the 5 ms window centred on i. */
static double win_rms(const float *x, long n, long i)
{
	long from = i - RATE / 400, len = RATE / 200;
	if (from < 0 || from + len > n)
		return -1;
	return fx_rms(x, from, len);
}

static int key_run(double *lat, int *kind_out)
{
	int kind[KEY_CYCLES * NKEYS];
	if (fx_rec_start() != 0)
		return 0;
	fx_rec_wait(0.2, 10);
	struct audio_options o = { .enabled = true, .driver = "pulse", .volume = 0.8f, .time_scale = 1 };
	struct audio *a = audio_start(&o);
	audio_prepare(a, NULL, (const char *const[]){ "keytone", NULL });
	audio_layer_on(a, "keytone", 1, 0, AUDIO_NOW);
	fx_sleep(1.5);
	double tc[KEY_CYCLES * NKEYS];
	int k = 0;
	for (int c = 0; c < KEY_CYCLES; c++) {
		for (int key = 0; key < NKEYS; key++) {
			tc[k] = fx_now();
			switch (key) {
			case KEY_MUTE: case KEY_UNMUTE: audio_toggle_mute(a); break;
			case KEY_DOWN: audio_volume_step(a, -1); break;
			case KEY_UP: audio_volume_step(a, +1); break;
			case KEY_PAUSE: audio_pause(a, true); break;
			case KEY_RESUME: audio_pause(a, false); break;
			}
			kind[k++] = key;
			fx_sleep(key == KEY_RESUME ? 1.0 : 0.6);
		}
	}
	audio_stop(a, 2000);
	long n;
	double t0;
	float *x = fx_rec_stop(&n, &t0);
	int got = 0;
	for (int i = 0; i < k; i++) {
		long at = (long)((tc[i] - t0) * RATE);
		bool up = kind[i] == KEY_UNMUTE || kind[i] == KEY_RESUME, rise = kind[i] == KEY_UP;
		/* Against the level just before, or, out of silence, the
		 * level before the key this one undoes. */
		double ref = win_rms(x, n, at - RATE / 100 - (up ? (long)(0.6 * RATE) : 0));
		double moved = -1;
		for (long j = at - RATE / 200; ref > 0 && j < at + RATE / 2; j += RATE / 1000) {
			double r = win_rms(x, n, j);
			if (r < 0)
				break;
			if (up ? r > ref * 0.01 : rise ? r > ref * pow(10, 0.2 / 20) : r < ref * pow(10, -0.2 / 20)) {
				moved = (double)(j - at) / RATE * 1000;
				break;
			}
		}
		if (moved < 0) {
			fprintf(stderr, "key %s (%d): no change heard within 0.5 s\n", key_names[kind[i]], i / NKEYS);
			continue;
		}
		lat[got] = moved;
		kind_out[got++] = kind[i];
	}
	free(x);
	return got;
}

static void key_figures(const char *h)
{
	char *p = xasprintf("%s/data/lull/sounds/keytone.wav", h);
	/* Longer than a run: a loop's crossfade would move the level. */
	fx_write_tone(p, RATE, 1, 40, 1000, 0.5);
	free(p);
	enum { MAXK = 2 * KEY_CYCLES * NKEYS };
	double lat[MAXK], per[NKEYS][MAXK], worst = 0;
	int kind[MAXK], nper[NKEYS] = { 0 }, all = 0;
	for (int r = 0; r < 2; r++) {
		int n = key_run(lat + all, kind + all);
		all += n;
	}
	for (int i = 0; i < all; i++) {
		per[kind[i]][nper[kind[i]]++] = lat[i];
		worst = lat[i] > worst ? lat[i] : worst;
	}
	printf("# key to ear, median (worst) by key, ms:");
	for (int k = 0; k < NKEYS; k++) {
		double w = 0;
		for (int i = 0; i < nper[k]; i++)
			w = per[k][i] > w ? per[k][i] : w;
		printf(" %s %.1f (%.0f)%s", key_names[k], nper[k] ? median(per[k], nper[k]) : NAN, w,
		       k + 1 < NKEYS ? "," : "\n");
	}
	fig("key_to_ear_ms_median", all ? median(lat, all) : NAN, 1,
	    "volume, mute, pause and their undoing: call to the change at the sink monitor");
	fig("key_to_ear_ms_worst", worst, 1, "");
}

/* Underruns of a whole session (as above, the voice on) while two
 * busy-loop processes load both cores: the server's count, as lull's debug
 * log says it, over SIDE_WINDOW_S. */
static double session_underruns(const char *h)
{
	char *log = xasprintf("%s/state/lull/debug.log", h);
	unlink(log);
	setenv("LULL_DEBUG", "1", 1);
	pid_t pid = spawn_quiet(lull_argv);
	unsetenv("LULL_DEBUG");
	fx_sleep(SIDE_SETTLE_S);
	pid_t b1 = fx_burner(), b2 = fx_burner();
	fx_sleep(SIDE_WINDOW_S);
	kill(b1, SIGKILL);
	kill(b2, SIGKILL);
	waitpid(b1, NULL, 0);
	waitpid(b2, NULL, 0);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	FILE *f = fopen(log, "r");
	free(log);
	if (!f)
		return NAN;
	char line[600];
	int n = 0;
	while (fgets(line, sizeof line, f))
		if (strstr(line, " underrun "))
			n++;
	fclose(f);
	return n;
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
	if (argc == 2 && (strcmp(argv[1], "--side") == 0 || strcmp(argv[1], "--keys") == 0)) {
		/* quick looks: lull beside paplay (with the loaded session's
		 * underruns), or the keys to the ear, alone */
		const char *h = fx_home();
		if (fx_pulse_start() != 0)
			return 1;
		if (strcmp(argv[1], "--side") == 0) {
			side_by_side(h);
			printf("underruns in %d s of the session, both cores busy: %.0f\n", SIDE_WINDOW_S,
			       session_underruns(h));
		} else {
			key_figures(h);
		}
		fx_pulse_stop();
		fx_home_remove();
		return 0;
	}
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

	if (pulse) { /* the figures first: beside a plain player, the keys */
		side_by_side(h);
		fig("underruns_30s_session_both_cores_busy", session_underruns(h), 0,
		    "lull start as above, two busy-loop processes, as the debug log counts them; target 0");
		key_figures(h);
	}

	/* CPU: five runs each, because a shared virtual machine's kernel time
	 * swings with the host's load; the wake-ups do not. */
	double v[CPU_RUNS], w[CPU_RUNS], th[CPU_RUNS];
	for (int i = 0; i < CPU_RUNS; i++)
		v[i] = cpu_run("rain", "brown", 10, &w[i], &th[i]);
	fig("cpu_pct_audio_thread", median(th, CPU_RUNS), 2,
	    "the lull-audio thread alone: rain+brown at 48 kHz, a chime a second; target <= 2");
	fig("cpu_pct_two_layers_cues", median(v, CPU_RUNS), 2,
	    "the same, the whole process (with the feeder's decoding); median of 5");
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
	{
		char *p44 = xasprintf("%s/data/lull/sounds/feedtone.flac", fx_home());
		fx_write_tone(p44, 44100, 2, 10, 110, 0.3);
		for (int i = 0; i < RUNS; i++)
			v[i] = feeder_x_real_time(p44);
		free(p44);
	}
	fig("feeder_x_real_time", median(v, RUNS), 0,
	    "a feed's first fill, 44.1 kHz to 48 kHz, times real time (make check: keeps ahead at 1x)");
	for (int i = 0; i < RUNS; i++)
		v[i] = render_x_real_time();
	fig("render_x_real_time", median(v, RUNS), 0, "lull render box --cycles 2 with a tone bed, times real time");

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
				    "a cue for at once, as the keys: call to onset (written again 30 ms past what is heard)");
				fig("key_latency_ms_worst", worst, 1, "");
			}
		}

		double g[RUNS];
		for (int r = 0; r < RUNS; r++)
			v[r] = underrun_run(&g[r]);
		fig("underruns_10s_both_cores_busy", median(v, RUNS), 0,
		    "as the server counts them; two busy-loop processes; target 0");
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
