/* SPDX-License-Identifier: ISC */
/* The session: a view over the terminal's one wait (tty.h). Before every
 * wait it shows what is due (the frame, the plain lines, the sound events
 * one lead ahead), and it sleeps until the next moment anything shown
 * changes (an absolute deadline on the session clock), a key, a signal or
 * the audio thread. No fixed-rate ticking: during a hold lull wakes once a
 * second, while paused not at all. With --checkin the questions before and
 * after are modes of the same view, not loops of their own. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio_names.h"
#include "banner.h"
#include "checkin.h"
#include "clock.h"
#include "dark.h"
#include "debuglog.h"
#include "errlog.h"
#include "palette.h"
#include "safety.h"
#include "safetypage.h"
#include "screen.h"
#include "session.h"
#include "sysdep.h"
#include "soundplan.h"
#include "text.h"
#include "timeline.h"
#include "tty.h"
#include "util.h"

const char session_safety_note[] = SAFETY_NOTE;

/* The general note with this program's (safety_general_note): it said "Ask
 * a health professional ..." twice on winddown's page. */
static const char *general_note(const struct program *p)
{
	return safety_general_note(p->safety);
}

enum run_mode {
	MODE_ASK_BEFORE, /* --checkin: the question before */
	MODE_SAFETY,     /* the program's safety note, on a page of its own */
	MODE_RUN,        /* the program */
	MODE_ASK_AFTER,  /* --checkin: the question after */
	MODE_DONE,
};

struct run {
	const struct session_opts *o;
	struct timeline *tl;
	struct soundplan *plan; /* what is heard when: the audio cursor walks it */
	struct audio *audio;
	struct sclock clk;
	enum run_mode mode;
	size_t cursor;          /* next timeline event to show */
	size_t audio_cursor;    /* next sound plan event to send to the audio thread */
	pace_us audio_lead;     /* sound events go this far ahead (session time) */
	pace_us audio_slack;    /* ... and may go this much further, with a
	                         * wake-up for the screen (SOUND_SLACK_NS) */
	struct screen *scr;
	bool paused, help;
	bool voice_on;          /* the `v` key's state */
	bool suspended;         /* Ctrl-Z: paused for the stop */
	bool paused_before;     /* ... and whether it was paused before it */
	char status[200];
	char last_audio_msg[160];
	bool ended;
	enum history_end end;
	int fatal_sig;          /* re-raised after cleanup, 0 if none */
	pace_us t;              /* session time of the last frame, then of the end */
	time_t started;         /* wall-clock start of the program */
	bool plain_failed;      /* plain output could not be written */
	int plain_errno;        /* why */
	bool plain_keys;        /* plain mode on a terminal: space and q work there too */
	int plain_asked;        /* plain check-in: questions printed (1 level, 2 area) */
	struct checkin_prompt ask;
	struct safety_prompt safety;
	bool note_shown;        /* the general note was on the safety page */
	struct history_entry entry;
	int banner_fd;          /* a reminder that fires shows in the status line */
	int fds[2];             /* the audio thread's wake-up and banner_fd, for the wait */
	struct tty_view view;
	int64_t lit_until;      /* the dark screen is whole until then (CLOCK_MONOTONIC ns) */
};

/* A key on the dark screen lights it for this long (real seconds, for the
 * person, whatever the time scale). */
#define DARK_LIT_NS (6 * (int64_t)1000000000)
/* Sound events may be sent this long before they must be (real time): the
 * screen changes at least once a second while anything moves, so a window
 * longer than that lets a screen wake-up carry them. */
#define SOUND_SLACK_NS 1500000000LL

static void ask(struct run *r, bool after)
{
	struct checkin_opts co = {
		.question = after ? "And now: how tense or sore do you feel, 0–10?"
				  : "How tense or sore do you feel, 0–10?",
		.ask_area = !after, /* where it hurts is asked once, before */
		.timeout_s = 60,    /* never hold a session up for long */
	};
	checkin_prompt_start(&r->ask, &co, (long)(clock_mono_ns() / 1000000));
	r->mode = after ? MODE_ASK_AFTER : MODE_ASK_BEFORE;
	r->plain_asked = 0;
}

static void plain_line(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void plain_said(struct run *r, const char *what);

/* The check-in in plain mode: the same question and the same keys as on the
 * full screen, each question printed once as a line, each answer after it. */
static void plain_ask_draw(struct run *r)
{
	const struct checkin_prompt *a = &r->ask;
	if (r->plain_asked == 0) {
		plain_line(r, "%s A number key (1 then 0 for 10); Enter skips.", a->o.question);
		r->plain_asked = 1;
	}
	if (a->asking_area && r->plain_asked == 1) {
		char keys[200] = "";
		size_t used = 0;
		for (int i = 0; i < CHECKIN_AREAS && used < sizeof keys; i++)
			used += (size_t)snprintf(keys + used, sizeof keys - used, "%s%c %s", i ? ", " : "",
						 checkin_area_keys[i], checkin_area_names[i]);
		plain_line(r, "%d. Where mostly? %s; Enter: nowhere in particular.", a->answer.level, keys);
		r->plain_asked = 2;
	}
}

/* What the plain check-in heard, as a line. */
static void plain_answered(struct run *r, enum checkin_status st)
{
	const struct checkin_answer *a = &r->ask.answer;
	if (st == CHECKIN_ANSWERED && a->area[0])
		plain_line(r, "%s.", a->area);
	else if (st == CHECKIN_ANSWERED && r->plain_asked < 2)
		plain_line(r, "%d.", a->level);
	else if (st == CHECKIN_ANSWERED)
		plain_line(r, "Nowhere in particular.");
	else if (st == CHECKIN_SKIPPED)
		plain_line(r, "Skipped.");
}

static void end_sound(struct run *r);

/* The program has ended (or never began): how, and the session time it
 * reached. Then the question after, when there is one to ask. */
static void finish(struct run *r, enum history_end end, int sig)
{
	if (r->ended)
		return;
	r->ended = true;
	r->end = end;
	r->fatal_sig = sig;
	if (r->mode == MODE_RUN) {
		r->t = end == HISTORY_FINISHED ? timeline_total(r->tl) : sclock_now(&r->clk, clock_mono_ns());
		if (r->t < 0)
			r->t = 0;
	}
	bool gone = end == HISTORY_HANGUP || sig;
	bool can_ask = !r->o->plain || r->plain_keys;
	if (r->mode == MODE_RUN && !gone && r->o->checkin && can_ask) {
		end_sound(r); /* the fade plays out before the question */
		if (!r->o->plain)
			erase();
		ask(r, true);
	} else {
		r->mode = MODE_DONE;
	}
}

/* --- audio ------------------------------------------------------------- */

static void poll_audio(struct run *r)
{
	int fd = audio_wake_fd(r->audio);
	if (fd >= 0) {
		char buf[64];
		while (read(fd, buf, sizeof buf) > 0)
			;
	}
	struct audio_snapshot snap;
	audio_snapshot(r->audio, &snap);
	if (snap.message[0] && strcmp(snap.message, r->last_audio_msg) != 0) {
		/* Several failures all show: a new one joins the last while the
		 * status line still shows it. Plain mode says each as a line
		 * (a sound's name comes from a file name: made safe). */
		if (strcmp(r->status, r->last_audio_msg) != 0)
			r->status[0] = '\0';
		str_join_message(r->status, sizeof r->last_audio_msg, snap.message);
		str_copy(r->last_audio_msg, r->status, sizeof r->last_audio_msg);
		if (r->o->plain) {
			char *safe = text_sanitize(snap.message);
			if (r->mode == MODE_RUN)
				plain_said(r, safe);
			else
				plain_line(r, "Note: %s", safe);
			free(safe);
		}
	}
}

/* A spoken line due this long ago is not started at all. */
#define SPEAK_LATE_US (PACE_US_PER_S / 4)

/* One event of the sound plan, to be heard at at_ns. */
static void sound_step(struct run *r, const struct sp_event *e, int64_t at_ns)
{
	double fade_s = (double)e->fade / PACE_US_PER_S;
	switch (e->kind) {
	case SP_EV_LAYER_ON:
		audio_layer_on(r->audio, e->name, e->volume, fade_s, at_ns);
		break;
	case SP_EV_LAYER_OFF:
		audio_layer_off(r->audio, e->name, fade_s, at_ns);
		break;
	case SP_EV_VOLUME:
		audio_set_volume(r->audio, e->volume, fade_s, at_ns);
		break;
	case SP_EV_FADE_OUT:
		audio_fade_out(r->audio, fade_s, at_ns);
		break;
	case SP_EV_CUE:
		audio_cue(r->audio, e->name, e->volume, at_ns);
		break;
	case SP_EV_BREATH:
		audio_breath(r->audio, (int)e->phase, (double)e->len / PACE_US_PER_S, at_ns);
		break;
	case SP_EV_DUCK:
		audio_duck(r->audio, fade_s, at_ns);
		break;
	case SP_EV_SPEAK:
		/* A line found due on a wake-up long after its moment (the
		 * machine was suspended) has missed it: never said late. */
		if (at_ns == AUDIO_NOW && sclock_now(&r->clk, clock_mono_ns()) - e->at > SPEAK_LATE_US)
			break;
		audio_speak(r->audio, e->line, at_ns);
		break;
	}
}

/* Sends the sound plan's events up to one lead time past t, and up to
 * audio_slack further (so that a wake-up for the screen takes them, and the
 * loop seldom wakes for sound alone), each with the moment it is to be
 * heard: the device's buffer is already mixed a lead ahead. An event already due (after a late wake-up) is sent for at once,
 * and of several breath phases (or cues) already due only the latest is
 * heard: a late wake-up rings once, not a cluster. */
static void post_audio(struct run *r, pace_us t)
{
	struct sp_event ev[32];
	size_t n;
	while ((n = soundplan_events(r->plan, &r->audio_cursor, t + r->audio_lead + r->audio_slack, ev, 32)) > 0) {
		size_t last_due_breath = n, last_due_cue = n;
		for (size_t i = 0; i < n; i++) {
			if (ev[i].kind == SP_EV_BREATH && ev[i].at <= t)
				last_due_breath = i;
			if (ev[i].kind == SP_EV_CUE && ev[i].at <= t)
				last_due_cue = i;
		}
		for (size_t i = 0; i < n; i++) {
			const struct sp_event *e = &ev[i];
			if (e->kind == SP_EV_BREATH && e->at <= t && i != last_due_breath)
				continue;
			if (e->kind == SP_EV_CUE && e->at <= t && i != last_due_cue)
				continue;
			sound_step(r, e, e->at <= t ? AUDIO_NOW : sclock_mono_at(&r->clk, e->at));
		}
	}
}

/* When the loop must next wake to send sound events: at the latest, one
 * lead before the next of them; any wake-up in the audio_slack before that
 * sends it too. */
static pace_us next_audio_post(const struct run *r)
{
	pace_us next = soundplan_event_time(r->plan, r->audio_cursor);
	return next == INT64_MAX ? next : next - r->audio_lead;
}

/* --- plain lines ------------------------------------------------------- */

/* "MM:SS" of session time; minutes run past 59 (an 8-hour night is 480:00). */
static void plain_stamp(pace_us t, char *buf, size_t size)
{
	long long s = (long long)(t / PACE_US_PER_S);
	snprintf(buf, size, "%02lld:%02lld", s / 60, s % 60);
}

/* Seconds as the plain lines show them: whole when whole, else one decimal. */
static void plain_secs(pace_us len, char *buf, size_t size)
{
	long long tenths = (long long)((len + PACE_US_PER_S / 20) / (PACE_US_PER_S / 10));
	if (tenths % 10 == 0)
		snprintf(buf, size, "%llds", tenths / 10);
	else
		snprintf(buf, size, "%lld.%llds", tenths / 10, tenths % 10);
}

static void plain_line(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void plain_line(struct run *r, const char *fmt, ...)
{
	if (r->plain_failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* EPIPE or EIO: the reader or the terminal is gone (said on
		 * stderr at the end, once stderr is ours again). */
		r->plain_errno = errno;
		r->plain_failed = true;
		finish(r, HISTORY_HANGUP, 0);
	}
}

/* --- events ------------------------------------------------------------ */

static void post_events(struct run *r, pace_us t)
{
	const struct program *p = r->o->prog;
	struct tl_event ev[32];
	size_t n;
	while ((n = timeline_events(r->tl, &r->cursor, t, ev, 32)) > 0) {
		/* After a late wake-up only the latest phase rings the bell. */
		size_t last_breath = n;
		for (size_t i = 0; i < n; i++)
			if (ev[i].kind == TL_EV_BREATH)
				last_breath = i;
		for (size_t i = 0; i < n; i++) {
			const struct tl_event *e = &ev[i];
			char stamp[32], secs[32];
			plain_stamp(e->at, stamp, sizeof stamp);
			plain_secs(e->len, secs, sizeof secs);
			switch (e->kind) {
			case TL_EV_BREATH:
				if (r->o->plain) {
					/* Briefly, for the ear: which cycle, and how long is left. */
					struct tl_state st;
					timeline_at(r->tl, e->at, &st);
					char left[32];
					timeline_format_time(timeline_total(r->tl) - e->at, left, sizeof left);
					plain_line(r, "%s %s %s, cycle %u of %u, %s left", stamp, pace_phase_word(e->phase),
						   secs, st.pace.cycle, st.pace.cycles, left);
				}
				if (i == last_breath && r->o->bell && !r->o->plain && e->at > 0)
					beep();
				break;
			case TL_EV_STEP:
				if (!r->o->plain)
					break;
				if (p->steps[e->step].kind == STEP_GUIDE) {
					char *text = text_sanitize(e->text ? e->text : "");
					plain_line(r, "%s Guide %s %s", stamp, secs, text);
					free(text);
				} else if (p->steps[e->step].kind == STEP_SILENCE) {
					plain_line(r, "%s Silence %s", stamp, secs);
				}
				break;
			case TL_EV_SAY:
				if (r->o->plain) {
					char *text = text_sanitize(e->text ? e->text : "");
					plain_line(r, "%s Say %s", stamp, text);
					free(text);
				}
				break;
			case TL_EV_CHIME:
				if (r->o->plain)
					plain_line(r, "%s Chime", stamp);
				break;
			case TL_EV_SOUND: /* heard, not shown: post_audio */
			case TL_EV_FADE:
			case TL_EV_END:
				break;
			}
		}
	}
}

/* --- the dark screen -------------------------------------------------- */

/* How far the screen has dimmed at session time t: the schedule (dark.h),
 * unless a key lit it a moment ago. */
static enum dark_level dark_level(const struct run *r, pace_us t, int64_t now)
{
	if (!r->o->dark || now < r->lit_until)
		return DARK_NONE;
	return dark_at(timeline_total(r->tl), t);
}

/* A key on a dimmed screen lights it and does nothing else (a person
 * fumbling for a key in the dark must not end the session); on a lit one
 * it keeps it lit a while longer and does what it does. True when the key
 * was only for the light. */
static bool dark_key(struct run *r)
{
	if (!r->o->dark)
		return false;
	int64_t now = clock_mono_ns();
	bool dim = dark_level(r, r->t, now) != DARK_NONE;
	r->lit_until = now + DARK_LIT_NS;
	return dim;
}

/* --- keys and the terminal ------------------------------------------ */

static void set_pause(struct run *r, bool on)
{
	if (on == r->paused)
		return;
	int64_t now = clock_mono_ns();
	if (on)
		sclock_pause(&r->clk, now);
	else
		sclock_resume(&r->clk, now);
	r->paused = on;
	audio_pause(r->audio, on);
}

static void volume_status(struct run *r)
{
	struct audio_snapshot snap;
	audio_snapshot(r->audio, &snap);
	if (snap.silent && !snap.message[0])
		snprintf(r->status, sizeof r->status, "Sound is off");
	else if (snap.muted)
		snprintf(r->status, sizeof r->status, "Muted (m to unmute)");
	else
		snprintf(r->status, sizeof r->status, "Volume %d%%", (int)(snap.volume * 100 + 0.5f));
}

/* Plain mode hears the keys too (tty_plain_keys): what they did, as a line. */
static void plain_said(struct run *r, const char *what)
{
	if (!r->o->plain)
		return;
	char stamp[32];
	plain_stamp(sclock_now(&r->clk, clock_mono_ns()), stamp, sizeof stamp);
	plain_line(r, "%s %s", stamp, what);
}

/* The `v` key: the voice on or off, said in the status line. */
static void voice_key(struct run *r)
{
	if (!r->o->sound.voice) {
		snprintf(r->status, sizeof r->status, "%s", !voice_built() ? "No voice: lull was built without one"
			 : r->o->audio.enabled ? "No voice here" : "No voice: sound is off");
	} else {
		r->voice_on = !r->voice_on;
		audio_set_voice(r->audio, r->voice_on);
		snprintf(r->status, sizeof r->status, "%s",
			 r->voice_on ? "Voice on (v turns it off)" : "Voice off (v turns it on)");
	}
	plain_said(r, r->status);
}

static void key(struct run *r, int ch)
{
	if (dark_key(r))
		return;
	if (r->help) {
		r->help = false; /* any key closes help, and does nothing more */
		return;
	}
	switch (ch) {
	case ' ':
		set_pause(r, !r->paused);
		plain_said(r, r->paused ? "Paused; space resumes, q ends" : "Resumed");
		break;
	case 'q':
	case 'Q':
	case 27: /* Esc */
		finish(r, HISTORY_QUIT, 0);
		break;
	case '?':
	case KEY_F(1):
		if (r->o->plain)
			plain_said(r, "Keys: space pause or resume, q end, + and - volume, m mute, v voice");
		else
			r->help = true;
		break;
	case '+':
	case '=':
		audio_volume_step(r->audio, +1);
		volume_status(r);
		plain_said(r, r->status);
		break;
	case '-':
	case '_':
		audio_volume_step(r->audio, -1);
		volume_status(r);
		plain_said(r, r->status);
		break;
	case 'm':
	case 'M':
		audio_toggle_mute(r->audio);
		volume_status(r);
		plain_said(r, r->status);
		break;
	case 'v':
	case 'V':
		voice_key(r);
		break;
	case 12: /* Ctrl-L */
		if (r->scr)
			screen_resized(r->scr);
		break;
	default:
		break;
	}
}

/* A reminder that fires during the session does not break into it: the
 * marker stays for the end (reminder_after), where it is said once the
 * session is over. Here the watch is only drained. */
static void take_banner(struct run *r)
{
	char buf[4096];
	while (read(r->banner_fd, buf, sizeof buf) > 0)
		;
}

/* The reminder that fired while the session ran, taken (so that it shows
 * once) into msg; false when none did. One from before the session began
 * is not this session's to tell. */
static bool reminder_after(time_t began, char *msg, size_t size)
{
	time_t when;
	if (!banner_peek(msg, size, &when) || when < began)
		return false;
	return banner_take(msg, size);
}

/* --- beginning and ending ------------------------------------------- */

/* The longest the first spoken line is waited for before the clock starts. */
#define VOICE_FIRST_WAIT_NS 2000000000LL

/* Opens the sound: the device, the plan, what it names, the voice worker
 * with the plan's lines. Once: the safety page opens it to speak its note,
 * and the program goes on with it. */
static void open_sound(struct run *r)
{
	if (r->audio)
		return;
	const struct session_opts *o = r->o;
	struct audio_options ao = o->audio;
	ao.volume = o->sound.volume;
	ao.follow = o->sound.follow;
	r->audio = audio_start(&ao);
	/* The configured layers rise from session time 0 with the rest of what
	 * is heard: one plan, the one lull render records. */
	r->plan = soundplan_new(r->tl, &o->sound);
	/* Every cue and layer the plan names is decoded or opened now, on this
	 * thread and before the clock starts: the audio thread only mixes. */
	struct audio_names names;
	audio_names_init(&names);
	audio_names_of_plan(&names, r->plan);
	audio_prepare(r->audio, names.cues, names.layers);
	/* The voice worker makes the lines ready ahead of their moments. */
	r->voice_on = o->audio.voice;
	if (o->sound.voice) {
		const struct sp_line *lines;
		size_t nlines = soundplan_lines(r->plan, &lines);
		audio_voice(r->audio, &o->voice, lines, nlines);
	}
}

/* Opens the sound (unless the safety page did) and starts the session
 * clock: the program begins. */
static void begin(struct run *r)
{
	const struct session_opts *o = r->o;
	open_sound(r);
	/* With a cold cache the first lines are still being made: what starts
	 * within the first second past one lead is waited for (a moment: a
	 * line is made some 40 times faster than it is said), lest the program
	 * open with a skipped line. The mix runs a lead ahead of the ear (2 s
	 * through a sound server), so a line must be there a lead before it is
	 * heard: sped up (LULL_TIME_SCALE), that lead holds several lines. */
	int64_t lead_ns = audio_lead_ns(r->audio);
	pace_us wanted = PACE_US_PER_S + (pace_us)((double)lead_ns * clock_scale(o->audio.time_scale) / 1000.0);
	if (o->sound.voice && r->voice_on &&
	    !audio_voice_ready(r->audio, wanted, clock_mono_ns() + VOICE_FIRST_WAIT_NS))
		debug_log("voice: the first lines are not ready after %d ms; the session starts",
		          (int)(VOICE_FIRST_WAIT_NS / 1000000));
	if (o->audio_note)
		str_copy(r->status, o->audio_note, sizeof r->status);
	poll_audio(r);
	r->started = time(NULL);
	/* Session time 0 is as soon from now as sound can be heard (sound has
	 * a buffer to cross, the screen does not), so that the first phase's
	 * chime is heard as its word appears; sound events go one lead ahead
	 * (the buffer), so that they are mixed in time. Silent, both are 0. */
	sclock_init(&r->clk, clock_mono_ns() + audio_quick_ns(r->audio), o->audio.time_scale);
	r->audio_lead = (pace_us)((double)lead_ns * r->clk.scale / 1000.0);
	r->audio_slack = (pace_us)((double)SOUND_SLACK_NS * r->clk.scale / 1000.0);
	size_t n = 0;
	if (audio_wake_fd(r->audio) >= 0)
		r->fds[n++] = audio_wake_fd(r->audio);
	if (r->banner_fd >= 0)
		r->fds[n++] = r->banner_fd;
	r->view.nfds = n;
	r->mode = MODE_RUN;
}

/* A normal end lets the closing fade play out of the device's buffer; a
 * hang-up or a signal does not wait for it. */
static void end_sound(struct run *r)
{
	if (!r->audio)
		return;
	audio_stop(r->audio, r->end == HISTORY_HANGUP || r->fatal_sig ? 50 : 800);
	r->audio = NULL;
	r->fds[0] = r->banner_fd;
	r->view.nfds = r->banner_fd >= 0;
}

/* --- the view ------------------------------------------------------- */

/* The last thing before the first step: the program's safety note on its
 * page (see safety.h), or the program itself. */
static void before_program(struct run *r)
{
	const struct session_opts *o = r->o;
	if (!o->safety_page || !o->prog->safety || o->plain || (!o->safety_wait && o->safety_seconds <= 0)) {
		begin(r);
		return;
	}
	/* The general note joins the program's on the page, rather than
	 * standing dim under the first steps. */
	r->note_shown = o->show_safety;
	safety_prompt_start(&r->safety, o->prog, o->show_safety ? general_note(o->prog) : NULL, o->safety_wait,
			    o->safety_seconds, clock_mono_ns());
	/* The voice reads the page to a person whose eyes are closed (the
	 * sound opens here for it; the program's own sounds wait for the
	 * clock, which does not run while the page stands). */
	const char *speech = safety_prompt_speech(&r->safety);
	if (speech && o->sound.voice && o->audio.voice) {
		open_sound(r);
		audio_say(r->audio, speech, AUDIO_NOW);
	}
	r->mode = MODE_SAFETY;
}

/* The safety page has an answer. */
static void safety_answered(struct run *r, enum safety_status st, const struct tty_event *ev)
{
	switch (st) {
	case SAFETY_GO:
		if (r->safety.wait)
			safety_mark_seen(r->o->prog);
		erase();
		if (r->audio)
			audio_hush(r->audio); /* the page's words end with it */
		begin(r);
		break;
	case SAFETY_QUIT:
		finish(r, HISTORY_QUIT, 0);
		break;
	case SAFETY_HANGUP:
		finish(r, HISTORY_HANGUP, 0);
		break;
	case SAFETY_INTERRUPTED:
		finish(r, ev->sig == SIGHUP ? HISTORY_HANGUP : HISTORY_SIGNAL, ev->sig);
		break;
	case SAFETY_SHOWING:
		break;
	}
}

/* The question before or after has its answer (or none). */
static void answered(struct run *r, enum checkin_status st, const struct tty_event *ev)
{
	if (st == CHECKIN_ANSWERED) {
		if (r->mode == MODE_ASK_AFTER) {
			r->entry.tension_after = r->ask.answer.level;
		} else {
			r->entry.tension_before = r->ask.answer.level;
			str_copy(r->entry.area, r->ask.answer.area, sizeof r->entry.area);
		}
	}
	if (r->mode == MODE_ASK_AFTER) {
		/* A signal during the question still ends lull as that signal. */
		if (st == CHECKIN_INTERRUPTED)
			r->fatal_sig = ev->sig;
		r->mode = MODE_DONE;
		return;
	}
	/* Before: a skip or q just starts the session; a hang-up or a signal
	 * ends it before it began. */
	if (st == CHECKIN_HANGUP) {
		finish(r, HISTORY_HANGUP, 0);
	} else if (st == CHECKIN_INTERRUPTED) {
		finish(r, ev->sig == SIGHUP ? HISTORY_HANGUP : HISTORY_SIGNAL, ev->sig);
	} else {
		if (!r->o->plain)
			erase(); /* the session screen starts from a blank page */
		before_program(r);
	}
}

static void draw_frame(struct run *r)
{
	pace_us t = sclock_now(&r->clk, clock_mono_ns());
	r->t = t;
	if (!r->paused) {
		post_events(r, t);
		post_audio(r, t);
	}
	if (r->ended)
		return;
	if (r->o->plain) {
		if (t >= timeline_total(r->tl)) {
			char stamp[32];
			plain_stamp(timeline_total(r->tl), stamp, sizeof stamp);
			plain_line(r, "%s Done", stamp);
			finish(r, HISTORY_FINISHED, 0);
		}
		return;
	}
	/* Before 0 the first sound is on its way (see begin): the first
	 * phase appears with it, not before. */
	struct tl_state st;
	timeline_at(r->tl, t < 0 ? 0 : t, &st);
	enum dark_level dark = dark_level(r, t, clock_mono_ns());
	if (dark != DARK_NONE)
		r->help = false; /* the light went out on it */
	struct screen_info info = {
		.paused = r->paused, .help = r->help, .status = r->status,
		.safety = r->o->show_safety && !r->note_shown ? general_note(r->o->prog) : NULL, .dark = dark,
	};
	if (t >= 0 || r->paused)
		screen_draw(r->scr, &st, &info);
	if (st.done)
		finish(r, HISTORY_FINISHED, 0);
}

static bool view_draw(void *ctx)
{
	struct run *r = ctx;
	if (r->mode == MODE_RUN)
		draw_frame(r);
	if (r->mode == MODE_ASK_BEFORE || r->mode == MODE_ASK_AFTER) {
		if (r->o->plain)
			plain_ask_draw(r);
		else
			checkin_prompt_draw(&r->ask);
	}
	if (r->mode == MODE_SAFETY)
		safety_prompt_draw(&r->safety);
	return r->mode != MODE_DONE;
}

/* Sleep until the next visible change or sound event (an absolute
 * deadline); paused: until something happens. */
static int64_t view_deadline(void *ctx)
{
	struct run *r = ctx;
	if (r->mode == MODE_SAFETY)
		return safety_prompt_deadline(&r->safety);
	if (r->mode != MODE_RUN)
		return checkin_prompt_deadline(&r->ask);
	/* A lit dark screen goes dim again, paused or not. */
	int64_t lit = r->o->dark && r->lit_until > clock_mono_ns() ? r->lit_until : TTY_NO_DEADLINE;
	if (r->paused)
		return lit;
	pace_us next;
	if (r->o->plain) {
		next = timeline_event_time(r->tl, r->cursor);
	} else if (r->t < 0) {
		next = 0;
	} else {
		struct tl_view v;
		screen_view(r->scr, &v);
		next = timeline_next_change(r->tl, r->t, &v);
	}
	pace_us sound = next_audio_post(r);
	if (sound < next)
		next = sound;
	if (r->o->dark) {
		pace_us d = dark_next(timeline_total(r->tl), r->t);
		if (d < next)
			next = d;
	}
	int64_t at = next == INT64_MAX ? TTY_NO_DEADLINE : sclock_mono_at(&r->clk, next);
	return lit < at ? lit : at;
}

static bool view_handle(void *ctx, const struct tty_event *ev)
{
	struct run *r = ctx;
	if (r->mode != MODE_RUN) {
		if (ev->kind == TTY_FD && ev->fd == r->banner_fd) {
			take_banner(r);
			return true;
		}
		if (r->mode == MODE_SAFETY) {
			enum safety_status ss = safety_prompt_event(&r->safety, ev, clock_mono_ns());
			if (ss != SAFETY_SHOWING)
				safety_answered(r, ss, ev);
			return r->mode != MODE_DONE;
		}
		enum checkin_status st = checkin_prompt_event(&r->ask, ev, (long)(clock_mono_ns() / 1000000));
		if (st != CHECKIN_ASKING && r->o->plain)
			plain_answered(r, st);
		if (st != CHECKIN_ASKING)
			answered(r, st, ev);
		return r->mode != MODE_DONE;
	}
	switch (ev->kind) {
	case TTY_KEY:
		key(r, ev->key);
		break;
	case TTY_FATAL:
		finish(r, ev->sig == SIGHUP ? HISTORY_HANGUP : HISTORY_SIGNAL, ev->sig);
		break;
	case TTY_HANGUP:
		finish(r, HISTORY_HANGUP, 0);
		break;
	case TTY_SUSPEND:
		/* Stopped, the session holds still: its clock and its sound. */
		if (!r->suspended) {
			r->suspended = true;
			r->paused_before = r->paused;
		}
		set_pause(r, true);
		break;
	case TTY_RESUME:
		if (r->suspended) {
			r->suspended = false;
			set_pause(r, r->paused_before);
		}
		if (r->scr)
			screen_resized(r->scr); /* the terminal may have changed meanwhile */
		break;
	case TTY_RESIZE:
		if (r->scr)
			screen_resized(r->scr);
		break;
	case TTY_FD:
		if (ev->fd == r->banner_fd)
			take_banner(r);
		else
			poll_audio(r);
		break;
	case TTY_DEADLINE:
		break; /* the next frame is due: view_draw */
	}
	return r->mode != MODE_DONE;
}

/* --- the whole session ------------------------------------------------- */

/* "MM:SS" of seconds, for a message (a static buffer). */
static const char *stamp_of(double s)
{
	static char buf[32];
	plain_stamp((pace_us)(s * PACE_US_PER_S), buf, sizeof buf);
	return buf;
}

static void fill_entry(const struct run *r, struct history_entry *e, time_t start)
{
	const struct session_opts *o = r->o;
	memset(e, 0, sizeof *e);
	e->start = start;
	struct tm tm;
	if (localtime_r(&start, &tm))
		e->utc_offset_s = tm.tm_gmtoff;
	str_copy(e->program, o->prog->name ? o->prog->name : "", sizeof e->program);
	e->planned_s = (double)timeline_total(r->tl) / PACE_US_PER_S;
	pace_us t = r->t < 0 ? 0 : r->t;
	if (t > timeline_total(r->tl))
		t = timeline_total(r->tl);
	e->actual_s = (double)t / PACE_US_PER_S;
	e->end = r->end;
	size_t used = 0;
	for (size_t i = 0; i < o->sound.nlayers; i++) {
		int k = snprintf(e->sounds + used, sizeof e->sounds - used, "%s%s", i ? "," : "",
				 o->sound.layers[i].name);
		if (k < 0 || (size_t)k >= sizeof e->sounds - used)
			break;
		used += (size_t)k;
	}
	e->tension_before = -1;
	e->tension_after = -1;
}

int session_run(const struct session_opts *o)
{
	char err[256];
	struct run run;
	memset(&run, 0, sizeof run);
	struct run *r = &run;
	r->o = o;
	r->banner_fd = -1;
	r->tl = timeline_new(o->prog, err, sizeof err);
	if (!r->tl) {
		fprintf(stderr, "lull: %s: %s\n", o->prog->name ? o->prog->name : "program", err);
		return 1;
	}
	/* Phase words are due to the millisecond: ask the kernel not to
	 * coalesce our wake-ups (the default slack is 50 us), rather than
	 * waking early and spinning. */
	sys_timer_slack_min();
	if (tty_signals_init() < 0) {
		fprintf(stderr, "lull: cannot set up signals: %s\n", strerror(errno));
		timeline_free(r->tl);
		return 1;
	}
	fill_entry(r, &r->entry, time(NULL));

	if (o->plain) {
		if (o->plain_why && o->plain_why[0])
			fprintf(stderr, "lull: %s\n", o->plain_why);
		char len[32];
		timeline_format_time(timeline_total(r->tl), len, sizeof len);
		char *title = text_sanitize(o->prog->title ? o->prog->title : o->prog->name);
		/* On a terminal the keys work as on the full screen, unechoed. */
		r->plain_keys = tty_plain_keys();
		plain_line(r, "lull: %s (%s). %s", title, len,
			   r->plain_keys ? "Space pauses, q ends, ? keys." : "Ctrl-C ends.");
		free(title);
		if (o->prog->safety) {
			char *safety = text_sanitize(o->prog->safety);
			plain_line(r, "Safety: %s", safety);
			free(safety);
		}
		if (o->show_safety)
			plain_line(r, "Note: %s", general_note(o->prog));
		if (o->audio_note)
			plain_line(r, "Note: %s", o->audio_note);
	}

	/* Library chatter on stderr goes to the log from here on, before the
	 * sound device opens and curses takes the terminal. */
	errlog_capture();
	if (!o->plain) {
		errno = 0;
		if (!tty_open()) {
			/* After tty_can_curses() said yes, what is left is the
			 * system: no file to spare for the terminal's description
			 * (ulimit -n), no memory. Named, with the way around it. */
			int e = errno;
			errlog_release();
			/* (curses' own errno is often that of its last try, not
			 * the cause: only these are sure to be it.) */
			bool sure = e == EMFILE || e == ENFILE || e == ENOMEM;
			fprintf(stderr, "lull: cannot start the full screen%s%s%s; use --plain\n",
			        sure ? " (" : "", sure ? strerror(e) : "", sure ? ")" : "");
			timeline_free(r->tl);
			return 1;
		}
		struct screen_opts so = { .color = o->color, .utf8 = tty_utf8(),
					  .eighths = tty_eighth_blocks(), .title = o->prog->title ? o->prog->title : o->prog->name };
		r->scr = screen_new(&so);
		r->banner_fd = banner_watch();
	}
	r->fds[0] = r->banner_fd;
	r->view = (struct tty_view){ .draw = view_draw, .deadline = view_deadline, .handle = view_handle,
				     .fds = r->fds, .nfds = r->banner_fd >= 0 };
	/* Plain mode asks only where someone can answer (a terminal): a
	 * prompt in a log would hold up a session that nobody is watching. */
	if (r->ended) {
		/* The title could not be written: nothing to run for. */
	} else if (o->checkin && (!o->plain || r->plain_keys)) {
		ask(r, false);
	} else {
		before_program(r);
	}
	if (!r->ended)
		tty_run(&r->view, r);

	/* Restore the terminal, silence the sound, then write the history. */
	bool gone = r->end == HISTORY_HANGUP;
	if (r->scr) {
		screen_free(r->scr);
		r->scr = NULL;
		tty_close();
	}
	tty_plain_keys_off();
	end_sound(r);
	if (r->banner_fd >= 0)
		close(r->banner_fd);
	struct history_entry entry;
	fill_entry(r, &entry, r->started ? r->started : time(NULL));
	entry.tension_before = r->entry.tension_before;
	entry.tension_after = r->entry.tension_after;
	str_copy(entry.area, r->entry.area, sizeof entry.area);
	/* Told after the terminal is ours again (not to the log, which may
	 * be on the disk that just failed), and the exit status says so. */
	char record[1100];
	int saved = history_save(&entry, record, sizeof record, err, sizeof err);
	errlog_release();
	int status = 0;
	if (r->plain_failed) {
		fprintf(stderr, "lull: cannot write to standard output (%s); the session ended at %s\n",
		        strerror(r->plain_errno), stamp_of(entry.actual_s));
		status = 1;
	}
	if (saved != 0) {
		fprintf(stderr, "lull: this session was not recorded: %s\n", err);
		if (saved < 0)
			fprintf(stderr, "lull: to keep it, add this line to your history.tsv:\n%s", record);
		status = 1;
	}

	/* Ctrl-C (or a polite SIGTERM) ends with the same words as q; a
	 * hang-up has nobody to tell. */
	bool told = !gone && (!r->fatal_sig || r->fatal_sig == SIGINT || r->fatal_sig == SIGTERM);
	if (!o->plain && told) {
		char done[32], total[32];
		timeline_format_time((pace_us)(entry.actual_s * PACE_US_PER_S + 0.5), done, sizeof done);
		timeline_format_time(timeline_total(r->tl), total, sizeof total);
		char *name = text_sanitize(o->prog->name);
		if (r->end == HISTORY_FINISHED)
			printf("lull: %s finished (%s). Rest well.\n", name, total);
		else
			printf("lull: %s ended after %s of %s.\n", name, done, total);
		free(name);
		fflush(stdout);
	}
	if (o->plain && (r->end == HISTORY_SIGNAL || r->end == HISTORY_QUIT)) {
		char stamp[32];
		plain_stamp(r->t, stamp, sizeof stamp);
		plain_line(r, "%s Stopped", stamp);
	}
	char reminder[160];
	if (told && reminder_after(entry.start, reminder, sizeof reminder)) {
		if (o->plain)
			plain_line(r, "A reminder came during the session: %s", reminder);
		else
			printf("lull: a reminder came during the session: %s\n", reminder);
		fflush(stdout);
	}
	soundplan_free(r->plan);
	timeline_free(r->tl);
	if (r->fatal_sig)
		tty_reraise(r->fatal_sig);
	return status;
}
