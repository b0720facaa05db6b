/* programs.h - the lecture's own programs (examples/lecture/) run against
 * each other and against sockcmp's raw-mode programs, both directions,
 * each pairing in a private network namespace (`sockcmp __pair`, pair.h).
 * What each side saw goes to DIR/programs.csv; every pairing's
 * output stays in DIR/programs/NAME/. */
#ifndef SC_PROGRAMS_H
#define SC_PROGRAMS_H

#include <stdio.h>

#include "run.h"

#define SC_PROGRAMS_SAW 160

struct sc_pairing_result {
	const char *name, *server, *client;
	int server_exit, client_exit;  /* -1 never ran, -2 ended by us (fork server) */
	char server_saw[SC_PROGRAMS_SAW], client_saw[SC_PROGRAMS_SAW]; /* escaped text */
	long server_bytes, client_bytes; /* -1: the program only printed text */
	int ok;                        /* each side saw what the other sent */
	int notrun;                    /* could not run here (no python3): note says why */
	char note[200];
};

struct sc_programs {
	struct sc_pairing_result v[16];
	size_t n, ok, notrun; /* pairings listed, that exchanged, that could not run here */
	char skipped[256]; /* why nothing ran, or "" */
	char unwritten[4400]; /* "cannot write PATH: why" for programs.csv or .md, or "" */
};

/* Runs every pairing into o->out_dir and writes programs.csv there.
 * Returns 0 if every pairing that ran exchanged its messages, -EIO if
 * some did not, -EINTR if stopped; p->skipped says why nothing ran (no
 * namespaces here), p->unwritten why programs.csv could not be written. */
int sc_programs_run(const struct sc_run_opts *o, struct sc_programs *p);

/* The table for the terminal or SUMMARY.md (markdown). */
void sc_programs_table(FILE *f, const struct sc_programs *p);

#endif
