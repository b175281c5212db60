/* SPDX-License-Identifier: ISC */
/* Where sounds are found, in this order: the user's folder
 * ($XDG_DATA_HOME/lull/sounds), then the built-ins: $LULL_SOUNDS_DIR if set,
 * else $(pkgdatadir)/sounds. Nothing points into the build tree: an
 * uninstalled lull is given its sounds through $LULL_SOUNDS_DIR (make check,
 * tools/dev.sh run). A name with a '/' is a path. */
#ifndef LULL_SOUNDPATH_H
#define LULL_SOUNDPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "soundplan.h"

/* The extensions tried for a bare name, in order. */
extern const char *const soundpath_exts[];

/* The built-in sounds directory (never NULL; static storage or environment). */
const char *soundpath_builtin_dir(void);
/* True when the built-in directory is not there (lull not installed yet). */
bool soundpath_builtin_missing(void);
/* The user's sounds directory; the caller frees; NULL without HOME/XDG. */
char *soundpath_user_dir(void);

/* Resolves a name ("rain", "rain.flac", "./my.ogg") to an existing file.
 * Returns a malloc'd path or NULL. */
char *soundpath_find(const char *name);

/* Whether soundpath_find finds name. When not, err says so for the person,
 * with the loop of the closest name ("no such sound; did you mean 'rain'?
 * ('lull sounds' lists the loops)"); the caller puts the name before it.
 * The one wording of --sound, the config's sounds and a program's sound
 * steps. */
bool soundpath_known(const char *name, char *err, size_t errsize);

/* True if the file name has one of the extensions above (case-insensitive). */
bool soundpath_is_sound(const char *file);

/* A layer's volume: decimal digits with at most one '.', from 0 to 1 ("0.6",
 * "1", ".25"). Nothing else: no sign, exponent or blank (strtod skipped
 * leading blanks, tabs too, and a tab then reached the history's sounds). */
bool soundpath_parse_volume(const char *s, float *volume);

/* A layer as the command line and the settings name it: "NAME" or
 * "NAME:VOLUME" with VOLUME from 0 to 1 (default 0.6). False when it is not
 * of that form or the name does not fit in n bytes. */
bool soundpath_parse_layer(const char *arg, char *name, size_t n, float *volume);

/* The settings' list of layers, "rain:0.6, brown": items separated by commas
 * or spaces, each parsed as above; an item that does not parse is left out.
 * Fills at most max; returns how many. */
size_t soundpath_parse_layers(const char *list, struct soundplan_layer *out, size_t max);

#endif
