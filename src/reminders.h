/* SPDX-License-Identifier: ISC */
/* The reminder file, $XDG_CONFIG_HOME/lull/reminders, and the reminders'
 * state, $XDG_STATE_HOME/lull/remind-state.
 *
 * The reminder file is meant to be readable and editable by hand:
 *
 *     # comments and blank lines are ignored
 *     ID  TIME  DAYS  [session=NAME]  [MESSAGE...]
 *     1   22:30 weekdays session=winddown Time to wind down
 *     2   23:00 fri,sat
 *
 * ID is a number from 1 to 999999, unique in the file. TIME is 24-hour HH:MM (or
 * 10:30pm style). DAYS is daily, weekdays, weekends or a comma list of mon,
 * tue, wed, thu, fri, sat, sun. The optional session=NAME names the program
 * the reminder suggests; the rest of the line is the message: at most 255
 * bytes of UTF-8 with no control character, and (without session=) not
 * itself starting with "session=". A line with a
 * mistake is reported as FILE:LINE:COL: message and left out; the other
 * reminders still work. lull rewrites the file atomically (temp file, fsync,
 * rename; mode 0600) and keeps the comments at the top.
 *
 * The state file holds, per reminder id, what the scheduler must remember
 * across restarts (the date last done, skip, snoozes); it is written the same
 * way, under a lock (remind_lock) shared by the daemon and the commands. */
#ifndef LULL_REMINDERS_H
#define LULL_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "schedule.h"

#define REMIND_ID_MAX 999999
#define REMIND_MESSAGE_MAX 255

struct reminder {
	int id;
	struct sched_rule rule;
	char session[64];  /* "" when none */
	char message[256]; /* "" when none */
	int line;          /* where it was read, 0 when new */
};

struct reminder_list {
	struct reminder *v;
	size_t n, cap;
};

void reminders_free(struct reminder_list *l);
struct reminder *reminders_add(struct reminder_list *l);
struct reminder *reminders_find(struct reminder_list *l, int id);
bool reminders_remove(struct reminder_list *l, int id);

/* "22:30", "7:05", "10:30pm", "10pm", "12am" → minute of the day. */
bool remind_parse_time(const char *s, int *minute);
/* "daily", "weekdays", "weekends", "mon,wed,fri" (full names too) → day bits. */
bool remind_parse_days(const char *s, unsigned *days);
/* The words remind_parse_days takes, NULL-terminated (for "did you mean"). */
extern const char *const remind_day_words[];
void remind_format_time(int minute, char *buf, size_t n);  /* "22:30" */
void remind_format_days(unsigned days, char *buf, size_t n); /* canonical */
bool remind_valid_session(const char *s);
/* NULL when s can be a reminder's message (with or without a session=):
 * what the file can hold and read back the same. Otherwise what is wrong,
 * as words for a message ("has a control character ..."). */
const char *remind_check_message(const char *s, bool has_session);

/* Parses the text of a reminder file named name. Good lines are appended to
 * out; each bad line is reported to err (may be NULL) as NAME:LINE:COL: msg.
 * Returns the number of bad lines. */
int reminders_parse(const char *text, const char *name, struct reminder_list *out, FILE *err);

/* The text of the file: a comment header describing the format, then one
 * line per reminder. The caller frees. */
char *reminders_format(const struct reminder_list *l);

/* Reads path (a missing file is an empty list). Returns the number of bad
 * lines, or -1 when the file exists but cannot be read (errno set: see
 * file_strerror). The saves replace the file atomically (file.h). */
int reminders_load(const char *path, struct reminder_list *out, FILE *err);
int reminders_save(const char *path, const struct reminder_list *l);

/* --- the state ------------------------------------------------------------ */
struct remind_state_entry {
	int id;
	struct sched_state st;
};

struct remind_states {
	struct remind_state_entry *v;
	size_t n, cap;
	/* An index by id (open addressing, 1 + the position in v; 0 empty),
	 * so that a large file is read and looked up in linear time. */
	size_t *index;
	size_t index_cap;
};

void remind_states_free(struct remind_states *s);
/* The entry of id, or NULL; with create, a new one (st from init). */
struct sched_state *remind_states_get(struct remind_states *s, int id, bool create);
void remind_states_drop(struct remind_states *s, int id);
/* The highest id mentioned, so that ids are not reused while state remains. */
int remind_states_max_id(const struct remind_states *s);

char *remind_states_format(const struct remind_states *s);
/* Parses the text of a state file named name into out. Every value is
 * bounded: an id of 1..REMIND_ID_MAX, dates of years 1970 to 9999 (or "-"),
 * 0..SCHED_SNOOZE_MAX snoozes, a snooze instant of those years (or 0). A
 * line that breaks a bound, or repeats an id, is reported to err (may be
 * NULL) as NAME:LINE: message and left out: the reminder then starts afresh
 * as one never seen (nothing already begun fires). Returns the number of
 * bad lines. */
int remind_states_parse(const char *text, const char *name, struct remind_states *out, FILE *err);
/* The most of a state file lull reads: the state of every reminder the
 * largest reminder file holds (some 67000 at 1 MiB), each at its longest
 * line (under 64 bytes), fits with room to spare; at 1 MiB, as the
 * reminders, it did not, and lull wrote a state it then refused to read. */
#define REMIND_STATE_MAX_FILE (8u * 1024u * 1024u)
/* Reads path (missing = empty): the number of bad lines, or -1 with errno
 * when it exists and cannot be read (EFBIG past REMIND_STATE_MAX_FILE). */
int remind_states_load(const char *path, struct remind_states *out, FILE *err);
/* Writes the state atomically: 0, or -1 with errno (EFBIG, nothing
 * written, when it would be more than remind_states_load reads). */
int remind_states_save(const char *path, const struct remind_states *s);

/* Takes the exclusive lock that guards the state file's read-modify-write
 * (a flock on remind.lock in the state directory, created 0700/0600).
 * Returns the fd to close to release it, or -1. */
int remind_lock(void);

#endif
