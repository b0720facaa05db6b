/* frame.c - finding sockcmp messages in a byte stream cut anywhere.
 *
 * The framer is a two-state machine per message: collect the 44 header
 * bytes into f->hdr (they may arrive over several reads), authenticate and
 * decode them, then stream the length - 44 payload bytes through the check
 * (the pattern compared, or the CRC) without keeping them. A header that does not decode or whose mac does
 * not match ends framing for good: a stream has
 * no resynchronisation marker, and guessing at the next magic would report
 * messages that were never sent. From then on every byte is junk. */
#include "frame.h"

#include "pattern.h"

#include <errno.h>
#include <string.h>

/* Resets every counter and expects key and token. Cannot fail. */
void sc_frame_init(struct sc_frame *f, const struct sc_wire_key *key, uint32_t token)
{
	memset(f, 0, sizeof(*f));
	f->key = *key;
	f->token = token;
}

/* Only an authentic header with an impossible length is malformed: every
 * other error (short, magic, version, mac) means someone else's bytes. */
bool sc_frame_err_foreign(int err)
{
	return err < 0 && err != -EINVAL;
}

/* Returns true between messages. A desynchronised stream is never idle:
 * it did not end cleanly, whatever its last bytes were. */
bool sc_frame_idle(const struct sc_frame *f)
{
	return !f->desync && f->hdr_have == 0 && f->body_left == 0;
}

/* Notes in rd that this read touched message seq. */
static void touch(struct sc_frame_read *rd, uint64_t seq)
{
	if (!rd->any_seq)
		rd->first_seq = seq;
	rd->last_seq = seq;
	rd->any_seq = true;
}

/* Reports the current message, whose payload has all been fed, and goes
 * back to expecting a header. The framer is idle when cb runs. */
static void complete(struct sc_frame *f, sc_frame_cb cb, void *arg,
		     struct sc_frame_read *rd)
{
	struct sc_frame_msg m = {.hdr = f->cur};

	/* A payload that was all pattern has the pattern's crc. */
	m.corrupted = (f->pattern ? sc_pattern_crc(f->cur.seq, f->cur.length - SC_WIRE_HDR_LEN)
				  : f->crc) != f->cur.crc;
	m.foreign = f->token && f->cur.token != f->token;
	f->hdr_have = 0;
	rd->completed++;
	if (cb)
		cb(arg, &m);
}

/* Copies up to the missing header bytes from buf[0..n). Returns the bytes
 * consumed. */
static size_t take_header(struct sc_frame *f, const uint8_t *buf, size_t n)
{
	size_t take = SC_WIRE_HDR_LEN - f->hdr_have;

	if (take > n)
		take = n;
	memcpy(f->hdr + f->hdr_have, buf, take);
	f->hdr_have += take;
	return take;
}

/* Decodes and authenticates the whole header in f->hdr and starts its
 * payload. Returns 0 or the negative sc_wire_open error. */
static int start_message(struct sc_frame *f, struct sc_frame_read *rd)
{
	int d = sc_wire_open(&f->key, f->hdr, SC_WIRE_HDR_LEN, &f->cur);

	if (d < 0)
		return d;
	touch(rd, f->cur.seq);
	/* The crc field covers the payload alone. */
	f->crc = 0;
	f->pattern = true;
	f->body_left = f->cur.length - SC_WIRE_HDR_LEN;
	return 0;
}

/* Feeds payload bytes from buf[0..n) through the check. Returns the
 * bytes consumed (at most body_left). While the payload matches the
 * message's pattern it is only compared (pattern.h); from the first piece
 * that differs on, the CRC runs over the bytes, starting from the
 * pattern's CRC of what came before. */
static size_t take_body(struct sc_frame *f, const uint8_t *buf, size_t n)
{
	size_t take = f->body_left < n ? (size_t)f->body_left : n;
	uint64_t off = f->cur.length - SC_WIRE_HDR_LEN - f->body_left;

	if (f->pattern && !sc_pattern_match(buf, take, f->cur.seq, off)) {
		f->pattern = false;
		f->crc = sc_pattern_crc_uncached(f->cur.seq, off);
	}
	if (!f->pattern)
		f->crc = sc_crc32(f->crc, buf, take);
	f->body_left -= take;
	return take;
}

/* Returns 0, or the sc_wire_open error of the header that desynchronised
 * the stream, on the one call that met it. The bytes of that bad header
 * and all later ones are counted in junk_bytes, so that at any time offset
 * = bytes of reported messages + bytes of the pending one + junk_bytes. */
int sc_frame_feed(struct sc_frame *f, const uint8_t *buf, size_t n,
		  sc_frame_cb cb, void *arg, struct sc_frame_read *rd)
{
	struct sc_frame_read local;
	size_t i = 0;

	if (!rd)
		rd = &local;
	memset(rd, 0, sizeof(*rd));
	rd->starts_on_boundary = sc_frame_idle(f);
	f->offset += n;
	if (f->desync) {
		f->junk_bytes += n;
		return 0;
	}
	/* A payload begun in an earlier read and continued in this one. */
	if (f->hdr_have == SC_WIRE_HDR_LEN && n > 0)
		touch(rd, f->cur.seq);
	while (i < n) {
		if (f->hdr_have < SC_WIRE_HDR_LEN) {
			int d;

			i += take_header(f, buf + i, n - i);
			if (f->hdr_have < SC_WIRE_HDR_LEN)
				break;
			d = start_message(f, rd);
			if (d < 0) {
				f->desync = true;
				f->error = d;
				f->junk_bytes += SC_WIRE_HDR_LEN + (n - i);
				f->hdr_have = 0;
				return d;
			}
		} else {
			i += take_body(f, buf + i, n - i);
		}
		/* Checked here, not only after take_body: a message may be
		 * a bare header with no payload at all. */
		if (f->hdr_have == SC_WIRE_HDR_LEN && f->body_left == 0)
			complete(f, cb, arg, rd);
	}
	rd->ends_on_boundary = sc_frame_idle(f);
	return 0;
}
