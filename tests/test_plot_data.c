/* test_plot_data.c - thinning a CDF of millions of latencies to the
 * points a chart shows: bounded, both ends kept, ranks evenly spread. */
#include <stdlib.h>

#include "plot_data.h"
#include "unit.h"

static const struct {
	size_t n, max;
} thins[] = {
	{0, 2000}, {1, 2000}, {2000, 2000}, {2001, 2000}, {10000000, 2000}, {5, 2}, {3, 2},
	{1000000, 3}, {(size_t)1 << 40, 2000}, {SIZE_MAX / 2, 1000},
};

START_TEST(thin)
{
	size_t n = thins[_i].n, max = thins[_i].max, want = n < max ? n : max;
	size_t *idx = malloc(max * sizeof(*idx));
	size_t k = sc_plot_thin(n, max, idx);

	ck_assert_msg(k == want, "n %zu max %zu: %zu points, want %zu", n, max, k, want);
	if (k) {
		ck_assert_msg(idx[0] == 0, "n %zu: first point %zu", n, idx[0]);
		ck_assert_msg(idx[k - 1] == n - 1, "n %zu: last point %zu", n, idx[k - 1]);
	}
	for (size_t j = 1; j < k; j++) {
		ck_assert_msg(idx[j] > idx[j - 1], "n %zu: point %zu (%zu) not after %zu", n, j, idx[j], idx[j - 1]);
		/* Evenly spread: no gap more than one step over the mean. */
		ck_assert_msg(idx[j] - idx[j - 1] <= (n - 1) / (k - 1) + 1, "n %zu: gap %zu", n,
			      idx[j] - idx[j - 1]);
	}
	free(idx);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("plot_data");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, thin, 0, NELEM(thins));
	suite_add_tcase(s, tc);
	return s;
}
