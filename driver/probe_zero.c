/* probe_zero.c - "Send a message with 0 bytes to end the conversation":
 * what a 0-byte write does on a stream, a UDP and a seqpacket socket. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"

/* Sends 0 bytes on s, and watches r. */
static void zero_send(int s, int r, bool ip, struct sc__zero *z)
{
	uint64_t p0 = 0, p1 = 0, b;
	char buf[16] = {0};

	int k = ip ? pu_lo_counters(&p0, &b) : -1;

	z->sent = send(s, buf, 0, MSG_NOSIGNAL);
	z->send_err = z->sent < 0 ? errno : 0;
	z->readable = pu_readable(r, 200);
	if (k == 0 && pu_lo_counters(&p1, &b) == 0)
		z->packets = (int64_t)(p1 - p0);
	else
		z->packets = -1;
	z->got = z->readable == 1 ? recv(r, buf, sizeof(buf), MSG_DONTWAIT) : -2;
	/* Was that the end? A later byte says no. */
	z->still_open = send(s, "x", 1, MSG_NOSIGNAL) == 1 && pu_readable(r, 200) == 1 &&
			recv(r, buf, sizeof(buf), MSG_DONTWAIT) == 1;
}

void sc__judge_zero(const struct sc__zero z[3], long eof, struct sc_verdict *v)
{
	char tcp_pk[32], eofs[48];

	snprintf(tcp_pk, sizeof(tcp_pk), z[0].packets >= 0 ? "%lld packets" : "packets not counted",
		 (long long)z[0].packets);
	snprintf(eofs, sizeof(eofs), eof == -2 ? "nothing within 500 ms" : "%ld", eof);
	sc_verdict_figures(v, "tcp: send(0) returned %ld, %s, reader %s; close() then read %s | udp: %lld packet, "
			   "reader %s, recv %ld | seqpacket: reader %s, recv %ld, connection still open: %s",
			   z[0].sent, tcp_pk, z[0].readable == 1 ? "woken" : z[0].readable == 0
			   ? "saw nothing in 200 ms" : "not watched (poll failed)", eofs, (long long)z[1].packets,
			   z[1].readable == 1 ? "woken" : "not woken", z[1].got, z[2].readable == 1 ? "woken"
			   : "not woken", z[2].got, z[2].still_open ? "yes" : "no");
	if (z[0].sent < 0 || z[0].readable < 0) {
		sc_verdict_set(v, "not measured", "the 0-byte stream write could not be made or watched (%s)",
			       pu_errname(z[0].sent < 0 ? z[0].send_err : -z[0].readable));
	} else if (z[0].readable == 1 && z[0].got == 0 && z[0].still_open) {
		sc_verdict_set(v, "confirmed", "a 0-byte stream write woke the reader");
	} else if (z[0].readable == 1) {
		/* Woken, but by an error, a reset or the end (the connection
		 * did not stay open): not by the 0-byte write. */
		sc_verdict_set(v, "not measured", "the stream's reader was woken, but not by a 0-byte message "
			       "(recv %ld, connection %s)", z[0].got, z[0].still_open ? "open" : "gone");
	} else if (eof != 0) {
		sc_verdict_set(v, "not measured", "the stream's reader did not see the end after close() either (%s): "
			       "cannot tell what ends a conversation", eofs);
	} else if (z[0].packets == 0 && z[1].readable == 1 && z[1].got == 0) {
		sc_verdict_set(v, "too simple", "works for datagrams only: a 0-byte stream write sends nothing and the "
			       "reader sees nothing; it is close() that ends a stream conversation (read returns 0). A "
			       "0-byte UDP datagram is a real packet (recv returns 0) but may be lost like any other; "
			       "on seqpacket a 0-byte message %s", z[2].got == 0 && z[2].still_open
			       ? "reads as 0, just like the end" : "behaves differently here");
	} else {
		/* The stream half is measured and answers the claim; the
		 * datagram half is not what Linux usually does. */
		sc_verdict_set(v, "too simple", "a 0-byte stream write did not reach the reader; it is close() that "
			       "ends a stream conversation (read returns 0). The datagram side did not behave as usual "
			       "here; see zero-length.csv");
	}
}

int sc_probe_zero(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sc__zero z[3] = {{.transport = "tcp"}, {.transport = "udp"}, {.transport = "unix-seqpacket"}};
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	int s, r, k, sp[2];
	long eof;

	/* TCP: a connected pair; the ACKs of the handshake are done before
	 * the counters are read. */
	if ((k = pu_tcp_pair(&s, &r)) < 0)
		return k;
	usleep(20000);
	zero_send(s, r, true, &z[0]);
	close(s);
	eof = pu_readable(r, 500) == 1 ? recv(r, (char[4]){0}, 4, 0) : -2;
	close(r);
	/* UDP. */
	r = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	if (r < 0)
		return r;
	s = pu_connected(SOCK_DGRAM, &a, al);
	if (s < 0) {
		close(r);
		return s;
	}
	zero_send(s, r, true, &z[1]);
	close(s);
	close(r);
	/* AF_UNIX seqpacket: where a 0 from recv also means "closed". */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	zero_send(sp[0], sp[1], false, &z[2]);
	close(sp[0]);
	close(sp[1]);
	if ((r = sc_probe_csv_open(env, "zero-length", &c, (const char *const[]){"transport", "send_returned",
		"loopback_packets", "reader_woken", "recv_returned", "connection_still_open", NULL})) < 0)
		return r;
	for (int i = 0; i < 3; i++) {
		sc_csv_field(&c, z[i].transport);
		sc_csv_i64(&c, z[i].sent);
		if (z[i].packets >= 0)
			sc_csv_i64(&c, z[i].packets);
		else
			sc_csv_field(&c, NULL);
		if (z[i].readable >= 0)
			sc_csv_i64(&c, z[i].readable);
		else
			sc_csv_field(&c, NULL);
		if (z[i].got != -2)
			sc_csv_i64(&c, z[i].got);
		else
			sc_csv_field(&c, NULL);
		sc_csv_i64(&c, z[i].still_open);
		sc_csv_end_row(&c);
	}
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc__judge_zero(z, eof, v);
	return 0;
}
