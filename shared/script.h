/* script.h - experiment scripts: a line-oriented text format (see
 * experiments/README.md) parsed into a struct sc_experiment.
 *
 * Errors come back as -EINVAL with "FILE:LINE: what is wrong" in the
 * caller's buffer. Nothing here touches a socket. */
#ifndef SC_SCRIPT_H
#define SC_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "srvmodel.h"
#include "transport.h"

#define SC_MAX_TRANSPORTS 8
#define SC_MAX_OPS 32
#define SC_MAX_SWEEP 32
#define SC_NAME_MAX 64
#define SC_TEXT_MAX 200
#define SC_LINK_MAX 256
#define SC_VALUE_MAX 32

/* Limits, named in error messages. */
#define SC_MIN_MSG 44u                /* a message holds at least its header (SC_WIRE_HDR_LEN) */
#define SC_MAX_MSG (16u * 1024 * 1024)
#define SC_MAX_COUNT 10000000u
#define SC_MAX_REPEAT 1000u
#define SC_MAX_DURATION_NS (3600ull * 1000000000ull)
#define SC_MIN_TIMEOUT_NS (100ull * 1000000ull) /* a trial must have time to start its programs */

enum sc_op_kind { SC_OP_WRITE, SC_OP_PAUSE };

struct sc_op {
	enum sc_op_kind kind;
	uint64_t count; /* SC_OP_WRITE: number of writes */
	uint64_t size;  /* SC_OP_WRITE: bytes per write (header included) */
	uint64_t ns;    /* SC_OP_PAUSE: how long */
	int line;       /* the script line it came from, 0 if none */
};

enum sc_end { SC_END_CLOSE, SC_END_SHUTDOWN };

struct sc_send_plan {
	struct sc_op ops[SC_MAX_OPS];
	size_t nops;
	uint64_t pace_ns; /* gap between consecutive writes, 0 = back to back */
	enum sc_end end;  /* how a stream sender ends: close(), or shutdown(SHUT_WR) first */
	uint64_t sndbuf;  /* SO_SNDBUF, 0 = kernel default */
};

#define SC_RECV_WAITALL 0x1 /* MSG_WAITALL */
#define SC_RECV_TRUNC 0x2   /* MSG_TRUNC: datagram calls return the real length */

struct sc_recv_plan {
	uint64_t size;     /* bytes asked for per receive call */
	uint64_t after_ns; /* delay between data first being readable and the first read */
	uint64_t every_ns; /* delay before each later read, 0 = none */
	int flags;         /* SC_RECV_* */
	uint64_t rcvbuf;   /* SO_RCVBUF, 0 = kernel default */
};

struct sc_sweep {
	char param[SC_VALUE_MAX]; /* "" = no sweep */
	char values[SC_MAX_SWEEP][SC_VALUE_MAX];
	size_t n;
	int line;
};

struct sc_experiment {
	char file[256]; /* where it came from, for messages */
	char name[SC_NAME_MAX];
	char title[SC_TEXT_MAX]; /* chart title: what the lecture claims */
	const struct sc_transport *transports[SC_MAX_TRANSPORTS];
	size_t ntransports;
	int transports_line; /* 0: they came from the command line (--transports) */
	struct sc_send_plan send;
	struct sc_recv_plan recv;
	unsigned repeat;      /* trials per transport and sweep point, >= 1 */
	struct sc_sweep sweep;
	char link[SC_LINK_MAX]; /* netem arguments for the data direction, "" = none */
	int link_line;          /* 0: from the command line (--link), or none */
	char link_reverse[SC_LINK_MAX]; /* netem arguments for the reverse direction */
	int link_reverse_line;
	uint64_t timeout_ns;  /* per trial; 0 = the driver's default */
	char mode[16];        /* "mode NAME" (driver/mode.c), "" = one-way */
	uint64_t for_ns;      /* "for D": send for D, 0 = the plan's counts */
	uint64_t bitrate;     /* "bitrate B": target bits/s, 0 = flat out */
	/* mode servers (issue 9): the server models measured, in order (none
	 * named: every one in srvmodel.h), and the concurrent clients */
	char servers[SC_MAX_SERVERS][SC_SERVER_NAME_MAX];
	size_t nservers;
	int servers_line;
	uint64_t clients;     /* "clients N" or a clients sweep; 1 if neither */
};

/* What a command line changes in a script before it is checked; a NULL
 * field keeps the script's own. Messages about them start with the
 * option's name ("--transports: ..."). */
struct sc_script_override {
	const char *transports;   /* "tcp,udp": replaces the script's list */
	const char *link;         /* replaces the link line ("" = none) */
	const char *link_reverse; /* replaces the link-reverse line */
};

/* Parses script text (len bytes, need not be NUL-terminated) named file,
 * applies the overrides (o may be NULL), then checks what only the whole
 * can tell: required directives, every sweep point, and every message
 * size against the limits of every transport that will run (UDP/IPv4
 * 65,507 bytes, UDP/IPv6 65,527). Returns 0, or -EINVAL with
 * "file:line: message" in err; control characters in the text never
 * reach err unescaped. */
int sc_script_parse_with(const char *text, size_t len, const char *file,
			 const struct sc_script_override *o, struct sc_experiment *e, char *err,
			 size_t errlen);
int sc_script_parse(const char *text, size_t len, const char *file,
		    struct sc_experiment *e, char *err, size_t errlen);

/* Reads and parses the file at path, which must be a regular file (a FIFO
 * or a device is refused at once, never waited on). Returns 0, -EINVAL as
 * above or for a file that is not regular, -EFBIG past 1 MiB, or -errno
 * if it cannot be read ("path: reason" in err). */
int sc_script_load_with(const char *path, const struct sc_script_override *o,
			struct sc_experiment *e, char *err, size_t errlen);
int sc_script_load(const char *path, struct sc_experiment *e, char *err, size_t errlen);

/* Checks every message size e's plan can write (its send lines, or the
 * values of a size sweep) against max, the largest message transport t
 * carries; why says where max comes from, for the message. Returns 0, or
 * -EINVAL with "file:line: send size N is above ..." (the line of the
 * send or sweep) in err. */
int sc_experiment_check_size(const struct sc_experiment *e, const struct sc_transport *t,
			     uint64_t max, const char *why, char *err, size_t errlen);

/* One send directive's arguments ("5 x 512", "1000", "3x64k"). Returns 0 or
 * -EINVAL/-ERANGE with a message (no file:line prefix) in err. */
int sc_script_send_args(const char *args, struct sc_op *op, char *err, size_t errlen);

/* One recv directive's arguments ("2560 after 50ms waitall"). */
int sc_script_recv_args(const char *args, struct sc_recv_plan *r, char *err, size_t errlen);

/* Number of sweep points (1 if there is no sweep). */
size_t sc_experiment_points(const struct sc_experiment *e);

/* Copies e into out with sweep point i applied (the swept parameter set to
 * its i-th value). Returns 0 or -EINVAL (message in err). */
int sc_experiment_at(const struct sc_experiment *e, size_t i, struct sc_experiment *out,
		     char *err, size_t errlen);

/* Total data messages and bytes the send plan writes. */
uint64_t sc_plan_msgs(const struct sc_send_plan *s);
uint64_t sc_plan_bytes(const struct sc_send_plan *s);

#endif
