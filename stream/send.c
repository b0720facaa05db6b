/* send.c - stream sender: writes the plan's messages back to back or
 * paced, then waits until the peer has acknowledged every byte. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <poll.h>
#include <unistd.h>

#include "clock.h"
#include "pattern.h"
#include "raw.h"
#include "rr.h"
#include "sock.h"
#include "stream.h"
#include "sendplan.h"
#include "wire.h"

/* iovec entries per sendmsg: the header and up to 63 pattern chunks of
 * 4 KiB (252 KiB); a longer message takes more calls, like a partial write. */
#define IOV_MAX_ENTRIES 64

/* Sends bytes off .. len-1 of the message: from buf, or with pattern set
 * from hdr = buf[0..44) and the pattern (no copy). One call. */
static ssize_t send_from(int fd, const uint8_t *buf, size_t len, uint64_t seq, size_t off,
			 bool pattern)
{
	struct iovec iov[IOV_MAX_ENTRIES];
	struct msghdr m = {.msg_iov = iov};

	if (!pattern)
		return send(fd, buf + off, len - off, MSG_NOSIGNAL);
	m.msg_iovlen = sc_pattern_msg_iov(iov, IOV_MAX_ENTRIES, buf, SC_WIRE_HDR_LEN, len, seq, off);
	return sendmsg(fd, &m, MSG_NOSIGNAL);
}

/* Writes one whole message, recording each write() call (a stream write
 * can be partial: the next call resumes at the byte after the last one
 * sent). Returns 0 or -errno with s->error set. */
static int write_any(int fd, const uint8_t *buf, size_t len, uint64_t seq, struct sc_side *s,
		     const volatile sig_atomic_t *stop, bool pattern)
{
	size_t off = 0;

	while (off < len) {
		struct sc_event e = {.requested = len - off, .offset = s->bytes,
				     .first_seq = seq, .last_seq = seq, .has_seq = true};
		ssize_t n = send_from(fd, buf, len, seq, off, pattern);
		int err = n < 0 ? errno : 0; /* before anything else can change it */

		e.t_ns = sc_real_ns();
		if (n < 0) {
			if (err == EINTR && !*stop)
				continue;
			e.returned = -err;
			e.flags = SC_EV_ERROR;
			sc_side_event(s, &e);
			if (err == EINTR)
				snprintf(s->error, sizeof(s->error), "interrupted");
			else if (err == EAGAIN)
				snprintf(s->error, sizeof(s->error),
					 "the receiver stopped reading: a write blocked past --timeout "
					 "after %llu messages", (unsigned long long)s->msgs);
			else
				snprintf(s->error, sizeof(s->error),
					 "the receiver vanished after %llu messages: %s",
					 (unsigned long long)s->msgs, strerror(err));
			return err == EAGAIN ? -ETIMEDOUT : -err;
		}
		e.returned = n;
		sc_side_event(s, &e);
		s->calls++;
		s->syscalls++;
		s->bytes += (uint64_t)n;
		off += (size_t)n;
		if (!s->first_ns)
			s->first_ns = e.t_ns;
		s->last_ns = e.t_ns;
	}
	s->msgs++;
	return 0;
}

static int write_msg(int fd, const uint8_t *buf, size_t len, uint64_t seq, struct sc_side *s,
		     const volatile sig_atomic_t *stop)
{
	return write_any(fd, buf, len, seq, s, stop, false);
}

int sc_stream_write_pattern(int fd, const uint8_t *hdr, size_t len, uint64_t seq,
			    struct sc_side *s, const volatile sig_atomic_t *stop)
{
	return write_any(fd, hdr, len, seq, s, stop, true);
}

/* After shutdown(SHUT_WR), waits for the receiver's own close, so the
 * last bytes are known to be read. Returns 0, -ETIMEDOUT or -EINTR. */
static int await_close(int fd, const struct sc_deadline *dl)
{
	char b[256];

	for (;;) {
		int r = sc_sock_wait(fd, POLLIN, dl);
		ssize_t n;

		if (r < 0)
			return r;
		n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return 0;
	}
}

int sc_stream_send(const struct sc_send_opts *o, struct sc_side *s,
		   const volatile sig_atomic_t *stop)
{
	struct sc_deadline dl = {sc_mono_ns() + o->c.wait_ns, stop};
	int fd, r = 0;
	if (o->style != SC_STYLE_ONEWAY) /* rr, crr: shared/rr.c */
		return sc_rr_client(o, s, stop);

	fd = sc_sock_connect(o->c.t, &o->c.ep, &dl, s->error, sizeof(s->error));
	if (fd < 0)
		return fd;
	r = sc_sock_bufs(fd, 0, o->plan.sndbuf);
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "cannot set --sndbuf: %s", strerror(-r));
		goto out;
	}
	r = sc_sock_timeouts(fd, o->timeout_ns);
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "cannot set the write timeout: %s", strerror(-r));
		goto out;
	}
	/* sockcmp's own messages go out from the pattern without a copy;
	 * --raw and --payload bytes from the built buffer. */
	if (o->raw || o->payload)
		r = sc_plan_send(o, fd, write_msg, s, stop);
	else
		r = sc_plan_send_pattern(o, fd, sc_stream_write_pattern, s, stop);
	if (r < 0 && o->raw) {
		/* A foreign server may answer and close before taking all we
		 * sent (the lecture's reads once): keep its answer anyway. */
		char why[sizeof(s->error)];

		memcpy(why, s->error, sizeof(why));
		sc_raw_read_reply_from(fd, SC_RAW_REPLY_QUIET_NS, (const struct sockaddr *)&o->c.ep.addr, o->c.ep.len, s,
				       stop);
		memcpy(s->error, why, sizeof(why));
	}
	if (r < 0)
		goto out;
	if (o->plan.end == SC_END_SHUTDOWN && shutdown(fd, SHUT_WR) < 0) {
		r = -errno;
		snprintf(s->error, sizeof(s->error), "shutdown: %s", strerror(-r));
		goto out;
	}
	if (o->raw) {
		/* A foreign server answers, then (the lecture's) closes; with
		 * --end shutdown it has seen our end first, as nc -N does. */
		r = sc_raw_read_reply_from(fd, o->reply_wait_ns, (const struct sockaddr *)&o->c.ep.addr, o->c.ep.len, s,
					   stop);
		goto out;
	}
	/* TCP's retransmission count is only final once every byte is
	 * acknowledged; on a lossy link that can take a while. */
	dl.at = sc_mono_ns() + o->timeout_ns;
	r = sc_sock_drain(fd, &dl);
	if (r == 0 && o->plan.end == SC_END_SHUTDOWN)
		r = await_close(fd, &dl);
	if (r == -EINTR)
		snprintf(s->error, sizeof(s->error), "interrupted");
	else if (r < 0)
		snprintf(s->error, sizeof(s->error),
			 "the receiver did not take the last bytes within --timeout: %s", strerror(-r));
	if (sc_transport_is_ip(o->c.t) && sc_tcp_retrans(fd, &s->tcp_retrans) == 0)
		s->has_retrans = true;
out:
	close(fd);
	return r;
}
