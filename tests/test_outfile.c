/* test_outfile.c - result files written where strangers can write: no
 * guessable temporary name, no link ever followed, nothing of anyone
 * else's removed. Each test runs twice: with an unnamed O_TMPFILE file and
 * with the named fallback (the guest's hostfs has no O_TMPFILE). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "unit.h"

static const char *const modes[] = {"unnamed (O_TMPFILE)", "named fallback"};
static char dir[64], path[128], victim[128];

/* A fresh directory with a final name and a "precious" file in it. */
static void setup(int mode)
{
	FILE *f;

	sc__outfile_no_tmpfile = mode;
	snprintf(dir, sizeof(dir), "/tmp/sc-test-outfile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.csv", dir);
	snprintf(victim, sizeof(victim), "%s/precious", dir);
	f = fopen(victim, "w");
	ck_assert_ptr_nonnull(f);
	fputs("precious\n", f);
	fclose(f);
}

/* Returns the whole of a small file (free it), or NULL. */
static char *slurp(const char *name)
{
	FILE *f = fopen(name, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 4096);
	n = fread(buf, 1, 4095, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Counts entries of dir whose names contain part. */
static int count(const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && strstr(de->d_name, part))
			n++;
	closedir(d);
	return n;
}

/* Removes everything in dir, then dir. */
static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[400];

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	ck_assert_int_eq(rmdir(dir), 0);
}

static void write_all(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* Symlinks planted at the final name and at every name the old writer
 * used (PATH.tmp-PID for the PIDs around ours) all point at a precious
 * file: it stays intact, and the result replaces the link. */
START_TEST(planted_symlinks_are_never_followed)
{
	struct sc_outfile o;
	char p[256], *text;
	struct stat st;

	setup(_i);
	ck_assert_int_eq(symlink(victim, path), 0);
	for (long pid = getpid() - 50; pid < getpid() + 50; pid++) {
		snprintf(p, sizeof(p), "%s.tmp-%ld", path, pid);
		ck_assert_int_eq(symlink(victim, p), 0);
	}
	ck_assert_int_eq(sc_outfile_open(&o, path), 0);
	ck_assert_msg((o.tmp == NULL) == (_i == 0), "%s: temporary name %s", modes[_i], o.tmp);
	write_all(o.fd, "result\n");
	ck_assert_int_eq(sc_outfile_commit(&o), 0);
	text = slurp(victim);
	ck_assert_msg(text && strcmp(text, "precious\n") == 0, "%s: precious file now '%s'", modes[_i], text);
	free(text);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert_msg(S_ISREG(st.st_mode), "%s: the final name is still a link", modes[_i]);
	text = slurp(path);
	ck_assert_str_eq(text, "result\n");
	free(text);
	ck_assert_int_eq(count(".tmp-"), 100); /* the planted ones, untouched */
	teardown();
}
END_TEST

/* The named fallback's names carry this run's tag and a random part: two
 * opens never share a name, and both are recognised as ours. */
START_TEST(temporary_names_are_unpredictable)
{
	struct sc_outfile a, b;
	const char *slash;

	setup(1);
	ck_assert_int_eq(sc_outfile_open(&a, path), 0);
	ck_assert_int_eq(sc_outfile_open(&b, path), 0);
	ck_assert_ptr_nonnull(a.tmp);
	ck_assert_ptr_nonnull(b.tmp);
	ck_assert_str_ne(a.tmp, b.tmp);
	slash = strrchr(a.tmp, '/');
	ck_assert_msg(sc_outfile_is_own_tmp(slash + 1, "r.csv"), "%s not recognised as ours", a.tmp);
	ck_assert_int_eq(count(".tmp-"), 2);
	sc_outfile_abort(&a);
	sc_outfile_abort(&b);
	ck_assert_int_eq(count(".tmp-"), 0);
	sc_outfile_abort(&a); /* twice is harmless */
	teardown();
}
END_TEST

/* Another run's temporary files (another tag) are never ours: a run that
 * cleans up after an interrupted guest leaves them be. */
START_TEST(other_runs_files_are_not_ours)
{
	static const struct {
		const char *name;
		int ours;
	} cases[] = {
		{"r.csv.tmp-0123456789ab-aaaaaaaaaaaa", 1},
		{"r.csv.tmp-0123456789ab-aaaaaaaaaaa", 0},  /* short random part */
		{"r.csv.tmp-0123456789ab-aaaaaaaaaaaaa", 0}, /* long random part */
		{"r.csv.tmp-ba9876543210-aaaaaaaaaaaa", 0},  /* another run */
		{"r.csv.tmp-12345", 0},                      /* the old PID names */
		{"other.csv.tmp-0123456789ab-aaaaaaaaaaaa", 0},
		{"r.csv", 0},
		{"r.csv.tmp-x.tmp-0123456789ab-aaaaaaaaaaaa", 1},
	};

	setenv("SOCKCMP_TMP_TAG", "0123456789ab", 1);
	sc__outfile_reset_tag();
	ck_assert_str_eq(sc_outfile_tag(), "0123456789ab");
	for (size_t i = 0; i < NELEM(cases); i++)
		ck_assert_msg(sc_outfile_is_own_tmp(cases[i].name, "r.csv") == cases[i].ours, "%s: ours %d",
			      cases[i].name, !cases[i].ours);
	unsetenv("SOCKCMP_TMP_TAG");
	sc__outfile_reset_tag();
}
END_TEST

START_TEST(bad_tags_are_replaced)
{
	setenv("SOCKCMP_TMP_TAG", "../../etc", 1);
	sc__outfile_reset_tag();
	ck_assert_uint_eq(strlen(sc_outfile_tag()), 12);
	ck_assert_uint_eq(strspn(sc_outfile_tag(), "0123456789abcdef"), 12);
	unsetenv("SOCKCMP_TMP_TAG");
	sc__outfile_reset_tag();
}
END_TEST

/* A failed commit (the final name is a directory) leaves no file of any
 * kind; an abort keeps the old result. */
START_TEST(failures_leave_nothing)
{
	struct sc_outfile o;
	char *text;

	setup(_i);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(sc_outfile_open(&o, path), 0);
	write_all(o.fd, "x");
	ck_assert_int_eq(sc_outfile_commit(&o), -EISDIR);
	ck_assert_int_eq(count(".tmp-"), 0);
	ck_assert_int_eq(rmdir(path), 0);
	ck_assert_int_eq(sc_outfile_commit(&o), -EBADF);

	ck_assert_int_eq(sc_outfile_open(&o, victim), 0);
	write_all(o.fd, "new");
	sc_outfile_abort(&o);
	text = slurp(victim);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	ck_assert_int_eq(count(".tmp-"), 0);
	ck_assert_int_eq(sc_outfile_open(&o, "/nonexistent-dir/r.csv"), -ENOENT);
	ck_assert_int_eq(sc_outfile_open(&o, ""), -EINVAL);
	sc_outfile_abort(&o);
	teardown();
}
END_TEST

static const struct {
	mode_t mode;
	int shared;
} dirs[] = {
	{0755, 0}, {0700, 0}, {0777, 1}, {0757, 1}, {01777, 0}, {01757, 0},
};

START_TEST(shared_directories)
{
	setup(0);
	ck_assert_int_eq(chmod(dir, dirs[_i].mode), 0);
	ck_assert_msg(sc_outfile_dir_shared(dir) == dirs[_i].shared, "mode %o: want %d", dirs[_i].mode,
		      dirs[_i].shared);
	ck_assert_int_eq(sc_outfile_dir_shared("/nonexistent-dir"), -ENOENT);
	teardown();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("outfile");
	TCase *t = tcase_create("outfile");

	tcase_add_loop_test(t, planted_symlinks_are_never_followed, 0, 2);
	tcase_add_test(t, temporary_names_are_unpredictable);
	tcase_add_test(t, other_runs_files_are_not_ours);
	tcase_add_test(t, bad_tags_are_replaced);
	tcase_add_loop_test(t, failures_leave_nothing, 0, 2);
	tcase_add_loop_test(t, shared_directories, 0, NELEM(dirs));
	suite_add_tcase(s, t);
	return s;
}
