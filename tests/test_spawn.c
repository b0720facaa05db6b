/* test_spawn.c - the process runner (driver/spawn.c) and the watchdog
 * (driver/watch.c), with real child processes: exit codes, signals,
 * deadlines, EINTR, descriptors, stdout capture, process groups, and what
 * is left after the parent is killed with SIGKILL. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "spawn.h"
#include "watch.h"
#include "unit.h"

#define SH "/bin/sh"
#define FAR (30 * SC_NS_PER_S) /* a deadline no passing test gets near */

/* Runs `sh -c script` with stdout to a pipe and waits for it. */
static int run_sh(struct sc_child *c, const char *script)
{
	char *argv[] = {SH, "-c", (char *)script, NULL};
	int r = sc_spawn(c, argv, 1, NULL, NULL);

	if (r == 0)
		r = sc_child_wait(c, 1, sc_mono_ns() + FAR, NULL);
	return r;
}

/* True if pid is alive and not a zombie. */
static int alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* Waits (up to 10 s) for pid to be gone; returns 1 if it is. */
static int gone_within(pid_t pid)
{
	for (int i = 0; i < 1000 && alive(pid); i++)
		usleep(10000);
	return !alive(pid);
}

static const struct {
	const char *script;
	int code;
} codes[] = {
	{"exit 0", 0},
	{"exit 1", 1},
	{"exit 7", 7},
	{"exit 255", 255},
	{"kill -USR1 $$", 128 + SIGUSR1},
	{"kill -KILL $$", 128 + SIGKILL},
};

/* The last line of a child's stderr file, for failure messages: line
 * endings, blank lines after it, quotes (text, not CSV: a stray '"' once
 * glued the lines after it into one), a file far larger than what is read,
 * a buffer too small, no file at all. */
static const struct {
	const char *text;
	size_t pad; /* bytes of 'x' lines written first */
	size_t len;
	const char *want;
} err_lines[] = {
	{"one\ntwo\n", 0, 64, "two"},
	{"one\ntwo", 0, 64, "two"},
	{"one\n\n\n", 0, 64, "one"},
	{"a\r\nb\r\n", 0, 64, "b"},
	{"only", 0, 64, "only"},
	{"", 0, 64, ""},
	{"\n\n", 0, 64, ""},
	{"stream-recv: bad \"x\nstream-recv: the end\n", 0, 64, "stream-recv: the end"},
	{"\"quoted, with a comma\"\n", 0, 64, "\"quoted, with a comma\""},
	{"last after a lot\n", 100000, 64, "last after a lot"},
	{"a long line\n", 0, 7, "a long"},
	{NULL, 0, 64, ""}, /* no file */
};

START_TEST(err_line)
{
	char path[64], buf[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/test_spawn-%d.line", (int)getpid());
	unlink(path);
	if (err_lines[_i].text) {
		f = fopen(path, "wx");
		ck_assert_ptr_nonnull(f);
		for (size_t k = 0; k < err_lines[_i].pad; k += 50)
			fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", f);
		fputs(err_lines[_i].text, f);
		ck_assert_int_eq(fclose(f), 0);
	}
	memset(buf, '?', sizeof(buf));
	sc_child_err_line(path, buf, err_lines[_i].len);
	unlink(path);
	ck_assert_msg(strcmp(buf, err_lines[_i].want) == 0, "case %d: got '%s', want '%s'", _i, buf,
		      err_lines[_i].want);
}
END_TEST

START_TEST(exit_codes)
{
	struct sc_child c;

	ck_assert_int_eq(run_sh(&c, codes[_i].script), 0);
	ck_assert_msg(sc_child_code(&c) == codes[_i].code, "'%s': code %d, want %d", codes[_i].script,
		      sc_child_code(&c), codes[_i].code);
}
END_TEST

/* The parent ignores SIGTERM and blocks SIGUSR1; neither may reach the
 * child (a shell keeps an ignored signal ignored, and a blocked one stays
 * pending, so the exit status tells). */
START_TEST(signals_reset)
{
	struct sc_child c;
	sigset_t usr1;

	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	ck_assert_int_eq(run_sh(&c, "kill -TERM $$; exit 3"), 0);
	ck_assert_int_eq(sc_child_code(&c), 128 + SIGTERM);
	ck_assert_int_eq(run_sh(&c, "kill -USR1 $$; exit 3"), 0);
	ck_assert_int_eq(sc_child_code(&c), 128 + SIGUSR1);
}
END_TEST

START_TEST(stdout_capture)
{
	char *argv[] = {SH, "-c", "echo hello; echo world >&2; echo bye", NULL}, line[64], err[64] = "", path[64];
	struct sc_child c;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/tmp/test_spawn-%d.err", (int)getpid());
	unlink(path);
	ck_assert_int_eq(sc_spawn(&c, argv, 1, path, NULL), 0);
	ck_assert_int_eq(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL), 5);
	ck_assert_str_eq(line, "hello");
	ck_assert_int_eq(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL), 3);
	ck_assert_str_eq(line, "bye");
	ck_assert_int_eq(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL), -EPIPE);
	ck_assert_int_eq(sc_child_wait(&c, 1, sc_mono_ns() + FAR, NULL), 0);
	ck_assert_int_eq(sc_child_code(&c), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, err, sizeof(err) - 1);
	close(fd);
	unlink(path);
	ck_assert_int_eq(n, 6);
	ck_assert_str_eq(err, "world\n");
}
END_TEST

/* stderr never goes through a link someone planted at its path. */
START_TEST(stderr_no_follow)
{
	char *argv[] = {SH, "-c", "echo x >&2", NULL}, path[64], target[64];
	struct sc_child c;
	struct stat st;

	snprintf(path, sizeof(path), "/tmp/test_spawn-%d.lnk", (int)getpid());
	snprintf(target, sizeof(target), "/tmp/test_spawn-%d.target", (int)getpid());
	unlink(path);
	unlink(target);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(sc_spawn(&c, argv, 0, path, NULL), -ELOOP);
	ck_assert_int_ne(lstat(target, &st), 0);
	unlink(path);
}
END_TEST

/* Descriptors this process left inheritable (no O_CLOEXEC), at low and
 * high numbers, do not reach the child: it has 0, 1 and 2 only. */
START_TEST(no_inherited_fds)
{
	struct sc_child c;
	char line[128];
	char *argv[] = {SH, "-c", "cd /proc/self/fd && echo *", NULL};
	int a = open("/dev/null", O_RDONLY), b;

	ck_assert_int_ge(a, 0);
	b = dup2(a, 77);
	ck_assert_int_eq(b, 77);
	ck_assert_int_eq(sc_spawn(&c, argv, 1, NULL, NULL), 0);
	ck_assert_int_ge(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL), 0);
	ck_assert_int_eq(sc_child_wait(&c, 1, sc_mono_ns() + FAR, NULL), 0);
	/* The shell's own "cd" may hold the directory open: that one only. */
	ck_assert_msg(strcmp(line, "0 1 2") == 0 || strcmp(line, "0 1 2 3") == 0, "child's fds: %s", line);
	close(a);
	close(b);
}
END_TEST

/* Extra fds land at 3, 4 in the child, whatever their numbers here. */
START_TEST(extra_fds)
{
	char *argv[] = {SH, "-c", "echo three >&3; echo four >&4", NULL}, buf[64];
	int p3[2], p4[2], x[2];
	struct sc_child c;
	struct sc_spawn_opts o = {.argv = argv, .extra = x, .nextra = 2};
	ssize_t n;

	ck_assert_int_eq(pipe2(p3, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(p4, O_CLOEXEC), 0);
	/* Swapped on purpose: the child's 3 from our 4 and so on, if the
	 * numbers happen to collide. */
	x[0] = p3[1];
	x[1] = p4[1];
	ck_assert_int_eq(sc_child_start(&c, &o), 0);
	close(p3[1]);
	close(p4[1]);
	ck_assert_int_eq(sc_child_wait(&c, 1, sc_mono_ns() + FAR, NULL), 0);
	ck_assert_int_eq(sc_child_code(&c), 0);
	n = read(p3[0], buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 6);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "three\n");
	n = read(p4[0], buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 5);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "four\n");
}
END_TEST

START_TEST(start_errors)
{
	char *missing[] = {"/nonexistent/program", NULL}, *relative[] = {"sh", NULL};
	char *notexec[] = {"/etc/passwd", NULL}, *sh[] = {SH, "-c", "exit 0", NULL};
	struct sc_child c;

	ck_assert_int_eq(sc_spawn(&c, missing, 0, NULL, NULL), -ENOENT);
	ck_assert_int_eq(sc_spawn(&c, relative, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(sc_spawn(&c, notexec, 0, NULL, NULL), -EACCES);
	ck_assert_int_eq(sc_spawn(&c, sh, 0, NULL, "/nonexistent/ns"), -ENOENT);
	/* A file that is not a namespace: setns says EINVAL. */
	ck_assert_int_eq(sc_spawn(&c, sh, 0, NULL, "/etc/passwd"), -EINVAL);
}
END_TEST

/* A deadline ends the wait with the child still running; ending it then
 * takes its whole group, grandchildren included. */
START_TEST(deadline_and_group)
{
	char *argv[] = {SH, "-c", "sleep 30 & echo $!; wait", NULL}, line[32];
	struct sc_child c;
	pid_t grandchild;

	ck_assert_int_eq(sc_spawn(&c, argv, 1, NULL, NULL), 0);
	ck_assert_int_gt(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL), 0);
	grandchild = atoi(line);
	ck_assert_int_gt(grandchild, 0);
	ck_assert_int_eq(sc_child_wait(&c, 1, sc_mono_ns() + 200 * SC_NS_PER_MS, NULL), -ETIMEDOUT);
	ck_assert(alive(c.pid));
	sc_child_end(&c, 1, 2 * SC_NS_PER_S);
	ck_assert(c.done);
	ck_assert_int_eq(sc_child_code(&c), 128 + SIGTERM);
	ck_assert(gone_within(grandchild));
}
END_TEST

/* A child that ignores SIGTERM is killed after the grace period. */
START_TEST(sigkill_after_grace)
{
	char *argv[] = {SH, "-c", "trap '' TERM; echo ready; while :; do sleep 1; done", NULL}, line[32];
	struct sc_child c;

	ck_assert_int_eq(sc_spawn(&c, argv, 1, NULL, NULL), 0);
	ck_assert_int_eq(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL), 5);
	sc_child_end(&c, 1, 100 * SC_NS_PER_MS);
	ck_assert_int_eq(sc_child_code(&c), 128 + SIGKILL);
}
END_TEST

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

/* A signal every millisecond (no SA_RESTART) interrupts every poll, read
 * and wait: the results must be the same as without. */
START_TEST(eintr)
{
	char *argv[] = {SH, "-c", "sleep 0.3; echo hi; sleep 0.2; exit 4", NULL}, line[32];
	struct itimerval it = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
	struct sigaction sa;
	struct sc_child c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	ck_assert_int_eq(sc_spawn(&c, argv, 1, NULL, NULL), 0);
	ck_assert_int_eq(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL), 2);
	ck_assert_str_eq(line, "hi");
	ck_assert_int_eq(sc_child_wait(&c, 1, sc_mono_ns() + FAR, NULL), 0);
	setitimer(ITIMER_REAL, &off, NULL);
	ck_assert_int_eq(sc_child_code(&c), 4);
	ck_assert_int_gt(ticks, 10);
}
END_TEST

/* A stop flag ends a wait with -EINTR. */
START_TEST(stop_flag)
{
	char *argv[] = {SH, "-c", "sleep 30", NULL}, line[8];
	static volatile sig_atomic_t stop = 1;
	struct sc_child c;

	ck_assert_int_eq(sc_spawn(&c, argv, 1, NULL, NULL), 0);
	ck_assert_int_eq(sc_child_wait(&c, 1, sc_mono_ns() + FAR, &stop), -EINTR);
	ck_assert_int_eq(sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, &stop), -EINTR);
	sc_child_end(&c, 1, SC_NS_PER_S);
	ck_assert(c.done);
}
END_TEST

/* A "driver" (a forked child of the test) starts the watchdog, a temp dir
 * and a program whose own child is out of PR_SET_PDEATHSIG's reach, then
 * is killed with SIGKILL: the program, its child and the dir go. */
START_TEST(killed_parent)
{
	int p[2];
	pid_t drv, pids[2];
	char dir[128];
	struct stat st;

	ck_assert_int_eq(pipe(p), 0);
	drv = fork();
	ck_assert_int_ge(drv, 0);
	if (drv == 0) {
		char *argv[] = {SH, "-c", "sleep 30 & echo $!; wait", NULL}, line[32], d[128];
		struct sc_child c;
		pid_t v[2];

		if (sc_watch_start() < 0 || sc_watch_mkdtemp(d, sizeof(d), NULL, "sockcmp", 40) < 0 ||
		    sc_spawn(&c, argv, 1, NULL, NULL) < 0 ||
		    sc_child_line(&c, line, sizeof(line), sc_mono_ns() + FAR, NULL) <= 0)
			_exit(1);
		v[0] = c.pid;
		v[1] = atoi(line);
		if (write(p[1], v, sizeof(v)) != sizeof(v) || write(p[1], d, sizeof(d)) != sizeof(d))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], pids, sizeof(pids)), sizeof(pids));
	ck_assert_int_eq(read(p[0], dir, sizeof(dir)), sizeof(dir));
	ck_assert(alive(pids[0]) && alive(pids[1]));
	ck_assert_int_eq(stat(dir, &st), 0);
	kill(drv, SIGKILL);
	waitpid(drv, NULL, 0);
	ck_assert_msg(gone_within(pids[0]), "the driver's child %d outlived it", (int)pids[0]);
	ck_assert_msg(gone_within(pids[1]), "the grandchild %d outlived the driver", (int)pids[1]);
	for (int i = 0; i < 1000 && stat(dir, &st) == 0; i++)
		usleep(10000);
	ck_assert_msg(stat(dir, &st) != 0, "%s outlived the driver", dir);
}
END_TEST

/* Without the watchdog, PR_SET_PDEATHSIG alone still ends a direct child. */
START_TEST(dies_with_parent)
{
	int p[2];
	pid_t drv, child;

	ck_assert_int_eq(pipe(p), 0);
	drv = fork();
	ck_assert_int_ge(drv, 0);
	if (drv == 0) {
		char *argv[] = {"/bin/sleep", "30", NULL};
		struct sc_child c;

		if (sc_spawn(&c, argv, 0, NULL, NULL) < 0 || write(p[1], &c.pid, sizeof(c.pid)) != sizeof(c.pid))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &child, sizeof(child)), sizeof(child));
	ck_assert(alive(child));
	kill(drv, SIGKILL);
	waitpid(drv, NULL, 0);
	ck_assert_msg(gone_within(child), "child %d outlived its parent", (int)child);
}
END_TEST

/* The sweep removes a directory of a dead run of this boot, and leaves
 * one of a live process and a stranger's lookalike alone. */
START_TEST(sweep)
{
	char dead[160], live[160], other[160], tag[9] = "", base[64];
	pid_t gone = fork();
	int fd;

	ck_assert_int_ge(gone, 0);
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	snprintf(base, sizeof(base), "/tmp/test_spawn-sweep-%d", (int)getpid());
	ck_assert_int_eq(mkdir(base, 0700), 0);
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY);
	ck_assert_int_eq(read(fd, tag, 8), 8);
	close(fd);
	snprintf(dead, sizeof(dead), "%s/sockcmp-%s-%d-abcdef", base, tag, (int)gone);
	snprintf(live, sizeof(live), "%s/sockcmp-%s-%d-abcdef", base, tag, (int)getpid());
	snprintf(other, sizeof(other), "%s/sockcmp-backup", base);
	ck_assert_int_eq(mkdir(dead, 0700), 0);
	ck_assert_int_eq(mkdir(live, 0700), 0);
	ck_assert_int_eq(mkdir(other, 0700), 0);
	ck_assert_int_eq(sc_watch_sweep_in(base), 1);
	ck_assert_int_ne(access(dead, F_OK), 0);
	ck_assert_int_eq(access(live, F_OK), 0);
	ck_assert_int_eq(access(other, F_OK), 0);
	rmdir(live);
	rmdir(other);
	rmdir(base);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("spawn");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, exit_codes, 0, NELEM(codes));
	tcase_add_loop_test(tc, err_line, 0, NELEM(err_lines));
	tcase_add_test(tc, signals_reset);
	tcase_add_test(tc, stdout_capture);
	tcase_add_test(tc, stderr_no_follow);
	tcase_add_test(tc, no_inherited_fds);
	tcase_add_test(tc, extra_fds);
	tcase_add_test(tc, start_errors);
	tcase_add_test(tc, deadline_and_group);
	tcase_add_test(tc, sigkill_after_grace);
	tcase_add_test(tc, eintr);
	tcase_add_test(tc, stop_flag);
	tcase_add_test(tc, killed_parent);
	tcase_add_test(tc, dies_with_parent);
	tcase_add_test(tc, sweep);
	suite_add_tcase(s, tc);
	return s;
}
