/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "calendar.h"
#include "file.h"
#include "paths.h"
#include "reminders.h"
#include "text.h"
#include "util.h"

/* --- lists ---------------------------------------------------------------- */
void reminders_free(struct reminder_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

struct reminder *reminders_add(struct reminder_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct reminder *r = &l->v[l->n++];
	memset(r, 0, sizeof *r);
	return r;
}

struct reminder *reminders_find(struct reminder_list *l, int id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return &l->v[i];
	return NULL;
}

bool reminders_remove(struct reminder_list *l, int id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id == id) {
			memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
			l->n--;
			return true;
		}
	return false;
}

/* --- fields --------------------------------------------------------------- */
bool remind_parse_time(const char *s, int *minute)
{
	int h = 0, m = 0, digits = 0;
	const char *p = s;
	while (isdigit((unsigned char)*p) && digits < 3)
		h = h * 10 + (*p++ - '0'), digits++;
	if (digits == 0 || digits > 2)
		return false;
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
			return false;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (m > 59)
			return false;
	}
	if (*p == ' ')
		p++;
	if (*p == '\0') {
		if (p == s + digits) /* "22" alone is too ambiguous */
			return false;
		if (h > 23)
			return false;
	} else {
		char a = (char)tolower((unsigned char)p[0]);
		char b = (char)tolower((unsigned char)p[1]);
		if ((a != 'a' && a != 'p') || b != 'm' || p[2] != '\0')
			return false;
		if (h < 1 || h > 12)
			return false;
		h %= 12;
		if (a == 'p')
			h += 12;
	}
	*minute = h * 60 + m;
	return true;
}

const char *const remind_day_words[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"daily", "everyday", "weekdays", "weekends", NULL,
};
static const char *const *const day_names = remind_day_words;
static const char *const *const day_full = remind_day_words + 7;

bool remind_parse_days(const char *s, unsigned *days)
{
	if (!strcmp(s, "daily") || !strcmp(s, "everyday"))
		return *days = SCHED_DAILY, true;
	if (!strcmp(s, "weekdays"))
		return *days = SCHED_WEEKDAYS, true;
	if (!strcmp(s, "weekends"))
		return *days = SCHED_WEEKENDS, true;
	unsigned bits = 0;
	const char *p = s;
	while (*p) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int i = 0; i < 7; i++)
			if ((len == 3 && !strncasecmp(p, day_names[i], 3)) ||
			    (len == strlen(day_full[i]) && !strncasecmp(p, day_full[i], len)))
				found = i;
		if (found < 0)
			return false;
		bits |= 1u << found;
		p += len;
		if (*p == ',') {
			p++;
			if (!*p)
				return false;
		}
	}
	if (!bits)
		return false;
	*days = bits;
	return true;
}

void remind_format_time(int minute, char *buf, size_t n)
{
	snprintf(buf, n, "%02d:%02d", minute / 60 % 24, minute % 60);
}

void remind_format_days(unsigned days, char *buf, size_t n)
{
	if (days == SCHED_DAILY)
		str_copy(buf, "daily", n);
	else if (days == SCHED_WEEKDAYS)
		str_copy(buf, "weekdays", n);
	else if (days == SCHED_WEEKENDS)
		str_copy(buf, "weekends", n);
	else {
		buf[0] = '\0';
		size_t used = 0;
		for (int k = 1; k <= 7; k++) { /* Monday first */
			int i = k % 7;
			if (!(days >> i & 1u))
				continue;
			int w = snprintf(buf + used, n > used ? n - used : 0, "%s%s", used ? "," : "", day_names[i]);
			if (w > 0)
				used += (size_t)w;
		}
	}
}

const char *remind_check_message(const char *s, bool has_session)
{
	size_t n = strlen(s);
	if (n > REMIND_MESSAGE_MAX)
		return "is too long (at most 255 bytes)";
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return "is not valid UTF-8";
		if (text_cp_forbidden(cp))
			return "has a control character (a tab, a line break, an escape...)";
		i += len;
	}
	/* The file reads blanks around the message as separators. */
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		return "starts or ends with a space";
	if (!has_session && str_has_prefix(s, "session="))
		return "starts with 'session=' (give the program with --session)";
	return NULL;
}

bool remind_valid_session(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof ((struct reminder *)0)->session)
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			return false;
	return true;
}

/* --- the file ------------------------------------------------------------- */
static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The next blank-separated token of the line into buf; a token that does
 * not fit is cut to nothing but its first bytes and a '\x01' (no field
 * accepts it), so that a long token is never read as its start. */
static const char *token(const char *p, char *buf, size_t n)
{
	size_t len = 0;
	bool cut = false;
	while (*p && *p != ' ' && *p != '\t') {
		if (len + 1 < n)
			buf[len++] = *p;
		else
			cut = true;
		p++;
	}
	if (cut)
		buf[len - 1] = '\x01';
	buf[len] = '\0';
	return p;
}

static void report(FILE *err, const char *name, int line, const char *line_start, const char *at,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(FILE *err, const char *name, int line, const char *line_start, const char *at,
                   const char *fmt, ...)
{
	if (!err)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* The message quotes the file: what is in it is shown, not obeyed. */
	char *safe = text_escape(msg, strlen(msg), 400);
	fprintf(err, "%s:%d:%d: %s\n", name, line, (int)(at - line_start) + 1, safe);
	free(safe);
}

/* The ids already taken, one bit each: the check for a repeated id in
 * constant time, however long the file. */
static bool id_seen(const unsigned char *seen, long id)
{
	return seen[id / 8] >> (id % 8) & 1;
}

static void id_mark(unsigned char *seen, long id)
{
	seen[id / 8] |= (unsigned char)(1u << (id % 8));
}

static bool parse_line(const char *ls, const char *name, int lineno, struct reminder *r, FILE *err,
                       unsigned char *seen)
{
	char tok[300];
	const char *p = skip_blank(ls), *at = p;
	char *endp;

	p = token(p, tok, sizeof tok);
	errno = 0;
	long id = strtol(tok, &endp, 10);
	if (!isdigit((unsigned char)tok[0]) || *endp || id < 1 || id > REMIND_ID_MAX || errno) {
		report(err, name, lineno, ls, at, "bad id '%s' (expected a number from 1 to %d)", tok,
		       REMIND_ID_MAX);
		return false;
	}
	if (id_seen(seen, id)) {
		report(err, name, lineno, ls, at, "id %s is used twice", tok);
		return false;
	}
	r->id = (int)id;

	at = p = skip_blank(p);
	p = token(p, tok, sizeof tok);
	if (!tok[0]) {
		report(err, name, lineno, ls, at, "missing time%s", " (expected HH:MM)");
		return false;
	}
	if (!remind_parse_time(tok, &r->rule.minute)) {
		report(err, name, lineno, ls, at, "bad time '%s' (expected HH:MM, e.g. 22:30 or 10:30pm)", tok);
		return false;
	}

	at = p = skip_blank(p);
	p = token(p, tok, sizeof tok);
	if (!tok[0]) {
		report(err, name, lineno, ls, at, "missing days%s", " (daily, weekdays, weekends or mon,tue,...)");
		return false;
	}
	if (!remind_parse_days(tok, &r->rule.days)) {
		report(err, name, lineno, ls, at, "bad days '%s' (daily, weekdays, weekends or mon,tue,...)", tok);
		return false;
	}

	at = p = skip_blank(p);
	if (str_has_prefix(p, "session=")) {
		p = token(p + 8, tok, sizeof tok);
		if (!remind_valid_session(tok)) {
			report(err, name, lineno, ls, at, "bad session name '%s'", tok);
			return false;
		}
		str_copy(r->session, tok, sizeof r->session);
		p = skip_blank(p);
	}
	size_t len = strlen(p);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
		len--;
	if (len >= sizeof r->message) {
		report(err, name, lineno, ls, p, "message too long (at most %s bytes)", "255");
		return false;
	}
	memcpy(r->message, p, len);
	r->message[len] = '\0';
	/* What is read is what add lets in: so what is read is written back
	 * the same, and nothing in it is a control character. */
	const char *why = remind_check_message(r->message, r->session[0] != '\0');
	if (why) {
		report(err, name, lineno, ls, p, "the message %s", why);
		return false;
	}
	r->line = lineno;
	id_mark(seen, id);
	return true;
}

int reminders_parse(const char *text, const char *name, struct reminder_list *out, FILE *err)
{
	int bad = 0, lineno = 0;
	const char *p = text;
	char *line = NULL;
	size_t cap = 0;
	unsigned char *seen = xcalloc(REMIND_ID_MAX / 8 + 1, 1);
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].id >= 1 && out->v[i].id <= REMIND_ID_MAX)
			id_mark(seen, out->v[i].id);

	while (*p) {
		size_t len = strcspn(p, "\n");
		lineno++;
		if (len + 1 > cap) {
			cap = len + 1;
			line = xrealloc(line, cap);
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (p[len] == '\n');
		const char *s = skip_blank(line);
		if (*s == '\0' || *s == '#' || *s == '\r')
			continue;
		struct reminder r;
		memset(&r, 0, sizeof r);
		if (parse_line(line, name, lineno, &r, err, seen))
			*reminders_add(out) = r;
		else
			bad++;
	}
	free(seen);
	free(line);
	return bad;
}

static const char file_header[] =
	"# lull reminders (see lull(1), REMINDERS). One reminder a line:\n"
	"#   ID  TIME  DAYS  [session=NAME]  [MESSAGE]\n"
	"# TIME is HH:MM; DAYS is daily, weekdays, weekends or mon,tue,...\n";

char *reminders_format(const struct reminder_list *l)
{
	size_t cap = sizeof file_header + l->n * 400 + 1, used = 0;
	char *buf = xmalloc(cap);
	used += (size_t)snprintf(buf, cap, "%s", file_header);
	for (size_t i = 0; i < l->n; i++) {
		const struct reminder *r = &l->v[i];
		char t[8], d[40];
		remind_format_time(r->rule.minute, t, sizeof t);
		remind_format_days(r->rule.days, d, sizeof d);
		used += (size_t)snprintf(buf + used, cap - used, "%d %s %s%s%s%s%s\n", r->id, t, d,
		                         r->session[0] ? " session=" : "", r->session,
		                         r->message[0] ? " " : "", r->message);
	}
	return buf;
}

/* Hand-edited text of a few lines: anything near this is not a reminder
 * file (and is refused rather than read into memory). */
#define REMINDERS_MAX_FILE (1024u * 1024u)

/* The file's text (the caller frees), NULL with errno. */
static char *read_text(const char *path, size_t max)
{
	char *text;
	size_t len;
	return file_read(path, max, &text, &len) == 0 ? text : NULL;
}

int reminders_load(const char *path, struct reminder_list *out, FILE *err)
{
	char *text = read_text(path, REMINDERS_MAX_FILE);
	if (!text)
		return errno == ENOENT ? 0 : -1;
	int bad = reminders_parse(text, path, out, err);
	free(text);
	return bad;
}

int reminders_save(const char *path, const struct reminder_list *l)
{
	char *text = reminders_format(l);
	int rc = file_write_atomic(path, text, strlen(text), NULL);
	free(text);
	return rc;
}

/* --- the state ------------------------------------------------------------ */
void remind_states_free(struct remind_states *s)
{
	free(s->v);
	free(s->index);
	memset(s, 0, sizeof *s);
}

static size_t id_hash(int id, size_t cap)
{
	return ((uint32_t)id * 2654435761u) & (cap - 1);
}

/* The slot of id in the index: where it is, or the empty one where it
 * would go. */
static size_t slot_of(const struct remind_states *s, int id)
{
	size_t h = id_hash(id, s->index_cap);
	while (s->index[h] && s->v[s->index[h] - 1].id != id)
		h = (h + 1) & (s->index_cap - 1);
	return h;
}

static void reindex(struct remind_states *s)
{
	size_t cap = 16;
	while (cap < 2 * s->n + 2)
		cap *= 2;
	free(s->index);
	s->index = xcalloc(cap, sizeof *s->index);
	s->index_cap = cap;
	for (size_t i = 0; i < s->n; i++)
		s->index[slot_of(s, s->v[i].id)] = i + 1;
}

struct sched_state *remind_states_get(struct remind_states *s, int id, bool create)
{
	if (s->index_cap) {
		size_t h = slot_of(s, id);
		if (s->index[h])
			return &s->v[s->index[h] - 1].st;
	}
	if (!create)
		return NULL;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n].id = id;
	sched_state_init(&s->v[s->n].st);
	s->n++;
	if (2 * s->n + 2 > s->index_cap)
		reindex(s);
	else
		s->index[slot_of(s, id)] = s->n;
	return &s->v[s->n - 1].st;
}

void remind_states_drop(struct remind_states *s, int id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == id) {
			memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
			s->n--;
			reindex(s);
			return;
		}
}

int remind_states_max_id(const struct remind_states *s)
{
	int m = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id > m)
			m = s->v[i].id;
	return m;
}

static void fmt_day(sched_day d, char *buf, size_t n)
{
	if (d == SCHED_NEVER)
		str_copy(buf, "-", n);
	else
		cal_format_date(d, buf, n);
}

/* The bounds of what a state file can hold: dates of the years 1970 to
 * 9999, instants of the same (enough for any night lull will see, and far
 * from any overflow in the scheduler's arithmetic). */
#define STATE_DAY_MIN INT64_C(0)              /* 1970-01-01 */
#define STATE_DAY_MAX INT64_C(2932896)        /* 9999-12-31 (64 bits: its instant overflows a 32-bit long) */
#define STATE_INSTANT_MAX (STATE_DAY_MAX * CAL_DAY_S + CAL_DAY_S - 1)

/* "-" or a date within the bounds. */
static bool parse_day(const char *s, sched_day *d)
{
	long day;
	if (!strcmp(s, "-")) {
		*d = SCHED_NEVER;
		return true;
	}
	if (!cal_parse_date(s, &day) || day < STATE_DAY_MIN || day > STATE_DAY_MAX)
		return false;
	*d = (sched_day)day;
	return true;
}

char *remind_states_format(const struct remind_states *s)
{
	size_t cap = 128 + s->n * 96, used = 0;
	char *buf = xmalloc(cap);
	used += (size_t)snprintf(buf, cap, "# lull reminder state: id last skipped snooze-day snoozes snooze-until\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct sched_state *st = &s->v[i].st;
		char a[16], b[16], c[16];
		fmt_day(st->last, a, sizeof a);
		fmt_day(st->skipped, b, sizeof b);
		fmt_day(st->snooze_day, c, sizeof c);
		used += (size_t)snprintf(buf + used, cap - used, "%d %s %s %s %d %" PRId64 "\n", s->v[i].id,
		                         a, b, c, st->snoozes, st->snooze_until);
	}
	return buf;
}

/* A decimal number of at most 19 digits, nothing else. */
static bool parse_count(const char *s, int64_t max, int64_t *v)
{
	if (!*s || strlen(s) > 19)
		return false;
	int64_t n = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return false;
		n = n * 10 + (*c - '0');
		if (n > max)
			return false;
	}
	*v = n;
	return true;
}

static void state_report(FILE *err, const char *name, int line, const char *what, const char *tok)
{
	if (!err)
		return;
	char *safe = text_escape(tok, strlen(tok), 40);
	fprintf(err, "%s:%d: %s '%s'; the line is left out\n", name, line, what, safe);
	free(safe);
}

int remind_states_parse(const char *text, const char *name, struct remind_states *out, FILE *err)
{
	int bad = 0, lineno = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *line = p;
		p += len + (p[len] == '\n');
		lineno++;
		if (len == 0 || *line == '#')
			continue;
		/* A damaged line is left out: the worst case is one reminder that
		 * forgets tonight's snooze, never one that fires twice (a reminder
		 * without a state starts as if added now: what began is done). */
		char tok[6][24];
		int nt = 0;
		bool long_tok = false;
		for (size_t i = 0; i < len;) {
			while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
				i++;
			if (i == len)
				break;
			size_t st = i;
			while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				i++;
			if (nt == 6) {
				nt++;
				break;
			}
			size_t tl = i - st;
			if (tl >= sizeof tok[0]) {
				long_tok = true;
				tl = sizeof tok[0] - 1;
			}
			memcpy(tok[nt], line + st, tl);
			tok[nt][tl] = '\0';
			nt++;
		}
		if (nt != 6 || long_tok) {
			bad++;
			if (err)
				fprintf(err, "%s:%d: expected 'ID LAST SKIPPED SNOOZE-DAY SNOOZES SNOOZE-UNTIL'; "
				        "the line is left out\n", name, lineno);
			continue;
		}
		int64_t id, snoozes, until;
		sched_day last, skipped, sday;
		const char *what = NULL, *which = NULL;
		if (!parse_count(tok[0], REMIND_ID_MAX, &id) || id < 1)
			what = "bad id", which = tok[0];
		else if (!parse_day(tok[1], &last))
			what = "bad date", which = tok[1];
		else if (!parse_day(tok[2], &skipped))
			what = "bad date", which = tok[2];
		else if (!parse_day(tok[3], &sday))
			what = "bad date", which = tok[3];
		else if (!parse_count(tok[4], SCHED_SNOOZE_MAX, &snoozes))
			what = "bad snooze count", which = tok[4];
		else if (!parse_count(tok[5], STATE_INSTANT_MAX, &until))
			what = "bad snooze time", which = tok[5];
		else if (remind_states_get(out, (int)id, false))
			what = "id listed twice", which = tok[0];
		if (what) {
			bad++;
			state_report(err, name, lineno, what, which);
			continue;
		}
		struct sched_state *st = remind_states_get(out, (int)id, true);
		st->last = last;
		st->skipped = skipped;
		st->snooze_day = sday;
		st->snoozes = (int)snoozes;
		st->snooze_until = until;
	}
	return bad;
}

int remind_states_load(const char *path, struct remind_states *out, FILE *err)
{
	char *text = read_text(path, REMIND_STATE_MAX_FILE);
	if (!text)
		return errno == ENOENT ? 0 : -1;
	int bad = remind_states_parse(text, path, out, err);
	free(text);
	return bad;
}

int remind_states_save(const char *path, const struct remind_states *s)
{
	char *text = remind_states_format(s);
	size_t len = strlen(text);
	if (len > REMIND_STATE_MAX_FILE) {
		free(text);
		errno = EFBIG;
		return -1;
	}
	int rc = file_write_atomic(path, text, len, NULL);
	free(text);
	return rc;
}

int remind_lock(void)
{
	char *dir = paths_make_dir(PATH_STATE);
	if (!dir)
		return -1;
	char *path = xasprintf("%s/remind.lock", dir);
	free(dir);
	int fd = file_open_write(path, O_RDWR);
	free(path);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}
