/* test_hist.c - the constant-memory histogram: bucket arithmetic, and every
 * percentile within the stated bound of the exact nearest-rank value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "stats.h"
#include "unit.h"

static const struct {
	uint64_t m;
	unsigned bucket;
} buckets[] = {
	{0, 0}, {1, 1}, {127, 127}, {128, 128}, {129, 129}, {255, 255},
	{256, 256}, {257, 256}, {258, 257}, {511, 383}, {512, 384},
	{(uint64_t)1 << 63, 57 * 128}, {UINT64_MAX, 58 * 128 - 1},
};

START_TEST(bucket_index)
{
	unsigned b = sc_hist_bucket(buckets[_i].m);

	ck_assert_msg(b == buckets[_i].bucket, "%llu: bucket %u, want %u",
		      (unsigned long long)buckets[_i].m, b, buckets[_i].bucket);
	ck_assert_msg(sc_hist_low(b) <= buckets[_i].m &&
			      buckets[_i].m - sc_hist_low(b) < sc_hist_width(b),
		      "%llu: not inside its bucket [%llu, +%llu)", (unsigned long long)buckets[_i].m,
		      (unsigned long long)sc_hist_low(b), (unsigned long long)sc_hist_width(b));
}
END_TEST

/* Buckets tile the line: each starts where the one before it ends, and no
 * bucket is wider than 1/128 of its start. */
START_TEST(buckets_tile)
{
	for (unsigned i = 1; i < SC_HIST_BUCKETS; i++) {
		ck_assert_msg(sc_hist_low(i) == sc_hist_low(i - 1) + sc_hist_width(i - 1), "gap before %u", i);
		ck_assert_msg(i < SC_HIST_SUB || sc_hist_width(i) * SC_HIST_SUB <= sc_hist_low(i),
			      "bucket %u too wide", i);
		ck_assert_msg(sc_hist_bucket(sc_hist_low(i)) == i, "low of %u maps elsewhere", i);
	}
}
END_TEST

enum shape { UNIFORM, EXPONENTIAL, SMALL, CONSTANT, SIGNED, HUGE };
static const struct {
	const char *name;
	enum shape shape;
	size_t n;
} dists[] = {
	{"uniform 1us-10ms", UNIFORM, 100000}, {"heavy tail", EXPONENTIAL, 50000},
	{"small values exact", SMALL, 1000},   {"one value", CONSTANT, 777},
	{"both signs", SIGNED, 20000},         {"near the top", HUGE, 1000},
	{"single", UNIFORM, 1},
};

static int64_t sample(enum shape s, unsigned *seed)
{
	uint64_t r = (uint64_t)rand_r(seed) << 31 ^ (uint64_t)rand_r(seed);

	switch (s) {
	case UNIFORM: return 1000 + (int64_t)(r % 10000000);
	case EXPONENTIAL: return (int64_t)(r % 1000) << (r % 30);
	case SMALL: return (int64_t)(r % 128);
	case CONSTANT: return 4242424;
	case SIGNED: return (int64_t)(r % 2000000) - 1000000;
	case HUGE: return INT64_MAX - (int64_t)(r % 1000000);
	}
	return 0;
}

static const double ps[] = {0, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};

START_TEST(percentiles_within_bound)
{
	size_t n = dists[_i].n;
	int64_t *v = malloc(n * sizeof(*v));
	struct sc_hist *h = malloc(sizeof(*h));
	unsigned seed = 7 + (unsigned)_i;

	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(h);
	sc_hist_reset(h);
	for (size_t k = 0; k < n; k++) {
		v[k] = sample(dists[_i].shape, &seed);
		sc_hist_add(h, v[k]);
	}
	sc_sort_i64(v, n);
	ck_assert_uint_eq(h->count, n);
	for (size_t k = 0; k < NELEM(ps); k++) {
		int64_t exact = sc_percentile(v, n, ps[k]), got = sc_hist_percentile(h, ps[k]);
		double err = (double)(got > exact ? (uint64_t)got - (uint64_t)exact
						  : (uint64_t)exact - (uint64_t)got);
		double mag = exact < 0 ? -(double)exact : (double)exact;

		if (ps[k] == 0 || ps[k] == 100 || (exact >= 0 && exact < (int64_t)SC_HIST_SUB))
			ck_assert_msg(got == exact, "%s p%g: %lld, exact %lld", dists[_i].name, ps[k],
				      (long long)got, (long long)exact);
		else
			ck_assert_msg(err <= mag / 256.0 + 0.5, "%s p%g: %lld, exact %lld (error %.3g %%)",
				      dists[_i].name, ps[k], (long long)got, (long long)exact, 100 * err / mag);
	}
	free(v);
	free(h);
}
END_TEST

START_TEST(merge_equals_adding)
{
	static struct sc_hist a, b, all;
	unsigned seed = 3;

	sc_hist_reset(&a);
	sc_hist_reset(&b);
	sc_hist_reset(&all);
	for (int k = 0; k < 5000; k++) {
		int64_t x = sample(SIGNED, &seed);

		sc_hist_add(k % 3 ? &a : &b, x);
		sc_hist_add(&all, x);
	}
	sc_hist_merge(&a, &b);
	ck_assert_uint_eq(a.count, all.count);
	ck_assert_int_eq(a.min, all.min);
	ck_assert_int_eq(a.max, all.max);
	ck_assert(memcmp(a.pos, all.pos, sizeof(a.pos)) == 0 && memcmp(a.neg, all.neg, sizeof(a.neg)) == 0);
}
END_TEST

START_TEST(empty_is_zero)
{
	static struct sc_hist h;

	sc_hist_reset(&h);
	ck_assert_int_eq(sc_hist_percentile(&h, 50), 0);
	ck_assert_int_eq(sc_hist_percentile(&h, 100), 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("hist");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 30);
	tcase_add_loop_test(t, bucket_index, 0, NELEM(buckets));
	tcase_add_test(t, buckets_tile);
	tcase_add_loop_test(t, percentiles_within_bound, 0, NELEM(dists));
	tcase_add_test(t, merge_equals_adding);
	tcase_add_test(t, empty_is_zero);
	suite_add_tcase(s, t);
	return s;
}
