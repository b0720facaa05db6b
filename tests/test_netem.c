/* test_netem.c - netem argument strings and the tc command line. */
#include <errno.h>
#include <string.h>

#include "netem.h"
#include "unit.h"

static const struct {
	const char *start, *param, *value, *want;
	int r;
} sets[] = {
	{"", "loss", "5%", "loss 5%", 0},
	{"loss 1%", "loss", "20%", "loss 20%", 0},
	{"delay 10ms loss 1%", "loss", "0%", "delay 10ms loss 0%", 0},
	{"delay 10ms 2ms loss 1%", "delay", "5ms", "loss 1% delay 5ms", 0},
	{"loss random 1% duplicate 2%", "loss", "3%", "duplicate 2% loss 3%", 0},
	{"delay 10ms reorder 25% 50%", "reorder", "10%", "delay 10ms reorder 10%", 0},
	{"  loss   1%  ", "duplicate", "5%", "loss 1% duplicate 5%", 0},
	{"loss 1%", "colour", "red", "loss 1%", -EINVAL},
};

START_TEST(set)
{
	char args[64];
	int r;

	strcpy(args, sets[_i].start);
	r = sc_netem_set(args, sizeof(args), sets[_i].param, sets[_i].value);
	ck_assert_msg(r == sets[_i].r, "'%s' + %s: %d", sets[_i].start, sets[_i].param, r);
	ck_assert_msg(strcmp(args, sets[_i].want) == 0, "'%s' + %s %s = '%s', want '%s'", sets[_i].start,
		      sets[_i].param, sets[_i].value, args, sets[_i].want);
}
END_TEST

START_TEST(set_too_long)
{
	char args[12] = "loss 1%";

	ck_assert_int_eq(sc_netem_set(args, sizeof(args), "delay", "100ms"), -ENOSPC);
	ck_assert_str_eq(args, "loss 1%");
}
END_TEST

static const struct {
	const char *param, *value;
	int ok;
} values[] = {
	{"loss", "5%", 1}, {"loss", "0.5%", 1}, {"loss", "100%", 1}, {"loss", "101%", 0},
	{"loss", "5", 0}, {"loss", "-1%", 0}, {"loss", "x%", 0}, {"delay", "10ms", 1},
	{"delay", "10", 0}, {"rate", "10mbit", 1}, {"rate", "500kbit", 1}, {"rate", "fast", 0},
	{"rate", "0kbit", 0}, {"limit", "1000", 1}, {"limit", "0", 0}, {"reorder", "25%", 1},
	{"colour", "red", 0},
};

START_TEST(check_value)
{
	int r = sc_netem_check_value(values[_i].param, values[_i].value);

	ck_assert_msg((r == 0) == values[_i].ok, "%s %s: %d", values[_i].param, values[_i].value, r);
}
END_TEST

START_TEST(tc_argv)
{
	char *argv[16], store[256];
	int n = sc_netem_tc_argv("sca", " loss 5%  delay 10ms ", argv, 16, store, sizeof(store));
	static const char *const want[] = {"tc", "qdisc", "replace", "dev", "sca", "root", "netem",
					   "loss", "5%", "delay", "10ms"};

	ck_assert_int_eq(n, (int)NELEM(want));
	for (int i = 0; i < n; i++)
		ck_assert_msg(strcmp(argv[i], want[i]) == 0, "word %d: '%s', want '%s'", i, argv[i], want[i]);
	ck_assert_ptr_null(argv[n]);
	ck_assert_int_eq(sc_netem_tc_argv("sca", "loss 5%", argv, 4, store, sizeof(store)), -ENOSPC);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("netem");
	TCase *tc = tcase_create("netem");

	tcase_add_loop_test(tc, set, 0, NELEM(sets));
	tcase_add_test(tc, set_too_long);
	tcase_add_loop_test(tc, check_value, 0, NELEM(values));
	tcase_add_test(tc, tc_argv);
	suite_add_tcase(s, tc);
	return s;
}
