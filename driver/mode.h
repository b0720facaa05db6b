/* mode.h - the shapes a trial can take: which programs run, in which
 * roles, how each is started, how their summaries join into one row, and
 * which measures the row's aggregate carries.
 *
 * A new mode (throughput, rr, crr, servers: issue 9) is one entry of the
 * table in mode.c with its own argv builders and joins; run.c runs any
 * entry: it starts the roles in order (a role that listens prints
 * "listening on ADDR", which the later roles get as their peer), waits for
 * all of them, reads each role's PREFIX-summary.csv and joins it. */
#ifndef SC_MODE_H
#define SC_MODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "rows.h"
#include "script.h"
#include "summary.h"

/* An argv built from formatted words, all stored in one pool. A word that
 * does not fit is left out, and full is set. */
struct sc_argv {
	char *v[96];
	int n;
	char pool[8192];
	size_t used;
	bool full;
};

__attribute__((format(printf, 2, 3))) void sc_argv_add(struct sc_argv *b, const char *fmt, ...);

/* Adds opt and a duration in microseconds ("--pace" "1000us"). */
void sc_argv_dur(struct sc_argv *b, const char *opt, uint64_t ns);

/* What one role's argv is built from. */
struct sc_side_args {
	const char *bin_dir;              /* where the paired programs are */
	const struct sc_experiment *p;    /* the sweep point */
	const struct sc_transport *t;
	const char *addr;      /* a listener's address to listen on; for the others, the listener's */
	uint32_t token;
	const char *prefix;    /* PREFIX of the program's files */
	uint64_t max_records;  /* events and message records kept, 0: the program's default */
	const char *server;    /* the servers mode's model for this trial, else NULL */
};

struct sc_role {
	const char *name;   /* "recv", "send": in file names */
	const char *label;  /* "receiver", "sender": in error messages */
	bool listens;       /* prints "listening on ADDR"; started before the later roles */
	bool messages;      /* writes PREFIX-messages.csv */
	bool read_sizes;    /* its receive calls' sizes go into the row's read_sizes */
	bool origin;        /* its first data call is the trial's time zero */
	bool intervals;     /* writes PREFIX-intervals.csv (--interval 1s) */
	void (*argv)(struct sc_argv *b, const struct sc_side_args *a);
	/* Copies what this role's summary says into the row. */
	void (*join)(struct sc_row *w, const struct sc_side_summary *s);
};

#define SC_MAX_ROLES 4

struct sc_mode {
	const char *name;
	const char *what;
	struct sc_role roles[SC_MAX_ROLES]; /* in the order they start */
	size_t nroles;
	/* Measures that need every side, after the joins: s[i] is role i's
	 * summary, valid if have[i]. */
	void (*finish)(struct sc_row *w, const struct sc_side_summary *s, const bool *have);
	const enum sc_measure *measures; /* aggregated per point and transport */
	bool intervals;     /* the run writes NAME-intervals.csv */
	size_t nmeasures;
	bool servers;       /* its trials run per server model (e->servers), not per transport */
};

/* One series of trials: a transport, and for the servers mode a model. */
struct sc_lane {
	const struct sc_transport *t;
	const char *server; /* NULL unless m->servers */
};

/* The lanes of experiment e in mode m, in order (pure): its transports;
 * for the servers mode, its server models (every known one if it names
 * none) whose transport is among e's transports. Returns how many, at most
 * max. */
size_t sc_mode_lanes(const struct sc_mode *m, const struct sc_experiment *e, struct sc_lane *out, size_t max);

#define SC_MAX_LANES (SC_MAX_TRANSPORTS > SC_MAX_SERVERS ? SC_MAX_TRANSPORTS : SC_MAX_SERVERS)

extern const struct sc_mode sc_modes[];
extern const size_t sc_nmodes;

/* The mode named name, or NULL. */
const struct sc_mode *sc_mode_find(const char *name);

/* The mode of experiments that name none: one-way messages. */
const struct sc_mode *sc_mode_default(void);

/* The mode experiment e names ("mode NAME"), the default if none; NULL if
 * it names an unknown mode. */
const struct sc_mode *sc_mode_of(const struct sc_experiment *e);

/* Joins the summaries of one trial into w: every role's join, then the
 * mode's finish (pure). */
void sc_mode_join(const struct sc_mode *m, struct sc_row *w, const struct sc_side_summary *s,
		  const bool *have);

#endif
