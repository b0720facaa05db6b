/* uml.h - running one command inside a user-mode Linux guest.
 *
 * The guest is Debian's linux.uml (a Linux 6.1 kernel that runs as an
 * ordinary process, as any user) booted with the host's filesystem as its
 * root and sc-guest-init as PID 1; it has sch_netem when the host kernel
 * does not. One boot runs one command (a whole experiment, every sweep
 * point and repeat) whose output files land directly in the host's
 * filesystem. The guest's stdout and stderr are the host's. */
#ifndef SC_UML_H
#define SC_UML_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct sc_uml_opts {
	const char *bin_dir;    /* holds sc-guest-init and libsc-umlshim.so */
	char *const *argv;      /* the command, argv[0] an absolute path */
	const char *cwd;        /* where it runs (host path; the same in the guest) */
	uint64_t timeout_ns;    /* the whole boot-run-power-off */
	unsigned mem_mb;        /* guest memory; 0 = 256 */
	const volatile sig_atomic_t *stop; /* set by the caller's SIGINT handler */
};

/* Returns 0 if linux.uml and its modules are installed, else -ENOENT with
 * what is missing and the remedy in why. */
int sc_uml_available(char *why, size_t len);

/* Boots the guest, runs o->argv in it, powers it off. Returns 0 with the
 * command's exit status in *status, -ETIMEDOUT, -EINTR (stopped), or
 * -errno with a reason in err. Whatever it returns, every process of the
 * guest is gone and its temporary files are removed. */
int sc_uml_run(const struct sc_uml_opts *o, int *status, char *err, size_t errlen);

#endif
