/* test_stats.c - percentiles and 95 % confidence intervals. */
#include <errno.h>
#include <math.h>

#include "stats.h"
#include "unit.h"

static const int64_t ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static const struct {
	double p;
	int64_t want;
} pct[] = {{0, 1}, {10, 1}, {11, 2}, {50, 5}, {90, 9}, {99, 10}, {100, 10}};

START_TEST(percentiles)
{
	int64_t got = sc_percentile(ten, NELEM(ten), pct[_i].p);

	ck_assert_msg(got == pct[_i].want, "p%.0f = %lld, want %lld", pct[_i].p, (long long)got,
		      (long long)pct[_i].want);
}
END_TEST

START_TEST(percentile_edges)
{
	static const int64_t one[] = {42};
	int64_t v[] = {5, -1, 3};

	ck_assert_int_eq(sc_percentile(NULL, 0, 50), 0);
	ck_assert_int_eq(sc_percentile(one, 1, 0), 42);
	ck_assert_int_eq(sc_percentile(one, 1, 100), 42);
	sc_sort_i64(v, 3);
	ck_assert(v[0] == -1 && v[1] == 3 && v[2] == 5);
}
END_TEST

static const struct {
	const char *name;
	double x[6];
	size_t n;
	double mean, half;
} cis[] = {
	{"1..5: s=1.5811, t(4)=2.776", {1, 2, 3, 4, 5}, 5, 3.0, 1.96296 /* 2.776 * 1.5811388 / sqrt(5) */},
	{"one value", {7}, 1, 7.0, 0.0},
	{"no spread", {2, 2, 2}, 3, 2.0, 0.0},
	{"two values", {0, 10}, 2, 5.0, 63.53 /* 12.706 * 7.0710678 / sqrt(2) */},
};

START_TEST(confidence)
{
	double m, h;

	ck_assert_int_eq(sc_mean_ci95(cis[_i].x, cis[_i].n, &m, &h), 0);
	ck_assert_msg(fabs(m - cis[_i].mean) < 1e-9, "%s: mean %f", cis[_i].name, m);
	ck_assert_msg(fabs(h - cis[_i].half) < 1e-3, "%s: half-width %f, want %f", cis[_i].name, h,
		      cis[_i].half);
}
END_TEST

START_TEST(confidence_empty)
{
	double m, h;

	ck_assert_int_eq(sc_mean_ci95(NULL, 0, &m, &h), -EINVAL);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_add_loop_test(tc, percentiles, 0, NELEM(pct));
	tcase_add_test(tc, percentile_edges);
	tcase_add_loop_test(tc, confidence, 0, NELEM(cis));
	tcase_add_test(tc, confidence_empty);
	suite_add_tcase(s, tc);
	return s;
}
