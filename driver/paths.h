/* paths.h - where the driver finds its programs, scripts and plots. */
#ifndef SC_PATHS_H
#define SC_PATHS_H

#include <stddef.h>

/* Directory holding this executable (and the paired programs). */
int sc_bin_dir(char *buf, size_t len);

/* The driver's own executable in bin_dir (bin_dir/sockcmp), which the
 * probes, helpers and guests run. Returns 0, -EINVAL for an empty
 * bin_dir, or -ENAMETOOLONG if it does not fit in len (nothing is run
 * under a cut-off name). */
int sc_self_path(const char *bin_dir, char *buf, size_t len);

/* Shipped experiments: $SOCKCMP_EXPERIMENTS, else the source tree's when
 * run from the build tree, else the installed share/sockcmp/experiments. */
const char *sc_experiments_dir(void);

/* gnuplot scripts: $SOCKCMP_PLOTS, else as for experiments (plots/). */
const char *sc_plots_dir(void);

/* The lecture's own programs' sources (the Python ones run from there):
 * $SOCKCMP_EXAMPLES, else as for experiments (examples/lecture/). */
const char *sc_examples_dir(void);

/* Resolves a script argument: an existing path as is, else a shipped
 * experiment's name ("boundaries" -> DIR/boundaries.exp). */
void sc_script_path(const char *arg, char *buf, size_t len);

/* mkdir -p. Returns 0 or -errno. */
int sc_mkdirs(const char *path);

#endif
