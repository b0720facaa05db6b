/* serve.c - `sockcmp serve`: the server side of two-host runs.
 *
 * One process per control connection (forked after accept, at most
 * --max-clients at once; more are refused at once), so a client that
 * stalls, sends garbage or a huge length only ever holds up its own
 * process, which gives up at its deadline. Every refusal is logged on
 * stderr with the client's address. Nothing a client sends is ever
 * executed or put on a command line as it is: a START's fields are
 * checked (shared/ctl.c) and turned into the role's argv by the same
 * builder as a local run (driver/mode.c); the programs' address is the
 * control connection's own (listen: our address; connect: the client's). */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "be.h"
#include "ctlio.h"
#include "endpoint.h"
#include "peer.h"
#include "mode.h"
#include "plan.h"
#include "sock.h"
#include "spawn.h"
#include "wire.h"

#define AUTH_NS (10 * SC_NS_PER_S)   /* the whole handshake */
#define IDLE_NS (120 * SC_NS_PER_S)  /* between requests */
#define SEND_NS (300 * SC_NS_PER_S)  /* sending one role's results */
#define MAX_CLIENTS_DEFAULT 8

/* One control connection, in its own process. */
struct conn {
	int fd;                 /* from the client */
	int out;                /* to the client: fd, or with --stdio another pipe */
	char who[80];           /* the client's address, for the log */
	char self_ip[64], peer_ip[64];
	int family;
	struct sc_ctl_session s;
	uint64_t starts;
	unsigned serial;
	char tmp[64];
	const char *bin_dir;
	const volatile sig_atomic_t *stop;
	uint8_t buf[SC_CTL_MAX_PAYLOAD];
};

static void logf_(const struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(const struct conn *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sockcmp serve: %s: ", c->who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Copies n bytes a client sent into out for the log, each byte outside
 * printable ASCII as '?' (no terminal escapes, no forged log lines). */
static void printable(const uint8_t *in, size_t n, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < n && i + 1 < len; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? (char)in[i] : '?';
	out[i] = '\0';
}

static void ip_of(const struct sockaddr_storage *ss, char *buf, size_t len, unsigned *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		inet_ntop(AF_INET6, &a->sin6_addr, buf, (socklen_t)len);
		*port = ntohs(a->sin6_port);
	} else {
		const struct sockaddr_in *a = (const void *)ss;

		inet_ntop(AF_INET, &a->sin_addr, buf, (socklen_t)len);
		*port = ntohs(a->sin_port);
	}
}

static int send_error(struct conn *c, const char *text)
{
	return sc_ctl_send(c->out, &c->s, SC_CTL_T_ERROR, text, strlen(text), sc_mono_ns() + SC_NS_PER_S, c->stop);
}

/* The handshake. Returns 0 (authenticated) or -1 (logged). */
static int authenticate(struct conn *c, const uint8_t key[SC_SIPHASH_KEY_LEN])
{
	uint64_t deadline = sc_mono_ns() + AUTH_NS;
	uint8_t nc[SC_CTL_NONCE_LEN], ch[SC_CTL_NONCE_LEN + SC_CTL_PROOF_LEN], type;
	long n = sc_ctl_recv(c->fd, &c->s, &type, c->buf, deadline, c->stop);

	if (n >= 0 && (type != SC_CTL_T_HELLO || n != SC_CTL_NONCE_LEN))
		n = -EPROTO;
	if (n < 0) {
		logf_(c, "refused before authentication: %s", sc_ctl_strerror(n));
		return -1;
	}
	memcpy(nc, c->buf, sizeof(nc));
	if (getrandom(ch, SC_CTL_NONCE_LEN, 0) != SC_CTL_NONCE_LEN) {
		logf_(c, "cannot get random bytes: %s", strerror(errno));
		return -1;
	}
	sc_be_put64(ch + SC_CTL_NONCE_LEN, sc_ctl_proof(key, true, nc, ch));
	if ((n = sc_ctl_send(c->out, &c->s, SC_CTL_T_CHALLENGE, ch, sizeof(ch), deadline, c->stop)) == 0)
		n = sc_ctl_recv(c->fd, &c->s, &type, c->buf, deadline, c->stop);
	if (n >= 0 && type == SC_CTL_T_ERROR) {
		char text[201];

		printable(c->buf, (size_t)n, text, sizeof(text));
		logf_(c, "refused: the client says: %s (another key?)", text);
		return -1;
	}
		if (n >= 0 && (type != SC_CTL_T_AUTH || n != SC_CTL_PROOF_LEN))
		n = -EPROTO;
	if (n < 0) {
		logf_(c, "refused during authentication: %s", sc_ctl_strerror(n));
		return -1;
	}
	if (!sc_ctl_equal64(sc_be_get64(c->buf), sc_ctl_proof(key, false, nc, ch))) {
		send_error(c, "authentication failed: wrong key");
		logf_(c, "refused: wrong key");
		return -1;
	}
	sc_ctl_session_init(&c->s, key, false, nc, ch);
	if (sc_ctl_send(c->out, &c->s, SC_CTL_T_OK, NULL, 0, deadline, c->stop) < 0)
		return -1;
	logf_(c, "authenticated");
	return 0;
}

/* True if the client hung up (or sent something mid-run, which it never
 * does): the role is then ended. */
static bool client_gone(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char b;
	ssize_t n;

	if (poll(&p, 1, 0) <= 0)
		return false;
	n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n != -1 || errno != EAGAIN; /* a pipe: ENOTSOCK, and it never speaks mid-run */
}

/* Sends PREFIX-kind.csv in FILE frames, if the program wrote it. */
static int send_file(struct conn *c, const char *prefix, int kind, uint64_t deadline)
{
	const char *const *sfx = sc_ctl_file_suffix;
	char path[256];
	int fd, r = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s%s", prefix, sfx[kind]);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	c->buf[0] = (uint8_t)kind;
	while (r == 0 && (n = read(fd, c->buf + 1, SC_CTL_MAX_PAYLOAD - 1)) > 0)
		r = sc_ctl_send(c->out, &c->s, SC_CTL_T_FILE, c->buf, (size_t)n + 1, deadline, c->stop);
	if (r == 0 && n < 0)
		r = -errno; /* a file cut short must not look sent whole */
	close(fd);
	if (r == 0)
		unlink(path);
	return r;
}

/* Checks a START and builds the role's argv into b. Returns 0 or -EINVAL
 * with the reason in err. */
static int build(struct conn *c, const struct sc_ctl_start *s, struct sc_experiment *e, const struct sc_role **role,
		 struct sc_argv *b, char *prefix, size_t plen, char *err, size_t errlen)
{
	const struct sc_mode *m = sc_mode_find(s->mode);
	const struct sc_transport *t = sc_transport_find(s->transport);
	char addr[128];

	if (!m || s->role >= m->nroles)
		return snprintf(err, errlen, "no mode '%s' with role %u here", s->mode, s->role), -EINVAL;
	if (!sc_peer_mode_ok(m->name))
		return snprintf(err, errlen, "mode '%s' does not run across hosts", m->name), -EINVAL;
	if (!t || !sc_transport_is_ip(t))
		return snprintf(err, errlen, "transport '%s' cannot run across hosts", s->transport), -EINVAL;
	if (t->family != c->family)
		return snprintf(err, errlen, "transport '%s' needs a control connection over IPv%d", t->name,
				t->family == AF_INET6 ? 6 : 4), -EINVAL;
	*role = &m->roles[s->role];
	if ((*role)->listens)
		snprintf(addr, sizeof(addr), c->family == AF_INET6 ? "[%s]:0" : "%s:0", c->self_ip);
	else if (s->port)
		snprintf(addr, sizeof(addr), c->family == AF_INET6 ? "[%s]:%u" : "%s:%u", c->peer_ip, s->port);
	else
		return snprintf(err, errlen, "a connecting role needs the listener's port"), -EINVAL;
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "remote");
	e->transports[0] = t;
	e->ntransports = 1;
	e->send = s->send;
	e->recv = s->recv;
	e->repeat = 1;
	e->timeout_ns = s->timeout_ns;
	e->for_ns = s->for_ns;
	e->bitrate = s->bitrate;
	snprintf(e->mode, sizeof(e->mode), "%s", m->name);
	snprintf(prefix, plen, "%s/t%u-%s", c->tmp, ++c->serial, (*role)->name);
	{
		struct sc_side_args a = {c->bin_dir, e, t, addr, s->token, prefix, s->max_records, NULL};

		(*role)->argv(b, &a);
	}
	if (b->full)
		return snprintf(err, errlen, "too many arguments"), -EINVAL;
	return 0;
}

/* Starts the program with the run key in its environment only. */
static int spawn_keyed(struct sc_child *ch, struct sc_argv *b, bool listens, const char *errpath,
		       const uint8_t key[SC_SIPHASH_KEY_LEN])
{
	struct sc_wire_key k;
	char hex[SC_WIRE_KEY_HEX + 1];
	int r;

	memcpy(k.k, key, sizeof(k.k));
	sc_wire_key_format(&k, hex);
	r = setenv(SC_WIRE_KEY_ENV, hex, 1) < 0 ? -errno : 0;
	if (r == 0)
		r = sc_spawn(ch, b->v, listens, errpath, NULL);
	memset(hex, 0, sizeof(hex));
	memset(&k, 0, sizeof(k));
	if (getenv(SC_WIRE_KEY_ENV))
		memset(getenv(SC_WIRE_KEY_ENV), 'x', SC_WIRE_KEY_HEX);
	unsetenv(SC_WIRE_KEY_ENV);
	return r;
}

/* One START: runs the role and sends its results. Returns 0 (serve the
 * next request) or -1 (the connection is over; logged). */
static int run_role(struct conn *c, long n)
{
	struct sc_ctl_start s;
	struct sc_experiment e;
	const struct sc_role *role = NULL;
	struct sc_argv b = {.n = 0};
	struct sc_child ch;
	char prefix[128], errpath[160], why[300], line[400];
	uint64_t deadline;
	uint8_t done[4 + 400];
	int r;

	if (sc_ctl_start_decode(c->buf, (size_t)n, &s, why, sizeof(why)) < 0 ||
	    build(c, &s, &e, &role, &b, prefix, sizeof(prefix), why, sizeof(why)) < 0) {
		c->starts++;
		logf_(c, "request refused: %s", why);
		return send_error(c, why) < 0 ? -1 : 0;
	}
	sc_ctl_mask_key(&c->s, c->starts++, s.key);
	snprintf(errpath, sizeof(errpath), "%s.err", prefix);
	r = spawn_keyed(&ch, &b, role->listens, errpath, s.key);
	memset(s.key, 0, sizeof(s.key));
	if (r < 0) {
		snprintf(why, sizeof(why), "cannot start %s: %s", b.v[0], strerror(-r));
		logf_(c, "%s", why);
		return send_error(c, why) < 0 ? -1 : 0;
	}
	line[0] = '\0';
	if (role->listens) {
		r = sc_child_line(&ch, line, sizeof(line), sc_mono_ns() + 10 * SC_NS_PER_S, c->stop);
		if (r < 0 || strncmp(line, "listening on ", 13) != 0) {
			sc_child_end(&ch, 1, 500 * SC_NS_PER_MS);
			sc_child_err_line(errpath, line, sizeof(line));
			snprintf(why, sizeof(why), "the %s did not start: %.200s", role->label, line[0] ? line : "no reason given");
			unlink(errpath);
			return send_error(c, why) < 0 ? -1 : 0;
		}
		memmove(line, line + 13, strlen(line + 13) + 1);
	}
	logf_(c, "runs %s %s%s%s", role->label, s.transport, line[0] ? " on " : "", line);
	if (sc_ctl_send(c->out, &c->s, SC_CTL_T_LISTENING, line, strlen(line), sc_mono_ns() + 10 * SC_NS_PER_S,
			c->stop) < 0)
		goto lost;
	deadline = sc_mono_ns() + sc_plan_trial_limit_ns(&e, e.transports[0]);
	for (;;) {
		uint64_t now = sc_mono_ns();

		r = sc_child_wait(&ch, 1, now + 50 * SC_NS_PER_MS < deadline ? now + 50 * SC_NS_PER_MS : deadline,
				  c->stop);
		if (r == 0 || r == -EINTR || sc_mono_ns() >= deadline)
			break;
		if (client_gone(c->fd))
			goto lost;
	}
	if (r == -EINTR)
		goto lost;
	sc_child_end(&ch, 1, 500 * SC_NS_PER_MS);
	deadline = sc_mono_ns() + SEND_NS;
	for (int k = 0; k < SC_CTL_F_N; k++)
		if (send_file(c, prefix, k, deadline) < 0)
			goto lost;
	sc_child_err_line(errpath, line, sizeof(line));
	unlink(errpath);
	sc_be_put32(done, (uint32_t)sc_child_code(&ch));
	memcpy(done + 4, line, strlen(line));
	if (sc_ctl_send(c->out, &c->s, SC_CTL_T_DONE, done, 4 + strlen(line), deadline, c->stop) < 0)
		goto lost;
	return 0;
lost:
	sc_child_end(&ch, 1, 500 * SC_NS_PER_MS);
	logf_(c, "%s during a run; its %s was ended", *c->stop ? "stopped" : "lost the client", role->label);
	for (int k = 0; k < SC_CTL_F_N; k++) {
		snprintf(why, sizeof(why), "%s%s", prefix, sc_ctl_file_suffix[k]);
		unlink(why);
	}
	unlink(errpath);
	return -1;
}

/* Serves one authenticated client until it says goodbye, goes quiet for
 * IDLE_NS, or breaks the protocol. */
static void serve_client(struct conn *c)
{
	for (;;) {
		uint8_t type, reply[24];
		long n = sc_ctl_recv(c->fd, &c->s, &type, c->buf, sc_mono_ns() + IDLE_NS, c->stop);
		uint64_t t2 = sc_real_ns();

		if (n < 0) {
			if (n != -ECONNRESET)
				logf_(c, "connection ended: %s", sc_ctl_strerror(n));
			return;
		}
		if (type == SC_CTL_T_BYE)
			return;
		if (type == SC_CTL_T_TIME && n == 8) {
			memcpy(reply, c->buf, 8);
			sc_be_put64(reply + 8, t2);
			sc_be_put64(reply + 16, sc_real_ns());
			if (sc_ctl_send(c->out, &c->s, SC_CTL_T_TIME_REPLY, reply, sizeof(reply),
					sc_mono_ns() + 10 * SC_NS_PER_S, c->stop) < 0)
				return;
		} else if (type == SC_CTL_T_START) {
			if (run_role(c, n) < 0)
				return;
		} else {
			logf_(c, "connection ended: unexpected frame type %u", type);
			return;
		}
	}
}

static void remove_dir(const char *dir)
{
	rmdir(dir); /* empty by now: every file was removed as it was sent */
}

/* Where a control connection runs: from its socket, or (--stdio) from
 * SSH_CONNECTION. */
struct ends {
	char self_ip[64], peer_ip[64];
	int family;
};

static int socket_ends(int fd, struct ends *e)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	unsigned port;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	e->family = ss.ss_family;
	ip_of(&ss, e->self_ip, sizeof(e->self_ip), &port);
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	ip_of(&ss, e->peer_ip, sizeof(e->peer_ip), &port);
	return 0;
}

/* One control connection, in its own process. Returns its exit code. */
static int handle(int fd, int out, const struct ends *e, const char *who, const uint8_t key[SC_SIPHASH_KEY_LEN],
		  const char *bin_dir, const volatile sig_atomic_t *stop)
{
	struct conn *c = calloc(1, sizeof(*c));
	int code = 1;

	if (!c)
		return 1;
	c->fd = fd;
	c->out = out;
	sc_ctl_nodelay(fd);
	c->bin_dir = bin_dir;
	c->stop = stop;
	snprintf(c->who, sizeof(c->who), "%s", who);
	c->family = e->family;
	memcpy(c->self_ip, e->self_ip, sizeof(c->self_ip));
	memcpy(c->peer_ip, e->peer_ip, sizeof(c->peer_ip));
	if (authenticate(c, key) < 0)
		goto out;
	snprintf(c->tmp, sizeof(c->tmp), "%s/sockcmp-serve-XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 30 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(c->tmp)) {
		logf_(c, "cannot make a temporary directory: %s", strerror(errno));
		send_error(c, "the server cannot make a temporary directory");
		goto out;
	}
	serve_client(c);
	remove_dir(c->tmp);
	code = 0;
out:
	memset(&c->s, 0, sizeof(c->s));
	free(c);
	return code;
}

/* serve --stdio, started by `run --peer ssh://HOST` through OpenSSH: one
 * client on stdin/stdout, whom ssh has authenticated. The client sends a
 * fresh key first, on stdin (never on a command line), then speaks the
 * protocol as over TCP; the addresses come from SSH_CONNECTION. */
static int serve_stdio(const char *bin_dir, const volatile sig_atomic_t *stop)
{
	const char *sc = getenv("SSH_CONNECTION");
	char line[SC_WIRE_KEY_HEX + 2] = "", a[64], b[64], who[80];
	struct sc_wire_key k;
	struct ends e = {.family = AF_INET};
	struct in6_addr probe;
	size_t used = 0;
	uint64_t deadline = sc_mono_ns() + AUTH_NS;
	int in, out, nul, r;

	if (!sc || sscanf(sc, "%63s %*s %63s", a, b) != 2) {
		fprintf(stderr, "sockcmp serve: --stdio runs under OpenSSH (no SSH_CONNECTION here)\n");
		return 2;
	}
	snprintf(e.peer_ip, sizeof(e.peer_ip), "%s", a);
	snprintf(e.self_ip, sizeof(e.self_ip), "%s", b);
	if (inet_pton(AF_INET6, e.self_ip, &probe) == 1)
		e.family = AF_INET6;
	snprintf(who, sizeof(who), "ssh:%s", e.peer_ip);
	/* The protocol gets its own descriptors; 0 and 1 become /dev/null, so
	 * no program started later can write into the control channel. */
	in = fcntl(0, F_DUPFD_CLOEXEC, 3);
	out = fcntl(1, F_DUPFD_CLOEXEC, 3);
	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (in < 0 || out < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0) {
		fprintf(stderr, "sockcmp serve: %s\n", strerror(errno));
		return 1;
	}
	close(nul);
	fcntl(in, F_SETFL, fcntl(in, F_GETFL) | O_NONBLOCK);
	fcntl(out, F_SETFL, fcntl(out, F_GETFL) | O_NONBLOCK);
	while (used < SC_WIRE_KEY_HEX + 1 && sc_mono_ns() < deadline && !*stop) {
		struct pollfd p = {.fd = in, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(in, line + used, 1);
		if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR)))
			break;
		used += n > 0 ? (size_t)n : 0;
	}
	if (used != SC_WIRE_KEY_HEX + 1 || line[SC_WIRE_KEY_HEX] != '\n' ||
	    (line[SC_WIRE_KEY_HEX] = '\0', sc_wire_key_parse(line, &k)) < 0) {
		fprintf(stderr, "sockcmp serve: %s: refused: no key on stdin\n", who);
		return 1;
	}
	memset(line, 0, sizeof(line));
	r = handle(in, out, &e, who, k.k, bin_dir, stop);
	memset(&k, 0, sizeof(k));
	sc_spawn_end_all();
	return r;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: sockcmp serve --listen ADDR[:PORT] --key FILE [--max-clients N]\n"
		   "Stay up and run the receiving (or, with run --reverse, the sending) side of\n"
		   "'sockcmp run SCRIPT --peer THIS-HOST --key FILE' started on another machine.\n\n"
		   "  --listen ADDR[:PORT]  where to take control connections (default port %d;\n"
		   "                        0.0.0.0 or [::] for every address)\n"
		   "  --key FILE            the pre-shared key; made (mode 0600) if missing. Copy it\n"
		   "                        to the client, e.g. scp THIS-HOST:FILE FILE\n"
		   "  --max-clients N       control connections at once (default %d, 1 to 256;\n"
		   "                        one client address may hold half of them)\n"
		   "  --stdio               (alone) one client on stdin/stdout, as started by\n"
		   "                        'run --peer ssh://HOST' through OpenSSH\n",
		SC_CTL_PORT, MAX_CLIENTS_DEFAULT);
}

/* Parses "ADDR[:PORT]" (IPv6 in brackets) into ep. */
static int listen_spec(const char *arg, struct sc_endpoint *ep, char *err, size_t errlen)
{
	char spec[300];
	const char *colon = strrchr(arg, ':');
	bool has_port = colon && (arg[0] != '[' || colon > strchr(arg, ']'));

	if (arg[0] != '[' && colon && strchr(arg, ':') != colon)
		has_port = false; /* a bare IPv6 address */
	if (has_port)
		snprintf(spec, sizeof(spec), "%s", arg);
	else if (arg[0] != '[' && colon)
		snprintf(spec, sizeof(spec), "[%s]:%d", arg, SC_CTL_PORT);
	else
		snprintf(spec, sizeof(spec), "%s:%d", arg, SC_CTL_PORT);
	return sc_endpoint_parse(spec, SOCK_STREAM, 1, ep, err, errlen);
}

int sc_serve_main(int argc, char **argv, const char *bin_dir, const volatile sig_atomic_t *stop)
{
	static const struct option lo[] = {{"listen", 1, 0, 'l'}, {"key", 1, 0, 'k'}, {"max-clients", 1, 0, 'm'},
					   {"help", 0, 0, 'h'}, {"stdio", 0, 0, 's'}, {0, 0, 0, 0}};
	const char *listen_arg = NULL, *key_path = NULL;
	unsigned long max = MAX_CLIENTS_DEFAULT;
	pid_t kids[256] = {0};
	char kid_ip[256][64];
	unsigned long nkids = 0;
	uint8_t key[SC_SIPHASH_KEY_LEN];
	struct sc_endpoint ep;
	char err[512], where[300];
	int opt, lfd, r;
	bool stdio = false;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		char *end;

		switch (opt) {
		case 'l': listen_arg = optarg; break;
		case 'k': key_path = optarg; break;
		case 'm':
			max = strtoul(optarg, &end, 10);
			if (*end || !*optarg || max < 1 || max > 256) {
				fprintf(stderr, "sockcmp serve: --max-clients '%s': expected 1 to 256\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		case 's': stdio = true; break;
		default:
			fprintf(stderr, "sockcmp serve: unknown or incomplete option '%s' (try sockcmp serve --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (stdio && !listen_arg && !key_path && optind == argc)
		return serve_stdio(bin_dir, stop);
	if (!listen_arg || !key_path || optind < argc) {
		usage(stderr);
		return 2;
	}
	if (listen_spec(listen_arg, &ep, err, sizeof(err)) < 0) {
		fprintf(stderr, "sockcmp serve: --listen '%s': %s\n", listen_arg, err);
		return 2;
	}
	r = sc_key_load(key_path, 1, key, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "sockcmp serve: %s\n", err);
		return r == -ENOENT || r == -EPERM || r == -EINVAL ? 2 : 1;
	}
	if (r == 1)
		fprintf(stderr, "sockcmp serve: made a new key in %s; copy it to the client (scp)\n", key_path);
	lfd = sc_sock_listen(sc_transport_find(ep.family == AF_INET6 ? "tcp6" : "tcp"), &ep, err, sizeof(err));
	if (lfd < 0) {
		fprintf(stderr, "sockcmp serve: --listen %s: %s\n", listen_arg, err[0] ? err : strerror(-lfd));
		return 1;
	}
	{
		struct sc_endpoint got = {.len = sizeof(got.addr)};

		getsockname(lfd, (struct sockaddr *)&got.addr, &got.len);
		got.family = got.addr.ss_family;
		sc_endpoint_format(&got, where, sizeof(where));
	}
	printf("listening on %s\n", where);
	fflush(stdout);
	while (!*stop) {
		struct pollfd p = {.fd = lfd, .events = POLLIN};
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		char who[80], ip[64];
		unsigned port;
		pid_t pid;
		int fd;

		for (unsigned long i = 0; i < max; i++)
			if (kids[i] > 0 && waitpid(kids[i], NULL, WNOHANG) == kids[i]) {
				kids[i] = 0;
				nkids--;
			}
		if (poll(&p, 1, 200) <= 0)
			continue;
		fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		ip_of(&ss, ip, sizeof(ip), &port);
		snprintf(who, sizeof(who), ss.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
		if (nkids >= max) {
			fprintf(stderr, "sockcmp serve: %s: refused: already %lu control connections\n", who, nkids);
			close(fd);
			continue;
		}
		/* One address may hold half the places (at least one), so that
		 * one stalling host cannot keep every other out. */
		{
			unsigned long same = 0;

			for (unsigned long i = 0; i < max; i++)
				same += kids[i] > 0 && strcmp(kid_ip[i], ip) == 0;
			if (same >= (max / 2 ? max / 2 : 1)) {
				fprintf(stderr, "sockcmp serve: %s: refused: already %lu control connections from %s\n",
					who, same, ip);
				close(fd);
				continue;
			}
		}
		pid = fork();
		if (pid == 0) {
			close(lfd);
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			struct ends e;

			r = socket_ends(fd, &e) < 0 ? 1 : handle(fd, fd, &e, who, key, bin_dir, stop);
			close(fd);
			sc_spawn_end_all();
			_exit(r);
		}
		close(fd);
		if (pid < 0) {
			fprintf(stderr, "sockcmp serve: %s: refused: cannot fork: %s\n", who, strerror(errno));
			continue;
		}
		for (unsigned long i = 0; i < max; i++)
			if (!kids[i]) {
				kids[i] = pid;
				snprintf(kid_ip[i], sizeof(kid_ip[i]), "%s", ip);
				nkids++;
				break;
			}
	}
	close(lfd);
	memset(key, 0, sizeof(key));
	for (unsigned long i = 0; i < max; i++)
		if (kids[i] > 0) {
			struct sc_child c = {.pid = kids[i], .out_fd = -1, .pidfd = -1};

			sc_child_end(&c, 1, 2 * SC_NS_PER_S);
		}
	fprintf(stderr, "sockcmp serve: stopped\n");
	return 0;
}
