/* test_endpoint.c - addresses from text and back. No traffic and no DNS:
 * only literals and "localhost" (from /etc/hosts) are resolved. */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "endpoint.h"
#include "unit.h"

#define S SOCK_STREAM
#define D SOCK_DGRAM
#define Q SOCK_SEQPACKET
#define ACTIVE 0
#define PASSIVE 1

static const struct {
	const char *in;
	int socktype, passive, want, family;
	const char *back; /* success: formatted again; failure: part of the message */
} cases[] = {
	{"127.0.0.1:5000", S, ACTIVE, 0, AF_INET, "127.0.0.1:5000"},
	{"127.0.0.1:0", D, PASSIVE, 0, AF_INET, "127.0.0.1:0"},
	{"127.0.0.1:65535", D, ACTIVE, 0, AF_INET, "127.0.0.1:65535"},
	{"0.0.0.0:5000", S, PASSIVE, 0, AF_INET, "0.0.0.0:5000"},
	{"*:5000", S, PASSIVE, 0, AF_INET, "0.0.0.0:5000"},
	{":0", D, PASSIVE, 0, AF_INET, "0.0.0.0:0"},
	{"[::1]:6000", D, ACTIVE, 0, AF_INET6, "[::1]:6000"},
	{"[::]:0", S, PASSIVE, 0, AF_INET6, "[::]:0"},
	{"[::ffff:127.0.0.1]:80", S, ACTIVE, 0, AF_INET6, "[::ffff:127.0.0.1]:80"},
	{"[fe80::1%1]:80", D, ACTIVE, 0, AF_INET6, "[fe80::1%1]:80"},
	{"localhost:80", S, ACTIVE, 0, AF_INET, "127.0.0.1:80"},
	{"127.0.0.1:5000", Q, ACTIVE, 0, AF_INET, "127.0.0.1:5000"},
	{"unix:/tmp/sc.sock", S, PASSIVE, 0, AF_UNIX, "unix:/tmp/sc.sock"},
	{"unix:relative.sock", D, ACTIVE, 0, AF_UNIX, "unix:relative.sock"},
	{"unix:@sockcmp-test", Q, PASSIVE, 0, AF_UNIX, "unix:@sockcmp-test"},
	{"unix:@", S, PASSIVE, -EINVAL, 0, "empty unix socket name"},
	{"unix:", S, PASSIVE, -EINVAL, 0, "empty unix socket path"},
	{"127.0.0.1:0", S, ACTIVE, -EINVAL, 0, "port 0 is only for receivers"},
	{"127.0.0.1:65536", S, PASSIVE, -EINVAL, 0, "from 0 to 65535"},
	{"127.0.0.1:-1", S, PASSIVE, -EINVAL, 0, "from 0 to 65535"},
	{"127.0.0.1:", S, PASSIVE, -EINVAL, 0, "from 0 to 65535"},
	{"127.0.0.1:http", S, PASSIVE, -EINVAL, 0, "from 0 to 65535"},
	{"127.0.0.1:80 ", S, PASSIVE, -EINVAL, 0, "from 0 to 65535"},
	{"127.0.0.1", S, PASSIVE, -EINVAL, 0, "expected host:port, [v6addr]:port, unix:/path or unix:@name"},
	{"foo", S, PASSIVE, -EINVAL, 0, "'foo': expected host:port"},
	{"", S, PASSIVE, -EINVAL, 0, "expected host:port"},
	{"::1:5000", S, PASSIVE, -EINVAL, 0, "needs brackets: [addr]:port"},
	{"fe80::1:80", S, ACTIVE, -EINVAL, 0, "needs brackets"},
	{"[::1:5000", S, PASSIVE, -EINVAL, 0, "expected [v6addr]:port"},
	{"[::1]5000", S, PASSIVE, -EINVAL, 0, "expected [v6addr]:port"},
	{"[]:5000", S, PASSIVE, -EINVAL, 0, "expected [v6addr]:port"},
	{"[127.0.0.1]:5000", S, PASSIVE, -EINVAL, 0, "not an IPv6 address"},
	{"[localhost]:5000", S, PASSIVE, -EINVAL, 0, "not an IPv6 address"},
	{"999.1.1.1:80", S, ACTIVE, -EINVAL, 0, "'999.1.1.1' is not an IPv4 address"},
	{"1.2.3.4.5:80", S, ACTIVE, -EINVAL, 0, "not an IPv4 address"},
	{"bad host:80", S, ACTIVE, -EINVAL, 0, "not a host name or IPv4 address"},
	{"*:5000", S, ACTIVE, -EINVAL, 0, "a sender needs a host"},
	{":5000", D, ACTIVE, -EINVAL, 0, "a sender needs a host"},
	{"\001\n;", S, PASSIVE, -EINVAL, 0, "'??;': expected host:port"}, /* fuzz_endpoint */
};

START_TEST(parse_and_format)
{
	struct sc_endpoint ep;
	char err[256] = "", back[256];
	const char *in = cases[_i].in;
	int r = sc_endpoint_parse(in, cases[_i].socktype, cases[_i].passive, &ep, err, sizeof(err));

	ck_assert_msg(r == cases[_i].want, "'%s': %d (%s), want %d", in, r, err, cases[_i].want);
	if (r < 0) {
		ck_assert_msg(strstr(err, cases[_i].back) != NULL, "'%s': message '%s' does not say '%s'", in,
			      err, cases[_i].back);
		ck_assert_msg(!strchr(err, '\n'), "'%s': message of more than one line", in);
		return;
	}
	ck_assert_msg(ep.family == cases[_i].family, "'%s': family %d", in, ep.family);
	ck_assert_msg(sc_endpoint_format(&ep, back, sizeof(back)) == 0, "'%s': format failed", in);
	ck_assert_msg(strcmp(back, cases[_i].back) == 0, "'%s' formats as '%s', want '%s'", in, back,
		      cases[_i].back);
}
END_TEST

/* sun_path holds 107 bytes and a NUL; an abstract name has the leading
 * NUL instead, so it may use all 107 after it. */
static const struct {
	const char *prefix;
	size_t n; /* bytes after the prefix */
	int want;
} unix_lengths[] = {
	{"unix:/", 106, 0}, {"unix:/", 107, -ENAMETOOLONG},
	{"unix:@", 107, 0}, {"unix:@", 108, -ENAMETOOLONG},
};

START_TEST(unix_limits)
{
	struct sc_endpoint ep;
	char spec[300], err[256] = "", back[300];
	size_t pre = strlen(unix_lengths[_i].prefix), n = unix_lengths[_i].n;
	int r;

	memcpy(spec, unix_lengths[_i].prefix, pre);
	memset(spec + pre, 'a', n);
	spec[pre + n] = '\0';
	r = sc_endpoint_parse(spec, SOCK_STREAM, 1, &ep, err, sizeof(err));
	ck_assert_msg(r == unix_lengths[_i].want, "%s + %zu bytes: %d (%s)", unix_lengths[_i].prefix, n, r,
		      err);
	if (r < 0) {
		ck_assert_msg(strstr(err, "at most 107 bytes") != NULL, "%s + %zu: limit not named: %s",
			      unix_lengths[_i].prefix, n, err);
		return;
	}
	ck_assert_int_eq(sc_endpoint_format(&ep, back, sizeof(back)), 0);
	ck_assert_msg(strcmp(back, spec) == 0, "%s + %zu: formats back as %s", unix_lengths[_i].prefix, n,
		      back);
}
END_TEST

START_TEST(unix_lengths_exact)
{
	struct sc_endpoint ep;
	const struct sockaddr_un *un = (const struct sockaddr_un *)&ep.addr;
	char err[128];

	ck_assert_int_eq(sc_endpoint_parse("unix:@name", SOCK_DGRAM, 0, &ep, err, sizeof(err)), 0);
	ck_assert_uint_eq(ep.len, offsetof(struct sockaddr_un, sun_path) + 1 + 4);
	ck_assert_int_eq(un->sun_path[0], '\0');
	ck_assert_int_eq(memcmp(un->sun_path + 1, "name", 4), 0);
	ck_assert_int_eq(sc_endpoint_parse("unix:/tmp/x", SOCK_DGRAM, 0, &ep, err, sizeof(err)), 0);
	ck_assert_uint_eq(ep.len, offsetof(struct sockaddr_un, sun_path) + 7);
	ck_assert_str_eq(un->sun_path, "/tmp/x");
}
END_TEST

START_TEST(format_too_small)
{
	struct sc_endpoint ep;
	char err[64], buf[15]; /* "127.0.0.1:5000" and its NUL */

	ck_assert_int_eq(sc_endpoint_parse("127.0.0.1:5000", SOCK_STREAM, 0, &ep, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_endpoint_format(&ep, buf, sizeof(buf) - 1), -ENOSPC);
	ck_assert_int_eq(sc_endpoint_format(&ep, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "127.0.0.1:5000");
}
END_TEST

START_TEST(null_and_short_error_buffers)
{
	struct sc_endpoint ep;
	char err[8];

	ck_assert_int_eq(sc_endpoint_parse("nonsense", SOCK_STREAM, 1, &ep, NULL, 0), -EINVAL);
	ck_assert_int_eq(sc_endpoint_parse("nonsense", SOCK_STREAM, 1, &ep, err, sizeof(err)), -EINVAL);
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("endpoint");
	TCase *tc = tcase_create("endpoint");

	tcase_add_loop_test(tc, parse_and_format, 0, NELEM(cases));
	tcase_add_loop_test(tc, unix_limits, 0, NELEM(unix_lengths));
	tcase_add_test(tc, unix_lengths_exact);
	tcase_add_test(tc, format_too_small);
	tcase_add_test(tc, null_and_short_error_buffers);
	suite_add_tcase(s, tc);
	return s;
}
