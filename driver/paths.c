/* paths.c - locating the driver's companions. */
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sc_bin_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return 0;
}

const char *sc_experiments_dir(void)
{
	const char *e = getenv("SOCKCMP_EXPERIMENTS");

	return e && *e ? e : SC_SOURCE_DIR "/experiments";
}

const char *sc_plots_dir(void)
{
	const char *e = getenv("SOCKCMP_PLOTS");

	return e && *e ? e : SC_SOURCE_DIR "/plots";
}

void sc_script_path(const char *arg, char *buf, size_t len)
{
	struct stat st;

	if (stat(arg, &st) == 0 || strchr(arg, '/') || strstr(arg, ".exp"))
		snprintf(buf, len, "%s", arg);
	else
		snprintf(buf, len, "%s/%s.exp", sc_experiments_dir(), arg);
}

int sc_mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}
