/* recv.c - datagram receiver: one receive call, one datagram. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "datagram.h"
#include "exchange.h"
#include "raw.h"
#include "sock.h"
#include "wire.h"

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

/* Without a run key, the first sender whose message was accepted: from
 * then on only its address counts (issue 7 #7: a stranger's message
 * arriving later must not join the run; with a key it cannot be accepted
 * at all). Unnamed AF_UNIX senders all share the empty address, so for them
 * this pins nothing: the socket file's permissions are their guard. */
struct pin {
	bool set;
	socklen_t len;
	struct sockaddr_storage addr;
};

/* Where one datagram came from (msg_name of its receive call). */
struct from {
	const struct sockaddr_storage *addr;
	socklen_t len;
};

/* True if the run has no key and the datagram is not from the pinned
 * sender. */
static bool not_pinned(const struct sc_recv_opts *o, const struct pin *pin, const struct from *f)
{
	if (o->c.key_set || o->c.t->connected || !pin->set)
		return false;
	return f->len != pin->len || memcmp(f->addr, &pin->addr, (size_t)f->len) != 0;
}

/* Counts a datagram that is not this run's traffic. */
static uint32_t foreign(struct sc_side *s, size_t got)
{
	s->foreign++;
	s->foreign_bytes += got;
	return SC_EV_FOREIGN;
}

/* Accounts an authentic end marker. Only a whole one (no payload, the crc
 * of none) gives the sender's count; any other is foreign and changes no
 * count. Returns the event flags. */
static uint32_t end_marker(struct sc_side *s, const struct sc_wire_hdr *h, size_t got, bool *fin)
{
	if (h->length != SC_WIRE_HDR_LEN || got != SC_WIRE_HDR_LEN) {
		s->malformed++;
		return SC_EV_MALFORMED;
	}
	if (h->crc != sc_wire_checksum(NULL, 0))
		return foreign(s, got);
	s->sender_total = h->seq;
	s->control_calls++;
	*fin = true;
	return SC_EV_FIN;
}

/* Classifies one datagram of got bytes (trunc: the kernel cut it to our
 * buffer) and accounts it. Returns the event flags. Every count it
 * changes rests on a header whose mac was checked first. */
static uint32_t classify(const struct sc_recv_opts *o, struct sc_side *s, struct pin *pin,
			 const struct from *from, const uint8_t *buf, size_t got, bool trunc,
			 struct sc_event *e, bool *fin)
{
	struct sc_wire_hdr h;
	int d = sc_wire_open(&o->c.key, buf, got, &h);
	bool corrupt = false;

	/* Not ours: too short, wrong magic or version (version 1 included),
	 * no valid mac, another run, or not the pinned sender. */
	if ((d < 0 && d != -EINVAL) || not_pinned(o, pin, from) ||
	    (o->c.token_set && h.token != o->c.token))
		return foreign(s, got);
	if (d == -EINVAL) {
		s->malformed++;
		return SC_EV_MALFORMED;
	}
	if (!pin->set && from->len <= sizeof(pin->addr)) {
		pin->set = true;
		pin->len = from->len;
		memcpy(&pin->addr, from->addr, (size_t)from->len);
	}
	e->has_seq = true;
	e->first_seq = e->last_seq = h.seq;
	if (h.flags & SC_WIRE_F_FIN)
		return end_marker(s, &h, got, fin);
	/* The header's length must match the datagram: shorter only when
	 * the kernel truncated it to our buffer. */
	if (trunc ? h.length <= got : h.length != got) {
		s->malformed++;
		return SC_EV_MALFORMED;
	}
	if (!trunc)
		corrupt = sc_wire_checksum(buf + SC_WIRE_HDR_LEN, got - SC_WIRE_HDR_LEN) != h.crc;
	s->calls++;
	s->bytes += got;
	if (!s->first_ns)
		s->first_ns = e->t_ns;
	s->last_ns = e->t_ns;
	if (trunc)
		s->boundaries_kept = false;
	switch (sc_side_received(s, h.seq, h.send_ns, e->t_ns, h.length, corrupt, trunc)) {
	case SC_MSG_CORRUPT: return SC_EV_CORRUPT;
	case SC_MSG_DUP: return SC_EV_DUP | (trunc ? SC_EV_TRUNC : 0);
	case SC_MSG_REORDERED:
	case SC_MSG_STALE: return SC_EV_REORDER | (trunc ? SC_EV_TRUNC : 0);
	default: return trunc ? SC_EV_TRUNC : 0;
	}
}

/* Reads SO_RXQ_OVFL's running count of datagrams the socket dropped. */
static void rxq(struct msghdr *m, struct sc_side *s)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL &&
		    c->cmsg_len >= CMSG_LEN(sizeof(uint32_t))) {
			uint32_t v;

			memcpy(&v, CMSG_DATA(c), sizeof(v));
			s->rxq_drops = v;
		}
}

/* --raw: records the datagram and its source (strangers share a port),
 * and answers it with --reply where the source can be answered (an
 * unbound AF_UNIX client cannot: it has no address). */
static void raw_seen(const struct sc_recv_opts *o, int fd, struct sc_side *s, const uint8_t *buf,
		     size_t got, const struct msghdr *mh)
{
	const struct sockaddr *src = mh->msg_namelen > sizeof(sa_family_t) ? mh->msg_name : NULL;
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);

	if (!src && getpeername(fd, (struct sockaddr *)&peer, &plen) == 0 &&
	    plen > sizeof(sa_family_t)) /* seqpacket: the connection's peer */
		src = (const struct sockaddr *)&peer;
	else if (src)
		plen = mh->msg_namelen;
	/* An unbound AF_UNIX sender has no address (the kernel gives none):
	 * logged as unnamed, and it cannot be answered. */
	if (!src && o->c.ep.family == AF_UNIX && !o->c.t->connected) {
		struct sockaddr unnamed = {.sa_family = AF_UNIX};

		sc_exchange_add(s->xchg, 'i', buf, got, &unnamed, sizeof(sa_family_t));
	} else
		sc_exchange_add(s->xchg, 'i', buf, got, src, src ? plen : 0);
	if (o->reply && src)
		sc_raw_reply(fd, o->reply, o->c.t->connected ? NULL : src, plen, s);
}

static int fail(struct sc_side *s, int r, const char *what)
{
	snprintf(s->error, sizeof(s->error), "%s", what);
	return r;
}

int sc_dgram_recv(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		  const volatile sig_atomic_t *stop)
{
	struct sc_deadline dl = {sc_mono_ns() + o->c.wait_ns, stop};
	bool seqpacket = o->c.t->connected, fin = false;
	struct pin pin = {.set = false};
	int flags = 0, one = 1, fd = lfd, r = 0;
	uint8_t *buf = NULL;
	char m[160];

	if (o->plan.flags & SC_RECV_WAITALL)
		flags |= MSG_WAITALL; /* no effect on datagrams: kept to show that */
	if (o->plan.flags & SC_RECV_TRUNC)
		flags |= MSG_TRUNC;
	if (seqpacket) {
		fd = sc_sock_accept(lfd, &dl);
		if (fd < 0) {
			snprintf(m, sizeof(m), "no sender connected within %llu ms",
				 (unsigned long long)(o->c.wait_ns / SC_NS_PER_MS));
			return fail(s, fd, fd == -EINTR ? "interrupted" : m);
		}
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) < 0) {
		r = -errno;
		snprintf(s->error, sizeof(s->error), "cannot count receive-queue drops (SO_RXQ_OVFL): %s",
			 strerror(-r));
		goto out;
	}
	buf = malloc(o->plan.size);
	if (!buf) {
		r = fail(s, -ENOMEM, "out of memory for the read buffer");
		goto out;
	}
	r = sc_sock_wait(fd, POLLIN, &dl);
	if (r < 0) {
		snprintf(m, sizeof(m), "no datagram arrived within %llu ms",
			 (unsigned long long)(o->c.wait_ns / SC_NS_PER_MS));
		fail(s, r, r == -EINTR ? "interrupted" : m);
		goto out;
	}
	if (sc_sleep_ns(o->plan.after_ns, stop) < 0) {
		r = fail(s, -EINTR, "interrupted");
		goto out;
	}
	dl.at = sc_mono_ns() + o->idle_ns;
	for (;;) {
		union {
			char b[CMSG_SPACE(sizeof(uint32_t))];
			struct cmsghdr align;
		} ctl;
		struct sockaddr_storage src;
		struct iovec iov = {.iov_base = buf, .iov_len = o->plan.size};
		struct msghdr mh = {.msg_name = &src, .msg_namelen = sizeof(src),
				    .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b)};
		struct sc_event e = {.requested = o->plan.size, .offset = s->bytes};
		ssize_t n;
		size_t got;
		bool trunc;

		r = sc_sock_wait(fd, POLLIN, &dl);
		if (r == -ETIMEDOUT && (fin || (o->raw && s->calls))) {
			/* The linger after the end marker is over; or, in raw
			 * mode, the client has gone quiet (it sends no marker). */
			r = 0;
			break;
		}
		if (r < 0) {
			fail(s, r, r == -EINTR ? "interrupted"
			     : s->calls ? "the sender went quiet without its end marker (vanished, or every marker was lost)"
				   : s->foreign ? "the sender sent nothing we could use (only foreign datagrams: do both sides "
						  "have the same " SC_WIRE_KEY_ENV " and --token?)"
						: "the sender sent nothing we could use");
			goto out;
		}
		n = recvmsg(fd, &mh, flags | MSG_DONTWAIT);
		r = n < 0 ? -errno : 0; /* before anything else can change errno */
		e.t_ns = sc_real_ns();
		if (flags & MSG_WAITALL)
			e.flags |= SC_EV_WAITALL;
		if (n < 0) {
			if (r == -EAGAIN || r == -EINTR || r == -ECONNREFUSED)
				continue;
			snprintf(s->error, sizeof(s->error), "receive failed: %s", strerror(-r));
			goto out;
		}
		if (n == 0 && seqpacket) {
			e.flags |= SC_EV_EOF;
			s->control_calls++;
			sc_side_event(s, &e);
			break;
		}
		rxq(&mh, s);
		got = (size_t)n < o->plan.size ? (size_t)n : o->plan.size;
		trunc = (mh.msg_flags & MSG_TRUNC) != 0;
		e.returned = n;
		if (o->raw) {
			s->calls++;
			s->bytes += got;
			if (trunc) {
				e.flags |= SC_EV_TRUNC;
				s->boundaries_kept = false;
			}
			raw_seen(o, fd, s, buf, got, &mh);
		} else {
			struct from from = {&src, mh.msg_namelen};

			e.flags |= classify(o, s, &pin, &from, buf, got, trunc, &e, &fin);
		}
		sc_side_event(s, &e);
		if (fin && (e.flags & SC_EV_FIN))
			dl.at = sc_mono_ns() + o->linger_ns;
		else if (!fin)
			dl.at = sc_mono_ns() + o->idle_ns;
	}
out:
	free(buf);
	if (fd != lfd)
		close(fd);
	return r;
}
