/* probe_patterns.c - the lecture's 5 x 512 writes read by a receiver that
 * is already waiting, 20 times per transport: the distribution of read
 * patterns, not one trial's. A stream's reads follow the timing of the
 * writes (and of the scheduler); a datagram's never do. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"
#include "probe_util.h"

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

/* One trial: a child writes 5 x 512 (pace_ms apart); we start reading
 * (recv of up to 2560) late_ms after the first write (0: already
 * blocked in recv). Writes the sizes read into pat. Returns 0 or -errno. */
static int trial(const char *t, int pace_ms, int late_ms, char *pat, size_t len)
{
	char buf[2560] = {0};
	int w = -1, r = -1, st, k, got = 0;
	size_t used = 0;
	pid_t pid;

	if ((k = pair_of(t, &w, &r)) < 0)
		return k;
	pid = fork();
	if (pid == 0) {
		struct timespec ts = {0, pace_ms * 1000000L};

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (int i = 0; i < 5; i++) {
			if (i && pace_ms)
				nanosleep(&ts, NULL);
			if (send(w, buf, 512, MSG_NOSIGNAL) != 512)
				_exit(1);
		}
		_exit(0);
	}
	close(w);
	pat[0] = '\0';
	if (pid > 0 && late_ms) {
		struct timespec late = {late_ms / 1000, (late_ms % 1000) * 1000000L};

		nanosleep(&late, NULL);
	}
	while (pid > 0 && got < 2560 && pu_readable(r, 1000) == 1) {
		ssize_t n = recv(r, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		got += (int)n;
		used += (size_t)snprintf(pat + used, used < len ? len - used : 0, "%s%zd", used ? " " : "", n);
	}
	close(r);
	if (pid > 0)
		waitpid(pid, &st, 0);
	return pid < 0 ? -errno : 0;
}

int sc_probe_patterns(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const char *const ts[] = {"tcp", "unix-stream", "udp", "unix-dgram"};
	static const int paces[] = {2, 0};
	struct sc_csv c;
	int r, stream_patterns = 0, stream_five = 0, dgram_other = 0, stream_trials = 0;
	char fig[600] = "";
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

				if ((r = trial(ts[i], paces[p], 0, pat, sizeof(pat))) < 0) {
					sc_csv_abort(&c);
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
	char fig[600] = "";
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

				if ((r = trial(ts[i], 2, lates[l], pat, sizeof(pat))) < 0) {
					sc_csv_abort(&c);
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
