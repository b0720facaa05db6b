/* rr.h - request/response: the rr and crr modes' client and echo server
 * (see rr.c for how they work and what they count). */
#ifndef SC_RR_H
#define SC_RR_H

#include <signal.h>

#include "opts.h"
#include "side.h"

/* The client: the plan's messages as requests, one at a time, each reply
 * awaited (o->style SC_STYLE_RR, or SC_STYLE_CRR: a new connection per
 * request on a stream). Round-trip times go into s's records and
 * histogram (the summary's latency columns), answered requests into its
 * tracker (unique_msgs). Returns 0 or -errno with s->error set. */
int sc_rr_client(const struct sc_send_opts *o, struct sc_side *s, const volatile sig_atomic_t *stop);

/* The echo server on the listening (or, for datagrams, bound) socket lfd:
 * answers every authentic request of this run with itself, until the
 * client's end marker. Returns 0 or -errno with s->error set. */
int sc_rr_server(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		 const volatile sig_atomic_t *stop);

#endif
