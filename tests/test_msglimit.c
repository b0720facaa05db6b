/* test_msglimit.c - the probe of this kernel's per-message limits: what it
 * finds is what a real send of that size does, and an experiment whose
 * plan goes past it is refused with the line of the send. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msglimit.h"
#include "unit.h"

/* Returns 0 if one message of len bytes goes through a fresh socketpair of
 * type socktype with SO_SNDBUF sndbuf (0 = default), else -errno. */
static int send_one(int socktype, int sndbuf, size_t len)
{
	int sv[2], r = 0;
	char *buf = calloc(1, len);

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(socketpair(AF_UNIX, socktype, 0, sv), 0);
	if (sndbuf)
		ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	if (send(sv[0], buf, len, MSG_DONTWAIT) < 0)
		r = -errno;
	close(sv[0]);
	close(sv[1]);
	free(buf);
	return r;
}

static const struct {
	const char *name;
	int socktype;
	int sndbuf;
} unix_cases[] = {
	{"unix-dgram", SOCK_DGRAM, 0},
	{"unix-seqpacket", SOCK_SEQPACKET, 0},
	{"unix-dgram", SOCK_DGRAM, 4096},
	{"unix-seqpacket", SOCK_SEQPACKET, 65536},
};

START_TEST(probe_matches_a_real_send)
{
	const struct sc_transport *t = sc_transport_find(unix_cases[_i].name);
	uint64_t max = 0;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(sc_msglimit_probe(t, (uint64_t)unix_cases[_i].sndbuf, &max), 0);
	ck_assert_msg(max > 0, "%s: no limit found", unix_cases[_i].name);
	ck_assert_msg(send_one(unix_cases[_i].socktype, unix_cases[_i].sndbuf, max) == 0,
		      "%s (sndbuf %d): %llu bytes do not go", unix_cases[_i].name, unix_cases[_i].sndbuf,
		      (unsigned long long)max);
	ck_assert_msg(send_one(unix_cases[_i].socktype, unix_cases[_i].sndbuf, max + 1) == -EMSGSIZE,
		      "%s (sndbuf %d): %llu bytes are not refused", unix_cases[_i].name,
		      unix_cases[_i].sndbuf, (unsigned long long)max + 1);
}
END_TEST

START_TEST(fixed_limits)
{
	static const struct {
		const char *name;
		uint64_t max;
	} fixed[] = {{"tcp", 0}, {"tcp6", 0}, {"unix-stream", 0}, {"udp", 65507}, {"udp6", 65527}};

	for (size_t i = 0; i < NELEM(fixed); i++) {
		uint64_t max = 99;

		ck_assert_int_eq(sc_msglimit_probe(sc_transport_find(fixed[i].name), 0, &max), 0);
		ck_assert_msg(max == fixed[i].max, "%s: %llu", fixed[i].name, (unsigned long long)max);
	}
}
END_TEST

/* A plan past the probed limit is refused, naming the send's line. */
START_TEST(check_experiment)
{
	static const char over[] = "experiment x\ntransports unix-stream unix-dgram\nsend 5 x 100\n"
				   "send 2 x 16M\nrecv 1\n";
	static const char small_buf[] = "experiment x\ntransports unix-seqpacket\nsend 3 x 8k\n"
					"sndbuf 4k\nrecv 1\n";
	static const char sweep[] = "experiment x\ntransports unix-dgram\nsend 3 x 100\nrecv 1\n"
				    "sweep size 1k 16M\n";
	static const char fine[] = "experiment x\ntransports tcp unix-stream unix-dgram unix-seqpacket\n"
				   "send 3 x 1k\nrecv 1\n";
	struct sc_experiment e;
	char err[512] = "";

	ck_assert_int_eq(sc_script_parse(over, strlen(over), "m.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_msglimit_check(&e, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strncmp(err, "m.exp:4: send size 16777216 is above unix-dgram's limit of ", 59) == 0,
		      "%s", err);
	ck_assert_msg(strstr(err, "sender's socket buffer on this kernel") != NULL, "%s", err);

	ck_assert_int_eq(sc_script_parse(small_buf, strlen(small_buf), "m.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_msglimit_check(&e, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strncmp(err, "m.exp:3: send size 8192 is above unix-seqpacket's limit", 55) == 0,
		      "%s", err);
	ck_assert_msg(strstr(err, "with this 'sndbuf'") != NULL, "%s", err);

	ck_assert_int_eq(sc_script_parse(sweep, strlen(sweep), "m.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_msglimit_check(&e, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strncmp(err, "m.exp:5: sweep size 16M is above unix-dgram's limit", 51) == 0, "%s",
		      err);

	ck_assert_int_eq(sc_script_parse(fine, strlen(fine), "m.exp", &e, err, sizeof(err)), 0);
	ck_assert_msg(sc_msglimit_check(&e, err, sizeof(err)) == 0, "%s", err);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("msglimit");
	TCase *tc = tcase_create("msglimit");

	tcase_add_loop_test(tc, probe_matches_a_real_send, 0, NELEM(unix_cases));
	tcase_add_test(tc, fixed_limits);
	tcase_add_test(tc, check_experiment);
	suite_add_tcase(s, tc);
	return s;
}
