/* probe_backlog.c - listen(s, 5) and ten clients, no accept(): how many
 * complete the handshake, how many wait, and when those give up. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"

#define CLIENTS 10
#define BACKLOG 5
#define SYNCNT 1 /* SYN retries per client: the first retry after 1 s, give up at 3 s */

void sc__judge_backlog(int backlog, int clients, int established, int failed, bool stopped, int poll_err,
		       struct sc_verdict *v)
{
	if (stopped || poll_err)
		sc_verdict_set(v, "not measured", "the clients were not all watched to the end (%s)",
			       stopped ? "interrupted" : pu_errname(poll_err));
	else if (established == backlog + 1 && failed == clients - established)
		sc_verdict_set(v, "too simple", "the number is the queue of connections waiting for accept(), not the "
			       "number of connections: Linux completes backlog+1 = %d handshakes with nobody calling "
			       "accept(); later clients are not refused, their SYNs are dropped and they retry, then time out",
			       established);
	else if (established > 0 && established < clients)
		sc_verdict_set(v, "too simple", "the backlog bounds connections waiting for accept(): %d of %d completed "
			       "without accept()", established, clients);
	else
		sc_verdict_set(v, "not measured", "%d of %d clients completed the handshake: %s", established, clients,
			       established ? "nothing bounded them, so the listen() queue was not reached"
			       : "none connected at all");
}

int sc_probe_backlog(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a;
	socklen_t al;
	struct sc_csv c;
	int lfd, fd[CLIENTS], state[CLIENTS], err[CLIENTS], done = 0, established = 0, failed = 0, r, poll_err = 0;
	uint64_t t0, gaveup_ms[CLIENTS];
	long syn_retries = -1;
	int syncnt = SYNCNT;

	for (int i = 0; i < CLIENTS; i++)
		fd[i] = -1;
	pu_proc_long("/proc/sys/net/ipv4/tcp_syn_retries", &syn_retries);
	lfd = pu_bound(AF_INET, SOCK_STREAM, 0, BACKLOG, &a, &al);
	if (lfd < 0)
		return lfd;
	t0 = sc_mono_ns();
	for (int i = 0; i < CLIENTS; i++) {
		fd[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		state[i] = 0; /* 0 pending, 1 established, 2 failed */
		err[i] = 0;
		gaveup_ms[i] = 0;
		if (fd[i] < 0) {
			r = -errno;
			goto out;
		}
		/* Bounded, so the lecture stays fast (the default is
		 * tcp_syn_retries). */
		if (setsockopt(fd[i], IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt)) < 0) {
			r = -errno;
			goto out;
		}
		if (connect(fd[i], (struct sockaddr *)&a, al) < 0 && errno != EINPROGRESS) {
			state[i] = 2;
			err[i] = errno;
		}
		usleep(2000); /* in order, so "first come" is clear */
	}
	/* Wait until every client is decided, up to 8 s. */
	while (done < CLIENTS && sc_mono_ns() - t0 < 8 * SC_NS_PER_S && !*env->stop && !poll_err) {
		struct pollfd p[CLIENTS];

		done = 0;
		for (int i = 0; i < CLIENTS; i++) {
			p[i].fd = state[i] ? -1 : fd[i];
			p[i].events = POLLOUT;
			p[i].revents = 0;
		}
		if (poll(p, CLIENTS, 50) < 0 && errno != EINTR) {
			poll_err = errno;
			break;
		}
		for (int i = 0; i < CLIENTS; i++) {
			if (!state[i] && p[i].revents) {
				socklen_t l = sizeof(err[i]);

				if (getsockopt(fd[i], SOL_SOCKET, SO_ERROR, &err[i], &l) < 0) {
					poll_err = errno;
					break;
				}
				state[i] = err[i] ? 2 : 1;
				gaveup_ms[i] = (sc_mono_ns() - t0) / SC_NS_PER_MS;
			}
			done += state[i] != 0;
		}
	}
	for (int i = 0; i < CLIENTS; i++) {
		established += state[i] == 1;
		failed += state[i] == 2;
	}
	if ((r = sc_probe_csv_open(env, "backlog", &c, (const char *const[]){"client", "outcome", "errno",
		"decided_ms", NULL})) < 0)
		goto out;
	for (int i = 0; i < CLIENTS; i++) {
		sc_csv_i64(&c, i + 1);
		sc_csv_field(&c, state[i] == 1 ? "established" : state[i] == 2 ? "gave up" : "still waiting");
		sc_csv_field(&c, pu_errname(err[i]));
		sc_csv_i64(&c, (int64_t)gaveup_ms[i]);
		sc_csv_end_row(&c);
	}
	if ((r = sc_csv_commit(&c)) < 0)
		goto out;
	{
		uint64_t last = 0;

		for (int i = 0; i < CLIENTS; i++)
			if (state[i] == 2 && gaveup_ms[i] > last)
				last = gaveup_ms[i];
		sc_verdict_figures(v, "listen(s, %d), %d clients, no accept(): %d completed the handshake at once, %d waited "
				   "in SYN-SENT and gave up after %.1f s with TCP_SYNCNT=%d (%s); the system default "
				   "tcp_syn_retries=%ld means about %ld s", BACKLOG, CLIENTS, established, failed,
				   (double)last / 1000, SYNCNT, failed ? pu_errname(err[CLIENTS - 1]) : "-", syn_retries,
				   syn_retries >= 0 && syn_retries < 20 ? (2L << syn_retries) - 1 : -1L);
	}
	sc__judge_backlog(BACKLOG, CLIENTS, established, failed, *env->stop != 0, poll_err, v);
out:
	for (int i = 0; i < CLIENTS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	close(lfd);
	return r;
}
