/* watch.h - nothing of a run outlives the driver, even after kill -9.
 *
 * A kill -9 (the OOM killer, a CI timeout) gives the driver no chance to
 * clean up, and PR_SET_PDEATHSIG reaches only its direct children, not
 * linux.uml's helpers and guest processes, and not files. So the driver
 * starts a small watchdog process first. It sits in a session of its own
 * (signals to the driver's process group or terminal do not reach it) and
 * holds the read end of a pipe; the driver writes to it, as it goes, which
 * process groups, single processes, directories and files belong to the
 * run, and which no longer do. When the pipe closes, which happens however
 * the driver ends, the watchdog SIGKILLs every group and process still on
 * its list, waits (up to 3 s) until they are gone, removes the directories
 * (recursively, never following links or crossing into other file
 * systems) and the files, and exits. A normal exit leaves nothing on the
 * list, and sc_watch_finish() waits for the watchdog so it is gone too.
 *
 * The driver's temporary directories are named BASE/KIND-BOOT-PID-XXXXXX
 * (BOOT: the kernel's boot id, PID: the driver's), so the next run can
 * tell leftovers of a run that died with its watchdog (or of an older
 * version) from those of a live run; see sc_watch_sweep(). */
#ifndef SC_WATCH_H
#define SC_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Starts the watchdog (once; later calls do nothing). Returns 0 or -errno;
 * without a watchdog everything else here does nothing, and the run still
 * works, only without kill -9 cleanup. */
int sc_watch_start(void);

/* Closes the pipe, so the watchdog cleans up whatever is still on its list
 * and exits, and waits (up to 5 s) for it. */
void sc_watch_finish(void);

/* Adds (add) or removes a child: its process group pgid (0: it has none,
 * then the process pid alone is killed). Called by the process runner. */
void sc_watch_child(pid_t pid, pid_t pgid, bool add);

/* Adds or removes a directory that the watchdog removes, with everything
 * in it, if the driver dies. Returns 0, -ENAMETOOLONG (a path over 4000
 * bytes) or -ESRCH (no watchdog). */
int sc_watch_dir(const char *path, bool add);

/* Removes a directory tree of our own: depth first, links not followed,
 * never into another file system. */
void sc_remove_tree(const char *path);

/* The same for one file. */
int sc_watch_file(const char *path, bool add);

/* The same for the files in dir named *.tmp-PID, PID being this process's
 * (the temporary names results are written under before they are renamed
 * into place): removed if the driver dies. Only those: other runs sharing
 * the folder have other PIDs. */
int sc_watch_tmp_files(const char *dir, bool add);

/* Makes a fresh directory BASE/KIND-BOOT-PID-XXXXXX (mode 0700) in buf and
 * puts it on the watchdog's list. BASE: base if not NULL, else $TMPDIR if
 * set, absolute and shorter than maxbase bytes, else /tmp. Returns 0 or
 * -errno. */
int sc_watch_mkdtemp(char *buf, size_t len, const char *base, const char *kind, size_t maxbase);

/* Removes the leftovers of runs that died without cleaning up, in $TMPDIR
 * and /tmp, owned by this user: directories KIND-BOOT-PID-XXXXXX of this
 * boot whose PID is dead, and directories of older versions without a PID
 * ("sockcmp-XXXXXX", "sc-uml-XXXXXX") untouched for two hours (an older
 * version's run never went that long without writing to its directory).
 * Returns how many it removed. Does nothing inside the user-mode Linux
 * guest (SOCKCMP_KERNEL=uml), whose /tmp is the host's but whose PIDs are
 * not. */
int sc_watch_sweep(void);

/* The same in one directory (the staging folders in --out, for one). */
int sc_watch_sweep_in(const char *base);

#endif
