/* probe_names.c - the lecture's names for things, against the system's
 * own tables: TCP's name in /etc/protocols (RFC 793: "Transmission
 * Control Protocol"; the lecture says "Transport"), and the slide's
 * /etc/services entries through getservbyname(), the lookup a program
 * makes. Needs the netbase package (./run installs it). */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"

/* The comment of protocol name's line in /etc/protocols, lower case. */
static int protocol_comment(const char *name, char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/protocols", "re");
	int r = -ENOENT;

	if (!f)
		return -errno;
	while (r && fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');
		size_t n = strlen(name);

		if (strncmp(line, name, n) || !isspace((unsigned char)line[n]) || !hash)
			continue;
		hash += 1 + strspn(hash + 1, " \t");
		hash[strcspn(hash, "\n")] = '\0';
		snprintf(buf, len, "%s", hash);
		r = 0;
	}
	fclose(f);
	return r;
}

void sc__judge_names(const char *tcp, int agree, int n, struct sc_verdict *v)
{
	if (!strcasecmp(tcp, "transmission control protocol"))
		sc_verdict_set(v, "wrong", "TCP is the Transmission Control Protocol (RFC 793, and this system's "
			       "/etc/protocols), not \"Transport\"; the slide's /etc/services ports: %d of %d as listed",
			       agree, n);
	else if (!strcasecmp(tcp, "transport control protocol"))
		sc_verdict_set(v, "confirmed", "/etc/protocols names TCP \"%s\"", tcp);
	else
		sc_verdict_set(v, "not measured", "/etc/protocols names TCP \"%s\", neither the lecture's \"Transport\" "
			       "nor RFC 793's \"Transmission\" Control Protocol: cannot tell", tcp);
}

int sc_probe_names(const struct sc_probe_env *env, struct sc_verdict *v)
{
	/* The slide's table: name, port, protocol. */
	static const struct { const char *name; int port; const char *proto; } svc[] = {
		{"ftp", 21, "tcp"}, {"ssh", 22, "tcp"}, {"telnet", 23, "tcp"}, {"smtp", 25, "tcp"},
		{"time", 37, "udp"}, {"finger", 79, "tcp"}, {"http", 80, "tcp"},
	};
	char tcp[96] = "", udp[96] = "", fig[400];
	struct sc_csv c;
	int r, agree = 0, n = (int)(sizeof(svc) / sizeof(svc[0]));
	size_t used;

	if (protocol_comment("tcp", tcp, sizeof(tcp)) < 0) {
		sc_verdict_set(v, "not measured", "no /etc/protocols entry for tcp (install netbase)");
		return -ENOENT;
	}
	protocol_comment("udp", udp, sizeof(udp));
	if ((r = sc_probe_csv_open(env, "names", &c, (const char *const[]){"table", "name", "value", NULL})) < 0)
		return r;
	sc_csv_field(&c, "/etc/protocols"), sc_csv_field(&c, "tcp"), sc_csv_field(&c, tcp), sc_csv_end_row(&c);
	sc_csv_field(&c, "/etc/protocols"), sc_csv_field(&c, "udp"), sc_csv_field(&c, udp), sc_csv_end_row(&c);
	used = (size_t)snprintf(fig, sizeof(fig), "/etc/protocols: tcp \"%s\", udp \"%s\"; getservbyname:", tcp, udp);
	for (int i = 0; i < n; i++) {
		struct servent *s = getservbyname(svc[i].name, svc[i].proto);
		int port = s ? ntohs((uint16_t)s->s_port) : -1;

		sc_csv_field(&c, "/etc/services");
		sc_csv_field(&c, svc[i].name);
		sc_csv_i64(&c, port);
		sc_csv_end_row(&c);
		agree += port == svc[i].port;
		if (used < sizeof(fig))
			used += (size_t)snprintf(fig + used, sizeof(fig) - used, " %s %d", svc[i].name, port);
	}
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "%s", fig);
	sc__judge_names(tcp, agree, n, v);
	return 0;
}
