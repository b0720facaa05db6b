/* accept.h - how a stream receiver finds its sender among strangers.
 *
 * Anyone who can reach a TCP port (or write to an AF_UNIX socket file) can
 * connect to a receiver before the real sender does: idle connections,
 * clients that send half a header and stall, garbage, another run's
 * sender. The accept policy keeps them from locking the sender out or
 * making the receiver spin:
 *
 *   - every pending connection is watched at once (epoll), edge-triggered,
 *     so one that sent a partial header wakes the receiver again only when
 *     more bytes arrive (no busy loop on data that stays unread);
 *   - the sender is the first connection whose first bytes the caller's
 *     judge accepts (a valid header of this run); garbage, another run's
 *     header or a close is turned away at once;
 *   - a connection still undecided stall_ns after it was accepted is
 *     closed, and at most max_pending are held: when full, the oldest goes
 *     first, so a newcomer (the sender) always gets a hearing;
 *   - RLIMIT_NOFILE's soft limit is raised towards the hard one if the
 *     crowd needs it, and max_pending lowered to what fits.
 *
 * The read loop (recv.c) and the accounting (side.c) are separate: this
 * file only decides which connection is the sender and counts the rest. */
#ifndef SC_ACCEPT_H
#define SC_ACCEPT_H

#include <stdint.h>

#include "sock.h"

/* Connections held while waiting for the sender's first header, unless
 * the caller asks for fewer (or RLIMIT_NOFILE allows fewer). */
#define SC_ACCEPT_MAX_PENDING 4096
/* After the sender is chosen, the listener is emptied at most this often. */
#define SC_ACCEPT_SWEEP_NS (10 * 1000 * 1000ull)

struct sc_accept_opts {
	unsigned max_pending; /* 0: SC_ACCEPT_MAX_PENDING */
	uint64_t stall_ns;    /* an undecided connection is closed this long after accept */
	/* Looks at what fd has sent so far without consuming it (MSG_PEEK).
	 * Returns 1 (this run's sender), 0 (cannot tell yet) or -1 (not the
	 * sender: garbage, another run, closed, error). */
	int (*judge)(void *arg, int fd);
	void *arg;
};

/* What became of the connections that were not the sender. */
struct sc_accept {
	uint64_t strangers; /* judged not the sender */
	uint64_t stalled;   /* undecided after stall_ns */
	uint64_t crowded;   /* the oldest, closed to make room */
	uint64_t undecided; /* still pending when the sender was found or the wait ended */
	uint64_t late;      /* connected after the sender was chosen */
	unsigned max_pending; /* the bound actually used */
	uint64_t next_sweep_ns;
};

/* Accepts connections on the listening socket lfd until one is the
 * sender (by o->judge) and returns it (blocking, close-on-exec); every
 * other connection is closed and counted in a (zeroed first). Leaves lfd
 * non-blocking. Returns the fd, -ETIMEDOUT (dl passed), -EINTR (dl->stop)
 * or -errno. */
int sc_accept_sender(int lfd, const struct sc_accept_opts *o, const struct sc_deadline *dl,
		     struct sc_accept *a);

/* Connections that were not the sender, closed so far. */
uint64_t sc_accept_closed(const struct sc_accept *a);

/* After sc_accept_sender(): closes connections waiting on lfd, so that
 * strangers cannot fill the backlog or wait for us forever; looks at most
 * once every SC_ACCEPT_SWEEP_NS, so a read loop can call it every time.
 * Returns how many it closed (also added to a->late). */
unsigned sc_accept_turn_away(int lfd, struct sc_accept *a);

#endif
