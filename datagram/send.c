/* send.c - datagram sender: one send() per message, then FIN markers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "datagram.h"
#include "raw.h"
#include "sock.h"
#include "sendplan.h"
#include "wire.h"

/* Sends one datagram. A full local queue (ENOBUFS: a device or qdisc
 * queue, or kernel memory) is retried, backing off from 100 us to 10 ms,
 * for at most SC_DGRAM_NOBUFS_NS, then the run fails. Returns 0 or -errno
 * with s->error set. */
static int send_one(int fd, const uint8_t *buf, size_t len, uint64_t seq, struct sc_side *s,
		    const volatile sig_atomic_t *stop)
{
	uint64_t nobufs_until = 0, backoff = 100 * 1000;

	for (;;) {
		struct sc_event e = {.requested = len, .offset = s->bytes, .first_seq = seq,
				     .last_seq = seq, .has_seq = true};
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		int err = errno;

		e.t_ns = sc_real_ns();
		if (n >= 0) {
			e.returned = n;
			sc_side_event(s, &e);
			s->calls++;
			s->msgs++;
			s->bytes += (uint64_t)n;
			if (!s->first_ns)
				s->first_ns = e.t_ns;
			s->last_ns = e.t_ns;
			return 0;
		}
		if (err == EINTR && !*stop)
			continue;
		if (err == ENOBUFS) {
			uint64_t now = sc_mono_ns();

			if (!nobufs_until)
				nobufs_until = now + SC_DGRAM_NOBUFS_NS;
			if (now < nobufs_until) {
				sc_sleep_ns(backoff, stop);
				backoff = backoff * 2 > 10 * SC_NS_PER_MS ? 10 * SC_NS_PER_MS : backoff * 2;
				continue;
			}
		}
		e.returned = -err;
		e.flags = SC_EV_ERROR;
		sc_side_event(s, &e);
		if (err == EINTR)
			snprintf(s->error, sizeof(s->error), "interrupted");
		else if (err == EAGAIN)
			snprintf(s->error, sizeof(s->error),
				 "the receiver's queue stayed full past --timeout after %llu messages",
				 (unsigned long long)s->msgs);
		else if (err == ECONNREFUSED)
			snprintf(s->error, sizeof(s->error),
				 "nobody is receiving (connection refused) after %llu messages",
				 (unsigned long long)s->msgs);
		else if (err == ENOBUFS)
			snprintf(s->error, sizeof(s->error),
				 "the local send queue stayed full for %llu ms after %llu messages: %s",
				 (unsigned long long)(SC_DGRAM_NOBUFS_NS / SC_NS_PER_MS),
				 (unsigned long long)s->msgs, strerror(err));
		else
			snprintf(s->error, sizeof(s->error), "send failed after %llu messages: %s",
				 (unsigned long long)s->msgs, strerror(err));
		return err == EAGAIN ? -ETIMEDOUT : -err;
	}
}

/* Ends a connectionless run: the receiver cannot see a close, so it is
 * told the count in FIN markers, several in case some are lost. Errors are
 * ignored: the receiver may already have left after the first. */
static void send_fins(int fd, const struct sc_send_opts *o, struct sc_side *s,
		      const volatile sig_atomic_t *stop)
{
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = SC_WIRE_F_FIN,
				.token = o->c.token, .length = SC_WIRE_HDR_LEN, .seq = s->msgs};
	uint8_t fin[SC_WIRE_HDR_LEN];
	uint64_t gap = SC_DGRAM_FIN_GAP_NS;

	for (int i = 0; i < SC_DGRAM_FINS && !*stop; i++, gap *= 2) {
		struct sc_event e = {.requested = sizeof(fin), .offset = s->bytes,
				     .first_seq = h.seq, .last_seq = h.seq, .has_seq = true,
				     .flags = SC_EV_FIN};

		h.send_ns = sc_real_ns();
		sc_wire_build(&o->c.key, &h, fin, sizeof(fin));
		e.returned = send(fd, fin, sizeof(fin), MSG_NOSIGNAL | MSG_DONTWAIT);
		e.t_ns = sc_real_ns();
		if (e.returned < 0)
			e.returned = -errno;
		sc_side_event(s, &e);
		if (e.returned == -ECONNREFUSED)
			break; /* the receiver got an earlier one and left */
		if (i + 1 < SC_DGRAM_FINS)
			sc_sleep_ns(gap, stop);
	}
}

int sc_dgram_send(const struct sc_send_opts *o, struct sc_side *s,
		  const volatile sig_atomic_t *stop)
{
	struct sc_deadline dl = {sc_mono_ns() + o->c.wait_ns, stop};
	int fd, r;

	fd = sc_sock_connect(o->c.t, &o->c.ep, &dl, s->error, sizeof(s->error));
	if (fd < 0)
		return fd;
	r = sc_sock_bufs(fd, 0, o->plan.sndbuf);
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "cannot set --sndbuf: %s", strerror(-r));
		goto out;
	}
	/* AF_UNIX datagrams are flow-controlled: a receiver that stops
	 * reading blocks the sender, so a blocked send needs a deadline. */
	r = sc_sock_timeouts(fd, o->timeout_ns);
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "cannot set the send timeout: %s", strerror(-r));
		goto out;
	}
	r = sc_plan_send(o, fd, send_one, s, stop);
	if (r == 0 && o->raw) {
		/* No end markers: a foreign receiver would count them as data.
		 * An unbound AF_UNIX datagram socket has no address to answer,
		 * so there is no reply to wait for. */
		bool unix_dgram = o->c.ep.family == AF_UNIX && !o->c.t->connected;

		r = unix_dgram ? 0 : sc_raw_read_reply(fd, o->reply_wait_ns, s, stop);
	} else if (r == 0 && !o->c.t->connected) {
		send_fins(fd, o, s, stop);
	} else if (r == 0 && o->c.t->connected) {
		/* seqpacket: wait until the receiver has read everything; if it
		 * does not, the run did not finish. */
		dl.at = sc_mono_ns() + o->timeout_ns;
		r = sc_sock_drain(fd, &dl);
		if (r == -EINTR)
			snprintf(s->error, sizeof(s->error), "interrupted");
		else if (r < 0)
			snprintf(s->error, sizeof(s->error),
				 "the receiver did not read the last messages within --timeout: %s",
				 strerror(-r));
	}
out:
	close(fd);
	return r;
}
