/* SPDX-License-Identifier: ISC */
/* lull — a terminal wind-down coach. This file only dispatches: every
 * subcommand lives with the module that owns its work (see commands.h). */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "text.h"
#include "commands.h"
#include "debuglog.h"

static const char usage_text[] =
"Usage: lull [COMMAND] [OPTIONS]\n"
"A calm terminal coach for winding down: paced breathing, gentle release\n"
"and stretches for neck, shoulders and back, ambient sound, and evening\n"
"reminders.\n"
"\n"
"Commands:\n"
"  (none)                 open the menu of programs\n"
"  help [COMMAND]         this help, or a command's\n"
"  start [NAME|FILE]      run a program (default: winddown)\n"
"      --cycles N         breathing programs: run N cycles\n"
"      --minutes M        breathing programs: run about M minutes\n"
"      --plain            one line per phase change, no full screen\n"
"      --dark, --no-dark  dim step by step to black (default for sleep programs)\n"
"      --no-audio         no sound;  --audio  sound even over SSH\n"
"      --audio-driver NAME  libao driver (pulse, alsa, ...)\n"
"      --sound NAME[:VOL] ambient layer (repeatable; none: no ambient sound)\n"
"      --follow           the ambient sound swells with the breath\n"
"      --cues, --no-cues  phase and step tones on, or no cues at all\n"
"      --bell             ring the terminal bell at phase changes\n"
"      --checkin          ask how tense you feel before and after\n"
"      --voice, --no-voice  speak the guidance or not (default: spoken; v key)\n"
"  list [--json]          list programs, built-in and your own\n"
"  show NAME|FILE         print a program in the session format\n"
"  check [-q] FILE|NAME...  validate session files ('-' for standard input)\n"
"  sounds                 list the ambient sounds and cues\n"
"  render NAME -o FILE    write a program's audio, spoken lines and all, to a file:\n"
"                         .wav, .flac, .ogg, .opus or .mp3 (the start options\n"
"                         that change the sound)\n"
"  remind add TIME [--days D] [--session NAME] [--message TEXT]\n"
"  remind list|remove ID|snooze [MIN]|skip|check|daemon [--detach]\n"
"                         evening reminders (see lull(1))\n"
"  stats [--json|--csv] [--since DATE] [--compact]\n"
"                         practice history, streaks and check-ins\n"
"  checkin [--sleep N] [--pain N] [--area AREA] [--replace]\n"
"                         morning follow-up: sleep and pain on waking\n"
"  status [--format F]    one line for a status bar or prompt: tonight's\n"
"                         next reminder, tonight's session, the week\n"
"  ssh [-o OPT]... HOST [COMMAND [ARGS...]]\n"
"                         run lull on HOST over SSH, its sound on your own\n"
"                         speakers (your sound server's socket forwarded)\n"
"\n"
"Options:\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"  -v, --verbose          append a debug log to $XDG_STATE_HOME/lull/debug.log\n"
"                         (as LULL_DEBUG=1 does)\n"
"\n"
"Files live under $XDG_CONFIG_HOME/lull, $XDG_STATE_HOME/lull,\n"
"$XDG_DATA_HOME/lull and (the spoken lines) $XDG_CACHE_HOME/lull.\n"
"See lull(1) and lull-session(5).\n"
"\n"
"Safety: lull is not a medical device and gives no medical advice. Move\n"
"slowly and within a comfortable range; stop anything that hurts. Ask a\n"
"health professional about pain that is new, severe or changing.\n";

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "start", cmd_start },   { "list", cmd_list },
	{ "show", cmd_show },     { "check", cmd_check },
	{ "sounds", cmd_sounds }, { "render", cmd_render },
	{ "remind", cmd_remind }, { "stats", cmd_stats },
	{ "checkin", cmd_checkin }, { "status", cmd_status },
	{ "ssh", cmd_ssh },
};

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};

	/* A standard descriptor closed by whoever started lull (`lull >&-`)
	 * would be taken by the next file opened, and output meant for the
	 * terminal would go into it. Each closed one is held by /dev/null,
	 * read-only, so that writing to it still fails and lull can say so. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDONLY) != fd)
			return 1;
	/* Past a file size limit (ulimit -f) a write fails with EFBIG, which
	 * lull says and recovers from like a full disk, rather than the
	 * signal's default: killed, the session's record lost unsaid. */
	signal(SIGXFSZ, SIG_IGN);
	setlocale(LC_ALL, "");
	/* Numbers in the C form whatever the locale: lull's words are English,
	 * and with a decimal comma (de_DE) the history was written "16,0"
	 * (each such record later skipped as a bad length), the JSON export
	 * was no JSON, and a setting of "0.85" was refused. The locale still
	 * sets the character set, dates and the first day of the week. */
	setlocale(LC_NUMERIC, "C");
	opterr = 0;
	int c;
	bool verbose = false;
	/* '+': stop at the first non-option, the subcommand, which parses the rest. */
	while ((c = getopt_long(argc, argv, "+:hVv", options, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("lull %s\n"
			       "Copyright (c) 2026 the lull authors.\n"
			       "ISC licence (SPDX: ISC): free to use, copy, modify and distribute;\n"
			       "there is no warranty. See the LICENSE file.\n",
			       PACKAGE_VERSION);
			return 0;
		default:
			if (optopt && optopt != '?')
				return usage_error(NULL, "unknown option '-%c'", optopt);
			return usage_unknown_option(NULL, "", argv[optind - 1], options);
		}
	}

	debug_init(verbose); /* before any thread starts */

	if (optind >= argc)
		return cmd_menu(1, (char *[]){ "lull", NULL });

	int first = optind;
	const char *name = argv[first];
	enum { NCOMMANDS = sizeof commands / sizeof commands[0] };
	/* `lull help` and `lull help COMMAND`, as people type them. */
	if (strcmp(name, "help") == 0) {
		if (first + 1 >= argc) {
			fputs(usage_text, stdout);
			return 0;
		}
		name = argv[++first];
		for (size_t i = 0; i < NCOMMANDS; i++) {
			if (strcmp(commands[i].name, name) == 0) {
				char *help_argv[] = { argv[first], "--help", NULL };
				optind = 0;
				return commands[i].run(2, help_argv);
			}
		}
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			optind = 0; /* glibc: 0 resets getopt for the subcommand's own parse */
			return commands[i].run(argc - first, argv + first);
		}
	}
	const char *names[NCOMMANDS + 2];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	names[NCOMMANDS] = "help";
	names[NCOMMANDS + 1] = NULL;
	char hint[80];
	return usage_error(NULL, "unknown command '%s'%s", name, usage_hint(name, names, hint, sizeof hint));
}
