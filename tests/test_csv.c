/* test_csv.c - RFC 4180 quoting, whole-or-nothing files, record splitting. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "unit.h"

static const struct {
	const char *in, *out;
} quotes[] = {
	{"plain", "plain"},
	{"", ""},
	{"a,b", "\"a,b\""},
	{"say \"hi\"", "\"say \"\"hi\"\"\""},
	{"two\r\nlines", "\"two\r\nlines\""},
	{"lf\n", "\"lf\n\""},
	{"512 512 512", "512 512 512"},
};

START_TEST(quoting)
{
	char buf[64];
	size_t n = sc_csv_quote(quotes[_i].in, buf, sizeof(buf));

	ck_assert_msg(strcmp(buf, quotes[_i].out) == 0, "quote('%s') = '%s', want '%s'", quotes[_i].in, buf,
		      quotes[_i].out);
	ck_assert_uint_eq(n, strlen(quotes[_i].out));
}
END_TEST

START_TEST(quote_truncates_like_snprintf)
{
	char buf[4];

	ck_assert_uint_eq(sc_csv_quote("a,bcdef", buf, sizeof(buf)), 9);
	ck_assert_str_eq(buf, "\"a,");
	ck_assert_uint_eq(sc_csv_quote(NULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

static char dir[64];

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sc-test-csv-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 4096);

	if (f) {
		size_t n = fread(buf, 1, 4095, f);

		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

START_TEST(write_commit_and_read_back)
{
	char path[128], tmp[160], *text;
	struct sc_csv c;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/x.csv", dir);
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	snprintf(tmp, sizeof(tmp), "%s", c.tmp);
	sc_csv_field(&c, "name");
	sc_csv_field(&c, "n");
	sc_csv_field(&c, "x");
	sc_csv_end_row(&c);
	sc_csv_field(&c, "a, \"b\"");
	sc_csv_u64(&c, 18446744073709551615ull);
	sc_csv_f64(&c, 2.5, 2);
	sc_csv_end_row(&c);
	sc_csv_field(&c, NULL);
	sc_csv_i64(&c, -5);
	sc_csv_f64(&c, 0.0 / 0.0, 1);
	sc_csv_end_row(&c);
	ck_assert_msg(access(path, F_OK) != 0, "the file is visible before commit");
	ck_assert_int_eq(sc_csv_commit(&c), 0);
	text = slurp(path);
	ck_assert_str_eq(text, "name,n,x\r\n\"a, \"\"b\"\"\",18446744073709551615,2.50\r\n,-5,\r\n");
	ck_assert_msg(access(tmp, F_OK) != 0, "temporary file left behind");
	free(text);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(abort_keeps_the_old_file)
{
	char path[128], tmp[160], *text;
	struct sc_csv c;
	FILE *f;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/old.csv", dir);
	f = fopen(path, "w");
	fputs("old\r\n", f);
	fclose(f);
	ck_assert_int_eq(sc_csv_open(&c, path), 0);
	snprintf(tmp, sizeof(tmp), "%s", c.tmp);
	sc_csv_field(&c, "new");
	sc_csv_end_row(&c);
	sc_csv_abort(&c);
	text = slurp(path);
	ck_assert_str_eq(text, "old\r\n");
	ck_assert_msg(access(tmp, F_OK) != 0, "temporary file left behind");
	free(text);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(open_fails_cleanly)
{
	struct sc_csv c;

	ck_assert_int_eq(sc_csv_open(&c, "/nonexistent-dir/x.csv"), -ENOENT);
	ck_assert_int_eq(sc_csv_commit(&c), -EBADF);
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
	{"quoted comma", "\"a,b\",c", 2, {"a,b", "c"}},
	{"doubled quotes", "\"say \"\"hi\"\"\",x", 2, {"say \"hi\"", "x"}},
	{"quoted newline", "\"two\nlines\"", 1, {"two\nlines"}},
	{"empty quoted", "\"\",1", 2, {"", "1"}},
	{"unterminated", "\"abc", -EINVAL, {0}},
	{"text after quote", "\"a\"b,c", -EINVAL, {0}},
	{"stray quote", "ab\"c", -EINVAL, {0}},
	{"too many", "1,2,3,4,5", -E2BIG, {0}},
};

START_TEST(split)
{
	char line[64], *f[4];
	int n;

	snprintf(line, sizeof(line), "%s", splits[_i].line);
	n = sc_csv_split(line, f, 4);
	ck_assert_msg(n == splits[_i].n, "%s: %d fields, want %d", splits[_i].name, n, splits[_i].n);
	for (int i = 0; i < n; i++)
		ck_assert_msg(strcmp(f[i], splits[_i].f[i]) == 0, "%s: field %d '%s', want '%s'", splits[_i].name,
			      i, f[i], splits[_i].f[i]);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_loop_test(tc, quoting, 0, NELEM(quotes));
	tcase_add_test(tc, quote_truncates_like_snprintf);
	tcase_add_test(tc, write_commit_and_read_back);
	tcase_add_test(tc, abort_keeps_the_old_file);
	tcase_add_test(tc, open_fails_cleanly);
	tcase_add_loop_test(tc, split, 0, NELEM(splits));
	suite_add_tcase(s, tc);
	return s;
}
