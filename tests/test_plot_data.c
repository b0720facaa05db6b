/* test_plot_data.c - thinning a CDF of millions of latencies to the
 * points a chart shows: bounded, both ends kept, ranks evenly spread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plot_data.h"
#include "unit.h"

static const struct {
	size_t n, max;
} thins[] = {
	{0, 2000}, {1, 2000}, {2000, 2000}, {2001, 2000}, {10000000, 2000}, {5, 2}, {3, 2},
	{1000000, 3}, {(size_t)1 << 40, 2000}, {SIZE_MAX / 2, 1000},
};

START_TEST(thin)
{
	size_t n = thins[_i].n, max = thins[_i].max, want = n < max ? n : max;
	size_t *idx = malloc(max * sizeof(*idx));
	size_t k = sc_plot_thin(n, max, idx);

	ck_assert_msg(k == want, "n %zu max %zu: %zu points, want %zu", n, max, k, want);
	if (k) {
		ck_assert_msg(idx[0] == 0, "n %zu: first point %zu", n, idx[0]);
		ck_assert_msg(idx[k - 1] == n - 1, "n %zu: last point %zu", n, idx[k - 1]);
	}
	for (size_t j = 1; j < k; j++) {
		ck_assert_msg(idx[j] > idx[j - 1], "n %zu: point %zu (%zu) not after %zu", n, j, idx[j], idx[j - 1]);
		/* Evenly spread: no gap more than one step over the mean. */
		ck_assert_msg(idx[j] - idx[j - 1] <= (n - 1) / (k - 1) + 1, "n %zu: gap %zu", n,
			      idx[j] - idx[j - 1]);
	}
	free(idx);
}
END_TEST

/* Which of tcp, udp, unix-stream a NAME.csv's rows name (bit per
 * transport), or -1 for -EINVAL. */
static const struct {
	const char *csv;
	int want;
} presents[] = {
	{"experiment,transport,trial\nx,tcp,1\nx,udp,1\n", 3},
	{"experiment,transport,trial\nx,udp,1\nx,udp,2\n", 2},
	{"transport\nunix-stream\n", 4},
	{"experiment,transport,trial\n", 0},
	{"experiment,trial\nx,1\n", -1},
	{"", -1},
	/* a short row, a quoted name, an unknown transport */
	{"experiment,transport,trial\nx,tcp\nx,\"udp\",1\nx,sctp,1\n", 2},
	{"transport,x\r\ntcp,1\r\n", 1},
	/* wider than 64 columns, as a results row (76 today) */
	{"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,a1,b1,c1,d1,e1,f1,g1,h1,i1,j1,k1,l1,m1,n1,"
	 "o1,p1,q1,r1,s1,t1,u1,v1,w1,x1,y1,z1,a2,b2,c2,d2,e2,f2,g2,h2,i2,j2,k2,l2,m2,n2,o2,p2,q2,r2,transport\n"
	 ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,udp\n", 2},
};

START_TEST(present)
{
	const char *names[] = {"tcp", "udp", "unix-stream"};
	char *text = strdup(presents[_i].csv);
	bool got[3];
	int r = sc_plot_transports_present(text, names, 3, got), bits = 0;

	for (int t = 0; t < 3; t++)
		bits |= got[t] ? 1 << t : 0;
	if (presents[_i].want < 0)
		ck_assert_msg(r == -EINVAL, "case %d: returned %d, want -EINVAL", _i, r);
	else
		ck_assert_msg(r == __builtin_popcount((unsigned)bits) && bits == presents[_i].want,
			      "case %d: returned %d, present %#x, want %#x", _i, r, bits, presents[_i].want);
	free(text);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("plot_data");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, thin, 0, NELEM(thins));
	tcase_add_loop_test(tc, present, 0, NELEM(presents));
	suite_add_tcase(s, tc);
	return s;
}
