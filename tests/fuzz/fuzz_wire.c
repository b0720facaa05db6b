/* fuzz_wire.c - the header decoder on arbitrary bytes: it must never read
 * past the buffer, and whatever it accepts must encode back to the same
 * bytes (the reserved bytes excepted: they encode as 0). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_wire_hdr h;
	uint8_t again[SC_WIRE_HDR_LEN];
	uint8_t *copy;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (sc_wire_decode(copy, size, &h) == 0) {
		sc_wire_encode(&h, again);
		if (memcmp(again, copy, 6) != 0 || memcmp(again + 8, copy + 8, SC_WIRE_HDR_LEN - 8) != 0)
			abort();
		if (h.length < SC_WIRE_HDR_LEN || h.length > SC_WIRE_MAX_LEN)
			abort();
		if (size >= h.length)
			(void)sc_wire_checksum(copy, copy + SC_WIRE_HDR_LEN, h.length - SC_WIRE_HDR_LEN);
	}
	free(copy);
	return 0;
}
