/* watch.c - the watchdog process and the sweep of old leftovers. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "outfile.h"
#include "spawn.h"

#define MAX_PATH_REC 4000
#define KILL_WAIT_NS (3 * SC_NS_PER_S)
#define OLD_AGE_S (2 * 3600)

/* The kinds of directory the driver makes (see sc_watch_mkdtemp). */
static const char *const kinds[] = {"sockcmp", "sc-uml", ".sockcmp-guest"};

static int wfd = -1;  /* our end of the socket to the watchdog */
static pid_t wpid;    /* the watchdog */

/* ---- the watchdog's side ---- */

struct entry {
	char kind; /* 'G' child (pid, pgid), 'D' directory, 'F' file, 'T' the
		      driver's PATH.tmp-PID files in a directory */
	pid_t pid, pgid;
	char *path;
};

struct list {
	struct entry *v;
	size_t n, cap;
};

static void list_add(struct list *l, struct entry e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct entry *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(e.path);
			return; /* out of memory: this one is not cleaned up */
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = e;
}

static void list_del(struct list *l, struct entry e)
{
	for (size_t i = 0; i < l->n; i++) {
		struct entry *x = &l->v[i];

		if (x->kind == e.kind && x->pid == e.pid && x->pgid == e.pgid &&
		    (!x->path || (e.path && strcmp(x->path, e.path) == 0))) {
			free(x->path);
			*x = l->v[--l->n];
			return;
		}
	}
}

/* Applies one record: "G PID PGID", "D PATH" or "F PATH" adds, the same
 * in lower case removes. */
static void apply(struct list *l, char *rec)
{
	struct entry e = {.kind = (char)(rec[0] & ~0x20)};
	bool add = rec[0] >= 'A' && rec[0] <= 'Z';
	int pid, pgid;

	if (e.kind == 'G') {
		if (sscanf(rec + 1, " %d %d", &pid, &pgid) != 2 || pid <= 0 || pgid < 0)
			return;
		e.pid = pid;
		e.pgid = pgid;
	} else if ((e.kind == 'D' || e.kind == 'F' || e.kind == 'T') && rec[1] == ' ' && rec[2] == '/') {
		e.path = strdup(rec + 2);
		if (!e.path)
			return;
	} else {
		return;
	}
	if (add) {
		list_add(l, e);
	} else {
		list_del(l, e);
		free(e.path);
	}
}

/* True if pid is alive and not a zombie. */
static bool pid_alive(pid_t pid)
{
	char path[64], buf[512], *p, state;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && sscanf(p + 1, " %c", &state) == 1 && state != 'Z' && state != 'X';
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D || flag == FTW_DNR)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void sc_remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Removes the regular files in dir that are the driver's temporary
 * results: names ending in ".tmp-PID" (PID the driver's), and the named
 * fallback of shared/outfile.c carrying the driver's tag (where O_TMPFILE
 * does not work). The tag is chosen before the watchdog forks, so both
 * processes know it. */
static void remove_tmp_files(const char *dir, pid_t driver)
{
	char sfx[32], path[PATH_MAX];
	size_t n = (size_t)snprintf(sfx, sizeof(sfx), ".tmp-%d", (int)driver);
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct stat st;

		if ((len <= n || strcmp(de->d_name + len - n, sfx) != 0) &&
		    !sc_outfile_is_own_tmp(de->d_name, ""))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			unlink(path);
	}
	if (d)
		closedir(d);
}

/* Ends everything on the list: processes first (nothing may write into a
 * directory while it is removed), then files and directories. */
static void clean_up(struct list *l, pid_t driver)
{
	uint64_t until = sc_mono_ns() + KILL_WAIT_NS;
	bool left = true;

	while (left && sc_mono_ns() < until) {
		left = false;
		for (size_t i = 0; i < l->n; i++) {
			struct entry *e = &l->v[i];

			if (e->kind != 'G')
				continue;
			if (e->pgid)
				kill(-e->pgid, SIGKILL);
			kill(e->pid, SIGKILL);
			left |= e->pgid ? sc_group_alive(e->pgid) : pid_alive(e->pid);
		}
		if (left) {
			const struct timespec tick = {0, 10 * 1000 * 1000};

			nanosleep(&tick, NULL);
		}
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == 'F')
			unlink(l->v[i].path);
		else if (l->v[i].kind == 'T')
			remove_tmp_files(l->v[i].path, driver);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == 'D')
			sc_remove_tree(l->v[i].path);
}

/* The watchdog: reads records until the driver's end closes, then cleans
 * up and exits. */
static _Noreturn void watchdog(int fd)
{
	struct list l = {0};
	char buf[2 * MAX_PATH_REC + 64];
	size_t used = 0;
	pid_t driver = getppid();

	setsid();
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (chdir("/") != 0)
		_exit(1);
	/* Hold nothing of the driver's: no terminal, no file, no socket. */
	for (int i = 0; i < 3; i++)
		if (i != fd) {
			int null = open("/dev/null", O_RDWR);

			if (null >= 0 && null != i) {
				dup2(null, i);
				close(null);
			}
		}
	if (fd > 3)
		syscall(SYS_close_range, 3u, (unsigned)fd - 1, 0u);
	syscall(SYS_close_range, (unsigned)fd + 1, ~0u, 0u);
	for (;;) {
		ssize_t n = read(fd, buf + used, sizeof(buf) - used - 1);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		buf[used] = '\0';
		while ((nl = memchr(buf, '\n', used))) {
			*nl = '\0';
			apply(&l, buf);
			used -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, used);
		}
		if (used == sizeof(buf) - 1)
			used = 0; /* an overlong record: never sent by us */
	}
	clean_up(&l, driver);
	_exit(0);
}

/* ---- the driver's side ---- */

int sc_watch_start(void)
{
	int sv[2];
	pid_t pid;

	if (wfd >= 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -errno;
	fflush(NULL); /* nothing buffered may be written twice */
	(void)sc_outfile_tag(); /* chosen now, so the watchdog knows it too */
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(sv[0]);
		close(sv[1]);
		return -e;
	}
	if (pid == 0) {
		close(sv[1]);
		watchdog(sv[0]);
	}
	close(sv[0]);
	wfd = sv[1];
	wpid = pid;
	return 0;
}

void sc_watch_finish(void)
{
	uint64_t until = sc_mono_ns() + 5 * SC_NS_PER_S;

	if (wfd < 0)
		return;
	close(wfd);
	wfd = -1;
	for (;;) {
		pid_t w = waitpid(wpid, NULL, WNOHANG);

		if (w == wpid || (w < 0 && errno != EINTR) || sc_mono_ns() >= until)
			break;
		sc_sleep_ns(2 * SC_NS_PER_MS, NULL);
	}
	wpid = 0;
}

/* Sends one record. Returns 0, or -ESRCH with no watchdog. */
static int say(const char *rec, size_t n)
{
	size_t done = 0;

	if (wfd < 0)
		return -ESRCH;
	while (done < n) {
		ssize_t w = send(wfd, rec + done, n - done, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -ESRCH; /* the watchdog died: carry on without */
		done += (size_t)w;
	}
	return 0;
}

void sc_watch_child(pid_t pid, pid_t pgid, bool add)
{
	char rec[64];
	int n = snprintf(rec, sizeof(rec), "%c %d %d\n", add ? 'G' : 'g', (int)pid, (int)pgid);

	say(rec, (size_t)n);
}

static int path_rec(char kind, const char *path)
{
	char rec[MAX_PATH_REC + 8], cwd[PATH_MAX];
	int n;

	if (strchr(path, '\n'))
		return -EINVAL;
	if (path[0] == '/')
		n = snprintf(rec, sizeof(rec), "%c %s\n", kind, path);
	else if (getcwd(cwd, sizeof(cwd)))
		n = snprintf(rec, sizeof(rec), "%c %s/%s\n", kind, cwd, path);
	else
		return -errno;
	if (n < 0 || (size_t)n >= sizeof(rec))
		return -ENAMETOOLONG;
	return say(rec, (size_t)n);
}

int sc_watch_dir(const char *path, bool add)
{
	return path_rec(add ? 'D' : 'd', path);
}

int sc_watch_file(const char *path, bool add)
{
	return path_rec(add ? 'F' : 'f', path);
}

int sc_watch_tmp_files(const char *dir, bool add)
{
	return path_rec(add ? 'T' : 't', dir);
}

/* The first 8 hex digits of this boot's id ("unknown!" if unreadable). */
static void boot_tag(char tag[9])
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, tag, 8) : -1;

	if (fd >= 0)
		close(fd);
	if (n != 8)
		memcpy(tag, "unknown!", 8);
	tag[8] = '\0';
}

static const char *tmp_base(size_t maxbase)
{
	const char *t = getenv("TMPDIR");

	return t && t[0] == '/' && strlen(t) < maxbase ? t : "/tmp";
}

int sc_watch_mkdtemp(char *buf, size_t len, const char *base, const char *kind, size_t maxbase)
{
	char tag[9];
	int n, r;

	boot_tag(tag);
	n = snprintf(buf, len, "%s/%s-%s-%d-XXXXXX", base ? base : tmp_base(maxbase), kind, tag, (int)getpid());
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (!mkdtemp(buf))
		return -errno;
	r = sc_watch_dir(buf, true);
	(void)r; /* no watchdog: still a good directory */
	return 0;
}

/* True if the newest change in dir (itself or an entry) is older than
 * age seconds. */
static bool untouched_for(const char *dir, time_t age)
{
	time_t now = time(NULL);
	struct dirent *de;
	struct stat st;
	bool old = true;
	DIR *d;
	int dfd;

	if (stat(dir, &st) != 0 || now - st.st_mtime < age)
		return false;
	d = opendir(dir);
	if (!d)
		return false;
	dfd = dirfd(d);
	while (old && (de = readdir(d)))
		if (de->d_name[0] != '.' || (de->d_name[1] && strcmp(de->d_name, "..") != 0))
			old = fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && now - st.st_mtime >= age;
	closedir(d);
	return old;
}

/* True if name matches PREFIX<digits>SUFFIX for one pair of the table. */
static bool named_like(const char *name, const char *const pairs[][2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t pl = strlen(pairs[i][0]);
		const char *q = name + pl;

		if (strncmp(name, pairs[i][0], pl) != 0 || *q < '0' || *q > '9')
			continue;
		while (*q >= '0' && *q <= '9')
			q++;
		if (strncmp(q, pairs[i][1], strlen(pairs[i][1])) == 0)
			return true;
	}
	return false;
}

/* True if everything in an older version's directory is named as that
 * version named its files: sockcmp-XXXXXX held tN-recv*, tN-send* and
 * sN.sock; sc-uml-XXXXXX held job/ and the guest's umid scPID-N/. */
static bool only_ours(const char *dir, size_t kind)
{
	static const char *const run[][2] = {{"t", "-recv"}, {"t", "-send"}, {"s", ".sock"}};
	static const char *const uml[][2] = {{"sc", "-"}, {"job", ""}};
	struct dirent *de;
	bool ours = true;
	DIR *d = opendir(dir);

	while (d && ours && (de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			ours = kind == 0 ? named_like(de->d_name, run, 3)
					 : strcmp(de->d_name, "job") == 0 || named_like(de->d_name, uml, 1);
	if (d)
		closedir(d);
	return d && ours;
}

/* Whether name (an entry of a temp folder) is a leftover to remove. */
static bool leftover(const char *base, const char *name, const char *tag)
{
	char path[PATH_MAX];
	struct stat st;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t kl = strlen(kinds[k]);
		const char *p = name + kl + 1, *q;
		long pid;

		if (strncmp(name, kinds[k], kl) != 0 || name[kl] != '-')
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, name);
		if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			return false;
		/* Older versions: KIND-XXXXXX, no PID to ask; only if all
		 * that is in it looks like theirs. */
		if (strlen(p) == 6 && strchr(p, '-') == NULL)
			return k < 2 && only_ours(path, k) && untouched_for(path, OLD_AGE_S);
		/* KIND-BOOT-PID-XXXXXX */
		if (strncmp(p, tag, 8) != 0 || p[8] != '-')
			continue;
		pid = strtol(p + 9, (char **)&q, 10);
		if (q == p + 9 || *q != '-' || strlen(q + 1) != 6 || pid <= 0)
			continue;
		return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
	}
	return false;
}

int sc_watch_sweep_in(const char *base)
{
	char tag[9], path[PATH_MAX];
	struct dirent *de;
	int n = 0;
	DIR *d;

	boot_tag(tag);
	d = opendir(base);
	while (d && (de = readdir(d)))
		if (leftover(base, de->d_name, tag)) {
			snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
			sc_remove_tree(path);
			n++;
		}
	if (d)
		closedir(d);
	return n;
}

int sc_watch_sweep(void)
{
	const char *k = getenv("SOCKCMP_KERNEL"), *t = getenv("TMPDIR");
	int n;

	if (k && strcmp(k, "uml") == 0)
		return 0;
	n = sc_watch_sweep_in("/tmp");
	if (t && t[0] == '/' && strcmp(t, "/tmp") != 0)
		n += sc_watch_sweep_in(t);
	return n;
}
