/* test_rows.c - the column schemas round trip (write a record, read it
 * back, every column equal), readers find columns by name whatever their
 * number, and the one-way mode joins two summaries into a row. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "export.h"
#include "merge.h"
#include "mode.h"
#include "rows.h"
#include "side.h"
#include "summary.h"
#include "unit.h"

/* A scratch directory of our own, removed by the test. */
static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_rows-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Fills every column of rec with a value of its own (i-th column: i+1...),
 * going through the schema's setters so derived columns are covered too. */
static void fill(const struct sc_schema *s, void *rec, unsigned seed)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sc_column *c = &s->cols[i];
		char v[64];

		switch (c->type) {
		case SC_COL_BOOL: snprintf(v, sizeof(v), "%u", (unsigned)(i + seed) % 2); break;
		case SC_COL_STR: snprintf(v, sizeof(v), "s%zu, \"q\" %u", i, seed); break;
		case SC_COL_F64: snprintf(v, sizeof(v), "%zu.%u", 1000 + i, seed % 10); break;
		case SC_COL_I64: snprintf(v, sizeof(v), "-%zu", 1000 * i + seed); break;
		default: snprintf(v, sizeof(v), "%zu", 1000000 * i + seed); break;
		}
		sc_schema_set(c, rec, v);
	}
}

/* Every column of a and b formats the same (the writer's view). */
static void same(const struct sc_schema *s, const void *a, const void *b, const void *ctx)
{
	for (size_t i = 0; i < s->n; i++) {
		char x[300], y[300];

		if (s->cols[i].get && !s->cols[i].set)
			continue; /* written from the context, never read back */
		sc_schema_format(&s->cols[i], a, ctx, x, sizeof(x));
		sc_schema_format(&s->cols[i], b, ctx, y, sizeof(y));
		ck_assert_msg(strcmp(x, y) == 0, "%s column %s: wrote '%s', read '%s'", s->kind,
			      s->cols[i].name ? s->cols[i].name : "(swept)", x, y);
	}
}

static struct sc_experiment swept(void)
{
	struct sc_experiment e;

	memset(&e, 0, sizeof(e));
	snprintf(e.name, sizeof(e.name), "rt");
	snprintf(e.sweep.param, sizeof(e.sweep.param), "loss");
	e.sweep.n = 2;
	return e;
}

START_TEST(rows_round_trip)
{
	struct sc_experiment e = swept();
	struct sc_rows in = {0}, out = {0};
	char path[128];

	for (unsigned k = 0; k < 3; k++) {
		struct sc_row *w = sc_rows_add(&in);

		fill(&sc_rows_schema, w, k + 1);
		w->has_link_stats = k != 1; /* one row without link counters */
		w->has_retrans = k != 2;
	}
	snprintf(path, sizeof(path), "%s/rt.csv", dir);
	ck_assert_int_eq(sc_rows_write(&e, &in, path), 0);
	ck_assert_int_eq(sc_rows_read(&e, &out, path), 0);
	ck_assert_uint_eq(out.n, in.n);
	for (size_t i = 0; i < in.n; i++)
		same(&sc_rows_schema, &in.v[i], &out.v[i], &e);
	sc_rows_free(&in);
	sc_rows_free(&out);
}
END_TEST

START_TEST(summary_round_trip)
{
	struct sc_side_summary in, out;
	char path[128];

	memset(&in, 0, sizeof(in));
	fill(&sc_summary_schema, &in, 7);
	snprintf(path, sizeof(path), "%s/s-summary.csv", dir);
	ck_assert_int_eq(sc_summary_write(&in, path), 0);
	ck_assert_int_eq(sc_summary_read(&out, path), 0);
	same(&sc_summary_schema, &in, &out, NULL);
	in.has_sender_total = in.has_retrans = false; /* empty fields read back as absent */
	ck_assert_int_eq(sc_summary_write(&in, path), 0);
	ck_assert_int_eq(sc_summary_read(&out, path), 0);
	ck_assert(!out.has_sender_total && !out.has_retrans);
	same(&sc_summary_schema, &in, &out, NULL);
}
END_TEST

/* What a side writes is what the driver reads: sc_side_write's summary. */
START_TEST(side_summary_read_back)
{
	struct sc_side s;
	struct sc_side_summary sum;
	char prefix[128], path[160], err[256];

	ck_assert_int_eq(sc_side_init(&s, "recv", "udp", 2), 0);
	s.sender_total = 5;
	for (uint64_t q = 0; q < 4; q++)
		sc_side_received(&s, q, 1000, 1000 + 10 * (q + 1), 64, false, false);
	snprintf(prefix, sizeof(prefix), "%s/t1-recv", dir);
	ck_assert_int_eq(sc_side_write(&s, prefix, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s-summary.csv", prefix);
	ck_assert_int_eq(sc_summary_read(&sum, path), 0);
	ck_assert_str_eq(sum.role, "recv");
	ck_assert_uint_eq(sum.msgs, 4);
	ck_assert_uint_eq(sum.lost, 1);
	ck_assert(sum.has_sender_total);
	ck_assert_uint_eq(sum.sender_total, 5);
	ck_assert_uint_eq(sum.records_dropped, 2); /* cap 2, 4 messages */
	/* Past the cap, the percentiles cover every message (the histogram,
	 * exact below 128 ns): latencies 10, 20, 30, 40. */
	ck_assert_uint_eq(sum.lat_msgs, 4);
	ck_assert(!sum.lat_exact);
	ck_assert_int_eq(sum.lat_p50_ns, 20);
	ck_assert_int_eq(sum.lat_max_ns, 40);
	sc_side_free(&s);

	/* Every record kept: exact, over the records. */
	ck_assert_int_eq(sc_side_init(&s, "recv", "udp", 8), 0);
	for (uint64_t q = 0; q < 4; q++)
		sc_side_received(&s, q, 1000, 1000 + 1000 * (q + 1), 64, false, false);
	ck_assert_int_eq(sc_side_write(&s, prefix, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_summary_read(&sum, path), 0);
	ck_assert_uint_eq(sum.lat_msgs, 4);
	ck_assert(sum.lat_exact);
	ck_assert_int_eq(sum.lat_p50_ns, 2000);
	ck_assert_int_eq(sum.lat_p999_ns, 4000);
	sc_side_free(&s);
}
END_TEST

/* Writes text to dir/name and returns the path. */
static const char *put(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* 100 unknown columns first (the old reader kept 80 names in 64 slots),
 * then the ones we know, in another order than the writer's. */
START_TEST(many_columns)
{
	struct sc_experiment e = swept();
	struct sc_rows r = {0};
	struct sc_side_summary s;
	size_t cap = 8192, used = 0;
	char *text = malloc(cap);

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 100; i++)
			used += (size_t)snprintf(text + used, cap - used, "%s%d,", pass ? "" : "future_", i);
		used += (size_t)snprintf(text + used, cap - used, "%s",
					 pass ? "udp,3,2,5%,7,0\r\n" : "transport,trial,point,loss,lost,status\r\n");
	}
	ck_assert_int_eq(sc_rows_read(&e, &r, put("many.csv", text)), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.v[0].transport, "udp");
	ck_assert_uint_eq(r.v[0].trial, 3);
	ck_assert_uint_eq(r.v[0].point, 1);
	ck_assert_str_eq(r.v[0].value, "5%");
	ck_assert_uint_eq(r.v[0].lost, 7);
	used = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 100; i++)
			used += (size_t)snprintf(text + used, cap - used, "%s%d,", pass ? "" : "x", i);
		used += (size_t)snprintf(text + used, cap - used, "%s",
					 pass ? "recv,12,\r\n" : "role,msgs,sender_total\r\n");
	}
	ck_assert_int_eq(sc_summary_read(&s, put("many-summary.csv", text)), 0);
	ck_assert_str_eq(s.role, "recv");
	ck_assert_uint_eq(s.msgs, 12);
	ck_assert(!s.has_sender_total);
	free(text);
	sc_rows_free(&r);
}
END_TEST

static const struct {
	const char *name, *text;
	int want;
} bad_files[] = {
	{"empty", "", -EINVAL},
	{"header only", "role,msgs\r\n", -EINVAL},
	{"not ours", "a,b\r\n1,2\r\n", -EINVAL},
	{"short row", "role,msgs\r\nrecv\r\n", -EINVAL},
	{"bad quote", "role,msgs\r\n\"recv,1\r\n", -EINVAL},
};

START_TEST(summary_refused)
{
	struct sc_side_summary s;

	ck_assert_msg(sc_summary_read(&s, put("bad-summary.csv", bad_files[_i].text)) == bad_files[_i].want,
		      "%s", bad_files[_i].name);
}
END_TEST

START_TEST(rows_skip_torn)
{
	struct sc_experiment e = swept();
	struct sc_rows r = {0};

	ck_assert_int_eq(sc_rows_read(&e, &r, put("torn.csv", "transport,trial,lost\r\ntcp,1,0\r\nudp,1\r\n"
							       "udp,2,4\r\n")), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.v[1].lost, 4);
	sc_rows_free(&r);
	ck_assert_int_eq(sc_rows_read(&e, &r, put("notrows.csv", "role,msgs\r\nrecv,1\r\n")), -EINVAL);
	sc_rows_free(&r);
}
END_TEST

/* Numbers out of any integer's range in a rows file saturate (fuzz_rows
 * found 1.76e24 ms converted to uint64_t: undefined behaviour). */
START_TEST(rows_out_of_range)
{
	struct sc_experiment e = swept();
	struct sc_rows r = {0};

	ck_assert_int_eq(sc_rows_read(&e, &r, put("huge.csv", "transport,trial,duration_ms,lat_p50_us,"
							      "lat_max_us\r\n"
							      "tcp,1,1.76e24,-1e300,nan\r\n"
							      "udp,1,-5,1e300,2.5\r\n")), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.v[0].last_recv_ns - r.v[0].first_send_ns, UINT64_MAX);
	ck_assert_int_eq(r.v[0].lat_p50, INT64_MIN);
	ck_assert_int_eq(r.v[0].lat_max, 0);
	ck_assert_uint_eq(r.v[1].last_recv_ns, 0);
	ck_assert_int_eq(r.v[1].lat_p50, INT64_MAX);
	ck_assert_int_eq(r.v[1].lat_max, 2500);
	sc_rows_free(&r);
}
END_TEST

/* The one-way join: sides' summaries into the row, lost from the sender's
 * count, or from the count the receiver learnt when the sender left none. */
START_TEST(oneway_join)
{
	const struct sc_mode *m = sc_mode_find("oneway");
	struct sc_side_summary s[2];
	bool have[2] = {true, true};
	struct sc_row w;

	ck_assert_ptr_eq(m, sc_mode_default());
	ck_assert_uint_eq(m->nroles, 2);
	ck_assert(m->roles[0].listens && !m->roles[1].listens);
	memset(s, 0, sizeof(s));
	memset(&w, 0, sizeof(w));
	s[0] = (struct sc_side_summary){.role = "recv", .msgs = 9, .unique_msgs = 8, .duplicated = 1,
					.has_sender_total = true, .sender_total = 12, .lat_msgs = 8,
					.records_dropped = 3, .events_dropped = 4, .last_ns = 900};
	s[1] = (struct sc_side_summary){.role = "send", .msgs = 10, .calls = 10, .first_ns = 100,
					.events_dropped = 5};
	sc_mode_join(m, &w, s, have);
	ck_assert_uint_eq(w.sent_msgs, 10);
	ck_assert_uint_eq(w.lost, 2);
	ck_assert_uint_eq(w.duplicated, 1);
	ck_assert_uint_eq(w.send_events_dropped, 5);
	ck_assert_uint_eq(w.recv_events_dropped, 4);
	ck_assert_uint_eq(w.records_dropped, 3);
	ck_assert_uint_eq(w.lat_msgs, 8);
	ck_assert_uint_eq(w.last_recv_ns - w.first_send_ns, 800);
	memset(&w, 0, sizeof(w));
	have[1] = false;
	sc_mode_join(m, &w, s, have);
	ck_assert_uint_eq(w.lost, 4); /* 12 the receiver learnt - 8 */
	ck_assert_uint_eq(w.sent_msgs, 0);
}
END_TEST

/* The servers join: one summary (sockcmp __servers) gives the requests,
 * round trips, the latencies (through the same join as rr's client), and
 * the server's use; its percentiles are from a histogram, never exact. */
START_TEST(servers_join)
{
	const struct sc_mode *m = sc_mode_find("servers");
	struct sc_side_summary s[1];
	bool have[1] = {true};
	struct sc_row w;

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nroles, 1);
	memset(s, 0, sizeof(s));
	memset(&w, 0, sizeof(w));
	s[0] = (struct sc_side_summary){.role = "servers", .msgs = 100, .bytes = 6400, .unique_msgs = 98,
					.lost = 2, .conns = 3, .first_ns = 100, .last_ns = 1100,
					.lat_p50_ns = 20000, .lat_p90_ns = 30000, .lat_p99_ns = 40000,
					.lat_p999_ns = 45000, .lat_max_ns = 50000, .lat_msgs = 98,
					.lat_exact = true, .srv = {.model = "fork", .clients = 3, .pids = 4}};
	sc_mode_join(m, &w, s, have);
	ck_assert_uint_eq(w.sent_msgs, 100);
	ck_assert_uint_eq(w.round_trips, 98);
	ck_assert_uint_eq(w.lost, 2);
	ck_assert_uint_eq(w.conns, 3);
	ck_assert_int_eq(w.lat_p50, 20000);
	ck_assert_int_eq(w.lat_p90, 30000);
	ck_assert_int_eq(w.lat_p99, 40000);
	ck_assert_int_eq(w.lat_p999, 45000);
	ck_assert_int_eq(w.lat_max, 50000);
	ck_assert_uint_eq(w.lat_msgs, 98);
	ck_assert(!w.lat_exact);
	ck_assert_uint_eq(w.last_recv_ns - w.first_send_ns, 1000);
	ck_assert_str_eq(w.srv.model, "fork");
	ck_assert_uint_eq(w.srv.pids, 4);
}
END_TEST

/* The rr join: round-trip latencies and records from the client, the
 * server's counts into recv_*, never the server's one-way latencies; lost
 * are the requests without a reply. */
START_TEST(rr_join)
{
	const struct sc_mode *m = sc_mode_find("rr");
	struct sc_side_summary s[2];
	bool have[2] = {true, true};
	struct sc_row w;

	ck_assert_ptr_nonnull(m);
	memset(s, 0, sizeof(s));
	memset(&w, 0, sizeof(w));
	s[0] = (struct sc_side_summary){.role = "recv", .msgs = 10, .calls = 10, .bytes = 640,
					.unique_msgs = 10, .foreign = 2, .syscalls = 21, .first_ns = 150,
					.events_dropped = 6, .lat_p50_ns = 7, .lat_max_ns = 8,
					.lat_msgs = 10, .records_dropped = 9, .last_ns = 880};
	s[1] = (struct sc_side_summary){.role = "send", .msgs = 10, .calls = 10, .first_ns = 100,
					.unique_msgs = 9, .lat_p50_ns = 30000, .lat_p999_ns = 50000,
					.lat_max_ns = 90000, .lat_msgs = 9, .lat_exact = true,
					.records_dropped = 1, .conns = 1, .last_ns = 900};
	sc_mode_join(m, &w, s, have);
	ck_assert_uint_eq(w.round_trips, 9);
	ck_assert_uint_eq(w.lost, 1);
	ck_assert_int_eq(w.lat_p50, 30000);
	ck_assert_int_eq(w.lat_p999, 50000);
	ck_assert_int_eq(w.lat_max, 90000);
	ck_assert_uint_eq(w.lat_msgs, 9);
	ck_assert(w.lat_exact);
	ck_assert_uint_eq(w.records_dropped, 1);
	ck_assert_uint_eq(w.last_recv_ns, 900);
	ck_assert_uint_eq(w.recv_msgs, 10);
	ck_assert_uint_eq(w.recv_bytes, 640);
	ck_assert_uint_eq(w.foreign, 2);
	ck_assert_uint_eq(w.recv_syscalls, 21);
	ck_assert_uint_eq(w.recv_events_dropped, 6);
	ck_assert_uint_eq(w.first_recv_ns, 150);
	ck_assert_uint_eq(w.conns, 1);
}
END_TEST

START_TEST(argv_full)
{
	struct sc_argv b = {.n = 0};

	for (int i = 0; i < 200; i++)
		sc_argv_add(&b, "--word-%d", i);
	ck_assert(b.full);
	ck_assert_int_eq(b.n, 95);
	ck_assert_ptr_null(b.v[b.n]);
}
END_TEST

/* Means over the good trials of each point and transport; failed trials
 * left out; points in transport order. */
START_TEST(aggregate)
{
	struct sc_experiment e = swept();
	struct sc_rows r = {0};
	static const struct { const char *t; size_t point; uint64_t lost; int status; } in[] = {
		{"udp", 0, 10, 0}, {"udp", 0, 30, 0}, {"udp", 0, 99, 1}, {"udp", 1, 50, 0}, {"tcp", 1, 0, 0},
	};
	/* Points in transport order; x is the swept value's number; udp's
	 * first point has two good trials (lost 10 and 30) and one failed. */
	const char *want[] = {"rt,tcp,2%,2.000,2,1,100.000,0.000,0.000,0.000",
			      "rt,udp,1%,1.000,1,2,80.000,", "rt,udp,2%,2.000,2,1,50.000,0.000,50.000,0.000"};
	char path[128], *text = NULL, *p, *rec;
	size_t k = 0;

	e.ntransports = 2;
	e.transports[0] = sc_transport_find("tcp");
	e.transports[1] = sc_transport_find("udp");
	snprintf(e.sweep.values[0], SC_VALUE_MAX, "1%%");
	snprintf(e.sweep.values[1], SC_VALUE_MAX, "2%%");
	for (size_t i = 0; i < NELEM(in); i++) {
		struct sc_row *w = sc_rows_add(&r);

		snprintf(w->transport, sizeof(w->transport), "%s", in[i].t);
		w->point = in[i].point;
		w->sent_msgs = 100;
		w->lost = in[i].lost;
		w->status = in[i].status;
	}
	snprintf(path, sizeof(path), "%s/rt-aggregate.csv", dir);
	ck_assert_int_eq(sc_aggregate_write(&e, &r, path), 0);
	ck_assert_int_eq(sc_read_file(path, &text, NULL), 0);
	p = text;
	ck_assert_ptr_nonnull(sc_next_record(&p)); /* header */
	while ((rec = sc_next_record(&p)) && k < NELEM(want)) {
		ck_assert_msg(strncmp(rec, want[k], strlen(want[k])) == 0, "row %zu: %s, want %s...", k, rec, want[k]);
		k++;
	}
	ck_assert_uint_eq(k, NELEM(want));
	ck_assert_ptr_null(rec);
	free(text);
	sc_rows_free(&r);
}
END_TEST

static const struct {
	const char *name;
	struct sc_event_row ev[16];
	int n;
	const char *want, *all; /* read_sizes, read_sizes_all */
} sizes[] = {
	{"data reads only", {{.returned = 512}, {.returned = 0, .flags = "eof"}, {.returned = 100, .flags = "fin"},
			     {.returned = 36, .flags = "foreign"}, {.returned = -11, .flags = "error"},
			     {.returned = 64, .flags = "trunc|dup"}}, 6, "512 64", "512 64"},
	{"a flag that only contains fin", {{.returned = 7, .flags = "finish"}}, 1, "7", "7"},
	{"twelve, then ...", {{.returned = 1}, {.returned = 2}, {.returned = 3}, {.returned = 4}, {.returned = 5},
			      {.returned = 6}, {.returned = 7}, {.returned = 8}, {.returned = 9}, {.returned = 10},
			      {.returned = 11}, {.returned = 12}, {.returned = 13}, {.returned = 14}}, 14,
	 "1 2 3 4 5 6 7 8 9 10 11 12 ...", "1 2 3 4 5 6 7 8 9 10 11 12 13 14"},
	/* issue 10 §5: the whole list, runs coded SIZE*N */
	{"runs", {{.returned = 512}, {.returned = 512}, {.returned = 512}, {.returned = 488}, {.returned = 512},
		  {.returned = 512}, {.returned = 2560}, {.returned = 2560}}, 8,
	 "512 512 512 488 512 512 2560 2560", "512*3 488 512*2 2560*2"},
	{"one run", {{.returned = 64}, {.returned = 64}, {.returned = 64}, {.returned = 64}, {.returned = 64},
		     {.returned = 64}, {.returned = 64}, {.returned = 64}, {.returned = 64}, {.returned = 64},
		     {.returned = 64}, {.returned = 64}, {.returned = 64}, {.returned = 64}}, 14,
	 "64 64 64 64 64 64 64 64 64 64 64 64 ...", "64*14"},
};

START_TEST(read_sizes)
{
	char buf[96] = "", all[1024] = "";
	struct sc_read_sizes rs = {buf, sizeof(buf), 0, 0, all, sizeof(all), 0, 0, 0, 0, false};

	for (int i = 0; i < sizes[_i].n; i++)
		sc_read_sizes_add(&rs, &sizes[_i].ev[i]);
	ck_assert_msg(strcmp(buf, sizes[_i].want) == 0, "%s: '%s'", sizes[_i].name, buf);
	ck_assert_msg(strcmp(all, sizes[_i].all) == 0, "%s: all '%s'", sizes[_i].name, all);
}
END_TEST

/* A list longer than its room ends with " ..." and never overflows. */
START_TEST(read_sizes_all_cut)
{
	char buf[96] = "", all[32];
	struct sc_read_sizes rs = {buf, sizeof(buf), 0, 0, all, sizeof(all), 0, 0, 0, 0, false};

	memset(all, 'x', sizeof(all));
	all[0] = '\0';
	for (int i = 1; i <= 100; i++) {
		struct sc_event_row ev = {.returned = 1000 + i};

		sc_read_sizes_add(&rs, &ev);
	}
	ck_assert_msg(strlen(all) < sizeof(all) && strlen(all) > 4 && !strcmp(all + strlen(all) - 4, " ..."),
		      "'%s'", all);
}
END_TEST

static const struct {
	const char *script, *transport;
	const char *send, *recv; /* argv after the program's path, joined by spaces */
} argvs[] = {
	{"experiment a\ntransports udp\nsend 3 x 100\npause 20ms\nsend 2 x 60k\npace 1ms\nsndbuf 8k\n"
	 "recv 2560 after 50ms every 1ms waitall trunc rcvbuf 4k\n", "udp",
	 "--to ADDR --transport udp --send 3 x 100 --pause 20000us --send 2 x 61440 --pace 1000us "
	 "--sndbuf 8192 --token 7 --timeout 30000000us --max-records 99 --out P --quiet",
	 "--listen ADDR --transport udp --read 2560 --after 50000us --every 1000us --waitall --trunc "
	 "--rcvbuf 4096 --token 7 --idle 5022000us --linger 50000us --max-records 99 --out P --quiet"},
	{"experiment b\ntransports tcp\nsend 10 x 64\nend shutdown\nrecv 64k\ntimeout 2s\nlink delay 5ms\n", "tcp",
	 /* On a link both wait 120 s for each other (lost SYNs: mode.c). */
	 "--to ADDR --transport tcp --send 10 x 64 --end shutdown --token 7 --wait 120000000us --timeout 2000000us "
	 "--max-records 99 --out P --quiet",
	 "--listen ADDR --transport tcp --read 65536 --token 7 --wait 120000000us --idle 120000000us "
	 "--linger 500000us --max-records 99 --out P --quiet"},
	/* 'end' is a stream sender's: datagram-send has no --end. */
	{"experiment c\ntransports tcp udp\nsend 10 x 64\nend shutdown\nrecv 64k\n", "udp",
	 "--to ADDR --transport udp --send 10 x 64 --token 7 --timeout 30000000us --max-records 99 --out P --quiet",
	 "--listen ADDR --transport udp --read 65536 --token 7 --idle 5000000us --linger 50000us "
	 "--max-records 99 --out P --quiet"},
};

/* The one-way mode's argv: every part of the plan reaches its program. */
START_TEST(oneway_argv)
{
	const struct sc_mode *m = sc_mode_default();
	struct sc_experiment e;
	char err[256];

	ck_assert_int_eq(sc_script_parse(argvs[_i].script, strlen(argvs[_i].script), "a.exp", &e, err,
					 sizeof(err)), 0);
	for (size_t k = 0; k < 2; k++) {
		struct sc_side_args a = {"/bin", &e, sc_transport_find(argvs[_i].transport), "ADDR", 7, "P", 99, NULL};
		struct sc_argv b = {.n = 0};
		char got[1024] = "";
		size_t used = 0;

		m->roles[k].argv(&b, &a);
		ck_assert(!b.full);
		for (int i = 1; i < b.n; i++)
			used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s", i > 1 ? " " : "", b.v[i]);
		ck_assert_str_eq(got, m->roles[k].listens ? argvs[_i].recv : argvs[_i].send);
		ck_assert_str_eq(b.v[0], m->roles[k].listens ? (a.t->bytestream ? "/bin/stream-recv" : "/bin/datagram-recv")
							     : (a.t->bytestream ? "/bin/stream-send" : "/bin/datagram-send"));
	}
}
END_TEST

/* The JSON rounds a value as the CSV prints it. 240.95 (240,950 ns in
 * us) is 240.9499... in binary: printed 240.9, while round(v * 10) / 10,
 * the old way, gave 241 (it_json failed on such a latency under load). */
static const struct {
	double v;
	int dec;
} roundings[] = {
	{240.95, 1}, {0.05, 1}, {1.0005, 3}, {2.675, 2}, {12345.65, 1}, {0.0, 1}, {-1.25, 1}, {1e300, 3},
	{999999.95, 1}, {3.14159, 0},
};

START_TEST(export_round)
{
	char want[400], got[400];

	snprintf(want, sizeof(want), "%.*f", roundings[_i].dec, roundings[_i].v);
	snprintf(got, sizeof(got), "%.*f", roundings[_i].dec, sc_export_round(roundings[_i].v, roundings[_i].dec));
	ck_assert_str_eq(got, want);
	ck_assert_msg(sc_export_round(roundings[_i].v, roundings[_i].dec) == strtod(want, NULL), "%g: %s", roundings[_i].v,
		      want);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("rows");
	TCase *tc = tcase_create("rows");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rows_round_trip);
	tcase_add_loop_test(tc, export_round, 0, NELEM(roundings));
	tcase_add_test(tc, summary_round_trip);
	tcase_add_test(tc, side_summary_read_back);
	tcase_add_test(tc, many_columns);
	tcase_add_loop_test(tc, summary_refused, 0, NELEM(bad_files));
	tcase_add_test(tc, rows_skip_torn);
	tcase_add_test(tc, rows_out_of_range);
	tcase_add_test(tc, oneway_join);
	tcase_add_test(tc, servers_join);
	tcase_add_test(tc, rr_join);
	tcase_add_test(tc, argv_full);
	tcase_add_test(tc, aggregate);
	tcase_add_loop_test(tc, oneway_argv, 0, NELEM(argvs));
	tcase_add_loop_test(tc, read_sizes, 0, NELEM(sizes));
	tcase_add_test(tc, read_sizes_all_cut);
	suite_add_tcase(s, tc);
	return s;
}
