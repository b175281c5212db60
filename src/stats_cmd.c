#include "config.h"

#include <stdio.h>

#include "commands.h"

int cmd_stats(int argc, char **argv)
{
	fprintf(stderr, "lull: %s: not written yet\n", argv[0]);
	return 1;
}

int cmd_checkin(int argc, char **argv)
{
	fprintf(stderr, "lull: %s: not written yet\n", argv[0]);
	return 1;
}

