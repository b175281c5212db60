/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "errlog.h"
#include "file.h"
#include "paths.h"

static int saved_stderr = -1;
static char *log_path;

int errlog_capture(void)
{
	if (saved_stderr >= 0)
		return 0;
	fflush(stderr);
	int fd = -1;
	char *dir = paths_make_dir(PATH_STATE);
	if (dir) {
		free(dir);
		log_path = paths_file(PATH_STATE, "lull.log");
		fd = file_open_write(log_path, O_APPEND);
	}
	if (fd < 0) {
		free(log_path);
		log_path = NULL;
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_stderr < 0 || dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

void errlog_release(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	free(log_path);
	log_path = NULL;
}

const char *errlog_path(void)
{
	return log_path;
}
