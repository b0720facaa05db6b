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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "endpoint.h"
#include "transport.h"

struct sc_deadline {
	uint64_t at;                        /* CLOCK_MONOTONIC ns, 0 = none */
	const volatile sig_atomic_t *stop;  /* set by a signal handler, may be NULL */
};

/* The socket file a receiver created by binding to an AF_UNIX path, so
 * that exactly that file, and never one that replaced it, is removed at
 * the end. */
struct sc_sock_file {
	bool made;      /* bind() created a file at path */
	dev_t dev;      /* its device and inode right after bind() */
	ino_t ino;
	char path[108];
};

/* Backlog of connection-oriented receivers: room for a crowd of strangers
 * to wait in the kernel until the receiver sorts them out (the kernel caps
 * it at net.core.somaxconn). */
#define SC_SOCK_BACKLOG 4096

/* Creates the receiving socket for t at ep: bound, and listening if t is
 * connection-oriented. Nobody else can bind the same port while it is open:
 * SO_REUSEADDR is set on TCP listeners only (where Linux still refuses a
 * second listener, and it only spares waiting out TIME_WAIT), never on
 * datagram sockets (where any user could then share the port and receive
 * the run's datagrams), and SO_REUSEPORT never.
 *
 * At an AF_UNIX path, a socket file where something is alive (a connect()
 * probe does not get ECONNREFUSED) is refused with -EADDRINUSE; a stale one
 * (nobody bound to it any more) is replaced if this user owns it, refused
 * otherwise. If file is not NULL it records the file bind() made, for
 * sc_sock_file_remove(). Returns the fd or -errno, with a reason in err. */
int sc_sock_listen_file(const struct sc_transport *t, const struct sc_endpoint *ep,
			struct sc_sock_file *file, char *err, size_t errlen);

/* sc_sock_listen_file() without keeping track of the socket file. */
int sc_sock_listen(const struct sc_transport *t, const struct sc_endpoint *ep,
		   char *err, size_t errlen);

/* Removes the socket file f records if the path still names that very
 * file (same device and inode): a file that replaced it is left alone.
 * Returns 0 (removed, or nothing was made), -ESTALE (replaced: left alone)
 * or -errno. */
int sc_sock_file_remove(struct sc_sock_file *f);

/* Whether a live socket is bound at the AF_UNIX path: a non-blocking
 * stream connect() that gets anything but ECONNREFUSED (a listener, a queue
 * full of connections, a socket of another type) means yes. Returns 1
 * (alive), 0 (stale or no file) or -errno (cannot tell, e.g. -EACCES). */
int sc_sock_unix_alive(const char *path);

/* Waits for and accepts one connection on lfd. Returns the new fd,
 * -ETIMEDOUT, -EINTR (stop set) or -errno. */
int sc_sock_accept(int lfd, const struct sc_deadline *dl);

/* Connects a new socket of kind t to ep, retrying while the receiver is not
 * there yet (ECONNREFUSED, ENOENT, a full AF_UNIX accept queue) until the
 * deadline. Each attempt is a non-blocking connect() waited for with poll()
 * (as OpenBSD netcat's timeout_connect), so a handshake nobody answers (a
 * full TCP accept queue drops it) ends at the deadline too. For
 * connectionless kinds this fixes the peer address so send() can be used.
 * The socket returned is blocking and close-on-exec. Returns the fd,
 * -ETIMEDOUT (err says why the last attempt failed, never "Success"),
 * -EINTR or -errno. */
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

/* Waits until every byte written on a stream socket has been acknowledged
 * (or, AF_UNIX, read by the peer), so its counters are final. Returns 0,
 * -ETIMEDOUT, -EINTR or -errno. */
int sc_sock_drain(int fd, const struct sc_deadline *dl);

/* TCP's total retransmitted segments on fd (TCP_INFO). Returns 0 or -errno
 * (-EOPNOTSUPP if fd is not TCP). */
int sc_tcp_retrans(int fd, uint64_t *out);

#endif
