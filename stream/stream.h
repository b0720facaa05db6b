/* stream.h - the byte-stream side of sockcmp (tcp, tcp6, unix-stream).
 *
 * A stream socket delivers bytes, not messages: the receiver re-frames
 * what each read returned (shared/frame.c) to find where the sender's
 * messages began and ended. Compare datagram/datagram.h, where every
 * receive call is exactly one message. */
#ifndef SC_STREAM_H
#define SC_STREAM_H

#include "prog.h"

/* Accepts one sender on the listening socket lfd and reads until EOF. */
int sc_stream_recv(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		   const volatile sig_atomic_t *stop);

/* Connects and writes the plan, then waits for every byte to be
 * acknowledged before reading TCP's retransmission count. */
int sc_stream_send(const struct sc_send_opts *o, struct sc_side *s,
		   const volatile sig_atomic_t *stop);

#endif
