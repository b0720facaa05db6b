/* test_wire.c - the header's bytes on the wire, decode errors, CRC-32. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "wire.h"

/* A header written out byte by byte, as it must appear on the wire. */
static const struct sc_wire_hdr fixed = {
	.version = 1, .flags = SC_WIRE_F_FIN, .token = 0x01020304, .length = 0x00000200,
	.seq = 0x1112131415161718ull, .send_ns = 0x2122232425262728ull, .crc = 0xa1b2c3d4,
};
static const uint8_t fixed_bytes[SC_WIRE_HDR_LEN] = {
	0x53, 0x43, 0x4d, 0x50,                         /* magic "SCMP" */
	0x01,                                           /* version */
	0x01,                                           /* flags: FIN */
	0x00, 0x00,                                     /* reserved */
	0x01, 0x02, 0x03, 0x04,                         /* token */
	0x00, 0x00, 0x02, 0x00,                         /* length 512 */
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, /* seq */
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, /* send_ns */
	0xa1, 0xb2, 0xc3, 0xd4,                         /* crc */
};

START_TEST(encode_fixed_vector)
{
	uint8_t out[SC_WIRE_HDR_LEN];

	memset(out, 0xee, sizeof(out));
	sc_wire_encode(&fixed, out);
	for (size_t i = 0; i < sizeof(out); i++)
		ck_assert_msg(out[i] == fixed_bytes[i], "byte %zu: 0x%02x, want 0x%02x", i, out[i],
			      fixed_bytes[i]);
}
END_TEST

START_TEST(decode_fixed_vector)
{
	struct sc_wire_hdr h;

	ck_assert_int_eq(sc_wire_decode(fixed_bytes, sizeof(fixed_bytes), &h), 0);
	ck_assert_uint_eq(h.version, 1);
	ck_assert_uint_eq(h.flags, SC_WIRE_F_FIN);
	ck_assert_uint_eq(h.token, 0x01020304);
	ck_assert_uint_eq(h.length, 512);
	ck_assert_uint_eq(h.seq, 0x1112131415161718ull);
	ck_assert_uint_eq(h.send_ns, 0x2122232425262728ull);
	ck_assert_uint_eq(h.crc, 0xa1b2c3d4);
}
END_TEST

/* Decode errors: each case changes one byte range of the fixed vector. */
static const struct {
	const char *name;
	size_t len;      /* bytes offered */
	size_t at;       /* where to patch */
	uint8_t patch[4];
	size_t npatch;
	int want;
} bad[] = {
	{"empty", 0, 0, {0}, 0, -EMSGSIZE},
	{"one byte short", SC_WIRE_HDR_LEN - 1, 0, {0}, 0, -EMSGSIZE},
	{"wrong magic", SC_WIRE_HDR_LEN, 0, {'X'}, 1, -EBADMSG},
	{"version 2", SC_WIRE_HDR_LEN, 4, {2}, 1, -EPROTO},
	{"version 0", SC_WIRE_HDR_LEN, 4, {0}, 1, -EPROTO},
	{"length below header", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 35}, 4, -EINVAL},
	{"length zero", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 0}, 4, -EINVAL},
	{"length above 16 MiB", SC_WIRE_HDR_LEN, 12, {0x01, 0x00, 0x00, 0x01}, 4, -EINVAL},
	{"length 0xffffffff", SC_WIRE_HDR_LEN, 12, {0xff, 0xff, 0xff, 0xff}, 4, -EINVAL},
	{"length exactly header", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 36}, 4, 0},
	{"length exactly 16 MiB", SC_WIRE_HDR_LEN, 12, {0x01, 0, 0, 0}, 4, 0},
	{"reserved bytes ignored", SC_WIRE_HDR_LEN, 6, {0xff, 0xff}, 2, 0},
};

START_TEST(decode_errors)
{
	uint8_t b[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h;

	memcpy(b, fixed_bytes, sizeof(b));
	memcpy(b + bad[_i].at, bad[_i].patch, bad[_i].npatch);
	ck_assert_msg(sc_wire_decode(b, bad[_i].len, &h) == bad[_i].want, "case '%s': got %d, want %d",
		      bad[_i].name, sc_wire_decode(b, bad[_i].len, &h), bad[_i].want);
}
END_TEST

static const struct {
	const char *in;
	uint32_t want;
} crcs[] = {
	{"", 0x00000000},
	{"a", 0xe8b7be43},
	{"123456789", 0xcbf43926},
	{"The quick brown fox jumps over the lazy dog", 0x414fa339},
};

START_TEST(crc_vectors)
{
	uint32_t c = sc_crc32(0, crcs[_i].in, strlen(crcs[_i].in));

	ck_assert_msg(c == crcs[_i].want, "crc32('%s') = 0x%08x, want 0x%08x", crcs[_i].in, c,
		      crcs[_i].want);
}
END_TEST

START_TEST(crc_incremental)
{
	const char *s = "The quick brown fox jumps over the lazy dog";
	size_t n = strlen(s);

	for (size_t cut = 0; cut <= n; cut++) {
		uint32_t c = sc_crc32(sc_crc32(0, s, cut), s + cut, n - cut);

		ck_assert_msg(c == 0x414fa339, "cut at %zu: 0x%08x", cut, c);
	}
}
END_TEST

START_TEST(build_and_checksum)
{
	uint8_t buf[512];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = 7, .length = 512, .seq = 42,
				.send_ns = 99};
	struct sc_wire_hdr d;

	ck_assert_int_eq(sc_wire_build(&h, buf, sizeof(buf)), 512);
	ck_assert_int_eq(sc_wire_decode(buf, sizeof(buf), &d), 0);
	ck_assert_uint_eq(d.seq, 42);
	ck_assert_uint_eq(d.crc, h.crc);
	ck_assert_uint_eq(sc_wire_checksum(buf, buf + 36, 476), d.crc);
	buf[300] ^= 0x01; /* one flipped payload bit */
	ck_assert_uint_ne(sc_wire_checksum(buf, buf + 36, 476), d.crc);
	buf[300] ^= 0x01;
	buf[17] ^= 0x80;  /* one flipped sequence bit */
	ck_assert_uint_ne(sc_wire_checksum(buf, buf + 36, 476), d.crc);
}
END_TEST

START_TEST(build_rejects_bad_length)
{
	uint8_t buf[64];
	struct sc_wire_hdr h = {.version = 1, .length = 35};

	ck_assert_int_eq(sc_wire_build(&h, buf, sizeof(buf)), -EINVAL);
	h.length = 65;
	ck_assert_int_eq(sc_wire_build(&h, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(payloads_differ)
{
	uint8_t a[64], b[64];

	sc_wire_fill_payload(a, sizeof(a), 1);
	sc_wire_fill_payload(b, sizeof(b), 2);
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_test(tc, encode_fixed_vector);
	tcase_add_test(tc, decode_fixed_vector);
	tcase_add_loop_test(tc, decode_errors, 0, NELEM(bad));
	tcase_add_loop_test(tc, crc_vectors, 0, NELEM(crcs));
	tcase_add_test(tc, crc_incremental);
	tcase_add_test(tc, build_and_checksum);
	tcase_add_test(tc, build_rejects_bad_length);
	tcase_add_test(tc, payloads_differ);
	suite_add_tcase(s, tc);
	return s;
}
