/* unit.h - the main() every Check unit test shares: run the suite, exit
 * non-zero on any failure. Include after defining make_suite(). */
#ifndef SC_UNIT_H
#define SC_UNIT_H

#include <check.h>
#include <stdlib.h>

static Suite *make_suite(void);

int main(void)
{
	SRunner *sr = srunner_create(make_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif
