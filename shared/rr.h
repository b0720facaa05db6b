/* rr.h - request/response: the rr and crr modes' client and echo server
 * (see rr.c for how they work and what they count). */
#ifndef SC_RR_H
#define SC_RR_H

#include <signal.h>

#include "opts.h"
#include "side.h"
#include "sock.h"

/* The client: the plan's messages as requests, one at a time, each reply
 * awaited (o->style SC_STYLE_RR, or SC_STYLE_CRR: a new connection per
 * request on a stream). Round-trip times go into s's records and
 * histogram (the summary's latency columns), answered requests into its
 * tracker (unique_msgs). Returns 0 or -errno with s->error set. */
int sc_rr_client(const struct sc_send_opts *o, struct sc_side *s, const volatile sig_atomic_t *stop);

/* How a stream echo server takes its next client: a connected blocking
 * fd, or -errno (-ETIMEDOUT once dl has passed, -EINTR). The stream
 * programs pass their accept policy (stream/accept.c: strangers judged by
 * their first bytes and evicted, no busy loop), so an idle stranger that
 * connects first cannot hold the server while the client waits. */
struct sc_rr_accept {
	int (*next)(void *arg, int lfd, const struct sc_deadline *dl, struct sc_side *s);
	void *arg;
};

/* The echo server on the listening (or, for datagrams, bound) socket lfd:
 * answers every authentic request of this run with itself, until the
 * client's end marker. Stream connections come through acc (NULL: the
 * first to connect, sc_sock_accept). Returns 0 or -errno with s->error
 * set. */
int sc_rr_server(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		 const struct sc_rr_accept *acc, const volatile sig_atomic_t *stop);

#endif
