/* SPDX-License-Identifier: ISC */
/* lull list, lull show, lull check: the thin shell over catalog and parse. */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "catalog.h"
#include "cli.h"
#include "commands.h"
#include "eyewords.h"
#include "parse.h"
#include "sessionopts.h"
#include "settings.h"
#include "soundpath.h"
#include "text.h"
#include "timeline.h"
#include "util.h"
#include "voice.h"

/* "15 min", "45 s", "1 h 10 min": lengths as a person reads them. */
static void human_length(double s, char *buf, size_t size)
{
	timeline_format_length((pace_us)(s * PACE_US_PER_S + 0.5), buf, size);
}

/* The voice of the settings, for the spoken fit (lull check, lull show). */
static struct voice *settings_voice(void)
{
	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, NULL);
	struct voice_cfg vc;
	sessionopts_voice_cfg(&set, &vc);
	return voice_new(&vc);
}

/* lull list: under the groups a person looks for, yours first in each,
 * each program once, in its group (catalog_group), as the menu lists it. */
static void print_groups(const struct catalog_entry *list, size_t n)
{
	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, NULL); /* warnings are for start and the menu */
	int wname = 4, wlen = 6;
	char len[32];
	for (size_t i = 0; i < n; i++) {
		human_length(list[i].length_s, len, sizeof len);
		int l = (int)text_width(list[i].name) + (list[i].user ? 1 : 0);
		if (l > wname)
			wname = l;
		if ((int)strlen(len) > wlen)
			wlen = (int)strlen(len);
	}
	bool any_user = false, first = true;
	size_t ngroups = 0;
	while (program_group(ngroups, NULL))
		ngroups++;
	for (size_t g = 0; g <= ngroups; g++) {
		bool header = false;
		for (int user = 1; user >= 0; user--) {
			for (size_t i = 0; i < n; i++) {
				const struct catalog_entry *e = &list[i];
				size_t eg = catalog_group(e);
				if (e->user != (bool)user || (g < ngroups ? eg != g : eg != SIZE_MAX))
					continue;
				if (!header) {
					printf("%s%s\n", first ? "" : "\n", g < ngroups ? program_group(g, NULL) : "Other");
					header = true;
					first = false;
				}
				if (e->invalid)
					str_copy(len, "-", sizeof len);
				else
					human_length(e->length_s, len, sizeof len);
				char name[80];
				text_sanitize_into(name, sizeof name - 1, e->name); /* a file's name: anything */
				if (e->user)
					strcat(name, "*");
				int pad = wname - (int)text_width(name);
				printf("  %s%*s  %-*s  %s%s\n", name, pad > 0 ? pad : 0, "", wlen, len, e->description,
				       strcmp(e->name, set.default_program) == 0 ? " (the default)" : "");
				any_user |= e->user;
			}
		}
	}
	if (any_user)
		puts("\n* your own, from $XDG_CONFIG_HOME/lull/sessions");
}

static const char list_help[] =
"Usage: lull list [--json | --names]\n"
"List every program under what it is for (Sleep, Tension, Breathing,\n"
"Stretch), your own (from $XDG_CONFIG_HOME/lull/sessions, marked *) first,\n"
"with its length and what it is; the default program says so.\n"
"\n"
"  --json      one JSON array of objects: name, title, description, tags,\n"
"              length_s, user, invalid\n"
"  --names     the names alone, one a line (for shell completion)\n"
"  -h, --help  show this help\n";

int cmd_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "names", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, names = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'n':
			names = true;
			break;
		case 'h':
			fputs(list_help, stdout);
			return 0;
		default:
			return usage_unknown_option("list", "list: ", argv[optind - 1], options);
		}
	}
	if (optind < argc)
		return usage_error("list", "list: unexpected argument '%s'", argv[optind]);

	if (json && names)
		return usage_error("list", "list: --json or --names, not both");

	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	if (names) {
		/* Names the catalog accepts are plain words: nothing to escape. */
		for (size_t i = 0; i < n; i++)
			puts(list[i].name);
	} else if (json) {
		fputs("[\n", stdout);
		for (size_t i = 0; i < n; i++) {
			const struct catalog_entry *e = &list[i];
			fputs("  {\"name\": ", stdout);
			json_write_string(stdout, e->name);
			fputs(", \"title\": ", stdout);
			json_write_string(stdout, e->title);
			fputs(", \"description\": ", stdout);
			json_write_string(stdout, e->description);
			fputs(", \"tags\": [", stdout);
			for (unsigned t = 0, first = 1; t < PROGRAM_NTAGS; t++) {
				if (!(e->tags & (1u << t)))
					continue;
				printf("%s\"%s\"", first ? "" : ", ", program_tag_name(1u << t));
				first = 0;
			}
			printf("], \"length_s\": %.3f, \"user\": %s, \"invalid\": %s}%s\n", e->length_s,
			       e->user ? "true" : "false", e->invalid ? "true" : "false", i + 1 < n ? "," : "");
		}
		fputs("]\n", stdout);
	} else {
		print_groups(list, n);
	}
	catalog_free_list(list, n);
	return 0;
}

static const char show_help[] =
"Usage: lull show NAME|FILE\n"
"Print a program, built-in or your own, in the session format (see\n"
"lull-session(5)). What it prints passes 'lull check' and runs the same\n"
"program, so it is a good start for one of your own:\n"
"  lull show winddown > ~/.config/lull/sessions/mine.session\n"
"\n"
"  -h, --help  show this help\n";

int cmd_show(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (c == 'h') {
			fputs(show_help, stdout);
			return 0;
		}
		return usage_unknown_option("show", "show: ", argv[optind - 1], options);
	}
	if (optind >= argc)
		return usage_error("show", "show: which program? (lull list shows them)");
	if (optind + 1 < argc)
		return usage_error("show", "show: one program at a time");
	char err[1024];
	struct program *p = catalog_load(argv[optind], err, sizeof err);
	if (!p) {
		fprintf(stderr, "lull: %s\n", err);
		return 1;
	}
	char *text = program_format(p);
	char len[64];
	human_length(program_length(p), len, sizeof len);
	char name[160];
	text_sanitize_into(name, sizeof name, p->name);
	printf("# %s: a lull program, about %s (see lull-session(5)).\n", name, len);
	fputs(text, stdout);
	/* The spoken fit, at the lines of what was printed (one line of
	 * header above the text): what a person edits is that. */
	struct parse_result *r = xmalloc(sizeof *r);
	parse_program(text, strlen(text), p->name, r);
	if (r->program) {
		for (size_t i = 0; i < r->program->nsteps; i++)
			r->program->steps[i].line++;
		fflush(stdout);
		struct voice *v = settings_voice();
		char *label = text_escape(argv[optind], strlen(argv[optind]), 200);
		voice_fit_warn(v, r->program, label, stderr);
		free(label);
		voice_free(v);
		program_free(r->program);
	}
	free(r);
	free(text);
	program_free(p);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

/* What runs but is not right (timeline_warnings): FILE:LINE:COL: warning:
 * on standard error. Returns how many. */
static size_t print_warnings(const char *label, const struct program *p)
{
	char err[256];
	struct timeline *tl = timeline_new(p, err, sizeof err);
	if (!tl)
		return 0; /* the parser bounds what the timeline would refuse */
	struct tl_warning w[PARSE_MAX_ERRORS];
	size_t n = timeline_warnings(tl, w, PARSE_MAX_ERRORS);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s:%u:1: warning: %s\n", label, p->steps[w[i].step].line, w[i].msg);
	timeline_free(tl);
	return n;
}

/* The spoken lines' words that ask for eyes (eyewords.h), each where it
 * is: FILE:LINE:COL: warning:. Returns how many. */
static size_t print_eye_words(const char *label, const struct program *p)
{
	struct eyeword_at at[PARSE_MAX_ERRORS];
	size_t n = eyewords_in_program(p, at, PARSE_MAX_ERRORS);
	for (size_t i = 0; i < n && i < PARSE_MAX_ERRORS; i++)
		fprintf(stderr, "%s:%u:%u: warning: '%s' asks for eyes; with them closed, a listener cannot "
			"follow it: say it for the ear (the breath, a count, what to feel)\n", label, at[i].line,
			at[i].col, at[i].word);
	return n;
}

/* The sound steps' loops that are not there, as errors: FILE:LINE:1:
 * message, the wording of --sound's. A program the parser takes would
 * otherwise play without them, and check said "ok". Returns how many. */
static size_t print_unknown_sounds(const char *label, const struct program *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		if (s->kind != STEP_SOUND || !s->u.sound.name)
			continue;
		char why[200];
		if (soundpath_known(s->u.sound.name, why, sizeof why))
			continue;
		char *name = text_escape(s->u.sound.name, strlen(s->u.sound.name), 64);
		fprintf(stderr, "%s:%u:1: sound %s: %s\n", label, s->line, name, why);
		free(name);
		n++;
	}
	return n;
}

static const char check_help[] =
"Usage: lull check [-q] FILE|NAME...\n"
"Check session files (lull-session(5)); '-' reads standard input, and a\n"
"name that is no file here is your own program of that name, else the\n"
"built-in one (lull check box). Errors\n"
"go to standard error as FILE:LINE:COLUMN: message, and so do warnings about\n"
"what runs but is not right (FILE:LINE:COLUMN: warning: message: a breathing\n"
"cue cut mid-breath, a line that never shows, a spoken word that needs eyes\n"
"such as 'the bar'). Exit status: 0 when every file is valid (warnings or\n"
"not), 1 when any is not.\n"
"\n"
"  -q, --quiet  print nothing for valid files\n"
"  -h, --help   show this help\n";

int cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool quiet = false;
	int c;
	opterr = 0;
	/* '-' alone is a file name (standard input), which getopt leaves alone. */
	while ((c = getopt_long(argc, argv, ":qh", options, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(check_help, stdout);
			return 0;
		default:
			return usage_unknown_option("check", "check: ", argv[optind - 1], options);
		}
	}
	if (optind >= argc)
		return usage_error("check", "check: which files? ('-' for standard input)");

	int status = 0;
	struct voice *voice = settings_voice();
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		/* A program's name, not a file here: your own file of that name
		 * (as the menu suggests, "lull check mine"). */
		bool by_name = !strchr(path, '/') && strcmp(path, "-") != 0 && access(path, F_OK) != 0;
		char *own = by_name ? catalog_user_file(path) : NULL;
		if (own)
			path = own;
		/* Else a built-in of that name, as start and show find it. */
		const char *builtin = by_name && !own ? builtin_text(path) : NULL;
		bool is_stdin = strcmp(path, "-") == 0;
		char *label = text_escape(is_stdin ? "<stdin>" : path, strlen(is_stdin ? "<stdin>" : path), 200);
		char err[1024];
		char *buf;
		size_t len;
		if (by_name && !own && !builtin) {
			/* No file, no program: catalog_load says so as start
			 * does, with the closest name. */
			snprintf(err, sizeof err, "%s: no such program", label);
			struct program *none = catalog_load(path, err, sizeof err);
			program_free(none);
			fprintf(stderr, "lull: %s\n", err);
			free(label);
			status = 1;
			continue;
		}
		if (builtin) {
			buf = xstrdup(builtin);
			len = strlen(buf);
		} else if (catalog_read(path, &buf, &len, err, sizeof err) < 0) {
			fprintf(stderr, "lull: %s\n", err);
			free(label);
			free(own);
			status = 1;
			continue;
		}
		struct parse_result *r = xmalloc(sizeof *r);
		char *name = catalog_name_from_path(is_stdin ? "stdin" : path);
		parse_program(buf, len, name, r);
		free(name);
		free(buf);
		size_t nsounds = r->program ? print_unknown_sounds(label, r->program) : 0;
		if (r->program && nsounds) {
			program_free(r->program);
			status = 1;
		} else if (r->program) {
			size_t nwarn = print_warnings(label, r->program);
			nwarn += print_eye_words(label, r->program);
			/* And spoken: each line against its step (a warning, not
			 * an error: the program still runs). */
			nwarn += (size_t)voice_fit_warn(voice, r->program, label, stderr);
			if (!quiet) {
				char l[64];
				parse_format_duration(round(program_length(r->program)), l, sizeof l);
				if (nwarn)
					printf("%s: ok, %zu step%s, %s, %zu warning%s\n", label, r->program->nsteps,
					       r->program->nsteps == 1 ? "" : "s", l, nwarn, nwarn == 1 ? "" : "s");
				else
					printf("%s: ok, %zu step%s, %s\n", label, r->program->nsteps,
					       r->program->nsteps == 1 ? "" : "s", l);
			}
			program_free(r->program);
		} else {
			for (size_t e = 0; e < r->nerrors; e++)
				fprintf(stderr, "%s:%u:%u: %s\n", label, r->errors[e].line, r->errors[e].col,
					r->errors[e].msg);
			status = 1;
		}
		free(r);
		free(label);
		free(own);
	}
	voice_free(voice);
	if (fflush(stdout) != 0 || ferror(stdout))
		status = 1;
	return status;
}
