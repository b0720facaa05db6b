/* prog.c - the common main() flow of the paired programs. */
#include "prog.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "exchange.h"
#include "outfile.h"
#include "sock.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* SIGINT/SIGTERM set the stop flag and interrupt blocking calls (no
 * SA_RESTART), so every loop notices within its next wake-up. */
static void signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* --cpu N: this process runs on CPU N only. Returns 0 or -errno (printed). */
static int pin(const struct sc_common_opts *c)
{
	cpu_set_t set;

	if (c->cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(c->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		int r = -errno;

		fprintf(stderr, "%s: --cpu %d: %s\n", c->prog, c->cpu, strerror(-r));
		return r;
	}
	return 0;
}

/* The sizes of the first few data calls, "2560" or "512 512 512 ...". */
static void sizes(const struct sc_side *s, char *buf, size_t len)
{
	size_t used = 0, shown = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->nev && used < len; i++) {
		const struct sc_event *e = &s->ev[i];
		int n;

		/* A 0-byte datagram is a real message: only a stream's (or a
		 * seqpacket's) 0, the end, is not a read of data. */
		if (e->returned < 0 || (e->flags & (SC_EV_FIN | SC_EV_FOREIGN | SC_EV_MALFORMED | SC_EV_EOF | SC_EV_ERROR)))
			continue;
		if (++shown > 8) {
			snprintf(buf + used, len - used, " ...");
			return;
		}
		n = snprintf(buf + used, len - used, "%s%lld", used ? " " : "", (long long)e->returned);
		if (n < 0)
			return;
		used += (size_t)n;
	}
}

/* --raw: the conversation log, written as PREFIX-exchange.csv. Returns 0
 * or -ENOMEM after saying so. */
static int raw_log(const struct sc_common_opts *c, struct sc_side *s, struct sc_exchange *x)
{
	size_t cap = c->max_records < SC_EXCHANGE_ROWS ? (size_t)c->max_records : SC_EXCHANGE_ROWS;

	if (sc_exchange_init(x, cap) < 0) {
		fprintf(stderr, "%s: out of memory for the exchange log\n", c->prog);
		sc_side_free(s);
		return -ENOMEM;
	}
	s->xchg = x;
	return 0;
}

static int finish(const struct sc_common_opts *c, struct sc_side *s, int r, bool recv)
{
	char err[512], sz[160];

	s->status = r;
	if (r == -EINTR && !s->error[0])
		snprintf(s->error, sizeof(s->error), "interrupted");
	if (sc_outfile_parent_shared(c->out) == 1)
		fprintf(stderr, "%s: warning: the folder of %s can be written by other users, who could "
				"replace or remove the results\n", c->prog, c->out);
	if (sc_side_write(s, c->out, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: cannot write results: %s\n", c->prog, err);
		if (r == 0)
			r = -EIO;
	}
	if (!c->quiet) {
		sizes(s, sz, sizeof(sz));
		if (recv)
			fprintf(stderr,
				"%s: %s: %llu bytes in %llu reads (%s); %llu msgs, lost %llu, dup %llu, "
				"reordered %llu, corrupted %llu, truncated %llu, foreign %llu; boundaries kept: %s\n",
				c->prog, s->transport, (unsigned long long)s->bytes,
				(unsigned long long)s->calls, sz, (unsigned long long)s->msgs,
				(unsigned long long)sc_side_lost(s),
				(unsigned long long)s->track.duplicated,
				(unsigned long long)s->track.reordered, (unsigned long long)s->corrupted,
				(unsigned long long)s->truncated, (unsigned long long)s->foreign,
				s->boundaries_kept && s->calls ? "yes" : "no");
		else
			fprintf(stderr, "%s: %s: %llu msgs, %llu bytes in %llu writes\n", c->prog,
				s->transport, (unsigned long long)s->msgs, (unsigned long long)s->bytes,
				(unsigned long long)s->calls);
	}
	if (r < 0)
		fprintf(stderr, "%s: %s\n", c->prog, s->error[0] ? s->error : strerror(-r));
	if (s->xchg) {
		if (sc_exchange_write(s->xchg, c->out, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: cannot write results: %s\n", c->prog, err);
			if (r == 0)
				r = -EIO;
		}
		sc_exchange_free(s->xchg);
	}
	sc_side_free(s);
	return sc_exit_status(r);
}

int sc_recv_main(int argc, char **argv, enum sc_kind kind, sc_recv_fn run)
{
	struct sc_recv_opts o;
	struct sc_endpoint bound;
	struct sc_sock_file made;
	struct sc_side s;
	struct sc_exchange xchg;
	char err[256], text[300];
	int r, fd;

	r = sc_recv_opts_parse(argc, argv, kind, &o);
	if (r != 0)
		return r > 0 ? 0 : 2;
	if (!o.c.key_set && !o.raw)
		/* Loud, --quiet or not: the results of such a run are only as
		 * good as the first sender's address is hard to take. */
		fprintf(stderr,
			"%s: WARNING: no run key (%s is not set): anyone on this machine can forge\n"
			"%s: messages; only the first sender's address is trusted, all other traffic\n"
			"%s: counts as foreign\n",
			o.c.prog, SC_WIRE_KEY_ENV, o.c.prog, o.c.prog);
	signals();
	if (pin(&o.c) < 0)
		return 1;
	fd = sc_sock_listen_file(o.c.t, &o.c.ep, &made, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", o.c.prog, o.c.addr, err);
		return 1;
	}
	/* Set before any connection is accepted: TCP fixes its window
	 * scale at the handshake, and accepted sockets inherit the size. */
	r = sc_sock_bufs(fd, o.plan.rcvbuf, 0);
	if (r < 0) {
		fprintf(stderr, "%s: cannot set --rcvbuf: %s\n", o.c.prog, strerror(-r));
		close(fd);
		sc_sock_file_remove(&made);
		return 1;
	}
	bound = o.c.ep;
	bound.len = sizeof(bound.addr);
	getsockname(fd, (struct sockaddr *)&bound.addr, &bound.len);
	if (sc_endpoint_format(&bound, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "%s", o.c.addr);
	if (sc_side_init(&s, "recv", o.c.t->name, o.c.max_records) < 0) {
		fprintf(stderr, "%s: out of memory for %llu records (lower --max-records)\n", o.c.prog,
			(unsigned long long)o.c.max_records);
		close(fd);
		sc_sock_file_remove(&made);
		return 1;
	}
	/* Before "listening on": no sender can be waiting while this runs.
	 * A receiver cannot know how many messages will come: all of it. */
	sc_side_prefault(&s, o.c.max_records, o.c.max_records);
	printf("listening on %s\n", text);
	fflush(stdout);

	if (o.interval_ns && sc_side_intervals(&s, o.interval_ns, o.c.prog, !o.c.quiet || o.interval_lines) < 0) {
		fprintf(stderr, "%s: out of memory for interval reports\n", o.c.prog);
		close(fd);
		sc_sock_file_remove(&made);
		sc_side_free(&s);
		return 1;
	}
	if (o.raw && raw_log(&o.c, &s, &xchg) < 0) {
		close(fd);
		sc_sock_file_remove(&made);
		return 1;
	}
	r = run(&o, fd, &s, &stop);
	sc_side_intervals_end(&s);
	close(fd);
	/* Only the file this run's bind() made: another program may have
	 * put its own socket at the path since. */
	sc_sock_file_remove(&made);
	return finish(&o.c, &s, r, true);
}

/* per times the messages the plan sends (an rr client records two events
 * per round trip), saturating. */
static size_t planned(const struct sc_send_plan *p, size_t per)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nops; i++)
		if (p->ops[i].kind == SC_OP_WRITE)
			n = p->ops[i].count > SIZE_MAX - n ? SIZE_MAX : n + (size_t)p->ops[i].count;
	return n > SIZE_MAX / per ? SIZE_MAX : n * per;
}

int sc_send_main(int argc, char **argv, enum sc_kind kind, sc_send_fn run)
{
	struct sc_send_opts o;
	struct sc_exchange xchg;
	struct sc_side s;
	int r;

	r = sc_send_opts_parse(argc, argv, kind, &o);
	if (r != 0)
		return r > 0 ? 0 : 2;
	if (!o.c.key_set && !o.c.quiet)
		fprintf(stderr, "%s: no run key (%s is not set): messages are sealed with the public all-zero key\n",
			o.c.prog, SC_WIRE_KEY_ENV);
	signals();
	if (pin(&o.c) < 0)
		return 1;
	if (sc_side_init(&s, "send", o.c.t->name, o.c.max_records) < 0) {
		fprintf(stderr, "%s: out of memory for %llu records (lower --max-records)\n", o.c.prog,
			(unsigned long long)o.c.max_records);
		return 1;
	}
	sc_side_prefault(&s, planned(&o.plan, 2), planned(&o.plan, 1));
	if (o.raw && raw_log(&o.c, &s, &xchg) < 0)
		return 1;
	r = run(&o, &s, &stop);
	return finish(&o.c, &s, r, false);
}
