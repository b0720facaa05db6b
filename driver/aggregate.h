/* aggregate.h - per sweep point and transport: the mean of each measure
 * over the trials, with its 95 % confidence interval (shared/stats.h). */
#ifndef SC_AGGREGATE_H
#define SC_AGGREGATE_H

#include "json.h"
#include "rows.h"
#include "script.h"

/* The measures aggregated, in column order. */
enum sc_measure { SC_M_DELIVERED_PCT, SC_M_LOST_PCT, SC_M_DUPLICATED, SC_M_REORDERED,
		  SC_M_DURATION_MS, SC_M_RETRANS, SC_M_LAT_P50_MS, SC_M_LAT_P99_MS, SC_M_RECV_CALLS,
		  /* issue 9's modes */
		  SC_M_RECV_MPS, SC_M_RECV_GBPS, SC_M_SENT_MPS, SC_M_SENT_GBPS, SC_M_RT_PER_S,
		  SC_M_LAT_P50_US, SC_M_LAT_P90_US, SC_M_LAT_P99_US, SC_M_LAT_P999_US, SC_M_LAT_MAX_US,
		  SC_M_US_PER_CONN, SC_M_PORTS_IN_USE,
		  /* the servers mode: the server's process tree */
		  SC_M_SERVER_PROCS, SC_M_SERVER_THREADS, SC_M_SERVER_FDS, SC_M_SERVER_ZOMBIES,
		  SC_M_COUNT };

/* The value of measure m in row w (pure). */
double sc_measure_of(const struct sc_row *w, enum sc_measure m);

/* Writes DIR/NAME-aggregate.csv: experiment, transport, the swept parameter
 * (or "point" if none), its numeric value, trials, then MEASURE_mean and
 * MEASURE_ci95 for every measure, and with a sweep x_UNIT: the swept value in
 * its parameter's one unit (units.h; x keeps the script's number). Failed trials are left out. Returns 0 or
 * -errno. */
int sc_aggregate_write(const struct sc_experiment *e, const struct sc_rows *r, const char *path);

/* The same means and CIs as an array "aggregates" in the open object of j,
 * keys with their unit (duplicated_msgs_mean, lat_p50_ms_ci95); with a
 * sweep, "x" is the swept value in sc_sweep_unit(param). Returns 0 or
 * -ENOMEM (j's own errors stay in j). */
int sc_aggregate_json(const struct sc_experiment *e, const struct sc_rows *r, struct sc_json *j);

#endif
