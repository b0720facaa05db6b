/* test_ctl.c - the control protocol (shared/ctl.c): frame headers and START
 * requests against fixed byte vectors, the decoder's refusals, the
 * handshake proofs, frame tags (tampering, replay, reflection), run-key
 * masking and the four-timestamp clock estimate. */
#include <errno.h>
#include <string.h>

#include "be.h"
#include "ctl.h"
#include "unit.h"

static const uint8_t K[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const uint8_t K2[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16};
static const uint8_t NC[16] = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
			       0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf};
static const uint8_t NS[16] = {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
			       0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f};

START_TEST(hdr_vector)
{
	static const uint8_t want[16] = {0x53, 0x43, 0x01, 0x08, 0x00, 0x00, 0x02, 0x03,
					 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	struct sc_ctl_hdr h = {.type = SC_CTL_T_START, .length = 0x203, .tag = 0x1122334455667788ull}, d;
	uint8_t out[16];

	sc_ctl_hdr_encode(&h, out);
	ck_assert_mem_eq(out, want, 16);
	ck_assert_int_eq(sc_ctl_hdr_decode(want, 16, &d), 0);
	ck_assert_uint_eq(d.type, SC_CTL_T_START);
	ck_assert_uint_eq(d.length, 0x203);
	ck_assert_uint_eq(d.tag, 0x1122334455667788ull);
}
END_TEST

/* Each refusal of the header decoder, one byte changed from a good one. */
static const struct {
	const char *what;
	int off;
	uint8_t val;
	int want;
} bad_hdrs[] = {
	{"magic", 0, 0x54, -EBADMSG},
	{"magic low", 1, 0x00, -EBADMSG},
	{"version", 2, 2, -EPROTO},
	{"type 0", 3, 0, -EPROTO},
	{"type past the last", 3, SC_CTL_T_MAX + 1, -EPROTO},
	{"length 64 KiB + 1", 5, 0x01, -E2BIG}, /* with byte 6 = 0x00 and 7 = 0x01 below */
	{"length 4 GiB - 1", 4, 0xff, -E2BIG},
};

START_TEST(hdr_refusals)
{
	uint8_t b[16] = {0x53, 0x43, 0x01, 0x01, 0x00, 0x00, 0x00, 0x01};
	struct sc_ctl_hdr d;

	b[bad_hdrs[_i].off] = bad_hdrs[_i].val;
	ck_assert_msg(sc_ctl_hdr_decode(b, 16, &d) == bad_hdrs[_i].want, "%s", bad_hdrs[_i].what);
	ck_assert_int_eq(sc_ctl_hdr_decode(b, 15, &d), -EMSGSIZE);
}
END_TEST

START_TEST(hdr_max_length)
{
	uint8_t b[16] = {0x53, 0x43, 0x01, 0x0a, 0x00, 0x01, 0x00, 0x00};
	struct sc_ctl_hdr d;

	ck_assert_int_eq(sc_ctl_hdr_decode(b, 16, &d), 0);
	ck_assert_uint_eq(d.length, SC_CTL_MAX_PAYLOAD);
}
END_TEST

static void good_start(struct sc_ctl_start *s)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->mode, "oneway");
	s->role = 0;
	strcpy(s->transport, "udp");
	s->token = 0x01020304;
	memset(s->key, 0xab, sizeof(s->key));
	s->port = 0x1f90;
	s->max_records = 5;
	s->timeout_ns = 6;
	s->recv.size = 2560;
	s->recv.after_ns = 50000000;
	s->recv.every_ns = 7;
	s->recv.flags = SC_RECV_WAITALL;
	s->recv.rcvbuf = 8;
	s->send.pace_ns = 9;
	s->send.end = SC_END_SHUTDOWN;
	s->send.sndbuf = 10;
	s->send.nops = 2;
	s->send.ops[0] = (struct sc_op){.kind = SC_OP_WRITE, .count = 5, .size = 512};
	s->send.ops[1] = (struct sc_op){.kind = SC_OP_PAUSE, .ns = 11};
}

START_TEST(start_vector)
{
	static const uint8_t want[SC_CTL_S_OFF_OPS + 2 * SC_CTL_S_OP_LEN] = {
		'o', 'n', 'e', 'w', 'a', 'y', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* mode */
		0,                                                            /* role */
		'u', 'd', 'p', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,         /* transport */
		0x01, 0x02, 0x03, 0x04,                                       /* token */
		0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
		0x1f, 0x90,                                                   /* port */
		0, 0, 0, 0, 0, 0, 0, 5,                                       /* max_records */
		0, 0, 0, 0, 0, 0, 0, 6,                                       /* timeout */
		0, 0, 0, 0, 0, 0, 0x0a, 0x00,                                 /* read size 2560 */
		0, 0, 0, 0, 0x02, 0xfa, 0xf0, 0x80,                           /* after 50 ms */
		0, 0, 0, 0, 0, 0, 0, 7,                                       /* every */
		0, 0, 0, 1,                                                   /* flags */
		0, 0, 0, 0, 0, 0, 0, 8,                                       /* rcvbuf */
		0, 0, 0, 0, 0, 0, 0, 9,                                       /* pace */
		1,                                                            /* end: shutdown */
		0, 0, 0, 0, 0, 0, 0, 10,                                      /* sndbuf */
		2,                                                            /* nops */
		0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
	};
	struct sc_ctl_start s, d;
	uint8_t out[SC_CTL_S_MAX_LEN];
	char err[200];

	good_start(&s);
	ck_assert_int_eq(sc_ctl_start_encode(&s, out), (long)sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	ck_assert_int_eq(sc_ctl_start_decode(want, sizeof(want), &d, err, sizeof(err)), 0);
	ck_assert_str_eq(d.mode, "oneway");
	ck_assert_str_eq(d.transport, "udp");
	ck_assert_uint_eq(d.token, 0x01020304);
	ck_assert_uint_eq(d.port, 8080);
	ck_assert_uint_eq(d.recv.size, 2560);
	ck_assert_uint_eq(d.recv.after_ns, 50000000);
	ck_assert_int_eq(d.recv.flags, SC_RECV_WAITALL);
	ck_assert_int_eq(d.send.end, SC_END_SHUTDOWN);
	ck_assert_uint_eq(d.send.nops, 2);
	ck_assert_uint_eq(d.send.ops[0].count, 5);
	ck_assert_uint_eq(d.send.ops[0].size, 512);
	ck_assert_int_eq(d.send.ops[1].kind, SC_OP_PAUSE);
	ck_assert_uint_eq(d.send.ops[1].ns, 11);
	ck_assert_mem_eq(d.key, s.key, 16);
}
END_TEST

/* Each refusal of the START decoder: one field set out of range. */
static const struct {
	const char *what;
	int off;
	uint8_t val;
} bad_starts[] = {
	{"mode not NUL-terminated", SC_CTL_S_OFF_MODE + 15, 'x'},
	{"mode with a slash", SC_CTL_S_OFF_MODE + 1, '/'},
	{"mode empty", SC_CTL_S_OFF_MODE, 0},
	{"bytes after the mode's NUL", SC_CTL_S_OFF_MODE + 10, 'a'},
	{"transport with a space", SC_CTL_S_OFF_TRANSPORT + 1, ' '},
	{"transport upper case", SC_CTL_S_OFF_TRANSPORT, 'U'},
	{"token 0", SC_CTL_S_OFF_TOKEN + 3, 0}, /* with the other token bytes zeroed below */
	{"max_records huge", SC_CTL_S_OFF_MAX_RECORDS, 0x01},
	{"timeout over an hour", SC_CTL_S_OFF_TIMEOUT, 0x01},
	{"read size 0", SC_CTL_S_OFF_RECV_SIZE + 6, 0}, /* with +7 zero too: see below */
	{"read size over 16 MiB", SC_CTL_S_OFF_RECV_SIZE + 4, 0x10},
	{"unknown recv flag", SC_CTL_S_OFF_RECV_FLAGS + 3, 0x04},
	{"rcvbuf over 1 GiB", SC_CTL_S_OFF_RCVBUF + 3, 0x01},
	{"end 2", SC_CTL_S_OFF_END, 2},
	{"nops 0", SC_CTL_S_OFF_NOPS, 0},
	{"nops 3 with two", SC_CTL_S_OFF_NOPS, 3},
	{"op kind 2", SC_CTL_S_OFF_OPS, 2},
	{"write count 0", SC_CTL_S_OFF_OPS + 8, 0},
	{"write size 2 (below the header)", SC_CTL_S_OFF_OPS + 15, 0}, /* size 512 -> 2 */
	{"write with a duration", SC_CTL_S_OFF_OPS + 24, 1},
	{"pause with a count", SC_CTL_S_OFF_OPS + SC_CTL_S_OP_LEN + 8, 1},
	{"pause over an hour", SC_CTL_S_OFF_OPS + SC_CTL_S_OP_LEN + 17, 0x10},
};

START_TEST(start_refusals)
{
	struct sc_ctl_start s, d;
	uint8_t b[SC_CTL_S_MAX_LEN];
	char err[200] = "";
	long n;

	good_start(&s);
	n = sc_ctl_start_encode(&s, b);
	if (bad_starts[_i].off == SC_CTL_S_OFF_TOKEN + 3)
		memset(b + SC_CTL_S_OFF_TOKEN, 0, 4);
	if (bad_starts[_i].off == SC_CTL_S_OFF_RECV_SIZE + 6)
		b[SC_CTL_S_OFF_RECV_SIZE + 7] = 0;
	b[bad_starts[_i].off] = bad_starts[_i].val;
	ck_assert_msg(sc_ctl_start_decode(b, (size_t)n, &d, err, sizeof(err)) == -EINVAL, "%s accepted",
		      bad_starts[_i].what);
	ck_assert_msg(err[0] != '\0', "%s: no reason", bad_starts[_i].what);
}
END_TEST

START_TEST(start_lengths)
{
	struct sc_ctl_start s, d;
	uint8_t b[SC_CTL_S_MAX_LEN + 1];
	char err[200];
	long n;

	good_start(&s);
	n = sc_ctl_start_encode(&s, b);
	ck_assert_int_eq(sc_ctl_start_decode(b, (size_t)n, &d, err, sizeof(err)), 0);
	for (long len = 0; len <= n + 1; len++)
		if (len != n)
			ck_assert_msg(sc_ctl_start_decode(b, (size_t)len, &d, err, sizeof(err)) == -EINVAL,
				      "length %ld accepted", len);
}
END_TEST

/* for and bitrate (throughput, rr, crr): 16 bytes after the operations,
 * only when either is set; each checked against the script's limits. */
START_TEST(start_extension)
{
	static const uint8_t ext[SC_CTL_S_EXT_LEN] = {
		0, 0, 0, 0, 0x77, 0x35, 0x94, 0x00, /* for 2 s */
		0, 0, 0, 0, 0x3b, 0x9a, 0xca, 0x00, /* bitrate 10^9 */
	};
	struct sc_ctl_start s, d;
	uint8_t b[SC_CTL_S_MAX_LEN], plain[SC_CTL_S_MAX_LEN];
	char err[200] = "";
	long n, n0;

	good_start(&s);
	n0 = sc_ctl_start_encode(&s, plain);
	s.for_ns = 2000000000ull;
	s.bitrate = 1000000000ull;
	n = sc_ctl_start_encode(&s, b);
	ck_assert_int_eq(n, n0 + SC_CTL_S_EXT_LEN);
	ck_assert_mem_eq(b, plain, (size_t)n0);
	ck_assert_mem_eq(b + n0, ext, sizeof(ext));
	ck_assert_int_eq(sc_ctl_start_decode(b, (size_t)n, &d, err, sizeof(err)), 0);
	ck_assert_uint_eq(d.for_ns, 2000000000ull);
	ck_assert_uint_eq(d.bitrate, 1000000000ull);
	ck_assert_int_eq(sc_ctl_start_decode(plain, (size_t)n0, &d, err, sizeof(err)), 0);
	ck_assert_uint_eq(d.for_ns, 0);
	ck_assert_uint_eq(d.bitrate, 0);
	s.bitrate = 0; /* for alone */
	ck_assert_int_eq(sc_ctl_start_encode(&s, b), n);
	ck_assert_int_eq(sc_ctl_start_decode(b, (size_t)n, &d, err, sizeof(err)), 0);
	ck_assert_uint_eq(d.for_ns, 2000000000ull);
	ck_assert_uint_eq(d.bitrate, 0);
	for (long len = n0 + 1; len < n; len++)
		ck_assert_msg(sc_ctl_start_decode(b, (size_t)len, &d, err, sizeof(err)) == -EINVAL,
			      "length %ld accepted", len);
	b[n - 16] = 0x01; /* for: 2^56 ns */
	ck_assert_int_eq(sc_ctl_start_decode(b, (size_t)n, &d, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "hour"));
	memset(b + n - 16, 0, 8);
	ck_assert_int_eq(sc_ctl_start_decode(b, (size_t)n, &d, err, sizeof(err)), -EINVAL); /* all zero */
	b[n - 3] = 0x01; /* bitrate 2^16... */
	b[n - 6] = 0x01; /* ... + 2^40 > 10^12 */
	ck_assert_int_eq(sc_ctl_start_decode(b, (size_t)n, &d, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "bit rate"));
}
END_TEST

/* The proofs are SipHash-2-4 under K of a label and both nonces. */
START_TEST(proofs)
{
	uint8_t in[64];
	uint64_t ps = sc_ctl_proof(K, true, NC, NS), pc = sc_ctl_proof(K, false, NC, NS);
	uint8_t nc2[16];

	memcpy(in, "sockcmp-ctl-1 server", 20);
	memcpy(in + 20, NC, 16);
	memcpy(in + 36, NS, 16);
	ck_assert_uint_eq(ps, sc_siphash24(K, in, 52));
	memcpy(in, "sockcmp-ctl-1 client", 20);
	ck_assert_uint_eq(pc, sc_siphash24(K, in, 52));
	ck_assert_uint_ne(ps, pc);
	ck_assert_uint_ne(ps, sc_ctl_proof(K2, true, NC, NS));
	ck_assert_uint_ne(ps, sc_ctl_proof(K, true, NS, NC));
	for (int i = 0; i < 16; i++) {
		memcpy(nc2, NC, 16);
		nc2[i] ^= 1;
		ck_assert_uint_ne(ps, sc_ctl_proof(K, true, nc2, NS));
		ck_assert_uint_ne(pc, sc_ctl_proof(K, false, NC, nc2));
	}
}
END_TEST

START_TEST(equal64)
{
	ck_assert(sc_ctl_equal64(0, 0));
	ck_assert(sc_ctl_equal64(0x8000000000000001ull, 0x8000000000000001ull));
	for (int b = 0; b < 64; b++)
		ck_assert_msg(!sc_ctl_equal64(0x1234, 0x1234 ^ (1ull << b)), "bit %d", b);
}
END_TEST

/* A frame the client seals passes the server's check once; a changed bit,
 * a replay, or a frame sent back to its sender fails. */
START_TEST(tags)
{
	struct sc_ctl_session c = {0}, s = {0}, s2;
	struct sc_ctl_hdr h = {.type = SC_CTL_T_TIME, .length = 8};
	uint8_t hdr[16], pl[8] = {1, 2, 3, 4, 5, 6, 7, 8}, bad[16];

	sc_ctl_session_init(&c, K, true, NC, NS);
	sc_ctl_session_init(&s, K, false, NC, NS);
	ck_assert_mem_eq(c.key, s.key, 16);
	sc_ctl_hdr_encode(&h, hdr);
	sc_ctl_seal(&c, hdr, pl, 8);
	ck_assert_uint_ne(sc_be_get64(hdr + SC_CTL_OFF_TAG), 0);
	for (int bit = 0; bit < 16 * 8; bit++) {
		s2 = s;
		memcpy(bad, hdr, 16);
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		ck_assert_msg(sc_ctl_check(&s2, bad, pl, 8) == -EACCES, "header bit %d", bit);
	}
	for (int bit = 0; bit < 8 * 8; bit++) {
		uint8_t p2[8];

		s2 = s;
		memcpy(p2, pl, 8);
		p2[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		ck_assert_msg(sc_ctl_check(&s2, hdr, p2, 8) == -EACCES, "payload bit %d", bit);
	}
	s2 = c; /* reflected back to the client, as if the server had sent it */
	ck_assert_int_eq(sc_ctl_check(&s2, hdr, pl, 8), -EACCES);
	ck_assert_int_eq(sc_ctl_check(&s, hdr, pl, 8), 0);
	ck_assert_int_eq(sc_ctl_check(&s, hdr, pl, 8), -EACCES); /* replayed */
}
END_TEST

START_TEST(unkeyed)
{
	struct sc_ctl_session c = {.client = true};
	struct sc_ctl_hdr h = {.type = SC_CTL_T_HELLO, .length = 16, .tag = 99};
	uint8_t hdr[16];

	sc_ctl_hdr_encode(&h, hdr);
	sc_ctl_seal(&c, hdr, NC, 16);
	ck_assert_uint_eq(sc_be_get64(hdr + SC_CTL_OFF_TAG), 0);
	ck_assert_uint_eq(c.seq_out, 0);
}
END_TEST

START_TEST(mask)
{
	struct sc_ctl_session c = {0}, s = {0};
	uint8_t k[16], k1[16];

	sc_ctl_session_init(&c, K, true, NC, NS);
	sc_ctl_session_init(&s, K, false, NC, NS);
	memcpy(k, K2, 16);
	sc_ctl_mask_key(&c, 3, k);
	ck_assert_mem_ne(k, K2, 16);
	memcpy(k1, K2, 16);
	sc_ctl_mask_key(&c, 4, k1);
	ck_assert_mem_ne(k, k1, 16); /* another pad for each START */
	sc_ctl_mask_key(&s, 3, k);
	ck_assert_mem_eq(k, K2, 16);
}
END_TEST

/* offset = ((t2 - t1) + (t3 - t4)) / 2, delay = (t4 - t1) - (t3 - t2). */
static const struct {
	uint64_t t1, t2, t3, t4;
	int64_t off, delay;
} times[] = {
	{1000, 1100, 1200, 1300, 0, 200},                     /* same clock, 100 each way */
	{1000, 6100, 6200, 1300, 5000, 200},                  /* server 5000 ahead */
	{1000, 100, 200, 1300, -1000, 200},                   /* server 1000 behind */
	{1000, 1500, 1500, 1100, 450, 100},                   /* asymmetric: the error is half the delay */
	{5000000000ull, 4000000000ull, 4000000001ull, 5000000003ull, -1000000001, 2},
};

START_TEST(time_eval)
{
	struct sc_ctl_time t = {times[_i].t1, times[_i].t2, times[_i].t3, times[_i].t4};
	int64_t off, delay;

	sc_ctl_time_eval(&t, &off, &delay);
	ck_assert_int_eq(off, times[_i].off);
	ck_assert_int_eq(delay, times[_i].delay);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, hdr_vector);
	tcase_add_loop_test(tc, hdr_refusals, 0, NELEM(bad_hdrs));
	tcase_add_test(tc, hdr_max_length);
	tcase_add_test(tc, start_vector);
	tcase_add_loop_test(tc, start_refusals, 0, NELEM(bad_starts));
	tcase_add_test(tc, start_lengths);
	tcase_add_test(tc, start_extension);
	tcase_add_test(tc, proofs);
	tcase_add_test(tc, equal64);
	tcase_add_test(tc, tags);
	tcase_add_test(tc, unkeyed);
	tcase_add_test(tc, mask);
	tcase_add_loop_test(tc, time_eval, 0, NELEM(times));
	suite_add_tcase(s, tc);
	return s;
}
