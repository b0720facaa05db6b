/* test_netem.c - netem argument strings and the tc command line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netem.h"
#include "unit.h"

/* sc_netem_set: the clause of that param (keyword to the next keyword)
 * goes, "param value" is appended, blanks are normalised. */
static const struct {
	const char *start, *param, *value, *want;
	size_t cap;
	int r;
} sets[] = {
	{"", "loss", "5%", "loss 5%", 64, 0},
	{"loss 1%", "loss", "20%", "loss 20%", 64, 0},
	{"delay 10ms loss 1%", "loss", "0%", "delay 10ms loss 0%", 64, 0},
	{"delay 10ms 2ms loss 1%", "delay", "5ms", "loss 1% delay 5ms", 64, 0},
	{"delay 10ms 2ms 25% distribution normal loss 1%", "delay", "5ms",
	 "distribution normal loss 1% delay 5ms", 64, 0},
	{"loss random 1% duplicate 2%", "loss", "3%", "duplicate 2% loss 3%", 64, 0},
	{"loss gemodel 1% 10% 70% 0.1% rate 1mbit", "loss", "3%", "rate 1mbit loss 3%", 64, 0},
	{"loss state 1% 2% ecn", "loss", "3%", "ecn loss 3%", 64, 0},
	{"delay 10ms reorder 25% 50% gap 5", "reorder", "10%", "delay 10ms gap 5 reorder 10%", 64, 0},
	{"latency 10ms loss 1%", "delay", "20ms", "loss 1% delay 20ms", 64, 0},
	{"drop 1% delay 5ms", "loss", "2%", "delay 5ms loss 2%", 64, 0},
	{"loss 1% loss 2% delay 5ms", "loss", "3%", "delay 5ms loss 3%", 64, 0},
	{"  loss   1%\t ", "duplicate", "5%", "loss 1% duplicate 5%", 64, 0},
	{"rate 1mbit limit 100", "limit", "1000", "rate 1mbit limit 1000", 64, 0},
	{"loss 1%", "colour", "red", "loss 1%", 64, -EINVAL},
	{"loss 1%", "slot", "1ms", "loss 1%", 64, -EINVAL},
	/* "loss 1% delay 100ms" is 19 bytes and a NUL. */
	{"loss 1%", "delay", "100ms", "loss 1% delay 100ms", 20, 0},
	{"loss 1%", "delay", "100ms", "loss 1%", 19, -ENOSPC},
	{"", "delay", "1ms", "delay 1ms", 10, 0},
	{"", "delay", "1ms", "", 9, -ENOSPC},
	/* Dropping a clause can make room for the new one. */
	{"delay 100ms", "delay", "5ms", "delay 5ms", 12, 0},
};

START_TEST(set)
{
	char args[128];
	int r;

	snprintf(args, sizeof(args), "%s", sets[_i].start);
	r = sc_netem_set(args, sets[_i].cap, sets[_i].param, sets[_i].value);
	ck_assert_msg(r == sets[_i].r, "'%s' + %s %s (cap %zu): %d, want %d", sets[_i].start, sets[_i].param,
		      sets[_i].value, sets[_i].cap, r, sets[_i].r);
	ck_assert_msg(strcmp(args, sets[_i].want) == 0, "'%s' + %s %s = '%s', want '%s'", sets[_i].start,
		      sets[_i].param, sets[_i].value, args, sets[_i].want);
}
END_TEST

static const struct {
	const char *param, *value;
	int ok;
} values[] = {
	{"loss", "5%", 1},          {"loss", "0.5%", 1},       {"loss", "0%", 1},
	{"loss", "100%", 1},        {"loss", "100.0%", 1},     {"loss", "100.01%", 0},
	{"loss", "101%", 0},        {"loss", "5", 0},          {"loss", "-1%", 0},
	{"loss", "x%", 0},          {"loss", "5.%", 0},        {"loss", ".5%", 0},
	{"loss", "0x5%", 0},        {"loss", "1e1%", 0},       {"loss", "5%%", 0},
	{"loss", "5 %", 0},         {"loss", "", 0},           {"loss", "99999999999999999999%", 0},
	{"reorder", "25%", 1},      {"duplicate", "2%", 1},    {"corrupt", "0.1%", 1},
	{"delay", "10ms", 1},       {"delay", "0", 1},         {"delay", "60s", 1},
	{"delay", "61s", 0},        {"delay", "10", 0},        {"delay", "10%", 0},
	{"rate", "10mbit", 1},      {"rate", "500kbit", 1},    {"rate", "1Gbit", 1},
	{"rate", "8000bit", 1},     {"rate", "1mbps", 1},      {"rate", "fast", 0},
	{"rate", "0kbit", 0},       {"rate", "10", 0},         {"rate", "10mbits", 0},
	{"rate", "99999999999999999999999mbit", 0},
	{"limit", "1000", 1},       {"limit", "4294967295", 1}, {"limit", "4294967296", 0},
	{"limit", "0", 0},          {"limit", "1k", 0},
	{"colour", "red", 0},       {"slot", "1ms", 0},
};

START_TEST(check_value)
{
	int r = sc_netem_check_value(values[_i].param, values[_i].value);

	ck_assert_msg((r == 0) == values[_i].ok, "%s '%s': %d, want %s", values[_i].param, values[_i].value,
		      r, values[_i].ok ? "accepted" : "-EINVAL");
	ck_assert_msg(r == 0 || r == -EINVAL, "%s '%s': %d", values[_i].param, values[_i].value, r);
}
END_TEST

/* A sweep value and the same value in a netem line go through one check:
 * "PARAM V" passes sc_netem_check_args exactly when V passes
 * sc_netem_check_value (a sweep of delay 1.5ms or 10msec was refused while
 * a link line took them). The values above, and tc's spellings of times. */
static const struct {
	const char *value;
	int ok;
} delays[] = {
	{"10ms", 1},   {"1.5ms", 1},  {"10msec", 1}, {"1sec", 1},   {"2secs", 1},  {"0.5s", 1},
	{"250usec", 1}, {"100nsec", 1}, {"0", 1},     {"0ms", 1},    {".5ms", 1},   {"60s", 1},
	{"60.5s", 0},  {"61s", 0},    {"10", 0},     {"10%", 0},    {"ms", 0},     {"-1ms", 0},
	{"1e3ms", 0},  {"10 ms", 0},  {"10mins", 0}, {"0x10ms", 0}, {"", 0},       {"1.5", 0},
};

/* "PARAM VALUE" as a netem line (a reorder needs a delay beside it). */
static int line_check(const char *param, const char *value)
{
	char line[200];

	snprintf(line, sizeof(line), "%s%s %s", strcmp(param, "reorder") ? "" : "delay 10ms ", param, value);
	return sc_netem_check_args(line, NULL, 0);
}

/* (One test over each whole table, not one per row: each row of a loop
 * test is a fork, and the sanitizer build's forks are slow.) */
START_TEST(sweep_value_as_line_delay)
{
	for (size_t i = 0; i < NELEM(delays); i++) {
		int v = sc_netem_check_value("delay", delays[i].value), l = line_check("delay", delays[i].value);

		ck_assert_msg((v == 0) == delays[i].ok, "delay '%s': sweep check %d, want %s", delays[i].value, v,
			      delays[i].ok ? "accepted" : "refused");
		ck_assert_msg((l == 0) == delays[i].ok, "delay '%s': line check %d, want %s", delays[i].value, l,
			      delays[i].ok ? "accepted" : "refused");
	}
}
END_TEST

START_TEST(sweep_value_as_line)
{
	for (size_t i = 0; i < NELEM(values); i++) {
		const char *p = values[i].param, *v = values[i].value;
		int cv, cl;

		if (!sc_netem_is_param(p) || strchr(v, ' ') || !*v)
			continue; /* not sweepable, or not one word in a line */
		cv = sc_netem_check_value(p, v);
		cl = line_check(p, v);
		ck_assert_msg((cv == 0) == (cl == 0), "%s '%s': sweep check %d, line check %d", p, v, cv, cl);
	}
}
END_TEST

static const struct {
	const char *word;
	bool param, keyword;
} kw[] = {
	{"loss", true, true},     {"delay", true, true},   {"reorder", true, true},
	{"duplicate", true, true}, {"corrupt", true, true}, {"rate", true, true},
	{"limit", true, true},    {"latency", false, true}, {"drop", false, true},
	{"slot", false, true},    {"gap", false, true},    {"ecn", false, true},
	{"distribution", false, true}, {"seed", false, true}, {"random", false, false},
	{"gemodel", false, false}, {"lo", false, false},   {"", false, false},
	{"Loss", false, false},
};

START_TEST(keywords)
{
	ck_assert_msg(sc_netem_is_param(kw[_i].word) == kw[_i].param, "'%s': is_param",
		      kw[_i].word);
	ck_assert_msg(sc_netem_is_keyword(kw[_i].word) == kw[_i].keyword, "'%s': is_keyword",
		      kw[_i].word);
}
END_TEST

/* sc_netem_check_args: whole argument strings, NULL = accepted, else a
 * part of the message. */
static const struct {
	const char *args, *part;
} argses[] = {
	{"", NULL},
	{"loss 5%", NULL},
	{"loss 5% delay 10ms reorder 25% duplicate 2%", NULL},
	{"  delay\t10ms  2ms 25%  distribution normal ", NULL},
	{"distribution paretonormal delay 10ms 1ms", NULL},
	{"latency 1.5ms loss random 1% 25%", NULL},
	{"drop 1%", NULL},
	{"loss state 1% 2% 3% 4% 5%", NULL},
	{"loss gemodel 1% 10% 70% 0.1% rate 1mbit", NULL},
	{"delay 10ms reorder 25% 50% gap 5", NULL},
	{"rate 10mbit -20 64 -4 limit 1000", NULL},
	{"slot 1ms 10ms packets 5 bytes 1500", NULL},
	{"slot distribution pareto 1ms 1ms packets 5", NULL},
	{"delay 0 loss 1% ecn seed 0", NULL},
	{"delay 10msec", NULL},
	{"delay 60s", NULL},
	{"reorder 0% delay 0ms", NULL},
	/* What the issue found passing 'check', and its kin. */
	{"loss 5% delay", "delay needs a value (a time such as 10ms)"},
	{"loss", "loss needs a value (a percentage such as 5%)"},
	{"loss delay 10ms", "loss needs a value"},
	{"loss random", "loss random needs a value"},
	{"loss 5", "bad value '5' after loss (expected a percentage such as 5%)"},
	{"loss 5% 5", "bad value '5' after loss"},
	{"loss 5% banana", "'banana' is not a netem keyword"},
	{"loss state 1% 2% 3% 4% 5% 6%", "'6%' is not a netem keyword"},
	{"delay 10", "bad value '10' after delay (expected a time such as 10ms)"},
	{"delay 61s", "bad value '61s' after delay"},
	{"delay banana", "bad value 'banana' after delay"},
	{"delay 10ms banana", "'banana' is not a netem keyword"},
	{"delay 10ms 1x", "bad value '1x' after delay (expected a time such as 10ms)"},
	{"rate 1mbit -x", "'-x' is not a netem keyword"},
	{"delay 10ms 2ms 25% 3%", "'3%' is not a netem keyword"},
	{"rate fast", "bad value 'fast' after rate (expected a rate such as 10mbit)"},
	{"rate", "rate needs a value"},
	{"limit 0", "bad value '0' after limit"},
	{"distribution lumpy", "bad value 'lumpy' after distribution"},
	{"slot", "slot needs a value"},
	{"slot 1ms packets", "slot packets needs a whole number"},
	{"slot distribution normal 1ms", "slot distribution needs a distribution, a delay and a jitter"},
	{"lose 5%", "'lose' is not a netem keyword"},
	{"loss 1% drop 2%", "loss given twice ('loss' and 'drop')"},
	{"delay 1ms latency 2ms", "delay given twice ('delay' and 'latency')"},
	{"reorder 25%", "reorder needs a delay above 0"},
	{"delay 0ms reorder 25%", "reorder needs a delay above 0"},
	{"ecn 1%", "'1%' is not a netem keyword"},
	{"distribution normal", "distribution needs a delay and a jitter above 0"},
	{"delay 10ms distribution normal", "distribution needs a delay and a jitter above 0"},
	{"distribution pareto delay 10ms 0ms", "distribution needs a delay and a jitter above 0"},
};

START_TEST(check_args)
{
	char err[256] = "";
	int r = sc_netem_check_args(argses[_i].args, err, sizeof(err));

	if (!argses[_i].part) {
		ck_assert_msg(r == 0, "'%s': %d (%s)", argses[_i].args, r, err);
		return;
	}
	ck_assert_msg(r == -EINVAL, "'%s': accepted", argses[_i].args);
	ck_assert_msg(strstr(err, argses[_i].part) != NULL, "'%s': '%s' does not say '%s'",
		      argses[_i].args, err, argses[_i].part);
	ck_assert_int_eq(sc_netem_check_args(argses[_i].args, NULL, 0), -EINVAL);
}
END_TEST

START_TEST(tc_argv)
{
	char *argv[16], store[256];
	int n = sc_netem_tc_argv("sca", " loss 5%  delay\t10ms ", argv, 16, store, sizeof(store));
	static const char *const want[] = {"tc", "qdisc", "replace", "dev", "sca", "root", "netem",
					   "loss", "5%", "delay", "10ms"};

	ck_assert_int_eq(n, (int)NELEM(want));
	for (int i = 0; i < n; i++)
		ck_assert_msg(strcmp(argv[i], want[i]) == 0, "word %d: '%s', want '%s'", i, argv[i], want[i]);
	ck_assert_ptr_null(argv[n]);
}
END_TEST

/* Room for exactly the words and the NULL, and one less of each. */
START_TEST(tc_argv_limits)
{
	char *argv[16], store[64];
	const size_t words = 7 + 2, bytes = sizeof("tc qdisc replace dev sca root netem loss 5%");

	ck_assert_int_eq(sc_netem_tc_argv("sca", "loss 5%", argv, words + 1, store, bytes), (int)words);
	ck_assert_int_eq(sc_netem_tc_argv("sca", "loss 5%", argv, words, store, bytes), -ENOSPC);
	ck_assert_int_eq(sc_netem_tc_argv("sca", "loss 5%", argv, words + 1, store, bytes - 1), -ENOSPC);
	ck_assert_int_eq(sc_netem_tc_argv("sca", "", argv, 8, store, sizeof(store)), 7);
	ck_assert_int_eq(sc_netem_tc_argv("sca", "", argv, 0, store, sizeof(store)), -ENOSPC);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("netem");
	TCase *tc = tcase_create("netem");

	tcase_add_loop_test(tc, set, 0, NELEM(sets));
	tcase_add_loop_test(tc, check_value, 0, NELEM(values));
	tcase_add_test(tc, sweep_value_as_line_delay);
	tcase_add_test(tc, sweep_value_as_line);
	tcase_add_loop_test(tc, keywords, 0, NELEM(kw));
	tcase_add_loop_test(tc, check_args, 0, NELEM(argses));
	tcase_add_test(tc, tc_argv);
	tcase_add_test(tc, tc_argv_limits);
	suite_add_tcase(s, tc);
	return s;
}
