/* test_num.c - sizes, durations and counts: accepted, refused, limits. */
#include <errno.h>
#include <string.h>

#include "num.h"
#include "unit.h"

enum kind { U64, SIZE, DUR };

static const struct {
	enum kind k;
	const char *in;
	uint64_t max;
	int want;
	uint64_t value;
	size_t used; /* bytes consumed by the const char ** form */
} cases[] = {
	{U64, "0", 10, 0, 0, 1},
	{U64, "10", 10, 0, 10, 2},
	{U64, "11", 10, -ERANGE, 0, 0},
	{U64, "18446744073709551615", UINT64_MAX, 0, UINT64_MAX, 20},
	{U64, "18446744073709551616", UINT64_MAX, -ERANGE, 0, 0},
	{U64, "-1", 10, -EINVAL, 0, 0},
	{U64, "", 10, -EINVAL, 0, 0},
	{U64, "5x", 10, -EINVAL, 0, 0},
	{U64, "5 x", 10, 0, 5, 1},
	{SIZE, "512", 1u << 30, 0, 512, 3},
	{SIZE, "64k", 1u << 30, 0, 65536, 3},
	{SIZE, "1M", 1u << 30, 0, 1048576, 2},
	{SIZE, "2g", UINT64_MAX, 0, 2147483648ull, 2},
	{SIZE, "2G", 1u << 30, -ERANGE, 0, 0},
	{SIZE, "51q", 1u << 30, -EINVAL, 0, 0},
	{SIZE, "k", 1u << 30, -EINVAL, 0, 0},
	{SIZE, "99999999999999999999k", UINT64_MAX, -ERANGE, 0, 0},
	{SIZE, "17179869184g", UINT64_MAX, -ERANGE, 0, 0},
	{DUR, "0", UINT64_MAX, 0, 0, 1},
	{DUR, "50ms", UINT64_MAX, 0, 50000000, 4},
	{DUR, "2s", UINT64_MAX, 0, 2000000000, 2},
	{DUR, "10us", UINT64_MAX, 0, 10000, 4},
	{DUR, "7ns", UINT64_MAX, 0, 7, 3},
	{DUR, "5", UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "5m", UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "50parsecs", UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "2h", UINT64_MAX, -EINVAL, 0, 0},
	{DUR, "3601s", 3600000000000ull, -ERANGE, 0, 0},
	{DUR, "18446744074s", UINT64_MAX, -ERANGE, 0, 0},
	{DUR, "1s,", UINT64_MAX, 0, 1000000000, 2},
};

START_TEST(parse)
{
	const char *p = cases[_i].in;
	uint64_t v = 0;
	int r;

	switch (cases[_i].k) {
	case U64: r = sc_parse_u64(&p, 0, cases[_i].max, &v); break;
	case SIZE: r = sc_parse_size(&p, 0, cases[_i].max, &v); break;
	default: r = sc_parse_duration(&p, cases[_i].max, &v); break;
	}
	ck_assert_msg(r == cases[_i].want, "'%s': returned %d, want %d", cases[_i].in, r, cases[_i].want);
	if (r == 0)
		ck_assert_msg(v == cases[_i].value, "'%s': %llu, want %llu", cases[_i].in, (unsigned long long)v,
			      (unsigned long long)cases[_i].value);
	ck_assert_msg((size_t)(p - cases[_i].in) == cases[_i].used, "'%s': consumed %zu, want %zu",
		      cases[_i].in, (size_t)(p - cases[_i].in), cases[_i].used);
}
END_TEST

START_TEST(whole_string)
{
	uint64_t v;

	ck_assert_int_eq(sc_str_u64("5 x", 0, 10, &v), -EINVAL);
	ck_assert_int_eq(sc_str_size("64k", 1, 1u << 20, &v), 0);
	ck_assert_uint_eq(v, 65536);
	ck_assert_int_eq(sc_str_size("0", 1, 10, &v), -ERANGE);
	ck_assert_int_eq(sc_str_duration("50ms ", UINT64_MAX, &v), -EINVAL);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("num");
	TCase *tc = tcase_create("num");

	tcase_add_loop_test(tc, parse, 0, NELEM(cases));
	tcase_add_test(tc, whole_string);
	suite_add_tcase(s, tc);
	return s;
}
