/* wire.h - the sockcmp message header, encoded byte by byte in network order.
 *
 * Every message a sockcmp sender writes starts with this 36-byte header:
 *
 *   offset size field
 *        0    4 magic      0x53434d50 ("SCMP")
 *        4    1 version    SC_WIRE_VERSION
 *        5    1 flags      SC_WIRE_F_*
 *        6    2 reserved   0 on send, ignored on receive
 *        8    4 token      run token: tells this run's messages from strays
 *       12    4 length     whole message length in bytes, header included
 *       16    8 seq        message sequence number, 0-based (64-bit: no wrap)
 *       24    8 send_ns    sender's CLOCK_REALTIME at send, nanoseconds
 *       32    4 crc        CRC-32 of bytes 0..31 of the header and the payload
 *
 * The payload (length - 36 bytes) is a pattern derived from seq, so a
 * receiver can tell a corrupted message from an intact one. */
#ifndef SC_WIRE_H
#define SC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define SC_WIRE_MAGIC 0x53434d50u
#define SC_WIRE_VERSION 1
#define SC_WIRE_HDR_LEN 36
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

/* FIN: end of run, sent by datagram senders; seq holds the number of data
 * messages sent, length is SC_WIRE_HDR_LEN. */
#define SC_WIRE_F_FIN 0x01

struct sc_wire_hdr {
	uint8_t version;
	uint8_t flags;
	uint32_t token;
	uint32_t length;
	uint64_t seq;
	uint64_t send_ns;
	uint32_t crc;
};

/* Writes h into out[0..35] in network byte order. Never fails. */
void sc_wire_encode(const struct sc_wire_hdr *h, uint8_t out[SC_WIRE_HDR_LEN]);

/* Decodes the first SC_WIRE_HDR_LEN bytes of buf. Returns 0, -EMSGSIZE if
 * len < SC_WIRE_HDR_LEN, -EBADMSG on a wrong magic, -EPROTO on an unknown
 * version, -EINVAL if the length field is below SC_WIRE_HDR_LEN or above
 * SC_WIRE_MAX_LEN. h is filled on 0 and on -EPROTO. */
int sc_wire_decode(const uint8_t *buf, size_t len, struct sc_wire_hdr *h);

/* Fills payload[0..n) with the pattern for message seq. */
void sc_wire_fill_payload(uint8_t *payload, size_t n, uint64_t seq);

/* Builds a whole message of h->length bytes into buf (buflen >= h->length):
 * pattern payload, header with the checksum filled in (h->crc is set).
 * Returns h->length or -EINVAL. */
long sc_wire_build(struct sc_wire_hdr *h, uint8_t *buf, size_t buflen);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32): start with crc = 0 and
 * feed pieces in order; sc_crc32(0, "123456789", 9) == 0xcbf43926. */
uint32_t sc_crc32(uint32_t crc, const void *data, size_t n);

/* The message checksum: CRC-32 over header bytes 0..31 then the payload.
 * hdr must hold at least 32 bytes. */
uint32_t sc_wire_checksum(const uint8_t *hdr, const uint8_t *payload, size_t n);

#endif
