/* hist.c - the log-linear histogram of hist.h. */
#include "hist.h"

#include <math.h>
#include <string.h>

void sc_hist_reset(struct sc_hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* Magnitudes below SC_HIST_SUB index themselves. Above, with e the index
 * of the top bit (e >= SUB_BITS), the bucket is the top SUB_BITS+1 bits:
 * (e - SUB_BITS + 1) * SUB + the SUB_BITS bits below the top one. */
unsigned sc_hist_bucket(uint64_t m)
{
	unsigned e;

	if (m < SC_HIST_SUB)
		return (unsigned)m;
	e = 63u - (unsigned)__builtin_clzll(m);
	return (e - SC_HIST_SUB_BITS + 1) * SC_HIST_SUB +
	       (unsigned)((m >> (e - SC_HIST_SUB_BITS)) & (SC_HIST_SUB - 1));
}

uint64_t sc_hist_low(unsigned i)
{
	unsigned e;

	if (i < SC_HIST_SUB)
		return i;
	e = i / SC_HIST_SUB + SC_HIST_SUB_BITS - 1;
	return (uint64_t)(SC_HIST_SUB + i % SC_HIST_SUB) << (e - SC_HIST_SUB_BITS);
}

uint64_t sc_hist_width(unsigned i)
{
	if (i < SC_HIST_SUB)
		return 1;
	return (uint64_t)1 << (i / SC_HIST_SUB - 1);
}

/* |v| as unsigned, INT64_MIN included. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void sc_hist_add(struct sc_hist *h, int64_t v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count++;
	if (v < 0)
		h->neg[sc_hist_bucket(magnitude(v))]++;
	else
		h->pos[sc_hist_bucket((uint64_t)v)]++;
}

void sc_hist_merge(struct sc_hist *dst, const struct sc_hist *src)
{
	if (src->count == 0)
		return;
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->count == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	for (unsigned i = 0; i < SC_HIST_BUCKETS; i++) {
		dst->pos[i] += src->pos[i];
		dst->neg[i] += src->neg[i];
	}
}

/* The 1-based rank of percentile p among n values, as sc_percentile(). */
static uint64_t rank_of(double p, uint64_t n)
{
	double x = p * (double)n / 100.0;
	uint64_t r = (uint64_t)ceil(x - x * 1e-12);

	return r < 1 ? 1 : r > n ? n : r;
}

/* The middle of bucket i, as a value of the given sign. */
static int64_t middle(unsigned i, int negative)
{
	uint64_t m = sc_hist_low(i) + (sc_hist_width(i) - 1) / 2;

	if (m > (uint64_t)INT64_MAX)
		return negative ? INT64_MIN : INT64_MAX;
	return negative ? -(int64_t)m : (int64_t)m;
}

int64_t sc_hist_percentile(const struct sc_hist *h, double p)
{
	uint64_t rank, seen = 0;
	int64_t v = 0;
	int found = 0;

	if (h->count == 0)
		return 0;
	if (!(p > 0))
		return h->min;
	if (p >= 100)
		return h->max;
	rank = rank_of(p, h->count);
	/* Ascending order: negatives from the largest magnitude down, then
	 * the non-negatives up. */
	for (unsigned i = SC_HIST_BUCKETS; i-- > 0 && !found;)
		if (h->neg[i] && (seen += h->neg[i]) >= rank)
			v = middle(i, 1), found = 1;
	for (unsigned i = 0; i < SC_HIST_BUCKETS && !found; i++)
		if (h->pos[i] && (seen += h->pos[i]) >= rank)
			v = middle(i, 0), found = 1;
	return v < h->min ? h->min : v > h->max ? h->max : v;
}
