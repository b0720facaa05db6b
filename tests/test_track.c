/* test_track.c - crafted arrival sequences and what the tracker makes of
 * them: loss (also at the end), duplicates apart from loss, RFC 4737
 * reordering and its extent, the bounded window. */
#include <string.h>

#include "track.h"
#include "unit.h"

#define END UINT64_MAX - 1 /* table terminator (a seq no test uses) */

static const struct {
	const char *name;
	uint64_t arrivals[16]; /* END-terminated */
	uint64_t sent;         /* sender's count, or SC_TRACK_UNKNOWN */
	uint64_t unusable;     /* corrupted arrivals */
	uint64_t lost, duplicated, reordered, max_extent, unique;
} cases[] = {
	{"in order", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, END}, 10, 0, 0, 0, 0, 0, 10},
	{"nothing arrived", {END}, 5, 0, 5, 0, 0, 0, 0},
	{"loss at the end", {0, 1, 2, 3, 4, 5, 6, END}, 10, 0, 3, 0, 0, 0, 7},
	{"loss at the end, count unknown", {0, 1, 2, 3, 4, 5, 6, END}, SC_TRACK_UNKNOWN, 0, 0, 0, 0, 0, 7},
	{"loss at the start", {3, 4, END}, 5, 0, 3, 0, 0, 0, 2},
	{"loss in the middle", {0, 1, 4, 5, END}, 6, 0, 2, 0, 0, 0, 4},
	{"gap seen without count", {0, 1, 4, 5, END}, SC_TRACK_UNKNOWN, 0, 2, 0, 0, 0, 4},
	{"duplicate next to a loss", {0, 1, 2, 2, 4, END}, 5, 0, 1, 1, 0, 0, 4},
	{"duplicate of the last", {0, 1, 2, 2, END}, 3, 0, 0, 1, 0, 0, 3},
	{"three copies", {0, 0, 0, END}, 1, 0, 0, 2, 0, 0, 1},
	{"adjacent swap", {0, 2, 1, 3, END}, 4, 0, 0, 0, 1, 1, 4},
	/* RFC 4737: 1 arrives 5th (index 4); the first later seq (3) arrived
	 * at index 1: extent 3. 2 arrives at index 5: extent 4. */
	{"RFC 4737 extents", {0, 3, 4, 5, 1, 2, END}, 6, 0, 0, 0, 2, 4, 6},
	{"reordered then duplicated", {0, 2, 1, 1, END}, 3, 0, 0, 1, 1, 1, 3},
	{"reversed", {4, 3, 2, 1, 0, END}, 5, 0, 0, 0, 4, 4, 5},
	{"corrupted arrivals are not lost", {0, 1, 3, END}, 5, 1, 1, 0, 0, 0, 3},
	{"more corrupted than missing", {0, 1, 2, END}, 3, 2, 0, 0, 0, 0, 3},
};

START_TEST(sequences)
{
	struct sc_track t;

	sc_track_init(&t);
	for (int i = 0; cases[_i].arrivals[i] != END; i++)
		sc_track_add(&t, cases[_i].arrivals[i], NULL);
#define CHECK(what, got)                                                                      \
	ck_assert_msg((got) == cases[_i].what, "%s: %s = %llu, want %llu", cases[_i].name, #what, \
		      (unsigned long long)(got), (unsigned long long)cases[_i].what)
	CHECK(lost, sc_track_lost(&t, cases[_i].sent, cases[_i].unusable));
	CHECK(duplicated, t.duplicated);
	CHECK(reordered, t.reordered);
	CHECK(max_extent, t.max_extent);
	CHECK(unique, t.unique);
#undef CHECK
}
END_TEST

START_TEST(kinds_and_extent)
{
	struct sc_track t;
	uint64_t e;

	sc_track_init(&t);
	ck_assert_int_eq(sc_track_add(&t, 0, &e), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, 5, &e), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, 6, &e), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, 3, &e), SC_TRACK_REORDERED);
	ck_assert_uint_eq(e, 2); /* 5 arrived at index 1, 3 at index 3 */
	ck_assert_int_eq(sc_track_add(&t, 3, &e), SC_TRACK_DUPLICATE);
	ck_assert_uint_eq(e, 0);
	ck_assert_int_eq(sc_track_add(&t, 5, &e), SC_TRACK_DUPLICATE);
}
END_TEST

START_TEST(stale_beyond_window)
{
	struct sc_track t;

	sc_track_init(&t);
	sc_track_add(&t, 0, NULL);
	sc_track_add(&t, SC_TRACK_WINDOW + 10, NULL);
	ck_assert_int_eq(sc_track_add(&t, 5, NULL), SC_TRACK_STALE);
	ck_assert_uint_eq(t.stale, 1);
	ck_assert_uint_eq(t.reordered, 1);
	/* Within the window, duplicates are still told apart. */
	ck_assert_int_eq(sc_track_add(&t, SC_TRACK_WINDOW + 10, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 20, NULL), SC_TRACK_REORDERED);
	ck_assert_int_eq(sc_track_add(&t, 20, NULL), SC_TRACK_DUPLICATE);
}
END_TEST

START_TEST(window_slides_exactly)
{
	struct sc_track t;

	/* Every seq in order for three windows, then a copy of each seq the
	 * window still covers is a duplicate and one below it is stale. */
	sc_track_init(&t);
	for (uint64_t s = 0; s < 3 * SC_TRACK_WINDOW; s++)
		ck_assert_int_eq(sc_track_add(&t, s, NULL), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, 2 * SC_TRACK_WINDOW, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 3 * SC_TRACK_WINDOW - 1, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 2 * SC_TRACK_WINDOW - 1, NULL), SC_TRACK_STALE);
	ck_assert_uint_eq(sc_track_lost(&t, 3 * SC_TRACK_WINDOW, 0), 0);
}
END_TEST

START_TEST(huge_jump_and_top_of_range)
{
	struct sc_track t;

	sc_track_init(&t);
	sc_track_add(&t, 0, NULL);
	ck_assert_int_eq(sc_track_add(&t, 1000000000000ull, NULL), SC_TRACK_IN_ORDER);
	ck_assert_uint_eq(sc_track_lost(&t, SC_TRACK_UNKNOWN, 0), 1000000000000ull - 1);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 10, NULL), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 10, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 12, NULL), SC_TRACK_REORDERED);
	ck_assert_uint_eq(t.next_exp, UINT64_MAX - 9);
}
END_TEST

START_TEST(lost_count_never_negative)
{
	ck_assert_uint_eq(sc_track_lost_count(10, 7, 1), 2);
	ck_assert_uint_eq(sc_track_lost_count(10, 10, 3), 0);
	ck_assert_uint_eq(sc_track_lost_count(0, 5, 0), 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("track");
	TCase *tc = tcase_create("track");

	tcase_add_loop_test(tc, sequences, 0, NELEM(cases));
	tcase_add_test(tc, kinds_and_extent);
	tcase_add_test(tc, stale_beyond_window);
	tcase_add_test(tc, window_slides_exactly);
	tcase_add_test(tc, huge_jump_and_top_of_range);
	tcase_add_test(tc, lost_count_never_negative);
	suite_add_tcase(s, tc);
	return s;
}
