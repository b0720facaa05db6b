/* test_plan.c - trial time limits follow from the plan: counts, pacing,
 * pauses, the receiver's delays, sweep points and the link. */
#include <string.h>

#include "plan.h"
#include "script.h"
#include "unit.h"

#define S 1000000000ull
#define MS 1000000ull

/* Parses script text into e (the test fails if it does not parse). */
static void parse(const char *text, struct sc_experiment *e)
{
	char err[512];

	ck_assert_msg(sc_script_parse(text, strlen(text), "t.exp", e, err, sizeof(err)) == 0, "%s", err);
}

/* issue 7 #13: 700 x 64 paced at 100 ms takes 70 s, and was abandoned at
 * the fixed 60 s limit. */
START_TEST(paced_beyond_a_minute)
{
	struct sc_experiment e;

	parse("experiment p\ntransports tcp udp\nsend 700 x 64\npace 100ms\nrecv 64k\n", &e);
	for (size_t j = 0; j < e.ntransports; j++) {
		uint64_t exp = sc_plan_trial_ns(&e, e.transports[j]);

		ck_assert_uint_ge(exp, 699 * 100 * MS);
		ck_assert_uint_le(exp, 80 * S);
		ck_assert_uint_ge(sc_plan_trial_limit_ns(&e, e.transports[j]), exp + 60 * S);
	}
}
END_TEST

/* 10 million back-to-back messages: no wait in the plan, but far more than
 * a minute's worth of work for a busy host. */
START_TEST(ten_million)
{
	struct sc_experiment e;

	parse("experiment m\ntransports udp\nsend 10000000 x 64\nrecv 64k\n", &e);
	ck_assert_uint_ge(sc_plan_trial_ns(&e, e.transports[0]), 10000000ull * SC_PLAN_MSG_NS);
	/* Twenty times the work: a loaded host is several times slower. */
	ck_assert_uint_ge(sc_plan_trial_limit_ns(&e, e.transports[0]), 1000 * S);
}
END_TEST

static const struct {
	const char *name, *script;
	uint64_t min_ns, max_ns; /* expected duration of one trial */
} cases[] = {
	{"tiny", "experiment a\ntransports tcp\nsend 10 x 64\nrecv 64k\n", 0, 1 * S},
	{"pauses add up", "experiment a\ntransports tcp\nsend 1 x 64\npause 2s\nsend 1 x 64\npause 3s\nsend 1 x 64\nrecv 64k\n",
	 5 * S, 6 * S},
	{"receiver after", "experiment a\ntransports udp\nsend 10 x 64\nrecv 64k after 330s\n", 330 * S, 331 * S},
	{"receiver every read", "experiment a\ntransports udp\nsend 100 x 64\nrecv 64k every 100ms\n", 10 * S, 11 * S},
	{"a stream reads several messages at once",
	 "experiment a\ntransports tcp\nsend 100 x 1000\nrecv 10000 every 100ms\n", 1 * S, 2 * S},
	{"link delay", "experiment a\ntransports tcp\nsend 10 x 64\nrecv 64k\nlink delay 1s\n", 10 * S, 12 * S},
	{"link rate", "experiment a\ntransports udp\nsend 1000 x 1000\nrecv 64k\nlink rate 1mbit\n",
	 8 * S, 10 * S},
};

START_TEST(expected)
{
	struct sc_experiment e;
	uint64_t ns;

	parse(cases[_i].script, &e);
	ns = sc_plan_trial_ns(&e, e.transports[0]);
	ck_assert_msg(ns >= cases[_i].min_ns && ns <= cases[_i].max_ns, "%s: %.3f s", cases[_i].name,
		      (double)ns / S);
}
END_TEST

/* A sweep's points each count with their own value: 'after' swept up to
 * 330 s makes the run (and the guest's limit) at least that long. */
START_TEST(sweep_points)
{
	struct sc_experiment e;

	parse("experiment s\ntransports tcp udp\nsend 10 x 64\nrecv 64k\nrepeat 2\nsweep after 0 10s 330s\n", &e);
	ck_assert_uint_ge(sc_plan_run_ns(&e), 2 * 2 * 340 * S);
	ck_assert_uint_le(sc_plan_run_ns(&e), 2 * 2 * 342 * S);
	ck_assert_uint_ge(sc_plan_run_limit_ns(&e), 2 * sc_plan_run_ns(&e));
}
END_TEST

/* The script's timeout replaces the 60 s stall allowance, but never cuts
 * the plan's own time short. */
START_TEST(timeout_adds_to_plan)
{
	struct sc_experiment e;

	parse("experiment t\ntransports udp\nsend 30 x 64\npace 100ms\nrecv 64k\ntimeout 1s\n", &e);
	ck_assert_uint_ge(sc_plan_trial_limit_ns(&e, e.transports[0]), 2 * 29 * 100 * MS + 2 * S);
	ck_assert_uint_lt(sc_plan_trial_limit_ns(&e, e.transports[0]), 60 * S);
}
END_TEST

static const struct {
	const char *args;
	uint64_t delay_ns, rate_bps;
} netem[] = {
	{"delay 10ms", 10 * MS, 0},
	{"loss 5% delay 100ms 10ms rate 1mbit", 100 * MS, 1000000},
	{"rate 100kbit", 0, 100000},
	{"rate 2kbps", 0, 16000},
	{"rate 1000", 0, 8000},
	{"delay", 0, 0},
	{"rate fast", 0, 0},
	{"", 0, 0},
};

START_TEST(netem_args)
{
	ck_assert_uint_eq(sc_plan_netem_delay_ns(netem[_i].args), netem[_i].delay_ns);
	ck_assert_uint_eq(sc_plan_netem_rate_bps(netem[_i].args), netem[_i].rate_bps);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, paced_beyond_a_minute);
	tcase_add_test(tc, ten_million);
	tcase_add_loop_test(tc, expected, 0, NELEM(cases));
	tcase_add_test(tc, sweep_points);
	tcase_add_test(tc, timeout_adds_to_plan);
	tcase_add_loop_test(tc, netem_args, 0, NELEM(netem));
	suite_add_tcase(s, tc);
	return s;
}
