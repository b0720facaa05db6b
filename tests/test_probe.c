/* test_probe.c - the built-in probes' own logic (probe*.c): no descriptor
 * left open when a connection cannot be made, and verdicts that follow
 * from what was measured, with a failed measurement never read as
 * evidence ("not measured" instead). The verdicts are pure functions of
 * the measured values (probe_judge.h), so the failures a healthy host
 * never shows are fed in as values. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "probe.h"
#include "probe_util.h"
#include "unit.h"

/* Lowers the descriptor limit to 64 and fills the table, then frees room
 * descriptors: the next room opens succeed, the one after fails with
 * EMFILE. (Check runs each test in a process of its own.) */
static void leave_room(int room)
{
	struct rlimit rl = {64, 64};
	int fds[64], n = 0, fd;

	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (n < 64 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fds[n++] = fd;
	ck_assert_int_ge(n, room);
	for (int i = 0; i < room; i++)
		close(fds[--n]);
}

/* How many descriptors can still be opened. */
static int free_slots(void)
{
	int fds[64], n = 0, fd;

	while (n < 64 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fds[n++] = fd;
	for (int i = 0; i < n; i++)
		close(fds[i]);
	return n;
}

/* pu_tcp_pair with room for 0 to 2 descriptors (it needs 3 at once: the
 * listener, the client, the accepted socket) fails and leaves none open;
 * with room for 3 it makes a pair that talks. */
START_TEST(tcp_pair_no_leak)
{
	int c = 7, s = 7;

	leave_room(_i);
	if (_i < 3) {
		ck_assert_int_lt(pu_tcp_pair(&c, &s), 0);
		ck_assert_int_eq(c, -1);
		ck_assert_int_eq(s, -1);
		ck_assert_int_eq(free_slots(), _i);
	} else {
		char b = 0;

		ck_assert_int_eq(pu_tcp_pair(&c, &s), 0);
		ck_assert_int_eq(write(c, "x", 1), 1);
		ck_assert_int_eq(read(s, &b, 1), 1);
		ck_assert_int_eq(b, 'x');
		close(c);
		close(s);
		ck_assert_int_eq(free_slots(), 3);
	}
}
END_TEST

/* A probe whose TCP connection cannot be accepted (EMFILE) fails and
 * leaves every descriptor it opened closed. room: enough for all it opens
 * before the accepted socket (the patterns probe's CSV takes two). */
static const struct leak_case {
	const char *name;
	int (*run)(const struct sc_probe_env *, struct sc_verdict *);
	int room;
} leak_cases[] = {
	{"zero-length", sc_probe_zero, 2},
	{"sync-async", sc_probe_sync, 2},
	{"size-limits", sc_probe_sizes, 2},
	{"read-patterns", sc_probe_patterns, 4},
};

START_TEST(probe_no_leak)
{
	const struct leak_case *k = &leak_cases[_i];
	static volatile sig_atomic_t stop;
	char dir[] = "/tmp/test_probe-XXXXXX";
	struct sc_probe_env env = {.out_dir = dir, .bin_dir = ".", .stop = &stop};
	struct sc_verdict v;
	int r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&v, 0, sizeof(v));
	leave_room(k->room);
	r = k->run(&env, &v);
	ck_assert_msg(r < 0, "%s: measured with no room for the accepted socket (%d)", k->name, r);
	ck_assert_msg(free_slots() == k->room, "%s: %d descriptor(s) left open", k->name, k->room - free_slots());
	/* Nothing written either: the CSV is dropped whole. */
	ck_assert_msg(rmdir(dir) == 0, "%s: %s", k->name, strerror(errno));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("descriptors");

	tcase_add_loop_test(tc, tcp_pair_no_leak, 0, 4);
	tcase_add_loop_test(tc, probe_no_leak, 0, NELEM(leak_cases));
	suite_add_tcase(s, tc);
	return s;
}
