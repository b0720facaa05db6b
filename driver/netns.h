/* netns.h - two "hosts" for impaired-link runs: network namespaces A
 * (sender) and B (receiver) joined by a veth pair, netem on each side's
 * egress. Nothing outside these two namespaces is touched.
 *
 *   A: veth "sca" 198.18.0.1/24  <---->  B: veth "scb" 198.18.0.2/24
 *      egress netem = the link             egress netem = the reverse link
 *
 * Addresses come from 198.18.0.0/15 (RFC 2544 benchmarking) and exist
 * only inside the two namespaces. MTU 1500 and GSO limited to one segment,
 * so netem sees (and drops, delays, duplicates) real packets.
 *
 * The namespaces are anonymous: each is made by a holder process (a
 * `sleep infinity` started in a fresh namespace by the process runner) and
 * lives exactly as long as the holder and whatever runs inside. Nothing is
 * mounted (`ip netns add` makes a bind mount under /run/netns that outlives
 * every process, so a kill -9 of the driver used to leave it behind); the
 * holders die with the driver (PR_SET_PDEATHSIG, and the watchdog), the
 * programs in the namespaces too, and then the namespaces and the veth
 * pair are gone. Programs join a namespace through its file
 * /proc/HOLDER/ns/net; ip and tc run inside it. */
#ifndef SC_NETNS_H
#define SC_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spawn.h"

/* B's end of the veth pair (the receiving side's interface). */
#define SC_NETNS_DEV_B "scb"
#define SC_NETNS_ADDR_A "198.18.0.1"
#define SC_NETNS_ADDR_B "198.18.0.2"
#define SC_NETNS_ADDR6_A "2001:2::1"
#define SC_NETNS_ADDR6_B "2001:2::2"

struct sc_netns {
	char a[40], b[40];       /* the namespaces' files, /proc/PID/ns/net */
	struct sc_child hold[2]; /* their holders */
	bool up;
};

/* What a qdisc counted (tc -s qdisc show). */
struct sc_qstats {
	uint64_t sent_pkts, dropped, requeues;
};

/* The command lines, as argv arrays, that sc_netns_up runs in the two
 * namespaces, in order (pure; for the tests). pid_b is B's holder (ip's
 * "netns PID" puts the veth peer there). side[i] is 0 if command i runs in
 * A, 1 in B. Returns the number of commands written into cmds (each
 * NULL-terminated, words stored in store), or -ENOSPC. */
#define SC_NETNS_MAX_CMDS 24
#define SC_NETNS_MAX_WORDS 24
int sc_netns_plan(int pid_b, char *cmds[][SC_NETNS_MAX_WORDS], int side[], size_t max, char *store,
		  size_t storelen);

/* Creates both namespaces and the veth pair. Returns 0, or -errno with the
 * failing command's own message in err (everything made so far is
 * removed). */
int sc_netns_up(struct sc_netns *n, char *err, size_t errlen);

/* Sets netem on A's egress (fwd) and B's egress (rev); an empty string
 * removes the impairment on that side. Returns 0, or -EINVAL with tc's own
 * message in err when tc rejects the arguments, or -errno. */
int sc_netns_link(struct sc_netns *n, const char *fwd, const char *rev, char *err, size_t errlen);

/* Reads the root qdisc counters of A's (side 0) or B's (side 1) veth, as
 * JSON from tc -s -j. */
int sc_netns_qstats(const struct sc_netns *n, int side, struct sc_qstats *q);

/* Packets A's IP stacks handed down (Ip OutRequests + Ip6OutRequests):
 * with the qdisc's sent and dropped counts this gives the copies netem
 * made, which it does not count itself. */
int sc_netns_offered(const struct sc_netns *n, uint64_t *out);

/* Parses /proc/net/snmp + /proc/net/snmp6 text for the two counters
 * above (pure; for the tests). */
int sc_netns_parse_offered(const char *text, uint64_t *out);

/* Parses `tc -s qdisc show` output (pure; for the tests). */
int sc_netns_parse_qstats(const char *text, struct sc_qstats *q);

/* Parses `tc -s -j qdisc show` output, the root qdisc's packets, drops
 * and requeues, as sc_netns_qstats reads them (pure; for the tests).
 * Returns 0 or -EINVAL (no root qdisc with all three counters). */
int sc_netns_parse_qstats_json(const char *text, struct sc_qstats *q);

/* Ends the holders, so both namespaces and the veth pair go. */
void sc_netns_down(struct sc_netns *n);

/* Removes what older versions left behind: named namespaces
 * /run/netns/sc<PID>a and sc<PID>b whose PID is dead (with `ip netns
 * del`). Returns how many it removed. */
int sc_netns_sweep(void);

/* Runs argv (a path or a name found in /usr/sbin, /sbin, /usr/bin, /bin)
 * in the namespace file netns (NULL: ours), waits up to 10 s, captures up
 * to outlen bytes of its stdout+stderr into out. Returns its exit status,
 * or -errno if it could not run. */
int sc_cmd_in(const char *netns, char *const argv[], char *out, size_t outlen);

/* sc_cmd_in in our own namespace. */
int sc_cmd(char *const argv[], char *out, size_t outlen);

#endif
