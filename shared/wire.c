/* wire.c - the sockcmp header: encode, decode, mac, checksum, payload, key.
 *
 * Every multi-byte field goes through be.h's sc_be_put32/64 and
 * sc_be_get32/64: a big-endian value copied with memcpy, never a buffer
 * cast to a struct, so neither alignment nor the host's byte order can
 * leak onto the wire. */
#include "wire.h"

#include "be.h"
#include "pattern.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <zlib.h>

/* Writes every field of h, the magic, and zero reserved bytes. Cannot fail. */
void sc_wire_encode(const struct sc_wire_hdr *h, uint8_t out[SC_WIRE_HDR_LEN])
{
	sc_be_put32(out + SC_WIRE_OFF_MAGIC, SC_WIRE_MAGIC);
	out[SC_WIRE_OFF_VERSION] = h->version;
	out[SC_WIRE_OFF_FLAGS] = h->flags;
	out[SC_WIRE_OFF_RESERVED] = 0;
	out[SC_WIRE_OFF_RESERVED + 1] = 0;
	sc_be_put32(out + SC_WIRE_OFF_TOKEN, h->token);
	sc_be_put32(out + SC_WIRE_OFF_LENGTH, h->length);
	sc_be_put64(out + SC_WIRE_OFF_SEQ, h->seq);
	sc_be_put64(out + SC_WIRE_OFF_SEND_NS, h->send_ns);
	sc_be_put32(out + SC_WIRE_OFF_CRC, h->crc);
	sc_be_put64(out + SC_WIRE_OFF_MAC, h->mac);
}

/* Checks size, magic and version, and fills h from the rest. Returns 0,
 * -EMSGSIZE, -EBADMSG, or -EPROTO (h filled). */
static int parse(const uint8_t *buf, size_t len, struct sc_wire_hdr *h)
{
	if (len < SC_WIRE_HDR_LEN)
		return -EMSGSIZE;
	if (sc_be_get32(buf + SC_WIRE_OFF_MAGIC) != SC_WIRE_MAGIC)
		return -EBADMSG;
	h->version = buf[SC_WIRE_OFF_VERSION];
	h->flags = buf[SC_WIRE_OFF_FLAGS];
	h->token = sc_be_get32(buf + SC_WIRE_OFF_TOKEN);
	h->length = sc_be_get32(buf + SC_WIRE_OFF_LENGTH);
	h->seq = sc_be_get64(buf + SC_WIRE_OFF_SEQ);
	h->send_ns = sc_be_get64(buf + SC_WIRE_OFF_SEND_NS);
	h->crc = sc_be_get32(buf + SC_WIRE_OFF_CRC);
	h->mac = sc_be_get64(buf + SC_WIRE_OFF_MAC);
	return h->version == SC_WIRE_VERSION ? 0 : -EPROTO;
}

static bool length_ok(uint32_t length)
{
	return length >= SC_WIRE_HDR_LEN && length <= SC_WIRE_MAX_LEN;
}

/* Returns 0, -EMSGSIZE (short), -EBADMSG (magic), -EPROTO (version, with h
 * filled so the caller can report what it saw) or -EINVAL (length, h
 * filled). Only the first SC_WIRE_HDR_LEN bytes are read, whatever len is. */
int sc_wire_decode(const uint8_t *buf, size_t len, struct sc_wire_hdr *h)
{
	int r = parse(buf, len, h);

	if (r < 0)
		return r;
	return length_ok(h->length) ? 0 : -EINVAL;
}

/* As sc_wire_decode, with the mac checked before the length: a stranger's
 * header with a wild length is a forgery (-EACCES), not our sender's
 * malformed message. The comparison need not be constant-time: a tag
 * guessed byte by byte would still need a new 2^64 search per message,
 * since every message's tag covers its own seq and send time. */
int sc_wire_open(const struct sc_wire_key *k, const uint8_t *buf, size_t len,
		 struct sc_wire_hdr *h)
{
	int r = parse(buf, len, h);

	if (r < 0)
		return r;
	if (sc_wire_mac(k, buf) != h->mac)
		return -EACCES;
	return length_ok(h->length) ? 0 : -EINVAL;
}

/* Returns SipHash-2-4 of the header bytes the mac covers. Cannot fail. */
uint64_t sc_wire_mac(const struct sc_wire_key *k, const uint8_t *hdr)
{
	return sc_siphash24(k->k, hdr, SC_WIRE_MAC_COVERS);
}

/* Stores the mac of hdr's first 36 bytes at its offset. Cannot fail. */
uint64_t sc_wire_seal(const struct sc_wire_key *k, uint8_t *hdr)
{
	uint64_t mac = sc_wire_mac(k, hdr);

	sc_be_put64(hdr + SC_WIRE_OFF_MAC, mac);
	return mac;
}

/* Byte i of message seq's payload is (uint8_t)(seq * 131 + i * 7 + 0x5a).
 * Cheap, and different for neighbouring messages and positions, so a
 * payload swapped between messages or shifted by a byte fails the CRC even
 * where the header survived. 7 is odd, so the pattern repeats every 256
 * bytes: it is copied from one precomputed period (pattern.c; a bulk
 * sender fills 128 KiB per message). Cannot fail. */
void sc_wire_fill_payload(uint8_t *payload, size_t n, uint64_t seq)
{
	sc_pattern_fill(payload, n, seq, 0);
}

/* Returns h->length, or -EINVAL if the length is one decode would refuse
 * (below the header, above SC_WIRE_MAX_LEN) or does not fit in buflen.
 * The payload and its crc come first, then the header is encoded and
 * sealed: the mac covers the crc, binding the payload to its header. */
long sc_wire_build(const struct sc_wire_key *k, struct sc_wire_hdr *h, uint8_t *buf,
		   size_t buflen)
{
	size_t body;

	if (!length_ok(h->length) || h->length > buflen)
		return -EINVAL;
	body = h->length - SC_WIRE_HDR_LEN;
	sc_pattern_fill(buf + SC_WIRE_HDR_LEN, body, h->seq, 0);
	return sc_wire_build_header(k, h, buf);
}

long sc_wire_build_header(const struct sc_wire_key *k, struct sc_wire_hdr *h,
			  uint8_t hdr[SC_WIRE_HDR_LEN])
{
	if (!length_ok(h->length))
		return -EINVAL;
	/* The crc of the pattern: one of 256 per length, looked up. */
	h->crc = sc_pattern_crc(h->seq, h->length - SC_WIRE_HDR_LEN);
	h->mac = 0;
	sc_wire_encode(h, hdr);
	h->mac = sc_wire_seal(k, hdr);
	return (long)h->length;
}

/* Returns crc updated with data[0..n), by zlib's crc32 (slice-by-N tables
 * or the CPU's carry-less multiply: about 10x a byte-at-a-time loop, which
 * capped TCP bulk throughput). zlib takes a 32-bit length, hence the
 * chunks. Cannot fail. */
uint32_t sc_crc32(uint32_t crc, const void *data, size_t n)
{
	const Bytef *p = data;
	uLong c = crc;

	while (n > 0) {
		uInt take = n > (1u << 30) ? (1u << 30) : (uInt)n;

		c = crc32(c, p, take);
		p += take;
		n -= take;
	}
	return (uint32_t)c;
}

/* Returns the CRC-32 of payload[0..n). */
uint32_t sc_wire_checksum(const uint8_t *payload, size_t n)
{
	return sc_crc32(0, payload, n);
}

/* Returns the value of hex digit c, or -1. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Returns 0, or -EINVAL with k zeroed (never half a key). */
int sc_wire_key_parse(const char *hex, struct sc_wire_key *k)
{
	for (size_t i = 0; i < SC_SIPHASH_KEY_LEN; i++) {
		int hi = hexval(hex[2 * i]), lo = hi < 0 ? -1 : hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			memset(k, 0, sizeof(*k));
			return -EINVAL;
		}
		k->k[i] = (uint8_t)(hi << 4 | lo);
	}
	if (hex[SC_WIRE_KEY_HEX] != '\0') {
		memset(k, 0, sizeof(*k));
		return -EINVAL;
	}
	return 0;
}

void sc_wire_key_format(const struct sc_wire_key *k, char out[SC_WIRE_KEY_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < SC_SIPHASH_KEY_LEN; i++) {
		out[2 * i] = digits[k->k[i] >> 4];
		out[2 * i + 1] = digits[k->k[i] & 0xf];
	}
	out[SC_WIRE_KEY_HEX] = '\0';
}

bool sc_wire_key_is_zero(const struct sc_wire_key *k)
{
	uint8_t any = 0;

	for (size_t i = 0; i < sizeof(k->k); i++)
		any |= k->k[i];
	return any == 0;
}

/* Returns 0, or -errno from getrandom (EINTR is retried; the call blocks
 * only until the kernel's pool is first initialised, at boot). */
int sc_wire_key_new(struct sc_wire_key *k)
{
	do {
		ssize_t n = getrandom(k->k, sizeof(k->k), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if ((size_t)n != sizeof(k->k))
			return -EIO;
	} while (sc_wire_key_is_zero(k));
	return 0;
}
