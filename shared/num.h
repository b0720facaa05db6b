/* num.h - range-checked parsing of numbers, sizes, durations, percentages.
 *
 * curl-style: each parser takes `const char **p`, parses one token at *p
 * (no leading blanks skipped), advances *p past it on success and leaves it
 * alone on failure. They return 0, -EINVAL (not a number of that kind) or
 * -ERANGE (outside [min, max]). */
#ifndef SC_NUM_H
#define SC_NUM_H

#include <stdint.h>

/* Decimal unsigned integer in [min, max]. */
int sc_parse_u64(const char **p, uint64_t min, uint64_t max, uint64_t *out);

/* Byte size in [min, max]: digits with an optional k/K (1024), m/M (1024^2)
 * or g/G suffix, e.g. "512", "64k", "1M". */
int sc_parse_size(const char **p, uint64_t min, uint64_t max, uint64_t *out);

/* Duration in nanoseconds, in [0, max_ns]: digits with a unit "ns", "us",
 * "ms" or "s" (a bare "0" is allowed without unit), e.g. "50ms", "2s". */
int sc_parse_duration(const char **p, uint64_t max_ns, uint64_t *out_ns);

/* Whole-string variants: the token must be all of s. */
int sc_str_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int sc_str_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int sc_str_duration(const char *s, uint64_t max_ns, uint64_t *out_ns);

#endif
