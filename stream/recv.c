/* recv.c - stream receiver: reads, re-frames, records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <poll.h>
#include <unistd.h>

#include "accept.h"
#include "clock.h"
#include "frame.h"
#include "exchange.h"
#include "raw.h"
#include "rr.h"
#include "sock.h"
#include "stream.h"

/* Undecided connections an echo server holds while it waits for its
 * client (crr accepts once per request: a small crowd keeps that cheap). */
#define RR_MAX_PENDING 256

/* What one read's messages did, gathered by the framer's callback. */
struct read_ctx {
	struct sc_side *s;
	uint64_t t_ns;
	uint32_t flags;
};

static void on_message(void *arg, const struct sc_frame_msg *m)
{
	struct read_ctx *rc = arg;
	struct sc_side *s = rc->s;
	enum sc_msg_kind k;

	if (m->foreign) {
		s->foreign++;
		s->foreign_bytes += m->hdr.length;
		rc->flags |= SC_EV_FOREIGN;
		return;
	}
	if (m->hdr.flags & SC_WIRE_F_FIN) {
		/* Authentic (the framer checked its mac), but its count is
		 * used only if it is whole: no payload, and the crc of none. */
		if (m->corrupted || m->hdr.length != SC_WIRE_HDR_LEN) {
			s->foreign++;
			s->foreign_bytes += m->hdr.length;
			rc->flags |= SC_EV_FOREIGN;
			return;
		}
		s->sender_total = m->hdr.seq;
		rc->flags |= SC_EV_FIN;
		return;
	}
	k = sc_side_received(s, m->hdr.seq, m->hdr.send_ns, rc->t_ns, m->hdr.length,
			     m->corrupted, false);
	if (k == SC_MSG_CORRUPT)
		rc->flags |= SC_EV_CORRUPT;
	else if (k == SC_MSG_DUP)
		rc->flags |= SC_EV_DUP;
	else if (k == SC_MSG_REORDERED || k == SC_MSG_STALE)
		rc->flags |= SC_EV_REORDER;
}

/* Looks at what a new connection has sent so far, without consuming it.
 * Returns 1 if it starts with a header sealed with this run's key (and
 * carrying --token's run id, if given; in --raw mode, anything at all), 0
 * if it cannot tell yet, -1 if it is not our sender (bad header or mac,
 * other token, closed). An authentic header with an impossible length is
 * our sender's: the framer counts it as malformed. */
static int judge(const struct sc_recv_opts *o, int fd)
{
	uint8_t h[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr w;
	ssize_t n = recv(fd, h, sizeof(h), MSG_PEEK | MSG_DONTWAIT);
	int d;

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n < 0)
		return 0;
	if (o->raw)
		return 1;
	if ((size_t)n < sizeof(h))
		return memcmp(h, "SCMP", (size_t)n < 4 ? (size_t)n : 4) == 0 ? 0 : -1;
	d = sc_wire_open(&o->c.key, h, sizeof(h), &w);
	if (d < 0 && d != -EINVAL)
		return -1;
	return !o->c.token_set || w.token == o->c.token ? 1 : -1;
}

/* judge() for the accept policy (accept.c). */
static int judge_fd(void *arg, int fd)
{
	return judge(arg, fd);
}

/* The echo server's next client (rr.h), by the same accept policy as the
 * one-way receiver's: strangers that connect first are judged by their
 * first bytes, evicted when they stall, and counted as foreign. */
static int rr_next(void *arg, int lfd, const struct sc_deadline *dl, struct sc_side *s)
{
	const struct sc_recv_opts *o = arg;
	struct sc_accept_opts ao = {.max_pending = RR_MAX_PENDING, .stall_ns = o->idle_ns,
				    .judge = judge_fd, .arg = arg};
	struct sc_accept acc;
	int fd = sc_accept_sender(lfd, &ao, dl, &acc);

	s->foreign += sc_accept_closed(&acc);
	return fd;
}

static int fail(struct sc_side *s, int r, const char *what)
{
	snprintf(s->error, sizeof(s->error), "%s", what);
	return r;
}

int sc_stream_recv(const struct sc_recv_opts *o, int lfd, struct sc_side *s,
		   const volatile sig_atomic_t *stop)
{
	struct sc_deadline dl = {sc_mono_ns() + o->c.wait_ns, stop};
	struct sc_accept_opts ao = {.stall_ns = o->idle_ns, .judge = judge_fd, .arg = (void *)o};
	struct sc_accept acc;
	struct sc_frame f;
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	uint8_t *buf = NULL;
	int fd, r = 0, flags = (o->plan.flags & SC_RECV_WAITALL) ? MSG_WAITALL : 0;

	if (o->echo) { /* rr, crr: shared/rr.c */
		struct sc_rr_accept ra = {rr_next, (void *)o};

		return sc_rr_server(o, lfd, s, &ra, stop);
	}
	fd = sc_accept_sender(lfd, &ao, &dl, &acc);
	s->foreign += sc_accept_closed(&acc);
	if (fd < 0) {
		char m[200];

		snprintf(m, sizeof(m), "no sender connected within %llu ms%s",
			 (unsigned long long)(o->c.wait_ns / SC_NS_PER_MS),
			 s->foreign ? " (connections were refused: do both sides have the same "
				      SC_WIRE_KEY_ENV " and --token?)" : "");
		if (fd != -ETIMEDOUT && fd != -EINTR)
			snprintf(m, sizeof(m), "waiting for the sender: %s", strerror(-fd));
		return fail(s, fd, fd == -EINTR ? "interrupted" : m);
	}
	if (getpeername(fd, (struct sockaddr *)&peer, &plen) < 0)
		plen = 0;
	/* The backstop for a read blocked inside the kernel (MSG_WAITALL). */
	r = sc_sock_timeouts(fd, o->idle_ns);
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "cannot set the read timeout: %s", strerror(-r));
		goto out;
	}
	buf = malloc(o->plan.size);
	if (!buf) {
		r = fail(s, -ENOMEM, "out of memory for the read buffer");
		goto out;
	}
	sc_frame_init(&f, &o->c.key, o->c.token_set ? o->c.token : 0);
	dl.at = sc_mono_ns() + o->idle_ns;
	r = sc_sock_wait(fd, POLLIN, &dl);
	if (r < 0) {
		fail(s, r, r == -EINTR ? "interrupted" : "the sender connected but sent nothing");
		goto out;
	}
	/* The lecture's "receiver asks for 2560 bytes" happens some time
	 * after the writes: by then the stream has coalesced them. */
	if (sc_sleep_ns(o->plan.after_ns, stop) < 0) {
		r = fail(s, -EINTR, "interrupted");
		goto out;
	}
	for (;;) {
		struct sc_event e = {.requested = o->plan.size, .offset = s->bytes};
		struct read_ctx rc = {.s = s};
		struct sc_frame_read rd;
		ssize_t n;
		int fr;

		s->foreign += sc_accept_turn_away(lfd, &acc);
		n = recv(fd, buf, o->plan.size, flags);
		r = n < 0 ? -errno : 0; /* before anything else can change errno */
		e.t_ns = rc.t_ns = sc_real_ns();
		if (flags)
			e.flags |= SC_EV_WAITALL;
		if (n < 0) {
			if (r == -EINTR && !*stop)
				continue;
			e.returned = r;
			e.flags |= SC_EV_ERROR;
			sc_side_event(s, &e);
			if (r == -EINTR)
				fail(s, r, "interrupted");
			else if (r == -EAGAIN && o->raw && s->calls)
				/* nc without -N never closes: its data is all
				 * here, the quiet is the end of the conversation. */
				r = fail(s, 0, "note: the client sent its data, then neither sent more nor "
					 "closed within --idle; taken as the end (nc needs -N to close)");
			else if (r == -EAGAIN)
				r = fail(s, -ETIMEDOUT, "no data and no close from the sender within the idle timeout");
			else
				snprintf(s->error, sizeof(s->error), "the sender vanished: %s", strerror(-r));
			goto out;
		}
		e.returned = n;
		if (n == 0) {
			e.flags |= SC_EV_EOF;
			s->control_calls++;
			sc_side_event(s, &e);
			break;
		}
		s->calls++;
		s->syscalls++;
		s->bytes += (uint64_t)n;
		if (!s->first_ns)
			s->first_ns = e.t_ns;
		s->last_ns = e.t_ns;
		if (o->raw) {
			s->boundaries_kept = false; /* unknowable without a header */
			sc_side_event(s, &e);
			sc_exchange_add(s->xchg, 'i', buf, (size_t)n, plen ? (struct sockaddr *)&peer : NULL, plen);
			/* The lecture's server answers the first read. */
			if (o->reply && s->calls == 1 && (r = sc_raw_reply(fd, o->reply, NULL, 0, s)) < 0) {
				snprintf(s->error, sizeof(s->error), "the reply failed: %s", strerror(-r));
				goto out;
			}
			goto next;
		}
		fr = sc_frame_feed(&f, buf, (size_t)n, on_message, &rc, &rd);
		/* What desynchronised the stream decides the counter: the
		 * framer's error, not the event's flag text. */
		if (fr < 0 && sc_frame_err_foreign(fr))
			s->foreign++;
		else if (fr < 0)
			s->malformed++;
		e.flags |= rc.flags;
		if (f.desync)
			e.flags |= sc_frame_err_foreign(f.error) ? SC_EV_FOREIGN : SC_EV_MALFORMED;
		e.has_seq = rd.any_seq;
		e.first_seq = rd.first_seq;
		e.last_seq = rd.last_seq;
		if (!rd.ends_on_boundary)
			e.flags |= SC_EV_SPLIT;
		if (rd.completed > 1)
			e.flags |= SC_EV_MULTI;
		if (!(rd.starts_on_boundary && rd.ends_on_boundary && rd.completed == 1))
			s->boundaries_kept = false;
		sc_side_event(s, &e);
next:
		if (o->plan.every_ns && sc_sleep_ns(o->plan.every_ns, stop) < 0) {
			r = fail(s, -EINTR, "interrupted");
			goto out;
		}
	}
	if (!o->raw) {
		s->foreign_bytes += f.junk_bytes;
		if (!sc_frame_idle(&f) && !f.desync) {
			/* The connection closed part-way through a message: the
			 * sender died or was killed mid-write. */
			s->truncated++;
			r = fail(s, -EPIPE, "the stream ended in the middle of a message (sender vanished?)");
		}
	}
out:
	free(buf);
	close(fd);
	return r;
}
