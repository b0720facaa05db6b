/* test_netns.c - the ip/tc command lines that set up two namespaces and
 * the parsers of the counters read back, on fixed text (no netem needed). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netns.h"
#include "unit.h"

/* Joins the words of a command with single blanks. */
static void joined(char *const cmd[], char *line, size_t len)
{
	size_t used = 0;

	line[0] = '\0';
	for (int w = 0; cmd[w] && used + 1 < len; w++)
		used += (size_t)snprintf(line + used, len - used, "%s%s", w ? " " : "", cmd[w]);
}

/* The plan's properties, not its text: nothing named or mounted (no
 * "ip netns"), the veth peer sent to B's holder by PID, every command about
 * A's device run in A and about B's in B, each side's address on its own
 * device, and both devices brought up after they got their addresses. */
START_TEST(plan)
{
	char *cmds[SC_NETNS_MAX_CMDS][SC_NETNS_MAX_WORDS], store[4096], line[256];
	int side[SC_NETNS_MAX_CMDS], k, peer = 0, addr[2] = {-1, -1}, up[2] = {-1, -1};

	k = sc_netns_plan(4242, cmds, side, SC_NETNS_MAX_CMDS, store, sizeof(store));
	ck_assert_int_gt(k, 0);
	for (int i = 0; i < k; i++) {
		joined(cmds[i], line, sizeof(line));
		ck_assert_msg(strcmp(cmds[i][0], "ip") == 0, "command %d: '%s' is not ip", i, line);
		ck_assert_msg(!strstr(line, "netns add") && !strstr(line, "netns exec") && !strstr(line, " -n "),
			      "command %d: '%s' uses a named namespace", i, line);
		if (strstr(line, "peer name scb ") && strstr(line, " netns 4242")) {
			peer++;
			ck_assert_msg(side[i] == 0, "the veth pair is made in B");
			continue;
		}
		ck_assert_msg(!strstr(line, "sca") || side[i] == 0, "command %d: '%s' runs in B", i, line);
		ck_assert_msg(!strstr(line, "scb") || side[i] == 1, "command %d: '%s' runs in A", i, line);
		if (strstr(line, "addr add 198.18.0.1/24 dev sca"))
			addr[0] = i;
		if (strstr(line, "addr add 198.18.0.2/24 dev scb"))
			addr[1] = i;
		if (strstr(line, "link set sca up"))
			up[0] = i;
		if (strstr(line, "link set scb up"))
			up[1] = i;
	}
	ck_assert_int_eq(peer, 1);
	for (int s = 0; s < 2; s++)
		ck_assert_msg(addr[s] >= 0 && up[s] > addr[s], "side %d: address at %d, up at %d", s, addr[s], up[s]);
	ck_assert_int_eq(sc_netns_plan(4242, cmds, side, 3, store, sizeof(store)), -ENOSPC);
	ck_assert_int_eq(sc_netns_plan(4242, cmds, side, SC_NETNS_MAX_CMDS, store, 40), -ENOSPC);
}
END_TEST

static const struct {
	const char *name, *text;
	int r;
	unsigned long long sent, dropped;
} qs[] = {
	{"netem", "qdisc netem 8001: root refcnt 2 limit 1000 loss 10%\n Sent 123456 bytes 2048 pkt (dropped 205, "
		  "overlimits 0 requeues 3) \n backlog 0b 0p requeues 3\n", 0, 2048, 205},
	{"noqueue", "qdisc noqueue 0: root refcnt 2 \n Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n", 0, 0, 0},
	{"no stats", "qdisc netem 8001: root refcnt 2 limit 1000\n", -EINVAL, 0, 0},
	{"garbage", "Error: Cannot find device \"sca\"\n", -EINVAL, 0, 0},
};

START_TEST(qstats)
{
	struct sc_qstats q;
	int r = sc_netns_parse_qstats(qs[_i].text, &q);

	ck_assert_msg(r == qs[_i].r, "%s: %d", qs[_i].name, r);
	if (r == 0)
		ck_assert_msg(q.sent_pkts == qs[_i].sent && q.dropped == qs[_i].dropped, "%s: sent %llu dropped %llu",
			      qs[_i].name, (unsigned long long)q.sent_pkts, (unsigned long long)q.dropped);
}
END_TEST

START_TEST(offered)
{
	static const char v4[] =
		"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos "
		"InDiscards InDelivers OutRequests OutDiscards OutNoRoutes\n"
		"Ip: 1 64 5000 0 0 0 0 0 5000 4321 0 0\n"
		"Icmp: InMsgs InErrors\nIcmp: 0 0\n";
	static const char v6[] = "Ip6InReceives                   \t10\nIp6OutRequests                  \t7\n";
	char both[1024];
	uint64_t n;

	ck_assert_int_eq(sc_netns_parse_offered(v4, &n), 0);
	ck_assert_uint_eq(n, 4321);
	snprintf(both, sizeof(both), "%s%s", v4, v6);
	ck_assert_int_eq(sc_netns_parse_offered(both, &n), 0);
	ck_assert_uint_eq(n, 4328);
	ck_assert_int_eq(sc_netns_parse_offered("nothing here", &n), -EINVAL);
}
END_TEST

/* issue 10 §7: the counters from tc -s -j, by name. */
static const struct {
	const char *name, *text;
	int r;
	unsigned long long sent, dropped, requeues;
} qj[] = {
	{"netem", "[{\"kind\":\"netem\",\"handle\":\"8001:\",\"root\":true,\"refcnt\":2,\"options\":{\"limit\":1000,"
		  "\"loss-random\":{\"loss\":0.1,\"correlation\":0},\"ecn\":false,\"gap\":0},\"bytes\":123456,"
		  "\"packets\":2048,\"drops\":205,\"overlimits\":0,\"requeues\":3,\"backlog\":0,\"qlen\":0}]\n",
	 0, 2048, 205, 3},
	/* a nested "packets" (netem's slot) is not the qdisc's */
	{"nested", "[{\"kind\":\"netem\",\"root\":true,\"options\":{\"slot\":{\"packets\":7,\"drops\":9}},"
		   "\"packets\":10,\"drops\":1,\"requeues\":0}]", 0, 10, 1, 0},
	/* the root qdisc, not a child listed first */
	{"child first", "[{\"kind\":\"pfifo\",\"parent\":\"1:\",\"packets\":99,\"drops\":99,\"requeues\":99},"
			"{\"kind\":\"netem\",\"root\":true,\"packets\":5,\"drops\":2,\"requeues\":1}]", 0, 5, 2, 1},
	{"noqueue", "[{\"kind\":\"noqueue\",\"handle\":\"0:\",\"root\":true,\"refcnt\":2,\"options\":{},\"bytes\":0,"
		    "\"packets\":0,\"drops\":0,\"overlimits\":0,\"requeues\":0,\"backlog\":0,\"qlen\":0}]", 0, 0, 0, 0},
	{"no stats", "[{\"kind\":\"netem\",\"root\":true,\"options\":{\"limit\":1000}}]", -EINVAL, 0, 0, 0},
	{"empty", "[]", -EINVAL, 0, 0, 0},
	{"garbage", "Error: Cannot find device \"sca\"\n", -EINVAL, 0, 0, 0},
	{"cut", "[{\"kind\":\"netem\",\"root\":true,\"packets\":5,\"drops\":2,\"requeues\":1", -EINVAL, 0, 0, 0},
};

START_TEST(qstats_json)
{
	struct sc_qstats q;
	int r = sc_netns_parse_qstats_json(qj[_i].text, &q);

	ck_assert_msg(r == qj[_i].r, "%s: %d", qj[_i].name, r);
	if (r == 0)
		ck_assert_msg(q.sent_pkts == qj[_i].sent && q.dropped == qj[_i].dropped && q.requeues == qj[_i].requeues,
			      "%s: sent %llu dropped %llu requeues %llu", qj[_i].name, (unsigned long long)q.sent_pkts,
			      (unsigned long long)q.dropped, (unsigned long long)q.requeues);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("netns");
	TCase *tc = tcase_create("netns");

	tcase_add_test(tc, plan);
	tcase_add_loop_test(tc, qstats, 0, NELEM(qs));
	tcase_add_loop_test(tc, qstats_json, 0, NELEM(qj));
	tcase_add_test(tc, offered);
	suite_add_tcase(s, tc);
	return s;
}
