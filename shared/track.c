/* track.c - loss, duplicates and reordering from sequence numbers.
 *
 * Sequence numbers are 64-bit and start at 0: they cannot wrap in any run
 * (584 years at a billion messages a second), so plain unsigned comparison
 * is used and no RFC 1982 serial-number arithmetic is needed. The one edge
 * kept in mind is a forged or corrupted seq near UINT64_MAX: every
 * comparison is written as a difference from a smaller value, and NextExp
 * saturates instead of wrapping to 0.
 *
 * Definitions follow RFC 4737 ("Packet Reordering Metrics"): a message is
 * reordered when its seq is below NextExp, the highest seq seen so far
 * plus one (section 3.3). Unlike iperf3, a duplicate is never counted as
 * reordered and never makes up for a lost message: loss is computed from
 * distinct seqs only. */
#include "track.h"

#include <string.h>

#define WORDS (SC_TRACK_WINDOW / 64)

/* Resets t to "nothing seen": NextExp 0, the window covering [0, WINDOW). */
void sc_track_init(struct sc_track *t)
{
	memset(t, 0, sizeof(*t));
}

/* Returns whether seq, which must lie in [base, base + WINDOW), was seen.
 * The window is a ring: seq's bit sits at seq % WINDOW whatever base is. */
static int seen(const struct sc_track *t, uint64_t seq)
{
	uint64_t i = seq % SC_TRACK_WINDOW;

	return (t->win[i / 64] >> (i % 64)) & 1;
}

/* Marks seq (in the window) as seen. */
static void mark(struct sc_track *t, uint64_t seq)
{
	uint64_t i = seq % SC_TRACK_WINDOW;

	t->win[i / 64] |= 1ull << (i % 64);
}

/* Moves base up so that the window [base, base + WINDOW) ends at seq,
 * clearing the bits of the seqs that leave so they can be reused by the
 * seqs that enter. Costs O(WINDOW / 64 + 64) at most: a jump of a whole
 * window or more clears the ring at once, so seq 0 followed by seq 1e12
 * is as cheap as a step of one. */
static void slide(struct sc_track *t, uint64_t seq)
{
	uint64_t nbase, s;

	if (seq - t->base < SC_TRACK_WINDOW)
		return;
	nbase = seq - (SC_TRACK_WINDOW - 1);
	if (nbase - t->base >= SC_TRACK_WINDOW) {
		memset(t->win, 0, sizeof(t->win));
	} else {
		for (s = t->base; s < nbase;) {
			uint64_t i = s % SC_TRACK_WINDOW;

			if (i % 64 == 0 && nbase - s >= 64) {
				t->win[i / 64] = 0;
				s += 64;
			} else {
				t->win[i / 64] &= ~(1ull << (i % 64));
				s++;
			}
		}
	}
	t->base = nbase;
}

/* Remembers a record breaker (an arrival that raised NextExp), dropping
 * the oldest when the ring is full. Seqs and arrival indexes in the ring
 * both rise from brk_head on. */
static void add_breaker(struct sc_track *t, uint64_t seq, uint64_t arrival)
{
	size_t at;

	if (t->nbrk == SC_TRACK_BREAKERS) {
		at = t->brk_head;
		t->brk_head = (t->brk_head + 1) % SC_TRACK_BREAKERS;
	} else {
		at = (t->brk_head + t->nbrk) % SC_TRACK_BREAKERS;
		t->nbrk++;
	}
	t->brk[at].seq = seq;
	t->brk[at].arrival = arrival;
}

/* Returns the RFC 4737 reordering extent (section 4.2.1) of seq s, late,
 * arriving at index i: i - j, where j is the arrival index of the earliest
 * arrival with a seq above s. When that message came, everything before it
 * was <= s, so it raised NextExp: it is a record breaker, and since the
 * breakers' seqs rise, it is the first breaker above s (binary search).
 * If it has left the ring, every kept breaker is above s and the oldest
 * one gives a lower bound. 0 if no breaker is above s (cannot happen for
 * a seq below NextExp, since the last breaker is NextExp - 1 and a seq
 * equal to it is a duplicate). */
static uint64_t extent_of(const struct sc_track *t, uint64_t s, uint64_t i)
{
	size_t lo = 0, hi = t->nbrk;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->brk[(t->brk_head + mid) % SC_TRACK_BREAKERS].seq > s)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == t->nbrk)
		return 0;
	return i - t->brk[(t->brk_head + lo) % SC_TRACK_BREAKERS].arrival;
}

/* Counts a late first copy (or a stale one) as reordered and returns its
 * extent, keeping max_extent. */
static uint64_t late(struct sc_track *t, uint64_t seq, uint64_t i)
{
	uint64_t e = extent_of(t, seq, i);

	t->reordered++;
	if (e > t->max_extent)
		t->max_extent = e;
	return e;
}

/* Returns the kind of the arrival; never fails. *ext (may be NULL) gets
 * the extent of a REORDERED arrival, 0 for the other kinds. */
enum sc_track_kind sc_track_add(struct sc_track *t, uint64_t seq, uint64_t *ext)
{
	uint64_t i = t->arrivals++, e;

	if (ext)
		*ext = 0;
	if (seq < t->base) {
		/* Stale: too far behind to tell whether it is a copy. It is
		 * counted as a new, late message: unique (so a late first copy
		 * is not reported lost) and reordered, since it is below
		 * NextExp like any late message; its extent (usually a lower
		 * bound, its breaker having left the ring) counts towards
		 * max_extent but is not reported through *ext. A stale
		 * duplicate is thus over-counted as unique; that error is
		 * bounded by the stale count, which is reported alongside. */
		t->unique++;
		t->stale++;
		late(t, seq, i);
		return SC_TRACK_STALE;
	}
	if (seq - t->base < SC_TRACK_WINDOW && seen(t, seq)) {
		t->duplicated++;
		return SC_TRACK_DUPLICATE;
	}
	slide(t, seq);
	mark(t, seq);
	t->unique++;
	if (seq >= t->next_exp) {
		/* Saturate: a seq of UINT64_MAX must not wrap NextExp to 0. */
		t->next_exp = seq == UINT64_MAX ? UINT64_MAX : seq + 1;
		add_breaker(t, seq, i);
		return SC_TRACK_IN_ORDER;
	}
	e = late(t, seq, i);
	if (ext)
		*ext = e;
	return SC_TRACK_REORDERED;
}

/* Returns sent_total - unique, or 0 if that would be negative (more
 * arrived than were said to be sent: a forged or stale count). */
uint64_t sc_track_lost_count(uint64_t sent_total, uint64_t unique)
{
	return sent_total > unique ? sent_total - unique : 0;
}

/* Returns the messages lost, never below 0. With SC_TRACK_UNKNOWN, the
 * sender's count is replaced by NextExp (seqs start at 0, so NextExp is
 * how many were sent up to the highest seen): only gaps below the highest
 * seq count, a lower bound. */
uint64_t sc_track_lost(const struct sc_track *t, uint64_t sent_total)
{
	if (sent_total == SC_TRACK_UNKNOWN)
		sent_total = t->next_exp;
	return sc_track_lost_count(sent_total, t->unique);
}
