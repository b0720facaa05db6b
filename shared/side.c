/* side.c - one side's records, and writing them as CSV. */
#include "side.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "stats.h"

static const char *const flag_names[] = {
	"trunc", "eof", "foreign", "corrupt", "fin", "waitall",
	"split", "malformed", "dup", "reorder", "multi", "error",
};

const char *const sc_side_summary_cols[] = {
	"role", "transport", "msgs", "bytes", "calls", "control_calls",
	"unique_msgs", "sender_total", "lost", "duplicated", "reordered",
	"max_reorder_extent", "stale", "corrupted", "truncated", "foreign",
	"foreign_bytes", "malformed", "boundaries_kept", "first_ns", "last_ns",
	"lat_p50_ns", "lat_p90_ns", "lat_p99_ns", "lat_max_ns", "tcp_retrans",
	"rxq_drops", "events_dropped", "records_dropped", "status", "error", NULL,
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

/* Latency percentiles over the kept records of intact, first-copy messages.
 * Receiver and sender share CLOCK_REALTIME here; across two machines the
 * figures are only as good as their clock sync. */
static void latencies(const struct sc_side *s, int64_t out[4])
{
	int64_t *v = malloc((s->nmsg ? s->nmsg : 1) * sizeof(*v));
	size_t n = 0;

	memset(out, 0, 4 * sizeof(out[0]));
	if (!v)
		return;
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
}

static int write_summary(struct sc_side *s, const char *path)
{
	struct sc_csv c;
	bool recv = strcmp(s->role, "recv") == 0;
	int64_t lat[4] = {0, 0, 0, 0};
	int r = sc_csv_open(&c, path);

	if (r < 0)
		return r;
	for (size_t i = 0; sc_side_summary_cols[i]; i++)
		sc_csv_field(&c, sc_side_summary_cols[i]);
	sc_csv_end_row(&c);
	if (recv)
		latencies(s, lat);
	sc_csv_field(&c, s->role);
	sc_csv_field(&c, s->transport);
	sc_csv_u64(&c, s->msgs);
	sc_csv_u64(&c, s->bytes);
	sc_csv_u64(&c, s->calls);
	sc_csv_u64(&c, s->control_calls);
	sc_csv_u64(&c, recv ? s->track.unique : 0);
	if (s->sender_total == SC_TRACK_UNKNOWN)
		sc_csv_field(&c, "");
	else
		sc_csv_u64(&c, s->sender_total);
	sc_csv_u64(&c, recv ? sc_side_lost(s) : 0);
	sc_csv_u64(&c, s->track.duplicated);
	sc_csv_u64(&c, s->track.reordered);
	sc_csv_u64(&c, s->track.max_extent);
	sc_csv_u64(&c, s->track.stale);
	sc_csv_u64(&c, s->corrupted);
	sc_csv_u64(&c, s->truncated);
	sc_csv_u64(&c, s->foreign);
	sc_csv_u64(&c, s->foreign_bytes);
	sc_csv_u64(&c, s->malformed);
	sc_csv_u64(&c, recv ? s->boundaries_kept : 0);
	sc_csv_u64(&c, s->first_ns);
	sc_csv_u64(&c, s->last_ns);
	for (int i = 0; i < 4; i++)
		sc_csv_i64(&c, lat[i]);
	if (s->has_retrans)
		sc_csv_u64(&c, s->tcp_retrans);
	else
		sc_csv_field(&c, "");
	sc_csv_u64(&c, s->rxq_drops);
	sc_csv_u64(&c, s->ev_dropped);
	sc_csv_u64(&c, s->msg_dropped);
	sc_csv_i64(&c, s->status);
	sc_csv_field(&c, s->error);
	sc_csv_end_row(&c);
	return sc_csv_commit(&c);
}

static int write_events(const struct sc_side *s, const char *path)
{
	static const char *const cols[] = {"side", "call", "t_ns", "requested", "returned",
					   "first_seq", "last_seq", "flags", "offset"};
	struct sc_csv c;
	char flags[128];
	int r = sc_csv_open(&c, path);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		sc_csv_field(&c, cols[i]);
	sc_csv_end_row(&c);
	for (size_t i = 0; i < s->nev; i++) {
		const struct sc_event *e = &s->ev[i];

		sc_csv_field(&c, s->role);
		sc_csv_u64(&c, i + 1);
		sc_csv_u64(&c, e->t_ns);
		sc_csv_u64(&c, e->requested);
		sc_csv_i64(&c, e->returned);
		if (e->has_seq) {
			sc_csv_u64(&c, e->first_seq);
			sc_csv_u64(&c, e->last_seq);
		} else {
			sc_csv_field(&c, "");
			sc_csv_field(&c, "");
		}
		sc_side_flags(e->flags, flags, sizeof(flags));
		sc_csv_field(&c, flags);
		sc_csv_u64(&c, e->offset);
		sc_csv_end_row(&c);
	}
	return sc_csv_commit(&c);
}

static int write_messages(const struct sc_side *s, const char *path)
{
	static const char *const cols[] = {"seq", "send_ns", "recv_ns", "latency_ns", "len", "kind"};
	struct sc_csv c;
	int r = sc_csv_open(&c, path);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		sc_csv_field(&c, cols[i]);
	sc_csv_end_row(&c);
	for (size_t i = 0; i < s->nmsg; i++) {
		const struct sc_msgrec *m = &s->msg[i];

		sc_csv_u64(&c, m->seq);
		sc_csv_u64(&c, m->send_ns);
		sc_csv_u64(&c, m->recv_ns);
		sc_csv_i64(&c, (int64_t)(m->recv_ns - m->send_ns));
		sc_csv_u64(&c, m->len);
		sc_csv_field(&c, kind_names[m->kind]);
		sc_csv_end_row(&c);
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
