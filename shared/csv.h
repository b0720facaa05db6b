/* csv.h - RFC 4180 CSV files, written whole or not at all.
 *
 * The writer writes to a temporary file nobody else can name or plant
 * (outfile.h) and renames it to PATH on commit, so a reader (or an
 * interrupted run) never sees a half-written file. Fields
 * holding a comma, a double quote, CR or LF are quoted, quotes doubled;
 * rows end with CRLF as RFC 4180 says. */
#ifndef SC_CSV_H
#define SC_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outfile.h"

struct sc_csv {
	FILE *fp;      /* writes to a duplicate of out.fd */
	struct sc_outfile out;
	size_t fields; /* fields written in the current row */
	int error;     /* first error seen (-errno), reported by commit */
};

/* Opens a temporary file beside path. Returns 0 or -errno. */
int sc_csv_open(struct sc_csv *c, const char *path);

/* Appends one field to the current row (NULL writes an empty field). */
void sc_csv_field(struct sc_csv *c, const char *s);
void sc_csv_u64(struct sc_csv *c, uint64_t v);
void sc_csv_i64(struct sc_csv *c, int64_t v);
void sc_csv_f64(struct sc_csv *c, double v, int decimals);
/* Ends the current row. */
void sc_csv_end_row(struct sc_csv *c);

/* Flushes, fsyncs, closes and renames into place. Returns 0 or the first
 * -errno met while writing (then nothing is renamed and the temporary file
 * is removed). Frees c's resources either way. */
int sc_csv_commit(struct sc_csv *c);

/* Closes and removes the temporary file; PATH is left as it was. */
void sc_csv_abort(struct sc_csv *c);

/* Writes one field, quoted if needed, into buf. Returns the length it
 * needs (excluding the NUL), like snprintf. */
size_t sc_csv_quote(const char *s, char *buf, size_t len);

/* Splits one CSV record (without its line ending) in place: unquotes
 * fields, stores up to max pointers into fields. Returns the number of
 * fields, or -EINVAL for a malformed record (unbalanced quote, text after
 * a closing quote), -E2BIG if it has more than max fields. */
int sc_csv_split(char *line, char **fields, int max);

#endif
