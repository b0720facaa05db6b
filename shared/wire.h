/* wire.h - the sockcmp message header, version 2: encoded byte by byte in
 * network order and authenticated with a per-run secret key.
 *
 * Every message a sockcmp sender writes starts with this 44-byte header:
 *
 *   offset size field
 *        0    4 magic      0x53434d50 ("SCMP")
 *        4    1 version    SC_WIRE_VERSION (2)
 *        5    1 flags      SC_WIRE_F_*
 *        6    2 reserved   0 on send, ignored on receive (but covered by mac)
 *        8    4 token      public run id: tells runs apart, proves nothing
 *       12    4 length     whole message length in bytes, header included
 *       16    8 seq        message sequence number, 0-based (64-bit: no wrap)
 *       24    8 send_ns    sender's CLOCK_REALTIME at send, nanoseconds
 *       32    4 crc        CRC-32 of the payload (bytes 44 .. length-1)
 *       36    8 mac        SipHash-2-4 of bytes 0..35 under the run's key
 *
 * The mac is the keyed check: only a holder of the run's 128-bit key can
 * make a header the receiver accepts, so a stranger who read the token off
 * a command line cannot forge messages or end markers. It covers every
 * field that changes a count (flags, length, seq, send_ns) and the payload
 * checksum, so the payload is bound to its header too. The crc is the fast
 * payload check: it tells a payload damaged in transit from an intact one.
 * A header damaged in transit fails the mac and counts as foreign, like a
 * forgery: the two cannot be told apart.
 *
 * The payload (length - 44 bytes) is a pattern derived from seq.
 *
 * Version 1 (36 bytes, an unkeyed CRC over header and payload) is not
 * accepted: its headers decode as -EPROTO, counted as foreign traffic. */
#ifndef SC_WIRE_H
#define SC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siphash.h"

#define SC_WIRE_MAGIC 0x53434d50u
#define SC_WIRE_VERSION 2
#define SC_WIRE_HDR_LEN 44
/* Largest message length accepted on decode (a stream message may be big,
 * a datagram is limited by the transport long before this). */
#define SC_WIRE_MAX_LEN (16u * 1024 * 1024)

#define SC_WIRE_OFF_MAGIC 0
#define SC_WIRE_OFF_VERSION 4
#define SC_WIRE_OFF_FLAGS 5
#define SC_WIRE_OFF_RESERVED 6
#define SC_WIRE_OFF_TOKEN 8
#define SC_WIRE_OFF_LENGTH 12
#define SC_WIRE_OFF_SEQ 16
#define SC_WIRE_OFF_SEND_NS 24
#define SC_WIRE_OFF_CRC 32
#define SC_WIRE_OFF_MAC 36
/* The mac covers bytes 0 .. SC_WIRE_MAC_COVERS-1. */
#define SC_WIRE_MAC_COVERS SC_WIRE_OFF_MAC

/* FIN: end of run, sent by datagram senders; seq holds the number of data
 * messages sent, length is SC_WIRE_HDR_LEN, crc is that of no payload (0). */
#define SC_WIRE_F_FIN 0x01

/* The run's secret. It travels to the paired programs in the environment
 * variable SC_WIRE_KEY_ENV as 32 hex digits (never on a command line,
 * which every user can read in /proc/PID/cmdline). */
#define SC_WIRE_KEY_ENV "SOCKCMP_KEY"
#define SC_WIRE_KEY_HEX (2 * SC_SIPHASH_KEY_LEN)
struct sc_wire_key {
	uint8_t k[SC_SIPHASH_KEY_LEN];
};

struct sc_wire_hdr {
	uint8_t version;
	uint8_t flags;
	uint32_t token;
	uint32_t length;
	uint64_t seq;
	uint64_t send_ns;
	uint32_t crc;
	uint64_t mac;
};

/* Writes h into out[0..43] in network byte order, h->mac as it is (see
 * sc_wire_seal). Never fails. */
void sc_wire_encode(const struct sc_wire_hdr *h, uint8_t out[SC_WIRE_HDR_LEN]);

/* Decodes the first SC_WIRE_HDR_LEN bytes of buf without checking the mac.
 * Returns 0, -EMSGSIZE if len < SC_WIRE_HDR_LEN, -EBADMSG on a wrong magic,
 * -EPROTO on an unknown version, -EINVAL if the length field is below
 * SC_WIRE_HDR_LEN or above SC_WIRE_MAX_LEN. h is filled on 0, -EPROTO and
 * -EINVAL. */
int sc_wire_decode(const uint8_t *buf, size_t len, struct sc_wire_hdr *h);

/* Decodes and authenticates: as sc_wire_decode, but the mac is checked
 * under k after magic and version and before the length, so that nothing
 * a stranger sends can reach a counter other than "foreign". Returns 0,
 * -EMSGSIZE, -EBADMSG, -EPROTO, -EACCES (the mac does not match: a forgery
 * or a header damaged in transit), or -EINVAL (an authentic header with an
 * impossible length). h is filled on 0, -EPROTO, -EACCES and -EINVAL. */
int sc_wire_open(const struct sc_wire_key *k, const uint8_t *buf, size_t len,
		 struct sc_wire_hdr *h);

/* Returns the mac of hdr[0..SC_WIRE_MAC_COVERS) under k. */
uint64_t sc_wire_mac(const struct sc_wire_key *k, const uint8_t *hdr);

/* Computes the mac of the encoded header hdr[0..43] under k and stores it
 * at SC_WIRE_OFF_MAC; returns it. */
uint64_t sc_wire_seal(const struct sc_wire_key *k, uint8_t *hdr);

/* Fills payload[0..n) with the pattern for message seq. */
void sc_wire_fill_payload(uint8_t *payload, size_t n, uint64_t seq);

/* Builds a whole message of h->length bytes into buf (buflen >= h->length):
 * pattern payload, its crc, the header sealed under k (h->crc and h->mac
 * are set). Returns h->length or -EINVAL. */
long sc_wire_build(const struct sc_wire_key *k, struct sc_wire_hdr *h, uint8_t *buf,
		   size_t buflen);

/* Builds only the header of that message into hdr[0..43]: the payload's
 * crc looked up from the pattern (sc_pattern_crc), h->crc and h->mac set,
 * the bytes exactly those sc_wire_build writes first. A sender that sends
 * the payload straight from the pattern (sc_pattern_msg_iov) uses this.
 * Returns h->length or -EINVAL. */
long sc_wire_build_header(const struct sc_wire_key *k, struct sc_wire_hdr *h,
			  uint8_t hdr[SC_WIRE_HDR_LEN]);

/* CRC-32 (IEEE 802.3, reflected: zlib's crc32, which it calls): start
 * with crc = 0 and feed pieces in order; sc_crc32(0, "123456789", 9) ==
 * 0xcbf43926. */
uint32_t sc_crc32(uint32_t crc, const void *data, size_t n);

/* The payload checksum stored in the crc field: CRC-32 of payload[0..n). */
uint32_t sc_wire_checksum(const uint8_t *payload, size_t n);

/* Parses exactly SC_WIRE_KEY_HEX hex digits (either case) into k. Returns
 * 0 or -EINVAL (wrong length or a non-hex character; k is then zeroed). */
int sc_wire_key_parse(const char *hex, struct sc_wire_key *k);

/* Writes k as SC_WIRE_KEY_HEX lowercase hex digits and a NUL into out. */
void sc_wire_key_format(const struct sc_wire_key *k, char out[SC_WIRE_KEY_HEX + 1]);

/* Fills k with a fresh random key from getrandom(2) (never all zero).
 * Returns 0 or -errno: no weaker fallback, a guessable key is no key. */
int sc_wire_key_new(struct sc_wire_key *k);

/* True if k is all zero: the public "no key" of unkeyed runs. */
bool sc_wire_key_is_zero(const struct sc_wire_key *k);

#endif
