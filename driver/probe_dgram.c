/* probe_dgram.c - the exam answer's datagram claims: connectionless, one
 * way only, asynchronous, small. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"

static const char *const cols[] = {"measure", "value", "unit", NULL};

/* A free port on 127.0.0.1 that nobody listens on (bound, read, closed). */
static int free_addr(int type, struct sockaddr_storage *a, socklen_t *al)
{
	int fd = pu_bound(AF_INET, type, 0, 1, a, al);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

void sc__judge_connless(const struct sc__connless *m, struct sc_verdict *v)
{
	if (m->socket_err) {
		sc_verdict_set(v, "not measured", "a socket could not be made: %s", pu_errname(m->socket_err));
		return;
	}
	sc_verdict_figures(v, "UDP to a port nobody listens on: first send %s, next call %s; unconnected sendto: %s "
			   "both times | TCP connect: %s after %lld us", pu_errname(m->first),
			   pu_errname(m->second ? m->second : m->later), pu_errname(m->unconn), pu_errname(m->tcp),
			   (long long)m->tcp_us);
	if (!m->first && (m->second == ECONNREFUSED || m->later == ECONNREFUSED) && !m->unconn &&
	    m->tcp == ECONNREFUSED)
		sc_verdict_set(v, "confirmed", "UDP sends without asking: the send to nobody succeeded and the refusal "
			       "(an ICMP port unreachable) only showed up as ECONNREFUSED on a later call of a connected "
			       "socket (never on an unconnected one); TCP's connect asked first and failed at once");
	else
		sc_verdict_set(v, "not measured", "the sends and the connect did not give the results either claim "
			       "predicts (a send or connect failed otherwise, or no refusal came back): cannot tell; "
			       "see connectionless.csv");
}

int sc_probe_connectionless(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	struct sc__connless m = {0};
	int fd, r;
	uint64_t t;

	if ((r = free_addr(SOCK_DGRAM, &a, &al)) < 0)
		return r;
	/* A connected UDP socket: the send itself succeeds... */
	fd = pu_connected(SOCK_DGRAM, &a, al);
	if (fd < 0)
		return fd;
	m.first = send(fd, "hello", 5, 0) == 5 ? 0 : errno;
	/* ... the ICMP port unreachable arrives afterwards and is reported
	 * by the socket's next call. */
	pu_readable(fd, 200);
	m.second = send(fd, "hello", 5, 0) == 5 ? 0 : errno;
	if (!m.second)
		m.later = recv(fd, (char[8]){0}, 8, MSG_DONTWAIT) < 0 ? errno : 0;
	close(fd);
	/* An unconnected one never hears of it. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		m.socket_err = errno;
	} else {
		m.unconn = sendto(fd, "hello", 5, 0, (struct sockaddr *)&a, al) == 5 ? 0 : errno;
		usleep(50000);
		if (!m.unconn)
			m.unconn = sendto(fd, "hello", 5, 0, (struct sockaddr *)&a, al) == 5 ? 0 : errno;
		close(fd);
	}
	/* TCP asks first. */
	if ((r = free_addr(SOCK_STREAM, &a, &al)) < 0)
		return r;
	t = sc_mono_ns();
	fd = pu_connected(SOCK_STREAM, &a, al);
	m.tcp_us = (int64_t)((sc_mono_ns() - t) / 1000);
	m.tcp = fd < 0 ? -fd : 0;
	if (fd >= 0)
		close(fd);
	if ((r = sc_probe_csv_open(env, "connectionless", &c, cols)) < 0)
		return r;
	pu_row(&c, "udp_connected_first_send_errno", m.first, "errno");
	pu_row(&c, "udp_connected_second_send_errno", m.second, "errno");
	pu_row_if(&c, !m.socket_err, "udp_unconnected_sendto_errno", m.unconn, "errno");
	pu_row(&c, "tcp_connect_errno", m.tcp, "errno");
	pu_row(&c, "tcp_connect_time", m.tcp_us, "us");
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc__judge_connless(&m, v);
	return 0;
}

/* "sent 4" or "failed (ETIMEDOUT)" for step i. */
static const char *step(const struct sc__bothways *m, int i, char *buf, size_t len)
{
	if (m->err[i] == SC__NOT_TRIED)
		snprintf(buf, len, "not tried");
	else if (m->err[i])
		snprintf(buf, len, "failed (%s)", pu_errname(m->err[i]));
	else
		snprintf(buf, len, "%zd", m->n[i]);
	return buf;
}

void sc__judge_bothways(const struct sc__bothways *m, struct sc_verdict *v)
{
	static const char *const what[] = {"A's send", "B's receive", "B's reply", "A's receive"};
	char s[4][40];

	sc_verdict_figures(v, "socket A sent %s, B received %s and replied %s on the same socket, A received %s",
			   step(m, 0, s[0], sizeof(s[0])), step(m, 1, s[1], sizeof(s[1])),
			   step(m, 2, s[2], sizeof(s[2])), step(m, 3, s[3], sizeof(s[3])));
	for (int i = 0; i < 4; i++)
		if (m->err[i]) {
			sc_verdict_set(v, "not measured", "%s %s, so it is not known whether one socket can do both",
				       what[i], m->err[i] == SC__NOT_TRIED ? "was not tried" : m->err[i] == ETIMEDOUT
				       ? "got nothing within 1 s" : "failed");
			return;
		}
	if (m->n[0] == 4 && m->n[1] == 4 && m->n[2] == 4 && m->n[3] == 4)
		sc_verdict_set(v, "wrong", "one UDP socket both sent and received; datagram sockets are bidirectional "
			       "(the lecture's own slide says \"can send or receive\" - both, not one or the other)");
	else
		sc_verdict_set(v, "not measured", "the datagrams were not the 4 bytes sent; see both-directions.csv");
}

int sc_probe_bothways(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const char *const rows[] = {"socket_a_sent", "socket_b_received", "socket_b_replied",
					   "socket_a_received"};
	struct sockaddr_storage a, b, from;
	socklen_t al, bl, fl = sizeof(from);
	struct sc__bothways m = {{-1, -1, -1, -1}, {SC__NOT_TRIED, SC__NOT_TRIED, SC__NOT_TRIED, SC__NOT_TRIED}};
	struct sc_csv c;
	int x, y, r, k;
	char buf[64];

	x = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	y = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &b, &bl);
	if (x < 0 || y < 0) {
		r = x < 0 ? x : y;
		goto out;
	}
	/* One socket each; each sends AND receives. Every step only after
	 * the one before it worked (B replies to the address it read). */
	m.n[0] = sendto(x, "ping", 4, 0, (struct sockaddr *)&b, bl);
	m.err[0] = m.n[0] < 0 ? errno : 0;
	if (!m.err[0]) {
		k = pu_readable(y, 1000);
		m.n[1] = k == 1 ? recvfrom(y, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) : -1;
		m.err[1] = k == 0 ? ETIMEDOUT : k < 0 ? -k : m.n[1] < 0 ? errno : 0;
	}
	if (!m.err[0] && !m.err[1]) {
		m.n[2] = sendto(y, "pong", 4, 0, (struct sockaddr *)&from, fl);
		m.err[2] = m.n[2] < 0 ? errno : 0;
	}
	if (!m.err[0] && !m.err[1] && !m.err[2]) {
		k = pu_readable(x, 1000);
		m.n[3] = k == 1 ? recv(x, buf, sizeof(buf), 0) : -1;
		m.err[3] = k == 0 ? ETIMEDOUT : k < 0 ? -k : m.n[3] < 0 ? errno : 0;
	}
	if ((r = sc_probe_csv_open(env, "both-directions", &c, cols)) < 0)
		goto out;
	for (int i = 0; i < 4; i++) {
		pu_row_if(&c, !m.err[i], rows[i], m.n[i], "bytes");
	}
	if ((r = sc_csv_commit(&c)) < 0)
		goto out;
	sc__judge_bothways(&m, v);
out:
	if (x >= 0)
		close(x);
	if (y >= 0)
		close(y);
	return r < 0 ? r : 0;
}

/* Sends len-byte messages on fd (SO_SNDTIMEO = 200 ms) until one blocks
 * or count are sent; returns how many went, and in *blocked_ms how long
 * the failing call waited; -errno if it could not start (no buffer, no
 * timeout: a send could then block for ever). */
static long fill(int fd, size_t len, long count, int64_t *blocked_ms, int *err)
{
	struct timeval tv = {.tv_sec = 0, .tv_usec = 200000};
	char *buf = calloc(1, len);
	long n = 0;

	*blocked_ms = 0;
	*err = 0;
	if (!buf)
		return -ENOMEM;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		n = -errno;
		free(buf);
		return n;
	}
	for (; n < count; n++) {
		uint64_t t = sc_mono_ns();

		if (send(fd, buf, len, MSG_NOSIGNAL) < 0) {
			*err = errno;
			*blocked_ms = (int64_t)((sc_mono_ns() - t) / SC_NS_PER_MS);
			break;
		}
	}
	free(buf);
	return n;
}

void sc__judge_sync(const struct sc__sync *m, struct sc_verdict *v)
{
	sc_verdict_figures(v, "receiver not reading: TCP took %ld x 64 KiB, then send %s (%s after %lld ms); AF_UNIX "
			   "datagrams took %ld x 512 B, then %s (%s); UDP sent %ld x 512 B in %lld ms (%s), the "
			   "receiver then found %ld, %ld dropped", m->n_tcp, m->e_tcp == EAGAIN ? "blocked" : m->e_tcp ? "failed" : "never blocked",
			   pu_errname(m->e_tcp), (long long)m->b_tcp, m->n_unix, m->e_unix == EAGAIN ? "blocked" : m->e_unix ? "failed" : "never blocked",
			   pu_errname(m->e_unix), m->n_udp, (long long)m->udp_ms, pu_errname(m->e_udp), m->got,
			   m->n_udp - m->got);
	if (m->e_tcp == EAGAIN && m->e_unix == EAGAIN && !m->e_udp && m->got < m->n_udp)
		sc_verdict_set(v, "too simple", "every send returns once the kernel has the bytes, so neither waits for "
			       "the receiver as such; the difference is flow control: TCP (and AF_UNIX datagrams) block "
			       "the sender when the receiver falls behind, UDP never blocks and drops instead");
	else
		sc_verdict_set(v, "not measured", "the sends did not block or fail the way flow control explains "
			       "(a send failed otherwise, or nothing filled up): cannot tell; see sync-async.csv");
}

int sc_probe_sync(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	struct sc__sync m = {0};
	int s, r, k, sp[2], small = 65536;
	int64_t b_udp;
	uint64_t t;
	char buf[1024];

	/* TCP, a receiver that never reads. */
	if ((k = pu_tcp_pair(&s, &r)) < 0)
		return k;
	m.n_tcp = fill(s, 65536, 4096, &m.b_tcp, &m.e_tcp);
	close(s);
	close(r);
	if (m.n_tcp < 0)
		return (int)m.n_tcp;
	/* AF_UNIX datagrams, same. */
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	m.n_unix = fill(sp[0], 512, 100000, &m.b_unix, &m.e_unix);
	close(sp[0]);
	close(sp[1]);
	if (m.n_unix < 0)
		return (int)m.n_unix;
	/* UDP: a small receive buffer, nobody reading until the end. */
	r = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	if (r < 0)
		return r;
	if (setsockopt(r, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) < 0 ||
	    (s = pu_connected(SOCK_DGRAM, &a, al)) < 0) {
		k = s < 0 ? s : -errno;
		close(r);
		return k;
	}
	t = sc_mono_ns();
	m.n_udp = fill(s, 512, 2000, &b_udp, &m.e_udp);
	m.udp_ms = (int64_t)((sc_mono_ns() - t) / SC_NS_PER_MS);
	while (m.n_udp >= 0 && recv(r, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		m.got++;
	close(s);
	close(r);
	if (m.n_udp < 0)
		return (int)m.n_udp;
	if ((r = sc_probe_csv_open(env, "sync-async", &c, (const char *const[]){"transport", "message_bytes",
		"sent_before_blocking", "blocked_ms", "errno", "received", NULL})) < 0)
		return r;
	sc_csv_field(&c, "tcp"), sc_csv_i64(&c, 65536), sc_csv_i64(&c, m.n_tcp), sc_csv_i64(&c, m.b_tcp);
	sc_csv_field(&c, pu_errname(m.e_tcp)), sc_csv_field(&c, NULL), sc_csv_end_row(&c);
	sc_csv_field(&c, "unix-dgram"), sc_csv_i64(&c, 512), sc_csv_i64(&c, m.n_unix), sc_csv_i64(&c, m.b_unix);
	sc_csv_field(&c, pu_errname(m.e_unix)), sc_csv_field(&c, NULL), sc_csv_end_row(&c);
	sc_csv_field(&c, "udp"), sc_csv_i64(&c, 512), sc_csv_i64(&c, m.n_udp), sc_csv_i64(&c, b_udp);
	sc_csv_field(&c, pu_errname(m.e_udp)), sc_csv_i64(&c, m.got), sc_csv_end_row(&c);
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc__judge_sync(&m, v);
	return 0;
}

/* The largest datagram one send accepts on a socket of family/type
 * connected to to (binary search; drain is the receiving end). Sets *at_limit_errno to what one byte
 * more gives. */
static long largest(int fd, int drain, long hi, int *err_above)
{
	static char buf[1 << 20];
	long lo = 0;

	while (lo < hi) {
		long mid = lo + (hi - lo + 1) / 2;

		if (send(fd, buf, (size_t)mid, MSG_DONTWAIT) >= 0)
			lo = mid;
		else
			hi = mid - 1;
		/* Empty the receiver, so a full queue never passes for a
		 * size limit. */
		while (recv(drain, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
			;
	}
	*err_above = send(fd, buf, (size_t)lo + 1, MSG_DONTWAIT) < 0 ? errno : 0;
	return lo;
}

/* "65507 (65507+1: EMSGSIZE)" or "not measured". */
static const char *limit(long l, int e, char *buf, size_t len)
{
	if (l < 0)
		snprintf(buf, len, "not measured");
	else
		snprintf(buf, len, "%ld (%ld+1: %s)", l, l, pu_errname(e));
	return buf;
}

void sc__judge_sizes(const struct sc__sizes *m, struct sc_verdict *v)
{
	char l4[64], l6[64], lu[64], stream[120];

	if (m->total < 0)
		snprintf(stream, sizeof(stream), "the stream transfer could not be set up");
	else if (m->total < m->want)
		snprintf(stream, sizeof(stream), "a %ld-byte stream transfer stopped after %ld bytes in %ld reads",
			 m->want, m->total, m->reads);
	else
		snprintf(stream, sizeof(stream), "a %ld-byte stream transfer arrived in %ld reads of up to 64 KiB",
			 m->want, m->reads);
	sc_verdict_figures(v, "largest datagram: UDP/IPv4 %s, UDP/IPv6 %s, AF_UNIX %s (set by the send buffer); %s",
			   limit(m->l4, m->e4, l4, sizeof(l4)), limit(m->l6, m->e6, l6, sizeof(l6)),
			   limit(m->lu, m->eu, lu, sizeof(lu)), stream);
	/* A limit is only a limit if one byte more is refused as too big. */
	if (m->l4 <= 0 || m->e4 != EMSGSIZE)
		sc_verdict_set(v, "not measured", "the largest UDP/IPv4 datagram was not found (%s)", l4);
	else if (m->total != m->want)
		sc_verdict_set(v, "not measured", "the stream transfer did not complete: %s", stream);
	else if (m->l4 == 65507 && m->l6 > 0 && m->e6 == EMSGSIZE)
		sc_verdict_set(v, "too simple", "\"single packet (small)\": one datagram is at most 65,507 bytes over IPv4 "
			       "(65,535 minus the IP and UDP headers), %ld over IPv6, more on AF_UNIX - not small, but "
			       "bounded; a stream has no message size at all", m->l6);
	else
		sc_verdict_set(v, "too simple", "datagram sizes are bounded (UDP/IPv4 %ld here); streams are not", m->l4);
}

int sc_probe_sizes(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const char *const names[3][2] = {{"udp_ipv4_largest", "udp_ipv4_one_more_errno"},
						{"udp_ipv6_largest", "udp_ipv6_one_more_errno"},
						{"unix_dgram_largest", "unix_dgram_one_more_errno"}};
	static char buf[1 << 20], out[1 << 20];
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	struct sc__sizes m = {.l4 = -1, .l6 = -1, .lu = -1, .want = sizeof(out), .total = -1};
	int r, s, rd, sp[2], big = 1 << 20;

	r = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	if (r >= 0 && (s = pu_connected(SOCK_DGRAM, &a, al)) >= 0) {
		if (setsockopt(r, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)) == 0 &&
		    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)) == 0)
			m.l4 = largest(s, r, 70000, &m.e4);
		close(s);
	}
	if (r >= 0)
		close(r);
	r = pu_bound(AF_INET6, SOCK_DGRAM, 0, 0, &a, &al);
	if (r >= 0 && (s = pu_connected(SOCK_DGRAM, &a, al)) >= 0) {
		if (setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)) == 0)
			m.l6 = largest(s, r, 70000, &m.e6);
		close(s);
	}
	if (r >= 0)
		close(r);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) == 0) {
		m.lu = largest(sp[0], sp[1], sizeof(buf) - 1, &m.eu);
		close(sp[0]);
		close(sp[1]);
	}
	/* A large stream write: one call, several reads. */
	if ((r = pu_tcp_pair(&s, &rd)) < 0)
		return r;
	{
		ssize_t w = 0, n;

		/* Writer and reader in one thread: write what fits, read, repeat. */
		m.total = m.reads = 0;
		while (m.total < m.want) {
			if (w < (ssize_t)sizeof(out)) {
				n = send(s, out + w, sizeof(out) - (size_t)w, MSG_DONTWAIT);
				if (n > 0)
					w += n;
			}
			if (pu_readable(rd, 1000) != 1)
				break;
			n = recv(rd, buf, 65536, 0);
			if (n <= 0)
				break;
			m.reads++;
			m.total += n;
		}
	}
	close(s);
	close(rd);
	if ((r = sc_probe_csv_open(env, "size-limits", &c, cols)) < 0)
		return r;
	for (int i = 0; i < 3; i++) {
		long l = i == 0 ? m.l4 : i == 1 ? m.l6 : m.lu;
		int e = i == 0 ? m.e4 : i == 1 ? m.e6 : m.eu;

		if (l < 0) {
			pu_row_none(&c, names[i][0], "bytes");
			pu_row_none(&c, names[i][1], "errno");
		} else {
			pu_row(&c, names[i][0], l, "bytes");
			pu_row(&c, names[i][1], e, "errno");
		}
	}
	/* A transfer cut short measured nothing: its figures are in the
	 * verdict, not in cells the revision sheet would take as whole. */
	if (m.total == m.want) {
		pu_row(&c, "stream_bytes_written", m.total, "bytes");
		pu_row(&c, "stream_reads_of_64KiB", m.reads, "reads");
	} else {
		pu_row_none(&c, "stream_bytes_written", "bytes");
		pu_row_none(&c, "stream_reads_of_64KiB", "reads");
	}
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc__judge_sizes(&m, v);
	return 0;
}
