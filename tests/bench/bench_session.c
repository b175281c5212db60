/* SPDX-License-Identifier: ISC */
/* The session's figures, at 80x24 for `lull start 478 --no-audio`, on the
 * pty harness: bytes a second over the run, during holds and while paused,
 * and over a run on the dark screen (--dark) and in each of its steps;
 * bar updates a second while it moves; CPU and peak RSS; phase-word timing
 * against the schedule and drift at the 30th boundary; exit time after a
 * hang-up with and without SIGHUP ignored. First, the screen at 80x24 and
 * 200x50 in steady play: its bytes a second, where they go (the bar, the
 * counters, the progress line, cursor moves, the rest), beside the floor
 * the bar's steps set; writes and wake-ups a second. Medians over runs,
 * compared with tests/bench/baseline-session.txt.
 *
 * Usage: bench_session [--runs N] [--cycles N] [--size-runs N] [--size-cycles N]
 *                      [--scale S] [--record FILE] [--dark-only | --sizes-only]
 * The two sizes run sped up (--scale, 4 by default: about 5 minutes for
 * 3 runs at each; what is drawn, and when, follows session time, so a
 * scale of 1 gives the same figures), the rest in real time (no
 * LULL_TIME_SCALE): about 15 minutes by default. */
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
#include "pace.h"
#include "screen.h"

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
	if (!session_wait_phase_word(p, "Inhale", 5000)) {
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

/* --- the screen at two sizes ------------------------------------------

 * Where the bytes of steady play go, at 80x24 and 200x50: whole cycles of
 * 478 from the second to the last but one (the first frame and the end
 * apart), sped up by LULL_TIME_SCALE and counted per second of session time,
 * which is a real-speed second: what is drawn, and when, is a function of
 * session time. Every byte is put in one class by following the cursor
 * through the stream: a sequence that only moves the cursor is a cursor move;
 * anything else (text, attributes, erasing) belongs to the row it is written
 * on, and rows are known from the screen itself. */

enum byte_class { BC_BAR, BC_COUNTERS, BC_PROGRESS, BC_MOVES, BC_OTHER, BC_N };
static const char *const class_label[BC_N] = { "bar", "counters", "progress line", "cursor moves", "other" };
static const char *const class_key[BC_N] = { "bar", "counters", "progress", "moves", "other" };
static const char *const class_figure[BC_N] = { "  bar", "  counters", "  progress line", "  cursor moves", "  other" };

#define SIZE_MAX_ROWS 64

struct size_result {
	double bytes_per_s, class_per_s[BC_N];
	double bar_all_per_s; /* the bar's bytes and the cursor moves that land on its rows */
	double moves_to_per_s[BC_N]; /* cursor moves by the class of the row they land on */
	double writes_per_s, wakeups_per_s, updates_per_s;
	double first_frame_bytes;
	int bar_cells, bar_rows;
};

/* What each row of the screen is, read once while the bar is full. */
struct layout {
	enum byte_class row[SIZE_MAX_ROWS];
	int bar_cells, bar_rows;
};

static bool row_has(const char *row, const char *s) { return strstr(row, s) != NULL; }

static void read_layout(struct pty *p, int rows, struct layout *l)
{
	memset(l, 0, sizeof *l);
	for (int y = 0; y < rows && y < SIZE_MAX_ROWS; y++) {
		const char *r = pty_row(p, y);
		l->row[y] = BC_OTHER;
		if (row_has(r, "\xe2\x94\x81") || row_has(r, "\xe2\x94\x80")) {
			l->row[y] = BC_PROGRESS; /* ━ done, ─ to come */
		} else if (row_has(r, "\xe2\x96\x88")) {
			l->row[y] = BC_BAR;
			int n = 0;
			for (const char *c = strstr(r, "\xe2\x96\x88"); c; c = strstr(c + 3, "\xe2\x96\x88"))
				n++;
			if (n > l->bar_cells)
				l->bar_cells = n;
			l->bar_rows++;
		} else if ((row_has(r, "cycle ") && row_has(r, " left")) || row_has(r, "Hold  ")) {
			l->row[y] = BC_COUNTERS; /* "cycle 1 of 6 ... left", "Hold    7" */
		}
	}
}

/* The cursor through the byte stream, as a VT100-style terminal moves it. */
struct vt {
	int row, col, save_row, save_col;
	int state; /* 0 ground, 1 ESC, 2 CSI, 3 one more byte (ESC ( B), 4 OSC */
	int par[8], npar;
	bool priv;
	size_t seq; /* bytes of the sequence so far */
};

/* Feeds one byte; returns how many bytes (of this one and the sequence it
 * ends) are complete, with *moves set when they only moved the cursor and
 * *row set to the row they were written on. */
static size_t vt_feed(struct vt *v, unsigned char b, bool *moves, int *row)
{
	*row = v->row;
	*moves = false;
	int n1;
	switch (v->state) {
	case 0:
		if (b == 0x1b) {
			v->state = 1;
			v->seq = 1;
			return 0;
		}
		if (b == '\b' || b == '\r' || b == '\n' || b == '\t') {
			if (b == '\b' && v->col > 0)
				v->col--;
			else if (b == '\r')
				v->col = 0;
			else if (b == '\n')
				v->row++;
			else
				v->col = (v->col / 8 + 1) * 8;
			*moves = true;
			return 1;
		}
		if (b < 0x80 || b >= 0xc0)
			v->col++; /* a character starts (no wide ones are drawn) */
		return 1;
	case 1:
		v->seq++;
		v->state = 0;
		if (b == '[') {
			v->state = 2;
			v->npar = 0;
			v->par[0] = 0;
			v->priv = false;
			return 0;
		}
		if (b == ']') {
			v->state = 4;
			return 0;
		}
		if (b == '(' || b == ')' || b == '#') {
			v->state = 3;
			return 0;
		}
		if (b == '7') {
			v->save_row = v->row;
			v->save_col = v->col;
		} else if (b == '8') {
			v->row = v->save_row;
			v->col = v->save_col;
			*moves = true;
		} else if (b == 'M') {
			v->row--;
			*moves = true;
		} else if (b == 'D' || b == 'E') {
			v->row++;
			if (b == 'E')
				v->col = 0;
			*moves = true;
		}
		return v->seq;
	case 3:
		v->state = 0;
		return v->seq + 1;
	case 4:
		v->seq++;
		if (b == 7 || b == '\\') {
			v->state = 0;
			return v->seq;
		}
		return 0;
	default:
		break;
	}
	/* CSI */
	v->seq++;
	if (b == '?' || b == '>' || b == '=') {
		v->priv = true;
		return 0;
	}
	if (b >= '0' && b <= '9') {
		if (v->npar == 0)
			v->npar = 1;
		v->par[v->npar - 1] = v->par[v->npar - 1] * 10 + (b - '0');
		return 0;
	}
	if (b == ';') {
		if (v->npar == 0)
			v->npar = 1;
		if (v->npar < 8)
			v->par[v->npar++] = 0;
		return 0;
	}
	if (b < 0x40 || b > 0x7e)
		return 0; /* intermediates */
	v->state = 0;
	n1 = v->npar >= 1 && v->par[0] > 0 ? v->par[0] : 1;
	if (!v->priv) {
		*moves = true;
		switch (b) {
		case 'H':
		case 'f':
			v->row = n1 - 1;
			v->col = v->npar >= 2 && v->par[1] > 0 ? v->par[1] - 1 : 0;
			break;
		case 'd': v->row = n1 - 1; break;
		case 'G':
		case '`': v->col = n1 - 1; break;
		case 'A': v->row -= n1; break;
		case 'B':
		case 'e': v->row += n1; break;
		case 'C':
		case 'a': v->col += n1; break;
		case 'D': v->col = v->col >= n1 ? v->col - n1 : 0; break;
		case 'E': v->row += n1; v->col = 0; break;
		case 'F': v->row -= n1; v->col = 0; break;
		case 'r': v->row = 0; v->col = 0; break;
		default:
			*moves = false;
			if (b == 'b')
				v->col += n1; /* repeat the last character */
			break;
		}
	}
	return v->seq;
}

/* Bytes a second the bar needs at the least, drawn `cells` wide through one
 * cycle of 478: every step of it (pace_levels_for: eighths of a cell, at
 * most SCREEN_BAR_RATE a second), each the bytes of the cells it changes,
 * with the cursor already in the bar's row where the last step left it (a
 * backspace to go back a cell). *steps_per_s: the steps a second. */
static double bar_floor(int cells, double *steps_per_s)
{
	static const struct { double len; int dir; } phase[] = { { 4, +1 }, { 7, 0 }, { 8, -1 } };
	int full = 8 * cells;
	int cursor = 0;
	long bytes = 0, steps = 0;
	int shown = 0; /* eighths filled: empty before the inhale */
	for (size_t i = 0; i < sizeof phase / sizeof phase[0]; i++) {
		if (!phase[i].dir)
			continue;
		pace_us len = (pace_us)(phase[i].len * PACE_US_PER_S);
		int levels = pace_levels_for(len, cells, SCREEN_BAR_RATE);
		for (int lvl = 1; lvl <= levels; lvl++) {
			int e = phase[i].dir > 0 ? (int)((int64_t)lvl * full / levels)
						 : (int)((int64_t)(levels - lvl) * full / levels);
			if (e == shown)
				continue;
			steps++;
			for (int c = 0; c < cells; c++) {
				int before = shown - 8 * c, after = e - 8 * c;
				before = before < 0 ? 0 : before > 8 ? 8 : before;
				after = after < 0 ? 0 : after > 8 ? 8 : after;
				if (before == after)
					continue;
				bytes += cursor - c > 0 && cursor - c <= 3 ? cursor - c : cursor == c ? 0 : 4;
				bytes += after ? 3 : 1; /* a block in UTF-8, or a space */
				cursor = c + 1;
			}
			shown = e;
		}
	}
	double cycle = 4 + 7 + 8;
	*steps_per_s = (double)steps / cycle;
	return (double)bytes / cycle;
}

/* Write calls and voluntary context switches (each a wake-up from a wait)
 * of the process so far. */
static bool proc_counts(pid_t pid, double *writes, double *wakeups)
{
	char path[64], line[256];
	bool w = false, k = false;
	snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
	FILE *f = fopen(path, "r");
	if (f) {
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "syscw: %lf", writes) == 1)
				w = true;
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f) {
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "voluntary_ctxt_switches: %lf", wakeups) == 1)
				k = true;
		fclose(f);
	}
	return w && k;
}

static void pump_until(struct pty *p, double t)
{
	for (double now = pty_now(); now < t; now = pty_now()) {
		int ms = (int)((t - now) * 1000);
		pty_pump(p, ms < 1 ? 1 : ms > 20 ? 20 : ms);
	}
}

static bool size_run(int rows, int cols, int cycles, double scale, struct size_result *r)
{
	memset(r, 0, sizeof *r);
	char cyc[16], sc[48];
	snprintf(cyc, sizeof cyc, "%d", cycles);
	snprintf(sc, sizeof sc, "LULL_TIME_SCALE=%g", scale);
	const char *extra[] = { sc, NULL };
	const char *argv[] = { pty_lull_path(), "start", "478", "--cycles", cyc, "--no-audio", "--no-dark", NULL };
	struct pty_options opt = { .rows = rows, .cols = cols, .env = test_env(&home, extra) };
	struct pty *p = pty_spawn(argv, &opt);
	if (!session_wait_phase_word(p, "Inhale", 5000)) {
		pty_free(p);
		return false;
	}
	double origin = session_last_chunk_time(p);
	size_t first_frame;
	pty_output(p, &first_frame);
	r->first_frame_bytes = (double)first_frame;
	/* Mid-hold of the first cycle: the bar is full. */
	struct layout lay;
	pump_until(p, origin + 7.5 / scale);
	read_layout(p, rows, &lay);
	r->bar_cells = lay.bar_cells;
	r->bar_rows = lay.bar_rows;
	/* The window: whole cycles, 2 .. cycles - 1. A frame due at an edge
	 * arrives just after it, so the edges sit a quarter of a bar step
	 * early: the window holds the first boundary, not the last. */
	double cycle = 19 / scale, early = 0.25 / SCREEN_BAR_RATE / scale;
	double a = origin + cycle - early, b = origin + (cycles - 1) * cycle - early;
	double w0 = 0, k0 = 0, w1 = 0, k1 = 0;
	pump_until(p, a);
	double ta = pty_now();
	bool counted = proc_counts(pty_pid(p), &w0, &k0);
	pump_until(p, b);
	double tb = pty_now();
	counted = counted && proc_counts(pty_pid(p), &w1, &k1);
	int status;
	pty_wait_exit(p, (int)(cycle * 1000) + 5000, &status);

	size_t n, len;
	const struct pty_chunk *c = pty_chunks(p, &n);
	const char *out = pty_output(p, &len);
	struct vt v = { 0 };
	double cls[BC_N] = { 0 }, moves_to[BC_N] = { 0 }, bar_all = 0, last = -1;
	size_t updates = 0;
	for (size_t i = 0; i < n; i++) {
		bool in = c[i].t >= a && c[i].t < b;
		if (in && c[i].t - last > 0.001)
			updates++;
		if (in)
			last = c[i].t;
		for (size_t j = 0; j < c[i].len; j++) {
			bool moves;
			int row;
			size_t done = vt_feed(&v, (unsigned char)out[c[i].offset + j], &moves, &row);
			if (!in || !done)
				continue;
			enum byte_class k = row >= 0 && row < SIZE_MAX_ROWS ? lay.row[row] : BC_OTHER;
			enum byte_class to = v.row >= 0 && v.row < SIZE_MAX_ROWS ? lay.row[v.row] : BC_OTHER;
			if (moves)
				moves_to[to] += (double)done;
			if ((moves && to == BC_BAR) || (!moves && k == BC_BAR))
				bar_all += (double)done;
			cls[moves ? BC_MOVES : k] += (double)done;
		}
	}
	double session_s = (b - a) * scale;
	for (int k = 0; k < BC_N; k++) {
		r->moves_to_per_s[k] = moves_to[k] / session_s;
		r->class_per_s[k] = cls[k] / session_s;
		r->bytes_per_s += r->class_per_s[k];
	}
	r->updates_per_s = (double)updates / session_s;
	r->bar_all_per_s = bar_all / session_s;
	r->writes_per_s = counted ? (w1 - w0) / ((tb - ta) * scale) : NAN;
	r->wakeups_per_s = counted ? (k1 - k0) / ((tb - ta) * scale) : NAN;
	pty_free(p);
	return true;
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

/* The real-time figures at 80x24: the long runs, the dark screen, pause and
 * hang-up. */
static void more_figures(int runs, int cycles, bool dark_only, struct figure *fig, int *nfig)
{
	int nf = *nfig;
	double v[MAX_RUNS];
	/* The long runs one after another: they are the timing figures, and
	 * running them side by side would measure the machine. */
	struct run_result rr[MAX_RUNS];
	int ok = 0;
	for (int i = 0; i < runs && !dark_only; i++) {
		fprintf(stderr, "bench: run %d of %d (%d cycles of 478, %d s)...\n", i + 1, runs, cycles, cycles * 19);
		if (one_run(cycles, &rr[ok]))
			ok++;
	}
	if (!ok && !dark_only)
		fprintf(stderr, "bench: no run completed\n");
	double all_err[MAX_RUNS * MAX_BOUNDS];
	int nall = 0;
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

	*nfig = nf;
}

int main(int argc, char **argv)
{
	int runs = 3, cycles = 11, size_runs = 3, size_cycles = 11;
	double scale = 4;
	const char *record = NULL;
	bool dark_only = false;  /* the dark screen's figures alone */
	bool sizes_only = false; /* the two sizes' figures alone */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--cycles") == 0 && i + 1 < argc)
			cycles = atoi(argv[++i]);
		else if (strcmp(argv[i], "--size-runs") == 0 && i + 1 < argc)
			size_runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--size-cycles") == 0 && i + 1 < argc)
			size_cycles = atoi(argv[++i]);
		else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = atof(argv[++i]);
		else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc)
			record = argv[++i];
		else if (strcmp(argv[i], "--dark-only") == 0)
			dark_only = true;
		else if (strcmp(argv[i], "--sizes-only") == 0)
			sizes_only = true;
		else {
			fprintf(stderr, "usage: %s [--runs N] [--cycles N] [--size-runs N] [--size-cycles N] [--scale S]\n"
					"       [--record FILE] [--dark-only | --sizes-only]\n", argv[0]);
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || cycles < 2 || size_runs < 1 || size_runs > MAX_RUNS || size_cycles < 3 ||
	    !(scale >= 1 && scale <= 16))
		return 2;
	setenv("LC_ALL", "C.UTF-8", 1);
	block_478();

	struct figure fig[64];
	int nf = 0;
	double v[MAX_RUNS];

	/* The two sizes first: they are sped up, so short. */
	static const int size_dims[2][2] = { { 24, 80 }, { 50, 200 } };
	struct size_result sm[2];
	double floor_steps = NAN, floor_bps = NAN;
	for (int d = 0; d < 2 && !dark_only; d++) {
		struct size_result sr[MAX_RUNS];
		int sok = 0;
		for (int i = 0; i < size_runs; i++) {
			fprintf(stderr, "bench: %dx%d, run %d of %d (%d cycles of 478 at %gx, %.0f s)...\n", size_dims[d][1],
				size_dims[d][0], i + 1, size_runs, size_cycles, scale, size_cycles * 19 / scale);
			if (size_run(size_dims[d][0], size_dims[d][1], size_cycles, scale, &sr[sok]))
				sok++;
		}
		if (!sok) {
			fprintf(stderr, "bench: no run at %dx%d completed\n", size_dims[d][1], size_dims[d][0]);
			return 1;
		}
#define SMED(field) ({ for (int i = 0; i < sok; i++) v[i] = sr[i].field; median(v, sok); })
		sm[d].bytes_per_s = SMED(bytes_per_s);
		for (int k = 0; k < BC_N; k++) {
			sm[d].class_per_s[k] = SMED(class_per_s[k]);
			sm[d].moves_to_per_s[k] = SMED(moves_to_per_s[k]);
		}
		sm[d].writes_per_s = SMED(writes_per_s);
		sm[d].wakeups_per_s = SMED(wakeups_per_s);
		sm[d].updates_per_s = SMED(updates_per_s);
		sm[d].bar_all_per_s = SMED(bar_all_per_s);
		sm[d].first_frame_bytes = SMED(first_frame_bytes);
		sm[d].bar_cells = sr[0].bar_cells;
		sm[d].bar_rows = sr[0].bar_rows;
		if (d == 0)
			floor_bps = bar_floor(sm[0].bar_cells, &floor_steps);
	}
	if (!dark_only) {
		double wide_floor_steps;
		double wide_floor = bar_floor(sm[1].bar_cells, &wide_floor_steps);
		printf("lull screen at two sizes: 478 --no-audio --no-dark, cycles 2..%d of %d at LULL_TIME_SCALE=%g,\n"
		       "per second of session time (a real-speed second), medians of %d run(s)\n",
		       size_cycles - 1, size_cycles, scale, size_runs);
		printf("%-34s %10s %10s\n", "", "80x24", "200x50");
		printf("%-34s %10d %10d\n", "bar cells", sm[0].bar_cells, sm[1].bar_cells);
		printf("%-34s %10d %10d\n", "bar rows", sm[0].bar_rows, sm[1].bar_rows);
		printf("%-34s %10.2f %10.2f\n", "bytes/s, steady play", sm[0].bytes_per_s, sm[1].bytes_per_s);
		static const char *const moves_to_label[BC_N] = { "to the bar", "to the counters", "to the progress line",
								   "-", "elsewhere" };
		for (int k = 0; k < BC_N; k++) {
			printf("  %-32s %10.2f %10.2f\n", class_label[k], sm[0].class_per_s[k], sm[1].class_per_s[k]);
			for (int to = 0; k == BC_MOVES && to < BC_N; to++)
				if (to != BC_MOVES)
					printf("    %-30s %10.2f %10.2f\n", moves_to_label[to], sm[0].moves_to_per_s[to],
					       sm[1].moves_to_per_s[to]);
		}
		printf("%-34s %10.2f %10.2f\n", "the bar with the moves to it", sm[0].bar_all_per_s, sm[1].bar_all_per_s);
		printf("%-34s %10.2f %10.2f\n", "floor: bar steps/s", floor_steps, wide_floor_steps);
		printf("%-34s %10.2f %10.2f\n", "floor: bytes/s", floor_bps, wide_floor);
		printf("%-34s %10.2f %10.2f   (target <= 1.2)\n", "bytes/s / floor", sm[0].bytes_per_s / floor_bps,
		       sm[1].bytes_per_s / wide_floor);
		printf("%-34s %21.2f   (target <= 1.3)\n", "200x50 / 80x24", sm[1].bytes_per_s / sm[0].bytes_per_s);
		printf("%-34s %10.2f %10.2f\n", "writes/s", sm[0].writes_per_s, sm[1].writes_per_s);
		printf("%-34s %10.2f %10.2f\n", "wake-ups/s", sm[0].wakeups_per_s, sm[1].wakeups_per_s);
		printf("%-34s %10.2f %10.2f\n", "updates/s (reads 1 ms apart)", sm[0].updates_per_s, sm[1].updates_per_s);
		printf("%-34s %10.0f %10.0f\n", "first frame (bytes, apart)", sm[0].first_frame_bytes, sm[1].first_frame_bytes);
		printf("\n");
		static char keys[2][BC_N + 8][48];
		for (int d = 0; d < 2; d++) {
			const char *sz = d ? "200x50" : "80x24";
			int q = 0;
			snprintf(keys[d][q], 48, "size_%s_bytes_per_s", sz);
			fig[nf++] = (struct figure){ keys[d][q++], d ? "bytes/s at 200x50, steady play" : "bytes/s at 80x24, steady play",
						     d ? "<= 1.3x 80x24" : "<= 1.2x floor", sm[d].bytes_per_s };
			for (int k = 0; k < BC_N; k++) {
				snprintf(keys[d][q], 48, "size_%s_%s_bytes_per_s", sz, class_key[k]);
				fig[nf++] = (struct figure){ keys[d][q++], class_figure[k], "-", sm[d].class_per_s[k] };
			}
			snprintf(keys[d][q], 48, "size_%s_writes_per_s", sz);
			fig[nf++] = (struct figure){ keys[d][q++], "  writes/s", "-", sm[d].writes_per_s };
			snprintf(keys[d][q], 48, "size_%s_wakeups_per_s", sz);
			fig[nf++] = (struct figure){ keys[d][q++], "  wake-ups/s", "-", sm[d].wakeups_per_s };
		}
		fig[nf++] = (struct figure){ "floor_bytes_per_s", "floor: the bar's bytes/s at 80x24", "-", floor_bps };
	}
	if (!sizes_only)
		more_figures(runs, cycles, dark_only, fig, &nf);

	char base[512];
	const char *src = getenv("LULL_SRCDIR");
	snprintf(base, sizeof base, "%s/tests/bench/baseline-session.txt", src ? src : ".");
	printf("lull session benchmark: 478 --no-audio at 80x24, %d run(s) of %d cycles (medians)\n", sizes_only ? 0 : runs, cycles);
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
			sizes_only ? 0 : runs, cycles);
		for (int i = 0; i < nf; i++)
			fprintf(f, "%s %.3f\n", fig[i].key, fig[i].value);
		fclose(f);
	}
	test_home_free(&home);
	return 0;
}
