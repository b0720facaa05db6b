/* test_exchange.c - the raw-mode conversation log: how bytes are shown as
 * text and how peers' addresses are named. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#include "exchange.h"
#include "unit.h"

static const struct {
	const char *in;
	size_t n;
	size_t buflen;
	const char *want;
} esc[] = {
	{"hello server", 12, 64, "hello server"},
	{"a\nb\r\t", 5, 64, "a\\nb\\r\\t"},
	{"x\0y", 3, 64, "x\\0y"},
	{"back\\slash", 10, 64, "back\\\\slash"},
	{"\x01\xff", 2, 64, "\\x01\\xff"},
	{"", 0, 64, ""},
	{"abcdef", 6, 4, "abc"},          /* truncated, terminated */
	{"\x01" "abc", 4, 4, ""},         /* an escape that does not fit is left out whole */
};

START_TEST(escape)
{
	char buf[64];

	memset(buf, 'Z', sizeof(buf));
	sc_exchange_escape((const uint8_t *)esc[_i].in, esc[_i].n, buf, esc[_i].buflen);
	ck_assert_msg(strcmp(buf, esc[_i].want) == 0, "case %d: got '%s', want '%s'", _i, buf, esc[_i].want);
}
END_TEST

START_TEST(peers)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(40000)};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	char buf[64];

	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	sc_exchange_peer((struct sockaddr *)&in, sizeof(in), buf, sizeof(buf));
	ck_assert_str_eq(buf, "127.0.0.1:40000");
	sc_exchange_peer((struct sockaddr *)&un, sizeof(sa_family_t), buf, sizeof(buf));
	ck_assert_str_eq(buf, "unix:(unnamed)");
	memcpy(un.sun_path, "\0name", 5);
	sc_exchange_peer((struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 5, buf, sizeof(buf));
	ck_assert_str_eq(buf, "unix:@name");
	strcpy(un.sun_path, "/tmp/s");
	sc_exchange_peer((struct sockaddr *)&un, sizeof(un), buf, sizeof(buf));
	ck_assert_str_eq(buf, "unix:/tmp/s");
	sc_exchange_peer(NULL, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "unknown");
}
END_TEST

START_TEST(full_log_counts)
{
	struct sc_exchange x;

	ck_assert_int_eq(sc_exchange_init(&x, 2), 0);
	for (int i = 0; i < 5; i++)
		sc_exchange_add(&x, 'i', "abc", 3, NULL, 0);
	ck_assert_uint_eq(x.n, 2);
	ck_assert_uint_eq(x.dropped, 3);
	ck_assert_uint_eq(x.v[0].bytes, 3);
	sc_exchange_free(&x);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("exchange");
	TCase *tc = tcase_create("exchange");

	tcase_add_loop_test(tc, escape, 0, NELEM(esc));
	tcase_add_test(tc, peers);
	tcase_add_test(tc, full_log_counts);
	suite_add_tcase(s, tc);
	return s;
}
