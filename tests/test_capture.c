/* test_capture.c - telling a capture's frames apart: handshake, data,
 * pure ACK, FIN, RST, UDP, and what is not IPv4 at all; pcap files that
 * appear whole or not at all. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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


/* The pcap file header, byte by byte: magic a1b23c4d (ns) little-endian,
 * version 2.4, zone 0, sigfigs 0, snaplen, link type. */
START_TEST(pcap_file_header)
{
	static const uint8_t want[SC_PCAP_FILE_HDR] = {0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
						       0, 0, 0, 0, 0x00, 0x08, 0, 0, 1, 0, 0, 0};
	uint8_t got[SC_PCAP_FILE_HDR];

	sc_pcap_file_header(got, 2048, SC_PCAP_LINKTYPE_ETHERNET);
	for (int i = 0; i < SC_PCAP_FILE_HDR; i++)
		ck_assert_msg(got[i] == want[i], "file header byte %d: got %#x, want %#x", i, got[i], want[i]);
}
END_TEST

/* A record header: a frame at 1700000000.123456789 s, 60 of its 1514
 * bytes kept. */
START_TEST(pcap_record_header)
{
	static const uint8_t want[SC_PCAP_REC_HDR] = {0x00, 0xf1, 0x53, 0x65, 0x15, 0xcd, 0x5b, 0x07,
						      60, 0, 0, 0, 0xea, 0x05, 0, 0};
	uint8_t got[SC_PCAP_REC_HDR];

	sc_pcap_rec_header(got, 1700000000ull * 1000000000ull + 123456789ull, 60, 1514);
	for (int i = 0; i < SC_PCAP_REC_HDR; i++)
		ck_assert_msg(got[i] == want[i], "record header byte %d: got %#x, want %#x", i, got[i], want[i]);
}
END_TEST

/* Entries in dir other than . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* A whole file through sc_pcap_open/frame/commit: the header, one record
 * and its bytes, nothing more; nothing left under the temporary name. */
START_TEST(pcap_file)
{
	char dir[] = "/tmp/test_capture-XXXXXX", path[64];
	uint8_t f[2048], back[4096];
	size_t n = frame(f, 17, 0, 4);
	struct sc_pcap p;
	FILE *in;
	size_t got;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.pcap", dir);
	ck_assert_int_eq(sc_pcap_open(&p, path), 0);
	sc_pcap_frame(&p, 5000000001ull, f, (uint32_t)n, (uint32_t)n);
	ck_assert_int_eq(sc_pcap_commit(&p), 0);
	ck_assert_int_eq(entries(dir), 1); /* nothing left under a temporary name */
	in = fopen(path, "rb");
	ck_assert_ptr_nonnull(in);
	got = fread(back, 1, sizeof(back), in);
	fclose(in);
	ck_assert_uint_eq(got, SC_PCAP_FILE_HDR + SC_PCAP_REC_HDR + n);
	ck_assert_uint_eq(back[0], 0x4d);
	ck_assert_uint_eq(back[SC_PCAP_FILE_HDR + 0], 5);      /* seconds */
	ck_assert_uint_eq(back[SC_PCAP_FILE_HDR + 4], 1);      /* nanoseconds */
	ck_assert_uint_eq(back[SC_PCAP_FILE_HDR + 8], n);      /* captured length */
	ck_assert_uint_eq(back[SC_PCAP_FILE_HDR + 12], n);     /* original length */
	ck_assert_mem_eq(back + SC_PCAP_FILE_HDR + SC_PCAP_REC_HDR, f, n);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A symlink planted at the old guessable temporary name (PATH.tmp-PID)
 * or at the final name is never followed: the file it points to stays as
 * it was, and the pcap is written anyway (the old code refused with
 * EEXIST, or with the link at PATH.tmp-PID of a root run, wrote through
 * it where O_NOFOLLOW was not enough). */
START_TEST(pcap_planted_links)
{
	char dir[] = "/tmp/test_capture-XXXXXX", path[64], tmp[96], victim[64];
	uint8_t f[2048];
	size_t n = frame(f, 17, 0, 4);
	struct sc_pcap p;
	struct stat st;
	FILE *v;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.pcap", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	v = fopen(victim, "w");
	ck_assert_ptr_nonnull(v);
	fputs("precious", v);
	ck_assert_int_eq(fclose(v), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid());
	ck_assert_int_eq(symlink(victim, tmp), 0);
	ck_assert_int_eq(symlink(victim, path), 0);
	ck_assert_int_eq(sc_pcap_open(&p, path), 0);
	sc_pcap_frame(&p, 1, f, (uint32_t)n, (uint32_t)n);
	ck_assert_int_eq(sc_pcap_commit(&p), 0);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert_msg(S_ISREG(st.st_mode), "the final name is not a regular file");
	ck_assert_int_eq(st.st_size, SC_PCAP_FILE_HDR + SC_PCAP_REC_HDR + n);
	ck_assert_int_eq(stat(victim, &st), 0);
	ck_assert_int_eq(st.st_size, 8);
	unlink(tmp);
	unlink(path);
	unlink(victim);
	ck_assert_int_eq(entries(dir), 0);
	rmdir(dir);
}
END_TEST

/* A writer killed halfway (kill -9, or a crash) leaves no file at all: no
 * half-written pcap and no temporary file (the old code left PATH.tmp-PID
 * with whatever it had written). */
START_TEST(pcap_killed_while_writing)
{
	char dir[] = "/tmp/test_capture-XXXXXX", path[64];
	int fds[2], st;
	char c;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.pcap", dir);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sc_pcap p;
		uint8_t f[2048];
		size_t n = frame(f, 6, 0x10, 100);

		if (sc_pcap_open(&p, path) < 0)
			_exit(1);
		sc_pcap_frame(&p, 1, f, (uint32_t)n, (uint32_t)n);
		if (write(fds[1], "w", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	close(fds[0]);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(entries(dir) == 0, "a killed writer left %d file(s) in %s", entries(dir), dir);
	rmdir(dir);
}
END_TEST

/* After the run: a run that finished (0) or finished with failed trials
 * (-EIO) keeps its capture; an interrupted one (-EINTR) or one that could
 * not start drops it, and a file already at the final name stays as it
 * was. A write error (here: the file size limit) commits nothing either. */
START_TEST(pcap_finish)
{
	static const struct { int run, want; bool kept; } t[] = {
		{0, 0, true}, {-EIO, 0, true}, {-EINTR, -ECANCELED, false}, {-EPERM, -ECANCELED, false},
	};
	char dir[] = "/tmp/test_capture-XXXXXX", path[64];
	uint8_t f[2048];
	size_t n = frame(f, 17, 0, 4);
	struct sc_pcap p;
	struct stat st;
	FILE *old;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.pcap", dir);
	for (size_t i = 0; i < NELEM(t); i++) {
		old = fopen(path, "w");
		ck_assert_ptr_nonnull(old);
		fputs("old", old);
		ck_assert_int_eq(fclose(old), 0);
		ck_assert_int_eq(sc_pcap_open(&p, path), 0);
		sc_pcap_frame(&p, 1, f, (uint32_t)n, (uint32_t)n);
		ck_assert_int_eq(sc_pcap_finish(&p, t[i].run), t[i].want);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_msg((st.st_size != 3) == t[i].kept, "run result %d: size %lld", t[i].run,
			      (long long)st.st_size);
		ck_assert_int_eq(entries(dir), 1);
	}
	{
		struct rlimit rl = {SC_PCAP_FILE_HDR + 10, RLIM_INFINITY};

		signal(SIGXFSZ, SIG_IGN);
		ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
		ck_assert_int_eq(sc_pcap_open(&p, path), 0);
		sc_pcap_frame(&p, 1, f, (uint32_t)n, (uint32_t)n);
		ck_assert_int_eq(sc_pcap_finish(&p, 0), -EFBIG);
		rl.rlim_cur = RLIM_INFINITY;
		ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	}
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 3); /* still the old file */
	ck_assert_int_eq(entries(dir), 1);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("capture");

	tcase_add_loop_test(tc, classify, 0, NELEM(cases));
	tcase_add_test(tc, not_ipv4);
	tcase_add_test(tc, counted_once);
	tcase_add_test(tc, pcap_file_header);
	tcase_add_test(tc, pcap_record_header);
	tcase_add_test(tc, pcap_file);
	tcase_add_test(tc, pcap_planted_links);
	tcase_add_test(tc, pcap_killed_while_writing);
	tcase_add_test(tc, pcap_finish);
	suite_add_tcase(s, tc);
	return s;
}
