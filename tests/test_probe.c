/* test_probe.c - the built-in probes' own logic (probe*.c): no descriptor
 * left open when a connection cannot be made, and verdicts that follow
 * from what was measured, with a failed measurement never read as
 * evidence ("not measured" instead). The verdicts are pure functions of
 * the measured values (probe_judge.h), so the failures a healthy host
 * never shows are fed in as values. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"
#include "programs.h"
#include "run.h"
#include "probe_judge.h"
#include "probe_util.h"
#include "unit.h"

/* The descriptors leave_room opened, closed again by give_back (a
 * sanitizer's leak check at exit needs descriptors of its own). */
static int fillers[64], nfill;

/* Lowers the descriptor limit to 64 and fills the table, then frees room
 * descriptors: the next room opens succeed, the one after fails with
 * EMFILE. (Check runs each test in a process of its own.) */
static void leave_room(int room)
{
	struct rlimit rl = {64, 64};
	int fd;

	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	nfill = 0;
	while (nfill < 64 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fillers[nfill++] = fd;
	ck_assert_int_ge(nfill, room);
	for (int i = 0; i < room; i++)
		close(fillers[--nfill]);
}

static void give_back(void)
{
	while (nfill > 0)
		close(fillers[--nfill]);
}

/* How many descriptors can still be opened. */
static int free_slots(void)
{
	int fds[64], n = 0, fd;

	while (n < 64 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fds[n++] = fd;
	for (int i = 0; i < n; i++)
		close(fds[i]);
	return n;
}

/* pu_tcp_pair with room for 0 to 2 descriptors (it needs 3 at once: the
 * listener, the client, the accepted socket) fails and leaves none open;
 * with room for 3 it makes a pair that talks. */
START_TEST(tcp_pair_no_leak)
{
	int c = 7, s = 7;

	leave_room(_i);
	if (_i < 3) {
		ck_assert_int_lt(pu_tcp_pair(&c, &s), 0);
		ck_assert_int_eq(c, -1);
		ck_assert_int_eq(s, -1);
		ck_assert_int_eq(free_slots(), _i);
		give_back();
	} else {
		char b = 0;

		ck_assert_int_eq(pu_tcp_pair(&c, &s), 0);
		ck_assert_int_eq(write(c, "x", 1), 1);
		ck_assert_int_eq(read(s, &b, 1), 1);
		ck_assert_int_eq(b, 'x');
		close(c);
		close(s);
		ck_assert_int_eq(free_slots(), 3);
		give_back();
	}
}
END_TEST

/* A probe whose TCP connection cannot be accepted (EMFILE) fails and
 * leaves every descriptor it opened closed. room: enough for all it opens
 * before the accepted socket (the patterns probe's CSV takes two). */
static const struct leak_case {
	const char *name;
	int (*run)(const struct sc_probe_env *, struct sc_verdict *);
	int room;
} leak_cases[] = {
	{"zero-length", sc_probe_zero, 2},
	{"sync-async", sc_probe_sync, 2},
	{"size-limits", sc_probe_sizes, 2},
	{"read-patterns", sc_probe_patterns, 4},
};

START_TEST(probe_no_leak)
{
	const struct leak_case *k = &leak_cases[_i];
	static volatile sig_atomic_t stop;
	char dir[] = "/tmp/test_probe-XXXXXX";
	struct sc_probe_env env = {.out_dir = dir, .bin_dir = ".", .stop = &stop};
	struct sc_verdict v;
	int r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&v, 0, sizeof(v));
	leave_room(k->room);
	r = k->run(&env, &v);
	ck_assert_msg(r < 0, "%s: measured with no room for the accepted socket (%d)", k->name, r);
	ck_assert_msg(free_slots() == k->room, "%s: %d descriptor(s) left open", k->name, k->room - free_slots());
	give_back();
	/* Nothing written either: the CSV is dropped whole. */
	ck_assert_msg(rmdir(dir) == 0, "%s: %s", k->name, strerror(errno));
}
END_TEST

/* One judge case: a name, a function that fills a verdict from fixed
 * measured values, the verdict it must get and text that must (or must
 * not) be in its figures and why. */
struct jcase {
	const char *name;
	void (*judge)(struct sc_verdict *v);
	const char *verdict;
	const char *has;      /* in figures or why */
	const char *hasnt;    /* in neither: a failed step printed as a figure */
};

#define NT SC__NOT_TRIED
static void bw_ok(struct sc_verdict *v)
{
	sc__judge_bothways(&(struct sc__bothways){{4, 4, 4, 4}, {0, 0, 0, 0}}, v);
}
/* B got nothing within 1 s: the old code said "confirmed". */
static void bw_timeout(struct sc_verdict *v)
{
	sc__judge_bothways(&(struct sc__bothways){{4, -1, -1, -1}, {0, ETIMEDOUT, NT, NT}}, v);
}
static void bw_reply_lost(struct sc_verdict *v)
{
	sc__judge_bothways(&(struct sc__bothways){{4, 4, 4, -1}, {0, 0, 0, ETIMEDOUT}}, v);
}
static void bw_send_failed(struct sc_verdict *v)
{
	sc__judge_bothways(&(struct sc__bothways){{-1, -1, -1, -1}, {ENOBUFS, NT, NT, NT}}, v);
}
static void tw_inuse(struct sc_verdict *v)
{
	sc__judge_timewait(&(struct sc__timewait){.tw = 1, .restart_err = EADDRINUSE, .fallback = 40000,
		.reuse_ok = 0, .both_ok = 1}, v);
}
static void tw_free(struct sc_verdict *v)
{
	sc__judge_timewait(&(struct sc__timewait){.tw = 0, .restart_err = 0, .reuse_ok = 1, .both_ok = 1}, v);
}
/* socket() failed: the old code bound fd -1 (EBADF) and said "confirmed". */
static void tw_nosocket(struct sc_verdict *v)
{
	sc__judge_timewait(&(struct sc__timewait){.tw = 1, .socket_err = EMFILE, .reuse_ok = -ECANCELED,
		.both_ok = -ECANCELED}, v);
}
static void tw_otherbind(struct sc_verdict *v)
{
	sc__judge_timewait(&(struct sc__timewait){.tw = -1, .restart_err = EACCES, .reuse_ok = 0, .both_ok = 0}, v);
}
static void un_ok(struct sc_verdict *v)
{
	sc__judge_unixnames(&(struct sc__unixnames){.is_sock = 1, .mode = 0755, .after_close = 1,
		.rebind_err = EADDRINUSE, .abs = "x", .abs_listed = 1, .abs_file = 0}, v);
}
/* stat failed: the old code read an uninitialised mode and said "confirmed". */
static void un_nostat(struct sc_verdict *v)
{
	sc__judge_unixnames(&(struct sc__unixnames){.stat_err = EACCES, .after_close = -1, .abs = "x",
		.abs_listed = 1, .abs_file = 0}, v);
}
static void un_noproc(struct sc_verdict *v)
{
	sc__judge_unixnames(&(struct sc__unixnames){.is_sock = 1, .mode = 0755, .after_close = 1, .abs = "x",
		.abs_listed = -1, .abs_file = 0}, v);
}
/* The file's fate after close() unknown: the old judge still said the
 * file stays (too simple). */
static void un_noclose(struct sc_verdict *v)
{
	sc__judge_unixnames(&(struct sc__unixnames){.is_sock = 1, .mode = 0755, .after_close = -1,
		.rebind_err = EADDRINUSE, .abs = "x", .abs_listed = 1, .abs_file = 0}, v);
}
static void un_noabstract(struct sc_verdict *v)
{
	sc__judge_unixnames(&(struct sc__unixnames){.is_sock = 1, .mode = 0755, .after_close = 1, .abs = "x",
		.abs_err = EINVAL, .abs_listed = -1, .abs_file = -1}, v);
}
static void po_same(struct sc_verdict *v)
{
	sc__judge_ports(&(struct sc__ports){40000, 32768, 60999, {40000, 40000}, {50000, 50001}, 0}, v);
}
static void po_differ(struct sc_verdict *v)
{
	sc__judge_ports(&(struct sc__ports){40000, 32768, 60999, {40001, 40002}, {50000, 50001}, 0}, v);
}
/* getsockname failed: the old code read port 0 and said "confirmed". */
static void po_unread(struct sc_verdict *v)
{
	sc__judge_ports(&(struct sc__ports){40000, -1, -1, {0, 0}, {0, 0}, ENOTSOCK}, v);
}
static void po_norange(struct sc_verdict *v)
{
	sc__judge_ports(&(struct sc__ports){40000, -1, -1, {40000, 40000}, {50000, 50001}, 0}, v);
}
static void sz_ok(struct sc_verdict *v)
{
	sc__judge_sizes(&(struct sc__sizes){65507, 65527, 212960, EMSGSIZE, EMSGSIZE, EMSGSIZE, 1 << 20, 1 << 20,
		17}, v);
}
/* Nothing measured: the old code printed "UDP/IPv4 -1" as a measured size. */
static void sz_none(struct sc_verdict *v)
{
	sc__judge_sizes(&(struct sc__sizes){-1, -1, -1, 0, 0, 0, 1 << 20, 1 << 20, 17}, v);
}
static void sz_noerr(struct sc_verdict *v)
{
	sc__judge_sizes(&(struct sc__sizes){0, -1, -1, ENOBUFS, 0, 0, 1 << 20, 1 << 20, 17}, v);
}
static void sz_cut(struct sc_verdict *v)
{
	sc__judge_sizes(&(struct sc__sizes){65507, 65527, 212960, EMSGSIZE, EMSGSIZE, EMSGSIZE, 1 << 20, 65536, 1},
			v);
}
#define SRV_FORK .clients = 3, .spid = 100, .replies = 3, .n = 3
static void sv_ok(struct sc_verdict *v)
{
	sc__judge_servers(&(struct sc__servers){SRV_FORK, .distinct = 3, .first_ok = 1, .second_conn = 1,
		.second_read = 0}, v);
}
static void sv_reset(struct sc_verdict *v)
{
	sc__judge_servers(&(struct sc__servers){SRV_FORK, .distinct = 3, .first_ok = 1, .second_conn = 1,
		.second_read = -1, .second_err = ECONNRESET}, v);
}
/* The simple server never started: the old code still stated what it does. */
static void sv_nosimple(struct sc_verdict *v)
{
	sc__judge_servers(&(struct sc__servers){SRV_FORK, .distinct = 3, .simple_err = ENOENT, .second_read = -2},
			  v);
}
static void sv_second_heard_nothing(struct sc_verdict *v)
{
	sc__judge_servers(&(struct sc__servers){SRV_FORK, .distinct = 3, .first_ok = 1, .second_conn = 1,
		.second_read = -2}, v);
}
static void sv_second_served(struct sc_verdict *v)
{
	sc__judge_servers(&(struct sc__servers){SRV_FORK, .distinct = 3, .first_ok = 1, .second_conn = 1,
		.second_read = 17}, v);
}
static void sv_shared(struct sc_verdict *v)
{
	sc__judge_servers(&(struct sc__servers){SRV_FORK, .distinct = 1, .first_ok = 1, .second_conn = 1,
		.second_read = 0}, v);
}
/* The fork server did not start: the old code said "too simple". */
static void sv_nofork(struct sc_verdict *v)
{
	sc__judge_servers(&(struct sc__servers){.clients = 3, .first_ok = 1, .second_conn = 1, .second_read = 0}, v);
}
static void nm_rfc(struct sc_verdict *v)
{
	sc__judge_names("transmission control protocol", 7, 7, v);
}
static void nm_lecture(struct sc_verdict *v)
{
	sc__judge_names("Transport Control Protocol", 7, 7, v);
}
/* Some other comment: the old code said "confirmed". */
static void nm_other(struct sc_verdict *v)
{
	sc__judge_names("tcp", 7, 7, v);
}
static void cl_ok(struct sc_verdict *v)
{
	sc__judge_connless(&(struct sc__connless){0, 0, ECONNREFUSED, 0, 0, ECONNREFUSED, 44}, v);
}
/* The unconnected socket was never made: the old code sent on fd -1. */
static void cl_nosocket(struct sc_verdict *v)
{
	sc__judge_connless(&(struct sc__connless){EMFILE, 0, ECONNREFUSED, 0, 0, ECONNREFUSED, 44}, v);
}
/* The first send failed: the old code said "too simple". */
static void cl_sendfail(struct sc_verdict *v)
{
	sc__judge_connless(&(struct sc__connless){0, ENOBUFS, ENOBUFS, 0, 0, ECONNREFUSED, 44}, v);
}
static const struct sc__zero z_ok[3] = {{"tcp", 0, 0, 0, 0, -2, 1}, {"udp", 0, 0, 1, 1, 0, 1},
					{"unix-seqpacket", 0, 0, -1, 1, 0, 1}};
static const struct sc__zero z_woken[3] = {{"tcp", 0, 0, 1, 1, 0, 1}, {"udp", 0, 0, 1, 1, 0, 1},
					   {"unix-seqpacket", 0, 0, -1, 1, 0, 1}};
static const struct sc__zero z_sendfail[3] = {{"tcp", -1, EPIPE, -1, 0, -2, 0}, {"udp", 0, 0, 1, 1, 0, 1},
					      {"unix-seqpacket", 0, 0, -1, 1, 0, 1}};
static void zr_ok(struct sc_verdict *v)
{
	sc__judge_zero(z_ok, 0, v);
}
static void zr_woken(struct sc_verdict *v)
{
	sc__judge_zero(z_woken, 0, v);
}
/* The reader never saw the end either: the old code said "too simple". */
/* Woken by a reset, not a message: the old judge said "confirmed". */
static const struct sc__zero z_reset[3] = {{"tcp", 0, 0, 0, 1, -1, 0}, {"udp", 0, 0, 1, 1, 0, 1},
					   {"unix-seqpacket", 0, 0, -1, 1, 0, 1}};
static void zr_reset(struct sc_verdict *v)
{
	sc__judge_zero(z_reset, 0, v);
}
static void zr_noeof(struct sc_verdict *v)
{
	sc__judge_zero(z_ok, -2, v);
}
static void zr_sendfail(struct sc_verdict *v)
{
	sc__judge_zero(z_sendfail, 0, v);
}
static void sy_ok(struct sc_verdict *v)
{
	sc__judge_sync(&(struct sc__sync){67, 167, 2000, EAGAIN, EAGAIN, 0, 203, 203, 3, 102}, v);
}
/* TCP's send failed with EPIPE: the old code said "too simple". */
static void sy_epipe(struct sc_verdict *v)
{
	sc__judge_sync(&(struct sc__sync){3, 167, 2000, EPIPE, EAGAIN, 0, 0, 203, 3, 102}, v);
}
static void wi_ok(struct sc_verdict *v)
{
	sc__judge_wire(16, 3408, 5, 2700, v);
}
/* Counters that saw other traffic: the old code said "too simple". */
static void wi_other(struct sc_verdict *v)
{
	sc__judge_wire(16, 3408, 9, 4000, v);
}
static void wi_less(struct sc_verdict *v)
{
	sc__judge_wire(5, 2000, 5, 2700, v);
}
static void pr_wrong(struct sc_verdict *v)
{
	sc__judge_privileged((const int[]){1, 1, 0, 0}, 0, 1024, v);
}
static void pr_open(struct sc_verdict *v)
{
	sc__judge_privileged((const int[]){0, 0, 0, 0}, 0, 0, v);
}
/* Binds that failed otherwise: the old code said "too simple". */
static void pr_other(struct sc_verdict *v)
{
	sc__judge_privileged((const int[]){3, 3, 3, 3}, 3, -1, v);
}
static void bl_ok(struct sc_verdict *v)
{
	sc__judge_backlog(5, 10, 6, 4, false, 0, v);
}
/* Interrupted with none decided: the old code said "too simple". */
static void bl_stopped(struct sc_verdict *v)
{
	sc__judge_backlog(5, 10, 0, 0, true, 0, v);
}
static void bl_none(struct sc_verdict *v)
{
	sc__judge_backlog(5, 10, 0, 10, false, 0, v);
}
static void pg_all(struct sc_verdict *v)
{
	sc__judge_programs(11, 11, 0, "", "", v);
}
/* Pairings that failed: the old code said "too simple". */
static void pg_failed(struct sc_verdict *v)
{
	sc__judge_programs(11, 9, 0, "", "", v);
}
/* Nothing listed: the old code said "confirmed" (0 of 0 all ok). */
static void pg_none(struct sc_verdict *v)
{
	sc__judge_programs(0, 0, 0, "", "", v);
}

/* All exchanged but programs.csv not written: the old code said
 * "confirmed" (and only told stderr). */
static void pg_unwritten(struct sc_verdict *v)
{
	sc__judge_programs(11, 11, 0, "", "cannot write out/programs.csv: No space left on device", v);
}

static const struct jcase jcases[] = {
	{"both-directions: all 4 bytes", bw_ok, "wrong", "bidirectional", NULL},
	{"both-directions: poll timeout", bw_timeout, "not measured", "got nothing within 1 s", "-1"},
	{"both-directions: reply lost", bw_reply_lost, "not measured", "A's receive", "-1"},
	{"both-directions: send failed", bw_send_failed, "not measured", "A's send failed", "-1"},
	{"time-wait: EADDRINUSE", tw_inuse, "too simple", "a random port (40000)", NULL},
	{"time-wait: port free", tw_free, "confirmed", "free again", NULL},
	{"time-wait: no socket", tw_nosocket, "not measured", "EMFILE", NULL},
	{"time-wait: EACCES", tw_otherbind, "not measured", "not EADDRINUSE", "-1"},
	{"unix-names: measured", un_ok, "too simple", "abstract", NULL},
	{"unix-names: stat failed", un_nostat, "not measured", "stat()", NULL},
	{"unix-names: after close() unknown", un_noclose, "not measured", "cannot tell", NULL},
	{"unix-names: /proc/net/unix unreadable", un_noproc, "not measured", "unreadable", NULL},
	{"unix-names: no abstract names", un_noabstract, "confirmed", "no abstract", NULL},
	{"ports: listener's port", po_same, "wrong", "32768-60999", NULL},
	{"ports: other ports", po_differ, "confirmed", "other than the listener's", NULL},
	{"ports: getsockname failed", po_unread, "not measured", "could not be read", NULL},
	{"ports: range unreadable", po_norange, "wrong", "unreadable", "outside"},
	{"size-limits: measured", sz_ok, "too simple", "65,507", NULL},
	{"size-limits: nothing measured", sz_none, "not measured", "UDP/IPv4 not measured", "-1"},
	{"size-limits: every send failed", sz_noerr, "not measured", "not found", NULL},
	{"size-limits: stream cut", sz_cut, "not measured", "stopped after 65536 bytes", NULL},
	{"fork-server: both measured", sv_ok, "confirmed", "end of stream", NULL},
	{"fork-server: second reset", sv_reset, "confirmed", "ECONNRESET", NULL},
	{"fork-server: simple server not started", sv_nosimple, "not measured", "simple server did not start",
	 "never served"},
	{"fork-server: second heard nothing", sv_second_heard_nothing, "not measured", "unserved", "never served"},
	{"fork-server: second served", sv_second_served, "not measured", "unserved", "never served"},
	{"fork-server: one process for all", sv_shared, "too simple", "only 1 of 3", NULL},
	{"fork-server: did not start", sv_nofork, "not measured", "did not start", "PID 0"},
	{"names: Transmission", nm_rfc, "wrong", "RFC 793", NULL},
	{"names: Transport", nm_lecture, "confirmed", "Transport", NULL},
	{"names: neither", nm_other, "not measured", "neither", NULL},
	{"connectionless: measured", cl_ok, "confirmed", "ECONNREFUSED", NULL},
	{"connectionless: no socket", cl_nosocket, "not measured", "EMFILE", NULL},
	{"connectionless: send failed", cl_sendfail, "not measured", "cannot tell", NULL},
	{"zero-length: measured", zr_ok, "too simple", "close()", NULL},
	{"zero-length: reader woken", zr_woken, "confirmed", "woke", NULL},
	{"zero-length: woken by a reset", zr_reset, "not measured", "not by a 0-byte message", NULL},
	{"zero-length: no end seen", zr_noeof, "not measured", "nothing within 500 ms", NULL},
	{"zero-length: send failed", zr_sendfail, "not measured", "EPIPE", NULL},
	{"sync-async: measured", sy_ok, "too simple", "flow control", NULL},
	{"sync-async: EPIPE", sy_epipe, "not measured", "cannot tell", NULL},
	{"wire-overhead: measured", wi_ok, "confirmed", "+708 bytes", NULL},
	{"wire-overhead: other traffic", wi_other, "not measured", "9 loopback frames", NULL},
	{"wire-overhead: TCP no more", wi_less, "not measured", "missed", NULL},
	{"privileged-ports: reversed", pr_wrong, "wrong", "below 1024", NULL},
	{"privileged-ports: all open", pr_open, "too simple", "ip_unprivileged_port_start 0", NULL},
	{"privileged-ports: other errors", pr_other, "not measured", "another error", NULL},
	{"backlog: measured", bl_ok, "too simple", "backlog+1 = 6", NULL},
	{"backlog: interrupted", bl_stopped, "not measured", "interrupted", NULL},
	{"backlog: none connected", bl_none, "not measured", "none connected", NULL},
	{"programs: all", pg_all, "confirmed", "every pairing", NULL},
	{"programs: 2 failed", pg_failed, "not measured", "2 of 11", NULL},
	{"programs: none listed", pg_none, "not measured", "no pairing", NULL},
	{"programs: csv not written", pg_unwritten, "not measured", "No space left", NULL},
};

START_TEST(judge)
{
	const struct jcase *c = &jcases[_i];
	struct sc_verdict v;

	memset(&v, 0, sizeof(v));
	c->judge(&v);
	ck_assert_msg(!strcmp(v.verdict, c->verdict), "%s: verdict '%s', want '%s' (figures: %s; why: %s)", c->name,
		      v.verdict, c->verdict, v.figures, v.why);
	ck_assert_msg(v.why[0], "%s: no reason given", c->name);
	ck_assert_msg(strstr(v.figures, c->has) || strstr(v.why, c->has), "%s: '%s' in neither '%s' nor '%s'",
		      c->name, c->has, v.figures, v.why);
	if (c->hasnt)
		ck_assert_msg(!strstr(v.figures, c->hasnt) && !strstr(v.why, c->hasnt), "%s: '%s' in '%s' / '%s'",
			      c->name, c->hasnt, v.figures, v.why);
}
END_TEST

/* A probe that returned an error keeps no verdict but "not measured"
 * (the old child main kept whatever verdict it had set); one that set
 * none gets "not measured" too. */
START_TEST(outcome)
{
	static const struct { int r; const char *verdict, *why, *want, *want_why; } t[] = {
		{-EIO, "confirmed", "looked fine", "not measured", "Input/output error"},
		{-ENOENT, "", "no /etc/protocols", "not measured", "no /etc/protocols"},
		{-ENOENT, "", "", "not measured", "No such file"},
		{-EPERM, "not measured", "cannot run a child", "not measured", "cannot run a child"},
		{0, "wrong", "measured", "wrong", "measured"},
		{0, "", "", "not measured", "gave no verdict"},
	};
	for (size_t i = 0; i < NELEM(t); i++) {
		struct sc_verdict v;

		memset(&v, 0, sizeof(v));
		snprintf(v.verdict, sizeof(v.verdict), "%s", t[i].verdict);
		snprintf(v.why, sizeof(v.why), "%s", t[i].why);
		sc__probe_outcome(t[i].r, &v);
		ck_assert_msg(!strcmp(v.verdict, t[i].want), "case %zu: %s", i, v.verdict);
		ck_assert_msg(strstr(v.why, t[i].want_why), "case %zu: %s", i, v.why);
	}
}
END_TEST

/* One trial of the read-patterns probes: measured only with the writer's
 * exit 0 and all 2,560 bytes read. */
START_TEST(trial_measured)
{
	static const struct { int code, got, want; const char *why; } t[] = {
		{0, 2560, 0, ""}, {1, 2560, -EIO, "could not send"}, {1, 0, -EIO, "could not send"},
		{-EPIPE, 0, -EPIPE, "did not answer"}, {-ETIMEDOUT, 2560, -ETIMEDOUT, "did not answer"},
		{0, 1536, -EIO, "1536 of the 2560"},
		{2, 2560, -EIO, "failed"},
	};
	for (size_t i = 0; i < NELEM(t); i++) {
		char why[200] = "";

		ck_assert_int_eq(sc__trial_measured(t[i].code, t[i].got, why, sizeof(why)), t[i].want);
		ck_assert_msg(strstr(why, t[i].why), "case %zu: '%s'", i, why);
	}
}
END_TEST

/* A directory holding a stand-in for bin/sockcmp: a shell script. */
static void stand_in(char *dir, const char *script)
{
	char path[128];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sockcmp", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n%s\n", script);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

static void stand_in_gone(const char *dir)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/sockcmp", dir);
	unlink(path);
	ck_assert_msg(rmdir(dir) == 0, "%s: %s", dir, strerror(errno));
}

/* A probe process that prints a verdict and then fails (exit 3, or a
 * signal: a sanitizer's report, a file not written) measured nothing we
 * can vouch for: "not measured". The same lines with exit 0 keep their
 * verdict. Before, any verdict line stood whatever the exit. */
START_TEST(probe_exit_after_verdict)
{
	static const char *const scripts[] = {
		"printf 'verdict\\tconfirmed\\nfigures\\t1 2 3\\nwhy\\t\\n'; exit 3",
		"printf 'verdict\\tconfirmed\\nfigures\\t1 2 3\\nwhy\\t\\n'; kill -9 $$",
		"printf 'verdict\\tconfirmed\\nfigures\\t1 2 3\\nwhy\\t\\n'; exit 0",
	};
	static volatile sig_atomic_t stop;
	char bin[] = "/tmp/test_probe-bin-XXXXXX";
	struct sc_run_opts o = {.out_dir = "/nonexistent", .bin_dir = bin, .stop = &stop};
	struct sc_verdict v;
	int r;

	stand_in(bin, scripts[_i]);
	r = sc_probe_run(sc_probe_at(0), &o, &v);
	stand_in_gone(bin);
	if (_i < 2) {
		ck_assert_int_eq(r, -EIO);
		ck_assert_str_eq(v.verdict, "not measured");
		ck_assert_msg(strstr(v.why, "after its verdict"), "why: %s", v.why);
	} else {
		ck_assert_int_eq(r, 0);
		ck_assert_str_eq(v.verdict, "confirmed");
	}
}
END_TEST

/* The read-patterns probe with a writer that ends at once, failing (exit
 * 1) or not (exit 0), having written nothing: not measured, no CSV
 * written. The old probe ignored its writer's exit status and counted
 * what it read as a pattern. */
START_TEST(patterns_writer_fails)
{
	static const char *const scripts[] = {"exit 1", "exit 0"};
	static const char *const whys[] = {"writer", "writer"};
	static volatile sig_atomic_t stop;
	char bin[] = "/tmp/test_probe-bin-XXXXXX", out[] = "/tmp/test_probe-out-XXXXXX";
	struct sc_probe_env env = {.out_dir = out, .bin_dir = bin, .stop = &stop};
	struct sc_verdict v;

	memset(&v, 0, sizeof(v));
	stand_in(bin, scripts[_i]);
	ck_assert_ptr_nonnull(mkdtemp(out));
	ck_assert_int_lt(sc_probe_patterns(&env, &v), 0);
	ck_assert_str_eq(v.verdict, "not measured");
	ck_assert_msg(strstr(v.why, whys[_i]), "why: %s", v.why);
	ck_assert_msg(rmdir(out) == 0, "a file was left in the out dir: %s", strerror(errno));
	stand_in_gone(bin);
}
END_TEST

/* pu_as_nobody goes through the process runner: bin/sockcmp __as-nobody
 * ACTION ARG; its exit code comes back, 255 (could not drop to 65534) as
 * -EPERM. The privileged-ports probe then measures nothing. */
START_TEST(as_nobody)
{
	static volatile sig_atomic_t stop;
	char bin[] = "/tmp/test_probe-bin-XXXXXX", out[] = "/tmp/test_probe-out-XXXXXX";
	struct sc_probe_env env = {.out_dir = out, .bin_dir = bin, .stop = &stop};
	struct sc_verdict v;

	memset(&v, 0, sizeof(v));
	stand_in(bin, "[ \"$1 $2 $3\" = \"__as-nobody bind 1023\" ] && exit 1; exit 255");
	ck_assert_int_eq(pu_as_nobody(bin, PU_BIND, 1023), 1);
	ck_assert_int_eq(pu_as_nobody(bin, PU_BIND, 80), -EPERM);
	ck_assert_int_eq(pu_as_nobody(bin, PU_ICMP_DGRAM, 0), -EPERM);
	ck_assert_ptr_nonnull(mkdtemp(out));
	ck_assert_int_lt(sc_probe_privileged(&env, &v), 0);
	ck_assert_str_eq(v.verdict, "not measured");
	ck_assert_msg(rmdir(out) == 0, "a file was left in the out dir: %s", strerror(errno));
	stand_in_gone(bin);
}
END_TEST

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* The lecture's programs when sockcmp itself cannot be started (here: a
 * bin folder whose path does not fit): a failure of ours is a failed
 * pairing, never one that "could not run here" (the old run_one counted
 * it with the pairings python3 was missing for, and the verdict passed
 * over it). programs.csv and programs.md are still written, and the
 * table says NO, not "not run". */
START_TEST(programs_own_failure)
{
	static volatile sig_atomic_t stop;
	static char bin[4300];
	char out[] = "/tmp/test_probe-out-XXXXXX", path[128];
	struct sc_probe_env env = {.out_dir = out, .bin_dir = bin, .stop = &stop};
	struct sc_run_opts o = {.out_dir = out, .bin_dir = bin, .stop = &stop};
	struct sc_programs *p = calloc(1, sizeof(*p));
	struct sc_verdict v;
	char *md = NULL;
	size_t mdlen = 0;
	FILE *f;

	memset(bin, 'b', sizeof(bin) - 1);
	bin[0] = '/';
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(mkdtemp(out));
	ck_assert_int_eq(sc_programs_run(&o, p), -EIO);
	ck_assert_uint_gt(p->n, 0);
	ck_assert_uint_eq(p->ok, 0);
	ck_assert_uint_eq(p->notrun, 0);
	for (size_t i = 0; i < p->n; i++) {
		ck_assert_int_eq(p->v[i].notrun, 0);
		ck_assert_msg(strstr(p->v[i].note, "too long"), "%s: %s", p->v[i].name, p->v[i].note);
	}
	f = open_memstream(&md, &mdlen);
	ck_assert_ptr_nonnull(f);
	sc_programs_table(f, p);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(!strstr(md, "not run") && strstr(md, "| NO |"), "table: %s", md);
	free(md);
	memset(&v, 0, sizeof(v));
	ck_assert_int_eq(sc_probe_programs(&env, &v), 0);
	ck_assert_str_eq(v.verdict, "not measured");
	snprintf(path, sizeof(path), "%s/programs.csv", out);
	ck_assert_int_eq(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/programs.md", out);
	ck_assert_int_eq(access(path, R_OK), 0);
	ck_assert_int_eq(nftw(out, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(p);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("descriptors");

	tcase_add_loop_test(tc, tcp_pair_no_leak, 0, 4);
	tcase_add_loop_test(tc, probe_no_leak, 0, NELEM(leak_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("verdicts");
	tcase_add_loop_test(tc, judge, 0, NELEM(jcases));
	tcase_add_test(tc, trial_measured);
	tcase_add_test(tc, outcome);
	suite_add_tcase(s, tc);
	tc = tcase_create("children");
	tcase_add_loop_test(tc, patterns_writer_fails, 0, 2);
	tcase_add_loop_test(tc, probe_exit_after_verdict, 0, 3);
	tcase_add_test(tc, as_nobody);
	tcase_add_test(tc, programs_own_failure);
	suite_add_tcase(s, tc);
	return s;
}
