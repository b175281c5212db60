#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "paths.h"
#include "statefile.h"
#include "util.h"

/* Far more than a line of these files: a larger one is not theirs. */
#define STATEFILE_MAX 4096
/* The longest first line kept. */
#define STATEFILE_LINE_MAX 127

char *statefile_read(const char *leaf)
{
	char *path = paths_file(PATH_STATE, leaf);
	if (!path)
		return NULL;
	char *text;
	size_t len;
	int r = file_read(path, STATEFILE_MAX, &text, &len);
	free(path);
	if (r < 0)
		return NULL;
	if (len == 0) {
		free(text);
		return NULL;
	}
	size_t n = strcspn(text, "\r\n");
	text[n < STATEFILE_LINE_MAX ? n : STATEFILE_LINE_MAX] = '\0';
	return text;
}

void statefile_write(const char *leaf, const char *text)
{
	char *dir = paths_make_dir(PATH_STATE);
	if (!dir)
		return;
	char *path = xasprintf("%s/%s", dir, leaf);
	char *line = xasprintf("%s\n", text);
	/* Failure is silent (see statefile.h). */
	file_write_atomic(path, line, strlen(line), NULL);
	free(line);
	free(path);
	free(dir);
}
