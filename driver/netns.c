/* netns.c - two namespaces, a veth pair and netem, through ip and tc. */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "netem.h"

#define DEV_A "sca"
#define DEV_B "scb"

void sc_netns_name(struct sc_netns *n, int pid)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->a, sizeof(n->a), "sc%da", pid);
	snprintf(n->b, sizeof(n->b), "sc%db", pid);
}

/* Builds one command from a space-separated line into cmds[i]. */
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

int sc_netns_plan(const struct sc_netns *n, char *cmds[][SC_NETNS_MAX_WORDS], size_t max,
		  char *store, size_t storelen)
{
	static const char *const lines[] = {
		"ip netns add %1$s",
		"ip netns add %2$s",
		"ip link add " DEV_A " netns %1$s type veth peer name " DEV_B " netns %2$s",
		"ip -n %1$s link set lo up",
		"ip -n %2$s link set lo up",
		/* One segment per packet, so netem impairs packets, not 64 KB
		 * GSO bursts; 1500 bytes as on a real Ethernet. */
		"ip -n %1$s link set " DEV_A " mtu 1500 gso_max_segs 1",
		"ip -n %2$s link set " DEV_B " mtu 1500 gso_max_segs 1",
		"ip -n %1$s addr add " SC_NETNS_ADDR_A "/24 dev " DEV_A,
		"ip -n %2$s addr add " SC_NETNS_ADDR_B "/24 dev " DEV_B,
		"ip -n %1$s addr add " SC_NETNS_ADDR6_A "/64 dev " DEV_A " nodad",
		"ip -n %2$s addr add " SC_NETNS_ADDR6_B "/64 dev " DEV_B " nodad",
		"ip -n %1$s link set " DEV_A " up",
		"ip -n %2$s link set " DEV_B " up",
	};
	size_t nl = sizeof(lines) / sizeof(lines[0]);

	if (nl > max)
		return -ENOSPC;
	for (size_t i = 0; i < nl; i++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
		if (plan_cmd(cmds[i], &store, &storelen, lines[i], n->a, n->b) < 0)
			return -ENOSPC;
#pragma GCC diagnostic pop
	}
	return (int)nl;
}

int sc_cmd(char *const argv[], char *out, size_t outlen)
{
	static const char *const dirs[] = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};
	char path[256] = "";
	int p[2], st;
	size_t used = 0;
	pid_t pid;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !path[0]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], argv[0]);
		if (access(path, X_OK) != 0)
			path[0] = '\0';
	}
	if (!path[0])
		return -ENOENT;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (in >= 0)
			dup2(in, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(path, argv);
		_exit(127);
	}
	close(p[1]);
	if (outlen)
		out[0] = '\0';
	for (uint64_t until = sc_mono_ns() + 10 * SC_NS_PER_S;;) {
		struct pollfd pf = {.fd = p[0], .events = POLLIN};
		char junk[512];
		ssize_t n;

		if (sc_mono_ns() >= until) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pf, 1, 100) <= 0)
			continue;
		if (used + 1 < outlen)
			n = read(p[0], out + used, outlen - used - 1);
		else
			n = read(p[0], junk, sizeof(junk));
		if (n <= 0)
			break;
		if (used + 1 < outlen) {
			used += (size_t)n;
			out[used] = '\0';
		}
	}
	close(p[0]);
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs a command given as one line of words. */
__attribute__((format(printf, 3, 4))) static int run_line(char *out, size_t outlen, const char *fmt, ...)
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
	return sc_cmd(argv, out, outlen);
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

int sc_netns_up(struct sc_netns *n, char *err, size_t errlen)
{
	char *cmds[SC_NETNS_MAX_CMDS][SC_NETNS_MAX_WORDS], store[4096], out[512];
	int k = sc_netns_plan(n, cmds, SC_NETNS_MAX_CMDS, store, sizeof(store));

	if (k < 0)
		return k;
	for (int i = 0; i < k; i++) {
		int r = sc_cmd(cmds[i], out, sizeof(out));

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
			snprintf(err, errlen, "'%.200s': %.200s", line,
				 r == -ENOENT ? "not installed (Debian package iproute2)" : out);
			sc_netns_down(n);
			return r < 0 ? r : -EPERM;
		}
		if (i == 0)
			n->made_a = true;
		if (i == 1)
			n->made_b = true;
	}
	return 0;
}

/* Replaces the root qdisc of one side: delete, then add afresh (a netem
 * "change" would keep earlier reorder/corrupt settings). */
static int set_side(const char *ns, const char *dev, const char *args, char *err, size_t errlen)
{
	char *argv[96], store[1024], out[512];
	int k, r;

	run_line(out, sizeof(out), "tc -n %s qdisc del dev %s root", ns, dev);
	if (!args || !*args)
		return 0;
	k = sc_netem_tc_argv(dev, args, argv + 2, 90, store, sizeof(store));
	if (k < 0)
		return k;
	/* "tc qdisc ..." becomes "tc -n NS qdisc ...". */
	argv[0] = argv[2];
	argv[1] = "-n";
	argv[2] = (char *)ns;
	r = sc_cmd(argv, out, sizeof(out));
	if (r == 0)
		return 0;
	first_line(out);
	snprintf(err, errlen, "tc rejected netem '%.200s': %.200s", args,
		 r == -ENOENT ? "tc is not installed (Debian package iproute2)" : out);
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
	int r = run_line(out, sizeof(out), "tc -n %s -s -j qdisc show dev %s", side ? n->b : n->a,
			 side ? DEV_B : DEV_A);

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

int sc_netns_offered(const struct sc_netns *n, uint64_t *out)
{
	char text[8192];
	size_t used;
	int r = run_line(text, sizeof(text), "ip netns exec %s cat /proc/net/snmp", n->a);

	if (r != 0)
		return r < 0 ? r : -EIO;
	/* snmp6 exists only where the kernel has IPv6. */
	used = strlen(text);
	run_line(text + used, sizeof(text) - used, "ip netns exec %s cat /proc/net/snmp6", n->a);
	return sc_netns_parse_offered(text, out);
}

void sc_netns_down(struct sc_netns *n)
{
	char out[256];

	if (n->made_a)
		run_line(out, sizeof(out), "ip netns del %s", n->a);
	if (n->made_b)
		run_line(out, sizeof(out), "ip netns del %s", n->b);
	n->made_a = n->made_b = false;
}
