/* schema.h - one column schema per CSV file kind, used by the file's
 * writer and by its readers alike.
 *
 * A schema is a table of columns: name, type, unit, and where the value
 * lives in the record struct the file is made of (an offset, or a getter
 * and a setter for values that are derived). Writers write a header and
 * rows from records; readers map a file's header onto the schema by name
 * (columns may come in any order, unknown ones are ignored, missing ones
 * leave the record's field zero) and fill records back. Columns are only
 * ever added to a schema, never renamed or dropped (README.md). */
#ifndef SC_SCHEMA_H
#define SC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

enum sc_coltype {
	SC_COL_U64,  /* uint64_t member */
	SC_COL_I64,  /* int64_t member */
	SC_COL_BOOL, /* bool member, written 0 or 1 */
	SC_COL_STR,  /* char[size] member */
	SC_COL_F64,  /* double member, written with `decimals` digits */
};

/* One value on its way between a record and a CSV field. */
struct sc_value {
	bool present; /* false: an empty field */
	uint64_t u;
	int64_t i;
	double f;
	const char *s;
};

struct sc_column {
	const char *name;   /* NULL: named by the caller (the swept parameter) */
	enum sc_coltype type;
	const char *unit;   /* "ns", "us", "ms", "bytes", "msgs", "calls", "" */
	size_t off;         /* where the member is, when get/set are NULL */
	size_t size;        /* SC_COL_STR: the member's size */
	size_t has;         /* 1 + offset of a bool saying "present", 0: always */
	int decimals;       /* SC_COL_F64 */
	/* Derived columns: ctx is the writer's context (may be NULL). A NULL
	 * set means the column is written but never read back. */
	void (*get)(const void *rec, const void *ctx, struct sc_value *v);
	void (*set)(void *rec, const struct sc_value *v);
};

struct sc_schema {
	const char *kind; /* the file kind, for messages: "summary", "rows" */
	const struct sc_column *cols;
	size_t n;
};

/* Column initialisers for plain members of struct T. */
#define SC_U64(T, nm, unit, m) {nm, SC_COL_U64, unit, offsetof(T, m), 0, 0, 0, NULL, NULL}
#define SC_I64(T, nm, unit, m) {nm, SC_COL_I64, unit, offsetof(T, m), 0, 0, 0, NULL, NULL}
#define SC_BOOL(T, nm, m) {nm, SC_COL_BOOL, "", offsetof(T, m), 0, 0, 0, NULL, NULL}
#define SC_STR(T, nm, m) {nm, SC_COL_STR, "", offsetof(T, m), sizeof(((T *)0)->m), 0, 0, NULL, NULL}
/* A u64 member that may be absent (empty field) as bool member h says. */
#define SC_U64_OPT(T, nm, unit, m, h) \
	{nm, SC_COL_U64, unit, offsetof(T, m), 0, offsetof(T, h) + 1, 0, NULL, NULL}
/* A derived column. */
#define SC_DERIVED(nm, type, unit, dec, get, set) {nm, type, unit, 0, 0, 0, dec, get, set}

/* Reads column c of record rec (with the writer's context ctx). */
void sc_schema_get(const struct sc_column *c, const void *rec, const void *ctx, struct sc_value *v);

/* Parses text as column c's type and stores it into rec. Empty text sets
 * "absent" (and zero). Malformed numbers read as 0; never fails. */
void sc_schema_set(const struct sc_column *c, void *rec, const char *text);

/* The header row: every column's name; the unnamed column is called swept,
 * and left out when swept is NULL. */
void sc_schema_write_header(struct sc_csv *csv, const struct sc_schema *s, const char *swept);

/* One row from rec; the unnamed column is left out when swept is NULL. */
void sc_schema_write_row(struct sc_csv *csv, const struct sc_schema *s, const void *rec,
			 const void *ctx, const char *swept);

/* Formats column c of rec as the writer would (for comparisons). */
void sc_schema_format(const struct sc_column *c, const void *rec, const void *ctx, char *buf,
		      size_t len);

/* A file's header mapped onto a schema: at[i] is the field index of column
 * i in the file's records, or -1 if the file has no such column. */
struct sc_schema_map {
	const struct sc_schema *s;
	int *at;
	int nfields; /* fields per record, from the header */
};

/* Maps header (one record, split in place) onto s. Returns 0, -EINVAL if
 * the header is not CSV, or -ENOMEM. */
int sc_schema_map(struct sc_schema_map *m, const struct sc_schema *s, const char *swept, char *header);
void sc_schema_map_free(struct sc_schema_map *m);

/* True if the file has column name. */
bool sc_schema_has(const struct sc_schema_map *m, const char *name);

/* Splits record in place and fills rec from it (rec's other members are
 * left as they were). Returns 0, -EINVAL if the record is not CSV or has
 * not as many fields as the header, or -ENOMEM. */
int sc_schema_parse(const struct sc_schema_map *m, char *record, void *rec);

/* Splits one record in place into a newly allocated array of fields, as
 * many as it has. Returns the number of fields (*fields to free), -EINVAL
 * or -ENOMEM. */
int sc_csv_split_all(char *record, char ***fields);

/* Reads a whole (small) file into a NUL-terminated buffer. Returns 0 or
 * -errno; *len may be NULL. */
int sc_read_file(const char *path, char **out, size_t *len);

/* Cuts the next CSV record off *p (quotes respected, CRLF or LF ends it),
 * NUL-terminates it and advances *p. Returns NULL at the end. */
char *sc_next_record(char **p);

#endif
