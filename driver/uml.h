/* uml.h - running one command inside a user-mode Linux guest.
 *
 * The guest is Debian's linux.uml (a Linux 6.1 kernel that runs as an
 * ordinary process, as any user) booted with the host's filesystem as its
 * root and sc-guest-init as PID 1; it has sch_netem when the host kernel
 * does not. One boot runs one command (a whole experiment, every sweep
 * point and repeat) as the guest's root; files it writes land directly in
 * the host's filesystem, with the rights of the host user who booted it.
 *
 * Whatever sc_uml_run returns, no process of the guest is left: linux.uml
 * gets a session of its own, and its whole process group is killed and
 * waited for. If the calling process dies first, linux.uml gets SIGTERM
 * (PR_SET_PDEATHSIG) and ends its guest itself, and the watchdog (if the
 * caller started one, watch.h) kills the whole group and removes the
 * guest's directory. */
#ifndef SC_UML_H
#define SC_UML_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct sc_uml_opts {
	char *const *argv;      /* the command; argv[0] absolute or found in the guest's PATH */
	const char *cwd;        /* absolute; where it runs (the same path in the guest); NULL = "/" */
	const char *bin_dir;    /* holds sc-guest-init and libsc-umlshim.so (see uml_shim.c) */
	const char *init_path;  /* the guest's PID 1 if not bin_dir/sc-guest-init */
	const char *job_dir;    /* the caller's (kept, status left in it); NULL = a private one, removed */
	/* The whole boot-run-power-off; 0 = none. Callers work it out from
	 * the experiment's plan (dispatch.c: every trial's limit, plus the
	 * boot), never a fixed value. */
	uint64_t timeout_ns;
	unsigned mem_mb;        /* guest memory; 0 = 256 */
	/* Where output goes. 0: the command's stdout and stderr to this
	 * process's fds 1 and 2, the kernel's console kept only for error
	 * messages. > 0: everything the guest prints (console included) to
	 * out_fd, in order. < 0: nothing is shown. */
	int out_fd;
	const volatile sig_atomic_t *stop; /* non-zero: end as sc_uml_abort() does; may be NULL */
	/* Called every few milliseconds while the guest runs (may be NULL):
	 * for showing the guest's progress on the host. */
	void (*tick)(void *arg);
	void *tick_arg;
};

/* Returns 0 if linux.uml and its modules (sch_netem, veth) are installed,
 * else -ENOENT with what is missing and the remedy in why (may be NULL). */
int sc_uml_available(char *why, size_t len);

/* Boots the guest, runs o->argv in it, powers it off. Returns 0 with the
 * command's exit status in *status (128+N if signal N ended it),
 * -ETIMEDOUT, -EINTR (sc_uml_abort() or *o->stop), -ENOENT (no linux.uml
 * or sc-guest-init), -EINVAL (bad options, or a path the guest cannot see
 * or the kernel command line cannot carry), -ENOSPC (no room for the
 * guest's memory), -EIO (the guest ended without a status, or its init
 * failed: the reason is in err), or another -errno. err may be NULL. */
int sc_uml_run(const struct sc_uml_opts *o, int *status, char *err, size_t errlen);

/* Async-signal-safe: makes a running sc_uml_run end its guest and return
 * -EINTR (within about half a second). One that is not running yet will
 * return -EINTR without booting. Every sc_uml_run that returns -EINTR
 * clears it. */
void sc_uml_abort(void);

#endif
