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

#include "capture.h"
#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"

struct wire {
	const char *what;
	uint64_t frames, bytes;      /* loopback transmit counters */
	int64_t segs, data_segs;     /* TCP_INFO of both ends (-1: UDP) */
	uint64_t kinds[SC_FR_UDP + 1]; /* from the capture, by enum sc_frame_kind */
	bool captured;
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
	uint64_t p0, b0, p1, b1;
	char buf[4096] = {0};

	int c, s, r;

	/* Before the pair: the handshake counts. */
	if ((r = pu_lo_counters(&p0, &b0)) < 0)
		return r;
	if ((r = pu_tcp_pair(&c, &s)) < 0)
		return r;
	for (size_t i = 0; i < nw; i++)
		if (write(c, buf, writes[i]) != (ssize_t)writes[i]) {
			/* Frames counted for writes that did not all go out
			 * say nothing about the lecture's five. */
			close(c);
			close(s);
			return -EIO;
		}
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
	if ((r = pu_lo_counters(&p1, &b1)) < 0)
		return r;
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
	int r, c, k;

	r = pu_bound(AF_INET, SOCK_DGRAM, 0, 0, &a, &al);
	if (r < 0)
		return r;
	c = pu_connected(SOCK_DGRAM, &a, al);
	if (c < 0) {
		close(r);
		return c;
	}
	k = pu_lo_counters(&p0, &b0);
	for (size_t i = 0; i < nw; i++)
		send(c, buf, writes[i], 0);
	if (reply && pu_readable(r, 1000) == 1 &&
	    recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) >= 0)
		sendto(r, reply, strlen(reply), 0, (struct sockaddr *)&from, fl);
	usleep(20000);
	if (k == 0)
		k = pu_lo_counters(&p1, &b1);
	close(c);
	close(r);
	if (k < 0)
		return k;
	w->frames = p1 - p0;
	w->bytes = b1 - b0;
	w->segs = w->data_segs = -1;
	return 0;
}

void sc__judge_wire(uint64_t tcp_frames, uint64_t tcp_bytes, uint64_t udp_frames, uint64_t udp_bytes,
		    struct sc_verdict *v)
{
	/* Five datagrams are five frames on a loopback nobody else uses: any
	 * other count means the counters saw more (or less) than the probe. */
	if (udp_frames != 5)
		sc_verdict_set(v, "not measured", "UDP's 5 datagrams counted as %llu loopback frames: the counters did "
			       "not see just this probe's traffic", (unsigned long long)udp_frames);
	else if (tcp_frames > udp_frames && tcp_bytes > udp_bytes)
		sc_verdict_set(v, "confirmed", "TCP's acknowledgements, handshake and close are visible on the wire "
			       "(%llu frames vs UDP's %llu, +%llu bytes); UDP sends the datagrams and nothing else",
			       (unsigned long long)tcp_frames, (unsigned long long)udp_frames,
			       (unsigned long long)(tcp_bytes - udp_bytes));
	else
		sc_verdict_set(v, "not measured", "TCP's 5 writes counted as %llu frames, %llu bytes, no more than "
			       "UDP's: a handshake alone is 3 frames, so the counters missed traffic; see "
			       "wire-overhead.csv", (unsigned long long)tcp_frames, (unsigned long long)tcp_bytes);
}

int sc_probe_wire(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const size_t five[] = {512, 512, 512, 512, 512}, hello[] = {12};
	struct wire w[4] = {{.what = "tcp_5x512"}, {.what = "udp_5x512"}, {.what = "tcp_request_response"},
			     {.what = "udp_request_response"}};
	struct sc_capture cap;
	struct sc_csv c;
	char path[4200];
	int r, capr;

	if (!env->privns) {
		sc_verdict_set(v, "not measured", "loopback counters are only ours in a private namespace");
		return -EPERM;
	}
	/* The capture is for the eye (Wireshark) and for telling ACKs from
	 * data; the counts do not depend on it. */
	capr = sc_capture_open(&cap, "lo");
	for (int i = 0; i < 4; i++) {
		size_t first;

		r = i == 0 ? tcp_run(five, 5, NULL, &w[0]) : i == 1 ? udp_run(five, 5, NULL, &w[1])
			: i == 2 ? tcp_run(hello, 1, "back to ya client", &w[2])
			: udp_run(hello, 1, "back to ya client", &w[3]);
		if (r < 0)
			goto out;
		if (capr == 0) {
			sc_capture_drain(&cap, &first);
			sc_capture_count(&cap, first, cap.n, w[i].kinds);
			w[i].captured = true;
		}
	}
	snprintf(path, sizeof(path), "%s/wire-overhead.pcap", env->out_dir);
	if (capr == 0)
		capr = sc_capture_write(&cap, path);
	if ((r = sc_probe_csv_open(env, "wire-overhead", &c, (const char *const[]){"exchange", "frames", "bytes",
		"tcp_segments", "tcp_data_segments", "captured_handshake", "captured_data", "captured_pure_acks",
		"captured_fin", NULL})) < 0)
		goto out;
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
		if (w[i].captured) {
			sc_csv_u64(&c, w[i].kinds[SC_FR_TCP_SYN]);
			sc_csv_u64(&c, w[i].kinds[SC_FR_TCP_DATA] + w[i].kinds[SC_FR_UDP]);
			sc_csv_u64(&c, w[i].kinds[SC_FR_TCP_ACK]);
			sc_csv_u64(&c, w[i].kinds[SC_FR_TCP_FIN]);
		} else {
			for (int k = 0; k < 4; k++)
				sc_csv_field(&c, NULL);
		}
		sc_csv_end_row(&c);
	}
	if ((r = sc_csv_commit(&c)) < 0)
		goto out;
	sc_verdict_figures(v, "5 x 512 bytes (2,560 of payload): TCP %llu frames, %llu IP bytes on loopback (no link header; "
			   "Ethernet adds 14 a frame) (%lld of its "
			   "segments carried data, the rest handshake, ACKs, FINs); UDP %llu frames, %llu bytes | request/"
			   "response: TCP %llu frames, %llu bytes; UDP %llu frames, %llu bytes",
			   (unsigned long long)w[0].frames, (unsigned long long)w[0].bytes, (long long)w[0].data_segs,
			   (unsigned long long)w[1].frames, (unsigned long long)w[1].bytes,
			   (unsigned long long)w[2].frames, (unsigned long long)w[2].bytes,
			   (unsigned long long)w[3].frames, (unsigned long long)w[3].bytes);
	sc__judge_wire(w[0].frames, w[0].bytes, w[1].frames, w[1].bytes, v);
	if (w[0].captured)
		snprintf(v->figures + strlen(v->figures), sizeof(v->figures) - strlen(v->figures),
			 " | captured (wire-overhead.pcap): TCP 5 x 512 = %llu handshake (SYN), %llu data, %llu pure "
			 "ACKs, %llu FIN", (unsigned long long)w[0].kinds[SC_FR_TCP_SYN],
			 (unsigned long long)w[0].kinds[SC_FR_TCP_DATA], (unsigned long long)w[0].kinds[SC_FR_TCP_ACK],
			 (unsigned long long)w[0].kinds[SC_FR_TCP_FIN]);
	else
		snprintf(v->figures + strlen(v->figures), sizeof(v->figures) - strlen(v->figures),
			 " | no capture: %s", strerror(-capr));
out:
	if (capr != -ENODEV && cap.v)
		sc_capture_close(&cap);
	return r < 0 ? r : 0;
}
