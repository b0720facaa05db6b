/* test_servers.c - the servers mode's pure parts: /proc/PID/stat parsing,
 * the process-tree sums, sampling maxima and distinct PIDs, the servers'
 * output lines, the clients' reply check, the script's servers and clients
 * directives, and the mode's lanes. */
#include <string.h>

#include "mode.h"
#include "proctree.h"
#include "script.h"
#include "servers.h"
#include "servers_clients.h"
#include "unit.h"

/* 52 fields as Linux 6 writes them; the name may hold ") (" and spaces. */
#define TAIL " 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 9 0 100 1000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0"

static const struct {
	const char *name, *text;
	int rc;
	pid_t pid, ppid;
	char state;
	uint64_t threads;
} stats[] = {
	{"plain", "1234 (server-model) S 1" TAIL, 0, 1234, 1, 'S', 0},
	{"name with ') ('", "77 (a) (b c) Z 76" TAIL, 0, 77, 76, 'Z', 0},
	{"empty name", "5 () R 4" TAIL, 0, 5, 4, 'R', 0},
	{"no parenthesis", "5 x R 4" TAIL, -22, 0, 0, 0, 0},
	{"cut after ppid", "5 (x) R 4", -22, 0, 0, 0, 0},
	{"cut before num_threads", "5 (x) R 4 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0", -22, 0, 0, 0, 0},
	{"pid 0", "0 (x) R 4" TAIL, -22, 0, 0, 0, 0},
	{"letters for ppid", "5 (x) R p" TAIL, -22, 0, 0, 0, 0},
	{"empty", "", -22, 0, 0, 0, 0},
};

START_TEST(parse_stat)
{
	struct sc_proc p;
	int rc = sc_proc_parse_stat(stats[_i].text, &p); /* TAIL's num_threads is 9 */

	ck_assert_msg(rc == stats[_i].rc, "%s: rc %d, want %d", stats[_i].name, rc, stats[_i].rc);
	if (rc)
		return;
	ck_assert_msg(p.pid == stats[_i].pid && p.ppid == stats[_i].ppid && p.state == stats[_i].state,
		      "%s: pid %d ppid %d state %c", stats[_i].name, (int)p.pid, (int)p.ppid, p.state);
	ck_assert_msg(p.threads == 9, "%s: %llu threads", stats[_i].name, (unsigned long long)p.threads);
}
END_TEST

/* A server (10) with a child (11, 2 threads), a grandchild (12), a zombie
 * child (13), beside strangers (20 under 1, 21 under 20) and a ppid cycle
 * (30 <-> 31) that must not hang the walk. */
static const struct sc_proc procs[] = {
	{1, 0, 'S', 1, 0},   {10, 1, 'S', 1, 5}, {11, 10, 'S', 2, 4}, {12, 11, 'R', 1, 3},
	{13, 10, 'Z', 1, 0}, {20, 1, 'S', 4, 9}, {21, 20, 'S', 1, 2}, {30, 31, 'S', 1, 1},
	{31, 30, 'S', 1, 1},
};

static const struct {
	const char *name;
	pid_t root;
	size_t n;
	struct sc_tree_use want;
} trees[] = {
	{"server and descendants, zombie counted apart", 10, 4, {4, 1, 4, 12}},
	{"a leaf", 12, 1, {1, 0, 1, 3}},
	{"zombie root: no threads", 13, 1, {1, 1, 0, 0}},
	{"strangers' tree", 20, 2, {2, 0, 5, 11}},
	{"not there", 99, 0, {0, 0, 0, 0}},
	{"a cycle ends", 30, 2, {2, 0, 2, 2}},
};

START_TEST(tree)
{
	struct sc_tree_use u;
	pid_t m[8];
	size_t n = sc_proc_tree(procs, NELEM(procs), trees[_i].root, &u, m, 8);

	ck_assert_msg(n == trees[_i].n, "%s: %zu members", trees[_i].name, n);
	ck_assert_msg(u.procs == trees[_i].want.procs && u.zombies == trees[_i].want.zombies &&
			      u.threads == trees[_i].want.threads && u.fds == trees[_i].want.fds,
		      "%s: procs %llu zombies %llu threads %llu fds %llu", trees[_i].name,
		      (unsigned long long)u.procs, (unsigned long long)u.zombies, (unsigned long long)u.threads,
		      (unsigned long long)u.fds);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(m[i] != 20 || trees[_i].root == 20, "%s: a stranger in the tree", trees[_i].name);
}
END_TEST

START_TEST(fold_and_seen)
{
	struct sc_srv_use use = {0};
	const struct sc_tree_use a = {3, 1, 4, 10}, b = {2, 2, 7, 6};
	pid_t seen[3];
	size_t nseen = 0;
	const pid_t first[] = {10, 11, 10}, second[] = {11, 12, 13, 14};

	sc_proc_fold(&use, &a);
	sc_proc_fold(&use, &b);
	ck_assert_uint_eq(use.samples, 2);
	ck_assert_uint_eq(use.procs_max, 3);
	ck_assert_uint_eq(use.zombies_max, 2);
	ck_assert_uint_eq(use.threads_max, 7);
	ck_assert_uint_eq(use.fds_max, 10);
	ck_assert_uint_eq(sc_proc_seen(seen, &nseen, 3, first, 3), 2);
	/* 12 is new; 13 and 14 are beyond the cap of 3 */
	ck_assert_uint_eq(sc_proc_seen(seen, &nseen, 3, second, 4), 1);
	ck_assert_uint_eq(nseen, 3);
}
END_TEST

static const struct {
	const char *line;
	int kind;
	pid_t pid;
	uint64_t n;
	unsigned port;
} lines[] = {
	{"served 12 13 100", 1, 12, 100, 0},
	{"served 12 13 0", 1, 12, 0, 0},
	{"served 12 13", 0, 0, 0, 0},
	{"served 12 13 100 extra", 0, 0, 0, 0},
	{"served 0 13 100", 0, 0, 0, 0},
	{"Server 4321 received your message", 1, 4321, 1, 0},
	{"Server 4321 received your messages", 0, 0, 0, 0},
	{"\tnetwork server 4321: client socket from host 127.0.0.1\t has port number 16540", 2, 4321, 0, 0},
	{"network server x: client", 0, 0, 0, 0},
	{"listening on 127.0.0.1:40000", 3, 0, 0, 40000},
	{"listening on [::1]:40000", 3, 0, 0, 40000},
	{"listening on 127.0.0.1:0", 0, 0, 0, 0},
	{"listening on 127.0.0.1:65536", 0, 0, 0, 0},
	{"Server has port number: 1234", 3, 0, 0, 1234},
	{"Server has port number:1234", 0, 0, 0, 0},
	{"The message from client is hello", 0, 0, 0, 0},
	{"", 0, 0, 0, 0},
};

START_TEST(output_lines)
{
	pid_t pid = -1;
	uint64_t n = 99;
	unsigned port = 99;
	int k = sc_servers_line(lines[_i].line, &pid, &n, &port);

	ck_assert_msg(k == lines[_i].kind, "'%s': kind %d, want %d", lines[_i].line, k, lines[_i].kind);
	ck_assert_msg(pid == lines[_i].pid && n == lines[_i].n && port == lines[_i].port,
		      "'%s': pid %d n %llu port %u", lines[_i].line, (int)pid, (unsigned long long)n, port);
}
END_TEST

START_TEST(replies)
{
	struct sc_clients_plan echo = {.size = 16, .reply = 16}, lec = {.size = 64, .reply = 80, .lecture = true};
	char req[16] = "0123456789abcdef", rep[80] = {0};

	ck_assert(sc_clients_reply_ok(&echo, req, req, 16));
	memcpy(rep, req, 16);
	rep[15] = 'X';
	ck_assert(!sc_clients_reply_ok(&echo, req, rep, 16));
	ck_assert(!sc_clients_reply_ok(&echo, req, req, 15)); /* short */
	memset(rep, 0, sizeof(rep));
	strcpy(rep, "\nI am server and this is my message\n");
	ck_assert(sc_clients_reply_ok(&lec, req, rep, 80));
	ck_assert(!sc_clients_reply_ok(&lec, req, rep, 79));
	rep[79] = 'x'; /* garbage after the text */
	ck_assert(!sc_clients_reply_ok(&lec, req, rep, 80));
}
END_TEST

#define HEAD "experiment s\nmode servers\ntransports tcp udp\nsend 10 x 64\nrecv 64k\n"

static const struct {
	const char *name, *text, *err; /* err: "" if it parses */
	uint64_t clients;
	size_t nservers;
} scripts[] = {
	{"defaults", HEAD, "", 1, 0},
	{"clients 64", HEAD "clients 64\n", "", 64, 0},
	{"models", HEAD "servers fork udp\n", "", 1, 2},
	{"clients 0", HEAD "clients 0\n", "t.exp:6: clients 0 is out of range (from 1 to 256)", 0, 0},
	{"clients 100000", HEAD "clients 100000\n", "t.exp:6: clients 100000 is out of range (from 1 to 256)", 0, 0},
	{"clients -1", HEAD "clients -1\n", "t.exp:6: bad clients '-1'", 0, 0},
	{"clients abc", HEAD "clients abc\n", "t.exp:6: bad clients 'abc'", 0, 0},
	{"sweep with 0", HEAD "sweep clients 1 2 0\n", "t.exp:6: clients 0 is out of range", 0, 0},
	{"sweep with 257", HEAD "sweep clients 1 257\n", "t.exp:6: clients 257 is out of range", 0, 0},
	{"unknown model", HEAD "servers fork prefork\n", "t.exp:6: unknown server model 'prefork' (known: ", 0, 0},
	{"model twice", HEAD "servers fork fork\n", "t.exp:6: server model 'fork' named twice", 0, 0},
	{"81 bytes to every model, the lecture's among them",
	 "experiment s\nmode servers\ntransports tcp\nsend 10 x 81\nrecv 64k\n",
	 "t.exp:4: send size 81 is above the 80 bytes the lecture's fork server reads", 0, 0},
	{"81 bytes to lecture-fork", "experiment s\nmode servers\ntransports tcp\nservers fork lecture-fork\n"
	 "send 10 x 81\nrecv 64k\n", "t.exp:5: send size 81 is above", 0, 0},
	{"81 bytes without the lecture's", "experiment s\nmode servers\ntransports tcp\nservers fork\n"
	 "send 10 x 81\nrecv 64k\n", "", 1, 1},
	{"two sends", HEAD "send 5 x 64\n", "t.exp:6: mode servers takes one 'send COUNT x SIZE'", 0, 0},
	{"a pause", HEAD "pause 1ms\n", "t.exp:6: mode servers takes one", 0, 0},
	{"a size sweep past 80 with the lecture's", HEAD "sweep size 64 128\n",
	 "t.exp:6: send size 128 is above the 80 bytes", 0, 0},
	{"a size sweep past 80 without it", HEAD "servers fork\nsweep size 64 128\n", "", 1, 1},
	{"a link", HEAD "link loss 5%\n", "t.exp:6: mode servers runs each trial on loopback", 0, 0},
};

START_TEST(script)
{
	struct sc_experiment e;
	char err[300] = "";
	int rc = sc_script_parse(scripts[_i].text, strlen(scripts[_i].text), "t.exp", &e, err, sizeof(err));

	if (!scripts[_i].err[0]) {
		ck_assert_msg(rc == 0, "%s: %s", scripts[_i].name, err);
		ck_assert_uint_eq(e.clients, scripts[_i].clients);
		ck_assert_uint_eq(e.nservers, scripts[_i].nservers);
		return;
	}
	ck_assert_msg(rc == -22, "%s: parsed", scripts[_i].name);
	ck_assert_msg(!strncmp(err, scripts[_i].err, strlen(scripts[_i].err)), "%s: '%s'", scripts[_i].name, err);
}
END_TEST

START_TEST(sweep_points)
{
	static const char text[] = HEAD "sweep clients 1 4 64\n";
	struct sc_experiment e, p;
	char err[300];

	ck_assert_int_eq(sc_script_parse(text, strlen(text), "t.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_experiment_at(&e, 2, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.clients, 64);
}
END_TEST

static const struct {
	const char *name, *lines, *want; /* want: "transport/server ..." */
} lanes[] = {
	{"every model", "", "tcp/iterative tcp/fork tcp/lecture-fork tcp/thread udp/udp"},
	{"named, in order", "servers udp thread\n", "udp/udp tcp/thread"},
	{"only tcp transports", "transports tcp\n", "tcp/iterative tcp/fork tcp/lecture-fork tcp/thread"},
	{"udp model, tcp only: none", "transports tcp\nservers udp\n", ""},
};

START_TEST(mode_lanes)
{
	char text[400], err[300], got[400] = "";
	struct sc_experiment e;
	struct sc_lane l[SC_MAX_LANES];
	const struct sc_mode *m = sc_mode_find("servers");
	size_t n, used = 0;

	/* a later transports line would repeat the directive: build it whole */
	snprintf(text, sizeof(text), "experiment s\nmode servers\n%ssend 10 x 64\nrecv 64k\n%s",
		 strstr(lanes[_i].lines, "transports") ? "" : "transports tcp udp\n", lanes[_i].lines);
	ck_assert_msg(sc_script_parse(text, strlen(text), "t.exp", &e, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(m);
	n = sc_mode_lanes(m, &e, l, SC_MAX_LANES);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s/%s", i ? " " : "", l[i].t->name,
					 l[i].server);
	ck_assert_msg(!strcmp(got, lanes[_i].want), "%s: '%s'", lanes[_i].name, got);
	/* other modes: one lane per transport, no model */
	n = sc_mode_lanes(sc_mode_find("rr"), &e, l, SC_MAX_LANES);
	ck_assert_uint_eq(n, e.ntransports);
	ck_assert_ptr_null(l[0].server);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("servers");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parse_stat, 0, NELEM(stats));
	tcase_add_loop_test(tc, tree, 0, NELEM(trees));
	tcase_add_test(tc, fold_and_seen);
	tcase_add_loop_test(tc, output_lines, 0, NELEM(lines));
	tcase_add_test(tc, replies);
	tcase_add_loop_test(tc, script, 0, NELEM(scripts));
	tcase_add_test(tc, sweep_points);
	tcase_add_loop_test(tc, mode_lanes, 0, NELEM(lanes));
	suite_add_tcase(s, tc);
	return s;
}
