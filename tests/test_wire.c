/* test_wire.c - the header's bytes on the wire, decode errors, CRC-32,
 * payload pattern and whole-message build. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "wire.h"

/* A header whose every field has distinct bytes, so a swapped or
 * mis-placed byte cannot go unnoticed. */
static const struct sc_wire_hdr fixed = {
	.version = 1, .flags = SC_WIRE_F_FIN, .token = 0x01020304, .length = 0x00000200,
	.seq = 0x1112131415161718ull, .send_ns = 0x2122232425262728ull, .crc = 0xa1b2c3d4,
};

/* The same header written out byte by byte, as it must appear on the wire. */
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

	memset(out, 0xee, sizeof(out)); /* reserved bytes must be written, not left */
	sc_wire_encode(&fixed, out);
	for (size_t i = 0; i < sizeof(out); i++)
		ck_assert_msg(out[i] == fixed_bytes[i], "encode, byte %zu: 0x%02x, want 0x%02x", i,
			      out[i], fixed_bytes[i]);
}
END_TEST

START_TEST(decode_fixed_vector)
{
	struct sc_wire_hdr h;

	memset(&h, 0, sizeof(h));
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

/* Decode outcomes: each case offers len bytes of the fixed vector with one
 * byte range patched. */
static const struct {
	const char *name;
	size_t len; /* bytes offered */
	size_t at;  /* where to patch */
	uint8_t patch[4];
	size_t npatch;
	int want;
} decodes[] = {
	{"empty buffer", 0, 0, {0}, 0, -EMSGSIZE},
	{"one byte short", SC_WIRE_HDR_LEN - 1, 0, {0}, 0, -EMSGSIZE},
	{"wrong magic, first byte", SC_WIRE_HDR_LEN, 0, {'X'}, 1, -EBADMSG},
	{"wrong magic, last byte", SC_WIRE_HDR_LEN, 3, {'Q'}, 1, -EBADMSG},
	{"magic byte-swapped", SC_WIRE_HDR_LEN, 0, {'P', 'M', 'C', 'S'}, 4, -EBADMSG},
	{"version 0", SC_WIRE_HDR_LEN, 4, {0}, 1, -EPROTO},
	{"version 2", SC_WIRE_HDR_LEN, 4, {2}, 1, -EPROTO},
	{"length zero", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 0}, 4, -EINVAL},
	{"length 35, below the header", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 35}, 4, -EINVAL},
	{"length 36, a bare header", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 36}, 4, 0},
	{"length exactly 16 MiB", SC_WIRE_HDR_LEN, 12, {0x01, 0, 0, 0}, 4, 0},
	{"length 16 MiB + 1", SC_WIRE_HDR_LEN, 12, {0x01, 0, 0, 0x01}, 4, -EINVAL},
	{"length 0xffffffff", SC_WIRE_HDR_LEN, 12, {0xff, 0xff, 0xff, 0xff}, 4, -EINVAL},
	{"reserved bytes ignored", SC_WIRE_HDR_LEN, 6, {0xff, 0xff}, 2, 0},
	{"longer buffer than a header", SC_WIRE_HDR_LEN + 1, 0, {0}, 0, 0},
};

START_TEST(decode_cases)
{
	uint8_t b[SC_WIRE_HDR_LEN + 1] = {0};
	struct sc_wire_hdr h;
	int got;

	memcpy(b, fixed_bytes, SC_WIRE_HDR_LEN);
	memcpy(b + decodes[_i].at, decodes[_i].patch, decodes[_i].npatch);
	got = sc_wire_decode(b, decodes[_i].len, &h);
	ck_assert_msg(got == decodes[_i].want, "decode '%s': got %d, want %d", decodes[_i].name,
		      got, decodes[_i].want);
}
END_TEST

/* -EPROTO still fills h, so a receiver can say which version it saw. */
START_TEST(decode_unknown_version_fills_header)
{
	uint8_t b[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h;

	memcpy(b, fixed_bytes, sizeof(b));
	b[SC_WIRE_OFF_VERSION] = 7;
	memset(&h, 0, sizeof(h));
	ck_assert_int_eq(sc_wire_decode(b, sizeof(b), &h), -EPROTO);
	ck_assert_uint_eq(h.version, 7);
	ck_assert_uint_eq(h.seq, 0x1112131415161718ull);
}
END_TEST

/* Reference values from zlib's crc32(). */
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

	ck_assert_msg(c == crcs[_i].want, "crc32(\"%s\") = 0x%08x, want 0x%08x", crcs[_i].in, c,
		      crcs[_i].want);
}
END_TEST

/* The CRC one bit at a time, straight from the definition: the written-out
 * table in wire.c must agree with it for every byte value. */
static uint32_t crc_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
	}
	return ~crc;
}

START_TEST(crc_table_matches_definition)
{
	uint8_t all[256];

	for (unsigned b = 0; b < 256; b++) {
		uint8_t one = (uint8_t)b;

		all[b] = one;
		ck_assert_msg(sc_crc32(0, &one, 1) == crc_bitwise(0, &one, 1),
			      "crc32 of byte 0x%02x: 0x%08x, want 0x%08x", b, sc_crc32(0, &one, 1),
			      crc_bitwise(0, &one, 1));
	}
	ck_assert_uint_eq(sc_crc32(0, all, sizeof(all)), crc_bitwise(0, all, sizeof(all)));
}
END_TEST

START_TEST(crc_incremental)
{
	const char *s = "The quick brown fox jumps over the lazy dog";
	size_t n = strlen(s);

	for (size_t cut = 0; cut <= n; cut++) {
		uint32_t c = sc_crc32(sc_crc32(0, s, cut), s + cut, n - cut);

		ck_assert_msg(c == 0x414fa339, "crc32 cut at %zu: 0x%08x", cut, c);
	}
	/* Three pieces, one of them empty. */
	ck_assert_uint_eq(sc_crc32(sc_crc32(sc_crc32(0, s, 10), s + 10, 0), s + 10, n - 10),
			  0x414fa339);
}
END_TEST

/* The documented pattern: byte i of message seq is seq * 131 + i * 7 + 0x5a. */
START_TEST(payload_pattern)
{
	static const uint64_t seqs[] = {0, 1, 2, 255, 0xffffffffffffffffull};
	uint8_t p[300];

	for (size_t k = 0; k < NELEM(seqs); k++) {
		sc_wire_fill_payload(p, sizeof(p), seqs[k]);
		for (size_t i = 0; i < sizeof(p); i++)
			ck_assert_msg(p[i] == (uint8_t)(seqs[k] * 131u + i * 7u + 0x5a),
				      "seq %llu, byte %zu: 0x%02x", (unsigned long long)seqs[k], i, p[i]);
	}
	sc_wire_fill_payload(p, 0, 1); /* n = 0 writes nothing and must not crash */
}
END_TEST

START_TEST(build_and_checksum)
{
	uint8_t buf[512];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = 7, .length = 512, .seq = 42,
				.send_ns = 99, .crc = 0xdeadbeef};
	struct sc_wire_hdr d;
	uint8_t pattern[512 - SC_WIRE_HDR_LEN];

	ck_assert_int_eq(sc_wire_build(&h, buf, sizeof(buf)), 512);
	ck_assert_int_eq(sc_wire_decode(buf, sizeof(buf), &d), 0);
	ck_assert_uint_eq(d.seq, 42);
	ck_assert_uint_eq(d.token, 7);
	ck_assert_uint_eq(d.length, 512);
	ck_assert_uint_eq(d.send_ns, 99);
	ck_assert_uint_eq(d.crc, h.crc);
	sc_wire_fill_payload(pattern, sizeof(pattern), 42);
	ck_assert_int_eq(memcmp(buf + SC_WIRE_HDR_LEN, pattern, sizeof(pattern)), 0);
	/* The checksum is the CRC of bytes 0..31 and the payload, nothing else. */
	ck_assert_uint_eq(sc_wire_checksum(buf, buf + 36, 476), d.crc);
	ck_assert_uint_eq(sc_crc32(sc_crc32(0, buf, 32), buf + 36, 476), d.crc);
	buf[300] ^= 0x01; /* one flipped payload bit */
	ck_assert_uint_ne(sc_wire_checksum(buf, buf + 36, 476), d.crc);
	buf[300] ^= 0x01;
	buf[17] ^= 0x80; /* one flipped sequence bit */
	ck_assert_uint_ne(sc_wire_checksum(buf, buf + 36, 476), d.crc);
}
END_TEST

/* A bare header is a whole message (the FIN): its checksum covers 32 bytes. */
START_TEST(build_bare_header)
{
	uint8_t buf[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = SC_WIRE_F_FIN,
				.length = SC_WIRE_HDR_LEN, .seq = 5};

	ck_assert_int_eq(sc_wire_build(&h, buf, sizeof(buf)), SC_WIRE_HDR_LEN);
	ck_assert_uint_eq(h.crc, sc_crc32(0, buf, SC_WIRE_OFF_CRC));
}
END_TEST

static const struct {
	const char *name;
	uint32_t length;
	size_t buflen;
} bad_builds[] = {
	{"length 0", 0, 64},
	{"length 35", 35, 64},
	{"length past the buffer", 65, 64},
	{"length past SC_WIRE_MAX_LEN", SC_WIRE_MAX_LEN + 1, (size_t)SC_WIRE_MAX_LEN + 1},
};

START_TEST(build_rejects_bad_length)
{
	uint8_t buf[64];
	struct sc_wire_hdr h = {.version = 1, .length = bad_builds[_i].length};
	long got = sc_wire_build(&h, buf, bad_builds[_i].buflen);

	/* buflen may claim more than buf holds: a rejected build writes nothing. */
	ck_assert_msg(got == -EINVAL, "build '%s': got %ld, want -EINVAL", bad_builds[_i].name, got);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_test(tc, encode_fixed_vector);
	tcase_add_test(tc, decode_fixed_vector);
	tcase_add_loop_test(tc, decode_cases, 0, NELEM(decodes));
	tcase_add_test(tc, decode_unknown_version_fills_header);
	tcase_add_loop_test(tc, crc_vectors, 0, NELEM(crcs));
	tcase_add_test(tc, crc_table_matches_definition);
	tcase_add_test(tc, crc_incremental);
	tcase_add_test(tc, payload_pattern);
	tcase_add_test(tc, build_and_checksum);
	tcase_add_test(tc, build_bare_header);
	tcase_add_loop_test(tc, build_rejects_bad_length, 0, NELEM(bad_builds));
	suite_add_tcase(s, tc);
	return s;
}
