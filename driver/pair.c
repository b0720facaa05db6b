/* pair.c - one server/client pairing in a private namespace (pair.h). */
#include "pair.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "num.h"
#include "privns.h"
#include "spawn.h"

#define MAX_ARGS 32

/* SIGTERM/SIGINT from the driver: end our programs before we go. */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int sc_pair_listening(unsigned port)
{
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	char line[512];
	int found = 0;

	for (size_t i = 0; i < 2 && !found; i++) {
		FILE *f = fopen(files[i], "re");

		if (!f)
			continue;
		/* "sl local_address rem_address st ...": the local port is the
		 * hex after the address's colon; state 0A is LISTEN. */
		while (!found && fgets(line, sizeof(line), f)) {
			unsigned p, st;

			if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &p, &st) == 2)
				found = p == port && st == 0x0A;
		}
		fclose(f);
	}
	return found;
}

/* Ends whatever our programs left behind: with PR_SET_CHILD_SUBREAPER,
 * a finished server's own children (the fork server's, one per client)
 * are re-parented to us, so every process whose parent we are was started
 * by us or by our programs. Each is ended by its PID and reaped. */
static void end_leftovers(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t me = getpid();

	while (d && (de = readdir(d))) {
		char path[300], buf[512], *rp;
		FILE *f;
		int ppid;
		pid_t pid = (pid_t)atoi(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		rp = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		/* "pid (comm) state ppid ...": comm may hold anything but
		 * the last ')' ends it. */
		if (rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 && ppid == me) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
	}
	if (d)
		closedir(d);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Points this process's stdout at path (created or truncated), so that the
 * next program started inherits it. Returns 0 or -errno. */
static int stdout_to(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	int r = 0;

	if (fd < 0)
		return -errno;
	fflush(stdout);
	if (dup2(fd, 1) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* The port the fork server printed in DIR/server.out, or 0. */
static unsigned printed_port(const char *path)
{
	char buf[4096], *p;
	uint64_t v;
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, "port number: ");
	if (!p)
		return 0;
	p += strlen("port number: ");
	p[strspn(p, "0123456789")] = '\0';
	return sc_str_u64(p, 1, 65535, &v) == 0 ? (unsigned)v : 0;
}

int sc_pair_main(int argc, char **argv)
{
	char *srv[MAX_ARGS + 1], *cli[MAX_ARGS + 1], path[4096], err[256], portbuf[16];
	struct sc_child s = {.pid = 0}, c = {.pid = 0};
	const char *dir, *portarg;
	int ns = 0, nc = 0, i, out, srv_rc = -1, cli_rc = -1;
	unsigned port = 0;
	uint64_t v, until;

	if (argc < 5) {
		fprintf(stderr, "usage: sockcmp __pair DIR PORT|print SERVER... -- CLIENT...\n");
		return 2;
	}
	dir = argv[1];
	portarg = argv[2];
	for (i = 3; i < argc && strcmp(argv[i], "--") && ns < MAX_ARGS; i++)
		srv[ns++] = argv[i];
	for (i++; i < argc && nc < MAX_ARGS; i++)
		cli[nc++] = argv[i];
	srv[ns] = cli[nc] = NULL;
	if (!ns || !nc) {
		fprintf(stderr, "sockcmp __pair: a server and a client are needed\n");
		return 2;
	}
	if (strcmp(portarg, "print") && sc_str_u64(portarg, 1, 65535, &v) == 0)
		port = (unsigned)v;
	else if (strcmp(portarg, "print")) {
		fprintf(stderr, "sockcmp __pair: bad port '%s'\n", portarg);
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	out = dup(1); /* our own report goes to the real stdout */
	if (out < 0 || sc_privns_enter(err, sizeof(err)) < 0) {
		dprintf(out < 0 ? 1 : out, "skip %s\n", out < 0 ? "no stdout" : err);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/server.out", dir);
	if (stdout_to(path) < 0)
		goto report;
	snprintf(path, sizeof(path), "%s/server.err", dir);
	if (sc_spawn(&s, srv, 0, path, NULL) < 0)
		goto report;
	/* Until it listens: the client would be refused (the lecture's
	 * client does not even check). */
	until = sc_mono_ns() + 5 * SC_NS_PER_S;
	for (;;) {
		if (!port) {
			snprintf(path, sizeof(path), "%s/server.out", dir);
			port = printed_port(path);
		}
		if (port && sc_pair_listening(port))
			break;
		if (stop)
			goto report;
		if (sc_child_wait(&s, 1, 0, NULL) == 0 || sc_mono_ns() > until)
			break; /* it died, or it never listened: the client runs anyway */
		sc_sleep_ns(5 * SC_NS_PER_MS, NULL);
	}
	snprintf(portbuf, sizeof(portbuf), "%u", port);
	for (i = 0; i < nc; i++)
		if (!strcmp(cli[i], "PORT"))
			cli[i] = portbuf;
		else if (strstr(cli[i], ":PORT")) {
			static char addr[64];

			snprintf(addr, sizeof(addr), "%.*s:%u", (int)(strstr(cli[i], ":PORT") - cli[i]), cli[i], port);
			cli[i] = addr;
		}
	snprintf(path, sizeof(path), "%s/client.out", dir);
	if (stdout_to(path) < 0)
		goto report;
	snprintf(path, sizeof(path), "%s/client.err", dir);
	if (sc_spawn(&c, cli, 0, path, NULL) < 0)
		goto report;
	if (sc_child_wait(&c, 1, sc_mono_ns() + 10 * SC_NS_PER_S, &stop) < 0)
		sc_child_end(&c, 1, 200 * SC_NS_PER_MS);
	cli_rc = sc_child_code(&c);
	/* The simple servers end after one client; the fork server never
	 * does: give its child a moment to print, then end it. */
	if (sc_child_wait(&s, 1, sc_mono_ns() + (strcmp(portarg, "print") ? 2000 : 300) * SC_NS_PER_MS,
			  &stop) < 0) {
		sc_child_end(&s, 1, 500 * SC_NS_PER_MS);
		srv_rc = -2; /* still running: ended by us */
	} else {
		srv_rc = sc_child_code(&s);
	}
report:
	if (s.pid && !s.done)
		sc_child_end(&s, 1, 200 * SC_NS_PER_MS);
	if (c.pid && !c.done)
		sc_child_end(&c, 1, 200 * SC_NS_PER_MS);
	end_leftovers();
	dprintf(out, "%d %d %u\n", srv_rc, cli_rc, port);
	close(out);
	return 0;
}
