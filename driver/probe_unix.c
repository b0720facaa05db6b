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

/* True if /proc/net/unix lists "@name". */
static bool listed(const char *name)
{
	char line[512];
	FILE *f = fopen("/proc/net/unix", "re");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		char *at = strchr(line, '@');

		line[strcspn(line, "\n")] = '\0';
		found = at && !strcmp(at + 1, name);
	}
	if (f)
		fclose(f);
	return found;
}

int sc_probe_unixnames(const struct sc_probe_env *env, struct sc_verdict *v)
{
	char dir[] = "/tmp/sockcmp-probe.XXXXXX", path[64], abs[64];
	struct stat st;
	struct sc_csv c;
	int fd, r, is_sock, mode, after_close, rebind, abs_listed, abs_file;

	if (!mkdtemp(dir))
		return -errno;
	snprintf(path, sizeof(path), "%s/s", dir);
	fd = bind_un(path, strlen(path) + 1);
	if (fd < 0) {
		rmdir(dir);
		return fd;
	}
	is_sock = stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
	mode = (int)(st.st_mode & 07777);
	close(fd);
	after_close = stat(path, &st) == 0;
	fd = bind_un(path, strlen(path) + 1);
	rebind = fd < 0 ? -fd : 0;
	if (fd >= 0)
		close(fd);
	unlink(path);
	rmdir(dir);
	/* Abstract: sun_path[0] is '\0'; the name lives in the kernel only. */
	snprintf(abs, sizeof(abs), "sockcmp-probe-%d", (int)getpid());
	{
		char name[80];

		name[0] = '\0';
		memcpy(name + 1, abs, strlen(abs));
		fd = bind_un(name, strlen(abs) + 1);
	}
	if (fd < 0)
		return fd;
	abs_listed = listed(abs);
	abs_file = stat(abs, &st) == 0;
	close(fd);
	if ((r = sc_probe_csv_open(env, "unix-names", &c, (const char *const[]){"measure", "value", "unit", NULL})) < 0)
		return r;
	pu_row(&c, "path_socket_is_S_ISSOCK", is_sock, "bool");
	pu_row(&c, "path_socket_mode", mode, "octal-as-decimal");
	pu_row(&c, "file_remains_after_close", after_close, "bool");
	pu_row(&c, "rebind_same_path_errno", rebind, "errno");
	pu_row(&c, "abstract_listed_in_proc_net_unix", abs_listed, "bool");
	pu_row(&c, "abstract_has_a_file", abs_file, "bool");
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "path socket: a file of type socket (S_ISSOCK %s, mode %o), still there after close(), "
			   "binding it again: %s | abstract socket \"@%s\": in /proc/net/unix %s, a file: %s",
			   is_sock ? "yes" : "no", (unsigned)mode, pu_errname(rebind), abs, abs_listed ? "yes" : "no",
			   abs_file ? "yes" : "no");
	if (is_sock && !abs_file && abs_listed)
		sc_verdict_set(v, "too simple", "path-bound AF_UNIX sockets are files (of type socket) and the file stays "
			       "after close() until someone unlinks it (rebinding fails with %s); Linux's abstract "
			       "sockets have names but no file", pu_errname(rebind));
	else
		sc_verdict_set(v, "confirmed", "AF_UNIX sockets had file names");
	return 0;
}
