/* sendplan.h - carrying out a send plan: the part every sender shares.
 *
 * Numbering, timestamping and checksumming each message, pacing and
 * pausing are the same for a stream and a datagram sender; only how one
 * message goes out differs (a stream write may be partial, a datagram
 * send is all or nothing), so that is the caller's function. */
#ifndef SC_SENDPLAN_H
#define SC_SENDPLAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "opts.h"
#include "side.h"

/* The largest message of plan p, at least a header's 44 bytes. */
uint64_t sc_plan_largest(const struct sc_send_plan *p);

/* Sends one whole message buf[0..len) numbered seq on fd. Returns 0, or
 * -errno with a one-line reason in s->error. */
typedef int (*sc_emit_fn)(int fd, const uint8_t *buf, size_t len, uint64_t seq, struct sc_side *s,
			  const volatile sig_atomic_t *stop);

/* Sends whatever emit has queued (a batching sender). Returns 0 or -errno
 * as emit does. */
typedef int (*sc_flush_fn)(int fd, struct sc_side *s, const volatile sig_atomic_t *stop);

/* The flush of a sender that queues nothing: returns 0. */
int sc_plan_no_flush(int fd, struct sc_side *s, const volatile sig_atomic_t *stop);

/* Carries out o->plan on fd through emit: messages numbered from 0 with
 * o->c.token and their send time, o->plan.pace_ns apart, with the plan's
 * pauses. Returns 0, -ENOMEM, -EINTR, or emit's error; s->error says why. */
int sc_plan_send(const struct sc_send_opts *o, int fd, sc_emit_fn emit, struct sc_side *s,
		 const volatile sig_atomic_t *stop);

/* The same for an emit that may queue messages: flush is called before
 * every pause or paced wait, whenever a --bitrate schedule runs ahead, and
 * at the end, so no message waits longer than it would without batching
 * plus the time to build the rest of its batch. */
int sc_plan_send_batched(const struct sc_send_opts *o, int fd, sc_emit_fn emit, sc_flush_fn flush,
			 struct sc_side *s, const volatile sig_atomic_t *stop);

/* As sc_plan_send, but buf holds only each message's 44-byte header
 * (sc_wire_build_header) while len is the whole message's length: emit
 * sends the payload from the pattern (sc_pattern_msg_iov), so no payload
 * is copied in user space. Not for --raw or --payload (-EINVAL). */
int sc_plan_send_pattern(const struct sc_send_opts *o, int fd, sc_emit_fn emit,
			 struct sc_side *s, const volatile sig_atomic_t *stop);

/* sc_plan_send_pattern for an emit that queues (sc_plan_send_batched's
 * flush rules): a datagram sender's sendmmsg batches. */
int sc_plan_send_pattern_batched(const struct sc_send_opts *o, int fd, sc_emit_fn emit,
				 sc_flush_fn flush, struct sc_side *s,
				 const volatile sig_atomic_t *stop);

#endif
