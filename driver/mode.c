/* mode.c - the table of trial modes: one-way (the lecture's experiments)
 * and issue 9's throughput, rr, crr and servers. */
#include "mode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "plan.h"
#include "track.h"

void sc_argv_add(struct sc_argv *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->n >= (int)(sizeof(b->v) / sizeof(b->v[0])) - 1) {
		b->full = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(b->pool + b->used, sizeof(b->pool) - b->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b->pool) - b->used) {
		b->full = true;
		return;
	}
	b->v[b->n++] = b->pool + b->used;
	b->v[b->n] = NULL;
	b->used += (size_t)n + 1;
}

void sc_argv_dur(struct sc_argv *b, const char *opt, uint64_t ns)
{
	sc_argv_add(b, "%s", opt);
	sc_argv_add(b, "%lluus", (unsigned long long)(ns / 1000));
}

/* --- one-way: a sender writes the plan, a receiver reads and accounts --- */

static void oneway_recv_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	const struct sc_recv_plan *r = &a->p->recv;
	bool link = a->p->link[0] != '\0';

	sc_argv_add(b, "%s/%s", a->bin_dir, a->t->bytestream ? "stream-recv" : "datagram-recv");
	sc_argv_add(b, "--listen");
	sc_argv_add(b, "%s", a->addr);
	sc_argv_add(b, "--transport");
	sc_argv_add(b, "%s", a->t->name);
	sc_argv_add(b, "--read");
	sc_argv_add(b, "%llu", (unsigned long long)r->size);
	if (r->after_ns)
		sc_argv_dur(b, "--after", r->after_ns);
	if (r->every_ns)
		sc_argv_dur(b, "--every", r->every_ns);
	if (r->flags & SC_RECV_WAITALL)
		sc_argv_add(b, "--waitall");
	if (r->flags & SC_RECV_TRUNC)
		sc_argv_add(b, "--trunc");
	if (r->rcvbuf) {
		sc_argv_add(b, "--rcvbuf");
		sc_argv_add(b, "%llu", (unsigned long long)r->rcvbuf);
	}
	sc_argv_add(b, "--token");
	sc_argv_add(b, "%u", a->token);
	/* On a lossy link the sender's first packet can take long: a lost
	 * SYN is sent again after 1, 3, 7, 15, 31 s. A receiver that gave up
	 * after its default 10 s closed its port, and the next SYN met a
	 * reset ("no receiver answered (tcp): Connection refused", one TCP
	 * trial of fifty at 20 % loss). The sender's connect waits as long. */
	if (link)
		sc_argv_dur(b, "--wait", SC_PLAN_LINK_IDLE_NS);
	sc_argv_dur(b, "--idle", sc_plan_recv_idle_ns(a->p));
	sc_argv_dur(b, "--linger", link ? 500 * 1000000ull : 50 * 1000000ull);
	if (a->max_records) {
		sc_argv_add(b, "--max-records");
		sc_argv_add(b, "%llu", (unsigned long long)a->max_records);
	}
	sc_argv_add(b, "--out");
	sc_argv_add(b, "%s", a->prefix);
	sc_argv_add(b, "--quiet");
}

static void oneway_send_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	const struct sc_send_plan *s = &a->p->send;

	sc_argv_add(b, "%s/%s", a->bin_dir, a->t->bytestream ? "stream-send" : "datagram-send");
	sc_argv_add(b, "--to");
	sc_argv_add(b, "%s", a->addr);
	sc_argv_add(b, "--transport");
	sc_argv_add(b, "%s", a->t->name);
	for (size_t i = 0; i < s->nops; i++) {
		if (s->ops[i].kind == SC_OP_WRITE) {
			sc_argv_add(b, "--send");
			sc_argv_add(b, "%llu x %llu", (unsigned long long)s->ops[i].count,
				    (unsigned long long)s->ops[i].size);
		} else {
			sc_argv_dur(b, "--pause", s->ops[i].ns);
		}
	}
	if (s->pace_ns)
		sc_argv_dur(b, "--pace", s->pace_ns);
	/* A script's 'end' is about streams; datagram-send has no --end. */
	if (s->end == SC_END_SHUTDOWN && a->t->bytestream) {
		sc_argv_add(b, "--end");
		sc_argv_add(b, "shutdown");
	}
	if (s->sndbuf) {
		sc_argv_add(b, "--sndbuf");
		sc_argv_add(b, "%llu", (unsigned long long)s->sndbuf);
	}
	sc_argv_add(b, "--token");
	sc_argv_add(b, "%u", a->token);
	/* Connect waits as long as the receiver (see oneway_recv_argv). */
	if (a->p->link[0])
		sc_argv_dur(b, "--wait", SC_PLAN_LINK_IDLE_NS);
	sc_argv_dur(b, "--timeout", sc_plan_send_timeout_ns(a->p));
	if (a->max_records) {
		sc_argv_add(b, "--max-records");
		sc_argv_add(b, "%llu", (unsigned long long)a->max_records);
	}
	sc_argv_add(b, "--out");
	sc_argv_add(b, "%s", a->prefix);
	sc_argv_add(b, "--quiet");
}

static void oneway_join_send(struct sc_row *w, const struct sc_side_summary *s)
{
	w->sent_msgs = s->msgs;
	w->sent_bytes = s->bytes;
	w->send_calls = s->calls;
	w->first_send_ns = s->first_ns;
	w->has_retrans = s->has_retrans;
	w->tcp_retrans = s->tcp_retrans;
	w->send_events_dropped = s->events_dropped;
	w->send_syscalls = s->syscalls;
	w->last_send_ns = s->last_ns;
}

/* What any receiving side counted: its calls, bytes and messages, the
 * tracker's verdicts, strangers. (The one-way receiver and the echo
 * server share it.) */
static void join_received(struct sc_row *w, const struct sc_side_summary *s)
{
	w->recv_calls = s->calls;
	w->recv_bytes = s->bytes;
	w->recv_msgs = s->msgs;
	w->unique_msgs = s->unique_msgs;
	w->duplicated = s->duplicated;
	w->foreign = s->foreign;
	w->malformed = s->malformed;
	w->recv_syscalls = s->syscalls;
	w->first_recv_ns = s->first_ns;
	w->recv_events_dropped = s->events_dropped;
}

/* The side whose records hold the trial's latencies (the one-way
 * receiver, the rr client): percentiles, how many messages they cover
 * and whether exactly, records it could not keep, its last data call. */
static void join_latency(struct sc_row *w, const struct sc_side_summary *s)
{
	w->lat_p50 = s->lat_p50_ns;
	w->lat_p90 = s->lat_p90_ns;
	w->lat_p99 = s->lat_p99_ns;
	w->lat_p999 = s->lat_p999_ns;
	w->lat_max = s->lat_max_ns;
	w->lat_msgs = s->lat_msgs;
	w->lat_exact = s->lat_exact;
	w->records_dropped = s->records_dropped;
	w->last_recv_ns = s->last_ns;
}

static void oneway_join_recv(struct sc_row *w, const struct sc_side_summary *s)
{
	join_received(w, s);
	join_latency(w, s);
	w->reordered = s->reordered;
	w->max_extent = s->max_reorder_extent;
	w->corrupted = s->corrupted;
	w->truncated = s->truncated;
	w->rxq_drops = s->rxq_drops;
	w->boundaries_kept = s->boundaries_kept;
}

enum { ONEWAY_RECV, ONEWAY_SEND };

/* The receiver may not have learnt the sender's count (a stream has no end
 * marker; all markers may be lost): the sender's own count makes losses at
 * the end visible. A corrupted copy is not a delivery (see sc_side_lost). */
static void oneway_finish(struct sc_row *w, const struct sc_side_summary *s, const bool *have)
{
	if (!have[ONEWAY_RECV])
		return;
	w->lost = sc_track_lost_count(have[ONEWAY_SEND] ? w->sent_msgs : s[ONEWAY_RECV].sender_total,
				      w->unique_msgs);
	/* More distinct messages than were sent: someone else's traffic got
	 * counted. Whatever the cause, such a row is never a success. */
	if (have[ONEWAY_SEND] && w->unique_msgs > w->sent_msgs) {
		snprintf(w->error, sizeof(w->error),
			 "receiver counted %llu distinct messages but the sender sent %llu (forged traffic?)",
			 (unsigned long long)w->unique_msgs, (unsigned long long)w->sent_msgs);
		w->status = 1;
	}
}

/* --- throughput: one-way, for a duration or a byte count, at a target bit
 * rate or flat out; rates at both ends --- */

static void tput_send_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	oneway_send_argv(b, a);
	if (a->p->for_ns)
		sc_argv_dur(b, "--for", a->p->for_ns);
	if (a->p->bitrate) {
		sc_argv_add(b, "--bitrate");
		sc_argv_add(b, "%llu", (unsigned long long)a->p->bitrate);
	}
}

static void tput_recv_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	oneway_recv_argv(b, a);
	sc_argv_dur(b, "--interval", SC_NS_PER_S);
	sc_argv_add(b, "--interval-lines"); /* for sockcmp's terminal (run.c), despite --quiet */
}

static const enum sc_measure tput_measures[] = {
	SC_M_RECV_MPS, SC_M_RECV_GBPS, SC_M_SENT_MPS, SC_M_SENT_GBPS, SC_M_LOST_PCT,
	SC_M_LAT_P50_US, SC_M_LAT_P99_US, SC_M_RECV_CALLS,
};

/* --- rr, crr: a client sends requests one at a time, an echo server
 * answers; the client's latency columns are round-trip times --- */

static void echo_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	oneway_recv_argv(b, a);
	sc_argv_add(b, "--echo");
}

static void rr_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	oneway_send_argv(b, a);
	if (a->p->for_ns)
		sc_argv_dur(b, "--for", a->p->for_ns);
	sc_argv_add(b, "--rr");
}

static void crr_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	oneway_send_argv(b, a);
	if (a->p->for_ns)
		sc_argv_dur(b, "--for", a->p->for_ns);
	sc_argv_add(b, "--crr");
}

/* The client's records hold the round trips; the server's latencies
 * (request send to its arrival) are one-way and left out. */
static void rr_join_client(struct sc_row *w, const struct sc_side_summary *s)
{
	oneway_join_send(w, s);
	join_latency(w, s);
	w->round_trips = s->unique_msgs;
	w->corrupted = s->corrupted;
	w->conns = s->conns;
	w->ports_in_use = s->ports_in_use;
}

/* Requests without a reply are lost (the client's own count). */
static void rr_finish(struct sc_row *w, const struct sc_side_summary *s, const bool *have)
{
	(void)s;
	if (have[1])
		w->lost = w->sent_msgs > w->round_trips ? w->sent_msgs - w->round_trips : 0;
}

static const enum sc_measure rr_measures[] = {
	SC_M_RT_PER_S, SC_M_LAT_P50_US, SC_M_LAT_P90_US, SC_M_LAT_P99_US, SC_M_LAT_P999_US,
	SC_M_LAT_MAX_US, SC_M_LOST_PCT,
};

static const enum sc_measure crr_measures[] = {
	SC_M_RT_PER_S, SC_M_US_PER_CONN, SC_M_LAT_P50_US, SC_M_LAT_P99_US, SC_M_LAT_P999_US,
	SC_M_PORTS_IN_USE, SC_M_LOST_PCT,
};

static const enum sc_measure oneway_measures[] = {
	SC_M_DELIVERED_PCT, SC_M_LOST_PCT, SC_M_DUPLICATED, SC_M_REORDERED, SC_M_DURATION_MS,
	SC_M_RETRANS, SC_M_LAT_P50_MS, SC_M_LAT_P99_MS, SC_M_RECV_CALLS,
};

/* --- servers: one server model under N concurrent clients; the program
 * is `sockcmp __servers` (servers.h), which starts the server, the client
 * threads and a /proc sampler. The send plan's "COUNT x SIZE" is requests
 * per connection and request size. --- */

static void servers_argv(struct sc_argv *b, const struct sc_side_args *a)
{
	const struct sc_send_plan *s = &a->p->send;
	uint64_t per_conn = s->nops ? s->ops[0].count : 1, size = s->nops ? s->ops[0].size : 64;

	sc_argv_add(b, "%s/sockcmp", a->bin_dir);
	sc_argv_add(b, "__servers");
	sc_argv_add(b, "--model");
	sc_argv_add(b, "%s", a->server ? a->server : "");
	sc_argv_add(b, "--clients");
	sc_argv_add(b, "%llu", (unsigned long long)a->p->clients);
	sc_argv_dur(b, "--for", a->p->for_ns ? a->p->for_ns : SC_NS_PER_S);
	sc_argv_add(b, "--size");
	sc_argv_add(b, "%llu", (unsigned long long)size);
	sc_argv_add(b, "--per-conn");
	sc_argv_add(b, "%llu", (unsigned long long)per_conn);
	sc_argv_add(b, "--out");
	sc_argv_add(b, "%s", a->prefix);
}

static void servers_join(struct sc_row *w, const struct sc_side_summary *s)
{
	w->sent_msgs = s->msgs;
	w->sent_bytes = s->bytes;
	w->first_send_ns = s->first_ns;
	w->last_send_ns = s->last_ns;
	w->round_trips = s->unique_msgs;
	w->lost = s->lost;
	w->corrupted = s->corrupted;
	w->conns = s->conns;
	join_latency(w, s);
	w->lat_exact = false; /* from the histogram, within 0.4 % */
	w->srv = s->srv;
}

static const enum sc_measure servers_measures[] = {
	SC_M_RT_PER_S, SC_M_LAT_P50_US, SC_M_LAT_P99_US, SC_M_LAT_P999_US, SC_M_SERVER_PROCS,
	SC_M_SERVER_THREADS, SC_M_SERVER_FDS, SC_M_SERVER_ZOMBIES, SC_M_LOST_PCT,
};

#define RR_MODE(nm, desc, client_argv, meas)                                                      \
	{                                                                                         \
		.name = nm, .what = desc,                                                         \
		.roles = {                                                                        \
			{.name = "recv", .label = "echo server", .listens = true, .messages = true, \
			 .argv = echo_argv, .join = join_received},                              \
			{.name = "send", .label = "client", .origin = true, .argv = client_argv,  \
			 .join = rr_join_client},                                                 \
		},                                                                                \
		.nroles = 2, .finish = rr_finish, .measures = meas,                               \
		.nmeasures = sizeof(meas) / sizeof(meas[0]),                                      \
	}

const struct sc_mode sc_modes[] = {
	{
		.name = "oneway",
		.what = "a sender writes the plan's messages one way; a receiver reads and accounts",
		.roles = {
			[ONEWAY_RECV] = {.name = "recv", .label = "receiver", .listens = true, .messages = true,
					 .read_sizes = true, .argv = oneway_recv_argv, .join = oneway_join_recv},
			[ONEWAY_SEND] = {.name = "send", .label = "sender", .origin = true,
					 .argv = oneway_send_argv, .join = oneway_join_send},
		},
		.nroles = 2,
		.finish = oneway_finish,
		.measures = oneway_measures,
		.nmeasures = sizeof(oneway_measures) / sizeof(oneway_measures[0]),
	},
	{
		.name = "throughput",
		.what = "bulk one way for a duration or a byte count; messages/s and bits/s at both ends",
		.roles = {
			[ONEWAY_RECV] = {.name = "recv", .label = "receiver", .listens = true, .messages = true,
					 .read_sizes = true, .intervals = true, .argv = tput_recv_argv,
					 .join = oneway_join_recv},
			[ONEWAY_SEND] = {.name = "send", .label = "sender", .origin = true,
					 .argv = tput_send_argv, .join = oneway_join_send},
		},
		.nroles = 2,
		.finish = oneway_finish,
		.intervals = true,
		.measures = tput_measures,
		.nmeasures = sizeof(tput_measures) / sizeof(tput_measures[0]),
	},
	RR_MODE("rr", "request/response ping-pong: round trips/s and round-trip percentiles", rr_argv,
		rr_measures),
	RR_MODE("crr", "connect, request, response, close per round (datagrams: request/response alone)",
		crr_argv, crr_measures),
	{
		.name = "servers",
		.what = "the lecture's server models (iterative, fork, thread, one UDP socket) under N clients",
		.roles = {
			{.name = "srv", .label = "servers trial", .origin = true, .argv = servers_argv,
			 .join = servers_join},
		},
		.nroles = 1,
		.measures = servers_measures,
		.nmeasures = sizeof(servers_measures) / sizeof(servers_measures[0]),
		.servers = true,
	},
};

const size_t sc_nmodes = sizeof(sc_modes) / sizeof(sc_modes[0]);

const struct sc_mode *sc_mode_find(const char *name)
{
	for (size_t i = 0; i < sc_nmodes; i++)
		if (strcmp(sc_modes[i].name, name) == 0)
			return &sc_modes[i];
	return NULL;
}

const struct sc_mode *sc_mode_default(void)
{
	return &sc_modes[0];
}

const struct sc_mode *sc_mode_of(const struct sc_experiment *e)
{
	return e->mode[0] ? sc_mode_find(e->mode) : sc_mode_default();
}

size_t sc_mode_lanes(const struct sc_mode *m, const struct sc_experiment *e, struct sc_lane *out, size_t max)
{
	size_t n = 0;

	if (!m->servers) {
		for (size_t i = 0; i < e->ntransports && n < max; i++)
			out[n++] = (struct sc_lane){e->transports[i], NULL};
		return n;
	}
	for (size_t i = 0; i < (e->nservers ? e->nservers : sc_nsrv_models) && n < max; i++) {
		const struct sc_srv_model *sm = e->nservers ? sc_srv_model_find(e->servers[i]) : &sc_srv_models[i];

		for (size_t k = 0; sm && k < e->ntransports && n < max; k++)
			if (!strcmp(e->transports[k]->name, sm->transport))
				out[n++] = (struct sc_lane){e->transports[k], sm->name};
	}
	return n;
}

void sc_mode_join(const struct sc_mode *m, struct sc_row *w, const struct sc_side_summary *s,
		  const bool *have)
{
	for (size_t i = 0; i < m->nroles; i++)
		if (have[i])
			m->roles[i].join(w, &s[i]);
	if (m->finish)
		m->finish(w, s, have);
}
