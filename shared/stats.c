/* stats.c - percentiles and confidence intervals. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void sc_sort_i64(int64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_i64);
}

int64_t sc_percentile(const int64_t *sorted, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0;
	if (p <= 0)
		return sorted[0];
	/* Nearest rank: the smallest value with at least p % at or below it. */
	rank = (size_t)ceil(p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom. */
static const double t95[] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};

static double t_quantile(size_t df)
{
	if (df <= 30)
		return t95[df - 1];
	/* Above 30, t approaches the normal 1.96; this first-order
	 * correction is within 0.002 of the tables from df 30 on. */
	return 1.96 + 2.4 / (double)df;
}

int sc_mean_ci95(const double *x, size_t n, double *mean, double *half)
{
	double sum = 0, ss = 0, m;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	m = sum / (double)n;
	*mean = m;
	if (n == 1) {
		*half = 0;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	*half = t_quantile(n - 1) * sqrt(ss / (double)(n - 1)) / sqrt((double)n);
	return 0;
}
