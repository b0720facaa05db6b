/* summary.h - a paired program's PREFIX-summary.csv: one header, one row,
 * what one side (sender or receiver) did. The schema below is the only
 * list of its columns: side.c writes through it, the driver reads through
 * it (by name, so columns added later never break an older reader). */
#ifndef SC_SUMMARY_H
#define SC_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "schema.h"

struct sc_side_summary {
	char role[8];          /* "send" or "recv" */
	char transport[24];
	uint64_t msgs, bytes, calls, control_calls, unique_msgs;
	bool has_sender_total; /* the receiver learnt the sender's count */
	uint64_t sender_total;
	uint64_t lost, duplicated, reordered, max_reorder_extent, stale, corrupted, truncated,
		foreign, foreign_bytes, malformed;
	bool boundaries_kept;
	uint64_t first_ns, last_ns;       /* CLOCK_REALTIME of the first and last data call */
	int64_t lat_p50_ns, lat_p90_ns, lat_p99_ns, lat_max_ns;
	bool has_retrans;
	uint64_t tcp_retrans;
	uint64_t rxq_drops;
	uint64_t events_dropped;  /* calls not kept in PREFIX-events.csv (over the cap) */
	uint64_t records_dropped; /* messages not kept in PREFIX-messages.csv */
	int64_t status;
	char error[256];
	uint64_t lat_msgs;        /* messages the latency percentiles were computed over */
	bool lat_exact;           /* percentiles exact over kept records; else from the
				   * histogram over every message (within 1/256) */
	int64_t lat_p999_ns;
	uint64_t syscalls;        /* send/receive system calls that moved messages (data; a
				   * receiver's end markers too); a batch counts once */
	uint64_t conns;           /* rr/crr client: connections made */
	uint64_t ports_in_use;    /* crr client: most TCP sockets in TIME_WAIT seen at once */
	/* servers mode (sockcmp __servers): the model, its clients, and what
	 * the server's process tree used, sampled from /proc during the run */
	struct sc_srv_use {
		char model[16];
		uint64_t clients;
		uint64_t procs_max;   /* processes in the server's tree (zombies included) */
		uint64_t zombies_max; /* of which zombies (exited, not yet reaped) */
		uint64_t threads_max; /* threads over the tree */
		uint64_t fds_max;     /* open descriptors over the tree */
		uint64_t samples;     /* /proc samples taken */
		uint64_t pids;        /* distinct PIDs seen in the tree, the server's own included */
		uint64_t served;      /* requests the server itself said it answered */
		uint64_t left;        /* processes of the tree still alive after it was ended */
		bool netns;           /* ran in a private network namespace */
		uint64_t clients_served; /* clients that got at least one reply */
	} srv;
	uint64_t exchange_dropped; /* --raw: reads and writes not kept in PREFIX-exchange.csv */
};

extern const struct sc_schema sc_summary_schema;

/* One row of PREFIX-events.csv: one send or receive call. rel_ns is not in
 * that file: the driver's merged file has t_ns rebased to the trial's
 * first write there. */
struct sc_event_row {
	char side[8];
	uint64_t call; /* from 1 */
	uint64_t t_ns;
	uint64_t requested;
	int64_t returned; /* bytes, or -errno */
	bool has_seq;
	uint64_t first_seq, last_seq;
	char flags[128]; /* "trunc|eof|..." */
	uint64_t offset;
	int64_t rel_ns;
};

extern const struct sc_schema sc_events_schema;

/* One row of PREFIX-messages.csv: one received message (rel_ns as above,
 * from recv_ns). */
struct sc_message_row {
	uint64_t seq, send_ns, recv_ns;
	int64_t latency_ns;
	uint64_t len;
	char kind[12];
	int64_t rel_ns;
};

extern const struct sc_schema sc_messages_schema;

/* One row of PREFIX-intervals.csv (--interval): what a receiver got in
 * one interval (rel_ns: the driver's merged file, from start_ns). */
struct sc_interval_row {
	uint64_t interval; /* from 1 */
	uint64_t start_ns, end_ns, msgs, bytes;
	int64_t rel_ns;
};

extern const struct sc_schema sc_intervals_schema;

/* Writes s as PATH, whole or not at all. Returns 0 or -errno. */
int sc_summary_write(const struct sc_side_summary *s, const char *path);

/* Parses a summary file's text (modified in place). Returns 0, or -EINVAL
 * if it is not a summary (no header, no row, no "role" column, or a row
 * whose field count differs from the header's), or -ENOMEM. */
int sc_summary_parse(struct sc_side_summary *s, char *text);

/* Reads PATH as above. Returns 0, -errno, -EINVAL. */
int sc_summary_read(struct sc_side_summary *s, const char *path);

#endif
