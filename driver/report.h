/* report.h - the side-by-side table on the terminal (or in Markdown), the
 * warnings that go with it, and a run's NAME-SUMMARY.md. */
#ifndef SC_REPORT_H
#define SC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "losses.h"
#include "rows.h"
#include "script.h"

/* Prints one line per row of trial 1 (every sweep point) and per failed
 * row of any trial, with the read sizes, boundaries, the reliability
 * counters and where the losses happened (link drop, host drop), then a
 * line saying which trials are shown; markdown selects a Markdown table. */
void sc_report_table(FILE *f, const struct sc_experiment *e, const struct sc_rows *r, bool markdown);

/* Prints the warning that the receiving host dropped datagrams and the
 * note that latencies include scheduling delay, each only if it applies
 * (l may be NULL: load unknown). */
void sc_report_notes(FILE *f, const struct sc_rows *r, const struct sc_load *l, bool markdown);

/* Reads the host's load before a run (after false: also fills ncpu) or
 * after it. */
void sc_report_load(struct sc_load *l, bool after);

/* Writes DIR/NAME-SUMMARY.md for one run: title, warnings, table, and each
 * row's losses split between link and host. Whole or not at all. Returns
 * 0 or -errno. */
int sc_report_summary(const char *dir, const struct sc_experiment *e, const struct sc_rows *r,
		      const struct sc_load *l);

/* "kept", "not kept" or "truncated" for a row. */
const char *sc_report_boundaries(const struct sc_row *w);

/* The servers mode's table (report_servers.c), in place of the one above. */
void sc__report_servers(FILE *f, const struct sc_experiment *e, const struct sc_rows *r, bool markdown);

#endif
