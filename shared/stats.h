/* stats.h - small pure statistics helpers for measurements. */
#ifndef SC_STATS_H
#define SC_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v ascending in place. */
void sc_sort_i64(int64_t *v, size_t n);

/* Nearest-rank percentile (p in [0,100]) of sorted[0..n); 0 if n == 0. */
int64_t sc_percentile(const int64_t *sorted, size_t n, double p);

/* Mean of x[0..n) and the half-width of its 95 % confidence interval
 * (Student's t with n-1 degrees of freedom). Returns 0, or -EINVAL if
 * n == 0; with n == 1 the half-width is 0 (no spread can be measured). */
int sc_mean_ci95(const double *x, size_t n, double *mean, double *half);

#endif
