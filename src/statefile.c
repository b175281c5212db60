#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "statefile.h"
#include "util.h"

char *statefile_read(const char *leaf)
{
	char *path = paths_file(PATH_STATE, leaf);
	if (!path)
		return NULL;
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	char buf[128];
	char *line = fgets(buf, sizeof buf, f) ? xstrdup(buf) : NULL;
	fclose(f);
	if (line)
		line[strcspn(line, "\r\n")] = '\0';
	return line;
}

void statefile_write(const char *leaf, const char *text)
{
	char *dir = paths_make_dir(PATH_STATE);
	if (!dir)
		return;
	char *path = xasprintf("%s/%s", dir, leaf);
	char *tmp = xasprintf("%s/.%s.%ld", dir, leaf, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		bool ok = write_all(fd, text, strlen(text)) == 0 && write_all(fd, "\n", 1) == 0 &&
			  fsync(fd) == 0;
		if (close(fd) == 0 && ok)
			ok = rename(tmp, path) == 0;
		if (!ok)
			unlink(tmp);
	}
	free(tmp);
	free(path);
	free(dir);
}
