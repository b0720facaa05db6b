/* meta.h - how a run was made, once per run: DIR/NAME-meta.json with
 * sockcmp's version and commit, the kernel the trials ran on and why,
 * uname, and the sysctls that shape the results (buffer limits, the port
 * range, tcp_syn_retries). Written by the process that ran the trials, so
 * a run in a user-mode Linux guest records the guest's kernel. */
#ifndef SC_META_H
#define SC_META_H

#include "json.h"
#include "script.h"

/* The sysctls recorded, as /proc/sys paths below net/ (NULL-terminated). */
extern const char *const sc_meta_sysctls[];

/* Builds the metadata object into j: kernel is "host" or "uml" (NULL:
 * loopback, no link), why the reason for it (may be NULL); proc is the
 * root of /proc/sys (tests pass their own). Returns 0 or j's error. */
int sc_meta_json(struct sc_json *j, const struct sc_experiment *e, const char *kernel, const char *why,
		 const char *proc);

/* Writes DIR/NAME-meta.json whole or not at all. Returns 0 or -errno. */
int sc_meta_write(const struct sc_experiment *e, const char *dir, const char *kernel, const char *why);

#endif
