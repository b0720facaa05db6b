/* test_stats.c - sorting, nearest-rank percentiles and 95 % confidence
 * intervals of a mean, on fixed tables. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "unit.h"

static const int64_t one[] = {42};
static const int64_t ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static int64_t hundred[100];   /* 1..100, filled by fill() */
static int64_t thousand[1000]; /* 1..1000 */

static const struct {
	const char *name;
	const int64_t *v;
	size_t n;
	double p;
	int64_t want;
} pct[] = {
	{"n=1 p0", one, 1, 0, 42},
	{"n=1 p50", one, 1, 50, 42},
	{"n=1 p90", one, 1, 90, 42},
	{"n=1 p99", one, 1, 99, 42},
	{"n=1 p100", one, 1, 100, 42},
	{"n=10 p0", ten, 10, 0, 1},
	{"n=10 p10", ten, 10, 10, 1},
	{"n=10 p11", ten, 10, 11, 2},
	{"n=10 p50", ten, 10, 50, 5},
	{"n=10 p90", ten, 10, 90, 9},
	{"n=10 p91", ten, 10, 91, 10},
	{"n=10 p99", ten, 10, 99, 10},
	{"n=10 p100", ten, 10, 100, 10},
	{"n=10 p below 0", ten, 10, -5, 1},
	{"n=10 p above 100", ten, 10, 250, 10},
	{"n=10 p NaN", ten, 10, NAN, 1},
	{"n=10 p tiny", ten, 10, 1e-9, 1},
	/* 7 / 100.0 * 100 is 7.000000000000001: must not round up to 8. */
	{"n=100 p7", hundred, 100, 7, 7},
	{"n=100 p55", hundred, 100, 55, 55},
	{"n=100 p99", hundred, 100, 99, 99},
	{"n=100 p99.5", hundred, 100, 99.5, 100},
	{"n=1000 p16.1", thousand, 1000, 16.1, 161},
	{"n=1000 p99.9", thousand, 1000, 99.9, 999},
	{"n=1000 p99.95", thousand, 1000, 99.95, 1000},
	{"n=0", NULL, 0, 50, 0},
};

static void fill(void)
{
	for (int i = 0; i < 100; i++)
		hundred[i] = i + 1;
	for (int i = 0; i < 1000; i++)
		thousand[i] = i + 1;
}

START_TEST(percentiles)
{
	int64_t got;

	fill();
	got = sc_percentile(pct[_i].v, pct[_i].n, pct[_i].p);
	ck_assert_msg(got == pct[_i].want, "%s: got %lld, want %lld", pct[_i].name, (long long)got,
		      (long long)pct[_i].want);
}
END_TEST

static const struct {
	const char *name;
	int64_t in[6], out[6];
	size_t n;
} sorts[] = {
	{"empty", {0}, {0}, 0},
	{"one", {5}, {5}, 1},
	{"negatives and copies", {5, -1, 3, -1, 0, 3}, {-1, -1, 0, 3, 3, 5}, 6},
	{"extremes", {INT64_MAX, INT64_MIN, 0, -1, 1}, {INT64_MIN, -1, 0, 1, INT64_MAX}, 5},
	{"already sorted", {1, 2, 3}, {1, 2, 3}, 3},
};

START_TEST(sorting)
{
	int64_t v[6];

	for (size_t i = 0; i < 6; i++)
		v[i] = sorts[_i].in[i];
	sc_sort_i64(v, sorts[_i].n);
	for (size_t i = 0; i < sorts[_i].n; i++)
		ck_assert_msg(v[i] == sorts[_i].out[i], "%s: v[%zu] = %lld, want %lld", sorts[_i].name, i,
			      (long long)v[i], (long long)sorts[_i].out[i]);
}
END_TEST

static const struct {
	const char *name;
	double x[6];
	size_t n;
	double mean, half;
} cis[] = {
	/* s = 1.5811388, t(4) = 2.776: 2.776 * 1.5811388 / sqrt(5) */
	{"1..5", {1, 2, 3, 4, 5}, 5, 3.0, 1.962928},
	/* The same spread far from 0: two passes keep the precision. */
	{"1..5 plus 1e9", {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 5}, 5, 1e9 + 3, 1.962928},
	{"one value", {7}, 1, 7.0, 0.0},
	{"no spread", {2, 2, 2}, 3, 2.0, 0.0},
	/* 12.706 * 7.0710678 / sqrt(2) */
	{"two values", {0, 10}, 2, 5.0, 63.53},
	{"negative", {-4, -2}, 2, -3.0, 12.706},
};

START_TEST(confidence)
{
	double m = NAN, h = NAN;
	int r = sc_mean_ci95(cis[_i].x, cis[_i].n, &m, &h);

	ck_assert_msg(r == 0, "%s: returned %d", cis[_i].name, r);
	ck_assert_msg(fabs(m - cis[_i].mean) < 1e-6, "%s: mean %f, want %f", cis[_i].name, m, cis[_i].mean);
	ck_assert_msg(fabs(h - cis[_i].half) < 1e-4, "%s: half-width %f, want %f", cis[_i].name, h,
		      cis[_i].half);
}
END_TEST

/* Beyond the t table: n alternating 0 and 2 (mean 1, s^2 = n / (n - 1))
 * give half = t(n-1) / sqrt(n-1); t from numeric integration. */
static const struct {
	size_t n;
	double half;
} large[] = {
	{32, 0.3663074},   /* t(31) = 2.039513 */
	{100, 0.1994213},  /* t(99) = 1.984217 */
	{1000, 0.0620857}, /* t(999) = 1.962341 */
};

START_TEST(confidence_large_df)
{
	size_t n = large[_i].n;
	double *x = malloc(n * sizeof(*x)), m, h;

	ck_assert_ptr_nonnull(x);
	for (size_t i = 0; i < n; i++)
		x[i] = (i % 2) ? 2.0 : 0.0;
	ck_assert_int_eq(sc_mean_ci95(x, n, &m, &h), 0);
	free(x);
	ck_assert_msg(fabs(m - 1.0) < 1e-12, "n=%zu: mean %f", n, m);
	ck_assert_msg(fabs(h - large[_i].half) < 1e-5, "n=%zu: half-width %.7f, want %.7f", n, h,
		      large[_i].half);
}
END_TEST

START_TEST(confidence_empty)
{
	double m = 1, h = 1;

	ck_assert_int_eq(sc_mean_ci95(NULL, 0, &m, &h), -EINVAL);
	ck_assert_int_eq(sc_mean_ci95(cis[0].x, 0, &m, &h), -EINVAL);
	ck_assert_msg(m == 1 && h == 1, "outputs written on error");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_add_loop_test(tc, percentiles, 0, NELEM(pct));
	tcase_add_loop_test(tc, sorting, 0, NELEM(sorts));
	tcase_add_loop_test(tc, confidence, 0, NELEM(cis));
	tcase_add_loop_test(tc, confidence_large_df, 0, NELEM(large));
	tcase_add_test(tc, confidence_empty);
	suite_add_tcase(s, tc);
	return s;
}
