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

int sc_self_path(const char *bin_dir, char *buf, size_t len)
{
	int n;

	if (!*bin_dir)
		return -EINVAL; /* not "/sockcmp" */
	n = snprintf(buf, len, "%s/sockcmp", bin_dir);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The folder holding experiments/ and plots/: the source tree when this
 * is the build's own bin/, else SC_DATA_REL from the binary's folder (the
 * installed layout, wherever the prefix was moved). Computed once. */
static const char *data_dir(void)
{
	static char dir[PATH_MAX];
	char bin[PATH_MAX];

	if (dir[0])
		return dir;
	if (sc_bin_dir(bin, sizeof(bin)) < 0 || strcmp(bin, SC_BUILD_BIN_DIR) == 0 ||
	    snprintf(dir, sizeof(dir), "%s/%s", bin, SC_DATA_REL) >= (int)sizeof(dir))
		snprintf(dir, sizeof(dir), "%s", SC_SOURCE_DIR);
	return dir;
}

/* $VAR if set and not empty, else DATA/sub, in buf. */
static const char *data_path(const char *var, const char *sub, char *buf, size_t len)
{
	const char *e = getenv(var);

	if (e && *e)
		return e;
	snprintf(buf, len, "%s/%s", data_dir(), sub);
	return buf;
}

const char *sc_experiments_dir(void)
{
	static char buf[PATH_MAX];

	return data_path("SOCKCMP_EXPERIMENTS", "experiments", buf, sizeof(buf));
}

const char *sc_plots_dir(void)
{
	static char buf[PATH_MAX];

	return data_path("SOCKCMP_PLOTS", "plots", buf, sizeof(buf));
}

const char *sc_examples_dir(void)
{
	static char buf[PATH_MAX];

	return data_path("SOCKCMP_EXAMPLES", "examples/lecture", buf, sizeof(buf));
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
