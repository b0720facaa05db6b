/* test_uml.c - a guest's time limit follows from its plan (driver/uml.c),
 * and what needs no guest: options refused before anything boots. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "clock.h"
#include "uml.h"
#include "unit.h"

static const struct {
	uint64_t expected, limit;
} limits[] = {
	{0, 0}, /* no plan: no limit */
	{1 * SC_NS_PER_S, 182 * SC_NS_PER_S},
	/* A sweep with "after 330s": the limit grows with the plan. */
	{2000 * SC_NS_PER_S, 4180 * SC_NS_PER_S},
	{UINT64_MAX / 2, UINT64_MAX}, /* saturates, never wraps */
	{UINT64_MAX, UINT64_MAX},
};

START_TEST(limit_from_plan)
{
	uint64_t got = sc_uml_limit(limits[_i].expected);

	ck_assert_msg(got == limits[_i].limit, "case %d: expected %llu ns -> %llu, want %llu", _i,
		      (unsigned long long)limits[_i].expected, (unsigned long long)got,
		      (unsigned long long)limits[_i].limit);
	ck_assert(limits[_i].expected == 0 || got > limits[_i].expected || got == UINT64_MAX);
}
END_TEST

START_TEST(bad_options)
{
	char *argv[] = {"/bin/true", NULL};
	struct sc_uml_opts o = {.argv = argv, .mem_mb = 32};
	int status;

	ck_assert_int_eq(sc_uml_run(NULL, &status, NULL, 0), -EINVAL);
	ck_assert_int_eq(sc_uml_run(&o, &status, NULL, 0), -EINVAL);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("uml");
	TCase *tc = tcase_create("uml");

	tcase_add_loop_test(tc, limit_from_plan, 0, NELEM(limits));
	tcase_add_test(tc, bad_options);
	suite_add_tcase(s, tc);
	return s;
}
