/* lecture.h - `sockcmp lecture`: the lecture's claims, measured. */
#ifndef SC_LECTURE_H
#define SC_LECTURE_H

#include "link.h"
#include "run.h"

/* Runs the shipped lecture experiments into out_dir, draws their charts,
 * prints the side-by-side tables and writes out_dir/SUMMARY.md. Returns a
 * process exit status. */
int sc_lecture(struct sc_run_opts *base, bool plots, enum sc_kernel kernel);

/* The verdict on experiment exp's first claim about streams (or
 * datagrams), from its rows (buf holds a verdict written for them).
 * NULL if there is no such claim. Pure; for the tests. */
const char *sc_lecture_verdict(const char *exp, bool streams, const struct sc_rows *r, char *buf, size_t len);

#endif
