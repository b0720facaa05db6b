/* peer.c - the client of `sockcmp serve`: connect, authenticate, clock,
 * start remote roles and collect their files. */
#include "peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <netdb.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "be.h"
#include "clock.h"
#include "ctlio.h"
#include "endpoint.h"
#include "sock.h"
#include "wire.h"

#define STEP_NS (10 * SC_NS_PER_S) /* one request's answer, the handshake */
#define MAX_FILE (1ull << 30)      /* one result file */

bool sc_peer_mode_ok(const char *mode)
{
	static const char *const ok[] = {"oneway", "throughput", "rr", "crr"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(mode, ok[i]) == 0)
			return true;
	return false;
}

int sc_peer_spec(const char *spec, char *out, size_t len)
{
	const char *colon = strchr(spec, ':');
	int n;

	if (strncmp(spec, "ssh://", 6) == 0)
		return -ENOTSUP; /* sc_peer_open takes these through ssh_open */
	if (!*spec || strchr(spec, '/') || strchr(spec, ' '))
		return -EINVAL;
	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');

		if (!end)
			return -EINVAL;
		n = end[1] ? snprintf(out, len, "%s", spec) : snprintf(out, len, "%s:%d", spec, SC_CTL_PORT);
	} else if (!colon) {
		n = snprintf(out, len, "%s:%d", spec, SC_CTL_PORT);
	} else if (strchr(colon + 1, ':')) {
		n = snprintf(out, len, "[%s]:%d", spec, SC_CTL_PORT); /* a bare IPv6 address */
	} else {
		n = snprintf(out, len, "%s", spec);
	}
	return n < 0 || (size_t)n >= len ? -EINVAL : 0;
}

static uint64_t step(void)
{
	return sc_mono_ns() + STEP_NS;
}

/* Receives one frame, turning ERROR frames into -EPERM with their text in
 * err. Returns the length or an error (err says why). */
static long expect(struct sc_peer *p, uint8_t want, uint64_t deadline, char *err, size_t errlen)
{
	uint8_t type;
	long n = sc_ctl_recv(p->fd, &p->s, &type, p->buf, deadline, p->stop);

	if (n < 0) {
		snprintf(err, errlen, "peer %s: %s", p->name, sc_ctl_strerror(n));
		return n;
	}
	if (type == SC_CTL_T_ERROR) {
		snprintf(err, errlen, "peer %s: %.*s", p->name, (int)(n > 400 ? 400 : n), (const char *)p->buf);
		return -EPERM;
	}
	if (type != want) {
		snprintf(err, errlen, "peer %s: unexpected frame type %u (expected %u)", p->name, type, want);
		return -EPROTO;
	}
	return n;
}

static int handshake(struct sc_peer *p, const uint8_t key[SC_SIPHASH_KEY_LEN], char *err, size_t errlen)
{
	uint8_t nc[SC_CTL_NONCE_LEN], ns[SC_CTL_NONCE_LEN], proof[SC_CTL_PROOF_LEN];
	long n;
	int r;

	if (getrandom(nc, sizeof(nc), 0) != (ssize_t)sizeof(nc)) {
		snprintf(err, errlen, "cannot get random bytes: %s", strerror(errno));
		return -EIO;
	}
	r = sc_ctl_send(p->fd, &p->s, SC_CTL_T_HELLO, nc, sizeof(nc), step(), p->stop);
	if (r < 0) {
		snprintf(err, errlen, "peer %s: %s", p->name, sc_ctl_strerror(r));
		return r;
	}
	n = expect(p, SC_CTL_T_CHALLENGE, step(), err, errlen);
	if (n < 0)
		return (int)n;
	if (n != SC_CTL_NONCE_LEN + SC_CTL_PROOF_LEN) {
		snprintf(err, errlen, "peer %s: malformed challenge", p->name);
		return -EPROTO;
	}
	memcpy(ns, p->buf, sizeof(ns));
	if (!sc_ctl_equal64(sc_be_get64(p->buf + SC_CTL_NONCE_LEN), sc_ctl_proof(key, true, nc, ns))) {
		static const char why[] = "the server's proof does not match my key";

		/* Tell the server, so that its log says why (best effort). */
		sc_ctl_send(p->fd, &p->s, SC_CTL_T_ERROR, why, sizeof(why) - 1, step(), p->stop);
		snprintf(err, errlen, "peer %s: authentication failed: the server does not hold our key", p->name);
		return -EACCES;
	}
	sc_be_put64(proof, sc_ctl_proof(key, false, nc, ns));
	r = sc_ctl_send(p->fd, &p->s, SC_CTL_T_AUTH, proof, sizeof(proof), step(), p->stop);
	if (r < 0) {
		snprintf(err, errlen, "peer %s: %s", p->name, sc_ctl_strerror(r));
		return r;
	}
	sc_ctl_session_init(&p->s, key, true, nc, ns);
	n = expect(p, SC_CTL_T_OK, step(), err, errlen);
	return n < 0 ? (int)n : 0;
}

/* Our address on the control connection, where a local listener must
 * listen for the server's programs to reach it. */
static int local_ip(struct sc_peer *p)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(p->fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	p->family = ss.ss_family;
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, p->local_ip, sizeof(p->local_ip));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, p->local_ip, sizeof(p->local_ip));
	return 0;
}

/* ssh://[USER@]HOST[:PORT]: the destination for ssh and its port (or "").
 * Only letters, digits and . - _ @ and an IPv6 literal in brackets: never
 * an option (a leading '-'), never anything a shell would read. Returns 0
 * or -EINVAL. */
int sc_peer_ssh_spec(const char *spec, char *dest, size_t dlen, char *port, size_t plen)
{
	const char *h = spec + 6, *colon, *end;
	size_t n;

	if (strncmp(spec, "ssh://", 6) != 0 || !*h || *h == '-' || *h == '@')
		return -EINVAL;
	end = strchr(h, ']');
	colon = strrchr(end ? end : h, ':');
	n = colon ? (size_t)(colon - h) : strlen(h);
	port[0] = '\0';
	if (colon) {
		const char *q = colon + 1;

		if (!*q || strlen(q) > 5 || strspn(q, "0123456789") != strlen(q) || atoi(q) < 1 || atoi(q) > 65535)
			return -EINVAL;
		snprintf(port, plen, "%s", q);
	}
	if (n == 0 || n >= dlen)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char ch = h[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      strchr(".-_@[]:", ch)))
			return -EINVAL;
	}
	memcpy(dest, h, n);
	dest[n] = '\0';
	if (strchr(dest, '@') && strchr(dest, '@')[1] == '-')
		return -EINVAL;
	return 0;
}

/* The address this host uses to reach host (a UDP connect() sends
 * nothing): where a local listener must listen for the far side. */
static int route_to(const char *host, char *ip, size_t len, int *family)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char h[300];
	int fd, r = 0;

	snprintf(h, sizeof(h), "%s", strchr(host, '@') ? strchr(host, '@') + 1 : host);
	if (h[0] == '[') {
		memmove(h, h + 1, strlen(h));
		h[strcspn(h, "]")] = '\0';
	}
	if (getaddrinfo(h, "9", &hints, &ai) != 0 || !ai)
		return -ENOENT;
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	if (r < 0)
		return r;
	*family = ss.ss_family;
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, ip, (socklen_t)len);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, ip, (socklen_t)len);
	return 0;
}

bool sc_peer_remote_ok(const char *path)
{
	if (!*path || *path == '-' || strlen(path) > 1024)
		return false;
	for (const char *c = path; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      strchr("/._+-", *c)))
			return false;
	return true;
}

int sc_peer_ssh_argv(const char *ssh, const char *dest, const char *port, const struct sc_ssh_opts *o,
		     const char **argv, size_t max)
{
	const char *head[] = {ssh, "-T", "-e", "none", "-o", "BatchMode=yes"};
	const char *tail[] = {"--", dest, o && o->remote ? o->remote : "sockcmp", "serve", "--stdio"};
	size_t n = 0, need = 6 + 5 + 1 + (port[0] ? 2 : 0) + (o ? (o->config ? 2 : 0) + 2 * o->noption : 0);

	if (need > max || (o && o->noption > SC_SSH_MAX_OPTS))
		return -E2BIG;
	for (size_t i = 0; i < 6; i++)
		argv[n++] = head[i];
	if (o && o->config) {
		argv[n++] = "-F";
		argv[n++] = o->config;
	}
	for (size_t i = 0; o && i < o->noption; i++) {
		argv[n++] = "-o";
		argv[n++] = o->option[i];
	}
	if (port[0]) {
		argv[n++] = "-p";
		argv[n++] = port;
	}
	for (size_t i = 0; i < 5; i++)
		argv[n++] = tail[i];
	argv[n] = NULL;
	return (int)n;
}

/* Starts `ssh [OPTIONS] [-p PORT] -- DEST sockcmp serve --stdio` (ssh:
 * $SOCKCMP_SSH or ssh on PATH) on a socket pair, and hands it a fresh key
 * on its stdin. Returns 0 or -errno with err set. */
static int ssh_open(struct sc_peer *p, const char *spec, const struct sc_ssh_opts *o,
		    uint8_t key[SC_SIPHASH_KEY_LEN], char *err, size_t errlen)
{
	char dest[256], port[8], hex[SC_WIRE_KEY_HEX + 2];
	const char *ssh = getenv("SOCKCMP_SSH");
	const char *argv[16 + 2 * SC_SSH_MAX_OPTS];
	struct sc_wire_key k;
	int sv[2], r;

	if (sc_peer_ssh_spec(spec, dest, sizeof(dest), port, sizeof(port)) < 0) {
		snprintf(err, errlen, "--peer '%s': expected ssh://[USER@]HOST[:PORT]", spec);
		return -EINVAL;
	}
	if (o && o->remote && !sc_peer_remote_ok(o->remote)) {
		snprintf(err, errlen, "--remote-sockcmp '%.200s': letters, digits and / . _ + - only, not first a '-' "
			 "(the remote shell reads it)", o->remote);
		return -EINVAL;
	}
	if (sc_peer_ssh_argv(ssh && *ssh ? ssh : "ssh", dest, port, o, argv, sizeof(argv) / sizeof(argv[0])) < 0) {
		snprintf(err, errlen, "too many ssh options (at most %d)", SC_SSH_MAX_OPTS);
		return -EINVAL;
	}
	if (route_to(dest, p->local_ip, sizeof(p->local_ip), &p->family) < 0) {
		snprintf(err, errlen, "--peer %s: cannot resolve or route to the host", spec);
		return -ENOENT;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	p->ssh_pid = fork();
	if (p->ssh_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		dup2(sv[1], 0);
		dup2(sv[1], 1);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "sockcmp: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	r = p->ssh_pid < 0 ? -errno : 0;
	close(sv[1]);
	p->fd = sv[0];
	if (r < 0) {
		snprintf(err, errlen, "cannot start ssh: %s", strerror(-r));
		return r;
	}
	if (sc_wire_key_new(&k) < 0) {
		snprintf(err, errlen, "cannot make a key: %s", strerror(errno));
		return -EIO;
	}
	memcpy(key, k.k, sizeof(k.k));
	sc_wire_key_format(&k, hex);
	strcat(hex, "\n");
	r = write(p->fd, hex, strlen(hex)) == (ssize_t)strlen(hex) ? 0 : -EPIPE;
	memset(hex, 0, sizeof(hex));
	memset(&k, 0, sizeof(k));
	if (r < 0)
		snprintf(err, errlen, "peer %s: ssh ended at once", spec);
	return r;
}

/* Reaps ssh (killed if it has not ended within 2 s). Returns its exit
 * status (0 to 255), or -1 if it was killed or there was none. */
static int ssh_end(struct sc_peer *p)
{
	uint64_t until = sc_mono_ns() + 2 * SC_NS_PER_S;
	int st = 0;
	pid_t r;

	if (p->ssh_pid <= 0)
		return -1;
	while ((r = waitpid(p->ssh_pid, &st, WNOHANG)) == 0) {
		if (sc_mono_ns() >= until) {
			kill(p->ssh_pid, SIGKILL);
			waitpid(p->ssh_pid, NULL, 0);
			break;
		}
		sc_sleep_ns(10 * SC_NS_PER_MS, NULL);
	}
	p->ssh_pid = 0;
	return r > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static struct sc_peer *open_ssh(const char *spec, const struct sc_ssh_opts *o, const volatile sig_atomic_t *stop,
				int *code, char *err, size_t errlen)
{
	struct sc_peer *p = calloc(1, sizeof(*p));
	uint8_t key[SC_SIPHASH_KEY_LEN];
	int r;

	*code = 1;
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->fd = -1;
	p->stop = stop;
	snprintf(p->name, sizeof(p->name), "%.280s", spec);
	r = ssh_open(p, spec, o, key, err, errlen);
	if (r == -EINVAL)
		*code = 2;
	if (r == 0 && handshake(p, key, err, errlen) == 0) {
		memset(key, 0, sizeof(key));
		*code = 0;
		return p;
	}
	memset(key, 0, sizeof(key));
	if (p->fd >= 0)
		close(p->fd);
	r = ssh_end(p);
	/* ssh printed why on our stderr (host key, refused key, no route) */
	if (r > 0)
		snprintf(err + strlen(err), errlen - strlen(err), " (ssh exited with status %d; its message is above)",
			 r);
	free(p);
	return NULL;
}

struct sc_peer *sc_peer_open(const char *spec, const uint8_t key[SC_SIPHASH_KEY_LEN],
			     const struct sc_ssh_opts *ssh, const volatile sig_atomic_t *stop, int *code, char *err, size_t errlen)
{
	struct sc_peer *p = NULL;
	struct sc_endpoint ep;
	struct sc_deadline dl = {sc_mono_ns() + STEP_NS, stop};
	char hp[320], why[256];
	int r = sc_peer_spec(spec, hp, sizeof(hp));

	*code = 2;
	if (r == -ENOTSUP)
		return open_ssh(spec, ssh, stop, code, err, errlen);
	if (r < 0 || sc_endpoint_parse(hp, SOCK_STREAM, 0, &ep, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "--peer '%s': expected HOST, HOST:PORT or [IPV6]:PORT%s%s", spec,
			 r < 0 ? "" : ": ", r < 0 ? "" : why);
		return NULL;
	}
	*code = 1;
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->stop = stop;
	snprintf(p->name, sizeof(p->name), "%.280s", hp);
	p->fd = sc_sock_connect(sc_transport_find(ep.family == AF_INET6 ? "tcp6" : "tcp"), &ep, &dl, why,
				sizeof(why));
	if (p->fd < 0) {
		snprintf(err, errlen, "peer %s: cannot connect: %s (is 'sockcmp serve' running there?)", hp,
			 why[0] ? why : strerror(-p->fd));
		free(p);
		return NULL;
	}
	sc_ctl_nodelay(p->fd);
	if (handshake(p, key, err, errlen) < 0 || local_ip(p) < 0) {
		if (!err[0])
			snprintf(err, errlen, "peer %s: %s", hp, strerror(errno));
		close(p->fd);
		free(p);
		return NULL;
	}
	*code = 0;
	return p;
}

int sc_peer_clock(struct sc_peer *p, int rounds, char *err, size_t errlen)
{
	for (int i = 0; i < rounds; i++) {
		struct sc_ctl_time t;
		uint8_t t1[8];
		int64_t off, delay;
		long n;
		int r;

		t.t1 = sc_real_ns();
		sc_be_put64(t1, t.t1);
		r = sc_ctl_send(p->fd, &p->s, SC_CTL_T_TIME, t1, sizeof(t1), step(), p->stop);
		if (r < 0) {
			snprintf(err, errlen, "peer %s: %s", p->name, sc_ctl_strerror(r));
			return r;
		}
		n = expect(p, SC_CTL_T_TIME_REPLY, step(), err, errlen);
		t.t4 = sc_real_ns();
		if (n < 0)
			return (int)n;
		if (n != 24 || sc_be_get64(p->buf) != t.t1) {
			snprintf(err, errlen, "peer %s: malformed time reply", p->name);
			return -EPROTO;
		}
		t.t2 = sc_be_get64(p->buf + 8);
		t.t3 = sc_be_get64(p->buf + 16);
		sc_ctl_time_eval(&t, &off, &delay);
		if (delay < 0)
			delay = 0;
		if (!p->have_clock || delay < p->delay_ns) {
			p->offset_ns = off;
			p->delay_ns = delay;
			p->have_clock = true;
		}
	}
	return 0;
}

int sc_peer_start(struct sc_peer *p, struct sc_ctl_start *s, char *addr, size_t addrlen, uint64_t deadline,
		  char *err, size_t errlen)
{
	uint8_t req[SC_CTL_S_MAX_LEN];
	long n;
	int r;

	sc_ctl_mask_key(&p->s, p->starts++, s->key);
	n = sc_ctl_start_encode(s, req);
	memset(s->key, 0, sizeof(s->key));
	if (n < 0) {
		snprintf(err, errlen, "too many send operations for a remote role");
		return -EINVAL;
	}
	r = sc_ctl_send(p->fd, &p->s, SC_CTL_T_START, req, (size_t)n, step(), p->stop);
	if (r < 0) {
		snprintf(err, errlen, "lost the peer %s: %s", p->name, sc_ctl_strerror(r));
		return r;
	}
	n = expect(p, SC_CTL_T_LISTENING, deadline, err, errlen);
	if (n == -EPERM)
		return -EINVAL;
	if (n < 0) {
		if (n != -EPROTO)
			snprintf(err, errlen, "lost the peer %s: %s", p->name, sc_ctl_strerror(n));
		return (int)n;
	}
	if ((size_t)n >= addrlen || memchr(p->buf, 0, (size_t)n)) {
		snprintf(err, errlen, "peer %s: malformed address", p->name);
		return -EPROTO;
	}
	memcpy(addr, p->buf, (size_t)n);
	addr[n] = '\0';
	return 0;
}

/* Opens PREFIX-kind.csv in our private temp dir, exclusively. */
static int open_result(const char *prefix, int kind)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", prefix, sc_ctl_file_suffix[kind]);
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
}

static void close_all(int *fd)
{
	for (int k = 0; k < SC_CTL_F_N; k++)
		if (fd[k] >= 0)
			close(fd[k]);
}

int sc_peer_finish(struct sc_peer *p, const char *prefix, const char *err_path, int *code,
		   uint64_t deadline, char *err, size_t errlen)
{
	int fd[SC_CTL_F_N], r = 0;
	uint64_t got[SC_CTL_F_N] = {0};

	for (int k = 0; k < SC_CTL_F_N; k++)
		fd[k] = -1;

	for (;;) {
		uint8_t type;
		long n = sc_ctl_recv(p->fd, &p->s, &type, p->buf, deadline, p->stop);

		if (n < 0) {
			snprintf(err, errlen, "lost the peer %s: %s", p->name, sc_ctl_strerror(n));
			r = (int)n;
			break;
		}
		if (type == SC_CTL_T_FILE && n >= 1 && p->buf[0] < SC_CTL_F_N) {
			int k = p->buf[0];

			got[k] += (uint64_t)n - 1;
			if (got[k] > MAX_FILE) {
				snprintf(err, errlen, "peer %s: a result file over 1 GiB", p->name);
				r = -EFBIG;
				break;
			}
			if (fd[k] < 0 && (fd[k] = open_result(prefix, k)) < 0) {
				snprintf(err, errlen, "%s: %s", prefix, strerror(errno));
				r = -errno;
				break;
			}
			if (write(fd[k], p->buf + 1, (size_t)n - 1) != n - 1) {
				snprintf(err, errlen, "%s: cannot write: %s", prefix, strerror(errno));
				r = -EIO;
				break;
			}
		} else if (type == SC_CTL_T_DONE && n >= 4) {
			int ef = open(err_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

			*code = (int)sc_be_get32(p->buf);
			if (ef >= 0) {
				if (write(ef, p->buf + 4, (size_t)n - 4) < 0 || write(ef, "\n", 1) < 0)
					r = 0; /* only a failure message's detail is lost */
				close(ef);
			}
			break;
		} else {
			snprintf(err, errlen, "peer %s: unexpected frame type %u while collecting results", p->name, type);
			r = -EPROTO;
			break;
		}
	}
	close_all(fd);
	return r;
}

void sc_peer_close(struct sc_peer *p)
{
	if (!p)
		return;
	if (p->fd >= 0) {
		sc_ctl_send(p->fd, &p->s, SC_CTL_T_BYE, NULL, 0, sc_mono_ns() + SC_NS_PER_S, NULL);
		close(p->fd);
	}
	ssh_end(p);
	memset(&p->s, 0, sizeof(p->s));
	free(p);
}
