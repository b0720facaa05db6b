/* report.h - the side-by-side table on the terminal (or in Markdown). */
#ifndef SC_REPORT_H
#define SC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "rows.h"
#include "script.h"

/* Prints one line per row of trial 1 (every sweep point), with the read
 * sizes, boundaries and the reliability counters; markdown selects a
 * Markdown table. */
void sc_report_table(FILE *f, const struct sc_experiment *e, const struct sc_rows *r, bool markdown);

/* "kept", "not kept" or "truncated" for a row. */
const char *sc_report_boundaries(const struct sc_row *w);

#endif
