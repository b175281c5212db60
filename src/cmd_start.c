/* SPDX-License-Identifier: ISC */
/* `lull start` and `lull` alone (the menu): options in, a session out. Kept
 * thin: the loop is session.c, the drawing screen.c and menu.c. */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "menu.h"
#include "paths.h"
#include "safety.h"
#include "session.h"
#include "sessionopts.h"
#include "settings.h"
#include "statefile.h"
#include "tty.h"
#include "util.h"
#include "voice.h"

static const char start_usage[] =
"Usage: lull start [NAME|FILE] [OPTIONS]\n"
"Run a program: a breathing pattern (box, 478, coherent, relax, sleep), a\n"
"guided program (winddown, pmr, ...), or a session file. Default: the\n"
"default program of the settings (winddown).\n"
"\n"
"  --cycles N         breathing programs: run N cycles\n"
"  --minutes M        breathing programs: run about M minutes (the cycle in\n"
"                     progress is finished)\n"
"  --plain            one line per phase change, no full screen\n"
"  --dark, --no-dark  the screen dims step by step to black, or stays lit\n"
"                     (default: the screen setting, else dark for sleep programs)\n"
"  --no-audio         no sound\n"
"  --audio            sound even over SSH\n"
"  --audio-driver NAME  the libao driver (alsa, pulse, ...; default: a sound\n"
"                     server that answers, else libao's default)\n"
"  --sound NAME[:VOL] an ambient layer, volume 0..1 (repeatable); --sound none:\n"
"                     no ambient sound at all, the program's neither\n"
"  --follow           the ambient sound swells with the breath\n"
"  --cues, --no-cues  a tone at each breath phase and guided step, or no\n"
"                     cues at all (default: the cues setting, else the program)\n"
"  --voice            speak the guidance (the default where sound plays)\n"
"  --no-voice         do not speak it (the v key turns the voice on and off)\n"
"  --bell             ring the terminal bell at phase changes\n"
"  --checkin          ask how tense you feel before and after\n"
"  -h, --help         show this help\n"
"\n"
"Keys: space pause/resume, q or Esc end, ? help, +/- volume, m mute, v voice.\n"
"On a dimmed screen, any key first lights it for a few seconds, and does\n"
"nothing else.\n"
"\n"
"Safety: lull is not medical advice. Move gently and within a comfortable\n"
"range; stop anything that hurts. Ask a health professional about pain that\n"
"is new, severe or changing. A program's own safety note comes before its\n"
"first step; the first time you run it, it waits for a key.\n";

struct start_args {
	const char *name;
	const char *driver;  /* --audio-driver */
	struct sessionopts play; /* --cycles, --minutes, --sound, --follow */
	bool plain;
	int audio; /* -1 settings/auto, 0 off, 1 on */
	int dark;  /* --dark 1, --no-dark 0, -1 the settings, then the program */
	bool bell, checkin;
};

/* --- small state files ------------------------------------------------- */

/* The general first-use note (session_safety_note) was shown once. */
static bool safety_seen(void)
{
	char *s = statefile_read("seen-safety");
	bool seen = s != NULL;
	free(s);
	return seen;
}

/* --- the program ------------------------------------------------------- */

static struct program *load_program(const char *name)
{
	char err[512];
	struct program *p = catalog_load(name, err, sizeof err);
	if (!p)
		fprintf(stderr, "lull: %s\n", err);
	return p;
}

static int run_program(struct start_args *a, const struct settings *set)
{
	const char *name = a->name ? a->name : set->default_program;
	struct program *p;
	if (!a->name && set->default_program_at[0]) {
		/* The program the config names: the error says where it is named. */
		char err[512];
		p = catalog_load(name, err, sizeof err);
		if (!p)
			fprintf(stderr, "lull: %s: default_program: %s\n", set->default_program_at, err);
	} else {
		p = load_program(name);
	}
	if (!p)
		return 1;
	int rc = sessionopts_apply_length(&a->play, "start", p);
	if (rc) {
		program_free(p);
		return rc;
	}
	if (!p->name)
		p->name = xstrdup(name);

	struct session_opts o;
	memset(&o, 0, sizeof o);
	o.prog = p;
	char why[160] = "";
	o.plain = a->plain || !tty_can_curses(why, sizeof why);
	o.plain_why = a->plain ? NULL : why;
	o.bell = a->bell || set->bell;
	o.checkin = a->checkin || set->checkin;
	o.color = set->color;
	/* The person's word first; said nothing, a program for sleep goes dark. */
	int dark = a->dark >= 0 ? a->dark : set->screen >= 0 ? set->screen : (p->tags & TAG_SLEEP) != 0;
	o.dark = dark && !o.plain; /* plain lines are for reading: every one printed */

	/* Sound: asked for, refused, or decided (off over SSH unless PulseAudio
	 * is forwarded). Say why it is off, unless the person turned it off. */
	static char audio_why[160];
	int audio = a->audio >= 0 ? a->audio : set->audio;
	o.audio.enabled = audio_wanted(audio, audio_why, sizeof audio_why);
	if (!o.audio.enabled && audio != 0)
		o.audio_note = audio_why;
	o.audio.driver = a->driver ? a->driver : set->audio_driver[0] ? set->audio_driver : NULL;
	o.audio.time_scale = clock_scale_from_env();
	sessionopts_sound_cfg(&a->play, set, p, &o.sound);
	if (!o.audio.enabled)
		o.sound.nlayers = 0; /* nothing to play; the history says no sounds */
	/* The voice as it starts; its lines are in the plan wherever it can
	 * speak, so that `v` can turn it on whatever it started as. */
	o.audio.voice = o.sound.voice;
	o.audio.voice_volume = (float)set->voice_volume / 100.0f;
	sessionopts_voice_cfg(set, &o.voice);
	o.sound.voice = o.audio.enabled && voice_built();
	o.sound.voice_breath = o.sound.voice && set->voice_breath;

	o.show_safety = !safety_seen();
	if (o.show_safety)
		statefile_write("seen-safety", "shown");
	/* The program's own note: on its page, waiting for a key the first
	 * time (safety.h); the session marks it seen when the person goes on. */
	o.safety_page = p->safety != NULL;
	o.safety_wait = set->safety_wait && p->safety && !safety_note_seen(p);
	o.safety_seconds = set->safety_seconds;
	statefile_write("last-program", p->name);

	rc = session_run(&o);
	program_free(p);
	return rc;
}

static int parse_start(int argc, char **argv, struct start_args *a)
{
	enum { O_PLAIN = 256, O_NOAUDIO, O_AUDIO, O_DRIVER, O_BELL, O_CHECKIN, O_DARK, O_NO_DARK };
	static const struct option options[] = {
		{ "cycles", required_argument, NULL, SESSIONOPT_CYCLES },
		{ "minutes", required_argument, NULL, SESSIONOPT_MINUTES },
		{ "plain", no_argument, NULL, O_PLAIN },
		{ "dark", no_argument, NULL, O_DARK },
		{ "no-dark", no_argument, NULL, O_NO_DARK },
		{ "no-audio", no_argument, NULL, O_NOAUDIO },
		{ "audio", no_argument, NULL, O_AUDIO },
		{ "audio-driver", required_argument, NULL, O_DRIVER },
		{ "sound", required_argument, NULL, SESSIONOPT_SOUND },
		{ "follow", no_argument, NULL, SESSIONOPT_FOLLOW },
		{ "cues", no_argument, NULL, SESSIONOPT_CUES },
		{ "no-cues", no_argument, NULL, SESSIONOPT_NO_CUES },
		{ "bell", no_argument, NULL, O_BELL },
		{ "checkin", no_argument, NULL, O_CHECKIN },
		{ "voice", no_argument, NULL, SESSIONOPT_VOICE },
		{ "no-voice", no_argument, NULL, SESSIONOPT_NO_VOICE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(a, 0, sizeof *a);
	a->audio = -1;
	a->dark = -1;
	opterr = 0;
	int c, rc;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case O_PLAIN:
			a->plain = true;
			break;
		case O_DARK:
			a->dark = 1;
			break;
		case O_NO_DARK:
			a->dark = 0;
			break;
		case O_NOAUDIO:
			a->audio = 0;
			break;
		case O_AUDIO:
			a->audio = 1;
			break;
		case O_DRIVER:
			a->driver = optarg;
			break;
		case O_BELL:
			a->bell = true;
			break;
		case O_CHECKIN:
			a->checkin = true;
			break;
		case 'h':
			fputs(start_usage, stdout);
			return -1;
		case ':':
			return usage_error("start", "option '%s' needs a value", argv[optind - 1]);
		default:
			if ((rc = sessionopts_option(&a->play, "start", c, optarg)) < 0)
				return usage_unknown_option("start", "", argv[optind - 1], options);
			if (rc > 0)
				return rc;
			break;
		}
	}
	if ((rc = sessionopts_check(&a->play, "start")) != 0)
		return rc;
	/* As render: a session without the sound asked for is not the one
	 * asked for. */
	if ((rc = sessionopts_sounds_found(&a->play)) != 0)
		return rc;
	if (optind < argc)
		a->name = argv[optind++];
	if (optind < argc)
		return usage_error("start", "one program at a time ('%s' is extra)", argv[optind]);
	return 0;
}

/* What a session keeps open at once: the terminal, the signal and audio
 * pipes, the log, the banner's watch, the sound server's sockets and a file
 * per sound, with room to spare. */
#define OPEN_FILES_NEEDED 32

/* With `ulimit -n` lower than that, the full screen or the sound failed
 * later with a message that named something else ("cannot start the full
 * screen", "no audio device"). The soft limit is raised where the hard one
 * allows; where it does not, the cause is said first. */
static void check_open_files(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= OPEN_FILES_NEEDED)
		return;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= OPEN_FILES_NEEDED) {
		rl.rlim_cur = OPEN_FILES_NEEDED;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return;
	}
	fprintf(stderr, "lull: only %llu files may be open at once here (ulimit -n); lull needs about %d, "
	        "so the full screen or the sound may fail\n", (unsigned long long)rl.rlim_cur,
	        OPEN_FILES_NEEDED);
}

int cmd_start(int argc, char **argv)
{
	struct start_args a;
	int rc = parse_start(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	check_open_files();
	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, stderr);
	return run_program(&a, &set);
}

int cmd_menu(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	check_open_files();
	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, stderr);
	char why[160] = "";
	if (!tty_can_curses(why, sizeof why)) {
		fprintf(stderr, "lull: the menu needs a terminal%s%s; try 'lull start NAME --plain' or 'lull list'\n",
			why[0] ? ": " : "", why);
		return 1;
	}
	char *name = menu_choose(&set);
	if (!name)
		return 0;
	struct start_args a;
	memset(&a, 0, sizeof a);
	a.audio = -1;
	a.dark = -1;
	a.name = name;
	int rc = run_program(&a, &set);
	free(name);
	return rc;
}
