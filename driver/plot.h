/* plot.h - drawing charts by running the gnuplot scripts in plots/. */
#ifndef SC_PLOT_H
#define SC_PLOT_H

#include "rows.h"
#include "script.h"

/* Draws DIR/NAME.png and .svg for experiment e from its CSV files in dir:
 * the boundaries chart for every experiment. Returns 0, -ENOENT if
 * gnuplot is missing (message printed once), or -EIO if gnuplot failed. */
int sc_plot_experiment(const struct sc_experiment *e, const char *dir);

#endif
