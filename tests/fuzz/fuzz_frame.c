/* fuzz_frame.c - the stream re-framer on a byte stream cut at arbitrary
 * points. The first input byte seeds the cut sizes; the rest is the
 * stream. Invariants checked on every input:
 *   - offset equals the bytes fed, junk never exceeds it;
 *   - the per-read completed counts add up to the callbacks made;
 *   - no callback after desynchronisation;
 *   - every reported message has a length the decoder accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	unsigned calls;
	int desynced;
};

static void on_msg(void *arg, const struct sc_frame_msg *m)
{
	struct state *s = arg;

	if (s->desynced || m->hdr.length < SC_WIRE_HDR_LEN || m->hdr.length > SC_WIRE_MAX_LEN)
		abort();
	s->calls++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_frame f;
	struct state st = {0, 0};
	unsigned completed = 0;
	uint32_t rng;
	size_t off = 1;

	if (size < 1)
		return 0;
	rng = data[0] * 2654435761u + 1;
	sc_frame_init(&f, 0x01020304);
	while (off < size) {
		struct sc_frame_read rd;
		size_t n;
		uint8_t *chunk;

		rng = rng * 1103515245u + 12345u;
		n = 1 + (rng >> 16) % 97;
		if (n > size - off)
			n = size - off;
		chunk = malloc(n); /* exact size: ASan catches over-reads */
		if (!chunk)
			return 0;
		memcpy(chunk, data + off, n);
		if (sc_frame_feed(&f, chunk, n, on_msg, &st, &rd) < 0 && !f.desync)
			abort();
		free(chunk);
		st.desynced = f.desync;
		completed += rd.completed;
		off += n;
		if (f.offset != off - 1 || f.junk_bytes > f.offset)
			abort();
	}
	if (completed != st.calls)
		abort();
	return 0;
}
