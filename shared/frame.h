/* frame.h - re-framing a byte stream into sockcmp messages.
 *
 * A stream socket returns bytes, not messages: one read may hold several
 * messages, the end of one and the start of the next, or half a header.
 * The framer is fed each read's bytes in order and reports every complete
 * message, and whether the read started and ended on message boundaries.
 * It never allocates and never trusts a length it has not checked: every
 * header is authenticated with the run's key before its length is used,
 * and the payload is streamed through the checksum, never buffered. */
#ifndef SC_FRAME_H
#define SC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* One complete message found in the stream. */
struct sc_frame_msg {
	struct sc_wire_hdr hdr;
	bool corrupted; /* payload checksum mismatch (the header is authentic) */
	bool foreign;   /* authentic, but another run id than the expected one */
};

/* Called once per complete message, in stream order. */
typedef void (*sc_frame_cb)(void *arg, const struct sc_frame_msg *m);

/* What one fed read looked like. */
struct sc_frame_read {
	uint64_t first_seq, last_seq; /* messages completed or started in this read */
	bool any_seq;                 /* false if no header was seen in this read */
	unsigned completed;           /* messages completed in this read */
	bool starts_on_boundary;      /* read began at a message's first byte */
	bool ends_on_boundary;        /* read ended at a message's last byte */
};

struct sc_frame {
	struct sc_wire_key key; /* the run's key: every header must carry its mac */
	uint32_t token;   /* expected run token, 0 = any */
	uint8_t hdr[SC_WIRE_HDR_LEN];
	size_t hdr_have;  /* header bytes collected for the current message */
	struct sc_wire_hdr cur;
	uint64_t body_left; /* payload bytes still to come for cur */
	uint32_t crc;       /* running payload checksum for cur, once !pattern */
	bool pattern;       /* cur's payload so far is its pattern (pattern.h) */
	bool desync;        /* a bad header was seen: the rest is not framed */
	uint64_t junk_bytes; /* bytes discarded after desync */
	uint64_t offset;     /* stream offset of the next byte */
	int error;           /* 0, or the sc_wire_open error that desynced us */
};

/* Resets f to expect messages sealed with key and carrying run token
 * `token` (0: any token). */
void sc_frame_init(struct sc_frame *f, const struct sc_wire_key *key, uint32_t token);

/* Feeds n bytes; calls cb for each message completed; fills *rd (may be
 * NULL). Returns 0, or the negative sc_wire_open error the first time a
 * bad header desynchronises the stream (later bytes are counted in
 * junk_bytes and return 0). The error tells what the bad header was:
 * -EINVAL an authentic header with an impossible length (malformed);
 * -EBADMSG, -EPROTO, -EACCES not this run's traffic (foreign). */
int sc_frame_feed(struct sc_frame *f, const uint8_t *buf, size_t n,
		  sc_frame_cb cb, void *arg, struct sc_frame_read *rd);

/* True if the stream ended between messages (no partial message pending). */
bool sc_frame_idle(const struct sc_frame *f);

/* True if err, a sc_frame_feed or sc_wire_open error, means "not this
 * run's traffic" (foreign) rather than "our sender's message, but
 * impossible" (malformed). */
bool sc_frame_err_foreign(int err);

#endif
