/* capture.c - loopback capture and pcap files (see capture.h). */
#include "capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int sc_capture_open(struct sc_capture *c, const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	int r;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		return -ENODEV;
	c->v = calloc(SC_CAP_MAX, sizeof(*c->v));
	if (!c->v)
		return -ENOMEM;
	c->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		r = -errno;
		sc_capture_close(c);
		return r;
	}
	return 0;
}

size_t sc_capture_drain(struct sc_capture *c, size_t *first)
{
	size_t got = 0;

	*first = c->n;
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		struct sc_cap_frame *f = c->n < SC_CAP_MAX ? &c->v[c->n] : NULL;
		uint8_t scratch[SC_CAP_SNAP];
		struct timespec ts;
		ssize_t n = recvfrom(c->fd, f ? f->data : scratch, SC_CAP_SNAP, MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			break;
		if (!f) {
			c->dropped++;
			continue;
		}
		if (ioctl(c->fd, SIOCGSTAMPNS, &ts) < 0)
			clock_gettime(CLOCK_REALTIME, &ts);
		f->t_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		f->len = (uint32_t)n;
		f->caplen = (uint32_t)(n < SC_CAP_SNAP ? n : SC_CAP_SNAP);
		f->outgoing = from.sll_pkttype == PACKET_OUTGOING;
		c->n++;
		got++;
	}
	return got;
}

enum sc_frame_kind sc_capture_classify(const uint8_t *f, size_t len)
{
	size_t ihl, tot, doff;
	const uint8_t *ip = f + 14, *tcp;
	uint8_t flags;

	/* Ethernet: dst, src, type 0x0800; IPv4: version 4. */
	if (len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 || (ip[0] >> 4) != 4)
		return SC_FR_OTHER;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	tot = (size_t)ip[2] << 8 | ip[3];
	if (ihl < 20 || tot < ihl)
		return SC_FR_OTHER;
	if (ip[9] == 17)
		return SC_FR_UDP;
	if (ip[9] != 6 || len < 14 + ihl + 20)
		return SC_FR_OTHER;
	tcp = ip + ihl;
	doff = (size_t)(tcp[12] >> 4) * 4;
	flags = tcp[13];
	if (flags & 0x04)
		return SC_FR_TCP_RST;
	if (flags & 0x02)
		return SC_FR_TCP_SYN;
	if (tot > ihl + doff)
		return SC_FR_TCP_DATA; /* a FIN may ride on data: it is data first */
	if (flags & 0x01)
		return SC_FR_TCP_FIN;
	return SC_FR_TCP_ACK;
}

/* Whether frames [from, to) include sending copies: then only those
 * count, each packet once. */
static bool has_outgoing(const struct sc_capture *c, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (c->v[i].outgoing)
			return true;
	return false;
}

void sc_capture_count(const struct sc_capture *c, size_t from, size_t to, uint64_t *counts)
{
	bool out = has_outgoing(c, from, to);

	memset(counts, 0, sizeof(*counts) * (SC_FR_UDP + 1));
	for (size_t i = from; i < to && i < c->n; i++)
		if (!out || c->v[i].outgoing)
			counts[sc_capture_classify(c->v[i].data, c->v[i].caplen)]++;
}

/* Little-endian fields at fixed offsets. */
static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void sc_pcap_file_header(uint8_t out[SC_PCAP_FILE_HDR], uint32_t snaplen, uint32_t linktype)
{
	memset(out, 0, SC_PCAP_FILE_HDR);
	le32(out + 0, SC_PCAP_MAGIC_NS);
	le16(out + 4, 2); /* version 2.4 */
	le16(out + 6, 4);
	/* 8: thiszone, 12: sigfigs, both 0 */
	le32(out + 16, snaplen);
	le32(out + 20, linktype);
}

void sc_pcap_rec_header(uint8_t out[SC_PCAP_REC_HDR], uint64_t t_ns, uint32_t caplen, uint32_t len)
{
	le32(out + 0, (uint32_t)(t_ns / 1000000000u));
	le32(out + 4, (uint32_t)(t_ns % 1000000000u));
	le32(out + 8, caplen);
	le32(out + 12, len);
}

/* Writes all of buf or records the first error in p->err. */
static void put(struct sc_pcap *p, const void *buf, size_t n)
{
	const uint8_t *b = buf;

	while (n && !p->err) {
		ssize_t w = write(p->fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			p->err = w < 0 ? -errno : -EIO;
			break;
		}
		b += w;
		n -= (size_t)w;
	}
}

int sc_pcap_open(struct sc_pcap *p, const char *path)
{
	uint8_t h[SC_PCAP_FILE_HDR];
	int r;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->out.fd = -1;
	r = sc_outfile_open(&p->out, path);
	if (r < 0)
		return r;
	p->fd = p->out.fd;
	sc_pcap_file_header(h, SC_CAP_SNAP, SC_PCAP_LINKTYPE_ETHERNET);
	put(p, h, sizeof(h));
	r = p->err;
	if (r < 0)
		sc_pcap_abort(p); /* as promised: nothing left to free */
	return r;
}

void sc_pcap_frame(struct sc_pcap *p, uint64_t t_ns, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	uint8_t h[SC_PCAP_REC_HDR];

	if (p->fd < 0)
		return;
	sc_pcap_rec_header(h, t_ns, caplen, len);
	put(p, h, sizeof(h));
	put(p, data, caplen);
	p->frames++;
}

void sc_pcap_abort(struct sc_pcap *p)
{
	sc_outfile_abort(&p->out);
	p->fd = -1;
}

int sc_pcap_commit(struct sc_pcap *p)
{
	int r = p->err;

	if (p->fd < 0)
		return -EBADF;
	p->fd = -1;
	if (r) {
		sc_outfile_abort(&p->out);
		return r;
	}
	return sc_outfile_commit(&p->out);
}

int sc_pcap_finish(struct sc_pcap *p, int run_result)
{
	if (run_result == 0 || run_result == -EIO)
		return sc_pcap_commit(p);
	sc_pcap_abort(p);
	return -ECANCELED;
}

int sc_capture_write(const struct sc_capture *c, const char *path)
{
	bool out = has_outgoing(c, 0, c->n);
	struct sc_pcap p;
	int r = sc_pcap_open(&p, path);

	if (r < 0) {
		sc_pcap_abort(&p);
		return r;
	}
	for (size_t i = 0; i < c->n; i++)
		if (!out || c->v[i].outgoing)
			sc_pcap_frame(&p, c->v[i].t_ns, c->v[i].data, c->v[i].caplen, c->v[i].len);
	return sc_pcap_commit(&p);
}

int sc_capture_open_in(struct sc_capture *c, const char *ns, const char *ifname)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), there = -1, r, k;
	int big = 32 << 20;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (self < 0)
		return -errno;
	there = open(ns, O_RDONLY | O_CLOEXEC);
	if (there < 0 || setns(there, CLONE_NEWNET) < 0) {
		r = -errno;
		goto out;
	}
	r = sc_capture_open(c, ifname);
	/* Back home whatever happened; staying in the namespace would put
	 * every later socket of this process there. */
	if (setns(self, CLONE_NEWNET) < 0) {
		k = -errno;
		sc_capture_close(c);
		r = k;
		goto out;
	}
	if (r == 0 && setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		(void)setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)); /* what the limit allows */
out:
	if (there >= 0)
		close(there);
	close(self);
	return r;
}

size_t sc_capture_spool(struct sc_capture *c, struct sc_pcap *p)
{
	uint8_t buf[SC_CAP_SNAP];
	size_t got = 0;

	if (c->fd < 0)
		return 0;
	for (;;) {
		struct timespec ts;
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0)
			break;
		if (ioctl(c->fd, SIOCGSTAMPNS, &ts) < 0)
			clock_gettime(CLOCK_REALTIME, &ts);
		sc_pcap_frame(p, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec, buf,
			      (uint32_t)(n < SC_CAP_SNAP ? n : SC_CAP_SNAP), (uint32_t)n);
		got++;
	}
	return got;
}

void sc_capture_close(struct sc_capture *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->v);
	c->v = NULL;
	c->fd = -1;
}
