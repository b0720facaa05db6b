/* spawn.h - the one way the driver starts, watches and ends a process.
 *
 * Every process the driver starts (the paired programs, ip and tc,
 * linux.uml, gnuplot) goes through sc_child_start, so all of them get the
 * same treatment:
 *  - stdin is /dev/null; stdout is inherited, a pipe, /dev/null or a given
 *    fd; stderr is inherited, stdout, a file or a given fd; further fds
 *    only where asked (child fds 3, 4, ...); every other descriptor is
 *    closed on exec, whether or not its owner remembered O_CLOEXEC;
 *  - signal dispositions are all reset to the default and the signal mask
 *    is emptied just before exec (the driver ignores SIGPIPE and catches
 *    SIGINT/SIGTERM: none of that reaches the programs);
 *  - the child gets a process group (or a session) of its own when asked,
 *    and every signal the driver sends to end it goes to that whole group;
 *  - it dies with the driver: PR_SET_PDEATHSIG (set before exec, with the
 *    parent checked afterwards, since the parent may have died in between),
 *    and the driver's watchdog (watch.h) is told about its group before it
 *    may exec, so even descendants PR_SET_PDEATHSIG cannot reach are ended
 *    after a kill -9 of the driver. (PDEATHSIG fires when the thread that
 *    forked exits: the driver forks only from its one thread.);
 *  - a failure to set up or exec is returned to the caller as -errno, not
 *    as an exit status 127 that looks like the program's own;
 *  - waits take a CLOCK_MONOTONIC deadline and an optional stop flag;
 *    EINTR is retried everywhere;
 *  - a child is reaped only after its group is empty, so its PID (and
 *    group ID) cannot be reused while the driver might still signal it.
 *
 * Children alive right now are remembered, so sc_spawn_end_all() can end
 * exactly the processes the driver started, and nothing else. */
#ifndef SC_SPAWN_H
#define SC_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sc_child {
	pid_t pid;
	pid_t pgid;  /* the child's own process group, or 0 if it has none */
	int out_fd;  /* read end of the child's stdout pipe, or -1 */
	int pidfd;   /* pidfd_open() of the child, or -1 (kernel without it) */
	int status;  /* wait status once reaped */
	bool exited; /* it has exited (maybe not reaped yet) */
	bool done;   /* reaped */
};

/* Where one of the child's standard streams goes. */
enum sc_stream {
	SC_STREAM_INHERIT = 0, /* this process's own fd of the same number */
	SC_STREAM_NULL,        /* /dev/null */
	SC_STREAM_PIPE,        /* stdout only: a pipe read through c->out_fd */
	SC_STREAM_FD,          /* the fd in out_fd / err_fd */
	SC_STREAM_FILE,        /* stderr only: err_path, created 0600 or truncated */
	SC_STREAM_STDOUT,      /* stderr only: wherever stdout goes */
};

#define SC_SPAWN_MAX_EXTRA 4

struct sc_spawn_opts {
	char *const *argv;      /* argv[0] is the path run (no PATH search) */
	char *const *envp;      /* NULL: this process's environment */
	const char *netns;      /* a network namespace file to join (such as
				   /proc/PID/ns/net), or NULL to stay in ours */
	bool new_netns;         /* then (or instead) a fresh network namespace */
	enum sc_stream out, err;
	int out_fd, err_fd;     /* for SC_STREAM_FD */
	const char *err_path;   /* for SC_STREAM_FILE; never follows a link */
	const int *extra;       /* fds that become the child's 3, 4, ... */
	int nextra;             /* up to SC_SPAWN_MAX_EXTRA */
	bool group;             /* a process group of its own */
	bool session;           /* a session (and so a group) of its own */
	bool no_core;           /* RLIMIT_CORE 0 */
	int deathsig;           /* sent when the driver dies; 0 = SIGKILL */
};

/* Starts o->argv as described above. Returns 0 once the child has exec'd,
 * or -errno: a bad option (-EINVAL), a file that could not be opened
 * (err_path, netns, /dev/null), the namespace not joined, or what execve
 * said (-ENOENT, -EACCES...). Nothing is left running on failure. */
int sc_child_start(struct sc_child *c, const struct sc_spawn_opts *o);

/* The common case: argv[0] in a process group of its own, dying with the
 * driver, stdin from /dev/null, stdout to a pipe (if want_out) or
 * inherited, stderr to err_path (or inherited if NULL), in the network
 * namespace file netns (NULL = ours). Returns as sc_child_start. */
int sc_spawn(struct sc_child *c, char *const argv[], int want_out, const char *err_path,
	     const char *netns);

/* Reads one line of the child's stdout into buf (without the newline)
 * before the CLOCK_MONOTONIC deadline. Returns its length, -ETIMEDOUT,
 * -EPIPE (the child closed stdout first), -EINTR if *stop was set, or
 * -EIO on a read error. */
int sc_child_line(struct sc_child *c, char *buf, size_t len, uint64_t deadline,
		  const volatile sig_atomic_t *stop);

/* Returns true once the child has exited (without reaping it: a zombie
 * keeps its PID, so its group can still be signalled safely). */
bool sc_child_exited(struct sc_child *c);

/* Sends sig to the child's group (or to the child, if it has no group of
 * its own) unless it is already reaped. */
void sc_child_signal(struct sc_child *c, int sig);

/* Waits until every one of the n children has exited, then reaps them
 * (see sc_child_reap). Returns 0, or -ETIMEDOUT or -EINTR (*stop set;
 * stop may be NULL) with the unfinished ones still running. */
int sc_child_wait(struct sc_child *cs, int n, uint64_t deadline, const volatile sig_atomic_t *stop);

/* Reaps an exited child: SIGKILL to whatever is left of its group, waits
 * (up to 2 s) until no live process is in it, tells the watchdog, then
 * waitpid. A child still running is killed first. Safe on one already
 * reaped. */
void sc_child_reap(struct sc_child *c);

/* Ends the children: SIGTERM to each one's group, up to grace_ns for them
 * to exit, then SIGKILL, and reaps them. Safe on children already
 * reaped. */
void sc_child_end(struct sc_child *cs, int n, uint64_t grace_ns);

/* Ends every child still registered (the interrupt and exit path). */
void sc_spawn_end_all(void);

/* Exit code of a reaped child: its exit status, or 128+signal. */
int sc_child_code(const struct sc_child *c);

/* The last line a child wrote to its stderr file at path (err_path), for a
 * failure message: the file's last non-empty line, its line ending (LF or
 * CRLF) dropped, cut to fit buf (len bytes); only the file's last 4 KiB
 * are read, however much the child wrote. Text only: quotes mean nothing.
 * buf is "" if the file is missing, unreadable or holds no line. */
void sc_child_err_line(const char *path, char *buf, size_t len);

/* Returns true if a live (not zombie) process is in process group pgid;
 * false if none is, or /proc cannot tell. */
bool sc_group_alive(pid_t pgid);

#endif
