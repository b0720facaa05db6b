/* wire.c - the sockcmp header: encode, decode, checksum, payload. */
#include "wire.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <string.h>

/* Stores v big-endian at p; memcpy, never a cast: p need not be aligned. */
static void put32(uint8_t *p, uint32_t v)
{
	uint32_t n = htonl(v);

	memcpy(p, &n, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	uint64_t n = htobe64(v);

	memcpy(p, &n, 8);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t n;

	memcpy(&n, p, 4);
	return ntohl(n);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t n;

	memcpy(&n, p, 8);
	return be64toh(n);
}

void sc_wire_encode(const struct sc_wire_hdr *h, uint8_t out[SC_WIRE_HDR_LEN])
{
	put32(out + SC_WIRE_OFF_MAGIC, SC_WIRE_MAGIC);
	out[SC_WIRE_OFF_VERSION] = h->version;
	out[SC_WIRE_OFF_FLAGS] = h->flags;
	out[SC_WIRE_OFF_RESERVED] = 0;
	out[SC_WIRE_OFF_RESERVED + 1] = 0;
	put32(out + SC_WIRE_OFF_TOKEN, h->token);
	put32(out + SC_WIRE_OFF_LENGTH, h->length);
	put64(out + SC_WIRE_OFF_SEQ, h->seq);
	put64(out + SC_WIRE_OFF_SEND_NS, h->send_ns);
	put32(out + SC_WIRE_OFF_CRC, h->crc);
}

int sc_wire_decode(const uint8_t *buf, size_t len, struct sc_wire_hdr *h)
{
	if (len < SC_WIRE_HDR_LEN)
		return -EMSGSIZE;
	if (get32(buf + SC_WIRE_OFF_MAGIC) != SC_WIRE_MAGIC)
		return -EBADMSG;
	h->version = buf[SC_WIRE_OFF_VERSION];
	h->flags = buf[SC_WIRE_OFF_FLAGS];
	h->token = get32(buf + SC_WIRE_OFF_TOKEN);
	h->length = get32(buf + SC_WIRE_OFF_LENGTH);
	h->seq = get64(buf + SC_WIRE_OFF_SEQ);
	h->send_ns = get64(buf + SC_WIRE_OFF_SEND_NS);
	h->crc = get32(buf + SC_WIRE_OFF_CRC);
	if (h->version != SC_WIRE_VERSION)
		return -EPROTO;
	if (h->length < SC_WIRE_HDR_LEN || h->length > SC_WIRE_MAX_LEN)
		return -EINVAL;
	return 0;
}

/* Byte i of message seq's payload: cheap, and different for neighbouring
 * messages and positions, so a swapped or shifted payload fails the CRC. */
void sc_wire_fill_payload(uint8_t *payload, size_t n, uint64_t seq)
{
	uint8_t base = (uint8_t)(seq * 131u + 0x5a);

	for (size_t i = 0; i < n; i++)
		payload[i] = (uint8_t)(base + i * 7u);
}

long sc_wire_build(struct sc_wire_hdr *h, uint8_t *buf, size_t buflen)
{
	if (h->length < SC_WIRE_HDR_LEN || h->length > buflen)
		return -EINVAL;
	sc_wire_fill_payload(buf + SC_WIRE_HDR_LEN, h->length - SC_WIRE_HDR_LEN, h->seq);
	h->crc = 0;
	sc_wire_encode(h, buf);
	h->crc = sc_wire_checksum(buf, buf + SC_WIRE_HDR_LEN, h->length - SC_WIRE_HDR_LEN);
	put32(buf + SC_WIRE_OFF_CRC, h->crc);
	return (long)h->length;
}

/* The reflected CRC-32 table for polynomial 0xEDB88320, built once. */
static uint32_t crc_table[256];
static int crc_ready;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

uint32_t sc_crc32(uint32_t crc, const void *data, size_t n)
{
	const uint8_t *p = data;

	if (!crc_ready)
		crc_init();
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t sc_wire_checksum(const uint8_t *hdr, const uint8_t *payload, size_t n)
{
	return sc_crc32(sc_crc32(0, hdr, SC_WIRE_OFF_CRC), payload, n);
}
