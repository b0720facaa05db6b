/* sendplan.c - the send loop shared by stream and datagram senders. */
#include "sendplan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "wire.h"

static uint64_t largest(const struct sc_send_plan *p)
{
	uint64_t m = SC_WIRE_HDR_LEN;

	for (size_t i = 0; i < p->nops; i++)
		if (p->ops[i].kind == SC_OP_WRITE && p->ops[i].size > m)
			m = p->ops[i].size;
	return m;
}

int sc_plan_send(const struct sc_send_opts *o, int fd, sc_emit_fn emit, struct sc_side *s,
		 const volatile sig_atomic_t *stop)
{
	uint8_t *buf = malloc(largest(&o->plan));
	uint64_t seq = 0, next = sc_mono_ns();
	int r = 0;

	if (!buf) {
		snprintf(s->error, sizeof(s->error), "out of memory for a message buffer");
		return -ENOMEM;
	}
	for (size_t i = 0; i < o->plan.nops && r == 0; i++) {
		const struct sc_op *op = &o->plan.ops[i];

		if (op->kind == SC_OP_PAUSE) {
			r = sc_sleep_ns(op->ns, stop);
			next = sc_mono_ns();
			continue;
		}
		for (uint64_t k = 0; k < op->count && r == 0; k++, seq++) {
			struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = o->c.token,
						.length = (uint32_t)op->size, .seq = seq};

			/* An absolute schedule: a late message does not push
			 * every later one back. */
			if (o->plan.pace_ns && seq > 0 && (r = sc_sleep_until(next, stop)) < 0)
				break;
			next += o->plan.pace_ns;
			h.send_ns = sc_real_ns();
			/* --raw: the receiver is not a sockcmp program, so plain
			 * bytes: the payload's text, or dots. */
			if (o->payload)
				memcpy(buf, o->payload, op->size);
			else if (o->raw)
				memset(buf, '.', op->size);
			else
				sc_wire_build(&o->c.key, &h, buf, op->size);
			r = emit(fd, buf, op->size, seq, s, stop);
		}
	}
	if (r == -EINTR && !s->error[0])
		snprintf(s->error, sizeof(s->error), "interrupted");
	free(buf);
	return r;
}
