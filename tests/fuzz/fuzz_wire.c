/* fuzz_wire.c - the header decoder and authenticator on arbitrary bytes.
 * Checked on every input (abort() on a violation, so libFuzzer keeps it):
 *   - decode and open never read past the buffer (an exact-size heap copy,
 *     ASan);
 *   - their verdicts match the header's own rules, error by error (open:
 *     magic, version, then the mac under KEY, then the length);
 *   - whatever decode fills in encodes back to the same 44 bytes, the
 *     reserved bytes 6-7 excepted (they encode as 0);
 *   - a message built from an accepted header (when the input is at least
 *     that long) opens under KEY with the same fields, carries its own
 *     payload checksum, and does not open under another key. */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct sc_wire_key KEY = {{'s', 'o', 'c', 'k', 'c', 'm', 'p', '-',
					'f', 'u', 'z', 'z', '-', 'k', 'e', 'y'}};

/* The decoder's expected verdict, from the field layout in wire.h. */
static int expected(const uint8_t *b, size_t size)
{
	uint32_t magic, length;

	if (size < SC_WIRE_HDR_LEN)
		return -EMSGSIZE;
	memcpy(&magic, b + SC_WIRE_OFF_MAGIC, 4);
	memcpy(&length, b + SC_WIRE_OFF_LENGTH, 4);
	length = ntohl(length);
	if (ntohl(magic) != SC_WIRE_MAGIC)
		return -EBADMSG;
	if (b[SC_WIRE_OFF_VERSION] != SC_WIRE_VERSION)
		return -EPROTO;
	if (length < SC_WIRE_HDR_LEN || length > SC_WIRE_MAX_LEN)
		return -EINVAL;
	return 0;
}

/* open's expected verdict: decode's, with the mac checked (straight
 * from SipHash) between the version and the length. */
static int expected_open(const uint8_t *b, size_t size)
{
	uint64_t mac;
	int d = expected(b, size);

	if (d == -EMSGSIZE || d == -EBADMSG || d == -EPROTO)
		return d;
	memcpy(&mac, b + SC_WIRE_OFF_MAC, 8);
	if (be64toh(mac) != sc_siphash24(KEY.k, b, SC_WIRE_MAC_COVERS))
		return -EACCES;
	return d;
}

/* Builds a message from h into a buffer of exactly h->length bytes and
 * checks it opens back with its checksum in place, under KEY only. */
static void check_build(struct sc_wire_hdr h)
{
	struct sc_wire_key other = KEY;
	struct sc_wire_hdr d;
	uint8_t *m = malloc(h.length);

	if (!m)
		return;
	if (sc_wire_build(&KEY, &h, m, h.length) != (long)h.length)
		abort();
	if (sc_wire_open(&KEY, m, h.length, &d) != 0)
		abort();
	if (d.version != h.version || d.flags != h.flags || d.token != h.token ||
	    d.length != h.length || d.seq != h.seq || d.send_ns != h.send_ns || d.crc != h.crc ||
	    d.mac != h.mac)
		abort();
	if (sc_wire_checksum(m + SC_WIRE_HDR_LEN, h.length - SC_WIRE_HDR_LEN) != d.crc)
		abort();
	other.k[h.seq % sizeof(other.k)] ^= (uint8_t)(1u << (h.send_ns % 8));
	if (sc_wire_open(&other, m, h.length, &d) != -EACCES)
		abort();
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_wire_hdr h;
	uint8_t again[SC_WIRE_HDR_LEN];
	uint8_t *copy = malloc(size ? size : 1);
	int r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (sc_wire_open(&KEY, copy, size, &h) != expected_open(copy, size))
		abort();
	r = sc_wire_decode(copy, size, &h);
	if (r != expected(copy, size))
		abort();
	if (r == 0 || r == -EPROTO || r == -EINVAL) {
		/* h is filled on both: it must say exactly what the bytes say. */
		sc_wire_encode(&h, again);
		if (memcmp(again, copy, SC_WIRE_OFF_RESERVED) != 0 ||
		    again[SC_WIRE_OFF_RESERVED] != 0 || again[SC_WIRE_OFF_RESERVED + 1] != 0 ||
		    memcmp(again + SC_WIRE_OFF_TOKEN, copy + SC_WIRE_OFF_TOKEN,
			   SC_WIRE_HDR_LEN - SC_WIRE_OFF_TOKEN) != 0)
			abort();
	}
	if (r == 0 && size >= h.length)
		check_build(h);
	free(copy);
	return 0;
}
