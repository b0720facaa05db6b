/* plan.c - expected trial durations and the limits that follow. */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mode.h"
#include "num.h"

#define NS_PER_S 1000000000ull

static uint64_t longest_pause(const struct sc_send_plan *p)
{
	uint64_t m = 0;

	for (size_t i = 0; i < p->nops; i++)
		if (p->ops[i].kind == SC_OP_PAUSE && p->ops[i].ns > m)
			m = p->ops[i].ns;
	return m;
}

/* a + b, saturating: plans multiply large counts by long waits. */
static uint64_t add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t mul(uint64_t a, uint64_t b)
{
	return a && b > UINT64_MAX / a ? UINT64_MAX : a * b;
}

uint64_t sc_plan_recv_idle_ns(const struct sc_experiment *p)
{
	/* Idle must outlast the sender's own silences; on a lossy link, also
	 * TCP's retransmission backoff (a segment lost five times running
	 * stalls it 0.2 + 0.4 + ... + 3.2 s: seen here at 20 % loss), and a
	 * lossy link's stragglers can trail the end marker by a few delays. */
	uint64_t base = p->link[0] ? SC_PLAN_LINK_IDLE_NS : 5 * NS_PER_S;

	return add(add(add(base, longest_pause(&p->send)), p->send.pace_ns), p->recv.every_ns);
}

uint64_t sc_plan_send_timeout_ns(const struct sc_experiment *p)
{
	return p->timeout_ns ? p->timeout_ns : p->link[0] ? SC_PLAN_LINK_IDLE_NS : 30 * NS_PER_S;
}

/* The value after word in netem arguments ("delay 10ms 2ms" -> "10ms"). */
static int netem_value(const char *args, const char *word, char *buf, size_t len)
{
	char copy[SC_LINK_MAX], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", args ? args : "");
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		if (strcmp(w, word) == 0) {
			char *v = strtok_r(NULL, " \t", &save);

			if (!v)
				return -1;
			snprintf(buf, len, "%s", v);
			return 0;
		}
	return -1;
}

uint64_t sc_plan_netem_delay_ns(const char *args)
{
	char v[64];
	uint64_t ns;

	if (netem_value(args, "delay", v, sizeof(v)) < 0 || sc_str_duration(v, SC_MAX_DURATION_NS, &ns) < 0)
		return 0;
	return ns;
}

uint64_t sc_plan_netem_rate_bps(const char *args)
{
	static const struct { const char *sfx; double mult; } units[] = {
		{"bit", 1}, {"kbit", 1e3}, {"mbit", 1e6}, {"gbit", 1e9}, {"tbit", 1e12},
		{"kibit", 1024.0}, {"mibit", 1048576.0}, {"gibit", 1073741824.0},
		{"bps", 8}, {"kbps", 8e3}, {"mbps", 8e6}, {"gbps", 8e9},
	};
	char v[64], *end;
	double x;

	if (netem_value(args, "rate", v, sizeof(v)) < 0)
		return 0;
	x = strtod(v, &end);
	if (end == v || x <= 0)
		return 0;
	if (!*end)
		return (uint64_t)(x * 8); /* tc: a bare number is bytes/s */
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(end, units[i].sfx) == 0)
			return x * units[i].mult >= 1 ? (uint64_t)(x * units[i].mult) : 1;
	return 0;
}

/* Planned waits of the sender: pacing between writes, and pauses. */
static uint64_t send_waits(const struct sc_send_plan *s)
{
	uint64_t msgs = sc_plan_msgs(s), ns = msgs > 1 ? mul(msgs - 1, s->pace_ns) : 0;

	for (size_t i = 0; i < s->nops; i++)
		if (s->ops[i].kind == SC_OP_PAUSE)
			ns = add(ns, s->ops[i].ns);
	return ns;
}

/* Planned waits of the receiver: its first delay, and one delay per read
 * (a datagram read takes one message; a stream read up to its size). */
static uint64_t recv_waits(const struct sc_experiment *p, const struct sc_transport *t)
{
	uint64_t size = p->recv.size ? p->recv.size : 1, bytes = sc_plan_bytes(&p->send);
	uint64_t reads = t && t->bytestream ? bytes / size + (bytes % size != 0) : sc_plan_msgs(&p->send);

	return add(p->recv.after_ns, mul(reads, p->recv.every_ns));
}

/* What the link adds: a few round trips (handshake, end markers, the
 * last acknowledgements) and the time its rate needs for the bytes. */
static uint64_t link_time(const struct sc_experiment *p)
{
	uint64_t rtt = add(sc_plan_netem_delay_ns(p->link), sc_plan_netem_delay_ns(p->link_reverse));
	uint64_t bps = sc_plan_netem_rate_bps(p->link), ns = mul(10, rtt);

	if (bps) {
		/* Every message also carries about 64 bytes of headers. */
		uint64_t bits = mul(add(sc_plan_bytes(&p->send), mul(sc_plan_msgs(&p->send), 64)), 8);

		ns = add(ns, bits / bps * NS_PER_S + (bits % bps) * NS_PER_S / bps);
	}
	return ns;
}

/* A trial's time in two parts: what the plan fixes (waits, start, the
 * link), and the work whose speed depends on the machine and its load. */
struct parts {
	uint64_t fixed, work;
};

static struct parts parts(const struct sc_experiment *p, const struct sc_transport *t)
{
	uint64_t waits = send_waits(&p->send), r = recv_waits(p, t);
	struct parts x;

	x.fixed = add(add(SC_PLAN_START_NS, waits > r ? waits : r), link_time(p));
	x.work = add(mul(sc_plan_msgs(&p->send), SC_PLAN_MSG_NS), mul(sc_plan_bytes(&p->send) / 1000, SC_PLAN_BYTE_PS));
	/* "for D" (issue 9's modes): the sender stops after D however fast
	 * it is; the counts are only upper bounds. What is left is draining
	 * (a tenth of D at most). */
	if (p->for_ns) {
		x.fixed = add(x.fixed, p->for_ns);
		if (x.work > p->for_ns / 10)
			x.work = p->for_ns / 10;
	}
	return x;
}

uint64_t sc_plan_trial_ns(const struct sc_experiment *p, const struct sc_transport *t)
{
	struct parts x = parts(p, t);

	return add(x.fixed, x.work);
}

uint64_t sc_plan_trial_limit_ns(const struct sc_experiment *p, const struct sc_transport *t)
{
	struct parts x = parts(p, t);
	uint64_t stall = p->timeout_ns ? mul(2, p->timeout_ns) : SC_PLAN_MARGIN_NS;

	if (p->link[0] || p->link_reverse[0])
		stall = add(stall, mul(2, SC_PLAN_LINK_IDLE_NS));
	return add(add(mul(2, x.fixed), mul(20, x.work)), stall);
}

/* Sums f over every point x lane (transport, or the servers mode's server
 * model) x trial. A point that cannot be built (sc_experiment_at fails)
 * counts as the base experiment. */
static uint64_t sum_run(const struct sc_experiment *e,
			uint64_t (*f)(const struct sc_experiment *, const struct sc_transport *))
{
	const struct sc_mode *m = sc_mode_of(e);
	struct sc_lane l[SC_MAX_LANES];
	size_t nl = sc_mode_lanes(m ? m : sc_mode_default(), e, l, SC_MAX_LANES);
	uint64_t total = 0;

	for (size_t i = 0; i < sc_experiment_points(e); i++) {
		struct sc_experiment p;
		char err[256];

		if (sc_experiment_at(e, i, &p, err, sizeof(err)) < 0)
			p = *e;
		for (size_t j = 0; j < nl; j++)
			total = add(total, mul(e->repeat ? e->repeat : 1, f(&p, l[j].t)));
	}
	return total;
}

uint64_t sc_plan_run_ns(const struct sc_experiment *e)
{
	return sum_run(e, sc_plan_trial_ns);
}

uint64_t sc_plan_run_limit_ns(const struct sc_experiment *e)
{
	return sum_run(e, sc_plan_trial_limit_ns);
}
