/* fuzz_frame.c - the stream re-framer on a byte stream cut at arbitrary
 * points, checked against an oracle that walks the whole stream with
 * sc_wire_open under the harness's fixed key.
 *
 * Input: byte 0 = mode: bits 0-3 the number k of cut bytes that follow,
 * bit 4 "fix and seal" (the harness rewrites every decodable message's
 * payload crc and seals its header with KEY, so authentic and intact
 * messages are common, not only forgeries and corrupted ones). Then k read
 * sizes, used in turn (0 = an empty read; k = 0 feeds the stream in one
 * read). The rest is the stream. Each read is fed from an exact-size heap
 * copy, so ASan sees any read past it.
 *
 * Checked (abort() on a violation): offset is the bytes fed; junk is 0
 * before a desync and the bad header plus everything after it once there;
 * per read, completed equals the callbacks made, any_seq/first/last name
 * exactly the messages the read touched, starts_on_boundary is the previous
 * read's ends_on_boundary and ends_on_boundary is sc_frame_idle(); every
 * callback is the oracle's next message (fields, corrupted, foreign); the
 * decode error comes back exactly once, on the read that completed the bad
 * header; nothing is reported after it. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

#define TOKEN 0x01020304u

/* The run's key in this harness; the seeds in corpus/frame are sealed
 * with it. */
static const struct sc_wire_key KEY = {{'s', 'o', 'c', 'k', 'c', 'm', 'p', '-',
					'f', 'u', 'z', 'z', '-', 'k', 'e', 'y'}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A message the oracle found: [start, end) in the stream, end may lie past
 * the stream's end when the message is still pending. */
struct omsg {
	size_t start, end;
	struct sc_wire_hdr h;
	bool corrupted, foreign;
};

struct oracle {
	struct omsg *m;
	size_t n;       /* messages whose header is whole, pending one included */
	size_t whole;   /* of those, messages wholly inside the stream */
	size_t bad_at;  /* offset of the header that fails to decode, or SIZE_MAX */
	int bad_err;
	bool idle_end;  /* the stream ends between messages */
};

/* With fix: rewrites the crc of the message at s (if it is whole in the
 * len bytes left) and seals its header, when its header decodes at all. */
static void fix_one(uint8_t *s, size_t len)
{
	struct sc_wire_hdr h;
	int d = sc_wire_decode(s, len, &h);

	if (d == 0 && h.length <= len) {
		h.crc = sc_wire_checksum(s + SC_WIRE_HDR_LEN, h.length - SC_WIRE_HDR_LEN);
		sc_wire_encode(&h, s);
	}
	if (d == 0 || d == -EINVAL)
		sc_wire_seal(&KEY, s);
}

/* Walks s[0..len) header by header; with fix, fixes and seals each first. */
static int walk(uint8_t *s, size_t len, bool fix, struct oracle *o)
{
	size_t pos = 0;

	o->m = malloc((len / SC_WIRE_HDR_LEN + 1) * sizeof(*o->m));
	if (!o->m)
		return -1;
	o->n = o->whole = 0;
	o->bad_at = SIZE_MAX;
	o->bad_err = 0;
	while (len - pos >= SC_WIRE_HDR_LEN) {
		struct omsg *m = &o->m[o->n];
		int d;

		if (fix)
			fix_one(s + pos, len - pos);
		d = sc_wire_open(&KEY, s + pos, len - pos, &m->h);
		if (d < 0) {
			o->bad_at = pos;
			o->bad_err = d;
			break;
		}
		m->start = pos;
		m->end = pos + m->h.length;
		m->foreign = m->h.token != TOKEN;
		o->n++;
		if (m->end > len)
			break;
		m->corrupted = sc_wire_checksum(s + pos + SC_WIRE_HDR_LEN,
						m->h.length - SC_WIRE_HDR_LEN) != m->h.crc;
		o->whole++;
		pos = m->end;
	}
	o->idle_end = o->bad_at == SIZE_MAX && pos == len;
	return 0;
}

struct seen {
	const struct oracle *o;
	size_t calls;
	bool desynced;
};

static void on_msg(void *arg, const struct sc_frame_msg *m)
{
	struct seen *s = arg;
	const struct omsg *want;

	if (s->desynced || s->calls >= s->o->whole)
		abort();
	want = &s->o->m[s->calls++];
	if (m->hdr.version != want->h.version || m->hdr.flags != want->h.flags ||
	    m->hdr.token != want->h.token || m->hdr.length != want->h.length ||
	    m->hdr.seq != want->h.seq || m->hdr.send_ns != want->h.send_ns ||
	    m->hdr.crc != want->h.crc || m->hdr.mac != want->h.mac ||
	    m->corrupted != want->corrupted ||
	    m->foreign != want->foreign)
		abort();
}

/* Checks what read [a, b) reported against the oracle; *k is the first
 * message not ended by a, advanced past those ended by b. */
static void check_read(const struct oracle *o, size_t *k, size_t a, size_t b,
		       const struct sc_frame_read *rd)
{
	unsigned completed = 0;
	bool any = false;
	uint64_t first = 0, last = 0;

	/* Touched: the header completed in [a, b), or the payload went on in
	 * it. Only message *k can be past its header at a. */
	for (size_t i = *k; b > a && i < o->n && o->m[i].start + SC_WIRE_HDR_LEN <= b; i++) {
		if (!any)
			first = o->m[i].h.seq;
		any = true;
		last = o->m[i].h.seq;
		if (o->m[i].end <= b)
			completed++;
	}
	while (*k < o->n && o->m[*k].end <= b)
		(*k)++;
	if (rd->completed != completed || rd->any_seq != any)
		abort();
	if (any && (rd->first_seq != first || rd->last_seq != last))
		abort();
}

/* Feeds the stream in reads as the cut bytes say, checking each. */
static void run(const uint8_t *cuts, size_t ncuts, const uint8_t *s, size_t len,
		const struct oracle *o)
{
	struct sc_frame f;
	struct seen st = {.o = o};
	size_t off = 0, k = 0, j = 0, zeros = 0;
	bool prev_end = true;
	int errors = 0;

	sc_frame_init(&f, &KEY, TOKEN);
	while (off < len) {
		struct sc_frame_read rd;
		size_t n = ncuts ? cuts[j++ % ncuts] : len;
		size_t before = st.calls;
		uint8_t *chunk = NULL;
		int r;

		/* A whole cycle of empty reads: take the rest, or never end. */
		zeros = n ? 0 : zeros + 1;
		if (zeros > ncuts)
			n = len - off;
		if (n > len - off)
			n = len - off;
		if (n) {
			chunk = malloc(n);
			if (!chunk)
				return;
			memcpy(chunk, s + off, n);
		}
		r = sc_frame_feed(&f, chunk, n, on_msg, &st, &rd);
		free(chunk);
		if (r < 0) {
			/* Once, on the read that completed the bad header. */
			if (++errors > 1 || r != o->bad_err || r != f.error || !f.desync ||
			    o->bad_at + SC_WIRE_HDR_LEN <= off ||
			    o->bad_at + SC_WIRE_HDR_LEN > off + n)
				abort();
		} else if (r != 0) {
			abort();
		}
		if (st.calls - before != rd.completed)
			abort();
		if (rd.starts_on_boundary != prev_end || rd.ends_on_boundary != sc_frame_idle(&f))
			abort();
		prev_end = rd.ends_on_boundary;
		if (!st.desynced)
			check_read(o, &k, off, off + n, &rd);
		else if (rd.any_seq || rd.completed)
			abort();
		st.desynced = f.desync;
		off += n;
		if (f.offset != off || f.junk_bytes > f.offset || f.desync != (errors == 1))
			abort();
		if (f.desync ? f.junk_bytes != off - o->bad_at : f.junk_bytes != 0)
			abort();
	}
	if (st.calls != o->whole || f.desync != (o->bad_at != SIZE_MAX))
		abort();
	if (sc_frame_idle(&f) != o->idle_end)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oracle o;
	size_t ncuts;
	uint8_t *s;

	if (size < 1)
		return 0;
	ncuts = data[0] & 0x0f;
	if (size < 1 + ncuts)
		return 0;
	s = malloc(size - 1 - ncuts + 1);
	if (!s)
		return 0;
	memcpy(s, data + 1 + ncuts, size - 1 - ncuts);
	if (walk(s, size - 1 - ncuts, data[0] & 0x10, &o) == 0)
		run(data + 1, ncuts, s, size - 1 - ncuts, &o);
	free(o.m);
	free(s);
	return 0;
}
