/* side.c - one side's records, and writing them as CSV. */
#include "side.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "csv.h"
#include "exchange.h"
#include "stats.h"
#include "summary.h"

#define SC_SIDE_PAGE 4096u

static const char *const flag_names[] = {
	"trunc", "eof", "foreign", "corrupt", "fin", "waitall",
	"split", "malformed", "dup", "reorder", "multi", "error", "batch",
};

static const char *const kind_names[] = {"new", "reordered", "dup", "stale", "corrupt", "trunc"};

/* Asks for huge pages under the whole pages of p[0..len) (a hint: no
 * error if the kernel has none). On this kind of machine the first touch
 * of a 4 KiB page costs tens of microseconds: recording into fresh memory
 * cost about 1 us per message, a 2 MiB page a fraction of that. */
static void huge(void *p, size_t len)
{
	uintptr_t a = ((uintptr_t)p + SC_SIDE_PAGE - 1) & ~(uintptr_t)(SC_SIDE_PAGE - 1);
	uintptr_t b = ((uintptr_t)p + len) & ~(uintptr_t)(SC_SIDE_PAGE - 1);

	if (b > a)
		madvise((void *)a, b - a, MADV_HUGEPAGE);
}

/* Writes a zero into every page of p[0..len) (already zero): a write, so
 * each page is the process's own, not the shared zero page. */
static void touch(void *p, size_t len)
{
	volatile uint8_t *b = p;

	for (size_t i = 0; i < len; i += SC_SIDE_PAGE)
		b[i] = 0;
	if (len)
		b[len - 1] = 0;
}

void sc_side_prefault(struct sc_side *s, size_t events, size_t msgs)
{
	touch(s->ev, (events < s->evcap ? events : s->evcap) * sizeof(*s->ev));
	touch(s->msg, (msgs < s->msgcap ? msgs : s->msgcap) * sizeof(*s->msg));
}

int sc_side_init(struct sc_side *s, const char *role, const char *transport, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->role = role;
	s->transport = transport;
	s->ev = calloc(cap ? cap : 1, sizeof(*s->ev));
	s->msg = calloc(cap ? cap : 1, sizeof(*s->msg));
	s->lat = malloc(sizeof(*s->lat));
	if (!s->ev || !s->msg || !s->lat) {
		sc_side_free(s);
		return -ENOMEM;
	}
	s->evcap = s->msgcap = cap;
	huge(s->ev, cap * sizeof(*s->ev));
	huge(s->msg, cap * sizeof(*s->msg));
	s->sender_total = SC_TRACK_UNKNOWN;
	s->boundaries_kept = true;
	sc_track_init(&s->track);
	sc_hist_reset(s->lat);
	return 0;
}

void sc_side_free(struct sc_side *s)
{
	free(s->ev);
	free(s->msg);
	free(s->lat);
	free(s->iv);
	s->iv = NULL;
	s->ev = NULL;
	s->msg = NULL;
	s->lat = NULL;
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

int sc_side_intervals(struct sc_side *s, uint64_t ns, const char *prog, bool print)
{
	s->iv = calloc(SC_SIDE_MAX_INTERVALS, sizeof(*s->iv));
	if (!s->iv)
		return -ENOMEM;
	s->interval_ns = ns;
	s->prog = prog;
	s->print_intervals = print;
	return 0;
}

/* Ends the interval under way at end_ns: keeps it, prints its line. */
static void close_interval(struct sc_side *s, uint64_t end_ns)
{
	struct sc_interval v = {s->iv_start, end_ns, s->msgs - s->iv_msgs, s->bytes - s->iv_bytes};
	double secs = (double)(end_ns - s->iv_start) / 1e9;

	if (s->niv < SC_SIDE_MAX_INTERVALS)
		s->iv[s->niv] = v;
	if (s->print_intervals && secs > 0)
		fprintf(stderr, "%s: [%4zu] %8.3f s  %10.0f msgs/s  %8.4f Gbit/s\n", s->prog, s->niv + 1,
			secs, (double)v.msgs / secs, (double)v.bytes * 8 / secs / 1e9);
	s->niv++;
	s->iv_start = end_ns;
	s->iv_msgs = s->msgs;
	s->iv_bytes = s->bytes;
}

/* Called with every message's receive time: starts the first interval at
 * the first message, closes each one interval_ns later. */
static void tick(struct sc_side *s, uint64_t t_ns)
{
	if (!s->iv_start) {
		s->iv_start = t_ns;
		s->iv_msgs = s->msgs;
		s->iv_bytes = s->bytes;
		return;
	}
	while (t_ns >= s->iv_start + s->interval_ns)
		close_interval(s, s->iv_start + s->interval_ns);
}

void sc_side_intervals_end(struct sc_side *s)
{
	if (s->interval_ns && s->iv_start && s->last_ns > s->iv_start &&
	    (s->msgs > s->iv_msgs || s->bytes > s->iv_bytes))
		close_interval(s, s->last_ns);
}

enum sc_msg_kind sc_side_received(struct sc_side *s, uint64_t seq, uint64_t send_ns,
				  uint64_t recv_ns, uint32_t len, bool corrupt, bool trunc)
{
	struct sc_msgrec m = {.seq = seq, .send_ns = send_ns, .recv_ns = recv_ns, .len = len};

	if (s->interval_ns)
		tick(s, recv_ns);
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
		if (m.kind == SC_MSG_NEW || m.kind == SC_MSG_REORDERED)
			sc_hist_add(s->lat, (int64_t)(recv_ns - send_ns));
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

/* Latency percentiles (p50, p90, p99, max, p99.9) of intact, first-copy
 * messages: exact over the kept records while every message was kept,
 * else from the histogram over every message (within 1/256 of the exact
 * value; *exact says which). Returns how many messages they cover.
 * Receiver and sender share CLOCK_REALTIME here; across two machines the
 * figures are only as good as their clock sync. */
static uint64_t latencies(const struct sc_side *s, int64_t out[5], bool *exact)
{
	int64_t *v;
	size_t n = 0;

	memset(out, 0, 5 * sizeof(out[0]));
	*exact = s->msg_dropped == 0 || !s->lat;
	if (!*exact) {
		out[0] = sc_hist_percentile(s->lat, 50);
		out[1] = sc_hist_percentile(s->lat, 90);
		out[2] = sc_hist_percentile(s->lat, 99);
		out[3] = sc_hist_percentile(s->lat, 100);
		out[4] = sc_hist_percentile(s->lat, 99.9);
		return s->lat->count;
	}
	v = malloc((s->nmsg ? s->nmsg : 1) * sizeof(*v));
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
	out[4] = sc_percentile(v, n, 99.9);
	free(v);
	return n;
}

void sc_side_summarize(const struct sc_side *s, struct sc_side_summary *out)
{
	bool recv = strcmp(s->role, "recv") == 0;
	int64_t lat[5] = {0, 0, 0, 0, 0};
	bool exact = true;

	memset(out, 0, sizeof(*out));
	snprintf(out->role, sizeof(out->role), "%s", s->role);
	snprintf(out->transport, sizeof(out->transport), "%s", s->transport);
	out->msgs = s->msgs;
	out->bytes = s->bytes;
	out->calls = s->calls;
	out->control_calls = s->control_calls;
	out->unique_msgs = s->track.unique; /* a sender's: rr replies, else 0 */
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
	if (recv || s->track.unique)
		out->lat_msgs = latencies(s, lat, &exact);
	out->lat_exact = exact;
	out->lat_p999_ns = lat[4];
	out->syscalls = s->syscalls;
	out->conns = s->conns;
	out->ports_in_use = s->ports_in_use;
	out->lat_p50_ns = lat[0];
	out->lat_p90_ns = lat[1];
	out->lat_p99_ns = lat[2];
	out->lat_max_ns = lat[3];
	out->has_retrans = s->has_retrans;
	out->tcp_retrans = s->tcp_retrans;
	out->rxq_drops = s->rxq_drops;
	out->events_dropped = s->ev_dropped;
	out->records_dropped = s->msg_dropped;
	out->exchange_dropped = s->xchg ? s->xchg->dropped : 0;
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

static int write_intervals(const struct sc_side *s, const char *path)
{
	struct sc_csv c;
	int r = sc_csv_open(&c, path);
	size_t n = s->niv < SC_SIDE_MAX_INTERVALS ? s->niv : SC_SIDE_MAX_INTERVALS;

	if (r < 0)
		return r;
	sc_schema_write_header(&c, &sc_intervals_schema, NULL);
	for (size_t i = 0; i < n; i++) {
		struct sc_interval_row w = {.interval = i + 1, .start_ns = s->iv[i].start_ns,
					    .end_ns = s->iv[i].end_ns, .msgs = s->iv[i].msgs,
					    .bytes = s->iv[i].bytes};

		sc_schema_write_row(&c, &sc_intervals_schema, &w, NULL, NULL);
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
	if (r == 0 && s->interval_ns) {
		snprintf(path, sizeof(path), "%s-intervals.csv", prefix);
		r = write_intervals(s, path);
	}
	if (r < 0 && err)
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
	return r;
}
