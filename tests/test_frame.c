/* test_frame.c - re-framing a byte stream cut at arbitrary points: what each
 * read reports, the messages found, corruption, strays and desync. */
#include <errno.h>
#include <string.h>

#include "frame.h"
#include "unit.h"

#define TOKEN 77
#define MAX_STREAM 4096

/* The run's key in these tests, and a stranger's. */
static const struct sc_wire_key KEY = {{0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
					0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
static const struct sc_wire_key OTHER = {{0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
					  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xee}};

/* Builds n messages of size bytes each (seq 0..n-1) into buf; returns the
 * stream length. */
static size_t stream_of(uint8_t *buf, int n, size_t size, uint32_t token)
{
	for (int i = 0; i < n; i++) {
		struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = token,
					.length = (uint32_t)size, .seq = (uint64_t)i};

		ck_assert_int_eq(sc_wire_build(&KEY, &h, buf + (size_t)i * size, size), (long)size);
	}
	return (size_t)n * size;
}

/* What the callback saw, in order. */
struct got {
	int n, corrupted, foreign;
	struct sc_frame_msg msgs[64];
	const struct sc_frame *f; /* to check the framer is idle inside cb */
	int busy_in_cb;
};

static void collect(void *arg, const struct sc_frame_msg *m)
{
	struct got *g = arg;

	if (g->n < 64)
		g->msgs[g->n] = *m;
	g->n++;
	g->corrupted += m->corrupted;
	g->foreign += m->foreign;
	if (g->f && !sc_frame_idle(g->f))
		g->busy_in_cb++;
}

/* What one read must report. */
struct want_read {
	unsigned completed;
	bool any;
	uint64_t first, last; /* only when any */
	bool starts, ends;
};

/* Streams of nmsg messages of size bytes, read with the given read sizes
 * (0-terminated, so a row cannot hold an empty read: see empty_read). */
static const struct {
	const char *name;
	size_t size;
	int nmsg;
	size_t reads[8];
	struct want_read want[8];
} cuts[] = {
	{"5x512, one read of 2560", 512, 5, {2560}, {{5, 1, 0, 4, 1, 1}}},
	{"5x512, five reads of 512", 512, 5, {512, 512, 512, 512, 512},
	 {{1, 1, 0, 0, 1, 1}, {1, 1, 1, 1, 1, 1}, {1, 1, 2, 2, 1, 1}, {1, 1, 3, 3, 1, 1},
	  {1, 1, 4, 4, 1, 1}}},
	{"5x512, 1024 + 1536", 512, 5, {1024, 1536}, {{2, 1, 0, 1, 1, 1}, {3, 1, 2, 4, 1, 1}}},
	{"5x512, 700 + 1860: a read ends mid-payload", 512, 5, {700, 1860},
	 {{1, 1, 0, 1, 1, 0}, {4, 1, 1, 4, 0, 1}}},
	/* 530 = message 0 and 18 bytes of message 1's header: seq 1 is not
	 * known until the next read completes the header. */
	{"5x512, cut inside a header", 512, 5, {530, 30, 2000},
	 {{1, 1, 0, 0, 1, 0}, {0, 1, 1, 1, 0, 0}, {4, 1, 1, 4, 0, 1}}},
	{"5x512, cut one byte before a header's end", 512, 5, {555, 1, 2004},
	 {{1, 1, 0, 0, 1, 0}, {0, 1, 1, 1, 0, 0}, {4, 1, 1, 4, 0, 1}}},
	{"5x512, cut right after a header", 512, 5, {556, 468, 1536},
	 {{1, 1, 0, 1, 1, 0}, {1, 1, 1, 1, 0, 1}, {3, 1, 2, 4, 1, 1}}},
	{"5x512, a header over three reads", 512, 5, {512, 10, 10, 24, 468, 1536},
	 {{1, 1, 0, 0, 1, 1}, {0, 0, 0, 0, 1, 0}, {0, 0, 0, 0, 0, 0}, {0, 1, 1, 1, 0, 0},
	  {1, 1, 1, 1, 0, 1}, {3, 1, 2, 4, 1, 1}}},
	{"5x512, the first 10 bytes alone", 512, 5, {10, 2550},
	 {{0, 0, 0, 0, 1, 0}, {5, 1, 0, 4, 0, 1}}},
	{"2x1000, reads of 1000, 512, 488", 1000, 2, {1000, 512, 488},
	 {{1, 1, 0, 0, 1, 1}, {0, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 0, 1}}},
	/* 1024 holds message 0's end and 24 bytes of message 1's header. */
	{"2x1000, reads of 512", 1000, 2, {512, 512, 512, 464},
	 {{0, 1, 0, 0, 1, 0}, {1, 1, 0, 0, 0, 0}, {0, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 0, 1}}},
	{"3 bare headers, one read", SC_WIRE_HDR_LEN, 3, {3 * SC_WIRE_HDR_LEN},
	 {{3, 1, 0, 2, 1, 1}}},
	{"3 bare headers, 50 + 82", SC_WIRE_HDR_LEN, 3, {50, 82},
	 {{1, 1, 0, 0, 1, 0}, {2, 1, 1, 2, 0, 1}}},
};

START_TEST(cut_points)
{
	uint8_t buf[MAX_STREAM];
	struct sc_frame f;
	struct got g = {.f = &f};
	size_t total = stream_of(buf, cuts[_i].nmsg, cuts[_i].size, TOKEN);
	size_t off = 0;
	const char *name = cuts[_i].name;

	sc_frame_init(&f, &KEY, TOKEN);
	for (int i = 0; cuts[_i].reads[i]; i++) {
		const struct want_read *w = &cuts[_i].want[i];
		struct sc_frame_read rd;
		size_t n = cuts[_i].reads[i];
		int r = sc_frame_feed(&f, buf + off, n, collect, &g, &rd);

		off += n;
		ck_assert_msg(r == 0, "%s, read %d: returned %d", name, i, r);
		ck_assert_msg(rd.completed == w->completed, "%s, read %d: completed %u, want %u", name,
			      i, rd.completed, w->completed);
		ck_assert_msg(rd.any_seq == w->any, "%s, read %d: any_seq %d, want %d", name, i,
			      rd.any_seq, w->any);
		if (w->any)
			ck_assert_msg(rd.first_seq == w->first && rd.last_seq == w->last,
				      "%s, read %d: seqs %llu..%llu, want %llu..%llu", name, i,
				      (unsigned long long)rd.first_seq, (unsigned long long)rd.last_seq,
				      (unsigned long long)w->first, (unsigned long long)w->last);
		ck_assert_msg(rd.starts_on_boundary == w->starts && rd.ends_on_boundary == w->ends,
			      "%s, read %d: boundaries start %d end %d, want %d %d", name, i,
			      rd.starts_on_boundary, rd.ends_on_boundary, w->starts, w->ends);
		ck_assert_msg(sc_frame_idle(&f) == w->ends, "%s, read %d: idle %d", name, i,
			      sc_frame_idle(&f));
		ck_assert_msg(f.offset == off, "%s, read %d: offset %llu, want %zu", name, i,
			      (unsigned long long)f.offset, off);
	}
	ck_assert_msg(off == total, "%s: the table's reads add up to %zu, not %zu", name, off, total);
	ck_assert_msg(g.n == cuts[_i].nmsg, "%s: %d messages, want %d", name, g.n, cuts[_i].nmsg);
	for (int i = 0; i < g.n; i++)
		ck_assert_msg(g.msgs[i].hdr.seq == (uint64_t)i && g.msgs[i].hdr.length == cuts[_i].size,
			      "%s: message %d has seq %llu, length %u", name, i,
			      (unsigned long long)g.msgs[i].hdr.seq, g.msgs[i].hdr.length);
	ck_assert_msg(g.corrupted == 0 && g.foreign == 0, "%s: %d corrupted, %d foreign", name,
		      g.corrupted, g.foreign);
	ck_assert_msg(g.busy_in_cb == 0, "%s: framer not idle inside the callback", name);
	ck_assert_msg(f.junk_bytes == 0 && !f.desync, "%s: junk %llu", name,
		      (unsigned long long)f.junk_bytes);
}
END_TEST

/* Reads of one byte: the header's 44th byte names the message, its last
 * payload byte completes it. */
START_TEST(one_byte_at_a_time)
{
	uint8_t buf[5 * 512];
	struct sc_frame f;
	struct got g = {0};

	stream_of(buf, 5, 512, TOKEN);
	sc_frame_init(&f, &KEY, TOKEN);
	for (size_t i = 0; i < sizeof(buf); i++) {
		struct sc_frame_read rd;
		size_t at = i % 512;
		uint64_t seq = i / 512;

		ck_assert_int_eq(sc_frame_feed(&f, buf + i, 1, collect, &g, &rd), 0);
		ck_assert_msg(rd.completed == (at == 511), "byte %zu: completed %u", i, rd.completed);
		ck_assert_msg(rd.starts_on_boundary == (at == 0) && rd.ends_on_boundary == (at == 511),
			      "byte %zu: boundaries %d %d", i, rd.starts_on_boundary,
			      rd.ends_on_boundary);
		ck_assert_msg(rd.any_seq == (at >= SC_WIRE_HDR_LEN - 1), "byte %zu: any_seq %d", i,
			      rd.any_seq);
		if (rd.any_seq)
			ck_assert_msg(rd.first_seq == seq && rd.last_seq == seq,
				      "byte %zu: seqs %llu..%llu, want %llu", i,
				      (unsigned long long)rd.first_seq, (unsigned long long)rd.last_seq,
				      (unsigned long long)seq);
	}
	ck_assert_int_eq(g.n, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(g.msgs[i].hdr.seq, (uint64_t)i);
	ck_assert_int_eq(g.corrupted, 0);
	ck_assert(sc_frame_idle(&f));
}
END_TEST

/* An empty read touches nothing and reports the state it found. */
START_TEST(empty_read)
{
	uint8_t buf[512];
	struct sc_frame f;
	struct sc_frame_read rd;
	struct got g = {0};

	stream_of(buf, 1, 512, TOKEN);
	sc_frame_init(&f, &KEY, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, 0, collect, &g, &rd), 0);
	ck_assert(rd.starts_on_boundary && rd.ends_on_boundary && !rd.any_seq && !rd.completed);
	ck_assert_int_eq(sc_frame_feed(&f, buf, 100, collect, &g, &rd), 0);
	ck_assert_int_eq(sc_frame_feed(&f, buf + 100, 0, collect, &g, &rd), 0);
	ck_assert(!rd.starts_on_boundary && !rd.ends_on_boundary && !rd.any_seq);
	ck_assert_uint_eq(f.offset, 100);
	ck_assert_int_eq(g.n, 0);
}
END_TEST

/* Damage to message 1 of three 300-byte messages must show on it alone. */
static const struct {
	const char *name;
	size_t at;        /* byte of message 1 to flip (ignored for rebuild) */
	bool other_token; /* rebuild message 1 with another token */
	bool corrupted, foreign;
} damage[] = {
	{"intact", 0, false, false, false},
	{"payload byte flipped", 200, false, true, false},
	{"first payload byte flipped", SC_WIRE_HDR_LEN, false, true, false},
	{"last payload byte flipped", 299, false, true, false},
	{"another run's token, valid mac", 0, true, false, true},
	/* A damaged header is not a damaged message: it fails its mac and
	 * ends framing (see desyncs). */
};

START_TEST(damaged_message)
{
	uint8_t buf[900];
	struct sc_frame f;
	struct got g = {0};

	stream_of(buf, 3, 300, TOKEN);
	if (damage[_i].other_token) {
		struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = TOKEN + 1, .length = 300,
					.seq = 1};

		sc_wire_build(&KEY, &h, buf + 300, 300);
	} else if (damage[_i].at) {
		buf[300 + damage[_i].at] ^= 0x40;
	}
	sc_frame_init(&f, &KEY, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, sizeof(buf), collect, &g, NULL), 0);
	ck_assert_msg(g.n == 3, "%s: %d messages", damage[_i].name, g.n);
	for (int i = 0; i < 3; i++) {
		bool c = i == 1 && damage[_i].corrupted, fo = i == 1 && damage[_i].foreign;

		ck_assert_msg(g.msgs[i].corrupted == c && g.msgs[i].foreign == fo,
			      "%s, message %d: corrupted %d foreign %d, want %d %d", damage[_i].name, i,
			      g.msgs[i].corrupted, g.msgs[i].foreign, c, fo);
	}
	ck_assert(sc_frame_idle(&f));
}
END_TEST

/* The framer compares a pattern payload instead of running the CRC
 * (pattern.h); a payload that leaves the pattern part-way must still be
 * judged by the CRC over all its bytes, however the reads cut it. Message
 * 1 of three 5000-byte messages gets a new payload from byte `from` on and
 * a header sealed with that payload's CRC (good_crc) or the pattern's. */
static const struct {
	const char *name;
	size_t from;   /* payload bytes before this stay the pattern */
	bool good_crc; /* the header carries the CRC of the new payload */
} departures[] = {
	{"all zeros, its own crc", 0, true},
	{"pattern then zeros, its own crc", 4500, true},
	{"zeros from the last byte, its own crc", 4955, true},
	{"pattern then zeros, the pattern's crc", 1000, false},
	{"zeros from the last byte, the pattern's crc", 4955, false},
};

START_TEST(payload_leaving_the_pattern)
{
	static const size_t reads[] = {1, 7, 44, 100, 1000, 4999, 15000};
	uint8_t buf[15000];
	size_t body = 5000 - SC_WIRE_HDR_LEN;
	uint8_t *pay = buf + 5000 + SC_WIRE_HDR_LEN;
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = TOKEN, .length = 5000, .seq = 1};

	stream_of(buf, 3, 5000, TOKEN);
	h.crc = sc_crc32(0, pay, body);
	memset(pay + departures[_i].from, 0, body - departures[_i].from);
	if (departures[_i].good_crc)
		h.crc = sc_crc32(0, pay, body);
	sc_wire_encode(&h, buf + 5000);
	sc_wire_seal(&KEY, buf + 5000);
	for (size_t r = 0; r < NELEM(reads); r++) {
		struct sc_frame f;
		struct got g = {0};

		sc_frame_init(&f, &KEY, TOKEN);
		for (size_t at = 0; at < sizeof(buf); at += reads[r])
			ck_assert_int_eq(sc_frame_feed(&f, buf + at, sizeof(buf) - at < reads[r]
							   ? sizeof(buf) - at : reads[r], collect, &g, NULL), 0);
		ck_assert_msg(g.n == 3, "%s, reads of %zu: %d messages", departures[_i].name, reads[r], g.n);
		for (int i = 0; i < 3; i++)
			ck_assert_msg(g.msgs[i].corrupted == (i == 1 && !departures[_i].good_crc),
				      "%s, reads of %zu, message %d: corrupted %d", departures[_i].name,
				      reads[r], i, g.msgs[i].corrupted);
	}
}
END_TEST

/* A FIN is a message like any other: the caller decides what it means. */
START_TEST(fin_is_reported)
{
	uint8_t buf[512 + SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = SC_WIRE_F_FIN, .token = TOKEN,
				.length = SC_WIRE_HDR_LEN, .seq = 1};
	struct sc_frame f;
	struct sc_frame_read rd;
	struct got g = {0};

	stream_of(buf, 1, 512, TOKEN);
	sc_wire_build(&KEY, &h, buf + 512, SC_WIRE_HDR_LEN);
	sc_frame_init(&f, &KEY, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, sizeof(buf), collect, &g, &rd), 0);
	ck_assert_uint_eq(rd.completed, 2);
	ck_assert(rd.any_seq && rd.first_seq == 0 && rd.last_seq == 1);
	ck_assert_int_eq(g.n, 2);
	ck_assert_uint_eq(g.msgs[1].hdr.flags, SC_WIRE_F_FIN);
	ck_assert_uint_eq(g.msgs[1].hdr.length, SC_WIRE_HDR_LEN);
	ck_assert(!g.msgs[1].corrupted && !g.msgs[1].foreign);
	ck_assert(sc_frame_idle(&f));
}
END_TEST

/* A bad header after `good` intact 512-byte messages, the stream (total
 * bytes) fed in reads of `read` bytes: the read that completes the bad
 * header returns its error, every later one 0; the bad header and all that
 * follows are junk; no message after it is reported. */
static const struct {
	const char *name;
	int good;
	size_t at, npatch; /* patch bytes of the header after the good ones */
	uint8_t patch[4];
	size_t total, read;
	int want;
	bool reseal; /* seal the patched header with the run's key */
} desyncs[] = {
	{"garbage from the start", 0, 0, 4, {'G', 'G', 'G', 'G'}, 1024, 100, -EBADMSG, false},
	{"garbage from the start, one read", 0, 0, 4, {'G', 'G', 'G', 'G'}, 1024, 1024, -EBADMSG,
	 false},
	{"garbage after two messages, one read", 2, 0, 1, {0}, 2048, 2048, -EBADMSG, false},
	{"bad header split over reads", 2, 0, 1, {0}, 2048, 1040, -EBADMSG, false},
	{"garbage header in 1-byte reads", 1, 0, 1, {0}, 1024, 1, -EBADMSG, false},
	{"version 1", 1, SC_WIRE_OFF_VERSION, 1, {1}, 2048, 512, -EPROTO, false},
	{"version 3", 1, SC_WIRE_OFF_VERSION, 1, {3}, 2048, 512, -EPROTO, false},
	{"length 43, sealed", 1, SC_WIRE_OFF_LENGTH, 4, {0, 0, 0, 43}, 2048, 300, -EINVAL, true},
	{"length ~2 GB, sealed, not trusted", 1, SC_WIRE_OFF_LENGTH, 4, {0x7f, 0, 0, 0}, 2048, 2048,
	 -EINVAL, true},
	{"length 43, not sealed: a forgery", 1, SC_WIRE_OFF_LENGTH, 4, {0, 0, 0, 43}, 2048, 300,
	 -EACCES, false},
	{"seq byte flipped", 1, SC_WIRE_OFF_SEQ + 7, 1, {0x55}, 2048, 512, -EACCES, false},
	{"send_ns byte flipped", 1, SC_WIRE_OFF_SEND_NS + 3, 1, {0x55}, 2048, 512, -EACCES, false},
	{"token byte flipped", 1, SC_WIRE_OFF_TOKEN + 3, 1, {0x55}, 2048, 512, -EACCES, false},
	{"crc byte flipped", 1, SC_WIRE_OFF_CRC, 1, {0x55}, 2048, 512, -EACCES, false},
	{"flags: FIN set", 1, SC_WIRE_OFF_FLAGS, 1, {SC_WIRE_F_FIN}, 2048, 512, -EACCES, false},
	{"mac byte flipped", 1, SC_WIRE_OFF_MAC + 7, 1, {0x55}, 2048, 2048, -EACCES, false},
};

START_TEST(desync)
{
	uint8_t buf[MAX_STREAM];
	size_t good = (size_t)desyncs[_i].good * 512, n = desyncs[_i].total;
	const char *name = desyncs[_i].name;
	struct sc_frame f;
	struct got g = {0};
	int errors = 0, last_cb = 0;

	stream_of(buf, (int)(n / 512), 512, TOKEN);
	memcpy(buf + good + desyncs[_i].at, desyncs[_i].patch, desyncs[_i].npatch);
	if (desyncs[_i].reseal)
		sc_wire_seal(&KEY, buf + good);
	sc_frame_init(&f, &KEY, TOKEN);
	for (size_t off = 0; off < n; off += desyncs[_i].read) {
		size_t k = n - off < desyncs[_i].read ? n - off : desyncs[_i].read;
		int r = sc_frame_feed(&f, buf + off, k, collect, &g, NULL);

		if (r != 0) {
			ck_assert_msg(r == desyncs[_i].want, "%s: returned %d, want %d", name, r,
				      desyncs[_i].want);
			ck_assert_msg(off + k >= good + SC_WIRE_HDR_LEN && off < good + SC_WIRE_HDR_LEN,
				      "%s: error on the read at %zu, not the bad header's", name, off);
			errors++;
			last_cb = g.n;
		}
	}
	ck_assert_msg(errors == 1, "%s: %d errors returned, want exactly 1", name, errors);
	ck_assert_msg(g.n == desyncs[_i].good && g.n == last_cb,
		      "%s: %d messages reported, want %d", name, g.n, desyncs[_i].good);
	ck_assert_msg(f.desync && f.error == desyncs[_i].want, "%s: desync %d error %d", name,
		      f.desync, f.error);
	ck_assert_msg(f.junk_bytes == n - good, "%s: junk %llu, want %zu", name,
		      (unsigned long long)f.junk_bytes, n - good);
	ck_assert_msg(f.offset == n, "%s: offset %llu", name, (unsigned long long)f.offset);
	ck_assert_msg(!sc_frame_idle(&f), "%s: a desynchronised stream is not idle", name);
}
END_TEST

/* After a desync every read reports nothing but junk. */
START_TEST(desync_reads_report_nothing)
{
	uint8_t buf[1024];
	struct sc_frame f;
	struct sc_frame_read rd;
	struct got g = {0};

	stream_of(buf, 2, 512, TOKEN);
	buf[0] = 0;
	sc_frame_init(&f, &KEY, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, 50, collect, &g, &rd), -EBADMSG);
	ck_assert(!rd.any_seq && !rd.completed && rd.starts_on_boundary && !rd.ends_on_boundary);
	ck_assert_int_eq(sc_frame_feed(&f, buf + 512, 512, collect, &g, &rd), 0);
	ck_assert(!rd.any_seq && !rd.completed && !rd.starts_on_boundary && !rd.ends_on_boundary);
	ck_assert_int_eq(g.n, 0);
	ck_assert_uint_eq(f.junk_bytes, 562);
}
END_TEST

/* Idle at the end of a stream of two 512-byte messages cut after `fed`. */
static const struct {
	size_t fed;
	bool idle;
} idles[] = {
	{0, true}, {1, false}, {43, false}, {44, false}, {511, false},
	{512, true}, {556, false}, {1023, false}, {1024, true},
};

START_TEST(idle_at_end)
{
	uint8_t buf[1024];
	struct sc_frame f;
	struct got g = {0};

	stream_of(buf, 2, 512, TOKEN);
	sc_frame_init(&f, &KEY, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, idles[_i].fed, collect, &g, NULL), 0);
	ck_assert_msg(sc_frame_idle(&f) == idles[_i].idle, "stream cut after %zu bytes: idle %d",
		      idles[_i].fed, sc_frame_idle(&f));
	ck_assert_msg(g.n == (int)(idles[_i].fed / 512), "cut after %zu: %d messages",
		      idles[_i].fed, g.n);
}
END_TEST

/* A whole stream sealed with another key: the first header is refused and
 * nothing of it is reported, token or not. */
START_TEST(other_key_reports_nothing)
{
	uint8_t buf[1024];
	struct sc_frame f;
	struct got g = {0};

	for (int i = 0; i < 2; i++) {
		struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = TOKEN, .length = 512,
					.seq = (uint64_t)i};

		sc_wire_build(&OTHER, &h, buf + 512 * i, 512);
	}
	sc_frame_init(&f, &KEY, 0);
	ck_assert_int_eq(sc_frame_feed(&f, buf, sizeof(buf), collect, &g, NULL), -EACCES);
	ck_assert_int_eq(g.n, 0);
	ck_assert_uint_eq(f.junk_bytes, sizeof(buf));
	ck_assert(sc_frame_err_foreign(f.error));
}
END_TEST

/* Which framer errors are someone else's bytes (foreign) and which our
 * sender's impossible message (malformed): the receiver counts by this,
 * not by the text of an event flag (issue 7 #17). */
static const struct {
	int err;
	bool foreign;
} err_kinds[] = {
	{-EMSGSIZE, true}, {-EBADMSG, true}, {-EPROTO, true}, {-EACCES, true},
	{-EINVAL, false},  {0, false},
};

START_TEST(error_kinds)
{
	ck_assert_msg(sc_frame_err_foreign(err_kinds[_i].err) == err_kinds[_i].foreign,
		      "error %d: foreign %d", err_kinds[_i].err, !err_kinds[_i].foreign);
}
END_TEST

/* A FIN sealed with another key, after the run's messages: not reported,
 * so it can change no count. */
START_TEST(forged_fin_is_not_reported)
{
	uint8_t buf[512 + SC_WIRE_HDR_LEN];
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .flags = SC_WIRE_F_FIN, .token = TOKEN,
				.length = SC_WIRE_HDR_LEN, .seq = 1000};
	struct sc_frame f;
	struct got g = {0};

	stream_of(buf, 1, 512, TOKEN);
	sc_wire_build(&OTHER, &h, buf + 512, SC_WIRE_HDR_LEN);
	sc_frame_init(&f, &KEY, TOKEN);
	ck_assert_int_eq(sc_frame_feed(&f, buf, sizeof(buf), collect, &g, NULL), -EACCES);
	ck_assert_int_eq(g.n, 1);
	ck_assert_uint_eq(g.msgs[0].hdr.flags, 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("frame");

	tcase_add_loop_test(tc, cut_points, 0, NELEM(cuts));
	tcase_add_test(tc, one_byte_at_a_time);
	tcase_add_test(tc, empty_read);
	tcase_add_loop_test(tc, damaged_message, 0, NELEM(damage));
	tcase_add_loop_test(tc, payload_leaving_the_pattern, 0, NELEM(departures));
	tcase_add_test(tc, fin_is_reported);
	tcase_add_loop_test(tc, desync, 0, NELEM(desyncs));
	tcase_add_test(tc, desync_reads_report_nothing);
	tcase_add_loop_test(tc, idle_at_end, 0, NELEM(idles));
	tcase_add_test(tc, other_key_reports_nothing);
	tcase_add_loop_test(tc, error_kinds, 0, NELEM(err_kinds));
	tcase_add_test(tc, forged_fin_is_not_reported);
	suite_add_tcase(s, tc);
	return s;
}
