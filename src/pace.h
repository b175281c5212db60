/* The breathing pacer: a pure function of elapsed time. No I/O, no clock.
 * (Owned by the session area; the full API grows there.) */
#ifndef LULL_PACE_H
#define LULL_PACE_H

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

#endif
