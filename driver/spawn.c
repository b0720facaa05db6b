/* spawn.c - child processes by PID, with deadlines. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

/* The children alive right now; only a handful at any time. */
#define MAX_LIVE 16
static pid_t live[MAX_LIVE];

static void track(pid_t pid)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (!live[i]) {
			live[i] = pid;
			return;
		}
}

static void untrack(pid_t pid)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i] == pid)
			live[i] = 0;
}

/* In the child: join the named network namespace. Returns 0 or -errno. */
static int join_netns(const char *name)
{
	char path[256];
	int fd, r = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0)
		r = -errno;
	close(fd);
	return r;
}

int sc_spawn(struct sc_child *c, char *const argv[], int want_out, const char *err_path,
	     const char *netns)
{
	int p[2] = {-1, -1}, e;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->out_fd = -1;
	if (want_out && pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		e = errno;
		if (p[0] >= 0) {
			close(p[0]);
			close(p[1]);
		}
		return -e;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);

		/* Default dispositions: the driver's own handlers must not
		 * leak into the programs. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (in >= 0)
			dup2(in, 0);
		if (want_out)
			dup2(p[1], 1);
		if (err_path) {
			int ef = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

			if (ef >= 0)
				dup2(ef, 2);
		}
		if (netns && join_netns(netns) < 0) {
			fprintf(stderr, "cannot join network namespace %s: %s\n", netns, strerror(errno));
			_exit(126);
		}
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (want_out) {
		close(p[1]);
		c->out_fd = p[0];
	}
	c->pid = pid;
	track(pid);
	return 0;
}

int sc_child_line(struct sc_child *c, char *buf, size_t len, uint64_t deadline,
		  const volatile sig_atomic_t *stop)
{
	size_t used = 0;

	while (used + 1 < len) {
		struct pollfd p = {.fd = c->out_fd, .events = POLLIN};
		uint64_t now = sc_mono_ns();
		ssize_t n;

		if (stop && *stop)
			return -EINTR;
		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)((deadline - now) / SC_NS_PER_MS) + 1) <= 0)
			continue;
		n = read(c->out_fd, buf + used, 1);
		if (n == 0)
			return -EPIPE;
		if (n < 0)
			continue;
		if (buf[used] == '\n')
			break;
		used++;
	}
	buf[used] = '\0';
	return (int)used;
}

static void reap(struct sc_child *c, int block)
{
	int st;

	if (c->done || !c->pid)
		return;
	if (waitpid(c->pid, &st, block ? 0 : WNOHANG) == c->pid) {
		c->status = st;
		c->done = 1;
		untrack(c->pid);
		if (c->out_fd >= 0) {
			close(c->out_fd);
			c->out_fd = -1;
		}
	}
}

int sc_child_wait(struct sc_child *cs, int n, uint64_t deadline, const volatile sig_atomic_t *stop)
{
	for (;;) {
		int left = 0;

		for (int i = 0; i < n; i++) {
			reap(&cs[i], 0);
			left += !cs[i].done;
		}
		if (!left)
			return 0;
		if (stop && *stop)
			return -EINTR;
		if (sc_mono_ns() >= deadline)
			return -ETIMEDOUT;
		sc_sleep_ns(2 * SC_NS_PER_MS, NULL);
	}
}

void sc_child_end(struct sc_child *cs, int n, uint64_t grace_ns)
{
	uint64_t until;

	for (int i = 0; i < n; i++) {
		reap(&cs[i], 0);
		if (!cs[i].done && cs[i].pid > 0)
			kill(cs[i].pid, SIGTERM);
	}
	until = sc_mono_ns() + grace_ns;
	if (sc_child_wait(cs, n, until, NULL) == 0)
		return;
	for (int i = 0; i < n; i++)
		if (!cs[i].done && cs[i].pid > 0) {
			kill(cs[i].pid, SIGKILL);
			reap(&cs[i], 1);
		}
}

void sc_spawn_end_all(void)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i]) {
			struct sc_child c = {.pid = live[i], .out_fd = -1};

			sc_child_end(&c, 1, 500 * SC_NS_PER_MS);
		}
}

int sc_child_code(const struct sc_child *c)
{
	if (WIFEXITED(c->status))
		return WEXITSTATUS(c->status);
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return -1;
}
