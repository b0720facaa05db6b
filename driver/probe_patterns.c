/* probe_patterns.c - the lecture's 5 x 512 writes read by a receiver that
 * is already waiting, 20 times per transport: the distribution of read
 * patterns, not one trial's. A stream's reads follow the timing of the
 * writes (and of the scheduler); a datagram's never do. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "paths.h"
#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"
#include "spawn.h"

/* The longest a trial waits for the writer's next bytes or its status. */
#define TRIAL_WAIT_MS 5000

#define TRIALS 20
#define MAXPAT 24

struct tally {
	char pattern[80];
	int n;
};

/* A connected pair of the transport: w for the writer, r for the reader. */
static int pair_of(const char *t, int *w, int *r)
{
	struct sockaddr_storage a;
	socklen_t al;
	int sp[2], lfd, type = strstr(t, "udp") || strstr(t, "dgram") ? SOCK_DGRAM : SOCK_STREAM;

	*w = *r = -1;

	if (!strncmp(t, "unix", 4)) {
		if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sp) < 0)
			return -errno;
		*w = sp[0];
		*r = sp[1];
		return 0;
	}
	if (type == SOCK_STREAM)
		return pu_tcp_pair(w, r);
	lfd = pu_bound(AF_INET, type, 0, 1, &a, &al);
	if (lfd < 0)
		return lfd;
	*w = pu_connected(type, &a, al);
	if (*w < 0) {
		int e = *w;

		close(lfd);
		*w = -1;
		return e;
	}
	*r = lfd;
	return 0;
}

/* Five 512-byte sends on fd, pace_ms apart. Returns 0, or 1 if one failed. */
static int write_five(int fd, long pace_ms)
{
	static const char buf[512];

	for (int i = 0; i < 5; i++) {
		struct timespec ts = {0, pace_ms * 1000000L};

		if (i && pace_ms)
			nanosleep(&ts, NULL);
		if (send(fd, buf, sizeof(buf), MSG_NOSIGNAL) != (ssize_t)sizeof(buf)) {
			fprintf(stderr, "sockcmp __probe-writer: write %d of 5: %s\n", i + 1, strerror(errno));
			return 1;
		}
	}
	return 0;
}

int sc_probe_writer_main(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: sockcmp __probe-writer (its control socket on fd 3)\n");
		return 2;
	}
	for (;;) {
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(sizeof(int))];
		} u;
		uint32_t pace;
		struct iovec iov = {.iov_base = &pace, .iov_len = sizeof(pace)};
		struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b,
				   .msg_controllen = sizeof(u.b)};
		struct cmsghdr *cm;
		ssize_t n = recvmsg(3, &m, MSG_CMSG_CLOEXEC);
		unsigned char status;
		int fd;

		if (n == 0)
			return 0; /* the probe is done */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "sockcmp __probe-writer: fd 3: %s\n", strerror(errno));
			return 1;
		}
		cm = CMSG_FIRSTHDR(&m);
		fd = cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		     cm->cmsg_len == CMSG_LEN(sizeof(int)) ? 0 : -1;
		if (fd == 0)
			memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
		/* Exactly a 4-byte pace and one descriptor: a longer request
		 * (MSG_TRUNC) or more descriptors than room (MSG_CTRUNC, the
		 * rest closed by the kernel) is not the probe's. */
		if (n != (ssize_t)sizeof(pace) || fd < 0 || (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
		    pace >= 1000) {
			fprintf(stderr, "sockcmp __probe-writer: a bad request on fd 3\n");
			if (fd >= 0)
				close(fd);
			return 1;
		}
		status = (unsigned char)write_five(fd, (long)pace);
		close(fd);
		if (send(3, &status, 1, MSG_NOSIGNAL) != 1)
			return 1;
	}
}

/* Whether a trial measured: the writer wrote all five messages (status
 * 0; -errno: it did not answer) and the reader got all 2,560 bytes. A
 * writer that failed, or bytes that never came, make a pattern that is
 * not the transport's: the trial is not measured, with the reason in why.
 * Pure. */
int sc__trial_measured(int writer_status, int got, char *why, size_t len)
{
	if (writer_status != 0) {
		if (writer_status < 0)
			snprintf(why, len, "the writer did not answer (%s)", strerror(-writer_status));
		else
			snprintf(why, len, "the writer %s", writer_status == 1 ? "could not send all five messages"
				 : "failed");
		return writer_status < 0 ? writer_status : -EIO;
	}
	if (got != 2560) {
		snprintf(why, len, "the reader got %d of the 2560 bytes written", got);
		return -EIO;
	}
	return 0;
}

/* The writer: one child for the whole probe, started through the process
 * runner (`sockcmp __probe-writer`, a control socket as its fd 3), that
 * takes one socket per trial over the control socket (SCM_RIGHTS, with the
 * pace), writes 5 x 512 on it and answers one status byte. One process,
 * not one per trial: an exec costs about 0.1 s under ASan, and the two
 * probes run 460 trials. No process group of its own (it starts nothing,
 * and a group costs a scan of /proc at the reap); it still dies with us
 * (PR_SET_PDEATHSIG). */
struct writer {
	struct sc_child c;
	int ctl; /* our end of the control socket, or -1 */
};

static int writer_start(const struct sc_probe_env *env, struct writer *wr)
{
	char self[4200];
	char *argv[] = {self, "__probe-writer", NULL};
	struct sc_spawn_opts so = {.argv = argv, .out = SC_STREAM_NULL, .nextra = 1};
	int sp[2], k;

	wr->ctl = -1;
	if ((k = sc_self_path(env->bin_dir, self, sizeof(self))) < 0)
		return k;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	so.extra = &sp[1];
	k = sc_child_start(&wr->c, &so);
	close(sp[1]);
	if (k < 0) {
		close(sp[0]);
		return k;
	}
	wr->ctl = sp[0];
	return 0;
}

/* Ends the writer (end of file on its control socket). Returns its exit
 * code (0: it answered every request), or -errno if it did not exit
 * within 2 s (then it is killed). */
static int writer_end(struct writer *wr, const volatile sig_atomic_t *stop)
{
	int k;

	if (wr->ctl < 0)
		return -EBADF;
	close(wr->ctl);
	wr->ctl = -1;
	k = sc_child_wait(&wr->c, 1, sc_mono_ns() + 2 * SC_NS_PER_S, stop);
	if (k < 0) {
		sc_child_end(&wr->c, 1, 100 * SC_NS_PER_MS);
		return k;
	}
	return sc_child_code(&wr->c);
}

/* Hands w to the writer with the pace. Returns 0 or -errno. */
static int writer_go(struct writer *wr, int w, int pace_ms)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	uint32_t pace = (uint32_t)pace_ms;
	struct iovec iov = {.iov_base = &pace, .iov_len = sizeof(pace)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	memset(u.b, 0, sizeof(u.b));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &w, sizeof(w));
	return sendmsg(wr->ctl, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(pace) ? 0 : -errno;
}

/* The writer's status for the last trial: 0 all five sent, 1 a send
 * failed; -ETIMEDOUT if it said nothing within TRIAL_WAIT_MS, -EPIPE if
 * it ended. */
static int writer_status(struct writer *wr)
{
	unsigned char b;
	int k = pu_readable(wr->ctl, TRIAL_WAIT_MS);
	ssize_t n;

	if (k <= 0)
		return k == 0 ? -ETIMEDOUT : k;
	n = recv(wr->ctl, &b, 1, 0);
	return n == 1 ? b : n == 0 ? -EPIPE : -errno;
}

/* One trial: the writer writes 5 x 512, pace_ms apart, on a fresh pair of
 * transport t; we read (recv of up to 2560) late_ms after the first write
 * arrived (0: already blocked in recv). Writes the sizes read into pat.
 * Returns 0, or -errno with the reason in why. */
static int trial(struct writer *wr, const char *t, int pace_ms, int late_ms, char *pat, size_t len, char *why,
		 size_t whylen)
{
	char buf[2560];
	int w = -1, r = -1, k, got = 0;
	size_t used = 0;

	pat[0] = '\0';
	if ((k = pair_of(t, &w, &r)) < 0) {
		snprintf(why, whylen, "no %s pair: %s", t, strerror(-k));
		return k;
	}
	k = writer_go(wr, w, pace_ms);
	close(w); /* the writer has its own copy */
	if (k < 0) {
		close(r);
		snprintf(why, whylen, "cannot hand the socket to the writer: %s", strerror(-k));
		return k;
	}
	/* Generous waits: they end at once when the bytes come, and a
	 * writer starved of CPU (two busy loops and a sanitizer build) once
	 * took over a second to be scheduled, so the reader gave up and the
	 * trial measured nothing. */
	if (late_ms && pu_readable(r, TRIAL_WAIT_MS) == 1) {
		struct timespec late = {late_ms / 1000, (late_ms % 1000) * 1000000L};

		nanosleep(&late, NULL);
	}
	while (got < 2560 && pu_readable(r, TRIAL_WAIT_MS) == 1) {
		ssize_t n = recv(r, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		got += (int)n;
		used += (size_t)snprintf(pat + used, used < len ? len - used : 0, "%s%zd", used ? " " : "", n);
	}
	close(r);
	return sc__trial_measured(writer_status(wr), got, why, whylen);
}

/* Ends the writer after the trials; a writer that did not end well (or
 * trials cut short by a stop) measured nothing. Returns 0 or -errno, with
 * v set to "not measured" on an error. */
static int trials_done(const struct sc_probe_env *env, struct writer *wr, struct sc_csv *c,
		       struct sc_verdict *v)
{
	int code = writer_end(wr, env->stop);

	if (*env->stop) {
		sc_csv_abort(c);
		return -EINTR;
	}
	if (code != 0) {
		sc_csv_abort(c);
		sc_verdict_set(v, "not measured", "the writer %s", code < 0 ? "did not exit" : "exited with an error");
		return code < 0 ? code : -EIO;
	}
	return 0;
}

int sc_probe_patterns(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const char *const ts[] = {"tcp", "unix-stream", "udp", "unix-dgram"};
	static const int paces[] = {2, 0};
	struct sc_csv c;
	int r, stream_patterns = 0, stream_five = 0, dgram_other = 0, stream_trials = 0;
	char fig[600] = "", why[200];
	struct writer wr;
	size_t used = 0;

	if ((r = sc_probe_csv_open(env, "read-patterns", &c, (const char *const[]){"transport", "pace_ms", "trials",
		"read_sizes", NULL})) < 0)
		return r;
	if ((r = writer_start(env, &wr)) < 0) {
		sc_csv_abort(&c);
		sc_verdict_set(v, "not measured", "cannot start the writer (sockcmp __probe-writer): %s", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < 4; i++) {
		bool stream = strstr(ts[i], "stream") || !strcmp(ts[i], "tcp");

		for (size_t p = 0; p < 2; p++) {
			struct tally tl[MAXPAT];
			int n = 0, best = 0;

			for (int k = 0; k < TRIALS && !*env->stop; k++) {
				char pat[80];
				int j;

				if ((r = trial(&wr, ts[i], paces[p], 0, pat, sizeof(pat), why, sizeof(why))) < 0) {
					writer_end(&wr, env->stop);
					sc_csv_abort(&c);
					sc_verdict_set(v, "not measured", "%s, %d ms apart, trial %d: %s", ts[i], paces[p],
						       k + 1, why);
					return r;
				}
				for (j = 0; j < n && strcmp(tl[j].pattern, pat); j++)
					;
				if (j == n && n < MAXPAT) {
					snprintf(tl[n].pattern, sizeof(tl[n].pattern), "%s", pat);
					tl[n++].n = 0;
				}
				if (j < n)
					tl[j].n++;
			}
			for (int j = 0; j < n; j++) {
				sc_csv_field(&c, ts[i]);
				sc_csv_i64(&c, paces[p]);
				sc_csv_i64(&c, tl[j].n);
				sc_csv_field(&c, tl[j].pattern);
				sc_csv_end_row(&c);
				if (tl[j].n > tl[best].n)
					best = j;
				if (stream) {
					stream_trials += tl[j].n;
					if (!strcmp(tl[j].pattern, "512 512 512 512 512"))
						stream_five += tl[j].n;
				} else if (strcmp(tl[j].pattern, "512 512 512 512 512")) {
					dgram_other += tl[j].n;
				}
			}
			if (stream)
				stream_patterns += n;
			if (n && used < sizeof(fig))
				used += (size_t)snprintf(fig + used, sizeof(fig) - used, "%s%s %dms: %d pattern%s, most "
							 "often \"%s\" (%d/%d)", used ? "; " : "", ts[i], paces[p], n,
							 n == 1 ? "" : "s", tl[best].pattern, tl[best].n, TRIALS);
		}
	}
	if ((r = trials_done(env, &wr, &c, v)) < 0)
		return r;
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "%s", fig);
	if (dgram_other == 0 && stream_five < stream_trials)
		sc_verdict_set(v, "too simple", "over %d trials each, datagrams always read as five 512s; streams read as "
			       "five 512s in %d of %d trials and in %d different patterns in all: what one read returns "
			       "depends on timing, so one trial's pattern proves nothing", TRIALS, stream_five,
			       stream_trials, stream_patterns);
	else if (dgram_other == 0)
		sc_verdict_set(v, "too simple", "streams read as five 512s in every trial here: with a waiting reader the "
			       "stream looks message-shaped, by timing alone");
	else
		sc_verdict_set(v, "wrong", "a datagram read returned other than one message");
	return 0;
}

/* How many reads a pattern took ("512 2048": 2). */
static int reads_of(const char *pat)
{
	int n = *pat != '\0';

	for (; *pat; pat++)
		n += *pat == ' ';
	return n;
}

/* Fewest reads first, then the most frequent: the order the chart stacks
 * them in. */
static int by_reads(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	int d = reads_of(x->pattern) - reads_of(y->pattern);

	return d ? d : y->n - x->n;
}

/* coalescing.exp's question, 20 times per point: the same five writes
 * 2 ms apart, the reader starting 0 to 20 ms late. */
int sc_probe_coalescing(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const char *const ts[] = {"tcp", "unix-stream", "udp"};
	static const int lates[] = {0, 3, 5, 7, 20};
#define NLATE (sizeof(lates) / sizeof(lates[0]))
	struct sc_csv c;
	struct tally best[3][NLATE];
	int r, dgram_other = 0;
	char fig[600] = "", why[200];
	struct writer wr;
	size_t used = 0;

	if ((r = sc_probe_csv_open(env, "coalescing-patterns", &c, (const char *const[]){"transport", "pace_ms",
		"reader_late_ms", "trials", "reads", "read_sizes", NULL})) < 0)
		return r;
	if ((r = writer_start(env, &wr)) < 0) {
		sc_csv_abort(&c);
		sc_verdict_set(v, "not measured", "cannot start the writer (sockcmp __probe-writer): %s", strerror(-r));
		return r;
	}
	memset(best, 0, sizeof(best));
	for (size_t i = 0; i < 3; i++) {
		bool stream = strcmp(ts[i], "udp") != 0;

		for (size_t l = 0; l < NLATE; l++) {
			struct tally tl[MAXPAT];
			int n = 0, b = 0;

			for (int k = 0; k < TRIALS && !*env->stop; k++) {
				char pat[80];
				int j;

				if ((r = trial(&wr, ts[i], 2, lates[l], pat, sizeof(pat), why, sizeof(why))) < 0) {
					writer_end(&wr, env->stop);
					sc_csv_abort(&c);
					sc_verdict_set(v, "not measured", "%s, reader %d ms late, trial %d: %s", ts[i],
						       lates[l], k + 1, why);
					return r;
				}
				for (j = 0; j < n && strcmp(tl[j].pattern, pat); j++)
					;
				if (j == n && n < MAXPAT) {
					snprintf(tl[n].pattern, sizeof(tl[n].pattern), "%s", pat);
					tl[n++].n = 0;
				}
				if (j < n)
					tl[j].n++;
			}
			qsort(tl, (size_t)n, sizeof(tl[0]), by_reads);
			for (int j = 0; j < n; j++) {
				sc_csv_field(&c, ts[i]);
				sc_csv_i64(&c, 2);
				sc_csv_i64(&c, lates[l]);
				sc_csv_i64(&c, tl[j].n);
				sc_csv_i64(&c, reads_of(tl[j].pattern));
				sc_csv_field(&c, tl[j].pattern);
				sc_csv_end_row(&c);
				if (tl[j].n > tl[b].n)
					b = j;
				if (!stream && strcmp(tl[j].pattern, "512 512 512 512 512"))
					dgram_other += tl[j].n;
			}
			if (n)
				best[i][l] = tl[b];
		}
	}
	if ((r = trials_done(env, &wr, &c, v)) < 0)
		return r;
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	for (size_t i = 0; i < 3; i++)
		for (size_t l = 0; l < NLATE; l += NLATE - 1)
			if (used < sizeof(fig))
				used += (size_t)snprintf(fig + used, sizeof(fig) - used, "%s%s, reader %d ms late: "
							 "\"%s\" in %d of %d", used ? "; " : "", ts[i], lates[l],
							 best[i][l].pattern, best[i][l].n, TRIALS);
	sc_verdict_figures(v, "writes 2 ms apart, %d trials per point; most frequent read pattern: %s", TRIALS, fig);
	if (dgram_other)
		sc_verdict_set(v, "wrong", "a datagram read returned other than one message");
	else if (strcmp(best[0][0].pattern, best[0][NLATE - 1].pattern) ||
		 strcmp(best[1][0].pattern, best[1][NLATE - 1].pattern))
		sc_verdict_set(v, "too simple", "\"all the requested bytes\" come in one read only when the reader "
			       "comes after the last write: a waiting reader got \"%s\" (tcp) most often, one 20 ms "
			       "late \"%s\"; udp read five 512s at every delay", best[0][0].pattern,
			       best[0][NLATE - 1].pattern);
	else
		sc_verdict_set(v, "confirmed", "here a stream read returned the same pattern however late the "
			       "reader came; udp read five 512s at every delay");
	return 0;
}
