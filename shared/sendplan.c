/* sendplan.c - the send loop shared by stream and datagram senders. */
#include "sendplan.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "wire.h"

uint64_t sc_plan_largest(const struct sc_send_plan *p)
{
	uint64_t m = SC_WIRE_HDR_LEN;

	for (size_t i = 0; i < p->nops; i++)
		if (p->ops[i].kind == SC_OP_WRITE && p->ops[i].size > m)
			m = p->ops[i].size;
	return m;
}

int sc_plan_no_flush(int fd, struct sc_side *s, const volatile sig_atomic_t *stop)
{
	(void)fd;
	(void)s;
	(void)stop;
	return 0;
}

/* With --bitrate: the time (monotonic) at which `bytes` may have been
 * sent since t0. */
static uint64_t due(const struct sc_send_opts *o, uint64_t t0, uint64_t bytes)
{
	return t0 + (uint64_t)((double)bytes * 8e9 / (double)o->bitrate);
}

/* Waits as the schedule says before message seq: --pace (absolute gaps),
 * --bitrate (ahead of the byte schedule by more than 1 ms: flush, sleep).
 * Returns 0 or -EINTR. */
static int schedule(const struct sc_send_opts *o, uint64_t seq, uint64_t *next, uint64_t t0,
		    uint64_t offered, int fd, sc_flush_fn flush, struct sc_side *s,
		    const volatile sig_atomic_t *stop)
{
	int r = 0;

	if (o->plan.pace_ns) {
		/* An absolute schedule: a late message does not push every
		 * later one back. */
		if (seq > 0) {
			r = flush(fd, s, stop);
			if (r == 0)
				r = sc_sleep_until(*next, stop);
		}
		*next += o->plan.pace_ns;
	} else if (o->bitrate) {
		uint64_t at = due(o, t0, offered);

		if (at > sc_mono_ns() + SC_NS_PER_MS) {
			r = flush(fd, s, stop);
			if (r == 0)
				r = sc_sleep_until(at, stop);
		}
	}
	return r;
}

/* The plan's loop; with header_only, buf holds only each message's header
 * (sc_plan_send_pattern). */
static int run_plan(const struct sc_send_opts *o, int fd, sc_emit_fn emit, sc_flush_fn flush,
		    struct sc_side *s, const volatile sig_atomic_t *stop, bool header_only)
{
	uint8_t *buf = malloc(header_only ? SC_WIRE_HDR_LEN : sc_plan_largest(&o->plan));
	uint64_t seq = 0, t0 = sc_mono_ns(), next = t0, offered = 0;
	uint64_t end = o->for_ns ? t0 + o->for_ns : 0;
	int r = 0;

	if (!buf) {
		snprintf(s->error, sizeof(s->error), "out of memory for a message buffer");
		return -ENOMEM;
	}
	for (size_t i = 0; i < o->plan.nops && r == 0; i++) {
		const struct sc_op *op = &o->plan.ops[i];

		if (op->kind == SC_OP_PAUSE) {
			r = flush(fd, s, stop);
			if (r == 0)
				r = sc_sleep_ns(op->ns, stop);
			next = sc_mono_ns();
			continue;
		}
		for (uint64_t k = 0; k < op->count && r == 0; k++, seq++) {
			struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = o->c.token,
						.length = (uint32_t)op->size, .seq = seq};

			if ((r = schedule(o, seq, &next, t0, offered, fd, flush, s, stop)) < 0)
				break;
			/* --for: flat out, the clock is read once per 64
			 * messages (a vDSO call, but not free at 64-byte
			 * sizes); on a schedule, before every message. */
			if (end && ((seq & 63) == 0 || o->bitrate || o->plan.pace_ns) &&
			    sc_mono_ns() >= end) {
				i = o->plan.nops;
				break;
			}
			h.send_ns = sc_real_ns();
			/* --raw: the receiver is not a sockcmp program, so plain
			 * bytes: the payload's text, or dots. */
			if (o->payload)
				memcpy(buf, o->payload, op->size);
			else if (o->raw)
				memset(buf, '.', op->size);
			else if (header_only)
				sc_wire_build_header(&o->c.key, &h, buf);
			else
				sc_wire_build(&o->c.key, &h, buf, op->size);
			r = emit(fd, buf, op->size, seq, s, stop);
			offered += op->size;
		}
	}
	if (r == 0)
		r = flush(fd, s, stop);
	if (r == -EINTR && !s->error[0])
		snprintf(s->error, sizeof(s->error), "interrupted");
	free(buf);
	return r;
}

int sc_plan_send_batched(const struct sc_send_opts *o, int fd, sc_emit_fn emit, sc_flush_fn flush,
			 struct sc_side *s, const volatile sig_atomic_t *stop)
{
	return run_plan(o, fd, emit, flush, s, stop, false);
}

int sc_plan_send_pattern_batched(const struct sc_send_opts *o, int fd, sc_emit_fn emit,
				 sc_flush_fn flush, struct sc_side *s,
				 const volatile sig_atomic_t *stop)
{
	if (o->payload || o->raw) {
		snprintf(s->error, sizeof(s->error), "a raw payload is not the pattern");
		return -EINVAL;
	}
	return run_plan(o, fd, emit, flush, s, stop, true);
}

int sc_plan_send_pattern(const struct sc_send_opts *o, int fd, sc_emit_fn emit,
			 struct sc_side *s, const volatile sig_atomic_t *stop)
{
	return sc_plan_send_pattern_batched(o, fd, emit, sc_plan_no_flush, s, stop);
}

int sc_plan_send(const struct sc_send_opts *o, int fd, sc_emit_fn emit, struct sc_side *s,
		 const volatile sig_atomic_t *stop)
{
	return sc_plan_send_batched(o, fd, emit, sc_plan_no_flush, s, stop);
}
