/* test_csv.c - RFC 4180 quoting, files written whole or not at all, and
 * records split back into fields. Files go to a fresh mkdtemp directory
 * per test. */
#include <errno.h>
#include <math.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "unit.h"

static const struct {
	const char *name, *in, *out;
} quotes[] = {
	{"plain", "plain", "plain"},
	{"spaces stay bare", "512 512 512", "512 512 512"},
	{"empty", "", ""},
	{"NULL", NULL, ""},
	{"comma", "a,b", "\"a,b\""},
	{"quote", "say \"hi\"", "\"say \"\"hi\"\"\""},
	{"only a quote", "\"", "\"\"\"\""},
	{"CRLF", "two\r\nlines", "\"two\r\nlines\""},
	{"lone CR", "a\rb", "\"a\rb\""},
	{"lone LF", "lf\n", "\"lf\n\""},
};

START_TEST(quoting)
{
	char buf[64], *f[2];
	size_t n = sc_csv_quote(quotes[_i].in, buf, sizeof(buf));

	ck_assert_msg(strcmp(buf, quotes[_i].out) == 0, "%s: quoted as '%s', want '%s'", quotes[_i].name, buf,
		      quotes[_i].out);
	ck_assert_msg(n == strlen(quotes[_i].out), "%s: returned %zu", quotes[_i].name, n);
	/* And back: splitting the quoted field gives the original. */
	ck_assert_msg(sc_csv_split(buf, f, 2) == 1, "%s: does not split back", quotes[_i].name);
	ck_assert_msg(strcmp(f[0], quotes[_i].in ? quotes[_i].in : "") == 0, "%s: split back as '%s'",
		      quotes[_i].name, f[0]);
}
END_TEST

START_TEST(quote_truncates_like_snprintf)
{
	char buf[4] = "xyz";

	ck_assert_uint_eq(sc_csv_quote("a,bcdef", buf, sizeof(buf)), 9);
	ck_assert_str_eq(buf, "\"a,");
	ck_assert_uint_eq(sc_csv_quote("ab\"", buf, 1), 6);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(sc_csv_quote("abc", NULL, 0), 3);
}
END_TEST

static char dir[64], path[128];

/* Makes a fresh directory and names a CSV file in it. */
static void setup_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sc-test-csv-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.csv", dir);
}

/* Removes what a test left in its directory, and the directory. */
static void remove_dir(void)
{
	unlink(path);
	ck_assert_msg(rmdir(dir) == 0, "%s not empty: %s", dir, strerror(errno));
}

/* Returns the number of entries in dir other than path: temporary files
 * left behind. */
static int strays(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "x.csv"))
			n++;
	closedir(d);
	return n;
}

/* Returns the whole file (NUL-terminated; free it), or NULL. */
static char *slurp(const char *name)
{
	FILE *f = fopen(name, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 4096);
	n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void put_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "wb");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

enum kind { STR, U64, I64, F64 };

/* One field written twice in a row: its text and the separator. */
static const struct {
	const char *name;
	enum kind kind;
	const char *s;
	uint64_t u;
	int64_t i;
	double d;
	int decimals;
	const char *want;
} fields[] = {
	{"string", STR, "abc", 0, 0, 0, 0, "abc,abc\r\n"},
	{"NULL string", STR, NULL, 0, 0, 0, 0, ",\r\n"},
	{"quoted string", STR, "a, \"b\"", 0, 0, 0, 0, "\"a, \"\"b\"\"\",\"a, \"\"b\"\"\"\r\n"},
	{"multi-line string", STR, "x\r\ny", 0, 0, 0, 0, "\"x\r\ny\",\"x\r\ny\"\r\n"},
	{"u64 max", U64, NULL, UINT64_MAX, 0, 0, 0, "18446744073709551615,18446744073709551615\r\n"},
	{"i64 min", I64, NULL, 0, INT64_MIN, 0, 0, "-9223372036854775808,-9223372036854775808\r\n"},
	{"f64 2 decimals", F64, NULL, 0, 0, 2.5, 2, "2.50,2.50\r\n"},
	{"f64 rounded", F64, NULL, 0, 0, -0.1256, 3, "-0.126,-0.126\r\n"},
	{"f64 no decimals", F64, NULL, 0, 0, 1e6, 0, "1000000,1000000\r\n"},
	{"f64 NaN is empty", F64, NULL, 0, 0, NAN, 3, ",\r\n"},
	{"f64 infinity", F64, NULL, 0, 0, -INFINITY, 1, "-inf,-inf\r\n"},
};

START_TEST(field_formats)
{
	struct sc_csv c;
	char *text;

	setup_dir();
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	for (int k = 0; k < 2; k++) {
		switch (fields[_i].kind) {
		case STR: sc_csv_field(&c, fields[_i].s); break;
		case U64: sc_csv_u64(&c, fields[_i].u); break;
		case I64: sc_csv_i64(&c, fields[_i].i); break;
		case F64: sc_csv_f64(&c, fields[_i].d, fields[_i].decimals); break;
		}
	}
	sc_csv_end_row(&c);
	ck_assert_int_eq(sc_csv_commit(&c), 0);
	text = slurp(path);
	ck_assert_msg(text && strcmp(text, fields[_i].want) == 0, "%s: wrote '%s', want '%s'",
		      fields[_i].name, text, fields[_i].want);
	free(text);
	remove_dir();
}
END_TEST

START_TEST(commit_renames_into_place)
{
	char *text;
	struct sc_csv c;

	setup_dir();
	put_file(path, "old\r\n");
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	sc_csv_field(&c, "name");
	sc_csv_field(&c, "n");
	sc_csv_end_row(&c);
	sc_csv_field(&c, "a");
	sc_csv_u64(&c, 1);
	sc_csv_end_row(&c);
	text = slurp(path);
	ck_assert_msg(text && strcmp(text, "old\r\n") == 0, "the new file is visible before commit");
	free(text);
	ck_assert_int_eq(sc_csv_commit(&c), 0);
	text = slurp(path);
	ck_assert_msg(text && strcmp(text, "name,n\r\na,1\r\n") == 0, "read back '%s'", text);
	free(text);
	ck_assert_msg(strays() == 0, "temporary file left behind");
	ck_assert_ptr_null(c.fp);
	ck_assert_int_eq(sc_csv_commit(&c), -EBADF); /* released: harmless */
	remove_dir();
}
END_TEST

START_TEST(abort_keeps_the_old_file)
{
	char *text;
	struct sc_csv c;

	setup_dir();
	put_file(path, "old\r\n");
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	sc_csv_field(&c, "new");
	sc_csv_end_row(&c);
	sc_csv_abort(&c);
	text = slurp(path);
	ck_assert_msg(text && strcmp(text, "old\r\n") == 0, "old file changed: '%s'", text);
	free(text);
	ck_assert_msg(strays() == 0, "temporary file left behind");
	sc_csv_abort(&c); /* a second abort is harmless */
	remove_dir();
}
END_TEST

/* The old writer's temporary name was PATH.tmp-PID: a file planted there
 * (or a symlink) made it fail, or write through the link. Now the name
 * cannot be guessed, and whatever is planted is left alone. */
START_TEST(planted_names_are_left_alone)
{
	char tmp[192], *text;
	struct sc_csv c;

	setup_dir();
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	put_file(tmp, "planted");
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	sc_csv_field(&c, "mine");
	sc_csv_end_row(&c);
	ck_assert_int_eq(sc_csv_commit(&c), 0);
	text = slurp(tmp);
	ck_assert_msg(text && strcmp(text, "planted") == 0, "planted file changed");
	free(text);
	text = slurp(path);
	ck_assert_msg(text && strcmp(text, "mine\r\n") == 0, "wrote '%s'", text);
	free(text);
	unlink(tmp);
	remove_dir();
}
END_TEST

START_TEST(open_fails_cleanly)
{
	struct sc_csv c;

	ck_assert_int_eq(sc_csv_open(&c, "/nonexistent-dir/x.csv"), -ENOENT);
	ck_assert_ptr_null(c.fp);
	ck_assert_int_eq(sc_csv_commit(&c), -EBADF);
	ck_assert_int_eq(sc_csv_open(&c, ""), -EINVAL);
	sc_csv_abort(&c);
}
END_TEST

START_TEST(write_error_is_sticky)
{
	struct rlimit old, small = {.rlim_cur = 100};
	struct sc_csv c;
	int lim, r;

	/* A file size limit makes write(2) fail with EFBIG part-way. No
	 * assertion runs while it is in force: Check itself writes files. */
	setup_dir();
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	lim = setrlimit(RLIMIT_FSIZE, &small);
	for (int i = 0; i < 2000; i++)
		sc_csv_field(&c, "0123456789");
	sc_csv_end_row(&c);
	r = sc_csv_commit(&c);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(lim, 0);
	ck_assert_int_eq(r, -EFBIG);
	ck_assert_msg(access(path, F_OK) != 0, "a half-written file was renamed into place");
	ck_assert_msg(strays() == 0, "temporary file left behind");
	remove_dir();
}
END_TEST

START_TEST(commit_reports_first_error)
{
	struct sc_csv c;

	setup_dir();
	/* An error recorded early wins over everything after it. */
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	c.error = -ENOSPC;
	sc_csv_field(&c, "x");
	sc_csv_end_row(&c);
	ck_assert_int_eq(sc_csv_commit(&c), -ENOSPC);
	ck_assert_msg(access(path, F_OK) != 0, "renamed despite the error");
	ck_assert_msg(strays() == 0, "temporary file left behind");
	/* A rename that fails (onto a directory) is reported too. */
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	sc_csv_field(&c, "x");
	sc_csv_end_row(&c);
	ck_assert_int_eq(sc_csv_commit(&c), -EISDIR);
	ck_assert_msg(strays() == 0, "temporary file left behind");
	rmdir(path);
	remove_dir();
}
END_TEST

static const struct {
	const char *name, *line;
	int n;
	const char *f[4];
} splits[] = {
	{"plain", "a,b,c", 3, {"a", "b", "c"}},
	{"empty line", "", 1, {""}},
	{"empty fields", ",,", 3, {"", "", ""}},
	{"trailing comma", "a,", 2, {"a", ""}},
	{"quoted comma", "\"a,b\",c", 2, {"a,b", "c"}},
	{"doubled quotes", "\"say \"\"hi\"\"\",x", 2, {"say \"hi\"", "x"}},
	{"quoted CRLF", "\"two\r\nlines\",z", 2, {"two\r\nlines", "z"}},
	{"empty quoted", "\"\",1", 2, {"", "1"}},
	{"quoted quote only", "\"\"\"\"", 1, {"\""}},
	{"exactly max", "1,2,3,4", 4, {"1", "2", "3", "4"}},
	{"unterminated", "\"abc", -EINVAL, {0}},
	{"unterminated after a doubled quote", "\"ab\"\"", -EINVAL, {0}},
	{"text after quote", "\"a\"b,c", -EINVAL, {0}},
	{"space after quote", "\"a\" ,c", -EINVAL, {0}},
	{"stray quote", "ab\"c", -EINVAL, {0}},
	{"quote after a space", "a, \"b\"", -EINVAL, {0}},
	{"too many", "1,2,3,4,5", -E2BIG, {0}},
	{"too many empty", ",,,,", -E2BIG, {0}},
};

START_TEST(split)
{
	char line[64], *f[4];
	int n;

	snprintf(line, sizeof(line), "%s", splits[_i].line);
	n = sc_csv_split(line, f, 4);
	ck_assert_msg(n == splits[_i].n, "%s: %d fields, want %d", splits[_i].name, n, splits[_i].n);
	for (int i = 0; i < n; i++)
		ck_assert_msg(strcmp(f[i], splits[_i].f[i]) == 0, "%s: field %d '%s', want '%s'",
			      splits[_i].name, i, f[i], splits[_i].f[i]);
}
END_TEST

START_TEST(split_bad_arguments)
{
	char line[] = "a", *f[1];

	ck_assert_int_eq(sc_csv_split(line, f, 0), -E2BIG);
	ck_assert_int_eq(sc_csv_split(line, f, -1), -EINVAL);
	ck_assert_int_eq(sc_csv_split(NULL, f, 1), -EINVAL);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_loop_test(tc, quoting, 0, NELEM(quotes));
	tcase_add_test(tc, quote_truncates_like_snprintf);
	tcase_add_loop_test(tc, field_formats, 0, NELEM(fields));
	tcase_add_test(tc, commit_renames_into_place);
	tcase_add_test(tc, abort_keeps_the_old_file);
	tcase_add_test(tc, planted_names_are_left_alone);
	tcase_add_test(tc, open_fails_cleanly);
	tcase_add_test(tc, write_error_is_sticky);
	tcase_add_test(tc, commit_reports_first_error);
	tcase_add_loop_test(tc, split, 0, NELEM(splits));
	tcase_add_test(tc, split_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}
