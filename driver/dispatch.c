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
#include "watch.h"

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

/* Moves what the guest wrote into the staging folder to the results
 * folder: every regular file whose name is not hidden and has no ".tmp" in
 * it (complete files only; the guest renames a file into place once it is
 * whole). Returns 0, or -errno of the first move that failed. */
static int move_results(const char *staging, const char *out)
{
	DIR *d = opendir(staging);
	struct dirent *de;
	char from[PATH_MAX + 256], to[PATH_MAX + 256];
	int r = d ? 0 : -errno;

	while (d && (de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp"))
			continue;
		snprintf(from, sizeof(from), "%s/%s", staging, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", out, de->d_name);
		if (lstat(from, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (rename(from, to) != 0 && r == 0)
			r = -errno;
	}
	if (d)
		closedir(d);
	return r;
}

/* What publish_rows needs: where the guest writes NAME.csv, where it is
 * shown, and which version was shown last. */
struct publish {
	const char *stage, *out, *name;
	dev_t dev;
	ino_t ino;
	uint64_t next;
};

/* While the guest runs: every 200 ms, if the guest has renamed a new
 * NAME.csv into its staging folder (a complete file: one row per finished
 * trial), shows it in --out too, as a hard link renamed into place, so
 * --out has the finished rows as the run goes, as on the host. */
static void publish_rows(void *arg)
{
	struct publish *p = arg;
	char from[PATH_MAX + 256], tmp[PATH_MAX + 256], to[PATH_MAX + 256];
	struct stat st;

	if (sc_mono_ns() < p->next)
		return;
	p->next = sc_mono_ns() + 200 * SC_NS_PER_MS;
	snprintf(from, sizeof(from), "%s/%s.csv", p->stage, p->name);
	if (stat(from, &st) != 0 || (st.st_dev == p->dev && st.st_ino == p->ino))
		return;
	/* PATH.tmp-PID: on the watchdog's list (sc_watch_tmp_files). */
	snprintf(tmp, sizeof(tmp), "%s/%s.csv.tmp-%d", p->out, p->name, (int)getpid());
	snprintf(to, sizeof(to), "%s/%s.csv", p->out, p->name);
	unlink(tmp);
	if (link(from, tmp) == 0 && rename(tmp, to) == 0) {
		p->dev = st.st_dev;
		p->ino = st.st_ino;
	} else {
		unlink(tmp);
	}
}

/* Removes one of our own temporary folders and takes it off the
 * watchdog's list. */
static void drop_dir(const char *dir)
{
	if (!dir[0])
		return;
	sc_remove_tree(dir);
	sc_watch_dir(dir, false);
}

/* Runs e in a user-mode Linux guest. The guest writes into a staging
 * folder inside --out (.sockcmp-guest-BOOT-PID-XXXXXX) and keeps its
 * temporary files in a folder of ours (TMPDIR), both on the watchdog's
 * list: if this process is killed, the watchdog ends the guest and removes
 * both, so nothing of the run is left in --out and nothing is written
 * there afterwards. Complete files are moved into --out when the guest is
 * done (or stopped). */
static int in_guest(const struct sc_experiment *e, const struct sc_request *rq, struct sc_run_opts *ro,
		    struct sc_rows *rows, const char *why, char *err, size_t errlen)
{
	char script[PATH_MAX], out[PATH_MAX], cwd[PATH_MAX], self[PATH_MAX + 16], rep[16], csv[PATH_MAX + 80];
	char *argv[32], whyenv[800], stage[PATH_MAX] = "", tmp[64] = "", tmpenv[80];
	const char *gbin;
	struct sc_uml_opts uo = {0};
	struct publish pub;
	bool fresh;
	int n = 0, status = 0, r, k;

	sc_script_path(rq->script, csv, sizeof(csv));
	if (!realpath(csv, script) || !realpath(ro->out_dir, out) || !getcwd(cwd, sizeof(cwd))) {
		snprintf(err, errlen, "cannot resolve the paths to give the guest: %s", strerror(errno));
		return -errno;
	}
	/* Staging folders of killed runs whose watchdog could not help. */
	sc_watch_sweep_in(out);
	/* The staging folder, and TMPDIR for the guest's run: short (its
	 * AF_UNIX socket paths live there), so mostly in /tmp, which the
	 * guest sees at the same path. */
	r = sc_watch_mkdtemp(stage, sizeof(stage), out, ".sockcmp-guest", 0);
	if (r == 0)
		r = sc_watch_mkdtemp(tmp, sizeof(tmp), NULL, "sockcmp", 10);
	if (r < 0) {
		snprintf(err, errlen, "cannot make the guest's folders in %s and /tmp: %s", out, strerror(-r));
		drop_dir(stage);
		return r;
	}
	snprintf(tmpenv, sizeof(tmpenv), "TMPDIR=%s", tmp);
	/* Sanitizer builds cannot run in the guest (UML's address space has
	 * no room for ASan's shadow memory): SOCKCMP_GUEST_BIN names a plain
	 * build whose programs the guest runs instead. */
	gbin = getenv("SOCKCMP_GUEST_BIN");
	if (!gbin || !*gbin)
		gbin = ro->bin_dir;
	if ((r = sc_self_path(gbin, self, sizeof(self))) < 0) {
		snprintf(err, errlen, "SOCKCMP_GUEST_BIN is too long a path (%zu characters)", strlen(gbin));
		drop_dir(stage);
		drop_dir(tmp);
		return r;
	}
	/* The guest's sockcmp records why it runs where it does. */
	snprintf(whyenv, sizeof(whyenv), "SOCKCMP_KERNEL_WHY=%s", why);
	argv[n++] = "/usr/bin/env";
	argv[n++] = whyenv;
	argv[n++] = tmpenv;
	argv[n++] = self;
	argv[n++] = "run";
	argv[n++] = script;
	argv[n++] = "--kernel";
	argv[n++] = "host";
	argv[n++] = "--out";
	argv[n++] = stage;
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
	if (ro->pcap) { /* absolute: the guest sees the host's files at the same paths */
		argv[n++] = "--pcap";
		argv[n++] = (char *)ro->pcap;
	}
	argv[n] = NULL;
	uo.bin_dir = gbin;
	uo.argv = argv;
	uo.cwd = cwd;
	uo.timeout_ns = guest_timeout(e);
	uo.stop = ro->stop;
	pub = (struct publish){.stage = stage, .out = out, .name = e->name};
	uo.tick = publish_rows;
	uo.tick_arg = &pub;
	r = sc_uml_run(&uo, &status, err, errlen);
	/* The guest is gone: nothing writes into the staging folder now.
	 * Whatever NAME.csv is there, the guest wrote (its finished trials,
	 * also when it was stopped). */
	snprintf(csv, sizeof(csv), "%s/%s.csv", stage, e->name);
	fresh = access(csv, F_OK) == 0;
	k = move_results(stage, out);
	if (k < 0 && r == 0) {
		snprintf(err, errlen, "cannot move the guest's results from %s into %s: %s", stage, out,
			 strerror(-k));
		r = -EIO;
	}
	drop_dir(stage);
	drop_dir(tmp);
	snprintf(csv, sizeof(csv), "%s/%s.csv", out, e->name);
	if (r == -EINTR && fresh)
		sc_rows_read(e, rows, csv); /* the finished trials are kept */
	if (r < 0)
		return r;
	if (status == 2) {
		snprintf(err, errlen, "the run in user-mode Linux refused its input (see above)");
		return -EINVAL;
	}
	if (sc_rows_read(e, rows, csv) < 0) {
		snprintf(err, errlen, "the run in user-mode Linux ended (status %d) without %s", status, csv);
		return -EIO;
	}
	return status == 0 ? 0 : status == 130 ? -EINTR : -EIO;
}

/* Whether the kernel-choice line was printed (once per process). */
static bool said;


/* Writes NAME-meta.json for a run that made rows (nothing to describe
 * otherwise) and returns the run's result r, or, if r was a success and
 * the file could not be written, that failure with "cannot write PATH:
 * reason" in err: a result not written is never exit 0. */
static int meta(const struct sc_experiment *e, const struct sc_run_opts *ro, const struct sc_rows *rows,
		const char *kernel, const char *why, int r, char *err, size_t errlen)
{
	int m;

	if (rows->n == 0 || (m = sc_meta_write(e, ro->out_dir, kernel, why)) == 0)
		return r;
	if (r == 0 || r == -EIO) {
		snprintf(err, errlen, "cannot write %s/%s-meta.json: %s", ro->out_dir, e->name, strerror(-m));
		return m;
	}
	fprintf(stderr, "sockcmp: cannot write %s/%s-meta.json: %s\n", ro->out_dir, e->name, strerror(-m));
	return r;
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
	if (!sc_needs_link(e) && ro->pcap) {
		snprintf(err, errlen, "--pcap: only a run over an impaired link (--link, or a script's 'link' or "
			 "netem sweep) runs in network namespaces of its own; %s runs on the shared loopback, "
			 "where a capture would record other people's traffic", e->name);
		return -EINVAL;
	}
	if (!sc_needs_link(e)) {
		const struct sc_where *given = ro->where; /* two hosts: set by the caller */

		ro->where = given ? given : &loopback;
		r = sc_run(e, ro, rows, err, errlen);
		ro->where = given;
		return meta(e, ro, rows, NULL, NULL, r, err, errlen);
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
		/* The guest's sockcmp writes its own: the kernel that ran. Only a
		 * run that made rows has anything to describe. */
		r = meta(e, ro, rows, getenv("SOCKCMP_KERNEL") ? getenv("SOCKCMP_KERNEL") : "host",
			 getenv("SOCKCMP_KERNEL_WHY"), r, err, errlen);
		if (r == -ENOTSUP && rq->kernel == SC_KERNEL_HOST)
			return -ENOENT;
		return r;
	}
	return in_guest(e, rq, ro, rows, why, err, errlen);
}

int sc_dispatch(const struct sc_experiment *e, const struct sc_request *rq, struct sc_run_opts *ro,
		struct sc_rows *rows, char *err, size_t errlen)
{
	int r;

	/* Results half-written into --out when this process is killed go
	 * with it (watch.h). Left on the list: the same folder may get more
	 * (the lecture's SUMMARY.md) until the driver exits. */
	sc_watch_tmp_files(ro->out_dir, true);
	r = dispatch(e, rq, ro, rows, err, errlen);
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
		w = sc_export_json_write(e, rows, ro->out_dir, NULL);
		if (w < 0 && (r == 0 || r == -EIO)) {
			snprintf(err, errlen, "cannot write %s/%s.json: %s", ro->out_dir, e->name, strerror(-w));
			r = w;
		} else if (w < 0) {
			fprintf(stderr, "sockcmp: cannot write %s/%s.json: %s\n", ro->out_dir, e->name, strerror(-w));
		}
	}
	return r;
}
