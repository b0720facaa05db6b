/* datagram.h - the message side of sockcmp (udp, udp6, unix-dgram,
 * unix-seqpacket).
 *
 * Every receive call returns exactly one datagram, or its first bytes if
 * the buffer is too small (the rest is discarded, MSG_TRUNC). There is no
 * re-framing to do, unlike stream/stream.h; instead a datagram receiver
 * must cope with loss, duplicates, reordering and strangers' packets, and
 * connectionless senders end with a FIN marker (sent several times, since
 * any one of them can be lost) carrying their message count. */
#ifndef SC_DATAGRAM_H
#define SC_DATAGRAM_H

#include "prog.h"

/* FIN markers a connectionless sender sends; the gaps between them double
 * from the first, so a receiver that is busy (or asleep, or has a full
 * queue) for up to ~250 ms still gets one. The sender stops early once the
 * receiver is gone (connection refused). */
#define SC_DGRAM_FINS 9
#define SC_DGRAM_FIN_GAP_NS (1000 * 1000ull)

/* How long a sender keeps retrying a datagram the kernel refuses with
 * ENOBUFS (its local queue is full) before the run fails. */
#define SC_DGRAM_NOBUFS_NS (1000 * 1000 * 1000ull)

/* Batching (sendmmsg/recvmmsg, on unless --no-batch): at most this many
 * messages per call, and at most SC_DGRAM_BATCH_BYTES of messages in one
 * batch (so 64 KiB datagrams go 4 at a time). */
#define SC_DGRAM_BATCH 32
#define SC_DGRAM_BATCH_BYTES (256 * 1024)

int sc_dgram_recv(const struct sc_recv_opts *o, int fd, struct sc_side *s,
		  const volatile sig_atomic_t *stop);
int sc_dgram_send(const struct sc_send_opts *o, struct sc_side *s,
		  const volatile sig_atomic_t *stop);

#endif
