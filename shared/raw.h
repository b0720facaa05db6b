/* raw.h - the --raw conversation with a foreign peer (nc, the lecture's
 * programs, a user's own client): replies and reading a reply, each call
 * recorded in the side's exchange log (exchange.h). Stream and datagram
 * programs share these because here they truly do the same thing: move
 * one piece of text and note who it came from. */
#ifndef SC_RAW_H
#define SC_RAW_H

#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>

#include "side.h"

/* Quiet time after which a reply that has begun is taken to be complete
 * (the lecture's client reads once; a peer may also never close). */
#define SC_RAW_REPLY_QUIET_NS (100 * 1000 * 1000ull)

/* Sends text (its strlen, possibly 0 bytes) on fd: to the address to
 * (datagram sockets that are not connected) or to the connected peer (to
 * NULL); a stream write is completed if partial. The call is recorded in
 * s->xchg as an "out" row. Returns 0 or -errno. */
int sc_raw_reply(int fd, const char *text, const struct sockaddr *to, socklen_t tolen,
		 struct sc_side *s);

/* A raw sender's last step: waits up to wait_ns for the peer's reply and
 * reads it until the peer closes (a stream's EOF) or goes quiet for
 * SC_RAW_REPLY_QUIET_NS; each read is an "in" row of s->xchg. No reply at
 * all is not an error (the peer may not answer), nor is a reset after a
 * reply (a peer that closes with our bytes unread: s->error notes it).
 * Returns 0, -EINTR, or
 * -errno when the peer is not there (ECONNREFUSED: a UDP port nobody
 * listens on, learnt from the ICMP port-unreachable), with s->error set. */
int sc_raw_read_reply(int fd, uint64_t wait_ns, struct sc_side *s, const volatile sig_atomic_t *stop);

/* The same, naming the peer "to" (the address connected to) when the
 * socket can no longer say (after a reset). */
int sc_raw_read_reply_from(int fd, uint64_t wait_ns, const struct sockaddr *to, socklen_t tolen,
			   struct sc_side *s, const volatile sig_atomic_t *stop);

#endif
