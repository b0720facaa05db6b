/* sc-guest-init - PID 1 of the user-mode Linux guest that runs sockcmp's
 * impaired-link experiments (driver/uml.c boots it).
 *
 * It gives the guest what a normal boot would (/proc, /sys, /dev, a private
 * /run for `ip netns`), loads veth and sch_netem from the UML package's own
 * module directory, runs the one command the host wrote into the job
 * directory (the kernel passes "sockcmp_job=DIR" from the command line as
 * an environment variable), writes its exit status to DIR/status, and
 * powers the guest off. PID 1 must never exit (the guest would panic), and
 * power-off is asynchronous, so it waits for it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_ARGS 128

/* UML 6.1 on a host with AMX can only save and restore the legacy x87/SSE
 * part of its processes' vector state (see uml_shim.c). Measured in the
 * guest: the first snprintf() of each new process then printed its format
 * ("%d:%s@%s") unexpanded, through glibc's AVX2/EVEX string functions; with
 * glibc held to its SSE2 versions, 0 of 20000 went wrong. So every guest
 * process, this one included, runs with these tunables. */
#define TUNABLES "glibc.cpu.hwcaps=-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-EVEX"

static const char *const modules[] = {
	"kernel/drivers/net/veth.ko",
	"kernel/net/sched/sch_netem.ko",
	"kernel/net/sched/sch_tbf.ko",
};

/* Opens a guest console for writing, without output processing (no
 * "\n" -> "\r\n"), so the host receives the bytes as written. */
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

static void say(const char *what, const char *detail)
{
	static int fd = -1;

	if (fd < 0)
		fd = console("/dev/tty1");
	dprintf(fd >= 0 ? fd : 2, "sc-guest-init: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

static void mounts(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	/* The host's /run is not ours to write: ip netns keeps its
	 * namespace files there. */
	mount("tmpfs", "/run", "tmpfs", 0, "mode=0755,size=16m");
	mkdir("/run/netns", 0755);
}

/* Loads one module with finit_module(2); "already loaded" is fine. */
static void load(const char *dir, const char *rel)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("cannot open module", path);
		return;
	}
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
		say("cannot load module", path);
	close(fd);
}

/* Reads DIR/NAME whole into buf; returns its length or -1. */
static ssize_t slurp(const char *dir, const char *name, char *buf, size_t len)
{
	char path[512];
	ssize_t n, got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got < (ssize_t)len - 1 && (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

static void write_status(const char *job, const char *text)
{
	char path[512], tmp[520];
	int fd;

	snprintf(path, sizeof(path), "%s/status", job);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		say("cannot write status", path);
	fsync(fd);
	close(fd);
	rename(tmp, path);
}

static int run(const char *job)
{
	static char cmd[65536], cwd[4096], *argv[MAX_ARGS + 1];
	ssize_t n = slurp(job, "cmd", cmd, sizeof(cmd));
	int argc = 0, st;
	pid_t pid;

	if (n <= 0) {
		say("no command in", job);
		return 126;
	}
	for (char *p = cmd; p < cmd + n && argc < MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	if (slurp(job, "cwd", cwd, sizeof(cwd)) <= 0)
		strcpy(cwd, "/");
	pid = fork();
	if (pid < 0)
		return 126;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = console("/dev/tty2"); /* the host maps tty2 to its stdout */
		int err = console("/dev/tty1"); /* and tty1 to its stderr */

		if (in >= 0)
			dup2(in, 0);
		if (out >= 0)
			dup2(out, 1);
		if (err >= 0)
			dup2(err, 2);
		setenv("SOCKCMP_KERNEL", "uml", 1);
		if (chdir(cwd) != 0)
			say("cannot enter", cwd);
		setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
		execv(argv[0], argv);
		say("cannot run", argv[0]);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 126;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	const char *job = getenv("sockcmp_job");
	struct utsname u;
	char dir[256], text[32];
	int code = 126;

	(void)argc;
	if (!getenv("GLIBC_TUNABLES")) {
		setenv("GLIBC_TUNABLES", TUNABLES, 1);
		execv(argv[0], argv); /* PID 1 may exec; it stays PID 1 */
	}

	mounts();
	uname(&u);
	snprintf(dir, sizeof(dir), "/usr/lib/uml/modules/%s", u.release);
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		load(dir, modules[i]);
	if (job && *job)
		code = run(job);
	else
		say("no sockcmp_job= on the kernel command line", NULL);
	if (job && *job) {
		snprintf(text, sizeof(text), "%d\n", code);
		write_status(job, text);
	}
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
