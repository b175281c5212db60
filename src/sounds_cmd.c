/* `lull sounds` and `lull render`. */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio_plan.h"
#include "catalog.h"
#include "commands.h"
#include "engine.h"
#include "output.h"
#include "settings.h"
#include "soundpath.h"
#include "track.h"
#include "util.h"

/* ------------------------------------------------------------ lull sounds */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, const char *origin, int *count)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !soundpath_is_sound(de->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *dot = strrchr(names[i], '.');
		*dot = '\0';
		struct track_info info;
		char err[256];
		if (track_probe(path, &info, err, sizeof err) == 0) {
			int secs = (int)lrint(info.seconds);
			printf("%-16s %3d:%02d  %6d Hz  %-6s  %-12s  %s\n", names[i], secs / 60, secs % 60, info.rate,
			       info.channels == 1 ? "mono" : info.channels == 2 ? "stereo" : "multi", info.format, origin);
		} else {
			const char *why = strrchr(err, ':');
			printf("%-16s unreadable:%s  %s\n", names[i], why ? why + 1 : err, origin);
		}
		(*count)++;
		free(path);
		free(names[i]);
	}
	free(names);
}

int cmd_sounds(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			puts("Usage: lull sounds\n"
			     "List the ambient sounds and cues: yours (in $XDG_DATA_HOME/lull/sounds)\n"
			     "and the built-in ones, with length, rate, channels and format.\n"
			     "Use one with `lull start NAME --sound SOUND[:VOLUME]`.");
			return 0;
		}
		return usage_error("sounds", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return usage_error("sounds", "unexpected argument '%s'", argv[optind]);
	int count = 0;
	printf("%-16s %6s  %9s  %-6s  %-12s  %s\n", "NAME", "LENGTH", "RATE", "CH", "FORMAT", "FROM");
	char *user = soundpath_user_dir();
	list_dir(user, "yours", &count);
	const char *builtin = soundpath_builtin_dir();
	list_dir(builtin, "built-in", &count);
	if (count == 0)
		fprintf(stderr, "lull: no sounds found (looked in %s and %s)\n", user ? user : "(no home)", builtin);
	free(user);
	return count ? 0 : 1;
}

/* ------------------------------------------------------------ lull render */

/* The breathing patterns `lull start` knows; a stand-in until the session
 * area's pace.h exports its table (then use that). */
static const struct { const char *name; struct pace_pattern p, to; } patterns[] = {
	{ "box", { { 4, 4, 4, 4 } }, { { 4, 4, 4, 4 } } },
	{ "478", { { 4, 7, 8, 0 } }, { { 4, 7, 8, 0 } } },
	{ "coherent", { { 5.5, 0, 5.5, 0 } }, { { 5.5, 0, 5.5, 0 } } },
	{ "relax", { { 4, 0, 6, 0 } }, { { 4, 0, 6, 0 } } },
	{ "sleep", { { 4, 0, 6, 0 } }, { { 4, 0, 8, 0 } } },
};

/* "box", or literally "4-7-8-0": a one-step breathing program. */
static struct program *pattern_program(const char *name)
{
	struct pace_pattern p = { { 0 } }, to;
	bool found = false;
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0] && !found; i++)
		if (strcmp(patterns[i].name, name) == 0) {
			p = patterns[i].p;
			to = patterns[i].to;
			found = true;
		}
	if (!found) {
		double v[4];
		char tail;
		if (sscanf(name, "%lf-%lf-%lf-%lf%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
			return NULL;
		for (int i = 0; i < 4; i++) {
			if (!(v[i] >= 0 && v[i] <= 600))
				return NULL;
			p.phase[i] = v[i];
		}
		if (p.phase[0] + p.phase[1] + p.phase[2] + p.phase[3] <= 0)
			return NULL;
		to = p;
	}
	struct program *prog = xcalloc(1, sizeof *prog);
	prog->name = xstrdup(name);
	prog->chime_cues = true;
	prog->tags = TAG_BREATHING | (strcmp(name, "sleep") == 0 ? TAG_SLEEP : 0);
	prog->steps = xcalloc(1, sizeof *prog->steps);
	prog->nsteps = 1;
	prog->steps[0].kind = STEP_BREATHE;
	prog->steps[0].u.breathe = (struct step_breathe){ .from = p, .to = to, .ramp = memcmp(&p, &to, sizeof p) != 0,
	                                                  .cycles = 10 };
	return prog;
}

struct layer_arg {
	char name[64];
	float volume;
};

static int parse_sound(const char *arg, struct layer_arg *out)
{
	const char *colon = strrchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	if (len == 0 || len >= sizeof out->name)
		return -1;
	memcpy(out->name, arg, len);
	out->name[len] = '\0';
	out->volume = 0.6f;
	if (colon) {
		char *end;
		double v = strtod(colon + 1, &end);
		if (*end || end == colon + 1 || !(v >= 0 && v <= 1))
			return -1;
		out->volume = (float)v;
	}
	return 0;
}

static void render_help(void)
{
	puts("Usage: lull render NAME -o FILE [--cycles N | --minutes M] [--sound NAME[:VOL]]...\n"
	     "                   [--no-cues] [--follow]\n"
	     "Write a program's whole audio (ambient sound with its fades, and a chime at\n"
	     "each phase change) to FILE, a .wav or .flac, much faster than real time.\n"
	     "  -o, --output FILE   where to write (.wav or .flac)\n"
	     "  --cycles N          breathing cycles\n"
	     "  --minutes M         about M minutes (the last cycle is finished)\n"
	     "  --sound NAME[:VOL]  an ambient layer, VOL 0..1 (repeatable; see lull sounds)\n"
	     "  --no-cues           no chimes\n"
	     "  --follow            the ambient level swells with the breath");
}

enum { RENDER_RATE = 48000, RENDER_CH = 2 };

static void flush_messages(struct engine *e)
{
	char msg[160];
	if (engine_take_message(e, msg, sizeof msg))
		fprintf(stderr, "lull: %s\n", msg);
}

int cmd_render(int argc, char **argv)
{
	enum { OPT_CYCLES = 256, OPT_MINUTES, OPT_SOUND, OPT_NO_CUES, OPT_FOLLOW };
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { "output", required_argument, NULL, 'o' },
		{ "cycles", required_argument, NULL, OPT_CYCLES }, { "minutes", required_argument, NULL, OPT_MINUTES },
		{ "sound", required_argument, NULL, OPT_SOUND }, { "no-cues", no_argument, NULL, OPT_NO_CUES },
		{ "follow", no_argument, NULL, OPT_FOLLOW }, { NULL, 0, NULL, 0 },
	};
	const char *outfile = NULL;
	long cycles = -1;
	double minutes = -1;
	struct layer_arg layers[8];
	int nlayers = 0;
	bool no_cues = false, follow = false;
	int c;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'h':
			render_help();
			return 0;
		case 'o':
			outfile = optarg;
			break;
		case OPT_CYCLES:
			cycles = strtol(optarg, &end, 10);
			if (*end || cycles < 1 || cycles > 100000)
				return usage_error("render", "--cycles wants a whole number from 1, not '%s'", optarg);
			break;
		case OPT_MINUTES:
			minutes = strtod(optarg, &end);
			if (*end || !(minutes > 0 && minutes <= 24 * 60))
				return usage_error("render", "--minutes wants a number of minutes up to 1440, not '%s'", optarg);
			break;
		case OPT_SOUND:
			if (nlayers == 8)
				return usage_error("render", "at most 8 --sound layers");
			if (parse_sound(optarg, &layers[nlayers]) != 0)
				return usage_error("render", "--sound wants NAME or NAME:VOLUME (0..1), not '%s'", optarg);
			nlayers++;
			break;
		case OPT_NO_CUES:
			no_cues = true;
			break;
		case OPT_FOLLOW:
			follow = true;
			break;
		case ':':
			return usage_error("render", "option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("render", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("render", "which program? (lull list shows them)");
	if (optind + 1 < argc)
		return usage_error("render", "unexpected argument '%s'", argv[optind + 1]);
	if (!outfile)
		return usage_error("render", "give the output file with -o FILE (.wav or .flac)");
	if (cycles > 0 && minutes > 0)
		return usage_error("render", "--cycles and --minutes do not go together");
	const char *name = argv[optind];

	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, stderr);

	char err[256];
	struct program *prog = catalog_load(name, err, sizeof err);
	if (!prog)
		prog = pattern_program(name);
	if (!prog) {
		fprintf(stderr, "lull: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < prog->nsteps; i++) {
		struct step_breathe *b = &prog->steps[i].u.breathe;
		if (prog->steps[i].kind != STEP_BREATHE)
			continue;
		if (cycles > 0) {
			b->cycles = (unsigned)cycles;
			b->seconds = 0;
		} else if (minutes > 0) {
			b->cycles = 0;
			b->seconds = minutes * 60;
		}
	}
	struct plan_event *ev;
	double total;
	size_t nev = audio_plan(prog, &ev, &total);

	/* Layers: --sound, else the settings' list (the program's own sound
	 * steps come through the plan). */
	if (nlayers == 0 && set.sounds[0]) {
		char list[sizeof set.sounds];
		str_copy(list, set.sounds, sizeof list);
		for (char *tok = strtok(list, ", "); tok && nlayers < 8; tok = strtok(NULL, ", "))
			if (parse_sound(tok, &layers[nlayers]) == 0)
				nlayers++;
	}
	struct engine_cfg cfg = { .rate = RENDER_RATE, .channels = RENDER_CH,
	                          .volume = set.volume > 0 ? (float)set.volume / 100 : 0.6f,
	                          .cues = !no_cues && (prog->chime_cues || set.cues),
	                          .follow = follow || prog->follow || set.follow };
	struct output_spec spec = { .driver = "sndfile", .file = outfile, .rate = RENDER_RATE, .channels = RENDER_CH };
	struct output *out = output_open(&spec, err, sizeof err);
	if (!out) {
		fprintf(stderr, "lull: %s\n", err);
		free(ev);
		program_free(prog);
		return 1;
	}
	struct engine *eng = engine_new(&cfg);

	/* Fade in over the first 10 s; fade out over the last 10 s, or the last
	 * minute of a sleep program (each at most a quarter of the whole). */
	double fade_in = fmin(10, total / 4);
	double fade_out = fmin(prog->tags & TAG_SLEEP ? 60 : 10, total / 4);
	for (int i = 0; i < nlayers; i++) {
		struct audio_cmd on = { .kind = ACMD_LAYER_ON, .value = layers[i].volume, .fade_s = fade_in };
		str_copy(on.name, layers[i].name, sizeof on.name);
		engine_apply(eng, &on);
		flush_messages(eng);
	}
	long long end = (long long)((total + 0.5) * RENDER_RATE);
	long long fade_at = (long long)((total - fade_out) * RENDER_RATE);
	bool faded = false;
	size_t next = 0, chimes = 0;
	float buf[4096 * RENDER_CH];
	long long pos = 0;
	int rc = 0;
	clock_t cpu0 = clock();
	while (pos < end) {
		/* Apply whatever is due now, then render up to the next event. */
		while (next < nev && (long long)(ev[next].t * RENDER_RATE + 0.5) <= pos) {
			const struct plan_event *e = &ev[next++];
			struct audio_cmd cmd = { 0 };
			if (e->kind == PLAN_BREATH) {
				cmd = (struct audio_cmd){ .kind = ACMD_BREATH, .phase = e->phase, .fade_s = e->dur };
				chimes += cfg.cues;
			} else if (e->kind == PLAN_CUE) {
				cmd = (struct audio_cmd){ .kind = ACMD_CUE };
				str_copy(cmd.name, e->cue ? e->cue : "", sizeof cmd.name);
				chimes++;
			} else {
				const struct step_sound *s = e->sound;
				static const enum audio_cmd_kind k[] = {
					[SOUND_LAYER_ON] = ACMD_LAYER_ON, [SOUND_LAYER_OFF] = ACMD_LAYER_OFF,
					[SOUND_VOLUME] = ACMD_VOLUME, [SOUND_FADE_OUT] = ACMD_FADE_OUT,
				};
				cmd = (struct audio_cmd){ .kind = k[s->action], .value = s->volume, .fade_s = s->fade_s };
				str_copy(cmd.name, s->name ? s->name : "", sizeof cmd.name);
			}
			engine_apply(eng, &cmd);
			flush_messages(eng);
		}
		if (!faded && pos >= fade_at) {
			struct audio_cmd f = { .kind = ACMD_FADE_OUT, .fade_s = fade_out };
			engine_apply(eng, &f);
			faded = true;
		}
		long long stop = end;
		if (next < nev)
			stop = (long long)(ev[next].t * RENDER_RATE + 0.5);
		if (!faded && fade_at < stop)
			stop = fade_at;
		if (stop > pos + 4096)
			stop = pos + 4096;
		if (stop <= pos)
			stop = pos + 1;
		long n = (long)(stop - pos);
		engine_render(eng, buf, n);
		flush_messages(eng);
		if (output_write(out, buf, n) != 0) {
			fprintf(stderr, "lull: %s: write failed\n", outfile);
			rc = 1;
			break;
		}
		pos += n;
	}
	double cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
	char kind[32];
	str_copy(kind, output_name(out), sizeof kind);
	engine_free(eng);
	output_close(out);
	if (rc == 0) {
		int secs = (int)lrint((double)end / RENDER_RATE);
		printf("wrote %s: %d:%02d, %d Hz stereo %s, %zu chime%s, %.0fx real time\n", outfile, secs / 60, secs % 60,
		       RENDER_RATE, kind, chimes, chimes == 1 ? "" : "s",
		       cpu > 0 ? (double)end / RENDER_RATE / cpu : 0.0);
	}
	free(ev);
	program_free(prog);
	return rc;
}
