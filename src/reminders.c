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

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
static const char *const day_full[7] = { "sunday", "monday", "tuesday", "wednesday",
	                                  "thursday", "friday", "saturday" };

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

/* The next blank-separated token of the line [p, end) into buf. */
static const char *token(const char *p, char *buf, size_t n)
{
	size_t len = 0;
	while (*p && *p != ' ' && *p != '\t') {
		if (len + 1 < n)
			buf[len++] = *p;
		p++;
	}
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

static bool parse_line(const char *ls, const char *name, int lineno, struct reminder *r, FILE *err,
                       const struct reminder_list *seen)
{
	char tok[300];
	const char *p = skip_blank(ls), *at = p;
	char *endp;

	p = token(p, tok, sizeof tok);
	errno = 0;
	long id = strtol(tok, &endp, 10);
	if (!isdigit((unsigned char)tok[0]) || *endp || id < 1 || id > 999999 || errno) {
		report(err, name, lineno, ls, at, "bad id '%s' (expected a positive number)", tok);
		return false;
	}
	for (size_t i = 0; i < seen->n; i++)
		if (seen->v[i].id == id) {
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
	r->line = lineno;
	return true;
}

int reminders_parse(const char *text, const char *name, struct reminder_list *out, FILE *err)
{
	int bad = 0, lineno = 0;
	const char *p = text;
	char *line = NULL;
	size_t cap = 0;

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
		if (parse_line(line, name, lineno, &r, err, out))
			*reminders_add(out) = r;
		else
			bad++;
	}
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
static char *read_text(const char *path)
{
	char *text;
	size_t len;
	return file_read(path, REMINDERS_MAX_FILE, &text, &len) == 0 ? text : NULL;
}

int reminders_load(const char *path, struct reminder_list *out, FILE *err)
{
	char *text = read_text(path);
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
	s->v = NULL;
	s->n = s->cap = 0;
}

struct sched_state *remind_states_get(struct remind_states *s, int id, bool create)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == id)
			return &s->v[i].st;
	if (!create)
		return NULL;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n].id = id;
	sched_state_init(&s->v[s->n].st);
	return &s->v[s->n++].st;
}

void remind_states_drop(struct remind_states *s, int id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == id) {
			memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
			s->n--;
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

static sched_day parse_day(const char *s)
{
	long day;
	return cal_parse_date(s, &day) ? (sched_day)day : SCHED_NEVER;
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

void remind_states_parse(const char *text, struct remind_states *out)
{
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		char line[256];
		if (len < sizeof line && *p != '#') {
			memcpy(line, p, len);
			line[len] = '\0';
			int id, snoozes;
			int64_t until;
			char a[16], b[16], c[16];
			/* A damaged line is dropped: the worst case is one reminder
			 * that forgets tonight's snooze, never one that fires twice
			 * (the daemon re-marks started occurrences, see remind_daemon.c). */
			if (sscanf(line, "%d %15s %15s %15s %d %" SCNd64, &id, a, b, c, &snoozes, &until) == 6 &&
			    id > 0) {
				struct sched_state *st = remind_states_get(out, id, true);
				st->last = parse_day(a);
				st->skipped = parse_day(b);
				st->snooze_day = parse_day(c);
				st->snoozes = snoozes;
				st->snooze_until = until;
			}
		}
		p += len + (p[len] == '\n');
	}
}

int remind_states_load(const char *path, struct remind_states *out)
{
	char *text = read_text(path);
	if (!text)
		return errno == ENOENT ? 0 : -1;
	remind_states_parse(text, out);
	free(text);
	return 0;
}

int remind_states_save(const char *path, const struct remind_states *s)
{
	char *text = remind_states_format(s);
	int rc = file_write_atomic(path, text, strlen(text), NULL);
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
