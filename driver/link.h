/* link.h - experiments on an impaired link: where they can run, and
 * running them there.
 *
 *   host: this kernel, two namespaces (driver/netns.h) and netem; needs
 *         sch_netem and CAP_NET_ADMIN (root)
 *   uml:  the same code, run inside a user-mode Linux guest (driver/uml.h)
 *         booted once for the whole experiment; no root needed */
#ifndef SC_LINK_H
#define SC_LINK_H

#include <stdbool.h>

#include "run.h"

enum sc_kernel { SC_KERNEL_AUTO, SC_KERNEL_HOST, SC_KERNEL_UML };

/* Runs e on this kernel in two fresh namespaces. Every sweep point's link
 * is checked with tc before anything runs or is written. Returns 0, -EIO
 * (some trial failed), -EINTR, -EINVAL (tc rejected the netem arguments:
 * "FILE:LINE: tc rejected ..." in err), -ENOTSUP (this kernel has no
 * sch_netem) or -EPERM (no privilege for namespaces). The namespaces are
 * gone when it returns, whatever happened. */
int sc_link_run_host(const struct sc_experiment *e, struct sc_run_opts *ro, struct sc_rows *rows,
		     char *err, size_t errlen);

/* Decides where a link experiment runs. For auto: host if this process is
 * root and a netem qdisc can be made in a scratch namespace, else uml if
 * installed, else -ENOENT with both remedies in why. Writes the reason for
 * the choice into why. */
int sc_link_choose(enum sc_kernel want, enum sc_kernel *got, char *why, size_t len);

/* The choice in plain words, for one line of information: "link
 * experiments run in a user-mode Linux guest: this kernel has no netem".
 * want and got as for sc_link_choose, why its reason (details in
 * parentheses and after a colon are left to the metadata file). Pure. */
void sc_link_choice_line(enum sc_kernel want, enum sc_kernel got, const char *why, char *buf, size_t len);

/* The choice's reason why (as sc_link_choose wrote it) as a short code for
 * the rows' kernel_why column, the same on every row and across versions:
 * "no-netem", "not-root", "no-netns", "netem" (this kernel has it and we
 * are root), "option" (--kernel), "other"; "" for NULL or "". The
 * sentence itself goes once into NAME-meta.json. Pure. */
const char *sc_link_why_code(const char *why);

#endif
