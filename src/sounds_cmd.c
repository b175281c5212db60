/* `lull sounds` and `lull render`. */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "cli.h"
#include "commands.h"
#include "engine.h"
#include "output.h"
#include "settings.h"
#include "soundpath.h"
#include "timeline.h"
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

struct layer_arg {
	char name[64];
	float volume;
};

static int parse_sound(const char *arg, struct layer_arg *out)
{
	return soundpath_parse_layer(arg, out->name, sizeof out->name, &out->volume) ? 0 : -1;
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
	if (!prog) {
		fprintf(stderr, "lull: %s\n", err);
		return 1;
	}
	if ((cycles > 0 || minutes > 0) &&
	    program_set_breathing_length(prog, cycles > 0 ? (unsigned)cycles : 0, minutes * 60, err, sizeof err) != 0) {
		program_free(prog);
		return usage_error("render", "%s", err);
	}
	/* The same timeline the session screen follows: what sounds when. */
	struct timeline *tl = timeline_new(prog, err, sizeof err);
	if (!tl) {
		fprintf(stderr, "lull: %s: %s\n", name, err);
		program_free(prog);
		return 1;
	}
	double total = (double)timeline_total(tl) / PACE_US_PER_S;

	/* Layers: --sound, else the settings' list (the program's own sound
	 * steps come through the timeline). */
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
		timeline_free(tl);
		program_free(prog);
		return 1;
	}
	struct engine *eng = engine_new(&cfg);

	/* Fade in over the first 10 s. Sleep programs fade out over their last
	 * minute (a timeline event); others over the last 10 s here. Each fade
	 * is at most a quarter of the whole. */
	double fade_in = fmin(10, total / 4);
	double fade_out = fmin(10, total / 4);
	bool faded = prog->tags & TAG_SLEEP;
	for (int i = 0; i < nlayers; i++) {
		struct audio_cmd on = { .kind = ACMD_LAYER_ON, .value = layers[i].volume, .fade_s = fade_in };
		str_copy(on.name, layers[i].name, sizeof on.name);
		engine_apply(eng, &on);
		flush_messages(eng);
	}
	long long end = (long long)((total + 0.5) * RENDER_RATE);
	long long fade_at = (long long)((total - fade_out) * RENDER_RATE);
	size_t cursor = 0, chimes = 0;
	float buf[4096 * RENDER_CH];
	long long pos = 0;
	int rc = 0;
	clock_t cpu0 = clock();
	while (pos < end) {
		/* Apply whatever is due now, then render up to the next event. */
		struct tl_event ev[16];
		size_t nev;
		while ((nev = timeline_events(tl, &cursor, pos * PACE_US_PER_S / RENDER_RATE, ev, 16)) > 0) {
			for (size_t i = 0; i < nev; i++) {
				const struct tl_event *e = &ev[i];
				struct audio_cmd cmd = { 0 };
				if (e->kind == TL_EV_BREATH) {
					cmd = (struct audio_cmd){ .kind = ACMD_BREATH, .phase = e->phase,
					                          .fade_s = (double)e->len / PACE_US_PER_S };
					chimes += cfg.cues;
				} else if (e->kind == TL_EV_CHIME) {
					cmd = (struct audio_cmd){ .kind = ACMD_CUE };
					str_copy(cmd.name, e->text ? e->text : "", sizeof cmd.name);
					chimes++;
				} else if (e->kind == TL_EV_SOUND) {
					const struct step_sound *snd = &prog->steps[e->step].u.sound;
					static const enum audio_cmd_kind k[] = {
						[SOUND_LAYER_ON] = ACMD_LAYER_ON, [SOUND_LAYER_OFF] = ACMD_LAYER_OFF,
						[SOUND_VOLUME] = ACMD_VOLUME, [SOUND_FADE_OUT] = ACMD_FADE_OUT,
					};
					cmd = (struct audio_cmd){ .kind = k[snd->action], .value = snd->volume, .fade_s = snd->fade_s };
					str_copy(cmd.name, snd->name ? snd->name : "", sizeof cmd.name);
				} else if (e->kind == TL_EV_FADE) {
					cmd = (struct audio_cmd){ .kind = ACMD_FADE_OUT, .fade_s = (double)e->len / PACE_US_PER_S };
				} else {
					continue;
				}
				engine_apply(eng, &cmd);
				flush_messages(eng);
			}
		}
		if (!faded && pos >= fade_at) {
			struct audio_cmd f = { .kind = ACMD_FADE_OUT, .fade_s = fade_out };
			engine_apply(eng, &f);
			faded = true;
		}
		long long stop = end;
		pace_us next_us = timeline_event_time(tl, cursor);
		if (next_us != INT64_MAX) {
			long long at = (next_us * RENDER_RATE + PACE_US_PER_S - 1) / PACE_US_PER_S;
			if (at < stop)
				stop = at;
		}
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
	timeline_free(tl);
	program_free(prog);
	return rc;
}
