/* test_num.c - counts, sizes and durations: accepted, refused, limits,
 * overflow, and how far the const char ** form advances. */
#include <errno.h>
#include <string.h>

#include "num.h"
#include "unit.h"

enum kind { U64, SIZE, DUR };

#define G (1024ull * 1024 * 1024)

static const struct {
	enum kind k;
	const char *in;
	uint64_t min, max; /* DUR: max only */
	int want;
	uint64_t value;
	size_t used; /* bytes consumed on success; 0 (untouched) on failure */
} cases[] = {
	{U64, "0", 0, 10, 0, 0, 1},
	{U64, "10", 0, 10, 0, 10, 2},
	{U64, "11", 0, 10, -ERANGE, 0, 0},
	{U64, "4", 5, 10, -ERANGE, 0, 0},
	{U64, "007", 0, 10, 0, 7, 3},
	{U64, "18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX, 20},
	{U64, "18446744073709551616", 0, UINT64_MAX, -ERANGE, 0, 0},
	{U64, "99999999999999999999999", 0, UINT64_MAX, -ERANGE, 0, 0},
	{U64, "-1", 0, 10, -EINVAL, 0, 0},
	{U64, "+1", 0, 10, -EINVAL, 0, 0},
	{U64, " 1", 0, 10, -EINVAL, 0, 0},
	{U64, "", 0, 10, -EINVAL, 0, 0},
	{U64, "5x", 0, 10, -EINVAL, 0, 0},
	{U64, "0x5", 0, 10, -EINVAL, 0, 0},
	{U64, "5 x", 0, 10, 0, 5, 1},
	{U64, "5,6", 0, 10, 0, 5, 1},
	{SIZE, "512", 0, G, 0, 512, 3},
	{SIZE, "64k", 0, G, 0, 65536, 3},
	{SIZE, "64K", 0, G, 0, 65536, 3},
	{SIZE, "1m", 0, G, 0, 1048576, 2},
	{SIZE, "1M", 0, G, 0, 1048576, 2},
	{SIZE, "1g", 0, G, 0, G, 2},
	{SIZE, "2G", 0, UINT64_MAX, 0, 2 * G, 2},
	{SIZE, "2G", 0, G, -ERANGE, 0, 0},
	{SIZE, "0", 1, G, -ERANGE, 0, 0},
	{SIZE, "35", 36, G, -ERANGE, 0, 0},
	{SIZE, "51q", 0, G, -EINVAL, 0, 0},
	{SIZE, "64kb", 0, G, -EINVAL, 0, 0},
	{SIZE, "k", 0, G, -EINVAL, 0, 0},
	{SIZE, "1.5k", 0, G, -EINVAL, 0, 0},
	{SIZE, "99999999999999999999k", 0, UINT64_MAX, -ERANGE, 0, 0},
	{SIZE, "17179869184g", 0, UINT64_MAX, -ERANGE, 0, 0}, /* 2^34 * 2^30 = 2^64 */
	{SIZE, "17179869183g", 0, UINT64_MAX, 0, 17179869183ull * G, 12},
	{SIZE, "18014398509481984k", 0, UINT64_MAX, -ERANGE, 0, 0}, /* 2^54 * 2^10 */
	{DUR, "0", 0, UINT64_MAX, 0, 0, 1},
	{DUR, "0ms", 0, UINT64_MAX, 0, 0, 3},
	{DUR, "50ms", 0, UINT64_MAX, 0, 50000000, 4},
	{DUR, "2s", 0, UINT64_MAX, 0, 2000000000, 2},
	{DUR, "10us", 0, UINT64_MAX, 0, 10000, 4},
	{DUR, "7ns", 0, UINT64_MAX, 0, 7, 3},
	{DUR, "5", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "00", 0, UINT64_MAX, 0, 0, 2},
	{DUR, "5m", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "5MS", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "50parsecs", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "5sec", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "2h", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "1.5s", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "ms", 0, UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "3600s", 0, 3600000000000ull, 0, 3600000000000ull, 5},
	{DUR, "3601s", 0, 3600000000000ull, -ERANGE, 0, 0},
	{DUR, "18446744073s", 0, UINT64_MAX, 0, 18446744073000000000ull, 12},
	{DUR, "18446744074s", 0, UINT64_MAX, -ERANGE, 0, 0},
	{DUR, "99999999999999999999ns", 0, UINT64_MAX, -ERANGE, 0, 0},
	{DUR, "1s,", 0, UINT64_MAX, 0, 1000000000, 2},
	{DUR, "1ms 2ms", 0, UINT64_MAX, 0, 1000000, 3},
};

START_TEST(parse)
{
	const char *p = cases[_i].in;
	uint64_t v = 12345;
	int r;

	switch (cases[_i].k) {
	case U64: r = sc_parse_u64(&p, cases[_i].min, cases[_i].max, &v); break;
	case SIZE: r = sc_parse_size(&p, cases[_i].min, cases[_i].max, &v); break;
	default: r = sc_parse_duration(&p, cases[_i].max, &v); break;
	}
	ck_assert_msg(r == cases[_i].want, "'%s': returned %d, want %d", cases[_i].in, r, cases[_i].want);
	if (r == 0)
		ck_assert_msg(v == cases[_i].value, "'%s': %llu, want %llu", cases[_i].in,
			      (unsigned long long)v, (unsigned long long)cases[_i].value);
	else
		ck_assert_msg(v == 12345, "'%s': failed but wrote its output", cases[_i].in);
	ck_assert_msg((size_t)(p - cases[_i].in) == cases[_i].used, "'%s': consumed %zu, want %zu",
		      cases[_i].in, (size_t)(p - cases[_i].in), cases[_i].used);
}
END_TEST

/* The whole-string forms: the same token, but nothing may follow it. */
static const struct {
	enum kind k;
	const char *in;
	int want;
	uint64_t value;
} whole[] = {
	{U64, "7", 0, 7},          {U64, "5 x", -EINVAL, 0},   {U64, "11", -ERANGE, 0},
	{SIZE, "64k", 0, 65536},   {SIZE, "64k,", -EINVAL, 0}, {SIZE, "0", -ERANGE, 0},
	{DUR, "50ms", 0, 50000000}, {DUR, "50ms ", -EINVAL, 0}, {DUR, "", -EINVAL, 0},
	{DUR, "2s", -ERANGE, 0},
};

START_TEST(whole_string)
{
	uint64_t v = 12345;
	int r;

	switch (whole[_i].k) {
	case U64: r = sc_str_u64(whole[_i].in, 0, 10, &v); break;
	case SIZE: r = sc_str_size(whole[_i].in, 1, 1u << 20, &v); break;
	default: r = sc_str_duration(whole[_i].in, 1000000000, &v); break;
	}
	ck_assert_msg(r == whole[_i].want, "'%s': returned %d, want %d", whole[_i].in, r, whole[_i].want);
	ck_assert_msg(v == (r == 0 ? whole[_i].value : 12345), "'%s': value %llu", whole[_i].in,
		      (unsigned long long)v);
}
END_TEST

/* Chaining: each parser leaves *p on the separator for the next. */
START_TEST(chained)
{
	const char *p = "5,64k,10ms";
	uint64_t a, b, c;

	ck_assert_int_eq(sc_parse_u64(&p, 1, 10, &a), 0);
	ck_assert_int_eq(*p++, ',');
	ck_assert_int_eq(sc_parse_size(&p, 1, 1u << 20, &b), 0);
	ck_assert_int_eq(*p++, ',');
	ck_assert_int_eq(sc_parse_duration(&p, UINT64_MAX, &c), 0);
	ck_assert_int_eq(*p, '\0');
	ck_assert_uint_eq(a, 5);
	ck_assert_uint_eq(b, 65536);
	ck_assert_uint_eq(c, 10000000);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("num");
	TCase *tc = tcase_create("num");

	tcase_add_loop_test(tc, parse, 0, NELEM(cases));
	tcase_add_loop_test(tc, whole_string, 0, NELEM(whole));
	tcase_add_test(tc, chained);
	suite_add_tcase(s, tc);
	return s;
}
