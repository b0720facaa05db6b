/* opts.h - command-line options of the four paired programs.
 *
 * stream-send/stream-recv and datagram-send/datagram-recv take the same
 * options; each program only accepts the transports of its own kind. This
 * is the CLI edge: the parsers print their own errors and --help text. */
#ifndef SC_OPTS_H
#define SC_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "endpoint.h"
#include "script.h"
#include "transport.h"
#include "wire.h"

enum sc_kind { SC_KIND_STREAM, SC_KIND_DATAGRAM };

struct sc_common_opts {
	const char *prog;
	enum sc_kind kind;
	const struct sc_transport *t;
	struct sc_endpoint ep;
	const char *addr;    /* --listen / --to text */
	uint32_t token;      /* public run id */
	bool token_set;
	struct sc_wire_key key; /* from SOCKCMP_KEY; all zero without it */
	bool key_set;
	uint64_t wait_ns;    /* receiver: for the sender to appear; sender: to connect */
	const char *out;     /* CSV prefix */
	uint64_t max_records;
	bool quiet;
	bool batch;          /* datagrams: sendmmsg/recvmmsg (default; --no-batch: one call each) */
	int cpu;             /* --cpu N: pinned to CPU N (sched_setaffinity); -1 = not pinned */
};

struct sc_recv_opts {
	struct sc_common_opts c;
	struct sc_recv_plan plan;
	bool raw;            /* no sockcmp header expected: record read sizes only */
	const char *reply;   /* --raw: answer each connection's first read (each datagram) with this */
	uint64_t idle_ns;    /* give up after this long without data */
	uint64_t linger_ns;  /* after a FIN, keep reading stragglers this long */
	bool kernel_ts;      /* --kernel-timestamps: accepted, no effect (arrival stamps are always on) */
	bool echo;           /* --echo: answer every request (rr and crr modes) */
	uint64_t interval_ns; /* --interval DUR: a report per DUR (stderr, PREFIX-intervals.csv) */
	bool interval_lines;  /* --interval-lines: their stderr lines even with --quiet */
};

struct sc_send_opts {
	struct sc_common_opts c;
	struct sc_send_plan plan;
	uint64_t timeout_ns; /* a send that blocks this long fails */
	uint64_t for_ns;     /* --for DUR: stop sending after DUR (0: the plan's counts) */
	uint64_t bitrate;    /* --bitrate BPS: target bits/s of message bytes (0: flat out) */
	enum sc_send_style { SC_STYLE_ONEWAY, SC_STYLE_RR, SC_STYLE_CRR } style;
	bool raw;            /* no header, no end marker: plain bytes for a foreign peer */
	const char *payload; /* --raw: send exactly this text once (may be "") */
	uint64_t reply_wait_ns; /* --raw: wait this long for the peer's reply (0: don't read) */
};

/* Parse argv, and take the run's key from the environment variable
 * SOCKCMP_KEY (then wiped from this process's environment, so neither
 * /proc/PID/environ nor a child shows it). Return 0 to run, 1 if --help (-h)
 * or --version (-V) was printed (exit 0), or -EINVAL after printing "prog: what is wrong"
 * (exit 2; a SOCKCMP_KEY that is not 32 hex digits is one). */
int sc_recv_opts_parse(int argc, char **argv, enum sc_kind kind, struct sc_recv_opts *o);
int sc_send_opts_parse(int argc, char **argv, enum sc_kind kind, struct sc_send_opts *o);

/* The program's exit status for a run that ended with r (0 or -errno). */
int sc_exit_status(int r);

#endif
