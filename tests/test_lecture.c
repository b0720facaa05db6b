/* test_lecture.c - the lecture's verdicts from crafted rows: a
 * timing-dependent claim is judged on every trial, not on trial 1, and a
 * single counterexample is enough. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lecture.h"
#include "rows.h"
#include "unit.h"

/* boundaries-now's stream trials: the reads each took, in trial order. */
static const struct {
	const char *name;
	int calls[3];
	const char *want; /* start of the verdict */
} cases[] = {
	/* Trial 1 read all at once, trials 2 and 3 in pieces: the run that
	 * said "held here too" (issue 8: trial 1 alone proves nothing). */
	{"trial 1 whole, others split", {1, 4, 5}, "too simple"},
	{"every trial split", {5, 4, 5}, "too simple"},
	{"only the last trial split", {1, 1, 2}, "too simple"},
	{"every trial whole", {1, 1, 1}, "held in every trial"},
};

START_TEST(boundaries_now)
{
	struct sc_rows r = {0};
	char buf[512];
	const char *v;

	for (int t = 0; t < 3; t++) {
		struct sc_row *w = sc_rows_add(&r);

		ck_assert_ptr_nonnull(w);
		snprintf(w->transport, sizeof(w->transport), "tcp");
		w->trial = (unsigned)t + 1;
		w->sent_msgs = 5;
		w->sent_bytes = w->recv_bytes = 2560;
		w->recv_calls = (uint64_t)cases[_i].calls[t];
	}
	v = sc_lecture_verdict("boundaries-now", true, &r, buf, sizeof(buf));
	ck_assert_ptr_nonnull(v);
	ck_assert_msg(!strncmp(v, cases[_i].want, strlen(cases[_i].want)), "%s: got '%s', want '%s...'",
		      cases[_i].name, v, cases[_i].want);
	sc_rows_free(&r);
}
END_TEST

/* A failed trial is no evidence either way. */
START_TEST(failed_trial_ignored)
{
	struct sc_rows r = {0};
	struct sc_row *w = sc_rows_add(&r);
	char buf[512];

	snprintf(w->transport, sizeof(w->transport), "tcp");
	w->trial = 1;
	w->status = 1;
	w->recv_calls = 3;
	w->sent_bytes = w->recv_bytes = 2560;
	ck_assert_str_eq(sc_lecture_verdict("boundaries-now", true, &r, buf, sizeof(buf)),
			 "not measured: no trial of this kind finished");
	sc_rows_free(&r);
}
END_TEST

/* Failed trials on the claims judged on every trial: no verdict from
 * them. The old code gave "confirmed, on one impaired link" for UDP's
 * "no warranties" when its only trial had failed (a failed trial broke
 * "nothing went wrong", and the split verdict followed), and "not
 * reproduced" for a stream claim whose trials all failed. */
static const struct {
	const char *name, *exp;
	bool streams;
	int status[2];   /* per trial; -1: no such trial */
	bool intact;     /* the finished trials delivered everything */
	const char *want; /* start of the verdict */
} failed_cases[] = {
	{"udp reliability, its only trial failed", "reliability", false, {1, -1}, true, "not measured"},
	{"udp reliability, no trial", "reliability", false, {-1, -1}, true, "not measured"},
	{"tcp reliability, both trials failed", "reliability", true, {1, 1}, true, "not measured"},
	{"tcp reliability, one failed, one intact", "reliability", true, {1, 0}, true, "confirmed"},
	{"udp overflow, its only trial failed", "overflow", false, {1, -1}, true, "not measured"},
	{"udp reliability, one failed, one intact", "reliability", false, {0, 1}, true, "not reproduced"},
	{"udp reliability, a finished trial lost", "reliability", false, {0, -1}, false, "confirmed"},
};

START_TEST(failed_trials_no_verdict)
{
	struct sc_rows r = {0};
	char buf[512];
	const char *v;

	for (int t = 0; t < 2; t++) {
		struct sc_row *w;

		if (failed_cases[_i].status[t] < 0)
			continue;
		w = sc_rows_add(&r);
		ck_assert_ptr_nonnull(w);
		snprintf(w->transport, sizeof(w->transport), "%s", failed_cases[_i].streams ? "tcp" : "udp");
		snprintf(w->link, sizeof(w->link), "loss 5%%");
		w->trial = (unsigned)t + 1;
		w->status = failed_cases[_i].status[t];
		w->sent_msgs = 2000;
		w->sent_bytes = 2000 * 512;
		/* A failed trial's counts say nothing arrived. */
		w->unique_msgs = w->recv_msgs = w->status || !failed_cases[_i].intact ? 1500 : 2000;
		w->recv_bytes = w->unique_msgs * 512;
		w->lost = 2000 - w->unique_msgs;
	}
	v = sc_lecture_verdict(failed_cases[_i].exp, failed_cases[_i].streams, &r, buf, sizeof(buf));
	ck_assert_ptr_nonnull(v);
	ck_assert_msg(!strncmp(v, failed_cases[_i].want, strlen(failed_cases[_i].want)), "%s: got '%s', want '%s...'",
		      failed_cases[_i].name, v, failed_cases[_i].want);
	sc_rows_free(&r);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("lecture");
	TCase *tc = tcase_create("lecture");

	tcase_add_loop_test(tc, boundaries_now, 0, NELEM(cases));
	tcase_add_test(tc, failed_trial_ignored);
	tcase_add_loop_test(tc, failed_trials_no_verdict, 0, NELEM(failed_cases));
	suite_add_tcase(s, tc);
	return s;
}
