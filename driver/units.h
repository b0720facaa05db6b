/* units.h - a swept value as one number in one unit per parameter, so a
 * sweep "pace 0 100us 1ms" is 0, 100000, 1000000 ns and not 0, 100, 1. */
#ifndef SC_UNITS_H
#define SC_UNITS_H

#include <stddef.h>

/* The unit every value of sweep parameter param is given in: "ns" for
 * durations (after, pace, every, delay, jitter), "bytes" for sizes (size,
 * read, rcvbuf, sndbuf), "msgs" for count, "pct" for netem percentages
 * (loss, reorder, duplicate, corrupt), "bit/s" for rate, "packets" for
 * limit; "" for a parameter this table does not know. Never NULL. */
const char *sc_sweep_unit(const char *param);

/* Parses value (as the script gave it: "100us", "64k", "5%", "1mbit") into
 * *out in sc_sweep_unit(param). A bare number keeps its value (for a
 * duration, that is "0"). Returns 0, or -EINVAL if value is not a number
 * of that kind (then *out is the leading number, 0 if none). Pure. */
int sc_sweep_numeric(const char *param, const char *value, double *out);

/* True if the sweep's numeric values span two decades or more (the largest
 * at least 100 times the smallest positive one): a log axis shows them. */
int sc_sweep_wants_log(const double *v, int n);

/* How a chart shows the sweep's values v[0..n-1] (in sc_sweep_unit):
 * divided by *scale, in the unit written into unit ("ms", "KiB", "%",
 * "Mbit/s"), chosen from the largest value. Pure. */
void sc_sweep_axis(const char *param, const double *v, int n, double *scale, char *unit, size_t len);

#endif
