/* test_peer.c - the client side's input: --peer specs (driver/peer.c) and
 * the pre-shared key file (driver/ctlio.c): made 0600 on first use, refused
 * when others may read it, when it is a symlink, or not a key. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctlio.h"
#include "peer.h"
#include "unit.h"

static const struct {
	const char *spec, *want; /* want NULL: refused */
	int err;
} specs[] = {
	{"there", "there:7207", 0},
	{"there:9000", "there:9000", 0},
	{"198.18.1.2", "198.18.1.2:7207", 0},
	{"[::1]", "[::1]:7207", 0},
	{"[::1]:9000", "[::1]:9000", 0},
	{"2001:db8::1", "[2001:db8::1]:7207", 0},
	{"ssh://user@there", NULL, -ENOTSUP},
	{"ssh://there", NULL, -ENOTSUP},
	{"", NULL, -EINVAL},
	{"[::1", NULL, -EINVAL},
	{"a/b", NULL, -EINVAL},
	{"a b", NULL, -EINVAL},
};

START_TEST(spec)
{
	char out[300];
	int r = sc_peer_spec(specs[_i].spec, out, sizeof(out));

	ck_assert_msg(r == specs[_i].err, "'%s': %d", specs[_i].spec, r);
	if (specs[_i].want)
		ck_assert_str_eq(out, specs[_i].want);
}
END_TEST

static const struct {
	const char *spec, *dest, *port; /* dest NULL: refused */
} sshs[] = {
	{"ssh://there", "there", ""},
	{"ssh://me@there", "me@there", ""},
	{"ssh://me@there:2222", "me@there", "2222"},
	{"ssh://me@198.18.1.2", "me@198.18.1.2", ""},
	{"ssh://[2001:db8::1]", "[2001:db8::1]", ""},
	{"ssh://me@[2001:db8::1]:22", "me@[2001:db8::1]", "22"},
	{"ssh://-oProxyCommand=id", NULL, NULL},
	{"ssh://me@-oProxyCommand=id", NULL, NULL},
	{"ssh://@there", NULL, NULL},
	{"ssh://h;id", NULL, NULL},
	{"ssh://h id", NULL, NULL},
	{"ssh://h$(id)", NULL, NULL},
	{"ssh://h`id`", NULL, NULL},
	{"ssh://h/x", NULL, NULL},
	{"ssh://h:0", NULL, NULL},
	{"ssh://h:65536", NULL, NULL},
	{"ssh://h:22x", NULL, NULL},
	{"ssh://h:", NULL, NULL},
	{"ssh://", NULL, NULL},
	{"there", NULL, NULL},
};

START_TEST(ssh_spec)
{
	char dest[256], port[8];
	int r = sc_peer_ssh_spec(sshs[_i].spec, dest, sizeof(dest), port, sizeof(port));

	if (!sshs[_i].dest) {
		ck_assert_msg(r == -EINVAL, "'%s' accepted", sshs[_i].spec);
		return;
	}
	ck_assert_msg(r == 0, "'%s' refused", sshs[_i].spec);
	ck_assert_str_eq(dest, sshs[_i].dest);
	ck_assert_str_eq(port, sshs[_i].port);
}
END_TEST

/* The ssh command line: the user's -F and -o before the port and the
 * destination, each value one argument (never split, never a shell's). */
static const struct {
	const char *what, *port, *config, *opt[3];
	const char *want;
} sshargv[] = {
	{"plain", "", NULL, {NULL}, "ssh -T -e none -o BatchMode=yes -- me@h sockcmp serve --stdio"},
	{"port", "2222", NULL, {NULL}, "ssh -T -e none -o BatchMode=yes -p 2222 -- me@h sockcmp serve --stdio"},
	{"config", "", "/tmp/a b", {NULL},
	 "ssh -T -e none -o BatchMode=yes -F|/tmp/a b -- me@h sockcmp serve --stdio"},
	{"options", "22", "c", {"IdentityFile=/k", "Port 7", NULL},
	 "ssh -T -e none -o BatchMode=yes -F|c -o|IdentityFile=/k -o|Port 7 -p 22 -- me@h sockcmp serve --stdio"},
};

START_TEST(ssh_argv)
{
	struct sc_ssh_opts o = {.config = sshargv[_i].config};
	const char *argv[40];
	char got[400] = "";
	int n;

	for (size_t k = 0; sshargv[_i].opt[k]; k++)
		o.option[o.noption++] = sshargv[_i].opt[k];
	n = sc_peer_ssh_argv("ssh", "me@h", sshargv[_i].port, &o, argv, 40);
	ck_assert_msg(n > 0, "%s: %d", sshargv[_i].what, n);
	ck_assert_ptr_null(argv[n]);
	for (int k = 0; k < n; k++) {
		/* an option's value is joined to its flag with '|' so one
		 * argument holding a space shows as one */
		bool val = k > 0 && (!strcmp(argv[k - 1], "-F") || (!strcmp(argv[k - 1], "-o") && k > 5));

		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k == 0 ? "" : val ? "|" : " ",
			 argv[k]);
	}
	ck_assert_msg(!strcmp(got, sshargv[_i].want), "%s: got '%s'", sshargv[_i].what, got);
}
END_TEST

START_TEST(ssh_argv_full)
{
	struct sc_ssh_opts o = {.config = "c", .noption = SC_SSH_MAX_OPTS};
	const char *argv[48];

	for (size_t k = 0; k < SC_SSH_MAX_OPTS; k++)
		o.option[k] = "A=b";
	ck_assert_int_eq(sc_peer_ssh_argv("ssh", "h", "22", &o, argv, 40), -E2BIG);
	ck_assert_int_eq(sc_peer_ssh_argv("ssh", "h", "22", &o, argv, 48), 47);
	ck_assert_int_eq(sc_peer_ssh_argv("ssh", "h", "", NULL, argv, 12), 11);
}
END_TEST

/* --remote-sockcmp reaches the far side's shell as a word: only plain
 * path characters, never an option, a space or shell syntax. */
static const struct {
	const char *path;
	bool ok;
} remotes[] = {
	{"/opt/sockcmp/bin/sockcmp", true},
	{"bin/sockcmp", true},
	{"/tmp/p-1.0/bin/sockcmp+x", true},
	{"", false},
	{"-oProxyCommand=id", false},
	{"/a b/sockcmp", false},
	{"/x;id", false},
	{"$HOME/sockcmp", false},
	{"~/bin/sockcmp", false},
	{"/x`id`", false},
	{"/x\nid", false},
	{"'/x'", false},
};

START_TEST(remote_path)
{
	ck_assert_msg(sc_peer_remote_ok(remotes[_i].path) == remotes[_i].ok, "'%s'", remotes[_i].path);
}
END_TEST

START_TEST(remote_argv)
{
	struct sc_ssh_opts o = {.remote = "/opt/sc/bin/sockcmp"};
	const char *argv[16];
	int n = sc_peer_ssh_argv("ssh", "h", "", &o, argv, 16);

	ck_assert_int_eq(n, 11);
	ck_assert_str_eq(argv[7], "h");
	ck_assert_str_eq(argv[8], "/opt/sc/bin/sockcmp");
	ck_assert_str_eq(argv[9], "serve");
}
END_TEST

START_TEST(modes)
{
	ck_assert(sc_peer_mode_ok("oneway"));
	ck_assert(sc_peer_mode_ok("throughput"));
	ck_assert(sc_peer_mode_ok("rr"));
	ck_assert(sc_peer_mode_ok("crr"));
	ck_assert(!sc_peer_mode_ok("servers")); /* issue 9's next mode: not checked across hosts */
	ck_assert(!sc_peer_mode_ok(""));
	ck_assert(!sc_peer_mode_ok("rr "));
}
END_TEST

static char dir[64];

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sc-test-peer-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_tmp(const char *name)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
}

START_TEST(key_made_0600)
{
	uint8_t k1[16], k2[16];
	char path[128], err[300];
	struct stat st;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/key", dir);
	ck_assert_int_eq(sc_key_load(path, 0, k1, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "scp"));
	ck_assert_int_eq(sc_key_load(path, 1, k1, err, sizeof(err)), 1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_uint_eq((uint64_t)st.st_size, 33);
	ck_assert_int_eq(sc_key_load(path, 1, k2, err, sizeof(err)), 0); /* read, not made again */
	ck_assert_mem_eq(k1, k2, 16);
	rm_tmp("key");
	rmdir(dir);
}
END_TEST

static const struct {
	const char *what, *text;
	mode_t mode;
	int want;
} keys[] = {
	{"good", "000102030405060708090a0b0c0d0e0f\n", 0600, 0},
	{"no newline", "000102030405060708090a0b0c0d0e0f", 0600, 0},
	{"read-only", "000102030405060708090a0b0c0d0e0f\n", 0400, 0},
	{"group-readable", "000102030405060708090a0b0c0d0e0f\n", 0640, -EPERM},
	{"world-readable", "000102030405060708090a0b0c0d0e0f\n", 0604, -EPERM},
	{"group-writable", "000102030405060708090a0b0c0d0e0f\n", 0620, -EPERM},
	{"too short", "000102030405060708090a0b0c0d0e\n", 0600, -EINVAL},
	{"too long", "000102030405060708090a0b0c0d0e0f00\n", 0600, -EINVAL},
	{"not hex", "000102030405060708090a0b0c0d0e0g\n", 0600, -EINVAL},
	{"empty", "", 0600, -EINVAL},
};

START_TEST(key_files)
{
	uint8_t k[16];
	char path[128], err[300] = "";
	int fd;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/key", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, keys[_i].text, strlen(keys[_i].text)), (int)strlen(keys[_i].text));
	close(fd);
	ck_assert_int_eq(chmod(path, keys[_i].mode), 0);
	ck_assert_msg(sc_key_load(path, 1, k, err, sizeof(err)) == keys[_i].want, "%s: %s", keys[_i].what, err);
	if (keys[_i].want == 0)
		ck_assert_uint_eq(k[15], 0x0f);
	rm_tmp("key");
	rmdir(dir);
}
END_TEST

/* A symlink where the key should be is neither followed nor replaced. */
START_TEST(key_symlink)
{
	uint8_t k[16];
	char path[128], target[128], err[300];
	struct stat st;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/key", dir);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_lt(sc_key_load(path, 1, k, err, sizeof(err)), 0);
	ck_assert_int_ne(stat(target, &st), 0); /* nothing made through the link */
	rm_tmp("key");
	rmdir(dir);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("peer");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, spec, 0, NELEM(specs));
	tcase_add_loop_test(tc, ssh_spec, 0, NELEM(sshs));
	tcase_add_loop_test(tc, ssh_argv, 0, NELEM(sshargv));
	tcase_add_test(tc, ssh_argv_full);
	tcase_add_loop_test(tc, remote_path, 0, NELEM(remotes));
	tcase_add_test(tc, remote_argv);
	tcase_add_test(tc, modes);
	tcase_add_test(tc, key_made_0600);
	tcase_add_loop_test(tc, key_files, 0, NELEM(keys));
	tcase_add_test(tc, key_symlink);
	suite_add_tcase(s, tc);
	return s;
}
