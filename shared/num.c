/* num.c - range-checked numbers, sizes and durations.
 *
 * Every parser reads digits itself (no strtoul: it skips blanks, takes a
 * sign and reports overflow through errno) and checks each step against
 * UINT64_MAX, so no input can wrap. */
#include "num.h"

#include <errno.h>
#include <string.h>

/* Reads decimal digits at *p into *v. Returns 0, -EINVAL (no digit at *p)
 * or -ERANGE (more than UINT64_MAX); advances *p only on success. */
static int digits(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (n > (UINT64_MAX - d) / 10)
			return -ERANGE;
		n = n * 10 + d;
	}
	*v = n;
	*p = s;
	return 0;
}

/* Returns true if c may follow a number: the end of the string or of a
 * word, or a separator a caller may chain on. */
static int ends(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r';
}

/* Multiplies *v by mul. Returns 0, or -ERANGE if the product overflows. */
static int scale(uint64_t *v, uint64_t mul)
{
	if (*v > UINT64_MAX / mul)
		return -ERANGE;
	*v *= mul;
	return 0;
}

/* Returns 0 or -EINVAL/-ERANGE as num.h says; *p and *out are only
 * written on success. */
int sc_parse_u64(const char **p, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s = *p;
	uint64_t v;
	int r = digits(&s, &v);

	if (r < 0)
		return r;
	if (!ends(*s))
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	*p = s;
	return 0;
}

/* Returns 0, -EINVAL (no digits, or an unknown suffix) or -ERANGE (the
 * value times its suffix overflows or falls outside [min, max]). */
int sc_parse_size(const char **p, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s = *p;
	uint64_t v, mul = 1;
	int r = digits(&s, &v);

	if (r < 0)
		return r;
	switch (*s) {
	case 'k': case 'K': mul = 1024; s++; break;
	case 'm': case 'M': mul = 1024 * 1024; s++; break;
	case 'g': case 'G': mul = 1024ull * 1024 * 1024; s++; break;
	default: break;
	}
	if (!ends(*s))
		return -EINVAL;
	r = scale(&v, mul);
	if (r < 0)
		return r;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	*p = s;
	return 0;
}

/* Returns 0, -EINVAL (no digits, or no known unit after a non-zero
 * number) or -ERANGE (overflow, or above max_ns). */
int sc_parse_duration(const char **p, uint64_t max_ns, uint64_t *out_ns)
{
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = {
		{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000},
	};
	const char *s = *p;
	uint64_t v, mul = 0;
	int r = digits(&s, &v);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].unit);

		if (strncmp(s, units[i].unit, n) == 0 && ends(s[n])) {
			mul = units[i].ns;
			s += n;
			break;
		}
	}
	if (!mul) {
		if (v != 0 || !ends(*s))
			return -EINVAL; /* only a bare 0 may go without a unit */
		mul = 1;
	}
	r = scale(&v, mul);
	if (r < 0)
		return r;
	if (v > max_ns)
		return -ERANGE;
	*out_ns = v;
	*p = s;
	return 0;
}

/* The whole-string forms: a token parsed as above must be followed by the
 * end of s, or the result is -EINVAL ("5 x" is not a number). *out is
 * only written on success. */
int sc_str_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *q = s;
	uint64_t v;
	int r = sc_parse_u64(&q, min, max, &v);

	if (r < 0)
		return r;
	if (*q != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/* Same, for a size. */
int sc_str_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *q = s;
	uint64_t v;
	int r = sc_parse_size(&q, min, max, &v);

	if (r < 0)
		return r;
	if (*q != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/* Same, for a duration. */
int sc_str_duration(const char *s, uint64_t max_ns, uint64_t *out_ns)
{
	const char *q = s;
	uint64_t v;
	int r = sc_parse_duration(&q, max_ns, &v);

	if (r < 0)
		return r;
	if (*q != '\0')
		return -EINVAL;
	*out_ns = v;
	return 0;
}
