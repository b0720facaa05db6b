/* test_track.c - crafted arrival sequences and what the tracker makes of
 * them: loss (also at the end), duplicates kept apart from loss, RFC 4737
 * reordering and its extent, the bounded window, 64-bit edges; then a
 * pseudo-random sequence checked against a naive model. */
#include <stdlib.h>
#include <string.h>

#include "track.h"
#include "unit.h"

#define END (UINT64_MAX - 1) /* table terminator (a seq no table uses) */
#define W   SC_TRACK_WINDOW

static const struct {
	const char *name;
	uint64_t arrivals[16]; /* END-terminated */
	uint64_t sent;	       /* sender's count, or SC_TRACK_UNKNOWN */
	uint64_t lost, duplicated, reordered, max_extent, unique;
} cases[] = {
	{"in order", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, END}, 10, 0, 0, 0, 0, 10},
	{"nothing arrived", {END}, 5, 5, 0, 0, 0, 0},
	{"nothing arrived, count unknown", {END}, SC_TRACK_UNKNOWN, 0, 0, 0, 0, 0},
	{"loss at the end", {0, 1, 2, 3, 4, 5, 6, END}, 10, 3, 0, 0, 0, 7},
	{"loss at the end, count unknown", {0, 1, 2, 3, 4, 5, 6, END}, SC_TRACK_UNKNOWN, 0, 0, 0, 0, 7},
	{"loss at the start", {3, 4, END}, 5, 3, 0, 0, 0, 2},
	{"loss in the middle", {0, 1, 4, 5, END}, 6, 2, 0, 0, 0, 4},
	{"loss in the middle, count unknown", {0, 1, 4, 5, END}, SC_TRACK_UNKNOWN, 2, 0, 0, 0, 4},
	/* iperf3 would count 5 arrivals of 5 sent: no loss. Seq 3 is lost. */
	{"duplicate next to a loss", {0, 1, 2, 2, 4, END}, 5, 1, 1, 0, 0, 4},
	{"duplicate next to a loss, count unknown", {0, 1, 2, 2, 4, END}, SC_TRACK_UNKNOWN, 1, 1, 0, 0, 4},
	{"duplicate of the last", {0, 1, 2, 2, END}, 3, 0, 1, 0, 0, 3},
	{"three copies", {0, 0, 0, END}, 1, 0, 2, 0, 0, 1},
	{"adjacent swap", {0, 2, 1, 3, END}, 4, 0, 0, 1, 1, 4},
	/* RFC 4737: 1 arrives at index 4; the first later seq (3) arrived at
	 * index 1: extent 3. 2 arrives at index 5: extent 4. */
	{"RFC 4737 extents", {0, 3, 4, 5, 1, 2, END}, 6, 0, 0, 2, 4, 6},
	{"reordered then duplicated", {0, 2, 1, 1, END}, 3, 0, 1, 1, 1, 3},
	{"reversed", {4, 3, 2, 1, 0, END}, 5, 0, 0, 4, 4, 5},
	{"loss and reordering", {0, 2, 3, 1, 5, END}, 7, 2, 0, 1, 2, 5},
	/* A corrupted copy of seq 2 arrived too: side.c never feeds it to the
	 * tracker (its seq cannot be trusted, and anyone can send one), so
	 * seq 2 is lost like any message that never arrived intact. */
	{"a corrupted copy is still lost", {0, 1, 3, END}, 5, 2, 0, 0, 0, 3},
	{"a corrupted copy is still lost, count unknown", {0, 1, 3, END}, SC_TRACK_UNKNOWN, 1, 0, 0, 0, 3},
};

START_TEST(sequences)
{
	struct sc_track t;

	sc_track_init(&t);
	for (int i = 0; cases[_i].arrivals[i] != END; i++)
		sc_track_add(&t, cases[_i].arrivals[i], NULL);
#define CHECK(what, got)                                                                          \
	ck_assert_msg((got) == cases[_i].what, "%s: %s = %llu, want %llu", cases[_i].name, #what, \
		      (unsigned long long)(got), (unsigned long long)cases[_i].what)
	CHECK(lost, sc_track_lost(&t, cases[_i].sent));
	CHECK(duplicated, t.duplicated);
	CHECK(reordered, t.reordered);
	CHECK(max_extent, t.max_extent);
	CHECK(unique, t.unique);
#undef CHECK
	ck_assert_msg(t.stale == 0, "%s: stale = %llu", cases[_i].name, (unsigned long long)t.stale);
}
END_TEST

#define I SC_TRACK_IN_ORDER
#define R SC_TRACK_REORDERED
#define D SC_TRACK_DUPLICATE

/* What each arrival is, and the extent reported with it. */
static const struct {
	const char *name;
	struct {
		uint64_t seq;
		enum sc_track_kind kind;
		uint64_t extent;
	} step[8]; /* ends at seq END */
} kinds[] = {
	{"RFC 4737 example", {{0, I, 0}, {3, I, 0}, {4, I, 0}, {5, I, 0}, {1, R, 3}, {2, R, 4}, {END, I, 0}}},
	{"duplicate of a reordered message",
	 {{0, I, 0}, {5, I, 0}, {6, I, 0}, {3, R, 2}, {3, D, 0}, {5, D, 0}, {END, I, 0}}},
	/* The extent counts from the first later-numbered arrival (2 at
	 * index 1), not from the highest (9 at index 2). */
	{"extent from the first later arrival", {{0, I, 0}, {2, I, 0}, {9, I, 0}, {1, R, 2}, {END, I, 0}}},
	{"first message copied", {{0, I, 0}, {0, D, 0}, {1, I, 0}, {END, I, 0}}},
	{"start above zero", {{5, I, 0}, {0, R, 1}, {6, I, 0}, {1, R, 3}, {END, I, 0}}},
};

#undef I
#undef R
#undef D

START_TEST(kind_and_extent)
{
	struct sc_track t;

	sc_track_init(&t);
	for (int i = 0; kinds[_i].step[i].seq != END; i++) {
		uint64_t e = 99;
		enum sc_track_kind k = sc_track_add(&t, kinds[_i].step[i].seq, &e);

		ck_assert_msg(k == kinds[_i].step[i].kind, "%s: arrival %d (seq %llu) kind %d, want %d",
			      kinds[_i].name, i, (unsigned long long)kinds[_i].step[i].seq, k,
			      kinds[_i].step[i].kind);
		ck_assert_msg(e == kinds[_i].step[i].extent, "%s: arrival %d extent %llu, want %llu",
			      kinds[_i].name, i, (unsigned long long)e,
			      (unsigned long long)kinds[_i].step[i].extent);
	}
}
END_TEST

START_TEST(stale_beyond_window)
{
	struct sc_track t;
	uint64_t e = 99;

	sc_track_init(&t);
	sc_track_add(&t, 0, NULL);
	sc_track_add(&t, W + 10, NULL); /* the window is now [11, W + 11) */
	ck_assert_int_eq(sc_track_add(&t, 5, &e), SC_TRACK_STALE);
	ck_assert_uint_eq(e, 0);
	ck_assert_uint_eq(t.stale, 1);
	ck_assert_uint_eq(t.reordered, 1);  /* stale is late, so reordered too */
	ck_assert_uint_eq(t.max_extent, 1); /* W + 10 arrived just before */
	/* Within the window, duplicates are still told apart. */
	ck_assert_int_eq(sc_track_add(&t, W + 10, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 11, NULL), SC_TRACK_REORDERED);
	ck_assert_int_eq(sc_track_add(&t, 11, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 10, NULL), SC_TRACK_STALE);
	/* A stale copy cannot be told from a first copy: counted unique. */
	ck_assert_int_eq(sc_track_add(&t, 0, NULL), SC_TRACK_STALE);
	ck_assert_uint_eq(t.unique, 6);
	ck_assert_uint_eq(t.stale, 3);
	ck_assert_uint_eq(t.duplicated, 2);
	ck_assert_uint_eq(sc_track_lost(&t, W + 11), W + 11 - 6);
}
END_TEST

START_TEST(window_slides_exactly)
{
	struct sc_track t;

	/* Every seq in order for three windows; then a copy of each seq the
	 * window still covers is a duplicate and one below it is stale. */
	sc_track_init(&t);
	for (uint64_t s = 0; s < 3 * W; s++)
		ck_assert_int_eq(sc_track_add(&t, s, NULL), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, 2 * W, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 3 * W - 1, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 2 * W - 1, NULL), SC_TRACK_STALE);
	ck_assert_uint_eq(sc_track_lost(&t, 3 * W), 0);
	ck_assert_uint_eq(t.reordered, 1);
}
END_TEST

/* Slides by less than a window, aligned and not with the ring's words. */
static const uint64_t shifts[] = {1, 63, 64, 65, 128, W / 2 + 37, W - 64, W - 1};

START_TEST(partial_slide_clears_what_leaves)
{
	uint64_t d = shifts[_i], top = W - 1 + d;
	struct sc_track t;

	/* A full window 0..W-1, then top = W-1+d moves it to [d, top]: the
	 * bits of 0..d-1 are reused by W..top-1, which never arrived. */
	sc_track_init(&t);
	for (uint64_t s = 0; s < W; s++)
		sc_track_add(&t, s, NULL);
	ck_assert_int_eq(sc_track_add(&t, top, NULL), SC_TRACK_IN_ORDER);
	ck_assert_msg(sc_track_add(&t, d - 1, NULL) == SC_TRACK_STALE, "shift %llu: seq d-1 not stale",
		      (unsigned long long)d);
	for (uint64_t s = d; s < W; s++)
		ck_assert_msg(sc_track_add(&t, s, NULL) == SC_TRACK_DUPLICATE,
			      "shift %llu: seq %llu not a copy", (unsigned long long)d,
			      (unsigned long long)s);
	for (uint64_t s = W; s < top; s++)
		ck_assert_msg(sc_track_add(&t, s, NULL) == SC_TRACK_REORDERED,
			      "shift %llu: seq %llu taken for a copy", (unsigned long long)d,
			      (unsigned long long)s);
	ck_assert_uint_eq(sc_track_lost(&t, top + 1), 0);
}
END_TEST

START_TEST(huge_jumps_are_cheap)
{
	struct sc_track t;

	/* Clearing the window bit by bit over the jump would take hours;
	 * Check's timeout fails the test long before. */
	sc_track_init(&t);
	sc_track_add(&t, 0, NULL);
	ck_assert_int_eq(sc_track_add(&t, 1000000000000ull, NULL), SC_TRACK_IN_ORDER);
	ck_assert_uint_eq(sc_track_lost(&t, SC_TRACK_UNKNOWN), 1000000000000ull - 1);
	ck_assert_int_eq(sc_track_add(&t, 1, NULL), SC_TRACK_STALE);
	for (uint64_t k = 2; k < 2000; k++)
		ck_assert_int_eq(sc_track_add(&t, k * 1000000000000ull, NULL), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, 1999 * 1000000000000ull, NULL), SC_TRACK_DUPLICATE);
}
END_TEST

START_TEST(top_of_range)
{
	struct sc_track t;
	uint64_t e;

	sc_track_init(&t);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 10, NULL), SC_TRACK_IN_ORDER);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 10, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 12, &e), SC_TRACK_REORDERED);
	ck_assert_uint_eq(e, 2);
	ck_assert_uint_eq(t.next_exp, UINT64_MAX - 9);
	ck_assert_uint_eq(sc_track_lost(&t, SC_TRACK_UNKNOWN), UINT64_MAX - 9 - 2);
	/* The very top: NextExp saturates, the window still finds copies. */
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX, NULL), SC_TRACK_IN_ORDER);
	ck_assert_uint_eq(t.next_exp, UINT64_MAX);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 1, &e), SC_TRACK_REORDERED);
	ck_assert_uint_eq(e, 2); /* UINT64_MAX arrived two arrivals before */
	ck_assert_int_eq(sc_track_add(&t, UINT64_MAX - 10, NULL), SC_TRACK_DUPLICATE);
	ck_assert_int_eq(sc_track_add(&t, 3, NULL), SC_TRACK_STALE);
	ck_assert_uint_eq(t.duplicated, 3);
}
END_TEST

START_TEST(extent_past_the_breaker_ring)
{
	const uint64_t n = SC_TRACK_BREAKERS + 900;
	struct sc_track t;
	uint64_t e;

	/* Seq 5 is held back while n others arrive in order: its true extent
	 * is n - 5 (seq 6 arrived at index 5), but only the last BREAKERS
	 * record breakers are kept, so the oldest gives a lower bound. */
	sc_track_init(&t);
	for (uint64_t s = 0; s <= n; s++)
		if (s != 5)
			sc_track_add(&t, s, NULL);
	ck_assert_int_eq(sc_track_add(&t, 5, &e), SC_TRACK_REORDERED);
	ck_assert_uint_eq(e, SC_TRACK_BREAKERS);
	ck_assert_uint_le(e, n - 5);
	ck_assert_uint_eq(t.max_extent, e);
}
END_TEST

START_TEST(lost_count_never_negative)
{
	ck_assert_uint_eq(sc_track_lost_count(10, 7), 3);
	ck_assert_uint_eq(sc_track_lost_count(10, 10), 0);
	ck_assert_uint_eq(sc_track_lost_count(0, 5), 0);
	ck_assert_uint_eq(sc_track_lost_count(UINT64_MAX - 1, UINT64_MAX), 0);
	ck_assert_uint_eq(sc_track_lost_count(UINT64_MAX, 0), UINT64_MAX);
}
END_TEST

/* A fixed-seed generator, so a failure can be replayed. */
static uint64_t rng(uint64_t *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return *x >> 33;
}

START_TEST(matches_naive_model)
{
	enum { N = 4000 }; /* fewer than SC_TRACK_BREAKERS: extents are exact */
	static uint64_t seq[N];
	uint64_t x = 42, hi = 0, next_exp = 0, want_max = 0;
	uint64_t want[4] = {0}; /* per kind */
	struct sc_track t;

	sc_track_init(&t);
	for (int i = 0; i < N; i++) {
		uint64_t r = rng(&x) % 100, s, base, e, want_e = 0;
		enum sc_track_kind k, want_k;
		int dup = 0;

		if (r < 60)
			s = hi + 1;
		else if (r < 70)
			s = hi + 1 + rng(&x) % 10;
		else if (r < 73)
			s = hi + W / 2 + rng(&x) % (2 * W); /* partial or full slide */
		else if (r < 88)
			s = hi - rng(&x) % 50 % (hi + 1); /* recent: copy or late */
		else if (r < 95)
			s = hi - rng(&x) % (2 * W) % (hi + 1); /* may be stale */
		else
			s = i ? seq[i - 1] : 0;
		seq[i] = s;
		/* The model: a full memory of every arrival. */
		base = next_exp > W ? next_exp - W : 0;
		for (int j = 0; j < i && !dup; j++)
			dup = seq[j] == s;
		if (s < base)
			want_k = SC_TRACK_STALE;
		else if (dup)
			want_k = SC_TRACK_DUPLICATE;
		else if (s >= next_exp)
			want_k = SC_TRACK_IN_ORDER;
		else
			want_k = SC_TRACK_REORDERED;
		if (want_k == SC_TRACK_STALE || want_k == SC_TRACK_REORDERED) {
			int j = 0;

			while (seq[j] <= s)
				j++;
			want_e = (uint64_t)(i - j);
			if (want_e > want_max)
				want_max = want_e;
		}
		if (want_k == SC_TRACK_IN_ORDER) {
			next_exp = s + 1;
			hi = s;
		}
		want[want_k]++;
		k = sc_track_add(&t, s, &e);
		ck_assert_msg(k == want_k, "arrival %d (seq %llu): kind %d, want %d", i,
			      (unsigned long long)s, k, want_k);
		if (k == SC_TRACK_REORDERED)
			ck_assert_msg(e == want_e, "arrival %d: extent %llu, want %llu", i,
				      (unsigned long long)e, (unsigned long long)want_e);
	}
	ck_assert_uint_eq(t.unique,
			  want[SC_TRACK_IN_ORDER] + want[SC_TRACK_REORDERED] + want[SC_TRACK_STALE]);
	ck_assert_uint_eq(t.duplicated, want[SC_TRACK_DUPLICATE]);
	ck_assert_uint_eq(t.reordered, want[SC_TRACK_REORDERED] + want[SC_TRACK_STALE]);
	ck_assert_uint_eq(t.stale, want[SC_TRACK_STALE]);
	ck_assert_uint_eq(t.max_extent, want_max);
	/* The mix must have exercised every kind, or the test proves little. */
	for (int k = 0; k < 4; k++)
		ck_assert_msg(want[k] > 0, "kind %d never generated", k);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("track");
	TCase *tc = tcase_create("track");

	/* Check's 4 s default is a timed assertion in disguise: the window
	 * tests walk 3 x 65536 seqs, which took over 4 s at load 10 here.
	 * ctest's own timeout (60 s) still catches a hang. */
	tcase_set_timeout(tc, 50);

	tcase_add_loop_test(tc, sequences, 0, NELEM(cases));
	tcase_add_loop_test(tc, kind_and_extent, 0, NELEM(kinds));
	tcase_add_test(tc, stale_beyond_window);
	tcase_add_test(tc, window_slides_exactly);
	tcase_add_loop_test(tc, partial_slide_clears_what_leaves, 0, NELEM(shifts));
	tcase_add_test(tc, huge_jumps_are_cheap);
	tcase_add_test(tc, top_of_range);
	tcase_add_test(tc, extent_past_the_breaker_ring);
	tcase_add_test(tc, lost_count_never_negative);
	tcase_add_test(tc, matches_naive_model);
	suite_add_tcase(s, tc);
	return s;
}
