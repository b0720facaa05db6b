/* side.c - one side's records, and writing them as CSV. */
#include "side.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "stats.h"
#include "summary.h"

static const char *const flag_names[] = {
	"trunc", "eof", "foreign", "corrupt", "fin", "waitall",
	"split", "malformed", "dup", "reorder", "multi", "error",
};

static const char *const kind_names[] = {"new", "reordered", "dup", "stale", "corrupt", "trunc"};

int sc_side_init(struct sc_side *s, const char *role, const char *transport, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->role = role;
	s->transport = transport;
	s->ev = calloc(cap ? cap : 1, sizeof(*s->ev));
	s->msg = calloc(cap ? cap : 1, sizeof(*s->msg));
	if (!s->ev || !s->msg) {
		sc_side_free(s);
		return -ENOMEM;
	}
	s->evcap = s->msgcap = cap;
	s->sender_total = SC_TRACK_UNKNOWN;
	s->boundaries_kept = true;
	sc_track_init(&s->track);
	return 0;
}

void sc_side_free(struct sc_side *s)
{
	free(s->ev);
	free(s->msg);
	s->ev = NULL;
	s->msg = NULL;
	s->evcap = s->msgcap = 0;
}

void sc_side_event(struct sc_side *s, const struct sc_event *e)
{
	if (s->nev < s->evcap)
		s->ev[s->nev++] = *e;
	else
		s->ev_dropped++;
}

void sc_side_msg(struct sc_side *s, const struct sc_msgrec *m)
{
	if (s->nmsg < s->msgcap)
		s->msg[s->nmsg++] = *m;
	else
		s->msg_dropped++;
}

enum sc_msg_kind sc_side_received(struct sc_side *s, uint64_t seq, uint64_t send_ns,
				  uint64_t recv_ns, uint32_t len, bool corrupt, bool trunc)
{
	struct sc_msgrec m = {.seq = seq, .send_ns = send_ns, .recv_ns = recv_ns, .len = len};

	s->msgs++;
	if (corrupt) {
		/* The checksum covers the header: its seq cannot be trusted,
		 * so the tracker never sees it. */
		s->corrupted++;
		m.kind = SC_MSG_CORRUPT;
	} else {
		switch (sc_track_add(&s->track, seq, NULL)) {
		case SC_TRACK_IN_ORDER: m.kind = SC_MSG_NEW; break;
		case SC_TRACK_REORDERED: m.kind = SC_MSG_REORDERED; break;
		case SC_TRACK_DUPLICATE: m.kind = SC_MSG_DUP; break;
		case SC_TRACK_STALE: m.kind = SC_MSG_STALE; break;
		}
		if (trunc) {
			s->truncated++;
			if (m.kind == SC_MSG_NEW)
				m.kind = SC_MSG_TRUNC;
		}
	}
	sc_side_msg(s, &m);
	return (enum sc_msg_kind)m.kind;
}

/* Lost means "never received intact": a corrupted copy does not make up
 * for a message, since anyone can send a packet with our magic and a bad
 * checksum; counting it as delivered would let a stranger hide real loss. */
uint64_t sc_side_lost(const struct sc_side *s)
{
	return sc_track_lost(&s->track, s->sender_total);
}

void sc_side_flags(uint32_t flags, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		int n;

		if (!(flags & (1u << i)))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "", flag_names[i]);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0'; /* whole names only */
			return;
		}
		used += (size_t)n;
	}
}

/* Latency percentiles over the kept records of intact, first-copy messages;
 * returns how many messages that is (fewer than received once records were
 * dropped past the cap). Receiver and sender share CLOCK_REALTIME here;
 * across two machines the figures are only as good as their clock sync. */
static uint64_t latencies(const struct sc_side *s, int64_t out[4])
{
	int64_t *v = malloc((s->nmsg ? s->nmsg : 1) * sizeof(*v));
	size_t n = 0;

	memset(out, 0, 4 * sizeof(out[0]));
	if (!v)
		return 0;
	for (size_t i = 0; i < s->nmsg; i++) {
		const struct sc_msgrec *m = &s->msg[i];

		if (m->kind == SC_MSG_NEW || m->kind == SC_MSG_REORDERED)
			v[n++] = (int64_t)(m->recv_ns - m->send_ns);
	}
	sc_sort_i64(v, n);
	out[0] = sc_percentile(v, n, 50);
	out[1] = sc_percentile(v, n, 90);
	out[2] = sc_percentile(v, n, 99);
	out[3] = sc_percentile(v, n, 100);
	free(v);
	return n;
}

void sc_side_summarize(const struct sc_side *s, struct sc_side_summary *out)
{
	bool recv = strcmp(s->role, "recv") == 0;
	int64_t lat[4] = {0, 0, 0, 0};

	memset(out, 0, sizeof(*out));
	snprintf(out->role, sizeof(out->role), "%s", s->role);
	snprintf(out->transport, sizeof(out->transport), "%s", s->transport);
	out->msgs = s->msgs;
	out->bytes = s->bytes;
	out->calls = s->calls;
	out->control_calls = s->control_calls;
	out->unique_msgs = recv ? s->track.unique : 0;
	out->has_sender_total = s->sender_total != SC_TRACK_UNKNOWN;
	out->sender_total = out->has_sender_total ? s->sender_total : 0;
	out->lost = recv ? sc_side_lost(s) : 0;
	out->duplicated = s->track.duplicated;
	out->reordered = s->track.reordered;
	out->max_reorder_extent = s->track.max_extent;
	out->stale = s->track.stale;
	out->corrupted = s->corrupted;
	out->truncated = s->truncated;
	out->foreign = s->foreign;
	out->foreign_bytes = s->foreign_bytes;
	out->malformed = s->malformed;
	out->boundaries_kept = recv && s->boundaries_kept;
	out->first_ns = s->first_ns;
	out->last_ns = s->last_ns;
	if (recv)
		out->lat_msgs = latencies(s, lat);
	out->lat_p50_ns = lat[0];
	out->lat_p90_ns = lat[1];
	out->lat_p99_ns = lat[2];
	out->lat_max_ns = lat[3];
	out->has_retrans = s->has_retrans;
	out->tcp_retrans = s->tcp_retrans;
	out->rxq_drops = s->rxq_drops;
	out->events_dropped = s->ev_dropped;
	out->records_dropped = s->msg_dropped;
	out->status = s->status;
	snprintf(out->error, sizeof(out->error), "%s", s->error);
}

static int write_summary(struct sc_side *s, const char *path)
{
	struct sc_side_summary sum;

	sc_side_summarize(s, &sum);
	return sc_summary_write(&sum, path);
}

static int write_events(const struct sc_side *s, const char *path)
{
	struct sc_csv c;
	int r = sc_csv_open(&c, path);

	if (r < 0)
		return r;
	sc_schema_write_header(&c, &sc_events_schema, NULL);
	for (size_t i = 0; i < s->nev; i++) {
		const struct sc_event *e = &s->ev[i];
		struct sc_event_row w = {.call = i + 1, .t_ns = e->t_ns, .requested = e->requested,
					 .returned = e->returned, .has_seq = e->has_seq,
					 .first_seq = e->first_seq, .last_seq = e->last_seq,
					 .offset = e->offset};

		snprintf(w.side, sizeof(w.side), "%s", s->role);
		sc_side_flags(e->flags, w.flags, sizeof(w.flags));
		sc_schema_write_row(&c, &sc_events_schema, &w, NULL, NULL);
	}
	return sc_csv_commit(&c);
}

static int write_messages(const struct sc_side *s, const char *path)
{
	struct sc_csv c;
	int r = sc_csv_open(&c, path);

	if (r < 0)
		return r;
	sc_schema_write_header(&c, &sc_messages_schema, NULL);
	for (size_t i = 0; i < s->nmsg; i++) {
		const struct sc_msgrec *m = &s->msg[i];
		struct sc_message_row w = {.seq = m->seq, .send_ns = m->send_ns, .recv_ns = m->recv_ns,
					   .latency_ns = (int64_t)(m->recv_ns - m->send_ns), .len = m->len};

		snprintf(w.kind, sizeof(w.kind), "%s", kind_names[m->kind]);
		sc_schema_write_row(&c, &sc_messages_schema, &w, NULL, NULL);
	}
	return sc_csv_commit(&c);
}

int sc_side_write(struct sc_side *s, const char *prefix, char *err, size_t errlen)
{
	char path[4096];
	int r;

	snprintf(path, sizeof(path), "%s-summary.csv", prefix);
	r = write_summary(s, path);
	if (r == 0) {
		snprintf(path, sizeof(path), "%s-events.csv", prefix);
		r = write_events(s, path);
	}
	if (r == 0 && strcmp(s->role, "recv") == 0) {
		snprintf(path, sizeof(path), "%s-messages.csv", prefix);
		r = write_messages(s, path);
	}
	if (r < 0 && err)
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
	return r;
}
