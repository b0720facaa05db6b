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

/* The path of an AF_UNIX endpoint, or NULL for abstract names and other
 * families (nothing in the file system to look after). */
static const char *unix_path(const struct sc_endpoint *ep)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)&ep->addr;

	if (ep->family != AF_UNIX || un->sun_path[0] == '\0')
		return NULL;
	return un->sun_path;
}

int sc_sock_unix_alive(const char *path)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	int fd, r, e;

	if (strlen(path) >= sizeof(un.sun_path))
		return -ENAMETOOLONG;
	memcpy(un.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)&un, sizeof(un));
	e = errno;
	close(fd);
	if (r == 0)
		return 1;
	switch (e) {
	case ECONNREFUSED: /* a file with nobody behind it (or not listening) */
	case ENOENT:
		return 0;
	case EAGAIN:     /* a listener with a full queue */
	case EINPROGRESS:
	case EPROTOTYPE: /* a live socket of another type */
	case EPERM:      /* a datagram socket connected elsewhere */
		return 1;
	default:
		return -e;
	}
}

/* Clears the way for binding to an AF_UNIX path: refuses (-EADDRINUSE) a
 * socket something is bound to, or a stale one another user owns, and
 * removes a stale one of ours. Anything that is not a socket is left for
 * bind() to refuse. Returns 0 or -errno with a reason in err. */
static int clear_path(const char *path, char *err, size_t errlen)
{
	struct stat st, again;
	int alive;

	if (lstat(path, &st) < 0) {
		int e = errno;

		if (e == ENOENT)
			return 0;
		say(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (!S_ISSOCK(st.st_mode))
		return 0;
	alive = sc_sock_unix_alive(path);
	if (alive > 0) {
		say(err, errlen, "%s is in use: a live socket is bound there (left alone)", path);
		return -EADDRINUSE;
	}
	if (alive < 0) {
		say(err, errlen, "%s is in use? cannot tell: %s (left alone)", path, strerror(-alive));
		return -EADDRINUSE;
	}
	if (st.st_uid != geteuid()) {
		say(err, errlen, "%s is in use: a stale socket of uid %u (left alone; remove it first)",
		    path, (unsigned)st.st_uid);
		return -EADDRINUSE;
	}
	/* Unlink the very file the probe found dead, not one that took its
	 * place meanwhile. */
	if (lstat(path, &again) == 0 && again.st_dev == st.st_dev && again.st_ino == st.st_ino &&
	    unlink(path) < 0 && errno != ENOENT) {
		int e = errno;

		say(err, errlen, "cannot remove the stale socket %s: %s", path, strerror(e));
		return -e;
	}
	return 0;
}

/* Sets one integer socket option. Returns 0 or -errno with a reason. */
static int opt(int fd, int level, int name, const char *what, int v, char *err, size_t errlen)
{
	if (setsockopt(fd, level, name, &v, sizeof(v)) < 0) {
		int e = errno;

		say(err, errlen, "setsockopt(%s): %s", what, strerror(e));
		return -e;
	}
	return 0;
}

int sc_sock_listen_file(const struct sc_transport *t, const struct sc_endpoint *ep,
			struct sc_sock_file *file, char *err, size_t errlen)
{
	const char *path = unix_path(ep);
	int fd, e;

	if (file)
		memset(file, 0, sizeof(*file));
	fd = socket(ep->family, t->socktype | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		say(err, errlen, "socket(%s): %s", t->name, strerror(e));
		return -e;
	}
	e = 0;
	if (ep->family != AF_UNIX && t->socktype == SOCK_STREAM)
		e = -opt(fd, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", 1, err, errlen);
	if (!e && ep->family == AF_INET6)
		e = -opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY", 1, err, errlen);
	if (!e && path)
		e = -clear_path(path, err, errlen);
	if (e)
		goto fail;
	if (bind(fd, (const struct sockaddr *)&ep->addr, ep->len) < 0) {
		e = errno;
		if (e == EADDRINUSE && path)
			say(err, errlen, "%s is in use: something other than a stale socket is there (left alone)", path);
		else
			say(err, errlen, "bind (%s): %s", t->name, strerror(e));
		goto fail;
	}
	if (path && file) {
		struct stat st;

		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
			file->made = true;
			file->dev = st.st_dev;
			file->ino = st.st_ino;
			snprintf(file->path, sizeof(file->path), "%s", path);
		}
	}
	if (t->connected && listen(fd, SC_SOCK_BACKLOG) < 0) {
		e = errno;
		say(err, errlen, "listen (%s): %s", t->name, strerror(e));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	if (file)
		sc_sock_file_remove(file);
	return -e;
}

int sc_sock_listen(const struct sc_transport *t, const struct sc_endpoint *ep,
		   char *err, size_t errlen)
{
	return sc_sock_listen_file(t, ep, NULL, err, errlen);
}

int sc_sock_file_remove(struct sc_sock_file *f)
{
	struct stat st;

	if (!f->made)
		return 0;
	f->made = false;
	if (lstat(f->path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (st.st_dev != f->dev || st.st_ino != f->ino)
		return -ESTALE;
	if (unlink(f->path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
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

/* Why an attempt to connect failed, in words a user can act on. */
static const char *why(int e)
{
	switch (e) {
	case ETIMEDOUT:
		return "the handshake was never answered (its accept queue is full, or packets are dropped)";
	case EAGAIN:
		return "its accept queue is full";
	default:
		return strerror(e);
	}
}

/* Sets or clears O_NONBLOCK. Returns 0 or -errno. */
static int nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl) < 0 ? -errno : 0;
}

/* One non-blocking connect() of fd to ep, waited for until the deadline.
 * Returns 0, the connection's own error (-ECONNREFUSED...), -ETIMEDOUT if
 * the handshake was still under way at the deadline, or -EINTR. */
static int connect_once(int fd, const struct sc_endpoint *ep, const struct sc_deadline *dl)
{
	int soerr = 0, r;
	socklen_t len = sizeof(soerr);

	if (connect(fd, (const struct sockaddr *)&ep->addr, ep->len) == 0)
		return 0;
	/* EINTR leaves the connection under way, as EINPROGRESS does. */
	if (errno != EINPROGRESS && errno != EINTR)
		return -errno;
	r = sc_sock_wait(fd, POLLOUT, dl);
	if (r < 0)
		return r;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return -errno;
	return -soerr;
}

int sc_sock_connect(const struct sc_transport *t, const struct sc_endpoint *ep,
		    const struct sc_deadline *dl, char *err, size_t errlen)
{
	uint64_t start = sc_mono_ns();
	int last = ETIMEDOUT;

	for (;;) {
		int fd, e;

		if (dl->stop && *dl->stop)
			return -EINTR;
		fd = socket(ep->family, t->socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			e = errno;
			say(err, errlen, "socket(%s): %s", t->name, strerror(e));
			return -e;
		}
		e = -connect_once(fd, ep, dl);
		if (e == 0) {
			e = -nonblock(fd, false);
			if (e == 0)
				return fd;
			close(fd);
			say(err, errlen, "fcntl (%s): %s", t->name, strerror(e));
			return -e;
		}
		close(fd);
		if (e == EINTR)
			return -EINTR;
		/* Refused, no socket file yet, or a full AF_UNIX queue: the
		 * receiver may still be starting or about to accept, so try
		 * again until the deadline. */
		if (e != ECONNREFUSED && e != ENOENT && e != EAGAIN && e != ETIMEDOUT) {
			say(err, errlen, "connect (%s): %s", t->name, strerror(e));
			return -e;
		}
		/* The last try may be cut short by the deadline before its
		 * answer is read (ETIMEDOUT): an earlier refusal says more. */
		if (e != ETIMEDOUT || last == ETIMEDOUT)
			last = e;
		if (dl->at && sc_mono_ns() >= dl->at) {
			say(err, errlen, "no receiver answered (%s) within %llu ms: %s", t->name,
			    (unsigned long long)((dl->at > start ? dl->at - start + SC_NS_PER_MS / 2 : 0) / SC_NS_PER_MS),
			    why(last));
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

		if (n == 0 || n == -ENOTTY || n == -EOPNOTSUPP || n == -EINVAL)
			return 0; /* drained, or the kind cannot tell: do not wait */
		if (n < 0)
			return (int)n;
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
