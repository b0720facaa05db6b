/* side.h - what one side of a run (a sender or a receiver) did: its call
 * events, its per-message records and its counters, kept in memory during
 * the timed part and written as CSV afterwards.
 *
 * Memory is reserved once, up front (sc_side_init); recording never
 * allocates. Past the reserved capacity, events and records are counted
 * (events_dropped, records_dropped) but not kept; the counters and the
 * tracker stay exact whatever the number of messages. */
#ifndef SC_SIDE_H
#define SC_SIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"
#include "track.h"

struct sc_exchange;

/* Event flags, written as "trunc|eof|..." in the events CSV. */
#define SC_EV_TRUNC 0x001     /* datagram longer than the buffer: rest discarded */
#define SC_EV_EOF 0x002       /* peer closed: read returned 0 */
#define SC_EV_FOREIGN 0x004   /* not this run's traffic (magic, version, mac or token) */
#define SC_EV_CORRUPT 0x008   /* checksum mismatch */
#define SC_EV_FIN 0x010       /* sender's end-of-run marker */
#define SC_EV_WAITALL 0x020   /* the call asked for MSG_WAITALL */
#define SC_EV_SPLIT 0x040     /* stream read did not end on a message boundary */
#define SC_EV_MALFORMED 0x080 /* our magic, but an impossible length */
#define SC_EV_DUP 0x100       /* duplicate of a message already received */
#define SC_EV_REORDER 0x200   /* arrived after a later-numbered message */
#define SC_EV_MULTI 0x400     /* one read held more than one message */
#define SC_EV_ERROR 0x800     /* the call failed; returned holds -errno */
#define SC_EV_BATCH 0x1000    /* one message of a batched call (sendmmsg/recvmmsg): t_ns is the call's */

struct sc_event {
	uint64_t t_ns;      /* CLOCK_REALTIME when the call returned */
	uint64_t requested; /* bytes asked for (read) or offered (write) */
	int64_t returned;   /* bytes the call returned, or -errno */
	uint64_t first_seq, last_seq;
	bool has_seq;       /* false: no sockcmp header in this call's bytes */
	uint64_t offset;    /* bytes this side moved before this call */
	uint32_t flags;     /* SC_EV_* */
};

/* Kinds of a per-message record (receive side). */
enum sc_msg_kind { SC_MSG_NEW, SC_MSG_REORDERED, SC_MSG_DUP, SC_MSG_STALE,
		   SC_MSG_CORRUPT, SC_MSG_TRUNC };

struct sc_msgrec {
	uint64_t seq;
	uint64_t send_ns; /* from the header */
	uint64_t recv_ns; /* receive call's return time */
	uint32_t len;
	uint8_t kind;     /* enum sc_msg_kind */
};

/* One interval report (--interval): what arrived in [start_ns, end_ns). */
struct sc_interval {
	uint64_t start_ns, end_ns;
	uint64_t msgs, bytes;
};

#define SC_SIDE_MAX_INTERVALS 3600

struct sc_side {
	const char *role;      /* "send" or "recv" */
	const char *transport; /* table name */
	struct sc_event *ev;
	size_t nev, evcap;
	uint64_t ev_dropped;
	struct sc_msgrec *msg;
	size_t nmsg, msgcap;
	uint64_t msg_dropped;

	uint64_t msgs;   /* data messages sent / received (all copies) */
	uint64_t bytes;  /* data bytes written / read */
	uint64_t calls;  /* data calls: write()s, or reads that returned data; a batched
			  * call (sendmmsg/recvmmsg) counts once per message it moved */
	uint64_t syscalls; /* system calls that moved data (batched ones count once) */
	uint64_t control_calls; /* reads of FIN markers and EOF */
	uint64_t corrupted, truncated, foreign, malformed;
	uint64_t foreign_bytes; /* bytes of foreign traffic and of unframeable stream tail */
	uint64_t sender_total;  /* data messages the sender says it sent, or SC_TRACK_UNKNOWN */
	bool boundaries_kept;   /* every data read returned exactly one whole message */
	uint64_t first_ns, last_ns; /* first and last data call */
	bool has_retrans;
	uint64_t tcp_retrans;   /* sender: TCP_INFO total retransmissions */
	uint64_t rxq_drops;     /* receiver: SO_RXQ_OVFL, datagrams the socket buffer dropped */
	uint64_t conns;         /* rr/crr client: connections made */
	uint64_t ports_in_use;  /* crr client: most TCP sockets in TIME_WAIT seen at once */
	struct sc_track track;  /* receiver's sequence accounting */
	/* Latency of every intact first copy, kept or not (constant memory):
	 * the percentiles come from here once records were dropped. */
	struct sc_hist *lat;
	/* --interval: a report every interval_ns of receiving (kept, and a
	 * line on stderr unless quiet_intervals), from the first message. */
	uint64_t interval_ns;
	const char *prog;
	bool print_intervals;
	struct sc_interval *iv;
	size_t niv;
	uint64_t iv_start, iv_msgs, iv_bytes;
	struct sc_exchange *xchg; /* --raw: the conversation's log (exchange.h), else NULL */
	int status;             /* 0, or the -errno the run ended with */
	char error[256];        /* what went wrong, one line, "" if nothing */
};

/* Prepares s, reserving room for cap events and cap message records.
 * Returns 0 or -ENOMEM. */
int sc_side_init(struct sc_side *s, const char *role, const char *transport, size_t cap);
void sc_side_free(struct sc_side *s);

/* Touches the memory of the first events event records and msgs message
 * records (at most the capacity), so that recording them later does not
 * pay the first touch of each page inside the timed part (see side.c:
 * about 1 us per message here). The programs call it before they listen
 * or connect, with what the run can use; it makes that much resident.
 * Cannot fail. */
void sc_side_prefault(struct sc_side *s, size_t events, size_t msgs);

/* Records one call / one message. Never allocates. */
void sc_side_event(struct sc_side *s, const struct sc_event *e);
void sc_side_msg(struct sc_side *s, const struct sc_msgrec *m);

/* Accounts a received message's sequence number with the tracker and
 * records it; returns the record kind. corrupt/trunc messages are recorded
 * without touching the tracker's view of their (untrusted) sequence. */
enum sc_msg_kind sc_side_received(struct sc_side *s, uint64_t seq, uint64_t send_ns,
				  uint64_t recv_ns, uint32_t len, bool corrupt, bool trunc);

/* Turns on interval reports every ns (prog names the stderr lines; print:
 * show them). Returns 0 or -ENOMEM. */
int sc_side_intervals(struct sc_side *s, uint64_t ns, const char *prog, bool print);

/* Closes the last, partial interval at t_ns (the last data call). */
void sc_side_intervals_end(struct sc_side *s);

/* Messages lost as far as this side can tell (sender_total known or not). */
uint64_t sc_side_lost(const struct sc_side *s);

/* Writes "a|b|c" names of flags into buf. */
void sc_side_flags(uint32_t flags, char *buf, size_t len);

/* Writes PREFIX-summary.csv (one row), PREFIX-events.csv and, for a
 * receiver, PREFIX-messages.csv, each whole or not at all. Returns 0 or
 * -errno with "file: reason" in err. */
int sc_side_write(struct sc_side *s, const char *prefix, char *err, size_t errlen);

struct sc_side_summary;

/* What s did, as its summary file says it (shared/summary.h). */
void sc_side_summarize(const struct sc_side *s, struct sc_side_summary *out);

#endif
