/* test_frame.c - re-framing a byte stream cut at arbitrary points. */
#include <errno.h>
#include <string.h>

#include "frame.h"
#include "unit.h"

#define TOKEN 77

/* Builds n messages of size bytes each (seq 0..n-1) into buf. */
static size_t stream_of(uint8_t *buf, int n, size_t size, uint32_t token)
{
	for (int i = 0; i < n; i++) {
		struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = token,
					.length = (uint32_t)size, .seq = (uint64_t)i};

		sc_wire_build(&h, buf + (size_t)i * size, size);
	}
	return (size_t)n * size;
}

struct got {
	int n, corrupted, foreign;
	uint64_t seqs[64];
};

static void collect(void *arg, const struct sc_frame_msg *m)
{
	struct got *g = arg;

	if (g->n < 64)
		g->seqs[g->n] = m->hdr.seq;
	g->n++;
	g->corrupted += m->corrupted;
	g->foreign += m->foreign;
}

/* Reads of the given sizes over five 512-byte messages (2560 bytes). */
static const struct {
	const char *name;
	size_t reads[12];   /* 0-terminated */
	int completed[12];  /* messages completed by each read */
	int kept;           /* every read one whole message */
	uint64_t first[12], last[12];
	int blind_first;    /* the first read names no message (half a header) */
} cuts[] = {
	{"one read of 2560", {2560}, {5}, 0, {0}, {4}, 0},
	{"five reads of 512", {512, 512, 512, 512, 512}, {1, 1, 1, 1, 1}, 1,
	 {0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}, 0},
	{"1024 + 1536", {1024, 1536}, {2, 3}, 0, {0, 2}, {1, 4}, 0},
	/* 530 = message 0 and 18 bytes of message 1's header: seq 1 is not
	 * known until the next read completes the header. */
	{"cut inside a header", {530, 20, 2010}, {1, 0, 4}, 0, {0, 1, 1}, {0, 1, 4}, 0},
	{"cut after a header", {548, 476, 1536}, {1, 1, 3}, 0, {0, 1, 2}, {1, 1, 4}, 0},
	{"first 10 bytes alone", {10, 2550}, {0, 5}, 0, {0, 0}, {0, 4}, 1},
};

START_TEST(cut_points)
{
	uint8_t buf[2560];
	struct sc_frame f;
	struct got g = {0};
	size_t off = 0;
	int kept = 1;

	stream_of(buf, 5, 512, TOKEN);
	sc_frame_init(&f, TOKEN);
	for (int i = 0; cuts[_i].reads[i]; i++) {
		struct sc_frame_read rd;
		size_t n = cuts[_i].reads[i];

		ck_assert_int_eq(sc_frame_feed(&f, buf + off, n, collect, &g, &rd), 0);
		off += n;
		ck_assert_msg(rd.completed == (unsigned)cuts[_i].completed[i], "%s, read %d: completed %u, want %d",
			      cuts[_i].name, i, rd.completed, cuts[_i].completed[i]);
		if (cuts[_i].blind_first && i == 0) {
			ck_assert_msg(!rd.any_seq, "%s: 10 header bytes name no message", cuts[_i].name);
		} else {
			ck_assert_msg(rd.any_seq && rd.first_seq == cuts[_i].first[i] &&
					      rd.last_seq == cuts[_i].last[i],
				      "%s, read %d: seqs %llu..%llu, want %llu..%llu", cuts[_i].name, i,
				      (unsigned long long)rd.first_seq, (unsigned long long)rd.last_seq,
				      (unsigned long long)cuts[_i].first[i], (unsigned long long)cuts[_i].last[i]);
		}
		kept &= rd.starts_on_boundary && rd.ends_on_boundary && rd.completed == 1;
	}
	ck_assert_msg(off == 2560, "%s: table reads add up to %zu", cuts[_i].name, off);
	ck_assert_msg(g.n == 5, "%s: %d messages", cuts[_i].name, g.n);
	for (int i = 0; i < 5; i++)
		ck_assert_msg(g.seqs[i] == (uint64_t)i, "%s: message %d has seq %llu", cuts[_i].name, i,
			      (unsigned long long)g.seqs[i]);
	ck_assert_msg(g.corrupted == 0 && g.foreign == 0, "%s: corrupted/foreign", cuts[_i].name);
	ck_assert_msg(kept == cuts[_i].kept, "%s: boundaries kept %d", cuts[_i].name, kept);
	ck_assert(sc_frame_idle(&f));
	ck_assert_uint_eq(f.offset, 2560);
}
END_TEST

START_TEST(one_byte_at_a_time)
{
	uint8_t buf[3 * 100];
	struct sc_frame f;
	struct got g = {0};

	stream_of(buf, 3, 100, TOKEN);
	sc_frame_init(&f, TOKEN);
	for (size_t i = 0; i < sizeof(buf); i++) {
		struct sc_frame_read rd;

		ck_assert_int_eq(sc_frame_feed(&f, buf + i, 1, collect, &g, &rd), 0);
		ck_assert_int_eq(rd.completed, (i + 1) % 100 == 0);
	}
	ck_assert_int_eq(g.n, 3);
}
END_TEST

START_TEST(long_message_over_two_reads)
{
	uint8_t buf[1000];
	struct sc_frame f;
	struct sc_frame_read rd;
	struct got g = {0};

	stream_of(buf, 1, 1000, TOKEN);
	sc_frame_init(&f, TOKEN);
	sc_frame_feed(&f, buf, 512, collect, &g, &rd);
	ck_assert(rd.starts_on_boundary && !rd.ends_on_boundary && rd.completed == 0);
	ck_assert(!sc_frame_idle(&f));
	sc_frame_feed(&f, buf + 512, 488, collect, &g, &rd);
	ck_assert(!rd.starts_on_boundary && rd.ends_on_boundary && rd.completed == 1);
	ck_assert(rd.any_seq && rd.first_seq == 0);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.corrupted, 0);
}
END_TEST

START_TEST(corrupted_and_foreign)
{
	uint8_t buf[600];
	struct sc_frame f;
	struct got g = {0};

	stream_of(buf, 1, 300, TOKEN);
	stream_of(buf + 300, 1, 300, TOKEN + 1);
	buf[200] ^= 0x40;
	sc_frame_init(&f, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, sizeof(buf), collect, &g, NULL), 0);
	ck_assert_int_eq(g.n, 2);
	ck_assert_int_eq(g.corrupted, 1);
	ck_assert_int_eq(g.foreign, 1);
}
END_TEST

START_TEST(garbage_desyncs_once)
{
	uint8_t buf[200];
	struct sc_frame f;
	struct got g = {0};

	memset(buf, 'G', sizeof(buf));
	sc_frame_init(&f, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, 100, collect, &g, NULL), -EBADMSG);
	ck_assert_int_eq(sc_frame_feed(&f, buf + 100, 100, collect, &g, NULL), 0);
	ck_assert_int_eq(g.n, 0);
	ck_assert(f.desync);
	ck_assert(!sc_frame_idle(&f));
	ck_assert_uint_eq(f.junk_bytes, 200);
	ck_assert_uint_eq(f.offset, 200);
}
END_TEST

START_TEST(huge_length_is_not_trusted)
{
	uint8_t buf[SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h = {.version = 1, .token = TOKEN, .length = 100, .seq = 1};
	struct sc_frame f;
	struct got g = {0};

	sc_wire_encode(&h, buf);
	buf[12] = 0x7f; /* length ~2 GB */
	sc_frame_init(&f, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, sizeof(buf), collect, &g, NULL), -EINVAL);
	ck_assert_int_eq(g.n, 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("frame");

	tcase_add_loop_test(tc, cut_points, 0, NELEM(cuts));
	tcase_add_test(tc, one_byte_at_a_time);
	tcase_add_test(tc, long_message_over_two_reads);
	tcase_add_test(tc, corrupted_and_foreign);
	tcase_add_test(tc, garbage_desyncs_once);
	tcase_add_test(tc, huge_length_is_not_trusted);
	suite_add_tcase(s, tc);
	return s;
}
