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
#include "rxstamp.h"
#include "exchange.h"
#include "pattern.h"
#include "raw.h"
#include "rr.h"
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
 * buffer) and accounts it; its latency ends at arrived. Returns the event
 * flags. Every count it changes rests on a header whose mac was checked
 * first. */
static uint32_t classify(const struct sc_recv_opts *o, struct sc_side *s, struct pin *pin,
			 const struct from *from, const uint8_t *buf, size_t got, bool trunc,
			 struct sc_event *e, uint64_t arrived, bool *fin)
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
		corrupt = !sc_pattern_check(buf + SC_WIRE_HDR_LEN, got - SC_WIRE_HDR_LEN, h.seq, h.crc);
	s->calls++;
	s->bytes += got;
	if (!s->first_ns)
		s->first_ns = e->t_ns;
	s->last_ns = e->t_ns;
	if (trunc)
		s->boundaries_kept = false;
	switch (sc_side_received(s, h.seq, h.send_ns, arrived, h.length, corrupt, trunc)) {
	case SC_MSG_CORRUPT: return SC_EV_CORRUPT;
	case SC_MSG_DUP: return SC_EV_DUP | (trunc ? SC_EV_TRUNC : 0);
	case SC_MSG_REORDERED:
	case SC_MSG_STALE: return SC_EV_REORDER | (trunc ? SC_EV_TRUNC : 0);
	default: return trunc ? SC_EV_TRUNC : 0;
	}
}

/* SO_RXQ_OVFL's running count of datagrams the socket dropped, from one
 * datagram's control messages. (Its arrival stamp, SCM_TIMESTAMPNS, is
 * read by sc_rxstamp_ns().) */
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
	if (o->reply && src) {
		int r = sc_raw_reply(fd, o->reply, o->c.t->connected ? NULL : src, plen, s);

		/* The run ends on it (see the receive loop), as stream-recv's does. */
		if (r < 0 && !s->error[0])
			snprintf(s->error, sizeof(s->error), "the reply failed: %s", strerror(-r));
	}
}

static int fail(struct sc_side *s, int r, const char *what)
{
	snprintf(s->error, sizeof(s->error), "%s", what);
	return r;
}

/* One receive slot: a datagram's buffer, its sender's address and its
 * control messages. A batch is SC_DGRAM_BATCH of them (one without). */
union ctl {
	char b[CMSG_SPACE(sizeof(uint32_t)) + SC_RXSTAMP_SPACE];
	struct cmsghdr align;
};

struct slots {
	unsigned n;
	size_t size;
	uint8_t *bufs;
	struct mmsghdr mm[SC_DGRAM_BATCH];
	struct iovec iov[SC_DGRAM_BATCH];
	struct sockaddr_storage src[SC_DGRAM_BATCH];
	union ctl ctl[SC_DGRAM_BATCH];
};

/* Re-arms every slot for the next call (the kernel overwrote the lengths). */
static void arm(struct slots *sl)
{
	for (unsigned i = 0; i < sl->n; i++) {
		struct msghdr *m = &sl->mm[i].msg_hdr;

		sl->iov[i].iov_base = sl->bufs + (size_t)i * sl->size;
		sl->iov[i].iov_len = sl->size;
		m->msg_name = &sl->src[i];
		m->msg_namelen = sizeof(sl->src[i]);
		m->msg_iov = &sl->iov[i];
		m->msg_iovlen = 1;
		m->msg_control = sl->ctl[i].b;
		m->msg_controllen = sizeof(sl->ctl[i].b);
		m->msg_flags = 0;
		sl->mm[i].msg_len = 0;
	}
}

/* Receives what is queued, up to sl->n datagrams: one recvmmsg() (or
 * recvmsg() for a single slot). Returns the count, or -errno. */
static int receive(int fd, struct slots *sl, int flags)
{
	ssize_t n;

	arm(sl);
	if (sl->n > 1) {
		int k = recvmmsg(fd, sl->mm, sl->n, flags | MSG_DONTWAIT, NULL);

		return k < 0 ? -errno : k;
	}
	n = recvmsg(fd, &sl->mm[0].msg_hdr, flags | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	sl->mm[0].msg_len = (unsigned)n;
	return 1;
}

/* Accounts one received datagram (slot i, returned at t_ns). Returns its
 * event's flags (SC_EV_EOF: a seqpacket sender closed). */
static uint32_t one(const struct sc_recv_opts *o, int fd, struct sc_side *s, struct pin *pin, struct slots *sl,
	       unsigned i, uint64_t t_ns, uint32_t flags, bool *fin)
{
	struct msghdr *mh = &sl->mm[i].msg_hdr;
	size_t n = sl->mm[i].msg_len, got;
	uint8_t *buf = sl->bufs + (size_t)i * sl->size;
	struct sc_event e = {.requested = o->plan.size, .offset = s->bytes, .flags = flags};
	bool trunc;

	e.t_ns = t_ns;
	if (n == 0 && o->c.t->connected) {
		e.flags |= SC_EV_EOF;
		s->control_calls++;
		sc_side_event(s, &e);
		return e.flags;
	}
	rxq(mh, s);
	got = n < o->plan.size ? n : o->plan.size;
	trunc = (mh->msg_flags & MSG_TRUNC) != 0;
	e.returned = (int64_t)n;
	if (o->raw) {
		s->calls++;
		s->bytes += got;
		if (trunc) {
			e.flags |= SC_EV_TRUNC;
			s->boundaries_kept = false;
		}
		raw_seen(o, fd, s, buf, got, mh);
	} else {
		struct from from = {&sl->src[i], mh->msg_namelen};

		/* Latency ends when the datagram reached the socket, not
		 * when we got round to it (see rxstamp.h): each message of a
		 * batch has its own control buffer, so its own stamp. */
		e.flags |= classify(o, s, pin, &from, buf, got, trunc, &e, sc_rxstamp_ns(mh, e.t_ns), fin);
	}
	sc_side_event(s, &e);
	return e.flags;
}

/* Sets up the receive side of fd: SO_RXQ_OVFL, SO_TIMESTAMPNS (always),
 * and the slots. Returns 0 or -errno with s->error set. */
static int setup(const struct sc_recv_opts *o, int fd, struct slots *sl, struct sc_side *s)
{
	int one = 1, r;

	if (setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) < 0) {
		r = -errno;
		snprintf(s->error, sizeof(s->error), "cannot count receive-queue drops (SO_RXQ_OVFL): %s",
			 strerror(-r));
		return r;
	}
	/* Always (--kernel-timestamps is the default now): without it a
	 * message's latency would end at our own clock. */
	if ((r = sc_rxstamp_enable(fd)) < 0) {
		snprintf(s->error, sizeof(s->error), "cannot stamp arrivals (SO_TIMESTAMPNS): %s", strerror(-r));
		return r;
	}
	/* --raw talks to foreign peers (and answers each with --reply): one
	 * recvmsg() per datagram, as the lecture's programs do. */
	sl->n = o->c.batch && !o->raw ? SC_DGRAM_BATCH : 1;
	sl->size = o->plan.size;
	sl->bufs = malloc(sl->n * sl->size);
	return sl->bufs ? 0 : fail(s, -ENOMEM, "out of memory for the read buffers");
}

/* Why the receiver gave up waiting (r: -ETIMEDOUT or -EINTR). */
static int quiet_fail(struct sc_side *s, int r)
{
	return fail(s, r, r == -EINTR ? "interrupted"
		    : s->calls ? "the sender went quiet without its end marker (vanished, or every marker was lost)"
			       : s->foreign ? "the sender sent nothing we could use (only foreign datagrams: do both sides "
					      "have the same " SC_WIRE_KEY_ENV " and --token?)"
					    : "the sender sent nothing we could use");
}

int sc_dgram_recv(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		  const volatile sig_atomic_t *stop)
{
	struct sc_deadline dl = {sc_mono_ns() + o->c.wait_ns, stop};
	bool seqpacket = o->c.t->connected, fin = false;
	struct pin pin = {.set = false};
	struct slots *sl;
	int flags = 0, fd = lfd, r = 0;
	uint32_t evflags = 0;
	char m[160];
	if (o->echo) /* rr, crr: shared/rr.c */
		return sc_rr_server(o, lfd, s, NULL, stop);
	sl = calloc(1, sizeof(*sl));

	if (!sl)
		return fail(s, -ENOMEM, "out of memory for the read buffers");
	if (o->plan.flags & SC_RECV_WAITALL) {
		flags |= MSG_WAITALL; /* no effect on datagrams: kept to show that */
		evflags |= SC_EV_WAITALL;
	}
	if (o->plan.flags & SC_RECV_TRUNC)
		flags |= MSG_TRUNC;
	if (seqpacket) {
		fd = sc_sock_accept(lfd, &dl);
		if (fd < 0) {
			snprintf(m, sizeof(m), "no sender connected within %llu ms",
				 (unsigned long long)(o->c.wait_ns / SC_NS_PER_MS));
			free(sl);
			return fail(s, fd, fd == -EINTR ? "interrupted" : m);
		}
	}
	r = setup(o, fd, sl, s);
	if (r < 0)
		goto out;
	if (o->c.batch)
		evflags |= SC_EV_BATCH;
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
	/* Receive first, and wait (poll) only when nothing is queued: a
	 * receiver that falls behind a flood pays one system call per call,
	 * not two. The deadline (idle, or the linger after the end marker)
	 * counts from the last datagram, as before. */
	for (bool eof = false; !eof;) {
		uint64_t t;
		bool saw_fin = false;
		int n;

		if (stop && *stop) {
			r = fail(s, -EINTR, "interrupted");
			goto out;
		}
		n = receive(fd, sl, flags);
		t = sc_real_ns();
		if (n == -EAGAIN) {
			r = sc_sock_wait(fd, POLLIN, &dl);
			if (r == -ETIMEDOUT && (fin || (o->raw && s->calls))) {
				/* The linger after the end marker is over; or, in raw
				 * mode, the client has gone quiet (it sends no marker). */
				r = 0;
				break;
			}
			if (r < 0) {
				quiet_fail(s, r);
				goto out;
			}
			continue;
		}
		if (n < 0) {
			r = n;
			if (r == -EINTR || r == -ECONNREFUSED)
				continue;
			snprintf(s->error, sizeof(s->error), "receive failed: %s", strerror(-r));
			goto out;
		}
		r = 0;
		s->syscalls++;
		for (int i = 0; i < n && !eof; i++) {
			uint32_t f = one(o, fd, s, &pin, sl, (unsigned)i, t, evflags, &fin);

			eof = (f & SC_EV_EOF) != 0;
			saw_fin |= fin && (f & SC_EV_FIN);
		}
		if (o->raw && s->error[0]) { /* a --reply that could not be sent */
			r = -EIO;
			goto out;
		}
		if (saw_fin)
			dl.at = sc_mono_ns() + o->linger_ns;
		else if (!fin)
			dl.at = sc_mono_ns() + o->idle_ns;
	}
out:
	free(sl->bufs);
	free(sl);
	if (fd != lfd)
		close(fd);
	return r;
}
