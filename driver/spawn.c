/* spawn.c - the process runner: start, watch, end, reap (see spawn.h).
 *
 * Starting is a handshake over a close-on-exec pipe: the child sets up its
 * group and PR_SET_PDEATHSIG, says "ready", and waits for "go"; the parent
 * tells the watchdog about the child's group and says "go"; the child then
 * joins its namespace, arranges its fds and execs. If anything fails the
 * child writes the errno into the pipe and exits; a successful exec closes
 * the pipe. So the caller learns the real errno, and the watchdog knows
 * every group before anything in it can run. If the parent dies before
 * "go", the child reads end-of-file and exits. */
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "watch.h"

extern char **environ;

#define GONE_NS (2 * SC_NS_PER_S) /* SIGKILL to an empty group, at most */

/* Steps of the child's set-up, reported with the errno on failure. */
enum { STEP_READY = 1, STEP_FAIL = 2 };

/* The children alive right now (copies: the callers' structs may be
 * gone by the time sc_spawn_end_all runs); only a handful at any time. */
#define MAX_LIVE 32
static struct {
	pid_t pid, pgid;
} live[MAX_LIVE];

static void track(const struct sc_child *c)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (!live[i].pid) {
			live[i].pid = c->pid;
			live[i].pgid = c->pgid;
			return;
		}
}

static void untrack(const struct sc_child *c)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i].pid == c->pid)
			live[i].pid = 0;
}

/* read(2) that retries EINTR and short reads; returns bytes read (less
 * than n only at end of file) or -1. */
static ssize_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* In the child: reports errno e on fd and exits. Async-signal-safe. */
static _Noreturn void child_fail(int fd, int e)
{
	int msg[2] = {STEP_FAIL, e};

	(void)!write(fd, msg, sizeof(msg));
	_exit(127);
}

/* In the child: marks every fd >= from close-on-exec. */
static void cloexec_from(int from)
{
#if defined(SYS_close_range) && defined(CLOSE_RANGE_CLOEXEC)
	if (syscall(SYS_close_range, (unsigned)from, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	{
		struct rlimit rl;
		int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;

		for (int fd = from; fd < max; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
}

/* The child's side; only async-signal-safe calls. src[i] becomes fd i. */
static _Noreturn void child(const struct sc_spawn_opts *o, pid_t parent, int rep, int go, int go_w,
			    const int *src, int nsrc, int nsfd)
{
	int ready[2] = {STEP_READY, 0}, copy[3 + SC_SPAWN_MAX_EXTRA];
	struct sigaction dfl;
	sigset_t none;
	char byte;

	/* Only the parent may hold the write end of "go": then its death
	 * is an end-of-file here. */
	close(go_w);
	/* Keep the report pipe clear of the fd numbers being set up. */
	rep = fcntl(rep, F_DUPFD_CLOEXEC, nsrc);
	if (rep < 0)
		_exit(127);
	if (o->session ? setsid() < 0 : o->group ? setpgid(0, 0) < 0 : 0)
		child_fail(rep, errno);
	if (prctl(PR_SET_PDEATHSIG, o->deathsig ? o->deathsig : SIGKILL) != 0)
		child_fail(rep, errno);
	if (getppid() != parent) /* the parent died before prctl */
		_exit(127);
	if (o->no_core) {
		const struct rlimit zero = {0, 0};

		setrlimit(RLIMIT_CORE, &zero);
	}
	if (write(rep, ready, sizeof(ready)) != (ssize_t)sizeof(ready) || read(go, &byte, 1) != 1)
		_exit(127); /* the parent is gone, or gave up */
	if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) != 0)
		child_fail(rep, errno);
	if (o->new_netns && unshare(CLONE_NEWNET) != 0)
		child_fail(rep, errno);
	/* Move every source above the target numbers first, so a source
	 * that is itself a small number is not overwritten before use. */
	for (int i = 0; i < nsrc; i++) {
		copy[i] = fcntl(src[i], F_DUPFD_CLOEXEC, nsrc);
		if (copy[i] < 0)
			child_fail(rep, errno);
	}
	for (int i = 0; i < nsrc; i++)
		if (dup2(copy[i], i) < 0)
			child_fail(rep, errno);
	cloexec_from(nsrc);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL); /* EINVAL for SIGKILL, SIGSTOP and glibc's own: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(o->argv[0], o->argv, o->envp ? o->envp : environ);
	child_fail(rep, errno);
}

/* Opens what the child's streams need, in the parent, so failures are
 * ordinary errors here. Fills src[0..2] (-1 = keep our own fd of that
 * number) and the fds to close afterwards in own[]. Returns 0 or -errno. */
static int open_streams(const struct sc_spawn_opts *o, int src[3], int own[4], int pipe_fds[2])
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	own[0] = null;
	if (null < 0)
		return -errno;
	src[0] = null;
	switch (o->out) {
	case SC_STREAM_INHERIT: src[1] = 1; break;
	case SC_STREAM_NULL: src[1] = null; break;
	case SC_STREAM_FD: src[1] = o->out_fd; break;
	case SC_STREAM_PIPE:
		if (pipe2(pipe_fds, O_CLOEXEC) != 0)
			return -errno;
		src[1] = pipe_fds[1];
		break;
	default: return -EINVAL;
	}
	switch (o->err) {
	case SC_STREAM_INHERIT: src[2] = 2; break;
	case SC_STREAM_NULL: src[2] = null; break;
	case SC_STREAM_FD: src[2] = o->err_fd; break;
	case SC_STREAM_STDOUT: src[2] = src[1]; break;
	case SC_STREAM_FILE:
		if (!o->err_path)
			return -EINVAL;
		own[1] = open(o->err_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (own[1] < 0)
			return -errno;
		src[2] = own[1];
		break;
	default: return -EINVAL;
	}
	return 0;
}

int sc_child_start(struct sc_child *c, const struct sc_spawn_opts *o)
{
	int src[3 + SC_SPAWN_MAX_EXTRA], own[4] = {-1, -1, -1, -1}, outp[2] = {-1, -1}, rep[2] = {-1, -1};
	int go[2] = {-1, -1}, nsfd = -1, msg[2], r, e;
	sigset_t all, old;
	pid_t parent = getpid();
	ssize_t n;

	memset(c, 0, sizeof(*c));
	c->out_fd = c->pidfd = -1;
	if (!o->argv || !o->argv[0] || o->argv[0][0] != '/' || o->nextra < 0 || o->nextra > SC_SPAWN_MAX_EXTRA ||
	    o->out == SC_STREAM_FILE || o->out == SC_STREAM_STDOUT || o->err == SC_STREAM_PIPE)
		return -EINVAL;
	r = open_streams(o, src, own, outp);
	for (int i = 0; i < o->nextra && r == 0; i++)
		src[3 + i] = o->extra[i];
	if (r == 0 && o->netns && (nsfd = open(o->netns, O_RDONLY | O_CLOEXEC)) < 0)
		r = -errno;
	if (r == 0 && (pipe2(rep, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0))
		r = -errno;
	if (r < 0)
		goto out;

	/* No handler of ours may run in the child before it resets them. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	c->pid = fork();
	if (c->pid == 0)
		child(o, parent, rep[1], go[0], go[1], src, 3 + o->nextra, nsfd);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (c->pid < 0) {
		r = -e;
		c->pid = 0;
		goto out;
	}
	close(rep[1]);
	rep[1] = -1;
	close(go[0]);
	go[0] = -1;
	if (o->group && !o->session)
		setpgid(c->pid, c->pid); /* also here: no window where it has none */
	c->pgid = o->group || o->session ? c->pid : 0;
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	n = read_full(rep[0], msg, sizeof(msg));
	if (n == (ssize_t)sizeof(msg) && msg[0] == STEP_READY) {
		sc_watch_child(c->pid, c->pgid, true);
		while (write(go[1], "g", 1) < 0 && errno == EINTR)
			;
		n = read_full(rep[0], msg, sizeof(msg));
		if (n == 0)
			r = 0; /* exec closed the pipe */
		else
			r = n == (ssize_t)sizeof(msg) && msg[0] == STEP_FAIL && msg[1] > 0 ? -msg[1] : -ECHILD;
	} else {
		r = n == (ssize_t)sizeof(msg) && msg[0] == STEP_FAIL && msg[1] > 0 ? -msg[1] : -ECHILD;
	}
	if (r < 0) {
		c->exited = false;
		sc_child_signal(c, SIGKILL);
		sc_child_reap(c);
		memset(c, 0, sizeof(*c));
		c->out_fd = c->pidfd = -1;
		goto out;
	}
	if (o->out == SC_STREAM_PIPE) {
		c->out_fd = outp[0];
		outp[0] = -1;
	}
	track(c);
out:
	e = errno;
	for (int i = 0; i < 4; i++)
		if (own[i] >= 0)
			close(own[i]);
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (rep[i] >= 0)
			close(rep[i]);
		if (go[i] >= 0)
			close(go[i]);
	}
	if (nsfd >= 0)
		close(nsfd);
	errno = e;
	return r;
}

int sc_spawn(struct sc_child *c, char *const argv[], int want_out, const char *err_path,
	     const char *netns)
{
	struct sc_spawn_opts o = {
		.argv = argv,
		.netns = netns,
		.out = want_out ? SC_STREAM_PIPE : SC_STREAM_INHERIT,
		.err = err_path ? SC_STREAM_FILE : SC_STREAM_INHERIT,
		.err_path = err_path,
		.group = true,
	};

	return sc_child_start(c, &o);
}

int sc_child_line(struct sc_child *c, char *buf, size_t len, uint64_t deadline,
		  const volatile sig_atomic_t *stop)
{
	size_t used = 0;

	if (len == 0 || c->out_fd < 0)
		return -EPIPE;
	while (used + 1 < len) {
		struct pollfd p = {.fd = c->out_fd, .events = POLLIN};
		uint64_t now = sc_mono_ns();
		ssize_t n;
		int k;

		if (stop && *stop)
			return -EINTR;
		if (now >= deadline)
			return -ETIMEDOUT;
		k = poll(&p, 1, (int)((deadline - now) / SC_NS_PER_MS) + 1);
		if (k <= 0)
			continue; /* timeout: the deadline check says so; EINTR: look at stop */
		n = read(c->out_fd, buf + used, 1);
		if (n == 0)
			return -EPIPE;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -EIO;
		if (buf[used] == '\n')
			break;
		used++;
	}
	buf[used] = '\0';
	return (int)used;
}

bool sc_child_exited(struct sc_child *c)
{
	siginfo_t si;

	if (c->done || c->exited || !c->pid)
		return true;
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0)
			break;
		if (errno == EINTR)
			continue;
		/* ECHILD: someone else reaped it (a caller's SIGCHLD handler). */
		c->exited = c->done = true;
		c->status = 0;
		sc_watch_child(c->pid, c->pgid, false);
		untrack(c);
		return true;
	}
	c->exited = si.si_pid == c->pid;
	return c->exited;
}

void sc_child_signal(struct sc_child *c, int sig)
{
	if (c->done || !c->pid)
		return;
	if (c->pgid)
		kill(-c->pgid, sig);
	/* The child itself too: one that has not reached setpgid() yet is
	 * in no group of its own. */
	kill(c->pid, sig);
}

void sc_child_err_line(const char *path, char *buf, size_t len)
{
	char text[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t size, from;
	ssize_t n;
	size_t end, start;

	if (len)
		buf[0] = '\0';
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	from = size > (off_t)sizeof(text) ? size - (off_t)sizeof(text) : 0;
	do
		n = pread(fd, text, sizeof(text), from);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0 || !len)
		return;
	end = (size_t)n;
	while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	for (start = end; start > 0 && text[start - 1] != '\n'; start--)
		;
	snprintf(buf, len, "%.*s", (int)(end - start), text + start);
}

bool sc_group_alive(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	bool alive = false;

	while (d && !alive && (de = readdir(d))) {
		char path[300], buf[512], state, *p;
		int fd, ppid, pgrp;
		ssize_t n;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* "PID (COMM) STATE PPID PGRP ...": COMM may hold anything. */
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 && pgrp == pgid && state != 'Z' &&
		    state != 'X')
			alive = true;
	}
	if (d)
		closedir(d);
	return alive;
}

void sc_child_reap(struct sc_child *c)
{
	int st = 0;

	if (c->done || !c->pid)
		return;
	if (!sc_child_exited(c))
		sc_child_signal(c, SIGKILL);
	if (c->pgid) {
		uint64_t until = sc_mono_ns() + GONE_NS;

		kill(-c->pgid, SIGKILL);
		while (sc_group_alive(c->pgid) && sc_mono_ns() < until) {
			sc_sleep_ns(5 * SC_NS_PER_MS, NULL);
			kill(-c->pgid, SIGKILL);
		}
	}
	if (!c->done) {
		sc_watch_child(c->pid, c->pgid, false);
		while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
			;
		c->status = st;
		c->exited = c->done = true;
	}
	untrack(c);
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->out_fd = c->pidfd = -1;
}

/* Waits up to ms for one of the children to change, through their pidfds
 * (or a short sleep where there are none). */
static void wait_some(struct sc_child *cs, int n, int ms)
{
	struct pollfd p[MAX_LIVE];
	int k = 0, running = 0;

	for (int i = 0; i < n; i++) {
		if (cs[i].exited || cs[i].done)
			continue;
		running++;
		if (cs[i].pidfd >= 0 && k < MAX_LIVE)
			p[k++] = (struct pollfd){.fd = cs[i].pidfd, .events = POLLIN};
	}
	if (k > 0 && k == running) {
		poll(p, (nfds_t)k, ms); /* EINTR: the caller looks again */
	} else {
		struct timespec ts = {0, (ms < 2 ? ms : 2) * 1000000L};

		nanosleep(&ts, NULL);
	}
}

int sc_child_wait(struct sc_child *cs, int n, uint64_t deadline, const volatile sig_atomic_t *stop)
{
	for (;;) {
		int left = 0;
		uint64_t now;

		for (int i = 0; i < n; i++)
			left += !sc_child_exited(&cs[i]);
		if (!left) {
			for (int i = 0; i < n; i++)
				sc_child_reap(&cs[i]);
			return 0;
		}
		if (stop && *stop)
			return -EINTR;
		now = sc_mono_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		/* Wake at least every 50 ms to look at stop. */
		wait_some(cs, n, deadline - now > 50 * SC_NS_PER_MS ? 50 : (int)((deadline - now) / SC_NS_PER_MS) + 1);
	}
}

void sc_child_end(struct sc_child *cs, int n, uint64_t grace_ns)
{
	bool any = false;

	for (int i = 0; i < n; i++)
		if (!sc_child_exited(&cs[i])) {
			sc_child_signal(&cs[i], SIGTERM);
			any = true;
		}
	if (any)
		sc_child_wait(cs, n, sc_mono_ns() + grace_ns, NULL);
	for (int i = 0; i < n; i++)
		sc_child_reap(&cs[i]); /* SIGKILL to what is left */
}

void sc_spawn_end_all(void)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i].pid) {
			struct sc_child c = {.pid = live[i].pid, .pgid = live[i].pgid, .out_fd = -1, .pidfd = -1};

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
