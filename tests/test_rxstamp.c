/* test_rxstamp.c - a datagram's kernel arrival stamp read from recvmsg()
 * control data: crafted control buffers, and one real datagram that waits
 * in its socket before being read. */
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "rxstamp.h"
#include "unit.h"

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

union ctl {
	char b[CMSG_SPACE(sizeof(uint32_t)) + SC_RXSTAMP_SPACE];
	struct cmsghdr align;
};

/* Builds control data: optionally an SO_RXQ_OVFL count, then optionally a
 * stamp of (sec, nsec). */
static void craft(struct msghdr *m, union ctl *c, bool ovfl, bool stamp, long sec, long nsec)
{
	struct cmsghdr *h;
	size_t used = 0;

	memset(m, 0, sizeof(*m));
	memset(c, 0, sizeof(*c));
	m->msg_control = c->b;
	m->msg_controllen = sizeof(c->b);
	h = CMSG_FIRSTHDR(m);
	if (ovfl) {
		uint32_t v = 7;

		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SO_RXQ_OVFL;
		h->cmsg_len = CMSG_LEN(sizeof(v));
		memcpy(CMSG_DATA(h), &v, sizeof(v));
		used += CMSG_SPACE(sizeof(v));
		h = (struct cmsghdr *)(c->b + used);
	}
	if (stamp) {
		struct timespec ts = {.tv_sec = sec, .tv_nsec = nsec};

		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_TIMESTAMPNS;
		h->cmsg_len = CMSG_LEN(sizeof(ts));
		memcpy(CMSG_DATA(h), &ts, sizeof(ts));
		used += CMSG_SPACE(sizeof(ts));
	}
	m->msg_controllen = used;
}

static const struct {
	const char *name;
	bool ovfl, stamp;
	long sec, nsec;
	uint64_t want;
} cases[] = {
	{"stamp alone", false, true, 1700000000, 123456789, 1700000000123456789ull},
	{"after a drop count", true, true, 1700000000, 5, 1700000000000000005ull},
	{"no stamp: fallback", true, false, 0, 0, 42},
	{"nothing at all: fallback", false, false, 0, 0, 42},
	{"nanoseconds out of range: fallback", false, true, 1700000000, 1000000000, 42},
	{"zero time: fallback", false, true, 0, 0, 42},
};

START_TEST(crafted)
{
	struct msghdr m;
	union ctl c;

	craft(&m, &c, cases[_i].ovfl, cases[_i].stamp, cases[_i].sec, cases[_i].nsec);
	ck_assert_msg(sc_rxstamp_ns(&m, 42) == cases[_i].want, "%s: got %llu, want %llu", cases[_i].name,
		      (unsigned long long)sc_rxstamp_ns(&m, 42), (unsigned long long)cases[_i].want);
}
END_TEST

/* A datagram that sits 20 ms in its socket is stamped when it arrived,
 * before the read: between the send and the reader's own clock. */
START_TEST(real_datagram)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
	char byte = 'x', got;
	union ctl c;
	struct iovec iov = {.iov_base = &got, .iov_len = 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof(c.b)};
	uint64_t before, after, stamp;

	ck_assert_int_ge(r, 0);
	ck_assert_int_ge(w, 0);
	ck_assert_int_eq(bind(r, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(r, (struct sockaddr *)&a, &alen), 0);
	ck_assert_int_eq(sc_rxstamp_enable(r), 0);
	before = sc_real_ns();
	ck_assert_int_eq(sendto(w, &byte, 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	sc_sleep_ns(20 * SC_NS_PER_MS, NULL);
	ck_assert_int_eq(recvmsg(r, &m, 0), 1);
	after = sc_real_ns();
	stamp = sc_rxstamp_ns(&m, 0);
	ck_assert_msg(stamp >= before && stamp + 20 * SC_NS_PER_MS <= after,
		      "stamp %llu not between send %llu and read %llu - 20 ms", (unsigned long long)stamp,
		      (unsigned long long)before, (unsigned long long)after);
	close(r);
	close(w);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("rxstamp");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, crafted, 0, NELEM(cases));
	tcase_add_test(tc, real_datagram);
	suite_add_tcase(s, tc);
	return s;
}
