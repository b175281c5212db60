/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "histdate.h"
#include "history.h"
#include "paths.h"
#include "text.h"
#include "util.h"

#define SESSION_FIELDS 11
#define MORNING_FIELDS 6
#define MAX_FIELDS 32
#define LINE_MAX_LEN 1024
/* The most of a history file compaction rewrites (in memory): records are
 * under 200 bytes, so this is some 300,000 sessions, centuries of evenings.
 * Reading streams and has no such bound (HISTORY_MAX_RECORDS). */
#define HISTORY_MAX_FILE (64u * 1024 * 1024)
/* Records kept while history.tsv cannot be written (history_save). */
#define PENDING_LEAF "history.pending"
#define PENDING_MAX (1024u * 1024u)
/* What is read at a time. */
#define HISTORY_CHUNK (256u * 1024)

static const char header_text[] =
	"#lull-history 1\n"
	"#session\tstart\tprogram\tplanned_s\tactual_s\tend\tpractice\tsounds"
	"\ttension_before\ttension_after\tarea\n"
	"#morning\tat\tsession_start\tsleep\tpain\tarea\n";

static const char *const end_names[] = {
	[HISTORY_FINISHED] = "finished",
	[HISTORY_QUIT] = "quit",
	[HISTORY_HANGUP] = "hangup",
	[HISTORY_SIGNAL] = "signal",
};

/* ------------------------------------------------------------ pure part */

const char *history_header(void)
{
	return header_text;
}

bool history_is_practice(const struct history_entry *e)
{
	return e->end == HISTORY_FINISHED || e->actual_s >= HISTORY_PRACTICE_MIN_S;
}

const char *history_end_name(enum history_end end)
{
	if ((unsigned)end < sizeof end_names / sizeof end_names[0])
		return end_names[end];
	return "quit";
}

bool history_end_parse(const char *s, enum history_end *end)
{
	for (size_t i = 0; i < sizeof end_names / sizeof end_names[0]; i++) {
		if (strcmp(s, end_names[i]) == 0) {
			*end = (enum history_end)i;
			return true;
		}
	}
	return false;
}

/* A text field as written: "-" when empty; tabs as spaces and control
 * characters, bidi controls and invalid UTF-8 as U+FFFD (text_sanitize),
 * so the line stays one line and shows as it is; cut at a character. */
static void clean_text(const char *s, char *out, size_t size)
{
	if (text_sanitize_into(out, size, s) == 0)
		str_copy(out, "-", size);
}

static void level_text(int v, char *buf, size_t size)
{
	if (v < 0 || v > 10)
		str_copy(buf, "-", size);
	else
		snprintf(buf, size, "%d", v);
}

/* Seconds with one decimal; negative or non-finite as 0. */
static double clean_secs(double s)
{
	return (isfinite(s) && s > 0) ? (s < 1e8 ? s : 1e8) : 0.0;
}

size_t history_format_entry(const struct history_entry *e, char *buf, size_t size)
{
	char stamp[40], program[sizeof e->program], sounds[sizeof e->sounds];
	char area[sizeof e->area], tb[4], ta[4];
	hd_format_stamp(e->start, e->utc_offset_s, stamp, sizeof stamp);
	clean_text(e->program, program, sizeof program);
	clean_text(e->sounds, sounds, sizeof sounds);
	clean_text(e->area, area, sizeof area);
	level_text(e->tension_before, tb, sizeof tb);
	level_text(e->tension_after, ta, sizeof ta);
	int n = snprintf(buf, size, "session\t%s\t%s\t%.1f\t%.1f\t%s\t%d\t%s\t%s\t%s\t%s\n",
	                 stamp, program, clean_secs(e->planned_s), clean_secs(e->actual_s),
	                 history_end_name(e->end), history_is_practice(e) ? 1 : 0,
	                 sounds, tb, ta, area);
	return n < 0 ? 0 : (size_t)n;
}

size_t history_format_morning(const struct history_morning *m, char *buf, size_t size)
{
	char at[40], linked[40], area[sizeof m->area], sl[4], pa[4];
	hd_format_stamp(m->at, m->utc_offset_s, at, sizeof at);
	if (m->linked)
		hd_format_stamp(m->session_start, m->session_offset_s, linked, sizeof linked);
	else
		str_copy(linked, "-", sizeof linked);
	clean_text(m->area, area, sizeof area);
	level_text(m->sleep, sl, sizeof sl);
	level_text(m->pain, pa, sizeof pa);
	int n = snprintf(buf, size, "morning\t%s\t%s\t%s\t%s\t%s\n", at, linked, sl, pa, area);
	return n < 0 ? 0 : (size_t)n;
}

static bool parse_level(const char *s, int *v)
{
	if (s[0] == '-' && s[1] == '\0') {
		*v = -1;
		return true;
	}
	if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0') {
		*v = s[0] - '0';
		return true;
	}
	if (s[0] == '1' && s[1] == '0' && s[2] == '\0') {
		*v = 10;
		return true;
	}
	return false;
}

static bool parse_secs(const char *s, double *v)
{
	if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
		return false;
	/* The common case, as lull writes it ("598.4"), without strtod: a
	 * history of ten years has thousands of these. */
	long ip = 0, fp = 0, scale = 1;
	const char *p = s;
	while (*p >= '0' && *p <= '9' && ip < 100000000)
		ip = ip * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && scale < 1000000) {
			fp = fp * 10 + (*p++ - '0');
			scale *= 10;
		}
	}
	if (*p == '\0' && p != s && ip <= 100000000) {
		*v = (double)ip + (double)fp / (double)scale;
		return *v <= 1e8;
	}
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (*end || errno || !isfinite(x) || x < 0 || x > 1e8)
		return false;
	*v = x;
	return true;
}

/* A text field as read: "-" is empty; control characters, bidi controls
 * and invalid UTF-8 (a hand edit, a file from elsewhere) become U+FFFD, as
 * they are when written, so that nothing raw reaches any output. */
static bool text_field(const char *s, char *out, size_t size)
{
	if (strlen(s) >= size)
		return false;
	if (strcmp(s, "-") == 0)
		out[0] = '\0';
	else
		text_sanitize_into(out, size, s);
	return true;
}

#define BAD(...) do { snprintf(err, errsize, __VA_ARGS__); return HISTORY_LINE_BAD; } while (0)

enum history_line history_parse_line(const char *line, int version,
                                     struct history_entry *e,
                                     struct history_morning *m,
                                     char *err, size_t errsize)
{
	if (line[0] == '#' || line[strspn(line, " \t\r")] == '\0')
		return HISTORY_LINE_SKIP;
	size_t len = strlen(line);
	if (len >= LINE_MAX_LEN)
		BAD("line too long (%zu bytes)", len);

	char copy[LINE_MAX_LEN];
	memcpy(copy, line, len + 1);
	if (len && copy[len - 1] == '\r') /* a file passed through a Windows editor */
		copy[--len] = '\0';
	char *f[MAX_FIELDS];
	int nf = 0;
	for (char *p = copy;;) {
		if (nf == MAX_FIELDS)
			BAD("too many fields");
		f[nf++] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	for (int i = 0; i < nf; i++) {
		if (f[i][0] == '\0')
			BAD("field %d is empty", i + 1);
	}

	bool newer = version > HISTORY_VERSION;
	if (strcmp(f[0], "session") == 0) {
		if (nf < SESSION_FIELDS || (nf > SESSION_FIELDS && !newer))
			BAD("session record has %d fields, expected %d", nf, SESSION_FIELDS);
		memset(e, 0, sizeof *e);
		if (!hd_parse_stamp(f[1], &e->start, &e->utc_offset_s))
			BAD("bad start time '%s'", f[1]);
		if (!text_field(f[2], e->program, sizeof e->program))
			BAD("program name too long");
		if (!parse_secs(f[3], &e->planned_s))
			BAD("bad planned length '%s'", f[3]);
		if (!parse_secs(f[4], &e->actual_s))
			BAD("bad actual length '%s'", f[4]);
		if (!history_end_parse(f[5], &e->end))
			BAD("bad end '%s' (finished, quit, hangup or signal)", f[5]);
		if (strcmp(f[6], "0") != 0 && strcmp(f[6], "1") != 0)
			BAD("bad practice flag '%s' (0 or 1)", f[6]);
		e->practice = f[6][0] == '1';
		if (!text_field(f[7], e->sounds, sizeof e->sounds))
			BAD("sounds too long");
		if (!parse_level(f[8], &e->tension_before))
			BAD("bad tension before '%s' (0 to 10 or -)", f[8]);
		if (!parse_level(f[9], &e->tension_after))
			BAD("bad tension after '%s' (0 to 10 or -)", f[9]);
		if (!text_field(f[10], e->area, sizeof e->area))
			BAD("body area too long");
		return HISTORY_LINE_SESSION;
	}
	if (strcmp(f[0], "morning") == 0) {
		if (nf < MORNING_FIELDS || (nf > MORNING_FIELDS && !newer))
			BAD("morning record has %d fields, expected %d", nf, MORNING_FIELDS);
		memset(m, 0, sizeof *m);
		if (!hd_parse_stamp(f[1], &m->at, &m->utc_offset_s))
			BAD("bad check-in time '%s'", f[1]);
		if (strcmp(f[2], "-") != 0) {
			if (!hd_parse_stamp(f[2], &m->session_start, &m->session_offset_s))
				BAD("bad session time '%s'", f[2]);
			m->linked = true;
		}
		if (!parse_level(f[3], &m->sleep))
			BAD("bad sleep quality '%s' (0 to 10 or -)", f[3]);
		if (!parse_level(f[4], &m->pain))
			BAD("bad pain '%s' (0 to 10 or -)", f[4]);
		if (!text_field(f[5], m->area, sizeof m->area))
			BAD("body area too long");
		return HISTORY_LINE_MORNING;
	}
	if (newer)
		return HISTORY_LINE_SKIP; /* a kind from the future: not ours to judge */
	BAD("unknown record kind '%.20s'", f[0]);
}

void history_init(struct history *h)
{
	memset(h, 0, sizeof *h);
	h->version = HISTORY_VERSION;
}

void history_free(struct history *h)
{
	free(h->entries);
	free(h->mornings);
	history_init(h);
}

static void add_entry(struct history *h, const struct history_entry *e)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->entries = xrealloc(h->entries, h->cap * sizeof *h->entries);
	}
	h->entries[h->n++] = *e;
}

static void add_morning(struct history *h, const struct history_morning *m)
{
	if (h->nm == h->capm) {
		h->capm = h->capm ? h->capm * 2 : 16;
		h->mornings = xrealloc(h->mornings, h->capm * sizeof *h->mornings);
	}
	h->mornings[h->nm++] = *m;
}

/* The version in a "#lull-history N" line, 0 if the line is not one. */
static int header_version(const char *line, size_t len)
{
	static const char tag[] = "#lull-history ";
	if (len <= sizeof tag - 1 || strncmp(line, tag, sizeof tag - 1) != 0)
		return 0;
	int v = 0;
	for (size_t i = sizeof tag - 1; i < len; i++) {
		if (line[i] < '0' || line[i] > '9' || v > 100000)
			return 0;
		v = v * 10 + (line[i] - '0');
	}
	return v;
}

/* The reader, a line at a time over chunks of any size: memory is bounded
 * by the records kept, never by the file (a 2 GiB file of garbage took
 * 4.3 GB and printed 8 million warnings). */
void history_reader_init(struct history_reader *r, struct history *h, const char *name, FILE *warn)
{
	memset(r, 0, sizeof *r);
	r->h = h;
	r->name = name;
	r->warn = warn;
}

/* A warning about line lineno, its words made safe: they quote the file.
 * Past HISTORY_WARN_MAX only counted (history_reader_end says how many). */
static void warn_line(struct history_reader *r, size_t lineno, const char *what, const char *tail)
{
	r->h->bad_lines++;
	if (!r->warn)
		return;
	if (r->warned == HISTORY_WARN_MAX) {
		r->unshown++;
		return;
	}
	r->warned++;
	char *safe = text_escape(what, strlen(what), 200);
	fprintf(r->warn, "%s:%zu: %s; %s\n", r->name, lineno, safe, tail);
	free(safe);
}

/* Keeps at most HISTORY_MAX_RECORDS of each kind, the latest: past that, the
 * oldest quarter goes (the file is in time order, as it is appended). */
static void make_room(void *v, size_t *n, size_t size, size_t *dropped)
{
	if (*n < HISTORY_MAX_RECORDS)
		return;
	size_t drop = HISTORY_MAX_RECORDS / 4;
	memmove(v, (char *)v + drop * size, (*n - drop) * size);
	*n -= drop;
	*dropped += drop;
}

static void one_line(struct history_reader *r, const char *start, size_t ll, bool complete)
{
	struct history *h = r->h;
	size_t lineno = ++r->lineno;
	if (lineno == 1) {
		int v = header_version(start, ll);
		if (v > 0) {
			h->version = v;
			if (v > HISTORY_VERSION && r->warn)
				fprintf(r->warn, "%s:1: format version %d is newer than this lull's (%d); "
				        "reading what it knows\n", r->name, v, HISTORY_VERSION);
			return;
		}
		if (r->warn && ll > 0)
			fprintf(r->warn, "%s:1: no '#lull-history %d' header; reading as version %d\n",
			        r->name, HISTORY_VERSION, HISTORY_VERSION);
	}
	if (!complete) {
		/* Every record lull writes ends in '\n': this is a torn write. */
		size_t k = 0;
		while (k < ll && (start[k] == ' ' || start[k] == '\t' || start[k] == '\r'))
			k++;
		if (k < ll)
			warn_line(r, lineno, "incomplete last line (an interrupted write?)", "skipped");
		return;
	}
	if (r->too_long || ll >= LINE_MAX_LEN || memchr(start, '\0', ll)) {
		warn_line(r, lineno, r->too_long || ll >= LINE_MAX_LEN ? "line too long" : "binary data",
		          "skipped");
		return;
	}
	char line[LINE_MAX_LEN], err[160];
	memcpy(line, start, ll);
	line[ll] = '\0';
	struct history_entry e;
	struct history_morning m;
	switch (history_parse_line(line, h->version, &e, &m, err, sizeof err)) {
	case HISTORY_LINE_SESSION:
		make_room(h->entries, &h->n, sizeof *h->entries, &r->dropped);
		add_entry(h, &e);
		break;
	case HISTORY_LINE_MORNING:
		make_room(h->mornings, &h->nm, sizeof *h->mornings, &r->dropped);
		add_morning(h, &m);
		break;
	case HISTORY_LINE_BAD:
		warn_line(r, lineno, err, "skipped");
		break;
	case HISTORY_LINE_SKIP:
		break;
	}
}

void history_reader_feed(struct history_reader *r, const char *buf, size_t n)
{
	size_t pos = 0;
	while (pos < n) {
		const char *nl = memchr(buf + pos, '\n', n - pos);
		size_t take = nl ? (size_t)(nl - (buf + pos)) : n - pos;
		if (r->len == 0 && nl && !r->too_long) {
			/* The whole line is in buf: no copy. */
			one_line(r, buf + pos, take, true);
		} else {
			/* A line across chunks: gathered up to what a line may be,
			 * the rest of a longer one only counted. */
			size_t room = sizeof r->pending - r->len;
			size_t keep = take < room ? take : room;
			memcpy(r->pending + r->len, buf + pos, keep);
			r->len += keep;
			if (take > keep)
				r->too_long = true;
			if (nl) {
				one_line(r, r->pending, r->len, true);
				r->len = 0;
				r->too_long = false;
			}
		}
		pos += take + (nl ? 1 : 0);
	}
}

void history_reader_end(struct history_reader *r)
{
	if (r->len > 0 || r->too_long)
		one_line(r, r->pending, r->len, false);
	r->len = 0;
	r->too_long = false;
	if (!r->warn)
		return;
	if (r->unshown)
		fprintf(r->warn, "%s: %zu more unreadable line%s not shown (lull stats --compact keeps "
		        "them as comments)\n", r->name, r->unshown, r->unshown == 1 ? "" : "s");
	if (r->dropped)
		fprintf(r->warn, "%s: more than %u records; only the latest are counted (%zu left out)\n",
		        r->name, HISTORY_MAX_RECORDS, r->dropped);
}

void history_parse_text(const char *text, size_t len, const char *name,
                        struct history *h, FILE *warn)
{
	struct history_reader r;
	history_reader_init(&r, h, name, warn);
	history_reader_feed(&r, text, len);
	history_reader_end(&r);
}

/* ------------------------------------------------------------ the file */

char *history_path(void)
{
	return paths_file(PATH_STATE, HISTORY_LEAF);
}

/* history.pending in the directory of path. The caller frees. */
static char *pending_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xasprintf("%.*s/" PENDING_LEAF, (int)(slash - path), path) : xstrdup(PENDING_LEAF);
}

static int fail(char *err, size_t errsize, const char *what, const char *path)
{
	snprintf(err, errsize, "%s %s: %s", what, path, file_strerror(errno));
	return -1;
}

/* Opens path (a regular file, never through a link, never waiting on a
 * FIFO; created when create says so) and takes the exclusive lock, on the
 * file that is at path now: history_compact may have renamed a new file over
 * the one we opened while we waited for the lock. */
static int open_locked(const char *path, bool create, char *err, size_t errsize)
{
	for (int tries = 0; tries < 100; tries++) {
		/* An append follows a link: the directory is the person's
		 * own (paths_make_dir), so the link is too (a synced folder). */
		int fd = create ? file_open_write(path, O_RDWR | O_APPEND | FILE_LINK_OK)
		                : open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 && !create && errno == ELOOP)
			errno = FILE_ELINK;
		if (fd < 0)
			return fail(err, errsize, "cannot open", path);
		int r;
		while ((r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (r < 0) {
			fail(err, errsize, "cannot lock", path);
			close(fd);
			return -1;
		}
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd); /* replaced meanwhile: lock the new one */
	}
	snprintf(err, errsize, "cannot lock %s: it keeps being replaced", path);
	return -1;
}

/* The records kept in history.pending beside path while path could not be
 * written (see history_save): opened and locked, their text appended to
 * *buf at *n (grown as needed; only lines that read as records). The fd to
 * empty once they are written, or -1 when there are none. */
static int take_pending(const char *path, char **buf, size_t *n, size_t *cap)
{
	char *pend = pending_path(path);
	int fd = open(pend, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(pend);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	char *text;
	size_t len;
	if (file_read_fd(fd, PENDING_MAX, &text, &len) < 0) {
		close(fd);
		return -1;
	}
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		if (!nl)
			break; /* a torn last line: not a record */
		size_t ll = (size_t)(nl - (text + pos));
		char line[LINE_MAX_LEN], msg[160];
		struct history_entry e;
		struct history_morning m;
		if (ll < sizeof line && !memchr(text + pos, '\0', ll)) {
			memcpy(line, text + pos, ll);
			line[ll] = '\0';
			enum history_line k = history_parse_line(line, HISTORY_VERSION, &e, &m, msg, sizeof msg);
			if (k == HISTORY_LINE_SESSION || k == HISTORY_LINE_MORNING) {
				if (*n + ll + 1 > *cap) {
					*cap = (*n + ll + 1) * 2;
					*buf = xrealloc(*buf, *cap);
				}
				memcpy(*buf + *n, line, ll);
				*n += ll;
				(*buf)[(*n)++] = '\n';
			}
		}
		pos += ll + 1;
	}
	free(text);
	return fd;
}

/* One record: lock, header first if the file is new, a '\n' first if the
 * last line was torn, the records kept pending (history_save) and then this
 * one in ONE write, fsync, unlock; the pending file emptied after. */
static int append_line(const char *path, const char *rec, size_t reclen,
                       char *err, size_t errsize)
{
	if (reclen > LINE_MAX_LEN) {
		snprintf(err, errsize, "history record too long");
		return -1;
	}
	int fd = open_locked(path, true, err, errsize);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		fail(err, errsize, "cannot stat", path);
		close(fd);
		return -1;
	}
	size_t cap = LINE_MAX_LEN + sizeof header_text + 2, n = 0;
	char *buf = xmalloc(cap);
	if (st.st_size == 0) {
		memcpy(buf, header_text, sizeof header_text - 1);
		n = sizeof header_text - 1;
	} else {
		char last;
		if (pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
			buf[n++] = '\n'; /* keep our record off a torn line */
	}
	int pending = take_pending(path, &buf, &n, &cap);
	if (n + reclen > cap)
		buf = xrealloc(buf, cap = n + reclen);
	memcpy(buf + n, rec, reclen);
	n += reclen;
	int r = 0;
	if (write_all(fd, buf, n) < 0 || fsync(fd) < 0) {
		fail(err, errsize, "cannot write", path);
		/* A full disk takes part of a write: cut the file back to where
		 * it was (under the lock, no one else appends), so that no torn
		 * line is left for every later read to warn of. The record is
		 * kept by the caller. */
		int e = errno;
		if (ftruncate(fd, st.st_size) == 0)
			fsync(fd);
		errno = e;
		r = -1;
	} else if (pending >= 0) {
		/* Written: the kept records are in the history now. (A crash
		 * just here would add them twice; never lose them.) */
		char *pend = pending_path(path);
		if (ftruncate(pending, 0) == 0)
			unlink(pend);
		free(pend);
	}
	if (pending >= 0)
		close(pending);
	free(buf);
	if (r == 0 && st.st_size == 0)
		file_fsync_dir(path); /* a new file: its name reaches the disk too */
	if (close(fd) < 0 && r == 0)
		return fail(err, errsize, "cannot write", path);
	return r;
}

int history_append_to(const char *path, const struct history_entry *e, char *err, size_t errsize)
{
	char rec[LINE_MAX_LEN];
	size_t n = history_format_entry(e, rec, sizeof rec);
	if (n == 0 || n >= sizeof rec) {
		str_copy(err, "history record too long", errsize);
		return -1;
	}
	return append_line(path, rec, n, err, errsize);
}

int history_append_morning_to(const char *path, const struct history_morning *m,
                              char *err, size_t errsize)
{
	char rec[LINE_MAX_LEN];
	size_t n = history_format_morning(m, rec, sizeof rec);
	if (n == 0 || n >= sizeof rec) {
		str_copy(err, "history record too long", errsize);
		return -1;
	}
	return append_line(path, rec, n, err, errsize);
}

/* The history file, with its directory made (0700). NULL with err set. */
static char *made_path(char *err, size_t errsize)
{
	char *dir = paths_make_dir(PATH_STATE);
	if (!dir) {
		int e = errno;
		char *want = paths_dir(PATH_STATE);
		if (want)
			snprintf(err, errsize, "cannot create the state directory %s: %s", want,
			         file_strerror(e));
		else
			snprintf(err, errsize, "no state directory: set HOME or XDG_STATE_HOME");
		free(want);
		return NULL;
	}
	char *path = xasprintf("%s/%s", dir, HISTORY_LEAF);
	free(dir);
	return path;
}

int history_append(const struct history_entry *e, char *err, size_t errsize)
{
	char *path = made_path(err, errsize);
	if (!path)
		return -1;
	int r = history_append_to(path, e, err, errsize);
	free(path);
	return r;
}

int history_save(const struct history_entry *e, char *line, size_t linesize,
                 char *err, size_t errsize)
{
	size_t n = history_format_entry(e, line, linesize);
	if (n == 0 || n >= linesize || n >= LINE_MAX_LEN) {
		str_copy(err, "history record too long", errsize);
		return -1;
	}
	char *path = made_path(err, errsize);
	if (!path)
		return -1;
	int r = append_line(path, line, n, err, errsize);
	if (r < 0) {
		/* Kept beside it, for the next append to add: history.tsv may be
		 * what is wrong (a directory, a FIFO, not ours to write). */
		char *pend = pending_path(path);
		int fd = file_open_write(pend, O_APPEND);
		int ok = fd >= 0;
		if (ok) {
			while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
				;
			ok = write_all(fd, line, n) == 0 && fsync(fd) == 0;
			ok = close(fd) == 0 && ok;
		}
		if (ok) {
			size_t used = strlen(err);
			snprintf(err + used, errsize - used, "; kept in %s, to be added at the next "
			         "session that can be recorded", pend);
			r = 1;
		}
		free(pend);
	}
	free(path);
	return r;
}

int history_append_morning(const struct history_morning *m, char *err, size_t errsize)
{
	char *path = made_path(err, errsize);
	if (!path)
		return -1;
	int r = history_append_morning_to(path, m, err, errsize);
	free(path);
	return r;
}

/* The whole of fd, a regular file, into *text (NUL-terminated, the caller
 * frees). 0, or -1 with errno (EFBIG over HISTORY_MAX_FILE). */
static int read_all(int fd, char **text, size_t *len)
{
	int r = file_read_fd(fd, HISTORY_MAX_FILE, text, len);
	if (r == 1) {
		free(*text);
		errno = EFBIG;
		return -1;
	}
	return r;
}

int history_load(const char *path, struct history *h, FILE *warn, char *err, size_t errsize)
{
	int fd = file_open_read(path);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return fail(err, errsize, "cannot open", path);
	}
	/* A shared lock: never read half of a record being appended. */
	while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
		;
	struct history_reader r;
	history_reader_init(&r, h, path, warn);
	char *buf = xmalloc(HISTORY_CHUNK);
	int rc = 0;
	for (;;) {
		ssize_t got = read(fd, buf, HISTORY_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = fail(err, errsize, "cannot read", path);
			break;
		}
		if (got == 0)
			break;
		history_reader_feed(&r, buf, (size_t)got);
	}
	history_reader_end(&r);
	free(buf);
	close(fd);
	return rc;
}

int history_compact(const char *path, FILE *warn, size_t *kept, size_t *commented,
                    char *err, size_t errsize)
{
	/* Not through a link: the rename below would replace the link with a
	 * file, leaving its target behind, stale, and the next appends here. */
	int fd = open_locked(path, false, err, errsize);
	if (fd < 0)
		return -1;
	/* A compaction killed mid-way left its copy beside the file. Only a
	 * compaction writes one, under this lock: any there now is stale. */
	file_remove_stale_temps(path);
	struct stat st;
	size_t len;
	char *text = NULL;
	int r = fstat(fd, &st);
	if (r == 0 && !S_ISREG(st.st_mode)) {
		errno = FILE_ENOTREG;
		r = -1;
	}
	if (r < 0 || read_all(fd, &text, &len) < 0) {
		snprintf(err, errsize, "cannot read %s: %s", path, file_strerror(errno));
		close(fd);
		return -1;
	}

	/* Reparse line by line so each line keeps its place and number. */
	size_t cap = len + sizeof header_text + 64, n = 0;
	char *buf = xmalloc(cap);
	memcpy(buf, header_text, sizeof header_text - 1);
	n = sizeof header_text - 1;
	size_t nkept = 0, ncomm = 0, lineno = 0;
	int version = HISTORY_VERSION;
	char line[LINE_MAX_LEN], rec[LINE_MAX_LEN], msg[160];
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *start = text + pos;
		pos += ll + (nl ? 1 : 0);
		lineno++;
		if (lineno == 1 && header_version(start, ll) > 0) {
			version = header_version(start, ll);
			if (version > HISTORY_VERSION)
				break; /* checked below: not ours to rewrite */
			continue;
		}
		if (ll == 0)
			continue;
		bool is_header = ll > 0 && start[0] == '#' &&
			(str_has_prefix(start, "#session\t") || str_has_prefix(start, "#morning\t"));
		if (is_header)
			continue;
		struct history_entry e;
		struct history_morning m;
		enum history_line kind = HISTORY_LINE_BAD;
		if (nl && ll < sizeof line && !memchr(start, '\0', ll)) {
			memcpy(line, start, ll);
			line[ll] = '\0';
			kind = history_parse_line(line, version, &e, &m, msg, sizeof msg);
		} else {
			str_copy(msg, nl ? "unreadable line" : "incomplete last line", sizeof msg);
		}
		size_t rl = 0;
		const char *src = rec;
		switch (kind) {
		case HISTORY_LINE_SESSION:
			rl = history_format_entry(&e, rec, sizeof rec);
			nkept++;
			break;
		case HISTORY_LINE_MORNING:
			rl = history_format_morning(&m, rec, sizeof rec);
			nkept++;
			break;
		case HISTORY_LINE_SKIP: /* a comment: keep as is; a blank line: drop */
			if (start[0] != '#')
				continue;
			src = start;
			rl = ll;
			break;
		case HISTORY_LINE_BAD:
			if (warn && ncomm < HISTORY_WARN_MAX) {
				char *safe = text_escape(msg, strlen(msg), 200); /* it quotes the file */
				fprintf(warn, "%s:%zu: %s; kept as a comment\n", path, lineno, safe);
				free(safe);
			}
			ncomm++;
			break;
		}
		size_t need = n + rl + ll + 64;
		if (need > cap) {
			cap = need * 2;
			buf = xrealloc(buf, cap);
		}
		if (kind == HISTORY_LINE_BAD) {
			n += (size_t)sprintf(buf + n, "#unreadable (line %zu): ", lineno);
			for (size_t i = 0; i < ll; i++) /* keep it one line of text */
				buf[n++] = (start[i] == '\0' || start[i] == '\r') ? ' ' : start[i];
			buf[n++] = '\n';
		} else {
			memcpy(buf + n, src, rl);
			n += rl;
			if (kind == HISTORY_LINE_SKIP)
				buf[n++] = '\n';
		}
	}
	free(text);
	if (version > HISTORY_VERSION) {
		snprintf(err, errsize, "%s was written by a newer lull (format %d); not compacting",
		         path, version);
		free(buf);
		close(fd);
		return -1;
	}

	/* The file's times are kept: reminders read its mtime as the time of
	 * the last session. */
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	if (file_write_atomic(path, buf, n, times) < 0)
		r = fail(err, errsize, "cannot rewrite", path);
	free(buf);
	close(fd); /* releases the lock; waiting appenders see the new file */
	if (r == 0) {
		if (kept)
			*kept = nkept;
		if (commented)
			*commented = ncomm;
	}
	return r;
}
