/* probe_unix.c - "UNIX domain: sockets have actual file names": a path
 * socket is a file (S_ISSOCK) that outlives close(); an abstract one has
 * no file at all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"

/* Binds a new AF_UNIX datagram socket to name (len bytes of sun_path).
 * Returns the fd or -errno. */
static int bind_un(const char *name, size_t len)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return -errno;
	memcpy(a.sun_path, name, len);
	if (bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* 1 if /proc/net/unix lists "@name", 0 if not, -1 if it cannot be read. */
static int listed(const char *name)
{
	char line[512];
	FILE *f = fopen("/proc/net/unix", "re");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		char *at = strchr(line, '@');

		line[strcspn(line, "\n")] = '\0';
		found = at && !strcmp(at + 1, name);
	}
	fclose(f);
	return found;
}

/* 1 if path exists, 0 if not (ENOENT), -1 if stat cannot tell. */
static int exists(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

void sc__judge_unixnames(const struct sc__unixnames *m, struct sc_verdict *v)
{
	static const char *const tri[] = {"unknown", "no", "yes"};

	if (m->stat_err) {
		sc_verdict_set(v, "not measured", "stat() of the bound socket's path failed: %s",
			       pu_errname(m->stat_err));
		return;
	}
	sc_verdict_figures(v, "path socket: a file of type %s (mode %o), still there after close(): %s, binding it "
			   "again: %s | abstract socket \"@%s\": %s%s, in /proc/net/unix %s, a file: %s",
			   m->is_sock ? "socket" : "other than socket", m->mode, tri[m->after_close + 1],
			   pu_errname(m->rebind_err), m->abs, m->abs_err ? "bind " : "bound",
			   m->abs_err ? pu_errname(m->abs_err) : "", tri[m->abs_listed + 1], tri[m->abs_file + 1]);
	if (!m->is_sock) {
		sc_verdict_set(v, "not measured", "the bound path is not a socket file (mode %o): cannot tell", m->mode);
	} else if (m->abs_err == EINVAL || m->abs_err == ENOENT) {
		/* No abstract names on this system: every socket has a file. */
		sc_verdict_set(v, "confirmed", "AF_UNIX sockets had file names, and this system has no abstract "
			       "(file-less) names (%s)", pu_errname(m->abs_err));
	} else if (m->abs_err || m->abs_listed < 0 || m->abs_file < 0) {
		sc_verdict_set(v, "not measured", "the abstract socket could not be checked (bind %s, /proc/net/unix "
			       "%s, stat %s)", pu_errname(m->abs_err), m->abs_listed < 0 ? "unreadable" : "read",
			       m->abs_file < 0 ? "failed" : "worked");
	} else if (m->abs_listed == 1 && m->abs_file == 0 && m->after_close == 1 && m->rebind_err == EADDRINUSE) {
		/* Every part of the sentence below was measured. */
		sc_verdict_set(v, "too simple", "path-bound AF_UNIX sockets are files (of type socket) and the file stays "
			       "after close() until someone unlinks it (rebinding fails with %s); Linux's abstract "
			       "sockets have names but no file", pu_errname(m->rebind_err));
	} else if (m->abs_listed == 1 && m->abs_file == 0) {
		sc_verdict_set(v, "not measured", "the path socket's file after close() (%s) and its second bind "
			       "(%s) are not what a file that stays would give: cannot tell",
			       tri[m->after_close + 1], pu_errname(m->rebind_err));
	} else {
		sc_verdict_set(v, "not measured", "the bound abstract socket was %s in /proc/net/unix and a file of its "
			       "name %s: cannot tell", m->abs_listed ? "listed" : "not listed",
			       m->abs_file ? "exists" : "does not exist");
	}
}

int sc_probe_unixnames(const struct sc_probe_env *env, struct sc_verdict *v)
{
	char dir[] = "/tmp/sockcmp-probe.XXXXXX", path[64], name[80];
	struct sc__unixnames m = {.after_close = -1, .abs_listed = -1, .abs_file = -1};
	struct stat st;
	struct sc_csv c;
	int fd, r;

	if (!mkdtemp(dir))
		return -errno;
	snprintf(path, sizeof(path), "%s/s", dir);
	fd = bind_un(path, strlen(path) + 1);
	if (fd < 0) {
		rmdir(dir);
		return fd;
	}
	if (stat(path, &st) == 0) {
		m.is_sock = S_ISSOCK(st.st_mode);
		m.mode = (unsigned)(st.st_mode & 07777);
	} else {
		m.stat_err = errno;
	}
	close(fd);
	m.after_close = exists(path);
	fd = bind_un(path, strlen(path) + 1);
	m.rebind_err = fd < 0 ? -fd : 0;
	if (fd >= 0)
		close(fd);
	unlink(path);
	rmdir(dir);
	/* Abstract: sun_path[0] is '\0'; the name lives in the kernel only. */
	snprintf(m.abs, sizeof(m.abs), "sockcmp-probe-%d", (int)getpid());
	name[0] = '\0';
	memcpy(name + 1, m.abs, strlen(m.abs));
	fd = bind_un(name, strlen(m.abs) + 1);
	if (fd < 0) {
		m.abs_err = -fd;
	} else {
		m.abs_listed = listed(m.abs);
		m.abs_file = exists(m.abs);
		close(fd);
	}
	if ((r = sc_probe_csv_open(env, "unix-names", &c, (const char *const[]){"measure", "value", "unit", NULL})) < 0)
		return r;
	if (m.stat_err) {
		pu_row_none(&c, "path_socket_is_S_ISSOCK", "bool");
		pu_row_none(&c, "path_socket_mode", "octal-as-decimal");
	} else {
		pu_row(&c, "path_socket_is_S_ISSOCK", m.is_sock, "bool");
		pu_row(&c, "path_socket_mode", m.mode, "octal-as-decimal");
	}
	pu_row_if(&c, m.after_close >= 0, "file_remains_after_close", m.after_close, "bool");
	pu_row(&c, "rebind_same_path_errno", m.rebind_err, "errno");
	pu_row_if(&c, m.abs_listed >= 0, "abstract_listed_in_proc_net_unix", m.abs_listed, "bool");
	pu_row_if(&c, m.abs_file >= 0, "abstract_has_a_file", m.abs_file, "bool");
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc__judge_unixnames(&m, v);
	return 0;
}
