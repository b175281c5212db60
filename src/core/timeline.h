/* SPDX-License-Identifier: ISC */
/* What is happening at session time t, for a whole program. Pure: no I/O,
 * no clock. The program is laid out once (each timed step gets its start and
 * length; breathing steps get a pacer), then every question is arithmetic.
 *
 * Timed steps are STEP_BREATHE, STEP_GUIDE, STEP_SILENCE and STEP_WORDS.
 * The others take no time: STEP_CHIME and STEP_SOUND become audio events at
 * their place in the sequence, and STEP_SAY lines are shown (and said)
 * during the following breathing block, always from a phase boundary:
 *
 * - A line tied to a phase (say inhale|hold|exhale) appears as the next such
 *   phase begins after the line before it appeared, and stands for that
 *   phase only; then the untied line before it, if any, shows again.
 * - An untied line appears as the next breath begins (an inhale) after the
 *   line before it, and stands until the next line: the untied lines and
 *   the lines after them share what is left of the block in equal parts,
 *   each share moved to the breath that begins it, but none longer than
 *   TIMELINE_GAP_MAX_US: a line comes at the last breath that begins
 *   within that of the line before (when one does), so that a listener
 *   never waits long enough for the next word to take the quiet for the
 *   end. What is left of the block after the last line is then quiet.
 * - A line whose turn would come after its block ends is never shown
 *   (timeline_warnings says so).
 *
 * A words step says its words one at a time (program_set_words), each as a
 * TL_EV_SAY, and shows the last said as its text.
 *
 * A bare `silence` (STEP_QUIET) before a timed step says that the step is
 * meant to be quiet after its words: timeline_longest_gap passes it by.
 * Among the say lines of a breathing block it also says where the quiet
 * goes: the lines written after it close the block, the first of them at
 * the first breath TIMELINE_GAP_MAX_US a line before the end (as near as
 * the lines before allow), the rest as above. */
#ifndef LULL_TIMELINE_H
#define LULL_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "pace.h"
#include "program.h"

struct timeline;

/* NULL with a reason in err when a breathing step is invalid or the
 * program is too long. The program must outlive the timeline. A program with
 * no timed step has length 0. */
struct timeline *timeline_new(const struct program *p, char *err, size_t errsize);
void timeline_free(struct timeline *tl);

pace_us timeline_total(const struct timeline *tl);
const struct program *timeline_program(const struct timeline *tl);

struct tl_state {
	bool done;              /* t at or past the end */
	bool before;            /* t before 0 (reads as 0) */
	size_t step;            /* index into program->steps of the timed step */
	size_t timed, ntimed;   /* 0-based position among the timed steps, and their count */
	enum step_kind kind;    /* STEP_BREATHE, STEP_GUIDE, STEP_SILENCE or STEP_WORDS */
	pace_us step_start, step_len, step_into, step_left;
	int step_seconds_left;  /* whole-second countdown of the step */
	double step_fill;       /* the guided step's countdown bar, 1 .. 0 */
	bool breathing;         /* pace is valid: a breathing step or a guide with a cue */
	struct pace_state pace; /* times relative to the step start */
	const char *text;       /* the instruction of a guided step, the word of a
	                         * words step, else NULL */
	const char *guidance;   /* the say line shown now during breathing, else NULL */
	const char *next;       /* what comes next, "" after the last step */
	pace_us total, left;
	int seconds_left;       /* whole-second countdown of the session */
};

/* The state at t; t < 0 reads as 0, t past the end as the end. */
void timeline_at(const struct timeline *tl, pace_us t, struct tl_state *out);

/* What the screen shows, so that the timeline can say when it changes. */
struct tl_view {
	int bar_cells;       /* breathing bar width (0: none) */
	int bar_rate;        /* at most this many bar steps a second (0: every eighth) */
	int count_cells;     /* guided-step countdown bar width */
	int progress_levels; /* steps of the thin session progress bar */
	int left_step_s;     /* the time left is shown in steps of this many
	                      * seconds, rounded to the nearest step (1:
	                      * seconds, 60: minutes; 0: not shown) */
	int coalesce_us;     /* changes due within this long of each other are
	                      * shown together (timeline_next_change); 0: each
	                      * at its own time */
};

/* The time left as a screen shows it under v: whole seconds left (ceil), and
 * in steps of v->left_step_s rounded to the nearest step. Returns the shown
 * number of steps (0 in the last half step), or -1 when it is shown in
 * seconds (then *secs holds them). */
int timeline_left_shown(const struct tl_state *s, const struct tl_view *v, int *secs);

/* Steps of the guided-step countdown bar drawn `cells` wide: filled eighths
 * (0 for a step that paces a breath: its bar shows the breath). */
int timeline_count_eighths(const struct tl_state *s, int cells, int rate);
/* Filled steps of the session progress bar. */
int timeline_progress(const struct tl_state *s, int levels);

/* The next session time after t when anything shown or any event changes;
 * INT64_MAX at or past the end. With v->coalesce_us, the last of the changes
 * due within coalesce_us of the next one: drawn then, they all show in one
 * frame, none later than coalesce_us after its own time. */
pace_us timeline_next_change(const struct timeline *tl, pace_us t, const struct tl_view *v);

enum tl_event_kind {
	TL_EV_STEP,   /* a timed step begins: step, len, text (guide instruction) */
	TL_EV_SAY,    /* a guidance line (or a word) appears: text; phase, the phase it
	               * appears at; len, until the next line appears or the step ends */
	TL_EV_BREATH, /* a breathing phase begins: phase, len */
	TL_EV_CHIME,  /* text: cue name or NULL for the default */
	TL_EV_SOUND,  /* step: its u.sound says what */
	TL_EV_FADE,   /* sleep programs: fade everything out over len */
	TL_EV_END,    /* the end of the program */
};

struct tl_event {
	enum tl_event_kind kind;
	pace_us at;
	size_t step;
	enum pace_phase phase;
	pace_us len;
	const char *text;
};

/* The events with at <= t1 from *cursor on (start with *cursor = 0), at most
 * max of them, in order; advances *cursor. Returns how many were written. */
size_t timeline_events(const struct timeline *tl, size_t *cursor, pace_us t1,
		       struct tl_event *out, size_t max);
/* Time of the event at cursor, INT64_MAX when none is left. */
pace_us timeline_event_time(const struct timeline *tl, size_t cursor);
/* The cursor of the first event after t (to skip what is past). */
size_t timeline_event_cursor(const struct timeline *tl, pace_us t);

/* What `lull check` warns about, each with the program step it concerns:
 * a guided step that cuts its breathing cue mid-phase (a breath cut short
 * is not a rhythm to follow), a say line that never shows. In the order of
 * the steps; returns how many (at most max). */
struct tl_warning {
	size_t step;
	char msg[200];
};
size_t timeline_warnings(const struct timeline *tl, struct tl_warning *out, size_t max);

/* The longest quiet a listener may take for the end, and no more: between
 * two spoken lines inside a guided or breathing block, or from a block's
 * start to its first line, or from its last line to its end. */
#define TIMELINE_GAP_MAX_US (20 * PACE_US_PER_S)

/* The longest time without a word inside a guided step or a breathing
 * block, not counting the steps that a bare `silence` marks as quiet on
 * purpose: from the block's start, each spoken line (a guide line at its
 * step's start, a say line as it appears) and, with breath_words (the
 * voice saying each phase's word), each phase's start, to the block's end.
 * *at (if not NULL): where that quiet begins; 0 with no such block. */
pace_us timeline_longest_gap(const struct timeline *tl, bool breath_words, pace_us *at);

/* A program's length as a person reads it: "45 s", "15 min", "1 h 10 min"
 * (whole seconds rounded up, then minutes to the nearest: the way a session
 * shows its time left at the start, so the two agree). */
void timeline_format_length(pace_us len, char *buf, size_t size);

/* Formats session time as M:SS or H:MM:SS. */
void timeline_format_time(pace_us t, char *buf, size_t size);

#endif
