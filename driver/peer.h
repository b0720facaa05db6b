/* peer.h - the client side of `sockcmp run --peer`: one authenticated
 * control connection to `sockcmp serve` per run, the clock offset, and
 * remote roles started and collected over it (protocol: shared/ctl.h). */
#ifndef SC_PEER_H
#define SC_PEER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctl.h"

struct sc_peer {
	int fd;
	struct sc_ctl_session s;
	char name[300];       /* as the user wrote it, for messages */
	char local_ip[64];    /* our address on the control connection */
	int family;           /* of the control connection */
	bool have_clock;
	int64_t offset_ns;    /* the server's CLOCK_REALTIME minus ours */
	int64_t delay_ns;     /* round trip of the sample kept */
	uint64_t starts;      /* START frames sent so far */
	const volatile sig_atomic_t *stop;
	pid_t ssh_pid;        /* ssh://: the ssh process, else 0 */
	uint8_t buf[SC_CTL_MAX_PAYLOAD];
};

/* True if mode (a sc_modes[] name) has been checked to run across hosts:
 * everything its programs need crosses in START (shared/ctl.h). A new mode
 * is refused by `run --peer` and by serve until it is added here. */
bool sc_peer_mode_ok(const char *mode);

/* Parses "HOST", "HOST:PORT", "[V6]:PORT", "V6" into "host:port" form for
 * sc_endpoint_parse (the default port SC_CTL_PORT when none is given).
 * Returns 0, -ENOTSUP for ssh:// (see sc_peer_ssh_spec), or -EINVAL. */
int sc_peer_spec(const char *spec, char *out, size_t len);

/* ssh://[USER@]HOST[:PORT] into ssh's destination and port ("" if none).
 * Refuses anything ssh could take for an option, or a shell for syntax.
 * Returns 0 or -EINVAL. */
int sc_peer_ssh_spec(const char *spec, char *dest, size_t dlen, char *port, size_t plen);

/* What the user adds to ssh's command line for ssh:// peers (run's
 * --ssh-config and --ssh-option), e.g. a private config file, a key or a
 * known-hosts file: sockcmp itself never reads ~/.ssh. */
#define SC_SSH_MAX_OPTS 16
struct sc_ssh_opts {
	const char *config;                   /* ssh -F FILE, or NULL */
	const char *option[SC_SSH_MAX_OPTS];  /* ssh -o OPTION, each */
	size_t noption;
	const char *remote;                   /* the far side's sockcmp, NULL: "sockcmp" on its PATH */
};

/* True if path may name the far side's sockcmp: it reaches the remote
 * shell as a word of the command line, so only letters, digits and
 * / . _ + - are allowed, not first a '-', nothing a shell would read. */
bool sc_peer_remote_ok(const char *path);

/* Fills argv (max entries, NULL-terminated) with the ssh command line for
 * destination dest and port ("" for ssh's own): program ssh, -T -e none
 * -o BatchMode=yes, then -F and each -o of o (may be NULL), -p PORT, "--",
 * dest, and the remote command `sockcmp serve --stdio` (o->remote for
 * sockcmp if set). Returns the number
 * of arguments or -E2BIG. */
int sc_peer_ssh_argv(const char *ssh, const char *dest, const char *port, const struct sc_ssh_opts *o,
		     const char **argv, size_t max);

/* Connects to the server named spec, proves we hold key and checks that it
 * does too. With ssh://[USER@]HOST[:PORT], starts `ssh HOST sockcmp serve
 * --stdio` instead, with the options in ssh (may be NULL): OpenSSH
 * authenticates and encrypts, key is unused, a fresh one goes to the far
 * side on ssh's stdin. Returns a peer (free with sc_peer_close) or NULL
 * with the reason in err and *code: 2 bad input (ssh://, a malformed
 * address), 1 otherwise (unreachable, refused, another key). */
struct sc_peer *sc_peer_open(const char *spec, const uint8_t key[SC_SIPHASH_KEY_LEN],
			     const struct sc_ssh_opts *ssh, const volatile sig_atomic_t *stop, int *code, char *err, size_t errlen);

/* Estimates the clock offset with rounds four-timestamp exchanges,
 * keeping the sample of least round-trip delay. Returns 0 or -errno
 * (err says why). */
int sc_peer_clock(struct sc_peer *p, int rounds, char *err, size_t errlen);

/* Starts one role on the server (s->key is masked here). Waits for the
 * server's answer: for a listening role its address goes into addr.
 * Returns 0, -EINVAL (the server refused the request: err says why),
 * -EINTR or -ECONNRESET/-ETIMEDOUT/... (the peer is lost: err says why). */
int sc_peer_start(struct sc_peer *p, struct sc_ctl_start *s, char *addr, size_t addrlen,
		  uint64_t deadline, char *err, size_t errlen);

/* Collects the role's result: its files as PREFIX-summary.csv, -events.csv,
 * -messages.csv and the last line of its stderr into err_path, then its
 * exit code into *code. Returns 0, -EINTR or an error (the peer is lost
 * or broke the protocol: err says why). */
int sc_peer_finish(struct sc_peer *p, const char *prefix, const char *err_path, int *code,
		   uint64_t deadline, char *err, size_t errlen);

/* Says goodbye (best effort), closes and frees. NULL is fine. */
void sc_peer_close(struct sc_peer *p);

#endif
