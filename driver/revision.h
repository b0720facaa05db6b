/* revision.h - the exam-revision sheet: the sample exam answer's thirteen
 * differences between stream and datagram sockets, each judged from the
 * figures measured in one run of `sockcmp lecture`.
 *
 * Two halves. The pure half (revision.c) turns the run's CSV files, given
 * as text, into rows: the exam answer's words, sockcmp's plain wording, the
 * measured figures, a verdict and a one-line reason; a row whose figures
 * are missing says so and has no verdict. The writing half
 * (revision_out.c) reads the CSV files of a results folder and writes
 * revision.md, revision.html (self-contained: inline CSS, charts as
 * base64 data: URIs) and revision.png (one printable page, drawn by
 * plots/revision.gp). */
#ifndef SC_REVISION_H
#define SC_REVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One CSV file of the run, parsed: a header and rows of cells. */
struct sc_rev_table {
	char name[64];   /* file name without ".csv": "boundaries", "wire-overhead" */
	char *text;      /* owned; the cells point into it */
	char **cells;    /* nrows * ncols, row-major; a short row's missing cells are "" */
	size_t ncols, nrows;
};

#define SC_REV_MAX_TABLES 48

struct sc_rev_data {
	struct sc_rev_table t[SC_REV_MAX_TABLES];
	size_t n;
};

/* Adds the CSV text of file NAME.csv (copied; the first record is the
 * header). Returns 0, -EINVAL (malformed CSV, no header), -ENOSPC (too
 * many tables) or -ENOMEM. */
int sc_rev_data_add(struct sc_rev_data *d, const char *name, const char *csv);
void sc_rev_data_free(struct sc_rev_data *d);

/* The cell in column col of the first row of table `file` whose column
 * keycol equals key (keycol NULL: the first row), and, if the table has a
 * "trial" column, whose trial is 1. NULL if there is no such table, row,
 * column, or the cell is empty. */
const char *sc_rev_get(const struct sc_rev_data *d, const char *file, const char *keycol,
		       const char *key, const char *col);

/* One row of the sheet. The words are static text: the exam answer's,
 * quoted exactly, and sockcmp's own. */
struct sc_rev_row {
	const char *topic;        /* sockcmp's short name for the difference */
	const char *stream_words; /* the exam answer's words, exactly */
	const char *dgram_words;
	bool parenthetical;       /* one of the answer's bracketed extras */
	const char *plain;        /* sockcmp's plain wording, for a student to learn */
	const char *sources;      /* the CSV files the figures come from */
	char verdict[16];         /* "confirmed", "too simple", "wrong", or "not measured" */
	char figures[600];        /* the measured figures, one line */
	char why[600];            /* one line: why that verdict, or what is missing */
};

#define SC_REV_ROWS 13

/* Fills the thirteen rows from the run's tables. Pure: no files, no
 * sockets. Returns SC_REV_ROWS. */
size_t sc_rev_rows(const struct sc_rev_data *d, struct sc_rev_row rows[SC_REV_ROWS]);

/* Reads DIR's CSV files (each only if modified at or after since_s, wall
 * clock seconds; 0: any) and writes DIR/revision.md, DIR/revision.html
 * and, if png, DIR/revision.png (and .svg) through gnuplot. `only` names
 * the one claim just run by `sockcmp lecture --only`, NULL for the whole
 * lecture. Returns 0, or -errno of the first file not written (said on
 * stderr). */
int sc_revision_write(const char *dir, int64_t since_s, bool png, const char *only);

/* Markdown image links to the charts of experiment NAME that exist in
 * DIR (NAME.png, NAME-arrivals.png, NAME-latency.png...), one per line. */
void sc_revision_chart_links(FILE *f, const char *dir, const char *name);

#endif
