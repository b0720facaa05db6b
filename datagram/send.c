/* send.c - datagram sender: messages in sendmmsg() batches (or one
 * sendmsg() each with --no-batch), then FIN markers. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "datagram.h"
#include "pattern.h"
#include "raw.h"
#include "rr.h"
#include "sock.h"
#include "sendplan.h"
#include "wire.h"

/* Says why a send failed in s->error and returns the run's error. */
static int send_failed(struct sc_side *s, int err)
{
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

/* Whether a failed send is tried again: EINTR unless stopping; ENOBUFS (a
 * full device or qdisc queue, or kernel memory), backing off from 100 us
 * to 10 ms, for at most SC_DGRAM_NOBUFS_NS. */
static bool retry(int err, uint64_t *until, uint64_t *backoff, const volatile sig_atomic_t *stop)
{
	uint64_t now;

	if (err == EINTR)
		return !*stop;
	if (err != ENOBUFS)
		return false;
	now = sc_mono_ns();
	if (!*until)
		*until = now + SC_DGRAM_NOBUFS_NS;
	if (now >= *until)
		return false;
	sc_sleep_ns(*backoff, stop);
	*backoff = *backoff * 2 > 10 * SC_NS_PER_MS ? 10 * SC_NS_PER_MS : *backoff * 2;
	return true;
}

/* Accounts one message that went out at t_ns (flags: SC_EV_BATCH or 0). */
static void sent(struct sc_side *s, size_t len, uint64_t seq, uint64_t t_ns, uint32_t flags)
{
	struct sc_event e = {.t_ns = t_ns, .requested = len, .returned = (int64_t)len,
			     .offset = s->bytes, .first_seq = seq, .last_seq = seq,
			     .has_seq = true, .flags = flags};

	sc_side_event(s, &e);
	s->calls++;
	s->msgs++;
	s->bytes += len;
	if (!s->first_ns)
		s->first_ns = t_ns;
	s->last_ns = t_ns;
}

/* Records the failed call for message seq and returns the run's error. */
static int failed_call(struct sc_side *s, size_t len, uint64_t seq, int err)
{
	struct sc_event e = {.t_ns = sc_real_ns(), .requested = len, .returned = -err,
			     .offset = s->bytes, .first_seq = seq, .last_seq = seq,
			     .has_seq = true, .flags = SC_EV_ERROR};

	sc_side_event(s, &e);
	return send_failed(s, err);
}

/* Sends one datagram, m's entries (len bytes), with sendmsg(). Returns 0
 * or -errno with s->error set. */
static int send_one_msg(int fd, const struct msghdr *m, size_t len, uint64_t seq,
			struct sc_side *s, const volatile sig_atomic_t *stop)
{
	uint64_t until = 0, backoff = 100 * 1000;

	for (;;) {
		ssize_t n = sendmsg(fd, m, MSG_NOSIGNAL);
		int err = errno;

		if (n >= 0) {
			s->syscalls++;
			sent(s, (size_t)n, seq, sc_real_ns(), 0);
			return 0;
		}
		if (!retry(err, &until, &backoff, stop))
			return failed_call(s, len, seq, err);
	}
}

/* The messages queued for one sendmmsg() call: up to SC_DGRAM_BATCH, and
 * no more than SC_DGRAM_BATCH_BYTES of them. Each message has `per` iovec
 * entries: with --raw or --payload one, pointing at its copy in bufs;
 * otherwise its header (copied into bufs) and its payload straight from
 * the pattern (sc_pattern_msg_iov), so no payload byte is copied. One per
 * process: a sender has one socket. */
static struct batch {
	size_t n, cap, slot, per;
	uint8_t *bufs;
	struct iovec *iov;
	struct mmsghdr mm[SC_DGRAM_BATCH];
	uint64_t seq[SC_DGRAM_BATCH];
	size_t len[SC_DGRAM_BATCH];
} batch;

/* Sends the queued messages, as many per sendmmsg() call as the kernel
 * takes; each is accounted as one event (flag "batch", the call's return
 * time). A call that fails fails its first unsent message, as send() would.
 * Returns 0 or -errno with s->error set. */
static int flush(int fd, struct sc_side *s, const volatile sig_atomic_t *stop)
{
	uint64_t until = 0, backoff = 100 * 1000;
	size_t i = 0;

	while (i < batch.n) {
		int n = sendmmsg(fd, &batch.mm[i], (unsigned)(batch.n - i), MSG_NOSIGNAL);
		int err = errno;
		uint64_t t = sc_real_ns();

		if (n < 0) {
			if (retry(err, &until, &backoff, stop))
				continue;
			batch.n = 0;
			return failed_call(s, batch.len[i], batch.seq[i], err);
		}
		s->syscalls++;
		for (int k = 0; k < n; k++, i++)
			sent(s, batch.mm[i].msg_len, batch.seq[i], t, SC_EV_BATCH);
		until = 0;
	}
	batch.n = 0;
	return 0;
}

/* Points message slot k's entries at message seq of len bytes whose
 * header is hdr[0..44) (pattern) or whose bytes are buf[0..len) (copy).
 * Returns the entries used, 0 if they cannot hold the message (a bug:
 * batch_init sized them for the plan's largest). */
static size_t fill_slot(size_t k, const uint8_t *buf, size_t len, uint64_t seq, bool pattern)
{
	struct iovec *iov = batch.iov + k * batch.per;
	uint8_t *copy = batch.bufs + k * batch.slot;
	size_t n, covered = 0;

	if (!pattern) {
		memcpy(copy, buf, len);
		iov[0].iov_base = copy;
		iov[0].iov_len = len;
		return 1;
	}
	memcpy(copy, buf, SC_WIRE_HDR_LEN);
	n = sc_pattern_msg_iov(iov, batch.per, copy, SC_WIRE_HDR_LEN, len, seq, 0);
	for (size_t j = 0; j < n; j++)
		covered += iov[j].iov_len;
	return covered == len ? n : 0;
}

static int queue(int fd, const uint8_t *buf, size_t len, uint64_t seq, struct sc_side *s,
		 const volatile sig_atomic_t *stop, bool pattern)
{
	size_t k = batch.n, n = fill_slot(k, buf, len, seq, pattern);

	if (!n) {
		snprintf(s->error, sizeof(s->error), "message %llu of %zu bytes does not fit the batch",
			 (unsigned long long)seq, len);
		return -EMSGSIZE;
	}
	memset(&batch.mm[k], 0, sizeof(batch.mm[k]));
	batch.mm[k].msg_hdr.msg_iov = batch.iov + k * batch.per;
	batch.mm[k].msg_hdr.msg_iovlen = n;
	batch.seq[k] = seq;
	batch.len[k] = len;
	batch.n++;
	return batch.n == batch.cap ? flush(fd, s, stop) : 0;
}

/* Queues one message (a copy of buf) and sends the batch once it is full. */
static int queue_copy(int fd, const uint8_t *buf, size_t len, uint64_t seq, struct sc_side *s,
		      const volatile sig_atomic_t *stop)
{
	return queue(fd, buf, len, seq, s, stop, false);
}

/* Queues one message from its header hdr and the pattern. */
static int queue_pattern(int fd, const uint8_t *hdr, size_t len, uint64_t seq, struct sc_side *s,
			 const volatile sig_atomic_t *stop)
{
	return queue(fd, hdr, len, seq, s, stop, true);
}

/* With --no-batch: one sendmsg() per message, built in slot 0. */
static int send_copy(int fd, const uint8_t *buf, size_t len, uint64_t seq, struct sc_side *s,
		     const volatile sig_atomic_t *stop)
{
	struct msghdr m = {.msg_iov = batch.iov, .msg_iovlen = 1};

	batch.iov[0].iov_base = (void *)buf;
	batch.iov[0].iov_len = len;
	return send_one_msg(fd, &m, len, seq, s, stop);
}

static int send_pattern(int fd, const uint8_t *hdr, size_t len, uint64_t seq, struct sc_side *s,
			const volatile sig_atomic_t *stop)
{
	struct msghdr m = {.msg_iov = batch.iov, .msg_iovlen = fill_slot(0, hdr, len, seq, true)};

	if (!m.msg_iovlen) {
		snprintf(s->error, sizeof(s->error), "message %llu of %zu bytes does not fit",
			 (unsigned long long)seq, len);
		return -EMSGSIZE;
	}
	return send_one_msg(fd, &m, len, seq, s, stop);
}

/* Sets up the batch (cap 1 without batching) for messages of at most the
 * plan's largest size: copies of whole messages, or with pattern only
 * headers and the entries that point into the pattern. Returns 0 or
 * -ENOMEM. */
static int batch_init(const struct sc_send_plan *p, bool batching, bool pattern)
{
	size_t largest = (size_t)sc_plan_largest(p);

	batch.cap = batching ? SC_DGRAM_BATCH_BYTES / largest : 1;
	if (batch.cap > SC_DGRAM_BATCH)
		batch.cap = SC_DGRAM_BATCH;
	if (batch.cap < 1)
		batch.cap = 1;
	/* The header, and the payload in whole 4 KiB pattern chunks plus
	 * one partial. */
	batch.slot = pattern ? SC_WIRE_HDR_LEN : largest;
	batch.per = pattern ? 2 + largest / 4096 : 1;
	batch.n = 0;
	batch.bufs = malloc(batch.cap * batch.slot);
	batch.iov = calloc(batch.cap * batch.per, sizeof(*batch.iov));
	return batch.bufs && batch.iov ? 0 : -ENOMEM;
}

static void batch_free(void)
{
	free(batch.bufs);
	free(batch.iov);
	batch.bufs = NULL;
	batch.iov = NULL;
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
	/* From the pattern unless a message needs more iovec entries than
	 * the kernel takes (IOV_MAX: an AF_UNIX datagram over 4 MiB). */
	bool batching = o->c.batch && !o->raw,
	     pattern = !o->raw && !o->payload && 2 + sc_plan_largest(&o->plan) / 4096 <= IOV_MAX;
	int fd, r;

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
	/* AF_UNIX datagrams are flow-controlled: a receiver that stops
	 * reading blocks the sender, so a blocked send needs a deadline. */
	r = sc_sock_timeouts(fd, o->timeout_ns);
	if (r < 0) {
		snprintf(s->error, sizeof(s->error), "cannot set the send timeout: %s", strerror(-r));
		goto out;
	}
	/* Batching waits for nothing: a paced plan flushes every message.
	 * --raw talks to foreign peers: one send per message, as they would
	 * expect from the lecture's programs. sockcmp's own messages go out
	 * from the pattern without a copy of their payload. */
	if ((r = batch_init(&o->plan, batching, pattern)) < 0) {
		snprintf(s->error, sizeof(s->error), "out of memory for the send batch");
		goto out;
	}
	if (pattern)
		r = sc_plan_send_pattern_batched(o, fd, batching ? queue_pattern : send_pattern,
						 batching ? flush : sc_plan_no_flush, s, stop);
	else
		r = sc_plan_send_batched(o, fd, batching ? queue_copy : send_copy,
					 batching ? flush : sc_plan_no_flush, s, stop);
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
	batch_free();
	close(fd);
	return r;
}
