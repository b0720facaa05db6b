/* frame.c - finding sockcmp messages in a byte stream cut anywhere. */
#include "frame.h"

#include <string.h>

void sc_frame_init(struct sc_frame *f, uint32_t token)
{
	memset(f, 0, sizeof(*f));
	f->token = token;
}

bool sc_frame_idle(const struct sc_frame *f)
{
	return !f->desync && f->hdr_have == 0 && f->body_left == 0;
}

/* Notes that this read touched message seq. */
static void touch(struct sc_frame_read *rd, uint64_t seq)
{
	if (!rd->any_seq)
		rd->first_seq = seq;
	rd->last_seq = seq;
	rd->any_seq = true;
}

static void complete(struct sc_frame *f, sc_frame_cb cb, void *arg, struct sc_frame_read *rd)
{
	struct sc_frame_msg m = {.hdr = f->cur};

	m.corrupted = f->crc != f->cur.crc;
	m.foreign = f->cur.token != f->token;
	rd->completed++;
	f->hdr_have = 0;
	if (cb)
		cb(arg, &m);
}

int sc_frame_feed(struct sc_frame *f, const uint8_t *buf, size_t n,
		  sc_frame_cb cb, void *arg, struct sc_frame_read *rd)
{
	struct sc_frame_read local;
	size_t i = 0;
	int err = 0;

	if (!rd)
		rd = &local;
	memset(rd, 0, sizeof(*rd));
	rd->starts_on_boundary = sc_frame_idle(f);
	f->offset += n;
	if (f->desync) {
		f->junk_bytes += n;
		return 0;
	}
	/* A message whose header came in an earlier read, continued here. */
	if (f->hdr_have == SC_WIRE_HDR_LEN && n)
		touch(rd, f->cur.seq);
	while (i < n) {
		if (f->hdr_have < SC_WIRE_HDR_LEN) {
			size_t take = SC_WIRE_HDR_LEN - f->hdr_have;
			int d;

			if (take > n - i)
				take = n - i;
			memcpy(f->hdr + f->hdr_have, buf + i, take);
			f->hdr_have += take;
			i += take;
			if (f->hdr_have < SC_WIRE_HDR_LEN)
				break;
			d = sc_wire_decode(f->hdr, SC_WIRE_HDR_LEN, &f->cur);
			if (d < 0) {
				/* Nothing after a bad header can be trusted to
				 * start a message: stop framing for good. */
				f->desync = true;
				f->error = d;
				f->junk_bytes += SC_WIRE_HDR_LEN + (n - i);
				f->hdr_have = 0;
				err = d;
				break;
			}
			touch(rd, f->cur.seq);
			f->crc = sc_crc32(0, f->hdr, SC_WIRE_OFF_CRC);
			f->body_left = f->cur.length - SC_WIRE_HDR_LEN;
			if (f->body_left == 0)
				complete(f, cb, arg, rd);
			continue;
		}
		{
			size_t take = f->body_left < n - i ? (size_t)f->body_left : n - i;

			f->crc = sc_crc32(f->crc, buf + i, take);
			f->body_left -= take;
			i += take;
			if (f->body_left == 0)
				complete(f, cb, arg, rd);
		}
	}
	rd->ends_on_boundary = sc_frame_idle(f);
	return err;
}
