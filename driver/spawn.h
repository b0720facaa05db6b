/* spawn.h - starting the paired programs and making sure they end.
 *
 * Every child the driver starts is remembered here by PID, so that an
 * interrupted run (SIGINT, SIGTERM) can end exactly the processes it
 * started, and nothing else. */
#ifndef SC_SPAWN_H
#define SC_SPAWN_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

struct sc_child {
	pid_t pid;
	int out_fd;   /* read end of the child's stdout, or -1 */
	int status;   /* wait status once reaped */
	int done;
};

/* Starts argv[0] (a path) with stdin from /dev/null, stdout to a pipe
 * (if want_out) else inherited, stderr to err_path (or inherited if NULL).
 * If netns is not NULL the child first joins that network namespace
 * (/run/netns/NAME). Returns 0 or -errno. */
int sc_spawn(struct sc_child *c, char *const argv[], int want_out, const char *err_path,
	     const char *netns);

/* Reads one line of the child's stdout into buf (without the newline)
 * before the CLOCK_MONOTONIC deadline. Returns its length, -ETIMEDOUT,
 * -EPIPE (the child closed stdout first), or -EINTR if *stop was set. */
int sc_child_line(struct sc_child *c, char *buf, size_t len, uint64_t deadline,
		  const volatile sig_atomic_t *stop);

/* Waits for the children to exit until the deadline. Returns 0 when all
 * have exited, -ETIMEDOUT or -EINTR (then they are still running). */
int sc_child_wait(struct sc_child *cs, int n, uint64_t deadline, const volatile sig_atomic_t *stop);

/* Ends the children: SIGTERM, up to grace_ns to exit, then SIGKILL, and
 * reaps them. Safe on children already reaped. */
void sc_child_end(struct sc_child *cs, int n, uint64_t grace_ns);

/* Ends every child still registered (used by the interrupt path). */
void sc_spawn_end_all(void);

/* Exit code of a reaped child: its exit status, or 128+signal. */
int sc_child_code(const struct sc_child *c);

#endif
