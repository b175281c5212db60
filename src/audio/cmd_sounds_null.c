/* SPDX-License-Identifier: ISC */
/* `lull sounds` and `lull render` in a lull built with --without-audio. */
#include "config.h"

#include <stdio.h>

#include "commands.h"

static int not_built(const char *cmd)
{
	fprintf(stderr, "lull: %s: sound was not built into this lull (./configure --without-audio)\n", cmd);
	return 1;
}

int cmd_sounds(int argc, char **argv)
{
	return not_built(argv[0]);
}

int cmd_render(int argc, char **argv)
{
	return not_built(argv[0]);
}
