#include "config.h"

#include <stdio.h>

#include "commands.h"

int cmd_list(int argc, char **argv)
{
	fprintf(stderr, "lull: %s: not written yet\n", argv[0]);
	return 1;
}

int cmd_show(int argc, char **argv)
{
	fprintf(stderr, "lull: %s: not written yet\n", argv[0]);
	return 1;
}

int cmd_check(int argc, char **argv)
{
	fprintf(stderr, "lull: %s: not written yet\n", argv[0]);
	return 1;
}

