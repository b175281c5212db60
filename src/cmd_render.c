/* SPDX-License-Identifier: ISC */
/* `lull sounds` and `lull render`: their options, the settings and the
 * program; the sound itself is audio/cmd_sounds.c's, given what it needs. A
 * lull built --without-audio has audio/cmd_sounds_null.c instead. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "cmd_sounds.h"
#include "commands.h"
#include "output.h"
#include "sessionopts.h"
#include "settings.h"
#include "soundplan.h"
#include "speech.h"
#include "timeline.h"

/* ------------------------------------------------------------ lull sounds */
int cmd_sounds(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' },
					      { "names", no_argument, NULL, 'n' }, { NULL, 0, NULL, 0 } };
	bool names_only = false;
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			puts("Usage: lull sounds [--names]\n"
			     "List the sounds: the loops an ambient bed is made of, then the cues\n"
			     "rung at the phases and steps; yours (in $XDG_DATA_HOME/lull/sounds)\n"
			     "and the built-in ones, with length, rate, channels and format.\n"
			     "A loop goes under a session with `lull start NAME --sound LOOP[:VOLUME]`.\n"
			     "  --names     the loops' names alone, one a line (for shell completion)");
			return 0;
		}
		if (c == 'n') {
			names_only = true;
			continue;
		}
		return usage_unknown_option("sounds", "", argv[optind - 1], opts);
	}
	if (optind < argc)
		return usage_error("sounds", "unexpected argument '%s'", argv[optind]);
	int count = audio_sounds_list(names_only);
	if (!names_only) {
		/* Which way a session's sound goes, so a timing report can say. */
		struct settings set;
		settings_defaults(&set);
		settings_load(&set, NULL, stderr);
		audio_sounds_output(set.audio_driver);
	}
	return count ? 0 : 1;
}

/* ------------------------------------------------------------ lull render */

static void render_help(void)
{
	char formats[80];
	output_file_endings(formats, sizeof formats, AUDIO_RENDER_RATE, AUDIO_RENDER_CH);
	printf("Usage: lull render NAME -o FILE [--cycles N | --minutes M]\n"
	       "         [--sound NAME[:VOL]... | --sound none] [--cues | --no-cues] [--follow]\n"
	       "         [--voice | --no-voice]\n"
	       "Write a program's whole audio (the ambient sound with its fades, the phase and\n"
	       "step tones, the program's chimes, the spoken lines) to FILE, much faster than\n"
	       "real time, at -18 LUFS integrated with its true peak under -1.5 dBTP.\n"
	       "  -o, --output FILE   where to write; its ending picks the format\n"
	       "                      (%s)\n"
	       "  --cycles N          breathing cycles\n"
	       "  --minutes M         about M minutes (the last cycle is finished)\n"
	       "  --sound NAME[:VOL]  an ambient layer, VOL 0..1 (repeatable; see lull sounds)\n"
	       "  --sound none        no ambient sound at all (the program's neither)\n"
	       "  --cues, --no-cues   the tones at each phase and step, or no cues at all\n"
	       "                      (default: the cues setting, else the program)\n"
	       "  --follow            the ambient level swells with the breath\n"
	       "  --voice, --no-voice speak the guidance, or not (default: as a session would)\n",
	       formats);
}

/* render's options into *play and *outfile: -1 to go on, else the exit
 * status (0 after --help). */
static int render_options(int argc, char **argv, struct sessionopts *play, const char **outfile)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { "output", required_argument, NULL, 'o' },
		{ "cycles", required_argument, NULL, SESSIONOPT_CYCLES },
		{ "minutes", required_argument, NULL, SESSIONOPT_MINUTES },
		{ "sound", required_argument, NULL, SESSIONOPT_SOUND }, { "cues", no_argument, NULL, SESSIONOPT_CUES },
		{ "no-cues", no_argument, NULL, SESSIONOPT_NO_CUES },
		{ "follow", no_argument, NULL, SESSIONOPT_FOLLOW }, { "voice", no_argument, NULL, SESSIONOPT_VOICE },
		{ "no-voice", no_argument, NULL, SESSIONOPT_NO_VOICE }, { NULL, 0, NULL, 0 },
	};
	int c, rc;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			render_help();
			return 0;
		case 'o':
			*outfile = optarg;
			break;
		case ':':
			return usage_error("render", "option '%s' needs a value", argv[optind - 1]);
		default:
			if ((rc = sessionopts_option(play, "render", c, optarg)) < 0)
				return usage_unknown_option("render", "", argv[optind - 1], opts);
			if (rc > 0)
				return rc;
			break;
		}
	}
	return -1;
}

int cmd_render(int argc, char **argv)
{
	const char *outfile = NULL;
	struct sessionopts play = { 0 };
	int rc = render_options(argc, argv, &play, &outfile);
	if (rc >= 0)
		return rc;
	if (optind >= argc)
		return usage_error("render", "which program? (lull list shows them)");
	if (optind + 1 < argc)
		return usage_error("render", "unexpected argument '%s'", argv[optind + 1]);
	if (!outfile) {
		char formats[80];
		output_file_endings(formats, sizeof formats, AUDIO_RENDER_RATE, AUDIO_RENDER_CH);
		return usage_error("render", "give the output file with -o FILE (%s)", formats);
	}
	if ((rc = sessionopts_check(&play, "render")) != 0)
		return rc;
	const char *name = argv[optind];
	/* A file is made to keep: a sound asked for that is not there would
	 * leave a track without it, so the render is refused instead. */
	if ((rc = sessionopts_sounds_found(&play)) != 0)
		return rc;

	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, stderr);

	char err[256];
	struct program *prog = catalog_load(name, err, sizeof err);
	if (!prog) {
		fprintf(stderr, "lull: %s\n", err);
		return 1;
	}
	if ((rc = sessionopts_apply_length(&play, "render", prog)) != 0) {
		program_free(prog);
		return rc;
	}
	/* The same timeline the session screen follows, and the same plan of
	 * what is heard when that `lull start` posts to the audio thread. */
	struct timeline *tl = timeline_new(prog, err, sizeof err);
	if (!tl) {
		fprintf(stderr, "lull: %s: %s\n", name, err);
		program_free(prog);
		return 1;
	}
	struct audio_render_job job = { .prog = prog, .tl = tl, .outfile = outfile,
	                                .voice_volume = (float)set.voice_volume / 100.0f };
	sessionopts_sound_cfg(&play, &set, prog, &job.sound);
	sessionopts_voice_cfg(&set, &job.voice);
	rc = audio_render_file(&job);
	timeline_free(tl);
	program_free(prog);
	return rc;
}
