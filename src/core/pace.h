/* SPDX-License-Identifier: ISC */
/* The breathing pacer: a pure function of elapsed time. No I/O, no clock.
 *
 * Session time is an integer count of microseconds (pace_us). A run is laid
 * out once, cycle by cycle, as exact integer phase lengths, so that the
 * 30th or the 3000th boundary lands exactly where the sum of the lengths
 * says: no floating-point drift, even over an 8-hour night (2.9e10 us, far
 * from the int64 limit). Pause and resume do not concern the pacer: the
 * shell's clock stops session time, and the pacer only ever sees session
 * time. */
#ifndef LULL_PACE_H
#define LULL_PACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pace_phase {
	PACE_INHALE,
	PACE_HOLD_FULL,
	PACE_EXHALE,
	PACE_HOLD_EMPTY,
	PACE_PHASES,
};

/* Seconds per phase, in the order above; zero-length phases are skipped. */
struct pace_pattern {
	double phase[PACE_PHASES];
};

typedef int64_t pace_us;

#define PACE_US_PER_S INT64_C(1000000)
/* The longest run lull lays out (24 h) and the most cycles in one. */
#define PACE_MAX_RUN_US (INT64_C(24) * 3600 * PACE_US_PER_S)
#define PACE_MAX_CYCLES 200000u

/* A built-in pattern, by its exact name (box, 478, coherent, relax, sleep). */
struct pace_builtin {
	const char *name;
	const char *description;
	struct pace_pattern from;
	struct pace_pattern to; /* equals from unless ramp */
	bool ramp;
	unsigned default_cycles; /* the length when nothing else is asked */
};

/* NULL when there is no built-in of that name. */
const struct pace_builtin *pace_builtin_named(const char *name);
/* The table, for listings: *n gets the count. */
const struct pace_builtin *pace_builtins(size_t *n);

/* Phase word as shown: "Inhale", "Hold" or "Exhale". */
const char *pace_phase_word(enum pace_phase ph);

/* A hold, full or empty: the bar stands still. */
bool pace_phase_is_hold(enum pace_phase ph);

/* Length of one cycle of a pattern, in us (zero phases count zero). */
pace_us pace_pattern_cycle_us(const struct pace_pattern *p);
/* The same in seconds, the phases summed as they are (no rounding to us). */
double pace_pattern_length(const struct pace_pattern *p);
/* True when the pattern has finite, non-negative phases of at most an hour
 * and a cycle of at least 100 ms. */
bool pace_pattern_valid(const struct pace_pattern *p);
/* "4-7-8-0" style text, fractions as needed ("5.5-0-5.5-0"). */
void pace_pattern_format(const struct pace_pattern *p, char *buf, size_t size);

/* How long a run lasts: cycles, or seconds (finishing the cycle in
 * progress), or - with hard_end - exactly seconds, cut mid-cycle (for a
 * guided step that paces the breath for its own duration). A run may begin
 * mid-cycle, on its exhale (`first`): "Let them drop" opens on an out-breath;
 * the first cycle is then the part of it from that phase on. */
struct pace_run {
	struct pace_pattern from, to;
	bool ramp;          /* move linearly from `from` to `to` over the run */
	unsigned cycles;    /* > 0: this many cycles ... */
	double seconds;     /* ... else about this long */
	bool hard_end;      /* seconds is exact: the last cycle may be cut */
	enum pace_phase first; /* the run begins on this phase of its first
	                        * cycle (the phases before it are left out):
	                        * PACE_INHALE, the zero value, for a whole cycle */
};

struct pace;

/* Lays the run out. NULL (with a reason in err) for an invalid pattern or a
 * run over PACE_MAX_RUN_US / PACE_MAX_CYCLES. */
struct pace *pace_new(const struct pace_run *run, char *err, size_t errsize);
void pace_free(struct pace *p);

pace_us pace_total_us(const struct pace *p);
unsigned pace_cycles(const struct pace *p);
/* The pattern cycle k (0-based) uses, after the ramp. */
void pace_cycle_pattern(const struct pace *p, unsigned k, struct pace_pattern *out);

struct pace_state {
	enum pace_phase phase;
	pace_us phase_start;  /* session time the phase began */
	pace_us phase_len;
	pace_us into, left;   /* time into and left in the phase */
	double fill;          /* the bar: 0 empty .. 1 full */
	pace_us cycle_start;  /* when the cycle began, in the run's time as
	                       * phase_start (0 for a first cycle the run
	                       * begins in the middle of) */
	unsigned cycle;       /* 1-based cycle k ... */
	unsigned cycles;      /* ... of N */
	pace_us total, total_left;
	int seconds_left;     /* whole-second countdown shown: ceil(left) */
	bool done;            /* t at or past the end (the state of the end) */
	bool before;          /* t before 0 (the state of the start) */
};

/* The state at session time t. t < 0 reads as t = 0 (with before set);
 * t >= total reads as the end: the last phase with left = 0, done set. */
void pace_at(const struct pace *p, pace_us t, struct pace_state *out);

/* The bar as eighth-cell steps. A bar `cells` wide has 8*cells steps; when
 * `rate` > 0 the bar moves at most `rate` steps a second (each step then
 * spans several eighths) so a slow link is not flooded. Returns the filled
 * eighths, 0 .. 8*cells. */
int pace_bar_eighths(const struct pace_state *s, int cells, int rate);

/* The next session time after t at which something visible changes: the
 * phase, the bar drawn as above, or a hold's whole-second countdown (the
 * seconds are shown in holds only: while the breath moves the bar is its
 * count). Returns
 * total when nothing changes before the end, and INT64_MAX past the end. */
pace_us pace_next_change(const struct pace *p, pace_us t, int cells, int rate);

/* Start of the first phase beginning strictly after t (t < 0: the first
 * phase, at 0); INT64_MAX when none. *phase and *len describe it. */
pace_us pace_next_phase(const struct pace *p, pace_us t, enum pace_phase *phase, pace_us *len);

/* Steps of a level countdown: of `levels` equal steps over len, how many
 * have passed after `into` (0..levels), and when the next one passes
 * (INT64_MAX when none). Shared with the guided-step countdown bar. */
int pace_level(pace_us into, pace_us len, int levels);
pace_us pace_level_next(pace_us into, pace_us len, int levels);
/* How many levels a bar of `cells` gets over len at most `rate` a second. */
int pace_levels_for(pace_us len, int cells, int rate);

/* Seconds (double) to us, rounded to the nearest, clamped to 0..PACE_MAX_RUN_US. */
pace_us pace_us_from_s(double s);

#endif
