/* SPDX-License-Identifier: ISC */
/* `lull sounds` and `lull render`. */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "cli.h"
#include "commands.h"
#include "engine.h"
#include "loudness.h"
#include "output.h"
#include "sessionopts.h"
#include "settings.h"
#include "soundpath.h"
#include "soundplan.h"
#include "speaker.h"
#include "timeline.h"
#include "text.h"
#include "track.h"
#include "util.h"

/* ------------------------------------------------------------ lull sounds */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sounds of dir that are cues (cues true) or loops (false), each a line
 * with its length and format. names_only: the names alone, one a line (for
 * shell completion), leaving out any a terminal could not be given as it
 * is. */
static void list_dir(const char *dir, const char *origin, bool cues, bool names_only, int *count)
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
	/* With no sound here names is NULL, and qsort's list may not be,
	 * even for none (UBSan says so). */
	if (n > 1)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char *dot = strrchr(names[i], '.');
		*dot = '\0';
		if (soundplan_is_cue_name(names[i]) != cues) {
			free(names[i]);
			continue;
		}
		*dot = '.';
		char *path = xasprintf("%s/%s", dir, names[i]);
		*dot = '\0';
		char shown[64]; /* a file name may hold anything: never raw on the terminal */
		text_sanitize_into(shown, sizeof shown, names[i]);
		if (names_only) {
			if (strcmp(shown, names[i]) == 0 && !strchr(shown, ' '))
				puts(shown);
			(*count)++;
			free(path);
			free(names[i]);
			continue;
		}
		struct track_info info;
		char err[256];
		if (track_probe(path, &info, err, sizeof err) == 0) {
			int secs = (int)lrint(info.seconds);
			printf("%-16s %3d:%02d  %6d Hz  %-6s  %-12s  %s\n", shown, secs / 60, secs % 60, info.rate,
			       info.channels == 1 ? "mono" : info.channels == 2 ? "stereo" : "multi", info.format, origin);
		} else {
			const char *why = strrchr(err, ':');
			printf("%-16s unreadable:%s  %s\n", shown, why ? why + 1 : err, origin);
		}
		(*count)++;
		free(path);
		free(names[i]);
	}
	free(names);
}

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
	int count = 0;
	char *user = soundpath_user_dir();
	const char *builtin = soundpath_builtin_dir();
	if (names_only) {
		list_dir(user, "yours", false, true, &count);
		list_dir(builtin, "built-in", false, true, &count);
	} else {
		static const char *const heads[] = {
			"Loops: the ambient bed (--sound LOOP[:VOLUME], sounds = in the config)",
			"Cues: rung at the breath's phases and the steps (cues, cue_style, a program's chime)",
		};
		for (int cues = 0; cues <= 1; cues++) {
			printf("%s%s\n%-16s %6s  %9s  %-6s  %-12s  %s\n", cues ? "\n" : "", heads[cues], "NAME", "LENGTH",
			       "RATE", "CH", "FORMAT", "FROM");
			list_dir(user, "yours", cues, false, &count);
			list_dir(builtin, "built-in", cues, false, &count);
		}
	}
	if (count == 0)
		fprintf(stderr, "lull: no sounds found (looked in %s and %s)%s\n", user ? user : "(no home)", builtin,
		        soundpath_builtin_missing()
		                ? "; the built-in sounds are not installed yet (make install, or set LULL_SOUNDS_DIR)"
		                : "");
	free(user);
	if (!names_only) {
		/* Which way a session's sound goes, so a timing report can say. */
		struct settings set;
		settings_defaults(&set);
		settings_load(&set, NULL, stderr);
		char how[200], shown[200];
		output_describe(set.audio_driver, how, sizeof how);
		text_sanitize_into(shown, sizeof shown, how);
		printf("\nSound plays through: %s\n", shown);
	}
	return count ? 0 : 1;
}

/* ------------------------------------------------------------ lull render */

enum { RENDER_RATE = 48000, RENDER_CH = 2 };
/* The pause between the spoken safety note and the program, in render. */
#define RENDER_NOTE_GAP_S 2.0
/* The limiter's ceiling, under LOUDNESS_CEILING_DBTP: other meters
 * interpolate between samples a little differently (ffmpeg's ebur128 reads
 * up to 0.1 dB more on speech), and a lossy encoder overshoots (a 10-minute
 * sleep with rain limited at -1.7 dBTP read -1.7 as WAV, -1.4 as MP3 and
 * Opus, -1.3 as Ogg Vorbis; limited at -2.0, the same). */
#define RENDER_CEILING_DBTP (LOUDNESS_CEILING_DBTP - 0.2)
#define RENDER_LOSSY_CEILING_DBTP (LOUDNESS_CEILING_DBTP - 1.2)
/* How far from LOUDNESS_TARGET_LUFS a file may come out before it is
 * written again (the promise is 1 LU). */
#define RENDER_LUFS_SLACK 0.3

static void render_help(void)
{
	char formats[80];
	output_file_endings(formats, sizeof formats, RENDER_RATE, RENDER_CH);
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

static void flush_messages(struct engine *e)
{
	char msg[160];
	if (engine_take_message(e, msg, sizeof msg)) {
		char *safe = text_sanitize(msg); /* a sound's name is a file's */
		fprintf(stderr, "lull: %s\n", safe);
		free(safe);
	}
}

/* One event of the sound plan as the engine takes it (SP_EV_SPEAK is
 * render's own: its line is made first). */
static struct audio_cmd render_cmd(const struct sp_event *e)
{
	static const enum audio_cmd_kind kind[] = {
		[SP_EV_LAYER_ON] = ACMD_LAYER_ON, [SP_EV_LAYER_OFF] = ACMD_LAYER_OFF,
		[SP_EV_VOLUME] = ACMD_VOLUME, [SP_EV_FADE_OUT] = ACMD_FADE_OUT,
		[SP_EV_CUE] = ACMD_CUE, [SP_EV_BREATH] = ACMD_BREATH, [SP_EV_DUCK] = ACMD_DUCK,
	};
	struct audio_cmd c = { .kind = kind[e->kind], .value = e->volume,
	                       .fade_s = (double)e->fade / PACE_US_PER_S };
	if (e->kind == SP_EV_BREATH) {
		c.phase = (int)e->phase;
		c.fade_s = (double)e->len / PACE_US_PER_S; /* the swell takes the phase */
	}
	str_copy(c.name, e->name ? e->name : "", sizeof c.name);
	return c;
}

/* The first frame at or after session time t: an event is applied there. */
static long long frame_at(pace_us t)
{
	return (t * RENDER_RATE + PACE_US_PER_S - 1) / PACE_US_PER_S;
}

/* A render: the plan, how it is mixed, and where it goes. */
struct render_job {
	struct soundplan *plan;
	const struct program *prog;
	const struct timeline *tl;
	struct engine_cfg cfg;
	bool voice;
	struct voice_cfg vc;
	struct output *out;
	const char *outfile;
	struct loudness_meter *meter; /* what each pass measures */
	float gain;                   /* the second pass: to the target loudness, */
	struct loudness_limiter limiter; /* under the true-peak ceiling */
	bool limiting;
	/* What the first pass found. */
	long long end;
	size_t spoken, cues;
};

/* The mixed frames of a pass: measured (the first), or brought to their
 * level, limited, measured and written (the second). */
static int render_sink(struct render_job *j, float *buf, long n, bool flush)
{
	float lim[4096 * RENDER_CH];
	long k = 0;
	if (j->limiting) {
		for (long i = 0; i < n * RENDER_CH; i++)
			buf[i] *= j->gain;
		k = loudness_limiter_run(&j->limiter, buf, lim, n);
		if (flush)
			k += loudness_limiter_flush(&j->limiter, lim + k * RENDER_CH);
		buf = lim;
	} else {
		k = n;
	}
	loudness_meter_feed(j->meter, buf, k);
	if (!j->limiting || k == 0)
		return 0;
	return output_write(j->out, buf, k);
}

/* One pass through the plan, every event at its frame. The first says what
 * the engine says and counts; the second mixes the same frames again (the
 * voice from the cache the first filled). */
static int render_pass(struct render_job *j, bool first)
{
	struct engine *eng = engine_new(&j->cfg);
	/* The voice through the same cache as a session, without a thread:
	 * each line is made (or read) as the render reaches it, while the
	 * synthesiser works ahead on the rest. */
	struct speaker *voice = NULL;
	if (j->voice) {
		const struct sp_line *lines;
		size_t nlines = soundplan_lines(j->plan, &lines);
		voice = speaker_start(&j->vc, lines, nlines, RENDER_RATE, false);
	}

	/* The program's safety note first, as the session's page says it (a
	 * track played with the eyes closed has no page to read): the program
	 * begins a pause after it, every event of the plan moved by `lead`. */
	long long lead = 0;
	size_t spoken = 0;
	if (voice && j->prog->safety) {
		size_t k = speaker_aside(voice, j->prog->safety);
		struct engine_speech *note = speaker_get(voice, k);
		if (note->frames > 0) {
			lead = note->frames + (long long)(RENDER_NOTE_GAP_S * RENDER_RATE);
			spoken++;
		}
		engine_add_speech(eng, note);
		struct audio_cmd cmd = { .kind = ACMD_SPEAK, .line = k };
		engine_apply(eng, &cmd);
		if (first)
			flush_messages(eng);
	}

	/* Half a second past the end: the last chime rings out. The limiter's
	 * delay is flushed with the last block. */
	long long end = lead + frame_at(timeline_total(j->tl)) + RENDER_RATE / 2;
	size_t cursor = 0, cues = 0;
	/* With room for the limiter's flush after a block. */
	float buf[4096 * RENDER_CH];
	long long pos = 0;
	int rc = 0;
	while (pos < end) {
		/* Apply whatever is due at this frame, then render up to the
		 * next event's frame. */
		struct sp_event ev[16];
		size_t nev;
		while (pos >= lead &&
		       (nev = soundplan_events(j->plan, &cursor, (pos - lead) * PACE_US_PER_S / RENDER_RATE, ev, 16)) > 0) {
			for (size_t i = 0; i < nev; i++) {
				if (ev[i].kind == SP_EV_SPEAK) {
					struct engine_speech *line = speaker_get(voice, ev[i].line);
					spoken += line->frames > 0 && !line->breath;
					engine_add_speech(eng, line);
					struct audio_cmd cmd = { .kind = ACMD_SPEAK, .line = ev[i].line };
					engine_apply(eng, &cmd);
				} else {
					struct audio_cmd cmd = render_cmd(&ev[i]);
					engine_apply(eng, &cmd);
					cues += ev[i].kind == SP_EV_CUE;
				}
				if (first)
					flush_messages(eng);
			}
		}
		long long stop = end;
		pace_us next_us = soundplan_event_time(j->plan, cursor);
		if (next_us != INT64_MAX && lead + frame_at(next_us) < stop)
			stop = lead + frame_at(next_us);
		if (stop > pos + 2048)
			stop = pos + 2048;
		if (stop <= pos)
			stop = pos + 1;
		long n = (long)(stop - pos);
		engine_render(eng, buf, n);
		if (first)
			flush_messages(eng);
		if (voice)
			speaker_give_back(voice, engine_take_spent(eng));
		if (render_sink(j, buf, n, stop >= end) != 0) {
			char *safe = text_escape(j->outfile, strlen(j->outfile), 200);
			fprintf(stderr, "lull: %s: write failed\n", safe);
			free(safe);
			rc = 1;
			break;
		}
		pos += n;
	}
	if (voice)
		speaker_give_back(voice, engine_take_all_speech(eng));
	speaker_stop(voice, 0);
	engine_free(eng);
	j->end = end;
	j->spoken = spoken;
	j->cues = cues;
	return rc;
}

int cmd_render(int argc, char **argv)
{
	enum { OPT_CYCLES = 256, OPT_MINUTES, OPT_SOUND, OPT_CUES, OPT_NO_CUES, OPT_FOLLOW, OPT_VOICE, OPT_NO_VOICE };
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { "output", required_argument, NULL, 'o' },
		{ "cycles", required_argument, NULL, OPT_CYCLES }, { "minutes", required_argument, NULL, OPT_MINUTES },
		{ "sound", required_argument, NULL, OPT_SOUND }, { "cues", no_argument, NULL, OPT_CUES },
		{ "no-cues", no_argument, NULL, OPT_NO_CUES },
		{ "follow", no_argument, NULL, OPT_FOLLOW }, { "voice", no_argument, NULL, OPT_VOICE },
		{ "no-voice", no_argument, NULL, OPT_NO_VOICE }, { NULL, 0, NULL, 0 },
	};
	const char *outfile = NULL;
	struct sessionopts play = { 0 };
	int c, rc;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			render_help();
			return 0;
		case 'o':
			outfile = optarg;
			break;
		case OPT_CYCLES:
			if ((rc = sessionopts_cycles(&play, "render", optarg)) != 0)
				return rc;
			break;
		case OPT_MINUTES:
			if ((rc = sessionopts_minutes(&play, "render", optarg)) != 0)
				return rc;
			break;
		case OPT_SOUND:
			if ((rc = sessionopts_sound(&play, "render", optarg)) != 0)
				return rc;
			break;
		case OPT_CUES:
			play.cues = CUES_ON;
			break;
		case OPT_NO_CUES:
			play.cues = CUES_OFF;
			break;
		case OPT_FOLLOW:
			play.follow = true;
			break;
		case OPT_VOICE:
			play.voice = 1;
			break;
		case OPT_NO_VOICE:
			play.voice = -1;
			break;
		case ':':
			return usage_error("render", "option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_unknown_option("render", "", argv[optind - 1], opts);
		}
	}
	if (optind >= argc)
		return usage_error("render", "which program? (lull list shows them)");
	if (optind + 1 < argc)
		return usage_error("render", "unexpected argument '%s'", argv[optind + 1]);
	if (!outfile) {
		char formats[80];
		output_file_endings(formats, sizeof formats, RENDER_RATE, RENDER_CH);
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
	struct soundplan_cfg snd;
	sessionopts_sound_cfg(&play, &set, prog, &snd);
	snd.voice = snd.voice && voice_built();
	struct soundplan *plan = soundplan_new(tl, &snd);
	struct render_job job = {
		.plan = plan, .prog = prog, .tl = tl, .voice = snd.voice, .outfile = outfile,
		/* A file is brought to its level afterwards, whatever the master
		 * volume (volume 0 stays silence): the mix at full volume, nothing
		 * soft-limited on the way (the second pass limits the true peak). */
		.cfg = { .rate = RENDER_RATE, .channels = RENDER_CH, .volume = snd.volume > 0 ? 1 : 0, .follow = snd.follow,
		         .voice = snd.voice, .voice_volume = (float)set.voice_volume / 100.0f, .unlimited = true },
	};
	if (snd.voice)
		sessionopts_voice_cfg(&set, &job.vc);
	struct output_spec spec = { .driver = "sndfile", .file = outfile, .rate = RENDER_RATE, .channels = RENDER_CH };
	job.out = output_open(&spec, err, sizeof err);
	if (!job.out) {
		/* It quotes -o's file name: shown, never obeyed. */
		char *safe = text_escape(err, strlen(err), 300);
		fprintf(stderr, "lull: %s\n", safe);
		free(safe);
		soundplan_free(plan);
		timeline_free(tl);
		program_free(prog);
		return 1;
	}
	clock_t cpu0 = clock();
	/* Twice through the plan: measured, then written at its level. */
	struct loudness_meter before, after;
	loudness_meter_init(&before, RENDER_CH, RENDER_RATE);
	job.meter = &before;
	rc = render_pass(&job, true);
	double lufs = loudness_meter_integrated(&before);
	/* A track of silence stays silence. */
	job.gain = isfinite(lufs) ? (float)pow(10, (LOUDNESS_TARGET_LUFS - lufs) / 20) : 1;
	int passes = 1;
	while (rc == 0) {
		loudness_meter_init(&after, RENDER_CH, RENDER_RATE);
		job.meter = &after;
		const char *fmt = output_name(job.out);
		bool lossless = strcmp(fmt, "wav") == 0 || strcmp(fmt, "flac") == 0;
		loudness_limiter_init(&job.limiter, RENDER_CH, RENDER_RATE,
		                      lossless ? RENDER_CEILING_DBTP : RENDER_LOSSY_CEILING_DBTP, 0.005, 0.1);
		job.limiting = true;
		rc = render_pass(&job, false);
		loudness_limiter_free(&job.limiter);
		passes++;
		/* The limiter takes a little off where it works hard (a quiet
		 * bed and a few lines, brought up): the file is written again
		 * with that made good, once or twice. */
		double got = loudness_meter_integrated(&after);
		if (rc != 0 || !isfinite(got) || fabs(got - LOUDNESS_TARGET_LUFS) <= RENDER_LUFS_SLACK || passes > 3)
			break;
		loudness_meter_free(&after);
		job.gain *= (float)pow(10, (LOUDNESS_TARGET_LUFS - got) / 20);
		output_close(job.out);
		if (!(job.out = output_open(&spec, err, sizeof err))) {
			char *safe = text_escape(err, strlen(err), 300);
			fprintf(stderr, "lull: %s\n", safe);
			free(safe);
			rc = 1;
			loudness_meter_init(&after, RENDER_CH, RENDER_RATE);
		}
	}
	double cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
	char kind[32] = "";
	if (job.out)
		str_copy(kind, output_name(job.out), sizeof kind);
	output_close(job.out);
	if (rc == 0) {
		int secs = (int)lrint((double)job.end / RENDER_RATE);
		char said[48] = "", level[80] = "";
		if (snd.voice)
			snprintf(said, sizeof said, ", %zu spoken line%s", job.spoken, job.spoken == 1 ? "" : "s");
		double out_lufs = loudness_meter_integrated(&after);
		if (isfinite(out_lufs))
			snprintf(level, sizeof level, ", %.1f LUFS (%+.1f dB), LRA %.1f LU, %.1f dBTP", out_lufs,
			         20 * log10(job.gain), loudness_meter_range(&after), loudness_meter_true_peak(&after));
		printf("wrote %s: %d:%02d, %d Hz stereo %s, %zu cue%s%s%s, %.0fx real time\n", outfile, secs / 60,
		       secs % 60, RENDER_RATE, kind, job.cues, job.cues == 1 ? "" : "s", said, level,
		       cpu > 0 ? passes * (double)job.end / RENDER_RATE / cpu : 0.0);
	}
	loudness_meter_free(&before);
	loudness_meter_free(&after);
	soundplan_free(plan);
	timeline_free(tl);
	program_free(prog);
	return rc;
}
