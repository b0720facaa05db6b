/* plot.c - runs gnuplot on the scripts in plots/ with -e settings. */
#include "plot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "paths.h"
#include "spawn.h"

/* gnuplot strings are single-quoted: drop quotes from free text. */
static void gp_text(char *dst, size_t len, const char *src)
{
	size_t j = 0;

	for (size_t i = 0; src[i] && j + 1 < len; i++)
		dst[j++] = src[i] == '\'' ? '`' : src[i];
	dst[j] = '\0';
}

static int gnuplot(const char *script, const char *settings)
{
	char path[4096], gp[32] = "/usr/bin/gnuplot";
	char *argv[] = {gp, "-e", (char *)settings, path, NULL};
	struct sc_child c;
	static int warned;
	int r;

	if (access(gp, X_OK) != 0) {
		if (!warned++)
			fprintf(stderr, "sockcmp: gnuplot not found, so no charts (install gnuplot-nox; "
					"the README's set-up does)\n");
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/%s", sc_plots_dir(), script);
	r = sc_spawn(&c, argv, 0, NULL, NULL);
	if (r < 0)
		return r;
	if (sc_child_wait(&c, 1, sc_mono_ns() + 60 * SC_NS_PER_S, NULL) < 0) {
		sc_child_end(&c, 1, 100 * SC_NS_PER_MS);
		return -EIO;
	}
	return sc_child_code(&c) == 0 ? 0 : -EIO;
}

int sc_plot_experiment(const struct sc_experiment *e, const char *dir)
{
	char set[8192], title[SC_TEXT_MAX], tr[256] = "";
	size_t used = 0;

	for (size_t i = 0; i < e->ntransports; i++)
		used += (size_t)snprintf(tr + used, sizeof(tr) - used, "%s%s", i ? " " : "",
					 e->transports[i]->name);
	gp_text(title, sizeof(title), e->title[0] ? e->title : e->name);
	snprintf(set, sizeof(set), "events='%s/%s-events.csv'; out='%s/%s'; claim='%s'; transports='%s'",
		 dir, e->name, dir, e->name, title, tr);
	return gnuplot("boundaries.gp", set);
}
