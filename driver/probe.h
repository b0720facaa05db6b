/* probe.h - built-in probes: lecture claims an experiment script cannot
 * express (ports, TIME_WAIT, backlog, byte order, ping, socket files...),
 * each measured by a small C function and judged from its own figures.
 *
 * A probe runs in a process of its own (`sockcmp __probe NAME DIR`,
 * started through spawn.h), in a private network namespace (privns.h)
 * when it needs one, so ports, TIME_WAIT and interface counters are its
 * own and nothing outside is touched. It writes DIR/NAME.csv and reports
 * a verdict. `sockcmp run NAME` runs one, `sockcmp list` lists them and
 * `sockcmp lecture` runs them all. */
#ifndef SC_PROBE_H
#define SC_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "run.h"

/* A verdict, computed from the probe's own measurement. */
struct sc_verdict {
	char verdict[16];   /* "confirmed", "too simple", "wrong"; "not measured" if it could not run */
	char figures[600];  /* the measured figures, one line */
	char why[600];      /* one line: why that verdict */
};

struct sc_probe_env {
	const char *out_dir, *bin_dir;
	const volatile sig_atomic_t *stop;
	bool privns;        /* running in a private network namespace */
};

#define SC_PROBE_GUARD 4

struct sc_probe {
	const char *name;
	const char *claim;  /* the lecture's words, quoted; "(sockcmp)" marks our paraphrase */
	bool needs_privns;  /* refuse to run in the machine's own namespace */
	unsigned timeout_s; /* expected worst case; the parent ends it after
			     * SC_PROBE_GUARD times this */
	/* Measures, writes out_dir/NAME.csv, fills v. Returns 0, or -errno
	 * when it could not measure (v->why says why). */
	int (*run)(const struct sc_probe_env *env, struct sc_verdict *v);
};

const struct sc_probe *sc_probe_find(const char *name);
size_t sc_probe_count(void);
const struct sc_probe *sc_probe_at(size_t i);

/* Runs probe p in its own process and collects its verdict. Returns 0,
 * -EINTR, or -errno with v->why set (then v->verdict is "not measured"). */
int sc_probe_run(const struct sc_probe *p, const struct sc_run_opts *o, struct sc_verdict *v);

/* `sockcmp __probe NAME DIR`: the probe process's main. */
int sc_probe_child_main(int argc, char **argv);

/* `sockcmp __probe-writer`: the read-patterns probes' writer, started
 * through spawn.h with a control socket as fd 3. For each request (a
 * socket passed with SCM_RIGHTS, the pace in ms as a 4-byte payload) it
 * makes five 512-byte sends that far apart, closes the socket and answers
 * one byte: 0, or 1 if a send failed. Exit 0 at the end of the requests,
 * 1 on a bad request, 2 on bad arguments. */
int sc_probe_writer_main(int argc, char **argv);

/* Every probe's verdict for `sockcmp lecture`. */
struct sc_probe_results {
	struct sc_verdict v[32];
	const struct sc_probe *p[32];
	size_t n;
};

/* Runs them all in order; stops early only if interrupted. Returns 0 or
 * -EINTR. */
int sc_probes_run_all(const struct sc_run_opts *o, struct sc_probe_results *r);

/* Markdown table (claim, verdict, figures, why); plain=true: the terminal's
 * compact form. */
void sc_probes_table(FILE *f, const struct sc_probe_results *r, bool plain);

/* The probes as one background process (`sockcmp __probes DIR`), for
 * `sockcmp lecture` to overlap them with an experiment that mostly waits
 * (the impaired link). Start returns 0 or -errno; finish waits for it and
 * loads DIR/probes.csv into r, returning 0, -EINTR, -ETIMEDOUT or -errno. */
struct sc_child;
int sc_probes_start(const struct sc_run_opts *o, struct sc_child *c);
int sc_probes_finish(const struct sc_run_opts *o, struct sc_child *c, struct sc_probe_results *r);
int sc_probes_child_main(int argc, char **argv);

/* SUMMARY.md's section of probe verdicts, with DIR/programs.md. */
void sc_probes_summary(FILE *f, const struct sc_probe_results *r, const char *dir);

/* Writes DIR/probes.csv: name, claim, verdict, figures, why. */
int sc_probes_csv(const char *dir, const struct sc_probe_results *r);

/* Helpers for the probes themselves. */
#include "csv.h"
/* Opens out_dir/NAME.csv and writes the header cols (NULL-terminated). */
int sc_probe_csv_open(const struct sc_probe_env *env, const char *name, struct sc_csv *c,
		      const char *const *cols);
/* Sets a verdict; fmt fills why. */
__attribute__((format(printf, 3, 4)))
void sc_verdict_set(struct sc_verdict *v, const char *verdict, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void sc_verdict_figures(struct sc_verdict *v, const char *fmt, ...);

/* The probes (probe_*.c). */
int sc_probe_programs(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_ports(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_privileged(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_timewait(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_byteorder(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_zero(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_backlog(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_connectionless(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_bothways(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_sync(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_sizes(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_wire(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_ping(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_unixnames(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_patterns(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_coalescing(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_names(const struct sc_probe_env *env, struct sc_verdict *v);
int sc_probe_servers(const struct sc_probe_env *env, struct sc_verdict *v);

#endif
