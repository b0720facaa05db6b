/* test_side.c - what a receiver counts when messages arrive truncated,
 * corrupted, twice or late (side.c on top of the tracker), and the flag
 * names written into the events file. */
#include <string.h>

#include "side.h"
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
	suite_add_tcase(s, tc);
	return s;
}
