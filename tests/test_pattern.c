/* test_pattern.c - the payload pattern's fill, compare and CRC look-up
 * must say exactly what the byte formula and a CRC over the bytes say. */
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "wire.h"
#include "unit.h"

/* The formula of wire.h, byte by byte. */
static uint8_t formula(uint64_t seq, uint64_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + 0x5a);
}

static const struct {
	uint64_t seq, off;
	size_t n;
} spans[] = {
	{0, 0, 0}, {0, 0, 1}, {1, 0, 255}, {2, 0, 256}, {3, 0, 257}, {255, 0, 4096},
	{256, 0, 4097}, {12345, 0, 131072 - 44}, {7, 1, 100}, {9, 4095, 4100},
	{UINT64_MAX, 3, 9000}, {1ull << 40, 256, 70000},
};

START_TEST(fill_is_the_formula)
{
	size_t n = spans[_i].n;
	uint8_t *p = malloc(n + 1);

	p[n] = 0xee;
	sc_pattern_fill(p, n, spans[_i].seq, spans[_i].off);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(p[i] == formula(spans[_i].seq, spans[_i].off + i),
			      "case %d, byte %zu: 0x%02x, want 0x%02x", _i, i, p[i],
			      formula(spans[_i].seq, spans[_i].off + i));
	ck_assert_msg(p[n] == 0xee, "case %d: wrote past the end", _i);
	ck_assert(sc_pattern_match(p, n, spans[_i].seq, spans[_i].off));
	free(p);
}
END_TEST

/* One byte changed anywhere (first, last, in a later 4 KiB chunk) is a
 * mismatch; so is the right pattern of another message or offset. */
START_TEST(match_sees_every_byte)
{
	size_t n = spans[_i].n;
	uint8_t *p = malloc(n ? n : 1);
	size_t at[] = {0, n / 2, n - 1, 4096, 8191};

	if (n == 0) {
		p[0] = 0;
		ck_assert(sc_pattern_match(p, 0, spans[_i].seq, spans[_i].off));
		free(p);
		return;
	}
	for (size_t k = 0; k < NELEM(at); k++) {
		if (at[k] >= n)
			continue;
		sc_pattern_fill(p, n, spans[_i].seq, spans[_i].off);
		p[at[k]] ^= 0x01;
		ck_assert_msg(!sc_pattern_match(p, n, spans[_i].seq, spans[_i].off),
			      "case %d: byte %zu changed, still a match", _i, at[k]);
	}
	sc_pattern_fill(p, n, spans[_i].seq, spans[_i].off);
	ck_assert_msg(!sc_pattern_match(p, n, spans[_i].seq + 1, spans[_i].off), "case %d: seq+1", _i);
	ck_assert_msg(!sc_pattern_match(p, n, spans[_i].seq, spans[_i].off + 1), "case %d: off+1", _i);
	free(p);
}
END_TEST

/* The looked-up CRC is the CRC of the filled bytes, for every length in
 * turn and back again (the cache holds one length). */
START_TEST(crc_is_the_crc_of_the_bytes)
{
	static const size_t lens[] = {0, 1, 20, 4096, 5000, 20, 131028, 1};
	uint8_t *p = malloc(131028);

	for (size_t l = 0; l < NELEM(lens); l++)
		for (uint64_t seq = 0; seq < 600; seq += 37) {
			uint32_t want;

			sc_pattern_fill(p, lens[l], seq, 0);
			want = sc_crc32(0, p, lens[l]);
			ck_assert_msg(sc_pattern_crc(seq, lens[l]) == want, "len %zu seq %llu", lens[l],
				      (unsigned long long)seq);
			ck_assert_uint_eq(sc_pattern_crc_uncached(seq, lens[l]), want);
		}
	free(p);
}
END_TEST

/* sc_pattern_check agrees with a CRC over the bytes: the pattern with its
 * CRC, the pattern with another CRC, a changed byte, and a payload that is
 * not the pattern at all but carries its own correct CRC. */
START_TEST(check_agrees_with_the_crc)
{
	uint8_t p[3000];
	uint32_t c;

	sc_pattern_fill(p, sizeof(p), 42, 0);
	c = sc_crc32(0, p, sizeof(p));
	ck_assert(sc_pattern_check(p, sizeof(p), 42, c));
	ck_assert(!sc_pattern_check(p, sizeof(p), 42, c ^ 1));
	/* The pattern of message 42 arriving as message 43's payload. */
	ck_assert(!sc_pattern_check(p, sizeof(p), 43, sc_pattern_crc(43, sizeof(p))));
	ck_assert(sc_pattern_check(p, sizeof(p), 43, c));
	p[2999] ^= 0x80;
	ck_assert(!sc_pattern_check(p, sizeof(p), 42, c));
	ck_assert(sc_pattern_check(p, sizeof(p), 42, sc_crc32(0, p, sizeof(p))));
	memset(p, 0, sizeof(p));
	ck_assert(sc_pattern_check(p, sizeof(p), 42, sc_crc32(0, p, sizeof(p))));
	ck_assert(!sc_pattern_check(p, sizeof(p), 42, sc_pattern_crc(42, sizeof(p))));
}
END_TEST

/* The iovec path: for every start offset and entry limit, the bytes the
 * entries point at are those sc_wire_build writes from that offset on, and
 * asking again from where the entries end (a partial write resuming)
 * covers the rest exactly once. */
static const uint32_t msg_lens[] = {44, 45, 300, 4096 + 44, 4096 + 45, 2 * 4096 + 43, 20000};

START_TEST(msg_iov_is_the_built_message)
{
	static const struct sc_wire_key key = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
	static const size_t maxes[] = {1, 2, 3, 64};
	uint32_t len = msg_lens[_i];
	uint64_t seq = 1000003u * (uint64_t)_i + 77;
	uint8_t *want = malloc(len), *got = malloc(len), hdr[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = 9, .length = len, .seq = seq,
				.send_ns = 123456789};
	struct sc_wire_hdr h2 = h;

	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(sc_wire_build(&key, &h, want, len), len);
	ck_assert_int_eq(sc_wire_build_header(&key, &h2, hdr), len);
	ck_assert_mem_eq(hdr, want, SC_WIRE_HDR_LEN);
	for (size_t m = 0; m < NELEM(maxes); m++) {
		for (uint64_t start = 0; start <= len; start += (start < 300 ? 1 : 97)) {
			struct iovec iov[64];
			uint64_t off = start;
			size_t k;

			memset(got, 0, len);
			while ((k = sc_pattern_msg_iov(iov, maxes[m], hdr, SC_WIRE_HDR_LEN, len, seq,
						       off)) > 0) {
				ck_assert_uint_le(k, maxes[m]);
				for (size_t j = 0; j < k; j++) {
					ck_assert_uint_gt(iov[j].iov_len, 0);
					ck_assert_uint_le(off + iov[j].iov_len, len);
					memcpy(got + off, iov[j].iov_base, iov[j].iov_len);
					off += iov[j].iov_len;
				}
			}
			ck_assert_uint_eq(off, len);
			ck_assert_mem_eq(got + start, want + start, len - start);
		}
	}
	free(want);
	free(got);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("pattern");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, fill_is_the_formula, 0, NELEM(spans));
	tcase_add_loop_test(tc, match_sees_every_byte, 0, NELEM(spans));
	tcase_add_test(tc, crc_is_the_crc_of_the_bytes);
	tcase_add_test(tc, check_agrees_with_the_crc);
	tcase_add_loop_test(tc, msg_iov_is_the_built_message, 0, NELEM(msg_lens));
	suite_add_tcase(s, tc);
	return s;
}
