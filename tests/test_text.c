/* test_text.c - what counts as printable UTF-8, and how the rest is
 * written out in messages (text.c). */
#include <string.h>

#include "text.h"
#include "unit.h"

static const struct {
	const char *name, *in;
	ssize_t bad_at;   /* sc_text_bad_at */
	const char *esc;  /* sc_text_escape */
} cases[] = {
	{"plain", "loss 5% delay 10ms", -1, "loss 5% delay 10ms"},
	{"tab is fine", "a\tb", -1, "a\tb"},
	{"empty", "", -1, ""},
	{"UTF-8, 2 to 4 bytes", "caf\xc3\xa9 \xe2\x89\xa5 \xf0\x9f\x93\x88", -1,
	 "caf\xc3\xa9 \xe2\x89\xa5 \xf0\x9f\x93\x88"},
	{"no-break space U+00A0", "a\xc2\xa0" "b", -1, "a\xc2\xa0" "b"},
	{"ESC starts a CSI", "x\033[2Jy", 1, "x\\x1b[2Jy"},
	{"OSC with BEL", "\033]0;pwn\007", 0, "\\x1b]0;pwn\\x07"},
	{"newline and CR", "a\nb\rc", 1, "a\\nb\\rc"},
	{"DEL", "a\x7f", 1, "a\\x7f"},
	{"C1 CSI as UTF-8 U+009B", "a\xc2\x9b" "2J", 1, "a\\xc2\\x9b2J"},
	{"raw C1 byte", "\x9b" "2J", 0, "\\x9b2J"},
	{"Latin-1, not UTF-8", "caf\xe9", 3, "caf\\xe9"},
	{"overlong NUL", "\xc0\x80", 0, "\\xc0\\x80"},
	{"overlong slash", "\xe0\x80\xaf", 0, "\\xe0\\x80\\xaf"},
	{"UTF-16 surrogate", "\xed\xa0\x80", 0, "\\xed\\xa0\\x80"},
	{"above U+10FFFF", "\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80"},
	{"cut short at the end", "ab\xe2\x89", 2, "ab\\xe2\\x89"},
	{"backslash stays", "a\\b", -1, "a\\b"},
};

START_TEST(bad_at_and_escape)
{
	char out[128];
	ssize_t at = sc_text_bad_at(cases[_i].in, strlen(cases[_i].in));
	size_t n = sc_text_escape(out, sizeof(out), cases[_i].in);

	ck_assert_msg(at == cases[_i].bad_at, "%s: bad at %zd, want %zd", cases[_i].name, at,
		      cases[_i].bad_at);
	ck_assert_msg(strcmp(out, cases[_i].esc) == 0, "%s: escaped '%s', want '%s'", cases[_i].name, out,
		      cases[_i].esc);
	ck_assert_uint_eq(n, strlen(out));
	ck_assert_msg(sc_text_bad_at(out, n) == -1, "%s: the escaped text is not clean", cases[_i].name);
}
END_TEST

/* A full buffer cuts between escapes, never inside one. */
START_TEST(escape_fits)
{
	char out[6];

	ck_assert_uint_eq(sc_text_escape(out, sizeof(out), "ab\033cd"), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(sc_text_escape(out, sizeof(out), "abcdefgh"), 5);
	ck_assert_str_eq(out, "abcde");
	ck_assert_uint_eq(sc_text_escape(out, 1, "abc"), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(sc_text_escape(out, sizeof(out), "\xe2\x89\xa5\xe2\x89\xa5"), 3);
	ck_assert_str_eq(out, "\xe2\x89\xa5");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_loop_test(tc, bad_at_and_escape, 0, NELEM(cases));
	tcase_add_test(tc, escape_fits);
	suite_add_tcase(s, tc);
	return s;
}
