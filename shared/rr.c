/* rr.c - request/response: the client (datagram-send/stream-send --rr,
 * --crr) and the echo server (datagram-recv/stream-recv --echo).
 *
 * Both kinds share this loop because what differs is small and local: a
 * stream reply may come in pieces (read until the request's length), a
 * datagram reply is one call and may be lost (a per-request timeout counts
 * it lost and the client goes on). Every request and reply is a whole
 * sockcmp message: the server answers only authentic requests of this run
 * (mac, token, payload crc), the client accepts only the authentic reply
 * to its last request. Calls are blocking with SO_RCVTIMEO/SO_SNDTIMEO as
 * the deadline: one system call per send and per receive, as sockperf.
 *
 * crr (stream only): each request on a new connection, closed with
 * SO_LINGER 0 (an RST): neither end keeps the connection in TIME_WAIT, so
 * a long run cannot exhaust the ephemeral ports; the client reports the
 * most TCP sockets in TIME_WAIT it saw at once (ports_in_use). For
 * datagram transports crr is the request/response alone. */
#include "rr.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "clock.h"
#include "pattern.h"
#include "sendplan.h"
#include "sock.h"
#include "wire.h"

/* Reads exactly len bytes (a stream) or one datagram of at most len
 * bytes. Returns the bytes read, 0 at end of stream, or -errno (-EAGAIN:
 * the receive timeout passed). */
static ssize_t read_msg(int fd, bool stream, uint8_t *buf, size_t len,
			const volatile sig_atomic_t *stop)
{
	size_t got = 0;

	do {
		ssize_t n = recv(fd, buf + got, len - got, 0);

		if (n < 0 && errno == EINTR && !*stop)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return (ssize_t)got;
		got += (size_t)n;
	} while (stream && got < len);
	return (ssize_t)got;
}

/* Writes all of buf. Returns 0 or -errno. */
static int write_all(int fd, const uint8_t *buf, size_t len, const volatile sig_atomic_t *stop)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR && !*stop)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}

/* Checks a whole message: authentic header of this run (token), the
 * expected seq and length (when want_len), the payload's crc. Returns 0,
 * -EACCES (not ours: foreign), -EBADMSG (ours, damaged or not the one
 * awaited). */
static int check_opened(const struct sc_common_opts *c, const uint8_t *buf, size_t n,
			const struct sc_wire_hdr *h);

static int check(const struct sc_common_opts *c, const uint8_t *buf, size_t n,
		 struct sc_wire_hdr *h)
{
	if (sc_wire_open(&c->key, buf, n, h) < 0)
		return -EACCES;
	return check_opened(c, buf, n, h);
}

/* check() for a header h already opened (authenticated) from buf. */
static int check_opened(const struct sc_common_opts *c, const uint8_t *buf, size_t n,
			const struct sc_wire_hdr *h)
{
	if (c->token_set && h->token != c->token)
		return -EACCES;
	if (h->length != n && !(h->flags & SC_WIRE_F_FIN))
		return -EBADMSG;
	if (!sc_pattern_check(buf + SC_WIRE_HDR_LEN, n - SC_WIRE_HDR_LEN, h->seq, h->crc))
		return -EBADMSG;
	return 0;
}

/* Records a call that returned ret at t (CLOCK_REALTIME). */
static void event_at(struct sc_side *s, uint64_t t, uint64_t req, int64_t ret, uint64_t seq, uint32_t flags)
{
	struct sc_event e = {.t_ns = t, .requested = req, .returned = ret,
			     .offset = s->bytes, .first_seq = seq, .last_seq = seq,
			     .has_seq = true, .flags = flags};

	sc_side_event(s, &e);
}

/* Records a call that returned ret just now. */
static void event(struct sc_side *s, uint64_t req, int64_t ret, uint64_t seq, uint32_t flags)
{
	event_at(s, sc_real_ns(), req, ret, seq, flags);
}

/* The port of an IP endpoint, 0 for AF_UNIX. */
static unsigned ep_port(const struct sc_endpoint *ep)
{
	if (ep->family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&ep->addr)->sin_port);
	if (ep->family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&ep->addr)->sin6_port);
	return 0;
}

/* TCP sockets in TIME_WAIT to or from port (the server's), in this
 * network namespace, from /proc/net/tcp and tcp6; 0 if they cannot be
 * read. Each holds a local port: a client that leaves them behind runs
 * out of ephemeral ports (about 28,000 by default) within a minute. */
static uint64_t time_wait(unsigned port)
{
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	uint64_t n = 0;

	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "re");
		char line[256];

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char la[64], ra[64], st[8], *lp, *rp;

			/* "  sl  local_address rem_address   st ..." */
			if (sscanf(line, "%*s %63s %63s %7s", la, ra, st) != 3 || strcmp(st, "06"))
				continue;
			lp = strrchr(la, ':');
			rp = strrchr(ra, ':');
			if ((lp && strtoul(lp + 1, NULL, 16) == port) ||
			    (rp && strtoul(rp + 1, NULL, 16) == port))
				n++;
		}
		fclose(f);
	}
	return n;
}

/* Opens the client's connection (every round for crr on a stream). */
static int open_conn(const struct sc_send_opts *o, struct sc_side *s, bool crr)
{
	struct sc_deadline dl = {sc_mono_ns() + o->c.wait_ns, NULL};
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	int fd = sc_sock_connect(o->c.t, &o->c.ep, &dl, s->error, sizeof(s->error));
	int r;

	if (fd < 0)
		return fd;
	r = sc_sock_timeouts(fd, o->timeout_ns);
	/* An unnamed AF_UNIX datagram socket cannot be answered: autobind
	 * gives it an abstract name (a bind() of the family alone). */
	if (r == 0 && o->c.t->family == AF_UNIX && !o->c.t->bytestream && !o->c.t->connected) {
		struct sockaddr_un a = {.sun_family = AF_UNIX};

		if (bind(fd, (struct sockaddr *)&a, sizeof(sa_family_t)) < 0)
			r = -errno;
	}
	if (r == 0 && crr && setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		r = -errno;
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "cannot set up the socket: %s", strerror(-r));
		close(fd);
		return r;
	}
	s->conns++;
	return fd;
}

/* A stream reply that is not this run's: the byte stream cannot be
 * trusted from here on. Returns -EPROTO. */
static int fail_stream(struct sc_side *s, uint64_t seq)
{
	snprintf(s->error, sizeof(s->error), "reply %llu was not an authentic message of this run",
		 (unsigned long long)seq);
	return -EPROTO;
}

/* Accounts the reply to request seq (sent at send_ns, CLOCK_REALTIME, back
 * at t): the tracker counts answered requests, the histogram and the
 * records their round-trip times. s->msgs stays the count of requests. */
static void answered(struct sc_side *s, uint64_t seq, uint64_t send_ns, uint64_t t, uint32_t len,
		     bool bad)
{
	struct sc_msgrec m = {.seq = seq, .send_ns = send_ns, .recv_ns = t, .len = len,
			      .kind = SC_MSG_CORRUPT};

	s->last_ns = t;
	if (bad) {
		s->corrupted++;
	} else {
		enum sc_track_kind k = sc_track_add(&s->track, seq, NULL);

		m.kind = k == SC_TRACK_IN_ORDER ? SC_MSG_NEW : k == SC_TRACK_REORDERED ? SC_MSG_REORDERED
			 : k == SC_TRACK_DUPLICATE ? SC_MSG_DUP : SC_MSG_STALE;
		if (m.kind == SC_MSG_NEW || m.kind == SC_MSG_REORDERED)
			sc_hist_add(s->lat, (int64_t)(t - send_ns));
	}
	sc_side_msg(s, &m);
}

/* A round's reply, checked but accounted only once the next request is on
 * its way: the client's bookkeeping then overlaps the server's work
 * instead of holding up the next request. The records are the same and in
 * the same order (the reply's event before the next request's). */
struct reply {
	bool has;
	uint64_t seq, send_ns, t; /* request, its send time, the reply's arrival */
	int64_t n;                /* the reply's bytes */
	size_t len;               /* the request's */
	bool damaged;             /* its check failed (event flagged corrupt) */
	bool bad;                 /* damaged, or not the one awaited */
};

/* Accounts p's reply, if any (its event, the tracker, the histogram). */
static void account(struct sc_side *s, struct reply *p)
{
	if (!p->has)
		return;
	event_at(s, p->t, p->len, p->n, p->seq, p->damaged ? SC_EV_CORRUPT : 0);
	answered(s, p->seq, p->send_ns, p->t, (uint32_t)p->n, p->bad);
	p->has = false;
}

/* One round: request seq of len bytes, then its reply, left in *prev for
 * account() (the previous round's is accounted once this request is
 * sent). Returns 0 (answered or, for a datagram, lost), or -errno with
 * s->error set. */
static int round_trip(const struct sc_send_opts *o, int fd, uint8_t *req, uint8_t *rep, size_t len,
		      uint64_t seq, struct sc_side *s, struct reply *prev, const volatile sig_atomic_t *stop)
{
	bool stream = o->c.t->bytestream;
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = o->c.token,
				.length = (uint32_t)len, .seq = seq};
	uint64_t ts;
	int r;

	h.send_ns = sc_real_ns();
	sc_wire_build(&o->c.key, &h, req, len);
	r = write_all(fd, req, len, stop);
	ts = sc_real_ns(); /* the send's time, before the bookkeeping */
	account(s, prev);
	event_at(s, ts, len, r < 0 ? r : (int64_t)len, seq, r < 0 ? SC_EV_ERROR : 0);
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "request %llu: send failed: %s",
			 (unsigned long long)seq, strerror(-r));
		return r;
	}
	s->syscalls++;
	s->calls++;
	s->msgs++;
	s->bytes += len;
	if (!s->first_ns)
		s->first_ns = h.send_ns;
	for (;;) {
		struct sc_wire_hdr g;
		ssize_t n = read_msg(fd, stream, rep, len, stop);
		uint64_t t = sc_real_ns();
		int c;

		if (n == -EAGAIN && !stream)
			return 0; /* lost: the tracker sees the gap */
		if (n <= 0) {
			r = n == 0 ? -ECONNRESET : (int)n;
			event(s, len, r, seq, SC_EV_ERROR);
			snprintf(s->error, sizeof(s->error), "reply %llu: %s", (unsigned long long)seq,
				 n == 0 ? "the server closed the connection"
				 : n == -EAGAIN ? "no reply within --timeout" : strerror(-r));
			return r;
		}
		s->syscalls++;
		c = check(&o->c, rep, (size_t)n, &g);
		if (c == -EACCES) {
			s->foreign++;
			s->foreign_bytes += (uint64_t)n;
			event(s, len, n, seq, SC_EV_FOREIGN);
			if (stream)
				return fail_stream(s, seq);
			continue;
		}
		if (c == 0 && g.seq != seq && !stream) {
			event(s, len, n, g.seq, SC_EV_REORDER); /* a late reply to a lost round */
			continue;
		}
		*prev = (struct reply){.has = true, .seq = seq, .send_ns = h.send_ns, .t = t, .n = n,
				       .len = len, .damaged = c < 0, .bad = c < 0 || g.seq != seq};
		return 0;
	}
}

/* Tells the server the run is over: an authentic end marker carrying the
 * request count (several for datagrams, any may be lost). */
static void send_fin(const struct sc_send_opts *o, int fd, struct sc_side *s)
{
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = SC_WIRE_F_FIN,
				.token = o->c.token, .length = SC_WIRE_HDR_LEN, .seq = s->msgs};
	uint8_t fin[SC_WIRE_HDR_LEN];
	int copies = o->c.t->bytestream || o->c.t->connected ? 1 : 3;

	for (int i = 0; i < copies; i++) {
		h.send_ns = sc_real_ns();
		sc_wire_build(&o->c.key, &h, fin, sizeof(fin));
		event(s, sizeof(fin), send(fd, fin, sizeof(fin), MSG_NOSIGNAL | MSG_DONTWAIT), h.seq,
		      SC_EV_FIN);
	}
}

int sc_rr_client(const struct sc_send_opts *o, struct sc_side *s, const volatile sig_atomic_t *stop)
{
	bool crr = o->style == SC_STYLE_CRR && o->c.t->bytestream;
	size_t cap = sc_plan_largest(&o->plan);
	uint8_t *req = malloc(cap), *rep = malloc(cap);
	uint64_t seq = 0, t0 = sc_mono_ns(), end = o->for_ns ? t0 + o->for_ns : 0;
	struct reply prev = {0};
	int fd = -1, r = 0;

	if (!req || !rep) {
		r = -ENOMEM;
		snprintf(s->error, sizeof(s->error), "out of memory for the messages");
		goto out;
	}
	for (size_t i = 0; i < o->plan.nops && r == 0; i++) {
		const struct sc_op *op = &o->plan.ops[i];

		if (op->kind == SC_OP_PAUSE) {
			r = sc_sleep_ns(op->ns, stop);
			continue;
		}
		for (uint64_t k = 0; k < op->count && r == 0 && !*stop; k++, seq++) {
			if (end && sc_mono_ns() >= end) {
				i = o->plan.nops;
				break;
			}
			if (fd < 0 && (fd = open_conn(o, s, crr)) < 0) {
				r = fd;
				break;
			}
			r = round_trip(o, fd, req, rep, (size_t)op->size, seq, s, &prev, stop);
			if (crr && r == 0) {
				if ((seq & 1023) == 0) {
					uint64_t tw = time_wait(ep_port(&o->c.ep));

					if (tw > s->ports_in_use)
						s->ports_in_use = tw;
				}
				close(fd);
				fd = -1;
			}
		}
	}
	account(s, &prev);
	if (*stop && r == 0)
		r = -EINTR;
	if (r == 0 && fd < 0 && (fd = open_conn(o, s, crr)) < 0)
		r = fd;
	if (r == 0) {
		send_fin(o, fd, s);
		if (crr) {
			uint64_t tw = time_wait(ep_port(&o->c.ep));

			if (tw > s->ports_in_use)
				s->ports_in_use = tw;
		}
	}
	if (r == -EINTR)
		snprintf(s->error, sizeof(s->error), "interrupted");
out:
	if (fd >= 0)
		close(fd);
	free(req);
	free(rep);
	return r;
}

/* A stream server's requests received but not yet served: buf[0..have). */
struct inbox {
	uint8_t *buf;
	size_t have, cap;
};

/* The next request of a stream at the start of in->buf, framed by its
 * header's length: as many bytes as have arrived are read at once, so a
 * request that arrives whole costs one recv() (reading the header and then
 * the rest took two). Returns its length (the header's alone if that is
 * not an authentic header of a length we can hold: check() then says what
 * it is), 0 at end of stream, or -errno (-EAGAIN: idle past --idle). With
 * an authentic header, *h holds it and *opened is true, so it is not
 * opened (its mac computed) a second time. */
static ssize_t next_stream(const struct sc_recv_opts *o, int fd, struct inbox *in, struct sc_side *s,
			   struct sc_wire_hdr *h, bool *opened, const volatile sig_atomic_t *stop)
{
	*opened = false;
	for (;;) {
		size_t need = SC_WIRE_HDR_LEN;
		ssize_t n;

		if (in->have >= SC_WIRE_HDR_LEN) {
			if (!*opened) {
				if (sc_wire_open(&o->c.key, in->buf, SC_WIRE_HDR_LEN, h) < 0 ||
				    h->length < SC_WIRE_HDR_LEN || h->length > in->cap)
					return SC_WIRE_HDR_LEN;
				*opened = true;
			}
			need = h->length;
		}
		if (in->have >= need)
			return (ssize_t)need;
		n = recv(fd, in->buf + in->have, in->cap - in->have, 0);
		if (n < 0 && errno == EINTR && !*stop)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		s->syscalls++;
		in->have += (size_t)n;
	}
}

/* Drops the first n bytes of in (a request served). */
static void consume(struct inbox *in, size_t n)
{
	memmove(in->buf, in->buf + n, in->have - n);
	in->have -= n;
}

/* Serves one connection (or, for datagrams, the socket) until the
 * client's end marker (*done), its close, or idle. Returns 0 or -errno
 * with s->error set. */
static int serve(const struct sc_recv_opts *o, int fd, uint8_t *buf, struct sc_side *s, bool *done,
		 const volatile sig_atomic_t *stop)
{
	bool stream = o->c.t->bytestream;
	struct inbox in = {.buf = buf, .have = 0, .cap = o->plan.size};

	for (;;) {
		struct sockaddr_storage src;
		socklen_t sl = sizeof(src);
		struct sc_wire_hdr h;
		bool opened = false;
		uint64_t t;
		ssize_t n;
		int c, w = 0;

		if (stream) {
			n = next_stream(o, fd, &in, s, &h, &opened, stop);
		} else {
			n = recvfrom(fd, buf, o->plan.size, 0, (struct sockaddr *)&src, &sl);
			if (n < 0)
				n = -errno;
			else
				s->syscalls++;
		}
		if (n == -EINTR && !*stop)
			continue;
		if ((n == 0 || n == -ECONNRESET) && stream)
			return 0; /* the client closed (crr: with an RST): the next round */
		if (n < 0) {
			snprintf(s->error, sizeof(s->error), "%s",
				 n == -EAGAIN ? "the client went quiet without its end marker"
				 : n == -EINTR ? "interrupted" : strerror((int)-n));
			return n == -EAGAIN ? -ETIMEDOUT : (int)n;
		}
		c = opened ? check_opened(&o->c, buf, (size_t)n, &h) : check(&o->c, buf, (size_t)n, &h);
		if (c == -EACCES) {
			s->foreign++;
			s->foreign_bytes += (uint64_t)n;
			event(s, o->plan.size, n, 0, SC_EV_FOREIGN);
			if (stream)
				return 0; /* drop the connection */
			continue;
		}
		if (c == 0 && (h.flags & SC_WIRE_F_FIN)) {
			s->sender_total = h.seq;
			s->control_calls++;
			event(s, o->plan.size, n, h.seq, SC_EV_FIN);
			*done = true;
			return 0;
		}
		/* The request was read whole at t. An authentic one is answered
		 * before it is accounted: the client waits for the answer, not
		 * for this server's bookkeeping. A damaged one gets no answer:
		 * the client sees it lost. */
		t = sc_real_ns();
		if (c == 0)
			w = stream ? write_all(fd, buf, (size_t)n, stop)
				   : (sendto(fd, buf, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&src, sl) < 0
					      ? -errno : 0);
		event_at(s, t, o->plan.size, n, h.seq, c < 0 ? SC_EV_CORRUPT : 0);
		s->calls++;
		s->bytes += (uint64_t)n;
		if (!s->first_ns)
			s->first_ns = t;
		s->last_ns = t;
		sc_side_received(s, h.seq, h.send_ns, t, (uint32_t)n, c < 0, false);
		if (stream)
			consume(&in, (size_t)n);
		if (c < 0 || (w < 0 && !stream))
			continue; /* a datagram client may be gone; it counts the loss */
		if (w < 0)
			return 0;
		s->syscalls++;
	}
}

int sc_rr_server(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		 const struct sc_rr_accept *acc, const volatile sig_atomic_t *stop)
{
	struct sc_deadline dl = {sc_mono_ns() + o->c.wait_ns, stop};
	bool connected = o->c.t->bytestream || o->c.t->connected, done = false;
	uint8_t *buf = malloc(o->plan.size);
	int r = 0;

	if (!buf) {
		snprintf(s->error, sizeof(s->error), "out of memory for the read buffer");
		return -ENOMEM;
	}
	if (!connected) {
		r = sc_sock_timeouts(lfd, o->idle_ns);
		if (r == 0)
			r = sc_sock_wait(lfd, POLLIN, &dl);
		if (r == 0)
			r = serve(o, lfd, buf, s, &done, stop);
		else
			snprintf(s->error, sizeof(s->error), "no client within --wait");
		goto out;
	}
	/* Connections one after another (an iterative server, as the
	 * lecture's first model): each is served until it closes. */
	while (!done && r == 0) {
		int fd = acc ? acc->next(acc->arg, lfd, &dl, s) : sc_sock_accept(lfd, &dl);

		if (fd < 0) {
			r = fd;
			snprintf(s->error, sizeof(s->error), "%s",
				 fd == -EINTR ? "interrupted" : "no client connection within --wait/--idle");
			break;
		}
		r = sc_sock_timeouts(fd, o->idle_ns);
		if (r == 0)
			r = serve(o, fd, buf, s, &done, stop);
		close(fd);
		dl.at = sc_mono_ns() + o->idle_ns;
	}
out:
	free(buf);
	return r;
}
