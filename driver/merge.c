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

void sc_read_sizes_add(struct sc_read_sizes *rs, const struct sc_event_row *ev)
{
	int k;

	if (ev->returned <= 0 || has_flag(ev->flags, "fin") || has_flag(ev->flags, "foreign") ||
	    has_flag(ev->flags, "malformed") || rs->used + 16 >= rs->len)
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

/* Reads the side file at path through schema `in`, one record at a time
 * into rec (of rec_size bytes), calls each(rec, arg) on it. Returns the
 * records read, or -errno / -EINVAL (not such a file). */
static long each_record(const char *path, const struct sc_schema *in, void *rec, size_t rec_size,
			void (*each)(void *rec, void *arg), void *arg)
{
	struct sc_schema_map m;
	char *text = NULL, *p, *line;
	long n = 0;
	int r = sc_read_file(path, &text, NULL);

	if (r < 0)
		return r;
	p = text;
	line = sc_next_record(&p);
	r = line ? sc_schema_map(&m, in, NULL, line) : -EINVAL;
	if (r < 0) {
		free(text);
		return r;
	}
	while ((line = sc_next_record(&p))) {
		memset(rec, 0, rec_size);
		if (sc_schema_parse(&m, line, rec) == 0) {
			each(rec, arg);
			n++;
		}
	}
	sc_schema_map_free(&m);
	free(text);
	return n;
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
