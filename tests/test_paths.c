/* test_paths.c - the driver's own executable's path (sc_self_path): the
 * probes, helpers and guests run it, so a cut-off name must be refused,
 * never run. */
#include <errno.h>
#include <string.h>

#include "paths.h"
#include "unit.h"

static const struct {
	const char *bin;
	size_t len;
	int rc;
	const char *want;
} cases[] = {
	{"/usr/bin", 64, 0, "/usr/bin/sockcmp"},
	{"/usr/bin", 17, 0, "/usr/bin/sockcmp"}, /* exactly fits, with its '\0' */
	{"/usr/bin", 16, -ENAMETOOLONG, NULL},   /* one byte short: the old snprintf ran "/usr/bin/sockcm" */
	{"", 16, -EINVAL, NULL}, /* not /sockcmp */
	{"/a very/long folder name", 8, -ENAMETOOLONG, NULL},
	{"/x", 1, -ENAMETOOLONG, NULL},
};

START_TEST(self_path)
{
	char buf[64];

	memset(buf, 'z', sizeof(buf));
	ck_assert_int_eq(sc_self_path(cases[_i].bin, buf, cases[_i].len), cases[_i].rc);
	if (cases[_i].want)
		ck_assert_str_eq(buf, cases[_i].want);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("self");

	tcase_add_loop_test(tc, self_path, 0, NELEM(cases));
	suite_add_tcase(s, tc);
	return s;
}
