/* raw.c - replies and reading replies in --raw mode (see raw.h). */
#include "raw.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "exchange.h"
#include "sock.h"

/* True if fd is a SOCK_STREAM socket (its read of 0 means the end). */
static bool is_stream(int fd)
{
	int type = 0;
	socklen_t l = sizeof(type);

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) == 0 && type == SOCK_STREAM;
}

int sc_raw_reply(int fd, const char *text, const struct sockaddr *to, socklen_t tolen,
		 struct sc_side *s)
{
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	size_t len = strlen(text), off = 0;

	if (!to && getpeername(fd, (struct sockaddr *)&peer, &plen) == 0) {
		to = (const struct sockaddr *)&peer;
		tolen = plen;
		do {
			ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
			off += (size_t)n;
		} while (off < len);
	} else if (sendto(fd, text, len, MSG_NOSIGNAL, to, to ? tolen : 0) < 0) {
		return -errno;
	}
	sc_exchange_add(s->xchg, 'o', text, len, to, tolen);
	return 0;
}

int sc_raw_read_reply(int fd, uint64_t wait_ns, struct sc_side *s, const volatile sig_atomic_t *stop)
{
	return sc_raw_read_reply_from(fd, wait_ns, NULL, 0, s, stop);
}

int sc_raw_read_reply_from(int fd, uint64_t wait_ns, const struct sockaddr *to, socklen_t tolen,
			   struct sc_side *s, const volatile sig_atomic_t *stop)
{
	struct sc_deadline dl = {sc_mono_ns() + wait_ns, stop};
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	uint8_t buf[65536];
	bool any = false;

	if (!wait_ns)
		return 0;
	if (getpeername(fd, (struct sockaddr *)&peer, &plen) < 0) {
		plen = to && tolen <= sizeof(peer) ? tolen : 0;
		if (plen)
			memcpy(&peer, to, plen);
	}
	for (;;) {
		int r = sc_sock_wait(fd, POLLIN, &dl);
		ssize_t n;

		if (r == -ETIMEDOUT)
			return 0; /* no (more) reply: the peer said all it had */
		if (r < 0)
			return r;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0 && errno == ECONNRESET && any) {
			/* It answered, then closed with our bytes unread: the
			 * kernel resets such a connection. The answer is here. */
			snprintf(s->error, sizeof(s->error), "note: the peer reset the connection after its reply "
				 "(it closed without reading all we sent)");
			return 0;
		}
		if (n < 0) {
			int err = errno;

			snprintf(s->error, sizeof(s->error), err == ECONNREFUSED
				 ? "nobody is receiving there (connection refused, from an ICMP port unreachable)"
				 : "reading the reply failed: %s", strerror(err));
			return -err;
		}
		/* A stream's 0 is the peer's close; a datagram's 0 is an empty
		 * datagram, recorded like any other. */
		if (n == 0 && is_stream(fd))
			return 0;
		sc_exchange_add(s->xchg, 'i', buf, (size_t)n, plen ? (struct sockaddr *)&peer : NULL, plen);
		if (!any)
			any = true;
		dl.at = sc_mono_ns() + SC_RAW_REPLY_QUIET_NS;
	}
}
