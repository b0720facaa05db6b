/* plot.h - drawing charts by running the gnuplot scripts in plots/. */
#ifndef SC_PLOT_H
#define SC_PLOT_H

#include <stddef.h>

#include "rows.h"
#include "script.h"

/* Checks that charts can be drawn in dir: its real path (realpath, so
 * absolute) is stored in real, and neither dir nor that path may hold a
 * newline, since gnuplot would not take them as plain file names. Call it
 * before running anything (a refusal is a usage error). Returns 0, or
 * -EINVAL (refused) or -errno with one line in err. */
int sc_plot_dir_check(const char *dir, char *real, size_t len, char *err, size_t errlen);

/* Draws DIR/NAME.png and .svg (and the other charts of the experiment's
 * kind) from its CSV files in dir, each chart whole or not at all.
 * Returns 0, -ENOENT if gnuplot is missing (message printed once, no
 * charts but nothing lost), -EINVAL if dir was refused, or -EIO / -errno
 * if a chart was not written (said on stderr). */
/* Narrows e's transports to those DIR/NAME.csv has rows for (a run made
 * with -t), so a redrawn chart's legend lists only what was measured.
 * Leaves e as it is when the file cannot be read or names none of them.
 * Cannot fail. */
void sc_plot_narrow(struct sc_experiment *e, const char *dir);

int sc_plot_experiment(const struct sc_experiment *e, const char *dir);

/* Runs plots/SCRIPT on DIR/IN (`gnuplot -c SCRIPT DIR/IN - - EXTRA...`)
 * and writes DIR/OUT.png and DIR/OUT.svg, each whole or not at all. For
 * charts outside an experiment (the revision sheet, probe charts).
 * Returns as sc_plot_experiment. */
int sc_plot_script(const char *script, const char *dir, const char *in, const char *out,
		   const char *const *extra, int nextra);

#endif
