/* netns.c - two anonymous namespaces, a veth pair and netem, through ip
 * and tc run inside them by the process runner. */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "netem.h"

#define DEV_A "sca"
#define DEV_B SC_NETNS_DEV_B
#define CMD_NS (10 * SC_NS_PER_S) /* one ip or tc command, at most */

/* Builds one command from a space-separated line into cmd. */
__attribute__((format(printf, 4, 5))) static int plan_cmd(char *cmd[SC_NETNS_MAX_WORDS], char **store,
						    size_t *left, const char *fmt, ...)
{
	char line[512], *save = NULL;
	va_list ap;
	int k = 0;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(w) + 1;

		if (len > *left || k >= SC_NETNS_MAX_WORDS - 1)
			return -ENOSPC;
		memcpy(*store, w, len);
		cmd[k++] = *store;
		*store += len;
		*left -= len;
	}
	cmd[k] = NULL;
	return 0;
}

#define MAC_A "02:53:43:00:00:0a"
#define MAC_B "02:53:43:00:00:0b"

int sc_netns_plan(int pid_b, char *cmds[][SC_NETNS_MAX_WORDS], int side[], size_t max, char *store,
		  size_t storelen)
{
	static const struct {
		int side;
		const char *line;
	} lines[] = {
		/* Fixed addresses and permanent neighbours: netem delays ARP
		 * like any packet, so under a long delay a neighbour that went
		 * stale could never be resolved again (it_uml_handshake, 12 s). */
		{0, "ip link add " DEV_A " address " MAC_A " type veth peer name " DEV_B " address " MAC_B
		    " netns %d"},
		{0, "ip link set lo up"},
		{1, "ip link set lo up"},
		/* One segment per packet, so netem impairs packets, not 64 KB
		 * GSO bursts; 1500 bytes as on a real Ethernet. */
		{0, "ip link set " DEV_A " mtu 1500 gso_max_segs 1"},
		{1, "ip link set " DEV_B " mtu 1500 gso_max_segs 1"},
		{0, "ip addr add " SC_NETNS_ADDR_A "/24 dev " DEV_A},
		{1, "ip addr add " SC_NETNS_ADDR_B "/24 dev " DEV_B},
		{0, "ip addr add " SC_NETNS_ADDR6_A "/64 dev " DEV_A " nodad"},
		{1, "ip addr add " SC_NETNS_ADDR6_B "/64 dev " DEV_B " nodad"},
		{0, "ip link set " DEV_A " up"},
		{1, "ip link set " DEV_B " up"},
		{0, "ip neigh replace " SC_NETNS_ADDR_B " lladdr " MAC_B " dev " DEV_A " nud permanent"},
		{1, "ip neigh replace " SC_NETNS_ADDR_A " lladdr " MAC_A " dev " DEV_B " nud permanent"},
	};
	size_t nl = sizeof(lines) / sizeof(lines[0]);

	if (nl > max)
		return -ENOSPC;
	for (size_t i = 0; i < nl; i++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
		if (plan_cmd(cmds[i], &store, &storelen, lines[i].line, pid_b) < 0)
			return -ENOSPC;
#pragma GCC diagnostic pop
		side[i] = lines[i].side;
	}
	return (int)nl;
}

/* Finds a program in the system directories. Returns 0 or -ENOENT. */
static int find_prog(const char *name, char *path, size_t len)
{
	static const char *const dirs[] = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};

	if (name[0] == '/') {
		snprintf(path, len, "%s", name);
		return access(path, X_OK) == 0 ? 0 : -ENOENT;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, len, "%s/%s", dirs[i], name);
		if (access(path, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

int sc_cmd_in(const char *netns, char *const argv[], char *out, size_t outlen)
{
	char path[256], *av[96];
	struct sc_child c;
	struct sc_spawn_opts o = {.argv = av, .netns = netns, .out = SC_STREAM_PIPE, .err = SC_STREAM_STDOUT};
	uint64_t until = sc_mono_ns() + CMD_NS;
	size_t used = 0, n = 0;
	int r;

	if (outlen)
		out[0] = '\0';
	while (argv[n] && n + 1 < sizeof(av) / sizeof(av[0]))
		n++;
	if (argv[n])
		return -E2BIG;
	if (find_prog(argv[0], path, sizeof(path)) < 0)
		return -ENOENT;
	av[0] = path;
	memcpy(av + 1, argv + 1, n * sizeof(*av)); /* with the NULL */
	r = sc_child_start(&c, &o);
	if (r < 0)
		return r;
	for (;;) {
		struct pollfd pf = {.fd = c.out_fd, .events = POLLIN};
		uint64_t now = sc_mono_ns();
		char junk[512];
		ssize_t k;

		if (now >= until)
			break;
		if (poll(&pf, 1, (int)((until - now) / SC_NS_PER_MS) + 1) <= 0)
			continue; /* EINTR or the deadline: looked at above */
		if (used + 1 < outlen)
			k = read(c.out_fd, out + used, outlen - used - 1);
		else
			k = read(c.out_fd, junk, sizeof(junk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		if (used + 1 < outlen) {
			used += (size_t)k;
			out[used] = '\0';
		}
	}
	if (sc_child_wait(&c, 1, until, NULL) < 0)
		sc_child_end(&c, 1, 0);
	return sc_child_code(&c);
}

int sc_cmd(char *const argv[], char *out, size_t outlen)
{
	return sc_cmd_in(NULL, argv, out, outlen);
}

/* Runs a command given as one line of words, in netns. */
__attribute__((format(printf, 4, 5))) static int run_line(const char *netns, char *out, size_t outlen,
							 const char *fmt, ...)
{
	char line[1024], store[1024], *argv[64], *save = NULL;
	size_t used = 0;
	va_list ap;
	int k = 0;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (char *w = strtok_r(line, " ", &save); w && k < 63; w = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(w) + 1;

		memcpy(store + used, w, len);
		argv[k++] = store + used;
		used += len;
	}
	argv[k] = NULL;
	return sc_cmd_in(netns, argv, out, outlen);
}

static void first_line(char *s)
{
	char *nl = strchr(s, '\n');

	if (nl)
		*nl = '\0';
}

/* Index of the last word of a command. */
static int k_last(char *const cmd[])
{
	int k = 0;

	while (cmd[k + 1])
		k++;
	return k;
}

/* Starts a holder: `sleep infinity` in a fresh network namespace. Returns
 * 0 or -errno with the reason in err. */
static int hold(struct sc_child *c, char *file, size_t filelen, char *err, size_t errlen)
{
	char sleep_path[64], inf[] = "infinity", *argv[] = {sleep_path, inf, NULL};
	struct sc_spawn_opts o = {.argv = argv, .new_netns = true, .group = true};
	int r = find_prog("sleep", sleep_path, sizeof(sleep_path));

	if (r == 0)
		r = sc_child_start(c, &o);
	if (r < 0) {
		snprintf(err, errlen, "cannot make a network namespace: %s%s", strerror(-r),
			 r == -EPERM ? " (needs CAP_SYS_ADMIN: run as root)" : "");
		return r;
	}
	snprintf(file, filelen, "/proc/%d/ns/net", (int)c->pid);
	return 0;
}

int sc_netns_up(struct sc_netns *n, char *err, size_t errlen)
{
	char *cmds[SC_NETNS_MAX_CMDS][SC_NETNS_MAX_WORDS], store[4096], out[512];
	int side[SC_NETNS_MAX_CMDS], k, r;

	memset(n, 0, sizeof(*n));
	r = hold(&n->hold[0], n->a, sizeof(n->a), err, errlen);
	if (r == 0)
		r = hold(&n->hold[1], n->b, sizeof(n->b), err, errlen);
	if (r < 0) {
		sc_child_end(n->hold, 2, 0);
		return r;
	}
	n->up = true;
	k = sc_netns_plan((int)n->hold[1].pid, cmds, side, SC_NETNS_MAX_CMDS, store, sizeof(store));
	if (k < 0) {
		sc_netns_down(n);
		return k;
	}
	for (int i = 0; i < k; i++) {
		r = sc_cmd_in(side[i] ? n->b : n->a, cmds[i], out, sizeof(out));
		if (r != 0 && strstr(cmds[i][k_last(cmds[i])], "nodad")) {
			/* A kernel without IPv6 (this UML's has none): the
			 * namespaces work for tcp and udp; tcp6 and udp6 will
			 * say they cannot reach the address. */
			continue;
		}
		if (r != 0) {
			char line[256] = "";
			size_t used = 0;

			first_line(out);
			for (int w = 0; cmds[i][w] && used + 1 < sizeof(line); w++)
				used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s", w ? " " : "",
							 cmds[i][w]);
			snprintf(err, errlen, "'%.200s' in namespace %c: %.200s", line, side[i] ? 'B' : 'A',
				 r == -ENOENT ? "not installed (Debian package iproute2)" : r < 0 ? strerror(-r) : out);
			sc_netns_down(n);
			return r < 0 ? r : -EPERM;
		}
	}
	return 0;
}

/* Replaces the root qdisc of one side: delete, then add afresh (a netem
 * "change" would keep earlier reorder/corrupt settings). */
static int set_side(const char *ns, const char *dev, const char *args, char *err, size_t errlen)
{
	char *argv[96], store[1024], out[512];
	int k, r;

	run_line(ns, out, sizeof(out), "tc qdisc del dev %s root", dev);
	if (!args || !*args)
		return 0;
	k = sc_netem_tc_argv(dev, args, argv, 90, store, sizeof(store));
	if (k < 0)
		return k;
	r = sc_cmd_in(ns, argv, out, sizeof(out));
	if (r == 0)
		return 0;
	first_line(out);
	snprintf(err, errlen, "tc rejected netem '%.200s': %.200s", args,
		 r == -ENOENT ? "tc is not installed (Debian package iproute2)" : r < 0 ? strerror(-r) : out);
	return -EINVAL;
}

int sc_netns_link(struct sc_netns *n, const char *fwd, const char *rev, char *err, size_t errlen)
{
	int r = set_side(n->a, DEV_A, fwd, err, errlen);

	return r < 0 ? r : set_side(n->b, DEV_B, rev, err, errlen);
}

int sc_netns_parse_qstats(const char *text, struct sc_qstats *q)
{
	const char *s = strstr(text, " Sent ");
	unsigned long long bytes, pkts, dropped, over, requeues;

	memset(q, 0, sizeof(*q));
	if (!s || sscanf(s, " Sent %llu bytes %llu pkt (dropped %llu, overlimits %llu requeues %llu)",
			 &bytes, &pkts, &dropped, &over, &requeues) != 5)
		return -EINVAL;
	q->sent_pkts = pkts;
	q->dropped = dropped;
	q->requeues = requeues;
	return 0;
}

/* Skips one JSON string at *p (at its opening quote); copies up to len - 1
 * of its bytes into buf (escapes kept as written: keys we look for have
 * none). Returns false on an unterminated string. */
static bool json_string(const char **p, char *buf, size_t len)
{
	size_t n = 0;

	for ((*p)++; **p && **p != '"'; (*p)++) {
		if (**p == '\\' && (*p)[1])
			(*p)++;
		if (n + 1 < len)
			buf[n++] = **p;
	}
	buf[n] = '\0';
	if (**p != '"')
		return false;
	(*p)++;
	return true;
}

int sc_netns_parse_qstats_json(const char *text, struct sc_qstats *q)
{
	/* Walks the array of qdiscs keeping the nesting depth: the counters
	 * are keys of a qdisc object itself (depth 2), never of the nested
	 * "options", and they count only in the qdisc with "root": true. */
	struct sc_qstats cur = {0};
	const char *p = text;
	int depth = 0, got = 0;
	bool root = false;
	char key[32] = "";

	memset(q, 0, sizeof(*q));
	while (*p) {
		if (*p == '"') {
			char str[32];

			if (!json_string(&p, str, sizeof(str)))
				return -EINVAL;
			while (*p == ' ' || *p == '\n' || *p == '\t')
				p++;
			if (*p == ':')
				snprintf(key, sizeof(key), "%s", str);
			continue;
		}
		if (*p == '{' || *p == '[') {
			if (++depth == 2 && *p == '{') {
				memset(&cur, 0, sizeof(cur));
				root = false;
				got = 0;
			}
		} else if (*p == '}' || *p == ']') {
			if (depth == 2 && *p == '}' && root && got == 3) {
				*q = cur;
				return 0;
			}
			depth--;
		} else if (depth == 2 && *p == ':') {
			const char *v = p + 1;
			char *end;
			unsigned long long n;

			while (*v == ' ')
				v++;
			if (!strcmp(key, "root")) {
				root = !strncmp(v, "true", 4);
			} else if (!strcmp(key, "packets") || !strcmp(key, "drops") || !strcmp(key, "requeues")) {
				n = strtoull(v, &end, 10);
				if (end == v)
					return -EINVAL;
				*(key[0] == 'p' ? &cur.sent_pkts : key[0] == 'd' ? &cur.dropped : &cur.requeues) = n;
				got++;
			}
		}
		p++;
	}
	return -EINVAL;
}

int sc_netns_qstats(const struct sc_netns *n, int side, struct sc_qstats *q)
{
	char out[4096];
	/* JSON (tc -j): named fields rather than a sentence's layout. */
	int r = run_line(side ? n->b : n->a, out, sizeof(out), "tc -s -j qdisc show dev %s", side ? DEV_B : DEV_A);

	if (r != 0)
		return r < 0 ? r : -EIO;
	return sc_netns_parse_qstats_json(out, q);
}

int sc_netns_parse_offered(const char *text, uint64_t *out)
{
	const char *hdr = strstr(text, "Ip: Forwarding"), *v6 = strstr(text, "Ip6OutRequests");
	unsigned long long val = 0, v6val = 0;
	int col = -1, k = 0;

	*out = 0;
	if (!hdr)
		return -EINVAL;
	/* "Ip: Forwarding DefaultTTL ... OutRequests ..." then a line of
	 * values in the same order. */
	for (const char *p = hdr + 4; *p && *p != '\n'; k++) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " \n");
		if (len == 11 && strncmp(p, "OutRequests", 11) == 0)
			col = k;
		p += len;
	}
	{
		const char *vals = strstr(hdr + 4, "Ip: ");

		if (col < 0 || !vals)
			return -EINVAL;
		vals += 4;
		for (k = 0; k < col && *vals && *vals != '\n'; k++)
			vals += strcspn(vals, " ") + 1;
		if (sscanf(vals, "%llu", &val) != 1)
			return -EINVAL;
	}
	if (v6)
		sscanf(v6 + 14, "%llu", &v6val);
	*out = val + v6val;
	return 0;
}

/* Appends the file /proc/PID/net/NAME (PID: a process in the namespace)
 * to text. Returns 0 or -errno. */
static int read_net(pid_t pid, const char *name, char *text, size_t len)
{
	char path[64];
	size_t used = strlen(text);
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/%d/net/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (used + 1 < len) {
		ssize_t k = read(fd, text + used, len - used - 1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? -errno : 0;
			break;
		}
		used += (size_t)k;
	}
	text[used] = '\0';
	close(fd);
	return r;
}

int sc_netns_offered(const struct sc_netns *n, uint64_t *out)
{
	char text[8192] = "";
	int r = read_net(n->hold[0].pid, "snmp", text, sizeof(text));

	if (r < 0)
		return r;
	/* snmp6 exists only where the kernel has IPv6. */
	read_net(n->hold[0].pid, "snmp6", text, sizeof(text));
	return sc_netns_parse_offered(text, out);
}

void sc_netns_down(struct sc_netns *n)
{
	sc_child_end(n->hold, 2, 0);
	n->up = false;
}

int sc_netns_sweep(void)
{
	DIR *d = opendir("/run/netns");
	struct dirent *de;
	char out[256];
	int n = 0;

	while (d && (de = readdir(d))) {
		const char *p = de->d_name;
		char *end;
		long pid;

		if (p[0] != 's' || p[1] != 'c' || p[2] < '1' || p[2] > '9')
			continue;
		pid = strtol(p + 2, &end, 10);
		if ((end[0] != 'a' && end[0] != 'b') || end[1] || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (run_line(NULL, out, sizeof(out), "ip netns del %s", p) == 0)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}
