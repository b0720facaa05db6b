/* dispatch.c - loopback, link on this kernel, or link in a UML guest. */
#include "dispatch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate.h"
#include "export.h"
#include "meta.h"
#include "clock.h"
#include "msglimit.h"
#include "netem.h"
#include "paths.h"
#include "plan.h"
#include "uml.h"

static const struct sc_where loopback = {.addr4 = "127.0.0.1", .addr6 = "::1", .kernel = "host"};

bool sc_needs_link(const struct sc_experiment *e)
{
	return e->link[0] || e->link_reverse[0] || (e->sweep.n && sc_netem_is_param(e->sweep.param));
}

/* A bound on one guest run: every trial's limit from its plan
 * (driver/plan.h), plus five minutes for the boot. Ctrl-C ends it sooner. */
static uint64_t guest_timeout(const struct sc_experiment *e)
{
	return 300 * SC_NS_PER_S + sc_plan_run_limit_ns(e);
}

/* After a guest was stopped mid-run, its temporary CSV files (which it
 * would have renamed or removed) are ours to remove. */
static void remove_tmp_files(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[PATH_MAX + 256];
	size_t n = strlen(name);

	while (d && (de = readdir(d)))
		if (strncmp(de->d_name, name, n) == 0 && strstr(de->d_name, ".tmp-")) {
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
}

/* After a guest was stopped mid-run: its finished trials are on disk, in
 * a NAME.csv it wrote (not the one an earlier run left: before). */
static void read_kept(const struct sc_experiment *e, struct sc_rows *rows, const char *csv,
		      const struct stat *before)
{
	struct stat now;

	if (stat(csv, &now) == 0 && (!before || now.st_ino != before->st_ino || now.st_dev != before->st_dev))
		sc_rows_read(e, rows, csv);
}

static int in_guest(const struct sc_experiment *e, const struct sc_request *rq, struct sc_run_opts *ro,
		    struct sc_rows *rows, const char *why, char *err, size_t errlen)
{
	char script[PATH_MAX], out[PATH_MAX], cwd[PATH_MAX], self[PATH_MAX + 16], rep[16], csv[PATH_MAX + 80];
	char *argv[32], whyenv[800];
	const char *gbin;
	struct sc_uml_opts uo = {0};
	struct stat before;
	bool had;
	int n = 0, status = 0, r;

	sc_script_path(rq->script, csv, sizeof(csv));
	if (!realpath(csv, script) || !realpath(ro->out_dir, out) || !getcwd(cwd, sizeof(cwd))) {
		snprintf(err, errlen, "cannot resolve the paths to give the guest: %s", strerror(errno));
		return -errno;
	}
	/* Sanitizer builds cannot run in the guest (UML's address space has
	 * no room for ASan's shadow memory): SOCKCMP_GUEST_BIN names a plain
	 * build whose programs the guest runs instead. */
	gbin = getenv("SOCKCMP_GUEST_BIN");
	if (!gbin || !*gbin)
		gbin = ro->bin_dir;
	snprintf(self, sizeof(self), "%s/sockcmp", gbin);
	/* The guest's sockcmp records why it runs where it does. */
	snprintf(whyenv, sizeof(whyenv), "SOCKCMP_KERNEL_WHY=%s", why);
	argv[n++] = "/usr/bin/env";
	argv[n++] = whyenv;
	argv[n++] = self;
	argv[n++] = "run";
	argv[n++] = script;
	argv[n++] = "--kernel";
	argv[n++] = "host";
	argv[n++] = "--out";
	argv[n++] = out;
	argv[n++] = "--no-plots";
	argv[n++] = "--quiet";
	if (ro->progress)
		argv[n++] = "--progress";
	if (rq->link) {
		argv[n++] = "--link";
		argv[n++] = (char *)rq->link;
	}
	if (rq->link_reverse) {
		argv[n++] = "--link-reverse";
		argv[n++] = (char *)rq->link_reverse;
	}
	if (rq->transports) {
		argv[n++] = "--transports";
		argv[n++] = (char *)rq->transports;
	}
	if (rq->repeat) {
		snprintf(rep, sizeof(rep), "%u", rq->repeat);
		argv[n++] = "--repeat";
		argv[n++] = rep;
	}
	argv[n] = NULL;
	uo.bin_dir = gbin;
	uo.argv = argv;
	uo.cwd = cwd;
	uo.timeout_ns = guest_timeout(e);
	uo.stop = ro->stop;
	snprintf(csv, sizeof(csv), "%s/%s.csv", out, e->name);
	had = stat(csv, &before) == 0;
	r = sc_uml_run(&uo, &status, err, errlen);
	if (r < 0) {
		remove_tmp_files(out, e->name);
		if (r == -EINTR)
			read_kept(e, rows, csv, had ? &before : NULL);
		return r;
	}
	if (status == 2) {
		snprintf(err, errlen, "the run in user-mode Linux refused its input (see above)");
		return -EINVAL;
	}
	snprintf(csv, sizeof(csv), "%s/%s.csv", out, e->name);
	if (sc_rows_read(e, rows, csv) < 0) {
		snprintf(err, errlen, "the run in user-mode Linux ended (status %d) without %s", status, csv);
		return -EIO;
	}
	return status == 0 ? 0 : status == 130 ? -EINTR : -EIO;
}

/* Whether the kernel-choice line was printed (once per process). */
static bool said;

static int dispatch(const struct sc_experiment *e, const struct sc_request *rq, struct sc_run_opts *ro,
		    struct sc_rows *rows, char *err, size_t errlen)
{
	enum sc_kernel got;
	char why[700];
	int r;

	/* Limits of this kernel, checked before the first trial wherever the
	 * trials run here (a guest's sockcmp checks its own). */
	if (!sc_needs_link(e) || rq->kernel == SC_KERNEL_HOST) {
		r = sc_msglimit_check(e, err, errlen);
		if (r < 0)
			return r == -EINVAL ? r : -EIO;
	}
	if (!sc_needs_link(e)) {
		const struct sc_where *given = ro->where; /* two hosts: set by the caller */

		ro->where = given ? given : &loopback;
		r = sc_run(e, ro, rows, err, errlen);
		ro->where = given;
		if (r != -EINVAL && sc_meta_write(e, ro->out_dir, NULL, NULL) < 0)
			fprintf(stderr, "sockcmp: cannot write %s/%s-meta.json\n", ro->out_dir, e->name);
		return r;
	}
	r = sc_link_choose(rq->kernel, &got, why, sizeof(why));
	if (r < 0) {
		snprintf(err, errlen, "%s", why);
		return -ENOENT;
	}
	/* Once per sockcmp (a lecture runs several link experiments), and not
	 * again by the guest's sockcmp, which the host gave its reason. */
	if (!rq->quiet && !said && !getenv("SOCKCMP_KERNEL_WHY")) {
		char line[200];

		sc_link_choice_line(rq->kernel, got, why, line, sizeof(line));
		fprintf(stderr, "sockcmp: %s\n", line);
		said = true;
	}
	if (got == SC_KERNEL_HOST) {
		if (rq->kernel != SC_KERNEL_HOST && (r = sc_msglimit_check(e, err, errlen)) < 0)
			return r == -EINVAL ? r : -EIO;
		setenv("SOCKCMP_KERNEL_WHY", why, 0); /* kept if a host already set it */
		r = sc_link_run_host(e, ro, rows, err, errlen);
		/* The guest's sockcmp writes its own: the kernel that ran. */
		if (r != -EINVAL && sc_meta_write(e, ro->out_dir, getenv("SOCKCMP_KERNEL") ? getenv("SOCKCMP_KERNEL") : "host",
						  getenv("SOCKCMP_KERNEL_WHY")) < 0)
			fprintf(stderr, "sockcmp: cannot write %s/%s-meta.json\n", ro->out_dir, e->name);
		if (r == -ENOTSUP && rq->kernel == SC_KERNEL_HOST)
			return -ENOENT;
		return r;
	}
	return in_guest(e, rq, ro, rows, why, err, errlen);
}

int sc_dispatch(const struct sc_experiment *e, const struct sc_request *rq, struct sc_run_opts *ro,
		struct sc_rows *rows, char *err, size_t errlen)
{
	int r = dispatch(e, rq, ro, rows, err, errlen);
	char path[PATH_MAX + 80];

	/* Means and confidence intervals of whatever trials finished. */
	if (rows->n && r != -EINVAL) {
		snprintf(path, sizeof(path), "%s/%s-aggregate.csv", ro->out_dir, e->name);
		if (sc_aggregate_write(e, rows, path) < 0)
			fprintf(stderr, "sockcmp: cannot write %s\n", path);
		if (sc_export_json_write(e, rows, ro->out_dir, NULL) < 0)
			fprintf(stderr, "sockcmp: cannot write %s/%s.json\n", ro->out_dir, e->name);
	}
	return r;
}
