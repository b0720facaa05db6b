/* stats.c - percentiles and 95 % confidence intervals of a mean.
 *
 * Uses sqrt() and ceil(): link with -lm. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* qsort comparator for int64_t; no subtraction, which could overflow. */
static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts v ascending in place; v may be NULL when n is 0. */
void sc_sort_i64(int64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_i64);
}

/* Returns the nearest-rank percentile: the value at rank ceil(p/100 * n)
 * (1-based), i.e. the smallest value with at least p % of the values at
 * or below it, so the result is always one of the samples (as RFC 2330's
 * empirical distribution functions want, no interpolation). p <= 0 (or
 * NaN) gives the first value, p >= 100 the last, n == 0 gives 0. */
int64_t sc_percentile(const int64_t *sorted, size_t n, double p)
{
	double x;
	size_t rank;

	if (n == 0)
		return 0;
	if (!(p > 0))
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	/* p * n / 100 rather than p / 100 * n: 7 / 100.0 * 100 is
	 * 7.000000000000001 and would round up to rank 8. Non-integer p
	 * (99.9 * 1000 / 100 = 999.0000000000001) still leaves a few ulps
	 * above the integer; shaving a relative 1e-12 removes them while
	 * leaving any real fraction of a rank alone. */
	x = p * (double)n / 100.0;
	rank = (size_t)ceil(x - x * 1e-12);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* Two-sided 95 % quantiles of Student's t (t_0.975) for 1..30 degrees of
 * freedom, from the usual tables. */
static const double t95[] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201,	2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080,	2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};

/* Returns t_0.975 with df >= 1 degrees of freedom. Beyond the table, the
 * Cornish-Fisher expansion of t around the normal quantile z = 1.959964
 * (Abramowitz & Stegun 26.7.5, three terms) is within 1e-5 of the exact
 * value from df 31 on, and tends to 1.96 as df grows. */
static double t_quantile(size_t df)
{
	const double z = 1.959963984540054, z2 = z * z;
	double g1, g2, g3, v;

	if (df <= sizeof(t95) / sizeof(t95[0]))
		return t95[df - 1];
	g1 = (z2 + 1) * z / 4;
	g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
	g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
	v = (double)df;
	return z + g1 / v + g2 / (v * v) + g3 / (v * v * v);
}

/* Returns 0 with *mean and *half set, or -EINVAL if n == 0 (or a pointer
 * is NULL). The half-width is t(n-1) * s / sqrt(n), s the sample standard
 * deviation (divisor n - 1); 0 for n == 1. Two passes (mean, then squared
 * deviations) to avoid the cancellation of the sum-of-squares formula. */
int sc_mean_ci95(const double *x, size_t n, double *mean, double *half)
{
	double sum = 0, ss = 0, m;

	if (n == 0 || !x || !mean || !half)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	m = sum / (double)n;
	*mean = m;
	*half = 0;
	if (n == 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	*half = t_quantile(n - 1) * sqrt(ss / (double)(n - 1)) / sqrt((double)n);
	return 0;
}
