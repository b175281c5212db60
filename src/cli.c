#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("lull: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "Try 'lull %s --help' or 'lull --help'.\n", cmd);
	else
		fputs("Try 'lull --help'.\n", stderr);
	return 2;
}
