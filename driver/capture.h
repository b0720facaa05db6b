/* capture.h - a packet capture of loopback in a private network namespace
 * (probe_wire.c): what crossed the wire, frame by frame, kept in memory,
 * classified (handshake, data, pure ACK, FIN, UDP) and written as a pcap
 * file that Wireshark or tcpdump -r opens. */
#ifndef SC_CAPTURE_H
#define SC_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#define SC_CAP_SNAP 2048 /* bytes kept of each frame */
#define SC_CAP_MAX 512   /* frames kept */

enum sc_frame_kind { SC_FR_OTHER, SC_FR_TCP_SYN, SC_FR_TCP_FIN, SC_FR_TCP_RST, SC_FR_TCP_DATA, SC_FR_TCP_ACK,
		     SC_FR_UDP };

struct sc_cap_frame {
	uint64_t t_ns;
	uint32_t len, caplen;
	uint8_t outgoing; /* the sending copy (PACKET_OUTGOING) */
	uint8_t data[SC_CAP_SNAP];
};

struct sc_capture {
	int fd;
	struct sc_cap_frame *v;
	size_t n;
	uint64_t dropped;
};

/* Starts capturing every frame on interface ifname. Returns 0 or -errno
 * (EPERM without CAP_NET_RAW). */
int sc_capture_open(struct sc_capture *c, const char *ifname);

/* Takes the frames queued so far into memory; the first one taken is
 * returned in *first so the caller can tell runs apart. Returns how many. */
size_t sc_capture_drain(struct sc_capture *c, size_t *first);

/* Classifies one Ethernet-framed IPv4 frame (loopback frames carry a
 * zeroed Ethernet header). Pure; for the tests. */
enum sc_frame_kind sc_capture_classify(const uint8_t *f, size_t len);

/* Counts frames [from, to) by kind into counts[SC_FR_UDP + 1], counting
 * each packet once (loopback shows the sending and the receiving copy). */
void sc_capture_count(const struct sc_capture *c, size_t from, size_t to, uint64_t *counts);

/* Writes the frames counted once as a pcap file (nanosecond timestamps,
 * Ethernet link type), created exclusively beside path and renamed into
 * place. Returns 0 or -errno. */
int sc_capture_write(const struct sc_capture *c, const char *path);

void sc_capture_close(struct sc_capture *c);

#endif
