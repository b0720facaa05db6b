/* stream.h - the byte-stream side of sockcmp (tcp, tcp6, unix-stream).
 *
 * A stream socket delivers bytes, not messages: the receiver re-frames
 * what each read returned (shared/frame.c) to find where the sender's
 * messages began and ended. Compare datagram/datagram.h, where every
 * receive call is exactly one message. */
#ifndef SC_STREAM_H
#define SC_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "prog.h"

/* Accepts one sender on the listening socket lfd and reads until EOF. */
int sc_stream_recv(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		   const volatile sig_atomic_t *stop);

/* Connects and writes the plan, then waits for every byte to be
 * acknowledged before reading TCP's retransmission count. */
int sc_stream_send(const struct sc_send_opts *o, struct sc_side *s,
		   const volatile sig_atomic_t *stop);

/* Writes one whole sockcmp message of len bytes on fd: the header
 * hdr[0..44) (sc_wire_build_header) and message seq's pattern payload,
 * sent from the pattern with sendmsg, no payload copied. Partial writes
 * (a signal, a send timeout) resume at the next byte; each call is
 * recorded in s. An sc_emit_fn for sc_plan_send_pattern. Returns 0 or
 * -errno with s->error set. */
int sc_stream_write_pattern(int fd, const uint8_t *hdr, size_t len, uint64_t seq,
			    struct sc_side *s, const volatile sig_atomic_t *stop);

#endif
