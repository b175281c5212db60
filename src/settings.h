/* SPDX-License-Identifier: ISC */
/* The settings file, $XDG_CONFIG_HOME/lull/config: key = value lines. Unknown
 * keys and bad values give a warning naming file:line; the default stays. */
#ifndef LULL_SETTINGS_H
#define LULL_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct settings {
	char default_program[64]; /* "winddown" */
	char default_program_at[240]; /* "FILE:LINE" that set it, "" for the default */
	char sounds[256];         /* "rain:0.6,brown", "" for none */
	int volume;               /* master volume, 0..100 */
	int cues;                 /* phase and step cues: -1 not set (the program's
	                           * `chime` word decides), 0 no, 1 yes */
	enum settings_cue_style { CUE_STYLE_TONES, CUE_STYLE_CHIME } cue_style; /* cue_style */
	bool checkin;             /* ask tension before and after */
	bool color;               /* night palette; false = monochrome */
	bool bell;                /* terminal bell at phase changes */
	int audio;                /* -1 auto (silent over SSH), 0 off, 1 on */
	char audio_driver[32];    /* libao driver name, "" = default */
	bool follow;              /* ambient swell follows the breath */
	int streak_days;          /* practice days a week that keep a streak, 1..7 (4) */
	bool remind_notify;       /* reminders: desktop notification */
	bool remind_tmux;         /* reminders: tmux display-message */
	bool remind_bell;         /* reminders: bell + line on the daemon's terminal */
	int remind_osc;           /* reminders: a terminal notification (termnotify.h kind), */
	bool remind_osc_auto;     /* ... or the one the terminal is known to speak (auto) */
	int evening_end_min;      /* a missed reminder still fires until this minute after midnight (120) */
	int screen;               /* -1 auto (dark for programs tagged sleep), 0 normal, 1 dark */
	bool safety_wait;         /* a program's safety note waits for a key the first time */
	int safety_seconds;       /* ... and stands this long on later runs, 0..60 (6) */
	int voice;                /* the spoken guide: -1 not set (the program's word, else on), 0 off, 1 on */
	char voice_name[256];     /* a built-in voice or a .flitevox file (VOICE_DEFAULT_NAME) */
	double voice_rate;        /* speed, 1: the voice's own (VOICE_DEFAULT_RATE) */
	double voice_pitch;       /* semitones from the voice's own (VOICE_DEFAULT_PITCH) */
	int voice_volume;         /* 0..100 (VOICE_DEFAULT_VOLUME) */
	bool voice_breath;        /* "In", "Out", "Hold" at each breath phase */
};

void settings_defaults(struct settings *s);

/* Reads path (NULL: the default location; a missing file is fine) over the
 * defaults already in s. Warnings go to warn (may be NULL). Returns the number
 * of warnings. */
int settings_load(struct settings *s, const char *path, FILE *warn);

/* The most warnings one reading says; the rest are counted in one line. */
#define SETTINGS_WARN_MAX 20

/* The same over text already in memory (len bytes); fname labels the
 * warnings (at most SETTINGS_WARN_MAX, then a count). Pure apart from
 * writing the warnings to warn. */
int settings_parse(struct settings *s, const char *text, size_t len, const char *fname, FILE *warn);

/* --- the keys, as one table ----------------------------------------------
 * Every key is one row: the parser, the defaults, the writer below and the
 * check against lull(1) (tests/unit/test_settings.c) all read it, so a key
 * is added in one place (and documented in lull(1), which the test asks). */
enum setting_type {
	SETTING_BOOL,     /* a bool: yes/no, on/off, true/false, 1/0 */
	SETTING_CHOICE,   /* an int: one of the words of choices (and yes/no when bools) */
	SETTING_INT,      /* an int from lo to hi, digits only */
	SETTING_DECIMAL,  /* a double from lo to hi, as 0.85 or -2 */
	SETTING_STRING,   /* a char[size], as valid() accepts it */
	SETTING_TIME,     /* an int, minutes after midnight, written HH:MM */
	SETTING_OSC,      /* remind_osc: termnotify_parse's words (two fields) */
};

struct setting_choice {
	const char *word;
	int value;
};

struct setting {
	const char *name;
	enum setting_type type;
	size_t offset;                /* into struct settings */
	size_t size;                  /* SETTING_STRING: the field's size */
	double lo, hi;                /* SETTING_INT, SETTING_DECIMAL: the range */
	const struct setting_choice *choices; /* SETTING_CHOICE: ended by a NULL word */
	bool bools;                   /* SETTING_CHOICE: yes/no words say 1/0 too */
	bool (*valid)(const char *v); /* SETTING_STRING */
	const char *def;              /* the default as the file says it; NULL: not set (an int -1) */
	const char *want;             /* a bad value's warning: "expected WANT, found ..." */
	const char *help;             /* what it does, in a line (lull(1) says more) */
};

/* The keys in the order of struct settings, ended by a NULL name. */
extern const struct setting settings_table[];

/* The row of key, or NULL. */
const struct setting *settings_find(const char *key);

/* The value of row e in s as the file would say it, into buf (size bytes);
 * false when it is not set (voice, left to the program). What it writes,
 * read back, gives the same value (fuzz_settings checks it). */
bool settings_value_text(const struct settings *s, const struct setting *e, char *buf, size_t size);

#endif
