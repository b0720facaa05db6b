/* run.c - one experiment: points x transports x trials of real programs. */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "csv.h"
#include "spawn.h"
#include "track.h"

#define DEFAULT_TRIAL_TIMEOUT (60 * SC_NS_PER_S)
/* On an impaired link, how long a side may see nothing before the run is
 * declared dead (TCP's backoff can legitimately last seconds). */
#define LINK_IDLE (120 * SC_NS_PER_S)

/* An argv built from formatted words, all stored in one pool. */
struct argvb {
	char *v[96];
	int n;
	char pool[8192];
	size_t used;
};

__attribute__((format(printf, 2, 3))) static void arg(struct argvb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->n >= (int)(sizeof(b->v) / sizeof(b->v[0])) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->pool + b->used, sizeof(b->pool) - b->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b->pool) - b->used)
		return;
	b->v[b->n++] = b->pool + b->used;
	b->v[b->n] = NULL;
	b->used += (size_t)n + 1;
}

static void dur(struct argvb *b, const char *opt, uint64_t ns)
{
	arg(b, "%s", opt);
	arg(b, "%lluus", (unsigned long long)(ns / 1000));
}

/* Everything one experiment's trials share. */
struct ctx {
	const struct sc_experiment *e;
	const struct sc_run_opts *o;
	char tmp[64];            /* private temp dir: sockets and per-trial files */
	struct sc_csv events, msgs;
	unsigned serial;
	uint64_t started;
	size_t done, total;
};

static uint64_t longest_pause(const struct sc_send_plan *p)
{
	uint64_t m = 0;

	for (size_t i = 0; i < p->nops; i++)
		if (p->ops[i].kind == SC_OP_PAUSE && p->ops[i].ns > m)
			m = p->ops[i].ns;
	return m;
}

static void recv_argv(struct argvb *b, const struct ctx *x, const struct sc_experiment *p,
		      const struct sc_transport *t, const char *addr, uint32_t token,
		      const char *prefix)
{
	const struct sc_recv_plan *r = &p->recv;
	bool link = p->link[0] != '\0';

	arg(b, "%s/%s", x->o->bin_dir, t->bytestream ? "stream-recv" : "datagram-recv");
	arg(b, "--listen");
	arg(b, "%s", addr);
	arg(b, "--transport");
	arg(b, "%s", t->name);
	arg(b, "--read");
	arg(b, "%llu", (unsigned long long)r->size);
	if (r->after_ns)
		dur(b, "--after", r->after_ns);
	if (r->every_ns)
		dur(b, "--every", r->every_ns);
	if (r->flags & SC_RECV_WAITALL)
		arg(b, "--waitall");
	if (r->flags & SC_RECV_TRUNC)
		arg(b, "--trunc");
	if (r->rcvbuf) {
		arg(b, "--rcvbuf");
		arg(b, "%llu", (unsigned long long)r->rcvbuf);
	}
	arg(b, "--token");
	arg(b, "%u", token);
	/* On a lossy link the sender's first packet can take long: a lost
	 * SYN is sent again after 1, 3, 7, 15, 31 s. A receiver that gave up
	 * after its default 10 s closed its port, and the next SYN met a
	 * reset ("no receiver answered (tcp): Connection refused", one TCP
	 * trial of fifty at 20 % loss). The sender's connect waits as long. */
	if (link)
		dur(b, "--wait", LINK_IDLE);
	/* Idle must outlast the sender's own silences; on a lossy link, also
	 * TCP's retransmission backoff (a segment lost five times running
	 * stalls it 0.2 + 0.4 + ... + 3.2 s: seen here at 20 % loss), and a
	 * lossy link's stragglers can trail the end marker by a few delays. */
	dur(b, "--idle", (link ? LINK_IDLE : 5 * SC_NS_PER_S) + longest_pause(&p->send) +
			     p->send.pace_ns + r->every_ns);
	dur(b, "--linger", link ? 500 * SC_NS_PER_MS : 50 * SC_NS_PER_MS);
	arg(b, "--out");
	arg(b, "%s", prefix);
	arg(b, "--quiet");
}

static void send_argv(struct argvb *b, const struct ctx *x, const struct sc_experiment *p,
		      const struct sc_transport *t, const char *addr, uint32_t token,
		      const char *prefix)
{
	const struct sc_send_plan *s = &p->send;

	arg(b, "%s/%s", x->o->bin_dir, t->bytestream ? "stream-send" : "datagram-send");
	arg(b, "--to");
	arg(b, "%s", addr);
	arg(b, "--transport");
	arg(b, "%s", t->name);
	for (size_t i = 0; i < s->nops; i++) {
		if (s->ops[i].kind == SC_OP_WRITE) {
			arg(b, "--send");
			arg(b, "%llu x %llu", (unsigned long long)s->ops[i].count,
			    (unsigned long long)s->ops[i].size);
		} else {
			dur(b, "--pause", s->ops[i].ns);
		}
	}
	if (s->pace_ns)
		dur(b, "--pace", s->pace_ns);
	if (s->end == SC_END_SHUTDOWN) {
		arg(b, "--end");
		arg(b, "shutdown");
	}
	if (s->sndbuf) {
		arg(b, "--sndbuf");
		arg(b, "%llu", (unsigned long long)s->sndbuf);
	}
	arg(b, "--token");
	arg(b, "%u", token);
	/* Connect waits as long as the receiver does (see recv_argv): on a
	 * lossy link the handshake can take several SYN retransmissions. */
	if (p->link[0])
		dur(b, "--wait", LINK_IDLE);
	dur(b, "--timeout", p->timeout_ns ? p->timeout_ns : p->link[0] ? LINK_IDLE : 30 * SC_NS_PER_S);
	arg(b, "--out");
	arg(b, "%s", prefix);
	arg(b, "--quiet");
}

/* Receiver's listen address for t: loopback or the namespace address,
 * port 0 (the kernel picks), or a socket file in our temp dir. */
static void listen_addr(const struct ctx *x, const struct sc_transport *t, char *buf, size_t len)
{
	if (t->family == AF_UNIX)
		snprintf(buf, len, "unix:%s/s%u.sock", x->tmp, x->serial);
	else if (t->family == AF_INET6)
		snprintf(buf, len, "[%s]:0", x->o->where->addr6);
	else
		snprintf(buf, len, "%s:0", x->o->where->addr4);
}

/* Copies one side's events (or messages) file into the experiment's file,
 * prefixing experiment, transport, trial and swept value, and rebasing
 * the time columns to the trial's first write. */
static void merge(struct sc_csv *out, const char *path, const struct sc_experiment *e,
		  const struct sc_row *w, uint64_t t0, bool messages, struct sc_row *sizes_into)
{
	char *text = NULL, *p, *rec, *f[16];
	size_t shown = 0, used = 0;
	int n;

	if (sc_read_file(path, &text, NULL) < 0)
		return;
	p = text;
	sc_next_record(&p); /* header */
	while ((rec = sc_next_record(&p))) {
		n = sc_csv_split(rec, f, 16);
		if (n < (messages ? 6 : 9))
			continue;
		sc_csv_field(out, e->name);
		sc_csv_field(out, w->transport);
		sc_csv_u64(out, w->trial);
		if (e->sweep.n)
			sc_csv_field(out, w->value);
		if (messages) {
			/* seq, send_ns, recv_ns, latency_ns, len, kind */
			sc_csv_field(out, f[0]);
			sc_csv_i64(out, (int64_t)(strtoull(f[2], NULL, 10) - t0));
			sc_csv_field(out, f[3]);
			sc_csv_field(out, f[4]);
			sc_csv_field(out, f[5]);
		} else {
			/* side, call, t_ns, requested, returned, first, last, flags, offset */
			sc_csv_field(out, f[0]);
			sc_csv_field(out, f[1]);
			sc_csv_i64(out, (int64_t)(strtoull(f[2], NULL, 10) - t0));
			for (int i = 3; i < 9; i++)
				sc_csv_field(out, f[i]);
			if (sizes_into && strtoll(f[4], NULL, 10) > 0 && !strstr(f[7], "fin") &&
			    !strstr(f[7], "foreign") && !strstr(f[7], "malformed") &&
			    used + 16 < sizeof(sizes_into->read_sizes)) {
				int k = ++shown > 12 ? snprintf(sizes_into->read_sizes + used,
								 sizeof(sizes_into->read_sizes) - used, "%s...",
								 used ? " " : "")
						     : snprintf(sizes_into->read_sizes + used,
								 sizeof(sizes_into->read_sizes) - used, "%s%s",
								 used ? " " : "", f[4]);
				used = shown > 12 ? sizeof(sizes_into->read_sizes) : used + (size_t)k;
			}
		}
		sc_csv_end_row(out);
	}
	free(text);
}

static void fill_send(struct sc_row *w, const struct sc_summary *s)
{
	w->sent_msgs = sc_summary_u64(s, "msgs");
	w->sent_bytes = sc_summary_u64(s, "bytes");
	w->send_calls = sc_summary_u64(s, "calls");
	w->first_send_ns = sc_summary_u64(s, "first_ns");
	w->has_retrans = sc_summary_str(s, "tcp_retrans")[0] != '\0';
	w->tcp_retrans = sc_summary_u64(s, "tcp_retrans");
}

static void fill_recv(struct sc_row *w, const struct sc_summary *s)
{
	w->recv_calls = sc_summary_u64(s, "calls");
	w->recv_bytes = sc_summary_u64(s, "bytes");
	w->recv_msgs = sc_summary_u64(s, "msgs");
	w->unique_msgs = sc_summary_u64(s, "unique_msgs");
	w->duplicated = sc_summary_u64(s, "duplicated");
	w->reordered = sc_summary_u64(s, "reordered");
	w->max_extent = sc_summary_u64(s, "max_reorder_extent");
	w->corrupted = sc_summary_u64(s, "corrupted");
	w->truncated = sc_summary_u64(s, "truncated");
	w->foreign = sc_summary_u64(s, "foreign");
	w->malformed = sc_summary_u64(s, "malformed");
	w->rxq_drops = sc_summary_u64(s, "rxq_drops");
	w->boundaries_kept = sc_summary_u64(s, "boundaries_kept") != 0;
	w->lat_p50 = sc_summary_i64(s, "lat_p50_ns");
	w->lat_p90 = sc_summary_i64(s, "lat_p90_ns");
	w->lat_p99 = sc_summary_i64(s, "lat_p99_ns");
	w->lat_max = sc_summary_i64(s, "lat_max_ns");
	w->last_recv_ns = sc_summary_u64(s, "last_ns");
}

/* The last line a program wrote on stderr, for a failure message. */
static void last_line(const char *path, char *buf, size_t len)
{
	char *text = NULL, *p, *rec, *last = NULL;

	buf[0] = '\0';
	if (sc_read_file(path, &text, NULL) < 0)
		return;
	p = text;
	while ((rec = sc_next_record(&p)))
		if (*rec)
			last = rec;
	if (last)
		snprintf(buf, len, "%s", last);
	free(text);
}

static void unlink_trial(const char *prefix)
{
	static const char *const sfx[] = {"-summary.csv", "-events.csv", "-messages.csv", ".err"};
	char path[512];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", prefix, sfx[i]);
		unlink(path);
	}
}

/* Runs one trial and fills w. Returns 0, -EIO (the trial failed: w says
 * why) or -EINTR. */
static int trial(struct ctx *x, const struct sc_experiment *p, const struct sc_transport *t,
		 struct sc_row *w)
{
	const struct sc_run_opts *o = x->o;
	struct sc_child ch[2];
	struct argvb rb = {.n = 0}, sb = {.n = 0};
	char rpre[128], spre[128], rerr[160], serr[160], addr[200], line[300], path[200];
	struct sc_summary rs, ss;
	uint64_t deadline, t0, ls[3] = {0, 0, 0};
	uint32_t token = 0;
	int r, have_r, have_s, nch = 0;

	x->serial++;
	while (!token)
		if (getrandom(&token, sizeof(token), 0) != sizeof(token))
			token = (uint32_t)sc_real_ns();
	snprintf(rpre, sizeof(rpre), "%s/t%u-recv", x->tmp, x->serial);
	snprintf(spre, sizeof(spre), "%s/t%u-send", x->tmp, x->serial);
	snprintf(rerr, sizeof(rerr), "%s.err", rpre);
	snprintf(serr, sizeof(serr), "%s.err", spre);
	listen_addr(x, t, addr, sizeof(addr));
	recv_argv(&rb, x, p, t, addr, token, rpre);
	deadline = sc_mono_ns() + (p->timeout_ns ? 2 * p->timeout_ns
				   : p->link[0] ? 2 * LINK_IDLE + DEFAULT_TRIAL_TIMEOUT : DEFAULT_TRIAL_TIMEOUT);

	if (o->link_stats && sc_transport_is_ip(t))
		w->has_link_stats = o->link_stats(o->set_link_arg, &ls[0], &ls[1], &ls[2]) == 0;
	r = sc_spawn(&ch[0], rb.v, 1, rerr, o->where->ns_recv);
	if (r < 0) {
		snprintf(w->error, sizeof(w->error), "cannot start %s: %s", rb.v[0], strerror(-r));
		w->status = 1;
		return -EIO;
	}
	nch = 1;
	r = sc_child_line(&ch[0], line, sizeof(line), sc_mono_ns() + 10 * SC_NS_PER_S, o->stop);
	if (r < 0 || strncmp(line, "listening on ", 13) != 0) {
		if (r == -EINTR)
			goto out;
		sc_child_wait(ch, 1, sc_mono_ns() + SC_NS_PER_S, NULL);
		last_line(rerr, w->error, sizeof(w->error));
		if (!w->error[0])
			snprintf(w->error, sizeof(w->error), "the receiver did not start");
		w->status = 1;
		r = -EIO;
		goto out;
	}
	send_argv(&sb, x, p, t, line + 13, token, spre);
	r = sc_spawn(&ch[1], sb.v, 0, serr, o->where->ns_send);
	if (r < 0) {
		snprintf(w->error, sizeof(w->error), "cannot start %s: %s", sb.v[0], strerror(-r));
		w->status = 1;
		r = -EIO;
		goto out;
	}
	nch = 2;
	r = sc_child_wait(ch, 2, deadline, o->stop);
	if (r == -EINTR)
		goto out;
	if (r == -ETIMEDOUT) {
		snprintf(w->error, sizeof(w->error), "the trial did not finish within its time limit");
		w->status = 1;
	}
	sc_child_end(ch, nch, 500 * SC_NS_PER_MS);
	nch = 0;
	if (w->has_link_stats) {
		uint64_t now[3];

		w->has_link_stats = o->link_stats(o->set_link_arg, &now[0], &now[1], &now[2]) == 0;
		w->link_sent = now[0] - ls[0];
		w->link_dropped = now[1] - ls[1];
		w->link_offered = now[2] - ls[2];
	}

	snprintf(path, sizeof(path), "%s-summary.csv", rpre);
	have_r = sc_summary_read(&rs, path) == 0;
	snprintf(path, sizeof(path), "%s-summary.csv", spre);
	have_s = sc_summary_read(&ss, path) == 0;
	if (have_s)
		fill_send(w, &ss);
	if (have_r) {
		fill_recv(w, &rs);
		/* The receiver may not have learnt the sender's count (a
		 * stream has no end marker; all markers may be lost): the
		 * sender's own count makes losses at the end visible. A
		 * corrupted copy is not a delivery (see sc_side_lost). */
		w->lost = sc_track_lost_count(have_s ? w->sent_msgs : sc_summary_u64(&rs, "sender_total"),
					      w->unique_msgs, 0);
	}
	if (!w->status) {
		int rc = have_r ? 0 : 1, sc = have_s ? 0 : 1;

		rc = sc_child_code(&ch[0]) ? sc_child_code(&ch[0]) : rc;
		sc = sc_child_code(&ch[1]) ? sc_child_code(&ch[1]) : sc;
		w->status = sc ? sc : rc;
		if (sc)
			snprintf(w->error, sizeof(w->error), "sender: %s",
				 have_s && sc_summary_str(&ss, "error")[0] ? sc_summary_str(&ss, "error") : "failed");
		else if (rc)
			snprintf(w->error, sizeof(w->error), "receiver: %s",
				 have_r && sc_summary_str(&rs, "error")[0] ? sc_summary_str(&rs, "error") : "failed");
		if ((sc || rc) && !(have_r && have_s)) {
			int code = sc ? sc : rc;

			last_line(sc ? serr : rerr, line, sizeof(line));
			if (code > 128 && !line[0])
				snprintf(line, sizeof(line), "killed by signal %d", code - 128);
			snprintf(w->error, sizeof(w->error), "%s: %.200s", sc ? "sender" : "receiver", line);
		}
	}
	t0 = w->first_send_ns ? w->first_send_ns : (have_r ? sc_summary_u64(&rs, "first_ns") : 0);
	snprintf(path, sizeof(path), "%s-events.csv", spre);
	merge(&x->events, path, x->e, w, t0, false, NULL);
	snprintf(path, sizeof(path), "%s-events.csv", rpre);
	merge(&x->events, path, x->e, w, t0, false, w);
	snprintf(path, sizeof(path), "%s-messages.csv", rpre);
	merge(&x->msgs, path, x->e, w, t0, true, NULL);
	if (have_r)
		sc_summary_free(&rs);
	if (have_s)
		sc_summary_free(&ss);
	r = w->status ? -EIO : 0;
out:
	if (nch)
		sc_child_end(ch, nch, 500 * SC_NS_PER_MS);
	unlink_trial(rpre);
	unlink_trial(spre);
	return r;
}

static void progress(struct ctx *x, const struct sc_row *w, size_t npoints)
{
	double el = (double)(sc_mono_ns() - x->started) / 1e9;
	double left = x->done ? el / (double)x->done * (double)(x->total - x->done) : 0;

	fprintf(stderr, "\r\033[K%s: point %zu/%zu %s trial %u  [%zu/%zu]  %.1fs elapsed, ~%.0fs left",
		x->e->name, w->point + 1, npoints, w->transport, w->trial, x->done, x->total, el, left);
	if (x->done == x->total)
		fputc('\n', stderr);
	fflush(stderr);
}

static int open_outputs(struct ctx *x, char *err, size_t errlen)
{
	static const char *const ev[] = {"side", "call", "t_ns", "requested", "returned",
					 "first_seq", "last_seq", "flags", "offset"};
	static const char *const ms[] = {"seq", "t_ns", "latency_ns", "len", "kind"};
	char path[4096];
	int r;

	snprintf(path, sizeof(path), "%s/%s-events.csv", x->o->out_dir, x->e->name);
	r = sc_csv_open(&x->events, path);
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/%s-messages.csv", x->o->out_dir, x->e->name);
		r = sc_csv_open(&x->msgs, path);
		if (r < 0)
			sc_csv_abort(&x->events);
	}
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	for (int k = 0; k < 2; k++) {
		struct sc_csv *c = k ? &x->msgs : &x->events;
		const char *const *names = k ? ms : ev;
		size_t n = k ? 5 : 9;

		sc_csv_field(c, "experiment");
		sc_csv_field(c, "transport");
		sc_csv_field(c, "trial");
		if (x->e->sweep.n)
			sc_csv_field(c, x->e->sweep.param);
		for (size_t i = 0; i < n; i++)
			sc_csv_field(c, names[i]);
		sc_csv_end_row(c);
	}
	return 0;
}

int sc_run(const struct sc_experiment *e, const struct sc_run_opts *o, struct sc_rows *rows,
	   char *err, size_t errlen)
{
	struct ctx x = {.e = e, .o = o};
	size_t npoints = sc_experiment_points(e);
	char path[4096];
	int r = 0, failed = 0;

	/* $TMPDIR if set (kept short: AF_UNIX paths live here, 107 bytes). */
	snprintf(x.tmp, sizeof(x.tmp), "%s/sockcmp-XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 40 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(x.tmp)) {
		snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(errno));
		return -errno;
	}
	r = open_outputs(&x, err, errlen);
	if (r < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s.csv", o->out_dir, e->name);
	x.total = npoints * e->ntransports * e->repeat;
	x.started = sc_mono_ns();
	for (size_t i = 0; i < npoints && r == 0; i++) {
		struct sc_experiment p;

		if (sc_experiment_at(e, i, &p, err, errlen) < 0) {
			r = -EINVAL;
			break;
		}
		if (o->set_link && (r = o->set_link(o->set_link_arg, &p, err, errlen)) < 0)
			break;
		for (size_t k = 0; k < e->repeat && r == 0; k++)
			for (size_t j = 0; j < e->ntransports && r == 0; j++) {
				const struct sc_transport *t = e->transports[j];
				struct sc_row *w = sc_rows_add(rows);

				if (!w) {
					r = -ENOMEM;
					break;
				}
				snprintf(w->transport, sizeof(w->transport), "%s", t->name);
				w->trial = (unsigned)k + 1;
				w->point = i;
				if (e->sweep.n)
					snprintf(w->value, sizeof(w->value), "%s", e->sweep.values[i]);
				snprintf(w->kernel, sizeof(w->kernel), "%s", o->where->kernel);
				if (o->where->why)
					snprintf(w->kernel_why, sizeof(w->kernel_why), "%s", o->where->why);
				snprintf(w->link, sizeof(w->link), "%s",
					 sc_transport_is_ip(t) ? p.link : "");
				r = trial(&x, &p, t, w);
				if (r == -EINTR) {
					rows->n--; /* an unfinished trial is not a result */
					break;
				}
				failed |= r == -EIO;
				r = 0;
				x.done++;
				if (sc_rows_write(e, rows, path) < 0)
					fprintf(stderr, "sockcmp: cannot write %s\n", path);
				if (o->progress)
					progress(&x, w, npoints);
			}
	}
	if (o->progress && x.done != x.total)
		fputc('\n', stderr);
	/* Whole trials only ever reach these files, so committing them after
	 * an interrupt keeps the finished ones and nothing half-done. */
	if (sc_csv_commit(&x.events) < 0)
		fprintf(stderr, "sockcmp: cannot write the events of %s\n", e->name);
	if (sc_csv_commit(&x.msgs) < 0)
		fprintf(stderr, "sockcmp: cannot write the messages of %s\n", e->name);
	if (r == 0 && failed)
		r = -EIO;
out:
	{
		DIR *d = opendir(x.tmp);
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", x.tmp, de->d_name);
				unlink(path);
			}
		if (d)
			closedir(d);
		rmdir(x.tmp);
	}
	return r;
}
