/* fuzz_wire.c - the header decoder on arbitrary bytes. Checked on every
 * input (abort() on a violation, so libFuzzer keeps the input):
 *   - decode never reads past the buffer (an exact-size heap copy, ASan);
 *   - its verdict matches the header's own rules, error by error;
 *   - whatever it accepts encodes back to the same 36 bytes, the reserved
 *     bytes 6-7 excepted (they encode as 0);
 *   - a message built from an accepted header (when the input is at least
 *     that long) decodes to the same fields and carries its own checksum. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

/* Builds a message from h into a buffer of exactly h->length bytes and
 * checks it decodes back with its checksum in place. */
static void check_build(struct sc_wire_hdr h)
{
	struct sc_wire_hdr d;
	uint8_t *m = malloc(h.length);

	if (!m)
		return;
	if (sc_wire_build(&h, m, h.length) != (long)h.length)
		abort();
	if (sc_wire_decode(m, h.length, &d) != 0)
		abort();
	if (d.version != h.version || d.flags != h.flags || d.token != h.token ||
	    d.length != h.length || d.seq != h.seq || d.send_ns != h.send_ns || d.crc != h.crc)
		abort();
	if (sc_wire_checksum(m, m + SC_WIRE_HDR_LEN, h.length - SC_WIRE_HDR_LEN) != d.crc)
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
	r = sc_wire_decode(copy, size, &h);
	if (r != expected(copy, size))
		abort();
	if (r == 0 || r == -EPROTO) {
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
