/* plot_data.h - the figures sockcmp plot computes from CSV files before
 * handing them to gnuplot. Pure functions of the files' text, so that
 * the fuzz targets can feed them anything. */
#ifndef SC_PLOT_DATA_H
#define SC_PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads a NAME-messages.csv text (modified in place) and collects, for
 * each of the nt transports, the one-way latencies (latency_ns) of trial
 * 1's first copies (kind "new" or "reordered"); if param is not NULL, only
 * rows whose column param holds value. Columns are found by their header
 * names, so added columns do not matter; rows that do not parse are
 * skipped. On success lat[t] (malloc'd, may be NULL when n[t] is 0; free
 * each) and n[t] are filled. Returns 0, -EINVAL if the header lacks a
 * needed column, or -ENOMEM (then nothing is left to free). */
int sc_plot_latencies(char *text, const char *const *transports, size_t nt, const char *param,
		      const char *value, int64_t **lat, size_t *n);

/* Reads a run's NAME.csv text (modified in place) and sets present[t] for
 * each of the nt transports that has at least one row (column
 * "transport"), so a chart's legend names only the transports the run had
 * (`sockcmp run -t` narrows a script's list). Rows that do not parse are
 * skipped. Returns how many transports are present, or -EINVAL if the
 * text has no header with a transport column. */
int sc_plot_transports_present(char *text, const char *const *transports, size_t nt, bool *present);

/* Charts of per-message data show at most this many points per line. */
#define SC_PLOT_MAX_POINTS 2000

/* Thins a sorted run of n values (a CDF) to at most max points (max >= 2):
 * writes the indices to keep, ascending, into idx (room for max), always
 * the first and the last, evenly spaced in rank between, so the curve's
 * shape and both ends survive. Returns how many (n itself if n <= max). */
size_t sc_plot_thin(size_t n, size_t max, size_t *idx);

#endif
