/* rxstamp.h - when a datagram reached its socket, from the kernel.
 *
 * A receiver's own clock reading after recvmsg() includes however long the
 * datagram sat in the socket buffer while the receiver waited for a CPU:
 * in a user-mode Linux guest on a busy host, up to seconds. The kernel
 * stamps each datagram on arrival (SO_TIMESTAMPNS, CLOCK_REALTIME, the
 * clock of the senders' wire timestamps), so latency can end there.
 *
 * Datagram receivers only: a stream's stamp is that of the last segment a
 * read took, and when a retransmission fills a hole, the out-of-order
 * segments behind it keep their earlier arrival times, which would hide the
 * head-of-line blocking a stream's latency is meant to show. */
#ifndef SC_RXSTAMP_H
#define SC_RXSTAMP_H

#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

/* Control-buffer room for the stamp, to add to a recvmsg() buffer. */
#define SC_RXSTAMP_SPACE CMSG_SPACE(sizeof(struct timespec))

/* Asks the kernel to stamp fd's datagrams. Returns 0 or -errno. */
int sc_rxstamp_enable(int fd);

/* The arrival time in m's control data (CLOCK_REALTIME ns), or fallback if
 * it holds none (stamping off, or the control buffer was too small). */
uint64_t sc_rxstamp_ns(const struct msghdr *m, uint64_t fallback);

#endif
