/* proctree.h - what a server's process tree uses, from /proc (the servers
 * mode, issue 9): processes (zombies apart), threads and descriptors of a
 * process and all its descendants, sampled while the clients run.
 *
 * The parsing and the tree walk are pure functions of text and tables, so
 * the tests feed them crafted /proc contents; sc_proctree_sample() is the
 * one part that reads the real /proc. */
#ifndef SC_PROCTREE_H
#define SC_PROCTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "summary.h"

/* One process as /proc/PID/stat describes it, with its open descriptors. */
struct sc_proc {
	pid_t pid, ppid;
	char state;       /* 'R', 'S', 'Z', ... */
	uint64_t threads; /* num_threads */
	uint64_t fds;     /* entries of /proc/PID/fd (0 for a zombie) */
};

/* The sums over one tree at one moment. */
struct sc_tree_use {
	uint64_t procs, zombies; /* zombies are among procs */
	uint64_t threads, fds;   /* of live processes (a zombie's stat says 1 thread) */
};

/* Parses the text of /proc/PID/stat (the command name may hold spaces and
 * parentheses: the state follows the LAST ')'). Returns 0, or -EINVAL if
 * text is not such a line. */
int sc_proc_parse_stat(const char *text, struct sc_proc *p);

/* Sums over the processes of v[0..n) that are root or descend from it
 * (through ppid links inside v). Writes up to max of their PIDs to members
 * (may be NULL). Returns how many processes are in the tree (0 if root is
 * not in v). Cycles in ppid links (impossible in /proc, possible in crafted
 * input) end the walk. */
size_t sc_proc_tree(const struct sc_proc *v, size_t n, pid_t root, struct sc_tree_use *u, pid_t *members,
		    size_t max);

/* Folds one sample into use: the maxima, and the sample count. */
void sc_proc_fold(struct sc_srv_use *use, const struct sc_tree_use *u);

/* Remembers the PIDs of members[0..n) in the set seen (cap entries, *nseen
 * used); returns how many were new. PIDs beyond the cap are not counted. */
size_t sc_proc_seen(pid_t *seen, size_t *nseen, size_t cap, const pid_t *members, size_t n);

/* Reads every process of /proc into v (at most max), descriptors counted
 * only for the tree of root. Returns the number read, or -errno. */
int sc_proctree_scan(pid_t root, struct sc_proc *v, size_t max);

#endif
