/* run.c - one experiment: points x transports x trials of real programs. */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "csv.h"
#include "link.h"
#include "merge.h"
#include "mode.h"
#include "num.h"
#include "plan.h"
#include "spawn.h"
#include "watch.h"
#include "wire.h"

/* Everything one experiment's trials share. */
struct ctx {
	const struct sc_experiment *e;
	const struct sc_run_opts *o;
	const struct sc_mode *mode;
	char tmp[100];           /* private temp dir: sockets and per-trial files */
	char events[4096], msgs[4096]; /* the experiment's files, grown trial by trial */
	char intervals[4096];          /* NAME-intervals.csv, if the mode has intervals */
	int wlost;               /* first result not written: -errno */
	char wlost_msg[4200];    /* "cannot write PATH: reason" */
	unsigned serial;
	uint64_t started;
	size_t done, total;
	uint64_t max_records;    /* SOCKCMP_MAX_RECORDS, 0: the programs' default */
	bool peer_lost;          /* the control connection broke: the run ends */
	char lost[300];          /* why */
};

/* One trial: its point, transport, row, processes and files. */
struct trial {
	struct ctx *x;
	const struct sc_experiment *p;
	const struct sc_transport *t;
	const char *server;      /* the servers mode's model, else NULL */
	struct sc_row *w;
	struct sc_child ch[SC_MAX_ROLES];
	int nch;                 /* children started */
	char pre[SC_MAX_ROLES][128], err[SC_MAX_ROLES][160];
	char peer[300];          /* what the listener printed: its address */
	uint32_t token;
	uint64_t link0[3];       /* link counters before */
	struct sc_side_summary sum[SC_MAX_ROLES];
	bool have[SC_MAX_ROLES];
	bool remote[SC_MAX_ROLES]; /* runs on the peer (driver/peer.h) */
	bool remote_started[SC_MAX_ROLES];
	struct sc_wire_key key;  /* the run key, for remote roles */
	long shown[SC_MAX_ROLES]; /* bytes of each role's stderr file echoed (interval lines) */
};

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

static void unlink_trial(const char *prefix)
{
	static const char *const sfx[] = {"-summary.csv", "-events.csv", "-messages.csv",
					  "-intervals.csv", ".err"};
	char path[512];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", prefix, sfx[i]);
		unlink(path);
	}
}

static void trial_names(struct trial *tr)
{
	const struct sc_mode *m = tr->x->mode;

	tr->x->serial++;
	while (!tr->token)
		if (getrandom(&tr->token, sizeof(tr->token), 0) != sizeof(tr->token))
			tr->token = (uint32_t)sc_real_ns();
	for (size_t i = 0; i < m->nroles; i++) {
		snprintf(tr->pre[i], sizeof(tr->pre[i]), "%s/t%u-%s", tr->x->tmp, tr->x->serial,
			 m->roles[i].name);
		snprintf(tr->err[i], sizeof(tr->err[i]), "%s.err", tr->pre[i]);
	}
}

/* Marks w failed with "what: why". Returns -EIO. */
static int failed(struct sc_row *w, const char *what, const char *why)
{
	snprintf(w->error, sizeof(w->error), "%.120s: %.130s", what, why);
	w->status = 1;
	return -EIO;
}

/* Marks the run's peer lost: this trial fails, and the run ends. */
static int peer_lost(struct trial *tr, const char *why)
{
	snprintf(tr->x->lost, sizeof(tr->x->lost), "%.200s", why);
	tr->x->peer_lost = true;
	return failed(tr->w, "sockcmp", tr->x->lost);
}

/* Starts role i on the peer: the same plan, transport, token and key as a
 * local start, as structured fields the server checks and turns into the
 * same argv (driver/serve.c). A connecting role gets the local listener's
 * port; the server sends it to the control connection's address. */
static int start_remote(struct trial *tr, size_t i)
{
	const struct sc_role *role = &tr->x->mode->roles[i];
	struct sc_ctl_start s = {.role = (uint8_t)i, .token = tr->token, .max_records = tr->x->max_records,
				 .timeout_ns = tr->p->timeout_ns, .recv = tr->p->recv, .send = tr->p->send,
				 .for_ns = tr->p->for_ns, .bitrate = tr->p->bitrate};
	char why[400], *colon = strrchr(tr->peer, ':');
	int r;

	snprintf(s.mode, sizeof(s.mode), "%s", tr->x->mode->name);
	snprintf(s.transport, sizeof(s.transport), "%s", tr->t->name);
	memcpy(s.key, tr->key.k, sizeof(s.key));
	if (!role->listens)
		s.port = colon ? (uint16_t)strtoul(colon + 1, NULL, 10) : 0;
	/* Stands for the remote program: done, its exit code comes later. */
	tr->ch[i] = (struct sc_child){.out_fd = -1, .pidfd = -1, .done = 1};
	r = sc_peer_start(tr->x->o->peer, &s, why, sizeof(why), sc_mono_ns() + 30 * SC_NS_PER_S, why,
			  sizeof(why));
	tr->nch = (int)i + 1;
	if (r == -EINTR)
		return r;
	if (r == -EINVAL)
		return failed(tr->w, role->label, (why[200] = '\0', why));
	if (r < 0)
		return peer_lost(tr, why);
	tr->remote_started[i] = true;
	if (role->listens)
		snprintf(tr->peer, sizeof(tr->peer), "%.250s", why);
	return 0;
}

/* Collects every remote role's files and exit code. Returns 0, -EINTR or
 * -EIO (the peer is lost). */
static int finish_remote(struct trial *tr, uint64_t deadline)
{
	for (int i = 0; i < tr->nch; i++) {
		char why[400];
		int code = 1, r;

		if (!tr->remote_started[i])
			continue;
		r = sc_peer_finish(tr->x->o->peer, tr->pre[i], tr->err[i], &code, deadline, why, sizeof(why));
		if (r == -EINTR)
			return r;
		if (r < 0)
			return peer_lost(tr, why);
		tr->ch[i].status = (code & 0xff) << 8;
	}
	return 0;
}

/* Starts role i; a listener must print its address within 10 s. Returns 0,
 * -EIO (w says why) or -EINTR. */
static int start_role(struct trial *tr, size_t i)
{
	const struct sc_role *role = &tr->x->mode->roles[i];
	const struct sc_run_opts *o = tr->x->o;
	struct sc_argv b = {.n = 0};
	char addr[200];
	struct sc_side_args a = {o->bin_dir, tr->p, tr->t, tr->peer, tr->token, tr->pre[i],
				 tr->x->max_records, tr->server};
	int r;

	if (tr->remote[i])
		return start_remote(tr, i);
	if (role->listens) {
		listen_addr(tr->x, tr->t, addr, sizeof(addr));
		a.addr = addr;
	}
	role->argv(&b, &a);
	if (b.full)
		return failed(tr->w, role->label, "too many arguments");
	r = sc_spawn(&tr->ch[i], b.v, role->listens, tr->err[i],
		     role->listens ? o->where->ns_recv : o->where->ns_send);
	if (r < 0) {
		snprintf(addr, sizeof(addr), "cannot start %s", b.v[0]);
		return failed(tr->w, addr, strerror(-r));
	}
	tr->nch = (int)i + 1;
	if (!role->listens)
		return 0;
	r = sc_child_line(&tr->ch[i], tr->peer, sizeof(tr->peer), sc_mono_ns() + 10 * SC_NS_PER_S, o->stop);
	if (r == -EINTR)
		return r;
	if (r >= 0 && strncmp(tr->peer, "listening on ", 13) == 0) {
		memmove(tr->peer, tr->peer + 13, strlen(tr->peer + 13) + 1);
		return 0;
	}
	sc_child_wait(&tr->ch[i], 1, sc_mono_ns() + SC_NS_PER_S, NULL);
	sc_child_err_line(tr->err[i], tr->w->error, sizeof(tr->w->error));
	if (!tr->w->error[0])
		snprintf(tr->w->error, sizeof(tr->w->error), "the %s did not start", role->label);
	tr->w->status = 1;
	return -EIO;
}

/* Reads the data direction's link counters into c (false if none). */
static bool link_counters(const struct trial *tr, uint64_t c[3])
{
	const struct sc_run_opts *o = tr->x->o;

	return o->link_stats && sc_transport_is_ip(tr->t) &&
	       o->link_stats(o->set_link_arg, &c[0], &c[1], &c[2]) == 0;
}

static void link_delta(struct trial *tr)
{
	uint64_t now[3];
	struct sc_row *w = tr->w;

	w->has_link_stats = link_counters(tr, now);
	if (!w->has_link_stats)
		return;
	w->link_sent = now[0] - tr->link0[0];
	w->link_dropped = now[1] - tr->link0[1];
	w->link_offered = now[2] - tr->link0[2];
}

/* Puts a fresh run key into SOCKCMP_KEY for the paired programs started
 * next: they inherit it and wipe it from their own environment. It never
 * goes on a command line (/proc/PID/cmdline is world-readable; environ is
 * not). Returns 0 or -errno. */
static int key_to_env(struct sc_wire_key *k)
{
	char hex[SC_WIRE_KEY_HEX + 1];
	int r = sc_wire_key_new(k);

	if (r < 0)
		return r;
	sc_wire_key_format(k, hex);
	if (setenv(SC_WIRE_KEY_ENV, hex, 1) < 0)
		r = -errno;
	memset(hex, 0, sizeof(hex));
	return r;
}

/* Removes the key from our environment once every program has it. */
static void key_from_env(void)
{
	char *v = getenv(SC_WIRE_KEY_ENV);

	if (v)
		memset(v, 'x', strlen(v));
	unsetenv(SC_WIRE_KEY_ENV);
}

/* Echoes the interval lines ("PROG: [   2]  1.000 s  ... msgs/s ...
 * Gbit/s") that the local roles reporting intervals wrote to their stderr
 * files since the last call, one line per second of a long run, as iperf3
 * does; a partial last line waits for the next call. */
static void show_intervals(struct trial *tr)
{
	for (int k = 0; k < tr->nch; k++) {
		char line[512];
		FILE *f;

		if (!tr->x->mode->roles[k].intervals || tr->remote[k])
			continue;
		f = fopen(tr->err[k], "re");
		if (!f)
			continue;
		if (fseek(f, tr->shown[k], SEEK_SET) == 0)
			while (fgets(line, sizeof(line), f) && strchr(line, '\n')) {
				const char *at = strstr(line, ": [");

				tr->shown[k] += (long)strlen(line);
				if (at && strstr(at, "msgs/s"))
					fprintf(stderr, "\r\033[K%s %s: %s", tr->x->e->name, tr->t->name, at + 2);
			}
		fclose(f);
	}
	fflush(stderr);
}

/* Waits for every child until deadline (sc_child_wait), showing interval
 * lines meanwhile when the mode reports them and progress is shown. */
static int wait_children(struct trial *tr, uint64_t deadline)
{
	const struct sc_run_opts *o = tr->x->o;

	if (!tr->x->mode->intervals || !o->progress)
		return sc_child_wait(tr->ch, tr->nch, deadline, o->stop);
	for (;;) {
		uint64_t slice = sc_mono_ns() + 250 * SC_NS_PER_MS;
		int r = sc_child_wait(tr->ch, tr->nch, slice < deadline ? slice : deadline, o->stop);

		show_intervals(tr);
		if (r != -ETIMEDOUT || sc_mono_ns() >= deadline)
			return r;
	}
}

/* Starts every role and waits for all to end within the plan's limit.
 * Returns 0, -EIO (w says why) or -EINTR; the children are reaped. */
static int run_children(struct trial *tr)
{
	const struct sc_run_opts *o = tr->x->o;
	uint64_t deadline = sc_mono_ns() + sc_plan_trial_limit_ns(tr->p, tr->t);
	int r = 0;

	tr->w->has_link_stats = link_counters(tr, tr->link0);
	r = key_to_env(&tr->key);
	if (r < 0) {
		snprintf(tr->w->error, sizeof(tr->w->error), "cannot make a run key: %s", strerror(-r));
		tr->w->status = 1;
		return -EIO;
	}
	for (size_t i = 0; i < tr->x->mode->nroles && r == 0; i++)
		r = start_role(tr, i);
	key_from_env();
	memset(&tr->key, 0, sizeof(tr->key));
	if (r == 0)
		r = wait_children(tr, deadline);
	/* A local role that could not start still lets a remote one end on
	 * its own (it gives up at its --idle/--wait), so the connection
	 * stays in step. */
	if (o->peer && !tr->x->peer_lost && (r == 0 || r == -ETIMEDOUT || (r == -EIO && tr->nch)))
		if (finish_remote(tr, (r == -ETIMEDOUT ? sc_mono_ns() : deadline) + 15 * SC_NS_PER_S) == -EINTR)
			r = -EINTR;
	if (r == -ETIMEDOUT) {
		snprintf(tr->w->error, sizeof(tr->w->error),
			 "the trial did not finish within its time limit (%.0f s, from its plan)",
			 (double)sc_plan_trial_limit_ns(tr->p, tr->t) / 1e9);
		tr->w->status = 1;
		r = 0;
	}
	sc_child_end(tr->ch, tr->nch, 500 * SC_NS_PER_MS);
	return r;
}

/* The row's status and error from the exit codes and the summaries: the
 * last role to start that failed is blamed first (for one-way, the
 * sender: a receiver fails when its sender did). */
static void blame(struct trial *tr)
{
	const struct sc_mode *m = tr->x->mode;
	struct sc_row *w = tr->w;
	char line[300];

	for (size_t k = m->nroles; k-- > 0 && !w->status;) {
		int code = tr->nch > (int)k ? sc_child_code(&tr->ch[k]) : 1;

		code = code ? code : !tr->have[k];
		if (!code)
			continue;
		w->status = code;
		snprintf(w->error, sizeof(w->error), "%s: %.200s", m->roles[k].label,
			 tr->have[k] && tr->sum[k].error[0] ? tr->sum[k].error : "failed");
		for (size_t j = 0; j < m->nroles; j++)
			if (!tr->have[j]) {
				sc_child_err_line(tr->err[k], line, sizeof(line));
				if (code > 128 && !line[0])
					snprintf(line, sizeof(line), "killed by signal %d", code - 128);
				snprintf(w->error, sizeof(w->error), "%s: %.200s", m->roles[k].label, line);
				break;
			}
	}
}

/* The trial's time zero: the origin role's first data call, else the
 * first role's that has one. */
static uint64_t time_zero(const struct trial *tr)
{
	const struct sc_mode *m = tr->x->mode;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < m->nroles; i++)
			if (tr->have[i] && tr->sum[i].first_ns && (pass || m->roles[i].origin))
				return tr->sum[i].first_ns;
	return 0;
}

/* Keeps the first result file not written (issue 7 #8: the run then
 * exits 1 with this message); says any later one on stderr. */
static void lost_write(struct ctx *x, const char *path, int r)
{
	if (x->wlost) {
		fprintf(stderr, "sockcmp: cannot write %s: %s\n", path, strerror(-r));
		return;
	}
	x->wlost = r;
	snprintf(x->wlost_msg, sizeof(x->wlost_msg), "cannot write %s: %s", path, strerror(-r));
}

/* Appends the file at from to the file at to and syncs it. Returns 0 or
 * -errno. A single trial's block goes in with as few writes as it takes;
 * only a SIGKILL in the middle of one can leave it short. A block that
 * does not go in whole (a full disk) is cut off again, so the file never
 * ends in a partial row. */
static int append_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, r = 0;
	off_t before = -1;
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (out < 0)
		r = -errno;
	else if ((before = lseek(out, 0, SEEK_END)) < 0)
		r = -errno;
	while (r == 0 && ((n = read(in, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)))
		for (ssize_t off = 0; n > 0 && off < n && r == 0;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno != EINTR)
				r = -errno;
			off += w > 0 ? w : 0;
		}
	if (r == 0 && fsync(out) < 0)
		r = -errno;
	if (r < 0 && before >= 0 && ftruncate(out, before) == 0)
		fsync(out);
	if (out >= 0 && close(out) < 0 && r == 0)
		r = -errno;
	close(in);
	return r;
}

/* The peer's clock minus ours (0 on one host). */
static int64_t clock_offset(const struct trial *tr)
{
	const struct sc_peer *p = tr->x->o->peer;

	return p && p->have_clock ? p->offset_ns : 0;
}

/* What to add to latencies role k measured: a receiver on the peer reads
 * our sender's timestamps with a clock ahead by the offset; a receiver
 * here reads a remote sender's, behind by it. */
static int64_t latency_shift(const struct trial *tr, size_t k)
{
	bool any = false;

	for (size_t i = 0; i < tr->x->mode->nroles; i++)
		any |= tr->remote[i];
	if (!any)
		return 0;
	return tr->remote[k] ? -clock_offset(tr) : clock_offset(tr);
}

/* Puts remote summaries on our clock (first and last times) and corrects
 * the latencies they measured by the clock offset. */
static void correct_clock(struct trial *tr)
{
	for (size_t i = 0; i < tr->x->mode->nroles; i++) {
		struct sc_side_summary *s = &tr->sum[i];
		int64_t shift = latency_shift(tr, i);

		if (!tr->have[i])
			continue;
		if (tr->remote[i] && s->first_ns)
			s->first_ns -= (uint64_t)clock_offset(tr);
		if (tr->remote[i] && s->last_ns)
			s->last_ns -= (uint64_t)clock_offset(tr);
		if (s->lat_msgs) {
			s->lat_p50_ns += shift;
			s->lat_p90_ns += shift;
			s->lat_p99_ns += shift;
			s->lat_max_ns += shift;
		}
	}
}

/* Writes this trial's rows of one experiment file into our temp dir
 * (whole or not at all), then appends them to the experiment's file, so a
 * finished trial is on disk however the run ends later (issue 7 #10: a
 * guest is stopped without a chance to write anything more). */
static void merge_kind(struct trial *tr, bool messages, uint64_t t0)
{
	const struct sc_mode *m = tr->x->mode;
	struct sc_merge_ctx mx = {tr->x->e, tr->w, 0};
	struct sc_read_sizes rs = {tr->w->read_sizes, sizeof(tr->w->read_sizes), 0, 0,
				   tr->w->read_sizes_all, sizeof(tr->w->read_sizes_all), 0, 0, 0, 0, false};
	struct sc_csv c;
	char block[200], path[200];
	int r;

	snprintf(block, sizeof(block), "%s/t%u-%s.csv", tr->x->tmp, tr->x->serial, messages ? "msgs" : "calls");
	r = sc_csv_open(&c, block);
	if (r < 0) {
		lost_write(tr->x, block, r);
		return;
	}
	for (size_t k = m->nroles; k-- > 0;) {
		if (messages && !m->roles[k].messages)
			continue;
		/* A remote role's times are on the peer's clock: its t0 is ours
		 * plus the offset. */
		uint64_t tk = t0 + (uint64_t)(tr->remote[k] ? clock_offset(tr) : 0);

		snprintf(path, sizeof(path), "%s-%s.csv", tr->pre[k], messages ? "messages" : "events");
		mx.latency_shift_ns = latency_shift(tr, k);
		if (messages)
			sc_merge_messages(&c, path, &mx, tk);
		else
			sc_merge_events(&c, path, &mx, tk, m->roles[k].read_sizes ? &rs : NULL);
	}
	r = sc_csv_commit(&c);
	if (r < 0)
		lost_write(tr->x, block, r);
	else if ((r = append_file(block, messages ? tr->x->msgs : tr->x->events)) < 0)
		lost_write(tr->x, messages ? tr->x->msgs : tr->x->events, r);
	unlink(block);
}

/* Appends the interval reports of the roles that write them to
 * NAME-intervals.csv, as merge_kind does: whole blocks only, a block not
 * written is reported through lost_write (the run then exits 1). */
static void merge_intervals(struct trial *tr, uint64_t t0)
{
	const struct sc_mode *m = tr->x->mode;
	struct sc_merge_ctx mx = {tr->x->e, tr->w, 0};
	struct sc_csv c;
	char block[200], path[200];
	int r;

	snprintf(block, sizeof(block), "%s/t%u-iv.csv", tr->x->tmp, tr->x->serial);
	r = sc_csv_open(&c, block);
	if (r < 0) {
		lost_write(tr->x, block, r);
		return;
	}
	for (size_t k = 0; k < m->nroles; k++) {
		if (!m->roles[k].intervals)
			continue;
		snprintf(path, sizeof(path), "%s-intervals.csv", tr->pre[k]);
		/* a remote role's times are on the peer's clock, as in merge_kind */
		sc_merge_intervals(&c, path, &mx, t0 + (uint64_t)(tr->remote[k] ? clock_offset(tr) : 0));
	}
	r = sc_csv_commit(&c);
	if (r < 0)
		lost_write(tr->x, block, r);
	else if ((r = append_file(block, tr->x->intervals)) < 0)
		lost_write(tr->x, tr->x->intervals, r);
	unlink(block);
}

/* Copies every role's events (and messages) into the experiment's files. */
static void merge_files(struct trial *tr)
{
	uint64_t t0 = time_zero(tr);

	merge_kind(tr, false, t0);
	merge_kind(tr, true, t0);
	if (tr->x->mode->intervals)
		merge_intervals(tr, t0);
}

/* Runs one trial and fills w. Returns 0, -EIO (the trial failed: w says
 * why) or -EINTR. */
static int trial(struct ctx *x, const struct sc_experiment *p, const struct sc_lane *l, struct sc_row *w)
{
	const struct sc_transport *t = l->t;
	struct trial *tr = calloc(1, sizeof(*tr));
	const struct sc_mode *m = x->mode;
	char path[200];
	int r;

	if (!tr)
		return failed(w, "sockcmp", "out of memory");
	*tr = (struct trial){.x = x, .p = p, .t = t, .server = l->server, .w = w};
	trial_names(tr);
	for (size_t i = 0; i < m->nroles; i++)
		tr->remote[i] = x->o->peer && m->roles[i].listens != x->o->reverse;
	r = run_children(tr);
	if (r == -EINTR || (r == -EIO && tr->nch < (int)m->nroles))
		goto out;
	link_delta(tr);
	for (size_t i = 0; i < m->nroles; i++) {
		snprintf(path, sizeof(path), "%s-summary.csv", tr->pre[i]);
		tr->have[i] = sc_summary_read(&tr->sum[i], path) == 0;
	}
	correct_clock(tr);
	sc_mode_join(m, w, tr->sum, tr->have);
	blame(tr);
	merge_files(tr);
	r = w->status ? -EIO : 0;
out:
	for (size_t i = 0; i < m->nroles; i++)
		unlink_trial(tr->pre[i]);
	free(tr);
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

/* Starts the experiment's files afresh: NAME.csv, NAME-events.csv and
 * NAME-messages.csv with their headers only, so that an interrupted run
 * never leaves an older run's files beside its own. */
static int open_outputs(struct ctx *x, char *err, size_t errlen)
{
	const struct sc_schema *s[3] = {&sc_merged_events_schema, &sc_merged_messages_schema,
					&sc_merged_intervals_schema};
	char *path[3] = {x->events, x->msgs, x->intervals}, rows[4096];
	struct sc_rows none = {0};
	int r;

	snprintf(x->events, sizeof(x->events), "%s/%s-events.csv", x->o->out_dir, x->e->name);
	snprintf(x->msgs, sizeof(x->msgs), "%s/%s-messages.csv", x->o->out_dir, x->e->name);
	snprintf(x->intervals, sizeof(x->intervals), "%s/%s-intervals.csv", x->o->out_dir, x->e->name);
	for (int k = 0; k < (x->mode->intervals ? 3 : 2); k++) {
		struct sc_csv c;

		r = sc_csv_open(&c, path[k]);
		if (r == 0) {
			sc_merge_header(&c, s[k], x->e);
			r = sc_csv_commit(&c);
		}
		if (r < 0) {
			snprintf(err, errlen, "cannot write %s: %s", path[k], strerror(-r));
			return r;
		}
	}
	snprintf(rows, sizeof(rows), "%s/%s.csv", x->o->out_dir, x->e->name);
	r = sc_rows_write(x->e, &none, rows);
	if (r < 0)
		snprintf(err, errlen, "cannot write %s: %s", rows, strerror(-r));
	return r;
}

/* A new row for trial k of point i (p) on lane l, or NULL. */
static struct sc_row *new_row(const struct ctx *x, struct sc_rows *rows, const struct sc_experiment *p,
			      size_t i, size_t k, const struct sc_lane *l)
{
	struct sc_row *w = sc_rows_add(rows);
	const struct sc_where *where = x->o->where;
	const struct sc_transport *t = l->t;

	if (!w)
		return NULL;
	snprintf(w->transport, sizeof(w->transport), "%s", t->name);
	if (l->server) {
		snprintf(w->srv.model, sizeof(w->srv.model), "%s", l->server);
		w->srv.clients = p->clients;
	}
	w->trial = (unsigned)k + 1;
	w->point = i;
	if (x->e->sweep.n)
		snprintf(w->value, sizeof(w->value), "%s", x->e->sweep.values[i]);
	snprintf(w->kernel, sizeof(w->kernel), "%s", where->kernel);
	/* A short code; the sentence is in NAME-meta.json, once. */
	snprintf(w->kernel_why, sizeof(w->kernel_why), "%s", sc_link_why_code(where->why));
	snprintf(w->link, sizeof(w->link), "%s", sc_transport_is_ip(t) ? p->link : "");
	if (x->o->peer) {
		snprintf(w->peer, sizeof(w->peer), "%s%s", x->o->peer->name, x->o->reverse ? " (sender)" : "");
		w->has_clock = x->o->peer->have_clock;
		w->clock_offset_ns = x->o->peer->offset_ns;
		w->clock_rtt_ns = x->o->peer->delay_ns;
	}
	return w;
}

/* Every trial of point i. Returns 0, -EINTR or -ENOMEM; *failed is set if
 * a trial failed. Each finished trial is written out at once. */
static int run_point(struct ctx *x, struct sc_rows *rows, const struct sc_experiment *p, size_t i,
		     bool *failed)
{
	const struct sc_experiment *e = x->e;
	struct sc_lane lanes[SC_MAX_LANES];
	size_t nl = sc_mode_lanes(x->mode, e, lanes, SC_MAX_LANES);
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.csv", x->o->out_dir, e->name);
	for (size_t k = 0; k < e->repeat; k++)
		for (size_t j = 0; j < nl; j++) {
			struct sc_row *w = new_row(x, rows, p, i, k, &lanes[j]);
			int r;

			if (!w)
				return -ENOMEM;
			r = trial(x, p, &lanes[j], w);
			if (r == -EINTR) {
				rows->n--; /* an unfinished trial is not a result */
				return r;
			}
			*failed |= r == -EIO;
			x->done++;
			if (x->peer_lost) {
				sc_rows_write(e, rows, path);
				return -ECONNRESET;
			}
			if ((r = sc_rows_write(e, rows, path)) < 0)
				lost_write(x, path, r);
			if (x->o->progress)
				progress(x, w, sc_experiment_points(e));
		}
	return 0;
}

/* Removes our temporary directory and whatever is left in it. */
static void remove_tmp(const char *dir)
{
	char path[4096];
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
	sc_watch_dir(dir, false);
}

/* SOCKCMP_MAX_RECORDS: events and message records each program keeps (for
 * tests of the cap), 0 if unset or not a number from 1 to 2^26. */
static uint64_t max_records(void)
{
	const char *v = getenv("SOCKCMP_MAX_RECORDS");
	uint64_t n;

	return v && sc_str_u64(v, 1, 64u << 20, &n) == 0 ? n : 0;
}

int sc_run(const struct sc_experiment *e, const struct sc_run_opts *o, struct sc_rows *rows,
	   char *err, size_t errlen)
{
	struct ctx x = {.e = e, .o = o, .mode = sc_mode_of(e), .max_records = max_records()};
	struct sc_lane lanes[SC_MAX_LANES];
	size_t npoints = sc_experiment_points(e);
	bool failed = false;
	int r = 0;

	if (!x.mode) {
		snprintf(err, errlen, "%s: unknown mode '%s' (oneway, throughput, rr, crr, servers)", e->file, e->mode);
		return -EINVAL;
	}
	if (x.mode->servers && o->peer) {
		snprintf(err, errlen, "%s: mode servers runs on this host only (it samples the server's /proc)",
			 e->file);
		return -EINVAL;
	}

	/* $TMPDIR if set (kept short: AF_UNIX paths live here, 107 bytes);
	 * on the watchdog's list until removed (watch.h). */
	r = sc_watch_mkdtemp(x.tmp, sizeof(x.tmp), NULL, "sockcmp", 40);
	if (r < 0) {
		snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(-r));
		return r;
	}
	r = open_outputs(&x, err, errlen);
	if (r < 0)
		goto out;
	x.total = npoints * sc_mode_lanes(x.mode, e, lanes, SC_MAX_LANES) * e->repeat;
	x.started = sc_mono_ns();
	for (size_t i = 0; i < npoints && r == 0; i++) {
		struct sc_experiment p;

		if (sc_experiment_at(e, i, &p, err, errlen) < 0)
			r = -EINVAL;
		else if (!o->set_link || (r = o->set_link(o->set_link_arg, &p, err, errlen)) == 0)
			r = run_point(&x, rows, &p, i, &failed);
	}
	if (o->progress && x.done != x.total)
		fputc('\n', stderr);
	if (r == -ECONNRESET)
		snprintf(err, errlen, "%s; the run ends here (finished trials are kept)", x.lost);
	if (r == 0 && failed)
		r = -EIO;
	/* A result not written fails the run (exit 1), whatever the trials
	 * did; err says which file and why. */
	if (x.wlost && r != -EINTR && r != -EINVAL && r != -ECONNRESET) {
		snprintf(err, errlen, "%s", x.wlost_msg);
		r = x.wlost;
	}
out:
	remove_tmp(x.tmp);
	return r;
}
