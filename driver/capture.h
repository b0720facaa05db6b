/* capture.h - a packet capture of loopback in a private network namespace
 * (probe_wire.c): what crossed the wire, frame by frame, kept in memory,
 * classified (handshake, data, pure ACK, FIN, UDP) and written as a pcap
 * file that Wireshark or tcpdump -r opens. */
#ifndef SC_CAPTURE_H
#define SC_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "outfile.h"

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

/* Like sc_capture_open, but on interface ifname of the network namespace
 * whose file is ns (/proc/PID/ns/net); this thread stays in its own. The
 * socket gets a receive buffer of 32 MiB (as root) so a trial's frames
 * wait there until sc_capture_spool. Returns 0 or -errno. */
int sc_capture_open_in(struct sc_capture *c, const char *ns, const char *ifname);

void sc_capture_close(struct sc_capture *c);

/* The pcap file format (https://www.tcpdump.org/manual/pcap.html; the
 * "nanosecond" variant), written byte by byte, little-endian (the magic
 * tells readers the byte order): a 24-byte file header, then per frame a
 * 16-byte record header and the frame's captured bytes. */
#define SC_PCAP_MAGIC_NS 0xa1b23c4du /* timestamps in ns */
#define SC_PCAP_LINKTYPE_ETHERNET 1u
#define SC_PCAP_FILE_HDR 24 /* magic 0, major 4, minor 6, thiszone 8, sigfigs 12, snaplen 16, linktype 20 */
#define SC_PCAP_REC_HDR 16  /* seconds 0, nanoseconds 4, captured length 8, original length 12 */

/* Encodes the file header (version 2.4, snaplen, link type). Pure. */
void sc_pcap_file_header(uint8_t out[SC_PCAP_FILE_HDR], uint32_t snaplen, uint32_t linktype);

/* Encodes one record header for a frame seen at t_ns (ns since the
 * epoch), caplen bytes kept of len. Pure. */
void sc_pcap_rec_header(uint8_t out[SC_PCAP_REC_HDR], uint64_t t_ns, uint32_t caplen, uint32_t len);

/* A pcap file being written through sc_outfile (outfile.h): an unnamed
 * temporary file in the final directory (or, where the filesystem has no
 * O_TMPFILE, one created O_EXCL|O_NOFOLLOW under an unguessable name),
 * fsynced and renamed over path by sc_pcap_commit, dropped by
 * sc_pcap_abort. So the final name is only ever a whole file, a process
 * killed while writing leaves no half-written one behind, and nothing
 * planted at any name is followed. */
struct sc_pcap {
	struct sc_outfile out;
	int fd;          /* out.fd while open, else -1 */
	uint64_t frames;
	int err;         /* first write error, -errno */
};

/* Returns 0 or -errno (then p holds nothing to free; sc_pcap_abort is
 * still safe). */
int sc_pcap_open(struct sc_pcap *p, const char *path);
void sc_pcap_frame(struct sc_pcap *p, uint64_t t_ns, const uint8_t *data, uint32_t caplen, uint32_t len);
/* Returns 0 or the first error -errno (then nothing is left behind and
 * the final name is as it was). */
int sc_pcap_commit(struct sc_pcap *p);
void sc_pcap_abort(struct sc_pcap *p);

/* Ends a capture after the run that made it: commits it if the run ran
 * to its end (run_result 0, or -EIO: some trials failed, and the rows say
 * which), drops it otherwise (-EINTR, or a run that could not start), so
 * an interrupted run leaves no capture of half a run. Returns 0, -ECANCELED
 * if dropped, or commit's -errno. */
int sc_pcap_finish(struct sc_pcap *p, int run_result);

/* Moves every frame queued on c's socket into p, each once (whatever the
 * direction: on a veth every packet shows once). Returns how many. */
size_t sc_capture_spool(struct sc_capture *c, struct sc_pcap *p);

#endif
