/* rows.h - one row of an experiment's results: what the sender did and
 * what the receiver got in one trial, joined; and the per-run CSV. */
#ifndef SC_ROWS_H
#define SC_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "summary.h"
#include "script.h"

struct sc_row {
	char transport[24];
	unsigned trial;     /* 1-based */
	size_t point;       /* sweep point index */
	char value[SC_VALUE_MAX]; /* the swept parameter's value, "" if none */
	/* sender */
	uint64_t sent_msgs, sent_bytes, send_calls;
	bool has_retrans;
	uint64_t tcp_retrans;
	uint64_t first_send_ns;
	/* receiver */
	uint64_t recv_calls, recv_bytes, recv_msgs, unique_msgs, lost, duplicated, reordered,
		max_extent, corrupted, truncated, foreign, malformed, rxq_drops;
	bool boundaries_kept;
	int64_t lat_p50, lat_p90, lat_p99, lat_max;
	uint64_t last_recv_ns;
	char read_sizes[96];   /* first receive calls' sizes, "512 512 ..." */
	/* run */
	char kernel[8];        /* "host" or "uml" */
	char kernel_why[160];  /* why there, for impaired links */
	char link[SC_LINK_MAX];
	bool has_link_stats;
	uint64_t link_sent, link_dropped, link_offered; /* the data direction's qdisc */
	int status;            /* 0 ok, else the failing program's exit code */
	char error[256];
	/* how much per-call and per-message detail was kept */
	uint64_t send_events_dropped, recv_events_dropped, records_dropped;
	uint64_t lat_msgs;     /* messages the latency percentiles cover */
	/* two hosts (run --peer): the peer, and the clock offset (its clock
	 * minus ours) that corrected the latencies, with the round trip of the
	 * exchange it came from (its uncertainty is half that) */
	char peer[320];
	bool has_clock;
	int64_t clock_offset_ns, clock_rtt_ns;
	char read_sizes_all[1024]; /* every data read's size, run-length coded: "512*4 488" */
	bool lat_exact;        /* exact over kept records, or from the histogram over every message */
	int64_t lat_p999;
	uint64_t send_syscalls, recv_syscalls; /* a batched call counts once */
	/* performance modes (issue 9) */
	uint64_t last_send_ns, first_recv_ns;
	uint64_t round_trips;  /* rr, crr: requests answered */
	uint64_t conns;        /* crr: connections made */
	uint64_t ports_in_use; /* crr: the most local TCP sockets in TIME_WAIT seen at once */
	struct sc_srv_use srv; /* servers: the model, its clients, its processes (summary.h) */
};

/* The per-run CSV's schema; its writer's context is the experiment. */
extern const struct sc_schema sc_rows_schema;

struct sc_rows {
	struct sc_row *v;
	size_t n, cap;
};

/* Appends a zeroed row and returns it, or NULL if out of memory. */
struct sc_row *sc_rows_add(struct sc_rows *r);
void sc_rows_free(struct sc_rows *r);

/* Writes DIR/<experiment>.csv from the rows, whole or not at all. Returns
 * 0 or -errno. */
int sc_rows_write(const struct sc_experiment *e, const struct sc_rows *r, const char *path);

/* Reads rows back from a per-run CSV written by sc_rows_write (e.g. by a
 * run inside a user-mode Linux guest), columns found by name. Returns 0,
 * -errno, or -EINVAL if the file is not one (rows that do not have the
 * header's number of fields are skipped). */
int sc_rows_read(const struct sc_experiment *e, struct sc_rows *r, const char *path);

/* The same on a file's text (modified in place). */
int sc_rows_parse(const struct sc_experiment *e, struct sc_rows *r, char *text);

#endif
