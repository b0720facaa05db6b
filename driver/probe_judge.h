/* probe_judge.h - the probes' verdicts as pure functions of what they
 * measured. Each probe (probe_*.c) measures, fills one of these structs
 * and hands it to its judge, which fills the verdict's figures, verdict
 * and why; the tests (tests/test_probe.c) feed the judges values a healthy
 * host never gives, failures included.
 *
 * The rule every judge keeps: "confirmed", "too simple" or "wrong" only on
 * positive evidence, a value that was really measured; a step that failed
 * or was never tried is marked as such here (an errno, or -1 where a size
 * or count cannot be negative) and makes the verdict "not measured", with
 * the reason. No failed step is ever printed as a measured figure. */
#ifndef SC_PROBE_JUDGE_H
#define SC_PROBE_JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe.h"

/* What a probe's run returned (0 or -errno) and the verdict it set, made
 * into the verdict it reports: a probe that failed (r < 0) never keeps a
 * verdict other than "not measured", and one that set none gets "not
 * measured" too. */
void sc__probe_outcome(int r, struct sc_verdict *v);

/* An err field's value for a step not tried because an earlier one failed. */
#define SC__NOT_TRIED (-1)

/* both-directions: A sends to B, B replies on the same socket, A reads. */
struct sc__bothways {
	ssize_t n[4]; /* bytes: A sent, B received, B replied, A received */
	int err[4];   /* 0, the errno the step failed with (ETIMEDOUT: nothing
		       * arrived within 1 s), or SC__NOT_TRIED */
};
void sc__judge_bothways(const struct sc__bothways *m, struct sc_verdict *v);

/* time-wait: the lecture's server restarted on its port after closing first. */
struct sc__timewait {
	int tw;            /* sockets in TIME_WAIT on 1234; -1: /proc/net/tcp unreadable */
	int socket_err;    /* errno of the restarted server's socket(), 0 if made */
	int restart_err;   /* errno of its bind(), 0 if it bound */
	unsigned fallback; /* the port listen() gave it after a failed bind; 0: none read */
	int reuse_ok;      /* SO_REUSEADDR on the new server only: bind 1 ok, 0 failed, -errno not tried */
	int both_ok;       /* SO_REUSEADDR on both servers: 1, 0, or -errno (the cycle did not run) */
};
void sc__judge_timewait(const struct sc__timewait *m, struct sc_verdict *v);

/* unix-names: a path-bound AF_UNIX socket, and an abstract one. */
struct sc__unixnames {
	int stat_err;    /* errno of stat() on the bound path, 0 if it worked */
	int is_sock;     /* that file is S_ISSOCK */
	unsigned mode;   /* its permission bits */
	int after_close; /* the file is still there after close(): 1, 0, -1 unknown */
	int rebind_err;  /* errno of binding the same path again, 0 if it bound */
	char abs[64];    /* the abstract name (without the leading NUL) */
	int abs_err;     /* errno of binding the abstract name, 0 if it bound */
	int abs_listed;  /* in /proc/net/unix: 1, 0, -1 unreadable */
	int abs_file;    /* a file of that name exists: 1, 0 (ENOENT), -1 unknown */
};
void sc__judge_unixnames(const struct sc__unixnames *m, struct sc_verdict *v);

/* ports: a listener on port 0 and the two sockets it accepted. */
struct sc__ports {
	unsigned lport;           /* the listener's port */
	long lo, hi;              /* ip_local_port_range; -1: unreadable */
	unsigned acc[2], peer[2]; /* accepted sockets' own and peer ports */
	int err;                  /* errno of a getsockname/getpeername that failed, else 0 */
};
void sc__judge_ports(const struct sc__ports *m, struct sc_verdict *v);

/* size-limits: the largest datagram one send takes, and a 1 MiB stream. */
struct sc__sizes {
	long l4, l6, lu;   /* UDP/IPv4, UDP/IPv6, AF_UNIX: bytes; -1 not measured */
	int e4, e6, eu;    /* what one byte more gave: errno, 0 if it went */
	long want;         /* bytes written to the stream */
	long total, reads; /* bytes read and reads; total -1: the pair was not made */
};
void sc__judge_sizes(const struct sc__sizes *m, struct sc_verdict *v);

/* fork-server: the fork server with `clients` clients at once, the simple
 * server with two. */
struct sc__servers {
	int clients;
	int spid;         /* the fork server's PID; 0: it did not start */
	int replies;      /* clients it answered */
	int n;            /* serving PIDs it reported */
	int distinct;     /* of those, distinct and not its own */
	int simple_err;   /* errno of starting the simple server, 0 if it ran */
	int first_ok;     /* the simple server answered its first client */
	int second_conn;  /* the second client connected */
	int second_read;  /* what its read gave when the server exited: bytes, 0
			   * end, -1 error (second_err), -2 nothing within 2 s */
	int second_err;
};
void sc__judge_servers(const struct sc__servers *m, struct sc_verdict *v);

/* names: /etc/protocols' name for TCP (lower case) and how many of n
 * /etc/services ports are as the slide lists them. */
void sc__judge_names(const char *tcp, int agree, int n, struct sc_verdict *v);

/* connectionless: UDP and TCP towards a port nobody listens on. */
struct sc__connless {
	int socket_err;  /* errno of a socket() that could not be made, else 0 */
	int first;       /* errno of a connected UDP socket's first send, 0 ok */
	int second;      /* ... of its next send */
	int later;       /* ... of the recv after a second send that went */
	int unconn;      /* errno of an unconnected socket's sendto (either try) */
	int tcp;         /* errno of TCP's connect */
	int64_t tcp_us;  /* how long that connect took */
};
void sc__judge_connless(const struct sc__connless *m, struct sc_verdict *v);

/* zero-length: a 0-byte send on one transport, and what the reader saw. */
struct sc__zero {
	const char *transport;
	long sent;       /* what the 0-byte send returned */
	int send_err;    /* its errno if it returned -1 */
	int64_t packets; /* loopback packets it caused (-1: not IP, or counters unreadable) */
	int readable;    /* the reader was woken within 200 ms: 1, 0, -errno poll failed */
	long got;        /* what the reader's recv returned (-2: not woken) */
	int still_open;  /* a 1-byte message after it arrived: the 0 was not the end */
};
/* z: tcp, udp, unix-seqpacket; eof: what the TCP reader read after the
 * writer's close() (0 the end, -2 nothing within 500 ms, -1 an error). */
void sc__judge_zero(const struct sc__zero z[3], long eof, struct sc_verdict *v);

/* sync-async: senders whose receiver never reads. */
struct sc__sync {
	long n_tcp, n_unix, n_udp;   /* messages sent before a send failed */
	int e_tcp, e_unix, e_udp;    /* that send's errno (EAGAIN: blocked 200 ms), 0: none failed */
	int64_t b_tcp, b_unix;       /* how long the failing send waited, ms */
	int64_t udp_ms;              /* how long UDP's sends took */
	long got;                    /* UDP datagrams the receiver then found */
};
void sc__judge_sync(const struct sc__sync *m, struct sc_verdict *v);

/* wire-overhead's verdict from loopback's counters for the 5 x 512 writes. */
void sc__judge_wire(uint64_t tcp_frames, uint64_t tcp_bytes, uint64_t udp_frames, uint64_t udp_bytes,
		    struct sc_verdict *v);

/* privileged-ports: bind results as uid 65534 for ports 80, 1023, 1024,
 * 1234 and as root for 80: 0 ok, 1 EACCES, 2 EADDRINUSE, 3 another error;
 * start: ip_unprivileged_port_start, -1 unreadable. Figures are the
 * caller's. */
void sc__judge_privileged(const int nobody[4], int root80, long start, struct sc_verdict *v);

/* backlog: CLIENTS connects to a listen(s, backlog) nobody accepts on. */
void sc__judge_backlog(int backlog, int clients, int established, int failed, bool stopped, int poll_err,
		       struct sc_verdict *v);

/* programs: n pairings listed, ok exchanged both messages, notrun could
 * not run here (no python3); skipped: why none ran, or ""; unwritten: why
 * programs.csv or programs.md could not be written, or "". */
void sc__judge_programs(size_t n, size_t ok, size_t notrun, const char *skipped, const char *unwritten,
			struct sc_verdict *v);

/* read-patterns, coalescing-patterns: whether one trial measured, from
 * the writer's status for it (0 all sent, 1 a send failed, -errno: no
 * answer) and the bytes the reader got of 2,560. Returns 0, or -errno
 * with why set. */
int sc__trial_measured(int writer_status, int got, char *why, size_t len);

#endif
