/* test_json.c - the JSON writer: escaping (hostile bytes included), nesting,
 * numbers, and misuse reported as an error instead of a broken document. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "unit.h"

static const struct {
	const char *name, *in;
	size_t n;
	const char *out;
} strs[] = {
	{"plain", "abc", 3, "[\"abc\"]\n"},
	{"quote and backslash", "a\"b\\c", 5, "[\"a\\\"b\\\\c\"]\n"},
	{"newline tab CR", "\n\t\r", 3, "[\"\\n\\t\\r\"]\n"},
	{"control bytes", "\x01\x1f\x7f", 3, "[\"\\u0001\\u001f\\u007f\"]\n"},
	{"NUL inside", "a\0b", 3, "[\"a\\u0000b\"]\n"},
	{"valid UTF-8 kept", "\xc2\xb5s \xe2\x80\x94", 7, "[\"\xc2\xb5s \xe2\x80\x94\"]\n"},
	{"4-byte UTF-8 kept", "\xf0\x9f\x98\x80", 4, "[\"\xf0\x9f\x98\x80\"]\n"},
	{"lone continuation byte", "\x80", 1, "[\"\\ufffd\"]\n"},
	{"cut sequence", "\xe2\x80", 2, "[\"\\ufffd\\ufffd\"]\n"},
	{"overlong slash", "\xc0\xaf", 2, "[\"\\ufffd\\ufffd\"]\n"},
	{"surrogate", "\xed\xa0\x80", 3, "[\"\\ufffd\\ufffd\\ufffd\"]\n"},
	{"past U+10FFFF", "\xf4\x90\x80\x80", 4, "[\"\\ufffd\\ufffd\\ufffd\\ufffd\"]\n"},
	{"latin-1 byte", "caf\xe9", 4, "[\"caf\\ufffd\"]\n"},
};

START_TEST(strings)
{
	struct sc_json j;

	sc_json_init(&j, false);
	sc_json_arr(&j, NULL);
	sc_json_strn(&j, NULL, strs[_i].in, strs[_i].n);
	sc_json_end(&j);
	ck_assert_msg(sc_json_done(&j) == 0, "%s: error", strs[_i].name);
	ck_assert_msg(strcmp(j.buf, strs[_i].out) == 0, "%s: wrote %s, want %s", strs[_i].name, j.buf,
		      strs[_i].out);
	sc_json_free(&j);
}
END_TEST

START_TEST(document)
{
	struct sc_json j;

	sc_json_init(&j, false);
	sc_json_obj(&j, NULL);
	sc_json_str(&j, "name", "boundaries");
	sc_json_u64(&j, "max", UINT64_MAX);
	sc_json_i64(&j, "neg", INT64_MIN);
	sc_json_f64(&j, "half", 0.5);
	sc_json_f64(&j, "nan", NAN);
	sc_json_f64(&j, "inf", INFINITY);
	sc_json_bool(&j, "t", true);
	sc_json_null(&j, "n");
	sc_json_str(&j, "s", NULL);
	sc_json_arr(&j, "empty");
	sc_json_end(&j);
	sc_json_obj(&j, "o");
	sc_json_end(&j);
	sc_json_arr(&j, "rows");
	sc_json_obj(&j, NULL);
	sc_json_u64(&j, "a", 1);
	sc_json_end(&j);
	sc_json_obj(&j, NULL);
	sc_json_u64(&j, "a", 2);
	sc_json_end(&j);
	sc_json_end(&j);
	sc_json_end(&j);
	ck_assert_int_eq(sc_json_done(&j), 0);
	ck_assert_str_eq(j.buf, "{\"name\":\"boundaries\",\"max\":18446744073709551615,"
				"\"neg\":-9223372036854775808,\"half\":0.5,\"nan\":null,\"inf\":null,"
				"\"t\":true,\"n\":null,\"s\":null,\"empty\":[],\"o\":{},"
				"\"rows\":[{\"a\":1},{\"a\":2}]}\n");
	sc_json_free(&j);
}
END_TEST

START_TEST(pretty)
{
	struct sc_json j;

	sc_json_init(&j, true);
	sc_json_obj(&j, NULL);
	sc_json_arr(&j, "v");
	sc_json_u64(&j, NULL, 1);
	sc_json_u64(&j, NULL, 2);
	sc_json_end(&j);
	sc_json_obj(&j, "e");
	sc_json_end(&j);
	sc_json_end(&j);
	ck_assert_int_eq(sc_json_done(&j), 0);
	ck_assert_str_eq(j.buf, "{\n  \"v\": [\n    1,\n    2\n  ],\n  \"e\": {}\n}\n");
	sc_json_free(&j);
}
END_TEST

/* Each misuse must end in -EINVAL, never in a document that parses wrongly. */
enum step { OBJ, ARR, END, KEYED, BARE };
static const struct {
	const char *name;
	enum step steps[6];
	int n;
} misuse[] = {
	{"key inside an array", {ARR, KEYED}, 2},
	{"no key inside an object", {OBJ, BARE}, 2},
	{"key at top level", {KEYED}, 1},
	{"end with nothing open", {END}, 1},
	{"unclosed object", {OBJ}, 1},
	{"two top-level values", {BARE, BARE}, 2},
	{"empty document", {0}, 0},
};

START_TEST(misuse_is_an_error)
{
	struct sc_json j;

	sc_json_init(&j, false);
	for (int s = 0; s < misuse[_i].n; s++)
		switch (misuse[_i].steps[s]) {
		case OBJ: sc_json_obj(&j, NULL); break;
		case ARR: sc_json_arr(&j, NULL); break;
		case END: sc_json_end(&j); break;
		case KEYED: sc_json_u64(&j, "k", 1); break;
		case BARE: sc_json_u64(&j, NULL, 1); break;
		}
	ck_assert_msg(sc_json_done(&j) == -EINVAL, "%s: accepted as %s", misuse[_i].name,
		      j.buf ? j.buf : "(nothing)");
	sc_json_free(&j);
}
END_TEST

START_TEST(too_deep)
{
	struct sc_json j;

	sc_json_init(&j, false);
	for (int i = 0; i <= SC_JSON_DEPTH; i++)
		sc_json_arr(&j, NULL);
	ck_assert_int_eq(sc_json_done(&j), -EINVAL);
	sc_json_free(&j);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("json");
	TCase *t = tcase_create("core");

	tcase_add_loop_test(t, strings, 0, NELEM(strs));
	tcase_add_test(t, document);
	tcase_add_test(t, pretty);
	tcase_add_loop_test(t, misuse_is_an_error, 0, NELEM(misuse));
	tcase_add_test(t, too_deep);
	suite_add_tcase(s, t);
	return s;
}
