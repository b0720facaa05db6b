/* uml.c - boot, run, power off, and never leave a guest behind. */
#include "uml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

#define MODULES "/usr/lib/uml/modules"

/* The kernel binary: Debian's, unless SOCKCMP_LINUX_UML names another
 * (the tests point it at nothing to see the "neither" message). */
static const char *linux_uml(void)
{
	const char *p = getenv("SOCKCMP_LINUX_UML");

	return p && *p ? p : "/usr/bin/linux.uml";
}

int sc_uml_available(char *why, size_t len)
{
	DIR *d;
	struct dirent *de;
	int found = 0;

	if (access(linux_uml(), X_OK) != 0) {
		snprintf(why, len, "%s is not installed (Debian package user-mode-linux)", linux_uml());
		return -ENOENT;
	}
	d = opendir(MODULES);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			char p[512];

			snprintf(p, sizeof(p), MODULES "/%s/kernel/net/sched/sch_netem.ko", de->d_name);
			found |= access(p, R_OK) == 0;
		}
	if (d)
		closedir(d);
	if (!found) {
		snprintf(why, len, "user-mode Linux has no sch_netem module under " MODULES);
		return -ENOENT;
	}
	return 0;
}

static int write_file(const char *dir, const char *name, const char *data, size_t n)
{
	char path[512];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, data, n) != (ssize_t)n)
		r = -EIO;
	close(fd);
	return r;
}

/* Removes dir and everything under it (the guest's uml_dir nests one
 * level: DIR/UMID/{pid,mconsole}). */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[1024];

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (unlink(p) != 0 && errno == EISDIR)
			remove_tree(p);
		else if (errno == EISDIR || errno == EPERM)
			remove_tree(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Ends the guest: linux.uml and every helper it forked share the process
 * group we gave it, so signal the group: SIGTERM, a moment, SIGKILL. */
static void end_guest(pid_t pid, int *st)
{
	uint64_t until = sc_mono_ns() + 500 * SC_NS_PER_MS;

	kill(-pid, SIGTERM);
	while (sc_mono_ns() < until) {
		if (waitpid(pid, st, WNOHANG) == pid)
			break;
		sc_sleep_ns(10 * SC_NS_PER_MS, NULL);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, st, 0);
}

int sc_uml_run(const struct sc_uml_opts *o, int *status, char *err, size_t errlen)
{
	char job[256], cmd[16384], arg_init[600], arg_mem[32],
		arg_dir[600], arg_job[600], shim[600], path[700], buf[32];
	size_t used = 0;
	uint64_t deadline;
	int st = 0, r = 0;
	pid_t pid, w;

	/* The job directory must be a path the guest sees as well: the host's
	 * own filesystem is the guest's root, so any local directory will do. */
	snprintf(job, sizeof(job), "%s/sockcmp-uml-XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 200 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(job)) {
		snprintf(err, errlen, "cannot make a job directory: %s", strerror(errno));
		return -errno;
	}
	for (int i = 0; o->argv[i]; i++) {
		size_t n = strlen(o->argv[i]) + 1;

		if (used + n > sizeof(cmd)) {
			snprintf(err, errlen, "the guest command is too long");
			r = -E2BIG;
			goto out;
		}
		memcpy(cmd + used, o->argv[i], n);
		used += n;
	}
	if (write_file(job, "cmd", cmd, used) < 0 ||
	    write_file(job, "cwd", o->cwd, strlen(o->cwd)) < 0) {
		snprintf(err, errlen, "cannot write the job for the guest into %s", job);
		r = -EIO;
		goto out;
	}
	snprintf(arg_init, sizeof(arg_init), "init=%s/sc-guest-init", o->bin_dir);
	snprintf(arg_mem, sizeof(arg_mem), "mem=%uM", o->mem_mb ? o->mem_mb : 256);
	snprintf(arg_dir, sizeof(arg_dir), "uml_dir=%s", job);
	snprintf(arg_job, sizeof(arg_job), "sockcmp_job=%s", job);
	snprintf(shim, sizeof(shim), "%s/libsc-umlshim.so", o->bin_dir);
	deadline = sc_mono_ns() + o->timeout_ns;

	pid = fork();
	if (pid < 0) {
		r = -errno;
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* The console must not read stdin (it would block the guest
		 * forever where stdin is /dev/null, as in CI); tty2 and tty1
		 * are the guest command's stdout and stderr. */
		char *argv[] = {(char *)linux_uml(), arg_mem, "rootfstype=hostfs", "rootflags=/", "rw", arg_init,
				"con=null", "ssl=null", "con0=null", "con1=null,fd:2", "con2=null,fd:1",
				"pty.legacy_count=0", arg_dir, "umid=sockcmp", "quiet", arg_job, NULL};
		int in = open("/dev/null", O_RDONLY);

		setsid();
		if (in >= 0)
			dup2(in, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (access(shim, R_OK) == 0)
			setenv("LD_PRELOAD", shim, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (o->stop && *o->stop) {
			end_guest(pid, &st);
			snprintf(err, errlen, "interrupted; the guest kernel was stopped");
			r = -EINTR;
			goto out;
		}
		if (sc_mono_ns() >= deadline) {
			end_guest(pid, &st);
			snprintf(err, errlen, "the guest did not finish within %llu s; it was stopped",
				 (unsigned long long)(o->timeout_ns / SC_NS_PER_S));
			r = -ETIMEDOUT;
			goto out;
		}
		sc_sleep_ns(20 * SC_NS_PER_MS, NULL);
	}
	kill(-pid, SIGKILL); /* any helper that outlived the kernel */
	snprintf(path, sizeof(path), "%s/status", job);
	{
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n <= 0) {
			snprintf(err, errlen, "the guest kernel stopped without a result (%s %d)",
				 WIFSIGNALED(st) ? "signal" : "exit status",
				 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			r = -EIO;
			goto out;
		}
		buf[n] = '\0';
		*status = atoi(buf);
	}
out:
	remove_tree(job);
	return r;
}
