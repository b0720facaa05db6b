/* sc-guest-init - PID 1 of the user-mode Linux guest that runs sockcmp's
 * impaired-link experiments (driver/uml.c boots it).
 *
 * It gives the guest what a normal boot would (/proc, /sys, /dev, a private
 * /run for `ip netns`), loads veth, sch_netem, sch_tbf and ifb from the UML
 * package's own module directory (not /lib/modules), makes the kernel's
 * module autoloading work through itself (see modprobe_main), brings lo up,
 * runs the one command the host wrote into the job directory (the kernel
 * passes "sockcmp_job=DIR" from its command line as an environment
 * variable), writes its exit status to DIR/status, and powers the guest off.
 *
 * The job directory holds "cmd" (the argv, each string NUL-terminated) and
 * optionally "cwd". DIR/status gets the command's status in decimal (128+N
 * for signal N), or "init-error: WHY" when the guest could not run it.
 *
 * PID 1 must never exit (the guest would panic), and power-off is
 * asynchronous, so every path, failures included, ends in power_off(). */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MODULES "/usr/lib/uml/modules"
/* What the kernel runs to load a module it needs (tc qdisc add ... htb
 * loads sch_htb): a link to this program in the guest's private /run. */
#define MODPROBE_NAME "sc-modprobe"
#define MODPROBE_LINK "/run/" MODPROBE_NAME
#define GUEST_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* UML 6.1 on a host with AMX can only save and restore the legacy x87/SSE
 * part of its processes' vector state (see uml_shim.c). Measured in the
 * guest: the first snprintf() of each new process then printed its format
 * ("%d:%s@%s") unexpanded, through glibc's AVX2/EVEX string functions; with
 * glibc held to its SSE2 versions, 0 of 20000 went wrong. So every guest
 * process, this one included, runs with these tunables. */
#define TUNABLES "glibc.cpu.hwcaps=-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-EVEX"

/* Loaded at boot: the experiments need them, and loading them here costs
 * less than one modprobe process each later. */
static const char *const preload[] = {"veth", "sch_netem", "sch_tbf", "ifb"};

static const char *job; /* the job directory, from sockcmp_job= */
static char moddir[128];

/* Opens a guest console for writing, without output processing (no
 * "\n" -> "\r\n"), so the host receives the bytes as written. Returns the
 * fd or -1. */
static int console(const char *path)
{
	struct termios t;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && tcgetattr(fd, &t) == 0) {
		t.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

/* Prints a line on tty1 (the host maps it to its stderr) or, before
 * /dev is mounted, on the kernel's console. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	static int fd = -1;
	char line[600];
	va_list ap;
	int n;

	if (fd < 0)
		fd = console("/dev/tty1");
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(fd >= 0 ? fd : 2, line, (size_t)n) < 0)
		return;
}

/* Writes text to JOB/status through a temporary name, so the host sees
 * all of it or nothing. Returns 0 or -errno. */
static int write_status(const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	size_t n = strlen(text);
	int fd, r = 0;

	if (!job)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/status", job);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) != 0)
		r = -EIO;
	close(fd);
	if (r == 0 && rename(tmp, path) != 0)
		r = -errno;
	return r;
}

static void __attribute__((noreturn)) power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* Reports a failure of the guest's own setup on the console and in the
 * status file, then powers off. */
static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	char msg[512], text[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say("sc-guest-init: %s", msg);
	snprintf(text, sizeof(text), "init-error: %s\n", msg);
	if (write_status(text) < 0)
		say("sc-guest-init: cannot write the status into %s", job ? job : "(no job)");
	power_off();
}

/* Reads a whole file into a new NUL-terminated buffer. Returns it (length
 * in *len) or NULL with errno set. */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, got = 0;
	char *buf = malloc(cap), *bigger;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	ssize_t n;

	if (fd < 0 || !buf)
		goto fail;
	for (;;) {
		if (got + 1 >= cap) {
			bigger = realloc(buf, cap * 2);
			if (!bigger)
				goto fail;
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	errno = e;
	return NULL;
}

/* Module names compare with '-' and '_' alike, as modprobe's do. */
static int same_module(const char *a, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < blen && a[i]; i++)
		if (a[i] != b[i] && !((a[i] == '-' || a[i] == '_') && (b[i] == '-' || b[i] == '_')))
			return 0;
	return i == blen && !a[i];
}

/* Finds NAME's line in modules.dep ("kernel/.../NAME.ko: DEP.ko ...").
 * Returns a copy of the line (to be freed) or NULL. */
static char *dep_line(const char *dep, const char *name)
{
	for (const char *l = dep; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		const char *colon = strchr(l, ':'), *end = strchr(l, '\n'), *base, *dot;

		if (!colon || (end && colon > end))
			continue;
		base = memrchr(l, '/', (size_t)(colon - l));
		base = base ? base + 1 : l;
		dot = memchr(base, '.', (size_t)(colon - base));
		if (dot && same_module(name, base, (size_t)(dot - base)))
			return strndup(l, end ? (size_t)(end - l) : strlen(l));
	}
	return NULL;
}

/* Loads the module at REL (a path from modules.dep) after its
 * dependencies. Returns 0 (loaded now or before) or -errno. */
static int load_path(const char *dep, const char *rel, int depth);

/* Loads module NAME and what it needs. Returns 0, -ENOENT (no such module)
 * or -errno from the kernel. */
static int load_module(const char *dep, const char *name, int depth)
{
	char *line = dep_line(dep, name), *colon;
	int r;

	if (!line)
		return -ENOENT;
	colon = strchr(line, ':');
	*colon = '\0';
	r = load_path(dep, line, depth);
	free(line);
	return r;
}

static int load_path(const char *dep, const char *rel, int depth)
{
	char *line = NULL, *deps[64], *save = NULL, path[PATH_MAX], name[128];
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	size_t n = strcspn(base, ".");
	int nd = 0, fd, r = 0, flags = 0;

	if (depth > 16 || n >= sizeof(name))
		return -ELOOP;
	memcpy(name, base, n);
	name[n] = '\0';
	/* Dependencies first, the last listed first, as modprobe does. */
	line = dep_line(dep, name);
	if (line) {
		for (char *t = strtok_r(strchr(line, ':') + 1, " \t", &save); t && nd < 64;
		     t = strtok_r(NULL, " \t", &save))
			deps[nd++] = t;
		while (nd > 0 && r == 0)
			r = load_path(dep, deps[--nd], depth + 1);
	}
	free(line);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/%s", moddir, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (strstr(base, ".ko.")) /* .ko.xz, .ko.zst: the kernel unpacks */
		flags = 4;        /* MODULE_INIT_COMPRESSED_FILE */
	if (syscall(SYS_finit_module, fd, "", flags) != 0 && errno != EEXIST)
		r = -errno;
	close(fd);
	return r;
}

/* Finds the module an alias names in modules.alias ("alias PATTERN
 * MODULE", PATTERN a shell glob) and loads it. Returns 0, -ENOENT (no
 * alias matches) or -errno. */
static int load_alias(const char *dep, const char *alias, const char *name)
{
	int r = -ENOENT;

	for (const char *l = alias; l && *l && r == -ENOENT; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char pat[256], mod[128];

		if (sscanf(l, "alias %255s %127s", pat, mod) == 2 && fnmatch(pat, name, 0) == 0)
			r = load_module(dep, mod, 0);
	}
	return r;
}

/* The kernel's request_module() runs /proc/sys/kernel/modprobe as
 * "modprobe -q -- NAME", where NAME is a module or an alias of one
 * ("rtnl-link-veth", "sch_clsact"). This resolves it through modules.dep
 * and modules.alias and loads it. Returns the exit status: 0 or 1. */
static int modprobe_main(int argc, char **argv)
{
	struct utsname u;
	char path[PATH_MAX], *dep, *alias;
	size_t len;
	int bad = 0, i = 1;

	uname(&u);
	snprintf(moddir, sizeof(moddir), MODULES "/%s", u.release);
	snprintf(path, sizeof(path), "%s/modules.dep", moddir);
	dep = slurp(path, &len);
	snprintf(path, sizeof(path), "%s/modules.alias", moddir);
	alias = slurp(path, &len);
	if (!dep)
		return 1;
	while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0)
		i++;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	for (; i < argc; i++) {
		int r = load_module(dep, argv[i], 0);

		if (r == -ENOENT)
			r = load_alias(dep, alias, argv[i]);
		bad |= r < 0;
	}
	return bad;
}

/* Mounts what a guest on the host's root needs of its own. Returns 0 or
 * fails the boot. Until /proc is mounted here the guest sees the host's;
 * /dev must be the guest's (the tty1/tty2 consoles the host reads); /run
 * is private because `ip netns add` writes there. /tmp stays the host's. */
static void mounts(void)
{
	static const struct {
		const char *src, *dir, *type, *opts;
		unsigned long flags;
		int needed;
	} m[] = {
		{"proc", "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC, 1},
		{"sysfs", "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC, 1},
		{"devtmpfs", "/dev", "devtmpfs", "mode=0755", MS_NOSUID, 1},
		{"tmpfs", "/run", "tmpfs", "mode=0755,size=16m", MS_NOSUID | MS_NODEV, 1},
		{"devpts", "/dev/pts", "devpts", "mode=0620,ptmxmode=0666", MS_NOSUID | MS_NOEXEC, 0},
		{"tmpfs", "/dev/shm", "tmpfs", "mode=1777", MS_NOSUID | MS_NODEV, 0},
	};
	static const char *const links[][2] = {
		{"/proc/self/fd", "/dev/fd"},
		{"/proc/self/fd/0", "/dev/stdin"},
		{"/proc/self/fd/1", "/dev/stdout"},
		{"/proc/self/fd/2", "/dev/stderr"},
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		mkdir(m[i].dir, 0755);
		/* EBUSY: the kernel mounted it already (devtmpfs on /dev,
		 * with DEVTMPFS_MOUNT as in Debian's UML). */
		if (mount(m[i].src, m[i].dir, m[i].type, m[i].flags, m[i].opts) == 0 || errno == EBUSY)
			continue;
		if (m[i].needed)
			fail("cannot mount %s on %s: %s", m[i].type, m[i].dir, strerror(errno));
		say("sc-guest-init: cannot mount %s on %s: %s", m[i].type, m[i].dir, strerror(errno));
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		symlink(links[i][0], links[i][1]);
	if (mkdir("/run/netns", 0755) != 0)
		fail("cannot make /run/netns: %s", strerror(errno));
}

/* Loads the preloaded modules and points the kernel's autoloading at
 * this program. Fails the boot if the UML modules are not there. */
static void modules(const char *self)
{
	struct utsname u;
	char path[PATH_MAX], *dep;
	size_t len;
	int fd;

	uname(&u);
	snprintf(moddir, sizeof(moddir), MODULES "/%s", u.release);
	snprintf(path, sizeof(path), "%s/modules.dep", moddir);
	dep = slurp(path, &len);
	if (!dep)
		fail("cannot read %s: %s (the modules of this UML kernel)", path, strerror(errno));
	for (size_t i = 0; i < sizeof(preload) / sizeof(preload[0]); i++) {
		int r = load_module(dep, preload[i], 0);

		if (r == -ENOENT && strcmp(preload[i], "ifb") == 0)
			continue; /* optional */
		if (r < 0)
			fail("cannot load module %s from %s: %s", preload[i], moddir, strerror(-r));
	}
	free(dep);
	fd = open("/proc/sys/kernel/modprobe", O_WRONLY | O_CLOEXEC);
	if (symlink(self, MODPROBE_LINK) != 0 || fd < 0 || write(fd, MODPROBE_LINK "\n", sizeof(MODPROBE_LINK)) < 0)
		say("sc-guest-init: module autoloading is off: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Sets lo up, as every boot does. Fails the boot if it cannot. */
static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		fail("cannot see lo: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
		fail("cannot bring lo up: %s", strerror(errno));
	close(s);
}

/* Lets experiments ask for receive buffers big enough to ride out the
 * guest being descheduled on a busy host. The guest is slow (a system call
 * costs ~40 us) and shares the host's CPUs: with two busy loops beside it, a
 * receiver at 1,000 datagrams/s stalled for half a second and its socket
 * buffer dropped hundreds (see docs/ARCHITECTURE.md, "busy host"). Stock
 * Linux caps SO_RCVBUF at twice net.core.rmem_max (212,992); defaults are
 * left alone, so a script gets a big buffer only if it asks (`rcvbuf`).
 * net.core.netdev_max_backlog bounds veth's receive queue when a stalled
 * sender catches up in a burst. A failure is reported, not fatal: the
 * receivers report their drops either way. */
static void sysctls(void)
{
	static const char *const set[][2] = {
		{"/proc/sys/net/core/rmem_max", "33554432\n"},
		{"/proc/sys/net/core/wmem_max", "33554432\n"},
		{"/proc/sys/net/core/netdev_max_backlog", "10000\n"},
		/* Neighbours stay reachable for 5-15 min instead of 15-45 s in
		 * the guest's own namespace. The experiment's namespaces do not
		 * inherit this: they get permanent neighbours instead
		 * (driver/netns.c), since netem delays ARP like any packet. */
		{"/proc/sys/net/ipv4/neigh/default/base_reachable_time_ms", "600000\n"},
	};

	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		int fd = open(set[i][0], O_WRONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? write(fd, set[i][1], strlen(set[i][1])) : -1;

		if (n != (ssize_t)strlen(set[i][1]))
			say("sc-guest-init: cannot set %s: %s", set[i][0], strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* Reaps every remaining process after the command: orphans it left behind
 * get SIGTERM, a second to go, then SIGKILL, so none writes into the host's
 * files after the status is out. */
static void end_stragglers(void)
{
	const struct timespec tick = {0, 10 * 1000 * 1000};

	if (kill(-1, SIGTERM) != 0)
		return; /* ESRCH: nobody left */
	for (int i = 0; i < 100; i++) {
		pid_t w;

		do
			w = waitpid(-1, NULL, WNOHANG);
		while (w > 0);
		if (w < 0 && errno == ECHILD)
			return;
		nanosleep(&tick, NULL);
	}
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/* Runs the job's command and returns its status (128+N for signal N).
 * Fails the boot if the job cannot be read. */
static int run(void)
{
	char path[PATH_MAX], *cmd, *cwd, **argv;
	size_t len, argc = 0, i;
	int st;
	pid_t pid, w;

	snprintf(path, sizeof(path), "%s/cmd", job);
	cmd = slurp(path, &len);
	if (!cmd)
		fail("cannot read %s: %s", path, strerror(errno));
	if (len == 0 || cmd[len - 1] != '\0')
		fail("%s: not a NUL-terminated argv", path);
	for (i = 0; i < len; i++)
		argc += cmd[i] == '\0';
	argv = calloc(argc + 1, sizeof(*argv));
	if (!argv)
		fail("out of memory");
	for (i = 0; i < argc; i++)
		argv[i] = i ? argv[i - 1] + strlen(argv[i - 1]) + 1 : cmd;
	snprintf(path, sizeof(path), "%s/cwd", job);
	cwd = slurp(path, &len);
	if (cwd && len && cwd[len - 1] == '\n')
		cwd[len - 1] = '\0';
	if (chdir(cwd && *cwd ? cwd : "/") != 0)
		fail("cannot enter %s: %s", cwd, strerror(errno));

	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
		int out = console("/dev/tty2"); /* the host's stdout */
		int err = console("/dev/tty1"); /* and its stderr */

		setsid();
		if (in < 0 || dup2(in, 0) < 0 || (out >= 0 && dup2(out, 1) < 0) || (err >= 0 && dup2(err, 2) < 0))
			_exit(126);
		execvp(argv[0], argv);
		st = errno;
		say("sc-guest-init: cannot run %s: %s", argv[0], strerror(st));
		_exit(st == ENOENT ? 127 : 126); /* as shells do */
	}
	/* PID 1 inherits every orphan: reap them all until ours is done. */
	do
		w = waitpid(-1, &st, 0);
	while (w != pid && (w > 0 || errno == EINTR));
	if (w != pid)
		fail("lost the command: %s", strerror(errno));
	end_stragglers();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	char text[32], self[PATH_MAX];

	/* Exec'ing ourselves with the tunables keeps the PID (1 stays 1). */
	if (!getenv("GLIBC_TUNABLES")) {
		setenv("GLIBC_TUNABLES", TUNABLES, 1);
		execv(argv[0], argv);
	}
	if (strcmp(base, MODPROBE_NAME) == 0)
		return modprobe_main(argc, argv);
	if (getpid() != 1) {
		fprintf(stderr, "sc-guest-init: this is the init of a user-mode Linux guest (driver/uml.c boots it)\n");
		return 2;
	}
	job = getenv("sockcmp_job");
	if (!job || job[0] != '/')
		fail("no sockcmp_job=/DIR on the kernel command line");
	/* The path we were started by: on the host's root, the same file. */
	if (!realpath(argv[0], self))
		fail("cannot resolve %s: %s", argv[0], strerror(errno));
	setenv("PATH", GUEST_PATH, 1);
	setenv("SOCKCMP_KERNEL", "uml", 1);
	umask(022);
	mounts();
	modules(self);
	loopback_up();
	sysctls();
	snprintf(text, sizeof(text), "%d\n", run());
	sync();
	if (write_status(text) < 0)
		say("sc-guest-init: cannot write the status into %s", job);
	power_off();
}
