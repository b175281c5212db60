/* SPDX-License-Identifier: ISC */
/* A guided program built by hand and run through the real session loop, so
 * the end-to-end tests can show guided steps before the catalog exists.
 * Usage: session_driver [--plain] */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "session.h"
#include "tty.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	struct step st[8];
	memset(st, 0, sizeof st);
	size_t n = 0;
	st[n].kind = STEP_GUIDE;
	st[n].u.guide.text = "Raise your shoulders toward your ears and hold them there, breathing in";
	st[n++].u.guide.seconds = 5;
	st[n].kind = STEP_GUIDE;
	st[n].u.guide.text = "Let them drop. Notice the difference";
	st[n++].u.guide.seconds = 15;
	st[n].kind = STEP_SAY;
	st[n++].u.say = "Breathe into your belly";
	st[n].kind = STEP_CHIME;
	n++;
	st[n].kind = STEP_BREATHE;
	st[n].u.breathe.from = (struct pace_pattern){ { 4, 0, 6, 0 } };
	st[n].u.breathe.to = st[n].u.breathe.from;
	st[n++].u.breathe.cycles = 2;
	st[n].kind = STEP_SILENCE;
	st[n++].u.guide.seconds = 5;
	struct program p = { .name = "driver", .title = "Shoulder release", .tags = TAG_TENSION,
			     .steps = st, .nsteps = n };

	struct session_opts o;
	memset(&o, 0, sizeof o);
	o.prog = &p;
	char why[160];
	o.plain = (argc > 1 && strcmp(argv[1], "--plain") == 0) || !tty_can_curses(why, sizeof why);
	o.color = true;
	o.audio.enabled = false;
	o.audio.time_scale = clock_scale_from_env();
	return session_run(&o);
}
