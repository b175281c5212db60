/* SPDX-License-Identifier: ISC */
/* What `lull sounds` and `lull render` do with sound (cmd_render.c reads
 * their options and the settings, and passes what is needed here). */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_sounds.h"
#include "engine.h"
#include "output.h"
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

int audio_sounds_list(bool names_only)
{
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
	return count;
}

void audio_sounds_output(const char *driver)
{
	/* Which way a session's sound goes, so a timing report can say. */
	char how[200], shown[200];
	output_describe(driver, how, sizeof how);
	text_sanitize_into(shown, sizeof shown, how);
	printf("\nSound plays through: %s\n", shown);
}

/* ------------------------------------------------------------ lull render */

enum { RENDER_RATE = AUDIO_RENDER_RATE, RENDER_CH = AUDIO_RENDER_CH };
/* The pause between the spoken safety note and the program, in render. */
#define RENDER_NOTE_GAP_S 2.0

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
		[SP_EV_CUE] = ACMD_CUE, [SP_EV_BREATH] = ACMD_BREATH,
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

/* A render under way. */
struct render {
	struct soundplan *plan;
	struct engine *eng;
	struct speaker *voice;   /* NULL: no spoken lines */
	long long lead;          /* frames before the program: the safety note */
	size_t spoken, cues;
};

/* The program's safety note first, as the session's page says it (a track
 * played with the eyes closed has no page to read): the program begins a
 * pause after it, every event of the plan moved by r->lead. */
static void render_note(struct render *r, const char *safety)
{
	size_t k = speaker_aside(r->voice, safety);
	struct engine_speech *note = speaker_get(r->voice, k);
	if (note->frames > 0) {
		r->lead = note->frames + (long long)(RENDER_NOTE_GAP_S * RENDER_RATE);
		r->spoken++;
	}
	engine_add_speech(r->eng, note);
	struct audio_cmd cmd = { .kind = ACMD_SPEAK, .line = k };
	engine_apply(r->eng, &cmd);
	flush_messages(r->eng);
}

/* Applies the events of the plan due at frame pos. */
static void render_events(struct render *r, long long pos, size_t *cursor)
{
	struct sp_event ev[16];
	size_t nev;
	while (pos >= r->lead &&
	       (nev = soundplan_events(r->plan, cursor, (pos - r->lead) * PACE_US_PER_S / RENDER_RATE, ev, 16)) > 0) {
		for (size_t i = 0; i < nev; i++) {
			if (ev[i].kind == SP_EV_SPEAK) {
				struct engine_speech *line = speaker_get(r->voice, ev[i].line);
				r->spoken += line->frames > 0 && !line->breath;
				engine_add_speech(r->eng, line);
				struct audio_cmd cmd = { .kind = ACMD_SPEAK, .line = ev[i].line };
				engine_apply(r->eng, &cmd);
			} else {
				struct audio_cmd cmd = render_cmd(&ev[i]);
				engine_apply(r->eng, &cmd);
				r->cues += ev[i].kind == SP_EV_CUE;
			}
			flush_messages(r->eng);
		}
	}
}

/* Renders up to frame end into out: 0, or 1 when a write failed (said). */
static int render_frames(struct render *r, struct output *out, long long end, const char *outfile)
{
	size_t cursor = 0;
	float buf[4096 * RENDER_CH];
	long long pos = 0;
	while (pos < end) {
		/* Apply whatever is due at this frame, then render up to the
		 * next event's frame. */
		render_events(r, pos, &cursor);
		long long stop = end;
		pace_us next_us = soundplan_event_time(r->plan, cursor);
		if (next_us != INT64_MAX && r->lead + frame_at(next_us) < stop)
			stop = r->lead + frame_at(next_us);
		if (stop > pos + 4096)
			stop = pos + 4096;
		if (stop <= pos)
			stop = pos + 1;
		long n = (long)(stop - pos);
		engine_render(r->eng, buf, n);
		flush_messages(r->eng);
		if (r->voice)
			speaker_give_back(r->voice, engine_take_spent(r->eng));
		if (output_write(out, buf, n) != 0) {
			char *safe = text_escape(outfile, strlen(outfile), 200);
			fprintf(stderr, "lull: %s: write failed\n", safe);
			free(safe);
			return 1;
		}
		pos += n;
	}
	return 0;
}

int audio_render_file(const struct audio_render_job *job)
{
	char err[256];
	struct soundplan_cfg snd = job->sound;
	snd.voice = snd.voice && voice_built();
	struct render r = { .plan = soundplan_new(job->tl, &snd) };
	struct engine_cfg cfg = { .rate = RENDER_RATE, .channels = RENDER_CH, .volume = snd.volume,
	                          .follow = snd.follow, .voice = snd.voice, .voice_volume = job->voice_volume };
	struct output_spec spec = { .driver = "sndfile", .file = job->outfile, .rate = RENDER_RATE,
	                            .channels = RENDER_CH };
	struct output *out = output_open(&spec, err, sizeof err);
	if (!out) {
		/* It quotes -o's file name: shown, never obeyed. */
		char *safe = text_escape(err, strlen(err), 300);
		fprintf(stderr, "lull: %s\n", safe);
		free(safe);
		soundplan_free(r.plan);
		return 1;
	}
	r.eng = engine_new(&cfg);
	/* The voice through the same cache as a session, without a thread:
	 * each line is made (or read) as the render reaches it, while the
	 * synthesiser works ahead on the rest. */
	if (snd.voice) {
		const struct sp_line *lines;
		size_t nlines = soundplan_lines(r.plan, &lines);
		r.voice = speaker_start(&job->voice, lines, nlines, RENDER_RATE, false);
	}
	if (r.voice && job->prog->safety)
		render_note(&r, job->prog->safety);

	/* Half a second past the end: the last chime rings out. */
	long long end = r.lead + frame_at(timeline_total(job->tl)) + RENDER_RATE / 2;
	clock_t cpu0 = clock();
	int rc = render_frames(&r, out, end, job->outfile);
	double cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
	char kind[32];
	str_copy(kind, output_name(out), sizeof kind);
	if (r.voice)
		speaker_give_back(r.voice, engine_take_all_speech(r.eng));
	speaker_stop(r.voice, 0);
	engine_free(r.eng);
	output_close(out);
	if (rc == 0) {
		int secs = (int)lrint((double)end / RENDER_RATE);
		char said[48] = "";
		if (snd.voice)
			snprintf(said, sizeof said, ", %zu spoken line%s", r.spoken, r.spoken == 1 ? "" : "s");
		printf("wrote %s: %d:%02d, %d Hz stereo %s, %zu cue%s%s, %.0fx real time\n", job->outfile, secs / 60,
		       secs % 60, RENDER_RATE, kind, r.cues, r.cues == 1 ? "" : "s", said,
		       cpu > 0 ? (double)end / RENDER_RATE / cpu : 0.0);
	}
	soundplan_free(r.plan);
	return rc;
}
