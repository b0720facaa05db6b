/* probe_patterns.c - the lecture's 5 x 512 writes read by a receiver that
 * is already waiting, 20 times per transport: the distribution of read
 * patterns, not one trial's. A stream's reads follow the timing of the
 * writes (and of the scheduler); a datagram's never do. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"
#include "spawn.h"

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

int sc_probe_writer_main(int argc, char **argv)
{
	static const char buf[512];
	long pace_ms;
	char *end;

	if (argc != 2 || (pace_ms = strtol(argv[1], &end, 10)) < 0 || pace_ms > 1000 || *end) {
		fprintf(stderr, "usage: sockcmp __probe-writer PACE_MS (the socket on fd 3)\n");
		return 2;
	}
	for (int i = 0; i < 5; i++) {
		struct timespec ts = {0, pace_ms * 1000000L};

		if (i && pace_ms)
			nanosleep(&ts, NULL);
		if (send(3, buf, sizeof(buf), MSG_NOSIGNAL) != (ssize_t)sizeof(buf)) {
			fprintf(stderr, "sockcmp __probe-writer: write %d of 5: %s\n", i + 1, strerror(errno));
			return 1;
		}
	}
	return 0;
}

/* Whether a trial measured: the writer wrote all five messages (exit 0)
 * and the reader got all 2,560 bytes. A writer that failed, or bytes that
 * never came, make a pattern that is not the transport's: the trial is
 * not measured, with the reason in why. Pure. */
int sc__trial_measured(int writer_code, int got, char *why, size_t len)
{
	if (writer_code != 0) {
		snprintf(why, len, "the writer %s", writer_code < 0 ? "could not be started or waited for"
			 : writer_code == 1 ? "could not send all five messages" : "failed");
		return writer_code < 0 ? writer_code : -EIO;
	}
	if (got != 2560) {
		snprintf(why, len, "the reader got %d of the 2560 bytes written", got);
		return -EIO;
	}
	return 0;
}

/* One trial: the writer, a child started through the process runner
 * (`sockcmp __probe-writer PACE_MS`, the socket as its fd 3), writes
 * 5 x 512, pace_ms apart; we read (recv of up to 2560) late_ms after the
 * first write arrived (0: already blocked in recv). Writes the sizes read
 * into pat. Returns 0, or -errno with the reason in why. */
static int trial(const struct sc_probe_env *env, const char *t, int pace_ms, int late_ms, char *pat, size_t len,
		 char *why, size_t whylen)
{
	char buf[2560] = {0}, self[4200], pace[16];
	char *argv[] = {self, "__probe-writer", pace, NULL};
	/* No process group of its own: the writer starts nothing, and a
	 * group would cost a scan of /proc at every reap (it doubled the
	 * probe's time). It still dies with us (PR_SET_PDEATHSIG). */
	struct sc_spawn_opts so = {.argv = argv, .out = SC_STREAM_NULL, .nextra = 1};
	struct sc_child c;
	int w = -1, r = -1, k, got = 0, code;
	size_t used = 0;

	pat[0] = '\0';
	if ((k = pair_of(t, &w, &r)) < 0) {
		snprintf(why, whylen, "no %s pair: %s", t, strerror(-k));
		return k;
	}
	snprintf(self, sizeof(self), "%s/sockcmp", env->bin_dir);
	snprintf(pace, sizeof(pace), "%d", pace_ms);
	so.extra = &w;
	k = sc_child_start(&c, &so);
	close(w); /* the writer has its own copy */
	if (k < 0) {
		close(r);
		snprintf(why, whylen, "cannot start the writer (sockcmp __probe-writer): %s", strerror(-k));
		return k;
	}
	if (late_ms && pu_readable(r, 2000) == 1) {
		struct timespec late = {late_ms / 1000, (late_ms % 1000) * 1000000L};

		nanosleep(&late, NULL);
	}
	while (got < 2560 && pu_readable(r, 1000) == 1) {
		ssize_t n = recv(r, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		got += (int)n;
		used += (size_t)snprintf(pat + used, used < len ? len - used : 0, "%s%zd", used ? " " : "", n);
	}
	close(r);
	k = sc_child_wait(&c, 1, sc_mono_ns() + 2 * SC_NS_PER_S, env->stop);
	if (k < 0) {
		sc_child_end(&c, 1, 100 * SC_NS_PER_MS);
		snprintf(why, whylen, "the writer %s", k == -EINTR ? "was interrupted" : "did not finish within 2 s");
		return k;
	}
	code = sc_child_code(&c);
	return sc__trial_measured(code, got, why, whylen);
}

int sc_probe_patterns(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const char *const ts[] = {"tcp", "unix-stream", "udp", "unix-dgram"};
	static const int paces[] = {2, 0};
	struct sc_csv c;
	int r, stream_patterns = 0, stream_five = 0, dgram_other = 0, stream_trials = 0;
	char fig[600] = "", why[200];
	size_t used = 0;

	if ((r = sc_probe_csv_open(env, "read-patterns", &c, (const char *const[]){"transport", "pace_ms", "trials",
		"read_sizes", NULL})) < 0)
		return r;
	for (size_t i = 0; i < 4; i++) {
		bool stream = strstr(ts[i], "stream") || !strcmp(ts[i], "tcp");

		for (size_t p = 0; p < 2; p++) {
			struct tally tl[MAXPAT];
			int n = 0, best = 0;

			for (int k = 0; k < TRIALS && !*env->stop; k++) {
				char pat[80];
				int j;

				if ((r = trial(env, ts[i], paces[p], 0, pat, sizeof(pat), why, sizeof(why))) < 0) {
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
	if (*env->stop) {
		sc_csv_abort(&c);
		return -EINTR;
	}
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
	size_t used = 0;

	if ((r = sc_probe_csv_open(env, "coalescing-patterns", &c, (const char *const[]){"transport", "pace_ms",
		"reader_late_ms", "trials", "reads", "read_sizes", NULL})) < 0)
		return r;
	memset(best, 0, sizeof(best));
	for (size_t i = 0; i < 3; i++) {
		bool stream = strcmp(ts[i], "udp") != 0;

		for (size_t l = 0; l < NLATE; l++) {
			struct tally tl[MAXPAT];
			int n = 0, b = 0;

			for (int k = 0; k < TRIALS && !*env->stop; k++) {
				char pat[80];
				int j;

				if ((r = trial(env, ts[i], 2, lates[l], pat, sizeof(pat), why, sizeof(why))) < 0) {
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
	if (*env->stop) {
		sc_csv_abort(&c);
		return -EINTR;
	}
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
