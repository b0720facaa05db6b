/* export.h - an experiment's results as one JSON document, DIR/NAME.json:
 * the experiment and its settings, every row and the aggregates, keys
 * carrying their unit. The rows are written through the per-run CSV's
 * column schema (rows.c), so the JSON and the CSV cannot drift apart. */
#ifndef SC_EXPORT_H
#define SC_EXPORT_H

#include "json.h"
#include "rows.h"
#include "script.h"

/* The JSON key of a CSV column: its name, with "_UNIT" appended when the
 * schema gives it a unit the name does not already end with ("lost" ->
 * "lost_msgs", "lat_p50_us" stays). Writes into buf; returns buf. */
const char *sc_export_key(const char *name, const char *unit, char *buf, size_t len);

/* v as the CSV writes it with that many decimals ("%.*f"), as a number:
 * the JSON's rows carry exactly the CSV's values. */
double sc_export_round(double v, int decimals);

/* Builds the document for e and its rows into j (opened by the caller).
 * With dir, each row also gets read_sizes_bytes: the size of every data
 * read, from DIR/NAME-events.csv (left out if that cannot be read; short
 * of the whole when recv_events_dropped is above 0). Returns 0 or the
 * first error (-ENOMEM). */
int sc_export_json(const struct sc_experiment *e, const struct sc_rows *r, const char *dir, struct sc_json *j);

/* Writes DIR/NAME.json whole or not at all (as the CSV files). With
 * text not NULL, *text gets a copy of the document to print (free it).
 * Returns 0 or -errno. */
int sc_export_json_write(const struct sc_experiment *e, const struct sc_rows *r, const char *dir,
			 char **text);

#endif
