/* test_revision.c - the revision sheet's rows from given figures
 * (revision.c): each row's verdict follows the numbers, quotes them, and
 * says "not measured" when its file is missing. Table-driven: each case is
 * a set of CSV files, one row to look at, the verdict it must get and text
 * its figures must hold. */
#include <errno.h>
#include <string.h>

#include "revision.h"
#include "unit.h"

#define BOUND_HDR "experiment,transport,trial,recv_calls,recv_bytes,recv_msgs,boundaries_kept\n"
static const char bound_ok[] = BOUND_HDR
	"boundaries,tcp,1,1,2560,5,0\nboundaries,tcp,2,3,2560,5,0\n"
	"boundaries,udp,1,5,2560,5,1\nboundaries,unix-stream,1,1,2560,5,0\n"
	"boundaries,unix-dgram,1,5,2560,5,1\n";
/* Trial 2 of tcp read 5 times: only trial 1 counts. */
static const char bound_split[] = BOUND_HDR
	"boundaries,tcp,2,1,2560,5,0\nboundaries,tcp,1,5,2560,5,0\n"
	"boundaries,udp,1,5,2560,5,1\nboundaries,unix-stream,1,2,2560,5,0\n"
	"boundaries,unix-dgram,1,5,2560,5,1\n";
static const char both_ok[] = "measure,value,unit\nsocket_a_sent,4,bytes\nsocket_b_received,4,bytes\n"
			      "socket_b_replied,4,bytes\nsocket_a_received,4,bytes\n";
static const char both_none[] = "measure,value,unit\nsocket_a_sent,4,bytes\nsocket_b_received,4,bytes\n"
				"socket_b_replied,0,bytes\nsocket_a_received,0,bytes\n";
static const char sizes[] = "measure,value,unit\nudp_ipv4_largest,65507,bytes\nudp_ipv4_one_more_errno,90,errno\nunix_dgram_largest,212960,bytes\n"
			    "stream_bytes_written,1048576,bytes\nstream_reads_of_64KiB,17,reads\n";
static const char conn[] = "measure,value,unit\nudp_connected_first_send_errno,0,errno\n"
			   "udp_connected_second_send_errno,111,errno\nudp_unconnected_sendto_errno,0,errno\n"
			   "tcp_connect_errno,111,errno\ntcp_connect_time,44,us\n";
#define REL_HDR "experiment,transport,trial,sent_msgs,unique_msgs,lost,duplicated,reordered,link_dropped,rxq_drops\n"
static const char rel_lossy[] = REL_HDR "reliability,tcp,1,2000,2000,0,0,0,,0\n"
				       "reliability,udp,1,2000,599,1401,11,352,97,1332\n";
static const char rel_clean[] = REL_HDR "reliability,tcp,1,2000,2000,0,0,0,,0\n"
				       "reliability,udp,1,2000,2000,0,0,0,0,0\n";
static const char over_unix0[] = "experiment,transport,trial,sent_msgs,lost\noverflow,udp,1,2000,1744\n"
				 "overflow,unix-dgram,1,2000,0\n";
static const char over_unix9[] = "experiment,transport,trial,sent_msgs,lost\noverflow,udp,1,2000,1744\n"
				 "overflow,unix-dgram,1,2000,9\n";
#define WIRE_HDR "exchange,frames,bytes,tcp_segments,tcp_data_segments,captured_handshake,captured_data,captured_pure_acks,captured_fin\n"
static const char wire[] = WIRE_HDR "tcp_5x512,16,3408,12,5,2,5,7,2\nudp_5x512,5,2700,,,0,5,0,0\n"
				    "tcp_request_response,10,565,6,2,2,2,4,2\nudp_request_response,2,85,,,0,2,0,0\n";
/* A failed count left as -1 (older probes): the unsigned judge would read it as huge. */
static const char wire_minus[] = WIRE_HDR "tcp_5x512,-1,-1,12,5,2,5,7,2\nudp_5x512,5,2700,,,0,5,0,0\n";
static const char wire_same[] = WIRE_HDR "tcp_5x512,5,2700,12,5,0,5,0,0\nudp_5x512,5,2700,,,0,5,0,0\n";
static const char ping[] = "measure,value\nicmp_dgram_socket_uid_65534,EACCES\nicmp_dgram_protocol,1\n"
			   "udp_socket_protocol,17\n";
static const char names[] = "table,name,value\n/etc/services,ftp,21\n/etc/services,http,80\n";
#define SYNC_HDR "transport,message_bytes,sent_before_blocking,blocked_ms,errno,received\n"
static const char sync_ok[] = SYNC_HDR "tcp,65536,67,203,EAGAIN,\nunix-dgram,512,167,203,EAGAIN,\n"
				       "udp,512,2000,0,ok,102\n";
static const char sync_tcp_free[] = SYNC_HDR "tcp,65536,400,0,ok,\nunix-dgram,512,167,203,EAGAIN,\n"
					    "udp,512,2000,0,ok,102\n";
/* A failed count left as -1 (older probes): the judge would read "got
 * fewer than sent" from it and say "too simple". */
static const char sync_minus[] = SYNC_HDR "tcp,65536,67,203,EAGAIN,\nunix-dgram,512,167,203,EAGAIN,\n"
					 "udp,512,2000,0,ok,-1\n";
/* UDP's send failed otherwise: the figures say so, not "sent all". */
static const char sync_udp_failed[] = SYNC_HDR "tcp,65536,67,203,EAGAIN,\nunix-dgram,512,167,203,EAGAIN,\n"
					      "udp,512,700,0,ENOBUFS,650\n";
/* Everything as sync_ok but UDP lost nothing: nothing filled up. */
static const char sync_udp_all[] = SYNC_HDR "tcp,65536,67,203,EAGAIN,\nunix-dgram,512,167,203,EAGAIN,\n"
					   "udp,512,2000,0,ok,2000\n";
static const char timewait[] = "measure,value,unit\ntime_wait_sockets_on_1234,1,sockets\n";
static const char patterns[] = "transport,pace_ms,trials,read_sizes\ntcp,2,1,512 512 1536\n"
			       "tcp,2,19,512 512 512 512 512\ntcp,0,4,2560\nunix-stream,0,9,2560\n"
			       "udp,2,20,512 512 512 512 512\nudp,0,20,512 512 512 512 512\n";

/* What a failed measurement leaves (the old sheet read these as evidence). */
static const char bound_none[] = BOUND_HDR
	"boundaries,tcp,1,0,0,0,0\nboundaries,udp,1,0,0,0,0\nboundaries,unix-stream,1,0,0,0,0\n"
	"boundaries,unix-dgram,1,0,0,0,0\n";
static const char both_empty[] = "measure,value,unit\nsocket_a_sent,4,bytes\nsocket_b_received,,bytes\n"
				 "socket_b_replied,,bytes\nsocket_a_received,,bytes\n";
static const char both_minus[] = "measure,value,unit\nsocket_a_sent,4,bytes\nsocket_b_received,-1,bytes\n"
				 "socket_b_replied,-1,bytes\nsocket_a_received,-1,bytes\n";
static const char sizes_minus[] = "measure,value,unit\nudp_ipv4_largest,-1,bytes\n"
				  "stream_bytes_written,1048576,bytes\nstream_reads_of_64KiB,17,reads\n";
static const char sizes_small[] = "measure,value,unit\nudp_ipv4_largest,1400,bytes\n"
				  "udp_ipv4_one_more_errno,90,errno\n"
				  "stream_bytes_written,1048576,bytes\nstream_reads_of_64KiB,17,reads\n";
/* The search stopped at a full queue (EAGAIN), not at a size limit. */
static const char sizes_eagain[] = "measure,value,unit\nudp_ipv4_largest,1400,bytes\n"
				   "udp_ipv4_one_more_errno,11,errno\n"
				   "stream_bytes_written,1048576,bytes\nstream_reads_of_64KiB,17,reads\n";
/* The TCP connect failed for want of a socket (EMFILE), not refused. */
static const char conn_emfile[] = "measure,value,unit\nudp_unconnected_sendto_errno,0,errno\n"
				  "tcp_connect_errno,24,errno\n";
static const char conn_udp_failed[] = "measure,value,unit\nudp_unconnected_sendto_errno,105,errno\n"
				      "tcp_connect_errno,111,errno\n";
static const char rel_none[] = REL_HDR "reliability,tcp,1,0,0,0,0,0,,0\n"
				      "reliability,udp,1,0,0,0,0,0,0,0\n";
static const char wire_noudp[] = WIRE_HDR "tcp_5x512,16,3408,12,5,2,5,7,2\nudp_5x512,0,0,,,0,0,0,0\n";
static const char wire_nocap[] = WIRE_HDR "tcp_5x512,16,3408,12,5,0,0,0,0\nudp_5x512,5,2700,,,0,5,0,0\n";
static const char ping_minus[] = "measure,value\nicmp_dgram_protocol,-1\n";
static const char ping_raw[] = "measure,value\nicmp_dgram_protocol,255\n";
static const char sync_epipe[] = SYNC_HDR "tcp,65536,3,0,EPIPE,\nudp,512,2000,0,ok,102\n";

static const struct tcase {
	const char *name;
	const char *files[6][2]; /* NAME, CSV text */
	size_t row;              /* 0-based row of the sheet */
	const char *verdict;
	const char *figures[3];  /* must appear in the figures (or, for not measured, in why) */
} cases[] = {
	{"uses: AF_UNIX behaves alike", {{"boundaries", bound_ok}, {"ping", ping}}, 0, "too simple",
	 {"tcp 1 read", "unix-stream (no TCP) 1", "protocol 1 (ICMP)"}},
	{"uses: AF_UNIX differs", {{"boundaries", bound_split}}, 0, "confirmed", {"tcp 5 reads", NULL}},
	{"uses: no file", {{"ping", ping}}, 0, "not measured", {"boundaries.csv", NULL}},
	{"both ways", {{"both-directions", both_ok}}, 1, "wrong", {"replied 4 bytes", NULL}},
	{"one way: no reply", {{"both-directions", both_none}}, 1, "not measured", {"not evidence", NULL}},
	{"both ways: steps failed (empty cells)", {{"both-directions", both_empty}}, 1, "not measured",
	 {"lacks a value", NULL}},
	{"both ways: steps failed (old -1)", {{"both-directions", both_minus}}, 1, "not measured",
	 {"lacks a value", NULL}},
	{"uses: nothing read", {{"boundaries", bound_none}}, 0, "not measured", {"0 reads", NULL}},
	{"sizes: none found (-1)", {{"size-limits", sizes_minus}}, 2, "not measured", {"lacks a value", NULL}},
	{"sizes: one packet", {{"size-limits", sizes_small}}, 2, "confirmed", {"1400 bytes", NULL}},
	{"sizes: search stopped by EAGAIN", {{"size-limits", sizes_eagain}}, 2, "not measured",
	 {"not refused as too long", NULL}},
	{"connection: tcp connect failed with EMFILE", {{"connectionless", conn_emfile}}, 3, "not measured",
	 {"failed otherwise", NULL}},
	{"connection: udp send failed", {{"connectionless", conn_udp_failed}}, 3, "not measured",
	 {"UDP send failed", NULL}},
	{"order: nothing received", {{"reliability", rel_none}}, 4, "not measured", {"received nothing", NULL}},
	{"reliable: nothing sent", {{"reliability", rel_none}}, 5, "not measured", {"sent nothing", NULL}},
	{"overhead: no udp packets", {{"wire-overhead", wire_noudp}}, 6, "not measured", {"as 0 loopback frames", NULL}},
	{"applications: no protocol", {{"ping", ping_minus}}, 7, "not measured", {"lacks a value", NULL}},
	{"applications: neither ICMP nor UDP", {{"ping", ping_raw}}, 7, "not measured", {"protocol 255", NULL}},
	{"sync: tcp send failed", {{"sync-async", sync_epipe}}, 8, "not measured", {"EPIPE", NULL}},
	{"persistent: no reply", {{"both-directions", both_none}}, 9, "not measured", {"no reply", NULL}},
	{"persistent: reply failed", {{"both-directions", both_minus}}, 9, "not measured", {"lacks a value", NULL}},
	{"close: no FIN captured", {{"wire-overhead", wire_nocap}}, 10, "not measured", {"0 TCP FIN", NULL}},
	{"boundaries: nothing received", {{"boundaries", bound_none}}, 11, "not measured",
	 {"received nothing", NULL}},
	{"acks: none captured", {{"wire-overhead", wire_nocap}}, 12, "not measured",
	 {"0 TCP and 0 UDP", NULL}},
	{"sizes", {{"size-limits", sizes}}, 2, "too simple", {"65507 bytes", "AF_UNIX: 212960", "17 reads"}},
	{"connection", {{"connectionless", conn}}, 3, "confirmed", {"after 44 microseconds", NULL}},
	{"order: udp reordered", {{"reliability", rel_lossy}}, 4, "confirmed", {"udp 352 of the 599", NULL}},
	{"order: nothing reordered", {{"reliability", rel_clean}}, 4, "too simple", {"udp 0 of the 2000", NULL}},
	{"reliable: unix kept all", {{"reliability", rel_lossy}, {"overflow", over_unix0}}, 5, "too simple",
	 {"udp lost 1401 of 2000", "link dropped 97 packets, the receiver's full buffer 1332",
	  "unix-dgram lost 0 of 2000"}},
	{"reliable: unix lost too", {{"reliability", rel_lossy}, {"overflow", over_unix9}}, 5, "confirmed",
	 {"unix-dgram lost 9 of 2000", NULL}},
	{"reliable: udp lost nothing", {{"reliability", rel_clean}}, 5, "too simple", {"udp lost 0 of 2000", NULL}},
	{"overhead", {{"wire-overhead", wire}}, 6, "confirmed",
	 {"TCP 16 packets, 3408 bytes; UDP 5 packets, 2700 bytes", "TCP 10 packets, 565 bytes; UDP 2, 85"}},
	{"overhead: no difference", {{"wire-overhead", wire_same}}, 6, "not measured", {"missed traffic", NULL}},
	{"overhead: failed count (-1)", {{"wire-overhead", wire_minus}}, 6, "not measured", {"lacks a value", NULL}},
	{"applications", {{"ping", ping}, {"names", names}}, 7, "too simple",
	 {"http port 80, ftp port 21", "protocol 1 (ICMP", "refused here"}},
	{"sync", {{"sync-async", sync_ok}}, 8, "too simple",
	 {"TCP accepted 67 x 65536 bytes, then send() blocked", "102 arrived", "AF_UNIX datagrams: 167"}},
	/* The old sheet said "wrong" and "too simple" where the probe said
	 * "not measured" (nothing filled up). */
	{"sync: tcp never blocked", {{"sync-async", sync_tcp_free}}, 8, "not measured", {"never blocked", "cannot tell"}},
	{"sync: failed count (-1)", {{"sync-async", sync_minus}}, 8, "not measured", {"lacks a value", NULL}},
	{"sync: udp send failed", {{"sync-async", sync_udp_failed}}, 8, "not measured",
	 {"UDP's send failed with ENOBUFS", "cannot tell"}},
	{"sync: udp lost nothing", {{"sync-async", sync_udp_all}}, 8, "not measured", {"2000 of its 2000 arrived", "cannot tell"}},
	{"persistent", {{"both-directions", both_ok}, {"boundaries", bound_ok}}, 9, "wrong",
	 {"sent 5 datagrams", "(4 bytes)"}},
	{"close", {{"wire-overhead", wire}, {"time-wait", timewait}}, 10, "confirmed",
	 {"TCP sent 2 FIN packets", "UDP sent 0 packets", "1 socket(s) stayed in TIME_WAIT"}},
	{"close: not measured", {{"time-wait", timewait}}, 10, "not measured", {"wire-overhead.csv", NULL}},
	{"boundaries", {{"boundaries", bound_ok}, {"read-patterns", patterns}}, 11, "confirmed",
	 {"tcp got 2560 bytes in 1 read, udp needed 5 reads", "streams' 33 trials read in 3 different patterns",
	  "datagrams' 40 trials in 1"}},
	{"boundaries: stream kept them", {{"boundaries", bound_split}}, 11, "too simple", {"in 5 reads", NULL}},
	{"acks with sync", {{"wire-overhead", wire}, {"sync-async", sync_ok}}, 12, "too simple",
	 {"TCP sent 7 acknowledgement-only packets, UDP 0", "accepted 67 x 65536"}},
	{"acks alone", {{"wire-overhead", wire}}, 12, "confirmed", {"UDP 0", NULL}},
};

START_TEST(row_from_figures)
{
	const struct tcase *c = &cases[_i];
	struct sc_rev_data d;
	struct sc_rev_row rows[SC_REV_ROWS];
	const struct sc_rev_row *w;

	memset(&d, 0, sizeof(d));
	for (size_t i = 0; i < 6 && c->files[i][0]; i++)
		ck_assert_msg(sc_rev_data_add(&d, c->files[i][0], c->files[i][1]) == 0, "%s: %s does not parse",
			      c->name, c->files[i][0]);
	ck_assert_uint_eq(sc_rev_rows(&d, rows), SC_REV_ROWS);
	w = &rows[c->row];
	ck_assert_msg(!strcmp(w->verdict, c->verdict), "%s: verdict '%s', want '%s' (figures: %s; why: %s)",
		      c->name, w->verdict, c->verdict, w->figures, w->why);
	for (size_t i = 0; i < 3 && c->figures[i]; i++) {
		const char *in = strcmp(c->verdict, "not measured") ? w->figures : w->why;

		ck_assert_msg(strstr(in, c->figures[i]), "%s: '%s' not in '%s'", c->name, c->figures[i], in);
	}
	ck_assert_msg(w->why[0], "%s: no reason given", c->name);
	sc_rev_data_free(&d);
}
END_TEST

/* With no files at all, every row says it was not measured and carries
 * no figures: nothing is invented. */
START_TEST(nothing_measured)
{
	struct sc_rev_data d;
	struct sc_rev_row rows[SC_REV_ROWS];

	memset(&d, 0, sizeof(d));
	sc_rev_rows(&d, rows);
	for (size_t i = 0; i < SC_REV_ROWS; i++) {
		ck_assert_msg(!strcmp(rows[i].verdict, "not measured"), "row %zu: %s", i + 1, rows[i].verdict);
		ck_assert_msg(rows[i].figures[0] == '\0', "row %zu has figures: %s", i + 1, rows[i].figures);
		ck_assert_msg(strstr(rows[i].why, ".csv") && strstr(rows[i].why, "is missing"), "row %zu: %s", i + 1,
			      rows[i].why);
		ck_assert_msg(rows[i].stream_words && rows[i].dgram_words && rows[i].plain, "row %zu words", i + 1);
	}
}
END_TEST

/* The exam answer's words are quoted exactly (en dashes included). */
START_TEST(lecture_words)
{
	struct sc_rev_data d;
	struct sc_rev_row rows[SC_REV_ROWS];

	memset(&d, 0, sizeof(d));
	sc_rev_rows(&d, rows);
	ck_assert_str_eq(rows[1].dgram_words, "one way only \xe2\x80\x93 send or receive");
	ck_assert_str_eq(rows[6].dgram_words, "simpler \xe2\x80\x93 less overhead");
	ck_assert_str_eq(rows[11].stream_words, "(so message boundaries not ..)");
	ck_assert_str_eq(rows[3].stream_words, "connection orientated");
}
END_TEST

/* A malformed file is refused, a short row reads as empty cells, and
 * only trial 1 of an experiment is looked at. */
START_TEST(tables)
{
	struct sc_rev_data d;

	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(sc_rev_data_add(&d, "bad", "a,b\n\"x,1\n"), -EINVAL);
	ck_assert_int_eq(sc_rev_data_add(&d, "empty", ""), -EINVAL);
	ck_assert_int_eq(sc_rev_data_add(&d, "t", "transport,trial,v,w\nudp,2,9,9\nudp,1,7\n"), 0);
	ck_assert_str_eq(sc_rev_get(&d, "t", "transport", "udp", "v"), "7");
	ck_assert_ptr_null(sc_rev_get(&d, "t", "transport", "udp", "w"));
	ck_assert_ptr_null(sc_rev_get(&d, "t", "transport", "tcp", "v"));
	ck_assert_ptr_null(sc_rev_get(&d, "nope", NULL, NULL, "v"));
	sc_rev_data_free(&d);
}
END_TEST

/* A per-run NAME.csv of today's width (74 columns) and wider still. */
START_TEST(wide_tables)
{
	struct sc_rev_data d;
	char text[4096];
	size_t used = 0;

	memset(&d, 0, sizeof(d));
	used += (size_t)snprintf(text + used, sizeof(text) - used, "transport,trial");
	for (int c = 2; c < 200; c++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, ",c%d", c);
	used += (size_t)snprintf(text + used, sizeof(text) - used, "\nudp,1");
	for (int c = 2; c < 200; c++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, ",%d", c * 10);
	snprintf(text + used, sizeof(text) - used, "\n");
	ck_assert_int_eq(sc_rev_data_add(&d, "wide", text), 0);
	ck_assert_str_eq(sc_rev_get(&d, "wide", "transport", "udp", "c73"), "730");
	ck_assert_str_eq(sc_rev_get(&d, "wide", "transport", "udp", "c199"), "1990");
	sc_rev_data_free(&d);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("revision");
	TCase *tc = tcase_create("rows");

	tcase_add_loop_test(tc, row_from_figures, 0, NELEM(cases));
	tcase_add_test(tc, nothing_measured);
	tcase_add_test(tc, wide_tables);
	tcase_add_test(tc, lecture_words);
	tcase_add_test(tc, tables);
	suite_add_tcase(s, tc);
	return s;
}
