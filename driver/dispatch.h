/* dispatch.h - run an experiment wherever it needs to run: on loopback, on
 * an impaired link in this kernel, or inside a user-mode Linux guest. */
#ifndef SC_DISPATCH_H
#define SC_DISPATCH_H

#include <stdbool.h>

#include "link.h"
#include "run.h"

/* What the user asked for, as the guest must be told it again. */
struct sc_request {
	const char *script;       /* the script's path as given */
	const char *link, *link_reverse; /* --link / --link-reverse, or NULL */
	const char *transports;   /* --transports, or NULL */
	unsigned repeat;          /* --repeat, or 0 */
	enum sc_kernel kernel;
	bool quiet;
};

/* Runs e (overrides already applied) and fills rows. Returns 0, -EIO (a
 * trial failed), -EINTR, -EINVAL (bad input: message in err, nothing
 * written), -ENOENT (no way to impair a link: both remedies in err), or
 * -errno. ro->out_dir must exist. */
int sc_dispatch(const struct sc_experiment *e, const struct sc_request *rq, struct sc_run_opts *ro,
		struct sc_rows *rows, char *err, size_t errlen);

/* True if e needs an impaired link. */
bool sc_needs_link(const struct sc_experiment *e);

#endif
