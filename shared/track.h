/* track.h - receive-side accounting of sequence numbers: what arrived new,
 * late (reordered), twice (duplicated), and what never arrived (lost).
 *
 * Pure functions over sequence numbers: no sockets, no clocks, no malloc,
 * so the unit tests can feed crafted sequences. Memory is fixed (about
 * 72 KiB per tracker) whatever the number of messages. */
#ifndef SC_TRACK_H
#define SC_TRACK_H

#include <stddef.h>
#include <stdint.h>

/* Sequence numbers remembered for duplicate detection: a message more than
 * this far behind the highest seen is "stale" (late, but whether it is also
 * a duplicate can no longer be told). */
#define SC_TRACK_WINDOW 65536
/* Record-breaking arrivals remembered to measure reordering extent. */
#define SC_TRACK_BREAKERS 4096

enum sc_track_kind {
	SC_TRACK_IN_ORDER,  /* seq >= NextExp: new and not late */
	SC_TRACK_REORDERED, /* seq < NextExp, first copy (RFC 4737 reordered) */
	SC_TRACK_DUPLICATE, /* seen before: counted as duplicated only */
	SC_TRACK_STALE,     /* below the window: late, duplicate state unknown */
};

struct sc_track_brk {
	uint64_t seq;     /* a seq that raised NextExp */
	uint64_t arrival; /* its arrival index */
};

struct sc_track {
	uint64_t next_exp;   /* RFC 4737 NextExp: highest seq seen + 1 */
	uint64_t arrivals;   /* messages fed so far */
	uint64_t unique;     /* distinct seqs seen (stale ones included) */
	uint64_t duplicated; /* copies beyond the first */
	uint64_t reordered;  /* first copies that arrived with seq < NextExp */
	uint64_t stale;
	uint64_t max_extent; /* largest RFC 4737 reordering extent */
	uint64_t base;       /* lowest seq the window covers */
	uint64_t win[SC_TRACK_WINDOW / 64];
	struct sc_track_brk brk[SC_TRACK_BREAKERS];
	size_t nbrk, brk_head; /* ring of record breakers, oldest at brk_head */
};

/* Resets t to "nothing seen". */
void sc_track_init(struct sc_track *t);

/* Accounts one arriving message. Returns its kind; for SC_TRACK_REORDERED
 * *extent (may be NULL) gets its RFC 4737 reordering extent (arrivals since
 * the first later-numbered message arrived; a lower bound if that arrival
 * is older than the last SC_TRACK_BREAKERS record breakers), else 0. */
enum sc_track_kind sc_track_add(struct sc_track *t, uint64_t seq, uint64_t *extent);

/* Messages lost: sent_total - unique, never below 0. sent_total is the
 * sender's count (SC_TRACK_UNKNOWN if the receiver never learnt it: then
 * only gaps below the highest seq seen count, and losses after the last
 * message received cannot be seen). Lost means "never received intact":
 * a corrupted copy is never fed to the tracker (its seq cannot be
 * trusted, and anyone can send one), so it does not make up for a loss. */
#define SC_TRACK_UNKNOWN UINT64_MAX
uint64_t sc_track_lost(const struct sc_track *t, uint64_t sent_total);

/* The same count from totals alone (for joining a sender's count with a
 * receiver's summary): sent_total - unique, never below 0. */
uint64_t sc_track_lost_count(uint64_t sent_total, uint64_t unique);

#endif
