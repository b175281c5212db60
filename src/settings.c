/* SPDX-License-Identifier: ISC */
/* The settings file: "key = value" lines, '#' comments. Every problem is a
 * warning naming FILE:LINE, and the value already in place (the default)
 * stays: a typo in the config never keeps lull from starting. */
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
#include "termnotify.h"
#include "text.h"
#include "util.h"
#include "voice.h"

void settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof *s);
	str_copy(s->default_program, "winddown", sizeof s->default_program);
	s->volume = 60;
	s->cues = -1;
	s->color = true;
	s->audio = -1;
	s->streak_days = 4;
	s->remind_notify = true;
	s->remind_tmux = true;
	s->remind_bell = true;
	s->remind_osc_auto = true; /* only where the terminal is known to speak one */
	s->evening_end_min = 120;
	s->screen = -1;
	s->safety_wait = true;
	s->safety_seconds = 6;
	s->voice = -1;
	str_copy(s->voice_name, VOICE_DEFAULT_NAME, sizeof s->voice_name);
	s->voice_rate = VOICE_DEFAULT_RATE;
	s->voice_pitch = VOICE_DEFAULT_PITCH;
	s->voice_volume = VOICE_DEFAULT_VOLUME;
}

const char *const settings_keys[] = {
	"default_program", "sounds", "volume", "cues", "cue_style", "checkin", "color",
	"bell", "audio", "audio_driver", "follow", "streak_days", "remind_notify",
	"remind_tmux", "remind_bell", "remind_osc", "evening_end", "screen", "safety_wait", "safety_seconds",
	"voice", "voice_name", "voice_rate", "voice_pitch", "voice_volume", "voice_breath", NULL,
};

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

/* auto -1 (not said: something else decides), or a boolean 1 / 0. */
static bool parse_auto_bool(const char *v, int *out)
{
	bool b;
	if (strcmp(v, "auto") == 0)
		*out = -1;
	else if (parse_bool(v, &b))
		*out = b;
	else
		return false;
	return true;
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
	if (strlen(v) >= sizeof ((struct settings *)0)->sounds)
		return false;
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

/* Sets key to value; NULL, or what a good value looks like. */
static const char *apply(struct settings *s, const char *key, const char *v)
{
	bool b;
	int n;
	if (strcmp(key, "default_program") == 0) {
		if (!catalog_name_ok(v))
			return "a program name, such as winddown";
		str_copy(s->default_program, v, sizeof s->default_program);
	} else if (strcmp(key, "sounds") == 0) {
		if (!parse_sounds(v))
			return "loops separated by commas, each with an optional volume 0..1, such as rain:0.6,brown (not cues such as chime)";
		str_copy(s->sounds, v, sizeof s->sounds);
	} else if (strcmp(key, "volume") == 0) {
		if (!parse_int(v, 0, 100, &n))
			return "a whole number from 0 to 100";
		s->volume = n;
	} else if (strcmp(key, "audio") == 0 || strcmp(key, "cues") == 0) {
		if (!parse_auto_bool(v, strcmp(key, "audio") == 0 ? &s->audio : &s->cues))
			return "auto, yes or no";
	} else if (strcmp(key, "cue_style") == 0) {
		if (strcmp(v, "tones") == 0)
			s->cue_style = CUE_STYLE_TONES;
		else if (strcmp(v, "chime") == 0)
			s->cue_style = CUE_STYLE_CHIME;
		else
			return "tones or chime";
	} else if (strcmp(key, "screen") == 0) {
		if (strcmp(v, "auto") == 0)
			s->screen = -1;
		else if (strcmp(v, "normal") == 0)
			s->screen = 0;
		else if (strcmp(v, "dark") == 0)
			s->screen = 1;
		else
			return "auto, normal or dark";
	} else if (strcmp(key, "audio_driver") == 0) {
		if (*v && !name_chars(v, sizeof s->audio_driver - 1))
			return "a libao driver name, such as pulse or alsa";
		str_copy(s->audio_driver, v, sizeof s->audio_driver);
	} else if (strcmp(key, "streak_days") == 0) {
		if (!parse_int(v, 1, 7, &n))
			return "a number of days from 1 to 7";
		s->streak_days = n;
	} else if (strcmp(key, "voice") == 0) {
		if (!parse_bool(v, &b))
			return "on or off";
		s->voice = b;
	} else if (strcmp(key, "voice_name") == 0) {
		/* A built-in name, or a path to a .flitevox file (checked when
		 * the voice first speaks, by the synthesiser). */
		if (!(strchr(v, '/') ? strlen(v) < sizeof s->voice_name : name_chars(v, 32)))
			return "a voice (rms, awb, slt, kal16, kal) or the path of a .flitevox file";
		str_copy(s->voice_name, v, sizeof s->voice_name);
	} else if (strcmp(key, "voice_rate") == 0) {
		double d;
		if (!parse_decimal(v, VOICE_RATE_MIN, VOICE_RATE_MAX, &d))
			return "a speed from 0.5 to 1.5 (1: the voice's own), such as 0.85";
		s->voice_rate = d;
	} else if (strcmp(key, "voice_pitch") == 0) {
		double d;
		if (!parse_decimal(v, -VOICE_PITCH_MAX, VOICE_PITCH_MAX, &d))
			return "semitones from -6 to 6 (0: the voice's own), such as -1";
		s->voice_pitch = d;
	} else if (strcmp(key, "voice_volume") == 0) {
		if (!parse_int(v, 0, 100, &n))
			return "a whole number from 0 to 100";
		s->voice_volume = n;
	} else if (strcmp(key, "safety_seconds") == 0) {
		if (!parse_int(v, 0, 60, &n))
			return "a number of seconds from 0 to 60";
		s->safety_seconds = n;
	} else if (strcmp(key, "remind_osc") == 0) {
		bool automatic;
		enum termnotify_kind kind;
		if (!termnotify_parse(v, &automatic, &kind))
			return "off, auto, 777, 9 or 99";
		s->remind_osc = (int)kind;
		s->remind_osc_auto = automatic;
	} else if (strcmp(key, "evening_end") == 0) {
		if (!parse_hhmm(v, &n))
			return "a time as HH:MM, such as 02:00";
		s->evening_end_min = n;
	} else {
		static const struct {
			const char *key;
			size_t off;
		} bools[] = {
			{ "checkin", offsetof(struct settings, checkin) },
			{ "color", offsetof(struct settings, color) },
			{ "bell", offsetof(struct settings, bell) },
			{ "follow", offsetof(struct settings, follow) },
			{ "remind_notify", offsetof(struct settings, remind_notify) },
			{ "remind_tmux", offsetof(struct settings, remind_tmux) },
			{ "remind_bell", offsetof(struct settings, remind_bell) },
			{ "safety_wait", offsetof(struct settings, safety_wait) },
			{ "voice_breath", offsetof(struct settings, voice_breath) },
		};
		for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
			if (strcmp(key, bools[i].key) == 0) {
				if (!parse_bool(v, &b))
					return "yes or no";
				*(bool *)((char *)s + bools[i].off) = b;
				return NULL;
			}
		}
	}
	return NULL;
}

__attribute__((format(printf, 4, 5)))
static void warnf(FILE *warn, const char *fname, unsigned line, const char *fmt, ...)
{
	if (!warn)
		return;
	va_list ap;
	fprintf(warn, "%s:%u: ", fname, line);
	va_start(ap, fmt);
	vfprintf(warn, fmt, ap);
	va_end(ap);
	fputc('\n', warn);
}

/* Where the next warning goes: the first SETTINGS_WARN_MAX are said, the
 * rest only counted (a file of garbage printed a line for each of its
 * lines at every start). */
static FILE *said(FILE *warn, int warnings)
{
	return warnings < SETTINGS_WARN_MAX ? warn : NULL;
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

int settings_parse(struct settings *s, const char *text, size_t len, const char *fname, FILE *warn)
{
	int warnings = 0;
	unsigned line = 0;
	char *label = text_escape(fname, strlen(fname), 200);

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - i;
		line++;
		char buf[1024];
		bool too_long = n >= sizeof buf;
		if (!too_long) {
			memcpy(buf, text + i, n);
			buf[n] = '\0';
		}
		const char *start = text + i;
		i = end + 1;
		if (too_long) {
			warnf(said(warn, warnings), label, line, "line too long (at most %zu bytes); ignored", sizeof buf - 1);
			warnings++;
			continue;
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
			warnf(said(warn, warnings), label, line, "invalid UTF-8 or a control character; line ignored");
			warnings++;
			continue;
		}
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char *t = trim(buf);
		if (*t == '\0')
			continue;
		char *eq = strchr(t, '=');
		if (!eq) {
			char *esc = text_escape(t, strlen(t), 40);
			warnf(said(warn, warnings), label, line, "expected 'key = value', found '%s'", esc);
			free(esc);
			warnings++;
			continue;
		}
		*eq = '\0';
		char *key = trim(t), *val = trim(eq + 1);
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			/* Quotes are optional, and blanks just inside them are no
			 * more the value's than blanks outside: what is kept is
			 * what a config file can say back (fuzz_settings). */
			val[vl - 1] = '\0';
			val = trim(val + 1);
		}
		bool known = false;
		for (size_t k = 0; settings_keys[k]; k++)
			known |= strcmp(key, settings_keys[k]) == 0;
		char *ekey = text_escape(key, strlen(key), 40);
		if (!known) {
			const char *hint = text_did_you_mean(key, settings_keys);
			if (hint)
				warnf(said(warn, warnings), label, line, "unknown key '%s'; did you mean '%s'?", ekey, hint);
			else
				warnf(said(warn, warnings), label, line, "unknown key '%s' (the keys: lull(1), PROGRAMS, Settings)",
				      ekey);
			warnings++;
		} else {
			/* A tab or CR inside a value means nothing to any key, and a
			 * path may otherwise hold them (voice_name; fuzz_settings). */
			const char *want = strpbrk(val, "\t\r") ? "a value with no tab or carriage return inside"
			                                          : apply(s, key, val);
			if (!want && strcmp(key, "default_program") == 0)
				snprintf(s->default_program_at, sizeof s->default_program_at, "%s:%u", label, line);
			if (!want && strcmp(key, "sounds") == 0) {
				/* Kept (the folder may be on a disk not yet there),
				 * but a typo is said now, not as a silent night. */
				struct soundplan_layer l[SOUNDPLAN_MAX_LAYERS];
				size_t nlayers = soundpath_parse_layers(val, l, SOUNDPLAN_MAX_LAYERS);
				for (size_t k = 0; k < nlayers; k++) {
					char why[200];
					if (soundpath_known(l[k].name, why, sizeof why))
						continue;
					char *ename = text_escape(l[k].name, strlen(l[k].name), 40);
					warnf(said(warn, warnings), label, line, "sounds: %s: %s", ename, why);
					free(ename);
					warnings++;
				}
			}
			if (want) {
				char *eval = text_escape(val, strlen(val), 40);
				warnf(said(warn, warnings), label, line, "%s: expected %s, found '%s'; keeping the default", ekey, want, eval);
				free(eval);
				warnings++;
			}
		}
		free(ekey);
	}
	if (warn && warnings > SETTINGS_WARN_MAX)
		fprintf(warn, "%s: %d more mistakes not shown\n", label, warnings - SETTINGS_WARN_MAX);
	free(label);
	return warnings;
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
