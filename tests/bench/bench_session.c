/* The session's figures, at 80x24 for `lull start 478 --no-audio`, on the
 * pty harness: bytes a second over the run, during holds and while paused,
 * and over a run on the dark screen (--dark) and in each of its steps;
 * bar updates a second while it moves; CPU and peak RSS; phase-word timing
 * against the schedule and drift at the 30th boundary; exit time after a
 * hang-up with and without SIGHUP ignored. Medians over runs, compared with
 * tests/bench/baseline-session.txt.
 *
 * Usage: bench_session [--runs N] [--cycles N] [--record FILE] [--dark-only]
 * Runs in real time (no LULL_TIME_SCALE): about 3.5 minutes by default. */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../e2e/harness.h"
#include "../e2e/session_env.h"
#include "dark.h"

#define MAX_RUNS 9
#define MAX_BOUNDS 256

struct run_result {
	double bytes_per_s;      /* whole run, first frame to the end */
	double hold_bytes_per_s; /* inside holds, away from their edges */
	double moving_updates_per_s;
	double cpu_pct;
	double rss_kb;
	double err_ms[MAX_BOUNDS]; /* |word shown - scheduled| per boundary */
	int nerr;
	double drift_ms;         /* error at boundary 30 minus error at boundary 1 */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	if (n <= 0)
		return NAN;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double percentile(double *v, int n, double p)
{
	if (n <= 0)
		return NAN;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int i = (int)ceil(p * n) - 1;
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static bool proc_usage(pid_t pid, double *cpu_s, double *rss_kb)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return false;
	unsigned long ut = 0, st = 0;
	/* Fields after the command: state(3) ... utime(14) stime(15). */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return false;
	*cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	*rss_kb = 0;
	if (f) {
		char line[256];
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "VmHWM: %lf", rss_kb) == 1)
				break;
		fclose(f);
	}
	return true;
}

static struct test_home home;

/* The figures are of the breathing screen: 478's breathing block with its
 * guidance lines, from session time 0. The library's 478 begins with Weil's
 * set-up (the tongue's place, a full exhale), so the bench's home has this
 * block alone under the same name, as 478 was when the baseline was taken. */
static void block_478(void)
{
	test_env(&home, NULL);
	char path[400];
	snprintf(path, sizeof path, "%s/config/lull/sessions", home.dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/config/lull/sessions/478.session", home.dir);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs("title \"4-7-8 breathing\"\ntags breathing sleep\n"
	      "say inhale \"In quietly through the nose, for four.\"\n"
	      "say hold   \"Hold the breath, for seven.\"\n"
	      "say exhale \"Out through the mouth with a whoosh, for eight.\"\n"
	      "say hold   \"If the hold is hard, count faster.\"\n"
	      "breathe 4-7-8 for 4 cycles\n", f);
	fclose(f);
}

/* 478 is for sleep, so it goes dark unless told not to: the lit screen's
 * figures are measured lit. */
static struct pty *spawn_478_screen(int cycles, bool ignore_hup, bool dark)
{
	static char cyc[16];
	snprintf(cyc, sizeof cyc, "%d", cycles);
	const char *argv[] = { pty_lull_path(), "start", "478", "--cycles", cyc, "--no-audio",
			       dark ? "--dark" : "--no-dark", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = test_env(&home, NULL),
				   .ignore_sighup = ignore_hup };
	return pty_spawn(argv, &opt);
}

static struct pty *spawn_478(int cycles, bool ignore_hup)
{
	return spawn_478_screen(cycles, ignore_hup, false);
}

/* Bytes and updates between two times. curses may send one update in
 * more than one write: reads less than 3 ms apart count as one update. */
static void window(struct pty *p, double a, double b, size_t *bytes, size_t *updates)
{
	size_t n;
	const struct pty_chunk *c = pty_chunks(p, &n);
	double last = -1;
	*bytes = 0;
	*updates = 0;
	for (size_t i = 0; i < n; i++)
		if (c[i].t >= a && c[i].t < b) {
			*bytes += c[i].len;
			if (c[i].t - last > 0.003)
				(*updates)++;
			last = c[i].t;
		}
}

/* The phase word as the big word shows it, "Hold    7": the word, spaces
 * and its countdown. Guidance lines may use the same words ("Hold for
 * seven."), so the bare word anywhere on the screen is not enough. */
/* One full run. The phase schedule of 478: Inhale 4, Hold 7, Exhale 8. */
static bool one_run(int cycles, struct run_result *r)
{
	memset(r, 0, sizeof *r);
	struct pty *p = spawn_478(cycles, false);
	static const char *words[] = { "Inhale", "Hold", "Exhale" };
	static const double len[] = { 4, 7, 8 };
	if (!session_wait_phase_word(p, "Inhale", 5000)) {
		pty_free(p);
		return false;
	}
	double origin = session_last_chunk_time(p);
	double sched = 0;
	double t_word[MAX_BOUNDS + 1];
	int nb = 0;
	t_word[0] = origin;
	for (int c = 0; c < cycles; c++) {
		for (int ph = 0; ph < 3; ph++) {
			if (c == 0 && ph == 0)
				continue;
			sched += len[(ph + 2) % 3];
			if (!session_wait_phase_word(p, words[ph], 30000)) {
				fprintf(stderr, "bench: no %s at %.1f s\n", words[ph], sched);
				pty_free(p);
				return false;
			}
			if (nb < MAX_BOUNDS) {
				t_word[nb + 1] = session_last_chunk_time(p);
				r->err_ms[nb] = (t_word[nb + 1] - (origin + sched)) * 1000;
				nb++;
			}
		}
	}
	/* The end: the last exhale runs out. */
	double cpu = 0, rss = 0;
	double end_sched = origin + sched + 8;
	while (pty_now() < end_sched - 0.2)
		pty_pump(p, 50);
	proc_usage(pty_pid(p), &cpu, &rss);
	double t_usage = pty_now();
	int status;
	pty_wait_exit(p, 5000, &status);
	double t_end = pty_exit_time(p);

	size_t bytes, chunks, total;
	pty_output(p, &total);
	r->bytes_per_s = (double)total / (t_end - origin + 1e-9);
	r->cpu_pct = cpu / (t_usage - origin + 1e-9) * 100;
	r->rss_kb = rss;
	r->nerr = nb;
	r->drift_ms = nb >= 30 ? r->err_ms[29] - r->err_ms[0] : NAN;
	if (getenv("BENCH_VERBOSE"))
		for (int i = 0; i < nb; i++)
			fprintf(stderr, "bench: boundary %d (%s) %+.2f ms\n", i + 1, words[(i + 1) % 3], r->err_ms[i]);
	for (int i = 0; i < nb; i++)
		r->err_ms[i] = fabs(r->err_ms[i]);

	/* Holds: boundaries 0,3,6.. are Hold starts; 1,4,.. Exhale; 2,5,.. Inhale. */
	size_t hold_bytes = 0;
	double hold_time = 0, move_time = 0;
	size_t move_chunks = 0;
	for (int i = 0; i + 1 <= nb; i++) {
		double a = t_word[i], b = i + 1 <= nb ? t_word[i + 1] : a;
		if (i % 3 == 1) { /* t_word[i] starts a Hold (i = 1, 4, ...) */
			window(p, a + 0.1, b - 0.1, &bytes, &chunks);
			hold_bytes += bytes;
			hold_time += b - a - 0.2;
		} else { /* an inhale or an exhale */
			window(p, a + 0.05, b - 0.05, &bytes, &chunks);
			move_chunks += chunks;
			move_time += b - a - 0.1;
		}
	}
	r->hold_bytes_per_s = hold_time > 0 ? (double)hold_bytes / hold_time : NAN;
	r->moving_updates_per_s = move_time > 0 ? (double)move_chunks / move_time : NAN;
	pty_free(p);
	return true;
}

/* The same 478 on the dark screen: bytes/s over the whole run (first frame
 * to exit, as one_run counts) and within each step of the dark (dark.h),
 * away from its edges. */
static bool dark_run(int cycles, double *all, double *level_bps)
{
	struct pty *p = spawn_478_screen(cycles, false, true);
	if (!session_wait_phase_word(p, "Inhale", 5000)) {
		pty_free(p);
		return false;
	}
	double origin = session_last_chunk_time(p);
	double total_s = cycles * 19.0;
	int status;
	if (!pty_wait_exit(p, (int)(total_s * 1000) + 10000, &status)) {
		pty_free(p);
		return false;
	}
	size_t total;
	pty_output(p, &total);
	*all = (double)total / (pty_exit_time(p) - origin + 1e-9);
	pace_us len = (pace_us)(total_s * PACE_US_PER_S);
	for (int l = DARK_NONE; l <= DARK_BLACK; l++) {
		double a = origin + (double)dark_start(len, l) / PACE_US_PER_S;
		double b = l < DARK_BLACK ? origin + (double)dark_start(len, l + 1) / PACE_US_PER_S : origin + total_s;
		size_t bytes, chunks;
		window(p, a + 0.3, b - 0.3, &bytes, &chunks);
		level_bps[l] = (double)bytes / (b - a - 0.6);
	}
	pty_free(p);
	return true;
}

static double pause_bytes_per_s(void)
{
	struct pty *p = spawn_478(2, false);
	if (!pty_wait_text(p, "Inhale  3", 5000)) {
		pty_free(p);
		return NAN;
	}
	pty_send(p, " ");
	pty_wait_text(p, "Paused", 2000);
	double a = pty_now() + 0.1, b = a + 5;
	while (pty_now() < b)
		pty_pump(p, 100);
	size_t bytes, chunks;
	window(p, a, b, &bytes, &chunks);
	pty_send(p, "q");
	int status;
	pty_wait_exit(p, 2000, &status);
	pty_free(p);
	return (double)bytes / (b - a);
}

static double hangup_ms(bool ignore)
{
	struct pty *p = spawn_478(2, ignore);
	if (!pty_wait_text(p, "Inhale", 5000)) {
		pty_free(p);
		return NAN;
	}
	/* Hang up mid-bar, while the loop sleeps on a deadline. */
	double until = pty_now() + 0.5;
	while (pty_now() < until)
		pty_pump(p, 20);
	double t0 = pty_now();
	pty_hangup(p);
	int status;
	if (!pty_wait_exit(p, 5000, &status)) {
		pty_free(p);
		return NAN;
	}
	double d = (pty_exit_time(p) - t0) * 1000;
	pty_free(p);
	return d;
}

struct figure {
	const char *key;
	const char *label;
	const char *target;
	double value;
};

static double baseline_value(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NAN;
	char line[256], k[64];
	double v = NAN, x;
	while (fgets(line, sizeof line, f))
		if (line[0] != '#' && sscanf(line, "%63s %lf", k, &x) == 2 && strcmp(k, key) == 0)
			v = x;
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	int runs = 3, cycles = 11;
	const char *record = NULL;
	bool dark_only = false; /* the dark screen's figures alone */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--cycles") == 0 && i + 1 < argc)
			cycles = atoi(argv[++i]);
		else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc)
			record = argv[++i];
		else if (strcmp(argv[i], "--dark-only") == 0)
			dark_only = true;
		else {
			fprintf(stderr, "usage: %s [--runs N] [--cycles N] [--record FILE] [--dark-only]\n", argv[0]);
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || cycles < 2)
		return 2;
	setenv("LC_ALL", "C.UTF-8", 1);
	block_478();

	/* The long runs one after another: they are the timing figures, and
	 * running them side by side would measure the machine. */
	struct run_result rr[MAX_RUNS];
	int ok = 0;
	for (int i = 0; i < runs && !dark_only; i++) {
		fprintf(stderr, "bench: run %d of %d (%d cycles of 478, %d s)...\n", i + 1, runs, cycles, cycles * 19);
		if (one_run(cycles, &rr[ok]))
			ok++;
	}
	if (!ok && !dark_only) {
		fprintf(stderr, "bench: no run completed\n");
		return 1;
	}
	double v[MAX_RUNS], all_err[MAX_RUNS * MAX_BOUNDS];
	int nall = 0;
	struct figure fig[24];
	int nf = 0;
#define MED(field) ({ for (int i = 0; i < ok; i++) v[i] = rr[i].field; median(v, ok); })
	fig[nf++] = (struct figure){ "bytes_per_s", "bytes/s over the run", "<= 300", MED(bytes_per_s) };
	fig[nf++] = (struct figure){ "hold_bytes_per_s", "bytes/s during holds", "<= 20", MED(hold_bytes_per_s) };
	fig[nf++] = (struct figure){ "moving_updates_per_s", "bar updates/s while moving", ">= 30", MED(moving_updates_per_s) };
	fig[nf++] = (struct figure){ "cpu_pct", "CPU % of one core", "<= 0.5", MED(cpu_pct) };
	fig[nf++] = (struct figure){ "peak_rss_kb", "peak RSS (KiB)", "-", MED(rss_kb) };
	for (int i = 0; i < ok; i++)
		for (int j = 0; j < rr[i].nerr; j++)
			all_err[nall++] = rr[i].err_ms[j];
	fig[nf++] = (struct figure){ "word_err_p95_ms", "phase word error p95 (ms)", "<= 5", percentile(all_err, nall, 0.95) };
	fig[nf++] = (struct figure){ "word_err_median_ms", "phase word error median (ms)", "-", median(all_err, nall) };
	double drift = MED(drift_ms);
	fig[nf++] = (struct figure){ "drift_30_ms", "drift at boundary 30 (ms)", "|x| <= 5", drift };

	/* The dark screen: one run of the same length (its figures are bytes,
	 * which do not vary from run to run as times do). */
	fprintf(stderr, "bench: the dark screen (%d cycles of 478 --dark, %d s)...\n", cycles, cycles * 19);
	double dark_all = NAN, dark_level[DARK_BLACK + 1];
	for (int l = 0; l <= DARK_BLACK; l++)
		dark_level[l] = NAN;
	dark_run(cycles, &dark_all, dark_level);
	fig[nf++] = (struct figure){ "dark_bytes_per_s", "bytes/s over the run, dark screen", "<= lit", dark_all };
	static const char *const level_key[] = { "dark_lit_bytes_per_s", "dark_dim_bytes_per_s",
						 "dark_dimmer_bytes_per_s", "dark_bar_bytes_per_s",
						 "dark_black_bytes_per_s" };
	static const char *const level_label[] = { "  bytes/s, lit (its start)", "  bytes/s, dimmed",
						   "  bytes/s, dimmer", "  bytes/s, near-black bar",
						   "  bytes/s, black" };
	for (int l = 0; l <= DARK_BLACK; l++)
		fig[nf++] = (struct figure){ level_key[l], level_label[l], l == DARK_BLACK ? "0" : "<= lit", dark_level[l] };

	double hp[5], hi[5];
	double pb[3];
	for (int i = 0; i < 3; i++)
		pb[i] = pause_bytes_per_s();
	fig[nf++] = (struct figure){ "pause_bytes_per_s", "bytes/s while paused", "<= 20", median(pb, 3) };
	for (int i = 0; i < 5; i++) {
		hp[i] = hangup_ms(false);
		hi[i] = hangup_ms(true);
	}
	fig[nf++] = (struct figure){ "hangup_ms", "exit after hang-up (ms)", "<= 100", median(hp, 5) };
	fig[nf++] = (struct figure){ "hangup_ignored_ms", "exit after hang-up, SIGHUP ignored (ms)", "<= 100", median(hi, 5) };

	char base[512];
	const char *src = getenv("LULL_SRCDIR");
	snprintf(base, sizeof base, "%s/tests/bench/baseline-session.txt", src ? src : ".");
	printf("lull session benchmark: 478 --no-audio at 80x24, %d run(s) of %d cycles (medians)\n", ok, cycles);
	printf("%-42s %12s %12s %10s\n", "figure", "now", "baseline", "target");
	for (int i = 0; i < nf; i++) {
		double b = baseline_value(base, fig[i].key);
		printf("%-42s %12.2f %12.2f %10s\n", fig[i].label, fig[i].value, b, fig[i].target);
	}
	if (record) {
		FILE *f = fopen(record, "w");
		if (!f) {
			perror(record);
			return 1;
		}
		fprintf(f, "# lull session benchmark baseline: medians, 478 --no-audio at 80x24,\n"
			   "# %d run(s) of %d cycles. Regenerate with: make bench-session BENCH_ARGS='--record FILE'\n",
			ok, cycles);
		for (int i = 0; i < nf; i++)
			fprintf(f, "%s %.3f\n", fig[i].key, fig[i].value);
		fclose(f);
	}
	test_home_free(&home);
	return 0;
}
