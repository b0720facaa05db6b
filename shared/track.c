/* track.c - loss, duplicates and reordering from sequence numbers.
 *
 * Sequence numbers are 64-bit and start at 0: they cannot wrap in any
 * run (584 years at a billion messages a second), so no serial-number
 * arithmetic is needed. */
#include "track.h"

#include <string.h>

void sc_track_init(struct sc_track *t)
{
	memset(t, 0, sizeof(*t));
}

static int seen(const struct sc_track *t, uint64_t seq)
{
	uint64_t i = seq % SC_TRACK_WINDOW;

	return (t->win[i / 64] >> (i % 64)) & 1;
}

static void mark(struct sc_track *t, uint64_t seq)
{
	uint64_t i = seq % SC_TRACK_WINDOW;

	t->win[i / 64] |= 1ull << (i % 64);
}

/* Moves the window so that seq fits: [base, base + WINDOW). Bits of the
 * seqs that leave are cleared; a jump of a whole window or more clears
 * everything at once, so a huge jump costs no more than a small one. */
static void slide(struct sc_track *t, uint64_t seq)
{
	uint64_t nbase;

	if (seq < t->base + SC_TRACK_WINDOW)
		return;
	nbase = seq - SC_TRACK_WINDOW + 1;
	if (nbase - t->base >= SC_TRACK_WINDOW) {
		memset(t->win, 0, sizeof(t->win));
	} else {
		for (uint64_t s = t->base; s < nbase; s++) {
			uint64_t i = s % SC_TRACK_WINDOW;

			t->win[i / 64] &= ~(1ull << (i % 64));
		}
	}
	t->base = nbase;
}

/* Remembers a record-breaking arrival (one that raised NextExp). */
static void breaker(struct sc_track *t, uint64_t seq, uint64_t arrival)
{
	size_t at = (t->brk_head + t->nbrk) % SC_TRACK_BREAKERS;

	if (t->nbrk == SC_TRACK_BREAKERS) {
		at = t->brk_head;
		t->brk_head = (t->brk_head + 1) % SC_TRACK_BREAKERS;
	} else {
		t->nbrk++;
	}
	t->brk[at].seq = seq;
	t->brk[at].arrival = arrival;
}

/* RFC 4737 section 4.2.1: the extent of a reordered packet s arriving at
 * index i is i - j, where j is the arrival index of the earliest packet
 * with a larger sequence number. That packet raised NextExp when it came
 * (nothing before it was larger than s), so it is a record breaker: find
 * the first breaker with seq > s by binary search (breakers' seqs rise). */
static uint64_t extent(const struct sc_track *t, uint64_t s, uint64_t i)
{
	size_t lo = 0, hi = t->nbrk;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->brk[(t->brk_head + mid) % SC_TRACK_BREAKERS].seq > s)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* lo == nbrk cannot happen (the breaker that set NextExp > s is
	 * kept); lo == 0 with a full ring means the real one was dropped:
	 * the oldest kept gives a lower bound. */
	if (lo == t->nbrk)
		return 0;
	return i - t->brk[(t->brk_head + lo) % SC_TRACK_BREAKERS].arrival;
}

enum sc_track_kind sc_track_add(struct sc_track *t, uint64_t seq, uint64_t *ext)
{
	uint64_t i = t->arrivals++;

	if (ext)
		*ext = 0;
	if (seq < t->base) {
		/* Too far behind to know whether it is a copy: count it as a
		 * late first copy. */
		t->unique++;
		t->stale++;
		t->reordered++;
		return SC_TRACK_STALE;
	}
	if (t->unique && seq < t->base + SC_TRACK_WINDOW && seen(t, seq)) {
		t->duplicated++;
		return SC_TRACK_DUPLICATE;
	}
	slide(t, seq);
	mark(t, seq);
	t->unique++;
	if (seq >= t->next_exp) {
		t->next_exp = seq + 1;
		breaker(t, seq, i);
		return SC_TRACK_IN_ORDER;
	}
	t->reordered++;
	{
		uint64_t e = extent(t, seq, i);

		if (e > t->max_extent)
			t->max_extent = e;
		if (ext)
			*ext = e;
	}
	return SC_TRACK_REORDERED;
}

uint64_t sc_track_lost_count(uint64_t sent_total, uint64_t unique, uint64_t arrived_unusable)
{
	uint64_t got = unique + arrived_unusable;

	return sent_total > got ? sent_total - got : 0;
}

uint64_t sc_track_lost(const struct sc_track *t, uint64_t sent_total, uint64_t arrived_unusable)
{
	if (sent_total == SC_TRACK_UNKNOWN)
		return sc_track_lost_count(t->next_exp, t->unique, 0);
	return sc_track_lost_count(sent_total, t->unique, arrived_unusable);
}
