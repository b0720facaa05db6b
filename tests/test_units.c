/* test_units.c - swept values in one unit per parameter (the chart and the
 * x_UNIT columns), the log-axis choice, and JSON keys carrying units. */
#include <string.h>

#include "export.h"
#include "link.h"
#include "units.h"
#include "unit.h"

static const struct {
	const char *param, *value, *unit;
	double want;
	int rc;
} cases[] = {
	/* issue 10 §5: "sweep pace 0 100us 1ms" was charted at 0, 100, 1. */
	{"pace", "0", "ns", 0, 0},
	{"pace", "100us", "ns", 100000, 0},
	{"pace", "1ms", "ns", 1000000, 0},
	{"after", "2s", "ns", 2e9, 0},
	{"delay", "1.5ms", "ns", 1500000, 0},
	{"delay", "1.15ms", "ns", 1150000, 0},
	{"delay", "10msec", "ns", 1e7, 0}, /* tc's spelling, as a netem line takes it */
	{"delay", "0.5s", "ns", 5e8, 0},
	{"size", "64k", "bytes", 65536, 0},
	{"read", "512", "bytes", 512, 0},
	{"rcvbuf", "1M", "bytes", 1048576, 0},
	{"count", "1000", "msgs", 1000, 0},
	{"loss", "5%", "pct", 5, 0},
	{"loss", "0.5%", "pct", 0.5, 0},
	{"reorder", "25", "pct", 25, 0},
	{"rate", "1mbit", "bit/s", 1e6, 0},
	{"rate", "10kbps", "bit/s", 80000, 0},
	{"limit", "100", "packets", 100, 0},
	{"pace", "fast", "ns", 0, -22},
	{"loss", "5x", "pct", 5, -22},
	{"rate", "3furlongs", "bit/s", 3, -22},
	{"mystery", "7", "", 7, 0},
};

START_TEST(numeric)
{
	double v = -1;

	ck_assert_str_eq(sc_sweep_unit(cases[_i].param), cases[_i].unit);
	ck_assert_msg(sc_sweep_numeric(cases[_i].param, cases[_i].value, &v) == cases[_i].rc, "%s %s: rc",
		      cases[_i].param, cases[_i].value);
	ck_assert_msg(v == cases[_i].want, "%s %s: got %g, want %g", cases[_i].param, cases[_i].value, v,
		      cases[_i].want);
}
END_TEST

START_TEST(log_axis)
{
	static const double decades[] = {0, 100e3, 1e6, 10e6}, one[] = {1, 5, 10, 20}, none[] = {0, 0};

	ck_assert(sc_sweep_wants_log(decades, 4));
	ck_assert(!sc_sweep_wants_log(one, 4));
	ck_assert(!sc_sweep_wants_log(none, 2));
}
END_TEST

START_TEST(axis)
{
	static const struct {
		const char *param;
		double v[3], scale;
		const char *unit;
	} t[] = {
		{"pace", {0, 100e3, 1e6}, 1e6, "ms"},  {"pace", {0, 10, 500}, 1, "ns"},
		{"after", {1e9, 2e9, 0}, 1e9, "s"},    {"size", {512, 65536, 1024}, 1024, "KiB"},
		{"loss", {0, 5, 20}, 1, "%"},          {"rate", {1e5, 1e6, 0}, 1e6, "Mbit/s"},
		{"mystery", {1, 2, 3}, 1, ""},
	};

	for (size_t i = 0; i < NELEM(t); i++) {
		double scale;
		char unit[16];

		sc_sweep_axis(t[i].param, t[i].v, 3, &scale, unit, sizeof(unit));
		ck_assert_msg(scale == t[i].scale && !strcmp(unit, t[i].unit), "%s: %g %s", t[i].param, scale, unit);
	}
}
END_TEST

START_TEST(json_keys)
{
	static const char *const t[][3] = {
		{"lost", "msgs", "lost_msgs"},          {"sent_msgs", "msgs", "sent_msgs"},
		{"lat_p50_us", "us", "lat_p50_us"},     {"trial", "", "trial"},
		{"tcp_retrans", "segments", "tcp_retrans_segments"},
		{"msgs", "msgs", "msgs"},          {"link_sent", "packets", "link_sent_packets"},
	};
	char buf[64];

	for (size_t i = 0; i < NELEM(t); i++)
		ck_assert_str_eq(sc_export_key(t[i][0], t[i][1], buf, sizeof(buf)), t[i][2]);
}
END_TEST

/* issue 10 §6: the kernel choice in plain words, once, not "impaired
 * link in user-mode Linux (user-mode Linux, because ... (tc ...))". */
static const struct {
	enum sc_kernel want, got;
	const char *why, *line;
} choices[] = {
	{SC_KERNEL_AUTO, SC_KERNEL_UML,
	 "user-mode Linux, because this kernel has no sch_netem (tc rejected netem 'delay 1ms': Error: "
	 "Specified qdisc kind is unknown.)",
	 "link experiments run in a user-mode Linux guest: this kernel has no netem"},
	{SC_KERNEL_AUTO, SC_KERNEL_UML, "user-mode Linux, because not root, so no CAP_NET_ADMIN here",
	 "link experiments run in a user-mode Linux guest: sockcmp is not root here"},
	{SC_KERNEL_AUTO, SC_KERNEL_HOST, "host kernel: this kernel has netem and we are root",
	 "link experiments run on this kernel: it has netem and sockcmp runs as root"},
	{SC_KERNEL_UML, SC_KERNEL_UML, "--kernel uml", "link experiments run in a user-mode Linux guest (--kernel uml)"},
	{SC_KERNEL_HOST, SC_KERNEL_HOST, "--kernel host", "link experiments run on this kernel (--kernel host)"},
	{SC_KERNEL_AUTO, SC_KERNEL_UML, "user-mode Linux, because something new: detail (more)",
	 "link experiments run in a user-mode Linux guest: something new"},
};

START_TEST(choice_line)
{
	char buf[200];

	sc_link_choice_line(choices[_i].want, choices[_i].got, choices[_i].why, buf, sizeof(buf));
	ck_assert_str_eq(buf, choices[_i].line);
}
END_TEST

/* issue 10 §5: NAME.csv's kernel_why is a short code, stable across
 * versions and wording; the sentence goes once into NAME-meta.json. */
static const struct {
	const char *why, *code;
} why_codes[] = {
	{"user-mode Linux, because this kernel has no sch_netem (tc rejected netem 'delay 1ms': Error: "
	 "Specified qdisc kind is unknown.)", "no-netem"},
	{"user-mode Linux, because not root, so no CAP_NET_ADMIN here", "not-root"},
	{"user-mode Linux, because cannot make network namespaces: Operation not permitted", "no-netns"},
	{"host kernel: this kernel has netem and we are root", "netem"},
	{"--kernel uml", "option"},
	{"--kernel host", "option"},
	{"user-mode Linux, because something new: detail", "other"},
	{"", ""},
	{NULL, ""},
};

START_TEST(why_code)
{
	ck_assert_str_eq(sc_link_why_code(why_codes[_i].why), why_codes[_i].code);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("units");

	tcase_add_loop_test(tc, numeric, 0, NELEM(cases));
	tcase_add_test(tc, log_axis);
	tcase_add_test(tc, json_keys);
	tcase_add_test(tc, axis);
	tcase_add_loop_test(tc, choice_line, 0, NELEM(choices));
	tcase_add_loop_test(tc, why_code, 0, NELEM(why_codes));
	suite_add_tcase(s, tc);
	return s;
}
