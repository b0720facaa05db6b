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

int sc_probe_connectionless(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	int fd, r, first, second, later_err = 0, unconn_err, tcp_err;
	uint64_t t;
	int64_t tcp_us;

	if ((r = free_addr(SOCK_DGRAM, &a, &al)) < 0)
		return r;
	/* A connected UDP socket: the send itself succeeds... */
	fd = pu_connected(SOCK_DGRAM, &a, al);
	if (fd < 0)
		return fd;
	first = send(fd, "hello", 5, 0) == 5 ? 0 : errno;
	/* ... the ICMP port unreachable arrives afterwards and is reported
	 * by the socket's next call. */
	pu_readable(fd, 200);
	second = send(fd, "hello", 5, 0) == 5 ? 0 : errno;
	if (!second)
		later_err = recv(fd, (char[8]){0}, 8, MSG_DONTWAIT) < 0 ? errno : 0;
	close(fd);
	/* An unconnected one never hears of it. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	unconn_err = sendto(fd, "hello", 5, 0, (struct sockaddr *)&a, al) == 5 ? 0 : errno;
	usleep(50000);
	if (!unconn_err)
		unconn_err = sendto(fd, "hello", 5, 0, (struct sockaddr *)&a, al) == 5 ? 0 : errno;
	close(fd);
	/* TCP asks first. */
	if ((r = free_addr(SOCK_STREAM, &a, &al)) < 0)
		return r;
	t = sc_mono_ns();
	fd = pu_connected(SOCK_STREAM, &a, al);
	tcp_us = (int64_t)((sc_mono_ns() - t) / 1000);
	tcp_err = fd < 0 ? -fd : 0;
	if (fd >= 0)
		close(fd);
	if ((r = sc_probe_csv_open(env, "connectionless", &c, cols)) < 0)
		return r;
	pu_row(&c, "udp_connected_first_send_errno", first, "errno");
	pu_row(&c, "udp_connected_second_send_errno", second, "errno");
	pu_row(&c, "udp_unconnected_sendto_errno", unconn_err, "errno");
	pu_row(&c, "tcp_connect_errno", tcp_err, "errno");
	pu_row(&c, "tcp_connect_time", tcp_us, "us");
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "UDP to a port nobody listens on: first send %s, next call %s; unconnected sendto: %s "
			   "both times | TCP connect: %s after %lld us", pu_errname(first),
			   pu_errname(second ? second : later_err), pu_errname(unconn_err), pu_errname(tcp_err),
			   (long long)tcp_us);
	if (!first && (second == ECONNREFUSED || later_err == ECONNREFUSED) && tcp_err == ECONNREFUSED)
		sc_verdict_set(v, "confirmed", "UDP sends without asking: the send to nobody succeeded and the refusal "
			       "(an ICMP port unreachable) only showed up as ECONNREFUSED on a later call of a connected "
			       "socket (never on an unconnected one); TCP's connect asked first and failed at once");
	else
		sc_verdict_set(v, "too simple", "the refusal did not turn up as expected; see connectionless.csv");
	return 0;
}

int sc_probe_bothways(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a, b, from;
	socklen_t al, bl, fl = sizeof(from);
	struct sc_csv c;
	int x, y, r;
	ssize_t n1 = -1, n2 = -1, n3 = -1, n4 = -1;
	char buf[64];

	x = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	y = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &b, &bl);
	if (x < 0 || y < 0) {
		r = x < 0 ? x : y;
		goto out;
	}
	/* One socket each; each sends AND receives. */
	n1 = sendto(x, "ping", 4, 0, (struct sockaddr *)&b, bl);
	if (pu_readable(y, 1000) == 1)
		n2 = recvfrom(y, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	n3 = sendto(y, "pong", 4, 0, (struct sockaddr *)&from, fl);
	if (pu_readable(x, 1000) == 1)
		n4 = recv(x, buf, sizeof(buf), 0);
	if ((r = sc_probe_csv_open(env, "both-directions", &c, cols)) < 0)
		goto out;
	pu_row(&c, "socket_a_sent", n1, "bytes");
	pu_row(&c, "socket_b_received", n2, "bytes");
	pu_row(&c, "socket_b_replied", n3, "bytes");
	pu_row(&c, "socket_a_received", n4, "bytes");
	if ((r = sc_csv_commit(&c)) < 0)
		goto out;
	sc_verdict_figures(v, "socket A sent %zd, B received %zd and replied %zd on the same socket, A received %zd",
			   n1, n2, n3, n4);
	if (n1 == 4 && n2 == 4 && n3 == 4 && n4 == 4)
		sc_verdict_set(v, "wrong", "one UDP socket both sent and received; datagram sockets are bidirectional "
			       "(the lecture's own slide says \"can send or receive\" - both, not one or the other)");
	else
		sc_verdict_set(v, "confirmed", "a socket could not both send and receive here");
out:
	if (x >= 0)
		close(x);
	if (y >= 0)
		close(y);
	return r < 0 ? r : 0;
}

/* Sends len-byte messages on fd (SO_SNDTIMEO = 200 ms) until one blocks
 * or count are sent; returns how many went, and in *blocked_ms how long
 * the failing call waited. */
static long fill(int fd, size_t len, long count, int64_t *blocked_ms, int *err)
{
	struct timeval tv = {.tv_sec = 0, .tv_usec = 200000};
	char *buf = calloc(1, len);
	long n = 0;

	*blocked_ms = 0;
	*err = 0;
	if (!buf)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
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

int sc_probe_sync(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	int s, r, k, sp[2], e_tcp, e_unix, e_udp, small = 65536;
	long n_tcp, n_unix, n_udp, got = 0;
	int64_t b_tcp, b_unix, b_udp;
	uint64_t t;
	int64_t udp_ms;
	char buf[1024];

	/* TCP, a receiver that never reads. */
	if ((k = pu_tcp_pair(&s, &r)) < 0)
		return k;
	n_tcp = fill(s, 65536, 4096, &b_tcp, &e_tcp);
	close(s);
	close(r);
	/* AF_UNIX datagrams, same. */
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	n_unix = fill(sp[0], 512, 100000, &b_unix, &e_unix);
	close(sp[0]);
	close(sp[1]);
	/* UDP: a small receive buffer, nobody reading until the end. */
	r = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	if (r < 0)
		return r;
	setsockopt(r, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	s = pu_connected(SOCK_DGRAM, &a, al);
	if (s < 0) {
		close(r);
		return s;
	}
	t = sc_mono_ns();
	n_udp = fill(s, 512, 2000, &b_udp, &e_udp);
	udp_ms = (int64_t)((sc_mono_ns() - t) / SC_NS_PER_MS);
	while (recv(r, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		got++;
	close(s);
	close(r);
	if ((r = sc_probe_csv_open(env, "sync-async", &c, (const char *const[]){"transport", "message_bytes",
		"sent_before_blocking", "blocked_ms", "errno", "received", NULL})) < 0)
		return r;
	sc_csv_field(&c, "tcp"), sc_csv_i64(&c, 65536), sc_csv_i64(&c, n_tcp), sc_csv_i64(&c, b_tcp);
	sc_csv_field(&c, pu_errname(e_tcp)), sc_csv_field(&c, NULL), sc_csv_end_row(&c);
	sc_csv_field(&c, "unix-dgram"), sc_csv_i64(&c, 512), sc_csv_i64(&c, n_unix), sc_csv_i64(&c, b_unix);
	sc_csv_field(&c, pu_errname(e_unix)), sc_csv_field(&c, NULL), sc_csv_end_row(&c);
	sc_csv_field(&c, "udp"), sc_csv_i64(&c, 512), sc_csv_i64(&c, n_udp), sc_csv_i64(&c, b_udp);
	sc_csv_field(&c, pu_errname(e_udp)), sc_csv_i64(&c, got), sc_csv_end_row(&c);
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "receiver not reading: TCP took %ld x 64 KiB, then send blocked (%s after %lld ms); AF_UNIX "
			   "datagrams took %ld x 512 B, then blocked (%s); UDP sent all %ld x 512 B in %lld ms without "
			   "blocking, the receiver then found %ld, %ld dropped", n_tcp, pu_errname(e_tcp), (long long)b_tcp,
			   n_unix, pu_errname(e_unix), n_udp, (long long)udp_ms, got, n_udp - got);
	if (e_tcp == EAGAIN && e_unix == EAGAIN && !e_udp && got < n_udp)
		sc_verdict_set(v, "too simple", "every send returns once the kernel has the bytes, so neither waits for "
			       "the receiver as such; the difference is flow control: TCP (and AF_UNIX datagrams) block "
			       "the sender when the receiver falls behind, UDP never blocks and drops instead");
	else
		sc_verdict_set(v, "too simple", "see sync-async.csv: send blocking did not follow the usual pattern here");
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

int sc_probe_sizes(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	long l4 = -1, l6 = -1, lu = -1, reads = 0, total = 0;
	int e4 = 0, e6 = 0, eu = 0, r, s, rd, sp[2], big = 1 << 20;
	static char buf[1 << 20];

	r = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	if (r >= 0 && (s = pu_connected(SOCK_DGRAM, &a, al)) >= 0) {
		setsockopt(r, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
		l4 = largest(s, r, 70000, &e4);
		close(s);
	}
	if (r >= 0)
		close(r);
	r = pu_bound(AF_INET6, SOCK_DGRAM, 0, 0, &a, &al);
	if (r >= 0 && (s = pu_connected(SOCK_DGRAM, &a, al)) >= 0) {
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
		l6 = largest(s, r, 70000, &e6);
		close(s);
	}
	if (r >= 0)
		close(r);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) == 0) {
		lu = largest(sp[0], sp[1], sizeof(buf) - 1, &eu);
		close(sp[0]);
		close(sp[1]);
	}
	/* A large stream write: one call, several reads. */
	if ((r = pu_tcp_pair(&s, &rd)) < 0)
		return r;
	{
		static char out[1 << 20];
		ssize_t w = 0, n;

		/* Writer and reader in one thread: write what fits, read, repeat. */
		while (total < (long)sizeof(out)) {
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
			reads++;
			total += n;
		}
	}
	close(s);
	close(rd);
	if ((r = sc_probe_csv_open(env, "size-limits", &c, cols)) < 0)
		return r;
	pu_row(&c, "udp_ipv4_largest", l4, "bytes");
	pu_row(&c, "udp_ipv4_one_more_errno", e4, "errno");
	pu_row(&c, "udp_ipv6_largest", l6, "bytes");
	pu_row(&c, "udp_ipv6_one_more_errno", e6, "errno");
	pu_row(&c, "unix_dgram_largest", lu, "bytes");
	pu_row(&c, "unix_dgram_one_more_errno", eu, "errno");
	pu_row(&c, "stream_bytes_written", total, "bytes");
	pu_row(&c, "stream_reads_of_64KiB", reads, "reads");
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "largest datagram: UDP/IPv4 %ld (%ld+1: %s), UDP/IPv6 %ld (%s), AF_UNIX %ld (%s, set by "
			   "the send buffer); a 1 MiB stream transfer arrived in %ld reads of up to 64 KiB", l4, l4,
			   pu_errname(e4), l6, pu_errname(e6), lu, pu_errname(eu), reads);
	if (l4 == 65507 && e4 == EMSGSIZE)
		sc_verdict_set(v, "too simple", "\"single packet (small)\": one datagram is at most 65,507 bytes over IPv4 "
			       "(65,535 minus the IP and UDP headers), %ld over IPv6, more on AF_UNIX - not small, but "
			       "bounded; a stream has no message size at all", l6);
	else
		sc_verdict_set(v, "too simple", "datagram sizes are bounded (UDP/IPv4 %ld here); streams are not", l4);
	return 0;
}
