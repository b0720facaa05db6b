/* test_stream_write.c - the stream sender's copy-free write of a sockcmp
 * message (sc_stream_write_pattern: header + pattern payload through
 * sendmsg iovecs) puts exactly the bytes of the built message on the wire,
 * also when writes are partial and must resume mid-header or mid-payload. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "side.h"
#include "stream.h"
#include "wire.h"
#include "unit.h"

static const struct sc_wire_key key = {{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6}};

/* Message i of the test: lengths across the header, chunk and
 * iovec-count boundaries (more than 63 chunks takes several calls). */
static uint32_t msg_len(unsigned i)
{
	static const uint32_t lens[] = {44, 45, 4140, 131072, 300000, 1000, 65536 + 44};

	return lens[i % NELEM(lens)];
}

static struct sc_wire_hdr msg_hdr(unsigned i)
{
	struct sc_wire_hdr h = {.version = SC_WIRE_VERSION, .token = 77, .length = msg_len(i),
				.seq = 1000 + i, .send_ns = 1000000007ull * i};
	return h;
}

/* The reader: reads slowly in small pieces and compares with the old,
 * copying path (sc_wire_build into a buffer). Exits 0 if every byte
 * matched and the stream ended right after the last message. */
static int reader(int fd, unsigned nmsgs)
{
	uint8_t *want = malloc(300000), got[997];

	if (!want)
		return 2;
	for (unsigned i = 0; i < nmsgs; i++) {
		struct sc_wire_hdr h = msg_hdr(i);
		size_t have = 0;

		if (sc_wire_build(&key, &h, want, h.length) != (long)h.length)
			return 3;
		while (have < h.length) {
			size_t want_n = h.length - have < sizeof(got) ? h.length - have : sizeof(got);
			ssize_t n = read(fd, got, want_n);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return 4;
			if (memcmp(got, want + have, (size_t)n) != 0)
				return 5;
			have += (size_t)n;
			if ((have / sizeof(got)) % 8 == 0)
				usleep(50); /* let the sender block */
		}
	}
	free(want);
	return read(fd, got, 1) == 0 ? 0 : 6;
}

static void on_alarm(int sig)
{
	(void)sig;
}

START_TEST(iovec_writes_are_the_built_bytes_even_when_partial)
{
	enum { NMSGS = 21 };
	int sv[2], small = 4096, status;
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART: writes get cut */
	struct itimerval tick = {{0, 300}, {0, 300}}, off = {{0, 0}, {0, 0}};
	volatile sig_atomic_t stop = 0;
	struct sc_side s;
	uint64_t total = 0;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		_exit(reader(sv[1], NMSGS));
	}
	close(sv[1]);
	ck_assert_int_eq(sc_side_init(&s, "send", "unix-stream", 1 << 16), 0);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &tick, NULL), 0);
	for (unsigned i = 0; i < NMSGS; i++) {
		struct sc_wire_hdr h = msg_hdr(i);
		uint8_t hdr[SC_WIRE_HDR_LEN];

		ck_assert_int_eq(sc_wire_build_header(&key, &h, hdr), h.length);
		ck_assert_int_eq(sc_stream_write_pattern(sv[0], hdr, h.length, h.seq, &s, &stop), 0);
		total += h.length;
	}
	ck_assert_int_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
	close(sv[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader status %d", status);
	ck_assert_uint_eq(s.msgs, NMSGS);
	ck_assert_uint_eq(s.bytes, total);
	/* Writes were cut (by the timer or by the 252 KiB per call limit): the
	 * resume path ran. */
	ck_assert_uint_gt(s.calls, NMSGS + 3);
	sc_side_free(&s);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("stream_write");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, iovec_writes_are_the_built_bytes_even_when_partial);
	suite_add_tcase(s, tc);
	return s;
}
