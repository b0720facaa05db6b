/* capture.c - loopback capture and pcap files (see capture.h). */
#include "capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
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

/* Appends a little-endian-as-host value (pcap files are in the writer's
 * byte order; the magic says which). */
static void put(FILE *f, const void *p, size_t n)
{
	fwrite(p, 1, n, f);
}

int sc_capture_write(const struct sc_capture *c, const char *path)
{
	const uint32_t magic = 0xa1b23c4d; /* nanosecond timestamps */
	const uint16_t major = 2, minor = 4;
	const uint32_t zero = 0, snap = SC_CAP_SNAP, linktype = 1; /* Ethernet */
	bool out = has_outgoing(c, 0, c->n);
	char tmp[4200];
	int fd, r = 0;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	put(f, &magic, 4), put(f, &major, 2), put(f, &minor, 2), put(f, &zero, 4), put(f, &zero, 4);
	put(f, &snap, 4), put(f, &linktype, 4);
	for (size_t i = 0; i < c->n; i++) {
		const struct sc_cap_frame *fr = &c->v[i];
		uint32_t sec = (uint32_t)(fr->t_ns / 1000000000u), nsec = (uint32_t)(fr->t_ns % 1000000000u);

		if (out && !fr->outgoing)
			continue;
		put(f, &sec, 4), put(f, &nsec, 4), put(f, &fr->caplen, 4), put(f, &fr->len, 4);
		put(f, fr->data, fr->caplen);
	}
	if (ferror(f))
		r = -EIO;
	if (fclose(f) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

void sc_capture_close(struct sc_capture *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->v);
	c->v = NULL;
	c->fd = -1;
}
