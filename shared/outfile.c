/* outfile.c - temporary files nobody else can name, renamed into place.
 *
 * Why not "PATH.tmp-PID": a PID is guessable, so a stranger who can write
 * in the results folder can plant a symlink there and have us write
 * through it (as root, over any file), or an interrupted run that removes
 * "its" temporary files by pattern removes another run's. Here every
 * temporary file is either nameless (O_TMPFILE, linked in only when
 * complete) or made with O_EXCL|O_NOFOLLOW under a random name, and only
 * names carrying this run's tag are ever removed. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int sc__outfile_no_tmpfile;

#define TMP_MARK ".tmp-"
#define RAND_HEX 12
#define TRIES 64

/* Fills buf with n random lowercase hex digits (not NUL-terminated).
 * getrandom should not fail; if it does, the clock and PID still give
 * names that differ between runs, and O_EXCL keeps them safe. */
static void random_hex(char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[32];
	size_t got = 0;

	if (n > sizeof(r))
		n = sizeof(r);
	while (got < n) {
		ssize_t k = getrandom(r + got, n - got, GRND_NONBLOCK);

		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (got < n) {
		struct timespec ts;
		unsigned long long x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (unsigned long long)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (unsigned long long)getpid();
		for (size_t i = got; i < n; i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
			r[i] = (unsigned char)(x >> 56);
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = hex[r[i] & 15];
}

/* Returns whether s is 8 to 16 lowercase hex digits. */
static bool good_tag(const char *s)
{
	size_t n = s ? strspn(s, "0123456789abcdef") : 0;

	return n >= 8 && n <= 16 && s[n] == '\0';
}

static char run_tag[17];

void sc__outfile_reset_tag(void)
{
	run_tag[0] = '\0';
}

const char *sc_outfile_tag(void)
{
	if (!run_tag[0]) {
		const char *env = getenv("SOCKCMP_TMP_TAG");

		if (good_tag(env)) {
			snprintf(run_tag, sizeof(run_tag), "%s", env);
		} else {
			random_hex(run_tag, RAND_HEX);
			run_tag[RAND_HEX] = '\0';
		}
	}
	return run_tag;
}

bool sc_outfile_is_own_tmp(const char *name, const char *prefix)
{
	const char *tag = sc_outfile_tag(), *m;
	size_t n = strlen(prefix), t = strlen(tag);

	if (strncmp(name, prefix, n) != 0)
		return false;
	/* The last mark: a final name may itself contain ".tmp-". */
	for (m = strstr(name + n, TMP_MARK); m && strstr(m + 1, TMP_MARK); m = strstr(m + 1, TMP_MARK))
		;
	if (!m)
		return false;
	m += strlen(TMP_MARK);
	return strncmp(m, tag, t) == 0 && m[t] == '-' && strspn(m + t + 1, "0123456789abcdef") == RAND_HEX &&
	       m[t + 1 + RAND_HEX] == '\0';
}

/* Writes "PATH.tmp-TAG-RANDOM" into a new buffer. Returns it or NULL. */
static char *tmp_name(const char *path)
{
	const char *tag = sc_outfile_tag();
	size_t n = strlen(path) + strlen(TMP_MARK) + strlen(tag) + 1 + RAND_HEX + 1;
	char *s = malloc(n);
	int k;

	if (!s)
		return NULL;
	k = snprintf(s, n, "%s%s%s-", path, TMP_MARK, tag);
	random_hex(s + k, RAND_HEX);
	s[k + RAND_HEX] = '\0';
	return s;
}

/* Returns a new string holding path's directory ("." for a bare name). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Opens an unnamed file in path's directory. Returns the descriptor or
 * -errno. /proc is needed to give it a name later (linkat through
 * /proc/self/fd), so without it we do not start. SOCKCMP_NO_TMPFILE (set
 * to anything) asks for the named fallback, as a filesystem without
 * O_TMPFILE would (the tests use it to check the fallback on any host). */
static int open_unnamed(const char *path)
{
	char *dir;
	int fd;

	if (sc__outfile_no_tmpfile || getenv("SOCKCMP_NO_TMPFILE") || access("/proc/self/fd", X_OK) != 0)
		return -EOPNOTSUPP;
	dir = dir_of(path);
	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	free(dir);
	return fd < 0 ? -errno : fd;
}

int sc_outfile_open(struct sc_outfile *o, const char *path)
{
	int e = 0;

	o->fd = -1;
	o->tmp = NULL;
	o->path = path && *path ? strdup(path) : NULL;
	if (!path || !*path)
		return -EINVAL;
	if (!o->path)
		return -ENOMEM;
	o->fd = open_unnamed(path);
	if (o->fd >= 0)
		return 0;
	/* EISDIR, EOPNOTSUPP, EINVAL: no O_TMPFILE here (old kernels, some
	 * filesystems, the guest's hostfs). ENOENT, EACCES...: the named
	 * attempt below gives the same error for the caller to report. */
	for (int i = 0; i < TRIES; i++) {
		o->tmp = tmp_name(path);
		if (!o->tmp) {
			e = ENOMEM;
			break;
		}
		o->fd = open(o->tmp, O_CREAT | O_EXCL | O_NOFOLLOW | O_RDWR | O_CLOEXEC, 0644);
		if (o->fd >= 0)
			return 0;
		e = errno;
		free(o->tmp);
		o->tmp = NULL;
		if (e != EEXIST)
			break;
	}
	free(o->path);
	o->path = NULL;
	return -e;
}

/* Gives the unnamed file a random temporary name beside its final one.
 * Returns 0 or -errno. */
static int link_unnamed(struct sc_outfile *o)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	for (int i = 0; i < TRIES; i++) {
		o->tmp = tmp_name(o->path);
		if (!o->tmp)
			return -ENOMEM;
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		free(o->tmp);
		o->tmp = NULL;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/* fsyncs path's directory, so the rename survives a crash. Some
 * filesystems refuse to fsync a directory; the data is safe regardless. */
static void sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Frees o's names and marks it closed (a zeroed o holds no descriptor:
 * an open o always has a path). */
static void release(struct sc_outfile *o)
{
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	o->fd = -1;
}

int sc_outfile_commit(struct sc_outfile *o)
{
	int r = 0;

	if (!o->path || o->fd < 0) {
		release(o);
		return -EBADF;
	}
	if (fsync(o->fd) != 0)
		r = -errno;
	if (!r && !o->tmp)
		r = link_unnamed(o);
	if (close(o->fd) != 0 && !r)
		r = -errno;
	o->fd = -1;
	if (!r && rename(o->tmp, o->path) != 0)
		r = -errno;
	if (r && o->tmp)
		unlink(o->tmp);
	if (!r)
		sync_dir(o->path);
	release(o);
	return r;
}

void sc_outfile_abort(struct sc_outfile *o)
{
	if (o->path && o->fd >= 0) {
		close(o->fd);
		if (o->tmp)
			unlink(o->tmp);
	}
	release(o);
}

int sc_outfile_dir_shared(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0)
		return -errno;
	if (st.st_mode & S_ISVTX)
		return 0;
	if (st.st_mode & S_IWOTH)
		return 1;
	return (st.st_mode & S_IWGRP) && st.st_gid != getegid() ? 1 : 0;
}

int sc_outfile_parent_shared(const char *path)
{
	char *dir = dir_of(path);
	int r;

	if (!dir)
		return -ENOMEM;
	r = sc_outfile_dir_shared(dir);
	free(dir);
	return r;
}

int sc_outfile_write(const char *path, void (*fn)(FILE *f, void *ctx), void *ctx)
{
	struct sc_outfile of;
	int fd, w = sc_outfile_open(&of, path);
	FILE *f;

	if (w < 0)
		return w;
	/* A second descriptor for stdio: fclose must not close of.fd, which
	 * commit still needs. */
	fd = fcntl(of.fd, F_DUPFD_CLOEXEC, 0);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		w = -errno;
		if (fd >= 0)
			close(fd);
		sc_outfile_abort(&of);
		return w;
	}
	fn(f, ctx);
	w = fflush(f) != 0 || ferror(f) ? -(errno ? errno : EIO) : 0;
	if (fclose(f) != 0 && !w)
		w = -(errno ? errno : EIO);
	if (!w)
		return sc_outfile_commit(&of);
	sc_outfile_abort(&of);
	return w;
}
