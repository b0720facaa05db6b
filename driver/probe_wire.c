/* probe_wire.c - what crosses the wire: loopback frames and bytes in a
 * private namespace for the lecture's 5 x 512 writes and for one request/
 * response, TCP vs UDP, and how many of TCP's segments carried no data. */
#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "probe_util.h"

struct wire {
	const char *what;
	uint64_t frames, bytes;      /* loopback transmit counters */
	int64_t segs, data_segs;     /* TCP_INFO of both ends (-1: UDP) */
};

/* Segments both ends sent, and those with data (TCP_INFO, Linux 4.6+). */
static void segs(int a, int b, struct wire *w)
{
	struct tcp_info ti;
	socklen_t l;

	w->segs = w->data_segs = 0;
	for (int i = 0; i < 2; i++) {
		l = sizeof(ti);
		memset(&ti, 0, sizeof(ti));
		if (getsockopt(i ? b : a, IPPROTO_TCP, TCP_INFO, &ti, &l) < 0) {
			w->segs = w->data_segs = -1;
			return;
		}
		w->segs += ti.tcpi_segs_out;
		w->data_segs += ti.tcpi_data_segs_out;
	}
}

/* One TCP conversation: connect, the client's writes, the server's
 * reply (if any), both close. */
static int tcp_run(const size_t *writes, size_t nw, const char *reply, struct wire *w)
{
	struct sockaddr_storage a;
	socklen_t al;
	uint64_t p0, b0, p1, b1;
	char buf[4096] = {0};
	int lfd, c, s;

	lfd = pu_bound(AF_INET, SOCK_STREAM, 0, 1, &a, &al);
	if (lfd < 0)
		return lfd;
	pu_lo_counters(&p0, &b0);
	c = pu_connected(SOCK_STREAM, &a, al);
	s = c < 0 ? -1 : accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	close(lfd);
	if (s < 0) {
		if (c >= 0)
			close(c);
		return -ECONNREFUSED;
	}
	for (size_t i = 0; i < nw; i++)
		if (write(c, buf, writes[i]) < 0)
			break;
	if (reply) {
		if (pu_readable(s, 1000) == 1 && read(s, buf, sizeof(buf)) > 0 &&
		    write(s, reply, strlen(reply)) > 0 && pu_readable(c, 1000) == 1 && read(c, buf, sizeof(buf)) < 0)
			w->frames = 0; /* the reply was lost: the counts say so */
	}
	usleep(20000); /* the last ACKs */
	segs(c, s, w);
	close(c);
	while (pu_readable(s, 1000) == 1 && read(s, buf, sizeof(buf)) > 0)
		;
	close(s);
	usleep(20000); /* FIN, FIN, ACK */
	pu_lo_counters(&p1, &b1);
	w->frames = p1 - p0;
	w->bytes = b1 - b0;
	return 0;
}

static int udp_run(const size_t *writes, size_t nw, const char *reply, struct wire *w)
{
	struct sockaddr_storage a, from;
	socklen_t al, fl = sizeof(from);
	uint64_t p0, b0, p1, b1;
	char buf[4096] = {0};
	int r, c;

	r = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	if (r < 0)
		return r;
	c = pu_connected(SOCK_DGRAM, &a, al);
	if (c < 0) {
		close(r);
		return c;
	}
	pu_lo_counters(&p0, &b0);
	for (size_t i = 0; i < nw; i++)
		send(c, buf, writes[i], 0);
	if (reply && pu_readable(r, 1000) == 1 &&
	    recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) >= 0)
		sendto(r, reply, strlen(reply), 0, (struct sockaddr *)&from, fl);
	usleep(20000);
	pu_lo_counters(&p1, &b1);
	close(c);
	close(r);
	w->frames = p1 - p0;
	w->bytes = b1 - b0;
	w->segs = w->data_segs = -1;
	return 0;
}

int sc_probe_wire(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const size_t five[] = {512, 512, 512, 512, 512}, hello[] = {12};
	struct wire w[4] = {{.what = "tcp_5x512"}, {.what = "udp_5x512"}, {.what = "tcp_request_response"},
			     {.what = "udp_request_response"}};
	struct sc_csv c;
	int r;

	if (!env->privns) {
		sc_verdict_set(v, "not measured", "loopback counters are only ours in a private namespace");
		return -EPERM;
	}
	if ((r = tcp_run(five, 5, NULL, &w[0])) < 0 || (r = udp_run(five, 5, NULL, &w[1])) < 0 ||
	    (r = tcp_run(hello, 1, "back to ya client", &w[2])) < 0 ||
	    (r = udp_run(hello, 1, "back to ya client", &w[3])) < 0)
		return r;
	if ((r = sc_probe_csv_open(env, "wire-overhead", &c, (const char *const[]){"exchange", "frames", "bytes",
		"tcp_segments", "tcp_data_segments", NULL})) < 0)
		return r;
	for (int i = 0; i < 4; i++) {
		sc_csv_field(&c, w[i].what);
		sc_csv_u64(&c, w[i].frames);
		sc_csv_u64(&c, w[i].bytes);
		if (w[i].segs >= 0) {
			sc_csv_i64(&c, w[i].segs);
			sc_csv_i64(&c, w[i].data_segs);
		} else {
			sc_csv_field(&c, NULL);
			sc_csv_field(&c, NULL);
		}
		sc_csv_end_row(&c);
	}
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "5 x 512 bytes (2,560 of payload): TCP %llu frames, %llu bytes on the wire (%lld of its "
			   "segments carried data, the rest handshake, ACKs, FINs); UDP %llu frames, %llu bytes | request/"
			   "response: TCP %llu frames, %llu bytes; UDP %llu frames, %llu bytes",
			   (unsigned long long)w[0].frames, (unsigned long long)w[0].bytes, (long long)w[0].data_segs,
			   (unsigned long long)w[1].frames, (unsigned long long)w[1].bytes,
			   (unsigned long long)w[2].frames, (unsigned long long)w[2].bytes,
			   (unsigned long long)w[3].frames, (unsigned long long)w[3].bytes);
	if (w[0].frames > w[1].frames && w[1].frames == 5 && w[0].bytes > w[1].bytes)
		sc_verdict_set(v, "confirmed", "TCP's acknowledgements, handshake and close are visible on the wire "
			       "(%llu frames vs UDP's %llu, +%llu bytes); UDP sends the datagrams and nothing else",
			       (unsigned long long)w[0].frames, (unsigned long long)w[1].frames,
			       (unsigned long long)(w[0].bytes - w[1].bytes));
	else
		sc_verdict_set(v, "too simple", "TCP did not send more than UDP here; see wire-overhead.csv");
	return 0;
}
