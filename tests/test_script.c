/* test_script.c - experiment scripts: valid ones and what each parses to,
 * invalid ones and the exact "file:line: message" they get. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "script.h"
#include "unit.h"

static const char lecture[] = "experiment  boundaries\n"
			      "transports  tcp udp unix-stream unix-dgram unix-seqpacket\n"
			      "send        5 x 512\n"
			      "recv        2560 after 50ms\n";

START_TEST(lecture_example)
{
	struct sc_experiment e;
	char err[256] = "";

	ck_assert_msg(sc_script_parse(lecture, strlen(lecture), "b.exp", &e, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(e.name, "boundaries");
	ck_assert_uint_eq(e.ntransports, 5);
	ck_assert_str_eq(e.transports[0]->name, "tcp");
	ck_assert_str_eq(e.transports[4]->name, "unix-seqpacket");
	ck_assert_uint_eq(e.send.nops, 1);
	ck_assert_uint_eq(e.send.ops[0].count, 5);
	ck_assert_uint_eq(e.send.ops[0].size, 512);
	ck_assert_uint_eq(e.recv.size, 2560);
	ck_assert_uint_eq(e.recv.after_ns, 50000000);
	ck_assert_uint_eq(e.repeat, 1);
	ck_assert_uint_eq(sc_experiment_points(&e), 1);
	ck_assert_uint_eq(sc_plan_msgs(&e.send), 5);
	ck_assert_uint_eq(sc_plan_bytes(&e.send), 2560);
}
END_TEST

/* Valid scripts: the field checked and its expected value. */
static const struct {
	const char *name, *text;
	uint64_t msgs, bytes, recv_size, after_ns, pace_ns;
	int flags;
	unsigned repeat;
	size_t points, nops;
} good[] = {
	{"comments, blanks, tabs, CRLF",
	 "# a comment\n\nexperiment\tx # trailing\r\ntransports tcp\r\nsend 5x512\nrecv 2560\n",
	 5, 2560, 2560, 0, 0, 0, 1, 1, 1},
	{"send forms and pause",
	 "experiment x\ntransports udp\nsend 1000\npause 10ms\nsend 3 x 64k\nsend 2 x64\nsend 2x 64\nrecv 1k\n",
	 8, 1000 + 3 * 65536 + 256, 1024, 0, 0, 0, 1, 1, 5},
	{"recv options", "experiment x\ntransports tcp\nsend 5 x 512\nrecv 2560 waitall after 1s every 2ms trunc rcvbuf 8k\n",
	 5, 2560, 2560, 1000000000, 0, SC_RECV_WAITALL | SC_RECV_TRUNC, 1, 1, 1},
	{"pace, repeat, sweep", "experiment x\ntransports tcp udp\nsend 5 x 512\npace 2ms\nrecv 2560\nrepeat 3\nsweep after 0 1ms 5ms\n",
	 5, 2560, 2560, 0, 2000000, 0, 3, 3, 1},
	{"netem sweep without a link line", "experiment x\ntransports udp\nsend 10 x 100\nrecv 100\nsweep loss 0% 5% 10%\n",
	 10, 1000, 100, 0, 0, 0, 1, 3, 1},
	{"no final newline", "experiment x\ntransports tcp\nsend 36\nrecv 1", 1, 36, 1, 0, 0, 0, 1, 1, 1},
};

START_TEST(valid)
{
	struct sc_experiment e;
	char err[256] = "";
	const char *n = good[_i].name;

	ck_assert_msg(sc_script_parse(good[_i].text, strlen(good[_i].text), "g.exp", &e, err, sizeof(err)) == 0,
		      "%s: %s", n, err);
	ck_assert_msg(sc_plan_msgs(&e.send) == good[_i].msgs, "%s: msgs", n);
	ck_assert_msg(sc_plan_bytes(&e.send) == good[_i].bytes, "%s: bytes %llu", n,
		      (unsigned long long)sc_plan_bytes(&e.send));
	ck_assert_msg(e.recv.size == good[_i].recv_size, "%s: recv size", n);
	ck_assert_msg(e.recv.after_ns == good[_i].after_ns, "%s: after", n);
	ck_assert_msg(e.send.pace_ns == good[_i].pace_ns, "%s: pace", n);
	ck_assert_msg(e.recv.flags == good[_i].flags, "%s: flags", n);
	ck_assert_msg(e.repeat == good[_i].repeat, "%s: repeat", n);
	ck_assert_msg(sc_experiment_points(&e) == good[_i].points, "%s: points", n);
	ck_assert_msg(e.send.nops == good[_i].nops, "%s: ops %zu", n, e.send.nops);
}
END_TEST

/* Invalid scripts: the exact prefix (file:line:) and a part of the message. */
#define HEAD "experiment x\ntransports tcp\n"
static const struct {
	const char *name, *text, *prefix, *part;
} bad[] = {
	{"unknown directive", "experiment x\nsned 5 x 512\n", "t.exp:2: ", "unknown directive 'sned'"},
	{"bad size", HEAD "send 5 x 51q\nrecv 2560\n", "t.exp:3: ", "bad send size '51q'"},
	{"bad count", HEAD "send 5q x 512\nrecv 2560\n", "t.exp:3: ", "send count '5q'"},
	{"count 0", HEAD "send 0 x 512\nrecv 2560\n", "t.exp:3: ", "send count '0'"},
	{"size below header", HEAD "send 5 x 20\nrecv 2560\n", "t.exp:3: ", "below the 36-byte minimum"},
	{"size above limit", HEAD "send 1 x 17M\nrecv 2560\n", "t.exp:3: ", "above the 16777216-byte limit"},
	{"bad duration", HEAD "send 5 x 512\nrecv 2560 after 50parsecs\n", "t.exp:4: ", "bad recv delay '50parsecs'"},
	{"duration without unit", HEAD "send 5 x 512\npace 5\nrecv 2560\n", "t.exp:4: ", "bad pace '5'"},
	{"duration over an hour", HEAD "send 5 x 512\npause 2h\nrecv 1\n", "t.exp:4: ", "pause"},
	{"unknown transport", "experiment x\ntransports tcp tpc\nsend 5 x 512\nrecv 1\n", "t.exp:2: ",
	 "unknown transport 'tpc'"},
	{"transport twice", "experiment x\ntransports tcp tcp\nsend 5 x 512\nrecv 1\n", "t.exp:2: ", "named twice"},
	{"missing recv", HEAD "send 5 x 512\n", "t.exp: ", "no 'recv' directive"},
	{"missing send", HEAD "recv 5\n", "t.exp: ", "no 'send' directive"},
	{"missing transports", "experiment x\nsend 5 x 512\nrecv 5\n", "t.exp: ", "no 'transports'"},
	{"missing experiment", "transports tcp\nsend 5 x 512\nrecv 5\n", "t.exp: ", "no 'experiment NAME'"},
	{"experiment twice", "experiment x\nexperiment y\n", "t.exp:2: ", "a second 'experiment'"},
	{"recv twice", HEAD "send 36\nrecv 1\nrecv 2\n", "t.exp:5: ", "a second 'recv'"},
	{"bad name", "experiment ../etc\n", "t.exp:1: ", "bad experiment name"},
	{"repeat 0", HEAD "send 36\nrecv 1\nrepeat 0\n", "t.exp:5: ", "bad repeat '0'"},
	{"recv junk", HEAD "send 36\nrecv 1 soon\n", "t.exp:4: ", "unexpected 'soon'"},
	{"sweep of unknown param", HEAD "send 36\nrecv 1\nsweep colour red\n", "t.exp:5: ", "cannot sweep 'colour'"},
	{"bad sweep value", HEAD "send 36\nrecv 1\n\nsweep after 1ms 2xs\n", "t.exp:6: ", "bad recv delay '2xs'"},
	{"bad netem sweep value", HEAD "send 36\nrecv 1\nsweep loss 5% 120%\n", "t.exp:5: ", "bad loss value '120%'"},
	{"link not netem", HEAD "send 36\nrecv 1\nlink lose 5%\n", "t.exp:5: ", "not a netem keyword"},
	{"end what", HEAD "send 36\nend slam\nrecv 1\n", "t.exp:4: ", "end takes 'close' or 'shutdown'"},
	{"long send word (fuzz_script)", HEAD "send 1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx512\nrecv 1\n",
	 "t.exp:3: ", "too long"},
	{"NUL byte", "experiment x\ntrans\0ports tcp\n", "t.exp:2: ", "NUL byte"},
};

START_TEST(invalid)
{
	struct sc_experiment e;
	char err[512] = "";
	size_t len = strlen(bad[_i].text);

	if (strcmp(bad[_i].name, "NUL byte") == 0)
		len = 28;
	ck_assert_msg(sc_script_parse(bad[_i].text, len, "t.exp", &e, err, sizeof(err)) == -EINVAL,
		      "%s: parsed", bad[_i].name);
	ck_assert_msg(strncmp(err, bad[_i].prefix, strlen(bad[_i].prefix)) == 0, "%s: '%s' does not start with '%s'",
		      bad[_i].name, err, bad[_i].prefix);
	ck_assert_msg(strstr(err, bad[_i].part) != NULL, "%s: '%s' does not say '%s'", bad[_i].name, err,
		      bad[_i].part);
	ck_assert_msg(strchr(err, '\n') == NULL, "%s: more than one line", bad[_i].name);
}
END_TEST

/* Lines of 999 characters are fine, 1000 are not (fuzz_script found the
 * boundary overflowing a copy buffer). */
START_TEST(line_length_limit)
{
	struct sc_experiment e;
	char text[1200], err[256];
	size_t n;

	for (int len = 998; len <= 1001; len++) {
		n = (size_t)snprintf(text, sizeof(text), "experiment x\ntransports tcp\nsend 36\nrecv 1\n#");
		memset(text + n, 'c', (size_t)len - 1);
		text[n + (size_t)len - 1] = '\n';
		n += (size_t)len;
		ck_assert_msg(sc_script_parse(text, n, "t.exp", &e, err, sizeof(err)) == (len < 1000 ? 0 : -EINVAL),
			      "line of %d: %s", len, err);
	}
}
END_TEST

START_TEST(sweep_points_apply)
{
	static const char t[] = "experiment x\ntransports udp\nsend 5 x 100\nsend 7 x 200\nrecv 100\n"
				"link delay 10ms loss 1%\nsweep loss 0% 20%\n";
	static const char u[] = "experiment x\ntransports udp\nsend 5 x 100\nsend 7 x 200\nrecv 100\nsweep size 64 1k\n";
	struct sc_experiment e, p;
	char err[256];

	ck_assert_int_eq(sc_script_parse(t, strlen(t), "t.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_experiment_at(&e, 1, &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.link, "delay 10ms loss 20%");
	ck_assert_str_eq(e.link, "delay 10ms loss 1%");
	ck_assert_int_eq(sc_experiment_at(&e, 2, &p, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(sc_script_parse(u, strlen(u), "u.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_experiment_at(&e, 1, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.send.ops[0].size, 1024);
	ck_assert_uint_eq(p.send.ops[1].size, 1024);
	ck_assert_uint_eq(sc_plan_bytes(&p.send), 12 * 1024);
}
END_TEST

START_TEST(command_line_args)
{
	struct sc_op op;
	struct sc_recv_plan r;
	char err[256];

	ck_assert_int_eq(sc_script_send_args("5 x 512", &op, err, sizeof(err)), 0);
	ck_assert_uint_eq(op.count * op.size, 2560);
	ck_assert_int_eq(sc_script_send_args("5 x 5", &op, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "36-byte minimum") && err[0] != ':', "%s", err);
	ck_assert_int_eq(sc_script_recv_args("2560 after 50ms waitall", &r, err, sizeof(err)), 0);
	ck_assert_int_eq(r.flags, SC_RECV_WAITALL);
}
END_TEST

START_TEST(load_missing_file)
{
	struct sc_experiment e;
	char err[256];

	ck_assert_int_eq(sc_script_load("/nonexistent/x.exp", &e, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "/nonexistent/x.exp: No such file or directory");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("script");

	tcase_add_test(tc, lecture_example);
	tcase_add_loop_test(tc, valid, 0, NELEM(good));
	tcase_add_loop_test(tc, invalid, 0, NELEM(bad));
	tcase_add_test(tc, line_length_limit);
	tcase_add_test(tc, sweep_points_apply);
	tcase_add_test(tc, command_line_args);
	tcase_add_test(tc, load_missing_file);
	suite_add_tcase(s, tc);
	return s;
}
