/* test_capture.c - telling a capture's frames apart: handshake, data,
 * pure ACK, FIN, RST, UDP, and what is not IPv4 at all. */
#include <string.h>

#include "capture.h"
#include "unit.h"

/* An Ethernet + IPv4 (+ TCP) frame: proto, TCP flags, payload bytes. */
static size_t frame(uint8_t *f, uint8_t proto, uint8_t flags, size_t payload)
{
	size_t l4 = proto == 6 ? 20 : 8, tot = 20 + l4 + payload;

	memset(f, 0, 14 + tot);
	f[12] = 0x08;
	f[14] = 0x45; /* IPv4, 20-byte header */
	f[16] = (uint8_t)(tot >> 8);
	f[17] = (uint8_t)tot;
	f[23] = proto;
	if (proto == 6) {
		f[14 + 20 + 12] = 5 << 4; /* 20-byte TCP header */
		f[14 + 20 + 13] = flags;
	}
	return 14 + tot;
}

static const struct {
	uint8_t proto, flags;
	size_t payload;
	enum sc_frame_kind want;
} cases[] = {
	{6, 0x02, 0, SC_FR_TCP_SYN},        /* SYN */
	{6, 0x12, 0, SC_FR_TCP_SYN},        /* SYN-ACK */
	{6, 0x10, 0, SC_FR_TCP_ACK},        /* pure ACK */
	{6, 0x18, 512, SC_FR_TCP_DATA},     /* PSH-ACK with data */
	{6, 0x11, 0, SC_FR_TCP_FIN},        /* FIN-ACK */
	{6, 0x19, 12, SC_FR_TCP_DATA},      /* FIN riding on data: data */
	{6, 0x14, 0, SC_FR_TCP_RST},        /* RST-ACK */
	{17, 0, 512, SC_FR_UDP},
	{1, 0, 8, SC_FR_OTHER},             /* ICMP */
};

START_TEST(classify)
{
	uint8_t f[2048];
	size_t n = frame(f, cases[_i].proto, cases[_i].flags, cases[_i].payload);

	ck_assert_msg(sc_capture_classify(f, n) == cases[_i].want, "case %d: got %d, want %d", _i,
		      sc_capture_classify(f, n), cases[_i].want);
}
END_TEST

START_TEST(not_ipv4)
{
	uint8_t f[2048];
	size_t n = frame(f, 6, 0x10, 0);

	ck_assert_int_eq(sc_capture_classify(f, 20), SC_FR_OTHER); /* truncated */
	f[12] = 0x86, f[13] = 0xdd;                                /* IPv6 ethertype */
	ck_assert_int_eq(sc_capture_classify(f, n), SC_FR_OTHER);
	f[12] = 0x08, f[13] = 0x00, f[14] = 0x41;                  /* IHL 4 bytes: impossible */
	ck_assert_int_eq(sc_capture_classify(f, n), SC_FR_OTHER);
}
END_TEST

START_TEST(counted_once)
{
	struct sc_capture c = {.fd = -1};
	static struct sc_cap_frame v[4];
	uint64_t k[SC_FR_UDP + 1];

	c.v = v;
	c.n = 4;
	for (int i = 0; i < 4; i++) {
		v[i].caplen = (uint32_t)frame(v[i].data, 6, i < 2 ? 0x10 : 0x18, i < 2 ? 0 : 100);
		v[i].outgoing = i % 2 == 0; /* loopback: a sending and a receiving copy */
	}
	sc_capture_count(&c, 0, 4, k);
	ck_assert_uint_eq(k[SC_FR_TCP_ACK], 1);
	ck_assert_uint_eq(k[SC_FR_TCP_DATA], 1);
	for (int i = 0; i < 4; i++)
		v[i].outgoing = 0; /* no sending copies seen: count them all */
	sc_capture_count(&c, 0, 4, k);
	ck_assert_uint_eq(k[SC_FR_TCP_ACK], 2);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("capture");

	tcase_add_loop_test(tc, classify, 0, NELEM(cases));
	tcase_add_test(tc, not_ipv4);
	tcase_add_test(tc, counted_once);
	suite_add_tcase(s, tc);
	return s;
}
