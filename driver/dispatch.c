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
#include "clock.h"
#include "msglimit.h"
#include "netem.h"
#include "outfile.h"
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
 * would have renamed or removed) are ours to remove: only those with our
 * tag (the guest was given it), never another run's sharing the folder. */
static void remove_tmp_files(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[PATH_MAX + 256];
	size_t n = strlen(name);

	while (d && (de = readdir(d)))
		if (strncmp(de->d_name, name, n) == 0 && sc_outfile_is_own_tmp(de->d_name, name)) {
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
	char *argv[32], whyenv[800], tagenv[48];
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
	/* Its temporary files carry our tag, so we know them from others'. */
	snprintf(tagenv, sizeof(tagenv), "SOCKCMP_TMP_TAG=%s", sc_outfile_tag());
	argv[n++] = tagenv;
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
		ro->where = &loopback;
		r = sc_run(e, ro, rows, err, errlen);
		ro->where = NULL;
		return r;
	}
	r = sc_link_choose(rq->kernel, &got, why, sizeof(why));
	if (r < 0) {
		snprintf(err, errlen, "%s", why);
		return -ENOENT;
	}
	if (!rq->quiet)
		fprintf(stderr, "sockcmp: %s: impaired link in %s (%s)\n", e->name,
			got == SC_KERNEL_HOST ? "this kernel" : "user-mode Linux", why);
	if (got == SC_KERNEL_HOST) {
		if (rq->kernel != SC_KERNEL_HOST && (r = sc_msglimit_check(e, err, errlen)) < 0)
			return r == -EINVAL ? r : -EIO;
		setenv("SOCKCMP_KERNEL_WHY", why, 0); /* kept if a host already set it */
		r = sc_link_run_host(e, ro, rows, err, errlen);
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
		int w = sc_aggregate_write(e, rows, path);

		/* Not written is a lost result: exit 1, said by the caller. */
		if (w < 0 && (r == 0 || r == -EIO)) {
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(-w));
			r = w;
		} else if (w < 0) {
			fprintf(stderr, "sockcmp: cannot write %s: %s\n", path, strerror(-w));
		}
	}
	return r;
}
