/* test_script.c - experiment scripts: valid ones and what each parses to,
 * invalid ones and the exact "file:line:" prefix and message they get. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "script.h"
#include "unit.h"

/* The lecture's example, exactly as the experiments README shows it. */
static const char lecture[] = "experiment  boundaries\n"
			      "transports  tcp udp unix-stream unix-dgram unix-seqpacket\n"
			      "send        5 x 512\n"
			      "recv        2560 after 50ms\n";

START_TEST(lecture_example)
{
	static const char *const names[] = {"tcp", "udp", "unix-stream", "unix-dgram", "unix-seqpacket"};
	struct sc_experiment e;
	char err[256] = "";

	ck_assert_msg(sc_script_parse(lecture, strlen(lecture), "b.exp", &e, err, sizeof(err)) == 0, "%s",
		      err);
	ck_assert_str_eq(e.name, "boundaries");
	ck_assert_str_eq(e.file, "b.exp");
	ck_assert_uint_eq(e.ntransports, NELEM(names));
	for (size_t i = 0; i < NELEM(names); i++)
		ck_assert_str_eq(e.transports[i]->name, names[i]);
	ck_assert_uint_eq(e.send.nops, 1);
	ck_assert_int_eq(e.send.ops[0].kind, SC_OP_WRITE);
	ck_assert_uint_eq(e.send.ops[0].count, 5);
	ck_assert_uint_eq(e.send.ops[0].size, 512);
	ck_assert_int_eq(e.send.end, SC_END_CLOSE);
	ck_assert_uint_eq(e.recv.size, 2560);
	ck_assert_uint_eq(e.recv.after_ns, 50000000);
	ck_assert_uint_eq(e.repeat, 1);
	ck_assert_str_eq(e.link, "");
	ck_assert_uint_eq(sc_experiment_points(&e), 1);
	ck_assert_uint_eq(sc_plan_msgs(&e.send), 5);
	ck_assert_uint_eq(sc_plan_bytes(&e.send), 2560);
}
END_TEST

/* Valid scripts and what they parse to. */
#define HEAD "experiment x\ntransports tcp\n"
static const struct {
	const char *name, *text;
	uint64_t msgs, bytes, recv_size, after_ns, pace_ns;
	int flags;
	unsigned repeat;
	size_t points, nops;
	const char *title, *link;
} good[] = {
	{"lecture example", lecture, 5, 2560, 2560, 50000000, 0, 0, 1, 1, 1, "", ""},
	{"comments, blanks, tabs, CRLF",
	 "# a comment\n\n   \nexperiment\tx # trailing\r\ntransports tcp\r\nsend 5x512\nrecv 2560\n",
	 5, 2560, 2560, 0, 0, 0, 1, 1, 1, "", ""},
	{"send forms, pause first and between",
	 HEAD "pause 5ms\nsend 1000\npause 10ms\nsend 3 x 64k\nsend 2 x64\nsend 2x 64\nrecv 1k\n",
	 8, 1000 + 3 * 65536 + 256, 1024, 0, 0, 0, 1, 1, 6, "", ""},
	{"recv options in any order",
	 HEAD "send 5 x 512\nrecv 2560 waitall after 1s every 2ms trunc rcvbuf 8k\n",
	 5, 2560, 2560, 1000000000, 0, SC_RECV_WAITALL | SC_RECV_TRUNC, 1, 1, 1, "", ""},
	{"pace, repeat, sweep, end, sndbuf, timeout",
	 HEAD "send 5 x 512\npace 2ms\nend shutdown\nsndbuf 64k\nrecv 2560\nrepeat 3\n"
	      "timeout 5s\nsweep after 0 1ms 5ms\n",
	 5, 2560, 2560, 0, 2000000, 0, 3, 3, 1, "", ""},
	{"title keeps its words and inner blanks",
	 HEAD "title   Streams  merge; datagrams don't   # not this\nsend 44\nrecv 1\n",
	 1, 44, 1, 0, 0, 0, 1, 1, 1, "Streams  merge; datagrams don't", ""},
	{"link kept verbatim, trimmed",
	 HEAD "send 44\nrecv 1\nlink   loss 5%  delay 10ms \nlink-reverse delay 1ms\n",
	 1, 44, 1, 0, 0, 0, 1, 1, 1, "", "loss 5%  delay 10ms"},
	{"netem sweep without a link line",
	 "experiment x\ntransports udp\nsend 10 x 100\nrecv 100\nsweep loss 0% 5% 10%\n",
	 10, 1000, 100, 0, 0, 0, 1, 3, 1, "", ""},
	{"sweep before the directives it changes",
	 "experiment x\nsweep size 64 128\ntransports udp\nsend 10 x 100\nrecv 100\n",
	 10, 1000, 100, 0, 0, 0, 1, 2, 1, "", ""},
	{"limits exactly", HEAD "send 10000000 x 16M\nrecv 16M\nrepeat 1000\n",
	 10000000, 10000000ull * 16777216, 16777216, 0, 0, 0, 1000, 1, 1, "", ""},
	{"no final newline", HEAD "send 44\nrecv 1", 1, 44, 1, 0, 0, 0, 1, 1, 1, "", ""},
	{"udp at its limits", "experiment x\ntransports udp udp6\nsend 65507\nrecv 64k\n",
	 1, 65507, 65536, 0, 0, 0, 1, 1, 1, "", ""},
	{"udp6 at its limit", "experiment x\ntransports udp6 tcp\nsend 65527\nrecv 64k\n",
	 1, 65527, 65536, 0, 0, 0, 1, 1, 1, "", ""},
	{"big sends with udp, replaced by a size sweep",
	 "experiment x\ntransports udp\nsend 2 x 70000\nrecv 64k\nsweep size 1k 65507\n",
	 2, 140000, 65536, 0, 0, 0, 1, 2, 1, "", ""},
	{"UTF-8 title", HEAD "title Latenz \xe2\x89\xa5 5 ms, caf\xc3\xa9\nsend 44\nrecv 1\n",
	 1, 44, 1, 0, 0, 0, 1, 1, 1, "Latenz \xe2\x89\xa5 5 ms, caf\xc3\xa9", ""},
	{"timeout 100ms", HEAD "send 44\nrecv 1\ntimeout 100ms\n", 1, 44, 1, 0, 0, 0, 1, 1, 1, "", ""},
};

START_TEST(valid)
{
	struct sc_experiment e;
	char err[256] = "";
	const char *n = good[_i].name;

	ck_assert_msg(sc_script_parse(good[_i].text, strlen(good[_i].text), "g.exp", &e, err, sizeof(err)) ==
			      0, "%s: %s", n, err);
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
	ck_assert_msg(strcmp(e.title, good[_i].title) == 0, "%s: title '%s'", n, e.title);
	ck_assert_msg(strcmp(e.link, good[_i].link) == 0, "%s: link '%s'", n, e.link);
}
END_TEST

/* Invalid scripts: the exact prefix (file:line: or file: for the script as
 * a whole) and a part of the message. */
static const struct {
	const char *name, *text, *prefix, *part;
} bad[] = {
	{"unknown directive", "experiment x\nsned 5 x 512\n", "t.exp:2: ",
	 "unknown directive 'sned' (expected one of: experiment, title, transports, send, pause"},
	{"bad size", HEAD "send 5 x 51q\nrecv 2560\n", "t.exp:3: ",
	 "bad size '51q' for send (expected bytes, e.g. 512 or 64k)"},
	{"bad recv size", HEAD "send 5 x 512\nrecv 2k5\n", "t.exp:4: ", "bad size '2k5' for recv"},
	{"bad count", HEAD "send 5q x 512\nrecv 2560\n", "t.exp:3: ", "bad send count '5q'"},
	{"count 0", HEAD "send 0 x 512\nrecv 2560\n", "t.exp:3: ",
	 "send count 0 is out of range (from 1 to 10000000)"},
	{"count above the limit", HEAD "send 10000001 x 512\nrecv 2560\n", "t.exp:3: ", "10000000"},
	{"size below minimum", HEAD "send 5 x 20\nrecv 2560\n", "t.exp:3: ",
	 "send size 20 is below the 44-byte minimum (the sockcmp header)"},
	{"size above limit", HEAD "send 1 x 17M\nrecv 2560\n", "t.exp:3: ",
	 "send size 17M is above the 16777216-byte limit"},
	{"recv size 0", HEAD "send 44\nrecv 0\n", "t.exp:4: ", "recv size 0 is below the minimum of 1"},
	{"send without size", HEAD "send 5 x\nrecv 1\n", "t.exp:3: ", "send takes COUNT x SIZE or SIZE"},
	{"send too many words", HEAD "send 5 x 512 fast\nrecv 1\n", "t.exp:3: ", "usage: send"},
	{"bad duration", HEAD "send 5 x 512\nrecv 2560 after 50parsecs\n", "t.exp:4: ",
	 "bad duration '50parsecs' for recv after"},
	{"duration without unit", HEAD "send 5 x 512\npace 5\nrecv 2560\n", "t.exp:4: ",
	 "bad duration '5' for pace"},
	{"duration over an hour", HEAD "send 5 x 512\npause 3601s\nrecv 1\n", "t.exp:4: ",
	 "pause 3601s is above the 1h limit"},
	{"unknown transport", "experiment x\ntransports tcp tpc\nsend 5 x 512\nrecv 1\n", "t.exp:2: ",
	 "unknown transport 'tpc' (known: tcp tcp6 udp udp6 unix-stream unix-dgram unix-seqpacket)"},
	{"transport twice", "experiment x\ntransports tcp tcp\nsend 5 x 512\nrecv 1\n", "t.exp:2: ",
	 "named twice"},
	{"missing recv", HEAD "send 5 x 512\n", "t.exp: ", "no 'recv' directive"},
	{"missing send", HEAD "recv 5\n", "t.exp: ", "no 'send' directive"},
	{"only pauses", HEAD "pause 1ms\nrecv 5\n", "t.exp: ", "no 'send' directive"},
	{"missing transports", "experiment x\nsend 5 x 512\nrecv 5\n", "t.exp: ", "no 'transports'"},
	{"missing experiment", "transports tcp\nsend 5 x 512\nrecv 5\n", "t.exp: ", "no 'experiment NAME'"},
	{"empty file", "", "t.exp: ", "no 'experiment NAME'"},
	{"duplicate experiment directive", "experiment x\nexperiment y\n", "t.exp:2: ",
	 "a second 'experiment' directive (the first is on line 1)"},
	{"recv twice", HEAD "send 44\nrecv 1\nrecv 2\n", "t.exp:5: ", "a second 'recv'"},
	{"title twice", HEAD "title a\ntitle b\n", "t.exp:4: ", "a second 'title'"},
	{"repeat twice", HEAD "repeat 2\nrepeat 3\n", "t.exp:4: ", "a second 'repeat'"},
	{"link twice", HEAD "link loss 1%\nlink delay 1ms\n", "t.exp:4: ", "a second 'link'"},
	{"sweep twice", HEAD "sweep after 0\nsweep pace 0\n", "t.exp:4: ", "a second 'sweep'"},
	{"bad name", "experiment ../etc\n", "t.exp:1: ", "bad experiment name '../etc'"},
	{"name too long", "experiment "
			  "a123456789b123456789c123456789d123456789e123456789f123456789abcd\n",
	 "t.exp:1: ", "at most 63"},
	{"experiment without a name", "experiment\n", "t.exp:1: ", "usage: experiment NAME"},
	{"repeat 0", HEAD "send 44\nrecv 1\nrepeat 0\n", "t.exp:5: ",
	 "repeat 0 is out of range (from 1 to 1000)"},
	{"repeat above the limit", HEAD "send 44\nrecv 1\nrepeat 1001\n", "t.exp:5: ", "from 1 to 1000"},
	{"recv junk", HEAD "send 44\nrecv 1 soon\n", "t.exp:4: ", "unexpected 'soon'"},
	{"recv option twice", HEAD "send 44\nrecv 1 waitall waitall\n", "t.exp:4: ",
	 "'waitall' given twice"},
	{"recv after without duration", HEAD "send 44\nrecv 1 after\n", "t.exp:4: ",
	 "'after' in recv needs a duration"},
	{"sweep of unknown param", HEAD "send 44\nrecv 1\nsweep colour red\n", "t.exp:5: ",
	 "cannot sweep 'colour'"},
	{"sweep without values", HEAD "send 44\nrecv 1\nsweep size\n", "t.exp:5: ", "usage: sweep"},
	{"bad sweep value", HEAD "send 44\nrecv 1\n\nsweep after 1ms 2xs\n", "t.exp:6: ",
	 "bad duration '2xs' for recv after"},
	{"bad sweep value before a later error", HEAD "sweep size 64 20\nsned\n", "t.exp:3: ",
	 "send size 20 is below the 44-byte minimum"},
	{"bad netem sweep value", HEAD "send 44\nrecv 1\nsweep loss 5% 120%\n", "t.exp:5: ",
	 "bad loss value '120%'"},
	{"sweep value too long", HEAD "sweep size 1234567890123456789012345678901234\n", "t.exp:3: ",
	 "longer than 31 characters"},
	{"sweep making the link too long",
	 HEAD "send 44\nrecv 1\nsweep delay 10ms\nlink loss 0."
	      "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	      "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	      "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	      "00000" "1%\n", /* 254 characters: fits, but not with " delay 10ms" */
	 "t.exp:5: ", "longer than 255 characters"},
	{"link not netem", HEAD "send 44\nrecv 1\nlink lose 5%\n", "t.exp:5: ",
	 "link: 'lose' is not a netem keyword"},
	{"end what", HEAD "send 44\nend slam\nrecv 1\n", "t.exp:4: ", "end takes 'close' or 'shutdown'"},
	{"timeout 0", HEAD "send 44\nrecv 1\ntimeout 0\n", "t.exp:5: ",
	 "timeout 0 is below the 100ms minimum"},
	{"timeout 1ns", HEAD "send 44\nrecv 1\ntimeout 1ns\n", "t.exp:5: ",
	 "timeout 1ns is below the 100ms minimum (a trial needs time to start its two programs)"},
	{"timeout 99ms", HEAD "send 44\nrecv 1\ntimeout 99ms\n", "t.exp:5: ", "below the 100ms minimum"},
	/* Issue 7 #14: limits known before running. */
	{"udp message above 65507", "experiment x\ntransports tcp udp\nsend 10 x 70000\nrecv 1\n",
	 "t.exp:3: ", "send size 70000 is above udp's limit of 65507 bytes per message (the most one "
		      "UDP datagram carries over IPv4: 65535 - 8 (UDP) - 20 (IP)), and line 2 names udp"},
	{"udp message 65508", "experiment x\ntransports udp\nsend 100\nsend 2 x 65508\nrecv 1\n",
	 "t.exp:4: ", "send size 65508 is above udp's limit of 65507"},
	{"udp6 message 65528", "experiment x\ntransports\tudp6\nsend 65528\nrecv 1\n", "t.exp:3: ",
	 "send size 65528 is above udp6's limit of 65527 bytes per message (the most one UDP "
	 "datagram carries over IPv6: 65535 - 8 (UDP)), and line 2 names udp6"},
	{"udp sweep size above 65507", "experiment x\ntransports udp\nsend 10 x 100\nrecv 1\n"
				       "sweep size 1k 65507 65508\n",
	 "t.exp:5: ", "sweep size 65508 is above udp's limit of 65507"},
	{"udp sweep before its transports", "experiment x\nsweep size 70000\ntransports tcp udp\n"
					    "send 10 x 100\nrecv 1\n",
	 "t.exp:2: ", "sweep size 70000 is above udp's limit"},
	{"control character", "experiment x\ntitle \033[31mred\n", "t.exp:2: ",
	 "a control character '\\x1b' at column 7 (is this a text file?)"},
	{"control character in a comment", "experiment x # \033]0;pwn\007\n", "t.exp:1: ",
	 "a control character '\\x1b' at column 16"},
	{"DEL", "experiment x\x7f\n", "t.exp:1: ", "a control character '\\x7f'"},
	{"C1 control as UTF-8", "experiment x\ntitle \xc2\x9b""31m\n", "t.exp:2: ",
	 "a byte that is not UTF-8 text '\\xc2' at column 7"},
	{"not UTF-8", "experiment x\ntitle caf\xe9\n", "t.exp:2: ",
	 "a byte that is not UTF-8 text '\\xe9' at column 10"},
	{"link missing a value", HEAD "send 44\nrecv 1\nlink loss 5% delay\n", "t.exp:5: ",
	 "link: delay needs a value (a time such as 10ms)"},
	{"link-reverse bad value", HEAD "send 44\nrecv 1\nlink-reverse delay 5\n", "t.exp:5: ",
	 "link-reverse: bad value '5' after delay"},
	{"sweep point making the link invalid",
	 HEAD "send 44\nrecv 1\nlink delay 10ms reorder 25%\nsweep delay 5ms 0ms\n", "t.exp:6: ",
	 "with delay 0ms the link is 'reorder 25% delay 0ms': reorder needs a delay above 0"},
	{"too many transports", "experiment x\ntransports tcp tcp6 udp udp6 unix-stream unix-dgram "
				"unix-seqpacket tcp tcp\n",
	 "t.exp:2: ", "at most 8 transports"},
	{"long send word", HEAD "send 1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx512\nrecv 1\n",
	 "t.exp:3: ", "bad size"},
	{"NUL byte", "experiment x\ntrans\0ports tcp\n", "t.exp:2: ", "NUL byte"},
};

START_TEST(invalid)
{
	struct sc_experiment e;
	char err[512] = "";
	const char *n = bad[_i].name;
	/* The NUL case's text goes on past its NUL: give its full length. */
	size_t len = strcmp(n, "NUL byte") == 0 ? 28 : strlen(bad[_i].text);

	ck_assert_msg(sc_script_parse(bad[_i].text, len, "t.exp", &e, err, sizeof(err)) == -EINVAL,
		      "%s: parsed", n);
	ck_assert_msg(strncmp(err, bad[_i].prefix, strlen(bad[_i].prefix)) == 0,
		      "%s: '%s' does not start with '%s'", n, err, bad[_i].prefix);
	ck_assert_msg(strstr(err, bad[_i].part) != NULL, "%s: '%s' does not say '%s'", n, err, bad[_i].part);
	ck_assert_msg(strchr(err, '\n') == NULL, "%s: more than one line", n);
}
END_TEST

/* Lines of 999 characters are fine, 1000 are not (fuzz_script found the
 * boundary overflowing a copy buffer once). */
START_TEST(line_length_limit)
{
	struct sc_experiment e;
	char text[1200], err[256] = "";
	int len = 998 + _i;
	size_t n = (size_t)snprintf(text, sizeof(text), "experiment x\ntransports tcp\nsend 44\nrecv 1\n#");
	int r;

	memset(text + n, 'c', (size_t)len - 1);
	text[n + (size_t)len - 1] = '\n';
	n += (size_t)len;
	r = sc_script_parse(text, n, "t.exp", &e, err, sizeof(err));
	ck_assert_msg(r == (len < 1000 ? 0 : -EINVAL), "line of %d: %d %s", len, r, err);
	if (r < 0)
		ck_assert_msg(strcmp(err, "t.exp:5: line longer than 999 characters") == 0, "line of %d: %s",
			      len, err);
}
END_TEST

START_TEST(sweep_points_apply)
{
	static const char t[] = "experiment x\ntransports udp\nsend 5 x 100\npause 1ms\nsend 7 x 200\n"
				"recv 100\nlink delay 10ms loss 1%\nsweep loss 0% 20%\n";
	static const char u[] = "experiment x\ntransports udp\nsend 5 x 100\nsend 7 x 200\nrecv 100\n"
				"sweep size 64 1k\n";
	static const char v[] = "experiment x\ntransports udp\nsend 5 x 100\nrecv 100 rcvbuf 4k\n"
				"sweep rcvbuf 8k 16k\n";
	struct sc_experiment e, p;
	char err[256] = "";

	ck_assert_int_eq(sc_script_parse(t, strlen(t), "t.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_experiment_at(&e, 1, &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.link, "delay 10ms loss 20%");
	ck_assert_str_eq(e.link, "delay 10ms loss 1%");
	ck_assert_uint_eq(p.send.ops[1].ns, 1000000); /* the pause is left alone */
	ck_assert_int_eq(sc_experiment_at(&e, 2, &p, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strncmp(err, "t.exp:8: no sweep point 3", 25) == 0, "%s", err);

	ck_assert_int_eq(sc_script_parse(u, strlen(u), "u.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_experiment_at(&e, 1, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.send.ops[0].size, 1024);
	ck_assert_uint_eq(p.send.ops[1].size, 1024);
	ck_assert_uint_eq(sc_plan_bytes(&p.send), 12 * 1024);

	ck_assert_int_eq(sc_script_parse(v, strlen(v), "v.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_experiment_at(&e, 0, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.recv.rcvbuf, 8192);
	ck_assert_uint_eq(e.recv.rcvbuf, 4096);
}
END_TEST

/* Without a sweep there is one point: the experiment itself. */
START_TEST(no_sweep_one_point)
{
	struct sc_experiment e, p;
	char err[256] = "";

	ck_assert_int_eq(sc_script_parse(lecture, strlen(lecture), "b.exp", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(sc_experiment_at(&e, 0, &p, err, sizeof(err)), 0);
	ck_assert_int_eq(memcmp(&e, &p, sizeof(e)), 0);
}
END_TEST

static const struct {
	const char *args;
	int want;
	uint64_t count, size;
	const char *part; /* of the message, on failure */
} send_args[] = {
	{"5 x 512", 0, 5, 512, NULL},   {"5x512", 0, 5, 512, NULL},   {"1000", 0, 1, 1000, NULL},
	{" 3 x64k ", 0, 3, 65536, NULL}, {"5 x 5", -EINVAL, 0, 0, "44-byte minimum"},
	{"", -EINVAL, 0, 0, "expected COUNT x SIZE"}, {"1 2 3 4", -EINVAL, 0, 0, "more than 3 words"},
	{"x512", -EINVAL, 0, 0, "bad size 'x512'"},
};

START_TEST(command_line_send)
{
	struct sc_op op;
	char err[256] = "";
	int r = sc_script_send_args(send_args[_i].args, &op, err, sizeof(err));

	ck_assert_msg(r == send_args[_i].want, "'%s': %d (%s)", send_args[_i].args, r, err);
	if (r == 0) {
		ck_assert_msg(op.count == send_args[_i].count && op.size == send_args[_i].size,
			      "'%s': %llu x %llu", send_args[_i].args, (unsigned long long)op.count,
			      (unsigned long long)op.size);
		return;
	}
	ck_assert_msg(strstr(err, send_args[_i].part) && err[0] != ':', "'%s': '%s'", send_args[_i].args,
		      err);
}
END_TEST

START_TEST(command_line_recv)
{
	struct sc_recv_plan r;
	char err[256] = "", many[600];

	ck_assert_int_eq(sc_script_recv_args("2560 after 50ms waitall", &r, err, sizeof(err)), 0);
	ck_assert_int_eq(r.flags, SC_RECV_WAITALL);
	ck_assert_uint_eq(r.after_ns, 50000000);
	ck_assert_int_eq(sc_script_recv_args("2560 later", &r, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "unexpected 'later' in recv (expected after D, every D, waitall, trunc, "
			      "rcvbuf SIZE)");
	ck_assert_int_eq(sc_script_recv_args("1 soon\nlater", &r, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "unexpected 'soon\\nlater' in recv (expected after D, every D, waitall, "
			      "trunc, rcvbuf SIZE)");
	memset(many, ' ', sizeof(many) - 1);
	many[0] = '1';
	many[sizeof(many) - 1] = '\0';
	ck_assert_int_eq(sc_script_recv_args(many, &r, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "longer than") != NULL, "%s", err);
}
END_TEST

#define SPACES60 "                                                            "

/* The command line's overrides: applied before the whole is checked, and
 * their errors named after the option. NULL part = accepted. */
static const struct {
	const char *name, *text;
	struct sc_script_override o;
	const char *part;
	size_t ntransports;
	const char *link;
} overrides[] = {
	{"transports replaced", lecture, {.transports = "tcp6,udp6"}, NULL, 2, ""},
	{"blanks between names", lecture, {.transports = " tcp , udp "}, NULL, 2, ""},
	{"transport named twice", lecture, {.transports = "tcp,tcp"}, "--transports: transport 'tcp' named twice", 0, NULL},
	{"unknown transport", lecture, {.transports = "tcp,bogus"}, "--transports: unknown transport 'bogus' (known: tcp", 0, NULL},
	{"no transport", lecture, {.transports = ""}, "--transports: name at least one transport", 0, NULL},
	{"only commas", lecture, {.transports = ",,"}, "--transports: name at least one transport", 0, NULL},
	{"nine transports", lecture, {.transports = "tcp,tcp6,udp,udp6,unix-stream,unix-dgram,unix-seqpacket,tcp,tcp"},
	 "--transports: at most 8 transports", 0, NULL},
	{"udp dropped by --transports", "experiment x\ntransports tcp udp\nsend 10 x 70000\nrecv 1\n",
	 {.transports = "tcp"}, NULL, 1, ""},
	{"udp brought in by --transports", "experiment x\ntransports tcp\nsend 10 x 70000\nrecv 1\n",
	 {.transports = "tcp,udp"}, "o.exp:3: send size 70000 is above udp's limit of 65507 bytes per message "
				    "(the most one UDP datagram carries over IPv4: 65535 - 8 (UDP) - 20 (IP)), and "
				    "--transports names udp", 0, NULL},
	{"link replaced", "experiment x\ntransports udp\nsend 44\nrecv 1\nlink delay 1ms\n",
	 {.link = "loss 5%"}, NULL, 1, "loss 5%"},
	{"link removed", "experiment x\ntransports udp\nsend 44\nrecv 1\nlink delay 1ms\n",
	 {.link = ""}, NULL, 1, ""},
	{"link missing a value", lecture, {.link = "loss 5% delay"},
	 "--link: delay needs a value (a time such as 10ms)", 0, NULL},
	{"link not netem", lecture, {.link = "banana"}, "--link: 'banana' is not a netem keyword", 0, NULL},
	{"link-reverse bad", lecture, {.link_reverse = "delay 10"}, "--link-reverse: bad value '10' after delay", 0, NULL},
	{"link too long", lecture, {.link = "loss 1%" SPACES60 SPACES60 SPACES60 SPACES60 SPACES60},
	 "--link: at most 255 characters", 0, NULL},
	{"--link against the script's sweep", "experiment x\ntransports udp\nsend 44\nrecv 1\n"
					      "link delay 10ms\nsweep reorder 0% 10%\n",
	 {.link = "loss 5%"}, "o.exp:6: with reorder 10% the link is 'loss 5% reorder 10%': reorder needs a "
			      "delay above 0", 0, NULL},
	{"escape sequence in --transports", lecture, {.transports = "tcp,\033[2J"},
	 "--transports: unknown transport '\\x1b[2J'", 0, NULL},
};

START_TEST(override)
{
	struct sc_experiment e;
	char err[600] = "";
	const char *n = overrides[_i].name;
	int r = sc_script_parse_with(overrides[_i].text, strlen(overrides[_i].text), "o.exp", &overrides[_i].o,
				     &e, err, sizeof(err));

	if (!overrides[_i].part) {
		ck_assert_msg(r == 0, "%s: %s", n, err);
		ck_assert_msg(e.ntransports == overrides[_i].ntransports, "%s: %zu transports", n, e.ntransports);
		ck_assert_msg(strcmp(e.link, overrides[_i].link) == 0, "%s: link '%s'", n, e.link);
		if (overrides[_i].o.transports)
			ck_assert_msg(e.transports_line == 0, "%s: transports_line %d", n, e.transports_line);
		if (overrides[_i].o.link)
			ck_assert_msg(e.link_line == 0, "%s: link_line %d", n, e.link_line);
		return;
	}
	ck_assert_msg(r == -EINVAL, "%s: accepted", n);
	ck_assert_msg(strncmp(err, overrides[_i].part, strlen(overrides[_i].part)) == 0,
		      "%s: '%s' does not start with '%s'", n, err, overrides[_i].part);
}
END_TEST

/* A FIFO, a directory or a device is refused at once: no read waits for
 * a writer that never comes (the test's timeout would catch a hang). */
START_TEST(load_not_regular)
{
	static const struct {
		const char *path, *part;
	} cases[] = {
		{NULL, "a FIFO, not a regular file"},
		{"/tmp", "/tmp: a directory, not an experiment script"},
		{"/dev/null", "/dev/null: not a regular file"},
		{"/dev/zero", "/dev/zero: not a regular file"},
	};
	char dir[] = "/tmp/test_script-XXXXXX", fifo[64], err[256];
	struct sc_experiment e;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	for (size_t i = 0; i < NELEM(cases); i++) {
		const char *path = cases[i].path ? cases[i].path : fifo;

		err[0] = '\0';
		ck_assert_msg(sc_script_load(path, &e, err, sizeof(err)) == -EINVAL, "%s: accepted", path);
		ck_assert_msg(strstr(err, cases[i].part) != NULL, "%s: '%s'", path, err);
	}
	unlink(fifo);
	rmdir(dir);
}
END_TEST

START_TEST(load_files)
{
	struct sc_experiment e;
	char err[256] = "", path[] = "/tmp/test_script-XXXXXX";
	int fd = mkstemp(path);
	char *big = calloc(1, 1024 * 1024 + 1);

	ck_assert_int_eq(sc_script_load("/nonexistent/x.exp", &e, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "/nonexistent/x.exp: No such file or directory");
	ck_assert_int_eq(sc_script_load("/nonexistent/x.exp", &e, NULL, 0), -ENOENT);

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(write(fd, lecture, strlen(lecture)), (int)strlen(lecture));
	ck_assert_msg(sc_script_load(path, &e, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(e.name, "boundaries");
	ck_assert_str_eq(e.file, path);

	/* Exactly 1 MiB of comment passes the size check; one byte more does not. */
	memset(big, '#', 1024 * 1024);
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	ck_assert_int_eq(pwrite(fd, big, 1024 * 1024 + 1, 0), 1024 * 1024 + 1);
	ck_assert_int_eq(sc_script_load(path, &e, err, sizeof(err)), -EFBIG);
	ck_assert_msg(strstr(err, "larger than 1 MiB") != NULL, "%s", err);
	ck_assert_int_eq(ftruncate(fd, 1024 * 1024), 0);
	ck_assert_int_eq(sc_script_load(path, &e, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "line longer than") != NULL, "%s", err);
	close(fd);
	unlink(path);
	free(big);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("script");

	tcase_add_test(tc, lecture_example);
	tcase_add_loop_test(tc, valid, 0, NELEM(good));
	tcase_add_loop_test(tc, invalid, 0, NELEM(bad));
	tcase_add_loop_test(tc, line_length_limit, 0, 4);
	tcase_add_test(tc, sweep_points_apply);
	tcase_add_test(tc, no_sweep_one_point);
	tcase_add_loop_test(tc, command_line_send, 0, NELEM(send_args));
	tcase_add_test(tc, command_line_recv);
	tcase_add_test(tc, load_files);
	tcase_add_loop_test(tc, override, 0, NELEM(overrides));
	tcase_add_test(tc, load_not_regular);
	suite_add_tcase(s, tc);
	return s;
}
