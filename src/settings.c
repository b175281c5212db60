/* SPDX-License-Identifier: ISC */
/* The settings file: "key = value" lines, '#' comments. Every problem is a
 * warning naming FILE:LINE, and the value already in place (the default)
 * stays: a typo in the config never keeps lull from starting. The keys are
 * one table, settings_table: what a key is, its range or words, its default
 * and its warning are its row, read by one parser (as tmux reads its
 * options_table). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "parse.h"
#include "paths.h"
#include "settings.h"
#include "soundpath.h"
#include "soundplan.h"
#include "speech.h"
#include "termnotify.h"
#include "text.h"
#include "util.h"

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "on", "true", "1", NULL };
	static const char *const no[] = { "no", "off", "false", "0", NULL };
	for (int i = 0; yes[i]; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_int(const char *v, int lo, int hi, int *out)
{
	if (*v == '\0' || strlen(v) > 9)
		return false;
	int n = 0;
	for (const char *c = v; *c; c++) {
		if (*c < '0' || *c > '9')
			return false;
		n = n * 10 + (*c - '0');
	}
	if (n < lo || n > hi)
		return false;
	*out = n;
	return true;
}

static bool name_chars(const char *v, size_t max)
{
	size_t n = strlen(v);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* "rain:0.6,brown": layer names, each with an optional volume 0..1. */
static bool parse_sounds(const char *v)
{
	if (*v == '\0')
		return true;
	char buf[256];
	str_copy(buf, v, sizeof buf);
	char *save = NULL;
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		char *end = item + strlen(item);
		while (end > item && end[-1] == ' ')
			*--end = '\0';
		char *colon = strchr(item, ':');
		float vol;
		if (colon) {
			*colon = '\0';
			if (!soundpath_parse_volume(colon + 1, &vol))
				return false;
		}
		if (!name_chars(item, 32) || soundplan_is_cue_name(item))
			return false; /* a cue rings by itself; a layer is a loop */
	}
	/* An empty item (",," or a trailing comma) is a typo worth a warning. */
	return v[0] != ',' && v[strlen(v) - 1] != ',' && !strstr(v, ",,");
}

static bool driver_ok(const char *v)
{
	return *v == '\0' || name_chars(v, 31);
}

/* A built-in name, or a path to a .flitevox file (checked when the voice
 * first speaks, by the synthesiser). */
static bool voice_name_ok(const char *v)
{
	return strchr(v, '/') || name_chars(v, 32);
}

/* A decimal number from lo to hi, as in 0.85 or -2. */
static bool parse_decimal(const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (*v == '\0' || *end || errno || !(d >= lo && d <= hi) || strpbrk(v, "xXpPnN"))
		return false; /* no hex, no inf or nan: a number as a person writes it */
	*out = d;
	return true;
}

static bool parse_hhmm(const char *v, int *out)
{
	int h, m;
	if (strlen(v) != 5 || v[2] != ':')
		return false;
	char hh[3] = { v[0], v[1], 0 }, mm[3] = { v[3], v[4], 0 };
	if (!parse_int(hh, 0, 23, &h) || !parse_int(mm, 0, 59, &m))
		return false;
	*out = h * 60 + m;
	return true;
}

static const struct setting_choice auto_only[] = { { "auto", -1 }, { NULL, 0 } };
static const struct setting_choice cue_styles[] = {
	{ "tones", CUE_STYLE_TONES }, { "chime", CUE_STYLE_CHIME }, { NULL, 0 },
};
static const struct setting_choice screens[] = { { "auto", -1 }, { "normal", 0 }, { "dark", 1 }, { NULL, 0 } };
static const struct setting_choice no_words[] = { { NULL, 0 } };
/* A choice is written through an int. */
_Static_assert(sizeof(enum settings_cue_style) == sizeof(int), "cue_style is an int");

#define AT(field) offsetof(struct settings, field)
#define STRING(field) SETTING_STRING, AT(field), sizeof ((struct settings *)0)->field
#define YES_NO "yes or no"
#define PERCENT "a whole number from 0 to 100"

const struct setting settings_table[] = {
	{ "default_program", STRING(default_program), .valid = catalog_name_ok, .def = "winddown",
	  .want = "a program name, such as winddown", .help = "what lull start runs without a name" },
	{ "sounds", STRING(sounds), .valid = parse_sounds, .def = "",
	  .want = "loops separated by commas, each with an optional volume 0..1, such as rain:0.6,brown "
		  "(not cues such as chime)",
	  .help = "the ambient layers a session starts with" },
	{ "volume", SETTING_INT, AT(volume), .lo = 0, .hi = 100, .def = "60", .want = PERCENT,
	  .help = "the master volume" },
	{ "cues", SETTING_CHOICE, AT(cues), .choices = auto_only, .bools = true, .def = "auto",
	  .want = "auto, yes or no", .help = "the phase and step tones" },
	{ "cue_style", SETTING_CHOICE, AT(cue_style), .choices = cue_styles, .def = "tones",
	  .want = "tones or chime", .help = "a tone for each phase and step, or the one chime" },
	{ "checkin", SETTING_BOOL, AT(checkin), .def = "no", .want = YES_NO,
	  .help = "ask how tense you feel before and after" },
	{ "color", SETTING_BOOL, AT(color), .def = "yes", .want = YES_NO, .help = "the dim night palette" },
	{ "bell", SETTING_BOOL, AT(bell), .def = "no", .want = YES_NO, .help = "the terminal bell at phase changes" },
	{ "audio", SETTING_CHOICE, AT(audio), .choices = auto_only, .bools = true, .def = "auto",
	  .want = "auto, yes or no", .help = "sound; auto: silent over SSH" },
	{ "audio_driver", STRING(audio_driver), .valid = driver_ok, .def = "",
	  .want = "a libao driver name, such as pulse or alsa", .help = "the libao driver, empty for the default" },
	{ "follow", SETTING_BOOL, AT(follow), .def = "no", .want = YES_NO,
	  .help = "the ambient sound swells and ebbs with the breath" },
	{ "streak_days", SETTING_INT, AT(streak_days), .lo = 1, .hi = 7, .def = "4",
	  .want = "a number of days from 1 to 7", .help = "practice days in a week that keep a streak" },
	{ "remind_notify", SETTING_BOOL, AT(remind_notify), .def = "yes", .want = YES_NO,
	  .help = "reminders as desktop notifications" },
	{ "remind_tmux", SETTING_BOOL, AT(remind_tmux), .def = "yes", .want = YES_NO,
	  .help = "reminders as a tmux message" },
	{ "remind_bell", SETTING_BOOL, AT(remind_bell), .def = "yes", .want = YES_NO,
	  .help = "reminders as a bell and a line on the daemon's terminal" },
	{ "remind_osc", SETTING_OSC, AT(remind_osc), .def = "auto", .want = "off, auto, 777, 9 or 99",
	  .help = "reminders as a notification the terminal shows" },
	{ "evening_end", SETTING_TIME, AT(evening_end_min), .def = "02:00", .want = "a time as HH:MM, such as 02:00",
	  .help = "a missed reminder still fires until this time after midnight" },
	{ "screen", SETTING_CHOICE, AT(screen), .choices = screens, .def = "auto", .want = "auto, normal or dark",
	  .help = "the dark screen: for every session, none, or programs tagged sleep" },
	{ "safety_wait", SETTING_BOOL, AT(safety_wait), .def = "yes", .want = YES_NO,
	  .help = "a program's safety page waits for a key the first time" },
	{ "safety_seconds", SETTING_INT, AT(safety_seconds), .lo = 0, .hi = 60, .def = "6",
	  .want = "a number of seconds from 0 to 60", .help = "how long the safety page stands on later runs" },
	{ "voice", SETTING_CHOICE, AT(voice), .choices = no_words, .bools = true, .def = NULL, .want = "on or off",
	  .help = "speak the guide; unset, the program decides" },
	{ "voice_name", STRING(voice_name), .valid = voice_name_ok, .def = VOICE_DEFAULT_NAME,
	  .want = "a voice (rms, awb, slt, kal16, kal) or the path of a .flitevox file",
	  .help = "a built-in voice or a .flitevox file" },
	{ "voice_rate", SETTING_DECIMAL, AT(voice_rate), .lo = VOICE_RATE_MIN, .hi = VOICE_RATE_MAX, .def = "0.85",
	  .want = "a speed from 0.5 to 1.5 (1: the voice's own), such as 0.85", .help = "how fast the voice speaks" },
	{ "voice_pitch", SETTING_DECIMAL, AT(voice_pitch), .lo = -VOICE_PITCH_MAX, .hi = VOICE_PITCH_MAX,
	  .def = "-1", .want = "semitones from -6 to 6 (0: the voice's own), such as -1",
	  .help = "semitones above or below the voice's own pitch" },
	{ "voice_volume", SETTING_INT, AT(voice_volume), .lo = 0, .hi = 100, .def = "70", .want = PERCENT,
	  .help = "the voice's level under the master volume" },
	{ "voice_breath", SETTING_BOOL, AT(voice_breath), .def = "no", .want = YES_NO,
	  .help = "also say In, Out or Hold at each breathing phase" },
	{ NULL, 0, 0, 0, 0, 0, NULL, false, NULL, NULL, NULL, NULL },
};

const struct setting *settings_find(const char *key)
{
	for (const struct setting *e = settings_table; e->name; e++)
		if (strcmp(key, e->name) == 0)
			return e;
	return NULL;
}

/* A choice's word (or a yes/no word when e->bools) into *out. */
static bool parse_choice(const struct setting *e, const char *v, int *out)
{
	for (const struct setting_choice *c = e->choices; c->word; c++) {
		if (strcmp(v, c->word) == 0) {
			*out = c->value;
			return true;
		}
	}
	bool b;
	if (!e->bools || !parse_bool(v, &b))
		return false;
	*out = b;
	return true;
}

/* Sets row e of s to v; false, leaving s as it was, when v is not a value
 * of e. */
static bool apply(struct settings *s, const struct setting *e, const char *v)
{
	void *field = (char *)s + e->offset;
	switch (e->type) {
	case SETTING_BOOL:
		return parse_bool(v, field);
	case SETTING_CHOICE:
		return parse_choice(e, v, field);
	case SETTING_INT:
		return parse_int(v, (int)e->lo, (int)e->hi, field);
	case SETTING_DECIMAL:
		return parse_decimal(v, e->lo, e->hi, field);
	case SETTING_TIME:
		return parse_hhmm(v, field);
	case SETTING_STRING:
		if (strlen(v) >= e->size || !e->valid(v))
			return false;
		str_copy(field, v, e->size);
		return true;
	case SETTING_OSC: {
		bool automatic;
		enum termnotify_kind kind;
		if (!termnotify_parse(v, &automatic, &kind))
			return false;
		s->remind_osc = (int)kind;
		s->remind_osc_auto = automatic;
		return true;
	}
	}
	return false;
}

void settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof *s);
	for (const struct setting *e = settings_table; e->name; e++) {
		if (!e->def)
			*(int *)((char *)s + e->offset) = -1; /* not set: something else decides */
		else if (!apply(s, e, e->def))
			abort(); /* a default the parser refuses: test_settings says which */
	}
}

/* The word of a choice's value; NULL for none (an unset voice). */
static const char *choice_word(const struct setting *e, int n)
{
	for (const struct setting_choice *c = e->choices; c->word; c++)
		if (c->value == n)
			return c->word;
	return !e->bools || n < 0 ? NULL : n ? "yes" : "no";
}

bool settings_value_text(const struct settings *s, const struct setting *e, char *buf, size_t size)
{
	const void *field = (const char *)s + e->offset;
	switch (e->type) {
	case SETTING_BOOL:
		str_copy(buf, *(const bool *)field ? "yes" : "no", size);
		return true;
	case SETTING_CHOICE: {
		const char *word = choice_word(e, *(const int *)field);
		str_copy(buf, word ? word : "", size);
		return word != NULL;
	}
	case SETTING_INT:
		snprintf(buf, size, "%d", *(const int *)field);
		return true;
	case SETTING_DECIMAL:
		snprintf(buf, size, "%.17g", *(const double *)field); /* the same double back */
		return true;
	case SETTING_TIME:
		snprintf(buf, size, "%02d:%02d", *(const int *)field / 60, *(const int *)field % 60);
		return true;
	case SETTING_STRING:
		str_copy(buf, field, size);
		return true;
	case SETTING_OSC: {
		static const char *const words[] = {
			[TERMNOTIFY_NONE] = "off", [TERMNOTIFY_OSC777] = "777", [TERMNOTIFY_OSC9] = "9",
			[TERMNOTIFY_OSC99] = "99",
		};
		str_copy(buf, s->remind_osc_auto ? "auto" : words[s->remind_osc], size);
		return true;
	}
	}
	return false;
}

/* One reading: where it is, and the warnings said so far. */
struct reader {
	struct settings *s;
	const char *label;   /* the file's name, escaped */
	unsigned line;
	FILE *warn;
	int warnings;
};

/* A warning naming FILE:LINE. The first SETTINGS_WARN_MAX are said, the
 * rest only counted (a file of garbage printed a line for each of its
 * lines at every start). */
__attribute__((format(printf, 2, 3)))
static void warnf(struct reader *r, const char *fmt, ...)
{
	if (r->warn && r->warnings < SETTINGS_WARN_MAX) {
		va_list ap;
		fprintf(r->warn, "%s:%u: ", r->label, r->line);
		va_start(ap, fmt);
		vfprintf(r->warn, fmt, ap);
		va_end(ap);
		fputc('\n', r->warn);
	}
	r->warnings++;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The sounds kept (the folder may be on a disk not yet there), but a typo
 * is said now, not as a silent night. */
static void warn_unknown_sounds(struct reader *r, const char *val)
{
	struct soundplan_layer l[SOUNDPLAN_MAX_LAYERS];
	size_t nlayers = soundpath_parse_layers(val, l, SOUNDPLAN_MAX_LAYERS);
	for (size_t k = 0; k < nlayers; k++) {
		char why[200];
		if (soundpath_known(l[k].name, why, sizeof why))
			continue;
		char *ename = text_escape(l[k].name, strlen(l[k].name), 40);
		warnf(r, "sounds: %s: %s", ename, why);
		free(ename);
	}
}

static void unknown_key(struct reader *r, const char *key, const char *ekey)
{
	const char *names[sizeof settings_table / sizeof settings_table[0]];
	size_t n = 0;
	for (const struct setting *e = settings_table; e->name; e++)
		names[n++] = e->name;
	names[n] = NULL;
	const char *hint = text_did_you_mean(key, names);
	if (hint)
		warnf(r, "unknown key '%s'; did you mean '%s'?", ekey, hint);
	else
		warnf(r, "unknown key '%s' (the keys: lull(1), PROGRAMS, Settings)", ekey);
}

/* key = val, both trimmed. */
static void set_key(struct reader *r, const char *key, const char *val)
{
	const struct setting *e = settings_find(key);
	char *ekey = text_escape(key, strlen(key), 40);
	/* A tab or CR inside a value means nothing to any key, and a path may
	 * otherwise hold them (voice_name; fuzz_settings). */
	const char *want = !e ? NULL
		: strpbrk(val, "\t\r") ? "a value with no tab or carriage return inside"
		: !apply(r->s, e, val) ? e->want : NULL;
	if (!e) {
		unknown_key(r, key, ekey);
	} else if (want) {
		char *eval = text_escape(val, strlen(val), 40);
		warnf(r, "%s: expected %s, found '%s'; keeping the default", ekey, want, eval);
		free(eval);
	} else if (e->offset == offsetof(struct settings, default_program)) {
		snprintf(r->s->default_program_at, sizeof r->s->default_program_at, "%s:%u", r->label, r->line);
	} else if (e->offset == offsetof(struct settings, sounds)) {
		warn_unknown_sounds(r, val);
	}
	free(ekey);
}

/* One line of n bytes at start (without its newline). */
static void read_line(struct reader *r, const char *start, size_t n)
{
	char buf[1024];
	if (n >= sizeof buf) {
		warnf(r, "line too long (at most %zu bytes); ignored", sizeof buf - 1);
		return;
	}
	/* Nothing from the file reaches the terminal unescaped. */
	bool bad = memchr(start, '\0', n) != NULL;
	for (size_t k = 0; k < n && !bad;) {
		uint32_t cp;
		size_t l = utf8_decode(start + k, n - k, &cp);
		if (l == 0 || (cp != '\t' && cp != '\r' && text_cp_forbidden(cp)))
			bad = true;
		k += l ? l : 1;
	}
	if (bad) {
		warnf(r, "invalid UTF-8 or a control character; line ignored");
		return;
	}
	memcpy(buf, start, n);
	buf[n] = '\0';
	char *hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	char *t = trim(buf);
	if (*t == '\0')
		return;
	char *eq = strchr(t, '=');
	if (!eq) {
		char *esc = text_escape(t, strlen(t), 40);
		warnf(r, "expected 'key = value', found '%s'", esc);
		free(esc);
		return;
	}
	*eq = '\0';
	char *key = trim(t), *val = trim(eq + 1);
	size_t vl = strlen(val);
	if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
		/* Quotes are optional, and blanks just inside them are no more
		 * the value's than blanks outside: what is kept is what a config
		 * file can say back (fuzz_settings). */
		val[vl - 1] = '\0';
		val = trim(val + 1);
	}
	set_key(r, key, val);
}

int settings_parse(struct settings *s, const char *text, size_t len, const char *fname, FILE *warn)
{
	char *label = text_escape(fname, strlen(fname), 200);
	struct reader r = { .s = s, .label = label, .warn = warn };
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		r.line++;
		read_line(&r, text + i, end - i);
		i = end + 1;
	}
	if (warn && r.warnings > SETTINGS_WARN_MAX)
		fprintf(warn, "%s: %d more mistakes not shown\n", label, r.warnings - SETTINGS_WARN_MAX);
	free(label);
	return r.warnings;
}

int settings_load(struct settings *s, const char *path, FILE *warn)
{
	char *owned = NULL;
	if (!path) {
		owned = paths_file(PATH_CONFIG, "config");
		if (!owned)
			return 0;
		path = owned;
	}
	char *buf;
	size_t len;
	char err[512];
	int warnings = 0;
	if (catalog_read(path, &buf, &len, err, sizeof err) < 0) {
		/* A missing file is the normal case: the defaults are the settings. */
		if (errno != ENOENT) {
			if (warn)
				fprintf(warn, "lull: %s\n", err);
			warnings = 1;
		}
		free(owned);
		return warnings;
	}
	if (len > PARSE_MAX_FILE) {
		/* catalog_read stops just past the bound: a file cut there
		 * would be read as far as a line cut in two. */
		if (warn) {
			char *esc = text_escape(path, strlen(path), 200);
			fprintf(warn, "lull: %s: larger than lull reads (1 MiB); not read\n", esc);
			free(esc);
		}
		warnings = 1;
	} else {
		warnings = settings_parse(s, buf, len, path, warn);
	}
	free(buf);
	free(owned);
	return warnings;
}
