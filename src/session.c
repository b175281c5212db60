/* The session loop. One thread, one poll: the terminal, the signal pipe and
 * the audio thread's wake-up pipe, with a time-out equal to the next moment
 * anything shown changes (an absolute deadline on the session clock). No
 * fixed-rate ticking: during a hold lull wakes once a second, while paused
 * not at all. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "banner.h"
#include "checkin.h"
#include "clock.h"
#include "errlog.h"
#include "screen.h"
#include "session.h"
#include "timeline.h"
#include "tty.h"
#include "util.h"

const char session_safety_note[] =
	"lull is not medical advice. Move gently; stop anything that hurts. "
	"Ask a health professional about pain that is new, severe or changing.";

struct run {
	const struct session_opts *o;
	struct timeline *tl;
	struct audio *audio;
	struct sclock clk;
	size_t cursor;          /* next timeline event to show */
	size_t audio_cursor;    /* next timeline event to send to the audio thread */
	pace_us audio_lead;     /* sound events go this far ahead (session time) */
	struct screen *scr;
	bool paused, help;
	char status[200];
	char last_audio_msg[160];
	bool ended;
	enum history_end end;
	int fatal_sig;          /* re-raised after cleanup, 0 if none */
	pace_us t;              /* session time of the last frame */
	bool plain_failed;      /* plain output could not be written */
};

void session_checkin(const struct session_opts *o, struct history_entry *e, bool after)
{
	/* Full screen only: plain mode is for logs and screen readers, and a
	 * prompt there would hold up a session that nobody is watching. */
	if (!o->checkin || o->plain || !tty_open())
		return;
	struct checkin_opts co = {
		.question = after ? "And now: how tense or sore do you feel, 0–10?"
				  : "How tense or sore do you feel, 0–10?",
		.ask_area = !after, /* where it hurts is asked once, before */
		.wake_fd = tty_signal_fd(),
		.timeout_s = 60,    /* never hold a session up for long */
	};
	checkin_palette(&co, o->color);
	struct checkin_answer a;
	/* A signal or a hang-up ends the prompt; the session loop (or the
	 * caller, after) then reads the same signal pipe and acts on it. */
	enum checkin_status st = checkin_ask(&co, &a);
	erase(); /* the session screen starts from a blank page */
	if (st != CHECKIN_ANSWERED)
		return;
	if (after) {
		e->tension_after = a.level;
	} else {
		e->tension_before = a.level;
		str_copy(e->area, a.area, sizeof e->area);
	}
}

static void finish(struct run *r, enum history_end end, int sig)
{
	if (r->ended)
		return;
	r->ended = true;
	r->end = end;
	r->fatal_sig = sig;
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
		str_copy(r->last_audio_msg, snap.message, sizeof r->last_audio_msg);
		str_copy(r->status, snap.message, sizeof r->status);
	}
}

static void sound_step(struct run *r, const struct step *st, int64_t at_ns)
{
	const struct step_sound *s = &st->u.sound;
	switch (s->action) {
	case SOUND_LAYER_ON:
		if (s->name)
			audio_layer_on(r->audio, s->name, s->volume, s->fade_s, at_ns);
		break;
	case SOUND_LAYER_OFF:
		if (s->name)
			audio_layer_off(r->audio, s->name, s->fade_s, at_ns);
		break;
	case SOUND_VOLUME:
		audio_set_volume(r->audio, s->volume, s->fade_s, at_ns);
		break;
	case SOUND_FADE_OUT:
		audio_fade_out(r->audio, s->fade_s, at_ns);
		break;
	}
}

static bool is_sound_event(const struct tl_event *e)
{
	return e->kind == TL_EV_BREATH || e->kind == TL_EV_CHIME || e->kind == TL_EV_SOUND
		|| e->kind == TL_EV_FADE;
}

/* Moves the audio cursor over events that make no sound, so that the next
 * one is a sound (and the loop wakes for it, not for a line of text). */
static void skip_silent_events(struct run *r)
{
	struct tl_event e;
	for (size_t c = r->audio_cursor; timeline_events(r->tl, &c, INT64_MAX, &e, 1) == 1; r->audio_cursor = c)
		if (is_sound_event(&e))
			break;
}

/* Sends the sound events up to one lead time past t, each with the moment it
 * is to be heard: the device's buffer is already mixed that far ahead. An
 * event already due (after a late wake-up) is sent for at once, and of
 * several breath phases already due only the latest is cued. */
static void post_audio(struct run *r, pace_us t)
{
	const struct program *p = r->o->prog;
	struct tl_event ev[32];
	size_t n;
	while ((n = timeline_events(r->tl, &r->audio_cursor, t + r->audio_lead, ev, 32)) > 0) {
		size_t last_due_breath = n;
		for (size_t i = 0; i < n; i++)
			if (ev[i].kind == TL_EV_BREATH && ev[i].at <= t)
				last_due_breath = i;
		for (size_t i = 0; i < n; i++) {
			const struct tl_event *e = &ev[i];
			int64_t at_ns = e->at <= t ? AUDIO_NOW : sclock_mono_at(&r->clk, e->at);
			switch (e->kind) {
			case TL_EV_BREATH:
				if (e->at > t || i == last_due_breath)
					audio_breath(r->audio, (int)e->phase, (double)e->len / PACE_US_PER_S, at_ns);
				break;
			case TL_EV_CHIME:
				audio_cue(r->audio, e->text, at_ns);
				break;
			case TL_EV_SOUND:
				sound_step(r, &p->steps[e->step], at_ns);
				break;
			case TL_EV_FADE:
				audio_fade_out(r->audio, (double)e->len / PACE_US_PER_S, at_ns);
				break;
			default:
				break;
			}
		}
	}
	skip_silent_events(r);
}

/* When the loop must next wake to send sound events. */
static pace_us next_audio_post(const struct run *r)
{
	pace_us next = timeline_event_time(r->tl, r->audio_cursor);
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
		/* EPIPE or EIO: the reader or the terminal is gone. */
		r->plain_failed = true;
		finish(r, HISTORY_HANGUP, 0);
	}
}

/* Guide text in a plain line: control characters never pass. */
static void clean_text(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (; in && *in && n + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;
		out[n++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	out[n] = '\0';
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
			char stamp[32], secs[32], text[400];
			plain_stamp(e->at, stamp, sizeof stamp);
			plain_secs(e->len, secs, sizeof secs);
			switch (e->kind) {
			case TL_EV_BREATH:
				if (r->o->plain)
					plain_line(r, "%s %s %s", stamp, pace_phase_word(e->phase), secs);
				if (i == last_breath && r->o->bell && !r->o->plain && e->at > 0)
					beep();
				break;
			case TL_EV_STEP:
				if (!r->o->plain)
					break;
				if (p->steps[e->step].kind == STEP_GUIDE) {
					clean_text(e->text, text, sizeof text);
					plain_line(r, "%s Guide %s %s", stamp, secs, text);
				} else if (p->steps[e->step].kind == STEP_SILENCE) {
					plain_line(r, "%s Silence %s", stamp, secs);
				}
				break;
			case TL_EV_SAY:
				if (r->o->plain) {
					clean_text(e->text, text, sizeof text);
					plain_line(r, "%s Say %s", stamp, text);
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

/* --- the loops --------------------------------------------------------- */

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

static void key(struct run *r, int ch)
{
	if (r->help && ch != ERR) {
		r->help = false; /* any key closes help */
		if (ch == '?')
			return;
	}
	switch (ch) {
	case ' ':
		set_pause(r, !r->paused);
		break;
	case 'q':
	case 'Q':
	case 27: /* Esc */
		finish(r, HISTORY_QUIT, 0);
		break;
	case '?':
	case KEY_F(1):
		r->help = true;
		break;
	case '+':
	case '=':
		audio_volume_step(r->audio, +1);
		volume_status(r);
		break;
	case '-':
	case '_':
		audio_volume_step(r->audio, -1);
		volume_status(r);
		break;
	case 'm':
	case 'M':
		audio_toggle_mute(r->audio);
		volume_status(r);
		break;
	case 12: /* Ctrl-L */
		screen_resized(r->scr);
		break;
	default:
		break;
	}
}

/* Reads the keys there are. curses turns a read() of 0 into ERR, which looks
 * like a time-out: when poll said readable and nothing came, look again. */
static void read_keys(struct run *r)
{
	int got = 0, ch;
	while ((ch = getch()) != ERR) {
		got++;
		key(r, ch);
		if (r->ended)
			return;
	}
	if (got)
		return;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	if (poll(&p, 1, 0) < 0)
		return;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
		finish(r, HISTORY_HANGUP, 0);
		return;
	}
	if (p.revents & POLLIN) {
		unsigned char c;
		ssize_t k = read(STDIN_FILENO, &c, 1);
		if (k <= 0 && !(k < 0 && (errno == EINTR || errno == EAGAIN)))
			finish(r, HISTORY_HANGUP, 0); /* end of file or EIO */
		else if (k == 1)
			ungetch(c);
	}
}

static void handle_signals(struct run *r)
{
	int sig;
	bool winch = false, tstp = false, cont = false;
	while ((sig = tty_next_signal()) != 0) {
		switch (sig) {
		case SIGTERM:
		case SIGINT:
			finish(r, HISTORY_SIGNAL, sig);
			break;
		case SIGHUP:
			finish(r, HISTORY_HANGUP, SIGHUP);
			break;
		case SIGWINCH:
			winch = true;
			break;
		case SIGTSTP:
			tstp = true;
			break;
		case SIGCONT:
			cont = true;
			break;
		default:
			break;
		}
	}
	if (r->ended)
		return;
	/* SIGCONT comes right after SIGHUP when the terminal goes: look first. */
	if ((cont || winch) && !r->o->plain && tty_fd_hung_up(STDIN_FILENO)) {
		finish(r, HISTORY_HANGUP, 0);
		return;
	}
	if (tstp) {
		bool was = r->paused;
		set_pause(r, true);
		if (r->o->plain) {
			tty_reraise(SIGTSTP);
			tty_signals_init();
		} else {
			tty_suspend();
		}
		set_pause(r, was);
		winch = !r->o->plain;
	}
	if ((winch || cont) && !r->o->plain) {
		tty_resize();
		screen_resized(r->scr);
	}
}

static struct timespec ns_to_ts(int64_t ns)
{
	if (ns < 0)
		ns = 0;
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000), .tv_nsec = (long)(ns % 1000000000) };
	return ts;
}


static void take_banner(struct run *r, int watch_fd)
{
	char buf[4096];
	while (read(watch_fd, buf, sizeof buf) > 0)
		;
	char msg[160];
	if (banner_take(msg, sizeof msg))
		snprintf(r->status, sizeof r->status, "Reminder: %s", msg);
}

static void loop_curses(struct run *r)
{
	struct pollfd fds[4];
	int nfds = 2;
	fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = tty_signal_fd(), .events = POLLIN };
	int afd = audio_wake_fd(r->audio);
	int afd_at = -1, wfd_at = -1;
	if (afd >= 0) {
		afd_at = nfds;
		fds[nfds++] = (struct pollfd){ .fd = afd, .events = POLLIN };
	}
	/* A reminder that fires during the session shows in the status line. */
	int wfd = banner_watch();
	if (wfd >= 0) {
		wfd_at = nfds;
		fds[nfds++] = (struct pollfd){ .fd = wfd, .events = POLLIN };
	}
	unsigned empty_wakes = 0;

	while (!r->ended) {
		pace_us t = sclock_now(&r->clk, clock_mono_ns());
		r->t = t;
		if (!r->paused) {
			post_events(r, t);
			post_audio(r, t);
		}
		/* Before 0 the first sound is on its way (see session_run):
		 * the first phase appears with it, not before. */
		bool started = t >= 0 || r->paused;
		pace_us shown = t < 0 ? 0 : t;
		struct tl_state st;
		timeline_at(r->tl, shown, &st);
		struct screen_info info = {
			.paused = r->paused, .help = r->help, .status = r->status,
			.safety = r->o->show_safety ? session_safety_note : NULL,
		};
		if (started)
			screen_draw(r->scr, &st, &info);
		if (st.done) {
			finish(r, HISTORY_FINISHED, 0);
			break;
		}
		/* Sleep until the next visible change (an absolute deadline), a
		 * key, a signal or the audio thread; paused: until one of those. */
		struct timespec ts, *tsp = NULL;
		if (!r->paused) {
			struct tl_view v;
			screen_view(r->scr, &v);
			pace_us next = started ? timeline_next_change(r->tl, shown, &v) : 0;
			pace_us sound = next_audio_post(r);
			if (sound < next)
				next = sound;
			ts = ns_to_ts(sclock_mono_at(&r->clk, next) - clock_mono_ns());
			tsp = &ts;
		}
		int n = ppoll(fds, (nfds_t)nfds, tsp, NULL);
		if (n < 0) {
			if (errno != EINTR)
				finish(r, HISTORY_HANGUP, 0);
			continue;
		}
		if (n == 0) {
			empty_wakes = 0;
			continue;
		}
		if (fds[1].revents & POLLIN)
			handle_signals(r);
		if (r->ended)
			break;
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			finish(r, HISTORY_HANGUP, 0);
			break;
		}
		if (fds[0].revents & POLLIN)
			read_keys(r);
		if (afd_at >= 0 && fds[afd_at].revents)
			poll_audio(r);
		if (wfd_at >= 0 && fds[wfd_at].revents)
			take_banner(r, wfd);
		/* Belt and braces against a spinning loop: a terminal that keeps
		 * waking us with nothing to read is gone. */
		if (fds[0].revents && !(fds[1].revents & POLLIN)) {
			if (++empty_wakes > 1000)
				finish(r, HISTORY_HANGUP, 0);
		}
	}
	if (wfd >= 0)
		close(wfd);
}

static void loop_plain(struct run *r)
{
	struct pollfd fds[2];
	int nfds = 1;
	fds[0] = (struct pollfd){ .fd = tty_signal_fd(), .events = POLLIN };
	if (isatty(STDOUT_FILENO)) /* events 0: only hang-up and errors */
		fds[nfds++] = (struct pollfd){ .fd = STDOUT_FILENO, .events = 0 };

	while (!r->ended) {
		pace_us t = sclock_now(&r->clk, clock_mono_ns());
		r->t = t;
		post_events(r, t);
		post_audio(r, t);
		if (r->ended)
			break;
		if (t >= timeline_total(r->tl)) {
			char stamp[32];
			plain_stamp(timeline_total(r->tl), stamp, sizeof stamp);
			plain_line(r, "%s Done", stamp);
			finish(r, HISTORY_FINISHED, 0);
			break;
		}
		pace_us next = timeline_event_time(r->tl, r->cursor);
		pace_us sound = next_audio_post(r);
		if (sound < next)
			next = sound;
		struct timespec ts = ns_to_ts(sclock_mono_at(&r->clk, next) - clock_mono_ns());
		int n = ppoll(fds, (nfds_t)nfds, &ts, NULL);
		if (n < 0) {
			if (errno != EINTR)
				finish(r, HISTORY_HANGUP, 0);
			continue;
		}
		if (fds[0].revents & POLLIN)
			handle_signals(r);
		if (nfds > 1 && (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)))
			finish(r, HISTORY_HANGUP, 0);
	}
}

/* --- the whole session ------------------------------------------------- */

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
	for (size_t i = 0; i < o->nlayers; i++) {
		int k = snprintf(e->sounds + used, sizeof e->sounds - used, "%s%s", i ? "," : "",
				 o->layers[i].name);
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
	r->tl = timeline_new(o->prog, err, sizeof err);
	if (!r->tl) {
		fprintf(stderr, "lull: %s: %s\n", o->prog->name ? o->prog->name : "program", err);
		return 1;
	}
	/* Phase words are due to the millisecond: ask the kernel not to
	 * coalesce our wake-ups (the default slack is 50 us), rather than
	 * waking early and spinning. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (tty_signals_init() < 0) {
		fprintf(stderr, "lull: cannot set up signals: %s\n", strerror(errno));
		timeline_free(r->tl);
		return 1;
	}

	struct history_entry entry;
	fill_entry(r, &entry, time(NULL));
	session_checkin(o, &entry, false);
	int before = entry.tension_before;

	if (o->plain) {
		if (o->plain_why && o->plain_why[0])
			fprintf(stderr, "lull: %s\n", o->plain_why);
		char len[32];
		timeline_format_time(timeline_total(r->tl), len, sizeof len);
		plain_line(r, "lull: %s (%s). Ctrl-C ends.",
			   o->prog->title ? o->prog->title : o->prog->name, len);
		if (o->show_safety)
			plain_line(r, "Note: %s", session_safety_note);
		if (o->audio_note)
			plain_line(r, "Note: %s", o->audio_note);
	}

	/* Library chatter on stderr goes to the log from here on; the audio
	 * device opens now, before curses takes the terminal. */
	errlog_capture();
	r->audio = audio_start(&o->audio);
	for (size_t i = 0; i < o->nlayers; i++)
		audio_layer_on(r->audio, o->layers[i].name, o->layers[i].volume, 3.0, AUDIO_NOW);
	int64_t lead_ns = audio_lead_ns(r->audio);
	if (o->audio_note)
		str_copy(r->status, o->audio_note, sizeof r->status);
	poll_audio(r);

	time_t started = time(NULL);
	if (!o->plain) {
		if (!tty_open()) {
			/* Cannot happen after tty_can_curses() said yes; be plain anyway. */
			errlog_release();
			fprintf(stderr, "lull: cannot start the full screen; use --plain\n");
			audio_stop(r->audio, 300);
			timeline_free(r->tl);
			return 1;
		}
		struct screen_opts so = { .color = o->color, .utf8 = tty_utf8(),
					  .title = o->prog->title ? o->prog->title : o->prog->name };
		r->scr = screen_new(&so);
	}
	/* Session time 0 is one audio lead from now, so that the first
	 * phase's chime is heard as its word appears (sound has a buffer to
	 * cross, the screen does not). Silent, the lead is 0. */
	sclock_init(&r->clk, clock_mono_ns() + lead_ns, o->audio.time_scale);
	r->audio_lead = (pace_us)((double)lead_ns * r->clk.scale / 1000.0);
	skip_silent_events(r);
	if (o->plain)
		loop_plain(r);
	else
		loop_curses(r);

	/* The session time at the very end (frozen if paused). */
	r->t = sclock_now(&r->clk, clock_mono_ns());
	if (r->end == HISTORY_FINISHED)
		r->t = timeline_total(r->tl);

	/* Restore the terminal, silence the sound, then write the history. */
	bool gone = r->end == HISTORY_HANGUP;
	if (r->scr) {
		screen_free(r->scr);
		r->scr = NULL;
		tty_close();
	}
	/* A normal end lets the closing fade play out of the device's buffer;
	 * a hang-up or a signal does not wait for it. */
	audio_stop(r->audio, gone || r->fatal_sig ? 50 : 800);
	r->audio = NULL;
	char area[sizeof entry.area];
	str_copy(area, entry.area, sizeof area);
	fill_entry(r, &entry, started);
	entry.tension_before = before;
	str_copy(entry.area, area, sizeof entry.area);
	if (!gone && !r->fatal_sig && o->checkin && !o->plain) {
		session_checkin(o, &entry, true);
		tty_close();
		/* A signal during the question still ends lull as that signal. */
		for (int sig; (sig = tty_next_signal()) != 0;)
			if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
				r->fatal_sig = sig;
	}
	if (history_append(&entry, err, sizeof err) != 0)
		fprintf(stderr, "lull: history not written: %s\n", err); /* to the log */
	errlog_release();

	if (!o->plain && !gone && !r->fatal_sig) {
		char done[32], total[32];
		timeline_format_time((pace_us)(entry.actual_s * PACE_US_PER_S + 0.5), done, sizeof done);
		timeline_format_time(timeline_total(r->tl), total, sizeof total);
		if (r->end == HISTORY_FINISHED)
			printf("lull: %s finished (%s). Rest well.\n", o->prog->name, total);
		else
			printf("lull: %s ended after %s of %s.\n", o->prog->name, done, total);
		fflush(stdout);
	}
	if (o->plain && r->end == HISTORY_SIGNAL) {
		char stamp[32];
		plain_stamp(r->t, stamp, sizeof stamp);
		plain_line(r, "%s Stopped", stamp);
	}
	timeline_free(r->tl);
	if (r->fatal_sig)
		tty_reraise(r->fatal_sig);
	return 0;
}
