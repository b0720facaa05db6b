/* hist.h - percentiles over any number of values in constant memory.
 *
 * A log-linear histogram (as HdrHistogram): values below 128 have a bucket
 * each; above, every power of two is cut into 128 equal buckets, so a
 * bucket's width is at most 1/128 of its lower bound. Percentiles use the
 * nearest-rank definition of sc_percentile() and return the middle of the
 * bucket holding that rank, clamped to the exact minimum and maximum: the
 * result is within 0.4 % (1/256) of the exact nearest-rank value, and exact
 * for values below 128, for p = 0 and for p = 100. Negative values (a
 * one-way latency across two hosts whose clocks differ) are kept in a
 * mirrored half. About 116 KiB per histogram, whatever the count. */
#ifndef SC_HIST_H
#define SC_HIST_H

#include <stdint.h>

#define SC_HIST_SUB_BITS 7
#define SC_HIST_SUB (1u << SC_HIST_SUB_BITS)
#define SC_HIST_BUCKETS ((64 - SC_HIST_SUB_BITS + 1) * SC_HIST_SUB)

struct sc_hist {
	uint64_t count;
	int64_t min, max;
	uint64_t pos[SC_HIST_BUCKETS]; /* values >= 0 by magnitude */
	uint64_t neg[SC_HIST_BUCKETS]; /* values < 0 by magnitude */
};

/* Empties h. */
void sc_hist_reset(struct sc_hist *h);
void sc_hist_add(struct sc_hist *h, int64_t v);
/* Adds every value of src to dst. */
void sc_hist_merge(struct sc_hist *dst, const struct sc_hist *src);
/* Nearest-rank percentile, p in [0, 100]; 0 if empty. */
int64_t sc_hist_percentile(const struct sc_hist *h, double p);

/* Bucket arithmetic, exposed for the tests: the bucket of magnitude m, and
 * the lowest magnitude and width of bucket i. */
unsigned sc_hist_bucket(uint64_t m);
uint64_t sc_hist_low(unsigned i);
uint64_t sc_hist_width(unsigned i);

#endif
