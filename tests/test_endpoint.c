/* test_endpoint.c - addresses from text and back (no traffic, no DNS:
 * only literals and localhost). */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#include "endpoint.h"
#include "unit.h"

static const struct {
	const char *in;
	int socktype, passive, want, family;
	const char *back; /* formatted again, or NULL */
} cases[] = {
	{"127.0.0.1:5000", SOCK_STREAM, 0, 0, AF_INET, "127.0.0.1:5000"},
	{"127.0.0.1:0", SOCK_DGRAM, 1, 0, AF_INET, "127.0.0.1:0"},
	{"0.0.0.0:5000", SOCK_STREAM, 1, 0, AF_INET, "0.0.0.0:5000"},
	{"[::1]:6000", SOCK_DGRAM, 0, 0, AF_INET6, "[::1]:6000"},
	{"[::]:0", SOCK_STREAM, 1, 0, AF_INET6, "[::]:0"},
	{"localhost:80", SOCK_STREAM, 0, 0, 0, NULL},
	{"unix:/tmp/sc.sock", SOCK_STREAM, 1, 0, AF_UNIX, "unix:/tmp/sc.sock"},
	{"unix:@sockcmp-test", SOCK_SEQPACKET, 1, 0, AF_UNIX, "unix:@sockcmp-test"},
	{"127.0.0.1:0", SOCK_STREAM, 0, -EINVAL, 0, NULL},
	{"127.0.0.1:65536", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"127.0.0.1:-1", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"127.0.0.1", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"127.0.0.1:http", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"::1:5000", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"[::1:5000", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"[]:5000", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"[127.0.0.1]:5000", SOCK_STREAM, 1, -ENOENT, 0, NULL},
	{"unix:", SOCK_STREAM, 1, -EINVAL, 0, NULL},
	{"unix:@", SOCK_STREAM, 1, -EINVAL, 0, NULL},
};

START_TEST(parse_and_format)
{
	struct sc_endpoint ep;
	char err[256] = "", back[256];
	int r = sc_endpoint_parse(cases[_i].in, cases[_i].socktype, cases[_i].passive, &ep, err, sizeof(err));

	ck_assert_msg(r == cases[_i].want, "'%s': %d (%s), want %d", cases[_i].in, r, err, cases[_i].want);
	if (r < 0) {
		ck_assert_msg(err[0] && !strchr(err, '\n'), "'%s': no one-line message", cases[_i].in);
		return;
	}
	if (cases[_i].family)
		ck_assert_int_eq(ep.family, cases[_i].family);
	if (cases[_i].back) {
		ck_assert_int_eq(sc_endpoint_format(&ep, back, sizeof(back)), 0);
		ck_assert_msg(strcmp(back, cases[_i].back) == 0, "'%s' formats as '%s'", cases[_i].in, back);
	}
}
END_TEST

START_TEST(unix_path_limit)
{
	struct sc_endpoint ep;
	char spec[200], err[256];

	memset(spec, 'a', sizeof(spec));
	memcpy(spec, "unix:/", 6);
	spec[5 + sizeof(((struct sockaddr_un *)0)->sun_path) - 1] = '\0'; /* exactly 107 bytes */
	ck_assert_int_eq(sc_endpoint_parse(spec, SOCK_STREAM, 1, &ep, err, sizeof(err)), 0);
	spec[5 + 107] = 'a';
	spec[5 + 108] = '\0';
	ck_assert_int_eq(sc_endpoint_parse(spec, SOCK_STREAM, 1, &ep, err, sizeof(err)), -ENAMETOOLONG);
	ck_assert_msg(strstr(err, "107") != NULL, "limit not named: %s", err);
}
END_TEST

START_TEST(format_too_small)
{
	struct sc_endpoint ep;
	char err[64], small[8];

	ck_assert_int_eq(sc_endpoint_parse("127.0.0.1:5000", SOCK_STREAM, 0, &ep, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_endpoint_format(&ep, small, sizeof(small)), -ENOSPC);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("endpoint");
	TCase *tc = tcase_create("endpoint");

	tcase_add_loop_test(tc, parse_and_format, 0, NELEM(cases));
	tcase_add_test(tc, unix_path_limit);
	tcase_add_test(tc, format_too_small);
	suite_add_tcase(s, tc);
	return s;
}
