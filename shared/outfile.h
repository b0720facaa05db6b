/* outfile.h - result files that appear whole or not at all, written where
 * strangers may write too.
 *
 * A result file is written to a temporary file in its final directory and
 * renamed over PATH only once it is complete and on disk. The temporary
 * file never has a name anyone can guess or pre-plant: it is unnamed
 * (O_TMPFILE) where the filesystem allows, else created exclusively as
 * "PATH.tmp-TAG-RANDOM" with O_CREAT|O_EXCL|O_NOFOLLOW, so a symlink or
 * file planted at any name is never followed or reused. TAG is this
 * process's (or, with SOCKCMP_TMP_TAG, its parent run's) own: a run
 * removes only temporary files that carry its tag, never another run's. */
#ifndef SC_OUTFILE_H
#define SC_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sc_outfile {
	int fd;     /* open for reading and writing, or -1 */
	char *path; /* final name */
	char *tmp;  /* the temporary file's name, NULL while it is unnamed */
};

/* Creates the temporary file for path (in path's directory). Returns 0,
 * or -errno (then o holds nothing to free). */
int sc_outfile_open(struct sc_outfile *o, const char *path);

/* fsyncs the file, renames it over its final name and closes it. Returns
 * 0 or -errno; on failure the temporary file is removed and the final
 * name left as it was. Frees o's resources either way. */
int sc_outfile_commit(struct sc_outfile *o);

/* Closes and removes the temporary file; the final name is left as it
 * was. Safe on a closed or zeroed o. */
void sc_outfile_abort(struct sc_outfile *o);

/* Writes path whole or not at all through fn, which prints to a stdio
 * stream: open, fn, flush, commit; any write error (a full disk) leaves
 * the final name as it was. Returns 0 or -errno. */
int sc_outfile_write(const char *path, void (*fn)(FILE *f, void *ctx), void *ctx);

/* This process's temporary-file tag: SOCKCMP_TMP_TAG if it holds 8 to 16
 * lowercase hex digits, else 12 random ones chosen once. */
const char *sc_outfile_tag(void);

/* Whether name (a directory entry) is one of this run's temporary files
 * for a final name starting with prefix. */
bool sc_outfile_is_own_tmp(const char *name, const char *prefix);

/* Whether strangers can replace or plant files in dir: writable by others
 * (or by a group we are not in) and not sticky. Returns 1, 0, or -errno. */
int sc_outfile_dir_shared(const char *dir);

/* The same for the directory a file (or a PREFIX) path would be in. */
int sc_outfile_parent_shared(const char *path);

/* For tests: 1 forces the named fallback even where O_TMPFILE works (as
 * the environment variable SOCKCMP_NO_TMPFILE does for a whole process). */
extern int sc__outfile_no_tmpfile;
/* For tests: forgets the tag, so the next sc_outfile_tag chooses again. */
void sc__outfile_reset_tag(void);

#endif
