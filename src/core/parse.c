/* SPDX-License-Identifier: ISC */
/* The session format. One line at a time: validate the bytes (UTF-8, no
 * controls), split into words and quoted texts, dispatch on the first word.
 * An error skips the rest of its line, so one file can report several. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "text.h"
#include "util.h"

#define MAX_TOKENS 32
#define MAX_TEXT 500        /* characters in a guide or say text */
#define MAX_TITLE 80
#define MAX_DESCRIPTION 200
#define MAX_SAFETY 400
#define MAX_NAME 32         /* sound layer names */
#define MAX_PHASE 60.0      /* seconds in one phase of a breath */
#define MIN_BREATH 0.5      /* shortest inhale or exhale: keeps cycles >= 1 s */
#define MAX_CYCLES 10000u
#define MIN_WORD_GAP 1.0    /* seconds between two words of a words step, at least ... */
#define MAX_WORD_GAP 60.0   /* ... and at most */

enum tok_kind { TOK_WORD, TOK_TEXT };

struct token {
	enum tok_kind kind;
	const char *s; /* WORD: the bytes in the line; TEXT: points into text */
	size_t n;
	char *text;    /* TEXT: unescaped, owned */
	unsigned col;
};

enum header_key { H_TITLE, H_DESCRIPTION, H_TAGS, H_SAFETY, H_LENGTH, H_CHIME, H_FOLLOW, H_VOICE, H_COUNT };

struct parser {
	struct parse_result *r;
	struct program *p;
	size_t cap;
	unsigned line;
	const char *ls; /* the current line */
	size_t ln;
	struct token tok[MAX_TOKENS];
	size_t ntok, pos;
	bool line_failed;
	bool stopped;
	unsigned header_line[H_COUNT];
	unsigned first_step_line;
	double total;      /* running length of the steps so far */
	bool total_failed;
};

static const char *const keywords[] = {
	"title", "description", "tags", "safety", "length", "chime", "follow",
	"breathe", "guide", "say", "silence", "sound", "volume", "fadeout", "words", "voice", "recording", NULL,
};

/* The phases a say line may be tied to, in enum say_tie order after SAY_ANY. */
static const char *const tie_names[] = { "inhale", "hold", "exhale", NULL };

static const char *const header_names[H_COUNT] = {
	"title", "description", "tags", "safety", "length", "chime", "follow", "voice",
};

static const char *const cue_names[] = { "chime", "bowl", NULL };

/* ------------------------------------------------------------------ errors */

__attribute__((format(printf, 4, 0)))
static void verror(struct parser *ps, unsigned line, unsigned col, const char *fmt, va_list ap)
{
	struct parse_result *r = ps->r;
	if (ps->stopped)
		return;
	struct parse_error *e = &r->errors[r->nerrors++];
	e->line = line;
	e->col = col;
	if (r->nerrors == PARSE_MAX_ERRORS) {
		snprintf(e->msg, sizeof e->msg, "too many errors; stopping here");
		ps->stopped = true;
		return;
	}
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

__attribute__((format(printf, 3, 4)))
static void err_at(struct parser *ps, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(ps, ps->line, col, fmt, ap);
	va_end(ap);
	ps->line_failed = true;
}

__attribute__((format(printf, 4, 5)))
static void err_line(struct parser *ps, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(ps, line, col, fmt, ap);
	va_end(ap);
}

/* Column (1-based, in characters) of byte offset off in the current line. */
static unsigned col_of(const struct parser *ps, size_t off)
{
	unsigned col = 1;
	for (size_t i = 0; i < off && i < ps->ln; i++)
		if (((unsigned char)ps->ls[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* How a token reads in a message: 'word', text "...", or the end of the line. */
static const char *found(const struct token *t, char *buf, size_t size)
{
	if (!t) {
		str_copy(buf, "the end of the line", size);
		return buf;
	}
	char *esc = text_escape(t->kind == TOK_TEXT ? t->text : t->s,
				t->kind == TOK_TEXT ? strlen(t->text) : t->n, 24);
	snprintf(buf, size, t->kind == TOK_TEXT ? "the text \"%s\"" : "'%s'", esc);
	free(esc);
	return buf;
}

/* Column for an error about token t, or the end of the line. */
static unsigned tcol(const struct parser *ps, const struct token *t)
{
	return t ? t->col : col_of(ps, ps->ln) ;
}

/* ------------------------------------------------------------- the line */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Refuses what may not be in a file at all: overlong lines, invalid UTF-8,
 * NUL and the other control characters (TAB aside; a CR ending the line is
 * dropped, for files from Windows editors). */
static bool check_bytes(struct parser *ps)
{
	if (ps->ln > 0 && ps->ls[ps->ln - 1] == '\r')
		ps->ln--;
	if (ps->ln > PARSE_MAX_LINE) {
		err_at(ps, col_of(ps, PARSE_MAX_LINE), "line too long: more than %u bytes", PARSE_MAX_LINE);
		return false;
	}
	for (size_t i = 0; i < ps->ln;) {
		uint32_t cp;
		size_t len = utf8_decode(ps->ls + i, ps->ln - i, &cp);
		if (len == 0) {
			err_at(ps, col_of(ps, i), "invalid UTF-8 (byte 0x%02X): session files must be UTF-8",
			       (unsigned char)ps->ls[i]);
			return false;
		}
		if (cp == 0) {
			err_at(ps, col_of(ps, i), "NUL byte: this is not a text file");
			return false;
		}
		if (cp != '\t' && text_cp_forbidden(cp)) {
			err_at(ps, col_of(ps, i), "control character U+%04X not allowed", (unsigned)cp);
			return false;
		}
		i += len;
	}
	return true;
}

static void free_tokens(struct parser *ps)
{
	for (size_t i = 0; i < ps->ntok; i++)
		free(ps->tok[i].text);
	ps->ntok = ps->pos = 0;
}

static bool tokenize(struct parser *ps)
{
	const char *s = ps->ls;
	size_t n = ps->ln, i = 0;
	while (i < n) {
		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		if (ps->ntok == MAX_TOKENS) {
			err_at(ps, col_of(ps, i), "too many words on one line (at most %d)", MAX_TOKENS);
			return false;
		}
		struct token *t = &ps->tok[ps->ntok];
		t->col = col_of(ps, i);
		t->text = NULL;
		if (s[i] != '"') {
			size_t j = i;
			while (j < n && !is_space(s[j]) && s[j] != '"' && s[j] != '#')
				j++;
			t->kind = TOK_WORD;
			t->s = s + i;
			t->n = j - i;
			ps->ntok++;
			i = j;
			continue;
		}
		/* Quoted text: \" and \\ are the only escapes; a TAB becomes a space. */
		char *out = xmalloc(n - i + 1);
		size_t o = 0, j = i + 1;
		bool closed = false;
		while (j < n) {
			if (s[j] == '"') {
				closed = true;
				j++;
				break;
			}
			if (s[j] == '\\') {
				if (j + 1 < n && (s[j + 1] == '"' || s[j + 1] == '\\')) {
					out[o++] = s[j + 1];
					j += 2;
					continue;
				}
				free(out);
				if (j + 1 >= n)
					err_at(ps, col_of(ps, j), "unterminated text: a '\\' at the end of the line");
				else
					err_at(ps, col_of(ps, j), "unknown escape in text: only \\\" (a quote) and \\\\ (a backslash) are allowed");
				return false;
			}
			out[o++] = s[j] == '\t' ? ' ' : s[j];
			j++;
		}
		if (!closed) {
			free(out);
			err_at(ps, t->col, "unterminated text: expected a closing '\"' before the end of the line");
			return false;
		}
		out[o] = '\0';
		t->kind = TOK_TEXT;
		t->text = out;
		t->s = out;
		t->n = o;
		ps->ntok++;
		i = j;
	}
	return true;
}

static struct token *next(struct parser *ps)
{
	return ps->pos < ps->ntok ? &ps->tok[ps->pos++] : NULL;
}

static struct token *peek(struct parser *ps)
{
	return ps->pos < ps->ntok ? &ps->tok[ps->pos] : NULL;
}

static bool word_is(const struct token *t, const char *w)
{
	return t && t->kind == TOK_WORD && t->n == strlen(w) && memcmp(t->s, w, t->n) == 0;
}

/* A NUL-terminated copy of a word, cut to fit (for comparisons and hints). */
static void word_copy(const struct token *t, char *buf, size_t size)
{
	size_t n = t->n < size - 1 ? t->n : size - 1;
	memcpy(buf, t->s, n);
	buf[n] = '\0';
}

static bool want_end(struct parser *ps, const char *after)
{
	struct token *t = peek(ps);
	if (!t)
		return true;
	char f[64];
	err_at(ps, t->col, "expected the end of the line after %s, found %s (a comment starts with '#')",
	       after, found(t, f, sizeof f));
	return false;
}

/* ---------------------------------------------------------------- values */

/* A decimal number: up to int_digits digits, optionally '.' and 1..3 more.
 * Returns the bytes used (0: not a number here). */
static size_t scan_number(const char *s, size_t n, unsigned int_digits, double *out)
{
	size_t i = 0;
	double v = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (i == int_digits)
			return 0;
		v = v * 10 + (s[i] - '0');
		i++;
	}
	if (i == 0)
		return 0;
	if (i < n && s[i] == '.') {
		size_t j = i + 1;
		double scale = 0.1;
		while (j < n && s[j] >= '0' && s[j] <= '9') {
			if (j - i > 3)
				return 0;
			v += (s[j] - '0') * scale;
			scale /= 10;
			j++;
		}
		if (j == i + 1)
			return 0;
		i = j;
	}
	/* Round to the thousandth, so "0.1" written back is "0.1" again. */
	*out = round(v * 1000) / 1000;
	return i;
}

/* NULL on success, else what went wrong (for "expected ..., found ..."). */
static const char *scan_duration(const char *s, size_t n, double *out)
{
	static const char units[] = "hms";
	static const double mult[] = { 3600, 60, 1 };
	size_t i = 0;
	int last = -1;
	double total = 0;
	if (n == 0)
		return "as in 45s, 2m or 1m30s";
	while (i < n) {
		double v;
		size_t used = scan_number(s + i, n - i, 6, &v);
		if (used == 0)
			return "as in 45s, 2m or 1m30s";
		i += used;
		if (i == n)
			return "with a unit (s, m or h) after the number, as in 45s or 2m";
		const char *u = strchr(units, s[i]);
		if (!u || s[i] == '\0')
			return "as in 45s, 2m or 1m30s (units: h, m, s)";
		int k = (int)(u - units);
		if (k <= last)
			return "with the units in the order h, m, s, as in 1h30m or 1m30s";
		last = k;
		total += v * mult[k];
		i++;
	}
	*out = total;
	return NULL;
}

static bool want_duration(struct parser *ps, const char *what, bool allow_zero, double *out)
{
	struct token *t = next(ps);
	char f[64];
	const char *why = t && t->kind == TOK_WORD ? scan_duration(t->s, t->n, out) : "as in 45s, 2m or 1m30s";
	if (why) {
		err_at(ps, tcol(ps, t), "expected %s %s, found %s", what, why, found(t, f, sizeof f));
		return false;
	}
	if (*out > PARSE_MAX_SECONDS) {
		err_at(ps, t->col, "%s %s is longer than 24 hours", what, found(t, f, sizeof f));
		return false;
	}
	if (!allow_zero && *out <= 0) {
		err_at(ps, t->col, "%s must be longer than 0s", what);
		return false;
	}
	return true;
}

static bool want_pattern(struct parser *ps, struct pace_pattern *p)
{
	struct token *t = next(ps);
	char f[64];
	static const char expect[] = "expected a breathing pattern in seconds, inhale-hold-exhale[-hold] "
				     "as in 4-7-8 or 4-0-6-0, found %s";
	if (!t || t->kind != TOK_WORD) {
		err_at(ps, tcol(ps, t), expect, found(t, f, sizeof f));
		return false;
	}
	size_t i = 0, k = 0;
	memset(p, 0, sizeof *p);
	while (1) {
		if (k == PACE_PHASES) {
			err_at(ps, t->col, expect, found(t, f, sizeof f));
			return false;
		}
		size_t used = scan_number(t->s + i, t->n - i, 3, &p->phase[k]);
		if (used == 0) {
			err_at(ps, t->col, expect, found(t, f, sizeof f));
			return false;
		}
		if (p->phase[k] > MAX_PHASE) {
			err_at(ps, t->col + (unsigned)i, "a phase of a breath lasts at most %g seconds, found %.3g",
			       MAX_PHASE, p->phase[k]);
			return false;
		}
		i += used;
		k++;
		if (i == t->n)
			break;
		if (t->s[i] != '-') {
			err_at(ps, t->col, expect, found(t, f, sizeof f));
			return false;
		}
		i++;
	}
	if (k < 3) {
		err_at(ps, t->col, expect, found(t, f, sizeof f));
		return false;
	}
	if (p->phase[PACE_INHALE] < MIN_BREATH || p->phase[PACE_EXHALE] < MIN_BREATH) {
		err_at(ps, t->col, "the inhale and the exhale last at least %g seconds each, found %s",
		       MIN_BREATH, found(t, f, sizeof f));
		return false;
	}
	return true;
}

/* A text with at most max characters, not empty. Returns an owned copy. */
static char *want_text(struct parser *ps, const char *what, size_t max)
{
	struct token *t = next(ps);
	char f[64];
	if (!t || t->kind != TOK_TEXT) {
		err_at(ps, tcol(ps, t), "expected %s in double quotes, as in \"Let your shoulders drop\", found %s",
		       what, found(t, f, sizeof f));
		return NULL;
	}
	size_t chars = 0;
	bool blank = true;
	for (const char *c = t->text; *c; c++) {
		if (((unsigned char)*c & 0xC0) != 0x80)
			chars++;
		if (*c != ' ')
			blank = false;
	}
	if (blank) {
		err_at(ps, t->col, "%s is empty", what);
		return NULL;
	}
	if (chars > max) {
		err_at(ps, t->col, "%s is too long: %zu characters, at most %zu", what, chars, max);
		return NULL;
	}
	return xstrdup(t->text);
}

/* A volume, 0..1 or a percentage. */
static bool want_volume(struct parser *ps, float *out)
{
	struct token *t = next(ps);
	char f[64];
	double v;
	size_t used = t && t->kind == TOK_WORD ? scan_number(t->s, t->n, 3, &v) : 0;
	if (used && used + 1 == t->n && t->s[used] == '%' && v <= 100) {
		*out = (float)(v / 100);
		return true;
	}
	if (used && used == t->n && v <= 1) {
		*out = (float)v;
		return true;
	}
	err_at(ps, tcol(ps, t), "expected a volume from 0 to 1 or a percentage like 60%%, found %s",
	       found(t, f, sizeof f));
	return false;
}

static bool want_on_off(struct parser *ps, const char *key, bool *out)
{
	struct token *t = next(ps);
	char f[64];
	if (word_is(t, "on") || word_is(t, "yes")) {
		*out = true;
		return true;
	}
	if (word_is(t, "off") || word_is(t, "no")) {
		*out = false;
		return true;
	}
	err_at(ps, tcol(ps, t), "expected 'on' or 'off' after '%s', found %s", key, found(t, f, sizeof f));
	return false;
}

/* ------------------------------------------------------------ the header */

static bool header_key(struct parser *ps, enum header_key k, const struct token *kw)
{
	if (ps->first_step_line) {
		err_at(ps, kw->col, "'%s' belongs to the header, before the first step (line %u)",
		       header_names[k], ps->first_step_line);
		return false;
	}
	if (ps->header_line[k]) {
		err_at(ps, kw->col, "'%s' was already given on line %u", header_names[k], ps->header_line[k]);
		return false;
	}
	ps->header_line[k] = ps->line;
	return true;
}

static void set_text(struct parser *ps, char **field, const char *what, size_t max)
{
	char *s = want_text(ps, what, max);
	if (s && want_end(ps, "the text"))
		*field = s;
	else
		free(s);
}

/* t is not one of names: "unknown KIND X; did you mean 'Y'?" when a name is
 * close, else "expected EXPECTED, found X". */
static void err_unknown_word(struct parser *ps, const struct token *t, const char *const *names,
			     const char *kind, const char *expected)
{
	char f[64], w[64];
	const char *hint = NULL;
	if (t->kind == TOK_WORD) {
		word_copy(t, w, sizeof w);
		hint = text_did_you_mean(w, names);
	}
	if (hint)
		err_at(ps, t->col, "unknown %s %s; did you mean '%s'?", kind, found(t, f, sizeof f), hint);
	else
		err_at(ps, t->col, "expected %s, found %s", expected, found(t, f, sizeof f));
}

static void do_tags(struct parser *ps)
{
	static const char *const names[] = { "sleep", "tension", "stretch", "breathing", NULL };
	unsigned tags = 0;
	struct token *t;
	if (!peek(ps)) {
		err_at(ps, tcol(ps, NULL), "expected one or more tags (sleep, tension, stretch, breathing), found the end of the line");
		return;
	}
	while ((t = next(ps))) {
		unsigned bit = 0;
		for (unsigned i = 0; names[i]; i++)
			if (word_is(t, names[i]))
				bit = 1u << i;
		if (!bit) {
			err_unknown_word(ps, t, names, "tag", "a tag (sleep, tension, stretch, breathing)");
			return;
		}
		if (!tags)
			ps->p->purpose = bit; /* the first tag: what it is mainly for */
		tags |= bit;
	}
	ps->p->tags = tags;
}

/* ------------------------------------------------------------- the steps */

static struct step *add_step(struct parser *ps, enum step_kind kind)
{
	struct program *p = ps->p;
	if (p->nsteps == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		p->steps = xrealloc(p->steps, ps->cap * sizeof *p->steps);
	}
	struct step *s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->line = ps->line;
	return s;
}

/* Keeps the whole program under 24 hours; also bounds the work the length
 * computation does on hostile input. */
static void account(struct parser *ps, const struct step *s)
{
	if (ps->total_failed)
		return;
	ps->total += step_length(s);
	if (ps->total > PARSE_MAX_SECONDS) {
		err_line(ps, s->line, 1, "the program would last more than 24 hours with this step");
		ps->total_failed = true;
	}
}

static void do_breathe(struct parser *ps)
{
	struct step_breathe b;
	memset(&b, 0, sizeof b);
	char f[64];
	if (!want_pattern(ps, &b.from))
		return;
	b.to = b.from;
	struct token *t = next(ps);
	if (word_is(t, "to")) {
		if (!want_pattern(ps, &b.to))
			return;
		b.ramp = true;
		t = next(ps);
	}
	if (!word_is(t, "for")) {
		err_at(ps, tcol(ps, t), "expected 'for' and how long, as in 'for 2m' or 'for 6 cycles'%s, found %s",
		       b.ramp ? "" : ", or 'to' and a second pattern", found(t, f, sizeof f));
		return;
	}
	t = peek(ps);
	struct token *t2 = ps->pos + 1 < ps->ntok ? &ps->tok[ps->pos + 1] : NULL;
	if (word_is(t2, "cycles") || word_is(t2, "cycle")) {
		unsigned long v = 0;
		bool ok = t->kind == TOK_WORD && t->n > 0 && t->n <= 6;
		for (size_t i = 0; ok && i < t->n; i++) {
			if (t->s[i] < '0' || t->s[i] > '9')
				ok = false;
			else
				v = v * 10 + (unsigned long)(t->s[i] - '0');
		}
		if (!ok || v < 1 || v > MAX_CYCLES) {
			err_at(ps, t->col, "expected a number of cycles from 1 to %u, found %s", MAX_CYCLES,
			       found(t, f, sizeof f));
			return;
		}
		b.cycles = (unsigned)v;
		ps->pos += 2;
	} else {
		bool digits = t && t->kind == TOK_WORD && t->n > 0;
		for (size_t i = 0; digits && i < t->n; i++)
			digits = t->s[i] >= '0' && t->s[i] <= '9';
		if (digits && (!t2 || t2->kind == TOK_WORD)) {
			/* "for 6" or "for 6 breaths": a number of cycles without the word. */
			err_at(ps, tcol(ps, t2), "expected 'cycles' after the number (as in 'for 6 cycles'), "
			       "or a unit (as in 'for 6m'), found %s", found(t2, f, sizeof f));
			return;
		}
		if (!want_duration(ps, "the breathing time", false, &b.seconds))
			return;
	}
	if (!want_end(ps, "the breathing block"))
		return;
	double len = pace_pattern_length(&b.from) * (b.cycles ? b.cycles : 1);
	if (len > PARSE_MAX_SECONDS) {
		err_at(ps, 1, "this breathing block would last more than 24 hours");
		return;
	}
	struct step *s = add_step(ps, STEP_BREATHE);
	s->u.breathe = b;
	account(ps, s);
}

/* Optional "from inhale|exhale" after a guided step's breathing cue. */
static bool want_cue_start(struct parser *ps, enum pace_phase *from)
{
	static const char *const phases[] = { "inhale", "exhale", NULL };
	struct token *t = peek(ps);
	*from = PACE_INHALE;
	if (!word_is(t, "from"))
		return true;
	ps->pos++;
	t = next(ps);
	if (word_is(t, "inhale"))
		return true;
	if (word_is(t, "exhale")) {
		*from = PACE_EXHALE;
		return true;
	}
	char f[64];
	if (t && t->kind == TOK_WORD) {
		char w[64];
		word_copy(t, w, sizeof w);
		const char *hint = text_did_you_mean(w, phases);
		if (hint) {
			err_at(ps, t->col, "unknown phase %s; did you mean '%s'?", found(t, f, sizeof f), hint);
			return false;
		}
	}
	err_at(ps, tcol(ps, t), "expected 'inhale' or 'exhale' after 'from' (the phase the cue begins on), found %s",
	       found(t, f, sizeof f));
	return false;
}

static void do_guide(struct parser *ps)
{
	double secs;
	if (!want_duration(ps, "the step's duration", false, &secs))
		return;
	char *text = want_text(ps, "the instruction", MAX_TEXT);
	if (!text)
		return;
	struct pace_pattern cue;
	enum pace_phase from = PACE_INHALE;
	bool has_cue = false;
	struct token *t = peek(ps);
	if (word_is(t, "breathe")) {
		ps->pos++;
		if (!want_pattern(ps, &cue) || !want_cue_start(ps, &from)) {
			free(text);
			return;
		}
		has_cue = true;
	} else if (t) {
		char f[64];
		err_at(ps, t->col, "expected the end of the line, or 'breathe' and a pattern to pace the breath "
		       "during the step, found %s", found(t, f, sizeof f));
		free(text);
		return;
	}
	if (!want_end(ps, "the breathing cue")) {
		free(text);
		return;
	}
	struct step *s = add_step(ps, STEP_GUIDE);
	s->u.guide.seconds = secs;
	s->u.guide.text = text;
	s->u.guide.has_breath_cue = has_cue;
	if (has_cue) {
		s->u.guide.cue = cue;
		s->u.guide.cue_from = from;
	}
	account(ps, s);
}

static void do_say(struct parser *ps)
{
	enum say_tie tie = SAY_ANY;
	struct token *t = peek(ps);
	if (t && t->kind == TOK_WORD) {
		for (size_t i = 0; tie_names[i]; i++)
			if (word_is(t, tie_names[i]))
				tie = (enum say_tie)(i + 1);
		if (tie == SAY_ANY) {
			err_unknown_word(ps, t, tie_names, "phase",
					 "the guidance line in double quotes, or before it the phase it belongs to (inhale, hold or exhale)");
			return;
		}
		ps->pos++;
	}
	char *text = want_text(ps, "the guidance line", MAX_TEXT);
	if (!text)
		return;
	if (!want_end(ps, "the text")) {
		free(text);
		return;
	}
	struct step *s = add_step(ps, STEP_SAY);
	s->u.say = text;
	s->say_tie = tie;
}

/* words DURATION every SECONDS [to SECONDS] */
static void do_words(struct parser *ps)
{
	struct step_words w;
	memset(&w, 0, sizeof w);
	if (!want_duration(ps, "the length of the words step", false, &w.seconds))
		return;
	struct token *t = next(ps);
	char f[64];
	if (!word_is(t, "every")) {
		err_at(ps, tcol(ps, t), "expected 'every' and the time from one word to the next, as in "
		       "'words 20m every 6s to 10s', found %s", found(t, f, sizeof f));
		return;
	}
	if (!want_duration(ps, "the time between words", false, &w.every_from))
		return;
	w.every_to = w.every_from;
	if (word_is(peek(ps), "to")) {
		ps->pos++;
		if (!want_duration(ps, "the time between the last words", false, &w.every_to))
			return;
	}
	if (!want_end(ps, "the time between words"))
		return;
	if (w.every_from < MIN_WORD_GAP || w.every_to < MIN_WORD_GAP || w.every_from > MAX_WORD_GAP ||
	    w.every_to > MAX_WORD_GAP) {
		err_at(ps, 1, "the time between words is %g to %g seconds", MIN_WORD_GAP, MAX_WORD_GAP);
		return;
	}
	struct step *s = add_step(ps, STEP_WORDS);
	s->u.words = w;
	account(ps, s);
}

static void do_silence(struct parser *ps)
{
	double secs;
	if (!peek(ps)) { /* bare: the next timed step is quiet on purpose */
		add_step(ps, STEP_QUIET);
		return;
	}
	if (!want_duration(ps, "the length of the silence", false, &secs) || !want_end(ps, "the duration"))
		return;
	struct step *s = add_step(ps, STEP_SILENCE);
	s->u.guide.seconds = secs;
	account(ps, s);
}

static void do_chime(struct parser *ps)
{
	struct token *t = next(ps);
	char *name = NULL;
	if (t) {
		bool ok = false;
		for (size_t i = 0; cue_names[i]; i++)
			ok |= word_is(t, cue_names[i]);
		if (!ok) {
			err_unknown_word(ps, t, cue_names, "cue", "a cue (chime or bowl) or the end of the line");
			return;
		}
		if (!word_is(t, "chime")) {
			name = xmalloc(t->n + 1);
			word_copy(t, name, t->n + 1);
		}
		if (!want_end(ps, "the cue")) {
			free(name);
			return;
		}
	}
	add_step(ps, STEP_CHIME)->u.chime = name;
}

/* Optional "fade DURATION" at the end of a sound line. */
static bool want_fade(struct parser *ps, double *fade)
{
	struct token *t = next(ps);
	*fade = 0;
	if (!t)
		return true;
	if (!word_is(t, "fade")) {
		char f[64];
		err_at(ps, t->col, "expected the end of the line or 'fade' and a duration, found %s",
		       found(t, f, sizeof f));
		return false;
	}
	return want_duration(ps, "the fade time", true, fade) && want_end(ps, "the fade time");
}

static bool layer_name_ok(const struct token *t)
{
	if (!t || t->kind != TOK_WORD || t->n == 0 || t->n > MAX_NAME || word_is(t, "off") || word_is(t, "fade"))
		return false;
	for (size_t i = 0; i < t->n; i++) {
		char c = t->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

static void do_sound(struct parser *ps)
{
	struct token *t = next(ps);
	char f[64];
	if (!layer_name_ok(t)) {
		err_at(ps, tcol(ps, t), "expected the name of a sound layer (rain, ocean, stream, wind, brown, pink), found %s",
		       found(t, f, sizeof f));
		return;
	}
	struct step_sound snd = { .action = SOUND_LAYER_ON };
	if (word_is(peek(ps), "off")) {
		ps->pos++;
		snd.action = SOUND_LAYER_OFF;
	} else {
		struct token *v = peek(ps);
		if (!v) {
			err_at(ps, tcol(ps, v), "expected a volume (0 to 1, or a percentage like 60%%) or 'off', "
			       "found the end of the line");
			return;
		}
		if (!want_volume(ps, &snd.volume))
			return;
	}
	if (!want_fade(ps, &snd.fade_s))
		return;
	snd.name = xmalloc(t->n + 1);
	word_copy(t, snd.name, t->n + 1);
	add_step(ps, STEP_SOUND)->u.sound = snd;
}

static void do_volume(struct parser *ps)
{
	struct step_sound snd = { .action = SOUND_VOLUME };
	if (!want_volume(ps, &snd.volume) || !want_fade(ps, &snd.fade_s))
		return;
	add_step(ps, STEP_SOUND)->u.sound = snd;
}

static void do_fadeout(struct parser *ps)
{
	struct step_sound snd = { .action = SOUND_FADE_OUT };
	if (!want_duration(ps, "the fade time", true, &snd.fade_s) || !want_end(ps, "the duration"))
		return;
	add_step(ps, STEP_SOUND)->u.sound = snd;
}

/* "recording FILE" after a guide or say line: that line is played from a
 * sound file (found as sounds are) instead of spoken by the voice. FILE is a
 * name or a quoted path. */
static void do_recording(struct parser *ps, const struct token *kw)
{
	struct program *p = ps->p;
	struct step *last = p->nsteps ? &p->steps[p->nsteps - 1] : NULL;
	char f[64];
	if (!last || (last->kind != STEP_GUIDE && last->kind != STEP_SAY) || last->line != ps->line - 1) {
		err_at(ps, kw->col, "'recording' names the sound file of the guide or say line just above it, "
		       "but the line above is not one");
		return;
	}
	struct token *t = next(ps);
	if (!t || t->n == 0 || t->n > PARSE_MAX_LINE) {
		err_at(ps, tcol(ps, t), "expected a sound file after 'recording', a name (as in mine) or a path "
		       "in double quotes, found %s", found(t, f, sizeof f));
		return;
	}
	if (!want_end(ps, "the recording"))
		return;
	last->recording = xmalloc(t->n + 1);
	memcpy(last->recording, t->s, t->n);
	last->recording[t->n] = '\0';
}

/* A guide or say step just added: the column of its text, for messages
 * about it (lull check's spoken fit). */
static void note_text_col(struct parser *ps, size_t nsteps_before)
{
	struct program *p = ps->p;
	if (p->nsteps == nsteps_before)
		return;
	struct step *s = &p->steps[p->nsteps - 1];
	if (s->kind != STEP_GUIDE && s->kind != STEP_SAY)
		return;
	for (size_t i = 0; i < ps->ntok; i++)
		if (ps->tok[i].kind == TOK_TEXT) {
			s->col = ps->tok[i].col;
			return;
		}
}

/* ------------------------------------------------------------- dispatch */

static void parse_line(struct parser *ps)
{
	struct token *kw = next(ps);
	char f[64], w[64];
	if (!kw)
		return;
	if (kw->kind != TOK_WORD) {
		err_at(ps, kw->col, "expected a keyword (such as guide, breathe, say), found %s", found(kw, f, sizeof f));
		return;
	}
	word_copy(kw, w, sizeof w);
	bool known = false;
	for (size_t i = 0; keywords[i]; i++)
		known |= word_is(kw, keywords[i]);
	if (!known) {
		const char *hint = kw->n < sizeof w ? text_did_you_mean(w, keywords) : NULL;
		if (hint)
			err_at(ps, kw->col, "unknown keyword %s; did you mean '%s'?", found(kw, f, sizeof f), hint);
		else
			err_at(ps, kw->col, "unknown keyword %s (see lull-session(5))", found(kw, f, sizeof f));
		return;
	}

	/* "chime on|off" is the header setting; "chime [CUE]" is a step. */
	struct token *arg = peek(ps);
	bool chime_setting = word_is(kw, "chime") && (word_is(arg, "on") || word_is(arg, "off"));
	struct program *p = ps->p;

	if (chime_setting) {
		bool on;
		if (header_key(ps, H_CHIME, kw) && want_on_off(ps, "chime", &on) && want_end(ps, "on or off"))
			p->chime_off = !on;
	} else if (word_is(kw, "title")) {
		if (header_key(ps, H_TITLE, kw))
			set_text(ps, &p->title, "the title", MAX_TITLE);
	} else if (word_is(kw, "description")) {
		if (header_key(ps, H_DESCRIPTION, kw))
			set_text(ps, &p->description, "the description", MAX_DESCRIPTION);
	} else if (word_is(kw, "safety")) {
		if (header_key(ps, H_SAFETY, kw))
			set_text(ps, &p->safety, "the safety note", MAX_SAFETY);
	} else if (word_is(kw, "tags")) {
		if (header_key(ps, H_TAGS, kw))
			do_tags(ps);
	} else if (word_is(kw, "length")) {
		double secs;
		if (header_key(ps, H_LENGTH, kw) && want_duration(ps, "the length", false, &secs) &&
		    want_end(ps, "the length"))
			p->estimate_s = secs;
	} else if (word_is(kw, "follow")) {
		if (header_key(ps, H_FOLLOW, kw) && want_on_off(ps, "follow", &p->follow))
			want_end(ps, "on or off");
	} else if (word_is(kw, "voice")) {
		bool on;
		if (header_key(ps, H_VOICE, kw) && want_on_off(ps, "voice", &on) && want_end(ps, "on or off"))
			p->voice = on ? PROGRAM_VOICE_ON : PROGRAM_VOICE_OFF;
	} else if (word_is(kw, "recording")) {
		do_recording(ps, kw);
	} else {
		size_t before = p->nsteps;
		if (!ps->first_step_line)
			ps->first_step_line = ps->line;
		if (word_is(kw, "breathe"))
			do_breathe(ps);
		else if (word_is(kw, "guide"))
			do_guide(ps);
		else if (word_is(kw, "say"))
			do_say(ps);
		else if (word_is(kw, "silence"))
			do_silence(ps);
		else if (word_is(kw, "chime"))
			do_chime(ps);
		else if (word_is(kw, "sound"))
			do_sound(ps);
		else if (word_is(kw, "volume"))
			do_volume(ps);
		else if (word_is(kw, "words"))
			do_words(ps);
		else
			do_fadeout(ps);
		note_text_col(ps, before);
	}
}

static void finish(struct parser *ps, unsigned last_line)
{
	struct program *p = ps->p;
	bool timed = false;
	for (size_t i = 0; i < p->nsteps; i++)
		timed |= step_is_timed(&p->steps[i]);
	if (!timed && ps->r->nerrors == 0)
		err_line(ps, last_line, 1, "no steps: a program needs at least one 'breathe', 'guide', 'silence' or 'words' line");
	/* A say line shows during the next breathing block; one with none after it
	 * would never show, nor one tied to a phase that block does not have. */
	const struct step *after = NULL;
	bool timed_after = false;
	for (size_t i = p->nsteps; i-- > 0;) {
		const struct step *s = &p->steps[i];
		timed_after |= step_is_timed(s);
		if (s->kind == STEP_QUIET && !timed_after && timed)
			err_line(ps, s->line, 1, "'silence' without a duration keeps the next step quiet after its words, "
				 "but no step follows it (for a pause, give its length: silence 30s)");
		if (s->kind == STEP_BREATHE) {
			after = s;
		} else if (s->kind == STEP_SAY && !after) {
			err_line(ps, s->line, 1, "'say' shows its line during the next breathing block, "
				 "but no 'breathe' line follows it");
		} else if (s->kind == STEP_SAY && s->say_tie == SAY_HOLD) {
			const struct step_breathe *b = &after->u.breathe;
			bool holds = false;
			for (int k = PACE_HOLD_FULL; k < PACE_PHASES; k += 2)
				holds |= b->from.phase[k] > 0 || (b->ramp && b->to.phase[k] > 0);
			if (!holds)
				err_line(ps, s->line, 1, "'say hold' shows its line at a hold, but the breathing "
					 "block after it (line %u) has no hold", after->line);
		}
	}
}

static int cmp_errors(const void *a, const void *b)
{
	const struct parse_error *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

void parse_program(const char *text, size_t len, const char *name, struct parse_result *r)
{
	struct parser ps;
	memset(r, 0, sizeof *r);
	memset(&ps, 0, sizeof ps);
	ps.r = r;
	ps.p = xcalloc(1, sizeof *ps.p);
	if (name)
		ps.p->name = xstrdup(name);

	if (len > PARSE_MAX_FILE) {
		err_line(&ps, 1, 1, "file too large: more than %u bytes (1 MiB)", PARSE_MAX_FILE);
	} else {
		size_t i = 0;
		if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
			i = 3; /* a byte-order mark some editors write */
		unsigned line = 0;
		while (i < len && !ps.stopped) {
			const char *nl = memchr(text + i, '\n', len - i);
			size_t end = nl ? (size_t)(nl - text) : len;
			ps.line = ++line;
			ps.ls = text + i;
			ps.ln = end - i;
			ps.line_failed = false;
			if (check_bytes(&ps) && tokenize(&ps))
				parse_line(&ps);
			free_tokens(&ps);
			i = end + 1;
		}
		if (!ps.stopped)
			finish(&ps, line ? line : 1);
	}
	if (r->nerrors) {
		/* Later checks (say, totals) may report earlier lines: keep file order,
		 * with the "stopping" note last. */
		size_t n = ps.stopped ? r->nerrors - 1 : r->nerrors;
		qsort(r->errors, n, sizeof r->errors[0], cmp_errors);
		program_free(ps.p);
		return;
	}
	r->program = ps.p;
}

/* ------------------------------------------------------------- writing */

struct out {
	char *p;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (o->len + (size_t)n + 1 > o->cap) {
		o->cap = (o->len + (size_t)n + 1) * 2;
		o->p = xrealloc(o->p, o->cap);
	}
	va_start(ap, fmt);
	vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

/* A number with at most three decimals, without trailing zeros. */
static void fmt_num(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.3f", v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *e = buf + strlen(buf);
		while (e > dot + 1 && e[-1] == '0')
			*--e = '\0';
		if (e == dot + 1)
			*dot = '\0';
	}
}

void parse_format_duration(double seconds, char *buf, size_t size)
{
	double ms = round(seconds * 1000);
	if (ms < 0)
		ms = 0;
	unsigned long whole = (unsigned long)(ms / 1000);
	double frac = (ms - (double)whole * 1000) / 1000;
	unsigned long h = whole / 3600, m = whole % 3600 / 60;
	double s = (double)(whole % 60) + frac;
	char num[32];
	size_t o = 0;
	buf[0] = '\0';
	if (h)
		o += (size_t)snprintf(buf + o, size > o ? size - o : 0, "%luh", h);
	if (m && o < size)
		o += (size_t)snprintf(buf + o, size - o, "%lum", m);
	if ((s > 0 || (!h && !m)) && o < size) {
		fmt_num(s, num, sizeof num);
		snprintf(buf + o, size - o, "%ss", num);
	}
}

void parse_format_pattern(const struct pace_pattern *p, char *buf, size_t size)
{
	char n[4][12];
	for (int i = 0; i < PACE_PHASES; i++)
		fmt_num(p->phase[i], n[i], sizeof n[i]);
	snprintf(buf, size, "%s-%s-%s-%s", n[0], n[1], n[2], n[3]);
}

static void out_text(struct out *o, const char *s)
{
	/* Escape into one buffer, then append once: texts are long. */
	size_t n = strlen(s), k = 0;
	char *esc = xmalloc(2 * n + 3);
	esc[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			esc[k++] = '\\';
		esc[k++] = s[i];
	}
	esc[k++] = '"';
	esc[k] = '\0';
	outf(o, "%s", esc);
	free(esc);
}

static void out_volume(struct out *o, float v)
{
	char n[32];
	/* Three decimals of a percentage: as many as a file can give, so the
	 * written volume parses back to the same float. */
	fmt_num((double)v * 100, n, sizeof n);
	outf(o, " %s%%", n);
}

static void out_fade(struct out *o, double fade)
{
	char d[64];
	if (fade > 0) {
		parse_format_duration(fade, d, sizeof d);
		outf(o, " fade %s", d);
	}
}

/* A recording's name bare when it reads as one word, else quoted. */
static void out_recording(struct out *o, const char *name)
{
	bool word = *name != '\0';
	for (const char *c = name; *c && word; c++)
		word = !is_space(*c) && *c != '"' && *c != '#' && *c != '\\';
	outf(o, "recording ");
	if (word)
		outf(o, "%s", name);
	else
		out_text(o, name);
	outf(o, "\n");
}

char *program_format(const struct program *p)
{
	struct out o = { NULL, 0, 0 };
	char a[64], b[64];
	outf(&o, "%s", "");
	if (p->title) {
		outf(&o, "title       ");
		out_text(&o, p->title);
		outf(&o, "\n");
	}
	if (p->description) {
		outf(&o, "description ");
		out_text(&o, p->description);
		outf(&o, "\n");
	}
	if (p->tags) {
		/* What it is mainly for first, the rest in their order. */
		outf(&o, "tags       ");
		if (p->purpose & p->tags)
			outf(&o, " %s", program_tag_name(p->purpose));
		for (unsigned i = 0; i < PROGRAM_NTAGS; i++)
			if (p->tags & (1u << i) & ~p->purpose)
				outf(&o, " %s", program_tag_name(1u << i));
		outf(&o, "\n");
	}
	if (p->safety) {
		outf(&o, "safety      ");
		out_text(&o, p->safety);
		outf(&o, "\n");
	}
	if (p->estimate_s > 0) {
		parse_format_duration(p->estimate_s, a, sizeof a);
		outf(&o, "length      %s\n", a);
	}
	if (p->chime_off)
		outf(&o, "chime       off\n");
	if (p->follow)
		outf(&o, "follow      on\n");
	if (p->voice != PROGRAM_VOICE_UNSAID)
		outf(&o, "voice       %s\n", p->voice == PROGRAM_VOICE_ON ? "on" : "off");
	outf(&o, "\n");

	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		/* A blank line before each breathing block (and the say lines that
		 * lead into it) and after it, so the file reads in paragraphs. */
		bool starts_block = (s->kind == STEP_BREATHE && (i == 0 || p->steps[i - 1].kind != STEP_SAY)) ||
				    (s->kind == STEP_SAY && i > 0 && p->steps[i - 1].kind != STEP_SAY);
		bool after_block = i > 0 && p->steps[i - 1].kind == STEP_BREATHE;
		if (i > 0 && (starts_block || after_block))
			outf(&o, "\n");
		switch (s->kind) {
		case STEP_BREATHE: {
			const struct step_breathe *br = &s->u.breathe;
			parse_format_pattern(&br->from, a, sizeof a);
			outf(&o, "breathe %s", a);
			if (br->ramp) {
				parse_format_pattern(&br->to, a, sizeof a);
				outf(&o, " to %s", a);
			}
			if (br->cycles) {
				outf(&o, " for %u cycle%s\n", br->cycles, br->cycles == 1 ? "" : "s");
			} else {
				parse_format_duration(br->seconds, a, sizeof a);
				outf(&o, " for %s\n", a);
			}
			break;
		}
		case STEP_GUIDE:
			parse_format_duration(s->u.guide.seconds, a, sizeof a);
			outf(&o, "guide %s ", a);
			out_text(&o, s->u.guide.text);
			if (s->u.guide.has_breath_cue) {
				parse_format_pattern(&s->u.guide.cue, b, sizeof b);
				outf(&o, " breathe %s", b);
				if (s->u.guide.cue_from == PACE_EXHALE)
					outf(&o, " from exhale");
			}
			outf(&o, "\n");
			break;
		case STEP_SAY:
			if (s->say_tie == SAY_ANY)
				outf(&o, "say ");
			else
				outf(&o, "say %s ", program_tie_name(s->say_tie));
			out_text(&o, s->u.say);
			outf(&o, "\n");
			break;
		case STEP_WORDS:
			parse_format_duration(s->u.words.seconds, a, sizeof a);
			outf(&o, "words %s", a);
			parse_format_duration(s->u.words.every_from, a, sizeof a);
			outf(&o, " every %s", a);
			if (s->u.words.every_to != s->u.words.every_from) {
				parse_format_duration(s->u.words.every_to, a, sizeof a);
				outf(&o, " to %s", a);
			}
			outf(&o, "\n");
			break;
		case STEP_CHIME:
			outf(&o, "chime%s%s\n", s->u.chime ? " " : "", s->u.chime ? s->u.chime : "");
			break;
		case STEP_SILENCE:
			parse_format_duration(s->u.guide.seconds, a, sizeof a);
			outf(&o, "silence %s\n", a);
			break;
		case STEP_QUIET:
			outf(&o, "silence\n");
			break;
		case STEP_SOUND: {
			const struct step_sound *sn = &s->u.sound;
			switch (sn->action) {
			case SOUND_LAYER_ON:
				outf(&o, "sound %s", sn->name);
				out_volume(&o, sn->volume);
				break;
			case SOUND_LAYER_OFF:
				outf(&o, "sound %s off", sn->name);
				break;
			case SOUND_VOLUME:
				outf(&o, "volume");
				out_volume(&o, sn->volume);
				break;
			case SOUND_FADE_OUT:
				parse_format_duration(sn->fade_s, a, sizeof a);
				outf(&o, "fadeout %s\n", a);
				continue;
			}
			out_fade(&o, sn->fade_s);
			outf(&o, "\n");
			break;
		}
		}
		if (s->recording)
			out_recording(&o, s->recording);
	}
	return o.p;
}

/* ------------------------------------------------------------ equality */

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int num_eq(double a, double b)
{
	return fabs(a - b) <= 1e-6 * (1 + fabs(a));
}

static int pattern_eq(const struct pace_pattern *a, const struct pace_pattern *b)
{
	for (int i = 0; i < PACE_PHASES; i++)
		if (!num_eq(a->phase[i], b->phase[i]))
			return 0;
	return 1;
}

static int step_eq(const struct step *a, const struct step *b)
{
	if (a->kind != b->kind || !str_eq(a->recording, b->recording))
		return 0;
	switch (a->kind) {
	case STEP_BREATHE: {
		const struct step_breathe *x = &a->u.breathe, *y = &b->u.breathe;
		return x->ramp == y->ramp && pattern_eq(&x->from, &y->from) && pattern_eq(&x->to, &y->to) &&
		       x->cycles == y->cycles && num_eq(x->seconds, y->seconds);
	}
	case STEP_GUIDE:
		return num_eq(a->u.guide.seconds, b->u.guide.seconds) && str_eq(a->u.guide.text, b->u.guide.text) &&
		       a->u.guide.has_breath_cue == b->u.guide.has_breath_cue &&
		       (!a->u.guide.has_breath_cue || (pattern_eq(&a->u.guide.cue, &b->u.guide.cue) &&
						       a->u.guide.cue_from == b->u.guide.cue_from));
	case STEP_SILENCE:
		return num_eq(a->u.guide.seconds, b->u.guide.seconds);
	case STEP_QUIET:
		return 1;
	case STEP_SAY:
		return str_eq(a->u.say, b->u.say) && a->say_tie == b->say_tie;
	case STEP_WORDS:
		/* The words are the shell's choice, not the file's. */
		return num_eq(a->u.words.seconds, b->u.words.seconds) &&
		       num_eq(a->u.words.every_from, b->u.words.every_from) &&
		       num_eq(a->u.words.every_to, b->u.words.every_to);
	case STEP_CHIME:
		return str_eq(a->u.chime, b->u.chime);
	case STEP_SOUND:
		return a->u.sound.action == b->u.sound.action && str_eq(a->u.sound.name, b->u.sound.name) &&
		       fabs(a->u.sound.volume - b->u.sound.volume) < 1e-4 && num_eq(a->u.sound.fade_s, b->u.sound.fade_s);
	}
	return 0;
}

int program_equal(const struct program *a, const struct program *b)
{
	if (!str_eq(a->title, b->title) || !str_eq(a->description, b->description) ||
	    !str_eq(a->safety, b->safety) || a->tags != b->tags || a->purpose != b->purpose ||
	    !num_eq(a->estimate_s, b->estimate_s) || a->chime_off != b->chime_off || a->follow != b->follow ||
	    a->voice != b->voice ||
	    a->nsteps != b->nsteps)
		return 0;
	for (size_t i = 0; i < a->nsteps; i++)
		if (!step_eq(&a->steps[i], &b->steps[i]))
			return 0;
	return 1;
}
