/* uml.c - boot, run, power off, and never leave a guest behind.
 *
 * linux.uml is started by the process runner (spawn.h) in a session of its
 * own, so its process group is its PID, and every helper it forks and
 * every guest process (a host process it ptraces) stays in that group.
 * Killing linux.uml alone is not enough: measured, its two I/O helpers
 * then poll forever. So:
 *  - on a timeout or an abort, SIGTERM to linux.uml, which ends its guest
 *    and helpers itself (about 0.1 s, measured), then after GRACE_NS
 *    SIGKILL to whatever is left of the group;
 *  - on every path, SIGKILL to the group and a wait until /proc shows no
 *    live process in it, and only then is linux.uml reaped, so the group's
 *    ID cannot be reused while we still signal it (sc_child_reap);
 *  - if this process dies first (even by SIGKILL), PR_SET_PDEATHSIG gives
 *    linux.uml SIGTERM, and the watchdog (watch.h), which knew the group
 *    before linux.uml could exec, SIGKILLs the whole group and removes the
 *    guest's directory.
 *
 * The guest's consoles write into pipes that this process relays to their
 * destinations: linux.uml makes its console fds O_NONBLOCK and O_ASYNC,
 * which on an inherited stdout would change the caller's (and every other
 * sharer's) open file. Each console also needs an fd number of its own: two
 * UML lines on one host fd make the second open in the guest fail with
 * EALREADY (measured: the command's stderr silently went to the console). */
#include "uml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "num.h"
#include "spawn.h"
#include "watch.h"

#define MODULES "/usr/lib/uml/modules"
#define REMEDY "install the Debian package user-mode-linux: apt-get install user-mode-linux"
#define GRACE_NS (500 * SC_NS_PER_MS) /* SIGTERM to SIGKILL */
#define DRAIN_NS (1 * SC_NS_PER_S)    /* the last output, after the guest */
#define TAIL 4096                     /* console bytes kept for error messages */


extern char **environ;

static volatile sig_atomic_t aborted;

/* One stream from the guest: the read end of a pipe a console writes, and
 * where its bytes go (-1: nowhere). */
struct relay {
	int src, dst;
	size_t len, off;
	char buf[4096], lastc; /* lastc: the last byte delivered */
};

/* One boot. rl[0] carries the kernel's console (and, with out_fd set,
 * every console); its last bytes are kept in tail for error messages. */
struct guest {
	char job[PATH_MAX], umldir[PATH_MAX], init[PATH_MAX], shim[PATH_MAX], ramdir[PATH_MAX];
	bool own_job;
	struct sc_child ch; /* linux.uml */
	int nrl, wfd[3];
	struct relay rl[3];
	char tail[TAIL];
	size_t ntail;
};

void sc_uml_abort(void)
{
	aborted = 1;
}

static void __attribute__((format(printf, 3, 4))) seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* The kernel binary: Debian's, unless SOCKCMP_LINUX_UML names another
 * (the tests point it at nothing to see the "neither" message). */
static const char *linux_uml(void)
{
	const char *p = getenv("SOCKCMP_LINUX_UML");

	return p && *p ? p : "/usr/bin/linux.uml";
}

int sc_uml_available(char *why, size_t len)
{
	static const char *const need[] = {"kernel/net/sched/sch_netem.ko", "kernel/drivers/net/veth.ko"};
	struct dirent *de;
	char p[PATH_MAX];
	DIR *d;
	int found = 0;

	if (access(linux_uml(), X_OK) != 0) {
		seterr(why, len, "%s is not installed (%s)", linux_uml(), REMEDY);
		return -ENOENT;
	}
	d = opendir(MODULES);
	while (d && !found && (de = readdir(d))) {
		found = de->d_name[0] != '.';
		for (size_t i = 0; found && i < sizeof(need) / sizeof(need[0]); i++) {
			snprintf(p, sizeof(p), MODULES "/%s/%s", de->d_name, need[i]);
			found = access(p, R_OK) == 0;
		}
	}
	if (d)
		closedir(d);
	if (!found) {
		seterr(why, len, "user-mode Linux has no sch_netem and veth modules under " MODULES " (%s)", REMEDY);
		return -ENOENT;
	}
	return 0;
}

/* Returns true if path can go on the kernel command line as one word and
 * the guest sees it as the host does: its own /dev, /proc, /sys and /run
 * hide the host's. */
static bool guest_path_ok(const char *path)
{
	static const char *const hidden[] = {"/dev", "/proc", "/sys", "/run"};

	if (path[0] != '/' || strlen(path) > 1024 || strpbrk(path, " \t\n\r\"'\\"))
		return false;
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		size_t n = strlen(hidden[i]);

		if (strncmp(path, hidden[i], n) == 0 && (path[n] == '/' || !path[n]))
			return false;
	}
	return true;
}

/* Writes DIR/NAME into buf. Returns 0, or -ENAMETOOLONG if it does not
 * fit. */
static int join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Writes data into dir/name. Returns 0 or -errno. */
static int write_file(const char *dir, const char *name, const char *data, size_t n)
{
	char path[PATH_MAX + 16];
	int fd, r = 0, e;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	for (size_t done = 0; done < n && r == 0;) {
		ssize_t w = write(fd, data + done, n - done);

		if (w > 0)
			done += (size_t)w;
		else if (w < 0 && errno != EINTR)
			r = -errno;
	}
	e = close(fd) != 0 && r == 0 ? -errno : r;
	return e;
}

/* Writes the job for sc-guest-init: the argv NUL-separated in "cmd", the
 * directory in "cwd"; removes a stale "status". Returns 0 or -errno. */
static int write_job(const char *job, const struct sc_uml_opts *o)
{
	char path[PATH_MAX + 16], *cmd;
	size_t n = 0, at = 0;
	int r;

	for (int i = 0; o->argv[i]; i++)
		n += strlen(o->argv[i]) + 1;
	cmd = malloc(n);
	if (!cmd)
		return -ENOMEM;
	for (int i = 0; o->argv[i]; i++) {
		memcpy(cmd + at, o->argv[i], strlen(o->argv[i]) + 1);
		at += strlen(o->argv[i]) + 1;
	}
	r = write_file(job, "cmd", cmd, n);
	free(cmd);
	if (r == 0 && o->cwd)
		r = write_file(job, "cwd", o->cwd, strlen(o->cwd));
	snprintf(path, sizeof(path), "%s/cwd", job);
	if (r == 0 && !o->cwd && unlink(path) != 0 && errno != ENOENT)
		r = -errno;
	snprintf(path, sizeof(path), "%s/status", job);
	if (r == 0 && unlink(path) != 0 && errno != ENOENT)
		r = -errno;
	return r;
}

/* Picks where linux.uml keeps the guest's RAM (a deleted file as large as
 * mem=, in $TMPDIR, else /dev/shm): /dev/shm, a tmpfs, so the guest's
 * memory is never written back to a disk, else $TMPDIR, else /tmp; the
 * first with room for all of it, since a guest whose RAM file cannot grow
 * dies of SIGBUS. Returns 0 or -ENOSPC. */
static int pick_ramdir(unsigned mem_mb, char *dir, size_t len)
{
	const char *cand[] = {"/dev/shm", getenv("TMPDIR"), "/tmp"};
	struct statvfs sv;

	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (!cand[i] || cand[i][0] != '/' || strlen(cand[i]) >= len || access(cand[i], W_OK | X_OK) != 0 ||
		    statvfs(cand[i], &sv) != 0 || (uint64_t)sv.f_bavail * sv.f_frsize < (uint64_t)mem_mb << 20)
			continue;
		snprintf(dir, len, "%s", cand[i]);
		return 0;
	}
	return -ENOSPC;
}

/* Builds linux.uml's environment: ours, with TMPDIR naming the RAM file's
 * directory and LD_PRELOAD the shim (if any). Returns one allocation to
 * free(), or NULL. */
static char **uml_env(const char *ramdir, const char *shim)
{
	size_t n = 0, k = 0, extra = strlen(ramdir) + strlen(shim) + 32;
	char **env, *s;

	while (environ[n])
		n++;
	env = malloc((n + 3) * sizeof(*env) + extra);
	if (!env)
		return NULL;
	s = (char *)(env + n + 3);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "TMPDIR=", 7) != 0 && strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
			env[k++] = environ[i];
	env[k++] = s;
	s += snprintf(s, extra, "TMPDIR=%s", ramdir) + 1;
	if (*shim) {
		env[k++] = s;
		snprintf(s, extra - strlen(env[k - 2]) - 1, "LD_PRELOAD=%s", shim);
	}
	env[k] = NULL;
	return env;
}

/* Like write(2), but a pipe with no reader gives EPIPE without the
 * SIGPIPE that would kill this process. */
static ssize_t write_quiet(int fd, const void *buf, size_t n)
{
	const struct timespec zero = {0, 0};
	sigset_t pipe_set, old, pending;
	ssize_t w;
	int e;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	w = write(fd, buf, n);
	e = errno;
	if (w < 0 && e == EPIPE && !sigismember(&pending, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return w;
}

/* Keeps the last TAIL bytes of the console for error messages. */
static void keep_tail(struct guest *g, const char *p, size_t n)
{
	if (n >= TAIL) {
		memcpy(g->tail, p + n - TAIL, TAIL);
		g->ntail = TAIL;
		return;
	}
	if (g->ntail + n > TAIL) {
		memmove(g->tail, g->tail + (g->ntail + n - TAIL), TAIL - n);
		g->ntail = TAIL - n;
	}
	memcpy(g->tail + g->ntail, p, n);
	g->ntail += n;
}

/* Moves what is ready from the guest's pipes to their destinations,
 * waiting up to wait_ms (< 1000) for something to be. A destination that fails
 * (closed, EPIPE) is dropped, so the guest never blocks on it. Returns how
 * many streams still have a pipe open or bytes to deliver. */
static int relay_step(struct guest *g, int wait_ms)
{
	struct pollfd p[3];
	int n = 0, idx[3], busy = 0;

	for (int i = 0; i < g->nrl; i++) {
		struct relay *r = &g->rl[i];

		if (r->off < r->len)
			p[n] = (struct pollfd){.fd = r->dst, .events = POLLOUT};
		else if (r->src >= 0)
			p[n] = (struct pollfd){.fd = r->src, .events = POLLIN};
		else
			continue;
		idx[n++] = i;
	}
	if (n == 0) { /* every pipe closed: just wait */
		const struct timespec ts = {0, (long)wait_ms * 1000000L};

		nanosleep(&ts, NULL);
		return 0;
	}
	if (poll(p, (nfds_t)n, wait_ms) <= 0)
		return n;
	for (int k = 0; k < n; k++) {
		struct relay *r = &g->rl[idx[k]];
		ssize_t m;

		if (!p[k].revents) {
			busy++;
			continue;
		}
		if (r->off < r->len) {
			m = write_quiet(r->dst, r->buf + r->off, r->len - r->off);
			if (m > 0) {
				r->off += (size_t)m;
				r->lastc = r->buf[r->off - 1];
			} else if (m < 0 && errno != EINTR && errno != EAGAIN)
				r->off = r->len; /* the destination is gone */
		} else {
			m = read(r->src, r->buf, sizeof(r->buf));
			if (m > 0) {
				if (idx[k] == 0)
					keep_tail(g, r->buf, (size_t)m);
				r->off = 0;
				r->len = r->dst >= 0 ? (size_t)m : 0;
			} else if (m == 0 || (errno != EINTR && errno != EAGAIN)) {
				close(r->src);
				r->src = -1;
			}
		}
		busy += r->src >= 0 || r->off < r->len;
	}
	return busy;
}

/* Makes the pipes: rl[0] for the kernel's console (and linux.uml's own
 * stdout and stderr), and, unless out_fd gathers everything into rl[0],
 * rl[1] for the command's stderr (tty1) and rl[2] for its stdout (tty2).
 * Returns 0 or -errno. */
static int make_pipes(struct guest *g, int out_fd)
{
	int fds[2];

	g->nrl = out_fd == 0 ? 3 : 1;
	for (int i = 0; i < g->nrl; i++) {
		if (pipe2(fds, O_CLOEXEC) != 0)
			return -errno;
		g->rl[i].src = fds[0];
		g->wfd[i] = fds[1];
		if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0)
			return -errno;
	}
	g->rl[0].dst = out_fd > 0 ? out_fd : -1;
	if (out_fd == 0) {
		g->rl[1].dst = 2;
		g->rl[2].dst = 1;
	}
	return 0;
}

/* Starts linux.uml in a session of its own with fds 0 = /dev/null,
 * 1 and 2 = the console pipe, 3 = tty1's, 4 = tty2's; no core dump (a
 * panicking guest aborts linux.uml: no core of its RAM, please). Returns 0
 * or -errno. */
static int spawn(struct guest *g, char **argv, char **env)
{
	int extra[2] = {g->wfd[1] >= 0 ? g->wfd[1] : g->wfd[0], g->wfd[2] >= 0 ? g->wfd[2] : g->wfd[0]};
	struct sc_spawn_opts o = {
		.argv = argv,
		.envp = env,
		.out = SC_STREAM_FD,
		.out_fd = g->wfd[0],
		.err = SC_STREAM_FD,
		.err_fd = g->wfd[0],
		.extra = extra,
		.nextra = 2,
		.session = true,
		.no_core = true,
		.deathsig = SIGTERM, /* linux.uml then ends its guest itself */
	};

	return sc_child_start(&g->ch, &o);
}

/* Ends the guest for good, delivers its last output and reaps linux.uml
 * into *st. running: it has not exited yet and gets SIGTERM first. */
static void end_guest(struct guest *g, bool running, int *st)
{
	uint64_t until = sc_mono_ns() + GRACE_NS;

	if (running && !g->ch.done) {
		/* linux.uml alone: it ends its guest and helpers itself. */
		kill(g->ch.pid, SIGTERM);
		while (!sc_child_exited(&g->ch) && sc_mono_ns() < until)
			relay_step(g, 5);
	}
	sc_child_reap(&g->ch); /* SIGKILL to the group, wait until empty */
	until = sc_mono_ns() + DRAIN_NS;
	while (sc_mono_ns() < until && relay_step(g, 10) > 0)
		;
	/* The kernel's last words ("reboot: System halted") end without a
	 * newline; end the line for whatever is printed next. */
	if (g->nrl == 1 && g->rl[0].dst >= 0 && g->rl[0].lastc && g->rl[0].lastc != '\n')
		write_quiet(g->rl[0].dst, "\n", 1);
	*st = g->ch.status;
}

/* Describes the console's last lines into buf for a guest that ended
 * without a status: the last three that are not part of a stack dump
 * (after a kernel panic: its cause and "Kernel panic - not syncing: ..."). */
static void tail_lines(const struct guest *g, char *buf, size_t len)
{
	const char *keep[3] = {NULL, NULL, NULL};
	size_t klen[3] = {0, 0, 0}, at = 0, n = 0;

	for (size_t i = 0; i < g->ntail;) {
		const char *l = g->tail + i, *e = memchr(l, '\n', g->ntail - i);
		size_t ll = e ? (size_t)(e - l) : g->ntail - i;

		i += ll + 1;
		while (ll && l[ll - 1] == '\r')
			ll--;
		if (!ll || l[0] == ' ' || (ll >= 6 && !strncmp(l, "Stack:", 6)) ||
		    (ll >= 11 && !strncmp(l, "Call Trace:", 11)) || (ll >= 4 && !strncmp(l, "CPU:", 4)))
			continue;
		memmove(keep, keep + 1, 2 * sizeof(keep[0]));
		memmove(klen, klen + 1, 2 * sizeof(klen[0]));
		keep[2] = l;
		klen[2] = ll;
	}
	buf[0] = '\0';
	for (int k = 0; k < 3 && len > 1; k++) {
		if (!keep[k])
			continue;
		n = (size_t)snprintf(buf + at, len - at, "%s%.*s", at ? " / " : "", (int)klen[k], keep[k]);
		at = at + n < len ? at + n : len - 1;
	}
}

/* Reads the guest's verdict from JOB/status. Returns 0 with the command's
 * status in *status, or -EIO with the reason in err: init's own error, or
 * no status at all (with how linux.uml ended and the console's last lines). */
static int read_status(const struct guest *g, int st, int *status, char *err, size_t errlen)
{
	char path[PATH_MAX + 16], buf[512], last[600];
	uint64_t v;
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "%s/status", g->job);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (sc_str_u64(buf, 0, INT_MAX, &v) == 0) {
			*status = (int)v;
			return 0;
		}
		if (strncmp(buf, "init-error: ", 12) == 0) {
			seterr(err, errlen, "the guest could not run the command: %s", buf + 12);
			return -EIO;
		}
	}
	tail_lines(g, last, sizeof(last));
	seterr(err, errlen, "the guest kernel stopped without a result (%s %d)%s%s",
	       WIFSIGNALED(st) ? "signal" : "exit status", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
	       *last ? "; its console: " : "", last);
	return -EIO;
}

/* Fills in the paths of one boot and writes the job. Returns 0 or -errno
 * with the reason in err. */
static int prepare(struct guest *g, const struct sc_uml_opts *o, char *err, size_t errlen)
{
	char want[PATH_MAX];
	int r;

	if (access(linux_uml(), X_OK) != 0) {
		r = -errno;
		seterr(err, errlen, "cannot run %s: %s (%s)", linux_uml(), strerror(-r), REMEDY);
		return r;
	}
	if (o->init_path)
		r = snprintf(want, sizeof(want), "%s", o->init_path) >= (int)sizeof(want) ? -ENAMETOOLONG : 0;
	else
		r = o->bin_dir ? join(want, sizeof(want), o->bin_dir, "sc-guest-init") : -EINVAL;
	if (r == 0 && (!realpath(want, g->init) || access(g->init, X_OK) != 0))
		r = -errno;
	if (r < 0) {
		seterr(err, errlen, "cannot run the guest's init %s: %s", r == -EINVAL ? "(no bin_dir)" : want,
		       strerror(-r));
		return r;
	}
	if (!guest_path_ok(g->init) || (o->cwd && !guest_path_ok(o->cwd))) {
		seterr(err, errlen, "the guest needs absolute paths outside /dev, /proc, /sys and /run, without "
				    "blanks or quotes (init %s, cwd %s)", g->init, o->cwd ? o->cwd : "/");
		return -EINVAL;
	}
	/* The ptrace shim (see uml_shim.c), in bin_dir or else beside init,
	 * where there is one. */
	if (o->bin_dir)
		r = join(g->shim, sizeof(g->shim), o->bin_dir, "libsc-umlshim.so");
	else
		r = snprintf(g->shim, sizeof(g->shim), "%.*slibsc-umlshim.so",
			     (int)(strrchr(g->init, '/') - g->init + 1), g->init) >= (int)sizeof(g->shim);
	if (r != 0 || access(g->shim, R_OK) != 0)
		g->shim[0] = '\0';
	if (pick_ramdir(o->mem_mb, g->ramdir, sizeof(g->ramdir)) != 0) {
		seterr(err, errlen, "no room for the guest's %u MB of memory in /dev/shm, $TMPDIR or /tmp", o->mem_mb);
		return -ENOSPC;
	}
	r = sc_watch_mkdtemp(g->umldir, sizeof(g->umldir), NULL, "sc-uml", 200);
	if (r < 0) {
		g->umldir[0] = '\0';
		seterr(err, errlen, "cannot make a directory in $TMPDIR or /tmp: %s", strerror(-r));
		return r;
	}
	g->own_job = !o->job_dir;
	if (o->job_dir) {
		if (!realpath(o->job_dir, g->job)) {
			r = -errno;
			seterr(err, errlen, "no job directory %s: %s", o->job_dir, strerror(-r));
			return r;
		}
	} else {
		r = join(g->job, sizeof(g->job), g->umldir, "job");
		if (r == 0 && mkdir(g->job, 0700) != 0)
			r = -errno;
		if (r < 0) {
			seterr(err, errlen, "cannot make %s: %s", g->job, strerror(-r));
			return r;
		}
	}
	if (!guest_path_ok(g->job)) {
		seterr(err, errlen, "the guest cannot see the job directory %s", g->job);
		return -EINVAL;
	}
	r = write_job(g->job, o);
	if (r < 0)
		seterr(err, errlen, "cannot write the job for the guest into %s: %s", g->job, strerror(-r));
	return r;
}

/* Boots and waits. Returns 0 when linux.uml ended by itself, -EINTR or
 * -ETIMEDOUT when it had to be stopped, or -errno before it started; in
 * every case the guest is gone when it returns, *st holds linux.uml's
 * wait status. */
static int boot(struct guest *g, const struct sc_uml_opts *o, int *st, char *err, size_t errlen)
{
	static unsigned seq;
	char a_mem[32], a_init[PATH_MAX + 8], a_dir[PATH_MAX + 16], a_umid[64], a_job[PATH_MAX + 16];
	char *argv[] = {(char *)linux_uml(), a_mem, "rootfstype=hostfs", "rootflags=/", "rw", a_init, "con=null",
			"ssl=null", "con0=null,fd:1", "con1=null,fd:3", "con2=null,fd:4", "pty.legacy_count=0",
			a_dir, a_umid, "quiet", a_job, NULL};
	uint64_t deadline = o->timeout_ns ? sc_mono_ns() + o->timeout_ns : UINT64_MAX;
	char **env;
	int r;

	snprintf(a_mem, sizeof(a_mem), "mem=%uM", o->mem_mb);
	snprintf(a_init, sizeof(a_init), "init=%s", g->init);
	snprintf(a_dir, sizeof(a_dir), "uml_dir=%s", g->umldir);
	snprintf(a_umid, sizeof(a_umid), "umid=sc%ld-%u", (long)getpid(), ++seq);
	snprintf(a_job, sizeof(a_job), "sockcmp_job=%s", g->job);
	env = uml_env(g->ramdir, g->shim);
	r = env ? make_pipes(g, o->out_fd) : -ENOMEM;
	if (r == 0)
		r = spawn(g, argv, env);
	free(env);
	for (int i = 0; i < 3; i++) {
		if (g->wfd[i] >= 0)
			close(g->wfd[i]);
		g->wfd[i] = -1;
	}
	if (r < 0) {
		seterr(err, errlen, "cannot start %s: %s", linux_uml(), strerror(-r));
		return r;
	}
	for (;;) {
		uint64_t now;

		relay_step(g, 10);
		if (o->tick)
			o->tick(o->tick_arg);
		if (sc_child_exited(&g->ch)) {
			end_guest(g, false, st);
			return 0;
		}
		now = sc_mono_ns();
		if (aborted || (o->stop && *o->stop))
			r = -EINTR;
		else if (now >= deadline)
			r = -ETIMEDOUT;
		else
			continue;
		end_guest(g, true, st);
		if (r == -EINTR)
			seterr(err, errlen, "interrupted; the guest kernel was stopped");
		else
			seterr(err, errlen, "the guest did not finish within %.1f s (its plan's time limit); it was stopped",
			       (double)o->timeout_ns / SC_NS_PER_S);
		return r;
	}
}

int sc_uml_run(const struct sc_uml_opts *o, int *status, char *err, size_t errlen)
{
	struct sc_uml_opts opts;
	struct guest *g;
	int r, st = 0;

	if (!o || !o->argv || !o->argv[0] || !status) {
		seterr(err, errlen, "no command for the guest");
		return -EINVAL;
	}
	opts = *o;
	if (!opts.mem_mb)
		opts.mem_mb = 256;
	if (opts.mem_mb < 64 || opts.mem_mb > 65536) {
		seterr(err, errlen, "guest memory %u MB is outside 64..65536", opts.mem_mb);
		return -EINVAL;
	}
	if (aborted) {
		aborted = 0;
		seterr(err, errlen, "interrupted before the guest started");
		return -EINTR;
	}
	g = calloc(1, sizeof(*g));
	if (!g) {
		seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (int i = 0; i < 3; i++)
		g->rl[i].src = g->rl[i].dst = g->wfd[i] = -1;

	r = prepare(g, &opts, err, errlen);
	if (r == 0)
		r = boot(g, &opts, &st, err, errlen);
	if (r == 0)
		r = read_status(g, st, status, err, errlen);
	if (r == -EINTR)
		aborted = 0;

	for (int i = 0; i < 3; i++) {
		if (g->rl[i].src >= 0)
			close(g->rl[i].src);
		if (g->wfd[i] >= 0)
			close(g->wfd[i]);
	}
	if (!g->own_job) {
		char tmp[PATH_MAX + 16];

		snprintf(tmp, sizeof(tmp), "%s/status.tmp", g->job);
		unlink(tmp);
	}
	if (g->umldir[0]) {
		sc_remove_tree(g->umldir);
		sc_watch_dir(g->umldir, false);
	}
	free(g);
	return r;
}
