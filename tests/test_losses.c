/* test_losses.c - losses put where they happened: the link (netem's drop
 * count) and the receiving host (SO_RXQ_OVFL), never one for the other. */
#include <stdio.h>
#include <string.h>

#include "losses.h"
#include "unit.h"

/* One crafted row: transport, sent, lost, link stats?, link drops, host drops. */
struct rowspec {
	const char *transport;
	unsigned long long sent, lost;
	bool link;
	unsigned long long link_dropped, rxq;
};

static struct sc_row make(const struct rowspec *s)
{
	struct sc_row w;

	memset(&w, 0, sizeof(w));
	snprintf(w.transport, sizeof(w.transport), "%s", s->transport);
	w.trial = 1;
	w.sent_msgs = s->sent;
	w.unique_msgs = s->sent - s->lost;
	w.lost = s->lost;
	w.has_link_stats = s->link;
	if (s->link)
		snprintf(w.link, sizeof(w.link), "loss 5%%");
	w.link_dropped = s->link_dropped;
	w.rxq_drops = s->rxq;
	return w;
}

static const struct {
	const char *name;
	struct rowspec row;
	const char *want;
} sentences[] = {
	/* The report that started it: most of the loss was the host's. */
	{"link and host", {"udp", 2000, 306, true, 90, 222},
	 "udp lost 306 of 2000: the link dropped 90, the receiving host 222 (its socket buffer was full)"},
	{"link only", {"udp", 2000, 96, true, 96, 0},
	 "udp lost 96 of 2000: the link dropped 96, the receiving host none"},
	{"host only, on a link", {"udp", 2000, 40, true, 0, 40},
	 "udp lost 40 of 2000: the link dropped 0, the receiving host 40 (its socket buffer was full)"},
	{"host only, loopback", {"udp", 2000, 1726, false, 0, 1726},
	 "udp lost 1726 of 2000: the receiving host dropped 1726 (its socket buffer was full)"},
	{"nothing lost, loopback", {"unix-dgram", 2000, 0, false, 0, 0}, "unix-dgram lost 0 of 2000"},
	{"tcp resends what the link dropped", {"tcp", 2000, 0, true, 77, 0},
	 "tcp lost 0 of 2000: the link dropped 77, TCP sent them again"},
	{"tcp on loopback", {"tcp", 2000, 0, false, 0, 0}, "tcp lost 0 of 2000"},
};

START_TEST(sentence)
{
	const struct rowspec *s = &sentences[_i].row;
	struct sc_row w = make(s);
	char buf[512] = "";
	size_t n = sc_losses_sentence(buf, sizeof(buf), &w);

	ck_assert_msg(strcmp(buf, sentences[_i].want) == 0, "%s: got '%s', want '%s'", sentences[_i].name,
		      buf, sentences[_i].want);
	ck_assert_msg(n == strlen(buf), "%s: returned %zu for %zu bytes", sentences[_i].name, n, strlen(buf));
}
END_TEST

/* Appends, and never writes past a short buffer. */
START_TEST(sentence_bounds)
{
	struct rowspec s = {"udp", 2000, 306, true, 90, 222};
	struct sc_row w = make(&s);
	char buf[40];

	memset(buf, 'x', sizeof(buf));
	snprintf(buf, 8, "before ");
	sc_losses_sentence(buf, 20, &w);
	ck_assert_str_eq(buf, "before udp lost 306");
	ck_assert_int_eq(buf[20], 'x');
}
END_TEST

/* The warning names the host's count and appears only when the host
 * dropped something. */
static const struct {
	const char *name;
	struct rowspec rows[3];
	size_t n;
	const char *want; /* a piece the warning must hold, or NULL: no warning */
} warnings[] = {
	{"host dropped on a link", {{"tcp", 2000, 0, true, 70, 0}, {"udp", 2000, 306, true, 90, 222}}, 2,
	 "the receiving host dropped 222 datagrams in its own socket buffer (SO_RXQ_OVFL) in 1 of 2 trials "
	 "(first: udp trial 1): those losses are the host's, not the link's. The receiver did not keep up"},
	{"two trials", {{"udp", 2000, 100, true, 90, 10}, {"udp", 2000, 91, true, 90, 1}}, 2,
	 "dropped 11 datagrams in its own socket buffer (SO_RXQ_OVFL) in 2 of 2 trials"},
	{"one datagram", {{"udp", 10, 1, false, 0, 1}}, 1, "dropped 1 datagram in its own"},
	{"loopback", {{"udp", 2000, 1726, false, 0, 1726}}, 1, "On loopback they are all of its losses"},
	{"link only", {{"tcp", 2000, 0, true, 70, 0}, {"udp", 2000, 96, true, 96, 0}}, 2, NULL},
	{"nothing", {{"udp", 2000, 0, false, 0, 0}}, 1, NULL},
};

START_TEST(warning)
{
	struct sc_row v[3];
	struct sc_rows r = {.v = v, .n = warnings[_i].n, .cap = 3};
	char buf[1024];
	size_t n;

	for (size_t k = 0; k < warnings[_i].n; k++)
		v[k] = make(&warnings[_i].rows[k]);
	n = sc_losses_warning(buf, sizeof(buf), &r);
	if (!warnings[_i].want) {
		ck_assert_msg(n == 0 && buf[0] == '\0', "%s: unexpected warning '%s'", warnings[_i].name, buf);
		return;
	}
	ck_assert_msg(strstr(buf, warnings[_i].want) != NULL, "%s: '%s' lacks '%s'", warnings[_i].name, buf,
		      warnings[_i].want);
}
END_TEST

/* A failed trial's counters are not results: they make no warning. */
START_TEST(failed_rows_ignored)
{
	struct rowspec s = {"udp", 2000, 2000, true, 0, 50};
	struct sc_row w = make(&s);
	struct sc_rows r = {.v = &w, .n = 1, .cap = 1};
	char buf[256];

	w.status = 1;
	ck_assert_uint_eq(sc_losses_warning(buf, sizeof(buf), &r), 0);
}
END_TEST

static const struct {
	const char *name;
	struct sc_load load;
	bool drops;
	const char *want; /* NULL: no note */
} notes[] = {
	{"busy", {3.5, 2.2, 2, true}, false, "the host was busy (load average 3.5 before, 2.2 after, on 2 CPUs)"},
	{"busy after", {0.5, 2.5, 2, true}, false, "the host was busy"},
	{"drops", {0.1, 0.2, 2, true}, true, "the receiver's wait for a CPU: the receiver fell"},
	{"busy and drops", {9.0, 9.0, 2, true}, true, "on 2 CPUs), and the receiver fell so far behind"},
	{"quiet", {1.9, 2.0, 2, true}, false, NULL},
	{"unknown load", {9.0, 9.0, 2, false}, false, NULL},
};

START_TEST(latency_note)
{
	struct rowspec s = {"udp", 2000, 10, true, 10, notes[_i].drops ? 3 : 0};
	struct sc_row w = make(&s);
	struct sc_rows r = {.v = &w, .n = 1, .cap = 1};
	char buf[1024];
	size_t n = sc_losses_latency_note(buf, sizeof(buf), &r, &notes[_i].load);

	if (!notes[_i].want) {
		ck_assert_msg(n == 0, "%s: unexpected note '%s'", notes[_i].name, buf);
		return;
	}
	ck_assert_msg(strstr(buf, notes[_i].want) != NULL, "%s: '%s' lacks '%s'", notes[_i].name, buf,
		      notes[_i].want);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("losses");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, sentence, 0, NELEM(sentences));
	tcase_add_test(tc, sentence_bounds);
	tcase_add_loop_test(tc, warning, 0, NELEM(warnings));
	tcase_add_test(tc, failed_rows_ignored);
	tcase_add_loop_test(tc, latency_note, 0, NELEM(notes));
	suite_add_tcase(s, tc);
	return s;
}
