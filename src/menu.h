/* SPDX-License-Identifier: ISC */
/* The menu of `lull` alone: programs grouped by what they are for (Sleep,
 * Tension, Breathing, Stretch; a program stands under each of its tags),
 * with their length, a mark for the default and for your own, and what
 * they are; arrows or j/k move, Enter starts, q or Esc leaves. The program
 * used last is preselected. */
#ifndef LULL_MENU_H
#define LULL_MENU_H

#include "settings.h"

/* Runs the menu on the terminal (tty_can_curses() must be true). Returns the
 * chosen program's name (the caller frees) or NULL when none was chosen.
 * A hang-up exits; SIGTERM/SIGINT restore the terminal and re-raise. */
char *menu_choose(const struct settings *set);

/* The name of the program started last ($XDG_STATE_HOME/lull/last-program),
 * or NULL. The caller frees. */
char *menu_last_used(void);

#endif
