/* run.h - running one experiment: every sweep point x transport x trial,
 * each trial a real receiver and a real sender process, joined into rows.
 *
 *   script --parse--> sc_experiment --sc_experiment_at--> one point
 *     --> stream-recv|datagram-recv  (prints "listening on ADDR")
 *     --> stream-send|datagram-send  (--to ADDR)
 *     --> both write PREFIX-summary/-events/-messages.csv in a temp dir
 *     --> joined into rows: DIR/NAME.csv, NAME-events.csv, NAME-messages.csv
 */
#ifndef SC_RUN_H
#define SC_RUN_H

#include <signal.h>
#include <stdbool.h>

#include "peer.h"
#include "rows.h"
#include "script.h"

/* Where the two programs run. On loopback both are in the caller's
 * network namespace; on a link they are in two namespaces joined by a
 * veth pair (driver/netns.h) and the receiver listens on recv_addr4. */
struct sc_where {
	const char *ns_send, *ns_recv; /* network namespace names, NULL = ours */
	const char *addr4, *addr6;     /* receiver's addresses */
	const char *kernel;            /* "host" or "uml", for the CSV */
	const char *why;               /* why there (impaired links), or NULL */
};

struct sc_run_opts {
	const char *out_dir;
	const char *bin_dir;     /* where the paired programs are */
	const struct sc_where *where;
	bool progress;           /* a progress line on stderr */
	const volatile sig_atomic_t *stop;
	/* Called between sweep points to change the link (may be NULL). */
	int (*set_link)(void *arg, const struct sc_experiment *point, char *err, size_t errlen);
	void *set_link_arg;
	/* Reads the data direction's link counters: packets the qdisc sent
	 * and dropped, and packets the stack offered it (may be NULL). */
	int (*link_stats)(void *arg, uint64_t *sent, uint64_t *dropped, uint64_t *offered);
	/* Two hosts (driver/peer.h): the receiving role runs on the peer, or
	 * with reverse the sending one; NULL: every role runs here. */
	struct sc_peer *peer;
	bool reverse;
	/* --pcap: a link run (namespaces) writes what crossed the receiving
	 * side's interface there, as a pcap file; absolute; NULL: none. */
	const char *pcap;
};

/* Runs e (already filtered and overridden by the caller). Starts the three
 * CSV files of e in out_dir afresh (headers only), then after every trial
 * rewrites the per-run one and appends the trial's events and messages,
 * so that a run stopped in any way keeps every finished trial whole (up to
 * a SIGKILL during that append). SOCKCMP_MAX_RECORDS, if set, caps the
 * records each program keeps (tests). Returns 0, -EIO if some
 * trial failed (rows say which and why), -EINTR if stopped, or -errno
 * with a message in err if the run could not start. */
int sc_run(const struct sc_experiment *e, const struct sc_run_opts *o, struct sc_rows *rows,
	   char *err, size_t errlen);

#endif
