/* test_side.c - what a receiver counts when messages arrive truncated,
 * corrupted, twice or late (side.c on top of the tracker), and the flag
 * names written into the events file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exchange.h"
#include "side.h"
#include "summary.h"
#include "unit.h"

enum { OK, TRUNC, CORRUPT };

static const struct {
	const char *name;
	struct { uint64_t seq; int how; } in[8];
	int n;
	uint64_t sender_total;
	uint64_t msgs, truncated, corrupted, unique, lost, duplicated, reordered;
	int kinds[8];
} cases[] = {
	{"truncated datagrams still arrive", {{0, TRUNC}, {1, TRUNC}, {2, OK}}, 3, 3,
	 3, 2, 0, 3, 0, 0, 0, {SC_MSG_TRUNC, SC_MSG_TRUNC, SC_MSG_NEW}},
	{"a corrupted copy is no delivery", {{0, OK}, {1, CORRUPT}, {2, OK}}, 3, 3,
	 3, 0, 1, 2, 1, 0, 0, {SC_MSG_NEW, SC_MSG_CORRUPT, SC_MSG_NEW}},
	{"a forged far-ahead seq is not tracked", {{0, OK}, {1000000, CORRUPT}, {1, OK}}, 3, 2,
	 3, 0, 1, 2, 0, 0, 0, {SC_MSG_NEW, SC_MSG_CORRUPT, SC_MSG_NEW}},
	{"truncated duplicate", {{0, OK}, {0, TRUNC}}, 2, 1,
	 2, 1, 0, 1, 0, 1, 0, {SC_MSG_NEW, SC_MSG_DUP}},
	{"late and truncated", {{1, OK}, {0, TRUNC}}, 2, 2,
	 2, 1, 0, 2, 0, 0, 1, {SC_MSG_NEW, SC_MSG_REORDERED}},
	{"loss at the end, count from the end marker", {{0, OK}, {1, OK}}, 2, 5,
	 2, 0, 0, 2, 3, 0, 0, {SC_MSG_NEW, SC_MSG_NEW}},
};

START_TEST(accounting)
{
	struct sc_side s;

	ck_assert_int_eq(sc_side_init(&s, "recv", "udp", 16), 0);
	s.sender_total = cases[_i].sender_total;
	for (int i = 0; i < cases[_i].n; i++) {
		enum sc_msg_kind k = sc_side_received(&s, cases[_i].in[i].seq, 0, 1, 100,
						      cases[_i].in[i].how == CORRUPT,
						      cases[_i].in[i].how == TRUNC);

		ck_assert_msg((int)k == cases[_i].kinds[i], "%s: message %d kind %d, want %d", cases[_i].name,
			      i, k, cases[_i].kinds[i]);
	}
#define CHECK(what, got)                                                                      \
	ck_assert_msg((got) == cases[_i].what, "%s: %s = %llu, want %llu", cases[_i].name, #what, \
		      (unsigned long long)(got), (unsigned long long)cases[_i].what)
	CHECK(msgs, s.msgs);
	CHECK(truncated, s.truncated);
	CHECK(corrupted, s.corrupted);
	CHECK(unique, s.track.unique);
	CHECK(lost, sc_side_lost(&s));
	CHECK(duplicated, s.track.duplicated);
	CHECK(reordered, s.track.reordered);
#undef CHECK
	ck_assert_uint_eq(s.nmsg, (size_t)cases[_i].n);
	sc_side_free(&s);
}
END_TEST

START_TEST(bounded_records)
{
	struct sc_side s;
	struct sc_event e = {.requested = 1};

	ck_assert_int_eq(sc_side_init(&s, "recv", "udp", 2), 0);
	for (int i = 0; i < 5; i++) {
		sc_side_event(&s, &e);
		sc_side_received(&s, (uint64_t)i, 0, 1, 36, false, false);
	}
	ck_assert_uint_eq(s.nev, 2);
	ck_assert_uint_eq(s.ev_dropped, 3);
	ck_assert_uint_eq(s.nmsg, 2);
	ck_assert_uint_eq(s.msg_dropped, 3);
	ck_assert_uint_eq(s.track.unique, 5); /* the counts stay exact */
	sc_side_free(&s);
}
END_TEST

/* The raw-mode exchange log keeps its first rows and counts the rest; the
 * count reaches the summary (exchange_dropped) and survives a write and a
 * read of the summary file. */
START_TEST(exchange_dropped)
{
	char dir[] = "/tmp/test_side.XXXXXX", path[64];
	struct sc_side s;
	struct sc_exchange x;
	struct sc_side_summary w, r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x-summary.csv", dir);
	ck_assert_int_eq(sc_side_init(&s, "recv", "tcp", 16), 0);
	ck_assert_int_eq(sc_exchange_init(&x, 2), 0);
	s.xchg = &x;
	for (int i = 0; i < 5; i++)
		sc_exchange_add(&x, i % 2 ? 'o' : 'i', "abc", 3, NULL, 0);
	sc_side_summarize(&s, &w);
	ck_assert_uint_eq(w.exchange_dropped, 3);
	ck_assert_int_eq(sc_summary_write(&w, path), 0);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(sc_summary_read(&r, path), 0);
	ck_assert_uint_eq(r.exchange_dropped, 3);
	unlink(path);
	rmdir(dir);
	s.xchg = NULL;
	sc_side_summarize(&s, &w); /* no log (not --raw): nothing dropped */
	ck_assert_uint_eq(w.exchange_dropped, 0);
	sc_exchange_free(&x);
	sc_side_free(&s);
}
END_TEST

/* Pages of p[0..len) that are resident, by mincore(). */
static size_t resident(const void *p, size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(pg - 1);
	size_t n = ((uintptr_t)p + len - a + (size_t)pg - 1) / (size_t)pg, got = 0;
	unsigned char *v = malloc(n);

	ck_assert_int_eq(mincore((void *)a, n * (size_t)pg, v), 0);
	for (size_t i = 0; i < n; i++)
		got += v[i] & 1;
	free(v);
	return got;
}

/* Prefaulting makes the first records' memory resident before the timed
 * part (first touches cost ~1 us per message here), no more than asked
 * (capped at the capacity), and the records still start empty. */
static const struct {
	size_t cap, events, msgs;
} prefaults[] = {
	{200000, 200000, 200000}, {200000, 50000, 0}, {200000, 0, 120000}, {1000, 5000000, 5000000},
};

START_TEST(prefault)
{
	struct sc_side s;
	size_t cap = prefaults[_i].cap, ev = prefaults[_i].events, msg = prefaults[_i].msgs;
	size_t ev_len = (ev < cap ? ev : cap) * sizeof(*s.ev), msg_len = (msg < cap ? msg : cap) * sizeof(*s.msg);
	long pg = sysconf(_SC_PAGESIZE);

	ck_assert_int_eq(sc_side_init(&s, "recv", "udp", cap), 0);
	sc_side_prefault(&s, ev, msg);
	if (ev_len)
		ck_assert_msg(resident(s.ev, ev_len) * (size_t)pg >= ev_len, "case %d: events not resident", _i);
	if (msg_len)
		ck_assert_msg(resident(s.msg, msg_len) * (size_t)pg >= msg_len, "case %d: records not resident", _i);
	/* Far beyond what was asked for stays untouched (huge pages aside). */
	if (!msg_len && cap * sizeof(*s.msg) > (8u << 20))
		ck_assert_msg(resident(s.msg, cap * sizeof(*s.msg)) * (size_t)pg < cap * sizeof(*s.msg) / 2,
			      "case %d: untouched records resident", _i);
	ck_assert_uint_eq(s.nev, 0);
	ck_assert_uint_eq(s.nmsg, 0);
	ck_assert_uint_eq(s.ev[ev < cap ? (ev ? ev - 1 : 0) : cap - 1].t_ns, 0);
	sc_side_free(&s);
}
END_TEST

START_TEST(flag_names)
{
	char buf[128];

	sc_side_flags(SC_EV_TRUNC | SC_EV_FIN | SC_EV_ERROR, buf, sizeof(buf));
	ck_assert_str_eq(buf, "trunc|fin|error");
	sc_side_flags(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	sc_side_flags(SC_EV_SPLIT | SC_EV_MULTI, buf, 8);
	ck_assert_str_eq(buf, "split");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("side");
	TCase *tc = tcase_create("side");

	tcase_add_loop_test(tc, accounting, 0, NELEM(cases));
	tcase_add_test(tc, bounded_records);
	tcase_add_test(tc, flag_names);
	tcase_add_test(tc, exchange_dropped);
	tcase_add_loop_test(tc, prefault, 0, NELEM(prefaults));
	suite_add_tcase(s, tc);
	return s;
}
