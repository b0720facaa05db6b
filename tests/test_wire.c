/* test_wire.c - the version 2 header's bytes on the wire, decode and mac
 * errors, SipHash-2-4 against its published vectors, CRC-32, payload
 * pattern, whole-message build and the run key's text form. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "be.h"
#include "siphash.h"
#include "unit.h"
#include "wire.h"

/* SipHash-2-4 reference vectors (vectors_sip64 in vectors.h of
 * github.com/veorq/SipHash, the authors' reference code): key 00 01 .. 0f,
 * input i is the i bytes 00 01 .. i-1, output the tag's 8 bytes
 * little-endian. */
static const char *const sip_vectors[64] = {
	"310e0edd47db6f72", /* 0 */
	"fd67dc93c539f874",
	"5a4fa9d909806c0d",
	"2d7efbd796666785",
	"b7877127e09427cf",
	"8da699cd64557618",
	"cee3fe586e46c9cb",
	"37d1018bf50002ab",
	"6224939a79f5f593", /* 8 */
	"b0e4a90bdf82009e",
	"f3b9dd94c5bb5d7a",
	"a7ad6b22462fb3f4",
	"fbe50e86bc8f1e75",
	"903d84c02756ea14",
	"eef27a8e90ca23f7",
	"e545be4961ca29a1",
	"db9bc2577fcc2a3f", /* 16 */
	"9447be2cf5e99a69",
	"9cd38d96f0b3c14b",
	"bd6179a71dc96dbb",
	"98eea21af25cd6be",
	"c7673b2eb0cbf2d0",
	"883ea3e395675393",
	"c8ce5ccd8c030ca8",
	"94af49f6c650adb8", /* 24 */
	"eab8858ade92e1bc",
	"f315bb5bb835d817",
	"adcf6b0763612e2f",
	"a5c91da7acaa4dde",
	"716595876650a2a6",
	"28ef495c53a387ad",
	"42c341d8fa92d832",
	"ce7cf2722f512771", /* 32 */
	"e37859f94623f3a7",
	"381205bb1ab0e012",
	"ae97a10fd434e015",
	"b4a31508beff4d31",
	"81396229f0907902",
	"4d0cf49ee5d4dcca",
	"5c73336a76d8bf9a",
	"d0a704536ba93e0e", /* 40 */
	"925958fcd6420cad",
	"a915c29bc8067318",
	"952b79f3bc0aa6d4",
	"f21df2e41d4535f9",
	"87577519048f53a9",
	"10a56cf5dfcd9adb",
	"eb75095ccd986cd0",
	"51a9cb9ecba312e6", /* 48 */
	"96afadfc2ce666c7",
	"72fe52975a4364ee",
	"5a1645b276d592a1",
	"b274cb8ebf87870a",
	"6f9bb4203de7b381",
	"eaecb2a30b22a87f",
	"9924a43cc1315724",
	"bd838d3aafbf8db7", /* 56 */
	"0b1a2a3265d51aea",
	"135079a3231ce660",
	"932b2846e4d70666",
	"e1915f5cb1eca46c",
	"f325965ca16d629f",
	"575ff28e60381be5",
	"724506eb4c328a95",
};

static const struct sc_wire_key seq_key = {
	{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}};

START_TEST(siphash_reference_vectors)
{
	uint8_t in[64];
	char got[17];
	uint64_t t;

	for (int i = 0; i < 64; i++)
		in[i] = (uint8_t)i;
	t = sc_siphash24(seq_key.k, in, (size_t)_i);
	for (int j = 0; j < 8; j++)
		snprintf(got + 2 * j, 3, "%02x", (unsigned)((t >> (8 * j)) & 0xff));
	ck_assert_msg(strcmp(got, sip_vectors[_i]) == 0, "siphash of %d bytes: %s, want %s", _i, got,
		      sip_vectors[_i]);
}
END_TEST

/* A header whose every field has distinct bytes, so a swapped or
 * mis-placed byte cannot go unnoticed. */
static const struct sc_wire_hdr fixed = {
	.version = 2, .flags = SC_WIRE_F_FIN, .token = 0x01020304, .length = 0x00000200,
	.seq = 0x1112131415161718ull, .send_ns = 0x2122232425262728ull, .crc = 0xa1b2c3d4,
	.mac = 0x3132333435363738ull,
};

/* The same header written out byte by byte, as it must appear on the wire. */
static const uint8_t fixed_bytes[SC_WIRE_HDR_LEN] = {
	0x53, 0x43, 0x4d, 0x50,                         /* magic "SCMP" */
	0x02,                                           /* version */
	0x01,                                           /* flags: FIN */
	0x00, 0x00,                                     /* reserved */
	0x01, 0x02, 0x03, 0x04,                         /* token */
	0x00, 0x00, 0x02, 0x00,                         /* length 512 */
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, /* seq */
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, /* send_ns */
	0xa1, 0xb2, 0xc3, 0xd4,                         /* crc */
	0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, /* mac (as given) */
};

/* The mac of fixed_bytes[0..35] under seq_key, big-endian, as a sender
 * seals it: SipHash-2-4 of those 36 bytes (the function is pinned to the
 * reference vectors above; this pins which bytes it covers). */
#define FIXED_MAC 0xa380cf62672bb398ull

/* be.h against fixed bytes, at every offset in a buffer (any alignment):
 * the value's most significant byte first, nothing around it touched. */
static const struct {
	int bits;
	uint64_t v;
	uint8_t bytes[8];
} be_vectors[] = {
	{16, 0x5343, {0x53, 0x43}},
	{16, 0xfe01, {0xfe, 0x01}},
	{32, 0x01020304, {0x01, 0x02, 0x03, 0x04}},
	{32, 0xffffff00, {0xff, 0xff, 0xff, 0x00}},
	{64, 0x0102030405060708ull, {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}},
	{64, 0x8000000000000001ull, {0x80, 0, 0, 0, 0, 0, 0, 0x01}},
};

START_TEST(be_fixed_vectors)
{
	int len = be_vectors[_i].bits / 8;

	for (int off = 0; off < 8; off++) {
		uint8_t b[24];
		uint64_t got;

		memset(b, 0xaa, sizeof(b));
		if (len == 2)
			sc_be_put16(b + off, (uint16_t)be_vectors[_i].v);
		else if (len == 4)
			sc_be_put32(b + off, (uint32_t)be_vectors[_i].v);
		else
			sc_be_put64(b + off, be_vectors[_i].v);
		ck_assert_msg(memcmp(b + off, be_vectors[_i].bytes, (size_t)len) == 0, "case %d offset %d: bytes",
			      _i, off);
		for (int k = 0; k < (int)sizeof(b); k++)
			ck_assert_msg(k >= off && k < off + len ? 1 : b[k] == 0xaa,
				      "case %d offset %d: byte %d touched", _i, off, k);
		got = len == 2 ? sc_be_get16(b + off) : len == 4 ? sc_be_get32(b + off) : sc_be_get64(b + off);
		ck_assert_msg(got == be_vectors[_i].v, "case %d offset %d: read back %llx", _i, off,
			      (unsigned long long)got);
	}
}
END_TEST

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
	ck_assert_uint_eq(h.version, 2);
	ck_assert_uint_eq(h.flags, SC_WIRE_F_FIN);
	ck_assert_uint_eq(h.token, 0x01020304);
	ck_assert_uint_eq(h.length, 512);
	ck_assert_uint_eq(h.seq, 0x1112131415161718ull);
	ck_assert_uint_eq(h.send_ns, 0x2122232425262728ull);
	ck_assert_uint_eq(h.crc, 0xa1b2c3d4);
	ck_assert_uint_eq(h.mac, 0x3132333435363738ull);
}
END_TEST

/* Sealing writes SipHash of bytes 0..35 at offset 36, big-endian. */
START_TEST(seal_fixed_vector)
{
	uint8_t b[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h;

	memcpy(b, fixed_bytes, sizeof(b));
	ck_assert_uint_eq(sc_wire_seal(&seq_key, b), FIXED_MAC);
	ck_assert_uint_eq(sc_siphash24(seq_key.k, fixed_bytes, 36), FIXED_MAC);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(b[SC_WIRE_OFF_MAC + i], (uint8_t)(FIXED_MAC >> (56 - 8 * i)));
	ck_assert_int_eq(memcmp(b, fixed_bytes, SC_WIRE_OFF_MAC), 0);
	ck_assert_int_eq(sc_wire_open(&seq_key, b, sizeof(b), &h), 0);
	ck_assert_uint_eq(h.mac, FIXED_MAC);
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
	{"a version 1 header's 36 bytes", 36, 4, {1}, 1, -EMSGSIZE},
	{"wrong magic, first byte", SC_WIRE_HDR_LEN, 0, {'X'}, 1, -EBADMSG},
	{"wrong magic, last byte", SC_WIRE_HDR_LEN, 3, {'Q'}, 1, -EBADMSG},
	{"magic byte-swapped", SC_WIRE_HDR_LEN, 0, {'P', 'M', 'C', 'S'}, 4, -EBADMSG},
	{"version 0", SC_WIRE_HDR_LEN, 4, {0}, 1, -EPROTO},
	{"version 1", SC_WIRE_HDR_LEN, 4, {1}, 1, -EPROTO},
	{"version 3", SC_WIRE_HDR_LEN, 4, {3}, 1, -EPROTO},
	{"length zero", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 0}, 4, -EINVAL},
	{"length 43, below the header", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 43}, 4, -EINVAL},
	{"length 44, a bare header", SC_WIRE_HDR_LEN, 12, {0, 0, 0, 44}, 4, 0},
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

/* sc_wire_open on a sealed header with one byte changed: every byte the
 * mac covers, and the mac itself, turns it into a forgery; only magic and
 * version are refused before the mac is looked at. */
static int open_patched(const struct sc_wire_key *k, size_t at, uint8_t x)
{
	uint8_t b[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h;

	memcpy(b, fixed_bytes, sizeof(b));
	sc_wire_seal(&seq_key, b);
	b[at] ^= x;
	return sc_wire_open(k, b, sizeof(b), &h);
}

START_TEST(open_every_byte_is_covered)
{
	for (size_t at = 0; at < SC_WIRE_HDR_LEN; at++)
		for (unsigned bit = 0; bit < 8; bit++) {
			int want = at < 4 ? -EBADMSG : at == 4 ? -EPROTO : -EACCES;
			int got = open_patched(&seq_key, at, (uint8_t)(1u << bit));

			ck_assert_msg(got == want, "byte %zu bit %u flipped: %d, want %d", at, bit, got,
				      want);
		}
	ck_assert_int_eq(open_patched(&seq_key, 0, 0), 0);
}
END_TEST

/* The mac under other keys: a stranger who knows everything but the key. */
static const struct {
	const char *name;
	uint8_t k[SC_SIPHASH_KEY_LEN];
} other_keys[] = {
	{"all-zero (unkeyed) key", {0}},
	{"last key bit flipped", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0x0e}},
	{"first key bit flipped", {1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}},
	{"halves swapped", {8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7}},
};

START_TEST(open_wrong_key_is_forgery)
{
	struct sc_wire_key k;

	memcpy(k.k, other_keys[_i].k, sizeof(k.k));
	ck_assert_msg(open_patched(&k, 0, 0) == -EACCES, "open under %s: accepted", other_keys[_i].name);
}
END_TEST

/* An authentic header with an impossible length is malformed (-EINVAL),
 * but a forged one is a forgery first: a stranger can never raise the
 * malformed count. */
START_TEST(open_length_checked_after_mac)
{
	struct sc_wire_hdr h = fixed, d;
	struct sc_wire_key zero = {{0}};
	uint8_t b[SC_WIRE_HDR_LEN];

	h.length = 10;
	sc_wire_encode(&h, b);
	sc_wire_seal(&seq_key, b);
	ck_assert_int_eq(sc_wire_open(&seq_key, b, sizeof(b), &d), -EINVAL);
	ck_assert_uint_eq(d.length, 10);
	ck_assert_int_eq(sc_wire_open(&zero, b, sizeof(b), &d), -EACCES);
}
END_TEST

/* A FIN claiming 1000 messages, sealed with another key or with its crc
 * or count changed afterwards, does not open. */
START_TEST(fin_needs_the_key)
{
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = SC_WIRE_F_FIN, .token = 9,
				.length = SC_WIRE_HDR_LEN, .seq = 1000};
	struct sc_wire_key other = {{0xaa}};
	struct sc_wire_hdr d;
	uint8_t b[SC_WIRE_HDR_LEN];

	ck_assert_int_eq(sc_wire_build(&seq_key, &h, b, sizeof(b)), SC_WIRE_HDR_LEN);
	ck_assert_uint_eq(h.crc, 0); /* the crc of no payload */
	ck_assert_int_eq(sc_wire_open(&seq_key, b, sizeof(b), &d), 0);
	ck_assert_uint_eq(d.seq, 1000);
	ck_assert_int_eq(sc_wire_open(&other, b, sizeof(b), &d), -EACCES);
	b[SC_WIRE_OFF_CRC + 3] = 1;
	ck_assert_int_eq(sc_wire_open(&seq_key, b, sizeof(b), &d), -EACCES);
	b[SC_WIRE_OFF_CRC + 3] = 0;
	b[SC_WIRE_OFF_SEQ + 7] ^= 0x01; /* 1001 */
	ck_assert_int_eq(sc_wire_open(&seq_key, b, sizeof(b), &d), -EACCES);
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

/* The CRC one bit at a time, straight from the definition: zlib's crc32,
 * which sc_crc32 calls, must agree with it for every byte value. */
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
	uint8_t p[1000]; /* several 256-byte periods and a part */

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
				.send_ns = 99, .crc = 0xdeadbeef, .mac = 1};
	struct sc_wire_hdr d;
	uint8_t pattern[512 - SC_WIRE_HDR_LEN];

	ck_assert_int_eq(sc_wire_build(&seq_key, &h, buf, sizeof(buf)), 512);
	ck_assert_int_eq(sc_wire_open(&seq_key, buf, sizeof(buf), &d), 0);
	ck_assert_uint_eq(d.seq, 42);
	ck_assert_uint_eq(d.token, 7);
	ck_assert_uint_eq(d.length, 512);
	ck_assert_uint_eq(d.send_ns, 99);
	ck_assert_uint_eq(d.crc, h.crc);
	ck_assert_uint_eq(d.mac, h.mac);
	ck_assert_uint_eq(d.mac, sc_siphash24(seq_key.k, buf, SC_WIRE_MAC_COVERS));
	sc_wire_fill_payload(pattern, sizeof(pattern), 42);
	ck_assert_int_eq(memcmp(buf + SC_WIRE_HDR_LEN, pattern, sizeof(pattern)), 0);
	/* The crc is that of the payload, nothing else. */
	ck_assert_uint_eq(sc_wire_checksum(buf + 44, 468), d.crc);
	ck_assert_uint_eq(sc_crc32(0, pattern, sizeof(pattern)), d.crc);
	buf[300] ^= 0x01; /* one flipped payload bit: the header still opens */
	ck_assert_uint_ne(sc_wire_checksum(buf + 44, 468), d.crc);
	ck_assert_int_eq(sc_wire_open(&seq_key, buf, sizeof(buf), &d), 0);
	buf[300] ^= 0x01;
	buf[17] ^= 0x80; /* one flipped sequence bit: the header does not */
	ck_assert_int_eq(sc_wire_open(&seq_key, buf, sizeof(buf), &d), -EACCES);
}
END_TEST

/* A bare header is a whole message (the FIN): the crc of no payload is 0. */
START_TEST(build_bare_header)
{
	uint8_t buf[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = SC_WIRE_F_FIN,
				.length = SC_WIRE_HDR_LEN, .seq = 5};
	struct sc_wire_hdr d;

	ck_assert_int_eq(sc_wire_build(&seq_key, &h, buf, sizeof(buf)), SC_WIRE_HDR_LEN);
	ck_assert_uint_eq(h.crc, 0);
	ck_assert_int_eq(sc_wire_open(&seq_key, buf, sizeof(buf), &d), 0);
	ck_assert_uint_eq(d.flags, SC_WIRE_F_FIN);
}
END_TEST

static const struct {
	const char *name;
	uint32_t length;
	size_t buflen;
} bad_builds[] = {
	{"length 0", 0, 64},
	{"length 43", 43, 64},
	{"length past the buffer", 65, 64},
	{"length past SC_WIRE_MAX_LEN", SC_WIRE_MAX_LEN + 1, (size_t)SC_WIRE_MAX_LEN + 1},
};

START_TEST(build_rejects_bad_length)
{
	uint8_t buf[64];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .length = bad_builds[_i].length};
	long got = sc_wire_build(&seq_key, &h, buf, bad_builds[_i].buflen);

	/* buflen may claim more than buf holds: a rejected build writes nothing. */
	ck_assert_msg(got == -EINVAL, "build '%s': got %ld, want -EINVAL", bad_builds[_i].name, got);
}
END_TEST

/* The key's text form, as SOCKCMP_KEY carries it. */
static const struct {
	const char *hex;
	int want;
	uint8_t first, last;
} key_texts[] = {
	{"000102030405060708090a0b0c0d0e0f", 0, 0x00, 0x0f},
	{"FFEEDDCCBBAA99887766554433221100", 0, 0xff, 0x00},
	{"000102030405060708090a0b0c0d0e0", -EINVAL, 0, 0},   /* 31 digits */
	{"000102030405060708090a0b0c0d0e0f0", -EINVAL, 0, 0}, /* 33 digits */
	{"000102030405060708090a0b0c0d0e0g", -EINVAL, 0, 0},  /* not hex */
	{" 00102030405060708090a0b0c0d0e0f", -EINVAL, 0, 0},  /* space */
	{"", -EINVAL, 0, 0},
};

START_TEST(key_parse_cases)
{
	struct sc_wire_key k;
	int got;

	memset(&k, 0x77, sizeof(k));
	got = sc_wire_key_parse(key_texts[_i].hex, &k);
	ck_assert_msg(got == key_texts[_i].want, "key '%s': %d, want %d", key_texts[_i].hex, got,
		      key_texts[_i].want);
	if (got == 0) {
		ck_assert_uint_eq(k.k[0], key_texts[_i].first);
		ck_assert_uint_eq(k.k[15], key_texts[_i].last);
	} else {
		ck_assert_msg(sc_wire_key_is_zero(&k), "key '%s': a refused key is not zeroed",
			      key_texts[_i].hex);
	}
}
END_TEST

START_TEST(key_format_and_new)
{
	struct sc_wire_key a, b;
	char hex[SC_WIRE_KEY_HEX + 1];

	sc_wire_key_format(&seq_key, hex);
	ck_assert_str_eq(hex, "000102030405060708090a0b0c0d0e0f");
	ck_assert_int_eq(sc_wire_key_new(&a), 0);
	ck_assert_int_eq(sc_wire_key_new(&b), 0);
	ck_assert(!sc_wire_key_is_zero(&a));
	ck_assert_int_ne(memcmp(&a, &b, sizeof(a)), 0);
	sc_wire_key_format(&a, hex);
	ck_assert_int_eq(sc_wire_key_parse(hex, &b), 0);
	ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_loop_test(tc, siphash_reference_vectors, 0, NELEM(sip_vectors));
	tcase_add_loop_test(tc, be_fixed_vectors, 0, NELEM(be_vectors));
	tcase_add_test(tc, encode_fixed_vector);
	tcase_add_test(tc, decode_fixed_vector);
	tcase_add_test(tc, seal_fixed_vector);
	tcase_add_loop_test(tc, decode_cases, 0, NELEM(decodes));
	tcase_add_test(tc, decode_unknown_version_fills_header);
	tcase_add_test(tc, open_every_byte_is_covered);
	tcase_add_loop_test(tc, open_wrong_key_is_forgery, 0, NELEM(other_keys));
	tcase_add_test(tc, open_length_checked_after_mac);
	tcase_add_test(tc, fin_needs_the_key);
	tcase_add_loop_test(tc, crc_vectors, 0, NELEM(crcs));
	tcase_add_test(tc, crc_table_matches_definition);
	tcase_add_test(tc, crc_incremental);
	tcase_add_test(tc, payload_pattern);
	tcase_add_test(tc, build_and_checksum);
	tcase_add_test(tc, build_bare_header);
	tcase_add_loop_test(tc, build_rejects_bad_length, 0, NELEM(bad_builds));
	tcase_add_loop_test(tc, key_parse_cases, 0, NELEM(key_texts));
	tcase_add_test(tc, key_format_and_new);
	suite_add_tcase(s, tc);
	return s;
}
