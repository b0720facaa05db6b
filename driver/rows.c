/* rows.c - experiment rows, the per-run CSV, and reading side summaries. */
#include "rows.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"

struct sc_row *sc_rows_add(struct sc_rows *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct sc_row *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		r->v = v;
		r->cap = cap;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

/* Scaled text values back to integers. A file is input: a value out of
 * range or not a number saturates instead of being undefined behaviour. */
static int64_t scaled_i64(double x, double scale)
{
	double y = x * scale;

	if (y != y)
		return 0;
	if (y >= 9.2e18)
		return INT64_MAX;
	if (y <= -9.2e18)
		return INT64_MIN;
	return (int64_t)(y + (y < 0 ? -0.5 : 0.5));
}

static uint64_t scaled_u64(double x, double scale)
{
	double y = x * scale;

	if (!(y > 0))
		return 0;
	if (y >= 1.8e19)
		return UINT64_MAX;
	return (uint64_t)(y + 0.5);
}

void sc_rows_free(struct sc_rows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Derived columns: values the row keeps in another unit or form. */
static void get_experiment(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)rec;
	v->present = true;
	v->s = ctx ? ((const struct sc_experiment *)ctx)->name : "";
}

static void get_trial(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)ctx;
	v->present = true;
	v->u = ((const struct sc_row *)rec)->trial;
}

static void set_trial(void *rec, const struct sc_value *v)
{
	((struct sc_row *)rec)->trial = (unsigned)v->u;
}

static void get_point(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)ctx;
	v->present = true;
	v->u = ((const struct sc_row *)rec)->point + 1; /* from 1 in the file */
}

static void set_point(void *rec, const struct sc_value *v)
{
	((struct sc_row *)rec)->point = v->u ? v->u - 1 : 0;
}

static void get_status(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)ctx;
	v->present = true;
	v->i = ((const struct sc_row *)rec)->status;
}

static void set_status(void *rec, const struct sc_value *v)
{
	((struct sc_row *)rec)->status = (int)v->i;
}

/* Latencies are kept in ns and written in us (one decimal). */
#define LAT(member)                                                                        \
	static void get_##member(const void *rec, const void *ctx, struct sc_value *v)     \
	{                                                                                  \
		(void)ctx;                                                                 \
		v->present = true;                                                         \
		v->f = (double)((const struct sc_row *)rec)->member / 1e3;                 \
	}                                                                                  \
	static void set_##member(void *rec, const struct sc_value *v)                      \
	{                                                                                  \
		((struct sc_row *)rec)->member = scaled_i64(v->f, 1e3);                     \
	}
LAT(lat_p50)
LAT(lat_p90)
LAT(lat_p99)
LAT(lat_max)
LAT(lat_p999)

/* Rates over the receiver's span, first to last data call (messages/s
 * and Gbit/s of message bytes; round trips/s for rr and crr). */
static double span_s(uint64_t a, uint64_t b)
{
	return b > a ? (double)(b - a) / 1e9 : 0;
}

#define RATE(name, num, a, b, scale)                                                  \
	static void get_##name(const void *rec, const void *ctx, struct sc_value *v)   \
	{                                                                              \
		const struct sc_row *w = rec;                                          \
		double s = span_s(w->a, w->b);                                         \
		(void)ctx;                                                             \
		v->present = s > 0;                                                    \
		v->f = s > 0 ? (double)w->num * (scale) / s : 0;                       \
	}
RATE(recv_mps, recv_msgs, first_recv_ns, last_recv_ns, 1)
RATE(recv_gbps, recv_bytes, first_recv_ns, last_recv_ns, 8e-9)
RATE(send_mps, sent_msgs, first_send_ns, last_send_ns, 1)
RATE(send_gbps, sent_bytes, first_send_ns, last_send_ns, 8e-9)
RATE(rt_per_s, round_trips, first_send_ns, last_send_ns, 1)

/* clock_offset_us, clock_rtt_us: only on two-host rows. */
#define CLK(member)                                                                        \
	static void get_##member(const void *rec, const void *ctx, struct sc_value *v)     \
	{                                                                                  \
		const struct sc_row *w = rec;                                              \
		(void)ctx;                                                                 \
		v->present = w->has_clock;                                                 \
		v->f = (double)w->member / 1e3;                                            \
	}                                                                                  \
	static void set_##member(void *rec, const struct sc_value *v)                      \
	{                                                                                  \
		struct sc_row *w = rec;                                                    \
		w->has_clock = true;                                                       \
		w->member = scaled_i64(v->f, 1e3);                                          \
	}
CLK(clock_offset_ns)
CLK(clock_rtt_ns)

/* The same in ns, exact. */
#define CLK_NS(member)                                                                     \
	static void get_##member##_exact(const void *rec, const void *ctx, struct sc_value *v) \
	{                                                                                  \
		const struct sc_row *w = rec;                                              \
		(void)ctx;                                                                 \
		v->present = w->has_clock;                                                 \
		v->i = w->member;                                                          \
	}                                                                                  \
	static void set_##member##_exact(void *rec, const struct sc_value *v)              \
	{                                                                                  \
		struct sc_row *w = rec;                                                    \
		w->has_clock = true;                                                       \
		w->member = v->i;                                                          \
	}
CLK_NS(clock_offset_ns)
CLK_NS(clock_rtt_ns)

/* The same in ns, exact: one unit for every time in every file (the _us
 * and _ms columns stay, as columns are never dropped). */
#define LAT_NS(member)                                                                     \
	static void get_##member##_ns(const void *rec, const void *ctx, struct sc_value *v) \
	{                                                                                  \
		(void)ctx;                                                                 \
		v->present = true;                                                         \
		v->i = ((const struct sc_row *)rec)->member;                               \
	}                                                                                  \
	static void set_##member##_ns(void *rec, const struct sc_value *v)                 \
	{                                                                                  \
		((struct sc_row *)rec)->member = v->i;                                     \
	}
LAT_NS(lat_p50)
LAT_NS(lat_p90)
LAT_NS(lat_p99)
LAT_NS(lat_max)
LAT_NS(lat_p999)

/* duration_ms: first write to last data read. Read back as last_recv_ns
 * with first_send_ns 0, which keeps the difference. */
static void get_duration(const void *rec, const void *ctx, struct sc_value *v)
{
	const struct sc_row *w = rec;

	(void)ctx;
	v->present = true;
	v->f = (double)(w->last_recv_ns > w->first_send_ns ? w->last_recv_ns - w->first_send_ns : 0) / 1e6;
}

static void set_duration(void *rec, const struct sc_value *v)
{
	struct sc_row *w = rec;

	w->first_send_ns = 0;
	w->last_recv_ns = scaled_u64(v->f, 1e6);
}

/* duration_ns: the same, exact; read back the same way. */
static void get_duration_ns(const void *rec, const void *ctx, struct sc_value *v)
{
	const struct sc_row *w = rec;

	(void)ctx;
	v->present = true;
	v->u = w->last_recv_ns > w->first_send_ns ? w->last_recv_ns - w->first_send_ns : 0;
}

static void set_duration_ns(void *rec, const struct sc_value *v)
{
	struct sc_row *w = rec;

	w->first_send_ns = 0;
	w->last_recv_ns = v->u;
}

/* netem counts what it drops but not what it copies: a copy shows as one
 * more packet sent than offered. Read back into link_offered (link_sent
 * and link_dropped come first in the file). */
static void get_link_dup(const void *rec, const void *ctx, struct sc_value *v)
{
	const struct sc_row *w = rec;
	uint64_t out = w->link_sent + w->link_dropped;

	(void)ctx;
	v->present = w->has_link_stats;
	v->u = out > w->link_offered ? out - w->link_offered : 0;
}

static void set_link_dup(void *rec, const struct sc_value *v)
{
	struct sc_row *w = rec;

	w->link_offered = w->link_sent + w->link_dropped - v->u;
}

#define R struct sc_row

/* The column contract (README.md): columns are only ever added at the end,
 * never renamed or dropped. The swept parameter's column, named after it,
 * comes right after "trial" (the unnamed entry). */
static const struct sc_column cols[] = {
	SC_DERIVED("experiment", SC_COL_STR, "", 0, get_experiment, NULL),
	SC_STR(R, "transport", transport),
	SC_DERIVED("trial", SC_COL_U64, "", 0, get_trial, set_trial),
	SC_STR(R, NULL, value),
	SC_U64(R, "sent_msgs", "msgs", sent_msgs),
	SC_U64(R, "sent_bytes", "bytes", sent_bytes),
	SC_U64(R, "recv_calls", "calls", recv_calls),
	SC_U64(R, "recv_bytes", "bytes", recv_bytes),
	SC_U64(R, "recv_msgs", "msgs", recv_msgs),
	SC_U64(R, "lost", "msgs", lost),
	SC_U64(R, "duplicated", "msgs", duplicated),
	SC_U64(R, "reordered", "msgs", reordered),
	SC_U64(R, "corrupted", "msgs", corrupted),
	SC_U64(R, "truncated", "msgs", truncated),
	SC_BOOL(R, "boundaries_kept", boundaries_kept),
	SC_DERIVED("point", SC_COL_U64, "", 0, get_point, set_point),
	SC_U64(R, "send_calls", "calls", send_calls),
	SC_U64(R, "unique_msgs", "msgs", unique_msgs),
	SC_U64(R, "max_reorder_extent", "msgs", max_extent),
	SC_U64(R, "foreign", "msgs", foreign),
	SC_U64(R, "malformed", "msgs", malformed),
	SC_STR(R, "read_sizes", read_sizes),
	SC_DERIVED("lat_p50_us", SC_COL_F64, "us", 1, get_lat_p50, set_lat_p50),
	SC_DERIVED("lat_p90_us", SC_COL_F64, "us", 1, get_lat_p90, set_lat_p90),
	SC_DERIVED("lat_p99_us", SC_COL_F64, "us", 1, get_lat_p99, set_lat_p99),
	SC_DERIVED("lat_max_us", SC_COL_F64, "us", 1, get_lat_max, set_lat_max),
	SC_DERIVED("duration_ms", SC_COL_F64, "ms", 3, get_duration, set_duration),
	SC_U64_OPT(R, "tcp_retrans", "segments", tcp_retrans, has_retrans),
	SC_U64(R, "rxq_drops", "msgs", rxq_drops),
	SC_STR(R, "kernel", kernel),
	SC_STR(R, "link", link),
	SC_DERIVED("status", SC_COL_I64, "", 0, get_status, set_status),
	SC_STR(R, "error", error),
	SC_U64_OPT(R, "link_sent", "packets", link_sent, has_link_stats),
	SC_U64_OPT(R, "link_dropped", "packets", link_dropped, has_link_stats),
	SC_DERIVED("link_duplicated", SC_COL_U64, "packets", 0, get_link_dup, set_link_dup),
	SC_STR(R, "kernel_why", kernel_why),
	SC_U64(R, "send_events_dropped", "calls", send_events_dropped),
	SC_U64(R, "recv_events_dropped", "calls", recv_events_dropped),
	SC_U64(R, "records_dropped", "msgs", records_dropped),
	SC_U64(R, "lat_msgs", "msgs", lat_msgs),
	SC_STR(R, "peer", peer),
	SC_DERIVED("clock_offset_us", SC_COL_F64, "us", 1, get_clock_offset_ns, set_clock_offset_ns),
	SC_DERIVED("clock_rtt_us", SC_COL_F64, "us", 1, get_clock_rtt_ns, set_clock_rtt_ns),
	/* Every time in ns, as in the events and messages files. */
	SC_DERIVED("lat_p50_ns", SC_COL_I64, "ns", 0, get_lat_p50_ns, set_lat_p50_ns),
	SC_DERIVED("lat_p90_ns", SC_COL_I64, "ns", 0, get_lat_p90_ns, set_lat_p90_ns),
	SC_DERIVED("lat_p99_ns", SC_COL_I64, "ns", 0, get_lat_p99_ns, set_lat_p99_ns),
	SC_DERIVED("lat_max_ns", SC_COL_I64, "ns", 0, get_lat_max_ns, set_lat_max_ns),
	SC_DERIVED("duration_ns", SC_COL_U64, "ns", 0, get_duration_ns, set_duration_ns),
	/* read_sizes stops after twelve: every size, "512*4 488" */
	SC_STR(R, "read_sizes_all", read_sizes_all),
	/* performance modes (issue 9) */
	SC_BOOL(R, "lat_exact", lat_exact),
	SC_DERIVED("lat_p999_us", SC_COL_F64, "us", 1, get_lat_p999, set_lat_p999),
	SC_U64(R, "send_syscalls", "calls", send_syscalls),
	SC_U64(R, "recv_syscalls", "calls", recv_syscalls),
	SC_DERIVED("recv_msgs_per_s", SC_COL_F64, "msgs/s", 0, get_recv_mps, NULL),
	SC_DERIVED("recv_gbit_per_s", SC_COL_F64, "Gbit/s", 4, get_recv_gbps, NULL),
	SC_DERIVED("sent_msgs_per_s", SC_COL_F64, "msgs/s", 0, get_send_mps, NULL),
	SC_DERIVED("sent_gbit_per_s", SC_COL_F64, "Gbit/s", 4, get_send_gbps, NULL),
	SC_U64(R, "round_trips", "round trips", round_trips),
	SC_DERIVED("round_trips_per_s", SC_COL_F64, "round trips/s", 0, get_rt_per_s, NULL),
	SC_U64(R, "conns", "connections", conns),
	SC_U64(R, "ports_in_use", "sockets", ports_in_use),
	SC_DERIVED("lat_p999_ns", SC_COL_I64, "ns", 0, get_lat_p999_ns, set_lat_p999_ns),
	/* servers mode (issue 9): requests are round_trips, requests/s
	 * round_trips_per_s; the server's own process tree from /proc */
	SC_STR(R, "server", srv.model),
	SC_U64(R, "concurrent_clients", "clients", srv.clients),
	SC_U64(R, "server_procs_max", "processes", srv.procs_max),
	SC_U64(R, "server_zombies_max", "processes", srv.zombies_max),
	SC_U64(R, "server_threads_max", "threads", srv.threads_max),
	SC_U64(R, "server_fds_max", "descriptors", srv.fds_max),
	SC_U64(R, "server_samples", "samples", srv.samples),
	SC_U64(R, "server_pids", "processes", srv.pids),
	SC_U64(R, "server_served_reqs", "requests", srv.served),
	SC_U64(R, "server_left_procs", "processes", srv.left),
	SC_BOOL(R, "server_netns", srv.netns),
	SC_U64(R, "clients_served", "clients", srv.clients_served),
	/* two hosts (issue 10): the clock in ns too */
	SC_DERIVED("clock_offset_ns", SC_COL_I64, "ns", 0, get_clock_offset_ns_exact, set_clock_offset_ns_exact),
	SC_DERIVED("clock_rtt_ns", SC_COL_I64, "ns", 0, get_clock_rtt_ns_exact, set_clock_rtt_ns_exact),
};

const struct sc_schema sc_rows_schema = {"rows", cols, sizeof(cols) / sizeof(cols[0])};

int sc_rows_write(const struct sc_experiment *e, const struct sc_rows *r, const char *path)
{
	const char *swept = e->sweep.n ? e->sweep.param : NULL;
	struct sc_csv c;
	int rc = sc_csv_open(&c, path);

	if (rc < 0)
		return rc;
	sc_schema_write_header(&c, &sc_rows_schema, swept);
	for (size_t i = 0; i < r->n; i++)
		sc_schema_write_row(&c, &sc_rows_schema, &r->v[i], e, swept);
	return sc_csv_commit(&c);
}

int sc_rows_parse(const struct sc_experiment *e, struct sc_rows *r, char *text)
{
	struct sc_schema_map m;
	char *p = text, *rec = sc_next_record(&p);
	int rc;

	if (!rec)
		return -EINVAL;
	rc = sc_schema_map(&m, &sc_rows_schema, e->sweep.n ? e->sweep.param : NULL, rec);
	if (rc < 0)
		return rc;
	if (!sc_schema_has(&m, "transport") || !sc_schema_has(&m, "trial")) {
		sc_schema_map_free(&m);
		return -EINVAL;
	}
	while (rc == 0 && (rec = sc_next_record(&p))) {
		struct sc_row *w = sc_rows_add(r);

		if (!w) {
			rc = -ENOMEM;
			break;
		}
		if (sc_schema_parse(&m, rec, w) < 0)
			r->n--; /* not a whole row */
	}
	sc_schema_map_free(&m);
	return rc;
}

int sc_rows_read(const struct sc_experiment *e, struct sc_rows *r, const char *path)
{
	char *text = NULL;
	int rc = sc_read_file(path, &text, NULL);

	if (rc < 0)
		return rc;
	rc = sc_rows_parse(e, r, text);
	free(text);
	return rc;
}
