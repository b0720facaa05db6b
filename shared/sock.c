/* sock.c - socket helpers with deadlines. */
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"

/* Writes a one-line reason into err (which may be NULL). */
__attribute__((format(printf, 3, 4))) static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Removes a leftover AF_UNIX socket file so bind() can reuse the path;
 * anything that is not a socket is left alone (bind then fails EADDRINUSE). */
static void unlink_stale(const struct sc_endpoint *ep)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)&ep->addr;
	struct stat st;

	if (ep->family != AF_UNIX || un->sun_path[0] == '\0')
		return;
	if (lstat(un->sun_path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(un->sun_path);
}

int sc_sock_listen(const struct sc_transport *t, const struct sc_endpoint *ep,
		   char *err, size_t errlen)
{
	int fd, one = 1, e;

	fd = socket(ep->family, t->socktype | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		say(err, errlen, "socket(%s): %s", t->name, strerror(e));
		return -e;
	}
	if (ep->family != AF_UNIX)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ep->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	unlink_stale(ep);
	if (bind(fd, (const struct sockaddr *)&ep->addr, ep->len) < 0) {
		e = errno;
		say(err, errlen, "bind (%s): %s", t->name, strerror(e));
		goto fail;
	}
	if (t->connected && listen(fd, 16) < 0) {
		e = errno;
		say(err, errlen, "listen (%s): %s", t->name, strerror(e));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -e;
}

int sc_sock_wait(int fd, short events, const struct sc_deadline *dl)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events};
		int ms = -1, n;

		if (dl->stop && *dl->stop)
			return -EINTR;
		if (dl->at) {
			uint64_t now = sc_mono_ns();

			if (now >= dl->at)
				return -ETIMEDOUT;
			/* Round up so we never spin on a sub-millisecond rest. */
			ms = (int)((dl->at - now + SC_NS_PER_MS - 1) / SC_NS_PER_MS);
		}
		n = poll(&p, 1, ms);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int sc_sock_accept(int lfd, const struct sc_deadline *dl)
{
	for (;;) {
		int r = sc_sock_wait(lfd, POLLIN, dl), fd;

		if (r < 0)
			return r;
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN)
			return -errno;
	}
}

int sc_sock_connect(const struct sc_transport *t, const struct sc_endpoint *ep,
		    const struct sc_deadline *dl, char *err, size_t errlen)
{
	int last = 0;

	for (;;) {
		int fd, e;

		if (dl->stop && *dl->stop)
			return -EINTR;
		fd = socket(ep->family, t->socktype | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			e = errno;
			say(err, errlen, "socket(%s): %s", t->name, strerror(e));
			return -e;
		}
		if (connect(fd, (const struct sockaddr *)&ep->addr, ep->len) == 0)
			return fd;
		e = errno;
		close(fd);
		/* Refused or no socket file yet: the receiver may still be
		 * starting, so try again until the deadline. */
		if (e != ECONNREFUSED && e != ENOENT && e != EINTR) {
			say(err, errlen, "connect (%s): %s", t->name, strerror(e));
			return -e;
		}
		if (e != EINTR)
			last = e;
		if (dl->at && sc_mono_ns() >= dl->at) {
			say(err, errlen, "no receiver answered (%s): %s", t->name, strerror(last));
			return -ETIMEDOUT;
		}
		sc_sleep_ns(10 * SC_NS_PER_MS, dl->stop);
	}
}

int sc_sock_bufs(int fd, uint64_t rcvbuf, uint64_t sndbuf)
{
	int v;

	if (rcvbuf) {
		v = rcvbuf > 0x7fffffff ? 0x7fffffff : (int)rcvbuf;
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
			return -errno;
	}
	if (sndbuf) {
		v = sndbuf > 0x7fffffff ? 0x7fffffff : (int)sndbuf;
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0)
			return -errno;
	}
	return 0;
}

int sc_sock_timeouts(int fd, uint64_t ns)
{
	struct timeval tv = {.tv_sec = (time_t)(ns / SC_NS_PER_S),
			     .tv_usec = (suseconds_t)(ns % SC_NS_PER_S / 1000)};

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

long sc_sock_unsent(int fd)
{
	int n;

	if (ioctl(fd, SIOCOUTQ, &n) < 0)
		return -errno;
	return n;
}

int sc_sock_drain(int fd, const struct sc_deadline *dl)
{
	for (;;) {
		long n = sc_sock_unsent(fd);

		if (n <= 0)
			return 0; /* drained, or the kind cannot tell: do not wait */
		if (dl->stop && *dl->stop)
			return -EINTR;
		if (dl->at && sc_mono_ns() >= dl->at)
			return -ETIMEDOUT;
		sc_sleep_ns(SC_NS_PER_MS, dl->stop);
	}
}

int sc_tcp_retrans(int fd, uint64_t *out)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return errno == ENOPROTOOPT ? -EOPNOTSUPP : -errno;
	*out = ti.tcpi_total_retrans;
	return 0;
}
