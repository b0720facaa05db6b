/* sock.h - socket helpers shared by the stream and datagram programs.
 *
 * Small and flat (after Valkey's anet.c): each returns a descriptor or 0 on
 * success and -errno on failure, and where a failure needs explaining it
 * writes one line into err (which may be NULL). Every call that can block
 * takes a deadline on CLOCK_MONOTONIC and a stop flag set by the caller's
 * signal handler, so nothing here can hang. */
#ifndef SC_SOCK_H
#define SC_SOCK_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"
#include "transport.h"

struct sc_deadline {
	uint64_t at;                        /* CLOCK_MONOTONIC ns, 0 = none */
	const volatile sig_atomic_t *stop;  /* set by a signal handler, may be NULL */
};

/* Creates the receiving socket for t at ep: bound, and listening if t is
 * connection-oriented. A stale AF_UNIX socket file at the path is removed
 * first (only if it is a socket). Returns the fd or -errno. */
int sc_sock_listen(const struct sc_transport *t, const struct sc_endpoint *ep,
		   char *err, size_t errlen);

/* Waits for and accepts one connection on lfd. Returns the new fd,
 * -ETIMEDOUT, -EINTR (stop set) or -errno. */
int sc_sock_accept(int lfd, const struct sc_deadline *dl);

/* Connects a new socket of kind t to ep, retrying while the receiver is not
 * there yet (ECONNREFUSED, ENOENT) until the deadline. For connectionless
 * kinds this fixes the peer address so send() can be used. Returns the fd,
 * -ETIMEDOUT (with the last refusal's reason in err), -EINTR or -errno. */
int sc_sock_connect(const struct sc_transport *t, const struct sc_endpoint *ep,
		    const struct sc_deadline *dl, char *err, size_t errlen);

/* Waits until fd is ready for events (POLLIN/POLLOUT). Returns 0,
 * -ETIMEDOUT, -EINTR (stop set) or -errno. */
int sc_sock_wait(int fd, short events, const struct sc_deadline *dl);

/* Sets SO_RCVBUF / SO_SNDBUF when non-zero. Returns 0 or -errno. */
int sc_sock_bufs(int fd, uint64_t rcvbuf, uint64_t sndbuf);

/* Sets SO_RCVTIMEO and SO_SNDTIMEO, the backstop for calls that block
 * inside the kernel (MSG_WAITALL, a full send buffer). Returns 0 or -errno. */
int sc_sock_timeouts(int fd, uint64_t ns);

/* Bytes written but not yet acknowledged (TCP) or not yet read by the peer
 * (AF_UNIX), via SIOCOUTQ. Returns the count or -errno. */
long sc_sock_unsent(int fd);

/* Waits until every byte written on a stream socket has been acknowledged,
 * so its TCP counters are final. Returns 0, -ETIMEDOUT or -EINTR. */
int sc_sock_drain(int fd, const struct sc_deadline *dl);

/* TCP's total retransmitted segments on fd (TCP_INFO). Returns 0 or -errno
 * (-EOPNOTSUPP if fd is not TCP). */
int sc_tcp_retrans(int fd, uint64_t *out);

#endif
