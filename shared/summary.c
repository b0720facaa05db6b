/* summary.c - the summary file's schema, writer and reader. */
#include "summary.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define S struct sc_side_summary

/* In file order. Add at the end; never rename or drop (README.md). */
static const struct sc_column cols[] = {
	SC_STR(S, "role", role),
	SC_STR(S, "transport", transport),
	SC_U64(S, "msgs", "msgs", msgs),
	SC_U64(S, "bytes", "bytes", bytes),
	SC_U64(S, "calls", "calls", calls),
	SC_U64(S, "control_calls", "calls", control_calls),
	SC_U64(S, "unique_msgs", "msgs", unique_msgs),
	SC_U64_OPT(S, "sender_total", "msgs", sender_total, has_sender_total),
	SC_U64(S, "lost", "msgs", lost),
	SC_U64(S, "duplicated", "msgs", duplicated),
	SC_U64(S, "reordered", "msgs", reordered),
	SC_U64(S, "max_reorder_extent", "msgs", max_reorder_extent),
	SC_U64(S, "stale", "msgs", stale),
	SC_U64(S, "corrupted", "msgs", corrupted),
	SC_U64(S, "truncated", "msgs", truncated),
	SC_U64(S, "foreign", "msgs", foreign),
	SC_U64(S, "foreign_bytes", "bytes", foreign_bytes),
	SC_U64(S, "malformed", "msgs", malformed),
	SC_BOOL(S, "boundaries_kept", boundaries_kept),
	SC_U64(S, "first_ns", "ns", first_ns),
	SC_U64(S, "last_ns", "ns", last_ns),
	SC_I64(S, "lat_p50_ns", "ns", lat_p50_ns),
	SC_I64(S, "lat_p90_ns", "ns", lat_p90_ns),
	SC_I64(S, "lat_p99_ns", "ns", lat_p99_ns),
	SC_I64(S, "lat_max_ns", "ns", lat_max_ns),
	SC_U64_OPT(S, "tcp_retrans", "segments", tcp_retrans, has_retrans),
	SC_U64(S, "rxq_drops", "msgs", rxq_drops),
	SC_U64(S, "events_dropped", "calls", events_dropped),
	SC_U64(S, "records_dropped", "msgs", records_dropped),
	SC_I64(S, "status", "", status),
	SC_STR(S, "error", error),
	SC_U64(S, "lat_msgs", "msgs", lat_msgs),
	SC_BOOL(S, "lat_exact", lat_exact),
	SC_I64(S, "lat_p999_ns", "ns", lat_p999_ns),
	SC_U64(S, "syscalls", "calls", syscalls),
	SC_U64(S, "conns", "connections", conns),
	SC_U64(S, "ports_in_use", "sockets", ports_in_use),
	SC_STR(S, "server", srv.model),
	SC_U64(S, "concurrent_clients", "clients", srv.clients),
	SC_U64(S, "server_procs_max", "processes", srv.procs_max),
	SC_U64(S, "server_zombies_max", "processes", srv.zombies_max),
	SC_U64(S, "server_threads_max", "threads", srv.threads_max),
	SC_U64(S, "server_fds_max", "descriptors", srv.fds_max),
	SC_U64(S, "server_samples", "samples", srv.samples),
	SC_U64(S, "server_pids", "processes", srv.pids),
	SC_U64(S, "server_served_reqs", "requests", srv.served),
	SC_U64(S, "server_left_procs", "processes", srv.left),
	SC_BOOL(S, "server_netns", srv.netns),
	SC_U64(S, "clients_served", "clients", srv.clients_served),
	SC_U64(S, "exchange_dropped", "calls", exchange_dropped),
};

const struct sc_schema sc_summary_schema = {"summary", cols, sizeof(cols) / sizeof(cols[0])};

#define E struct sc_event_row

static const struct sc_column event_cols[] = {
	SC_STR(E, "side", side),
	SC_U64(E, "call", "", call),
	SC_U64(E, "t_ns", "ns", t_ns),
	SC_U64(E, "requested", "bytes", requested),
	SC_I64(E, "returned", "bytes", returned),
	SC_U64_OPT(E, "first_seq", "", first_seq, has_seq),
	SC_U64_OPT(E, "last_seq", "", last_seq, has_seq),
	SC_STR(E, "flags", flags),
	SC_U64(E, "offset", "bytes", offset),
};

const struct sc_schema sc_events_schema = {"events", event_cols,
					   sizeof(event_cols) / sizeof(event_cols[0])};

#define M struct sc_message_row

static const struct sc_column message_cols[] = {
	SC_U64(M, "seq", "", seq),
	SC_U64(M, "send_ns", "ns", send_ns),
	SC_U64(M, "recv_ns", "ns", recv_ns),
	SC_I64(M, "latency_ns", "ns", latency_ns),
	SC_U64(M, "len", "bytes", len),
	SC_STR(M, "kind", kind),
};

const struct sc_schema sc_messages_schema = {"messages", message_cols,
					     sizeof(message_cols) / sizeof(message_cols[0])};

#define I struct sc_interval_row

static const struct sc_column interval_cols[] = {
	SC_U64(I, "interval", "", interval),
	SC_U64(I, "start_ns", "ns", start_ns),
	SC_U64(I, "end_ns", "ns", end_ns),
	SC_U64(I, "msgs", "msgs", msgs),
	SC_U64(I, "bytes", "bytes", bytes),
};

const struct sc_schema sc_intervals_schema = {"intervals", interval_cols,
					      sizeof(interval_cols) / sizeof(interval_cols[0])};

int sc_summary_write(const struct sc_side_summary *s, const char *path)
{
	struct sc_csv c;
	int r = sc_csv_open(&c, path);

	if (r < 0)
		return r;
	sc_schema_write_header(&c, &sc_summary_schema, NULL);
	sc_schema_write_row(&c, &sc_summary_schema, s, NULL, NULL);
	return sc_csv_commit(&c);
}

int sc_summary_parse(struct sc_side_summary *s, char *text)
{
	struct sc_schema_map m;
	char *p = text, *head = sc_next_record(&p), *row = sc_next_record(&p);
	int r;

	memset(s, 0, sizeof(*s));
	if (!head || !row)
		return -EINVAL;
	r = sc_schema_map(&m, &sc_summary_schema, NULL, head);
	if (r < 0)
		return r;
	r = sc_schema_has(&m, "role") ? sc_schema_parse(&m, row, s) : -EINVAL;
	sc_schema_map_free(&m);
	return r;
}

int sc_summary_read(struct sc_side_summary *s, const char *path)
{
	char *text = NULL;
	int r = sc_read_file(path, &text, NULL);

	if (r < 0)
		return r;
	r = sc_summary_parse(s, text);
	free(text);
	return r;
}
