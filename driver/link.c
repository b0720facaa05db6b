/* link.c - impaired-link runs on this kernel, and choosing the kernel. */
#include "link.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "netem.h"
#include "netns.h"
#include "uml.h"

/* The namespaces, and the capture of --pcap if asked for. */
struct link_ctx {
	struct sc_netns *ns;
	struct sc_capture cap;
	struct sc_pcap pcap;
	bool capturing;
};

static int set_link(void *arg, const struct sc_experiment *p, char *err, size_t errlen)
{
	struct link_ctx *x = arg;

	return sc_netns_link(x->ns, p->link, p->link_reverse, err, errlen);
}

/* Called before and after every IP trial: also the moment to move the
 * frames captured so far into the pcap file, so the socket's buffer never
 * holds more than one trial's. */
static int link_stats(void *arg, uint64_t *sent, uint64_t *dropped, uint64_t *offered)
{
	struct link_ctx *x = arg;
	struct sc_qstats q;
	int r;

	if (x->capturing)
		sc_capture_spool(&x->cap, &x->pcap);
	r = sc_netns_qstats(x->ns, 0, &q);

	if (r == 0) {
		*sent = q.sent_pkts;
		*dropped = q.dropped;
		r = sc_netns_offered(x->ns, offered);
	}
	return r;
}

/* True if tc's complaint means "this kernel has no netem". */
static bool no_netem(const char *msg)
{
	return strstr(msg, "qdisc kind is unknown") || strstr(msg, "No such file or directory");
}

int sc_link_run_host(const struct sc_experiment *e, struct sc_run_opts *ro, struct sc_rows *rows,
		     char *err, size_t errlen)
{
	static struct sc_netns ns;
	static struct link_ctx x;
	struct sc_where where = {0};
	char msg[400];
	int r;

	r = sc_netns_up(&ns, msg, sizeof(msg));
	if (r < 0) {
		snprintf(err, errlen, "cannot make the test namespaces%s: %s",
			 geteuid() ? " (not root, so no CAP_NET_ADMIN here)" : "", msg);
		return -EPERM;
	}
	/* Check every point's netem arguments before anything runs. */
	for (size_t i = 0; i < sc_experiment_points(e); i++) {
		struct sc_experiment p;

		if (sc_experiment_at(e, i, &p, err, errlen) < 0) {
			r = -EINVAL;
			goto out;
		}
		r = sc_netns_link(&ns, p.link, p.link_reverse, msg, sizeof(msg));
		if (r < 0) {
			bool rev = p.link_reverse[0] && strstr(msg, p.link_reverse);
			int line = rev ? e->link_reverse_line
				   : e->sweep.n && sc_netem_is_param(e->sweep.param) ? e->sweep.line
				   : e->link_line;

			if (no_netem(msg)) {
				snprintf(err, errlen, "this kernel has no netem (%s)", msg);
				r = -ENOTSUP;
			} else if (line > 0) {
				snprintf(err, errlen, "%s:%d: %s", e->file, line, msg);
				r = -EINVAL;
			} else { /* the link came from the command line */
				snprintf(err, errlen, "%s: %s", rev ? "--link-reverse" : "--link", msg);
				r = -EINVAL;
			}
			goto out;
		}
	}
	x = (struct link_ctx){.ns = &ns};
	if (ro->pcap) {
		/* The receiving side's interface: what crossed the link towards
		 * it (after netem) and what it sent back (ACKs, replies). */
		r = sc_capture_open_in(&x.cap, ns.b, SC_NETNS_DEV_B);
		if (r == 0 && (r = sc_pcap_open(&x.pcap, ro->pcap)) < 0) {
			sc_pcap_abort(&x.pcap);
			sc_capture_close(&x.cap);
		}
		if (r < 0) {
			snprintf(err, errlen, "--pcap %s: cannot capture: %s", ro->pcap, strerror(-r));
			goto out;
		}
		x.capturing = true;
	}
	where.ns_send = ns.a;
	where.ns_recv = ns.b;
	where.addr4 = SC_NETNS_ADDR_B;
	where.addr6 = SC_NETNS_ADDR6_B;
	where.kernel = getenv("SOCKCMP_KERNEL") ? getenv("SOCKCMP_KERNEL") : "host";
	where.why = getenv("SOCKCMP_KERNEL_WHY");
	ro->where = &where;
	ro->set_link = set_link;
	ro->set_link_arg = &x;
	ro->link_stats = link_stats;
	r = sc_run(e, ro, rows, err, errlen);
	ro->where = NULL;
	if (x.capturing) {
		int k;

		sc_capture_spool(&x.cap, &x.pcap);
		sc_capture_close(&x.cap);
		x.capturing = false;
		k = sc_pcap_finish(&x.pcap, r);
		if (k == -ECANCELED) {
			fprintf(stderr, "sockcmp: %s not written: the run did not finish\n", ro->pcap);
		} else if (k < 0) {
			snprintf(err, errlen, "cannot write %s: %s", ro->pcap, strerror(-k));
			r = k;
		}
	}
out:
	sc_netns_down(&ns);
	return r;
}

/* Can this kernel and this process do netem? Tries it in a scratch pair of
 * namespaces. Returns 0, or -errno with the reason in why. */
static int host_can(char *why, size_t len)
{
	struct sc_netns ns;
	char msg[400];
	int r;

	if (geteuid() != 0) {
		snprintf(why, len, "not root, so no CAP_NET_ADMIN here");
		return -EPERM;
	}
	r = sc_netns_up(&ns, msg, sizeof(msg));
	if (r < 0) {
		snprintf(why, len, "cannot make network namespaces: %.200s", msg);
		return -EPERM;
	}
	r = sc_netns_link(&ns, "delay 1ms", "", msg, sizeof(msg));
	sc_netns_down(&ns);
	if (r < 0) {
		snprintf(why, len, "this kernel has no sch_netem (%.200s)", msg);
		return -ENOTSUP;
	}
	snprintf(why, len, "this kernel has netem and we are root");
	return 0;
}

int sc_link_choose(enum sc_kernel want, enum sc_kernel *got, char *why, size_t len)
{
	char host[400] = "", uml[300] = "";
	int h, u;

	if (want == SC_KERNEL_HOST) {
		*got = SC_KERNEL_HOST;
		snprintf(why, len, "--kernel host");
		return 0;
	}
	u = sc_uml_available(uml, sizeof(uml));
	if (want == SC_KERNEL_UML) {
		*got = SC_KERNEL_UML;
		snprintf(why, len, "%s", u == 0 ? "--kernel uml" : uml);
		return u;
	}
	h = host_can(host, sizeof(host));
	if (h == 0) {
		*got = SC_KERNEL_HOST;
		snprintf(why, len, "host kernel: %s", host);
		return 0;
	}
	if (u == 0) {
		*got = SC_KERNEL_UML;
		snprintf(why, len, "user-mode Linux, because %s", host);
		return 0;
	}
	snprintf(why, len,
		 "no way to impair a link here: %s, and %s. Either run as root on a kernel with "
		 "sch_netem (modprobe sch_netem), or install user-mode Linux (apt-get install "
		 "user-mode-linux; ./run does)", host, uml);
	return -ENOENT;
}

/* The reasons sc_link_choose writes, by their first words. */
static const struct {
	const char *starts, *plain, *code;
} reasons[] = {
	{"this kernel has no sch_netem", "this kernel has no netem", "no-netem"},
	{"not root", "sockcmp is not root here", "not-root"},
	{"cannot make network namespaces", "network namespaces cannot be made here", "no-netns"},
	{"this kernel has netem", "it has netem and sockcmp runs as root", "netem"},
};

/* why without "user-mode Linux, because " or "host kernel: ". */
static const char *reason(const char *why)
{
	const char *p = why ? why : "";

	if (!strncmp(p, "user-mode Linux, because ", 25))
		p += 25;
	else if (!strncmp(p, "host kernel: ", 13))
		p += 13;
	return p;
}

const char *sc_link_why_code(const char *why)
{
	const char *p = reason(why);

	if (!why || !*why)
		return "";
	if (!strncmp(why, "--kernel ", 9))
		return "option";
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strncmp(p, reasons[i].starts, strlen(reasons[i].starts)))
			return reasons[i].code;
	return "other";
}

void sc_link_choice_line(enum sc_kernel want, enum sc_kernel got, const char *why, char *buf, size_t len)
{
	const char *where = got == SC_KERNEL_HOST ? "on this kernel" : "in a user-mode Linux guest";
	const char *p = reason(why);

	if (want != SC_KERNEL_AUTO) {
		snprintf(buf, len, "link experiments run %s (--kernel %s)", where,
			 want == SC_KERNEL_HOST ? "host" : "uml");
		return;
	}
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strncmp(p, reasons[i].starts, strlen(reasons[i].starts))) {
			snprintf(buf, len, "link experiments run %s: %s", where, reasons[i].plain);
			return;
		}
	/* An unknown reason: its first clause. */
	snprintf(buf, len, "link experiments run %s: %.*s", where, (int)strcspn(p, "(:"), p);
	while (strlen(buf) && buf[strlen(buf) - 1] == ' ')
		buf[strlen(buf) - 1] = '\0';
}
