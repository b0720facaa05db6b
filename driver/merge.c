/* merge.c - copying the sides' events and messages into the experiment's. */
#include "merge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void get_experiment(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)rec;
	v->present = true;
	v->s = ((const struct sc_merge_ctx *)ctx)->e->name;
}

static void get_transport(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)rec;
	v->present = true;
	v->s = ((const struct sc_merge_ctx *)ctx)->w->transport;
}

static void get_trial(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)rec;
	v->present = true;
	v->u = ((const struct sc_merge_ctx *)ctx)->w->trial;
}

static void get_value(const void *rec, const void *ctx, struct sc_value *v)
{
	(void)rec;
	v->present = true;
	v->s = ((const struct sc_merge_ctx *)ctx)->w->value;
}

#define TRIAL_COLS                                                            \
	SC_DERIVED("experiment", SC_COL_STR, "", 0, get_experiment, NULL),    \
	SC_DERIVED("transport", SC_COL_STR, "", 0, get_transport, NULL),      \
	SC_DERIVED("trial", SC_COL_U64, "", 0, get_trial, NULL),              \
	SC_DERIVED(NULL, SC_COL_STR, "", 0, get_value, NULL)

#define E struct sc_event_row

static const struct sc_column event_cols[] = {
	TRIAL_COLS,
	SC_STR(E, "side", side),
	SC_U64(E, "call", "", call),
	SC_I64(E, "t_ns", "ns", rel_ns),
	SC_U64(E, "requested", "bytes", requested),
	SC_I64(E, "returned", "bytes", returned),
	SC_U64_OPT(E, "first_seq", "", first_seq, has_seq),
	SC_U64_OPT(E, "last_seq", "", last_seq, has_seq),
	SC_STR(E, "flags", flags),
	SC_U64(E, "offset", "bytes", offset),
};

const struct sc_schema sc_merged_events_schema = {"experiment events", event_cols,
						  sizeof(event_cols) / sizeof(event_cols[0])};

#define M struct sc_message_row

static const struct sc_column message_cols[] = {
	TRIAL_COLS,
	SC_U64(M, "seq", "", seq),
	SC_I64(M, "t_ns", "ns", rel_ns),
	SC_I64(M, "latency_ns", "ns", latency_ns),
	SC_U64(M, "len", "bytes", len),
	SC_STR(M, "kind", kind),
};

const struct sc_schema sc_merged_messages_schema = {"experiment messages", message_cols,
						    sizeof(message_cols) / sizeof(message_cols[0])};

#define IV struct sc_interval_row

static double iv_secs(const IV *v)
{
	return v->end_ns > v->start_ns ? (double)(v->end_ns - v->start_ns) / 1e9 : 0;
}

static void get_iv_mps(const void *rec, const void *ctx, struct sc_value *v)
{
	double t = iv_secs(rec);

	(void)ctx;
	v->present = t > 0;
	v->f = t > 0 ? (double)((const IV *)rec)->msgs / t : 0;
}

static void get_iv_gbps(const void *rec, const void *ctx, struct sc_value *v)
{
	double t = iv_secs(rec);

	(void)ctx;
	v->present = t > 0;
	v->f = t > 0 ? (double)((const IV *)rec)->bytes * 8 / t / 1e9 : 0;
}

static const struct sc_column interval_cols[] = {
	TRIAL_COLS,
	SC_U64(IV, "interval", "", interval),
	SC_I64(IV, "t_ns", "ns", rel_ns),
	SC_U64(IV, "msgs", "msgs", msgs),
	SC_U64(IV, "bytes", "bytes", bytes),
	SC_DERIVED("msgs_per_s", SC_COL_F64, "msgs/s", 0, get_iv_mps, NULL),
	SC_DERIVED("gbit_per_s", SC_COL_F64, "Gbit/s", 4, get_iv_gbps, NULL),
};

const struct sc_schema sc_merged_intervals_schema = {"experiment intervals", interval_cols,
						     sizeof(interval_cols) / sizeof(interval_cols[0])};

void sc_merge_header(struct sc_csv *out, const struct sc_schema *s, const struct sc_experiment *e)
{
	sc_schema_write_header(out, s, e->sweep.n ? e->sweep.param : NULL);
}

/* True if flag word f is among the '|'-separated flags. */
static bool has_flag(const char *flags, const char *f)
{
	size_t n = strlen(f);

	for (const char *p = flags; (p = strstr(p, f)); p += n)
		if ((p == flags || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
			return true;
	return false;
}

/* The run-length list: a repeat of the last size rewrites its "SIZE*N"
 * in place. */
static void all_add(struct sc_read_sizes *rs, long long v)
{
	size_t room = rs->all_len > 5 ? rs->all_len - 5 : 0; /* keeps " ..." */
	size_t at = rs->count && v == rs->last ? rs->last_at : rs->all_used + (rs->all_used ? 1 : 0);
	char tok[48];
	int n;

	if (rs->all_cut || !rs->all_len)
		return;
	if (rs->count && v == rs->last)
		n = snprintf(tok, sizeof(tok), "%lld*%llu", v, rs->count + 1);
	else
		n = snprintf(tok, sizeof(tok), "%lld", v);
	if (n < 0 || at + (size_t)n >= room) {
		snprintf(rs->all + rs->all_used, rs->all_len - rs->all_used, "%s...", rs->all_used ? " " : "");
		rs->all_cut = true;
		return;
	}
	if (at > rs->all_used)
		rs->all[rs->all_used] = ' ';
	memcpy(rs->all + at, tok, (size_t)n + 1);
	rs->count = rs->count && v == rs->last ? rs->count + 1 : 1;
	rs->last = v;
	rs->last_at = at;
	rs->all_used = at + (size_t)n;
}

void sc_read_sizes_add(struct sc_read_sizes *rs, const struct sc_event_row *ev)
{
	int k;

	if (ev->returned <= 0 || has_flag(ev->flags, "fin") || has_flag(ev->flags, "foreign") ||
	    has_flag(ev->flags, "malformed"))
		return;
	if (rs->all)
		all_add(rs, (long long)ev->returned);
	if (rs->used + 16 >= rs->len)
		return;
	if (++rs->shown > 12) {
		snprintf(rs->buf + rs->used, rs->len - rs->used, "%s...", rs->used ? " " : "");
		rs->used = rs->len; /* nothing more */
		return;
	}
	k = snprintf(rs->buf + rs->used, rs->len - rs->used, "%s%lld", rs->used ? " " : "",
		     (long long)ev->returned);
	rs->used += k > 0 ? (size_t)k : 0;
}

/* Reads one CSV record from f into *buf (grown as needed): lines are
 * joined while a quote is open, so a quoted field may hold a line break.
 * The line ending is left for sc_next_record to strip. Returns the
 * record's length, 0 at end of file, or -errno. */
static ssize_t read_record(FILE *f, char **buf, size_t *cap)
{
	size_t used = 0;
	bool quoted = false;

	for (;;) {
		char *line = NULL;
		size_t lcap = 0;
		ssize_t n = getline(&line, &lcap, f);

		if (n < 0) {
			free(line);
			return ferror(f) ? -EIO : (ssize_t)used;
		}
		if (used + (size_t)n + 1 > *cap) {
			size_t c = (used + (size_t)n + 1) * 2;
			char *b = realloc(*buf, c);

			if (!b) {
				free(line);
				return -ENOMEM;
			}
			*buf = b;
			*cap = c;
		}
		memcpy(*buf + used, line, (size_t)n + 1);
		used += (size_t)n;
		for (ssize_t i = 0; i < n; i++)
			if (line[i] == '"')
				quoted = !quoted;
		free(line);
		if (!quoted)
			return (ssize_t)used;
	}
}

/* Reads the side file at path through schema `in`, one record at a time
 * into rec (of rec_size bytes), calls each(rec, arg) on it. The file is
 * streamed, never loaded whole: a side may have kept hundreds of
 * thousands of records. Returns the records read, or -errno / -EINVAL
 * (not such a file). */
static long each_record(const char *path, const struct sc_schema *in, void *rec, size_t rec_size,
			void (*each)(void *rec, void *arg), void *arg)
{
	struct sc_schema_map m;
	FILE *f = fopen(path, "re");
	char *buf = NULL, *p, *line;
	size_t cap = 0;
	ssize_t len;
	long n = 0;
	int r;

	if (!f)
		return -errno;
	len = read_record(f, &buf, &cap);
	p = buf;
	line = len > 0 ? sc_next_record(&p) : NULL;
	r = line ? sc_schema_map(&m, in, NULL, line) : len < 0 ? (int)len : -EINVAL;
	if (r < 0)
		goto out;
	while ((len = read_record(f, &buf, &cap)) > 0) {
		p = buf;
		line = sc_next_record(&p);
		memset(rec, 0, rec_size);
		if (line && *line && sc_schema_parse(&m, line, rec) == 0) {
			each(rec, arg);
			n++;
		}
	}
	sc_schema_map_free(&m);
	r = len < 0 ? (int)len : 0;
out:
	free(buf);
	fclose(f);
	return r < 0 ? r : n;
}

struct copy {
	struct sc_csv *out;
	const struct sc_merge_ctx *x;
	const struct sc_schema *s;
	uint64_t t0;
	struct sc_read_sizes *sizes;
};

static void copy_event(void *rec, void *arg)
{
	struct sc_event_row *ev = rec;
	struct copy *c = arg;

	ev->rel_ns = (int64_t)(ev->t_ns - c->t0);
	sc_schema_write_row(c->out, c->s, ev, c->x, c->x->e->sweep.n ? c->x->e->sweep.param : NULL);
	if (c->sizes)
		sc_read_sizes_add(c->sizes, ev);
}

static void copy_message(void *rec, void *arg)
{
	struct sc_message_row *m = rec;
	struct copy *c = arg;

	m->rel_ns = (int64_t)(m->recv_ns - c->t0);
	m->latency_ns += c->x->latency_shift_ns;
	sc_schema_write_row(c->out, c->s, m, c->x, c->x->e->sweep.n ? c->x->e->sweep.param : NULL);
}

long sc_merge_events(struct sc_csv *out, const char *path, const struct sc_merge_ctx *x, uint64_t t0,
		     struct sc_read_sizes *sizes)
{
	struct copy c = {out, x, &sc_merged_events_schema, t0, sizes};
	struct sc_event_row ev;

	return each_record(path, &sc_events_schema, &ev, sizeof(ev), copy_event, &c);
}

long sc_merge_messages(struct sc_csv *out, const char *path, const struct sc_merge_ctx *x, uint64_t t0)
{
	struct copy c = {out, x, &sc_merged_messages_schema, t0, NULL};
	struct sc_message_row m;

	return each_record(path, &sc_messages_schema, &m, sizeof(m), copy_message, &c);
}

static void copy_interval(void *rec, void *arg)
{
	struct sc_interval_row *v = rec;
	struct copy *c = arg;

	v->rel_ns = (int64_t)(v->start_ns - c->t0);
	sc_schema_write_row(c->out, c->s, v, c->x, c->x->e->sweep.n ? c->x->e->sweep.param : NULL);
}

long sc_merge_intervals(struct sc_csv *out, const char *path, const struct sc_merge_ctx *x, uint64_t t0)
{
	struct copy c = {out, x, &sc_merged_intervals_schema, t0, NULL};
	struct sc_interval_row v;

	return each_record(path, &sc_intervals_schema, &v, sizeof(v), copy_interval, &c);
}
